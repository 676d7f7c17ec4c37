package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"maillage"
	"maillage/postgres"
	"maillage/storetest"
)

// testDatabase creates a database of its own for a test (or benchmark) and
// drops it at the end; it skips the test when MAILLAGE_TEST_POSTGRES_URL is
// not set. It returns the URL of the new database.
func testDatabase(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("MAILLAGE_TEST_POSTGRES_URL")
	if admin == "" {
		t.Skip("MAILLAGE_TEST_POSTGRES_URL non défini : tests PostgreSQL ignorés")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connexion à MAILLAGE_TEST_POSTGRES_URL : %v", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("maillage_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("création de la base de test : %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("connexion pour supprimer %s : %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("suppression de %s : %v", name, err)
		}
	})
	return withParam(t, admin, "dbname", name)
}

// withParam returns the connection string s with one more setting: a
// postgres:// URL gets a path or query parameter, a "key=value" string one
// more pair.
func withParam(t testing.TB, s, key, value string) string {
	if !strings.HasPrefix(s, "postgres://") && !strings.HasPrefix(s, "postgresql://") {
		return s + " " + key + "=" + value
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("MAILLAGE_TEST_POSTGRES_URL illisible : %v", err)
	}
	if key == "dbname" {
		u.Path = "/" + value
		return u.String()
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

var schemas atomic.Int64

// openSchema opens a Store on a new, empty schema of the database at dbURL:
// the tests of one run share a database, each has its own tables.
func openSchema(t testing.TB, dbURL string) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	schema := fmt.Sprintf("t%d", schemas.Add(1))
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, withParam(t, dbURL, "search_path", schema))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

func TestStore(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.Run(t, func(t *testing.T) maillage.Store { return openSchema(t, dbURL) })
}

func TestPlaceStore(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.RunPlaces(t, func(t *testing.T) maillage.PlaceStore { return openSchema(t, dbURL) })
}
