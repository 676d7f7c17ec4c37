package search

import (
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"maillage"
	"maillage/territory"
)

// fixture is a small set of places whose answers are known by hand.
func fixture() []maillage.Consolidated {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	ps := []maillage.Consolidated{
		place("a", "Médiathèque de Mende", "48095", 44.518, 3.500, maillage.ServiceAdministrative),
		place("b", "France services Marvejols", "48092", 44.553, 3.291, maillage.ServiceAdministrative),
		place("c", "EPN Florac", "48061", 44.324, 3.593, maillage.ServiceLeisure),
		place("d", "Mairie de Langogne", "48080", 44.727, 3.855, maillage.ServiceAdministrative),
		place("e", "Espace numérique Vaugirard", "75115", 48.841, 2.300, maillage.ServiceEverydayTools),
		place("f", "Case numérique", "97411", -20.882, 55.450, maillage.ServiceAccess),
		place("g", "Atelier sans coordonnées", "69381", 0, 0, maillage.ServiceAccess),
		place("h", "Lieu hors territoire", "99999", 45.0, 2.0, maillage.ServiceAccess),
	}
	ps[6].Place.HasCoordinates = false
	ps[0].Place.Summary = "Aide aux démarches, accès libre aux ordinateurs."
	ps[0].Place.OpeningHours = "Mo-Fr 09:00-12:00"
	ps[5].Place.OpeningHours = "Mo-Fr 09:00-12:00"
	ps[3].Place.OpeningHours = "Mo-Fr 09:00-12:00 \"sur rendez-vous\"" // unknown, not open
	ps[4].Place.OpeningHours = "pas un horaire"
	ps[1].Place.Fees = []maillage.Fee{maillage.FeeFree}
	ps[2].Place.Fees = []maillage.Fee{maillage.FeePaid}
	ps[1].Place.Publics = []maillage.Public{maillage.PublicSeniors}
	ps[1].Place.SpecificSupport = []maillage.SpecificSupport{maillage.SupportDeafness}
	ps[1].Place.NationalPrograms = []maillage.NationalProgram{maillage.ProgramFranceServices}
	ps[0].Place.TrainingsLabels = []maillage.TrainingLabel{maillage.LabelMonEspaceSante}
	ps[3].Place.AccessModes = []maillage.AccessMode{maillage.AccessPhone}
	ps[2].Place.SupportModes = []maillage.SupportMode{maillage.SupportWorkshop}
	ps[2].Place.Itinerance = []maillage.Itinerance{maillage.Itinerant}
	ps[4].Place.Typologies = []maillage.Typology{"BIB"}
	for i := range ps {
		ps[i].Place.UpdatedOn = day("2025-01-01").AddDate(0, 0, i*((i%3)+1))
	}
	ps[7].Place.UpdatedOn = time.Time{}
	return ps
}

func ids(r Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Place.Place.ID)
	}
	return strings.Join(out, ",")
}

// sortedIDs is ids in alphabetical order, for criteria whose order is not
// the point.
func sortedIDs(r Result) string {
	out := strings.Split(ids(r), ",")
	slices.Sort(out)
	return strings.Join(out, ",")
}

func TestQueryFields(t *testing.T) {
	ix := Build(fixture(), time.Now())
	terr := territory.Default()
	mende, _ := terr.Commune("48095")
	paris := territory.TimeZone("75056")
	tuesday10 := time.Date(2026, 11, 24, 10, 0, 0, 0, paris) // 13:00 in La Réunion
	tuesday7 := time.Date(2026, 11, 24, 7, 0, 0, 0, paris)   // 10:00 in La Réunion
	var sameEPCI []string
	for _, p := range fixture() {
		if c, ok := terr.Commune(p.Place.INSEECode); ok && c.EPCI == mende.EPCI {
			sameEPCI = append(sameEPCI, p.Place.ID)
		}
	}
	filter := func(field string, values ...string) map[string][]string {
		return map[string][]string{field: values}
	}
	tests := []struct {
		name   string
		q      Query
		want   string
		sorted bool // compare as a set
	}{
		{"near", Query{Near: &Point{44.518, 3.500}, Limit: 4}, "a,b,c,d", false},
		{"radius 20 km", Query{Near: &Point{44.518, 3.500}, Radius: 20000}, "a,b", false},
		{"radius 1 m", Query{Near: &Point{44.518, 3.500}, Radius: 1}, "a", false},
		{"commune", Query{Commune: "48095"}, "a", true},
		{"arrondissement", Query{Commune: "75115"}, "e", true},
		{"commune of an arrondissement", Query{Commune: "75056"}, "e", true},
		{"commune of Lyon", Query{Commune: "69123"}, "g", true},
		{"epci", Query{EPCI: mende.EPCI}, strings.Join(sameEPCI, ","), true},
		{"departement", Query{Departement: "48"}, "a,b,c,d", true},
		{"departement overseas", Query{Departement: "974"}, "f", true},
		{"region", Query{Region: mende.Region}, "a,b,c,d", true},
		{"departement and region that disagree", Query{Departement: "48", Region: "11"}, "", true},
		{"bbox", Query{BBox: &BBox{MinLon: 2.2, MinLat: 48.8, MaxLon: 2.4, MaxLat: 48.9}}, "e", true},
		{"bbox edges are inside", Query{BBox: &BBox{MinLon: 3.5, MinLat: 44.518, MaxLon: 3.5, MaxLat: 44.518}}, "a", true},
		{"text, case and accents", Query{Text: "MEDIATHEQUE"}, "a", true},
		{"text prefix", Query{Text: "médiath"}, "a", true},
		{"text in the commune", Query{Text: "marvej"}, "b", true},
		{"text in the presentation", Query{Text: "démarches"}, "a", true},
		{"text, two words, last a prefix", Query{Text: "services fr"}, "b", true},
		{"text, first word not a prefix", Query{Text: "serv france"}, "", true},
		{"text, nothing", Query{Text: "zzz"}, "", true},
		{"text of punctuation only", Query{Text: "« ! »", Departement: "48"}, "a,b,c,d", true},
		{"services, one value", Query{Filters: filter("services", string(maillage.ServiceAdministrative))}, "a,b,d", true},
		{"services, two values (or)", Query{Filters: filter("services", string(maillage.ServiceLeisure), string(maillage.ServiceEverydayTools))}, "c,e", true},
		{"two fields (and)", Query{Filters: map[string][]string{"services": {string(maillage.ServiceAdministrative)}, "frais_a_charge": {string(maillage.FeeFree)}}}, "b", true},
		{"frais_a_charge", Query{Filters: filter("frais_a_charge", string(maillage.FeePaid))}, "c", true},
		{"publics_specifiquement_adresses", Query{Filters: filter("publics_specifiquement_adresses", string(maillage.PublicSeniors))}, "b", true},
		{"prise_en_charge_specifique", Query{Filters: filter("prise_en_charge_specifique", string(maillage.SupportDeafness))}, "b", true},
		{"dispositif_programmes_nationaux", Query{Filters: filter("dispositif_programmes_nationaux", string(maillage.ProgramFranceServices))}, "b", true},
		{"formations_labels", Query{Filters: filter("formations_labels", string(maillage.LabelMonEspaceSante))}, "a", true},
		{"modalites_acces", Query{Filters: filter("modalites_acces", string(maillage.AccessPhone))}, "d", true},
		{"modalites_accompagnement", Query{Filters: filter("modalites_accompagnement", string(maillage.SupportWorkshop))}, "c", true},
		{"itinerance", Query{Filters: filter("itinerance", string(maillage.Itinerant))}, "c", true},
		{"typologie", Query{Filters: filter("typologie", "BIB")}, "e", true},
		{"a field without values sets no condition", Query{Filters: map[string][]string{"services": nil}, Departement: "48"}, "a,b,c,d", true},
		{"open, Paris morning", Query{OpenAt: tuesday10}, "a", true},
		{"open, La Réunion morning", Query{OpenAt: tuesday7}, "f", true},
		{"open on Sunday", Query{OpenAt: tuesday10.AddDate(0, 0, 5)}, "", true},
		{"sort by name", Query{Departement: "48"}, "c,b,d,a", false},
		{"sort by name, explicit", Query{Departement: "48", Sort: SortName, Near: &Point{44.518, 3.500}}, "c,b,d,a", false},
		{"sort by freshness", Query{Sort: SortFreshness}, "f,e,c,g,d,b,a,h", false}, // c and g tie: by id,
		{"limit", Query{Departement: "48", Limit: 2}, "c,b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(tt.q, tuesday10)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(r)
			if tt.sorted {
				got = sortedIDs(r)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if r.Total < len(r.Hits) || (r.Next == "") != (r.Total == len(r.Hits)) {
				t.Fatalf("total %d, %d hits, next %q", r.Total, len(r.Hits), r.Next)
			}
		})
	}
}

// TestHitFields checks what each hit carries: its distance and its state.
func TestHitFields(t *testing.T) {
	ix := Build(fixture(), time.Now())
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, territory.TimeZone("75056"))
	r, err := ix.Search(Query{Near: &Point{44.518, 3.500}, Limit: 2}, at)
	if err != nil {
		t.Fatal(err)
	}
	a, b := r.Hits[0], r.Hits[1]
	if a.DistanceM != 0 || math.Abs(b.DistanceM-territory.Distance(44.518, 3.500, 44.553, 3.291)*1000) > 1e-6 || b.DistanceM < 15000 || b.DistanceM > 20000 {
		t.Fatalf("distances %v %v", a.DistanceM, b.DistanceM)
	}
	if a.State.Status.String() == b.State.Status.String() {
		t.Fatalf("a is open at 10:00 and b has no hours: %v %v", a.State, b.State)
	}
	if want := time.Date(2026, 11, 24, 12, 0, 0, 0, territory.TimeZone("75056")); !a.NextChange.Equal(want) {
		t.Fatalf("a closes at %v, want %v", a.NextChange, want)
	}
	r, _ = ix.Search(Query{Departement: "48"}, at)
	for _, h := range r.Hits {
		if h.DistanceM != -1 {
			t.Fatalf("%s: distance %v without a point", h.Place.Place.ID, h.DistanceM)
		}
	}
}

// TestPagesFollowTheOrder pages through every sort one hit at a time.
func TestPagesFollowTheOrder(t *testing.T) {
	ix := Build(fixture(), time.Now())
	for _, q := range []Query{{Sort: SortName}, {Sort: SortFreshness}, {Near: &Point{45, 3}}, {Near: &Point{45, 3}, Sort: SortName}} {
		all, err := ix.Search(Query{Near: q.Near, Sort: q.Sort, Limit: MaxLimit}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var paged []string
		q.Limit = 1
		for range 20 {
			r, err := ix.Search(q, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != all.Total {
				t.Fatalf("%+v: total %d, want %d", q, r.Total, all.Total)
			}
			paged = append(paged, ids(r))
			if r.Next == "" {
				break
			}
			q.Cursor = r.Next
		}
		if got := strings.Join(paged, ","); got != ids(all) {
			t.Fatalf("%+v: pages %s, want %s", q, got, ids(all))
		}
	}
}

func TestInvalidQueries(t *testing.T) {
	ix := Build(fixture(), time.Now())
	good, _ := ix.Search(Query{Sort: SortName, Limit: 1}, time.Now())
	tests := []struct {
		param string
		q     Query
	}{
		{"lat", Query{Near: &Point{91, 0}}},
		{"lat", Query{Near: &Point{math.NaN(), 0}}},
		{"lon", Query{Near: &Point{45, -181}}},
		{"lon", Query{Near: &Point{45, math.Inf(1)}}},
		{"rayon", Query{Near: &Point{45, 3}, Radius: -1}},
		{"rayon", Query{Near: &Point{45, 3}, Radius: math.NaN()}},
		{"rayon", Query{Radius: 1000}},
		{"commune", Query{Commune: "99999"}},
		{"commune", Query{Commune: "Mende"}},
		{"epci", Query{EPCI: "123"}},
		{"departement", Query{Departement: "00"}},
		{"region", Query{Region: "99"}},
		{"bbox", Query{BBox: &BBox{MinLon: 3, MinLat: 45, MaxLon: 2, MaxLat: 46}}},
		{"bbox", Query{BBox: &BBox{MinLon: 2, MinLat: 46, MaxLon: 3, MaxLat: 45}}},
		{"bbox", Query{BBox: &BBox{MinLon: -200, MinLat: 45, MaxLon: 3, MaxLat: 46}}},
		{"bbox", Query{BBox: &BBox{MinLon: 2, MinLat: math.NaN(), MaxLon: 3, MaxLat: 46}}},
		{"q", Query{Text: strings.Repeat("é", MaxTextLength+1)}},
		{"cuisine", Query{Filters: map[string][]string{"cuisine": {"française"}}}},
		{"services", Query{Filters: map[string][]string{"services": {"Cuisine"}}}},
		{"frais_a_charge", Query{Filters: map[string][]string{"frais_a_charge": {"gratuit"}}}},
		{"ouvert", Query{OpenAt: time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"tri", Query{Sort: "prix"}},
		{"tri", Query{Sort: SortDistance}},
		{"limite", Query{Limit: -1}},
		{"limite", Query{Limit: MaxLimit + 1}},
		{"curseur", Query{Cursor: "n'importe quoi"}},
		{"curseur", Query{Sort: SortFreshness, Cursor: good.Next}}, // a cursor of another sort
		{"curseur", Query{Near: &Point{45, 3}, Cursor: good.Next}},
	}
	for _, tt := range tests {
		_, err := ix.Search(tt.q, time.Now())
		if !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%+v: %v, want an invalid query", tt.q, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.param+" : ") {
			t.Errorf("%+v: %q does not name %q", tt.q, err, tt.param)
		}
		if verr := tt.q.Validate(); verr == nil || verr.Error() != err.Error() {
			t.Errorf("%+v: Validate says %v, Search %v", tt.q, verr, err)
		}
	}
	if err := (Query{Near: &Point{45, 3}, Radius: 5000, Commune: "48095", Text: "mende", Sort: SortFreshness}).Validate(); err != nil {
		t.Errorf("a valid query: %v", err)
	}
}

// TestPagesAcrossReimports pages through results while the served index
// changes between pages: no place is given twice, and every place of
// both indexes that matches is given.
func TestPagesAcrossReimports(t *testing.T) {
	base := synthPlaces(3000, 5)
	var a, b []maillage.Consolidated
	for i, p := range base {
		if i%7 != 0 {
			a = append(a, p)
		}
		if i%5 != 0 {
			b = append(b, p)
		}
	}
	for _, p := range synthPlaces(300, 6) {
		p.Place.ID = "nouveau-" + p.Place.ID
		b = append(b, p)
	}
	ixA, ixB := Build(a, time.Now()), Build(b, time.Now())
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, territory.TimeZone("75056"))
	queries := []Query{
		{Near: &Point{48.85, 2.35}, Filters: map[string][]string{"frais_a_charge": {string(maillage.FeeFree)}}, Radius: 60000},
		{Region: "84"},
		{Region: "11", Sort: SortFreshness},
		{Departement: "59", Near: &Point{50.63, 3.06}, Sort: SortName},
		{Text: "médiathèque", Region: "76", OpenAt: now},
	}
	for qi, q := range queries {
		inBoth := map[string]bool{}
		resA, _ := ixA.Search(Query{Near: q.Near, Radius: q.Radius, Region: q.Region, Departement: q.Departement, Text: q.Text, Filters: q.Filters, OpenAt: q.OpenAt, Sort: q.Sort, Limit: MaxLimit}, now)
		resB, _ := ixB.Search(Query{Near: q.Near, Radius: q.Radius, Region: q.Region, Departement: q.Departement, Text: q.Text, Filters: q.Filters, OpenAt: q.OpenAt, Sort: q.Sort, Limit: MaxLimit}, now)
		if resA.Next != "" || resB.Next != "" || resA.Total < 20 {
			t.Fatalf("query %d: pick a query with between 20 and %d results (%d, %d)", qi, MaxLimit, resA.Total, resB.Total)
		}
		for _, h := range resA.Hits {
			inBoth[h.Place.Place.ID] = true
		}
		both := 0
		for _, h := range resB.Hits {
			if inBoth[h.Place.Place.ID] {
				both++
			}
		}
		for _, concurrent := range []bool{false, true} {
			var live Live
			live.Store(ixA)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var swaps atomic.Int64
			if concurrent {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						if i%2 == 0 {
							live.Store(ixB)
						} else {
							live.Store(ixA)
						}
						swaps.Add(1)
						time.Sleep(10 * time.Microsecond)
					}
				}()
			}
			seen := map[string]int{}
			q := q
			q.Limit = 7
			for page := 0; page < 1000; page++ {
				if !concurrent { // alternate deterministically
					if page%2 == 0 {
						live.Store(ixA)
					} else {
						live.Store(ixB)
					}
				}
				r, err := live.Load().Search(q, now)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range r.Hits {
					seen[h.Place.Place.ID]++
				}
				if r.Next == "" {
					break
				}
				q.Cursor = r.Next
			}
			close(stop)
			wg.Wait()
			for id, n := range seen {
				if n > 1 {
					t.Fatalf("query %d (concurrent %v): %s given %d times", qi, concurrent, id, n)
				}
			}
			found := 0
			for _, h := range resB.Hits {
				if inBoth[h.Place.Place.ID] {
					if seen[h.Place.Place.ID] == 0 {
						t.Fatalf("query %d (concurrent %v): %s is in both indexes but was lost", qi, concurrent, h.Place.Place.ID)
					}
					found++
				}
			}
			if found != both || both < 10 {
				t.Fatalf("query %d: %d of %d places of both indexes", qi, found, both)
			}
			if concurrent && swaps.Load() == 0 {
				t.Logf("query %d: the index was not swapped while paging", qi)
			}
		}
	}
}
