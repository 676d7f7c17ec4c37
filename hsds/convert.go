package hsds

import (
	"cmp"
	"strings"
	"time"

	"maillage"
	"maillage/schema"
	"maillage/territory"
)

// Version is the HSDS version Maillage's objects follow.
const Version = "3.0"

// NewInfo is the body of the API root: the HSDS version and the address of
// the OpenAPI document that describes the API (absolute URL).
func NewInfo(openapiURL string) Info {
	return Info{Version: Version, OpenAPIURL: openapiURL}
}

// OrganizationOf returns the organization of a place: the structure that
// receives people there, with its official identifier when it has a real
// one (never the placeholder 00000000000000), first website and e-mail.
func OrganizationOf(c *maillage.Consolidated) Organization {
	p := &c.Place
	id := ID(KindOrganization, p.ID)
	o := Organization{ID: id, Name: p.Name, Description: cmp.Or(p.Summary, p.Description)}
	o.Email = maillage.FirstPlainEmail(p.Emails)
	if len(p.Websites) > 0 {
		o.Website = p.Websites[0]
	}
	if p.ParentOrganization != "" {
		o.Description = joinSentences(o.Description, "Structure parente : "+p.ParentOrganization+".")
	}
	if kind, number := pivot(p); kind != "" {
		o.OrganizationIdentifiers = []OrganizationIdentifier{{
			ID: subID(id, "identifier:"+kind), OrganizationID: id, IdentifierType: kind, Identifier: number,
		}}
	}
	if p.Telephone != "" {
		o.Phones = []Phone{{ID: subID(id, "phone"), OrganizationID: id, Number: p.Telephone, Type: "voice"}}
	}
	o.Attributes = attributes(o.Attributes, id, "organization", "typologie", p.Typologies)
	return o
}

// pivot returns the kind (SIRET, SIREN, RNA, RIDET, TAHITI) and number of
// the place's identifier, or "" when it has none or a placeholder.
func pivot(p *maillage.Place) (kind, number string) {
	if p.Pivot == "" {
		return "", ""
	}
	number, k, err := schema.NormalizePivot(p.Pivot, territory.DepartementOfINSEE(p.INSEECode))
	if err != nil || k == schema.PivotUnknown || strings.Trim(number, "0") == "" {
		return "", ""
	}
	return string(k), number
}

// LocationOf returns the physical location of a place: its address, its
// coordinates when a source gave them (not a commune's centre), its
// Acceslibre sheet, and the consolidated id as external identifier.
func LocationOf(c *maillage.Consolidated) Location {
	p := &c.Place
	id := ID(KindLocation, p.ID)
	l := Location{
		ID: id, LocationType: "physical", OrganizationID: ID(KindOrganization, p.ID), Name: p.Name,
		ExternalIdentifier: p.ID, ExternalIdentifierType: "maillage",
	}
	if p.HasCoordinates && c.Precision != maillage.PrecisionCommune {
		lat, lon := p.Latitude, p.Longitude
		l.Latitude, l.Longitude = &lat, &lon
	}
	if hasItinerance(p, maillage.Itinerant) {
		l.Description = "Lieu itinérant : l'adresse est celle de son point d'attache."
	}
	if p.Address != "" || p.Commune != "" || p.PostalCode != "" {
		a := Address{ID: subID(id, "address"), LocationID: id, Address1: p.Address, Address2: p.AddressComplement,
			City: p.Commune, PostalCode: p.PostalCode, Country: "FR", AddressType: "physical"}
		if com, ok := territory.Default().Commune(p.INSEECode); ok {
			if d, ok := territory.Default().Departement(com.Departement); ok {
				a.StateProvince = d.Name
			}
			if r, ok := territory.Default().Region(com.Region); ok {
				a.Region = r.Name
			}
		}
		l.Addresses = []Address{a}
	}
	if p.AccessibilitySheet != "" {
		l.Accessibility = []Accessibility{{ID: subID(id, "accessibility"), LocationID: id,
			Description: "Fiche Acceslibre : accessibilité du lieu", URL: p.AccessibilitySheet}}
	}
	if p.Telephone != "" {
		l.Phones = []Phone{{ID: subID(id, "phone"), LocationID: id, Number: p.Telephone, Type: "voice"}}
	}
	l.Attributes = attributes(l.Attributes, id, "location", "itinerance", p.Itinerance)
	return l
}

func hasItinerance(p *maillage.Place, v maillage.Itinerance) bool {
	for _, x := range p.Itinerance {
		if x == v {
			return true
		}
	}
	return false
}

// ServiceItemOf returns the service of a place with its one-to-one fields
// only: what a list of services (/services) holds.
func ServiceItemOf(c *maillage.Consolidated) Service {
	p := &c.Place
	s := Service{
		ID: ID(KindService, p.ID), OrganizationID: ID(KindOrganization, p.ID), Name: p.Name,
		Description: cmp.Or(p.Description, p.Summary), Status: "active",
	}
	if len(p.Websites) > 0 {
		s.URL = p.Websites[0]
	}
	s.Email = maillage.FirstPlainEmail(p.Emails)
	s.ApplicationProcess = applicationProcess(p)
	s.FeesDescription = joinValues(p.Fees)
	if len(p.Publics) > 0 {
		s.EligibilityDescription = "Publics spécifiquement adressés : " + joinValues(p.Publics) + "."
	} else {
		s.EligibilityDescription = "Tout public."
	}
	if len(p.SpecificSupport) > 0 {
		s.EligibilityDescription += " Prise en charge spécifique : " + joinValues(p.SpecificSupport) + "."
	}
	var labels []string
	for _, v := range p.NationalPrograms {
		labels = append(labels, string(v))
	}
	for _, v := range p.TrainingsLabels {
		labels = append(labels, string(v))
	}
	labels = append(labels, p.OtherLabels...)
	s.Accreditations = strings.Join(labels, ", ")
	if !p.UpdatedOn.IsZero() {
		s.LastModified = p.UpdatedOn.UTC().Format(time.RFC3339)
	}
	return s
}

// applicationProcess says in French how to reach the place's help.
func applicationProcess(p *maillage.Place) string {
	var parts []string
	if len(p.AccessModes) > 0 {
		parts = append(parts, "Modalités d'accès : "+joinValues(p.AccessModes)+".")
	}
	if len(p.SupportModes) > 0 {
		parts = append(parts, "Accompagnement : "+joinValues(p.SupportModes)+".")
	}
	if p.AppointmentURL != "" {
		parts = append(parts, "Prise de rendez-vous : "+p.AppointmentURL)
	}
	return strings.Join(parts, " ")
}

// ServiceOf returns the full service of a place: its one-to-one fields
// (ServiceItemOf), its organization, phone, schedules, cost options,
// languages, attributes (taxonomy terms of every controlled field) and its
// one service_at_location with the location nested.
func ServiceOf(c *maillage.Consolidated) Service {
	s := ServiceItemOf(c)
	p := &c.Place
	org := OrganizationOf(c)
	s.Organization = &org
	if p.Telephone != "" {
		s.Phones = []Phone{{ID: subID(s.ID, "phone"), ServiceID: s.ID, Number: p.Telephone, Type: "voice"}}
	}
	s.Schedules = schedules(p.OpeningHours, p.INSEECode, scheduleLink{owner: s.ID, serviceID: s.ID})
	for _, f := range p.Fees {
		s.CostOptions = append(s.CostOptions, CostOption{ID: subID(s.ID, "cost:"+Slug(string(f))), ServiceID: s.ID, Option: string(f)})
	}
	s.Languages = languages(p, s.ID)
	s.Attributes = serviceAttributes(p, s.ID)
	sal := serviceAtLocationItem(c)
	loc := LocationOf(c)
	sal.Location = &loc
	s.ServiceAtLocations = []ServiceAtLocation{sal}
	return s
}

func serviceAttributes(p *maillage.Place, id string) []Attribute {
	var a []Attribute
	a = attributes(a, id, "service", "services", p.Services)
	a = attributes(a, id, "service", "publics_specifiquement_adresses", p.Publics)
	a = attributes(a, id, "service", "prise_en_charge_specifique", p.SpecificSupport)
	a = attributes(a, id, "service", "frais_a_charge", p.Fees)
	a = attributes(a, id, "service", "dispositif_programmes_nationaux", p.NationalPrograms)
	a = attributes(a, id, "service", "formations_labels", p.TrainingsLabels)
	a = attributes(a, id, "service", "modalites_acces", p.AccessModes)
	a = attributes(a, id, "service", "modalites_accompagnement", p.SupportModes)
	return a
}

// languages lists the foreign languages the place says it can help in.
// French, the language of every place, is not stated by the national
// schema and not invented here.
func languages(p *maillage.Place, serviceID string) []Language {
	var out []Language
	for _, s := range p.SpecificSupport {
		switch s {
		case maillage.SupportEnglish:
			out = append(out, Language{ID: subID(serviceID, "language:en"), ServiceID: serviceID, Name: "Anglais", Code: "en"})
		case maillage.SupportOtherLanguages:
			out = append(out, Language{ID: subID(serviceID, "language:other"), ServiceID: serviceID,
				Name: "Autres langues étrangères", Note: "Le lieu accompagne dans d'autres langues étrangères, sans préciser lesquelles."})
		}
	}
	return out
}

// serviceAtLocationItem is the one-to-one part of the place's
// service_at_location.
func serviceAtLocationItem(c *maillage.Consolidated) ServiceAtLocation {
	p := &c.Place
	return ServiceAtLocation{ID: ID(KindServiceAtLocation, p.ID), ServiceID: ID(KindService, p.ID),
		LocationID: ID(KindLocation, p.ID), Description: p.Summary}
}

// ServiceAtLocationItemOf returns the place's service_at_location with its
// one-to-one fields only: what a list (/service_at_locations) holds.
func ServiceAtLocationItemOf(c *maillage.Consolidated) ServiceAtLocation {
	return serviceAtLocationItem(c)
}

// ServiceAtLocationOf returns the full service_at_location of a place:
// its phone, schedules, the location and the service (one-to-one fields,
// with its attributes and cost options) nested.
func ServiceAtLocationOf(c *maillage.Consolidated) ServiceAtLocation {
	sal := serviceAtLocationItem(c)
	p := &c.Place
	if p.Telephone != "" {
		sal.Phones = []Phone{{ID: subID(sal.ID, "phone"), ServiceAtLocationID: sal.ID, Number: p.Telephone, Type: "voice"}}
	}
	sal.Schedules = schedules(p.OpeningHours, p.INSEECode, scheduleLink{owner: sal.ID, serviceAtLocationID: sal.ID})
	loc := LocationOf(c)
	sal.Location = &loc
	svc := ServiceItemOf(c)
	for _, f := range p.Fees {
		svc.CostOptions = append(svc.CostOptions, CostOption{ID: subID(svc.ID, "cost:"+Slug(string(f))), ServiceID: svc.ID, Option: string(f)})
	}
	svc.Languages = languages(p, svc.ID)
	svc.Attributes = serviceAttributes(p, svc.ID)
	sal.Service = &svc
	return sal
}

func joinValues[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

func joinSentences(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n\n" + b
}
