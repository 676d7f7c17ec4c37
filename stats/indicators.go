package stats

import "time"

// Level is a level of the territorial hierarchy.
type Level string

// Levels, from the smallest.
const (
	LevelCommune     Level = "commune"
	LevelEPCI        Level = "epci"
	LevelDepartement Level = "departement"
	LevelRegion      Level = "region"
	LevelFrance      Level = "france"
)

// Levels lists the levels from the smallest to France.
var Levels = []Level{LevelCommune, LevelEPCI, LevelDepartement, LevelRegion, LevelFrance}

// FranceCode is the code of the one territory of LevelFrance.
const FranceCode = "fr"

// Radii of the distance indicators, in kilometres.
var (
	// AccessRadii are the radii of the shares of population within reach.
	AccessRadii = [...]float64{5, 10, 20}
	// WhiteZoneRadii are the radii of the white zones: a commune is in the
	// white zone of radius r when no place lies within r km of its centre.
	WhiteZoneRadii = [...]float64{10, 20}
)

// Ref names a territory.
type Ref struct {
	Level Level  `json:"niveau"`
	Code  string `json:"code"`
	Name  string `json:"nom"`
}

// Territory holds the indicators of one territory. Ratios whose
// denominator is zero (a territory without population, without places)
// are nil, written null: "not defined", never a misleading 0.
type Territory struct {
	Ref
	// Parents are the territories it belongs to, from the nearest to
	// France: a commune's EPCI (when it has one), département, région and
	// France; an EPCI's main département (where most of its population
	// lives), région and France.
	Parents []Ref `json:"parents"`
	// ParentCommune is set on a municipal arrondissement (Paris, Lyon,
	// Marseille): the commune it belongs to.
	ParentCommune *Ref `json:"commune_parente,omitempty"`
	Population    int  `json:"population"`
	// Communes is the number of communes (arrondissements not counted);
	// 1 for a commune, 0 for an arrondissement.
	Communes int `json:"communes"`
	// Places is the number of consolidated places whose code_insee is in
	// the territory.
	Places       int      `json:"lieux"`
	PlacesPer10k *float64 `json:"lieux_pour_10000_habitants"`
	// Unlocated counts places whose code_insee is missing or unknown to
	// the reference data: they count in France only (LevelFrance).
	Unlocated int `json:"lieux_sans_commune_connue,omitempty"`
	// Access is the distance to the nearest place of any kind.
	Access   Access           `json:"acces"`
	Services []ServiceFigures `json:"services"`
	Labels   []LabelFigures   `json:"labels"`
	Hours    HoursFigures     `json:"horaires"`
	Quality  Quality          `json:"qualite"`
}

// Access is the distance from the population to the nearest place (of any
// kind, or offering one service). Distances are great-circle distances in
// kilometres from the commune centroids: everyone in a commune is counted
// at its centre.
type Access struct {
	// NearestKm is, for a commune, the distance from its centre to the
	// nearest place; nil when there is no such place anywhere, or for an
	// arrondissement (the reference data has no centre for them).
	NearestKm *float64 `json:"distance_km,omitempty"`
	// Within gives, for each of AccessRadii, the share of the population
	// living in a commune whose centre is within that distance of a place.
	Within []Share `json:"part_population_a_moins_de"`
	// MedianKm is the population-weighted median of the communes'
	// distances: half of the population lives in communes at most this far
	// from a place. Nil when the population is zero or when more than half
	// of it has no place at all.
	MedianKm *float64 `json:"distance_mediane_km"`
	// WhiteZones gives, for each of WhiteZoneRadii, the communes and
	// population with no place within that distance.
	WhiteZones []WhiteZone `json:"zones_blanches"`
}

// Share is the share of the population within RadiusKm.
type Share struct {
	RadiusKm float64  `json:"rayon_km"`
	Share    *float64 `json:"part"`
}

// WhiteZone counts the communes with no place within RadiusKm.
type WhiteZone struct {
	RadiusKm   float64 `json:"rayon_km"`
	Communes   int     `json:"communes"`
	Population int     `json:"population"`
	// Share is the share of the territory's population in the zone.
	Share *float64 `json:"part_population"`
}

// ServiceFigures are the indicators of one service of the national schema.
type ServiceFigures struct {
	Service      string   `json:"service"`
	Places       int      `json:"lieux"`
	PlacesPer10k *float64 `json:"lieux_pour_10000_habitants"`
	Access       Access   `json:"acces"`
}

// Label kinds.
const (
	KindProgram = "dispositif_programmes_nationaux"
	KindLabel   = "formations_labels"
)

// LabelFigures are the indicators of one national programme
// (dispositif_programmes_nationaux) or training/label (formations_labels).
type LabelFigures struct {
	Label        string   `json:"label"`
	Kind         string   `json:"champ"` // KindProgram or KindLabel
	Places       int      `json:"lieux"`
	PlacesPer10k *float64 `json:"lieux_pour_10000_habitants"`
}

// HoursFigures is the opening-hours coverage, measured over the reference
// week (see Options.Reference) with each place's time zone and public
// holidays. Only places whose horaires is valid OSM opening_hours count
// (WithHours); a period marked "unknown" by the value is not counted as
// open.
type HoursFigures struct {
	WithHours int `json:"lieux_avec_horaires"`
	// WeeklyHours is the sum of the places' open hours in the week.
	WeeklyHours       float64  `json:"heures_ouverture_hebdomadaires"`
	WeeklyHoursPer10k *float64 `json:"heures_hebdomadaires_pour_10000_habitants"`
	OpenSaturday      int      `json:"lieux_ouverts_samedi"`
	// OpenSaturdayShare is OpenSaturday over WithHours.
	OpenSaturdayShare *float64 `json:"part_ouverts_samedi"`
	// OpenEvening counts places open after 18:00 on at least one day.
	OpenEvening      int      `json:"lieux_ouverts_apres_18h"`
	OpenEveningShare *float64 `json:"part_ouverts_apres_18h"`
}

// Quality is the quality of the data of the territory's places; shares
// are over Places.
type Quality struct {
	Places int `json:"lieux"`
	// RealSIRET counts places whose pivot is a SIRET or SIREN (14 or 9
	// digits, not a placeholder such as 00000000000000).
	RealSIRET      int      `json:"siret_reel"`
	RealSIRETShare *float64 `json:"part_siret_reel"`
	// Precise counts places whose coordinates come from a source, not from
	// the commune's centre.
	Precise      int      `json:"coordonnees_precises"`
	PreciseShare *float64 `json:"part_coordonnees_precises"`
	// WithHours counts places whose horaires is valid.
	WithHours      int      `json:"horaires_valides"`
	WithHoursShare *float64 `json:"part_horaires_valides"`
	// Freshness of date_maj relative to Options.Reference: under 6 months,
	// 6 months to 1 year, more than 1 year, unknown.
	Under6Months      int      `json:"maj_moins_6_mois"`
	Under6MonthsShare *float64 `json:"part_maj_moins_6_mois"`
	Under1Year        int      `json:"maj_6_mois_a_1_an"`
	Under1YearShare   *float64 `json:"part_maj_6_mois_a_1_an"`
	Older             int      `json:"maj_plus_1_an"`
	OlderShare        *float64 `json:"part_maj_plus_1_an"`
	NoDate            int      `json:"maj_inconnue"`
	NoDateShare       *float64 `json:"part_maj_inconnue"`
}

// Options sets what Compute measures against.
type Options struct {
	// Reference is the date freshness is measured from, and the opening
	// hours are measured over the week (Monday to Sunday) that starts on
	// the first Monday on or after it. Required.
	Reference time.Time
}
