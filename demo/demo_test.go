package demo

import (
	"context"
	"path/filepath"
	"testing"

	"maillage"
	"maillage/sqlite"
	"maillage/territory"
)

func TestLoadIntoEmptyStore(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if empty, err := Empty(ctx, store); err != nil || !empty {
		t.Fatalf("new store: empty=%v err=%v", empty, err)
	}
	imports, err := Load(ctx, store, territory.Default())
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != len(Sources) {
		t.Fatalf("%d imports for %d sources", len(imports), len(Sources))
	}
	stored := 0
	for _, imp := range imports {
		if imp.Read != imp.Stored+imp.Quarantined {
			t.Errorf("%s: read %d != %d + %d", imp.Source, imp.Read, imp.Stored, imp.Quarantined)
		}
		stored += imp.Stored
	}
	// The files have 687 + 792 + 188 + 90 + 12 rows; most are valid.
	if stored < 1500 {
		t.Errorf("only %d places stored from the demo", stored)
	}
	if empty, _ := Empty(ctx, store); empty {
		t.Error("store still empty after Load")
	}
	n := 0
	store.Records(ctx, "demo-nouvelle-caledonie", func(r *maillage.Record) error {
		n++
		return nil
	})
	if n == 0 {
		t.Error("no Nouvelle-Calédonie place stored")
	}
}
