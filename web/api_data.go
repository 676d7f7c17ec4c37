package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"maillage"
	"maillage/hours"
	"maillage/schema"
	"maillage/territory"
)

//go:embed openapi.json
var openAPIDocument []byte

// errUnavailable is a part of the service that this instance lacks (no
// consolidated places store): a 503.
var errUnavailable = errors.New("indisponible")

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.notModified(w, r, maxAgeDocument, false) {
		return nil
	}
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDocument)
	return err
}

// onePlace answers GET /api/v1/lieux/{id}: the consolidated place, the
// provenance of each of its fields and the records of the sources it was
// built from.
//
// A former id (an alias left by a merge that absorbed the place) answers
// a 301 to the place's current address: a client learns the new id and
// its caches stay keyed by one address per place.
func (s *Server) onePlace(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	id := r.PathValue("id")
	var c *maillage.Consolidated
	if p, ok := s.cfg.Index.Load().Place(id); ok {
		c = p
	} else if s.cfg.Places != nil {
		p, err := s.cfg.Places.ConsolidatedPlace(r.Context(), id)
		if err != nil {
			if errors.Is(err, maillage.ErrNotFound) {
				return notFound(fmt.Sprintf("lieu « %s »", id))
			}
			return err
		}
		if p.Place.ID != id {
			w.Header().Set("Location", "/api/v1/lieux/"+url.PathEscape(p.Place.ID))
			w.Header().Set("Cache-Control", "public, max-age=300")
			w.WriteHeader(http.StatusMovedPermanently)
			return nil
		}
		c = &p
	} else {
		return notFound(fmt.Sprintf("lieu « %s »", id))
	}
	if s.notModified(w, r, maxAgeLive, true) {
		return nil
	}
	var records []maillage.Record
	if s.cfg.Store != nil {
		for _, m := range c.Members {
			rec, err := s.cfg.Store.Record(r.Context(), m.Source, m.ID)
			if errors.Is(err, maillage.ErrNotFound) {
				continue // removed by an import since the merge
			}
			if err != nil {
				return err
			}
			records = append(records, rec)
		}
	}
	b := appendPlaceDetail(make([]byte, 0, 8192), c, records, s.cfg.Now())
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(append(b, '\n'))
	return err
}

// stateAt evaluates a place's hours at an instant in its own time zone.
func stateAt(p *maillage.Place, at time.Time) (hours.State, time.Time) {
	if p.OpeningHours == "" {
		return hours.State{Status: hours.Unknown}, time.Time{}
	}
	h, err := hours.Compile(p.OpeningHours, hours.Context{Location: territory.TimeZone(p.INSEECode), Departement: territory.DepartementOfINSEE(p.INSEECode)})
	if err != nil {
		return hours.State{Status: hours.Unknown}, time.Time{}
	}
	next, _ := h.NextChange(at)
	return h.State(at), next
}

// apiProvenance is the provenance of a value in the API.
type apiProvenance struct {
	Source  string `json:"source"`
	Fiche   string `json:"fiche"`
	DateMaj string `json:"date_maj,omitempty"`
}

func toAPIProvenance(p maillage.Provenance) apiProvenance {
	out := apiProvenance{Source: p.Source, Fiche: p.RecordID}
	if !p.UpdatedOn.IsZero() {
		out.DateMaj = p.UpdatedOn.Format(time.DateOnly)
	}
	return out
}

func appendPlaceDetail(b []byte, c *maillage.Consolidated, records []maillage.Record, now time.Time) []byte {
	st, next := stateAt(&c.Place, now)
	b = append(b, `{"id":`...)
	b = maillage.AppendJSONString(b, c.Place.ID)
	b = append(b, `,"etat":`...)
	b = appendState(b, st, next)
	b = append(b, `,"precision_coordonnees":`...)
	b = maillage.AppendJSONString(b, c.Precision)
	b = append(b, `,"lieu":`...)
	b = c.Place.AppendJSON(b)

	members := make([]map[string]string, len(c.Members))
	for i, m := range c.Members {
		members[i] = map[string]string{"source": m.Source, "id": m.ID}
	}
	fields := make(map[string]apiProvenance, len(c.Fields))
	for k, v := range c.Fields {
		fields[k] = toAPIProvenance(v)
	}
	items := make(map[string][]apiProvenance, len(c.Items))
	for k, vs := range c.Items {
		out := make([]apiProvenance, len(vs))
		for i, v := range vs {
			out[i] = toAPIProvenance(v)
		}
		items[k] = out
	}
	b = appendMember(b, "membres", members)
	b = appendMember(b, "provenance", fields)
	b = appendMember(b, "provenance_valeurs", items)

	b = append(b, `,"fiches":[`...)
	for i := range records {
		rec := &records[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"source":`...)
		b = maillage.AppendJSONString(b, rec.Source)
		b = append(b, `,"id":`...)
		b = maillage.AppendJSONString(b, rec.ID)
		b = append(b, `,"ligne":`...)
		b = strconv.AppendInt(b, int64(rec.Row), 10)
		b = append(b, `,"precision_coordonnees":`...)
		b = maillage.AppendJSONString(b, rec.Precision)
		b = append(b, `,"lieu":`...)
		b = rec.Place.AppendJSON(b)
		if len(rec.Raw) > 0 && maillage.ValidJSON(rec.Raw) {
			b = append(b, `,"brut":`...)
			b = append(b, rec.Raw...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendMember appends ,"name":<v as JSON>.
func appendMember(b []byte, name string, v any) []byte {
	enc, err := json.Marshal(v)
	if err != nil { // maps of strings cannot fail
		enc = []byte("null")
	}
	b = append(b, ',')
	b = maillage.AppendJSONString(b, name)
	b = append(b, ':')
	return append(b, enc...)
}

// apiSource is a source in the API.
type apiSource struct {
	Name         string     `json:"nom"`
	Title        string     `json:"titre"`
	Producer     string     `json:"producteur,omitempty"`
	Licence      string     `json:"licence,omitempty"`
	Homepage     string     `json:"site,omitempty"`
	Territory    string     `json:"territoire,omitempty"`
	Format       string     `json:"format,omitempty"`
	Mapping      string     `json:"correspondance,omitempty"`
	Trust        int        `json:"confiance"`
	Consolidated int        `json:"lieux_consolides"`
	LastImport   *apiImport `json:"dernier_import"`
}

// apiImport is an import's figures in the API.
type apiImport struct {
	File        string    `json:"fichier"`
	Checksum    string    `json:"empreinte"`
	StartedAt   time.Time `json:"debut"`
	FinishedAt  time.Time `json:"fin"`
	Read        int       `json:"lues"`
	Stored      int       `json:"enregistrees"`
	Quarantined int       `json:"quarantaine"`
	Added       int       `json:"ajoutees"`
	Changed     int       `json:"modifiees"`
	Unchanged   int       `json:"inchangees"`
	Removed     int       `json:"retirees"`
}

func toAPISource(src maillage.Source, consolidated int) apiSource {
	out := apiSource{Name: src.Name, Title: src.Title, Producer: src.Producer, Licence: src.Licence, Homepage: src.Homepage,
		Territory: src.Territory, Format: src.Format, Mapping: src.Mapping, Trust: src.Trust, Consolidated: consolidated}
	if imp := src.LastImport; imp != nil {
		out.LastImport = &apiImport{File: imp.File, Checksum: imp.Checksum, StartedAt: imp.StartedAt, FinishedAt: imp.FinishedAt,
			Read: imp.Read, Stored: imp.Stored, Quarantined: imp.Quarantined, Added: imp.Added, Changed: imp.Changed,
			Unchanged: imp.Unchanged, Removed: imp.Removed}
	}
	return out
}

// placesBySource counts the consolidated places of the index each source
// contributes to.
func (s *Server) placesBySource() map[string]int {
	counts := map[string]int{}
	places := s.cfg.Index.Load().Places()
	for i := range places {
		seen := ""
		for _, m := range places[i].Members {
			if m.Source != seen { // members are sorted by source
				counts[m.Source]++
				seen = m.Source
			}
		}
	}
	return counts
}

func (s *Server) listSources(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.cfg.Store == nil {
		return errUnavailable
	}
	if s.notModified(w, r, maxAgeData, false) {
		return nil
	}
	sources, err := s.cfg.Store.Sources(r.Context())
	if err != nil {
		return err
	}
	counts := s.placesBySource()
	out := struct {
		Sources []apiSource `json:"sources"`
	}{Sources: make([]apiSource, 0, len(sources))}
	for _, src := range sources {
		out.Sources = append(out.Sources, toAPISource(src, counts[src.Name]))
	}
	return writeJSON(w, out)
}

func (s *Server) oneSource(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.cfg.Store == nil {
		return errUnavailable
	}
	name := r.PathValue("name")
	src, err := s.cfg.Store.Source(r.Context(), name)
	if errors.Is(err, maillage.ErrNotFound) {
		return notFound(fmt.Sprintf("source « %s »", name))
	}
	if err != nil {
		return err
	}
	if s.notModified(w, r, maxAgeData, false) {
		return nil
	}
	return writeJSON(w, toAPISource(src, s.placesBySource()[name]))
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}

// export answers GET /api/v1/export: every consolidated place of the
// index, in the national schema v1.0.2, streamed.
func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "format"); err != nil {
		return err
	}
	name, err := single(q, "format")
	if err != nil {
		return err
	}
	if name == "" {
		name = formatJSON
	}
	var ext, ctype string
	switch name {
	case formatCSV:
		ext, ctype = "csv", "text/csv; charset=utf-8"
	case formatJSON:
		ext, ctype = "json", "application/json"
	case formatNDJSON:
		ext, ctype = "ndjson", "application/x-ndjson"
	case formatGeoJSON:
		ext, ctype = "geojson", "application/geo+json"
	default:
		return badParam("format", "« %s » n'est pas un format d'export : csv, json, ndjson ou geojson", name)
	}
	f, err := schema.ParseFormat(name)
	if err != nil {
		return badParam("format", "%v", err)
	}
	ix := s.cfg.Index.Load()
	if s.notModified(w, r, maxAgeData, false) {
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="lieux-mediation-numerique.`+ext+`"`)
	h.Set("X-Total-Count", strconv.Itoa(ix.Len()))
	sw, err := schema.NewWriter(w, f)
	if err != nil {
		return err
	}
	places := ix.Places()
	for i := range places {
		if err := sw.Write(&places[i].Place); err != nil {
			return nil // the client left; headers are gone, nothing to answer
		}
	}
	sw.Close()
	return nil
}

// changes answers GET /api/v1/changements: the places created, updated
// or deleted after depuis, oldest first, streamed. A client keeps the
// date of the last change it saw and asks from it next time.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "depuis"); err != nil {
		return err
	}
	v, err := single(q, "depuis")
	if err != nil {
		return err
	}
	if v == "" {
		return badParam("depuis", "obligatoire : une date RFC 3339 (2026-03-02T00:00:00Z)")
	}
	since, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return badParam("depuis", "« %s » n'est pas une date RFC 3339 (2026-03-02T00:00:00Z)", v)
	}
	if s.cfg.Places == nil {
		return errUnavailable
	}
	if s.notModified(w, r, maxAgeLive, false) {
		return nil
	}
	w.Header().Set("Content-Type", "application/json")
	b := make([]byte, 0, 32<<10)
	b = append(b, `{"depuis":"`...)
	b = since.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","changements":[`...)
	n := 0
	started := false
	err = s.cfg.Places.Changes(r.Context(), since, func(c maillage.Change) error {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, `{"id":`...)
		b = maillage.AppendJSONString(b, c.ID)
		b = append(b, `,"type":`...)
		b = maillage.AppendJSONString(b, c.Kind)
		b = append(b, `,"date":"`...)
		b = c.At.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `"}`...)
		if len(b) > 30<<10 {
			started = true
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
		return nil
	})
	if err != nil {
		if started {
			s.cfg.Logger.Error("changements", "err", err)
			return nil // half an answer is sent: the client sees invalid JSON
		}
		return err
	}
	b = append(b, "]}\n"...)
	w.Write(b) // an error here is a client that left
	return nil
}

// apiCommune is a commune in the autocomplete.
type apiCommune struct {
	Code        string   `json:"code"`
	Name        string   `json:"nom"`
	Type        string   `json:"type"`
	PostalCodes []string `json:"codes_postaux"`
	Departement string   `json:"departement"`
	Region      string   `json:"region"`
	EPCI        string   `json:"epci,omitempty"`
	Population  int      `json:"population"`
	Latitude    *float64 `json:"latitude,omitempty"`
	Longitude   *float64 `json:"longitude,omitempty"`
}

// communes answers GET /api/v1/territoires/communes?q=: the autocomplete
// of a commune by name (accents and case ignored) or postal code prefix.
func (s *Server) communes(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "q", "limite"); err != nil {
		return err
	}
	text, err := single(q, "q")
	if err != nil {
		return err
	}
	if text == "" {
		return badParam("q", "obligatoire : le début d'un nom de commune ou d'un code postal")
	}
	if len(text) > 100 {
		return badParam("q", "texte trop long (100 caractères au plus)")
	}
	limit := 10
	if v, err := single(q, "limite"); err != nil {
		return err
	} else if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return badParam("limite", "« %s » : un nombre entier entre 1 et 50", v)
		}
		limit = n
	}
	if s.notModified(w, r, maxAgeDocument, false) {
		return nil
	}
	terr := territory.Default()
	out := struct {
		Communes []apiCommune `json:"communes"`
	}{Communes: []apiCommune{}}
	for _, c := range terr.SearchCommunes(text, limit) {
		ac := apiCommune{Code: c.Code, Name: c.Name, Type: c.Type, PostalCodes: c.PostalCodes, Departement: c.Departement,
			Region: c.Region, EPCI: c.EPCI, Population: c.Population}
		if ac.PostalCodes == nil {
			ac.PostalCodes = []string{}
		}
		if lat, lon, ok := terr.Centroid(c.Code); ok {
			ac.Latitude, ac.Longitude = &lat, &lon
		}
		out.Communes = append(out.Communes, ac)
	}
	return writeJSON(w, out)
}
