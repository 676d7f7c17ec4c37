// Package web serves Maillage over HTTP: for now the health check and the
// home page; the API and the search pages come with their issues.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"maillage"
)

// Handler returns the HTTP handler of the service.
func Handler(store maillage.Store, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		sources, err := store.Sources(r.Context())
		if err != nil {
			logger.Error("sources", "err", err)
			http.Error(w, "Le service est indisponible pour le moment. Réessayez dans quelques minutes.", http.StatusServiceUnavailable)
			return
		}
		places := 0
		for _, s := range sources {
			if s.LastImport != nil {
				places += s.LastImport.Stored
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := homePage.Execute(w, map[string]any{"Sources": sources, "Places": places}); err != nil {
			logger.Error("home page", "err", err)
		}
	})
	return logRequests(logger, mux)
}

// logRequests logs one line per request.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.Info("requête", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maillage — lieux de médiation numérique</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1e1e1e; }
a { color: #000091; }
a:focus { outline: 3px solid #000091; outline-offset: 2px; }
</style>
</head>
<body>
<header><p><strong>Maillage</strong></p></header>
<main>
<h1>Trouver de l'aide pour le numérique près de chez vous</h1>
<p>Maillage rassemble les lieux qui aident chacun avec le numérique : espaces publics numériques,
France Services, conseillers numériques, médiathèques, centres sociaux, tiers-lieux.</p>
<p>La recherche arrive bientôt. Le service fonctionne : <a href="/healthz">état du service</a>.</p>
<h2>Données chargées</h2>
{{if .Sources}}<p>{{.Places}} fiches de lieux, de {{len .Sources}} source(s) :</p>
<ul>{{range .Sources}}<li>{{.Title}}{{with .LastImport}} — {{.Stored}} fiches{{if .Quarantined}}, {{.Quarantined}} en quarantaine{{end}}{{end}}{{with .Licence}} ({{.}}){{end}}</li>
{{end}}</ul>{{else}}<p>Aucune source n'est encore chargée.</p>{{end}}
</main>
</body>
</html>
`))
