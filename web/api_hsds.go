package web

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"maillage"
	"maillage/datainclusion"
	"maillage/hsds"
	"maillage/search"
	"maillage/territory"
)

// hsdsRoutes registers the Open Referral HSDS 3.0 read endpoints under
// /hsds (package hsds does the mapping: one organization, service,
// location and service_at_location per consolidated place) and the
// data·inclusion exports.
//
// HSDS pages are numbered (page, per_page), as its API says; they are
// cut from the search's cursor pages, in the order of the places' names.
// Besides HSDS's postcode and proximity, service_at_locations accepts
// lat and lon: the nearest first, within proximity metres when given.
func (s *Server) hsdsRoutes() {
	s.api("GET /hsds/{$}", s.hsdsInfo)
	s.api("GET /hsds/services", s.hsdsServices)
	s.api("GET /hsds/services/{id}", s.hsdsService)
	s.api("GET /hsds/service_at_locations", s.hsdsServiceAtLocations)
	s.api("GET /hsds/service_at_locations/{id}", s.hsdsServiceAtLocation)
	s.api("GET /hsds/taxonomies", s.hsdsTaxonomies)
	s.api("GET /hsds/taxonomy_terms", s.hsdsTaxonomyTerms)
	s.api("GET /api/v1/export/data-inclusion/structures", s.diStructures)
	s.api("GET /api/v1/export/data-inclusion/services", s.diServices)
}

// hsdsIDs maps the HSDS ids of the current index's places to the places.
// Each index gets its own lookup, built whole and then published: a
// request reads the lookup of the index it saw, never one being filled
// (a map read during a write would crash the process).
type hsdsIDs struct {
	mu  sync.Mutex // one build at a time
	cur atomic.Pointer[hsdsLookup]
}

// hsdsLookup is the HSDS ids of one index's places; read only once built.
type hsdsLookup struct {
	ix       *search.Index
	services map[string]*maillage.Consolidated
	sals     map[string]*maillage.Consolidated
	orgs     map[string]string // organization id → consolidated id
}

func (h *hsdsIDs) of(ix *search.Index) *hsdsLookup {
	if l := h.cur.Load(); l != nil && l.ix == ix {
		return l
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if l := h.cur.Load(); l != nil && l.ix == ix {
		return l
	}
	places := ix.Places()
	l := &hsdsLookup{ix: ix,
		services: make(map[string]*maillage.Consolidated, len(places)),
		sals:     make(map[string]*maillage.Consolidated, len(places)),
		orgs:     make(map[string]string, len(places)),
	}
	for i := range places {
		c := &places[i]
		l.services[hsds.ID(hsds.KindService, c.Place.ID)] = c
		l.sals[hsds.ID(hsds.KindServiceAtLocation, c.Place.ID)] = c
		l.orgs[hsds.ID(hsds.KindOrganization, c.Place.ID)] = c.Place.ID
	}
	h.cur.Store(l)
	return l
}

// termFilters maps each taxonomy term id of a filterable field to the
// field and the schema's value.
var termFilters = sync.OnceValue(func() map[string][2]string {
	out := map[string][2]string{}
	for _, field := range search.FilterFields() {
		for _, v := range search.FilterValues(field) {
			code := hsds.Slug(v)
			if field == "typologie" {
				code = v
			}
			out[hsds.TermID(field, code)] = [2]string{field, v}
		}
	}
	return out
})

func (s *Server) hsdsInfo(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.notModified(w, r, maxAgeDocument, false) {
		return nil
	}
	return writeJSON(w, hsds.NewInfo("/api/v1/openapi.json"))
}

// hsdsList is a parsed list request of /hsds.
type hsdsList struct {
	query        search.Query
	modified     time.Time // modified_after; zero for none
	organization string    // a consolidated id; "" for none
	postcode     string    // keep the places of this postal code; "" for all
	page, per    int
	ndjson       bool
	full         bool
	minimal      bool
}

func parseHSDSList(q url.Values, locations bool) (hsdsList, error) {
	known := []string{"search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full", "minimal", "page", "per_page", "format"}
	if locations {
		known = append(known[:6:6], "page", "per_page", "format", "postcode", "proximity", "lat", "lon")
	}
	if err := checkParams(q, known...); err != nil {
		return hsdsList{}, err
	}
	l := hsdsList{page: 1, per: 50}
	for _, name := range known {
		if _, err := single(q, name); err != nil {
			return l, err
		}
	}
	l.query.Sort = search.SortName
	l.query.Limit = search.MaxLimit
	if v := q.Get("search"); v != "" {
		if utf8.RuneCountInString(v) > search.MaxTextLength {
			return l, badParam("search", "texte trop long (200 caractères au plus)")
		}
		l.query.Text = v
	}
	l.query.Filters = map[string][]string{}
	if v := q.Get("taxonomy_id"); v != "" {
		// the services with at least one term of that taxonomy (one
		// taxonomy per controlled field of the national schema)
		field := ""
		for _, f := range search.FilterFields() {
			if hsds.TaxonomyID(f) == v {
				field = f
			}
		}
		if field == "" {
			return l, badParam("taxonomy_id", "« %s » n'est pas une taxonomie de Maillage (voir /hsds/taxonomies)", v)
		}
		l.query.Filters[field] = search.FilterValues(field)
	}
	if v := q.Get("taxonomy_term_id"); v != "" {
		f, ok := termFilters()[v]
		if !ok {
			return l, badParam("taxonomy_term_id", "« %s » n'est pas un terme des taxonomies de Maillage (voir /hsds/taxonomy_terms)", v)
		}
		l.query.Filters[f[0]] = []string{f[1]} // narrower than its taxonomy
	}
	if v := q.Get("organization_id"); v != "" {
		l.organization = v // resolved against the index by the handler
	}
	if v := q.Get("modified_after"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			if t, err = time.Parse(time.DateOnly, v); err != nil {
				return l, badParam("modified_after", "« %s » n'est pas une date RFC 3339 ni AAAA-MM-JJ", v)
			}
		}
		l.modified = t
	}
	var err error
	if l.full, err = parseBool(q, "full"); err != nil {
		return l, err
	}
	if l.minimal, err = parseBool(q, "minimal"); err != nil {
		return l, err
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return l, badParam("page", "« %s » : un numéro de page à partir de 1", v)
		}
		l.page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > search.MaxLimit {
			return l, badParam("per_page", "« %s » : un nombre entier entre 1 et %d", v, search.MaxLimit)
		}
		l.per = n
	}
	switch v := q.Get("format"); v {
	case "", "json":
	case "ndjson":
		l.ndjson = true
	default:
		return l, badParam("format", "« %s » : json ou ndjson", v)
	}
	if !locations {
		return l, nil
	}
	near, err := parsePoint(q.Get("lat"), q.Get("lon"))
	if err != nil {
		return l, err
	}
	l.query.Near = near
	proximity := 0.0
	if v := q.Get("proximity"); v != "" {
		p, err := parseFloat("proximity", v, 0, 20_000_000)
		if err != nil {
			return l, err
		}
		if p == 0 {
			return l, badParam("proximity", "doit être un nombre de mètres supérieur à 0")
		}
		proximity = p
	}
	if pc := q.Get("postcode"); pc != "" {
		communes := territory.Default().CommunesByPostalCode(pc)
		if len(communes) == 0 {
			return l, badParam("postcode", "« %s » n'est pas un code postal connu", pc)
		}
		if l.query.Near != nil {
			return l, badParam("postcode", "postcode ou lat/lon, pas les deux")
		}
		if proximity > 0 {
			// the centre of the postcode: its most populated commune's
			best := communes[0]
			for _, c := range communes {
				if c.Population > best.Population {
					best = c
				}
			}
			clat, clon, ok := territory.Default().Centroid(best.Code)
			if !ok {
				return l, badParam("postcode", "« %s » : centre inconnu", pc)
			}
			l.query.Near = &search.Point{Lat: clat, Lon: clon}
		} else {
			l.postcode = pc
		}
	}
	if proximity > 0 {
		if l.query.Near == nil {
			return l, badParam("proximity", "une distance demande un point : donnez postcode ou lat et lon")
		}
		l.query.Radius = proximity
	}
	if l.query.Near != nil {
		l.query.Sort = search.SortDistance
	}
	return l, nil
}

func parseBool(q url.Values, name string) (bool, error) {
	switch v := q.Get(name); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, badParam(name, "« %s » : true ou false", v)
	}
}

// collect returns the places of the list's page (or all of them for
// ndjson) and the total, walking the search's cursor pages.
func (s *Server) collect(ix *search.Index, l hsdsList) ([]*maillage.Consolidated, int, error) {
	keep := func(c *maillage.Consolidated) bool {
		if !l.modified.IsZero() && c.Place.UpdatedOn.Before(l.modified) {
			return false
		}
		if l.postcode != "" && c.Place.PostalCode != l.postcode {
			return false
		}
		return l.organization == "" || c.Place.ID == l.organization
	}
	filtered := !l.modified.IsZero() || l.postcode != "" || l.organization != ""
	from := (l.page - 1) * l.per
	var out []*maillage.Consolidated
	total, n := 0, 0
	q := l.query
	now := s.cfg.Now()
	for {
		res, err := ix.Search(q, now)
		if err != nil {
			return nil, 0, err
		}
		total = res.Total
		for _, h := range res.Hits {
			if !keep(h.Place) {
				continue
			}
			if l.ndjson || (n >= from && n < from+l.per) {
				out = append(out, h.Place)
			}
			n++
		}
		if res.Next == "" || (!filtered && !l.ndjson && n >= from+l.per) {
			break
		}
		q.Cursor = res.Next
	}
	if filtered {
		total = n
	}
	return out, total, nil
}

func (s *Server) hsdsServices(w http.ResponseWriter, r *http.Request) error {
	return s.hsdsList(w, r, false)
}

func (s *Server) hsdsServiceAtLocations(w http.ResponseWriter, r *http.Request) error {
	return s.hsdsList(w, r, true)
}

func (s *Server) hsdsList(w http.ResponseWriter, r *http.Request, locations bool) error {
	l, err := parseHSDSList(r.URL.Query(), locations)
	if err != nil {
		return err
	}
	ix := s.cfg.Index.Load()
	if l.organization != "" {
		id, ok := s.hsdsIDs.of(ix).orgs[l.organization]
		if !ok {
			return badParam("organization_id", "« %s » n'est pas une organisation de Maillage", l.organization)
		}
		l.organization = id
	}
	if s.notModified(w, r, maxAgeLive, false) {
		return nil
	}
	places, total, err := s.collect(ix, l)
	if err != nil {
		return err
	}
	item := func(c *maillage.Consolidated) any {
		switch {
		case locations && l.full:
			return hsds.ServiceAtLocationOf(c)
		case locations:
			return hsds.ServiceAtLocationItemOf(c)
		case l.minimal:
			return struct {
				ID           string `json:"id"`
				LastModified string `json:"last_modified,omitempty"`
			}{hsds.ID(hsds.KindService, c.Place.ID), hsds.ServiceItemOf(c).LastModified}
		case l.full:
			return hsds.ServiceOf(c)
		}
		return hsds.ServiceItemOf(c)
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if l.ndjson {
		w.Header().Set("Content-Type", "application/x-ndjson")
		nw := hsds.NewNDJSONWriter(w)
		for _, c := range places {
			if err := nw.Write(item(c)); err != nil {
				return nil // the client left
			}
		}
		nw.Close()
		return nil
	}
	w.Header().Set("Content-Type", "application/json")
	pw := hsds.NewPageWriter(w, total, l.page, l.per)
	for _, c := range places {
		if err := pw.Write(item(c)); err != nil {
			return nil
		}
	}
	pw.Close()
	return nil
}

func (s *Server) hsdsService(w http.ResponseWriter, r *http.Request) error {
	return s.hsdsOne(w, r, false)
}

func (s *Server) hsdsServiceAtLocation(w http.ResponseWriter, r *http.Request) error {
	return s.hsdsOne(w, r, true)
}

func (s *Server) hsdsOne(w http.ResponseWriter, r *http.Request, location bool) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	id := r.PathValue("id")
	ids := s.hsdsIDs.of(s.cfg.Index.Load())
	if location {
		c, ok := ids.sals[id]
		if !ok {
			return notFound("service_at_location « " + id + " »")
		}
		if s.notModified(w, r, maxAgeLive, false) {
			return nil
		}
		return writeJSON(w, hsds.ServiceAtLocationOf(c))
	}
	c, ok := ids.services[id]
	if !ok {
		return notFound("service « " + id + " »")
	}
	if s.notModified(w, r, maxAgeLive, false) {
		return nil
	}
	return writeJSON(w, hsds.ServiceOf(c))
}

func (s *Server) hsdsTaxonomies(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.notModified(w, r, maxAgeDocument, false) {
		return nil
	}
	t := hsds.Taxonomies()
	return writeJSON(w, hsds.NewPage(t, len(t), 1, max(len(t), 1)))
}

func (s *Server) hsdsTaxonomyTerms(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "taxonomy_id"); err != nil {
		return err
	}
	if s.notModified(w, r, maxAgeDocument, false) {
		return nil
	}
	var terms []hsds.TaxonomyTerm
	for _, t := range hsds.TaxonomyTerms() {
		if v := q.Get("taxonomy_id"); v == "" || t.TaxonomyID == v {
			terms = append(terms, t)
		}
	}
	return writeJSON(w, hsds.NewPage(terms, len(terms), 1, max(len(terms), 1)))
}

// diOptions are the options of the data·inclusion conversion.
func (s *Server) diOptions() datainclusion.Options {
	return datainclusion.Options{Source: "maillage", Now: s.cfg.Now()}
}

// diExport streams every place of the index converted by write, as a
// JSON array (format=json, the default) or NDJSON.
func (s *Server) diExport(w http.ResponseWriter, r *http.Request, name string, write func(wr *datainclusion.Writer, c *maillage.Consolidated) error) error {
	q := r.URL.Query()
	if err := checkParams(q, "format"); err != nil {
		return err
	}
	format, err := single(q, "format")
	if err != nil {
		return err
	}
	var wr *datainclusion.Writer
	ix := s.cfg.Index.Load()
	switch format {
	case "", "json":
		if s.notModified(w, r, maxAgeData, true) {
			return nil
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="data-inclusion-`+name+`.json"`)
		wr = datainclusion.NewArrayWriter(w)
	case "ndjson":
		if s.notModified(w, r, maxAgeData, true) {
			return nil
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Header().Set("Content-Disposition", `attachment; filename="data-inclusion-`+name+`.ndjson"`)
		wr = datainclusion.NewNDJSONWriter(w)
	default:
		return badParam("format", "« %s » : json ou ndjson", format)
	}
	places := ix.Places()
	for i := range places {
		if err := write(wr, &places[i]); err != nil {
			return nil // the client left
		}
	}
	wr.Close()
	return nil
}

func (s *Server) diStructures(w http.ResponseWriter, r *http.Request) error {
	opt := s.diOptions()
	return s.diExport(w, r, "structures", func(wr *datainclusion.Writer, c *maillage.Consolidated) error {
		return wr.Write(datainclusion.StructureOf(c, opt))
	})
}

func (s *Server) diServices(w http.ResponseWriter, r *http.Request) error {
	opt := s.diOptions()
	return s.diExport(w, r, "services", func(wr *datainclusion.Writer, c *maillage.Consolidated) error {
		for _, sv := range datainclusion.ServicesOf(c, opt) {
			if err := wr.Write(sv); err != nil {
				return err
			}
		}
		return nil
	})
}
