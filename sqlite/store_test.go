package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"maillage"
	"maillage/sqlite"
	"maillage/storetest"
)

// openTemp opens a Store in a new file of the test's temporary directory.
func openTemp(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "maillage.db"))
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
	storetest.Run(t, func(t *testing.T) maillage.Store { return openTemp(t) })
}

// sqlOpen opens path for writing, bypassing the Store, to set up odd cases.
func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }

func TestPlaceStore(t *testing.T) {
	storetest.RunPlaces(t, func(t *testing.T) maillage.PlaceStore { return openTemp(t) })
}

func TestEncodeConsolidated(t *testing.T) { storetest.TestEncodeConsolidated(t) }
