package stats

import (
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/internal/fixture"
	"maillage/schema"
	"maillage/sources"
	"maillage/tabular"
	"maillage/territory"
)

// demoReport computes the indicators of the demo sources' consolidated
// places (real places) on the real territory.
func demoReport(t testing.TB) (*Report, []maillage.Consolidated) {
	t.Helper()
	places, _, err := fixture.DemoPlaces()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compute(places, territory.Default(), Options{Reference: fixture.Now})
	if err != nil {
		t.Fatal(err)
	}
	return r, places
}

// TestRealPopulations checks that the populations add up: the communes
// (arrondissements excluded) of each département, EPCI and région sum to
// the reference data's own figure, and France is the sum of its régions.
func TestRealPopulations(t *testing.T) {
	r, _ := demoReport(t)
	terr := territory.Default()
	for _, d := range terr.Departements() {
		x := get(t, r, LevelDepartement, d.Code)
		sum := 0
		for _, c := range r.Children(x.Ref) {
			sum += c.Population
		}
		if sum != d.Population || x.Population != d.Population {
			t.Errorf("département %s: communes sum to %d, indicators say %d, reference %d", d.Code, sum, x.Population, d.Population)
		}
	}
	// The EPCI file's own populations are of another vintage than the
	// communes' (they differ by up to a few per cent): an EPCI's
	// population is that of its member communes.
	for _, e := range terr.EPCIs() {
		sum := 0
		for _, code := range e.Communes {
			c, ok := terr.Commune(code)
			if !ok {
				t.Fatalf("EPCI %s: unknown member %s", e.Siren, code)
			}
			sum += c.Population
		}
		if x := get(t, r, LevelEPCI, e.Siren); x.Population != sum || x.Communes != len(e.Communes) {
			t.Errorf("EPCI %s: %d inhabitants in %d communes, members %d in %d", e.Siren, x.Population, x.Communes, sum, len(e.Communes))
		}
	}
	total := 0
	for _, g := range terr.Regions() {
		x := get(t, r, LevelRegion, g.Code)
		if x.Population != g.Population {
			t.Errorf("région %s: %d, reference %d", g.Code, x.Population, g.Population)
		}
		total += x.Population
	}
	if fr := get(t, r, LevelFrance, ""); fr.Population != total || total < 60_000_000 {
		t.Errorf("France: %d, régions sum to %d", fr.Population, total)
	}
	// Paris holds its arrondissements' population, once.
	paris := get(t, r, LevelCommune, "75056")
	sum := 0
	for _, a := range r.Children(paris.Ref) {
		sum += a.Population
	}
	if len(r.Children(paris.Ref)) != 20 || sum != paris.Population {
		t.Errorf("Paris: %d arrondissements summing to %d, commune %d", len(r.Children(paris.Ref)), sum, paris.Population)
	}
}

// TestRealPlacesAddUp checks that every place is counted once per level.
func TestRealPlacesAddUp(t *testing.T) {
	r, places := demoReport(t)
	fr := get(t, r, LevelFrance, "")
	if fr.Places != len(places) {
		t.Errorf("France: %d places, want %d", fr.Places, len(places))
	}
	for _, level := range []Level{LevelRegion, LevelDepartement} {
		sum := 0
		for _, x := range r.Level(level) {
			sum += x.Places
		}
		if sum+fr.Unlocated != len(places) {
			t.Errorf("%s: places sum to %d + %d unlocated, want %d", level, sum, fr.Unlocated, len(places))
		}
	}
	communes := 0
	for _, x := range r.Level(LevelCommune) {
		communes += x.Places * x.Communes // arrondissements (0 communes) are in their commune already
	}
	if communes+fr.Unlocated != len(places) {
		t.Errorf("communes: %d + %d unlocated, want %d", communes, fr.Unlocated, len(places))
	}
}

// TestRealNearestDistances checks that every commune with a centre has a
// distance for every service some place offers, and that it is the
// nearest one, against a scan of every place for a sample of communes.
func TestRealNearestDistances(t *testing.T) {
	r, places := demoReport(t)
	terr := territory.Default()
	offered := map[maillage.Service]bool{"": true}
	for _, p := range places {
		for _, s := range p.Place.Services {
			offered[s] = true
		}
	}
	if len(offered) < 5 {
		t.Fatalf("demo places offer only %d services", len(offered)-1)
	}
	themes := append([]maillage.Service{""}, maillage.Services...)
	rng := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for _, c := range terr.Communes() {
		if c.IsArrondissement() || !c.HasCentroid {
			continue
		}
		sample := rng.IntN(200) == 0
		for _, s := range themes {
			km, ok := r.NearestKm(c.Code, s)
			if !ok {
				t.Fatalf("commune %s: no distance", c.Code)
			}
			if math.IsInf(km, 1) != !offered[s] {
				t.Errorf("commune %s, service %q: distance %v though offered = %v", c.Code, s, km, offered[s])
			}
			if !sample || !offered[s] {
				continue
			}
			checked++
			best := math.Inf(1)
			for _, p := range places {
				if s != "" && !hasService(&p.Place, s) {
					continue
				}
				lat, lon, ok := p.Place.Latitude, p.Place.Longitude, p.Place.HasCoordinates
				if !ok {
					lat, lon, ok = terr.Centroid(p.Place.INSEECode)
				}
				if ok {
					best = min(best, territory.Distance(c.Lat, c.Lon, lat, lon))
				}
			}
			if math.Abs(best-km) > 0.005 {
				t.Errorf("commune %s, service %q: %v km, a scan finds %v km", c.Code, s, km, best)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d distances checked by a scan", checked)
	}
}

func hasService(p *maillage.Place, s maillage.Service) bool {
	for _, x := range p.Services {
		if x == s {
			return true
		}
	}
	return false
}

// TestNearestIndexAgainstScan checks the k-d tree on random points over
// the whole globe, duplicates included.
func TestNearestIndexAgainstScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 7, 100, 3000} {
		var pts []kdPoint
		for i := 0; i < n; i++ {
			lat, lon := rng.Float64()*180-90, rng.Float64()*360-180
			if i%5 == 4 { // a duplicate of the previous point
				lat, lon = pts[i-1].lat, pts[i-1].lon
			}
			pts = append(pts, kdPoint{v: unitVector(lat, lon), lat: lat, lon: lon})
		}
		scan := append([]kdPoint(nil), pts...)
		ix := newNearestIndex(pts)
		for q := 0; q < 300; q++ {
			lat, lon := rng.Float64()*180-90, rng.Float64()*360-180
			best := math.Inf(1)
			for _, p := range scan {
				best = min(best, territory.Distance(lat, lon, p.lat, p.lon))
			}
			got, ok := ix.nearest(lat, lon)
			if !ok || math.Abs(got-best) > 0.01 {
				t.Fatalf("n=%d: nearest(%v, %v) = %v, scan %v", n, lat, lon, got, best)
			}
		}
	}
	var empty *nearestIndex
	if _, ok := empty.nearest(45, 2); ok {
		t.Error("nearest on an empty index found something")
	}
}

// syntheticPlaces returns n places in real communes drawn in proportion
// to their population, near their centre, with a mix of services,
// programmes, hours, pivots and dates.
func syntheticPlaces(n int, seed uint64) []maillage.Consolidated {
	terr := territory.Default()
	var communes []*territory.Commune
	var cum []int
	total := 0
	for _, c := range terr.Communes() {
		if c.IsArrondissement() || !c.HasCentroid {
			continue
		}
		total += c.Population + 200 // small communes get places too
		communes = append(communes, c)
		cum = append(cum, total)
	}
	hours := []string{"Mo-Fr 09:00-12:00,14:00-17:00", "Tu-Sa 10:00-18:00", "Mo,We,Fr 14:00-18:00; Sa 09:00-12:00", "We 14:00-19:30", "", "Lundi matin"}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	ref := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	out := make([]maillage.Consolidated, n)
	for i := range out {
		k := rng.IntN(total)
		lo, hi := 0, len(cum)
		for lo < hi {
			m := (lo + hi) / 2
			if cum[m] <= k {
				lo = m + 1
			} else {
				hi = m
			}
		}
		c := communes[lo]
		p := maillage.Place{
			ID: "s" + string(rune('a'+i%26)), INSEECode: c.Code,
			Latitude: c.Lat + rng.NormFloat64()*0.02, Longitude: c.Lon + rng.NormFloat64()*0.02, HasCoordinates: true,
			OpeningHours: hours[rng.IntN(len(hours))],
			UpdatedOn:    ref.AddDate(0, 0, -rng.IntN(900)),
		}
		for _, s := range maillage.Services {
			if rng.IntN(3) == 0 {
				p.Services = append(p.Services, s)
			}
		}
		if rng.IntN(10) == 0 {
			p.NationalPrograms = []maillage.NationalProgram{maillage.NationalPrograms[rng.IntN(len(maillage.NationalPrograms))]}
		}
		if rng.IntN(3) == 0 {
			p.Pivot = "13002526500013"
		}
		prec := "exact"
		if rng.IntN(5) == 0 {
			prec = "commune"
		}
		out[i] = maillage.Consolidated{Place: p, Precision: prec}
	}
	return out
}

// BenchmarkComputeDemo computes every indicator of every territory for
// the demo sources' consolidated places (real places) on the real
// territory (~35,000 communes).
func BenchmarkComputeDemo(b *testing.B) {
	places, _, err := fixture.DemoPlaces()
	if err != nil {
		b.Fatal(err)
	}
	benchCompute(b, places)
}

// BenchmarkComputeNational computes every indicator for 25,000 synthetic
// places, the size of the national consolidated data (~20,000 places).
func BenchmarkComputeNational(b *testing.B) { benchCompute(b, syntheticPlaces(25_000, 7)) }

// BenchmarkComputeMillion computes every indicator for 1,000,000
// synthetic places.
func BenchmarkComputeMillion(b *testing.B) { benchCompute(b, syntheticPlaces(1_000_000, 8)) }

func benchCompute(b *testing.B, places []maillage.Consolidated) {
	terr := territory.Default()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(places, terr, Options{Reference: fixture.Now}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(places)), "places")
}

// schemaPlaces reads every place of the real files already in the
// national schema (../shared/data/lieux_schema: the national conseillers
// numériques list of 2022 and regional lists, about 4,800 places over the
// whole country), each as its own consolidated place: not merged, but
// real in where the places are, what they offer and how their data is
// filled. It skips when the shared data is absent.
func schemaPlaces(tb testing.TB) []maillage.Consolidated {
	tb.Helper()
	const dir = "../../shared/data/"
	var out []maillage.Consolidated
	for _, s := range sources.Samples {
		if !strings.HasPrefix(s.File, "lieux_schema/") {
			continue
		}
		f, err := os.Open(dir + s.File)
		if err != nil {
			tb.Skipf("../shared/data absent: %v", err)
		}
		r, err := schema.NewReader(f, filepath.Base(s.File), territory.Default(), tabular.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				tb.Fatal(err)
			}
			if !rec.Valid() {
				continue
			}
			c := maillage.Consolidated{Place: rec.Place, Precision: maillage.PrecisionExact}
			if !c.Place.HasCoordinates {
				c.Precision = maillage.PrecisionCommune
			}
			c.Place.ID = s.Source + "/" + c.Place.ID
			out = append(out, c)
		}
		f.Close()
	}
	return out
}

// TestRealSchemaPlaces checks the invariants on the real schema files:
// every place counted once per level, a distance for every commune.
func TestRealSchemaPlaces(t *testing.T) {
	places := schemaPlaces(t)
	if len(places) < 3000 {
		t.Fatalf("%d places read from lieux_schema", len(places))
	}
	r, err := Compute(places, territory.Default(), Options{Reference: fixture.Now})
	if err != nil {
		t.Fatal(err)
	}
	fr := get(t, r, LevelFrance, "")
	sum := 0
	for _, x := range r.Level(LevelDepartement) {
		sum += x.Places
	}
	if fr.Places != len(places) || sum+fr.Unlocated != len(places) {
		t.Errorf("France %d, départements %d + %d unlocated, want %d", fr.Places, sum, fr.Unlocated, len(places))
	}
	for _, c := range territory.Default().Communes() {
		if km, ok := r.NearestKm(c.Code, ""); c.HasCentroid && !c.IsArrondissement() && (!ok || math.IsInf(km, 1)) {
			t.Fatalf("commune %s: no distance", c.Code)
		}
	}
	// The conseillers numériques cover the whole country: most people
	// live within 20 km of a place.
	if s := fr.Access.Within[2].Share; s == nil || *s < 0.5 {
		t.Errorf("share of the population within 20 km = %v", s)
	}
}

// BenchmarkComputeRealSchema computes every indicator for the real
// places of the schema files (see schemaPlaces).
func BenchmarkComputeRealSchema(b *testing.B) { benchCompute(b, schemaPlaces(b)) }

// BenchmarkComputeAndExportAll computes the indicators of 25,000
// synthetic places and then builds and writes every territory of every
// level as CSV (what serving all of them costs on top of Compute).
func BenchmarkComputeAndExportAll(b *testing.B) {
	places := syntheticPlaces(25_000, 9)
	terr := territory.Default()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Compute(places, terr, Options{Reference: fixture.Now})
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range Levels {
			if err := r.WriteCSV(io.Discard, l); err != nil {
				b.Fatal(err)
			}
		}
	}
}
