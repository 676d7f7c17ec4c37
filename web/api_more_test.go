package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"maillage"
	"maillage/schema"
	"maillage/search"
)

func TestAPIPlace(t *testing.T) {
	e := newAPIEnv(t)
	var d struct {
		ID        string                     `json:"id"`
		Etat      apiState                   `json:"etat"`
		Lieu      maillage.Place             `json:"lieu"`
		Membres   []maillage.RecordRef       `json:"membres"`
		Prov      map[string]apiProvenance   `json:"provenance"`
		ProvItems map[string][]apiProvenance `json:"provenance_valeurs"`
		Fiches    []struct {
			Source string          `json:"source"`
			ID     string          `json:"id"`
			Ligne  int             `json:"ligne"`
			Lieu   maillage.Place  `json:"lieu"`
			Brut   json.RawMessage `json:"brut"`
		} `json:"fiches"`
	}
	e.getJSON(t, "/api/v1/lieux/"+url.PathEscape(e.merged), &d)
	want, _ := e.live.Load().Place(e.merged)
	if d.ID != e.merged || d.Lieu.Name != want.Place.Name || d.Etat.Statut == "" {
		t.Errorf("place %s %q %+v", d.ID, d.Lieu.Name, d.Etat)
	}
	if len(d.Membres) != len(want.Members) || len(d.Membres) < 2 || len(d.Fiches) != len(d.Membres) {
		t.Fatalf("%d members, %d records; want %d", len(d.Membres), len(d.Fiches), len(want.Members))
	}
	for i, f := range d.Fiches {
		if f.Source != d.Membres[i].Source || f.ID != d.Membres[i].ID || f.Lieu.ID != f.ID || f.Ligne <= 0 || len(f.Brut) == 0 {
			t.Errorf("record %d: %s/%s row %d, raw %d bytes", i, f.Source, f.ID, f.Ligne, len(f.Brut))
		}
	}
	if p, ok := d.Prov["nom"]; !ok || p.Source == "" || p.Fiche == "" || !slices.Contains(d.Membres, maillage.RecordRef{Source: p.Source, ID: p.Fiche}) {
		t.Errorf("provenance of nom: %+v", d.Prov["nom"])
	}
	for field, items := range d.ProvItems {
		if n := len(valuesOf(&d.Lieu, field)); field != "courriels" && field != "site_web" && field != "autres_formations_labels" && n != len(items) {
			t.Errorf("%s: %d values, %d provenances", field, n, len(items))
		}
	}

	// The absorbed place's id leads to the place that absorbed it.
	res, _ := e.get(t, "/api/v1/lieux/"+url.PathEscape(e.absorbed)+"?")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/api/v1/lieux/"+url.PathEscape(e.merged) ||
		res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("alias: %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestAPISources(t *testing.T) {
	e := newAPIEnv(t)
	var list struct {
		Sources []apiSource `json:"sources"`
	}
	e.getJSON(t, "/api/v1/sources", &list)
	if len(list.Sources) != len(e.sources) {
		t.Fatalf("%d sources, want %d", len(list.Sources), len(e.sources))
	}
	want := map[string]int{}
	for _, p := range e.places {
		for _, src := range slices.Compact(slices.Collect(func(yield func(string) bool) {
			for _, m := range p.Members {
				yield(m.Source)
			}
		})) {
			want[src]++
		}
	}
	total := 0
	for _, s := range list.Sources {
		if s.Title == "" || s.LastImport == nil || s.LastImport.Read == 0 || s.LastImport.Read != s.LastImport.Stored+s.LastImport.Quarantined || s.Consolidated != want[s.Name] {
			t.Errorf("source %+v, want %d consolidated places", s, want[s.Name])
		}
		total += s.Consolidated
		var one apiSource
		e.getJSON(t, "/api/v1/sources/"+s.Name, &one)
		if one.Name != s.Name || one.Consolidated != s.Consolidated || *one.LastImport != *s.LastImport {
			t.Errorf("%s alone: %+v", s.Name, one)
		}
	}
	if total < len(e.places) {
		t.Errorf("sources contribute to %d places, there are %d", total, len(e.places))
	}
}

func TestAPIExport(t *testing.T) {
	e := newAPIEnv(t)
	n := len(e.places)
	for _, format := range []string{"", "json", "ndjson", "csv", "geojson"} {
		res, body := e.get(t, "/api/v1/export?format="+format)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "lieux-mediation-numerique.") {
			t.Fatalf("%s: %d %v", format, res.StatusCode, res.Header)
		}
		ids := map[string]bool{}
		switch format {
		case "", "json":
			var rows []map[string]any
			if err := json.Unmarshal(body, &rows); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				ids[r["id"].(string)] = true
				if _, ok := r["services"].(string); !ok && r["services"] != nil {
					t.Errorf("json: services is %T, the schema's JSON rows hold strings", r["services"])
				}
			}
		case "ndjson":
			sc := bufio.NewScanner(bytes.NewReader(body))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r map[string]any
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				ids[r["id"].(string)] = true
			}
		case "csv":
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rows[0], schema.Columns) {
				t.Errorf("csv header %v", rows[0])
			}
			for _, r := range rows[1:] {
				ids[r[0]] = true
			}
		case "geojson":
			var fc struct {
				Features []struct {
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatal(err)
			}
			for _, f := range fc.Features {
				ids[f.Properties["id"].(string)] = true
			}
		}
		if len(ids) != n {
			t.Errorf("%s: %d distinct places, want %d", format, len(ids), n)
		}
		for i := range e.places {
			if !ids[e.places[i].Place.ID] {
				t.Errorf("%s: %s missing", format, e.places[i].Place.ID)
				break
			}
		}
	}
}

func TestAPIChanges(t *testing.T) {
	e := newAPIEnv(t)
	type feed struct {
		Depuis      time.Time         `json:"depuis"`
		Changements []maillage.Change `json:"changements"`
	}
	var all, recent feed
	e.getJSON(t, "/api/v1/changements?depuis=2026-01-01T00:00:00Z", &all)
	created := 0
	for _, c := range all.Changements {
		if c.Kind == maillage.ChangeCreated {
			created++
		}
	}
	if created != len(e.places)+1 {
		t.Errorf("%d created since January, want %d", created, len(e.places)+1)
	}
	e.getJSON(t, "/api/v1/changements?depuis="+url.QueryEscape(e.firstMerge.Add(time.Hour).Format(time.RFC3339)), &recent)
	kinds := map[string]string{}
	for _, c := range recent.Changements {
		kinds[c.ID] = c.Kind
		if !c.At.Equal(e.secondMerge) {
			t.Errorf("change %+v not at the second merge", c)
		}
	}
	if kinds[e.merged] != maillage.ChangeUpdated || kinds[e.absorbed] != maillage.ChangeDeleted || len(kinds) != 2 {
		t.Errorf("changes of the second merge: %v", kinds)
	}
}

func TestAPICommunes(t *testing.T) {
	e := newAPIEnv(t)
	type communes struct {
		Communes []apiCommune `json:"communes"`
	}
	cases := []struct{ q, code string }{
		{"saint etienne", "42218"},
		{"SAINT-ÉTIENNE", "42218"},
		{"angoulem", "16015"},
		{"42000", "42218"},
		{"160", "16015"},
	}
	for _, c := range cases {
		var got communes
		e.getJSON(t, "/api/v1/territoires/communes?q="+url.QueryEscape(c.q), &got)
		found := false
		for _, com := range got.Communes {
			found = found || com.Code == c.code
		}
		if !found || len(got.Communes) > 10 {
			t.Errorf("q=%s: %d communes without %s: %+v", c.q, len(got.Communes), c.code, got.Communes)
		}
	}
	var three communes
	e.getJSON(t, "/api/v1/territoires/communes?q=sain&limite=3", &three)
	if len(three.Communes) != 3 || three.Communes[0].Latitude == nil {
		t.Errorf("limite=3: %+v", three.Communes)
	}
}

func TestMetrics(t *testing.T) {
	e := newAPIEnv(t)
	e.get(t, "/api/v1/lieux?limite=2")
	e.get(t, "/api/v1/lieux?limite=2")
	e.get(t, "/api/v1/lieux?limite=0")
	res, body := e.get(t, "/metrics")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	text := string(body)
	for _, want := range []string{
		`maillage_http_requests_total{route="GET /api/v1/lieux",status="200"} 2`,
		`maillage_http_requests_total{route="GET /api/v1/lieux",status="400"} 1`,
		`maillage_http_request_duration_seconds_count{route="GET /api/v1/lieux"} 3`,
		`maillage_http_request_duration_seconds_bucket{route="GET /api/v1/lieux",le="+Inf"} 3`,
		fmt.Sprintf("maillage_index_places %d\n", len(e.places)),
		fmt.Sprintf("maillage_index_built_timestamp_seconds %g\n", float64(testBuiltAt.Unix())),
		`maillage_source_last_import_timestamp_seconds{source="` + e.sources[0].Name + `"}`,
		"# TYPE maillage_http_request_duration_seconds histogram",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	// every sample line is "name{labels} value" or "name value"
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.LastIndexByte(line, ' '); i < 0 || strings.ContainsAny(line[i+1:], "{}\"") {
			t.Errorf("malformed sample %q", line)
		}
	}
}

// TestAPIPaginationUnderSwaps pages through every place while another
// goroutine keeps storing new indexes of the same places (built in other
// orders, as re-imports do): the pages hold every place exactly once.
func TestAPIPaginationUnderSwaps(t *testing.T) {
	e := newAPIEnv(t)
	stop := make(chan struct{})
	var swaps atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			shuffled := slices.Clone(e.places)
			rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			e.live.Store(search.Build(shuffled, testBuiltAt.Add(time.Duration(i)*time.Second)))
			swaps.Add(1)
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	queries := []string{
		"/api/v1/lieux?limite=37",
		"/api/v1/lieux?limite=29&tri=fraicheur",
		"/api/v1/lieux?limite=41&lat=45.65&lon=0.16",
	}
	for _, first := range queries {
		seen := map[string]int{}
		next := first
		pages := 0
		for next != "" {
			var page searchPage
			e.getJSON(t, next, &page)
			for _, h := range page.Lieux {
				seen[h.ID]++
			}
			next = ""
			if page.PageSuivante != nil {
				next = *page.PageSuivante
			}
			pages++
		}
		want := len(e.places)
		if strings.Contains(first, "lat=") {
			want = brute(e.places, func(p *maillage.Place) bool { return p.HasCoordinates })
		}
		if len(seen) != want {
			t.Errorf("%s: %d distinct places in %d pages, want %d", first, len(seen), pages, want)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: %s seen %d times", first, id, n)
			}
		}
	}
	if swaps.Load() < 2 {
		t.Errorf("only %d index swaps during the paging", swaps.Load())
	}
}
