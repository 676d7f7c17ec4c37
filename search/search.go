package search

import (
	"errors"
	"sync/atomic"
	"time"

	"maillage"
	"maillage/hours"
)

// Sort orders.
const (
	SortDistance  = "distance"  // nearest first (needs a point)
	SortName      = "nom"       // by name, accent- and case-insensitive
	SortFreshness = "fraicheur" // most recently updated first
)

// MaxLimit is the largest page.
const MaxLimit = 500

// Point is a WGS84 position.
type Point struct{ Lat, Lon float64 }

// BBox is a rectangle in WGS84 degrees.
type BBox struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

// Query is one search. Every criterion set narrows the result (AND);
// values within one filter are alternatives (OR).
type Query struct {
	// Near orders by distance from a point; Radius (metres, 0 = none)
	// keeps only the places within it.
	Near   *Point
	Radius float64
	// Area: INSEE code of a commune (an arrondissement or its commune),
	// SIREN of an EPCI, département or région code; all must hold.
	Commune, EPCI, Departement, Region string
	BBox                               *BBox
	// Text matches words of the name, the commune and the presentation,
	// accent- and case-insensitively, the last word as a prefix.
	Text string
	// Filters maps a controlled field of the schema, by its schema name
	// ("services", "frais_a_charge", "publics_specifiquement_adresses",
	// "prise_en_charge_specifique", "modalites_acces",
	// "modalites_accompagnement", "dispositif_programmes_nationaux",
	// "formations_labels", "typologie", "itinerance"), to the values
	// wanted: a place matches when it has at least one of them.
	Filters map[string][]string
	// OpenAt keeps the places open at that instant (each evaluated in its
	// own time zone); zero means no condition.
	OpenAt time.Time
	// Sort is SortDistance (default with Near), SortName (default
	// otherwise) or SortFreshness.
	Sort string
	// Limit is the page size (20 when 0, at most MaxLimit).
	Limit int
	// Cursor continues a previous search: Result.Next of the page before.
	Cursor string
}

// Hit is one place found.
type Hit struct {
	Place *maillage.Consolidated
	// DistanceM is the distance from Query.Near in metres, -1 without it.
	DistanceM float64
	// State is the place's state at the query's instant (OpenAt, or the
	// time given to Search) and NextChange when it changes next (zero
	// when unknown or never in the coming week).
	State      hours.State
	NextChange time.Time
}

// Result is a page of hits.
type Result struct {
	Hits []Hit
	// Total is the number of places matching the query (all pages).
	Total int
	// Next is the cursor of the following page, "" on the last one.
	Next string
}

// ErrInvalidQuery is returned (wrapped, with a French message naming the
// parameter) for a query that cannot be answered: an unknown filter
// field or value, a malformed cursor, a sort by distance without a point.
var ErrInvalidQuery = errors.New("requête invalide")

// Live holds the index currently served.
type Live struct{ p atomic.Pointer[Index] }

// Load returns the current index (an empty one before the first Store).
func (l *Live) Load() *Index {
	if ix := l.p.Load(); ix != nil {
		return ix
	}
	return empty
}

// Store makes ix the index served from now on.
func (l *Live) Store(ix *Index) { l.p.Store(ix) }

var empty = Build(nil, time.Time{})
