package stats

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/territory"
)

// tinyTerritory loads testdata: communes A (01001, 1,000 inhabitants,
// 45.00° N), B (01002, 3,000, 45.09° N), C (01003, 500, 45.20° N) in
// département 01 and EPCI 200000001; D (02001, 6,000, 45.50° N) in
// département 02; all four on the meridian 2° E in région 84. Paris
// (75056, 10,000) with arrondissements 75101 (4,000) and 75102 (6,000),
// région 11. One degree of latitude is 6371.0088 × π / 180 = 111.1951 km.
func tinyTerritory(t *testing.T) *territory.Data {
	t.Helper()
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	d, err := territory.Load(territory.Sources{
		Communes:     open("communes.tsv"),
		EPCI:         open("epci.tsv"),
		Departements: open("departements.tsv"),
		Regions:      open("regions.tsv"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// reference is a Tuesday; the hours are measured over the week of Monday
// 16 March 2026, which has no public holiday and no clock change.
var reference = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// tinyPlaces are four places:
//
//	p1 at A's centre, Aide aux démarches administratives + Accès internet,
//	   France Services, a real SIRET, exact coordinates, Mo-Fr 30 h a week,
//	   updated one month before the reference;
//	p2 at B's centre, Maîtrise des outils du quotidien, Conseillers
//	   numériques, placeholder SIRET, exact, Saturday 10:00-19:00 (9 h,
//	   Saturday and evening), updated 8 months before;
//	p3 in Paris 2e (75102) without coordinates (so at Paris's centre),
//	   Aide aux démarches administratives, Formé à « Mon Espace Santé »,
//	   commune precision, invalid hours, updated 2 years before;
//	p4 without code_insee at D's centre, Accès internet, exact, 24/7
//	   (168 h, Saturday and evening), no date.
func tinyPlaces() []maillage.Consolidated {
	mk := func(id, insee string, lat, lon float64, precision string, services ...maillage.Service) maillage.Consolidated {
		return maillage.Consolidated{Precision: precision, Place: maillage.Place{
			ID: id, Name: id, INSEECode: insee, Latitude: lat, Longitude: lon, HasCoordinates: lat != 0, Services: services,
		}}
	}
	p1 := mk("p1", "01001", 45.00, 2.0, "exact", maillage.ServiceAdministrative, maillage.ServiceAccess)
	p1.Place.NationalPrograms = []maillage.NationalProgram{maillage.ProgramFranceServices}
	p1.Place.Pivot = "130 025 265 00013"
	p1.Place.OpeningHours = "Mo-Fr 09:00-12:00,14:00-17:00"
	p1.Place.UpdatedOn = reference.AddDate(0, -1, 0)
	p2 := mk("p2", "01002", 45.09, 2.0, "exact", maillage.ServiceEverydayTools)
	p2.Place.NationalPrograms = []maillage.NationalProgram{maillage.ProgramConseillersNum}
	p2.Place.Pivot = "00000000000000"
	p2.Place.OpeningHours = "Sa 10:00-19:00"
	p2.Place.UpdatedOn = reference.AddDate(0, -8, 0)
	p3 := mk("p3", "75102", 0, 0, "commune", maillage.ServiceAdministrative)
	p3.Place.TrainingsLabels = []maillage.TrainingLabel{maillage.LabelMonEspaceSante}
	p3.Place.OpeningHours = "du lundi au vendredi"
	p3.Place.UpdatedOn = reference.AddDate(-2, 0, 0)
	p4 := mk("p4", "", 45.50, 2.0, "exact", maillage.ServiceAccess)
	p4.Place.OpeningHours = "24/7"
	return []maillage.Consolidated{p1, p2, p3, p4}
}

func tinyReport(t *testing.T) *Report {
	t.Helper()
	r, err := Compute(tinyPlaces(), tinyTerritory(t), Options{Reference: reference})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func get(t *testing.T, r *Report, level Level, code string) *Territory {
	t.Helper()
	x, ok := r.Territory(level, code)
	if !ok {
		t.Fatalf("%s %s: not found", level, code)
	}
	return x
}

// eq checks a nullable figure; want NaN means nil.
func eq(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	switch {
	case math.IsNaN(want) && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case math.IsNaN(want):
	case got == nil:
		t.Errorf("%s = null, want %v", what, want)
	case math.Abs(*got-want) > 1e-9:
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func eqInt(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}

var null = math.NaN()

func service(x *Territory, s maillage.Service) *ServiceFigures {
	for i := range x.Services {
		if x.Services[i].Service == string(s) {
			return &x.Services[i]
		}
	}
	panic("no service " + s)
}

func label(x *Territory, l string) int {
	for _, f := range x.Labels {
		if f.Label == l {
			return f.Places
		}
	}
	panic("no label " + l)
}

func TestCountsAndRatios(t *testing.T) {
	r := tinyReport(t)
	a := get(t, r, LevelCommune, "01001")
	eqInt(t, "A places", a.Places, 1)
	eq(t, "A places per 10k", a.PlacesPer10k, 10) // 1 × 10,000 / 1,000
	epci := get(t, r, LevelEPCI, "200000001")
	eqInt(t, "EPCI population", epci.Population, 4500)
	eqInt(t, "EPCI communes", epci.Communes, 3)
	eqInt(t, "EPCI places", epci.Places, 2)
	eq(t, "EPCI per 10k", epci.PlacesPer10k, 4.44) // 2 × 10,000 / 4,500 = 4.444
	if epci.Parents[0].Code != "01" || epci.Parents[1].Code != "84" || epci.Parents[2].Code != FranceCode {
		t.Errorf("EPCI parents = %v, want 01, 84, fr", epci.Parents)
	}
	d := get(t, r, LevelDepartement, "02")
	eqInt(t, "02 places", d.Places, 0) // p4 has no code_insee
	eq(t, "02 per 10k", d.PlacesPer10k, 0)
	fr := get(t, r, LevelFrance, "")
	eqInt(t, "France population", fr.Population, 20500) // 4,500 + 6,000 + 10,000: arrondissements not added again
	eqInt(t, "France communes", fr.Communes, 5)
	eqInt(t, "France places", fr.Places, 4)
	eqInt(t, "France unlocated", fr.Unlocated, 1)
	eq(t, "France per 10k", fr.PlacesPer10k, 1.95) // 4 × 10,000 / 20,500 = 1.951

	// Per service and per label.
	eqInt(t, "01 administrative", service(get(t, r, LevelDepartement, "01"), maillage.ServiceAdministrative).Places, 1)
	eqInt(t, "France administrative", service(fr, maillage.ServiceAdministrative).Places, 2)
	eq(t, "France administrative per 10k", service(fr, maillage.ServiceAdministrative).PlacesPer10k, 0.98) // 2 × 10,000 / 20,500
	eqInt(t, "France access", service(fr, maillage.ServiceAccess).Places, 2)
	eqInt(t, "84 access", service(get(t, r, LevelRegion, "84"), maillage.ServiceAccess).Places, 1)
	eqInt(t, "01 France Services", label(get(t, r, LevelDepartement, "01"), string(maillage.ProgramFranceServices)), 1)
	eqInt(t, "01 conseillers", label(get(t, r, LevelDepartement, "01"), string(maillage.ProgramConseillersNum)), 1)
	eqInt(t, "Paris Mon Espace Santé", label(get(t, r, LevelCommune, "75056"), string(maillage.LabelMonEspaceSante)), 1)
	eqInt(t, "11 Mon Espace Santé", label(get(t, r, LevelRegion, "11"), string(maillage.LabelMonEspaceSante)), 1)

	// Arrondissements: the place of 75102 counts there and in Paris, once.
	p := get(t, r, LevelCommune, "75056")
	eqInt(t, "Paris places", p.Places, 1)
	eqInt(t, "Paris communes", p.Communes, 1)
	a2 := get(t, r, LevelCommune, "75102")
	eqInt(t, "75102 places", a2.Places, 1)
	eqInt(t, "75102 communes", a2.Communes, 0)
	eq(t, "75102 per 10k", a2.PlacesPer10k, 1.67) // 1 × 10,000 / 6,000
	if a2.ParentCommune == nil || a2.ParentCommune.Code != "75056" {
		t.Errorf("75102 parent commune = %v", a2.ParentCommune)
	}
	eqInt(t, "75 places", get(t, r, LevelDepartement, "75").Places, 1)
	if kids := r.Children(p.Ref); len(kids) != 2 || kids[0].Code != "75101" {
		t.Errorf("Paris children = %v, want its 2 arrondissements", kids)
	}
	if kids := r.Children(fr.Ref); len(kids) != 2 {
		t.Errorf("France children = %d, want 2 régions", len(kids))
	}
}

func TestDistances(t *testing.T) {
	r := tinyReport(t)
	const deg = 111.1951 // km per degree of latitude
	// Nearest place of any kind: A and B have one at their centre, C is
	// 0.11° from B, D has p4 at its centre, Paris has p3 at its centre.
	for _, c := range []struct {
		code string
		km   float64
	}{{"01001", 0}, {"01002", 0}, {"01003", 12.23}, {"02001", 0}, {"75056", 0}} {
		eq(t, c.code+" nearest", get(t, r, LevelCommune, c.code).Access.NearestKm, c.km)
	}
	eq(t, "C nearest by hand", get(t, r, LevelCommune, "01003").Access.NearestKm, round(0.11*deg, 2))
	eq(t, "75101 nearest", get(t, r, LevelCommune, "75101").Access.NearestKm, null)

	// Administrative procedures: p1 at A, p3 at Paris. A 0, B 10.01
	// (0.09°), C 22.24 (0.2°), D 55.60 (0.5°).
	admin := func(code string) *Access {
		return &service(get(t, r, LevelCommune, code), maillage.ServiceAdministrative).Access
	}
	eq(t, "B admin", admin("01002").NearestKm, 10.01)
	eq(t, "C admin", admin("01003").NearestKm, 22.24)
	eq(t, "D admin", admin("02001").NearestKm, 55.6)
	eq(t, "B admin within 10", admin("01002").Within[1].Share, 0)
	eq(t, "B admin within 20", admin("01002").Within[2].Share, 1)
	eqInt(t, "B admin white 10", admin("01002").WhiteZones[0].Population, 3000)

	// EPCI 200000001: A 0 km (1,000), B 10.01 (3,000), C 22.24 (500).
	// Within 5 and 10 km: 1,000 / 4,500; within 20: 4,000 / 4,500.
	// Median: 1,000 < 2,250 ≤ 4,000, reached at B.
	e := &service(get(t, r, LevelEPCI, "200000001"), maillage.ServiceAdministrative).Access
	eq(t, "EPCI admin within 5", e.Within[0].Share, 0.2222)
	eq(t, "EPCI admin within 10", e.Within[1].Share, 0.2222)
	eq(t, "EPCI admin within 20", e.Within[2].Share, 0.8889)
	eq(t, "EPCI admin median", e.MedianKm, 10.01)
	eqInt(t, "EPCI admin white 10 communes", e.WhiteZones[0].Communes, 2)
	eqInt(t, "EPCI admin white 10 population", e.WhiteZones[0].Population, 3500)
	eq(t, "EPCI admin white 10 share", e.WhiteZones[0].Share, 0.7778)
	eqInt(t, "EPCI admin white 20 communes", e.WhiteZones[1].Communes, 1)
	eqInt(t, "EPCI admin white 20 population", e.WhiteZones[1].Population, 500)

	// Région 84 adds D (6,000 at 55.60): half of 10,500 is 5,250, reached
	// only at D.
	eq(t, "84 admin median", service(get(t, r, LevelRegion, "84"), maillage.ServiceAdministrative).Access.MedianKm, 55.6)
	// France adds Paris at 0 km (10,000): with A, 11,000 ≥ 10,250.
	fr := get(t, r, LevelFrance, "")
	eq(t, "France admin median", service(fr, maillage.ServiceAdministrative).Access.MedianKm, 0)
	// Any place: only C (500) is farther than 5, 10 km; none beyond 20.
	eq(t, "France within 5", fr.Access.Within[0].Share, 0.9756) // 20,000 / 20,500
	eqInt(t, "France white 10 communes", fr.Access.WhiteZones[0].Communes, 1)
	eqInt(t, "France white 20 communes", fr.Access.WhiteZones[1].Communes, 0)
	if wz := r.WhiteZone(fr.Ref, "", 10); len(wz) != 1 || wz[0].Code != "01003" {
		t.Errorf("white zone 10 km = %v, want [01003]", wz)
	}
	if wz := r.WhiteZone(fr.Ref, maillage.ServiceAdministrative, 20); len(wz) != 2 || wz[0].Code != "02001" || wz[1].Code != "01003" {
		t.Errorf("administrative white zone 20 km = %v, want [02001 01003] (by population)", wz)
	}

	// No place offers equipment: no distance, no median, everyone in the
	// white zones, nobody within reach.
	eq(t, "A equipment", service(get(t, r, LevelCommune, "01001"), maillage.ServiceEquipment).Access.NearestKm, null)
	eqp := &service(fr, maillage.ServiceEquipment).Access
	eq(t, "France equipment median", eqp.MedianKm, null)
	eq(t, "France equipment within 20", eqp.Within[2].Share, 0)
	eqInt(t, "France equipment white 20", eqp.WhiteZones[1].Population, 20500)
	if km, ok := r.NearestKm("01001", maillage.ServiceEquipment); !ok || !math.IsInf(km, 1) {
		t.Errorf("NearestKm(A, equipment) = %v, %v; want +Inf, true", km, ok)
	}
}

func TestHoursAndQuality(t *testing.T) {
	r := tinyReport(t)
	if w := r.Week(); !w.Equal(time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("week = %v, want Monday 2026-03-16", w)
	}
	// Département 01: p1 (30 h) and p2 (9 h, Saturday, after 18:00).
	h := get(t, r, LevelDepartement, "01").Hours
	eqInt(t, "01 with hours", h.WithHours, 2)
	if h.WeeklyHours != 39 {
		t.Errorf("01 weekly hours = %v, want 39", h.WeeklyHours)
	}
	eq(t, "01 weekly per 10k", h.WeeklyHoursPer10k, 86.67) // 39 × 10,000 / 4,500
	eq(t, "01 Saturday", h.OpenSaturdayShare, 0.5)
	eq(t, "01 evening", h.OpenEveningShare, 0.5)
	// France adds p4 (24/7: 168 h) and p3 (invalid: not counted).
	fh := get(t, r, LevelFrance, "").Hours
	eqInt(t, "France with hours", fh.WithHours, 3)
	if fh.WeeklyHours != 207 {
		t.Errorf("France weekly hours = %v, want 207", fh.WeeklyHours)
	}
	eq(t, "France weekly per 10k", fh.WeeklyHoursPer10k, 100.98) // 207 × 10,000 / 20,500
	eq(t, "France Saturday", fh.OpenSaturdayShare, 0.6667)
	eq(t, "A Saturday", get(t, r, LevelCommune, "01001").Hours.OpenSaturdayShare, 0)
	eq(t, "C Saturday (no place)", get(t, r, LevelCommune, "01003").Hours.OpenSaturdayShare, null)

	q := get(t, r, LevelFrance, "").Quality
	eq(t, "real SIRET", q.RealSIRETShare, 0.25)    // p1
	eq(t, "precise", q.PreciseShare, 0.75)         // p1, p2, p4
	eq(t, "valid hours", q.WithHoursShare, 0.75)   // p1, p2, p4
	eq(t, "< 6 months", q.Under6MonthsShare, 0.25) // p1
	eq(t, "6 months-1 year", q.Under1YearShare, 0.25)
	eq(t, "older", q.OlderShare, 0.25)
	eq(t, "no date", q.NoDateShare, 0.25)
	q75 := get(t, r, LevelDepartement, "75").Quality
	eqInt(t, "75 older", q75.Older, 1)
	eq(t, "75 precise", q75.PreciseShare, 0)
}

func TestIsRealSIRET(t *testing.T) {
	for pivot, want := range map[string]bool{
		"13002526500013":     true,
		"130 025 265 00013":  true,
		"00000000000000":     false,
		"99999999999999":     false,
		"130025265":          false, // a SIREN
		"W751234567":         false,
		"1300252650001":      false,
		"1300252650001A":     false,
		"":                   false,
		"130.025.265.00013 ": true,
	} {
		if got := IsRealSIRET(pivot); got != want {
			t.Errorf("IsRealSIRET(%q) = %v, want %v", pivot, got, want)
		}
	}
}

func TestFreshnessBoundaries(t *testing.T) {
	ref := time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		updated time.Time
		want    int
	}{
		{time.Time{}, freshUnknown},
		{ref.AddDate(0, 0, 3), freshUnder6Months},
		{ref.AddDate(0, -6, 0), freshUnder6Months},
		{ref.AddDate(0, -6, -1), freshUnder1Year},
		{ref.AddDate(-1, 0, 0), freshUnder1Year},
		{ref.AddDate(-1, 0, -1), freshOlder},
	} {
		if got := freshness(c.updated, ref); got != c.want {
			t.Errorf("freshness(%s) = %d, want %d", c.updated.Format(time.DateOnly), got, c.want)
		}
	}
}

func TestComputeNeedsReference(t *testing.T) {
	if _, err := Compute(nil, tinyTerritory(t), Options{}); err != ErrNoReference {
		t.Errorf("Compute without reference: err = %v, want ErrNoReference", err)
	}
}

func TestCSV(t *testing.T) {
	r := tinyReport(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf, LevelCommune); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+7 {
		t.Fatalf("%d rows, want a header and 7 communes", len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		if _, dup := col[name]; dup {
			t.Errorf("column %q twice", name)
		}
		col[name] = i
	}
	c := rows[3] // 01003
	if c[col["code"]] != "01003" || c[col["distance_km"]] != "12.23" || c[col["demarches_distance_km"]] != "22.24" ||
		c[col["zone_blanche_10km_population"]] != "500" || c[col["lieux_pour_10000_hab"]] != "0" {
		t.Errorf("row of 01003 = %v", c)
	}
	if v := c[col["materiel_solidaire_distance_km"]]; v != "" {
		t.Errorf("distance to a service no place offers = %q, want empty", v)
	}
	if got := rows[1][col["lieux_france_services"]]; got != "1" {
		t.Errorf("A France Services = %q, want 1", got)
	}
	if !strings.HasPrefix(rows[7][col["nom"]], "Paris 2e") || rows[7][col["commune_parente"]] != "75056" {
		t.Errorf("last row = %v, want Paris 2e with its commune", rows[7])
	}
}
