package storetest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"maillage"
)

// BenchmarkImport measures imports of n synthetic records into st: "new"
// imports them into a fresh source each time, "unchanged" imports the same
// records again into a source that already holds them. Both report
// records/s.
func BenchmarkImport(b *testing.B, st maillage.Store, n int) {
	gen := NewSynthetic()
	ctx := context.Background()
	fresh := 0
	newSource := func(b *testing.B) string {
		fresh++
		name := fmt.Sprintf("bench-%d", fresh)
		if err := st.PutSource(ctx, maillage.Source{Name: name}); err != nil {
			b.Fatal(err)
		}
		return name
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			source := newSource(b)
			b.StartTimer()
			report := importSynthetic(b, st, gen, source, n)
			if report.Added != n {
				b.Fatalf("report %+v; want %d added", report, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("unchanged", func(b *testing.B) {
		source := newSource(b)
		importSynthetic(b, st, gen, source, n)
		b.ResetTimer()
		for b.Loop() {
			report := importSynthetic(b, st, gen, source, n)
			if report.Unchanged != n {
				b.Fatalf("report %+v; want %d unchanged", report, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
}

func importSynthetic(b *testing.B, st maillage.Store, gen *Synthetic, source string, n int) maillage.Import {
	ctx := context.Background()
	imp, err := st.BeginImport(ctx, source)
	if err != nil {
		b.Fatal(err)
	}
	defer imp.Rollback()
	var r maillage.Record
	for i := range n {
		gen.Record(&r, source, i)
		if err := imp.Put(ctx, &r); err != nil {
			b.Fatal(err)
		}
	}
	report := maillage.Import{File: source + ".csv"}
	if err := imp.Commit(ctx, &report); err != nil {
		b.Fatal(err)
	}
	return report
}

// BenchmarkReplaceConsolidated stores n consolidated places of two
// members each in an empty store (all created), then the same places
// again (nothing written), then with 1 % of them renamed, reporting each
// step's time per run as "created-s", "unchanged-s" and "changed1pct-s".
func BenchmarkReplaceConsolidated(b *testing.B, st maillage.PlaceStore, n int) {
	ctx := context.Background()
	places := make([]maillage.Consolidated, n)
	for i := range places {
		id := fmt.Sprintf("lieu-%09d", i)
		places[i] = consolidated(id, "Lieu "+id, ref("a", strconv.Itoa(i)), ref("b", strconv.Itoa(i)))
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var created, unchanged, changed time.Duration
	for b.Loop() {
		at = at.Add(time.Hour)
		if err := st.ReplaceConsolidated(ctx, nil, at); err != nil {
			b.Fatal(err)
		}
		at = at.Add(time.Hour)
		start := time.Now()
		if err := st.ReplaceConsolidated(ctx, places, at); err != nil {
			b.Fatal(err)
		}
		created += time.Since(start)
		at = at.Add(time.Hour)
		start = time.Now()
		if err := st.ReplaceConsolidated(ctx, places, at); err != nil {
			b.Fatal(err)
		}
		unchanged += time.Since(start)
		for i := 0; i < n; i += 100 {
			places[i].Place.Name += "'"
		}
		at = at.Add(time.Hour)
		start = time.Now()
		if err := st.ReplaceConsolidated(ctx, places, at); err != nil {
			b.Fatal(err)
		}
		changed += time.Since(start)
	}
	runs := float64(b.N)
	b.ReportMetric(created.Seconds()/runs, "created-s")
	b.ReportMetric(unchanged.Seconds()/runs, "unchanged-s")
	b.ReportMetric(changed.Seconds()/runs, "changed1pct-s")
}
