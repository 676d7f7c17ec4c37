package web

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"maillage/search"
)

// BenchmarkAPINearestWithServices serves GET /api/v1/lieux near random
// points of France with a services filter, in-process (no network), over
// the demo places: the handler's own cost (parsing, ETag, search, JSON).
// It reports the p50 and p99 latency of one request.
func BenchmarkAPINearestWithServices(b *testing.B) {
	e := newAPIEnv(b)
	services := search.FilterValues("services")
	rng := rand.New(rand.NewPCG(7, 11))
	targets := make([]string, 1024)
	for i := range targets {
		targets[i] = fmt.Sprintf("/api/v1/lieux?lat=%.5f&lon=%.5f&services=%s",
			42.4+rng.Float64()*8.6, -4.6+rng.Float64()*12.8, url.QueryEscape(services[rng.IntN(len(services))]))
	}
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, targets[i%len(targets)], nil)
		rec := httptest.NewRecorder()
		start := time.Now()
		e.handler.ServeHTTP(rec, req)
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
}
