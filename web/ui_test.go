package web

import (
	"compress/gzip"
	"context"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"maillage"
	"maillage/internal/fixture"
	"maillage/search"
)

// sourcesStore is the part of a store the public pages read: the sources.
type sourcesStore struct {
	maillage.Store
	sources []maillage.Source
}

func (s sourcesStore) Sources(context.Context) ([]maillage.Source, error) { return s.sources, nil }

var (
	uiIndexOnce sync.Once
	uiIndex     *search.Index
	uiSources   []maillage.Source
	uiIndexErr  error
)

// uiConfig is the configuration of the public pages' tests: the demo
// places, the fixed clock, tiles on a loopback address that answers
// nothing (as on these machines, where the IGN cannot be reached).
func uiConfig(t testing.TB) Config {
	t.Helper()
	uiIndexOnce.Do(func() {
		var places []maillage.Consolidated
		places, uiSources, uiIndexErr = fixture.DemoPlaces()
		uiIndex = search.Build(places, fixture.Now)
	})
	if uiIndexErr != nil {
		t.Fatal(uiIndexErr)
	}
	live := &search.Live{}
	live.Store(uiIndex)
	return Config{
		Store:            sourcesStore{sources: uiSources},
		Index:            live,
		TilesURL:         "http://127.0.0.1:9/tuiles/{z}/{x}/{y}.png",
		TilesAttribution: "© Tuiles de test",
		ReportURL:        "mailto:signalement@example.org",
		Now:              func() time.Time { return fixture.Now },
	}
}

// get fetches a path from the handler and returns the status and the
// decompressed body.
func get(t testing.TB, h http.Handler, path string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body io.Reader = rec.Body
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	// compare with the text as read, not as escaped
	return rec.Code, rec.Header(), html.UnescapeString(string(b))
}

func TestUIPages(t *testing.T) {
	h := Handler(uiConfig(t))
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{`lang="fr"`, "Trouver de l'aide", `href="#contenu"`, "Faire mes démarches en ligne"}},
		{"/recherche?ou=16000", 200, []string{"lieux trouvés près d'Angoulême (16000)", `class="result"`, "Du plus proche", `data-attribution="© Tuiles de test"`}},
		{"/recherche?ou=Angoul%C3%AAme+%2816000%29&services=demarches&page=2", 200, []string{"page 2 sur", `rel="prev"`}},
		{"/recherche?ou=saint-martin", 200, []string{"Laquelle ?", "insee="}},
		{"/recherche?ou=99999", 200, []string{"Aucune commune n'a le code postal 99999"}},
		{"/recherche?lat=45.76&lon=4.83&ouvert=1", 200, []string{"près de votre position", "Ouvert"}},
		{"/recherche?ou=16000&services=nimporte", 400, []string{"« nimporte » n'est pas un choix connu"}},
		{"/recherche?ou=16000&page=abc", 400, []string{"numéro de page"}},
		{"/recherche?ou=16000&page=51", 400, []string{"50 pages au plus"}},
		{"/recherche?ou=16000&rayon=5&page=40", 400, []string{"la page 40 n'existe pas"}},
		{"/recherche?lat=abc&lon=2", 400, []string{"La position"}},
		{"/recherche?ou=16000&rayon=-3", 400, []string{"La distance"}},
		{"/nulle-part", 404, []string{"Cette page n'existe pas"}},
		{"/lieux/inconnu", 404, []string{"n'est pas (ou plus) dans l'annuaire"}},
		{"/integrer?departement=16&services=demarches", 200, []string{"Charente (16)", `class="result"`, `target="_blank"`}},
		{"/integrer?departement=999", 400, []string{"n'existe pas"}},
		{"/integrer?bbox=1,2,3", 400, []string{"rectangle"}},
		{"/integrer/documentation?departement=48&services=outils", 200, []string{"<iframe src=", "departement=48"}},
		{"/accessibilite", 200, []string{"partiellement conforme", "Défenseur des droits"}},
		{"/orientation", 200, []string{"étape 1 sur 4", "De quelle aide"}},
		{"/orientation?etape=2&services=demarches&ou=16000", 200, []string{"Choisissez le lieu", `name="lieu"`}},
		{"/orientation?etape=2&ou=16000", 200, []string{"Choisissez le besoin"}},
		{"/orientation?etape=7", 400, []string{"L'étape « 7 »"}},
		{"/orientation/fiche", 400, []string{"a besoin d'un lieu"}},
		{"/static/css/maillage.css", 200, []string{"@media print"}},
		{"/static/vendor/update.sh", 404, nil},
		{"/static/departements.geojson", 200, []string{"FeatureCollection", `"nom":"Charente"`}},
		{"/recherche/communes?q=angoul", 200, []string{"Angoulême (16000)"}},
		{"/recherche/carte.geojson?ou=16000", 200, []string{`"type":"Point"`, `"i":"lieu-`}},
	}
	for _, c := range cases {
		status, _, body := get(t, h, c.path)
		if status != c.status {
			t.Errorf("%s: status %d, want %d\n%s", c.path, status, c.status, firstLines(body, 40))
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in\n%s", c.path, w, firstLines(body, 80))
			}
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func TestUIPlaceAndSheet(t *testing.T) {
	cfg := uiConfig(t)
	h := Handler(cfg)
	res, err := cfg.Index.Load().Search(search.Query{Text: "APEJ", Limit: 1}, fixture.Now)
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("no APEJ in the demo places: %v", err)
	}
	id := res.Hits[0].Place.Place.ID
	status, hdr, body := get(t, h, "/lieux/"+id)
	if status != 200 {
		t.Fatalf("place page: %d", status)
	}
	for _, w := range []string{"APEJ", "Horaires", "Mardi", "(aujourd'hui)", "Ouvert · ferme à", "Informations mises à jour le", "Lieux de médiation numérique de Charente (2023)", "mailto:signalement@example.org?subject=", "Calculer l'itinéraire",
		`href="tel:+33545829800"`, `href="geo:45.`} {
		if !strings.Contains(body, w) {
			t.Errorf("place page: no %q", w)
		}
	}
	// html/template replaces links it does not trust by this mark
	if strings.Contains(body, "ZgotmplZ") {
		t.Errorf("place page: a link was refused by html/template:\n%s", firstLines(body, 200))
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("place page CSP: %q", hdr.Get("Content-Security-Policy"))
	}
	q := url.Values{"lieu": {id}, "venir": {"sans-rdv"}, "prenom": {"Jeanne"}, "referent": {"M. Martin"}, "structure": {"CCAS de Soyaux"}, "apporter": {"identite", "vitale"}}
	status, _, body = get(t, h, "/orientation/fiche?"+q.Encode())
	if status != 200 {
		t.Fatalf("sheet: %d", status)
	}
	for _, w := range []string{"Fiche d'orientation pour Jeanne", "CCAS de Soyaux", "La carte Vitale", "Venir sans rendez-vous", "APEJ"} {
		if !strings.Contains(body, w) {
			t.Errorf("sheet: no %q", w)
		}
	}
	_, hdr, _ = get(t, h, "/integrer?departement=16")
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || hdr.Get("X-Frame-Options") != "" {
		t.Errorf("embed headers: CSP %q, X-Frame-Options %q", csp, hdr.Get("X-Frame-Options"))
	}
}

func TestTelURI(t *testing.T) {
	for in, want := range map[string]template.URL{
		"+33545829800":   "tel:+33545829800",
		"05 45 82 98 00": "tel:0545829800",
		"":               "",
		"non communiqué": "",
		"javascript:1":   "tel:1",
	} {
		if got := telURI(in); got != want {
			t.Errorf("telURI(%q) = %q, want %q", in, got, want)
		}
	}
}
