package merge

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"maillage"
)

func rec(source, id, name, addr, insee string, lat, lon float64) maillage.Record {
	return maillage.Record{Source: source, ID: id, Precision: maillage.PrecisionExact, Place: maillage.Place{
		ID: id, Name: name, Address: addr, INSEECode: insee, Latitude: lat, Longitude: lon, HasCoordinates: true}}
}

func together(cs []Cluster, a, b RecordRef) bool {
	for _, c := range cs {
		var ha, hb bool
		for _, m := range c.Members {
			ha = ha || m == a
			hb = hb || m == b
		}
		if ha || hb {
			return ha && hb
		}
	}
	return false
}

// TestIdentifiersMerge: records sharing a real identifier merge even when
// their names and points disagree; a SIRET at the same address too.
func TestIdentifiersMerge(t *testing.T) {
	recs := []maillage.Record{
		rec("cnfs", "62592a1d05457b0790816e6c", "Association l'espoir", "4 avenue de Saint-Menet", "13211", 43.28944, 5.49650),
		rec("hub", "mediation-numerique-conseiller-numerique-62592a1d05457b0790816e6c", "CHRS La Selonne", "", "13055", 43.2900, 5.4950),
		rec("france-services", "2883", "France services de Valserhône", "5-9 rue des Papetiers", "01033", 46.10607, 5.82601),
		rec("hub", "mediation-numerique-france-services-2883", "Maison France services", "rue des Papetiers", "01033", 46.1050, 5.8270),
		rec("a", "1", "Médiathèque Jean Moulin", "12 rue de la Gare", "69123", 45.75, 4.85),
		rec("b", "x", "Espace numérique", "12 rue de la Gare", "69123", 45.75005, 4.85005),
	}
	recs[4].Place.Pivot, recs[5].Place.Pivot = "21690123100011", "21690123100011"
	cs := Clusters(recs, nil, DefaultOptions())
	for _, p := range [][2]int{{0, 1}, {2, 3}, {4, 5}} {
		a, b := &recs[p[0]], &recs[p[1]]
		if !together(cs, RecordRef{Source: a.Source, ID: a.ID}, RecordRef{Source: b.Source, ID: b.ID}) {
			t.Errorf("%s/%s and %s/%s share an identifier but were not merged: %s", a.Source, a.ID, b.Source, b.ID, Explain(Compare(a, b)))
		}
	}
	if len(cs) != 3 {
		t.Errorf("%d clusters, want 3", len(cs))
	}
}

// TestNoChaining: A~B by a conseiller numérique id, B~C by a France
// Services id, A≁C (another kind of place, 300 km away): A and C stay
// apart, and B goes with the best match first.
func TestNoChaining(t *testing.T) {
	hex := "6388a6750830e306f21eef99"
	a := rec("cnfs", hex, "Médiathèque Jean Moulin", "1 place Bellecour", "69123", 45.7578, 4.8320)
	b := rec("hub", "mediation-numerique-france-services-77-conseiller-numerique-"+hex, "France services", "2 rue Paradis", "13055", 43.29, 5.38)
	c := rec("france-services", "77", "France services Marseille", "2 rue Paradis", "13055", 43.29, 5.38)
	recs := []maillage.Record{a, b, c}
	if s := Score(Compare(&a, &c)); s > 0.01 {
		t.Fatalf("A and C score %.3f; the test needs a clear non-match", s)
	}
	cs := Clusters(recs, nil, DefaultOptions())
	ra, rb, rc := RecordRef{Source: a.Source, ID: a.ID}, RecordRef{Source: b.Source, ID: b.ID}, RecordRef{Source: c.Source, ID: c.ID}
	if together(cs, ra, rc) {
		t.Fatalf("A and C merged through B: %+v", cs)
	}
	if !together(cs, ra, rb) && !together(cs, rb, rc) {
		t.Fatalf("B joined neither A nor C: %+v", cs)
	}
	// The model alone: B matches A and C, A does not match C.
	m1 := rec("s1", "1", "Espace numérique Victor Hugo", "10 rue Victor Hugo", "75056", 48.8600, 2.3400)
	m2 := rec("s2", "1", "Espace numérique Victor Hugo", "10 rue Victor Hugo", "75056", 48.8603, 2.3403)
	m3 := rec("s3", "1", "Espace numérique Victor Hugo", "14 rue Victor Hugo", "75056", 48.8626, 2.3426)
	for _, x := range []*maillage.Record{&m1, &m2, &m3} {
		x.Place.Telephone = "+33140000000"
	}
	m3.Place.Telephone = "+33149999999"
	s12, s23, s13 := Score(Compare(&m1, &m2)), Score(Compare(&m2, &m3)), Score(Compare(&m1, &m3))
	t.Logf("scores: 1~2 %.3f, 2~3 %.3f, 1~3 %.3f", s12, s23, s13)
	cs = Clusters([]maillage.Record{m1, m2, m3}, nil, DefaultOptions())
	if s13 < 0.35 && together(cs, RecordRef{Source: "s1", ID: "1"}, RecordRef{Source: "s3", ID: "1"}) {
		t.Errorf("1 and 3 (score %.3f) merged by transitivity: %+v", s13, cs)
	}
}

// TestDecisionsWin: an unlink separates records that share an identifier;
// a link joins records the model keeps apart; decisions on records that
// are gone are ignored.
func TestDecisionsWin(t *testing.T) {
	hex := "6388a6750830e306f21eef99"
	a := rec("cnfs", hex, "Médiathèque", "1 place Bellecour", "69123", 45.7578, 4.8320)
	b := rec("hub", "x-"+hex, "Médiathèque", "1 place Bellecour", "69123", 45.7578, 4.8320)
	c := rec("other", "9", "Fablab du port", "3 quai du Port", "13055", 43.29, 5.37)
	recs := []maillage.Record{a, b, c}
	ra, rb, rc := RecordRef{Source: a.Source, ID: a.ID}, RecordRef{Source: b.Source, ID: b.ID}, RecordRef{Source: c.Source, ID: c.ID}
	cs := Clusters(recs, []Decision{{A: ra, B: rb, Link: false}, {A: ra, B: rc, Link: true}, {A: ra, B: RecordRef{Source: "gone", ID: "1"}, Link: true}}, DefaultOptions())
	if together(cs, ra, rb) {
		t.Error("unlinked records merged")
	}
	if !together(cs, ra, rc) {
		t.Error("linked records apart")
	}
}

// TestDeterministic: shuffling the input gives the same clusters and ids.
func TestDeterministic(t *testing.T) {
	recs, _ := synthetic(20000, 7)
	first := Clusters(recs, nil, DefaultOptions())
	shuffled := append([]maillage.Record(nil), recs...)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	second := Clusters(shuffled, nil, DefaultOptions())
	if len(first) != len(second) {
		t.Fatalf("%d clusters, then %d", len(first), len(second))
	}
	for i := range first {
		if first[i].ID != second[i].ID || !reflect.DeepEqual(first[i].Members, second[i].Members) {
			t.Fatalf("cluster %d differs: %+v / %+v", i, first[i].Members, second[i].Members)
		}
	}
	// Stable ids: dropping a record that is not the smallest member keeps
	// the cluster's id.
	for _, c := range first {
		if len(c.Members) < 2 {
			continue
		}
		var kept []maillage.Record
		drop := c.Members[len(c.Members)-1]
		for _, r := range recs {
			if (RecordRef{Source: r.Source, ID: r.ID}) != drop {
				kept = append(kept, r)
			}
		}
		again := Clusters(kept, nil, DefaultOptions())
		for _, d := range again {
			if d.Members[0] == c.Members[0] && d.ID != c.ID {
				t.Fatalf("id changed from %s to %s", c.ID, d.ID)
			}
		}
		break
	}
}

// TestSyntheticQuality: on the synthetic set the clusters find most true
// pairs and few false ones (a smoke test of blocking and clustering).
func TestSyntheticQuality(t *testing.T) {
	recs, truth := synthetic(20000, 3)
	place := map[RecordRef]int{}
	for i, r := range recs {
		place[RecordRef{Source: r.Source, ID: r.ID}] = truth[i]
	}
	var tp, fp int
	for _, c := range Clusters(recs, nil, DefaultOptions()) {
		for i := range c.Members {
			for j := i + 1; j < len(c.Members); j++ {
				if place[c.Members[i]] == place[c.Members[j]] {
					tp++
				} else {
					fp++
				}
			}
		}
	}
	count := map[int]int{}
	for _, p := range truth {
		count[p]++
	}
	total := 0
	for _, n := range count {
		total += n * (n - 1) / 2
	}
	t.Logf("synthetic: %d true pairs, found %d, %d false", total, tp, fp)
	if float64(tp) < 0.8*float64(total) || float64(fp) > 0.05*float64(tp) {
		t.Errorf("synthetic: %d true pairs, found %d, %d false", total, tp, fp)
	}
}

func TestConsolidate(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	old := rec("hub", "1", "Médiathèque J. Moulin", "1 rue A", "69123", 45.0, 4.0)
	old.Place.UpdatedOn = day("2021-01-01")
	old.Place.Pivot = "21690123100011"
	old.Place.Telephone = "+33400000001"
	old.Place.Emails = []string{"a@ex.fr"}
	old.Place.Services = []maillage.Service{maillage.ServiceAccess}
	fresh := rec("cnfs", "2", "Médiathèque Jean Moulin", "2 rue B", "69123", 45.1, 4.1)
	fresh.Precision = maillage.PrecisionCommune
	fresh.Place.UpdatedOn = day("2023-01-01")
	fresh.Place.Pivot = "00000000000000"
	fresh.Place.Emails = []string{"A@ex.fr", "b@ex.fr"}
	fresh.Place.Services = []maillage.Service{maillage.ServiceAdministrative, maillage.ServiceAccess}
	trusted := rec("official", "3", "MÉDIATHÈQUE", "", "", 0, 0)
	trusted.Place.HasCoordinates = false
	trusted.Place.UpdatedOn = day("2020-01-01")
	c := Cluster{ID: "lieu-x", Members: []RecordRef{{Source: "cnfs", ID: "2"}, {Source: "hub", ID: "1"}, {Source: "official", ID: "3"}},
		Records: []*maillage.Record{&fresh, &old, &trusted}}

	got := Consolidate(c, nil)
	p := got.Place
	if p.Name != "Médiathèque Jean Moulin" || got.Fields["nom"].RecordID != "2" {
		t.Errorf("freshest name: %q from %+v", p.Name, got.Fields["nom"])
	}
	if p.Pivot != "21690123100011" || got.Fields["pivot"].Source != "hub" {
		t.Errorf("real SIRET over placeholder: %q", p.Pivot)
	}
	if p.Latitude != 45.0 || got.Fields["latitude"].Source != "hub" {
		t.Errorf("precise point over the commune's centre: %v from %+v", p.Latitude, got.Fields["latitude"])
	}
	if p.Address != "2 rue B" || got.Fields["adresse"].Source != "cnfs" {
		t.Errorf("address from the freshest: %q", p.Address)
	}
	if p.Telephone != "+33400000001" {
		t.Errorf("telephone from the only record that has one: %q", p.Telephone)
	}
	if !reflect.DeepEqual(p.Emails, []string{"A@ex.fr", "b@ex.fr"}) || len(got.Items["courriels"]) != 2 {
		t.Errorf("e-mails unioned: %v", p.Emails)
	}
	if !reflect.DeepEqual(p.Services, []maillage.Service{maillage.ServiceAdministrative, maillage.ServiceAccess}) {
		t.Errorf("services unioned: %v", p.Services)
	}
	if !p.UpdatedOn.Equal(day("2023-01-01")) || p.ID != "lieu-x" {
		t.Errorf("date %v id %s", p.UpdatedOn, p.ID)
	}
	// every field with a value has its provenance
	for _, f := range []string{"nom", "pivot", "adresse", "code_insee", "latitude", "longitude", "telephone", "date_maj", "courriels", "services"} {
		if got.Fields[f].Source == "" {
			t.Errorf("no provenance for %s", f)
		}
	}
	// trust order wins over freshness
	trustedGot := Consolidate(c, map[string]maillage.Source{"official": {Name: "official", Trust: 10}})
	if trustedGot.Place.Name != "MÉDIATHÈQUE" || trustedGot.Fields["nom"].Source != "official" {
		t.Errorf("trusted source's name: %q", trustedGot.Place.Name)
	}
	if trustedGot.Place.Latitude != 45.0 {
		t.Errorf("the trusted record has no point: the precise one stays")
	}
}

func TestExplain(t *testing.T) {
	a := rec("a", "1", "Médiathèque St Exupéry", "12 av. Victor Hugo", "69123", 45.75, 4.85)
	b := rec("b", "1", "MEDIATHEQUE SAINT-EXUPERY", "12 avenue Victor Hugo", "69123", 45.7501, 4.8501)
	f := Compare(&a, &b)
	s := Explain(f)
	if !strings.Contains(s, "nom") || !strings.Contains(s, "score") || Score(f) < 0.9 {
		t.Errorf("score %.3f:\n%s", Score(f), s)
	}
}
