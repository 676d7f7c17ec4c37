package datainclusion

// Structure is a structure of data·inclusion's schema v1
// (schemas/v1/structure.json). Optional fields are omitted when unknown.
type Structure struct {
	Source            string   `json:"source"`
	ID                string   `json:"id"`
	Nom               string   `json:"nom"`
	DateMaj           string   `json:"date_maj"` // YYYY-MM-DD
	Siret             string   `json:"siret,omitempty"`
	Description       string   `json:"description,omitempty"`
	Commune           string   `json:"commune,omitempty"`
	CodePostal        string   `json:"code_postal,omitempty"`
	CodeInsee         string   `json:"code_insee,omitempty"`
	Adresse           string   `json:"adresse,omitempty"`
	ComplementAdresse string   `json:"complement_adresse,omitempty"`
	Latitude          *float64 `json:"latitude,omitempty"`
	Longitude         *float64 `json:"longitude,omitempty"`
	Telephone         string   `json:"telephone,omitempty"`
	Courriel          string   `json:"courriel,omitempty"`
	SiteWeb           string   `json:"site_web,omitempty"`
	LienSource        string   `json:"lien_source,omitempty"`
	HorairesAccueil   string   `json:"horaires_accueil,omitempty"`
	AccessibiliteLieu string   `json:"accessibilite_lieu,omitempty"`
	ReseauxPorteurs   []string `json:"reseaux_porteurs,omitempty"`
}

// Service is a service of data·inclusion's schema v1
// (schemas/v1/service.json). Optional fields are omitted when unknown.
type Service struct {
	Source                 string   `json:"source"`
	StructureID            string   `json:"structure_id"`
	ID                     string   `json:"id"`
	Nom                    string   `json:"nom"`
	Description            string   `json:"description"`
	DateMaj                string   `json:"date_maj"` // YYYY-MM-DD
	Type                   string   `json:"type,omitempty"`
	Thematiques            []string `json:"thematiques,omitempty"`
	Frais                  string   `json:"frais,omitempty"`
	FraisPrecisions        string   `json:"frais_precisions,omitempty"`
	Publics                []string `json:"publics,omitempty"`
	PublicsPrecisions      string   `json:"publics_precisions,omitempty"`
	Commune                string   `json:"commune,omitempty"`
	CodePostal             string   `json:"code_postal,omitempty"`
	CodeInsee              string   `json:"code_insee,omitempty"`
	Adresse                string   `json:"adresse,omitempty"`
	ComplementAdresse      string   `json:"complement_adresse,omitempty"`
	Latitude               *float64 `json:"latitude,omitempty"`
	Longitude              *float64 `json:"longitude,omitempty"`
	Telephone              string   `json:"telephone,omitempty"`
	Courriel               string   `json:"courriel,omitempty"`
	ModesAccueil           []string `json:"modes_accueil,omitempty"`
	ModesMobilisation      []string `json:"modes_mobilisation,omitempty"`
	MobilisablePar         []string `json:"mobilisable_par,omitempty"`
	LienMobilisation       string   `json:"lien_mobilisation,omitempty"`
	MobilisationPrecisions string   `json:"mobilisation_precisions,omitempty"`
	LienSource             string   `json:"lien_source,omitempty"`
	HorairesAccueil        string   `json:"horaires_accueil,omitempty"`
}
