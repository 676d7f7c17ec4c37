package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"maillage/hsds"
	"maillage/search"
	"maillage/territory"
)

// publishedSchemas compiles the published HSDS 3.0 schemas and
// data·inclusion v1 schemas kept in the testdata of packages hsds and
// datainclusion (origin and licence in their README.md): "hsds/NAME.json",
// "hsds/compiled/NAME.json", "hsds/Page" and "data-inclusion/NAME.json".
func publishedSchemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	const base = "https://maillage.test/"
	var names []string
	add := func(name string, doc any) {
		if err := c.AddResource(base+name, doc); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	read := func(f string) []byte {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			r, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
		}
		return data
	}
	files, _ := filepath.Glob("../hsds/testdata/*.json")
	gz, _ := filepath.Glob("../hsds/testdata/compiled/*.json.gz")
	for _, f := range append(files, gz...) {
		data := read(f)
		name := "hsds/" + strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(f), "../hsds/testdata/"), ".gz")
		if name == "hsds/openapi.json" {
			var api struct {
				Components struct {
					Schemas map[string]any `json:"schemas"`
				} `json:"components"`
			}
			if err := json.Unmarshal(data, &api); err != nil {
				t.Fatal(err)
			}
			add("hsds/Page", api.Components.Schemas["Page"])
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		add(name, doc)
	}
	for _, name := range []string{"structure", "service"} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(read("../datainclusion/testdata/" + name + ".json")))
		if err != nil {
			t.Fatal(err)
		}
		add("data-inclusion/"+name+".json", doc)
	}
	if len(names) < 10 {
		t.Fatalf("only %d published schemas found", len(names))
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		if n == "hsds/meta_table_description.json" {
			continue
		}
		s, err := c.Compile(base + n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = s
	}
	return out
}

func validateAgainst(t testing.TB, s *jsonschema.Schema, what string, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("%s does not follow the published schema:\n%v", what, err)
	}
}

type hsdsPage struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	LastPage   bool              `json:"last_page"`
	Contents   []json.RawMessage `json:"contents"`
}

func TestHSDS(t *testing.T) {
	e := newAPIEnv(t)
	schemas := publishedSchemas(t)
	v := newOpenAPIValidator(t)

	res, body := e.get(t, "/hsds/")
	if res.StatusCode != 200 || !strings.Contains(string(body), `"version":"3.0`) {
		t.Errorf("/hsds/: %d %s", res.StatusCode, body)
	}
	v.check(t, "/hsds/", "200", "application/json", body)

	// Every service, page by page, each item valid; then each full
	// service.
	seen := map[string]bool{}
	for page := 1; ; page++ {
		target := "/hsds/services?per_page=200&page=" + itoa(page)
		res, body := e.get(t, target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", target, res.StatusCode, body)
		}
		validateAgainst(t, schemas["hsds/Page"], target, body)
		v.check(t, "/hsds/services", "200", "application/json", body)
		var p hsdsPage
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if p.TotalItems != len(e.places) || p.PageNumber != page {
			t.Fatalf("%s: total %d page %d", target, p.TotalItems, p.PageNumber)
		}
		for _, item := range p.Contents {
			validateAgainst(t, schemas["hsds/service.json"], target+" item", item)
			var s struct{ ID string }
			json.Unmarshal(item, &s)
			if seen[s.ID] {
				t.Errorf("service %s twice", s.ID)
			}
			seen[s.ID] = true
		}
		if p.LastPage {
			break
		}
	}
	if len(seen) != len(e.places) {
		t.Errorf("%d services, %d places", len(seen), len(e.places))
	}
	for i := range e.places[:100] {
		id := hsds.ID(hsds.KindService, e.places[i].Place.ID)
		res, body := e.get(t, "/hsds/services/"+id)
		if res.StatusCode != 200 {
			t.Fatalf("service %s: %d", id, res.StatusCode)
		}
		validateAgainst(t, schemas["hsds/compiled/service.json"], "service "+id, body)
		sal := hsds.ID(hsds.KindServiceAtLocation, e.places[i].Place.ID)
		res, body = e.get(t, "/hsds/service_at_locations/"+sal)
		if res.StatusCode != 200 {
			t.Fatalf("service_at_location %s: %d", sal, res.StatusCode)
		}
		validateAgainst(t, schemas["hsds/compiled/service_at_location.json"], "service_at_location "+sal, body)
	}

	// service_at_locations near a point, by postcode and proximity, full.
	lat, lon := 45.65, 0.16 // Angoulême
	cases := []string{
		"/hsds/service_at_locations?lat=45.65&lon=0.16&proximity=15000&per_page=500",
		"/hsds/service_at_locations?postcode=16000&proximity=15000&per_page=500",
		"/hsds/service_at_locations?postcode=16000&full=true",
	}
	for _, target := range cases {
		res, body := e.get(t, target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", target, res.StatusCode, body)
		}
		validateAgainst(t, schemas["hsds/Page"], target, body)
		var p hsdsPage
		json.Unmarshal(body, &p)
		if p.TotalItems == 0 {
			t.Errorf("%s: nothing", target)
		}
		item := "hsds/service_at_location.json"
		if strings.Contains(target, "full=true") {
			item = "hsds/compiled/service_at_location.json"
		}
		for _, c := range p.Contents {
			validateAgainst(t, schemas[item], target+" item", c)
		}
		if strings.Contains(target, "proximity") {
			// every place within 15 km of the point (or the centre of 16000)
			want := 0
			clat, clon := lat, lon
			if strings.Contains(target, "postcode") {
				c := territory.Default().CommunesByPostalCode("16000")[0]
				clat, clon, _ = territory.Default().Centroid(c.Code)
			}
			for _, pl := range e.places {
				if pl.Place.HasCoordinates && territory.Distance(clat, clon, pl.Place.Latitude, pl.Place.Longitude) <= 15 {
					want++
				}
			}
			if p.TotalItems != want {
				t.Errorf("%s: %d items, want %d within 15 km", target, p.TotalItems, want)
			}
		}
	}

	// taxonomy_term_id filters like the schema field it stands for.
	term := termOf(t, "services", "Aide aux démarches administratives")
	var byTerm hsdsPage
	_, body = e.get(t, "/hsds/services?per_page=1&taxonomy_term_id="+url.QueryEscape(term))
	json.Unmarshal(body, &byTerm)
	var byField searchPage
	e.getJSON(t, "/api/v1/lieux?limite=1&services="+url.QueryEscape("Aide aux démarches administratives"), &byField)
	if byTerm.TotalItems != byField.Total || byTerm.TotalItems == 0 {
		t.Errorf("taxonomy_term_id: %d, services=: %d", byTerm.TotalItems, byField.Total)
	}
	// taxonomy_id: the services with any term of that taxonomy, here the
	// places that state a national programme.
	withProgram := 0
	for _, c := range e.places {
		if len(c.Place.NationalPrograms) > 0 {
			withProgram++
		}
	}
	var byTaxonomy hsdsPage
	res, body = e.get(t, "/hsds/services?per_page=1&taxonomy_id="+hsds.TaxonomyID("dispositif_programmes_nationaux"))
	json.Unmarshal(body, &byTaxonomy)
	if res.StatusCode != 200 || byTaxonomy.TotalItems != withProgram || withProgram == 0 || withProgram == len(e.places) {
		t.Errorf("taxonomy_id: %d, %d items, want %d of %d", res.StatusCode, byTaxonomy.TotalItems, withProgram, len(e.places))
	}
	if res, _ = e.get(t, "/hsds/services?taxonomy_id=inconnue"); res.StatusCode != 400 {
		t.Errorf("unknown taxonomy_id: %d", res.StatusCode)
	}

	// ndjson: everything, one object per line
	res, body = e.get(t, "/hsds/services?format=ndjson")
	if n := bytes.Count(body, []byte("\n")); res.StatusCode != 200 || n != len(e.places) {
		t.Errorf("ndjson: %d, %d lines", res.StatusCode, n)
	}

	for target, param := range map[string]string{
		"/hsds/services?page=0":                               "page",
		"/hsds/services?per_page=1000":                        "per_page",
		"/hsds/services?taxonomy_term_id=x":                   "taxonomy_term_id",
		"/hsds/services?modified_after=hier":                  "modified_after",
		"/hsds/services?full=oui":                             "full",
		"/hsds/services?postcode=16000":                       "postcode",
		"/hsds/service_at_locations?postcode=99999":           "postcode",
		"/hsds/service_at_locations?proximity=1000":           "proximity",
		"/hsds/service_at_locations?lat=45":                   "lon",
		"/hsds/service_at_locations?organization_id=inconnue": "organization_id",
	} {
		res, body := e.get(t, target)
		var p problem
		if res.StatusCode != 400 || json.Unmarshal(body, &p) != nil || p.Parameter != param {
			t.Errorf("%s: %d %s", target, res.StatusCode, body)
		}
	}
}

func termOf(t testing.TB, taxonomy, name string) string {
	t.Helper()
	for _, term := range hsds.TaxonomyTerms() {
		if term.Name == name && term.TaxonomyID == hsds.TaxonomyID(taxonomy) {
			return term.ID
		}
	}
	t.Fatalf("no term %q in %s", name, taxonomy)
	return ""
}

func TestDataInclusionExports(t *testing.T) {
	e := newAPIEnv(t)
	schemas := publishedSchemas(t)
	v := newOpenAPIValidator(t)
	for _, kind := range []string{"structures", "services"} {
		target := "/api/v1/export/data-inclusion/" + kind
		res, body := e.get(t, target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", target, res.StatusCode, body)
		}
		v.check(t, target, "200", "application/json", body)
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			t.Fatal(err)
		}
		if kind == "structures" && len(items) != len(e.places) || kind == "services" && len(items) < len(e.places) {
			t.Errorf("%s: %d items for %d places", kind, len(items), len(e.places))
		}
		schema := schemas["data-inclusion/"+strings.TrimSuffix(kind, "s")+".json"]
		bad := 0
		for _, it := range items {
			inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(it))
			if err := schema.Validate(inst); err != nil {
				if bad++; bad <= 3 {
					t.Errorf("%s: %s\n%v", kind, it, err)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d objects do not follow the published schema", kind, bad, len(items))
		}
		// ndjson: the same objects, one a line
		_, nd := e.get(t, target+"?format=ndjson")
		sc := bufio.NewScanner(bytes.NewReader(nd))
		sc.Buffer(nil, 1<<20)
		n := 0
		for sc.Scan() {
			n++
		}
		if n != len(items) {
			t.Errorf("%s ndjson: %d lines, json %d items", kind, n, len(items))
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestHSDSUnderSwaps asks for HSDS services and organizations by id from
// several goroutines while the index is swapped: every answer is a 200,
// and (with -race) the id lookup is never read while it is built.
func TestHSDSUnderSwaps(t *testing.T) {
	e := newAPIEnv(t)
	targets := make([]string, 0, 100)
	for _, c := range e.places[:50] {
		targets = append(targets, "/hsds/services/"+hsds.ID(hsds.KindService, c.Place.ID),
			"/hsds/service_at_locations?organization_id="+hsds.ID(hsds.KindOrganization, c.Place.ID))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e.live.Store(search.Build(slices.Clone(e.places), testBuiltAt.Add(time.Duration(i)*time.Second)))
		}
	}()
	var readers sync.WaitGroup
	for g := 0; g < 4; g++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := 0; i < 60; i++ {
				target := targets[(g*7+i)%len(targets)]
				rec := httptest.NewRecorder()
				e.handler.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
				if rec.Code != 200 {
					t.Errorf("%s during swaps: %d %s", target, rec.Code, rec.Body)
					return
				}
			}
		}()
	}
	readers.Wait()
	close(stop)
	wg.Wait()
}
