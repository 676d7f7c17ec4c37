package search

import (
	"slices"
	"strings"
	"time"

	"maillage"
	"maillage/fold"
	"maillage/hours"
	"maillage/territory"
)

// scanIndex is the first implementation of the package, kept as the
// oracle of the differential test: it scans every place for each query,
// in the plainest way, and so defines what Index must return.
type scanIndex struct {
	places []maillage.Consolidated
	docs   []scanDoc
	pos    map[*maillage.Consolidated]int
}

type scanDoc struct {
	text    []string // folded words of name, commune and presentation
	name    string   // folded name, for sorting
	commune *territory.Commune
	hours   *hours.Hours // nil when the place has no valid hours
}

func buildScan(places []maillage.Consolidated) *scanIndex {
	terr := territory.Default()
	ix := &scanIndex{places: places, docs: make([]scanDoc, len(places)), pos: map[*maillage.Consolidated]int{}}
	for i := range places {
		ix.pos[&places[i]] = i
		p := &places[i].Place
		d := &ix.docs[i]
		d.text = strings.Fields(fold.Key(p.Name + " " + p.Commune + " " + p.Summary + " " + p.Description))
		d.name = fold.Key(p.Name)
		d.commune, _ = terr.Commune(p.INSEECode)
		if p.OpeningHours != "" {
			ctx := hours.Context{Location: territory.TimeZone(p.INSEECode), Departement: territory.DepartementOfINSEE(p.INSEECode)}
			if h, err := hours.Compile(p.OpeningHours, ctx); err == nil {
				d.hours = h
			}
		}
	}
	return ix
}

func (ix *scanIndex) Search(q Query, now time.Time) (Result, error) {
	q, after, err := q.check()
	if err != nil {
		return Result{}, err
	}
	at := now
	if !q.OpenAt.IsZero() {
		at = q.OpenAt
	}
	words := strings.Fields(fold.Key(q.Text))
	var hits []Hit
	for i := range ix.places {
		c := &ix.places[i]
		d := &ix.docs[i]
		p := &c.Place
		if !scanInArea(q, d, p) || !scanFilters(q.Filters, p) || !scanText(words, d.text) {
			continue
		}
		h := Hit{Place: c, DistanceM: -1}
		if q.Near != nil {
			if !p.HasCoordinates {
				continue
			}
			h.DistanceM = territory.Distance(q.Near.Lat, q.Near.Lon, p.Latitude, p.Longitude) * 1000
			if q.Radius > 0 && h.DistanceM > q.Radius {
				continue
			}
		}
		h.State = hours.State{Status: hours.Unknown}
		if d.hours != nil {
			h.State = d.hours.State(at)
		}
		if !q.OpenAt.IsZero() && h.State.Status != hours.Open {
			continue
		}
		hits = append(hits, h)
	}
	key := func(h Hit) cursor {
		return cursor{sort: q.Sort, dist: h.DistanceM, name: ix.docs[ix.pos[h.Place]].name, upd: h.Place.Place.UpdatedOn, id: h.Place.Place.ID}
	}
	less := func(a, b cursor) int {
		switch q.Sort {
		case SortDistance:
			return compareDistance(a.dist, a.id, b.dist, b.id)
		case SortFreshness:
			return compareFreshness(a.upd, a.id, b.upd, b.id)
		}
		return compareName(a.name, a.id, b.name, b.id)
	}
	slices.SortFunc(hits, func(a, b Hit) int { return less(key(a), key(b)) })
	res := Result{Total: len(hits)}
	start := 0
	if after != nil {
		for start < len(hits) && less(key(hits[start]), *after) <= 0 {
			start++
		}
	}
	end := min(start+q.Limit, len(hits))
	res.Hits = hits[start:end]
	for i := range res.Hits {
		// when the state changes next, only for the hits shown (it is
		// the slowest part of the scan)
		if h := ix.docs[ix.pos[res.Hits[i].Place]].hours; h != nil {
			res.Hits[i].NextChange, _ = h.NextChange(at)
		}
	}
	if end < len(hits) && end > start {
		res.Next = key(res.Hits[len(res.Hits)-1]).String()
	}
	return res, nil
}

func scanInArea(q Query, d *scanDoc, p *maillage.Place) bool {
	c := d.commune
	if q.Commune != "" && (c == nil || (c.Code != q.Commune && c.Parent != q.Commune)) {
		return false
	}
	if q.EPCI != "" && (c == nil || c.EPCI != q.EPCI) {
		return false
	}
	if q.Departement != "" && (c == nil || c.Departement != q.Departement) {
		return false
	}
	if q.Region != "" && (c == nil || c.Region != q.Region) {
		return false
	}
	if b := q.BBox; b != nil && (!p.HasCoordinates || p.Longitude < b.MinLon || p.Longitude > b.MaxLon || p.Latitude < b.MinLat || p.Latitude > b.MaxLat) {
		return false
	}
	return true
}

func scanFilters(filters map[string][]string, p *maillage.Place) bool {
	for field, want := range filters {
		if len(want) == 0 {
			continue // no values, no condition
		}
		have := filterFields[field].values(p)
		ok := false
		for _, w := range want {
			if slices.Contains(have, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func scanText(words, text []string) bool {
	for i, w := range words {
		found := false
		for _, t := range text {
			if t == w || (i == len(words)-1 && strings.HasPrefix(t, w)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
