package web

import (
	"bufio"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// latencyBuckets are the upper bounds, in seconds, of the request
// duration histogram.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts the requests served, lock-free on the request path.
type metrics struct {
	routes sync.Map // route pattern → *routeMetrics
}

type routeMetrics struct {
	statuses sync.Map // status code → *atomic.Uint64
	buckets  []atomic.Uint64
	count    atomic.Uint64
	sumNanos atomic.Uint64
}

// observe records one request of route (the ServeMux pattern, "" when
// none matched).
func (m *metrics) observe(route string, status int, d time.Duration) {
	if route == "" {
		route = "aucune"
	}
	v, ok := m.routes.Load(route)
	if !ok {
		v, _ = m.routes.LoadOrStore(route, &routeMetrics{buckets: make([]atomic.Uint64, len(latencyBuckets))})
	}
	rm := v.(*routeMetrics)
	c, ok := rm.statuses.Load(status)
	if !ok {
		c, _ = rm.statuses.LoadOrStore(status, new(atomic.Uint64))
	}
	c.(*atomic.Uint64).Add(1)
	secs := d.Seconds()
	for i, le := range latencyBuckets {
		if secs <= le {
			rm.buckets[i].Add(1)
			break
		}
	}
	rm.count.Add(1)
	rm.sumNanos.Add(uint64(d))
}

// metricsRoutes registers /metrics.
func (s *Server) metricsRoutes() {
	s.mux.HandleFunc("GET /metrics", s.serveMetrics)
}

// serveMetrics writes the metrics in the Prometheus text format (0.0.4).
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	defer bw.Flush()

	var routes []string
	s.metrics.routes.Range(func(k, _ any) bool { routes = append(routes, k.(string)); return true })
	slices.Sort(routes)

	fmt.Fprintln(bw, "# HELP maillage_http_requests_total Requêtes HTTP servies, par route et statut.")
	fmt.Fprintln(bw, "# TYPE maillage_http_requests_total counter")
	for _, route := range routes {
		v, _ := s.metrics.routes.Load(route)
		rm := v.(*routeMetrics)
		var codes []int
		rm.statuses.Range(func(k, _ any) bool { codes = append(codes, k.(int)); return true })
		slices.Sort(codes)
		for _, code := range codes {
			c, _ := rm.statuses.Load(code)
			fmt.Fprintf(bw, "maillage_http_requests_total{route=%s,status=\"%d\"} %d\n", label(route), code, c.(*atomic.Uint64).Load())
		}
	}
	fmt.Fprintln(bw, "# HELP maillage_http_request_duration_seconds Durée des requêtes HTTP, par route.")
	fmt.Fprintln(bw, "# TYPE maillage_http_request_duration_seconds histogram")
	for _, route := range routes {
		v, _ := s.metrics.routes.Load(route)
		rm := v.(*routeMetrics)
		count := rm.count.Load()
		var cum uint64
		for i, le := range latencyBuckets {
			cum += rm.buckets[i].Load()
			fmt.Fprintf(bw, "maillage_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", label(route), strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(bw, "maillage_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(route), max(count, cum))
		fmt.Fprintf(bw, "maillage_http_request_duration_seconds_sum{route=%s} %g\n", label(route), float64(rm.sumNanos.Load())/1e9)
		fmt.Fprintf(bw, "maillage_http_request_duration_seconds_count{route=%s} %d\n", label(route), max(count, cum))
	}

	ix := s.cfg.Index.Load()
	fmt.Fprintln(bw, "# HELP maillage_index_places Lieux consolidés dans l'index de recherche servi.")
	fmt.Fprintln(bw, "# TYPE maillage_index_places gauge")
	fmt.Fprintf(bw, "maillage_index_places %d\n", ix.Len())
	fmt.Fprintln(bw, "# HELP maillage_index_built_timestamp_seconds Date de construction de l'index servi (secondes Unix, 0 avant le premier).")
	fmt.Fprintln(bw, "# TYPE maillage_index_built_timestamp_seconds gauge")
	built := 0.0
	if !ix.BuiltAt().IsZero() {
		built = float64(ix.BuiltAt().UnixMilli()) / 1e3
	}
	fmt.Fprintf(bw, "maillage_index_built_timestamp_seconds %g\n", built)

	if s.cfg.Store != nil {
		sources, err := s.cfg.Store.Sources(r.Context())
		if err != nil {
			s.cfg.Logger.Error("metrics: sources", "err", err)
		}
		fmt.Fprintln(bw, "# HELP maillage_source_last_import_timestamp_seconds Fin du dernier import réussi de chaque source (secondes Unix).")
		fmt.Fprintln(bw, "# TYPE maillage_source_last_import_timestamp_seconds gauge")
		for _, src := range sources {
			if imp := src.LastImport; imp != nil {
				fmt.Fprintf(bw, "maillage_source_last_import_timestamp_seconds{source=%s} %g\n", label(src.Name), float64(imp.FinishedAt.UnixMilli())/1e3)
			}
		}
		fmt.Fprintln(bw, "# HELP maillage_source_records Fiches enregistrées par le dernier import de chaque source.")
		fmt.Fprintln(bw, "# TYPE maillage_source_records gauge")
		for _, src := range sources {
			if imp := src.LastImport; imp != nil {
				fmt.Fprintf(bw, "maillage_source_records{source=%s} %d\n", label(src.Name), imp.Stored)
			}
		}
		fmt.Fprintln(bw, "# HELP maillage_source_quarantined Lignes mises en quarantaine par le dernier import de chaque source.")
		fmt.Fprintln(bw, "# TYPE maillage_source_quarantined gauge")
		for _, src := range sources {
			if imp := src.LastImport; imp != nil {
				fmt.Fprintf(bw, "maillage_source_quarantined{source=%s} %d\n", label(src.Name), imp.Quarantined)
			}
		}
	}

	fmt.Fprintln(bw, "# HELP go_goroutines Goroutines en cours.")
	fmt.Fprintln(bw, "# TYPE go_goroutines gauge")
	fmt.Fprintf(bw, "go_goroutines %d\n", runtime.NumGoroutine())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintln(bw, "# HELP go_memstats_heap_alloc_bytes Mémoire du tas allouée et en usage.")
	fmt.Fprintln(bw, "# TYPE go_memstats_heap_alloc_bytes gauge")
	fmt.Fprintf(bw, "go_memstats_heap_alloc_bytes %d\n", ms.HeapAlloc)
}

// label quotes a label value of the text format.
func label(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(v) + `"`
}
