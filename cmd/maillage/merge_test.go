package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"maillage"
	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

const hubCSV = `id;pivot;nom;commune;code_postal;adresse;latitude;longitude;date_maj;services;telephone
h1;43493312300029;EPN de Reims;Reims;51100;1 rue de Vesle;49.2535;4.0290;2024-04-02;Aide aux démarches administratives;03 26 00 00 00
h2;;Médiathèque Jean Falala;Reims;51100;2 rue des Fuseliers;49.2580;4.0350;2024-04-02;Aide aux démarches administratives;
h3;;Fablab des Canuts;Lyon;69001;3 rue Terme;45.7690;4.8300;2024-04-02;Aide aux démarches administratives;
`

const deptCSV = `id;pivot;nom;commune;code_postal;adresse;latitude;longitude;date_maj;services;telephone
d1;43493312300029;Espace public numérique de Reims;Reims;51100;1 rue de Vesle;49.25352;4.02905;2025-01-10;Aide aux démarches administratives;03 26 00 00 00
d2;;Mairie de Reims;Reims;51100;9 place de l'Hôtel de Ville;49.2577;4.0317;2025-01-10;Aide aux démarches administratives;
`

// consolidatedMembers exports the consolidated places as NDJSON and
// returns, for each place id, its members as "source/id", sorted.
func consolidatedMembers(t *testing.T, db string) map[string][]string {
	t.Helper()
	code, out, errOut := runCmd("export", "--consolidated", "--format", "ndjson", "--db", db)
	if code != exitOK {
		t.Fatalf("export --consolidated: exit %d: %s", code, errOut)
	}
	places := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var p struct {
			ID      string               `json:"id"`
			Members []maillage.RecordRef `json:"fiches_sources"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("export --consolidated line %q: %v", line, err)
		}
		for _, m := range p.Members {
			places[p.ID] = append(places[p.ID], m.String())
		}
		sort.Strings(places[p.ID])
	}
	return places
}

// sameplace reports whether a and b are members of one place.
func samePlace(places map[string][]string, a, b string) bool {
	for _, members := range places {
		if strings.Contains(" "+strings.Join(members, " ")+" ", " "+a+" ") {
			return strings.Contains(" "+strings.Join(members, " ")+" ", " "+b+" ")
		}
	}
	return false
}

// TestMergeCommandDecisionsSurviveReimport: import merges, --unlink and
// --link win over the model, and still do after both sources are imported
// again (with changes).
func TestMergeCommandDecisionsSurviveReimport(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	hub, dept := writeFile(t, "hub.csv", hubCSV), writeFile(t, "dept.csv", deptCSV)
	for _, a := range [][]string{{hub, "hub"}, {dept, "dept"}} {
		code, out, errOut := runCmd("import", a[0], "--source", a[1], "--db", db)
		if code != exitOK || !strings.Contains(out, "Fusion : ") {
			t.Fatalf("import %s: exit %d: %s%s", a[1], code, out, errOut)
		}
	}
	places := consolidatedMembers(t, db)
	if len(places) != 4 || !samePlace(places, "hub/h1", "dept/d1") {
		t.Fatalf("after import: places %v; want 4, with hub/h1 and dept/d1 together (same SIRET and address)", places)
	}

	code, out, errOut := runCmd("merge", "--unlink", "hub/h1", "dept/d1", "--note", "deux guichets", "--db", db)
	if code != exitOK || !strings.Contains(out, "Décision enregistrée") || !strings.Contains(out, "Fusion : 5 fiche(s) → 5 lieu(x)") {
		t.Fatalf("merge --unlink: exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut = runCmd("merge", "--link", "dept/d2", "hub/h2", "--db", db)
	if code != exitOK || !strings.Contains(out, "Fusion : 5 fiche(s) → 4 lieu(x)") {
		t.Fatalf("merge --link: exit %d: %s%s", code, out, errOut)
	}
	check := func(when string) {
		t.Helper()
		places := consolidatedMembers(t, db)
		if samePlace(places, "hub/h1", "dept/d1") {
			t.Errorf("%s: hub/h1 and dept/d1 are unlinked but in one place: %v", when, places)
		}
		if !samePlace(places, "hub/h2", "dept/d2") {
			t.Errorf("%s: hub/h2 and dept/d2 are linked but apart: %v", when, places)
		}
	}
	check("after the decisions")

	// Both sources again, names changed: the decisions hold.
	hub2 := writeFile(t, "hub2.csv", strings.ReplaceAll(hubCSV, "EPN de Reims", "EPN Reims centre"))
	dept2 := writeFile(t, "dept2.csv", strings.ReplaceAll(deptCSV, "Mairie de Reims", "Hôtel de ville de Reims"))
	for _, a := range [][]string{{hub2, "hub"}, {dept2, "dept"}} {
		if code, out, errOut := runCmd("import", a[0], "--source", a[1], "--db", db); code != exitOK || !strings.Contains(out, "1 modifiée(s)") {
			t.Fatalf("re-import %s: exit %d: %s%s", a[1], code, out, errOut)
		}
	}
	check("after a re-import")
	if code, out, _ := runCmd("merge", "--db", db); code != exitOK || !strings.Contains(out, "0 lieu(x) créé(s), 0 modifié(s), 0 supprimé(s)") {
		t.Errorf("merge again without changes: exit %d: %s", code, out)
	}

	// --explain shows the terms, the score and the decision.
	code, out, errOut = runCmd("merge", "--explain", "hub/h1", "dept/d1", "--db", db)
	if code != exitOK || !strings.Contains(out, "score (probabilité d'un même lieu)") || !strings.Contains(out, "deux lieux différents (« deux guichets »)") {
		t.Errorf("merge --explain: exit %d: %s%s", code, out, errOut)
	}

	// --report --json is one object whose counts add up.
	code, out, errOut = runCmd("merge", "--report", "--json", "--db", db)
	if code != exitOK {
		t.Fatalf("merge --report --json: exit %d: %s", code, errOut)
	}
	var rep mergeReportData
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("merge --report --json: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("merge --report --json printed more than one JSON value")
	}
	if rep.Records != 5 || rep.Places != 4 || rep.Sizes["2"] != 1 || rep.Sizes["1"] != 3 || len(rep.Sources) != 2 {
		t.Errorf("report: %+v", rep)
	}
	if len(rep.Pairs) != 1 || !reflect.DeepEqual(rep.Pairs[0], pairReport{A: "dept", B: "hub", Places: 1, RecordsA: 1, RecordsB: 1, Sizes: map[string]int{"2": 1}}) {
		t.Errorf("report pairs: %+v, want dept/hub: 1 place", rep.Pairs)
	}
	code, out, _ = runCmd("merge", "--report", "--db", db)
	if code != exitOK || !strings.Contains(out, "Par paire de sources") || !strings.Contains(out, "5 fiche(s) → 4 lieu(x)") {
		t.Errorf("merge --report: exit %d: %s", code, out)
	}
}

func TestMergeCommandErrors(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	if code, _, errOut := runCmd("import", writeFile(t, "hub.csv", hubCSV), "--source", "hub", "--no-merge", "--db", db); code != exitOK {
		t.Fatalf("import: %s", errOut)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--link", "hub/h1"}, "il faut deux fiches"},
		{[]string{"--link", "hub/h1", "h2"}, "une fiche se nomme SOURCE/ID"},
		{[]string{"--link", "hub/h1", "hub/zz"}, "fiche « hub/zz » introuvable"},
		{[]string{"--unlink", "hub/h1", "autre/h1"}, "fiche « autre/h1 » introuvable"},
		{[]string{"--explain", "hub/h1", "hub/h1"}, "donnée deux fois"},
		{[]string{"--link", "--unlink", "hub/h1", "hub/h2"}, "s'excluent"},
		{[]string{"--json"}, "--json va avec --report"},
		{[]string{"hub/h1"}, "argument inattendu"},
	}
	for _, c := range cases {
		code, _, errOut := runCmd(append(append([]string{"merge"}, c.args...), "--db", db)...)
		if code != exitUnreadable || !strings.Contains(errOut, c.want) {
			t.Errorf("merge %v: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	// No decision was stored by the failures, and --no-merge left no place.
	if places := consolidatedMembers(t, db); len(places) != 0 {
		t.Errorf("after --no-merge and failed commands: places %v, want none", places)
	}
}

// TestExportConsolidatedRevalidates: every format of the consolidated
// export reads back through the national schema's decoder without error,
// the members column being the only field outside the schema.
func TestExportConsolidatedRevalidates(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "m.db")
	for _, a := range [][]string{{writeFile(t, "hub.csv", hubCSV), "hub"}, {writeFile(t, "dept.csv", deptCSV), "dept"}} {
		if code, _, errOut := runCmd("import", a[0], "--source", a[1], "--db", db); code != exitOK {
			t.Fatalf("import: %s", errOut)
		}
	}
	for _, format := range []string{"csv", "json", "ndjson", "geojson"} {
		out := filepath.Join(dir, "lieux."+format)
		code, _, errOut := runCmd("export", "--consolidated", "--format", format, "--output", out, "--db", db)
		if code != exitOK || !strings.Contains(errOut, "4 lieu(x) consolidé(s) exporté(s)") {
			t.Fatalf("export --consolidated --format %s: exit %d: %s", format, code, errOut)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		rd, err := schema.NewReader(bytes.NewReader(data), out, territory.Default(), tabular.Options{})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		n, merged := 0, 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			n++
			for _, f := range rec.Findings {
				if f.Severity == maillage.SeverityError {
					t.Errorf("%s row %d: %s: %s", format, rec.Row, f.Field, f.Message)
				}
			}
			members := rec.Place.Extra[membersField]
			if len(rec.Place.Extra) != 1 || members == "" {
				t.Errorf("%s row %d: fields outside the schema %v, want only %s", format, rec.Row, rec.Place.Extra, membersField)
			}
			if !strings.HasPrefix(rec.Place.ID, "lieu-") {
				t.Errorf("%s row %d: id %q, want a consolidated id", format, rec.Row, rec.Place.ID)
			}
			if strings.Contains(members, "h1") && strings.Contains(members, "d1") {
				merged++
				// The freshest date_maj of the members.
				if got := rec.Place.UpdatedOn.Format(maillage.DateLayout); got != "2025-01-10" {
					t.Errorf("%s: merged place date_maj %s, want 2025-01-10", format, got)
				}
			}
		}
		if n != 4 || merged != 1 {
			t.Errorf("%s: %d places, %d with hub/h1 and dept/d1; want 4 and 1", format, n, merged)
		}
	}
	// --source keeps the places with a record of that source.
	code, out, errOut := runCmd("export", "--consolidated", "--format", "csv", "--source", "dept", "--db", db)
	if code != exitOK || strings.Count(out, "\n") != 3 || !strings.Contains(errOut, "2 lieu(x)") {
		t.Errorf("export --consolidated --source dept: exit %d, %d lines: %s%s", code, strings.Count(out, "\n"), out, errOut)
	}
	if !strings.Contains(out, ",fiches_sources\n") || !strings.Contains(out, "dept/d1|hub/h1") {
		t.Errorf("CSV members column: %s", out)
	}
}
