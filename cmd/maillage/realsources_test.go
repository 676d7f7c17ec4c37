package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/sources"
)

const sharedData = "../../../shared/data/"

var summaryRE = regexp.MustCompile(`(\d+) ligne\(s\) lue\(s\) = (\d+) enregistrée\(s\) \+ (\d+) en quarantaine ; (\d+) ajoutée\(s\), (\d+) modifiée\(s\), (\d+) inchangée\(s\), (\d+) retirée\(s\)`)

// importArgs is the import command of a real source: with its shipped
// mapping, unless it is a "schema-" file.
func importArgs(source, file, db string) []string {
	args := []string{"import", file, "--source", source, "--no-merge", "--db", db}
	if !strings.HasPrefix(source, "schema-") {
		args = append(args, "--mapping", source)
	}
	return args
}

type importCounts struct{ read, stored, quarantined, added, changed, unchanged, removed int }

func parseSummary(t testing.TB, out string) importCounts {
	t.Helper()
	m := summaryRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no import summary in %q", out)
	}
	n := make([]int, 8)
	for i := 1; i < 8; i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	return importCounts{n[1], n[2], n[3], n[4], n[5], n[6], n[7]}
}

func needShared(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sharedData + "sources_raw"); err != nil {
		t.Skip("../shared/data absent: real-source import tests skipped")
	}
}

// TestEveryShippedMappingHasARealFile keeps the table above and sources/ in
// step.
func TestEveryShippedMappingHasARealFile(t *testing.T) {
	listed := map[string]bool{}
	for _, s := range sources.Samples {
		listed[s.Source] = true
	}
	for _, name := range sources.Names() {
		if !listed[name] {
			t.Errorf("sources/%s.yaml has no real file in sources.Samples", name)
		}
	}
}

// TestImportEveryRealSource imports every real source into one SQLite
// database: every row is stored or quarantined, and importing the same
// file again adds and changes nothing.
func TestImportEveryRealSource(t *testing.T) {
	needShared(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "real.db")
	for _, s := range sources.Samples {
		t.Run(s.Source, func(t *testing.T) {
			file := sharedData + s.File
			code, out, errOut := runCmd(importArgs(s.Source, file, db)...)
			if code != exitOK {
				t.Fatalf("import: exit %d: %s", code, errOut)
			}
			first := parseSummary(t, out)
			if first.read == 0 || first.read != first.stored+first.quarantined || first.added != first.stored {
				t.Fatalf("first import: %+v", first)
			}
			// No --mapping this time: the source remembers its mapping.
			code, out, errOut = runCmd("import", file, "--source", s.Source, "--no-merge", "--db", db)
			if code != exitOK {
				t.Fatalf("re-import: exit %d: %s", code, errOut)
			}
			again := parseSummary(t, out)
			if again.added != 0 || again.changed != 0 || again.removed != 0 || again.unchanged != first.stored {
				t.Fatalf("re-importing the same file: %+v (first %+v)", again, first)
			}
			t.Logf("%-36s lues %5d = enregistrées %5d + quarantaine %4d", s.Source, first.read, first.stored, first.quarantined)
		})
	}
}

// TestImportModifiedFileCountsExactChanges changes 3 stored places of a
// real file and removes 2: the import says exactly that.
func TestImportModifiedFileCountsExactChanges(t *testing.T) {
	needShared(t)
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "m.db")
	orig := sharedData + "lieux_schema/hinaura-transformed-2022.json"
	code, out, errOut := runCmd("import", orig, "--source", "hinaura-schema", "--db", db)
	if code != exitOK {
		t.Fatalf("import: %s", errOut)
	}
	first := parseSummary(t, out)
	data, _ := os.ReadFile(orig)
	var rows []map[string]any
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	ctx := context.Background()
	store, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	store.Records(ctx, "hinaura-schema", func(r *maillage.Record) error { stored[r.ID] = true; return nil })
	store.Close()
	var kept []map[string]any
	changed, removed := 0, 0
	for _, r := range rows {
		id, _ := r["id"].(string)
		switch {
		case stored[id] && changed < 3:
			r["nom"] = r["nom"].(string) + " (modifié)"
			changed++
		case stored[id] && removed < 2:
			removed++
			continue
		}
		kept = append(kept, r)
	}
	modified, _ := json.Marshal(kept)
	file := filepath.Join(dir, "hinaura-modifie.json")
	os.WriteFile(file, modified, 0o644)
	code, out, errOut = runCmd("import", file, "--source", "hinaura-schema", "--db", db)
	if code != exitOK {
		t.Fatalf("import of the modified file: %s", errOut)
	}
	got := parseSummary(t, out)
	if got.added != 0 || got.changed != 3 || got.removed != 2 || got.unchanged != first.stored-5 {
		t.Fatalf("modified file: %+v, want 0 added, 3 changed, 2 removed, %d unchanged", got, first.stored-5)
	}
}

// BenchmarkImportRealSources imports every real source into a fresh
// SQLite database and reports rows/s and the total time:
//
//	go test ./cmd/maillage -run '^$' -bench ImportRealSources -benchtime 1x
func BenchmarkImportRealSources(b *testing.B) {
	needShared(b)
	rows := 0
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		db := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
		start := time.Now()
		for _, s := range sources.Samples {
			code, out, errOut := runCmd(importArgs(s.Source, sharedData+s.File, db)...)
			if code != exitOK {
				b.Fatalf("%s: %s", s.Source, errOut)
			}
			rows += parseSummary(b, out).read
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/all-sources")
}
