package hsds

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"maillage"
	"maillage/internal/fixture"
)

// The expected UUIDs come from Python's uuid.uuid5, an independent
// implementation: uuid5(uuid5(NAMESPACE_URL, "https://maillage.fr/hsds"),
// "service:lieu-0123456789abcdef").
func TestIDsAreRFC9562Version5(t *testing.T) {
	if got := format(Namespace); got != "03fabdf9-98d1-5b76-a499-d77be859acc0" {
		t.Errorf("Namespace = %s", got)
	}
	if got := ID(KindService, "lieu-0123456789abcdef"); got != "c292bb87-85e3-5d6d-bd9e-3160e5f9bd77" {
		t.Errorf("ID = %s", got)
	}
	if got := TaxonomyID("services"); got != "ce00375c-a8e5-551a-aa69-71d30ee29efb" {
		t.Errorf("TaxonomyID = %s", got)
	}
	if ID(KindService, "lieu-a") == ID(KindLocation, "lieu-a") || ID(KindService, "lieu-a") == ID(KindService, "lieu-b") {
		t.Error("ids of different kinds or places collide")
	}
}

func TestWeeklySpans(t *testing.T) {
	tests := []struct {
		value string
		ok    bool
		phOff bool
		week  [7][]Slot
	}{
		{value: "Mo-Fr 09:00-12:00,14:00-17:00", ok: true, week: [7][]Slot{
			{{540, 720}, {840, 1020}}, {{540, 720}, {840, 1020}}, {{540, 720}, {840, 1020}}, {{540, 720}, {840, 1020}}, {{540, 720}, {840, 1020}}}},
		{value: "Mo-Fr 09:00-18:00; We off; PH off", ok: true, phOff: true, week: [7][]Slot{
			{{540, 1080}}, {{540, 1080}}, nil, {{540, 1080}}, {{540, 1080}}}},
		{value: "Sa 10:00-24:00", ok: true, week: [7][]Slot{5: {{600, 1440}}}},
		{value: "Mo 09:00-12:00, Mo 11:00-13:00", ok: true, week: [7][]Slot{{{540, 780}}}},
		{value: `Tu 09:00-12:00 "sur rendez-vous"`},
		{value: "Jan-Mar Mo 09:00-12:00"},
		{value: "Mo-Fr 09:00+"},
		{value: "Fr 22:00-02:00"},
		{value: "24/7"},
		{value: "Mo[1] 09:00-12:00"},
		{value: "SH off; Mo 09:00-12:00"},
		{value: "Mo-Fr unknown"},
		{value: "lundi 9h"},
	}
	for _, tt := range tests {
		week, phOff, ok := WeeklySpans(tt.value)
		if ok != tt.ok {
			t.Errorf("%q: ok %v, want %v", tt.value, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if phOff != tt.phOff || !reflect.DeepEqual(week, tt.week) {
			t.Errorf("%q: %v %v, want %v %v", tt.value, week, phOff, tt.week, tt.phOff)
		}
	}
}

func TestSchedules(t *testing.T) {
	link := scheduleLink{owner: "o", serviceID: "s"}
	// "; Mo" replaces what the first rule said about Monday.
	got := schedules("Mo,Tu,Th,Fr 09:00-12:00; Mo 09:00-12:00,14:00-17:00; PH off", "16015", link)
	want := []struct{ byday, opens, closes string }{{"MO,TU,TH,FR", "09:00", "12:00"}, {"MO", "14:00", "17:00"}}
	if len(got) != len(want) {
		t.Fatalf("%d schedules: %+v", len(got), got)
	}
	for i, w := range want {
		s := got[i]
		if s.ByDay != w.byday || s.OpensAt != w.opens || s.ClosesAt != w.closes || s.Freq != "WEEKLY" || s.ServiceID != "s" {
			t.Errorf("schedule %d = %+v, want %v", i, s, w)
		}
		if !strings.Contains(s.Description, "jours fériés") || s.Notes != "Heure locale (Europe/Paris)" {
			t.Errorf("schedule %d: description %q notes %q", i, s.Description, s.Notes)
		}
	}
	if got[0].ID == got[1].ID {
		t.Error("two schedules share an id")
	}
	if !strings.HasPrefix(got[0].Description, "le lundi, le mardi, le jeudi et le vendredi de 9 h à 12 h") {
		t.Errorf("description %q", got[0].Description)
	}
	// Not simple: the value is kept, no slot is invented.
	value := `Tu 09:00-12:00 "sur rendez-vous"`
	got = schedules(value, "98818", link)
	if len(got) != 1 || got[0].ByDay != "" || got[0].OpensAt != "" || !strings.HasSuffix(got[0].Description, value) {
		t.Errorf("complex hours: %+v", got)
	}
	if got := schedules("", "16015", link); got != nil {
		t.Errorf("empty hours: %+v", got)
	}
	// Noumea's zone is named, not Paris's.
	got = schedules("Mo 08:00-12:00", "98818", link)
	if len(got) != 1 || got[0].Notes != "Heure locale (Pacific/Noumea)" {
		t.Errorf("Nouméa: %+v", got)
	}
}

func TestTaxonomyCoversEveryVocabulary(t *testing.T) {
	terms := TaxonomyTerms()
	ids := map[string]bool{}
	byField := map[string]map[string]bool{}
	for _, term := range terms {
		if ids[term.ID] {
			t.Errorf("term id %s twice", term.ID)
		}
		ids[term.ID] = true
		if byField[term.Taxonomy] == nil {
			byField[term.Taxonomy] = map[string]bool{}
		}
		byField[term.Taxonomy][term.Name] = true
		validate(t, "taxonomy_term.json", term)
	}
	check := func(field string, values []string) {
		for _, v := range values {
			if !byField[field][v] {
				t.Errorf("%s: no term for %q", field, v)
			}
		}
	}
	check("services", strs(maillage.Services))
	check("publics_specifiquement_adresses", strs(maillage.Publics))
	check("prise_en_charge_specifique", strs(maillage.SpecificSupports))
	check("frais_a_charge", strs(maillage.Fees))
	check("dispositif_programmes_nationaux", strs(maillage.NationalPrograms))
	check("formations_labels", strs(maillage.TrainingsLabels))
	check("modalites_acces", strs(maillage.AccessModes))
	check("modalites_accompagnement", strs(maillage.SupportModes))
	check("itinerance", strs(maillage.Itinerances))
	for _, typ := range maillage.Typologies {
		if !byField["typologie"][typ.Label] {
			t.Errorf("typologie: no term for %s", typ.Code)
		}
	}
	taxonomies := Taxonomies()
	if len(taxonomies) != len(byField) {
		t.Errorf("%d taxonomies, terms name %d", len(taxonomies), len(byField))
	}
	for _, tax := range taxonomies {
		validate(t, "taxonomy.json", tax)
		if len(byField[tax.Name]) == 0 {
			t.Errorf("taxonomy %s has no term", tax.Name)
		}
	}
}

func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func TestMappingOfFixture(t *testing.T) {
	places := fixture.Handmade()
	full := ServiceOf(&places[0])
	if full.Organization == nil || len(full.Organization.OrganizationIdentifiers) != 1 ||
		full.Organization.OrganizationIdentifiers[0].Identifier != "13002526500005" ||
		full.Organization.OrganizationIdentifiers[0].IdentifierType != "SIRET" {
		t.Errorf("real SIRET not kept: %+v", full.Organization)
	}
	if full.Email != "contact@mediatheque.example.fr" || full.URL != "https://mediatheque.example.fr" {
		t.Errorf("email %q url %q", full.Email, full.URL)
	}
	// One attribute per vocabulary value, each with its term.
	want := len(maillage.Services) + 2 + len(maillage.SpecificSupports) + 2 + len(maillage.NationalPrograms) +
		len(maillage.TrainingsLabels) + len(maillage.AccessModes) + len(maillage.SupportModes)
	if len(full.Attributes) != want {
		t.Errorf("%d attributes, want %d", len(full.Attributes), want)
	}
	for _, a := range full.Attributes {
		if a.TaxonomyTerm == nil || a.TaxonomyTerm.ID != a.TaxonomyTermID || a.Value != a.TaxonomyTerm.Name || a.LinkID != full.ID {
			t.Errorf("attribute %+v", a)
		}
	}
	if len(full.CostOptions) != 2 || full.CostOptions[1].Option != "Payant" {
		t.Errorf("cost options %+v", full.CostOptions)
	}
	if len(full.Languages) != 2 || full.Languages[0].Code != "en" {
		t.Errorf("languages %+v", full.Languages)
	}
	loc := full.ServiceAtLocations[0].Location
	if loc.Latitude == nil || *loc.Latitude != 45.6484 || loc.Addresses[0].StateProvince != "Charente" ||
		loc.Accessibility[0].URL != places[0].Place.AccessibilitySheet || loc.ExternalIdentifier != places[0].Place.ID {
		t.Errorf("location %+v", loc)
	}
	if len(full.Schedules) != 3 {
		t.Errorf("schedules %+v", full.Schedules)
	}

	bus := ServiceOf(&places[1])
	if len(bus.Organization.OrganizationIdentifiers) != 0 {
		t.Errorf("placeholder pivot published: %+v", bus.Organization.OrganizationIdentifiers)
	}
	if l := bus.ServiceAtLocations[0].Location; l.Latitude != nil || l.Longitude != nil {
		t.Error("a commune's centre published as the place's position")
	}
	if len(bus.Schedules) != 1 || !strings.Contains(bus.Schedules[0].Description, places[1].Place.OpeningHours) {
		t.Errorf("complex hours: %+v", bus.Schedules)
	}

	// Ids are unique within a full object.
	for i := range places {
		seen := map[string]string{}
		collectIDs(t, ServiceOf(&places[i]), "", seen)
		seen = map[string]string{}
		collectIDs(t, ServiceAtLocationOf(&places[i]), "", seen)
	}
}

// collectIDs walks a marshalled object and fails on an "id" used by two
// different objects (the same term nested twice is the same object).
func collectIDs(t *testing.T, v any, path string, seen map[string]string) {
	t.Helper()
	b, _ := json.Marshal(v)
	var doc any
	json.Unmarshal(b, &doc)
	var walk func(x any, path string)
	walk = func(x any, path string) {
		switch x := x.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				key, _ := json.Marshal(x)
				if prev, ok := seen[id]; ok && prev != string(key) && !strings.Contains(path, "taxonomy_term") {
					t.Errorf("id %s used by two objects (%s)", id, path)
				}
				seen[id] = string(key)
			}
			for k, v := range x {
				walk(v, path+"/"+k)
			}
		case []any:
			for _, v := range x {
				walk(v, path)
			}
		}
	}
	walk(doc, path)
}

func TestFixtureValidatesAgainstHSDS(t *testing.T) {
	places := fixture.Handmade()
	for i := range places {
		c := &places[i]
		validate(t, "compiled/service.json", ServiceOf(c))
		validate(t, "service.json", ServiceOf(c))
		validate(t, "service.json", ServiceItemOf(c))
		validate(t, "compiled/service_at_location.json", ServiceAtLocationOf(c))
		validate(t, "service_at_location.json", ServiceAtLocationItemOf(c))
		validate(t, "organization.json", OrganizationOf(c))
		validate(t, "location.json", LocationOf(c))
	}
	validate(t, "Page", NewPage([]Service{ServiceItemOf(&places[0])}, 3, 1, 1))
	// The validator does reject what the schemas forbid.
	bad := ServiceItemOf(&places[0])
	bad.Status = "ouvert"
	if validateErr(t, "compiled/service.json", bad) == nil {
		t.Error("a status outside the enum was accepted")
	}
	bad = ServiceItemOf(&places[0])
	bad.ID = "lieu-123"
	if validateErr(t, "service.json", bad) == nil {
		t.Error("an id that is not a UUID was accepted")
	}
}

func TestPages(t *testing.T) {
	p := NewPage([]int{1, 2}, 5, 3, 2)
	if p.TotalPages != 3 || p.Size != 2 || p.FirstPage || !p.LastPage || p.Empty {
		t.Errorf("%+v", p)
	}
	p = NewPage[int](nil, 0, 1, 20)
	if p.TotalPages != 0 || !p.FirstPage || !p.LastPage || !p.Empty || p.Contents == nil {
		t.Errorf("empty: %+v", p)
	}
	// The streamed page decodes to the same page as NewPage.
	places := fixture.Handmade()
	var items []Service
	var buf bytes.Buffer
	pw := NewPageWriter(&buf, 10, 2, 3)
	for i := range places {
		items = append(items, ServiceItemOf(&places[i]))
		if err := pw.Write(items[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	var streamed, built Page[Service]
	if err := json.Unmarshal(buf.Bytes(), &streamed); err != nil {
		t.Fatalf("%v: %s", err, buf.Bytes())
	}
	b, _ := json.Marshal(NewPage(items, 10, 2, 3))
	json.Unmarshal(b, &built)
	if !reflect.DeepEqual(streamed, built) {
		t.Errorf("streamed %+v\nbuilt %+v", streamed, built)
	}
	var raw any
	json.Unmarshal(buf.Bytes(), &raw)
	validate(t, "Page", raw)

	buf.Reset()
	nw := NewNDJSONWriter(&buf)
	for _, it := range items {
		nw.Write(it)
	}
	nw.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(items) {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		var s Service
		if err := json.Unmarshal([]byte(l), &s); err != nil || s.ID != items[i].ID {
			t.Errorf("line %d: %v %s", i, err, l)
		}
	}
}
