package web

import (
	"net/http"
	"net/url"
	"strings"

	"maillage/territory"
)

// embedInfo is what the embedded search adds to the search view.
type embedInfo struct {
	Territory string      // the territory in words
	Area      [][2]string // the area parameters, kept in the form
	Site      string      // the full site's URL of the same search
}

// embedPage is the search of a territory without the site's chrome, for an
// <iframe> on another site: /integrer?departement=48&services=demarches.
func (s *Server) embedPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.runSearch(r, true)
	if err != nil {
		s.searchFailed(w, r, err)
		return
	}
	info := &embedInfo{Territory: territoryWords(v.Form.Area), Site: baseURL(r) + "/"}
	for _, k := range []string{"commune", "epci", "departement", "region", "bbox"} {
		if x := v.Form.Area.Get(k); x != "" {
			info.Area = append(info.Area, [2]string{k, x})
		}
	}
	v.Embed = info
	title := "Lieux d'aide au numérique"
	if info.Territory != "" {
		title += " — " + info.Territory
	}
	s.uiRender(w, r, http.StatusOK, tmplEmbed, uiPage{Title: title, Bare: true, Data: v})
}

// territoryWords names the area of an embedded search.
func territoryWords(a url.Values) string {
	terr := territory.Default()
	var parts []string
	if c := a.Get("commune"); c != "" {
		if x, ok := terr.Commune(c); ok {
			parts = append(parts, x.Name)
		}
	}
	if e := a.Get("epci"); e != "" {
		for _, x := range terr.EPCIs() {
			if x.Siren == e {
				parts = append(parts, x.Name)
			}
		}
	}
	if d := a.Get("departement"); d != "" {
		if n := departementName(d); n != "" {
			parts = append(parts, n+" ("+d+")")
		}
	}
	if r := a.Get("region"); r != "" {
		for _, x := range terr.Regions() {
			if x.Code == r {
				parts = append(parts, x.Name)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// embedDocView is the documentation page of the embedding, with a small
// form that writes the snippet.
type embedDocView struct {
	Departements []*territory.Departement
	Departement  string
	Services     []choice
	Selected     map[string]bool
	URL          string
	Snippet      string
}

func (s *Server) embedDocPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &embedDocView{Departements: territory.Default().Departements(), Services: serviceGroup.Choices, Selected: map[string]bool{}}
	params := url.Values{}
	if d := q.Get("departement"); d != "" {
		if departementName(d) == "" {
			s.uiError(w, r, http.StatusBadRequest, "Le département « "+d+" » n'existe pas (par exemple : 16, 2A, 974).")
			return
		}
		v.Departement = d
		params.Set("departement", d)
	}
	var slugs []string
	for _, x := range q["services"] {
		if _, ok := serviceGroup.find(x); !ok {
			s.uiError(w, r, http.StatusBadRequest, "« "+x+" » n'est pas un choix connu pour « services ».")
			return
		}
		v.Selected[x] = true
		slugs = append(slugs, x)
	}
	if len(slugs) > 0 {
		params.Set("services", strings.Join(slugs, ","))
	}
	if v.Departement == "" {
		params.Set("departement", "16")
	}
	v.URL = baseURL(r) + "/integrer?" + params.Encode()
	v.Snippet = `<iframe src="` + v.URL + `" title="Lieux d'aide au numérique près de chez vous" width="100%" height="800" style="border:0;max-width:100%" loading="lazy"></iframe>`
	s.uiRender(w, r, http.StatusOK, tmplEmbedDoc, uiPage{Title: "Mettre la recherche sur votre site", Nav: "integrer", Data: v})
}
