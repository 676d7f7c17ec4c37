package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/internal/fixture"
	"maillage/search"
	"maillage/territory"
)

// obsHandler is the handler with the demo places.
func obsHandler(t *testing.T) (http.Handler, Config) {
	t.Helper()
	cfg := uiConfig(t)
	return Handler(cfg), cfg
}

// obsJSON fetches a path and decodes its JSON.
func obsJSON(t *testing.T, h http.Handler, path string, want int, v any) http.Header {
	t.Helper()
	code, hdr, body := get(t, h, path)
	if code != want {
		t.Fatalf("GET %s: %d, want %d: %s", path, code, want, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return hdr
}

type obsTerritory struct {
	Level      string  `json:"niveau"`
	Code       string  `json:"code"`
	Name       string  `json:"nom"`
	Population int     `json:"population"`
	Places     int     `json:"lieux"`
	Per10k     float64 `json:"lieux_pour_10000_habitants"`
	Unlocated  int     `json:"lieux_sans_commune_connue"`
	Parents    []struct {
		Level string `json:"niveau"`
		Code  string `json:"code"`
	} `json:"parents"`
	Services []struct {
		Service string `json:"service"`
		Places  int    `json:"lieux"`
	} `json:"services"`
	Access struct {
		Within []struct {
			Share *float64 `json:"part"`
		} `json:"part_population_a_moins_de"`
	} `json:"acces"`
	Meta struct {
		Reference string `json:"date_reference"`
		Week      string `json:"semaine_horaires"`
	} `json:"meta"`
}

func TestObservatoryAPITerritory(t *testing.T) {
	h, _ := obsHandler(t)
	places, _, err := fixture.DemoPlaces()
	if err != nil {
		t.Fatal(err)
	}
	var fr, fr2 obsTerritory
	hdr := obsJSON(t, h, "/api/v1/indicateurs/france", 200, &fr)
	obsJSON(t, h, "/api/v1/indicateurs/france/fr", 200, &fr2)
	if fr.Places != len(places) || fr2.Places != fr.Places || fr.Level != "france" {
		t.Errorf("France: %d places (and %d), want %d", fr.Places, fr2.Places, len(places))
	}
	if hdr.Get("Access-Control-Allow-Origin") != "*" || hdr.Get("ETag") == "" {
		t.Errorf("headers %v", hdr)
	}
	if fr.Meta.Reference != fixture.Now.Format(time.DateOnly) || fr.Meta.Week != "2026-11-30" {
		t.Errorf("meta = %+v, want the reference %s and the week of Monday 2026-11-30", fr.Meta, fixture.Now.Format(time.DateOnly))
	}

	// Charente (16): the demo sources hold its places.
	var dep obsTerritory
	obsJSON(t, h, "/api/v1/indicateurs/departement/16", 200, &dep)
	ref, _ := territory.Default().Departement("16")
	if dep.Population != ref.Population || dep.Name != ref.Name || dep.Places == 0 || len(dep.Services) != len(maillage.Services) {
		t.Errorf("Charente: %+v", dep)
	}
	wantPer10k := float64(dep.Places) * 10000 / float64(dep.Population)
	if d := dep.Per10k - wantPer10k; d > 0.005 || d < -0.005 {
		t.Errorf("Charente: %v places per 10,000, want %.2f", dep.Per10k, wantPer10k)
	}
	inCharente := 0
	for _, p := range places {
		if territory.DepartementOfINSEE(p.Place.INSEECode) == "16" {
			if _, ok := territory.Default().Commune(p.Place.INSEECode); ok {
				inCharente++
			}
		}
	}
	if dep.Places != inCharente {
		t.Errorf("Charente: %d places, the demo has %d with a Charente code_insee", dep.Places, inCharente)
	}
	if len(dep.Parents) != 2 || dep.Parents[0].Code != "75" || dep.Parents[1].Level != "france" {
		t.Errorf("Charente's parents = %+v, want Nouvelle-Aquitaine (75) then France", dep.Parents)
	}

	// Angoulême, Paris 1er, lower-case Corsican code.
	var c obsTerritory
	obsJSON(t, h, "/api/v1/indicateurs/commune/16015", 200, &c)
	if c.Name != "Angoulême" || c.Places == 0 || c.Access.Within[0].Share == nil || *c.Access.Within[0].Share != 1 {
		t.Errorf("Angoulême: %+v", c)
	}
	obsJSON(t, h, "/api/v1/indicateurs/commune/75101", 200, &c)
	obsJSON(t, h, "/api/v1/indicateurs/departement/2a", 200, &c)
	if c.Code != "2A" {
		t.Errorf("2a: code %q", c.Code)
	}
}

func TestObservatoryAPIErrors(t *testing.T) {
	h, _ := obsHandler(t)
	v := newOpenAPIValidator(t)
	for _, c := range []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/indicateurs/canton/12", 400, "niveau"},
		{"/api/v1/indicateurs/canton", 400, "niveau"},
		{"/api/v1/indicateurs/commune/ABC", 400, "code"},
		{"/api/v1/indicateurs/departement/1", 400, "code"},
		{"/api/v1/indicateurs/epci/12", 400, "code"},
		{"/api/v1/indicateurs/france/es", 400, "code"},
		{"/api/v1/indicateurs/departement?format=xml", 400, "format"},
		{"/api/v1/indicateurs/departement?format=csv&format=json", 400, "format"},
		{"/api/v1/indicateurs/departement/16?format=csv", 400, "format"},
		{"/api/v1/indicateurs/departement/16?annee=2024", 400, "annee"},
		{"/api/v1/indicateurs/commune/99999", 404, ""},
		{"/api/v1/indicateurs/departement/00", 404, ""},
		{"/api/v1/indicateurs/epci/123456789", 404, ""},
	} {
		code, hdr, body := get(t, h, c.path)
		if code != c.status || hdr.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want %d problem+json", c.path, code, hdr.Get("Content-Type"), c.status)
			continue
		}
		var p struct {
			Status    int    `json:"status"`
			Detail    string `json:"detail"`
			Parameter string `json:"parametre"`
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != c.status || p.Parameter != c.param || p.Detail == "" {
			t.Errorf("%s: problem %+v (%v), want parameter %q", c.path, p, err, c.param)
		}
		v.check(t, "/api/v1/indicateurs/{niveau}/{code}", strconv.Itoa(c.status), "application/problem+json", []byte(body))
	}
}

func TestObservatoryAPIMatchesOpenAPI(t *testing.T) {
	h, _ := obsHandler(t)
	v := newOpenAPIValidator(t)
	for _, c := range []struct{ doc, path string }{
		{"/api/v1/indicateurs", "/api/v1/indicateurs"},
		{"/api/v1/indicateurs/{niveau}", "/api/v1/indicateurs/region"},
		{"/api/v1/indicateurs/{niveau}", "/api/v1/indicateurs/france"},
		{"/api/v1/indicateurs/{niveau}/{code}", "/api/v1/indicateurs/france/fr"},
		{"/api/v1/indicateurs/{niveau}/{code}", "/api/v1/indicateurs/commune/16015"},
		{"/api/v1/indicateurs/{niveau}/{code}", "/api/v1/indicateurs/commune/13201"},
		{"/api/v1/indicateurs/{niveau}/{code}", "/api/v1/indicateurs/commune/97501"},
		{"/api/v1/indicateurs/{niveau}/{code}", "/api/v1/indicateurs/epci/200071827"},
		{"/api/v1/indicateurs/{niveau}/{code}", "/api/v1/indicateurs/region/28"},
	} {
		code, _, body := get(t, h, c.path)
		if code != 200 {
			t.Fatalf("%s: %d %s", c.path, code, body)
		}
		v.check(t, c.doc, "200", "application/json", []byte(body))
	}
}

func TestObservatoryAPICSV(t *testing.T) {
	h, _ := obsHandler(t)
	code, hdr, body := get(t, h, "/api/v1/indicateurs/departement?format=csv")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(hdr.Get("Content-Disposition"), "indicateurs-departement.csv") {
		t.Fatalf("CSV: %d %v", code, hdr)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(territory.Default().Departements()) {
		t.Fatalf("%d rows, want a header and every département", len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	var dep obsTerritory
	obsJSON(t, h, "/api/v1/indicateurs/departement/16", 200, &dep)
	found := false
	for _, row := range rows[1:] {
		if row[col["code"]] != "16" {
			continue
		}
		found = true
		if row[col["lieux"]] != strconv.Itoa(dep.Places) || row[col["population"]] != strconv.Itoa(dep.Population) || row[col["code_parent"]] != "75" {
			t.Errorf("row of 16 = %v, JSON says %d places, %d inhabitants", row, dep.Places, dep.Population)
		}
		if got := row[col["lieux_demarches"]]; got != strconv.Itoa(dep.Services[0].Places) {
			t.Errorf("16: lieux_demarches = %s, JSON %d", got, dep.Services[0].Places)
		}
	}
	if !found {
		t.Error("no row for 16")
	}

	// The commune level has every commune and arrondissement.
	code, _, body = get(t, h, "/api/v1/indicateurs/commune?format=csv")
	if n := strings.Count(body, "\n"); code != 200 || n != 1+len(territory.Default().Communes()) {
		t.Errorf("communes CSV: %d, %d lines", code, n)
	}
}

func TestObservatoryAPILists(t *testing.T) {
	h, _ := obsHandler(t)
	var list struct {
		Level       string `json:"niveau"`
		Territories []struct {
			Code   string `json:"code"`
			Places int    `json:"lieux"`
			URL    string `json:"url"`
		} `json:"territoires"`
	}
	obsJSON(t, h, "/api/v1/indicateurs/region", 200, &list)
	if list.Level != "region" || len(list.Territories) != len(territory.Default().Regions()) {
		t.Fatalf("régions: %+v", list)
	}
	var fr obsTerritory
	obsJSON(t, h, "/api/v1/indicateurs/france", 200, &fr)
	sum := 0
	for _, r := range list.Territories {
		sum += r.Places
		if r.URL != "/api/v1/indicateurs/region/"+r.Code {
			t.Errorf("url %q", r.URL)
		}
	}
	if sum+fr.Unlocated != fr.Places {
		t.Errorf("régions: %d places + %d unlocated, France %d", sum, fr.Unlocated, fr.Places)
	}
	var levels struct {
		Levels []struct {
			Level       string `json:"niveau"`
			Territories int    `json:"territoires"`
		} `json:"niveaux"`
	}
	obsJSON(t, h, "/api/v1/indicateurs", 200, &levels)
	if len(levels.Levels) != 5 || levels.Levels[0].Territories != len(territory.Default().Communes()) || levels.Levels[4].Territories != 1 {
		t.Errorf("levels: %+v", levels)
	}
}

// TestObservatoryFollowsTheIndex checks that the indicators are computed
// again when the index is swapped, and kept while it is not.
func TestObservatoryFollowsTheIndex(t *testing.T) {
	cfg := uiConfig(t)
	live := &search.Live{}
	places := cfg.Index.Load().Places()
	live.Store(search.Build(places[:10], fixture.Now))
	cfg.Index = live
	h := Handler(cfg)
	var fr obsTerritory
	obsJSON(t, h, "/api/v1/indicateurs/france", 200, &fr)
	if fr.Places != 10 {
		t.Fatalf("France: %d places, want 10", fr.Places)
	}
	live.Store(search.Build(places[:25], fixture.Now.Add(time.Hour)))
	obsJSON(t, h, "/api/v1/indicateurs/france", 200, &fr)
	if fr.Places != 25 {
		t.Errorf("after the swap: %d places, want 25", fr.Places)
	}
}

func TestObservatoryPages(t *testing.T) {
	h, _ := obsHandler(t)
	terr := territory.Default()
	var fr obsTerritory
	obsJSON(t, h, "/api/v1/indicateurs/france", 200, &fr)
	code, hdr, body := get(t, h, "/observatoire")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("/observatoire: %d", code)
	}
	for _, want := range []string{
		"Observatoire de l'aide au numérique : France",
		intFR(fr.Population),                  // French thousands
		"Carte des départements",              // the choropleth
		`<path d="M`,                          // with outlines
		"Charente (16) : ",                    // a département's title in the map
		`href="/observatoire/departement/16"`, // and its link in the table
		`href="/observatoire/region/75"`,      // the régions
		"Lieux pour 10 000 habitants, par service",
		"Zones blanches",
		"/api/v1/indicateurs/commune?format=csv",
		`aria-current="page">Observatoire`, // the header's menu
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/observatoire lacks %q", want)
		}
	}
	if strings.Contains(body, "NaN") || strings.Contains(body, "Inf") {
		t.Error("/observatoire shows NaN or Inf")
	}

	// A département: its communes, no map of communes, the white zones.
	_, _, body = get(t, h, "/observatoire/departement/16?carte=mediane")
	d, _ := terr.Departement("16")
	for _, want := range []string{"Charente", intFR(d.Population), "Communes de Charente", "Angoulême", "Nouvelle-Aquitaine", "Distance médiane au lieu le plus proche", "zones-blanches.csv?rayon=10"} {
		if !strings.Contains(body, want) {
			t.Errorf("/observatoire/departement/16 lacks %q", want)
		}
	}
	// The map and the white zones of one service.
	_, _, body = get(t, h, "/observatoire?carte=acces10&service=demarches")
	for _, want := range []string{"Carte des départements : part de la population à moins de 10 km d'un lieu (démarches administratives)", `<option value="demarches" selected>`, "proposant le service « Démarches administratives »"} {
		if !strings.Contains(body, want) {
			t.Errorf("/observatoire?carte=acces10&service=demarches lacks %q", want)
		}
	}
	if code, _, _ := get(t, h, "/observatoire?service=tout"); code != 400 {
		t.Errorf("service=tout: %d, want 400", code)
	}
	// A commune compares itself with its EPCI, département, région, France.
	_, _, body = get(t, h, "/observatoire/commune/16015")
	for _, want := range []string{"Angoulême", "Intercommunalité", "Département", "Région", "France", "Distance au lieu le plus proche"} {
		if !strings.Contains(body, want) {
			t.Errorf("/observatoire/commune/16015 lacks %q", want)
		}
	}
	for path, status := range map[string]int{
		"/observatoire/commune/75101":              200,
		"/observatoire/commune/75056":              200,
		"/observatoire/region/28":                  200,
		"/observatoire/epci/200071827":             200,
		"/observatoire/france/fr":                  200,
		"/observatoire/departement/971":            200,
		"/observatoire/departement/ZZ":             400,
		"/observatoire/canton/1":                   400,
		"/observatoire?carte=tout":                 400,
		"/observatoire?zoom=2":                     400,
		"/observatoire/commune/99999":              404,
		"/observatoire/commune":                    404,
		"/observatoire/region/01":                  200,
		"/observatoire/commune/16015?carte=heures": 200,
	} {
		if code, _, body := get(t, h, path); code != status {
			t.Errorf("%s: %d, want %d", path, code, status)
		} else if status == 200 && strings.Contains(body, "NaN") {
			t.Errorf("%s shows NaN", path)
		}
	}
}

func TestObservatoryWhiteZoneCSV(t *testing.T) {
	h, _ := obsHandler(t)
	var dep struct {
		Access struct {
			WhiteZones []struct {
				Communes int `json:"communes"`
			} `json:"zones_blanches"`
		} `json:"acces"`
	}
	obsJSON(t, h, "/api/v1/indicateurs/departement/16", 200, &dep)
	code, hdr, body := get(t, h, "/observatoire/departement/16/zones-blanches.csv?rayon=20")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %v", code, hdr)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != dep.Access.WhiteZones[1].Communes {
		t.Errorf("%d communes in the CSV, the indicators say %d", len(rows)-1, dep.Access.WhiteZones[1].Communes)
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[0], "16") {
			t.Errorf("commune %v outside Charente", row)
		}
		if km, err := strconv.ParseFloat(row[3], 64); row[3] != "" && (err != nil || km <= 20) {
			t.Errorf("commune %v within 20 km of a place", row)
		}
	}
	// Per service: the white zone of the places offering help with
	// administrative procedures is the one the indicators give.
	var svc struct {
		Services []struct {
			Access struct {
				WhiteZones []struct {
					Communes int `json:"communes"`
				} `json:"zones_blanches"`
			} `json:"acces"`
		} `json:"services"`
	}
	obsJSON(t, h, "/api/v1/indicateurs/departement/16", 200, &svc)
	_, _, body = get(t, h, "/observatoire/departement/16/zones-blanches.csv?rayon=10&service=demarches")
	if n := strings.Count(body, "\n") - 1; n != svc.Services[0].Access.WhiteZones[0].Communes || n < dep.Access.WhiteZones[0].Communes { // a service's white zone holds the one of every place
		t.Errorf("administrative procedures: %d communes in the CSV, indicators %d (any place: %d)", n, svc.Services[0].Access.WhiteZones[0].Communes, dep.Access.WhiteZones[0].Communes)
	}
	if code, _, _ := get(t, h, "/observatoire/departement/16/zones-blanches.csv?service=tout"); code != 400 {
		t.Errorf("service=tout: %d, want 400", code)
	}
	if code, _, _ := get(t, h, "/observatoire/departement/16/zones-blanches.csv?rayon=15"); code != 400 {
		t.Errorf("rayon=15: %d, want 400", code)
	}
	if code, _, _ := get(t, h, "/observatoire/departement/00/zones-blanches.csv"); code != 404 {
		t.Errorf("département 00: %d, want 404", code)
	}
}

func TestObservatoryFrenchNumbers(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct{ got, want string }{
		{intFR(0), "0"},
		{intFR(999), "999"},
		{intFR(1000), "1\u00a0000"},
		{intFR(68042591), "68\u00a0042\u00a0591"},
		{intFR(-12345), "-12\u00a0345"},
		{decFR(1234.56, 1), "1\u00a0234,6"},
		{decFR(-0.04, 1), "0,0"},
		{decFR(-1.25, 2), "-1,25"},
		{numFR(nil, 1), "non défini"},
		{pctFR(f(0.8889)), "88,9\u00a0%"},
		{pctFR(f(1)), "100,0\u00a0%"},
		{kmFR(f(12.234)), "12,2\u00a0km"},
		{longDateFR(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)), "1er mars 2026"},
		{longDateFR(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)), "24 novembre 2026"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestObservatoryClasses(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	values := []*float64{f(1), f(2), f(3), f(4), f(5), f(6), f(7), f(8), f(9), f(10), nil}
	breaks := quantileBreaks(values)
	if len(breaks) != 4 || breaks[0] != 3 || breaks[3] != 9 {
		t.Fatalf("breaks = %v, want [3 5 7 9]", breaks)
	}
	for _, c := range []struct {
		v    *float64
		want string
	}{{f(1), "q0"}, {f(3), "q1"}, {f(8), "q3"}, {f(10), "q4"}, {nil, "nd"}} {
		if got := classOf(c.v, breaks); got != c.want {
			t.Errorf("classOf(%v) = %s, want %s", c.v, got, c.want)
		}
	}
	// All equal: one class, the darkest.
	same := quantileBreaks([]*float64{f(2), f(2), f(2)})
	if len(same) != 0 || classOf(f(2), same) != "q4" {
		t.Errorf("equal values: breaks %v, class %s", same, classOf(f(2), same))
	}
	// Mostly zeros: zero is a class of its own, the rest in quartiles.
	zeros := []*float64{f(0), f(0), f(0), f(0), f(0), f(0), f(0), f(0), f(1), f(4)}
	zb := quantileBreaks(zeros)
	if len(zb) != 2 || zb[0] != 1 || zb[1] != 4 || classOf(f(0), zb) != "q0" || classOf(f(1), zb) != "q2" || classOf(f(4), zb) != "q4" {
		t.Errorf("mostly zeros: breaks %v", zb)
	}
	if l := legend(breaks, "lieux"); len(l) != 6 || l[0].Text != "moins de 3,0" || l[4].Text != "9,0 ou plus" || l[5].Class != "nd" {
		t.Errorf("legend = %+v", l)
	}
}
