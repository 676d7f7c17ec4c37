package hsds

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaBase is where the testdata schemas are registered: "$ref":
// "attribute.json" resolves next to the referring file.
const schemaBase = "https://maillage.test/hsds/"

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// hsdsSchemas compiles the published schemas in testdata once: every
// object schema by its file name ("service.json"), the compiled ones as
// "compiled/service.json", and the API's Page as "Page".
func hsdsSchemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	schemasOnce.Do(func() { schemas, schemasErr = compileSchemas() })
	if schemasErr != nil {
		t.Fatal(schemasErr)
	}
	return schemas
}

func compileSchemas() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	var names []string
	files, _ := filepath.Glob("testdata/*.json")
	gz, _ := filepath.Glob("testdata/compiled/*.json.gz")
	for _, f := range append(files, gz...) {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(f, ".gz") {
			r, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			if data, err = io.ReadAll(r); err != nil {
				return nil, err
			}
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(f), "testdata/"), ".gz")
		var doc any
		if name == "openapi.json" {
			// The API document is not a schema: take its Page.
			var api struct {
				Components struct {
					Schemas map[string]any `json:"schemas"`
				} `json:"components"`
			}
			if err := json.Unmarshal(data, &api); err != nil {
				return nil, err
			}
			doc, name = api.Components.Schemas["Page"], "Page"
		} else if doc, err = jsonschema.UnmarshalJSON(bytes.NewReader(data)); err != nil {
			return nil, err
		}
		if err := c.AddResource(schemaBase+name, doc); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		if n == "meta_table_description.json" {
			continue
		}
		s, err := c.Compile(schemaBase + n)
		if err != nil {
			return nil, err
		}
		out[n] = s
	}
	return out, nil
}

// validate checks v, marshalled as the API would, against schema name.
func validate(t testing.TB, name string, v any) {
	t.Helper()
	if err := validateErr(t, name, v); err != nil {
		b, _ := json.Marshal(v)
		if len(b) > 2000 {
			b = b[:2000]
		}
		t.Errorf("%s: %v\n%s", name, err, b)
	}
}

func validateErr(t testing.TB, name string, v any) error {
	t.Helper()
	s, ok := hsdsSchemas(t)[name]
	if !ok {
		t.Fatalf("no schema %s in testdata", name)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}
