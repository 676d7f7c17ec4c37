package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"maillage/search"
)

// openAPIValidator compiles the schemas of the OpenAPI document.
type openAPIValidator struct {
	c *jsonschema.Compiler
}

func newOpenAPIValidator(t testing.TB) *openAPIValidator {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDocument))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("urn:maillage:openapi", doc); err != nil {
		t.Fatal(err)
	}
	return &openAPIValidator{c: c}
}

// pointer escapes a JSON pointer token.
func pointer(tokens ...string) string {
	out := ""
	for _, t := range tokens {
		out += "/" + strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}

// check validates body against the schema of path's response status in
// the media type.
func (v *openAPIValidator) check(t testing.TB, path, status, media string, body []byte) {
	t.Helper()
	loc := "urn:maillage:openapi#" + pointer("paths", path, "get", "responses", status)
	if status == "400" || status == "404" || status == "503" {
		loc = "urn:maillage:openapi#/components/schemas/Probleme"
	} else {
		loc += pointer("content", media, "schema")
	}
	sch, err := v.c.Compile(loc)
	if err != nil {
		t.Fatalf("%s %s %s: %v", path, status, media, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s %s %s: the answer does not follow the document:\n%v", path, status, media, err)
	}
}

// TestOpenAPIValidatesRealAnswers validates real answers of every
// endpoint (JSON variants, and the errors) against the document.
func TestOpenAPIValidatesRealAnswers(t *testing.T) {
	e := newAPIEnv(t)
	v := newOpenAPIValidator(t)
	cases := []struct{ path, target string }{
		{"/api/v1/lieux", "/api/v1/lieux"},
		{"/api/v1/lieux", "/api/v1/lieux?limite=500"},
		{"/api/v1/lieux", "/api/v1/lieux?lat=45.65&lon=0.16&limite=500&ouvert=maintenant"},
		{"/api/v1/lieux", "/api/v1/lieux?lat=45.65&lon=0.16&rayon=100000&limite=500&format=geojson"},
		{"/api/v1/lieux", "/api/v1/lieux?limite=500&format=geojson&tri=fraicheur"},
		{"/api/v1/lieux", "/api/v1/lieux?departement=988&limite=500&services=" + url.QueryEscape("Aide aux démarches administratives")},
		{"/api/v1/lieux/{id}", "/api/v1/lieux/" + url.PathEscape(e.merged)},
		{"/api/v1/sources", "/api/v1/sources"},
		{"/api/v1/sources/{name}", "/api/v1/sources/" + e.sources[0].Name},
		{"/api/v1/export", "/api/v1/export?format=json"},
		{"/api/v1/export", "/api/v1/export?format=geojson"},
		{"/api/v1/changements", "/api/v1/changements?depuis=2020-01-01T00:00:00Z"},
		{"/api/v1/territoires/communes", "/api/v1/territoires/communes?q=mars&limite=50"},
		{"/api/v1/territoires/communes", "/api/v1/territoires/communes?q=75"},
		{"/api/v1/openapi.json", "/api/v1/openapi.json"},
		{"/api/v1/lieux", "/api/v1/lieux?services=rien"},
		{"/api/v1/lieux/{id}", "/api/v1/lieux/inconnu"},
	}
	for i := range e.places[:200] {
		cases = append(cases, struct{ path, target string }{"/api/v1/lieux/{id}", "/api/v1/lieux/" + url.PathEscape(e.places[i].Place.ID)})
	}
	for _, c := range cases {
		res, body := e.get(t, c.target)
		media, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
		v.check(t, c.path, res.Status[:3], media, body)
	}
	// NDJSON: each line is a Resultat, each export line a schema row.
	for _, c := range []struct{ target, schema string }{
		{"/api/v1/lieux?limite=500&format=ndjson", "Resultat"},
		{"/api/v1/export?format=ndjson", "LigneSchemaNational"},
	} {
		sch, err := v.c.Compile("urn:maillage:openapi#/components/schemas/" + c.schema)
		if err != nil {
			t.Fatal(err)
		}
		_, body := e.get(t, c.target)
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sc.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("%s: %v", c.target, err)
				break
			}
		}
	}
}

// TestOpenAPIDescribesEveryRoute keeps the document in step with the
// routes and the search's parameters and vocabularies.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI    string                    `json:"openapi"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Parameters map[string]struct {
				Name   string `json:"name"`
				Schema struct {
					Items struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"schema"`
			} `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	// every GET route of the API files
	re := regexp.MustCompile(`s\.api\("GET (/[^"]*)"`)
	for _, file := range []string{"api.go", "api_hsds.go"} {
		src := mustRead(t, file)
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			if _, ok := doc.Paths[strings.TrimSuffix(m[1], "{$}")]["get"]; !ok {
				t.Errorf("route GET %s is not in openapi.json", m[1])
			}
		}
	}
	for _, name := range append(slices.Clone(searchParams), search.FilterFields()...) {
		p, ok := doc.Components.Parameters[name]
		if !ok || p.Name != name {
			t.Errorf("parameter %s of the search is not described", name)
			continue
		}
		if vals := search.FilterValues(name); vals != nil && !slices.Equal(p.Schema.Items.Enum, vals) {
			t.Errorf("%s: the document's values %v differ from the schema's %v", name, p.Schema.Items.Enum, vals)
		}
	}
}
