package web

// Browser tests of the observatory's pages, with the harness of the
// public pages (internal/browsertest): axe-core finds no serious or
// critical violation, the pages work without JavaScript, at 320 px, and
// print.
//
//	go test ./web -run BrowserObservatory -v

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"maillage/internal/browsertest"
)

func TestBrowserObservatory(t *testing.T) {
	b, srv := browserSite(t)
	for _, c := range []struct{ name, path string }{
		{"observatoire-france", "/observatoire"},
		{"observatoire-region", "/observatoire/region/75?carte=acces10"},
		{"observatoire-departement", "/observatoire/departement/16"},
		{"observatoire-commune", "/observatoire/commune/16015"},
		{"observatoire-arrondissement", "/observatoire/commune/75101"},
	} {
		ctx := b.Tab(t, browsertest.Timeout(4*time.Minute))
		browsertest.Open(t, ctx, srv.URL+c.path)
		b.Audit(t, ctx, c.name)
		b.Screenshots(t, ctx, c.name)
	}
}

// TestBrowserObservatoryWithoutJavaScript changes the map's indicator
// with the form, without JavaScript, at 320 px, and checks that nothing
// overflows the page sideways.
func TestBrowserObservatoryWithoutJavaScript(t *testing.T) {
	b, srv := browserSite(t)
	ctx := b.Tab(t, browsertest.NoJavaScript(), browsertest.Width(320), browsertest.Timeout(4*time.Minute))
	browsertest.Open(t, ctx, srv.URL+"/observatoire")
	run(t, ctx, chromedp.SetValue("#carte", "mediane", chromedp.ByQuery))
	submit(t, ctx, ".obs-metric button")
	if u := location(t, ctx); u.Path != "/observatoire" || u.Query().Get("carte") != "mediane" {
		t.Fatalf("after the form: %s", u)
	}
	captions := browsertest.Texts(t, ctx, "#carte-titre")
	if len(captions) != 1 || !strings.Contains(captions[0], "distance médiane") {
		t.Errorf("map title = %q, want the median distance", captions)
	}
	var overflow bool
	run(t, ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow))
	if overflow {
		t.Error("the page is wider than a 320 px screen")
	}
	b.Audit(t, ctx, "observatoire-320-sans-js")
	if pdf := browsertest.PrintPDF(t, ctx); !browsertest.PDFHasText(pdf) {
		t.Error("the printed page has no text")
	}
}
