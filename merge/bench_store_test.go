package merge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/importer"
	"maillage/ingest"
	"maillage/sources"
	"maillage/sqlite"
	"maillage/territory"
)

// BenchmarkRefreshReal merges every record of every real source through a
// SQLite store, end to end, as `maillage merge` does: Load, Run,
// ConsolidateAll and ReplaceConsolidated. The database is prepared first,
// in a temporary directory (every file of sources.Samples imported with
// its shipped mapping, as `maillage import --no-merge` would; about ten
// seconds). "first" merges into a copy without consolidated places (every
// place is created; the copy is made outside the timing), "unchanged"
// merges again a database already merged (nothing is written). Each
// reports the time of every step, in ms. "read-places" reads every
// consolidated place back (ConsolidatedPlaces), as `maillage serve` does.
//
//	go test ./merge -run '^$' -bench RefreshReal -benchtime 3x
func BenchmarkRefreshReal(b *testing.B) {
	needShared(b)
	src := filepath.Join(b.TempDir(), "real.db")
	if err := importReal(src); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

	b.Run("first", func(b *testing.B) {
		var steps [4]time.Duration
		var out Refreshed
		for i := range b.N {
			b.StopTimer()
			st := copyDatabase(b, src, filepath.Join(b.TempDir(), "first.db"))
			b.StartTimer()
			var err error
			out, err = Refresh(ctx, st, st, DefaultOptions(), at.Add(time.Duration(i)*time.Second))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			st.Close()
			b.StartTimer()
			addSteps(&steps, out)
		}
		if out.Created != len(out.Places) {
			b.Fatalf("first merge: %d created, want %d", out.Created, len(out.Places))
		}
		reportSteps(b, steps, out)
		b.StopTimer()
		st := copyDatabase(b, src, filepath.Join(b.TempDir(), "check.db"))
		defer st.Close()
		out, err := Refresh(ctx, st, st, DefaultOptions(), at)
		if err != nil {
			b.Fatal(err)
		}
		checkStoredPlaces(b, st, out.Places)
	})

	b.Run("unchanged", func(b *testing.B) {
		st := copyDatabase(b, src, filepath.Join(b.TempDir(), "unchanged.db"))
		defer st.Close()
		if _, err := Refresh(ctx, st, st, DefaultOptions(), at); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		var steps [4]time.Duration
		var out Refreshed
		for i := range b.N {
			var err error
			out, err = Refresh(ctx, st, st, DefaultOptions(), at.Add(time.Duration(i+1)*time.Second))
			if err != nil {
				b.Fatal(err)
			}
			addSteps(&steps, out)
		}
		if out.Created+out.Updated+out.Deleted != 0 {
			b.Fatalf("unchanged merge: %d created, %d updated, %d deleted", out.Created, out.Updated, out.Deleted)
		}
		reportSteps(b, steps, out)
	})

	// Reading every consolidated place back, as `maillage serve` does to
	// build its search index.
	b.Run("read-places", func(b *testing.B) {
		st := copyDatabase(b, src, filepath.Join(b.TempDir(), "read.db"))
		defer st.Close()
		if _, err := Refresh(ctx, st, st, DefaultOptions(), at); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		n := 0
		for range b.N {
			n = 0
			if err := st.ConsolidatedPlaces(ctx, func(*maillage.Consolidated) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "places")
	})
}

func addSteps(steps *[4]time.Duration, out Refreshed) {
	steps[0] += out.Load
	steps[1] += out.Match
	steps[2] += out.Consolidate
	steps[3] += out.Store
}

func reportSteps(b *testing.B, steps [4]time.Duration, out Refreshed) {
	for i, name := range []string{"load-ms", "match-ms", "consolidate-ms", "store-ms"} {
		b.ReportMetric(float64(steps[i].Milliseconds())/float64(b.N), name)
	}
	b.ReportMetric(float64(out.Records), "records")
	b.ReportMetric(float64(len(out.Places)), "places")
}

// importReal imports every file of sources.Samples into a new SQLite
// database at path, with the shipped mappings (none for "schema-" files).
func importReal(path string) error {
	ctx := context.Background()
	st, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, s := range sources.Samples {
		if err := importSample(ctx, st, s); err != nil {
			return err
		}
	}
	return nil
}

func importSample(ctx context.Context, st maillage.Store, s sources.Sample) error {
	if err := st.PutSource(ctx, maillage.Source{Name: s.Source, Title: s.Source}); err != nil {
		return err
	}
	opt := importer.Options{Source: s.Source, File: s.File}
	if !strings.HasPrefix(s.Source, "schema-") {
		data, ok := sources.Mapping(s.Source)
		if !ok {
			return os.ErrNotExist
		}
		m, err := ingest.ParseMapping(data, "sources/"+s.Source+".yaml")
		if err != nil {
			return err
		}
		opt.Mapper = importer.FromMapping(m)
	}
	f, err := os.Open(sharedData + s.File)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = importer.Run(ctx, st, territory.Default(), f, opt)
	return err
}

// copyDatabase copies the closed SQLite database at src to dst (with its
// write-ahead log, if any) and opens the copy.
func copyDatabase(b *testing.B, src, dst string) *sqlite.Store {
	b.Helper()
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(src + suffix)
		if suffix != "" && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	st, err := sqlite.Open(dst)
	if err != nil {
		b.Fatal(err)
	}
	return st
}
