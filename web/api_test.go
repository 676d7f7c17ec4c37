package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"maillage"
	"maillage/fold"
	"maillage/internal/fixture"
	"maillage/schema"
	"maillage/search"
	"maillage/territory"
)

// brute counts the places matching keep, the reference the API's totals
// are checked against.
func brute(places []maillage.Consolidated, keep func(p *maillage.Place) bool) int {
	n := 0
	for i := range places {
		if keep(&places[i].Place) {
			n++
		}
	}
	return n
}

// valuesOf returns a place's values of a filter field.
func valuesOf(p *maillage.Place, field string) []string {
	vals := strings.Split(schema.Values(p)[slices.Index(schema.Columns, field)], "|")
	if len(vals) == 1 && vals[0] == "" {
		return nil
	}
	return vals
}

func TestAPISearchParameters(t *testing.T) {
	e := newAPIEnv(t)
	terr := territory.Default()

	t.Run("no parameter", func(t *testing.T) {
		var page searchPage
		res := e.getJSON(t, "/api/v1/lieux", &page)
		if page.Total != len(e.places) || len(page.Lieux) != 20 || page.Suivant == nil {
			t.Fatalf("total %d, %d hits, next %v; want %d, 20, a cursor", page.Total, len(page.Lieux), page.Suivant, len(e.places))
		}
		if res.Header.Get("X-Total-Count") != fmt.Sprint(len(e.places)) || !strings.Contains(res.Header.Get("Link"), `rel="next"`) {
			t.Errorf("headers %v", res.Header)
		}
		for i := 1; i < len(page.Lieux); i++ {
			if fold.Key(page.Lieux[i-1].Lieu.Name) > fold.Key(page.Lieux[i].Lieu.Name) {
				t.Errorf("not sorted by name: %q before %q", page.Lieux[i-1].Lieu.Name, page.Lieux[i].Lieu.Name)
			}
			if page.Lieux[i].DistanceM != nil {
				t.Errorf("distance without a point")
			}
		}
	})

	// Lyon, with a radius.
	lat, lon := 45.764, 4.8357
	t.Run("lat lon rayon", func(t *testing.T) {
		var page searchPage
		e.getJSON(t, fmt.Sprintf("/api/v1/lieux?lat=%g&lon=%g&rayon=20000&limite=500", lat, lon), &page)
		want := brute(e.places, func(p *maillage.Place) bool {
			return p.HasCoordinates && territory.Distance(lat, lon, p.Latitude, p.Longitude)*1000 <= 20000
		})
		if page.Total != want || want == 0 {
			t.Fatalf("total %d, want %d places within 20 km", page.Total, want)
		}
		prev := -1.0
		for _, h := range page.Lieux {
			if h.DistanceM == nil {
				t.Fatalf("%s: no distance", h.ID)
			}
			d := territory.Distance(lat, lon, h.Lieu.Latitude, h.Lieu.Longitude) * 1000
			if *h.DistanceM < prev || *h.DistanceM > 20000 || abs(*h.DistanceM-d) > 0.1 {
				t.Errorf("%s: distance %g (computed %g) after %g", h.ID, *h.DistanceM, d, prev)
			}
			prev = *h.DistanceM
		}
	})

	areas := []struct {
		param, code string
		of          func(c *territory.Commune) string
	}{
		{"commune", "69123", func(c *territory.Commune) string {
			if c.Parent != "" {
				return c.Parent
			}
			return c.Code
		}},
		{"departement", "16", func(c *territory.Commune) string { return c.Departement }},
		{"region", "84", func(c *territory.Commune) string { return c.Region }},
		{"epci", "200046977", func(c *territory.Commune) string { return c.EPCI }},
	}
	for _, a := range areas {
		t.Run(a.param, func(t *testing.T) {
			in := func(p *maillage.Place) bool {
				c, ok := terr.Commune(p.INSEECode)
				return ok && a.of(c) == a.code
			}
			want := brute(e.places, in)
			if want == 0 {
				t.Fatalf("no demo place in %s %s", a.param, a.code)
			}
			var page searchPage
			e.getJSON(t, "/api/v1/lieux?limite=500&"+a.param+"="+a.code, &page)
			if page.Total != want {
				t.Errorf("total %d, want %d", page.Total, want)
			}
			for _, h := range page.Lieux {
				if !in(&h.Lieu) {
					t.Errorf("%s (%s) is not in %s %s", h.ID, h.Lieu.INSEECode, a.param, a.code)
				}
			}
		})
	}

	t.Run("bbox", func(t *testing.T) {
		var page searchPage
		e.getJSON(t, "/api/v1/lieux?limite=500&bbox=4.7,45.7,4.9,45.8", &page)
		want := brute(e.places, func(p *maillage.Place) bool {
			return p.HasCoordinates && p.Longitude >= 4.7 && p.Longitude <= 4.9 && p.Latitude >= 45.7 && p.Latitude <= 45.8
		})
		if page.Total != want || want == 0 {
			t.Errorf("total %d, want %d", page.Total, want)
		}
	})

	t.Run("q", func(t *testing.T) {
		target := e.places[len(e.places)/2].Place
		word := strings.Fields(fold.Key(target.Name))[0]
		var page searchPage
		e.getJSON(t, "/api/v1/lieux?limite=500&q="+url.QueryEscape(strings.ToUpper(word)), &page)
		found := false
		for _, h := range page.Lieux {
			found = found || h.ID == target.ID
		}
		if !found || page.Total == 0 {
			t.Errorf("q=%s: %d results without %s (%s)", word, page.Total, target.ID, target.Name)
		}
	})

	for _, field := range search.FilterFields() {
		t.Run(field, func(t *testing.T) {
			// the two most frequent values in the data
			counts := map[string]int{}
			for i := range e.places {
				for _, v := range valuesOf(&e.places[i].Place, field) {
					counts[v]++
				}
			}
			var vals []string
			for v := range counts {
				vals = append(vals, v)
			}
			slices.SortFunc(vals, func(a, b string) int { return counts[b] - counts[a] })
			if len(vals) == 0 {
				t.Skipf("no demo place has a %s", field)
			}
			vals = vals[:min(2, len(vals))]
			var page searchPage
			e.getJSON(t, "/api/v1/lieux?limite=500&"+field+"="+url.QueryEscape(strings.Join(vals, ",")), &page)
			want := brute(e.places, func(p *maillage.Place) bool {
				return slices.ContainsFunc(valuesOf(p, field), func(v string) bool { return slices.Contains(vals, v) })
			})
			if page.Total != want {
				t.Errorf("%s=%v: total %d, want %d", field, vals, page.Total, want)
			}
			for _, h := range page.Lieux {
				if !slices.ContainsFunc(valuesOf(&h.Lieu, field), func(v string) bool { return slices.Contains(vals, v) }) {
					t.Errorf("%s has none of %v", h.ID, vals)
				}
			}
			// the same values as a repeated parameter
			q := url.Values{field: vals, "limite": {"500"}}
			var again searchPage
			e.getJSON(t, "/api/v1/lieux?"+q.Encode(), &again)
			if again.Total != page.Total {
				t.Errorf("repeated parameter: total %d, comma-separated %d", again.Total, page.Total)
			}
		})
	}

	t.Run("ouvert", func(t *testing.T) {
		for _, v := range []string{"maintenant", fixture.Now.Format("2006-01-02T15:04:05Z07:00")} {
			var page searchPage
			e.getJSON(t, "/api/v1/lieux?limite=500&ouvert="+url.QueryEscape(v), &page)
			if page.Total == 0 {
				t.Fatalf("ouvert=%s: nothing open on a Tuesday at 10:00", v)
			}
			for _, h := range page.Lieux {
				if h.Etat.Statut != "ouvert" || h.Etat.ProchainChangement == "" {
					t.Errorf("ouvert=%s: %s is %+v", v, h.ID, h.Etat)
				}
			}
		}
		// Sunday at 3 in the morning: fewer
		var night, day searchPage
		e.getJSON(t, "/api/v1/lieux?limite=1&ouvert=2026-11-29T03:00:00%2B01:00", &night)
		e.getJSON(t, "/api/v1/lieux?limite=1&ouvert=maintenant", &day)
		if night.Total >= day.Total {
			t.Errorf("open on Sunday 3:00: %d, on Tuesday 10:00: %d", night.Total, day.Total)
		}
	})

	t.Run("etat of every result", func(t *testing.T) {
		var page searchPage
		e.getJSON(t, "/api/v1/lieux?limite=500", &page)
		seen := map[string]bool{}
		for _, h := range page.Lieux {
			seen[h.Etat.Statut] = true
			if h.Lieu.OpeningHours == "" && h.Etat.Statut != "inconnu" {
				t.Errorf("%s without hours is %q", h.ID, h.Etat.Statut)
			}
		}
		if !seen["ouvert"] || !seen["ferme"] || !seen["inconnu"] {
			t.Errorf("states seen: %v", seen)
		}
	})

	t.Run("tri", func(t *testing.T) {
		var page searchPage
		e.getJSON(t, "/api/v1/lieux?limite=100&tri=fraicheur", &page)
		for i := 1; i < len(page.Lieux); i++ {
			if page.Lieux[i-1].Lieu.UpdatedOn.Before(page.Lieux[i].Lieu.UpdatedOn) {
				t.Errorf("fraicheur: %s before %s", page.Lieux[i-1].Lieu.UpdatedOn, page.Lieux[i].Lieu.UpdatedOn)
			}
		}
		e.getJSON(t, fmt.Sprintf("/api/v1/lieux?limite=100&tri=nom&lat=%g&lon=%g", lat, lon), &page)
		for i := 1; i < len(page.Lieux); i++ {
			if fold.Key(page.Lieux[i-1].Lieu.Name) > fold.Key(page.Lieux[i].Lieu.Name) {
				t.Errorf("nom: %q before %q", page.Lieux[i-1].Lieu.Name, page.Lieux[i].Lieu.Name)
			}
			if page.Lieux[i].DistanceM == nil {
				t.Errorf("sorted by name near a point: no distance")
			}
		}
	})

	t.Run("limite and curseur", func(t *testing.T) {
		var first, second searchPage
		e.getJSON(t, "/api/v1/lieux?limite=7", &first)
		if len(first.Lieux) != 7 || first.Suivant == nil || first.PageSuivante == nil {
			t.Fatalf("limite=7: %d hits, next %v", len(first.Lieux), first.Suivant)
		}
		e.getJSON(t, *first.PageSuivante, &second)
		if len(second.Lieux) != 7 || second.Lieux[0].ID == first.Lieux[6].ID {
			t.Fatalf("second page: %d hits", len(second.Lieux))
		}
		var all searchPage
		e.getJSON(t, "/api/v1/lieux?limite=14", &all)
		for i, h := range append(first.Lieux, second.Lieux...) {
			if all.Lieux[i].ID != h.ID {
				t.Errorf("hit %d: %s by pages, %s at once", i, h.ID, all.Lieux[i].ID)
			}
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestAPISearchFormats(t *testing.T) {
	e := newAPIEnv(t)
	const q = "/api/v1/lieux?lat=45.65&lon=0.16&limite=30&format="
	var page searchPage
	e.getJSON(t, q+"json", &page)
	if len(page.Lieux) != 30 {
		t.Fatalf("%d hits", len(page.Lieux))
	}
	ids := make([]string, len(page.Lieux))
	for i, h := range page.Lieux {
		ids[i] = h.ID
	}

	t.Run("geojson", func(t *testing.T) {
		res, body := e.get(t, q+"geojson")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var fc struct {
			Type     string `json:"type"`
			Total    int    `json:"total"`
			Features []struct {
				Type     string `json:"type"`
				ID       string `json:"id"`
				Geometry *struct {
					Type        string     `json:"type"`
					Coordinates [2]float64 `json:"coordinates"`
				} `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(body, &fc); err != nil {
			t.Fatal(err)
		}
		if fc.Type != "FeatureCollection" || fc.Total != page.Total || len(fc.Features) != 30 {
			t.Fatalf("%s, total %d, %d features", fc.Type, fc.Total, len(fc.Features))
		}
		for i, f := range fc.Features {
			if f.ID != ids[i] || f.Type != "Feature" || f.Geometry == nil || f.Geometry.Type != "Point" {
				t.Errorf("feature %d: %+v", i, f)
				continue
			}
			if f.Geometry.Coordinates[0] != page.Lieux[i].Lieu.Longitude || f.Properties["nom"] != page.Lieux[i].Lieu.Name ||
				f.Properties["distance_m"] != *page.Lieux[i].DistanceM || f.Properties["etat"] == nil {
				t.Errorf("feature %d: %v %v", i, f.Geometry.Coordinates, f.Properties)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		res, body := e.get(t, q+"csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0][:len(schema.Columns)], schema.Columns) || rows[0][len(schema.Columns)] != "distance_m" || len(rows) != 31 {
			t.Fatalf("header %v, %d rows", rows[0], len(rows))
		}
		for i, row := range rows[1:] {
			if row[0] != ids[i] || row[len(schema.Columns)+1] != page.Lieux[i].Etat.Statut {
				t.Errorf("row %d: %v", i, row)
			}
		}
		if !strings.Contains(res.Header.Get("Link"), "format=csv") {
			t.Errorf("Link %q", res.Header.Get("Link"))
		}
	})

	t.Run("ndjson", func(t *testing.T) {
		res, body := e.get(t, q+"ndjson")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/x-ndjson" {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<20)
		i := 0
		for sc.Scan() {
			var h searchHit
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
				t.Fatal(err)
			}
			if h.ID != ids[i] {
				t.Errorf("line %d: %s, want %s", i, h.ID, ids[i])
			}
			i++
		}
		if i != 30 || res.Header.Get("X-Total-Count") != fmt.Sprint(page.Total) {
			t.Errorf("%d lines, X-Total-Count %q", i, res.Header.Get("X-Total-Count"))
		}
	})
}

func TestAPIErrors(t *testing.T) {
	e := newAPIEnv(t)
	bad := []struct{ target, param string }{
		{"/api/v1/lieux?lat=abc&lon=2", "lat"},
		{"/api/v1/lieux?lat=91&lon=2", "lat"},
		{"/api/v1/lieux?lat=45", "lon"},
		{"/api/v1/lieux?lon=2", "lat"},
		{"/api/v1/lieux?lat=45&lon=200", "lon"},
		{"/api/v1/lieux?rayon=1000", "rayon"},
		{"/api/v1/lieux?lat=45&lon=2&rayon=-3", "rayon"},
		{"/api/v1/lieux?lat=45&lon=2&rayon=beaucoup", "rayon"},
		{"/api/v1/lieux?commune=99999", "commune"},
		{"/api/v1/lieux?epci=123", "epci"},
		{"/api/v1/lieux?departement=00", "departement"},
		{"/api/v1/lieux?region=1000", "region"},
		{"/api/v1/lieux?bbox=1,2,3", "bbox"},
		{"/api/v1/lieux?bbox=3,2,1,4", "bbox"},
		{"/api/v1/lieux?bbox=a,b,c,d", "bbox"},
		{"/api/v1/lieux?q=" + strings.Repeat("x", 201), "q"},
		{"/api/v1/lieux?services=Cuisine", "services"},
		{"/api/v1/lieux?services=,", "services"},
		{"/api/v1/lieux?frais_a_charge=gratuit", "frais_a_charge"},
		{"/api/v1/lieux?typologie=XYZ", "typologie"},
		{"/api/v1/lieux?ouvert=demain", "ouvert"},
		{"/api/v1/lieux?tri=distance", "tri"},
		{"/api/v1/lieux?tri=hasard", "tri"},
		{"/api/v1/lieux?limite=0", "limite"},
		{"/api/v1/lieux?limite=501", "limite"},
		{"/api/v1/lieux?limite=dix", "limite"},
		{"/api/v1/lieux?curseur=n'importe-quoi", "curseur"},
		{"/api/v1/lieux?tri=nom&curseur=distance~12~x", "curseur"},
		{"/api/v1/lieux?format=xml", "format"},
		{"/api/v1/lieux?service=Cuisine", "service"},
		{"/api/v1/lieux?lat=1&lat=2&lon=3", "lat"},
		{"/api/v1/lieux/x?format=csv", "format"},
		{"/api/v1/export?format=xlsx", "format"},
		{"/api/v1/export?format=csv&format=json", "format"},
		{"/api/v1/changements", "depuis"},
		{"/api/v1/changements?depuis=hier", "depuis"},
		{"/api/v1/territoires/communes", "q"},
		{"/api/v1/territoires/communes?q=lyon&limite=100", "limite"},
		{"/api/v1/sources?page=2", "page"},
	}
	for _, c := range bad {
		res, body := e.get(t, c.target)
		var p problem
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("%s: %v: %s", c.target, err, body)
			continue
		}
		if res.StatusCode != 400 || p.Status != 400 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s", c.target, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if p.Parameter != c.param || !strings.HasPrefix(p.Detail, c.param+" : ") || p.Title == "" || p.Type == "" {
			t.Errorf("%s: problem %+v, want parameter %s", c.target, p, c.param)
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", c.target, res.Header)
		}
	}
	for _, target := range []string{"/api/v1/lieux/inconnu", "/api/v1/sources/inconnue", "/api/v1/rien", "/api/v2/lieux", "/hsds/services/inconnu"} {
		res, body := e.get(t, target)
		var p problem
		if res.StatusCode != 404 || json.Unmarshal(body, &p) != nil || p.Status != 404 || p.Detail == "" {
			t.Errorf("%s: %d %s", target, res.StatusCode, body)
		}
	}
	// q counts characters, not bytes: 150 accented letters are 300 bytes.
	if res, body := e.get(t, "/api/v1/lieux?q="+url.QueryEscape(strings.Repeat("é", 150))); res.StatusCode != 200 {
		t.Errorf("q of 150 characters: %d %s", res.StatusCode, body)
	}
	// The API is read only: other methods are a 405 naming what is allowed.
	for _, c := range []struct{ method, target string }{{"POST", "/api/v1/lieux"}, {"DELETE", "/api/v1/lieux/x"}, {"PUT", "/hsds/services"}} {
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, httptest.NewRequest(c.method, c.target, nil))
		var p problem
		if rec.Code != 405 || json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.Status != 405 ||
			rec.Header().Get("Allow") != "GET, HEAD, OPTIONS" || !strings.Contains(p.Detail, c.method) {
			t.Errorf("%s %s: %d %v %s", c.method, c.target, rec.Code, rec.Header(), rec.Body)
		}
	}
}

func TestAPIHeaders(t *testing.T) {
	e := newAPIEnv(t)
	targets := []string{
		"/api/v1/lieux?services=" + url.QueryEscape("Aide aux démarches administratives"),
		"/api/v1/lieux/" + url.PathEscape(e.merged),
		"/api/v1/sources",
		"/api/v1/sources/" + e.sources[0].Name,
		"/api/v1/export?format=csv",
		"/api/v1/changements?depuis=2026-01-01T00:00:00Z",
		"/api/v1/territoires/communes?q=lyon",
		"/api/v1/openapi.json",
	}
	for _, target := range targets {
		res, _ := e.get(t, target)
		etag := res.Header.Get("ETag")
		if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "*" || etag == "" ||
			!strings.HasPrefix(res.Header.Get("Cache-Control"), "public, max-age=") {
			t.Errorf("%s: %d, headers %v", target, res.StatusCode, res.Header)
			continue
		}
		res, body := e.get(t, target, "If-None-Match", `"autre", W/`+etag)
		if res.StatusCode != http.StatusNotModified || len(body) != 0 || res.Header.Get("ETag") != etag {
			t.Errorf("%s with If-None-Match: %d, %d bytes", target, res.StatusCode, len(body))
		}
		res, _ = e.get(t, target, "If-None-Match", `"autre"`)
		if res.StatusCode != 200 {
			t.Errorf("%s with another tag: %d", target, res.StatusCode)
		}
	}

	// A new index (an import or a merge) changes every tag.
	res, _ := e.get(t, targets[0])
	before := res.Header.Get("ETag")
	e.live.Store(search.Build(e.places, testBuiltAt.Add(1)))
	res, _ = e.get(t, targets[0], "If-None-Match", before)
	if res.StatusCode != 200 || res.Header.Get("ETag") == before {
		t.Errorf("after a new index: %d, tag %s (was %s)", res.StatusCode, res.Header.Get("ETag"), before)
	}
	// Other parameters, another tag.
	res, _ = e.get(t, targets[0]+"&limite=3")
	if res.Header.Get("ETag") == before {
		t.Errorf("same tag for another query")
	}

	// Preflight of a request sending If-None-Match.
	req, _ := http.NewRequest(http.MethodOptions, "/api/v1/lieux", nil)
	req.Header.Set("Origin", "https://exemple.fr")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "if-none-match")
	rec := newRecorder()
	e.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "If-None-Match") {
		t.Errorf("preflight: %d %v", rec.Code, rec.Header())
	}
}
