package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"maillage"
	"maillage/sources"
	"maillage/stats"
	"maillage/territory"
)

var realBase struct {
	once sync.Once
	db   string
	err  error
}

// realDB imports every real source (sources.Samples) into a fresh SQLite
// base, with the merge after each import as `maillage import` does, once
// per test binary, and returns its --db value.
func realDB(b *testing.B) string {
	b.Helper()
	needShared(b)
	realBase.once.Do(func() {
		dir, err := os.MkdirTemp("", "maillage-real-")
		if err != nil {
			realBase.err = err
			return
		}
		realBase.db = "sqlite:" + filepath.Join(dir, "real.db")
		for _, s := range sources.Samples {
			if code, _, errOut := runCmd(importArgs(s.Source, sharedData+s.File, realBase.db)...); code != exitOK {
				realBase.err = fmt.Errorf("%s: %s", s.Source, errOut)
				return
			}
		}
		if code, _, errOut := runCmd("merge", "--db", realBase.db); code != exitOK {
			realBase.err = fmt.Errorf("merge: %s", errOut)
		}
	})
	if realBase.err != nil {
		b.Fatal(realBase.err)
	}
	return realBase.db
}

// realService returns the service's handler on the real dataset, as
// `maillage serve` builds it: the real data, the real wiring.
func realService(b *testing.B) http.Handler {
	b.Helper()
	db := realDB(b)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	store, err := openStore(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := startService(ctx, store, logger, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkRealIndicators computes every indicator of the observatory
// (package stats) for every commune and every level from the consolidated
// places of the real dataset.
func BenchmarkRealIndicators(b *testing.B) {
	db := realDB(b)
	ctx := context.Background()
	store, err := openStore(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ps, err := placeStore(store)
	if err != nil {
		b.Fatal(err)
	}
	var places []maillage.Consolidated
	if err := ps.ConsolidatedPlaces(ctx, func(c *maillage.Consolidated) error {
		places = append(places, *c)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	terr := territory.Default()
	now := time.Now()
	for b.Loop() {
		if _, err := stats.Compute(places, terr, stats.Options{Reference: now}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(places)), "places")
}

// BenchmarkRealPages measures the server time of the pages and the API on
// the real dataset (every real source imported and merged): the search
// page of results by postal code with a need (issue 7's "results page"),
// the same with the filters "open now" and "free", and the API's nearest places with a services
// filter. Each sub-benchmark reports the median and 99th percentile of
// one request's time (p50-µs, p99-µs), gzip included for the pages.
func BenchmarkRealPages(b *testing.B) {
	h := realService(b)
	rng := rand.New(rand.NewPCG(3, 5))
	var communes []string
	for _, c := range territory.Default().Communes() {
		if c.Population > 2000 && len(c.PostalCodes) > 0 {
			communes = append(communes, c.PostalCodes[0])
		}
	}
	needs := []string{"demarches", "outils", "emploi", "securite", "materiel"}
	pick := func(n int, f func() string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f()
		}
		return out
	}
	cases := []struct {
		name    string
		targets []string
	}{
		{"recherche", pick(512, func() string {
			return "/recherche?ou=" + communes[rng.IntN(len(communes))] + "&services=" + needs[rng.IntN(len(needs))]
		})},
		{"recherche-filtres", pick(512, func() string {
			return "/recherche?ou=" + communes[rng.IntN(len(communes))] + "&services=" + needs[rng.IntN(len(needs))] + "&ouvert=1&gratuit=1"
		})},
		{"api-lieux", pick(512, func() string {
			return fmt.Sprintf("/api/v1/lieux?lat=%.4f&lon=%.4f&services=%s", 43+rng.Float64()*7.5, -1+rng.Float64()*8,
				url.QueryEscape("Aide aux démarches administratives"))
		})},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			for i := 0; b.Loop(); i++ {
				req := httptest.NewRequest(http.MethodGet, c.targets[i%len(c.targets)], nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				durations = append(durations, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", req.URL, rec.Code, rec.Body)
				}
			}
			slices.Sort(durations)
			if n := len(durations); n > 0 {
				b.ReportMetric(float64(durations[n/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(durations[n*99/100].Microseconds()), "p99-µs")
			}
		})
	}
}
