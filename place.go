package maillage

import "time"

// Place is a "lieu de médiation numérique": a physical place where a person
// is received and helped with digital life. Its fields are those of the
// national schema v1.0.2 ("schéma des lieux de médiation numérique"); the
// comment of each field gives its wire name.
//
// A Place read from a source is a record of that source; the same type also
// carries consolidated places once records of several sources are merged.
type Place struct {
	ID                 string // id: the producer's own identifier, unique within a source
	Pivot              string // pivot: SIRET, SIREN, RNA or RIDET of the place
	Name               string // nom
	Commune            string // commune: name of the commune of the address
	PostalCode         string // code_postal
	INSEECode          string // code_insee: official code of the commune
	Address            string // adresse: number and street
	AddressComplement  string // complement_adresse
	Latitude           float64
	Longitude          float64
	HasCoordinates     bool              // latitude and longitude were given
	Typologies         []Typology        // typologie
	Telephone          string            // telephone, E.164 (+33…)
	Emails             []string          // courriels
	Websites           []string          // site_web
	OpeningHours       string            // horaires, OpenStreetMap opening_hours syntax
	Summary            string            // presentation_resume, at most 280 characters
	Description        string            // presentation_detail
	Source             string            // source: who collected the data
	Itinerance         []Itinerance      // itinerance
	ParentOrganization string            // structure_parente
	UpdatedOn          time.Time         // date_maj (a civil date, UTC midnight); zero when unknown
	Services           []Service         // services
	Publics            []Public          // publics_specifiquement_adresses
	SpecificSupport    []SpecificSupport // prise_en_charge_specifique
	Fees               []Fee             // frais_a_charge
	NationalPrograms   []NationalProgram // dispositif_programmes_nationaux
	TrainingsLabels    []TrainingLabel   // formations_labels
	OtherLabels        []string          // autres_formations_labels
	AccessModes        []AccessMode      // modalites_acces
	SupportModes       []SupportMode     // modalites_accompagnement
	AccessibilitySheet string            // fiche_acces_libre: URL of the Acceslibre sheet
	AppointmentURL     string            // prise_rdv: URL to book an appointment
	Extra              map[string]string // columns of the input outside the schema, kept as read
}

// DateLayout is the layout of date_maj (ISO 8601 calendar date).
const DateLayout = "2006-01-02"
