// Package hsds maps Maillage's consolidated places to Open Referral's Human
// Services Data Specification 3.0 (HSDS), so that directories speaking
// HSDS can read Maillage. It is pure conversion: the HTTP layer (package
// web) chooses the places, pages and formats.
//
// # API
//
//   - ServiceOf(c) is the full service of a place (/services/{id}),
//     ServiceItemOf(c) its one-to-one fields (items of /services).
//   - ServiceAtLocationOf(c) is the full service_at_location
//     (/service_at_locations/{id}), ServiceAtLocationItemOf(c) a list item.
//   - OrganizationOf(c), LocationOf(c) build those objects alone.
//   - ID(kind, placeID) gives the UUID of an object from the consolidated
//     id: KindService, KindServiceAtLocation, KindLocation,
//     KindOrganization. A handler of /services/{id} finds the place whose
//     ID(KindService, place.ID) is id (keep a map).
//   - Taxonomies() and TaxonomyTerms() list Maillage's taxonomies.
//   - NewInfo(openapiURL) is the body of "/".
//   - NewPage(contents, total, page, perPage) builds a page in the API's
//     shape (total_items, total_pages, page_number, size, first_page,
//     last_page, empty, contents); PageWriter streams one, object by
//     object; NDJSONWriter streams format=ndjson.
//
// # One service per place
//
// Each consolidated place gives one organization, one service, one
// physical location and one service_at_location. The national schema
// describes a place, not separate offers: hours, fees, publics, access
// modes and contacts are the place's, shared by its "services". One HSDS
// service per national service would copy all of that nine times and
// suggest offers that can be booked apart, which the data does not say.
// The national services are instead taxonomy terms on the service, so a
// consumer filters on them (taxonomy_term_id) as it would on services.
//
// # Ids
//
// HSDS wants UUIDs. Ids are name-based UUIDs (version 5) in Maillage's own
// namespace (Namespace) of "kind:consolidated id"; objects that belong to
// another (phones, schedules, addresses, attributes…) hash their owner's
// UUID and what they are. The consolidated id is stable across rebuilds,
// so are these. The location's external_identifier is the consolidated id
// (external_identifier_type "maillage").
//
// # Mapping
//
//	national schema                  HSDS
//	nom                              organization.name, service.name, location.name
//	presentation_resume              organization.description (else presentation_detail),
//	                                 service_at_location.description
//	presentation_detail              service.description (else presentation_resume)
//	pivot (real SIRET/SIREN/RNA/     organization.organization_identifiers (identifier_type
//	  RIDET only)                    "SIRET"…); the placeholder 00000000000000 is dropped
//	structure_parente                a sentence of organization.description (a name, no id)
//	site_web, courriels              the first of each: organization.website/email,
//	                                 service.url/email; an e-mail with accents (not the
//	                                 schema's "email" format, mostly a typing slip) is
//	                                 skipped for the next one
//	telephone                        phones (type "voice") of each object
//	adresse, complement_adresse,     location.addresses[0]: address_1, address_2, postal_code,
//	  code_postal, commune           city; state_province and region are the names of the
//	                                 commune's département and région; country "FR"
//	latitude, longitude              location.latitude/longitude, only when a source gave
//	                                 them (not a commune's centre, which is not the place)
//	fiche_acces_libre                location.accessibility[0].url
//	horaires                         schedules (see below)
//	frais_a_charge                   service.cost_options (option = the schema's wording),
//	                                 fees_description
//	publics_specifiquement_adresses  eligibility_description ("Tout public." when empty)
//	prise_en_charge_specifique       eligibility_description; "Langues étrangères (anglais)"
//	                                 is the language "en", "(autres)" a language without code
//	modalites_acces, _accompagnement application_process, with prise_rdv
//	dispositif_programmes_nationaux, service.accreditations (joined)
//	  formations_labels, autres_formations_labels
//	date_maj                         service.last_modified
//	typologie                        organization attributes (taxonomy "typologie")
//	itinerance                       location attributes; "Itinérant" also says in the
//	                                 location's description that the address is its base
//
// Every controlled field is also given as attributes of the service, each
// with its taxonomy term nested: one taxonomy per field (named by the
// field, e.g. "services"), terms named with the schema's exact wording and
// coded with its Slug ("aide-aux-demarches-administratives"), or with the
// data·inclusion code for the typologie.
//
// # Schedules
//
// When horaires is simple weekly hours (weekdays and times only, possibly
// "PH off"), each distinct slot becomes a schedule with freq "WEEKLY",
// wkst "MO", byday ("MO,TU,TH"), opens_at and closes_at ("09:00",
// "12:30"; "24:00" for midnight) in the local time of the place (notes
// names its IANA zone: HSDS's numeric timezone offset cannot follow
// daylight saving time, so it is not set). The description says the slot
// in French and keeps the original value. Anything else (dates, school
// holidays, comments such as "sur rendez-vous", unknown states, open ends,
// spans past midnight) becomes one schedule whose description is the
// original value: weekly slots would invent or drop hours.
//
// # What is lost
//
// Websites and e-mails after the first; the provenance of each field and
// the source records (see Maillage's own API); the place's Extra columns;
// the precision of coordinates at a commune's centre (omitted). The
// national schema has no status: every service is "active".
package hsds
