package web

// Browser tests of the public pages in real headless chromium (see
// internal/browsertest). They skip when chromium is absent, unless
// MAILLAGE_BROWSER_TESTS=1 (CI), and write screenshots to the folder they
// log (MAILLAGE_SCREENSHOTS, by default $TMPDIR/maillage-captures).
//
//	go test ./web -run Browser -v

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"maillage/internal/browsertest"
)

// browserSite starts the public pages on loopback for a browser test.
func browserSite(t *testing.T) (*browsertest.Browser, *httptest.Server) {
	t.Helper()
	b := browsertest.Start(t)
	srv := httptest.NewServer(Handler(uiConfig(t)))
	t.Cleanup(srv.Close)
	return b, srv
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func location(t *testing.T, ctx context.Context) *url.URL {
	t.Helper()
	var loc string
	run(t, ctx, chromedp.Location(&loc))
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// waitMap waits until the map shows its markers and, since the tiles of
// the tests cannot load, the outlines of the départements.
func waitMap(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx,
		chromedp.Poll(`document.documentElement.dataset.map === "ready" && document.documentElement.dataset.mapOutlines === "shown"`, nil, chromedp.WithPollingTimeout(20*time.Second)),
	)
}

// submit clicks a submit button and waits for the next page: the page
// is marked first, so that the wait cannot see the old one (works
// without JavaScript too: the mark goes through the DevTools protocol).
func submit(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	run(t, ctx,
		chromedp.SetAttributeValue("html", "data-old-page", "1", chromedp.ByQuery),
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitNotPresent("html[data-old-page]", chromedp.ByQuery),
		chromedp.WaitReady("body", chromedp.ByQuery),
	)
}

// searchByForm types a postal code in the search form and submits it.
func searchByForm(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	run(t, ctx,
		chromedp.SendKeys("#ou", where, chromedp.ByQuery),
	)
	submit(t, ctx, `form.search-form button[type="submit"]`)
	run(t, ctx, chromedp.WaitVisible(".result", chromedp.ByQuery))
}

func resultIDs(t *testing.T, ctx context.Context) []string {
	t.Helper()
	var ids []string
	run(t, ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll(".result")).map(e => e.dataset.id)`, &ids))
	return ids
}

func TestBrowserSearchByPostalCode(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t)
	browsertest.Open(t, ctx, srv.URL+"/")
	b.Audit(t, ctx, "accueil")
	b.Screenshots(t, ctx, "accueil")
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
	searchByForm(t, ctx, "16000")
	if got := location(t, ctx).Query().Get("ou"); got != "16000" {
		t.Errorf("the URL keeps ou=%q, want 16000", got)
	}
	titles := browsertest.Texts(t, ctx, "#titre-resultats")
	if len(titles) != 1 || !strings.Contains(titles[0], "près d'Angoulême (16000)") {
		t.Errorf("results' heading: %q", titles)
	}
	if n := len(resultIDs(t, ctx)); n != resultsPerPage {
		t.Errorf("%d results on the first page, want %d", n, resultsPerPage)
	}
	wheres := browsertest.Texts(t, ctx, ".result-where")
	if len(wheres) == 0 || !strings.HasPrefix(wheres[0], "à ") {
		t.Errorf("the first result does not say its distance: %q", wheres)
	}
	waitMap(t, ctx)
	b.Audit(t, ctx, "recherche")
	b.Screenshots(t, ctx, "recherche")

	// the next page is in the URL
	run(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(`a[rel="next"]`, chromedp.ByQuery), chromedp.WaitVisible(".result", chromedp.ByQuery))
	if got := location(t, ctx).Query().Get("page"); got != "2" {
		t.Errorf("page in the URL: %q, want 2", got)
	}
}

func TestBrowserAroundMe(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t, browsertest.Width(320))
	browsertest.FakePosition(t, ctx, srv.URL, 45.7640, 4.8357) // Lyon, Hôtel de ville
	browsertest.Open(t, ctx, srv.URL+"/")
	run(t, ctx,
		chromedp.WaitVisible("[data-geo-button]", chromedp.ByQuery),
		chromedp.Click("[data-geo-button]", chromedp.ByQuery),
		chromedp.WaitVisible(".result", chromedp.ByQuery),
	)
	q := location(t, ctx).Query()
	if q.Get("lat") != "45.76400" || q.Get("lon") != "4.83570" {
		t.Errorf("position in the URL: lat=%q lon=%q", q.Get("lat"), q.Get("lon"))
	}
	titles := browsertest.Texts(t, ctx, "#titre-resultats")
	if len(titles) != 1 || !strings.Contains(titles[0], "près de votre position") {
		t.Errorf("results' heading: %q", titles)
	}
	communes := browsertest.Texts(t, ctx, ".result-where")
	if len(communes) == 0 || !strings.Contains(communes[0], "Lyon") {
		t.Errorf("the nearest place is not in Lyon: %q", communes)
	}
	// on a phone the map waits for a tap
	run(t, ctx, chromedp.WaitVisible("[data-map-button]", chromedp.ByQuery))
	b.Audit(t, ctx, "autour-de-moi")
	b.Screenshots(t, ctx, "autour-de-moi")
}

func TestBrowserSearchWithFilters(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t)
	browsertest.Open(t, ctx, srv.URL+"/recherche?ou=16000")
	run(t, ctx,
		chromedp.Click(`label[for="services-demarches"]`, chromedp.ByQuery),
		chromedp.Click(`details.more-filters summary`, chromedp.ByQuery),
		chromedp.Click(`label[for="ouvert"]`, chromedp.ByQuery),
		chromedp.Click(`label[for="aide-surdite"]`, chromedp.ByQuery),
		chromedp.Click(`label[for="aide-surdite"]`, chromedp.ByQuery), // ticked and unticked again
	)
	submit(t, ctx, `form.search-form button[type="submit"]`)
	run(t, ctx, chromedp.WaitVisible(".result", chromedp.ByQuery))
	q := location(t, ctx).Query()
	if q.Get("services") != "demarches" || q.Get("ouvert") != "1" || q.Has("aide") {
		t.Errorf("filters in the URL: %v", q)
	}
	for _, s := range browsertest.Texts(t, ctx, ".result .status") {
		if !strings.HasPrefix(s, "Ouvert") {
			t.Errorf("a result of “ouvert maintenant” says %q", s)
		}
	}
	var withService int
	run(t, ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll(".result")).filter(r => r.textContent.includes("Démarches en ligne")).length`, &withService))
	if n := len(resultIDs(t, ctx)); n == 0 || withService != n {
		t.Errorf("%d of %d results offer the service asked", withService, n)
	}
	var checked bool
	run(t, ctx, chromedp.Evaluate(`document.querySelector("#services-demarches").checked && document.querySelector("details.more-filters").open`, &checked))
	if !checked {
		t.Error("the filters chosen are not shown ticked on the results page")
	}
	b.Audit(t, ctx, "recherche-filtres")
}

func TestBrowserPlacePage(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t)
	browsertest.Open(t, ctx, srv.URL+"/recherche?ou=16100&services=demarches")
	run(t, ctx, chromedp.Click(".result-name a", chromedp.ByQuery), chromedp.WaitVisible("#titre-horaires", chromedp.ByQuery))
	if !strings.HasPrefix(location(t, ctx).Path, "/lieux/") {
		t.Fatalf("the result's link leads to %s", location(t, ctx))
	}
	for sel, want := range map[string]string{
		"#titre-adresse + p, #titre-adresse ~ .address": "16",
		".sources":          "Informations mises à jour le",
		"#titre-aides ~ ul": "Faire mes démarches en ligne",
	} {
		texts := browsertest.Texts(t, ctx, sel)
		if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("%s: no %q in %q", sel, want, texts)
		}
	}
	b.Audit(t, ctx, "lieu")
	b.Screenshots(t, ctx, "lieu")
}

func TestBrowserOrientationSheet(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t)
	browsertest.Open(t, ctx, srv.URL+"/orientation")
	b.Audit(t, ctx, "orientation-besoin")
	submit := `form.orientation-form button[type="submit"]`
	run(t, ctx,
		chromedp.Click(`label[for="besoin-demarches"]`, chromedp.ByQuery),
		chromedp.SendKeys("#ou", "16000", chromedp.ByQuery),
		chromedp.Click(submit, chromedp.ByQuery),
		chromedp.WaitVisible(`input[name="lieu"]`, chromedp.ByQuery),
	)
	b.Audit(t, ctx, "orientation-lieu")
	run(t, ctx, chromedp.Click(submit, chromedp.ByQuery), chromedp.WaitVisible(`input[name="venir"]`, chromedp.ByQuery))
	b.Audit(t, ctx, "orientation-disponibilite")
	run(t, ctx,
		chromedp.SendKeys("#rdv", "mardi 2 décembre à 14 h", chromedp.ByQuery),
		chromedp.Click(submit, chromedp.ByQuery),
		chromedp.WaitVisible("#prenom", chromedp.ByQuery),
	)
	b.Audit(t, ctx, "orientation-accessibilite")
	run(t, ctx,
		chromedp.SendKeys("#prenom", "Jeanne", chromedp.ByQuery),
		chromedp.SendKeys("#referent", "Paul Martin", chromedp.ByQuery),
		chromedp.SendKeys("#structure", "CCAS d'Angoulême", chromedp.ByQuery),
		chromedp.Click(`label[for="apporter-identite"]`, chromedp.ByQuery),
		chromedp.Click(`label[for="apporter-vitale"]`, chromedp.ByQuery),
		chromedp.Click(submit, chromedp.ByQuery),
		chromedp.WaitVisible(".fiche", chromedp.ByQuery),
	)
	sheet := strings.Join(browsertest.Texts(t, ctx, ".fiche"), "\n")
	for _, want := range []string{"Fiche d'orientation pour Jeanne", "Paul Martin", "CCAS d'Angoulême", "mardi 2 décembre à 14 h", "La carte Vitale", "Horaires"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("the sheet does not say %q:\n%s", want, sheet)
		}
	}
	// the link to share gives the same sheet
	var share string
	run(t, ctx, chromedp.Value("#lien", &share, chromedp.ByQuery))
	if share != location(t, ctx).String() {
		t.Errorf("link to share %q, page %q", share, location(t, ctx))
	}
	b.Audit(t, ctx, "fiche")
	b.Screenshots(t, ctx, "fiche")
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
	pdf := browsertest.PrintPDF(t, ctx)
	if n := browsertest.PDFPages(pdf); n != 1 {
		t.Errorf("the printed sheet has %d pages, want 1", n)
	}
	if !browsertest.PDFHasText(pdf) || len(pdf) < 5000 {
		t.Errorf("the printed sheet looks blank (%d bytes)", len(pdf))
	}
	writeArtifact(t, b, "fiche.pdf", pdf)
}

func TestBrowserEmbed(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t)
	browsertest.Open(t, ctx, srv.URL+"/integrer?departement=16&services=demarches")
	run(t, ctx, chromedp.WaitVisible(".result", chromedp.ByQuery))
	var chrome int
	run(t, ctx, chromedp.Evaluate(`document.querySelectorAll(".site-header, .site-footer").length`, &chrome))
	if chrome != 0 {
		t.Error("the embedded search shows the site's header or footer")
	}
	for _, c := range browsertest.Texts(t, ctx, ".result-where") {
		if c == "" {
			t.Error("a result without commune")
		}
	}
	waitMap(t, ctx)
	b.Audit(t, ctx, "integrer")
	b.Screenshots(t, ctx, "integrer")

	// framed by another origin (another loopback port), it loads
	host := httptest.NewServer(httpHandlerString(`<!doctype html><html lang="fr"><head><title>Mairie</title></head><body><iframe id="f" title="Lieux" src="` + srv.URL + `/integrer?departement=16" width="800" height="600"></iframe></body></html>`))
	defer host.Close()
	framed := b.Tab(t)
	browsertest.Open(t, framed, host.URL)
	var frameURL string
	deadline := time.Now().Add(10 * time.Second)
	for frameURL == "" && time.Now().Before(deadline) {
		run(t, framed, chromedp.ActionFunc(func(ctx context.Context) error {
			tree, err := page.GetFrameTree().Do(ctx)
			if err == nil && len(tree.ChildFrames) > 0 {
				if f := tree.ChildFrames[0].Frame; f.UnreachableURL == "" && strings.HasPrefix(f.URL, srv.URL) {
					frameURL = f.URL
				}
			}
			return err
		}))
		time.Sleep(100 * time.Millisecond)
	}
	if frameURL == "" {
		t.Error("another site cannot frame the embedded search")
	}

	doc := b.Tab(t)
	browsertest.Open(t, doc, srv.URL+"/integrer/documentation")
	b.Audit(t, doc, "integrer-documentation")
}

func TestBrowserSameResultsWithoutJavaScript(t *testing.T) {
	b, srv := browserSite(t)
	for _, path := range []string{"/"} {
		withJS := b.Tab(t)
		browsertest.Open(t, withJS, srv.URL+path)
		searchByForm(t, withJS, "16100")
		noJS := b.Tab(t, browsertest.NoJavaScript())
		browsertest.Open(t, noJS, srv.URL+path)
		searchByForm(t, noJS, "16100")
		a, c := resultIDs(t, withJS), resultIDs(t, noJS)
		if len(a) == 0 || !slices.Equal(a, c) {
			t.Errorf("with JavaScript %v, without %v", a, c)
		}
		if la, lc := location(t, withJS), location(t, noJS); la.RawQuery != lc.RawQuery {
			t.Errorf("URLs differ: %s and %s", la, lc)
		}
		// without JavaScript, the map and "autour de moi" stay hidden
		var shown int
		run(t, noJS, chromedp.Evaluate(`Array.from(document.querySelectorAll("[data-geo], section[data-map]")).filter(e => !e.hidden).length`, &shown))
		if shown != 0 {
			t.Errorf("%d JavaScript-only controls shown without JavaScript", shown)
		}
		b.Audit(t, noJS, "recherche-sans-js")
		b.Screenshots(t, noJS, "recherche-sans-js")
	}
}

// TestBrowserSearchPageWeight measures what the search page with results
// transfers on a first visit (cache disabled), map and its libraries
// included, tiles excluded: the budget is 150 KB.
func TestBrowserSearchPageWeight(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t)
	tr := browsertest.Measure(t, ctx)
	browsertest.Open(t, ctx, srv.URL+"/recherche?ou=16000&services=demarches")
	waitMap(t, ctx)
	tr.Idle(ctx, 500*time.Millisecond)
	total, n := tr.Total(func(u string) bool { return strings.HasPrefix(u, srv.URL) })
	for u, bytes := range tr.Bytes {
		t.Logf("%8.0f B  %s", bytes, strings.TrimPrefix(u, srv.URL))
	}
	t.Logf("search page with results and map: %d requests, %.1f KB transferred (tiles excluded)", n, total/1024)
	for u := range tr.Bytes {
		if !strings.HasPrefix(u, srv.URL) && !strings.HasPrefix(u, "http://127.0.0.1:9/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request to another site: %s", u)
		}
	}
	if total >= 150*1024 {
		t.Errorf("the search page transfers %.1f KB, over the 150 KB budget", total/1024)
	}
}

// httpHandlerString serves one HTML page.
func httpHandlerString(page string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	})
}

// writeArtifact keeps a file of the run next to the screenshots.
func writeArtifact(t *testing.T, b *browsertest.Browser, name string, data []byte) {
	t.Helper()
	path := filepath.Join(b.Dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("written %s", path)
}
