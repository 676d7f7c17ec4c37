package tabular

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// drain reads every record of r, checking the invariants every row must
// hold. It fails when the reader does not make progress.
func drain(t *testing.T, r *Reader, size int) {
	t.Helper()
	for n := 0; ; n++ {
		if n > size+2 {
			t.Fatalf("plus de %d enregistrements pour %d octets : le lecteur n'avance plus", n, size)
		}
		row, err := r.Next()
		if err == io.EOF {
			return
		}
		var re *RowError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("erreur qui n'est pas une *RowError : %v", err)
		}
		if re != nil && re.Fatal {
			return
		}
		if row == nil {
			continue
		}
		if len(row.Names) != len(row.Values) {
			t.Fatalf("%d noms pour %d valeurs", len(row.Names), len(row.Values))
		}
		for i, name := range row.Names {
			if v, ok := row.Get(name); !ok || (r.Format() == CSV && v != row.Values[i]) {
				t.Fatalf("Get(%q) = %q, %v ; attendu %q", name, v, ok, row.Values[i])
			}
		}
		row.Point()
	}
}

func FuzzCSV(f *testing.F) {
	f.Add("nom;ville\nA;B\n", uint8(0), uint8(0))
	f.Add("a,b\n\"x\ny\",\"z\"\"\"\n1,2,3\n", uint8(1), uint8(0))
	f.Add("titre\na\tb\n1\t2", uint8(2), uint8(1))
	f.Add("\ufeffa|a|\n1|2|3\n", uint8(0), uint8(0))
	f.Add("caf\xe9;th\xe9\nx;y", uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, content string, headerLine, skip uint8) {
		opt := Options{Format: CSV, HeaderLine: int(headerLine % 4), SkipAfterHeader: int(skip % 3)}
		r, err := NewReader(strings.NewReader(content), "fuzz.csv", opt)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, h := range r.Header() {
			if h == "" || seen[h] {
				t.Fatalf("nom de colonne vide ou en double : %q", r.Header())
			}
			seen[h] = true
		}
		drain(t, r, len(content))
	})
}

func FuzzJSON(f *testing.F) {
	f.Add(`[{"a": 1, "b": {"c": [1, "x", null]}}, 2, {"d": [{"e": true}]}]`, uint8(0))
	f.Add(`{"meta": 1, "data": [{"a": "\u00e9\"x\""}], "autre": [{"b": 1}]}`, uint8(1))
	f.Add("{\"a\": 1}\n{\"a\": [1,2]}\nnot json\n[1]\n", uint8(2))
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","id":3,"properties":{"nom":"x"},"geometry":{"type":"Point","coordinates":[1.5,46]}}]}`, uint8(3))
	f.Add(`[{"a": 1}, {"a": 2,, }]`, uint8(0))
	f.Fuzz(func(t *testing.T, content string, format uint8) {
		formats := []Format{JSON, JSON, NDJSON, GeoJSON, Auto}
		opt := Options{Format: formats[int(format)%len(formats)]}
		r, err := NewReader(strings.NewReader(content), "fuzz.json", opt)
		if err != nil {
			return
		}
		drain(t, r, len(content))
	})
}
