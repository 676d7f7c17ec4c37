package web

import (
	"html/template"
	"net/http"
)

// uiRoutes registers the public pages.
func (s *Server) uiRoutes() {
	s.mux.HandleFunc("GET /{$}", s.home)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	sources, err := s.cfg.Store.Sources(r.Context())
	if err != nil {
		s.cfg.Logger.Error("sources", "err", err)
		http.Error(w, "Le service est indisponible pour le moment. Réessayez dans quelques minutes.", http.StatusServiceUnavailable)
		return
	}
	places := 0
	for _, src := range sources {
		if src.LastImport != nil {
			places += src.LastImport.Stored
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := homePage.Execute(w, map[string]any{"Sources": sources, "Places": places}); err != nil {
		s.cfg.Logger.Error("home page", "err", err)
	}
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
