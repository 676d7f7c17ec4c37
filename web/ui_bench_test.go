package web

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// BenchmarkSearchPage measures the server time of a page of results (the
// nearest places of a postal code with a service filter, rendered and
// gzipped) on the demo dataset; it reports the median as p50-ms.
//
//	go test ./web -run '^$' -bench SearchPage -benchtime 2000x
func BenchmarkSearchPage(b *testing.B) {
	for _, bc := range []struct{ name, path string }{
		{"code-postal", "/recherche?ou=16000"},
		{"filtres", "/recherche?ou=69001&services=demarches&ouvert=1&page=2"},
		{"position", "/recherche?lat=43.2965&lon=5.3698&services=outils&gratuit=1"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := Handler(uiConfig(b))
			durations := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", bc.path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				durations = append(durations, time.Since(start))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", bc.path, rec.Code)
				}
			}
			slices.Sort(durations)
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
