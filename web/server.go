// Package web serves Maillage over HTTP: the public pages (search, place,
// orientation sheet, embedding; ui.go), the open API under /api/v1 and its
// interconnection formats (api.go), the observatory (observatory.go), the
// health check and the metrics.
//
// Every route reads the search index currently in Config.Index (swapped
// after each import or merge) and, for what the index does not hold
// (sources, provenance, change feed), the stores.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"maillage"
	"maillage/search"
)

// Config is what the handler needs.
type Config struct {
	Store  maillage.Store
	Places maillage.PlaceStore // consolidated places, decisions, change feed
	Index  *search.Live        // the search index currently served
	Logger *slog.Logger
	// TilesURL is the map tiles' URL template ({z}, {x}, {y}); "" is the
	// IGN Géoplateforme "Plan IGN" WMTS (MAILLAGE_TILES_URL).
	TilesURL string
	// TilesAttribution is the credit shown on the map for TilesURL's
	// tiles (MAILLAGE_TILES_ATTRIBUTION); "© IGN" for the default tiles.
	TilesAttribution string
	// ReportURL is where "Signaler une erreur" leads: a "mailto:" address
	// or a form's URL (MAILLAGE_SIGNALEMENT_URL).
	ReportURL string
	// Now is the clock (time.Now when nil; tests fix it).
	Now func() time.Time
}

// Server is the HTTP side of Maillage.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	metrics metrics
	hsdsIDs hsdsIDs // the HSDS ids of the current index's places
	obs     *observatory
	handler http.Handler // mux behind the logging, metrics and recovery
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// IndexChanged computes ahead what depends on the index served — the
// observatory's indicators, about half a second on the real data — so that
// no request waits for it. Call it after storing a new index in
// Config.Index; requests compute it themselves when it was not called.
func (s *Server) IndexChanged() {
	if _, err := s.obs.current(); err != nil {
		s.cfg.Logger.Error("indicateurs de l'observatoire", "err", err)
	}
}

// Handler returns the HTTP handler of the service.
func Handler(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Index == nil {
		cfg.Index = &search.Live{}
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
	s.uiRoutes()
	s.apiRoutes()
	s.observatoryRoutes()
	s.metricsRoutes()
	s.handler = s.observe(s.mux)
	return s
}

// observe logs one line per request and counts it in the metrics (by the
// ServeMux pattern that served it). A handler's panic is logged and
// answered 500 when nothing was written yet.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Logger.Error("panique", "path", r.URL.Path, "err", v)
				if !rec.wrote {
					http.Error(rec, "Erreur interne", http.StatusInternalServerError)
				}
			}
			d := time.Since(start)
			s.metrics.observe(r.Pattern, rec.status, d)
			s.cfg.Logger.Info("requête", "method", r.Method, "path", r.URL.Path, "route", r.Pattern, "status", rec.status, "duration", d)
		}()
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
