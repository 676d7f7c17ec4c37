package ingest

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"maillage/tabular"
)

// codeBlock returns the first fenced block of the given language in md.
func codeBlock(t *testing.T, md, lang string) string {
	t.Helper()
	_, after, ok := strings.Cut(md, "```"+lang+"\n")
	if !ok {
		t.Fatalf("pas de bloc %s dans docs/mappings.md", lang)
	}
	block, _, ok := strings.Cut(after, "```")
	if !ok {
		t.Fatalf("bloc %s non fermé", lang)
	}
	return block
}

// TestDocExample maps the example row of docs/mappings.md with the example
// mapping file of the same page, so the documentation cannot rot.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/mappings.md")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseMapping([]byte(codeBlock(t, string(doc), "yaml")), "ville-exemple.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The example file is in Windows-1252, as the mapping says.
	csv, err := charmap.Windows1252.NewEncoder().Bytes([]byte(codeBlock(t, string(doc), "csv")))
	if err != nil {
		t.Fatal(err)
	}
	r, err := tabular.NewReader(bytes.NewReader(csv), "ville-exemple.csv", m.ReaderOptions())
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CheckColumns(r.Header()); err != nil {
		t.Error(err)
	}
	md, err := m.Map(row)
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{
		"id":                              "12",
		"nom":                             "Médiathèque Jean Macé",
		"adresse":                         "3 rue Haute",
		"code_postal":                     "08000",
		"telephone":                       "0324330000",
		"site_web":                        "www.ville.fr",
		"date_maj":                        "2024-01-31",
		"services":                        "Maîtrise des outils numériques du quotidien|Aide aux démarches administratives|Accès internet et matériel informatique",
		"publics_specifiquement_adresses": "Seniors|Jeunes",
		"modalites_accompagnement":        "En autonomie",
		"horaires":                        "Tu,Th,Fr 14:00-18:00; We 10:00-12:00,14:00-18:00; Sa 10:00-17:00",
		"latitude":                        "",
	} {
		if got := get(md, field); got != want {
			t.Errorf("%s = %q, attendu %q", field, got, want)
		}
	}
	if md.Extra["statut"] != "ouvert" || len(md.Findings) != 0 {
		t.Errorf("Extra %v, constats %v", md.Extra, md.Findings)
	}
}
