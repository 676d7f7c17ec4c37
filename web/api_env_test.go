package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/demo"
	"maillage/internal/fixture"
	"maillage/search"
	"maillage/sqlite"
	"maillage/territory"
)

// apiEnv is a service over the demo places: a real SQLite store holding
// the demo sources' records and their consolidated places, the index of
// those places, and the handler.
type apiEnv struct {
	places  []maillage.Consolidated
	sources []maillage.Source
	store   *sqlite.Store
	live    *search.Live
	handler http.Handler
	// merged is a place that absorbed absorbed's members in the second
	// merge: absorbed's id is now an alias of merged's.
	merged, absorbed string
	firstMerge       time.Time
	secondMerge      time.Time
}

var testBuiltAt = time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)

func newAPIEnv(t testing.TB) *apiEnv {
	t.Helper()
	places, sources, err := fixture.DemoPlaces()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := demo.Load(ctx, store, territory.Default()); err != nil {
		t.Fatal(err)
	}
	e := &apiEnv{sources: sources, store: store, live: &search.Live{}}
	e.firstMerge = time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	if err := store.ReplaceConsolidated(ctx, places, e.firstMerge); err != nil {
		t.Fatal(err)
	}
	// A second merge joins two places with coordinates into one: the
	// second one's id becomes an alias of the first.
	var a, b = -1, -1
	for i := range places {
		if places[i].Place.HasCoordinates && places[i].Place.OpeningHours != "" {
			if a < 0 {
				a = i
			} else if b < 0 {
				b = i
				break
			}
		}
	}
	second := make([]maillage.Consolidated, 0, len(places)-1)
	for i, p := range places {
		switch i {
		case b:
			continue
		case a:
			p.Members = append(slices.Clone(p.Members), places[b].Members...)
			slices.SortFunc(p.Members, func(x, y maillage.RecordRef) int {
				if x.Less(y) {
					return -1
				}
				if y.Less(x) {
					return 1
				}
				return 0
			})
		}
		second = append(second, p)
	}
	e.merged, e.absorbed = places[a].Place.ID, places[b].Place.ID
	e.secondMerge = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	if err := store.ReplaceConsolidated(ctx, second, e.secondMerge); err != nil {
		t.Fatal(err)
	}
	e.places = second
	e.live.Store(search.Build(second, testBuiltAt))
	e.handler = Handler(Config{Store: store, Places: store, Index: e.live, Now: func() time.Time { return fixture.Now }})
	return e
}

// get serves one GET request; header is name, value pairs.
func (e *apiEnv) get(t testing.TB, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

// getJSON serves a GET that must answer 200 with JSON, decoded into v.
func (e *apiEnv) getJSON(t testing.TB, target string, v any) *http.Response {
	t.Helper()
	res, body := e.get(t, target)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Fatalf("GET %s: Content-Type %q", target, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", target, err, body)
	}
	return res
}

// searchPage is the JSON answer of GET /api/v1/lieux.
type searchPage struct {
	Total        int         `json:"total"`
	Suivant      *string     `json:"suivant"`
	PageSuivante *string     `json:"page_suivante"`
	Lieux        []searchHit `json:"lieux"`
}

type searchHit struct {
	ID         string   `json:"id"`
	DistanceM  *float64 `json:"distance_m"`
	Precision  string   `json:"precision_coordonnees"`
	Etat       apiState `json:"etat"`
	Lieu       maillage.Place
	LieuFields map[string]any `json:"-"`
}

type apiState struct {
	Statut             string `json:"statut"`
	Commentaire        string `json:"commentaire"`
	ProchainChangement string `json:"prochain_changement"`
}

func (h *searchHit) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID        string          `json:"id"`
		DistanceM *float64        `json:"distance_m"`
		Precision string          `json:"precision_coordonnees"`
		Etat      apiState        `json:"etat"`
		Lieu      json.RawMessage `json:"lieu"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	h.ID, h.DistanceM, h.Precision, h.Etat = raw.ID, raw.DistanceM, raw.Precision, raw.Etat
	if err := json.Unmarshal(raw.Lieu, &h.Lieu); err != nil {
		return err
	}
	return json.Unmarshal(raw.Lieu, &h.LieuFields)
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRead(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
