package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseMapping checks the mapping parser never panics, whatever the
// YAML, and that a mapping it accepts maps a row without panicking.
func FuzzParseMapping(f *testing.F) {
	seeds := []string{
		"",
		"source: {name: x}",
		header + "fields: {nom: Nom, services: {column: S, split: ',', quoted: true, map: d}}\ndictionaries: {d: {values: {a: [b, c]}}}",
		header + "fields: {adresse: {template: '{N°} {Rue}[, {C}]'}}\ncoordinates: {lambert93: {x: x, y: y}}",
		header + "hours: {text: H, days: {lundi: L}}\nreject: [{when: A, in: [x], message: m}]",
		header + "x-a: &a {column: A}\nfields: {nom: *a, id: {hash: [A, B]}}",
		header + "fields: {commune: {commune_of: {postal_code: CP, text: [N]}}, code_postal: {postal_code_of: {commune: C}}}",
		"source: {name: x}\nfields: {nom: {template: '[[{A}]]}'}}",
		"- a\n- b",
		"source: !!binary AAAA",
	}
	// The real mapping files make good seeds.
	paths, _ := filepath.Glob("../sources/*.yaml")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, string(b))
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	r := row("Nom=Médiathèque", "A=1", "B=2", "S=a,\"b, c\"", "N°=3", "Rue=rue X", "x=652297,5", "y=6861636", "H=lundi 9h-12h", "L=9h-12h", "CP=51200", "C=Épernay")
	f.Fuzz(func(t *testing.T, data string) {
		m, err := ParseMapping([]byte(data), "fuzz.yaml")
		if err != nil {
			if m != nil {
				t.Fatal("mapping et erreur à la fois")
			}
			return
		}
		md, err := m.Map(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(md.Names) != len(md.Values) {
			t.Fatalf("%d noms, %d valeurs", len(md.Names), len(md.Values))
		}
	})
}
