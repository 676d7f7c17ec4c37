package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"
)

// The public pages are server-rendered with html/template and work without
// JavaScript; static/js/maillage.js only adds the map, the autocomplete,
// "autour de moi" and the print button.
//
// Every page is templates/layout.html (header, footer, skip link, the one
// stylesheet) around a page template that defines the blocks "title" and
// "main" (and optionally "head"). Other parts of the package (the
// observatory) reuse it: parse a page with uiParsePage("mapage.html") and
// answer with s.uiRender(w, r, http.StatusOK, tmpl, uiPage{Title: …, Data: …}).

//go:embed templates/*.html
var uiTemplates embed.FS

// uiPage is what the layout receives.
type uiPage struct {
	// Title is the page's title, without the site's name.
	Title string
	// Bare drops the site's header and footer (the embedded search).
	Bare bool
	// Nav marks the current item of the header's menu ("recherche",
	// "orientation", "integrer", "accessibilite", "observatoire").
	Nav string
	// NoIndex asks search engines not to index the page (error pages,
	// orientation sheets that carry a first name).
	NoIndex bool
	// Data is the page's own data.
	Data any
}

// uiFuncs are the functions the templates may call.
var uiFuncs = template.FuncMap{
	"asset":    assetURL,
	"distance": distanceFR,
	"date":     dateFR,
	"phone":    phoneFR,
	"fees":     feeWords,
	"dict":     templateDict,
	"inc":      func(i int) int { return i + 1 },
	"near":     nearWords,
}

// templateDict builds a map from key, value pairs, to pass several values
// to a nested template.
func templateDict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys are strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// uiParsePage parses the layout, the shared fragments and the named page
// templates (file names under templates/). It panics on an error, which
// the tests catch.
func uiParsePage(names ...string) *template.Template {
	files := []string{"templates/layout.html", "templates/fragments.html"}
	for _, n := range names {
		files = append(files, "templates/"+n)
	}
	return template.Must(template.New("layout.html").Funcs(uiFuncs).ParseFS(uiTemplates, files...))
}

var (
	tmplSearch      = uiParsePage("search.html")
	tmplPlace       = uiParsePage("place.html")
	tmplOrientation = uiParsePage("orientation.html")
	tmplFiche       = uiParsePage("fiche.html")
	tmplEmbed       = uiParsePage("embed.html")
	tmplEmbedDoc    = uiParsePage("embed_doc.html")
	tmplA11y        = uiParsePage("accessibilite.html")
	tmplError       = uiParsePage("error.html")
)

// uiRoutes registers the public pages and their static files.
func (s *Server) uiRoutes() {
	s.mux.HandleFunc("GET /{$}", s.searchPage)
	s.mux.HandleFunc("GET /recherche", s.searchPage)
	s.mux.HandleFunc("GET /recherche/carte.geojson", s.searchMap)
	s.mux.HandleFunc("GET /recherche/communes", s.communeSuggestions)
	s.mux.HandleFunc("GET /lieux/{id}", s.placePage)
	s.mux.HandleFunc("GET /orientation", s.orientationPage)
	s.mux.HandleFunc("GET /orientation/fiche", s.fichePage)
	s.mux.HandleFunc("GET /integrer", s.embedPage)
	s.mux.HandleFunc("GET /integrer/documentation", s.embedDocPage)
	s.mux.HandleFunc("GET /accessibilite", s.a11yPage)
	s.mux.HandleFunc("GET /static/", s.staticFile)
	s.mux.HandleFunc("/", s.notFound)
}

// uiRender renders a page in the layout and sends it, compressed when the
// client accepts it. The page is rendered to memory first so that a
// template failure becomes an error page, not half a page.
func (s *Server) uiRender(w http.ResponseWriter, r *http.Request, status int, t *template.Template, p uiPage) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.cfg.Logger.Error("page", "path", r.URL.Path, "err", err)
		if t == tmplError {
			http.Error(w, "Le service a rencontré un problème. Réessayez dans quelques minutes.", http.StatusInternalServerError)
			return
		}
		s.uiError(w, r, http.StatusInternalServerError, "")
		return
	}
	s.pageHeaders(w, p.Bare)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	writeCompressed(w, r, status, buf.Bytes())
}

// pageHeaders sets the security headers of a page: nothing is loaded from
// another origin but the map tiles, and only the embedded search may be
// framed by other sites.
func (s *Server) pageHeaders(w http.ResponseWriter, embeddable bool) {
	h := w.Header()
	frame := "'self'"
	if embeddable {
		frame = "*"
	} else {
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	img := "'self' data:"
	if o := s.tilesOrigin(); o != "" {
		img += " " + o
	}
	h.Set("Content-Security-Policy", "default-src 'self'; img-src "+img+"; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors "+frame+"; base-uri 'self'; form-action 'self'")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
}

// ignTiles is the default base map: IGN Géoplateforme, "Plan IGN" (WMTS).
const ignTiles = "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"

// tiles returns the tiles' URL template and their attribution.
func (s *Server) tiles() (tmpl, attribution string) {
	if s.cfg.TilesURL == "" {
		return ignTiles, "© IGN"
	}
	return s.cfg.TilesURL, s.cfg.TilesAttribution
}

// tilesOrigin is the origin of the tiles, for the pages' security policy.
func (s *Server) tilesOrigin() string {
	t, _ := s.tiles()
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(t))
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// writeCompressed writes body with gzip when the client accepts it and the
// body is worth it.
func writeCompressed(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	if len(body) < 1024 || !acceptsGzip(r) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
		return
	}
	var buf bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	gzipPool.Put(zw)
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// uiErrorData is what the error page shows.
type uiErrorData struct {
	Status  int
	Heading string
	Message string
	Embed   bool
}

// uiError answers with the error page. message is shown as is (plain
// French naming what is wrong); "" gives the status's usual words.
func (s *Server) uiError(w http.ResponseWriter, r *http.Request, status int, message string) {
	d := uiErrorData{Status: status, Message: message, Embed: strings.HasPrefix(r.URL.Path, "/integrer")}
	switch status {
	case http.StatusNotFound:
		d.Heading = "Cette page n'existe pas"
		if d.Message == "" {
			d.Message = "L'adresse est peut-être mal recopiée, ou la page a été retirée."
		}
	case http.StatusBadRequest:
		d.Heading = "La demande n'a pas pu être comprise"
	case http.StatusMethodNotAllowed:
		d.Heading = "Cette action n'est pas possible ici"
	default:
		d.Heading = "Le service a rencontré un problème"
		if d.Message == "" {
			d.Message = "Ce n'est pas de votre faute. Réessayez dans quelques minutes."
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.uiRender(w, r, status, tmplError, uiPage{Title: d.Heading, NoIndex: true, Bare: d.Embed, Data: d})
}

// notFound answers every path no route claims.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.uiError(w, r, http.StatusMethodNotAllowed, "Cette adresse ne sert qu'à consulter des pages.")
		return
	}
	s.uiError(w, r, http.StatusNotFound, "")
}

// uiBadRequest answers a request whose parameters are wrong: err's message
// names the parameter in French.
func (s *Server) uiBadRequest(w http.ResponseWriter, r *http.Request, err error) {
	var ue *uiParamError
	if errors.As(err, &ue) {
		s.uiError(w, r, http.StatusBadRequest, ue.msg)
		return
	}
	s.uiError(w, r, http.StatusBadRequest, err.Error())
}

// uiParamError is a parameter of a page that cannot be understood; msg is
// for people.
type uiParamError struct{ msg string }

func (e *uiParamError) Error() string { return e.msg }

func uiBad(format string, args ...any) error {
	return &uiParamError{msg: fmt.Sprintf(format, args...)}
}

func (s *Server) a11yPage(w http.ResponseWriter, r *http.Request) {
	s.uiRender(w, r, http.StatusOK, tmplA11y, uiPage{Title: "Accessibilité", Nav: "accessibilite", Data: s.reportLink("", "")})
}

// nearWords writes "près de Soyaux", "près d'Angoulême".
func nearWords(place string) string {
	if r, _ := utf8.DecodeRuneInString(place); strings.ContainsRune("AEIOUYÂÀÉÈÊÎÏÔaeiouyâàéèêîïô", r) {
		return "près d'" + place
	}
	return "près de " + place
}
