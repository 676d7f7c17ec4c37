package web

// The observatory: the indicators of package stats for every territory,
// as JSON and CSV under /api/v1/indicateurs and as pages under
// /observatoire.
//
// The indicators are computed from the search index currently served,
// once per index: the first request after an import or a merge (which
// swap the index) computes them (about 0.3 s for 25,000 places, 3.3 s
// for a million on two cores: see the benchmarks of package stats), the
// others read them from memory. Requests arriving during the computation
// wait for it rather than starting their own. The freshness of the data
// is measured from the moment of that computation (Config.Now).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"maillage/search"
	"maillage/stats"
	"maillage/territory"
)

// observatory holds the indicators of the index last seen.
type observatory struct {
	s      *Server
	mu     sync.Mutex
	ix     *search.Index
	report *stats.Report
}

// observatoryRoutes registers the observatory's pages (/observatoire) and
// its API (/api/v1/indicateurs).
func (s *Server) observatoryRoutes() {
	o := &observatory{s: s}
	s.obs = o
	s.api("GET /api/v1/indicateurs", o.apiLevels)
	s.api("GET /api/v1/indicateurs/{niveau}", o.apiLevel)
	s.api("GET /api/v1/indicateurs/{niveau}/{code}", o.apiTerritory)
	s.mux.HandleFunc("GET /observatoire", o.page)
	s.mux.HandleFunc("GET /observatoire/{niveau}", o.page)
	s.mux.HandleFunc("GET /observatoire/{niveau}/{code}", o.page)
	s.mux.HandleFunc("GET /observatoire/{niveau}/{code}/zones-blanches.csv", o.whiteZoneCSV)
}

// current returns the indicators of the index currently served,
// computing them when the index changed.
func (o *observatory) current() (*stats.Report, error) {
	ix := o.s.cfg.Index.Load()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.report != nil && o.ix == ix {
		return o.report, nil
	}
	r, err := stats.Compute(ix.Places(), territory.Default(), stats.Options{Reference: o.s.cfg.Now()})
	if err != nil {
		return nil, err
	}
	o.ix, o.report = ix, r
	return r, nil
}

// levelNames are the levels as people read them.
var levelNames = map[stats.Level]string{
	stats.LevelCommune:     "commune",
	stats.LevelEPCI:        "intercommunalité",
	stats.LevelDepartement: "département",
	stats.LevelRegion:      "région",
	stats.LevelFrance:      "France",
}

// codePatterns are the forms of the codes of each level.
var codePatterns = map[stats.Level]*regexp.Regexp{
	stats.LevelCommune:     regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`),
	stats.LevelEPCI:        regexp.MustCompile(`^[0-9]{9}$`),
	stats.LevelDepartement: regexp.MustCompile(`^([0-9][0-9AB]|[0-9]{3})$`),
	stats.LevelRegion:      regexp.MustCompile(`^[0-9]{2,3}$`),
	stats.LevelFrance:      regexp.MustCompile(`^fr$`),
}

// codeForms says in French what a code of each level looks like.
var codeForms = map[stats.Level]string{
	stats.LevelCommune:     "un code INSEE de 5 caractères (« 75056 », « 2A004 »)",
	stats.LevelEPCI:        "un numéro SIREN de 9 chiffres (« 200054781 »)",
	stats.LevelDepartement: "un code de département (« 01 », « 2A », « 971 »)",
	stats.LevelRegion:      "un code de région (« 84 », « 11 »)",
	stats.LevelFrance:      "« fr »",
}

// parseLevel checks the {niveau} of a path.
func parseLevel(s string) (stats.Level, error) {
	if !stats.ValidLevel(s) {
		return "", badParam("niveau", "« %s » n'est pas un niveau ; niveaux : commune, epci, departement, region, france", s)
	}
	return stats.Level(s), nil
}

// lookup finds the territory of a path: 400 for a malformed level or
// code, 404 for a well-formed code that names no territory.
func lookup(r *stats.Report, levelParam, code string) (stats.Level, *stats.Territory, error) {
	level, err := parseLevel(levelParam)
	if err != nil {
		return "", nil, err
	}
	if level == stats.LevelFrance && code == "" {
		code = stats.FranceCode
	}
	code = strings.ToUpper(code)
	if level == stats.LevelFrance {
		code = strings.ToLower(code)
	}
	if !codePatterns[level].MatchString(code) {
		return "", nil, badParam("code", "« %s » n'est pas un code de %s : il faut %s", code, levelNames[level], codeForms[level])
	}
	t, ok := r.Territory(level, code)
	if !ok {
		return "", nil, notFound(fmt.Sprintf("aucun territoire de niveau %s n'a le code « %s »", level, code))
	}
	return level, t, nil
}

// indicatorsDoc is the JSON answer for one territory.
type indicatorsDoc struct {
	*stats.Territory
	Meta indicatorsMeta `json:"meta"`
}

// indicatorsMeta says what the figures were computed from.
type indicatorsMeta struct {
	// Reference is the date the freshness is measured from.
	Reference string `json:"date_reference"`
	// Week is the Monday of the week the opening hours were measured over.
	Week string `json:"semaine_horaires"`
	// IndexBuiltAt dates the consolidated data.
	IndexBuiltAt string `json:"donnees_du"`
	CSV          string `json:"csv"`
	Page         string `json:"page"`
}

func (o *observatory) meta(r *stats.Report, level stats.Level, code string) indicatorsMeta {
	built := o.s.cfg.Index.Load().BuiltAt()
	m := indicatorsMeta{
		Reference: r.Reference().Format("2006-01-02"),
		Week:      r.Week().Format("2006-01-02"),
		CSV:       "/api/v1/indicateurs/" + string(level) + "?format=csv",
		Page:      observatoryPath(level, code),
	}
	if !built.IsZero() {
		m.IndexBuiltAt = built.UTC().Format("2006-01-02T15:04:05Z")
	}
	return m
}

// observatoryPath is the page of a territory.
func observatoryPath(level stats.Level, code string) string {
	if level == stats.LevelFrance {
		return "/observatoire"
	}
	return "/observatoire/" + string(level) + "/" + code
}

// apiLevels lists the levels.
func (o *observatory) apiLevels(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	rep, err := o.current()
	if err != nil {
		return err
	}
	if o.s.notModified(w, r, maxAgeData, false) {
		return nil
	}
	type level struct {
		Level       stats.Level `json:"niveau"`
		Territories int         `json:"territoires"`
		List        string      `json:"liste"`
		CSV         string      `json:"csv"`
	}
	var out struct {
		Levels []level        `json:"niveaux"`
		Meta   indicatorsMeta `json:"meta"`
	}
	for _, l := range stats.Levels {
		out.Levels = append(out.Levels, level{l, rep.Len(l), "/api/v1/indicateurs/" + string(l), "/api/v1/indicateurs/" + string(l) + "?format=csv"})
	}
	out.Meta = o.meta(rep, stats.LevelFrance, stats.FranceCode)
	return writeJSONDoc(w, r, out)
}

// apiLevel answers a whole level: CSV with format=csv, else the list of
// its territories with their main figures (France: its indicators).
func (o *observatory) apiLevel(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "format"); err != nil {
		return err
	}
	format, err := single(q, "format")
	if err != nil {
		return err
	}
	if format != "" && format != "json" && format != "csv" {
		return badParam("format", "« %s » n'est pas un format ; formats : json, csv", format)
	}
	level, err := parseLevel(r.PathValue("niveau"))
	if err != nil {
		return err
	}
	rep, err := o.current()
	if err != nil {
		return err
	}
	if o.s.notModified(w, r, maxAgeData, false) {
		return nil
	}
	if format == "csv" {
		var buf bytes.Buffer
		if err := rep.WriteCSV(&buf, level); err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="indicateurs-`+string(level)+`.csv"`)
		writeCompressed(w, r, http.StatusOK, buf.Bytes())
		return nil
	}
	if level == stats.LevelFrance {
		t, _ := rep.Territory(stats.LevelFrance, stats.FranceCode)
		return writeJSONDoc(w, r, indicatorsDoc{t, o.meta(rep, level, stats.FranceCode)})
	}
	type item struct {
		stats.Ref
		Population   int      `json:"population"`
		Places       int      `json:"lieux"`
		PlacesPer10k *float64 `json:"lieux_pour_10000_habitants"`
		URL          string   `json:"url"`
	}
	var out struct {
		Level       stats.Level    `json:"niveau"`
		Territories []item         `json:"territoires"`
		Meta        indicatorsMeta `json:"meta"`
	}
	out.Level = level
	out.Territories = make([]item, 0, rep.Len(level))
	rep.Each(level, func(s stats.Summary) {
		out.Territories = append(out.Territories, item{s.Ref, s.Population, s.Places, s.PlacesPer10k, "/api/v1/indicateurs/" + string(level) + "/" + s.Code})
	})
	out.Meta = o.meta(rep, level, "")
	out.Meta.Page = ""
	return writeJSONDoc(w, r, out)
}

// apiTerritory answers the indicators of one territory.
func (o *observatory) apiTerritory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "format"); err != nil {
		return err
	}
	if f, err := single(q, "format"); err != nil {
		return err
	} else if f != "" && f != "json" {
		return badParam("format", "« %s » n'est pas un format pour un territoire ; le CSV est donné pour tout un niveau : /api/v1/indicateurs/{niveau}?format=csv", f)
	}
	rep, err := o.current()
	if err != nil {
		return err
	}
	level, t, err := lookup(rep, r.PathValue("niveau"), r.PathValue("code"))
	if err != nil {
		return err
	}
	if o.s.notModified(w, r, maxAgeData, false) {
		return nil
	}
	return writeJSONDoc(w, r, indicatorsDoc{t, o.meta(rep, level, t.Code)})
}

// writeJSONDoc sends v as JSON, compressed when the client accepts it.
func writeJSONDoc(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	writeCompressed(w, r, http.StatusOK, append(b, '\n'))
	return nil
}
