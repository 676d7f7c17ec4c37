package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"maillage"
	"maillage/importer"
	"maillage/internal/synth"
	"maillage/postgres"
	"maillage/sqlite"
	"maillage/territory"
)

// benchRows is the size of the synthetic file: 100,000 rows by default,
// MAILLAGE_BENCH_ROWS=1000000 for the 1M-row figure.
func benchRows(b *testing.B) int {
	if v := os.Getenv("MAILLAGE_BENCH_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("MAILLAGE_BENCH_ROWS: %v", err)
		}
		return n
	}
	return 100_000
}

// synthFile returns a synthetic CSV of n rows, generated once into the
// temporary folder (same seed, same file).
func synthFile(b *testing.B, n int) string {
	name := filepath.Join(os.TempDir(), fmt.Sprintf("maillage-synth-%d.csv", n))
	if st, err := os.Stat(name); err == nil && st.Size() > 0 {
		return name
	}
	f, err := os.Create(name + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.Generate(f, territory.Default(), synth.Options{Rows: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(name+".tmp", name); err != nil {
		b.Fatal(err)
	}
	return name
}

// benchmarkImport imports the synthetic file into a fresh source, then the
// same file again (every record unchanged), and reports rows/s for each.
func benchmarkImport(b *testing.B, store maillage.Store) {
	ctx := context.Background()
	n := benchRows(b)
	name := synthFile(b, n)
	territory.Default()
	b.ResetTimer()
	var first, again time.Duration
	for i := 0; i < b.N; i++ {
		source := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)
		if err := store.PutSource(ctx, maillage.Source{Name: source, Title: source}); err != nil {
			b.Fatal(err)
		}
		for round := 0; round < 2; round++ {
			f, err := os.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			imp, err := importer.Run(ctx, store, territory.Default(), f, importer.Options{Source: source, File: name})
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
			if imp.Read != n {
				b.Fatalf("read %d rows, want %d", imp.Read, n)
			}
			if round == 0 {
				first += time.Since(start)
			} else {
				again += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/first.Seconds(), "rows/s-new")
	b.ReportMetric(float64(n*b.N)/again.Seconds(), "rows/s-unchanged")
}

// BenchmarkImportSQLite: go test ./importer -run '^$' -bench ImportSQLite -benchtime 1x
func BenchmarkImportSQLite(b *testing.B) {
	store, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	benchmarkImport(b, store)
}

// BenchmarkImportPostgres needs MAILLAGE_TEST_POSTGRES_URL; it imports into
// that database's own schema tables (sources named bench-…).
func BenchmarkImportPostgres(b *testing.B) {
	url := os.Getenv("MAILLAGE_TEST_POSTGRES_URL")
	if url == "" {
		b.Skip("MAILLAGE_TEST_POSTGRES_URL non défini : benchmark PostgreSQL ignoré")
	}
	store, err := postgres.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	benchmarkImport(b, store)
}
