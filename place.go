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
	ID                 string            `json:"id"`                           // id: the producer's own identifier, unique within a source
	Pivot              string            `json:"pivot,omitempty"`              // pivot: SIRET, SIREN, RNA or RIDET of the place
	Name               string            `json:"nom"`                          // nom
	Commune            string            `json:"commune,omitempty"`            // commune: name of the commune of the address
	PostalCode         string            `json:"code_postal,omitempty"`        // code_postal
	INSEECode          string            `json:"code_insee,omitempty"`         // code_insee: official code of the commune
	Address            string            `json:"adresse,omitempty"`            // adresse: number and street
	AddressComplement  string            `json:"complement_adresse,omitempty"` // complement_adresse
	Latitude           float64           `json:"latitude,omitempty"`           // WGS84, valid when HasCoordinates
	Longitude          float64           `json:"longitude,omitempty"`
	HasCoordinates     bool              `json:"has_coordinates,omitempty"`                 // latitude and longitude were given
	Typologies         []Typology        `json:"typologie,omitempty"`                       // typologie
	Telephone          string            `json:"telephone,omitempty"`                       // telephone, E.164 (+33…)
	Emails             []string          `json:"courriels,omitempty"`                       // courriels
	Websites           []string          `json:"site_web,omitempty"`                        // site_web
	OpeningHours       string            `json:"horaires,omitempty"`                        // horaires, OpenStreetMap opening_hours syntax
	Summary            string            `json:"presentation_resume,omitempty"`             // presentation_resume, at most 280 characters
	Description        string            `json:"presentation_detail,omitempty"`             // presentation_detail
	Source             string            `json:"source,omitempty"`                          // source: who collected the data
	Itinerance         []Itinerance      `json:"itinerance,omitempty"`                      // itinerance
	ParentOrganization string            `json:"structure_parente,omitempty"`               // structure_parente
	UpdatedOn          time.Time         `json:"date_maj,omitzero"`                         // date_maj (a civil date, UTC midnight); zero when unknown
	Services           []Service         `json:"services,omitempty"`                        // services
	Publics            []Public          `json:"publics_specifiquement_adresses,omitempty"` // publics_specifiquement_adresses
	SpecificSupport    []SpecificSupport `json:"prise_en_charge_specifique,omitempty"`      // prise_en_charge_specifique
	Fees               []Fee             `json:"frais_a_charge,omitempty"`                  // frais_a_charge
	NationalPrograms   []NationalProgram `json:"dispositif_programmes_nationaux,omitempty"` // dispositif_programmes_nationaux
	TrainingsLabels    []TrainingLabel   `json:"formations_labels,omitempty"`               // formations_labels
	OtherLabels        []string          `json:"autres_formations_labels,omitempty"`        // autres_formations_labels
	AccessModes        []AccessMode      `json:"modalites_acces,omitempty"`                 // modalites_acces
	SupportModes       []SupportMode     `json:"modalites_accompagnement,omitempty"`        // modalites_accompagnement
	AccessibilitySheet string            `json:"fiche_acces_libre,omitempty"`               // fiche_acces_libre: URL of the Acceslibre sheet
	AppointmentURL     string            `json:"prise_rdv,omitempty"`                       // prise_rdv: URL to book an appointment
	Extra              map[string]string `json:"extra,omitempty"`                           // columns of the input outside the schema, kept as read
}

// DateLayout is the layout of date_maj (ISO 8601 calendar date).
const DateLayout = "2006-01-02"
