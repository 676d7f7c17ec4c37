package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"maillage"
	"maillage/fold"
	"maillage/territory"
)

// randomQuery draws a query around the places: a point near one of them
// or anywhere in France, a territory of one of them, words of their text,
// values of their fields, an instant, a sort and a page size.
func randomQuery(rng *rand.Rand, places []maillage.Consolidated) Query {
	terr := territory.Default()
	var q Query
	pick := func() *maillage.Place { return &places[rng.IntN(len(places))].Place }
	if rng.IntN(2) == 0 {
		p := pick()
		if p.HasCoordinates && rng.IntN(3) > 0 {
			q.Near = &Point{p.Latitude + rng.NormFloat64()*0.05, p.Longitude + rng.NormFloat64()*0.05}
		} else {
			q.Near = &Point{42 + rng.Float64()*9, -5 + rng.Float64()*13}
		}
		if rng.IntN(3) == 0 {
			q.Radius = float64(500 + rng.IntN(80000))
		}
	}
	if rng.IntN(4) == 0 {
		if c, ok := terr.Commune(pick().INSEECode); ok {
			switch rng.IntN(5) {
			case 0:
				q.Commune = c.Code
				if c.Parent != "" && rng.IntN(2) == 0 {
					q.Commune = c.Parent
				}
			case 1:
				q.EPCI = c.EPCI
			case 2:
				q.Departement = c.Departement
			case 3:
				q.Region = c.Region
			case 4:
				q.Departement, q.Region = c.Departement, c.Region
				if rng.IntN(3) == 0 {
					q.Region = "11" // often another région: nothing
				}
			}
		}
	}
	if rng.IntN(6) == 0 {
		p := pick()
		if p.HasCoordinates {
			w := rng.Float64() * 2
			q.BBox = &BBox{p.Longitude - w, p.Latitude - w/2, p.Longitude + w*rng.Float64(), p.Latitude + w/2}
		}
	}
	if rng.IntN(4) == 0 {
		p := pick()
		w := textWords(p.Name + " " + p.Commune + " " + p.Summary)
		if len(w) > 0 {
			word := w[rng.IntN(len(w))]
			switch rng.IntN(4) {
			case 0: // a prefix
				q.Text = word[:1+rng.IntN(len(word))]
			case 1: // two words, the second a prefix
				second := w[rng.IntN(len(w))]
				q.Text = word + " " + second[:1+rng.IntN(len(second))]
			case 2: // as typed, with capitals and accents
				q.Text = p.Name
			default:
				q.Text = word
			}
		}
	}
	if rng.IntN(3) > 0 {
		q.Filters = map[string][]string{}
		fields := FilterFields()
		for range 1 + rng.IntN(3) {
			f := fields[rng.IntN(len(fields))]
			vals := FilterValues(f)
			for range 1 + rng.IntN(2) {
				q.Filters[f] = append(q.Filters[f], vals[rng.IntN(len(vals))])
			}
		}
	}
	if rng.IntN(3) == 0 {
		q.OpenAt = randomInstant(rng)
	}
	sorts := []string{"", SortName, SortFreshness}
	if q.Near != nil {
		sorts = append(sorts, SortDistance)
	}
	q.Sort = sorts[rng.IntN(len(sorts))]
	q.Limit = []int{0, 1, 3, 7, 20, 50}[rng.IntN(6)]
	return q
}

// randomInstant is an instant of 2024–2027, often a weekday's working
// hours, sometimes a public holiday or a change of clocks.
func randomInstant(rng *rand.Rand) time.Time {
	paris := territory.TimeZone("75056")
	special := []time.Time{
		time.Date(2025, 3, 30, 1, 59, 0, 0, time.UTC), time.Date(2025, 3, 30, 2, 30, 0, 0, paris),
		time.Date(2025, 10, 26, 2, 30, 0, 0, paris), time.Date(2025, 12, 25, 10, 0, 0, 0, paris),
		time.Date(2025, 12, 26, 10, 0, 0, 0, paris), time.Date(2026, 4, 3, 10, 0, 0, 0, paris), // Good Friday: Alsace-Moselle
		time.Date(2025, 12, 20, 10, 0, 0, 0, territory.TimeZone("97411")), time.Date(2026, 5, 27, 10, 0, 0, 0, territory.TimeZone("97101")),
		time.Date(2026, 1, 1, 0, 0, 0, 0, paris), time.Date(2026, 7, 14, 11, 0, 0, 0, paris),
	}
	if rng.IntN(4) == 0 {
		return special[rng.IntN(len(special))].Add(time.Duration(rng.IntN(120)-60) * time.Second)
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, paris).AddDate(0, 0, rng.IntN(4*365))
	return day.Add(time.Duration(7*60+rng.IntN(13*60))*time.Minute + time.Duration(rng.IntN(60))*time.Second)
}

func sameResult(got, want Result) error {
	if got.Total != want.Total {
		return fmt.Errorf("total %d, want %d", got.Total, want.Total)
	}
	if len(got.Hits) != len(want.Hits) {
		return fmt.Errorf("%d hits, want %d", len(got.Hits), len(want.Hits))
	}
	for i := range got.Hits {
		g, w := got.Hits[i], want.Hits[i]
		if g.Place != w.Place {
			return fmt.Errorf("hit %d: %s, want %s", i, g.Place.Place.ID, w.Place.Place.ID)
		}
		if g.DistanceM != w.DistanceM || g.State != w.State || !g.NextChange.Equal(w.NextChange) {
			return fmt.Errorf("hit %d (%s): %v %+v %v, want %v %+v %v", i, g.Place.Place.ID, g.DistanceM, g.State, g.NextChange, w.DistanceM, w.State, w.NextChange)
		}
	}
	if got.Next != want.Next {
		return fmt.Errorf("next %q, want %q", got.Next, want.Next)
	}
	return nil
}

// TestSameAsScan checks that the index returns exactly what the scanning
// implementation returns, page after page, for random queries on a
// synthetic set — with each way of answering a page forced in turn.
func TestSameAsScan(t *testing.T) {
	places := synthPlaces(6000, 7)
	ix := Build(places, time.Now())
	scan := buildScan(places)
	saved := tuning
	defer func() { tuning = saved }()
	modes := []struct {
		name                 string
		smallNear, walkShare int
	}{
		{"default", saved.smallNear, saved.walkShare},
		{"tree and walks", 0, 1 << 30},
		{"sorts", 1 << 30, 0},
	}
	queries := 400
	if testing.Short() {
		queries = 100
	}
	for _, m := range modes {
		tuning.smallNear, tuning.walkShare = m.smallNear, m.walkShare
		rng := rand.New(rand.NewPCG(1, 2))
		nonEmpty := 0
		for i := range queries {
			q := randomQuery(rng, places)
			now := randomInstant(rng)
			for page := 0; page < 3; page++ {
				want, werr := scan.Search(q, now)
				got, gerr := ix.Search(q, now)
				if (werr != nil) != (gerr != nil) {
					t.Fatalf("%s: query %d %+v: error %v, want %v", m.name, i, q, gerr, werr)
				}
				if werr != nil {
					break
				}
				if err := sameResult(got, want); err != nil {
					t.Fatalf("%s: query %d page %d %+v: %v", m.name, i, page, q, err)
				}
				if page == 0 && want.Total > 0 {
					nonEmpty++
				}
				if want.Next == "" {
					break
				}
				q.Cursor = want.Next
			}
		}
		// The queries must exercise the index, not only return nothing.
		if nonEmpty < queries/3 {
			t.Errorf("%s: only %d of %d queries found something", m.name, nonEmpty, queries)
		}
	}
}

// TestOpenSet checks the per-minute set of open places against the hours
// engine evaluated place by place: on many random instants, on runs of
// successive minutes (where a minute is derived from an earlier one),
// from each kind of base in turn, and from concurrent queries while the
// cache drops and reuses its sets.
func TestOpenSet(t *testing.T) {
	places := synthPlaces(3000, 11)
	ix := Build(places, time.Now())
	scan := buildScan(places)
	open := 0
	want := func(at time.Time) bitset {
		b := newBitset(ix.n)
		for p := range int32(ix.n) {
			d := &scan.docs[ix.orig[p]]
			if d.hours != nil && d.hours.State(at).Status == 1 { // hours.Open
				b.set(p)
				open++
			}
		}
		return b
	}
	check := func(what string, at time.Time, set bitset) {
		t.Helper()
		w := want(at)
		for p := range int32(ix.n) {
			if set.has(p) != w.has(p) {
				t.Fatalf("%s: %s at %s: open %v, want %v (%q)", what, ix.ids[p], at, set.has(p), w.has(p), places[ix.orig[p]].Place.OpeningHours)
			}
		}
	}
	// openSet is what a query keeps of every place.
	openSet := func(at time.Time) bitset {
		c := newBitset(ix.n)
		c.fillRange(0, int32(ix.n))
		ix.andOpen(c, at)
		return c
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		at := randomInstant(rng)
		check("random instant", at, openSet(at))
	}
	paris := territory.TimeZone("75056")
	check("before 1970", time.Date(1969, 7, 21, 10, 0, 30, 0, paris), openSet(time.Date(1969, 7, 21, 10, 0, 30, 0, paris)))
	// Successive minutes across openings and closings, a public holiday
	// and changes of clocks: each is mostly derived from the one before.
	for _, from := range []time.Time{
		time.Date(2026, 11, 24, 8, 25, 0, 0, paris), time.Date(2026, 11, 24, 11, 50, 0, 0, paris),
		time.Date(2026, 4, 2, 23, 40, 0, 0, paris), // into Good Friday (Alsace-Moselle)
		time.Date(2025, 3, 30, 0, 50, 0, 0, time.UTC), time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 23, 45, 0, 0, paris),
	} {
		for m := range 45 {
			at := from.Add(time.Duration(m)*time.Minute + 17*time.Second)
			check("successive minutes", at, openSet(at))
		}
	}
	// Each base, whatever its cost: none, every place with hours, and an
	// unrelated minute; the bitset written to holds garbage first.
	for range 60 {
		at := randomInstant(rng).Truncate(time.Minute)
		other := &openSlot{bits: newBitset(ix.n)}
		other.open = ix.computeOpen(randomInstant(rng), nil, other.bits)
		now := newBitset(ix.n)
		states := ix.computeOpen(at, nil, now)
		check("computed", at, now)
		for _, b := range []struct {
			name string
			base *openSlot
			full bool
		}{{"from no place", nil, false}, {"from every place", nil, true}, {"from another minute", other, false}} {
			dst := newBitset(ix.n)
			dst.fillRange(0, int32(ix.n)/2)
			ix.openFrom(states, b.base, b.full, dst)
			check(b.name, at, dst)
		}
	}
	if open == 0 {
		t.Fatal("no place was ever open")
	}
	// Concurrent queries over more minutes than the cache holds.
	minutes := make([]time.Time, 3*openCacheSlots)
	wants := make([]bitset, len(minutes))
	for i := range minutes {
		minutes[i] = time.Date(2026, 11, 24, 8, 50, 0, 0, paris).Add(time.Duration(i*7) * time.Minute)
		wants[i] = want(minutes[i])
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for range 150 {
				i := rng.IntN(len(minutes))
				if got := openSet(minutes[i].Add(time.Duration(rng.IntN(60)) * time.Second)); !slices.Equal(got, wants[i]) {
					t.Errorf("concurrent queries: the open set at %s differs", minutes[i])
					return
				}
			}
		})
	}
	wg.Wait()
	c := &ix.open
	if len(c.slots) > openCacheSlots || len(c.free) > openCacheFree {
		t.Fatalf("%d cached minutes, %d free sets: at most %d and %d", len(c.slots), len(c.free), openCacheSlots, openCacheFree)
	}
	for _, s := range c.slots {
		if s.users != 0 || s.bits == nil {
			t.Fatalf("minute %d: %d users, bits %v after the queries", s.minute, s.users, s.bits != nil)
		}
	}
}

// TestSynthPlaces checks that the generated set looks like what it claims.
func TestSynthPlaces(t *testing.T) {
	places := synthPlaces(5000, 1)
	ids := map[string]bool{}
	var withHours, atCentre, noCoord int
	for _, c := range places {
		p := c.Place
		if ids[p.ID] {
			t.Fatalf("duplicate id %s", p.ID)
		}
		ids[p.ID] = true
		if p.OpeningHours != "" {
			withHours++
		}
		if c.Precision == "commune" {
			atCentre++
		}
		if !p.HasCoordinates {
			noCoord++
		}
	}
	if withHours < 2500 || withHours > 4500 || atCentre < 300 || noCoord == 0 {
		t.Fatalf("hours %d, at the commune's centre %d, without coordinates %d", withHours, atCentre, noCoord)
	}
}

// TestTextTerms checks that the terms Build indexes for each place are
// the folded words of its name, commune and presentation, as the scanning
// implementation reads them, accents, apostrophes and odd spaces included.
func TestTextTerms(t *testing.T) {
	places := synthPlaces(2000, 13)
	places[0].Place.Name = "  L’Ŝpace  «Œuvre»\tdu  Numérique – e\u0301te\u0301 "
	places[1].Place.Summary = "-"
	places[2].Place.Description = "Ateliers\u00a0du mardi ; sur rendez-vous\n(gratuit)"
	ix := Build(places, time.Now())
	tx := &ix.text
	for p := range int32(ix.n) {
		pl := &places[ix.orig[p]].Place
		want := strings.Fields(fold.Key(pl.Name + " " + pl.Commune + " " + pl.Summary + " " + pl.Description))
		slices.Sort(want)
		want = slices.Compact(want)
		var got []string
		for _, r := range tx.docTerms[tx.docStart[p]:tx.docStart[p+1]] {
			got = append(got, tx.terms[r])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: terms %q, want %q", ix.ids[p], got, want)
		}
	}
}
