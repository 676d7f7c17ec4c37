package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"maillage"
)

// realSource is one file of ../shared/data/sources_raw, its mapping under
// sources/ and the exact outcome of its import.
type realSource struct {
	mapping     string // file name under ../sources
	data        string // path under ../../shared/data
	read        int
	accepted    int
	quarantined int
	check       func(t *testing.T, r *importResult)
}

// TestRealSources imports every raw source with its mapping and checks the
// numbers (rows read = accepted + quarantined) and a few known places. Run
// with INGEST_REPORT=1 to print the details of every source instead of
// failing on the numbers (handy while writing a mapping).
func TestRealSources(t *testing.T) {
	report := os.Getenv("INGEST_REPORT") != ""
	only := os.Getenv("INGEST_ONLY")
	for _, src := range realSources {
		name := strings.TrimSuffix(src.mapping, ".yaml")
		if only != "" && !strings.Contains(name, only) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			path := needData(t, src.data)
			m, err := LoadMapping(filepath.Join("..", "sources", src.mapping))
			if err != nil {
				t.Fatal(err)
			}
			res := importFile(t, m, path)
			if err := m.CheckColumns(slices.Collect(mapKeys(res.columns))); err != nil {
				t.Error(err)
			}
			if res.read != res.accepted+res.quarantined {
				t.Errorf("lues %d ≠ acceptées %d + en quarantaine %d", res.read, res.accepted, res.quarantined)
			}
			t.Logf("%s : lues %d, acceptées %d, en quarantaine %d", name, res.read, res.accepted, res.quarantined)
			if len(res.reasons) > 0 {
				t.Logf("  raisons de quarantaine : %s", strings.Join(top(res.reasons, 6), " ; "))
			}
			if report {
				t.Logf("  avertissements : %s", strings.Join(top(res.warnings, 12), " ; "))
				t.Logf("  exemples :%s", res.examples(12))
				return
			}
			if res.read != src.read || res.accepted != src.accepted || res.quarantined != src.quarantined {
				t.Errorf("lues/acceptées/quarantaine = %d/%d/%d, attendu %d/%d/%d",
					res.read, res.accepted, res.quarantined, src.read, src.accepted, src.quarantined)
			}
			if src.check != nil {
				src.check(t, res)
			}
		})
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// want compares a got value with the expected one.
func want[T comparable](t *testing.T, what string, got, expected T) {
	t.Helper()
	if got != expected {
		t.Errorf("%s = %v, attendu %v", what, got, expected)
	}
}

// wantList checks a list holds exactly the expected values, in any order.
func wantList[T ~string](t *testing.T, what string, got []T, expected ...T) {
	t.Helper()
	g := slices.Clone(got)
	e := slices.Clone(expected)
	slices.Sort(g)
	slices.Sort(e)
	if !slices.Equal(g, e) {
		t.Errorf("%s = %q, attendu %q", what, got, expected)
	}
}

// wantNear checks coordinates within about a metre.
func wantNear(t *testing.T, p *maillage.Place, lat, lon float64) {
	t.Helper()
	if !p.HasCoordinates || abs(p.Latitude-lat) > 1e-5 || abs(p.Longitude-lon) > 1e-5 {
		t.Errorf("%s : coordonnées %v,%v (%v), attendu %v,%v", p.Name, p.Latitude, p.Longitude, p.HasCoordinates, lat, lon)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func mustPlace(t *testing.T, p *maillage.Place, what string) {
	t.Helper()
	if p == nil {
		t.Fatalf("lieu %s introuvable parmi les lieux acceptés", what)
	}
}

var realSources = []realSource{
	{mapping: "aidants-connect.yaml", data: "sources_raw/aidants-connect-structures.json", read: 3407},
	{mapping: "aix-en-provence.yaml", data: "sources_raw/aix-en-provence.json", read: 38},
	{mapping: "angers-conumm.yaml", data: "sources_raw/angers-conumm.json", read: 63},
	{mapping: "bus-france-services-charente.yaml", data: "sources_raw/bus-france-services-charente-raw.json", read: 12},
	{mapping: "corse.yaml", data: "sources_raw/corse.json", read: 162},
	{mapping: "cnfs-conseiller-numerique.yaml", data: "sources_raw/cnfs-conseiller-numerique-raw.json", read: 4930},
	{mapping: "epernay.yaml", data: "sources_raw/epernay.json", read: 39},
	{mapping: "etapes-numerique-la-poste.yaml", data: "sources_raw/etapes-numerique-la-poste.json", read: 95},
	{mapping: "fibre-64.yaml", data: "sources_raw/fibre-64-pyrenees-atlantiques.json", read: 61},
	{mapping: "france-services.yaml", data: "sources_raw/france-services-liste-20221201.csv", read: 2683},
	{mapping: "gironde.yaml", data: "sources_raw/gironde.json", read: 347},
	{mapping: "haute-vienne.yaml", data: "sources_raw/haute-vienne.json", read: 561},
	{mapping: "hinaura.yaml", data: "sources_raw/hinaura-aura-raw.json", read: 1171},
	{mapping: "hub-lo.yaml", data: "sources_raw/hub-lo-centre-val-de-loire.json", read: 426},
	{mapping: "la-creuse.yaml", data: "sources_raw/la-creuse.json", read: 91},
	{mapping: "le-havre.yaml", data: "sources_raw/le-havre.json", read: 80},
	{mapping: "maine-et-loire.yaml", data: "sources_raw/maine-et-loire.json", read: 243},
	{mapping: "mednum-hub-antilles.yaml", data: "sources_raw/mednum-hub-antilles.json", read: 165},
	{mapping: "mulhouse.yaml", data: "sources_raw/mulhouse.json", read: 55},
	{mapping: "paca-regionsud.yaml", data: "sources_raw/paca-regionsud-lieux-inclusion-numerique-2022.csv", read: 1245},
	{mapping: "ultra-numerique-reunion.yaml", data: "sources_raw/ultra-numerique-reunion.geocoded.csv", read: 156},
	{mapping: "nouvelle-caledonie.yaml", data: "sources_raw/nouvelle-caledonie-raw.json", read: 92},
}
