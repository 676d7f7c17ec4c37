package datainclusion

import (
	"bytes"
	"encoding/json"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"maillage"
	"maillage/internal/fixture"
)

var (
	schemaOnce sync.Once
	schemaMap  map[string]*jsonschema.Schema
	schemaErr  error
)

// diSchemas compiles testdata/structure.json and service.json once.
func diSchemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		schemaMap = map[string]*jsonschema.Schema{}
		for _, name := range []string{"structure", "service"} {
			f, err := os.Open("testdata/" + name + ".json")
			if err != nil {
				schemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(f)
			f.Close()
			if err != nil {
				schemaErr = err
				return
			}
			url := "https://maillage.test/data-inclusion/" + name + ".json"
			if err := c.AddResource(url, doc); err != nil {
				schemaErr = err
				return
			}
			if schemaMap[name], schemaErr = c.Compile(url); schemaErr != nil {
				return
			}
		}
	})
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	return schemaMap
}

func validateErr(t testing.TB, name string, v any) error {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return diSchemas(t)[name].Validate(inst)
}

// vocabulary reads the values of one of data·inclusion's lists
// (testdata/extra/NAME.json).
func vocabulary(t testing.TB, name string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("testdata/extra/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var items []struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(data, &items); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, it := range items {
		out[it.Value] = true
	}
	if len(out) == 0 {
		t.Fatalf("%s: empty list", name)
	}
	return out
}

func TestMappingTables(t *testing.T) {
	thematiques := vocabulary(t, "thematiques")
	for _, s := range maillage.Services {
		if len(Thematiques[s]) == 0 {
			t.Errorf("service %q maps to no thematique", s)
		}
		for _, th := range Thematiques[s] {
			if !thematiques[th] {
				t.Errorf("service %q: thematique %q not in data·inclusion's list", s, th)
			}
		}
	}
	if len(Thematiques) != len(maillage.Services) {
		t.Errorf("Thematiques has %d keys, the schema %d services", len(Thematiques), len(maillage.Services))
	}
	publics := vocabulary(t, "publics")
	for _, p := range maillage.Publics {
		if !publics[Publics[p]] {
			t.Errorf("public %q maps to %q, not in data·inclusion's list", p, Publics[p])
		}
	}
	modes := vocabulary(t, "modes-mobilisation")
	for _, a := range maillage.AccessModes {
		code, ok := ModesMobilisation[a]
		if a == maillage.AccessNoPublic {
			if ok {
				t.Errorf("%q maps to %q", a, code)
			}
			continue
		}
		if !modes[code] {
			t.Errorf("access mode %q maps to %q, not in data·inclusion's list", a, code)
		}
	}
	reseaux := vocabulary(t, "reseaux-porteurs")
	known := map[maillage.Typology]bool{}
	for _, ty := range maillage.Typologies {
		known[ty.Code] = true
	}
	for ty, r := range ReseauxPorteursOfTypology {
		if !known[ty] || !reseaux[r] {
			t.Errorf("typology %q → %q: unknown typology or réseau", ty, r)
		}
	}
	for p, r := range ReseauxPorteursOfProgram {
		if !reseaux[r] || !contains(maillage.NationalPrograms, p) {
			t.Errorf("programme %q → %q: unknown programme or réseau", p, r)
		}
	}
	for l, r := range ReseauxPorteursOfLabel {
		if !reseaux[r] || !contains(maillage.TrainingsLabels, l) {
			t.Errorf("label %q → %q: unknown label or réseau", l, r)
		}
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// checkVocabulary fails on any value outside data·inclusion's lists.
func checkVocabulary(t *testing.T, structures []Structure, services []Service) {
	t.Helper()
	lists := map[string]map[string]bool{}
	for _, n := range []string{"thematiques", "types-de-services", "frais", "publics", "modes-accueil",
		"modes-mobilisation", "personnes-mobilisatrices", "reseaux-porteurs"} {
		lists[n] = vocabulary(t, n)
	}
	in := func(list string, values ...string) {
		for _, v := range values {
			if v != "" && !lists[list][v] {
				t.Errorf("%s: %q not in data·inclusion's list", list, v)
			}
		}
	}
	for _, s := range structures {
		in("reseaux-porteurs", s.ReseauxPorteurs...)
	}
	for _, s := range services {
		in("thematiques", s.Thematiques...)
		in("types-de-services", s.Type)
		in("frais", s.Frais)
		in("publics", s.Publics...)
		in("modes-accueil", s.ModesAccueil...)
		in("modes-mobilisation", s.ModesMobilisation...)
		in("personnes-mobilisatrices", s.MobilisablePar...)
	}
}

var testOptions = Options{Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}

func TestFixtureValidatesAgainstDataInclusion(t *testing.T) {
	places := fixture.Handmade()
	var structures []Structure
	var services []Service
	for i := range places {
		s := StructureOf(&places[i], testOptions)
		if err := validateErr(t, "structure", s); err != nil {
			t.Errorf("structure %s: %v", s.ID, err)
		}
		structures = append(structures, s)
		for _, svc := range ServicesOf(&places[i], testOptions) {
			if err := validateErr(t, "service", svc); err != nil {
				t.Errorf("service %s: %v", svc.ID, err)
			}
			services = append(services, svc)
		}
	}
	checkVocabulary(t, structures, services)
	// The validator rejects what the schema forbids.
	bad := services[0]
	bad.Thematiques = []string{"numerique"}
	if validateErr(t, "service", bad) == nil {
		t.Error("a thematique outside the list was accepted")
	}
	badS := structures[0]
	badS.Siret = "123"
	if validateErr(t, "structure", badS) == nil {
		t.Error("a 3-digit SIRET was accepted")
	}
}

func TestMappingOfFixture(t *testing.T) {
	places := fixture.Handmade()
	med := StructureOf(&places[0], testOptions)
	if med.ID != "maillage--lieu-00a1b2c3d4e5f607" || med.Siret != "13002526500005" || med.DateMaj != "2024-03-12" ||
		med.Latitude == nil || med.HorairesAccueil != places[0].Place.OpeningHours {
		t.Errorf("structure %+v", med)
	}
	// BIB has no network, MUNI is "communes"; programmes and labels add theirs.
	want := []string{"communes", "aidants-connect", "conseillers-numeriques", "emmaus", "france-service",
		"grandes-ecoles-du-numerique", "croix-rouge", "fabrique-de-territoire"}
	if !reflect.DeepEqual(med.ReseauxPorteurs, want) {
		t.Errorf("réseaux %v, want %v", med.ReseauxPorteurs, want)
	}
	svcs := ServicesOf(&places[0], testOptions)
	if len(svcs) != len(maillage.Services) {
		t.Fatalf("%d services", len(svcs))
	}
	first := svcs[0]
	if first.ID != med.ID+"--aide-aux-demarches-administratives" || first.StructureID != med.ID || first.Nom != string(maillage.ServiceAdministrative) {
		t.Errorf("service ids %q %q %q", first.ID, first.StructureID, first.Nom)
	}
	if first.Type != "accompagnement" || svcs[8].Type != "aide-materielle" {
		t.Errorf("types %q %q", first.Type, svcs[8].Type)
	}
	if first.Frais != "payant" || !strings.Contains(first.FraisPrecisions, "Gratuit") {
		t.Errorf("frais %q %q", first.Frais, first.FraisPrecisions)
	}
	if !reflect.DeepEqual(first.Publics, []string{"seniors", "jeunes"}) || !strings.Contains(first.PublicsPrecisions, "Surdité") {
		t.Errorf("publics %v %q", first.Publics, first.PublicsPrecisions)
	}
	// "Ce lieu n'accueille pas de public" is among the access modes.
	if !reflect.DeepEqual(first.ModesAccueil, []string{"a-distance"}) {
		t.Errorf("modes d'accueil %v", first.ModesAccueil)
	}
	if !reflect.DeepEqual(first.ModesMobilisation, []string{"se-presenter", "telephoner", "envoyer-un-courriel", "utiliser-lien-mobilisation"}) ||
		!reflect.DeepEqual(first.MobilisablePar, []string{"usagers", "professionnels"}) || first.LienMobilisation != places[0].Place.AppointmentURL {
		t.Errorf("mobilisation %v %v %q", first.ModesMobilisation, first.MobilisablePar, first.LienMobilisation)
	}

	bus := StructureOf(&places[1], testOptions)
	if bus.Siret != "" || bus.Latitude != nil || bus.DateMaj != "2026-11-22" {
		t.Errorf("bus: siret %q lat %v date %q", bus.Siret, bus.Latitude, bus.DateMaj)
	}
	bsvc := ServicesOf(&places[1], testOptions)
	if len(bsvc) != 2 || bsvc[0].Type != "atelier" || bsvc[0].Frais != "gratuit" || bsvc[0].FraisPrecisions == "" ||
		!reflect.DeepEqual(bsvc[0].Publics, []string{"tous-publics"}) || bsvc[0].LienMobilisation != "" ||
		!reflect.DeepEqual(bsvc[0].ModesMobilisation, []string{"telephoner"}) || bsvc[0].MobilisationPrecisions == "" {
		t.Errorf("bus services %+v", bsvc)
	}
	// A place without services gives a structure and no service; a short
	// name gets its commune.
	if s := ServicesOf(&places[2], testOptions); s != nil {
		t.Errorf("services of a place without any: %+v", s)
	}
	if n := StructureOf(&places[2], testOptions).Nom; n != "PAN" {
		t.Errorf("nom %q", n)
	}
}

func TestFrais(t *testing.T) {
	tests := []struct {
		in             []maillage.Fee
		frais, precise string
	}{
		{nil, "", ""},
		{[]maillage.Fee{maillage.FeeFree}, "gratuit", ""},
		{[]maillage.Fee{maillage.FeeFreeUnderTerms}, "gratuit", "Gratuit sous condition."},
		{[]maillage.Fee{maillage.FeePaid}, "payant", ""},
		{[]maillage.Fee{maillage.FeeFree, maillage.FeePaid}, "payant", "Selon les cas : Gratuit, Payant."},
	}
	for _, tt := range tests {
		f, p := frais(tt.in)
		if f != tt.frais || p != tt.precise {
			t.Errorf("frais(%v) = %q %q, want %q %q", tt.in, f, p, tt.frais, tt.precise)
		}
	}
}

func TestWriters(t *testing.T) {
	places := fixture.Handmade()
	var want []Structure
	var arr, nd bytes.Buffer
	aw, nw := NewArrayWriter(&arr), NewNDJSONWriter(&nd)
	for i := range places {
		s := StructureOf(&places[i], testOptions)
		want = append(want, s)
		if err := aw.Write(s); err != nil {
			t.Fatal(err)
		}
		if err := nw.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	nw.Close()
	var got []Structure
	if err := json.Unmarshal(arr.Bytes(), &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("array: %v\n%s", err, arr.Bytes())
	}
	lines := strings.Split(strings.TrimSuffix(nd.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		var s Structure
		if err := json.Unmarshal([]byte(l), &s); err != nil || !reflect.DeepEqual(s, want[i]) {
			t.Errorf("line %d: %v", i, err)
		}
	}
	var empty bytes.Buffer
	NewArrayWriter(&empty).Close()
	if strings.TrimSpace(empty.String()) != "[]" {
		t.Errorf("empty array %q", empty.String())
	}
}

func TestRealPlacesValidateAgainstDataInclusion(t *testing.T) {
	places := realConsolidated(t)
	var structures []Structure
	var services []Service
	failures := 0
	ids := map[string]bool{}
	for i := range places {
		s := StructureOf(&places[i], testOptions)
		if ids[s.ID] {
			t.Fatalf("structure id %s twice", s.ID)
		}
		ids[s.ID] = true
		if err := validateErr(t, "structure", s); err != nil {
			if failures++; failures <= 5 {
				t.Errorf("structure %s: %v", s.ID, err)
			}
		}
		structures = append(structures, s)
		for _, svc := range ServicesOf(&places[i], testOptions) {
			if ids[svc.ID] {
				t.Fatalf("service id %s twice", svc.ID)
			}
			ids[svc.ID] = true
			if err := validateErr(t, "service", svc); err != nil {
				if failures++; failures <= 5 {
					t.Errorf("service %s: %v", svc.ID, err)
				}
			}
			services = append(services, svc)
		}
	}
	if failures > 0 {
		t.Errorf("%d objects fail data·inclusion's schemas", failures)
	}
	checkVocabulary(t, structures, services)
	withReseau := 0
	for _, s := range structures {
		if len(s.ReseauxPorteurs) > 0 {
			withReseau++
		}
	}
	t.Logf("%d places: %d structures (%d with a réseau porteur), %d services", len(places), len(structures), withReseau, len(services))
}
