package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"maillage"
	"maillage/fold"
	"maillage/territory"
)

// Index is an immutable set of consolidated places ready to be searched.
// It is safe for concurrent use.
//
// Inside, each place has a position: the places are ordered by région,
// département, EPCI and commune, so that every territory is one range of
// positions (or a few, for the EPCIs that cross a border), and sets of
// places are bitsets over positions.
type Index struct {
	places  []maillage.Consolidated
	byID    map[string]int
	builtAt time.Time
	took    time.Duration // time Build took
	n       int

	// by position
	orig     []int32 // index in places
	ids      []string
	lat, lon []float64
	hasCoord bitset
	nameKey  []string // folded name
	upd      []time.Time
	entry    []int32 // in hours.entries, -1 when unknown
	// the positions of each schedule, increasing:
	// hoursPos[hoursStart[e]:hoursStart[e+1]] for hours.entries[e]
	hoursStart, hoursPos []int32
	hasHours             bitset // positions with a schedule (entry >= 0)

	// nameOrder and freshOrder are the positions in the order of SortName
	// and SortFreshness; nameRank and freshRank are their inverses.
	nameOrder, nameRank   []int32
	freshOrder, freshRank []int32

	areas   map[areaKey][]span
	filters filterBits
	text    textIndex
	kd      kdTree
	hours   *hoursTable
	open    openCache
	pool    sync.Pool // *scratch
}

// span is a range of positions [lo, hi).
type span struct{ lo, hi int32 }

// areaKey names a territory: kind is 'c' (commune), 'e' (EPCI), 'd'
// (département) or 'r' (région).
type areaKey struct {
	kind byte
	code string
}

// scratch is the working memory of one query.
type scratch struct {
	c, tmp  bitset
	sets    []bitset
	nodes   []nodeItem
	points  []pointItem
	found   []pointItem
	members []int32
}

// Build indexes places (kept, not copied: the caller must not change
// them). builtAt dates the index (ETag, /metrics).
func Build(places []maillage.Consolidated, builtAt time.Time) *Index {
	start := time.Now()
	terr := territory.Default()
	n := len(places)
	ix := &Index{places: places, byID: make(map[string]int, n), builtAt: builtAt, n: n}
	for i := range places {
		ix.byID[places[i].Place.ID] = i
	}

	// Positions: by territory, then in the order given.
	communes := make([]*territory.Commune, n)
	rankOf := map[*territory.Commune]int32{}
	var distinct []*territory.Commune
	for i := range places {
		c, ok := terr.Commune(places[i].Place.INSEECode)
		if !ok {
			continue
		}
		communes[i] = c
		if _, seen := rankOf[c]; !seen {
			rankOf[c] = 0
			distinct = append(distinct, c)
		}
	}
	slices.SortFunc(distinct, func(a, b *territory.Commune) int {
		return cmp.Or(strings.Compare(a.Region, b.Region), strings.Compare(a.Departement, b.Departement),
			strings.Compare(a.EPCI, b.EPCI), strings.Compare(cmp.Or(a.Parent, a.Code), cmp.Or(b.Parent, b.Code)),
			strings.Compare(a.Code, b.Code))
	})
	for r, c := range distinct {
		rankOf[c] = int32(r)
	}
	// A stable counting sort by commune rank (the places without a known
	// commune last): the order given is kept within a commune.
	at := make([]int32, len(distinct)+2)
	rankOfPlace := func(i int) int32 {
		if c := communes[i]; c != nil {
			return rankOf[c]
		}
		return int32(len(distinct))
	}
	for i := range places {
		at[rankOfPlace(i)+1]++
	}
	for r := 1; r < len(at); r++ {
		at[r] += at[r-1]
	}
	ix.orig = make([]int32, n)
	for i := range places {
		r := rankOfPlace(i)
		ix.orig[at[r]] = int32(i)
		at[r]++
	}

	ix.ids = make([]string, n)
	ix.lat, ix.lon = make([]float64, n), make([]float64, n)
	ix.hasCoord = newBitset(n)
	ix.nameKey = make([]string, n)
	ix.upd = make([]time.Time, n)
	ix.entry = make([]int32, n)
	ix.hours = newHoursTable()
	ix.areas = map[areaKey][]span{}
	var withCoord []int32
	for p, o := range ix.orig {
		pos := int32(p)
		pl := &places[o].Place
		ix.ids[p] = pl.ID
		ix.upd[p] = pl.UpdatedOn
		ix.entry[p] = ix.hours.entry(pl.OpeningHours, pl.INSEECode)
		if pl.HasCoordinates {
			ix.lat[p], ix.lon[p] = pl.Latitude, pl.Longitude
			ix.hasCoord.set(pos)
			withCoord = append(withCoord, pos)
		}
		if c := communes[o]; c != nil {
			ix.addArea(areaKey{'c', c.Code}, pos)
			if c.Parent != "" && c.Parent != c.Code {
				ix.addArea(areaKey{'c', c.Parent}, pos)
			}
			if c.EPCI != "" {
				ix.addArea(areaKey{'e', c.EPCI}, pos)
			}
			ix.addArea(areaKey{'d', c.Departement}, pos)
			ix.addArea(areaKey{'r', c.Region}, pos)
		}
	}

	// The rest are independent of each other: built side by side.
	var wg sync.WaitGroup
	wg.Go(ix.indexSchedules)
	wg.Go(func() {
		for p, o := range ix.orig {
			ix.nameKey[p] = fold.Key(places[o].Place.Name)
		}
		ix.nameOrder = positions(n)
		slices.SortFunc(ix.nameOrder, func(a, b int32) int {
			return compareName(ix.nameKey[a], ix.ids[a], ix.nameKey[b], ix.ids[b])
		})
		ix.nameRank = inverse(ix.nameOrder)
	})
	wg.Go(func() {
		ix.freshOrder = positions(n)
		slices.SortFunc(ix.freshOrder, func(a, b int32) int {
			return compareFreshness(ix.upd[a], ix.ids[a], ix.upd[b], ix.ids[b])
		})
		ix.freshRank = inverse(ix.freshOrder)
	})
	wg.Go(func() {
		ix.filters = buildFilterBits(n, func(p int32) *maillage.Place { return &places[ix.orig[p]].Place })
	})
	wg.Go(func() {
		ix.text = buildText(func(p int32, buf []byte) []byte {
			pl := &places[ix.orig[p]].Place
			for i, s := range [...]string{pl.Name, pl.Commune, pl.Summary, pl.Description} {
				if i > 0 {
					buf = append(buf, ' ')
				}
				buf = fold.AppendKey(buf, s)
			}
			return buf
		}, n)
	})
	wg.Go(func() { ix.kd = buildKD(withCoord, ix.lat, ix.lon) })
	wg.Wait()
	ix.pool.New = func() any { return &scratch{c: newBitset(n), tmp: newBitset(n)} }
	ix.took = time.Since(start)
	return ix
}

// indexSchedules lists the positions of each schedule (a counting sort
// of ix.entry) and marks the positions that have one.
func (ix *Index) indexSchedules() {
	ix.hoursStart = make([]int32, len(ix.hours.entries)+1)
	ix.hasHours = newBitset(ix.n)
	for p, e := range ix.entry {
		if e >= 0 {
			ix.hoursStart[e+1]++
			ix.hasHours.set(int32(p))
		}
	}
	for e := 1; e < len(ix.hoursStart); e++ {
		ix.hoursStart[e] += ix.hoursStart[e-1]
	}
	ix.hoursPos = make([]int32, ix.hoursStart[len(ix.hoursStart)-1])
	fill := slices.Clone(ix.hoursStart)
	for p, e := range ix.entry {
		if e >= 0 {
			ix.hoursPos[fill[e]] = int32(p)
			fill[e]++
		}
	}
}

func positions(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

func inverse(order []int32) []int32 {
	r := make([]int32, len(order))
	for i, p := range order {
		r[p] = int32(i)
	}
	return r
}

// addArea adds position p (given in increasing order) to a territory.
func (ix *Index) addArea(k areaKey, p int32) {
	s := ix.areas[k]
	if n := len(s); n > 0 && s[n-1].hi == p {
		s[n-1].hi = p + 1
		return
	}
	ix.areas[k] = append(s, span{p, p + 1})
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

// Stats describes an index, for /metrics and the logs.
type Stats struct {
	Places          int           // places indexed
	WithCoordinates int           // places with coordinates (reachable by distance)
	Words           int           // distinct words of the text index
	Schedules       int           // distinct compiled opening hours
	BuildDuration   time.Duration // time Build took
	Bytes           int64         // approximate memory of the index, places themselves aside
}

// Stats returns figures about the index.
func (ix *Index) Stats() Stats {
	s := Stats{Places: ix.n, WithCoordinates: len(ix.kd.pos), Words: len(ix.text.terms), Schedules: len(ix.hours.entries), BuildDuration: ix.took}
	words := int64(len(ix.hasCoord) + len(ix.hasHours))
	for _, sets := range ix.filters {
		words += int64(len(sets)) * int64(len(ix.hasCoord))
	}
	b := words*8 + int64(ix.n)*(4+16+8+8+16+24+4+4*4) + ix.text.bytes()
	b += int64(len(ix.hoursStart)+len(ix.hoursPos)) * 4
	b += int64(len(ix.kd.pos))*(4+8+8) + int64(len(ix.kd.nodes))*96
	for i := range ix.nameKey {
		b += int64(len(ix.nameKey[i]))
	}
	b += int64(len(ix.byID)) * 48
	s.Bytes = b
	return s
}

// tuning chooses between the ways of answering a page; the results are
// the same, only the cost differs. Tests change it to check each way.
var tuning = struct {
	// smallNear: up to this many matches, a distance page is the sort of
	// every match rather than a walk of the tree.
	smallNear int
	// walkShare: when more than one position in walkShare matches, a
	// page by name or freshness walks the precomputed order; otherwise it
	// sorts the matches.
	walkShare int
}{smallNear: 256, walkShare: 256}

// Search answers q; now is the instant of the places' State when
// q.OpenAt is zero.
func (ix *Index) Search(q Query, now time.Time) (Result, error) {
	q, after, err := q.check()
	if err != nil {
		return Result{}, err
	}
	at := now
	if !q.OpenAt.IsZero() {
		at = q.OpenAt
	}
	s := ix.pool.Get().(*scratch)
	defer ix.pool.Put(s)
	ix.match(q, s)
	res := Result{Total: s.c.count()}
	if res.Total == 0 {
		return res, nil
	}
	need := q.Limit + 1
	var page []int32
	var dists []float64
	switch q.Sort {
	case SortDistance:
		found := ix.nearestPage(q, after, s, res.Total, need)
		for _, f := range found {
			page = append(page, f.pos)
			dists = append(dists, f.dist)
		}
	case SortName:
		page = ix.orderPage(s, ix.nameOrder, ix.nameRank, ix.startName(after), res.Total, need)
	case SortFreshness:
		page = ix.orderPage(s, ix.freshOrder, ix.freshRank, ix.startFresh(after), res.Total, need)
	}
	more := len(page) > q.Limit
	page = page[:min(len(page), q.Limit)]
	res.Hits = make([]Hit, len(page))
	for i, p := range page {
		h := &res.Hits[i]
		h.Place = &ix.places[ix.orig[p]]
		h.DistanceM = -1
		if q.Near != nil {
			if dists != nil {
				h.DistanceM = dists[i]
			} else {
				h.DistanceM = distanceM(q.Near, ix.lat[p], ix.lon[p])
			}
		}
		h.State, h.NextChange = ix.state(p, at)
	}
	if more && len(page) > 0 {
		last := page[len(page)-1]
		c := cursor{sort: q.Sort, id: ix.ids[last]}
		switch q.Sort {
		case SortDistance:
			c.dist = res.Hits[len(page)-1].DistanceM
		case SortName:
			c.name = ix.nameKey[last]
		case SortFreshness:
			c.upd = ix.upd[last]
		}
		res.Next = c.String()
	}
	return res, nil
}

// match leaves in s.c the positions of the places that match q, whatever
// the page.
func (ix *Index) match(q Query, s *scratch) {
	c := s.c
	c.clear()
	if q.Commune != "" || q.EPCI != "" || q.Departement != "" || q.Region != "" {
		var spans []span
		first := true
		for _, k := range []areaKey{{'c', q.Commune}, {'e', q.EPCI}, {'d', q.Departement}, {'r', q.Region}} {
			if k.code == "" {
				continue
			}
			if first {
				spans, first = ix.areas[k], false
				continue
			}
			spans = intersect(spans, ix.areas[k])
		}
		for _, sp := range spans {
			c.fillRange(sp.lo, sp.hi)
		}
	} else {
		c.fillRange(0, int32(ix.n))
	}
	for _, field := range sortedFields {
		values, ok := q.Filters[field]
		if !ok || len(values) == 0 {
			continue
		}
		s.sets = ix.filters.sets(field, values, s.sets[:0])
		c.andAny(s.sets)
	}
	if words := textWords(q.Text); len(words) > 0 {
		ix.text.match(words, c, s.tmp)
	}
	if q.Near != nil || q.BBox != nil {
		c.and(ix.hasCoord)
	}
	if q.Radius > 0 || q.BBox != nil {
		s.tmp.clear()
		ix.kd.region(q.Near, q.Radius, q.BBox, s.tmp)
		c.and(s.tmp)
	}
	if !q.OpenAt.IsZero() {
		ix.andOpen(c, q.OpenAt)
	}
}

// intersect returns the intersection of two sorted lists of disjoint spans.
func intersect(a, b []span) []span {
	var out []span
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].lo, b[j].lo), min(a[i].hi, b[j].hi)
		if lo < hi {
			out = append(out, span{lo, hi})
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// nearestPage returns up to need matches after the cursor, nearest first.
func (ix *Index) nearestPage(q Query, after *cursor, s *scratch, total, need int) []pointItem {
	found := s.found[:0]
	if total > tuning.smallNear {
		found = ix.kd.nearest(s, q.Near, q.Radius, s.c, ix.ids, after, need, found)
		s.found = found
		return found
	}
	s.c.each(func(p int32) bool {
		d := distanceM(q.Near, ix.lat[p], ix.lon[p])
		if after == nil || compareDistance(d, ix.ids[p], after.dist, after.id) > 0 {
			found = append(found, pointItem{d, p})
		}
		return true
	})
	slices.SortFunc(found, func(a, b pointItem) int { return compareDistance(a.dist, ix.ids[a.pos], b.dist, ix.ids[b.pos]) })
	s.found = found
	return found[:min(len(found), need)]
}

// startName is the rank in nameOrder of the first place after the cursor.
func (ix *Index) startName(after *cursor) int {
	if after == nil {
		return 0
	}
	i, _ := slices.BinarySearchFunc(ix.nameOrder, *after, func(p int32, c cursor) int {
		return compareName(ix.nameKey[p], ix.ids[p], c.name, c.id)
	})
	if i < len(ix.nameOrder) && ix.ids[ix.nameOrder[i]] == after.id && ix.nameKey[ix.nameOrder[i]] == after.name {
		i++
	}
	return i
}

// startFresh is the rank in freshOrder of the first place after the cursor.
func (ix *Index) startFresh(after *cursor) int {
	if after == nil {
		return 0
	}
	i, _ := slices.BinarySearchFunc(ix.freshOrder, *after, func(p int32, c cursor) int {
		return compareFreshness(ix.upd[p], ix.ids[p], c.upd, c.id)
	})
	if i < len(ix.freshOrder) && ix.ids[ix.freshOrder[i]] == after.id && ix.upd[ix.freshOrder[i]].Equal(after.upd) {
		i++
	}
	return i
}

// orderPage returns up to need matches of rank start or more in order.
func (ix *Index) orderPage(s *scratch, order, rank []int32, start, total, need int) []int32 {
	out := s.members[:0]
	if total*tuning.walkShare >= ix.n {
		for _, p := range order[start:] {
			if s.c.has(p) {
				out = append(out, p)
				if len(out) == need {
					break
				}
			}
		}
		s.members = out
		return out
	}
	s.c.each(func(p int32) bool {
		if int(rank[p]) >= start {
			out = append(out, p)
		}
		return true
	})
	slices.SortFunc(out, func(a, b int32) int { return cmp.Compare(rank[a], rank[b]) })
	s.members = out
	return out[:min(len(out), need)]
}
