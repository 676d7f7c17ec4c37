package search

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"maillage"
	"maillage/fold"
	"maillage/hours"
	"maillage/territory"
)

// Index is an immutable set of consolidated places ready to be searched.
//
// This first version scans every place for each query; it defines the
// behaviour the faster index must keep.
type Index struct {
	places  []maillage.Consolidated
	byID    map[string]int
	terr    *territory.Data
	builtAt time.Time
	docs    []doc
}

// doc is what a query needs of a place, computed once.
type doc struct {
	text    []string // folded words of name, commune and presentation
	name    string   // folded name, for sorting
	commune *territory.Commune
	hours   *hours.Hours // nil when the place has no valid hours
}

// Build indexes places (kept, not copied: the caller must not change
// them). builtAt dates the index (ETag, /metrics).
func Build(places []maillage.Consolidated, builtAt time.Time) *Index {
	terr := territory.Default()
	ix := &Index{places: places, byID: make(map[string]int, len(places)), terr: terr, builtAt: builtAt, docs: make([]doc, len(places))}
	for i := range places {
		p := &places[i].Place
		ix.byID[p.ID] = i
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

// Len is the number of places.
func (ix *Index) Len() int { return len(ix.places) }

// BuiltAt is the time given to Build.
func (ix *Index) BuiltAt() time.Time { return ix.builtAt }

// Place returns a place by its consolidated id.
func (ix *Index) Place(id string) (*maillage.Consolidated, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	return &ix.places[i], true
}

// Places returns every place, in the order given to Build.
func (ix *Index) Places() []maillage.Consolidated { return ix.places }

// Search answers q; now is the instant of the places' State when
// q.OpenAt is zero.
func (ix *Index) Search(q Query, now time.Time) (Result, error) {
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return Result{}, fmt.Errorf("limite : entre 1 et %d : %w", MaxLimit, ErrInvalidQuery)
	}
	if q.Sort == "" {
		q.Sort = SortName
		if q.Near != nil {
			q.Sort = SortDistance
		}
	}
	if q.Sort == SortDistance && q.Near == nil {
		return Result{}, fmt.Errorf("tri : le tri par distance demande un point (lat, lon) : %w", ErrInvalidQuery)
	}
	if q.Sort != SortDistance && q.Sort != SortName && q.Sort != SortFreshness {
		return Result{}, fmt.Errorf("tri : %q n'est pas un tri connu (distance, nom, fraicheur) : %w", q.Sort, ErrInvalidQuery)
	}
	for field, values := range q.Filters {
		ff, ok := filterFields[field]
		if !ok {
			return Result{}, fmt.Errorf("%s : ce champ ne peut pas servir de filtre : %w", field, ErrInvalidQuery)
		}
		for _, v := range values {
			if !slices.Contains(ff.allowed, v) {
				return Result{}, fmt.Errorf("%s : %q n'est pas une valeur du schéma : %w", field, v, ErrInvalidQuery)
			}
		}
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
		if !ix.inArea(q, d, p) || !matchFilters(q.Filters, p) || !matchText(words, d.text) {
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
		if d.hours != nil {
			h.State = d.hours.State(at)
			h.NextChange, _ = d.hours.NextChange(at)
		} else {
			h.State = hours.State{Status: hours.Unknown}
		}
		if !q.OpenAt.IsZero() && h.State.Status != hours.Open {
			continue
		}
		hits = append(hits, h)
	}
	less := ix.order(q.Sort)
	slices.SortFunc(hits, less)
	res := Result{Total: len(hits)}
	start := 0
	if q.Cursor != "" {
		after, err := ix.decodeCursor(q.Cursor, q.Sort)
		if err != nil {
			return Result{}, err
		}
		// the first hit after the cursor's
		start = sort.Search(len(hits), func(i int) bool { return less(hits[i], after) > 0 })
	}
	end := min(start+q.Limit, len(hits))
	res.Hits = hits[start:end]
	if end < len(hits) && end > start {
		res.Next = encodeCursor(q.Sort, res.Hits[len(res.Hits)-1])
	}
	return res, nil
}

func (ix *Index) inArea(q Query, d *doc, p *maillage.Place) bool {
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

func matchText(words, text []string) bool {
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

// order returns the comparison of hits for a sort; ties are broken by id
// so that the order is total (the cursor relies on it).
func (ix *Index) order(by string) func(a, b Hit) int {
	byID := func(a, b Hit) int { return strings.Compare(a.Place.Place.ID, b.Place.Place.ID) }
	switch by {
	case SortDistance:
		return func(a, b Hit) int { return cmp.Or(cmp.Compare(a.DistanceM, b.DistanceM), byID(a, b)) }
	case SortFreshness:
		return func(a, b Hit) int {
			return cmp.Or(b.Place.Place.UpdatedOn.Compare(a.Place.Place.UpdatedOn), byID(a, b))
		}
	}
	return func(a, b Hit) int {
		return cmp.Or(strings.Compare(fold.Key(a.Place.Place.Name), fold.Key(b.Place.Place.Name)), byID(a, b))
	}
}

// A cursor is the sort key of the last hit of a page: the next page starts
// after it, whatever was added or removed meanwhile (keyset pagination).
func encodeCursor(sort string, h Hit) string {
	var key string
	switch sort {
	case SortDistance:
		key = strconv.FormatFloat(h.DistanceM, 'g', -1, 64)
	case SortFreshness:
		key = h.Place.Place.UpdatedOn.Format(time.DateOnly)
	default:
		key = fold.Key(h.Place.Place.Name)
	}
	return sort + "~" + key + "~" + h.Place.Place.ID
}

func (ix *Index) decodeCursor(s, sort string) (Hit, error) {
	parts := strings.SplitN(s, "~", 3)
	bad := fmt.Errorf("curseur : %q n'est pas un curseur de cette recherche : %w", s, ErrInvalidQuery)
	if len(parts) != 3 || parts[0] != sort {
		return Hit{}, bad
	}
	c := &maillage.Consolidated{}
	c.Place.ID = parts[2]
	h := Hit{Place: c}
	switch sort {
	case SortDistance:
		d, err := strconv.ParseFloat(parts[1], 64)
		if err != nil || math.IsNaN(d) {
			return Hit{}, bad
		}
		h.DistanceM = d
	case SortFreshness:
		t, err := time.Parse(time.DateOnly, parts[1])
		if err != nil {
			return Hit{}, bad
		}
		c.Place.UpdatedOn = t
	default:
		c.Place.Name = parts[1]
	}
	return h, nil
}
