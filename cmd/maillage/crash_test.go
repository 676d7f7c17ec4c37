package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"maillage"
	"maillage/internal/synth"
	"maillage/territory"
)

// TestImportKilledLeavesPreviousVersion kills `maillage import` (SIGKILL,
// no chance to clean up) while it writes a new version of a source, then
// shows the store still holds the previous version, whole and uncorrupted,
// and still accepts imports.
func TestImportKilledLeavesPreviousVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "maillage")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := "sqlite:" + filepath.Join(dir, "crash.db")
	v1 := filepath.Join(dir, "v1.csv")
	v2 := filepath.Join(dir, "v2.csv")
	writeSynth(t, v1, 3_000, 1)
	writeSynth(t, v2, 400_000, 2)

	if out, err := exec.Command(bin, "import", v1, "--source", "synth", "--no-merge", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("import v1: %v\n%s", err, out)
	}
	before := snapshot(t, db)
	if len(before) == 0 {
		t.Fatal("v1 stored nothing")
	}

	cmd := exec.Command(bin, "import", v2, "--source", "synth", "--no-merge", "--db", db)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the import is writing (the WAL grows), then kill it.
	wal := filepath.Join(dir, "crash.db-wal")
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := os.Stat(wal)
		if err == nil && st.Size() > 4<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the import never started writing; stderr: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the import ended before it was killed (%v): the test proves nothing; stderr: %s", err, stderr.String())
	}

	after := snapshot(t, db)
	if len(after) != len(before) {
		t.Fatalf("after the crash: %d records, want the %d of v1", len(after), len(before))
	}
	for id, fp := range before {
		if after[id] != fp {
			t.Fatalf("record %s changed by the killed import", id)
		}
	}
	checkIntegrity(t, db)

	// The store still works: the full v2 import goes through.
	out, err := exec.Command(bin, "import", v2, "--source", "synth", "--no-merge", "--db", db).CombinedOutput()
	if err != nil {
		t.Fatalf("import v2 after the crash: %v\n%s", err, out)
	}
	if got := snapshot(t, db); len(got) < 300_000 {
		t.Fatalf("v2 after the crash: %d records", len(got))
	}
}

func writeSynth(t *testing.T, path string, rows int, seed uint64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := synth.Generate(f, territory.Default(), synth.Options{Rows: rows, Seed: seed}); err != nil {
		t.Fatal(err)
	}
}

// snapshot returns id → fingerprint of every record of the store.
func snapshot(t *testing.T, db string) map[string]string {
	t.Helper()
	ctx := context.Background()
	store, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	out := map[string]string{}
	if err := store.Records(ctx, "", func(r *maillage.Record) error {
		out[r.Source+"/"+r.ID] = r.Fingerprint
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkIntegrity runs SQLite's own check of the whole database file.
func checkIntegrity(t *testing.T, db string) {
	t.Helper()
	conn, err := sql.Open("sqlite", strings.TrimPrefix(db, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil {
		t.Fatal(err)
	}
	if result != "ok" {
		t.Fatalf("integrity_check: %s", result)
	}
}
