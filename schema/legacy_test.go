package schema

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/schema-v0.1.md from LegacyMappings")

const legacyDoc = "../docs/schema-v0.1.md"

// legacyDocText renders the v0.1 → v1 table for people.
func legacyDocText() string {
	var b strings.Builder
	b.WriteString(`# Reading the legacy schema v0.1

Most real files still use the 2022 version of the national schema (v0.1).
Maillage reads them and converts every value to v1.0.2 through one table,
` + "`LegacyMappings`" + ` in ` + "`schema/legacy.go`" + `; this page is generated from it
(` + "`go test ./schema -run TestLegacyDoc -update`" + `) and a test keeps both equal.

Renamed fields: ` + "`courriel`" + ` → ` + "`courriels`" + `, ` + "`labels_autres`" + ` →
` + "`autres_formations_labels`" + `, ` + "`accessibilite`" + ` → ` + "`fiche_acces_libre`" + `
(` + "`conditions_access`" + `, a misspelling found in the real CNFS files, is read as
` + "`conditions_acces`" + `). ` + "`cle_ban`" + ` has no v1 field: it is reported as a warning
(` + "`ancien_champ_non_repris`" + `). Multi-values are split on ` + "`;`" + ` (v0.1) and ` + "`|`" + `
(v1), and also on ` + "`, `" + ` when every piece is a known value (the CNFS files).
Short forms of the long v0.1 values ("Gratuit", "Seul", "Seniors") are understood.

A value with no exact v1 equivalent is never dropped silently: the row gets a
warning (` + "`ancienne_valeur_sans_equivalent`" + `) with the note below, and the value is
kept where the table says (often ` + "`autres_formations_labels`" + `).

| v0.1 field | v0.1 value | v1 field | v1 value | note |
|---|---|---|---|---|
`)
	for _, m := range LegacyMappings {
		nv := m.NewValue
		if nv == "" {
			nv = "(none)"
		}
		b.WriteString("| " + m.OldField + " | " + m.OldValue + " | " + m.NewField + " | " + nv + " | " + m.Note + " |\n")
	}
	return b.String()
}

func TestLegacyDoc(t *testing.T) {
	want := legacyDocText()
	if *update {
		if err := os.WriteFile(legacyDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(legacyDoc)
	if err != nil {
		t.Fatalf("%v (run go test ./schema -run TestLegacyDoc -update)", err)
	}
	if string(got) != want {
		t.Fatal("docs/schema-v0.1.md is out of date: go test ./schema -run TestLegacyDoc -update")
	}
}

// TestLegacyTableTargetsV1 checks every destination is a v1 value.
func TestLegacyTableTargetsV1(t *testing.T) {
	vocabs := map[string]*vocabulary{
		FieldServices: vocabServices, FieldNationalPrograms: vocabNationalPrograms,
		FieldTrainingsLabels: vocabTrainingsLabels, FieldFees: vocabFees, FieldPublics: vocabPublics,
		FieldSpecificSupport: vocabSpecificSupport, FieldSupportModes: vocabSupportModes,
	}
	seen := map[string]bool{}
	for _, m := range LegacyMappings {
		key := m.OldField + "\x00" + m.OldValue
		if seen[key] {
			t.Errorf("%s « %s » mapped twice", m.OldField, m.OldValue)
		}
		seen[key] = true
		if m.NewField == FieldOtherLabels {
			if m.Note == "" {
				t.Errorf("%s « %s » goes to autres_formations_labels without a note", m.OldField, m.OldValue)
			}
			continue
		}
		if m.NewValue == "" && m.Note != "" {
			continue
		}
		v, ok := vocabs[m.NewField]
		if !ok {
			t.Errorf("unknown destination field %s", m.NewField)
			continue
		}
		if _, corrected, ok := v.lookup(m.NewValue); !ok || corrected {
			t.Errorf("%s « %s » → %s « %s »: not a v1 value", m.OldField, m.OldValue, m.NewField, m.NewValue)
		}
	}
	// The 15 old services are all there.
	n := 0
	for _, m := range LegacyMappings {
		if m.OldField == "services" {
			n++
		}
	}
	if n != 15 {
		t.Errorf("%d old services mapped, want 15", n)
	}
}
