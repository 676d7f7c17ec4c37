package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"maillage"
	"maillage/fold"
	"maillage/hours"
	"maillage/search"
	"maillage/territory"
)

const (
	resultsPerPage = 10
	maxPage        = search.MaxLimit / resultsPerPage
)

// searchForm is the search as the URL gives it: every field of the form,
// every filter and the page, so that a page of results can be shared.
type searchForm struct {
	Ou       string // what the person typed: a commune, a postal code, "Angoulême (16000)"
	INSEE    string // a commune chosen among several (its INSEE code)
	Lat, Lon string // "autour de moi"
	Rayon    string // km, "" for no limit
	Q        string // words of the name
	Ouvert   bool
	Gratuit  bool
	Selected map[string]map[string]bool // filter parameter → slugs ticked
	Page     int

	// The area of an embedded search (commune, epci, departement, region, bbox).
	Area    url.Values
	AreaSet bool
}

// Has says whether a filter's choice is ticked.
func (f searchForm) Has(param, slug string) bool { return f.Selected[param][slug] }

// Count is the number of choices ticked in a filter.
func (f searchForm) Count(param string) int { return len(f.Selected[param]) }

// MoreFilters is the number of filters ticked besides the services.
func (f searchForm) MoreFilters() int {
	n := 0
	for p, m := range f.Selected {
		if p != serviceGroup.Param {
			n += len(m)
		}
	}
	if f.Gratuit {
		n++
	}
	if f.Ouvert {
		n++
	}
	if f.Rayon != "" {
		n++
	}
	if f.Q != "" {
		n++
	}
	return n
}

var radiusChoices = []string{"5", "10", "20", "50"}

var postalInName = regexp.MustCompile(`^(.*?)\s*\(\s*(\d{5})\s*\)\s*$`)

// parseSearchForm reads the search parameters. embed reads the area
// parameters of /integrer too.
func parseSearchForm(v url.Values, embed bool) (searchForm, error) {
	f := searchForm{
		Ou:       strings.TrimSpace(v.Get("ou")),
		INSEE:    strings.TrimSpace(v.Get("insee")),
		Lat:      strings.TrimSpace(v.Get("lat")),
		Lon:      strings.TrimSpace(v.Get("lon")),
		Rayon:    strings.TrimSpace(v.Get("rayon")),
		Q:        strings.TrimSpace(v.Get("q")),
		Selected: map[string]map[string]bool{},
		Page:     1,
	}
	if len(f.Ou) > 100 || len(f.Q) > 100 {
		return f, uiBad("Le texte de recherche est trop long : 100 caractères au plus.")
	}
	for _, name := range []string{"ouvert", "gratuit"} {
		switch v.Get(name) {
		case "", "0":
		case "1", "on", "oui":
			if name == "ouvert" {
				f.Ouvert = true
			} else {
				f.Gratuit = true
			}
		default:
			return f, uiBad("Le paramètre « %s » vaut 1 ou rien, pas « %s ».", name, v.Get(name))
		}
	}
	if f.Rayon != "" {
		km, err := strconv.Atoi(f.Rayon)
		if err != nil || km < 1 || km > 200 {
			return f, uiBad("La distance « %s » n'est pas comprise : indiquez un nombre de kilomètres entre 1 et 200.", f.Rayon)
		}
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return f, uiBad("Le numéro de page « %s » n'est pas compris : c'est un nombre à partir de 1.", p)
		}
		if n > maxPage {
			return f, uiBad("Nous montrons les %d lieux les plus proches, soit %d pages au plus : la page %d n'existe pas. Précisez votre recherche.", search.MaxLimit, maxPage, n)
		}
		f.Page = n
	}
	if (f.Lat == "") != (f.Lon == "") {
		return f, uiBad("Pour chercher autour d'une position, il faut la latitude et la longitude.")
	}
	for _, g := range filterGroups {
		for _, raw := range v[g.Param] {
			for _, slug := range strings.Split(raw, ",") {
				slug = strings.TrimSpace(slug)
				if slug == "" {
					continue
				}
				if _, ok := g.find(slug); !ok {
					return f, uiBad("« %s » n'est pas un choix connu pour « %s ».", slug, g.Param)
				}
				if f.Selected[g.Param] == nil {
					f.Selected[g.Param] = map[string]bool{}
				}
				f.Selected[g.Param][slug] = true
			}
		}
	}
	if embed {
		f.Area = url.Values{}
		for _, k := range []string{"commune", "epci", "departement", "region", "bbox"} {
			if x := strings.TrimSpace(v.Get(k)); x != "" {
				f.Area.Set(k, x)
				f.AreaSet = true
			}
		}
	}
	return f, nil
}

// where is the point a search is made around.
type where struct {
	Label string
	Point *search.Point
}

// resolveWhere finds the point of the search. A place name that fits
// several communes gives choices; a name or code that fits none gives a
// message for the person. Malformed coordinates are an error.
func resolveWhere(f searchForm) (w *where, choices []*territory.Commune, message string, err error) {
	terr := territory.Default()
	switch {
	case f.Lat != "":
		lat, err1 := strconv.ParseFloat(f.Lat, 64)
		lon, err2 := strconv.ParseFloat(f.Lon, 64)
		if err1 != nil || err2 != nil || math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return nil, nil, "", uiBad("La position « %s, %s » n'est pas comprise : il faut une latitude entre -90 et 90 et une longitude entre -180 et 180.", f.Lat, f.Lon)
		}
		return &where{Label: "votre position", Point: &search.Point{Lat: lat, Lon: lon}}, nil, "", nil
	case f.INSEE != "":
		c, ok := terr.Commune(f.INSEE)
		if !ok {
			return nil, nil, "", uiBad("Le code « %s » ne correspond à aucune commune.", f.INSEE)
		}
		return communeWhere(c, ""), nil, "", nil
	case f.Ou == "":
		return nil, nil, "", nil
	}
	q := f.Ou
	if m := postalInName.FindStringSubmatch(q); m != nil {
		if c, ok := terr.FindCommune(m[2], m[1]); ok {
			return communeWhere(c, m[2]), nil, "", nil
		}
		q = m[1]
	}
	if len(q) == 5 && strings.Trim(q, "0123456789") == "" {
		list := terr.SearchCommunes(q, 30)
		if len(list) == 0 {
			return nil, nil, fmt.Sprintf("Aucune commune n'a le code postal %s. Vérifiez le code, ou écrivez le nom de la commune.", q), nil
		}
		return communeWhere(list[0], q), list[1:], "", nil
	}
	list := terr.SearchCommunes(q, 8)
	if len(list) == 0 {
		return nil, nil, fmt.Sprintf("Nous ne trouvons pas de commune « %s ». Vérifiez l'orthographe, ou écrivez le code postal.", q), nil
	}
	key := fold.Key(q)
	var same []*territory.Commune
	for _, c := range list {
		if fold.Key(c.Name) == key {
			same = append(same, c)
		}
	}
	switch {
	case len(same) == 1:
		return communeWhere(same[0], ""), nil, "", nil
	case len(same) > 1:
		return nil, same, fmt.Sprintf("Plusieurs communes s'appellent « %s ». Laquelle ?", q), nil
	case len(list) == 1:
		return communeWhere(list[0], ""), nil, "", nil
	}
	return nil, list, fmt.Sprintf("Plusieurs communes correspondent à « %s ». Laquelle ?", q), nil
}

func communeWhere(c *territory.Commune, cp string) *where {
	if cp == "" && len(c.PostalCodes) > 0 {
		cp = c.PostalCodes[0]
	}
	lat, lon, _ := territory.Default().Centroid(c.Code)
	label := c.Name
	if cp != "" {
		label += " (" + cp + ")"
	}
	return &where{Label: label, Point: &search.Point{Lat: lat, Lon: lon}}
}

// communeLabel is how a commune is offered in choices: "Soyaux (16800)".
func communeLabel(c *territory.Commune) string {
	if len(c.PostalCodes) > 0 {
		return c.Name + " (" + c.PostalCodes[0] + ")"
	}
	return c.Name
}

// query builds the index's query of a form.
func (f searchForm) query(w *where, now time.Time) (search.Query, error) {
	q := search.Query{Text: f.Q, Filters: map[string][]string{}}
	if w != nil {
		q.Near = w.Point
		q.Sort = search.SortDistance
		if f.Rayon != "" {
			km, _ := strconv.Atoi(f.Rayon)
			q.Radius = float64(km) * 1000
		}
	}
	for _, g := range filterGroups {
		for _, c := range g.Choices {
			if f.Selected[g.Param][c.Slug] {
				q.Filters[g.Field] = append(q.Filters[g.Field], c.Value)
			}
		}
	}
	if f.Gratuit {
		q.Filters["frais_a_charge"] = []string{string(maillage.FeeFree), string(maillage.FeeFreeUnderTerms)}
	}
	if f.Ouvert {
		q.OpenAt = now
	}
	if f.AreaSet {
		if err := areaQuery(f.Area, &q); err != nil {
			return q, err
		}
	}
	return q, nil
}

// areaQuery narrows q to the territory of an embedded search.
func areaQuery(a url.Values, q *search.Query) error {
	terr := territory.Default()
	if c := a.Get("commune"); c != "" {
		if _, ok := terr.Commune(c); !ok {
			return uiBad("Le code de commune « %s » n'existe pas (il faut le code INSEE, par exemple 16015).", c)
		}
		q.Commune = c
	}
	if e := a.Get("epci"); e != "" {
		found := false
		for _, x := range terr.EPCIs() {
			if x.Siren == e {
				found = true
				break
			}
		}
		if !found {
			return uiBad("Le numéro SIREN d'intercommunalité « %s » n'existe pas.", e)
		}
		q.EPCI = e
	}
	if d := a.Get("departement"); d != "" {
		if departementName(d) == "" {
			return uiBad("Le département « %s » n'existe pas (par exemple : 16, 2A, 974).", d)
		}
		q.Departement = d
	}
	if r := a.Get("region"); r != "" {
		found := false
		for _, x := range terr.Regions() {
			if x.Code == r {
				found = true
				break
			}
		}
		if !found {
			return uiBad("La région « %s » n'existe pas (il faut son code, par exemple 84).", r)
		}
		q.Region = r
	}
	if b := a.Get("bbox"); b != "" {
		parts := strings.Split(b, ",")
		var n [4]float64
		ok := len(parts) == 4
		for i := 0; ok && i < 4; i++ {
			x, err := strconv.ParseFloat(strings.TrimSpace(parts[i]), 64)
			ok = err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
			n[i] = x
		}
		if !ok || n[0] > n[2] || n[1] > n[3] {
			return uiBad("Le rectangle « %s » n'est pas compris : il faut ouest,sud,est,nord en degrés, par exemple -0.5,45.4,0.6,46.1.", b)
		}
		q.BBox = &search.BBox{MinLon: n[0], MinLat: n[1], MaxLon: n[2], MaxLat: n[3]}
	}
	return nil
}

func departementName(code string) string {
	for _, d := range territory.Default().Departements() {
		if d.Code == code {
			return d.Name
		}
	}
	return ""
}

// resultView is one place in a list of results.
type resultView struct {
	N        int
	ID       string
	Name     string
	URL      string
	Distance string
	Commune  string
	Status   string
	State    string // "ouvert", "ferme", "inconnu"
	Services []string
	Fees     string
	Approx   bool
}

// searchView is the search page (and the embedded search).
type searchView struct {
	Form     searchForm
	Groups   []*filterGroup
	Radii    []string
	Searched bool
	Where    string
	Message  string
	Choices  []communeChoice
	Results  []resultView
	Total    int
	Page     int
	Pages    int
	First    int
	Prev     string
	Next     string
	MapData  string // URL of the results' GeoJSON
	Tiles    string
	TilesBy  string
	Action   string // the form's action
	Embed    *embedInfo
}

// communeChoice is a commune offered when a name fits several.
type communeChoice struct {
	Label, URL string
}

// runSearch answers a search form: the view, or an error for parameters
// that cannot be understood.
func (s *Server) runSearch(r *http.Request, embed bool) (*searchView, error) {
	f, err := parseSearchForm(r.URL.Query(), embed)
	if err != nil {
		return nil, err
	}
	tiles, by := s.tiles()
	v := &searchView{Form: f, Groups: filterGroups, Radii: radiusChoices, Page: f.Page, Tiles: tiles, TilesBy: by, Action: r.URL.Path}
	w, choices, msg, err := resolveWhere(f)
	if err != nil {
		return nil, err
	}
	v.Message = msg
	for _, c := range choices {
		u := cloneValues(r.URL.Query())
		u.Del("ou")
		u.Del("page")
		u.Set("insee", c.Code)
		v.Choices = append(v.Choices, communeChoice{Label: communeLabel(c), URL: r.URL.Path + "?" + u.Encode()})
	}
	if w != nil {
		v.Where = w.Label
	}
	if w == nil && f.Q == "" && !f.AreaSet {
		if msg == "" && len(r.URL.Query()) > 0 && !embed {
			v.Message = "Indiquez votre commune ou votre code postal, ou choisissez « Autour de moi »."
		}
		return v, nil
	}
	if w == nil && len(choices) > 0 {
		return v, nil
	}
	now := s.cfg.Now()
	q, err := f.query(w, now)
	if err != nil {
		return nil, err
	}
	q.Limit = f.Page * resultsPerPage
	res, err := s.cfg.Index.Load().Search(q, now)
	if err != nil {
		return nil, err
	}
	v.Searched = true
	v.Total = res.Total
	v.Pages = (min(res.Total, search.MaxLimit) + resultsPerPage - 1) / resultsPerPage
	if f.Page > 1 && f.Page > v.Pages {
		return nil, uiBad("Cette recherche n'a que %d page(s) de résultats : la page %d n'existe pas.", v.Pages, f.Page)
	}
	first := (f.Page - 1) * resultsPerPage
	v.First = first + 1
	hits := res.Hits
	if first < len(hits) {
		hits = hits[first:]
	} else {
		hits = nil
	}
	for i, h := range hits {
		v.Results = append(v.Results, resultOf(first+i+1, h, now))
	}
	pageURL := func(n int) string {
		u := cloneValues(r.URL.Query())
		if n == 1 {
			u.Del("page")
		} else {
			u.Set("page", strconv.Itoa(n))
		}
		return r.URL.Path + "?" + u.Encode()
	}
	if f.Page > 1 {
		v.Prev = pageURL(f.Page - 1)
	}
	if f.Page < v.Pages {
		v.Next = pageURL(f.Page + 1)
	}
	mq := cloneValues(r.URL.Query())
	mq.Del("page")
	if w != nil && w.Point != nil && f.Lat == "" {
		// the map needs the point found, not the words typed
		mq.Del("ou")
		mq.Set("lat", strconv.FormatFloat(w.Point.Lat, 'f', 5, 64))
		mq.Set("lon", strconv.FormatFloat(w.Point.Lon, 'f', 5, 64))
	}
	if embed {
		mq.Set("integrer", "1")
	}
	v.MapData = "/recherche/carte.geojson?" + mq.Encode()
	return v, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

// resultOf describes a hit for a list.
func resultOf(n int, h search.Hit, now time.Time) resultView {
	p := &h.Place.Place
	rv := resultView{
		N: n, ID: p.ID, Name: p.Name, URL: "/lieux/" + url.PathEscape(p.ID),
		Distance: distanceFR(h.DistanceM), Commune: p.Commune,
		Fees:   feeWords(p.Fees),
		Approx: h.Place.Precision == maillage.PrecisionCommune,
	}
	rv.Status, rv.State = statusOf(p, now)
	for _, sv := range p.Services {
		if c, ok := serviceGroup.byValue(string(sv)); ok {
			rv.Services = append(rv.Services, c.ShortLabel())
		}
	}
	return rv
}

// placeHours compiles a place's opening hours in its own time zone; nil
// when it has none or they cannot be read.
func placeHours(p *maillage.Place) *hours.Hours {
	if p.OpeningHours == "" {
		return nil
	}
	h, err := hours.Compile(p.OpeningHours, hours.Context{
		Location:    territory.TimeZone(p.INSEECode),
		Departement: territory.DepartementOfINSEE(p.INSEECode),
	})
	if err != nil {
		return nil
	}
	return h
}

// statusOf says whether a place is open now, in words, and its state.
func statusOf(p *maillage.Place, now time.Time) (text, state string) {
	h := placeHours(p)
	if h == nil {
		if p.OpeningHours == "" {
			return "Horaires non renseignés", "inconnu"
		}
		return "Horaires à vérifier auprès du lieu", "inconnu"
	}
	switch h.State(now).Status {
	case hours.Open:
		state = "ouvert"
	case hours.Closed:
		state = "ferme"
	default:
		state = "inconnu"
	}
	return h.StatusFR(now), state
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.runSearch(r, false)
	if err != nil {
		s.searchFailed(w, r, err)
		return
	}
	title := "Trouver de l'aide pour le numérique près de chez vous"
	if v.Searched && v.Where != "" {
		title = "Lieux d'aide au numérique " + nearWords(v.Where)
		if v.Page > 1 {
			title += fmt.Sprintf(" — page %d", v.Page)
		}
	}
	s.uiRender(w, r, http.StatusOK, tmplSearch, uiPage{Title: title, Nav: "recherche", Data: v})
}

// searchFailed answers a search that could not run: bad parameters are
// the person's to fix (400), anything else is ours (500).
func (s *Server) searchFailed(w http.ResponseWriter, r *http.Request, err error) {
	var ue *uiParamError
	switch {
	case errors.As(err, &ue):
		s.uiBadRequest(w, r, err)
	case errors.Is(err, search.ErrInvalidQuery):
		msg := strings.TrimSuffix(err.Error(), ": "+search.ErrInvalidQuery.Error())
		s.uiError(w, r, http.StatusBadRequest, "La recherche n'a pas pu être faite : "+msg+".")
	default:
		s.cfg.Logger.Error("recherche", "err", err)
		s.uiError(w, r, http.StatusInternalServerError, "")
	}
}

// searchMap answers the places of a search for the map, as GeoJSON (at
// most search.MaxLimit, the nearest).
func (s *Server) searchMap(w http.ResponseWriter, r *http.Request) {
	embed := r.URL.Query().Get("integrer") == "1"
	f, err := parseSearchForm(r.URL.Query(), embed)
	if err == nil && f.Lat == "" && f.Ou == "" && f.INSEE == "" && f.Q == "" && !f.AreaSet {
		err = uiBad("Indiquez où chercher.")
	}
	var wh *where
	if err == nil {
		wh, _, _, err = resolveWhere(f)
	}
	var q search.Query
	if err == nil {
		q, err = f.query(wh, s.cfg.Now())
	}
	var res search.Result
	if err == nil {
		q.Limit = search.MaxLimit
		res, err = s.cfg.Index.Load().Search(q, s.cfg.Now())
	}
	if err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"erreur": err.Error()})
		return
	}
	// short keys: up to 500 places travel to a phone
	type props struct {
		ID      string `json:"i"`
		Name    string `json:"n"`
		Commune string `json:"c,omitempty"`
		Approx  bool   `json:"a,omitempty"`
	}
	type feature struct {
		Type       string         `json:"type"`
		Geometry   map[string]any `json:"geometry"`
		Properties props          `json:"properties"`
	}
	out := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, h := range res.Hits {
		p := &h.Place.Place
		if !p.HasCoordinates {
			continue
		}
		out.Features = append(out.Features, feature{
			Type:     "Feature",
			Geometry: map[string]any{"type": "Point", "coordinates": []float64{round5(p.Longitude), round5(p.Latitude)}},
			Properties: props{ID: p.ID, Name: p.Name, Commune: p.Commune,
				Approx: h.Place.Precision == maillage.PrecisionCommune},
		})
	}
	body, _ := json.Marshal(out)
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Vary", "Accept-Encoding")
	writeCompressed(w, r, http.StatusOK, body)
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// communeSuggestions answers the autocomplete of the "où" field: up to 8
// labels "Commune (code postal)" for what was typed.
func (s *Server) communeSuggestions(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	out := []string{}
	if len([]rune(q)) >= 2 && len(q) <= 100 {
		digits := strings.Trim(q, "0123456789") == ""
		for _, c := range territory.Default().SearchCommunes(q, 8) {
			cp := ""
			for _, x := range c.PostalCodes {
				if !digits || strings.HasPrefix(x, q) {
					cp = x
					break
				}
			}
			if cp == "" {
				out = append(out, c.Name)
			} else {
				out = append(out, c.Name+" ("+cp+")")
			}
		}
	}
	body, _ := json.Marshal(out)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(body)
}
