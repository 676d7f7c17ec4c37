package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/sqlite"
)

func TestOpenNeedsAFile(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:x?mode=memory", "x.db?_pragma=foreign_keys(0)"} {
		st, err := sqlite.Open(path)
		if err == nil {
			st.Close()
		}
		if !errors.Is(err, maillage.ErrInvalid) {
			t.Errorf("Open(%q) = %v; want ErrInvalid", path, err)
		}
	}
}

func TestSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	for range 2 { // the second Open finds the schema up to date
		st, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	st := openAt(t, path)
	ctx := context.Background()
	tests := []struct {
		query string
		want  string
	}{
		{"PRAGMA journal_mode", "wal"},
		{"PRAGMA foreign_keys", "1"},
		{"PRAGMA page_size", "32768"},
		{"PRAGMA query_only", "1"},
		{"SELECT group_concat(version || ':' || name) FROM schema_migrations", "1:001_init.sql,2:002_record_digest.sql,3:003_records_digest_index.sql,4:004_places.sql,5:005_places_hash_index.sql"},
	}
	for _, tt := range tests {
		var got string
		if err := st.DB().QueryRowContext(ctx, tt.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if got != tt.want {
			t.Errorf("%s = %q; want %q", tt.query, got, tt.want)
		}
	}
	if _, err := st.DB().ExecContext(ctx, "INSERT INTO sources (name) VALUES ('x')"); err == nil {
		t.Error("writing through DB() succeeded; want a read-only pool")
	}
}

// openAt opens the Store at path and closes it when the test ends.
func openAt(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	st := openAt(t, path)
	st.Close()
	// Another program, newer, migrated the file further.
	db, err := sqlOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations VALUES (999, '999_future.sql', '')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, err := sqlite.Open(path); err == nil || !strings.Contains(err.Error(), "plus récent") {
		if err == nil {
			st.Close()
		}
		t.Fatalf("Open of a newer schema = %v; want an error saying so", err)
	}
}

// TestWritesWait checks the documented choice: while an import holds the
// writer, an import of another source waits (here until its context ends).
func TestWritesWait(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		if err := st.PutSource(ctx, maillage.Source{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	imp, err := st.BeginImport(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if other, err := st.BeginImport(short, "b"); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			other.Rollback()
		}
		t.Fatalf("BeginImport(b) during an import of a = %v; want it to wait until its deadline", err)
	}
	if err := imp.Rollback(); err != nil {
		t.Fatal(err)
	}
	other, err := st.BeginImport(ctx, "b")
	if err != nil {
		t.Fatalf("BeginImport(b) once a is over: %v", err)
	}
	other.Rollback()
}

// TestTwoStoresOneFile runs imports through two Stores on the same file, as
// two processes would: SQLite's lock makes them take turns, and the file
// stays sound.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	stores := []*sqlite.Store{openAt(t, path), openAt(t, path)}
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		if err := stores[0].PutSource(ctx, maillage.Source{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	const n = 2000
	errs := make(chan error, 4)
	for i, st := range []*sqlite.Store{stores[0], stores[1], stores[0], stores[1]} {
		source := []string{"a", "a", "b", "b"}[i]
		go func() {
			imp, err := st.BeginImport(ctx, source)
			if err != nil {
				if errors.Is(err, maillage.ErrConflict) { // same Store, same source
					errs <- nil
					return
				}
				errs <- err
				return
			}
			defer imp.Rollback()
			for j := range n {
				r := &maillage.Record{ID: fmt.Sprintf("%05d", j), Row: j + 1, Fingerprint: fmt.Sprint(i),
					Place: maillage.Place{Name: "Lieu"}}
				if err := imp.Put(ctx, r); err != nil {
					errs <- err
					return
				}
			}
			errs <- imp.Commit(ctx, &maillage.Import{})
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("import: %v", err)
		}
	}
	var check string
	if err := stores[1].DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	for _, source := range []string{"a", "b"} {
		count := 0
		err := stores[1].Records(ctx, source, func(*maillage.Record) error { count++; return nil })
		if err != nil || count != n {
			t.Errorf("%s: %d records, %v; want %d", source, count, err, n)
		}
	}
}

// TestReimportSkipsIdentical checks that a re-import writes only what
// changed: identical records keep their digest, records without one (written
// before the digest existed) are rewritten with it, and the counts are
// exact.
func TestReimportSkipsIdentical(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maillage.db")
	st := openAt(t, path)
	ctx := context.Background()
	if err := st.PutSource(ctx, maillage.Source{Name: "a"}); err != nil {
		t.Fatal(err)
	}
	load := func(fps ...string) maillage.Import {
		t.Helper()
		imp, err := st.BeginImport(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		defer imp.Rollback()
		for i, fp := range fps {
			r := &maillage.Record{ID: fmt.Sprint(i), Row: i + 1, Fingerprint: fp, Place: maillage.Place{Name: "Lieu " + fp},
				Raw: []byte(`{"nom":"Lieu ` + fp + `"}`)}
			if i%2 == 0 {
				r.Encode(nil, false) // the importer's way; the others are encoded by Put
			}
			if err := imp.Put(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		report := maillage.Import{}
		if err := imp.Commit(ctx, &report); err != nil {
			t.Fatal(err)
		}
		return report
	}
	load("x", "x", "x", "x")
	db, err := sqlOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE records SET digest = NULL WHERE id = '1'"); err != nil {
		t.Fatal(err)
	}
	got := load("x", "x", "y") // 0 identical, 1 without digest, 2 changed, 3 removed
	if got.Added != 0 || got.Changed != 1 || got.Unchanged != 2 || got.Removed != 1 {
		t.Errorf("re-import = %+v; want 1 changed, 2 unchanged, 1 removed", got)
	}
	var nulls, n int
	if err := db.QueryRow("SELECT count(*) FILTER (WHERE digest IS NULL), count(*) FROM records").Scan(&nulls, &n); err != nil {
		t.Fatal(err)
	}
	if nulls != 0 || n != 3 {
		t.Errorf("%d records, %d without digest; want 3, all with one", n, nulls)
	}
	r, err := st.Record(ctx, "a", "2")
	if err != nil || r.Fingerprint != "y" || r.Place.Name != "Lieu y" || string(r.Raw) != `{"nom":"Lieu y"}` {
		t.Errorf("Record(2) = %+v, %v; want the new version", r, err)
	}
}

// TestDigestCoversEveryColumn checks that changing any stored part of a
// record changes its digest: a re-import skips records of equal digests.
func TestDigestCoversEveryColumn(t *testing.T) {
	base := func() *maillage.Record {
		return &maillage.Record{ID: "a", Row: 1, Fingerprint: "f", Precision: maillage.PrecisionExact,
			Place: maillage.Place{ID: "a", Name: "Lieu"}, Raw: []byte(`{"nom":"Lieu"}`),
			Warnings: []maillage.Finding{{Row: 1, Code: "c", Severity: maillage.SeverityWarning}}}
	}
	digest := func(r *maillage.Record) uint64 {
		r.Encode(nil, false)
		return r.Encoded.Digest
	}
	want := digest(base())
	if again := digest(base()); again != want {
		t.Fatalf("digest of the same record: %x then %x", want, again)
	}
	changes := map[string]func(r *maillage.Record){
		"row":            func(r *maillage.Record) { r.Row = 2 },
		"fingerprint":    func(r *maillage.Record) { r.Fingerprint = "g" },
		"precision":      func(r *maillage.Record) { r.Precision = maillage.PrecisionCommune },
		"place":          func(r *maillage.Record) { r.Place.Name = "Autre lieu" },
		"raw":            func(r *maillage.Record) { r.Raw = []byte(`{"nom":"Autre"}`) },
		"raw nil":        func(r *maillage.Record) { r.Raw = nil },
		"warnings":       func(r *maillage.Record) { r.Warnings[0].Code = "d" },
		"no warnings":    func(r *maillage.Record) { r.Warnings = nil },
		"empty warnings": func(r *maillage.Record) { r.Warnings = []maillage.Finding{} },
	}
	for name, change := range changes {
		r := base()
		change(r)
		if got := digest(r); got == want {
			t.Errorf("%s changed, digest unchanged (%x)", name, got)
		}
	}
}
