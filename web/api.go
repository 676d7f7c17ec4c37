package web

import (
	"bufio"
	"encoding/csv"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"maillage"
	"maillage/hours"
	"maillage/schema"
	"maillage/search"
	"maillage/territory"
)

// apiRoutes registers the open API under /api/v1 and the interconnection
// formats (HSDS under /hsds, data·inclusion exports).
//
// The API's conventions, described in openapi.json:
//   - parameters and field names are French (the national schema's names
//     for the places' fields); values of the controlled fields are the
//     schema's labels;
//   - an unknown parameter, a parameter given twice where one value is
//     expected or a malformed value is a 400 answered in the problem
//     format (RFC 9457) naming the parameter; an unknown id is a 404;
//   - every answer carries CORS "*", and every successful GET an ETag
//     (If-None-Match gives a 304) and a Cache-Control.
func (s *Server) apiRoutes() {
	s.mux.HandleFunc("OPTIONS /api/", preflight)
	s.mux.HandleFunc("OPTIONS /hsds/", preflight)
	s.api("GET /api/v1/openapi.json", s.openAPI)
	s.api("GET /api/v1/lieux", s.searchPlaces)
	s.api("GET /api/v1/lieux/{id}", s.onePlace)
	s.api("GET /api/v1/sources", s.listSources)
	s.api("GET /api/v1/sources/{name}", s.oneSource)
	s.api("GET /api/v1/export", s.export)
	s.api("GET /api/v1/changements", s.changes)
	s.api("GET /api/v1/territoires/communes", s.communes)
	s.hsdsRoutes()
	// Anything else under /api/ or /hsds/ is a 404 in the problem format,
	// or a 405 for a method other than GET and HEAD (the API is read only).
	unknown := func(w http.ResponseWriter, r *http.Request) error {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return errReadOnly
		}
		return notFound("« " + r.URL.Path + " » n'est pas une adresse de l'API (voir /api/v1/openapi.json)")
	}
	s.api("/api/", unknown)
	s.api("/hsds/", unknown)
}

// Parameters of GET /api/v1/lieux other than the filter fields.
var searchParams = []string{"lat", "lon", "rayon", "commune", "epci", "departement", "region", "bbox", "q", "ouvert", "tri", "limite", "curseur", "format"}

// searchKnown are every parameter of the search, filters included, and
// filterAllowed the values of each filter: computed once.
var (
	searchKnown   = append(slices.Clone(searchParams), search.FilterFields()...)
	filterAllowed = func() map[string][]string {
		m := map[string][]string{}
		for _, f := range search.FilterFields() {
			m[f] = search.FilterValues(f)
		}
		return m
	}()
)

// isQueryParam reports whether name is a parameter of the search.
func isQueryParam(name string) bool { return slices.Contains(searchKnown, name) }

// Output formats of the search.
const (
	formatJSON    = "json"
	formatGeoJSON = "geojson"
	formatCSV     = "csv"
	formatNDJSON  = "ndjson"
)

// searchRequest is a parsed GET /api/v1/lieux.
type searchRequest struct {
	query  search.Query
	format string
	// openNow is true for ouvert=maintenant: the answer depends on the
	// clock (it always does through each place's state).
	openNow bool
}

// parseSearch reads the parameters of GET /api/v1/lieux.
func parseSearch(q url.Values, now time.Time) (searchRequest, error) {
	if err := checkParams(q, searchKnown...); err != nil {
		return searchRequest{}, err
	}
	var req searchRequest
	sq := &req.query
	get := func(name string) string { v, _ := single(q, name); return v }
	for _, name := range searchParams {
		if _, err := single(q, name); err != nil {
			return req, err
		}
	}

	near, err := parsePoint(get("lat"), get("lon"))
	if err != nil {
		return req, err
	}
	sq.Near = near
	if v := get("rayon"); v != "" {
		if sq.Near == nil {
			return req, badParam("rayon", "un rayon demande un point : donnez aussi lat et lon")
		}
		r, err := parseFloat("rayon", v, 0, 20_000_000)
		if err != nil {
			return req, err
		}
		if r == 0 {
			return req, badParam("rayon", "doit être un nombre de mètres supérieur à 0")
		}
		sq.Radius = r
	}

	terr := territory.Default()
	if v := get("commune"); v != "" {
		if _, ok := terr.Commune(v); !ok {
			return req, badParam("commune", "« %s » n'est pas un code INSEE de commune connu (par exemple 69123 pour Lyon)", v)
		}
		sq.Commune = v
	}
	if v := get("epci"); v != "" {
		if _, ok := terr.EPCI(v); !ok {
			return req, badParam("epci", "« %s » n'est pas le SIREN d'un EPCI connu (9 chiffres)", v)
		}
		sq.EPCI = v
	}
	if v := get("departement"); v != "" {
		if _, ok := terr.Departement(v); !ok {
			return req, badParam("departement", "« %s » n'est pas un code de département connu (par exemple 01, 2A, 974)", v)
		}
		sq.Departement = v
	}
	if v := get("region"); v != "" {
		if _, ok := terr.Region(v); !ok {
			return req, badParam("region", "« %s » n'est pas un code de région connu (par exemple 84)", v)
		}
		sq.Region = v
	}
	if v := get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return req, err
		}
		sq.BBox = b
	}
	if v := get("q"); v != "" {
		if utf8.RuneCountInString(v) > search.MaxTextLength {
			return req, badParam("q", "texte trop long (200 caractères au plus)")
		}
		sq.Text = v
	}

	// in a fixed order, so that the same request names the same faulty
	// parameter
	for _, field := range search.FilterFields() {
		allowed := filterAllowed[field]
		if len(q[field]) == 0 {
			continue
		}
		values := splitValues(q[field])
		if len(values) == 0 {
			if len(q[field]) > 0 {
				return req, badParam(field, "aucune valeur donnée")
			}
			continue
		}
		for _, v := range values {
			if !slices.Contains(allowed, v) {
				return req, badParam(field, "« %s » n'est pas une valeur du schéma ; valeurs possibles : %s", v, strings.Join(allowed, " | "))
			}
		}
		if sq.Filters == nil {
			sq.Filters = map[string][]string{}
		}
		sq.Filters[field] = values
	}

	switch v := get("ouvert"); v {
	case "":
	case "maintenant":
		sq.OpenAt = now
		req.openNow = true
	default:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return req, badParam("ouvert", "« %s » : attendu « maintenant » ou une date RFC 3339 (2026-03-02T14:30:00+01:00)", v)
		}
		sq.OpenAt = t
	}
	sq.Sort = get("tri") // checked by the search, which names the parameter
	if v := get("limite"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > search.MaxLimit {
			return req, badParam("limite", "« %s » : un nombre entier entre 1 et %d", v, search.MaxLimit)
		}
		sq.Limit = n
	}
	sq.Cursor = get("curseur")
	switch v := get("format"); v {
	case "", formatJSON:
		req.format = formatJSON
	case formatGeoJSON, formatCSV, formatNDJSON:
		req.format = v
	default:
		return req, badParam("format", "« %s » n'est pas un format de la recherche : json, geojson, csv ou ndjson", v)
	}
	return req, nil
}

// splitValues reads the values of a filter: the parameter may be repeated
// and each occurrence may hold several values separated by commas (no
// label of the schema contains one).
func splitValues(params []string) []string {
	var out []string
	for _, p := range params {
		for v := range strings.SplitSeq(p, ",") {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// parsePoint reads the parameters lat and lon, which go together: nil
// when both are empty.
func parsePoint(lat, lon string) (*search.Point, error) {
	switch {
	case lat != "" && lon != "":
		la, err := parseFloat("lat", lat, -90, 90)
		if err != nil {
			return nil, err
		}
		lo, err := parseFloat("lon", lon, -180, 180)
		if err != nil {
			return nil, err
		}
		return &search.Point{Lat: la, Lon: lo}, nil
	case lat != "":
		return nil, badParam("lon", "manquant : lat et lon vont ensemble")
	case lon != "":
		return nil, badParam("lat", "manquant : lat et lon vont ensemble")
	}
	return nil, nil
}

func parseFloat(name, v string, lo, hi float64) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, badParam(name, "« %s » n'est pas un nombre (le séparateur décimal est le point)", v)
	}
	if f < lo || f > hi {
		return 0, badParam(name, "%s est hors des limites [%g, %g]", v, lo, hi)
	}
	return f, nil
}

// parseBBox reads "ouest,sud,est,nord" in WGS84 degrees.
func parseBBox(v string) (*search.BBox, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return nil, badParam("bbox", "« %s » : attendu ouest,sud,est,nord (longitudes et latitudes en degrés)", v)
	}
	var f [4]float64
	for i, p := range parts {
		lim := 180.0
		if i%2 == 1 {
			lim = 90
		}
		x, err := parseFloat("bbox", strings.TrimSpace(p), -lim, lim)
		if err != nil {
			return nil, err
		}
		f[i] = x
	}
	if f[0] > f[2] || f[1] > f[3] {
		return nil, badParam("bbox", "« %s » : l'ouest doit être inférieur à l'est et le sud au nord", v)
	}
	return &search.BBox{MinLon: f[0], MinLat: f[1], MaxLon: f[2], MaxLat: f[3]}, nil
}

// searchPlaces answers GET /api/v1/lieux.
func (s *Server) searchPlaces(w http.ResponseWriter, r *http.Request) error {
	now := s.cfg.Now()
	req, err := parseSearch(r.URL.Query(), now)
	if err != nil {
		return err
	}
	if s.notModified(w, r, maxAgeLive, true) {
		return nil
	}
	res, err := s.cfg.Index.Load().Search(req.query, now)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("X-Total-Count", strconv.Itoa(res.Total))
	next := ""
	if res.Next != "" {
		q := r.URL.Query()
		q.Set("curseur", res.Next)
		next = r.URL.Path + "?" + q.Encode()
		h.Set("Link", "<"+next+`>; rel="next"`)
	}
	switch req.format {
	case formatCSV:
		h.Set("Content-Type", "text/csv; charset=utf-8")
		return writeHitsCSV(w, res.Hits)
	case formatNDJSON:
		h.Set("Content-Type", "application/x-ndjson")
		buf := getBuffer()
		defer putBuffer(buf)
		b := (*buf)[:0]
		for _, hit := range res.Hits {
			b = appendHit(b, hit)
			b = append(b, '\n')
		}
		*buf = b
		_, err := w.Write(b)
		return err
	case formatGeoJSON:
		h.Set("Content-Type", "application/geo+json")
		buf := getBuffer()
		defer putBuffer(buf)
		b := append((*buf)[:0], `{"type":"FeatureCollection","total":`...)
		b = strconv.AppendInt(b, int64(res.Total), 10)
		b = appendPage(b, res.Next, next)
		b = append(b, `,"features":[`...)
		for i, hit := range res.Hits {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFeature(b, hit)
		}
		b = append(b, "]}\n"...)
		*buf = b
		_, err := w.Write(b)
		return err
	}
	h.Set("Content-Type", "application/json")
	buf := getBuffer()
	defer putBuffer(buf)
	b := append((*buf)[:0], `{"total":`...)
	b = strconv.AppendInt(b, int64(res.Total), 10)
	b = appendPage(b, res.Next, next)
	b = append(b, `,"lieux":[`...)
	for i, hit := range res.Hits {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendHit(b, hit)
	}
	b = append(b, "]}\n"...)
	*buf = b
	_, err = w.Write(b)
	return err
}

// buffers keeps the buffers search answers are built in: a page of 20
// places is 20–40 KB, and at thousands of requests a second allocating it
// each time keeps the garbage collector busy (measured with
// bench/api-load.sh: it showed in the latency's tail).
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

// putBuffer returns a buffer to the pool, unless an unusual answer made
// it too big to keep.
func putBuffer(b *[]byte) {
	if cap(*b) <= 1<<20 {
		buffers.Put(b)
	}
}

// appendPage appends the members "suivant" (the next page's cursor) and
// "page_suivante" (its URL), null on the last page.
func appendPage(b []byte, cursor, url string) []byte {
	if cursor == "" {
		return append(b, `,"suivant":null,"page_suivante":null`...)
	}
	b = append(b, `,"suivant":`...)
	b = maillage.AppendJSONString(b, cursor)
	b = append(b, `,"page_suivante":`...)
	return maillage.AppendJSONString(b, url)
}

// statusName is a state's name in the API.
func statusName(s hours.Status) string {
	switch s {
	case hours.Open:
		return "ouvert"
	case hours.Closed:
		return "ferme"
	}
	return "inconnu"
}

// appendState appends the object of a place's state at an instant.
func appendState(b []byte, st hours.State, next time.Time) []byte {
	b = append(b, `{"statut":"`...)
	b = append(b, statusName(st.Status)...)
	b = append(b, '"')
	if st.Comment != "" {
		b = append(b, `,"commentaire":`...)
		b = maillage.AppendJSONString(b, st.Comment)
	}
	if !next.IsZero() {
		b = append(b, `,"prochain_changement":"`...)
		b = next.AppendFormat(b, time.RFC3339)
		b = append(b, '"')
	}
	return append(b, '}')
}

// appendDistance appends a distance in metres rounded to the decimetre.
func appendDistance(b []byte, d float64) []byte {
	return strconv.AppendFloat(b, math.Round(d*10)/10, 'f', -1, 64)
}

// appendHit appends one result of the search: the place (its fields by
// their schema names), its distance and its state.
func appendHit(b []byte, h search.Hit) []byte {
	b = append(b, `{"id":`...)
	b = maillage.AppendJSONString(b, h.Place.Place.ID)
	if h.DistanceM >= 0 {
		b = append(b, `,"distance_m":`...)
		b = appendDistance(b, h.DistanceM)
	}
	b = append(b, `,"etat":`...)
	b = appendState(b, h.State, h.NextChange)
	b = append(b, `,"precision_coordonnees":`...)
	b = maillage.AppendJSONString(b, h.Place.Precision)
	b = append(b, `,"lieu":`...)
	b = h.Place.Place.AppendJSON(b)
	return append(b, '}')
}

// appendFeature appends one result as a GeoJSON Feature whose properties
// are the place's fields plus distance_m and etat.
func appendFeature(b []byte, h search.Hit) []byte {
	p := &h.Place.Place
	b = append(b, `{"type":"Feature","id":`...)
	b = maillage.AppendJSONString(b, p.ID)
	b = append(b, `,"geometry":`...)
	if p.HasCoordinates {
		b = append(b, `{"type":"Point","coordinates":[`...)
		b = strconv.AppendFloat(b, p.Longitude, 'f', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, p.Latitude, 'f', -1, 64)
		b = append(b, "]}"...)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"properties":`...)
	b = p.AppendJSON(b)
	b = b[:len(b)-1] // reopen the place's object
	if h.DistanceM >= 0 {
		b = append(b, `,"distance_m":`...)
		b = appendDistance(b, h.DistanceM)
	}
	b = append(b, `,"etat":`...)
	b = appendState(b, h.State, h.NextChange)
	b = append(b, `,"precision_coordonnees":`...)
	b = maillage.AppendJSONString(b, h.Place.Precision)
	return append(b, "}}"...)
}

// searchCSVColumns are the columns of the search in CSV: the national
// schema's, then the result's own.
var searchCSVColumns = append(slices.Clone(schema.Columns), "distance_m", "etat", "prochain_changement")

func writeHitsCSV(w http.ResponseWriter, hits []search.Hit) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(searchCSVColumns); err != nil {
		return err
	}
	for _, h := range hits {
		row := schema.Values(&h.Place.Place)
		dist, next := "", ""
		if h.DistanceM >= 0 {
			dist = string(appendDistance(nil, h.DistanceM))
		}
		if !h.NextChange.IsZero() {
			next = h.NextChange.Format(time.RFC3339)
		}
		row = append(row, dist, statusName(h.State.Status), next)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
