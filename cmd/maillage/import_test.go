package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const v1CSV = `id,pivot,nom,commune,code_postal,adresse,date_maj,services,latitude,longitude
a,43493312300029,EPN de Reims,Reims,51100,1 rue de Vesle,2024-04-02,Aide aux démarches administratives,49.2535,4.0551
b,43493312300029,Médiathèque,Reims,51100,2 rue de Vesle,2024-04-02,Accès internet et matériel informatique,,
c,00000000000000,Sans adresse,Reims,51100,,2024-04-02,Aide aux démarches administratives,49.25,4.05
d,00000000000000,Nulle part,Villeinconnue,99999,3 rue,2024-04-02,Aide aux démarches administratives,,
`

// v2 changes b, removes a, adds e; c and d are still in quarantine.
const v2CSV = `id,pivot,nom,commune,code_postal,adresse,date_maj,services,latitude,longitude
b,43493312300029,Médiathèque Jean Falala,Reims,51100,2 rue de Vesle,2024-05-01,Accès internet et matériel informatique,,
c,00000000000000,Sans adresse,Reims,51100,,2024-04-02,Aide aux démarches administratives,49.25,4.05
d,00000000000000,Nulle part,Villeinconnue,99999,3 rue,2024-04-02,Aide aux démarches administratives,,
e,00000000000000,Tiers-lieu,Reims,51100,4 rue de Vesle,2024-05-01,Loisirs et créations numériques,49.26,4.03
`

func TestImportReimportQuarantineExport(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "m.db")
	f1 := writeFile(t, "v1.csv", v1CSV)

	code, out, errOut := runCmd("import", f1, "--source", "reims", "--db", db)
	if code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "4 ligne(s) lue(s) = 2 enregistrée(s) + 2 en quarantaine ; 2 ajoutée(s), 0 modifiée(s), 0 inchangée(s), 0 retirée(s)") {
		t.Fatalf("summary: %s", out)
	}
	// The same file again: nothing added, nothing changed.
	code, out, _ = runCmd("import", f1, "--source", "reims", "--db", db)
	if code != exitOK || !strings.Contains(out, "0 ajoutée(s), 0 modifiée(s), 2 inchangée(s), 0 retirée(s)") {
		t.Fatalf("re-import: exit %d: %s", code, out)
	}
	f2 := writeFile(t, "v2.csv", v2CSV)
	code, out, _ = runCmd("import", f2, "--source", "reims", "--db", db)
	if code != exitOK || !strings.Contains(out, "1 ajoutée(s), 1 modifiée(s), 0 inchangée(s), 1 retirée(s)") {
		t.Fatalf("modified file: exit %d: %s", code, out)
	}

	// Quarantine: c (no address) and d (no commune, no coordinates).
	code, out, _ = runCmd("quarantine", "--source", "reims", "--json", "--db", db)
	if code != exitOK {
		t.Fatalf("quarantine: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("quarantine: %d lines: %s", len(lines), out)
	}
	var q struct {
		Row      int    `json:"row"`
		RecordID string `json:"record_id"`
		Raw      map[string]string
		Findings []struct{ Code, Severity string }
	}
	json.Unmarshal([]byte(lines[1]), &q)
	if q.RecordID != "d" || q.Raw["commune"] != "Villeinconnue" || len(q.Findings) == 0 {
		t.Fatalf("quarantined row d: %+v", q)
	}
	codes := ""
	for _, f := range q.Findings {
		codes += f.Code + " "
	}
	if !strings.Contains(codes, "lieu_non_localisable") {
		t.Errorf("d should be quarantined as not placeable: %s", codes)
	}
	code, out, _ = runCmd("quarantine", "--source", "reims", "--db", db)
	if code != exitOK || !strings.Contains(out, "adresse obligatoire manquante") || !strings.Contains(out, "2 ligne(s) en quarantaine") {
		t.Errorf("quarantine report: %s", out)
	}

	// Sources lists the last import.
	code, out, _ = runCmd("sources", "--json", "--db", db)
	var sources []struct {
		Name       string
		LastImport struct{ Read, Stored, Quarantined int } `json:"last_import"`
	}
	if err := json.Unmarshal([]byte(out), &sources); err != nil || code != exitOK || len(sources) != 1 || sources[0].LastImport.Read != 4 || sources[0].LastImport.Stored != 2 {
		t.Fatalf("sources: %v %s", err, out)
	}

	// Export: b with its new name, e; b placed at the commune's centre.
	outFile := filepath.Join(dir, "export.geojson")
	code, _, errOut = runCmd("export", "--format", "geojson", "--source", "reims", "--output", outFile, "--db", db)
	if code != exitOK {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	data, _ := os.ReadFile(outFile)
	var fc struct {
		Features []struct {
			Geometry   *struct{ Coordinates []float64 }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(data, &fc); err != nil || len(fc.Features) != 2 {
		t.Fatalf("export: %v %s", err, data)
	}
	if fc.Features[0].Properties["nom"] != "Médiathèque Jean Falala" || fc.Features[0].Geometry == nil {
		t.Errorf("b exported as %+v", fc.Features[0])
	}
	// The exported file is valid national-schema data.
	code, report, _ := runCmd("validate", "--json", outFile)
	if code != exitOK {
		t.Errorf("exported file does not validate: %s", report)
	}
}

func TestImportErrors(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	if code, _, errOut := runCmd("import", filepath.Join(t.TempDir(), "absent.csv"), "--source", "x", "--db", db); code != exitUnreadable || !strings.Contains(errOut, "impossible d'ouvrir") {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
	if code, _, _ := runCmd("import", "x.csv", "--db", db); code != exitUnreadable {
		t.Errorf("no --source: exit %d", code)
	}
	if code, _, errOut := runCmd("sources", "--db", "mysql://x"); code != exitUnreadable || !strings.Contains(errOut, "sqlite:CHEMIN ou postgres://") {
		t.Errorf("bad --db: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCmd("quarantine", "--source", "nope", "--db", db); code != exitUnreadable || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown source: exit %d %s", code, errOut)
	}
	// A JSON file cut in the middle: the import fails, nothing is stored.
	bad := writeFile(t, "cut.json", `[{"id":"a","nom":"A","commune":"Reims","code_postal":"51100","adresse":"1 rue","date_maj":"2024-01-01"},{"id":`)
	if code, _, errOut := runCmd("import", bad, "--source", "cut", "--db", db); code != exitUnreadable || !strings.Contains(errOut, "interrompue") {
		t.Errorf("cut JSON: exit %d %s", code, errOut)
	}
	_, out, _ := runCmd("export", "--format", "ndjson", "--db", db)
	if strings.TrimSpace(out) != "" {
		t.Errorf("a failed import stored records: %s", out)
	}
}
