// Package browsertest drives Debian's chromium (headless, through the
// DevTools protocol with chromedp) for the browser tests of the web pages:
// open a page with or without JavaScript, at a given width, with a faked
// position; audit it with axe-core; take screenshots; print it to PDF;
// measure what it transfers.
//
// A test starts one browser per test binary with Start (it skips when
// chromium is absent, or fails when MAILLAGE_BROWSER_TESTS=1 says the
// browser must be there, as in CI), opens tabs with Tab, and uses the
// helpers on a tab's context:
//
//	b := browsertest.Start(t)
//	ctx := b.Tab(t, browsertest.Width(320))
//	browsertest.Open(t, ctx, srv.URL+"/observatoire")
//	b.Audit(t, ctx, "observatoire")      // axe-core: no serious or critical violation
//	b.Screenshots(t, ctx, "observatoire") // 320 px and 1280 px PNGs under b.Dir
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// RequireEnv is the environment variable that turns a missing chromium or
// axe-core into a failure instead of a skip (CI sets it to 1).
const RequireEnv = "MAILLAGE_BROWSER_TESTS"

// ScreenshotsEnv names the folder for screenshots (default: a folder
// "maillage-captures" in the system's temporary directory).
const ScreenshotsEnv = "MAILLAGE_SCREENSHOTS"

// Browser is a running chromium.
type Browser struct {
	// root is the browser's first tab, kept open: closing it would stop
	// the browser, and tabs are opened from it.
	root   context.Context
	cancel context.CancelFunc
	// Dir is where screenshots are written.
	Dir string
	// Axe is the source of axe-core ("" when it is not installed).
	Axe string
}

var (
	startOnce sync.Once
	shared    *Browser
	startErr  error
)

func required() bool { return os.Getenv(RequireEnv) == "1" }

// ExecPath returns chromium's path, "" when there is none.
func ExecPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start returns the test binary's browser, starting it on first call. The
// browser lives until the binary exits (chromedp's process is killed with
// it). Without chromium the test is skipped, or fails when RequireEnv is 1.
func Start(t testing.TB) *Browser {
	t.Helper()
	path := ExecPath()
	if path == "" {
		if required() {
			t.Fatalf("chromium is not installed and %s=1: install it with apt-get install -y chromium", RequireEnv)
		}
		t.Skip("chromium is not installed (apt-get install -y chromium): browser tests skipped")
	}
	startOnce.Do(func() { shared, startErr = start(path) })
	if startErr != nil {
		t.Fatalf("starting chromium: %v", startErr)
	}
	return shared
}

func start(path string) (*Browser, error) {
	profile, err := os.MkdirTemp("", "maillage-chromium-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// start the process now, so a broken chromium fails here
	root, cancelRoot := chromedp.NewContext(alloc)
	cancel := func() { cancelRoot(); cancelAlloc() }
	if err := chromedp.Run(root, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		return nil, err
	}
	b := &Browser{root: root, cancel: cancel}
	b.Dir = os.Getenv(ScreenshotsEnv)
	if b.Dir == "" {
		b.Dir = filepath.Join(os.TempDir(), "maillage-captures")
	}
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		return nil, err
	}
	if p := axePath(); p != "" {
		src, err := os.ReadFile(p)
		if err == nil {
			b.Axe = string(src)
		}
	}
	return b, nil
}

// axePath finds axe-core: $MAILLAGE_AXE, or web/testdata/browser's
// node_modules in the repository (npm ci --prefix web/testdata/browser).
func axePath() string {
	if p := os.Getenv("MAILLAGE_AXE"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "web", "testdata", "browser", "node_modules", "axe-core", "axe.min.js")
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// tabConfig is how a tab is opened.
type tabConfig struct {
	width, height int
	noJS          bool
	timeout       time.Duration
}

// TabOption sets up a tab.
type TabOption func(*tabConfig)

// Width sets the viewport's width in CSS pixels (1280 by default).
func Width(px int) TabOption { return func(c *tabConfig) { c.width = px } }

// NoJavaScript disables JavaScript in the tab.
func NoJavaScript() TabOption { return func(c *tabConfig) { c.noJS = true } }

// Timeout bounds everything done in the tab (60 s by default).
func Timeout(d time.Duration) TabOption { return func(c *tabConfig) { c.timeout = d } }

// Tab opens a new tab, closed when the test ends, and returns its context.
func (b *Browser) Tab(t testing.TB, opts ...TabOption) context.Context {
	t.Helper()
	cfg := tabConfig{width: 1280, height: 900, timeout: 60 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := chromedp.NewContext(b.root)
	ctx, cancelTimeout := context.WithTimeout(ctx, cfg.timeout)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	actions := []chromedp.Action{
		emulation.SetDeviceMetricsOverride(int64(cfg.width), int64(cfg.height), 1, cfg.width < 600),
	}
	if cfg.noJS {
		actions = append(actions, emulation.SetScriptExecutionDisabled(true))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

// Open loads url in the tab and waits until the body is there.
func Open(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.WaitReady("body", chromedp.ByQuery)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
}

// FakePosition makes the tab's geolocation answer (lat, lon), with the
// permission granted to origin (e.g. "http://127.0.0.1:1234").
func FakePosition(t testing.TB, ctx context.Context, origin string, lat, lon float64) {
	t.Helper()
	err := chromedp.Run(ctx,
		browser.GrantPermissions([]browser.PermissionType{browser.PermissionTypeGeolocation}).WithOrigin(origin),
		emulation.SetGeolocationOverride().WithLatitude(lat).WithLongitude(lon).WithAccuracy(30),
	)
	if err != nil {
		t.Fatalf("faking the position: %v", err)
	}
}

// Texts returns the text content of every element matching a CSS
// selector, trimmed.
func Texts(t testing.TB, ctx context.Context, selector string) []string {
	t.Helper()
	var out []string
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(e => e.textContent.trim())`, selector)
	if err := chromedp.Run(ctx, evalEvenWithoutJS(js, &out)); err != nil {
		t.Fatalf("reading %s: %v", selector, err)
	}
	return out
}

// evalEvenWithoutJS evaluates an expression in the page; the DevTools
// protocol evaluates even when the page's scripts are disabled.
func evalEvenWithoutJS(js string, res any) chromedp.Action {
	return chromedp.Evaluate(js, res)
}

// Violation is a rule of axe-core the page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// AxeRun runs axe-core on the page with the WCAG 2.1 A and AA rules (and
// the best practices) and returns the violations. axe-core is a script: in
// a tab opened with NoJavaScript, script execution is turned back on for
// it (the page's own scripts, not run at load, stay unrun).
func (b *Browser) AxeRun(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	if b.Axe == "" {
		if required() {
			t.Fatalf("axe-core is not installed and %s=1: run npm ci --prefix web/testdata/browser", RequireEnv)
		}
		t.Skip("axe-core is not installed (npm ci --prefix web/testdata/browser): accessibility audit skipped")
	}
	var raw string
	run := `(async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]});
		return JSON.stringify(r.violations);
	})()`
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(false),
		chromedp.Evaluate(b.Axe, nil),
		chromedp.Evaluate(run, &raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	var v []Violation
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("axe-core's answer: %v", err)
	}
	return v
}

// Audit fails the test for every violation of impact serious or critical
// and logs the others.
func (b *Browser) Audit(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	for _, v := range b.AxeRun(t, ctx) {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+" "+trim(n.HTML, 160))
		}
		msg := fmt.Sprintf("%s: axe %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Screenshot writes a full-page PNG of the tab at a width to
// b.Dir/name-WIDTH.png and returns its path.
func (b *Browser) Screenshot(t testing.TB, ctx context.Context, name string, width int) string {
	t.Helper()
	var png []byte
	err := chromedp.Run(ctx,
		emulation.SetDeviceMetricsOverride(int64(width), 900, 1, width < 600),
		chromedp.Sleep(150*time.Millisecond), // let the layout settle
		chromedp.FullScreenshot(&png, 100),   // 100: PNG (below: JPEG)
	)
	if err != nil {
		t.Fatalf("screenshot of %s: %v", name, err)
	}
	path := filepath.Join(b.Dir, fmt.Sprintf("%s-%d.png", name, width))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Screenshots takes the page at 320 px and 1280 px, and checks at 320 px
// that nothing is wider than the screen (no horizontal scrolling).
func (b *Browser) Screenshots(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	b.Screenshot(t, ctx, name, 1280)
	b.Screenshot(t, ctx, name, 320)
	var overflow int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &overflow)); err != nil {
		t.Fatal(err)
	}
	if overflow > 0 {
		t.Errorf("%s: at 320 px the page is %d px wider than the screen", name, overflow)
	}
	t.Logf("%s: screenshots in %s", name, b.Dir)
}

// PrintPDF prints the page as chromium does on A4 paper, honouring the
// page's @page rules.
func PrintPDF(t testing.TB, ctx context.Context) []byte {
	t.Helper()
	var pdf []byte
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).WithPrintBackground(false).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}
	return pdf
}

var (
	pageObject = regexp.MustCompile(`/Type\s*/Page\b`)
	pageCount  = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b`)
)

// PDFPages counts the pages of a PDF made by chromium: the count of its
// page tree, or the number of page objects.
func PDFPages(pdf []byte) int {
	if m := pageCount.FindSubmatch(pdf); m != nil {
		s := string(m[1])
		if s == "" {
			s = string(m[2])
		}
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	return len(pageObject.FindAll(pdf, -1))
}

// PDFHasText reports whether the PDF draws text (it embeds a font), a
// sign that the printed page is not blank.
func PDFHasText(pdf []byte) bool {
	return bytes.Contains(pdf, []byte("/Font")) && bytes.Contains(pdf, []byte("/FontFile"))
}

// Transfer counts the bytes a page load transfers (compressed, headers
// included), by URL, after the cache is disabled.
type Transfer struct {
	mu      sync.Mutex
	urls    map[network.RequestID]string
	Bytes   map[string]float64
	Failed  []string
	pending int
}

// Measure starts counting the tab's transfers; call it before Open.
func Measure(t testing.TB, ctx context.Context) *Transfer {
	t.Helper()
	tr := &Transfer{urls: map[network.RequestID]string{}, Bytes: map[string]float64{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			tr.urls[e.RequestID] = e.Request.URL
			tr.pending++
		case *network.EventLoadingFinished:
			tr.Bytes[tr.urls[e.RequestID]] += e.EncodedDataLength
			tr.pending--
		case *network.EventLoadingFailed:
			tr.Failed = append(tr.Failed, tr.urls[e.RequestID])
			tr.pending--
		}
	})
	if err := chromedp.Run(ctx, network.Enable(), network.SetCacheDisabled(true)); err != nil {
		t.Fatal(err)
	}
	return tr
}

// Total sums the bytes of the URLs for which keep is true.
func (tr *Transfer) Total(keep func(url string) bool) (total float64, n int) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for u, b := range tr.Bytes {
		if keep(u) {
			total += b
			n++
		}
	}
	return total, n
}

// Idle waits until no request is in flight for quiet, or ctx ends.
func (tr *Transfer) Idle(ctx context.Context, quiet time.Duration) {
	calm := time.Duration(0)
	for calm < quiet && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
		tr.mu.Lock()
		p := tr.pending
		tr.mu.Unlock()
		if p <= 0 {
			calm += 50 * time.Millisecond
		} else {
			calm = 0
		}
	}
}
