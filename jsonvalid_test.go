package maillage

import (
	"encoding/json"
	"strings"
	"testing"
)

var jsonSamples = []string{
	`{}`, `[]`, `{"a":1}`, `{"a":[1,2.5,-3e10,true,false,null,"x\u00e9\n"]}`, ` {"a" : { "b" : [ ] } } `,
	`{"a":1,}`, `[1,]`, `{"a"}`, `{a:1}`, `01`, `1.`, `-`, `1e`, `"\x"`, "\"\x01\"", `"\ud83d"`, `tru`, `nul`,
	`{"a":1}x`, ``, ` `, `"é"`, "\"\xff\"", `[` + strings.Repeat(`[`, 20) + strings.Repeat(`]`, 21),
}

func TestValidJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		if got, want := ValidJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("ValidJSON(%q) = %v, encoding/json says %v", s, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := ValidJSON(b), json.Valid(b); got != want {
			t.Fatalf("ValidJSON(%q) = %v, encoding/json says %v", b, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	p := fullPlace()
	doc, _ := json.Marshal(p)
	b.SetBytes(int64(len(doc)))
	b.Run("ValidJSON", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ValidJSON(doc)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			json.Valid(doc)
		}
	})
}
