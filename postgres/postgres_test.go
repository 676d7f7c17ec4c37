package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"maillage"
	"maillage/postgres"
)

func TestOpenBadURL(t *testing.T) {
	ctx := context.Background()
	for _, url := range []string{
		"postgres://%zz",
		"postgres://127.0.0.1:1/x?pool_max_conns=beaucoup",
		"postgres://127.0.0.1:1/x?pool_max_conns=0",
	} {
		if st, err := postgres.Open(ctx, url); err == nil {
			st.Close()
			t.Errorf("Open(%q) = nil error; want one", url)
		}
	}
}

// TestTwoStores uses two Stores on one schema, as two processes would: the
// schema is migrated once, an import of a source under way in one makes
// BeginImport of that source fail at once in the other, and an import of
// another source runs alongside.
func TestTwoStores(t *testing.T) {
	dbURL := testDatabase(t)
	first := openSchema(t, dbURL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var schema string
	err := first.Conn(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema)
	})
	if err != nil {
		t.Fatal(err)
	}
	second, err := postgres.Open(ctx, withParam(t, withParam(t, dbURL, "search_path", schema), "pool_max_conns", "3"))
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer second.Close()
	var migrations int
	err = second.Conn(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&migrations)
	})
	if err != nil || migrations != 2 {
		t.Fatalf("schema_migrations has %d rows, %v; want 2 (one per migration, applied once)", migrations, err)
	}

	for _, name := range []string{"a", "b"} {
		if err := first.PutSource(ctx, maillage.Source{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	imp, err := first.BeginImport(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	if other, err := second.BeginImport(ctx, "a"); !errors.Is(err, maillage.ErrConflict) {
		if err == nil {
			other.Rollback()
		}
		t.Fatalf("BeginImport(a) in another Store during an import of a = %v; want ErrConflict", err)
	}
	short, cancelShort := context.WithTimeout(ctx, 5*time.Second)
	defer cancelShort()
	other, err := second.BeginImport(short, "b")
	if err != nil {
		t.Fatalf("BeginImport(b) during an import of a = %v; want it to proceed", err)
	}
	if err := other.Put(ctx, &maillage.Record{ID: "x", Place: maillage.Place{Name: "Lieu"}}); err != nil {
		t.Fatal(err)
	}
	if err := other.Commit(ctx, &maillage.Import{}); err != nil {
		t.Fatalf("Commit(b): %v", err)
	}
	if err := imp.Commit(ctx, &maillage.Import{}); err != nil {
		t.Fatalf("Commit(a): %v", err)
	}
	if r, err := first.Record(ctx, "b", "x"); err != nil || r.Place.Name != "Lieu" {
		t.Errorf("Record(b, x) = %+v, %v", r, err)
	}
}
