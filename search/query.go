package search

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"maillage/fold"
	"maillage/territory"
)

// MaxTextLength is the longest Query.Text, in characters.
const MaxTextLength = 200

// Sorts lists the sort orders a query accepts.
func Sorts() []string { return []string{SortDistance, SortName, SortFreshness} }

// Validate checks q the way Search does, without searching: nil, or an
// error wrapping ErrInvalidQuery whose message starts with the API name
// of the faulty parameter ("lat", "rayon", "commune", "services", "tri",
// "curseur"…).
func (q Query) Validate() error {
	_, _, err := q.check()
	return err
}

func invalid(param, format string, args ...any) error {
	return fmt.Errorf("%s : %s : %w", param, fmt.Sprintf(format, args...), ErrInvalidQuery)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// check validates q and returns it with its defaults (Limit, Sort) and its
// decoded cursor.
func (q Query) check() (Query, *cursor, error) {
	if p := q.Near; p != nil {
		if !finite(p.Lat) || p.Lat < -90 || p.Lat > 90 {
			return q, nil, invalid("lat", "la latitude doit être comprise entre -90 et 90")
		}
		if !finite(p.Lon) || p.Lon < -180 || p.Lon > 180 {
			return q, nil, invalid("lon", "la longitude doit être comprise entre -180 et 180")
		}
	}
	if q.Radius != 0 {
		if !finite(q.Radius) || q.Radius < 0 {
			return q, nil, invalid("rayon", "le rayon est un nombre de mètres positif")
		}
		if q.Near == nil {
			return q, nil, invalid("rayon", "un rayon demande un point (lat, lon)")
		}
	}
	terr := territory.Default()
	if q.Commune != "" {
		if _, ok := terr.Commune(q.Commune); !ok {
			return q, nil, invalid("commune", "%q n'est pas le code INSEE d'une commune connue", q.Commune)
		}
	}
	if q.EPCI != "" {
		if _, ok := terr.EPCI(q.EPCI); !ok {
			return q, nil, invalid("epci", "%q n'est pas le SIREN d'un EPCI connu", q.EPCI)
		}
	}
	if q.Departement != "" {
		if _, ok := terr.Departement(q.Departement); !ok {
			return q, nil, invalid("departement", "%q n'est pas le code d'un département connu", q.Departement)
		}
	}
	if q.Region != "" {
		if _, ok := terr.Region(q.Region); !ok {
			return q, nil, invalid("region", "%q n'est pas le code d'une région connue", q.Region)
		}
	}
	if b := q.BBox; b != nil {
		for _, f := range []float64{b.MinLon, b.MinLat, b.MaxLon, b.MaxLat} {
			if !finite(f) {
				return q, nil, invalid("bbox", "les quatre bornes doivent être des nombres")
			}
		}
		if b.MinLat < -90 || b.MaxLat > 90 || b.MinLon < -180 || b.MaxLon > 180 {
			return q, nil, invalid("bbox", "les bornes sont hors du globe (longitudes entre -180 et 180, latitudes entre -90 et 90)")
		}
		if b.MinLon > b.MaxLon || b.MinLat > b.MaxLat {
			return q, nil, invalid("bbox", "attendu : ouest, sud, est, nord (le minimum avant le maximum)")
		}
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxTextLength {
		return q, nil, invalid("q", "le texte cherché fait %d caractères, %d au plus", n, MaxTextLength)
	}
	fields := make([]string, 0, len(q.Filters))
	for field := range q.Filters {
		fields = append(fields, field)
	}
	slices.Sort(fields)
	for _, field := range fields {
		ff, ok := filterFields[field]
		if !ok {
			return q, nil, invalid(field, "ce champ ne peut pas servir de filtre")
		}
		for _, v := range q.Filters[field] {
			if !slices.Contains(ff.allowed, v) {
				return q, nil, invalid(field, "%q n'est pas une valeur du schéma", v)
			}
		}
	}
	if !q.OpenAt.IsZero() && (q.OpenAt.Year() < 1900 || q.OpenAt.Year() > 2199) {
		return q, nil, invalid("ouvert", "l'instant doit être entre 1900 et 2199")
	}
	if q.Sort == "" {
		q.Sort = SortName
		if q.Near != nil {
			q.Sort = SortDistance
		}
	}
	switch q.Sort {
	case SortDistance:
		if q.Near == nil {
			return q, nil, invalid("tri", "le tri par distance demande un point (lat, lon)")
		}
	case SortName, SortFreshness:
	default:
		return q, nil, invalid("tri", "%q n'est pas un tri connu (distance, nom, fraicheur)", q.Sort)
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return q, nil, invalid("limite", "entre 1 et %d", MaxLimit)
	}
	if q.Cursor == "" {
		return q, nil, nil
	}
	c, err := decodeCursor(q.Cursor, q.Sort)
	if err != nil {
		return q, nil, err
	}
	return q, &c, nil
}

// textWords returns the folded words of a text query.
func textWords(text string) []string { return strings.Fields(fold.Key(text)) }

// cursor is the sort key of the last hit of a page: the next page starts
// after it, whatever was added or removed meanwhile (keyset pagination).
// On the wire it is base64url of "sort \n key \n id".
type cursor struct {
	sort string
	dist float64   // SortDistance: the distance in metres
	name string    // SortName: the folded name
	upd  time.Time // SortFreshness: the update time
	id   string
}

func (c cursor) String() string {
	var key string
	switch c.sort {
	case SortDistance:
		key = strconv.FormatFloat(c.dist, 'g', -1, 64)
	case SortFreshness:
		key = c.upd.UTC().Format(time.RFC3339Nano)
	default:
		key = c.name
	}
	return base64.RawURLEncoding.EncodeToString([]byte(c.sort + "\n" + key + "\n" + c.id))
}

func decodeCursor(s, sort string) (cursor, error) {
	bad := invalid("curseur", "ce curseur n'est pas celui d'une page de cette recherche (tri %s)", sort)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	parts := strings.SplitN(string(raw), "\n", 3)
	if len(parts) != 3 || parts[0] != sort {
		return cursor{}, bad
	}
	c := cursor{sort: sort, id: parts[2]}
	switch sort {
	case SortDistance:
		d, err := strconv.ParseFloat(parts[1], 64)
		if err != nil || !finite(d) {
			return cursor{}, bad
		}
		c.dist = d
	case SortFreshness:
		t, err := time.Parse(time.RFC3339Nano, parts[1])
		if err != nil {
			return cursor{}, bad
		}
		c.upd = t
	default:
		c.name = parts[1]
	}
	return c, nil
}

// The orders of the sorts; ties are broken by id so that each order is
// total (the cursor relies on it). Each compares the keys of a and b.

func compareDistance(da float64, ida string, db float64, idb string) int {
	if da != db {
		return cmp.Compare(da, db)
	}
	return strings.Compare(ida, idb)
}

func compareName(na, ida, nb, idb string) int {
	if c := strings.Compare(na, nb); c != 0 {
		return c
	}
	return strings.Compare(ida, idb)
}

// compareFreshness puts the most recently updated first.
func compareFreshness(ua time.Time, ida string, ub time.Time, idb string) int {
	if c := ub.Compare(ua); c != 0 {
		return c
	}
	return strings.Compare(ida, idb)
}
