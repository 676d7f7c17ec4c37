package hsds

// The HSDS 3.0 objects Maillage emits, with the fields it fills. Field
// names and types follow the object schemas of the specification
// (schema/*.json); optional fields and empty arrays are omitted.

// Organization is an HSDS organization: the structure of a place.
type Organization struct {
	ID                      string                   `json:"id"`
	Name                    string                   `json:"name"`
	AlternateName           string                   `json:"alternate_name,omitempty"`
	Description             string                   `json:"description"`
	Email                   string                   `json:"email,omitempty"`
	Website                 string                   `json:"website,omitempty"`
	LegalStatus             string                   `json:"legal_status,omitempty"`
	Phones                  []Phone                  `json:"phones,omitempty"`
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers,omitempty"`
	Attributes              []Attribute              `json:"attributes,omitempty"`
}

// OrganizationIdentifier is an official identifier of an organization
// (SIRET, SIREN, RNA, RIDET).
type OrganizationIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// Service is an HSDS service: the digital-mediation offer of one place.
// Array fields are nil in list items (ServiceItem), set in full objects.
type Service struct {
	ID                     string              `json:"id"`
	OrganizationID         string              `json:"organization_id,omitempty"`
	Name                   string              `json:"name"`
	AlternateName          string              `json:"alternate_name,omitempty"`
	Description            string              `json:"description,omitempty"`
	URL                    string              `json:"url,omitempty"`
	Email                  string              `json:"email,omitempty"`
	Status                 string              `json:"status"`
	InterpretationServices string              `json:"interpretation_services,omitempty"`
	ApplicationProcess     string              `json:"application_process,omitempty"`
	FeesDescription        string              `json:"fees_description,omitempty"`
	Accreditations         string              `json:"accreditations,omitempty"`
	EligibilityDescription string              `json:"eligibility_description,omitempty"`
	LastModified           string              `json:"last_modified,omitempty"` // RFC 3339
	Phones                 []Phone             `json:"phones,omitempty"`
	Schedules              []Schedule          `json:"schedules,omitempty"`
	ServiceAtLocations     []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages              []Language          `json:"languages,omitempty"`
	Organization           *Organization       `json:"organization,omitempty"`
	CostOptions            []CostOption        `json:"cost_options,omitempty"`
	Attributes             []Attribute         `json:"attributes,omitempty"`
}

// Location is an HSDS location: where the place receives people.
type Location struct {
	ID                     string          `json:"id"`
	LocationType           string          `json:"location_type"`
	URL                    string          `json:"url,omitempty"`
	OrganizationID         string          `json:"organization_id,omitempty"`
	Name                   string          `json:"name,omitempty"`
	Description            string          `json:"description,omitempty"`
	Latitude               *float64        `json:"latitude,omitempty"`
	Longitude              *float64        `json:"longitude,omitempty"`
	ExternalIdentifier     string          `json:"external_identifier,omitempty"`
	ExternalIdentifierType string          `json:"external_identifier_type,omitempty"`
	Languages              []Language      `json:"languages,omitempty"`
	Addresses              []Address       `json:"addresses,omitempty"`
	Accessibility          []Accessibility `json:"accessibility,omitempty"`
	Phones                 []Phone         `json:"phones,omitempty"`
	Attributes             []Attribute     `json:"attributes,omitempty"`
}

// Address is a physical address of a location.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility links a location to its accessibility information.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
}

// ServiceAtLocation links a service to a location. In the full object
// (ServiceAtLocation) Location and Service are nested.
type ServiceAtLocation struct {
	ID          string      `json:"id"`
	ServiceID   string      `json:"service_id,omitempty"`
	LocationID  string      `json:"location_id,omitempty"`
	Description string      `json:"description,omitempty"`
	Phones      []Phone     `json:"phones,omitempty"`
	Schedules   []Schedule  `json:"schedules,omitempty"`
	Location    *Location   `json:"location,omitempty"`
	Attributes  []Attribute `json:"attributes,omitempty"`
	Service     *Service    `json:"service,omitempty"`
}

// Phone is a telephone number.
type Phone struct {
	ID                  string `json:"id"`
	LocationID          string `json:"location_id,omitempty"`
	ServiceID           string `json:"service_id,omitempty"`
	OrganizationID      string `json:"organization_id,omitempty"`
	ServiceAtLocationID string `json:"service_at_location_id,omitempty"`
	Number              string `json:"number"`
	Type                string `json:"type,omitempty"`
	Description         string `json:"description,omitempty"`
}

// Schedule is a weekly opening slot (Freq "WEEKLY", ByDay, OpensAt,
// ClosesAt), or, for hours that are not simple weekly hours, a schedule
// carrying only their original text in Description.
type Schedule struct {
	ID                  string `json:"id"`
	ServiceID           string `json:"service_id,omitempty"`
	LocationID          string `json:"location_id,omitempty"`
	ServiceAtLocationID string `json:"service_at_location_id,omitempty"`
	Wkst                string `json:"wkst,omitempty"`
	Freq                string `json:"freq,omitempty"`
	Interval            int    `json:"interval,omitempty"`
	ByDay               string `json:"byday,omitempty"`
	Description         string `json:"description,omitempty"`
	OpensAt             string `json:"opens_at,omitempty"`
	ClosesAt            string `json:"closes_at,omitempty"`
	ScheduleLink        string `json:"schedule_link,omitempty"`
	AttendingType       string `json:"attending_type,omitempty"`
	Notes               string `json:"notes,omitempty"`
}

// CostOption is one of the fee conditions of a service (frais_a_charge).
type CostOption struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Option    string `json:"option,omitempty"`
}

// Language is a language a service is offered in.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Attribute tags an object with a taxonomy term.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is a term of one of Maillage's taxonomies.
type TaxonomyTerm struct {
	ID             string    `json:"id"`
	Code           string    `json:"code,omitempty"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Taxonomy       string    `json:"taxonomy,omitempty"`
	TaxonomyDetail *Taxonomy `json:"taxonomy_detail,omitempty"`
	Language       string    `json:"language,omitempty"`
	TaxonomyID     string    `json:"taxonomy_id,omitempty"`
}

// Taxonomy is one of Maillage's taxonomies: one per controlled field of
// the national schema.
type Taxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	URI         string `json:"uri,omitempty"`
	Version     string `json:"version,omitempty"`
}

// Info is the body of the API's root ("/"): the HSDS version, profile and
// OpenAPI document of the API.
type Info struct {
	Version    string `json:"version"`
	Profile    string `json:"profile,omitempty"`
	OpenAPIURL string `json:"openapi_url,omitempty"`
}
