package schema

// Field names of the national schema v1.0.2, in the schema's column order.
const (
	FieldID                 = "id"
	FieldPivot              = "pivot"
	FieldName               = "nom"
	FieldCommune            = "commune"
	FieldPostalCode         = "code_postal"
	FieldINSEE              = "code_insee"
	FieldAddress            = "adresse"
	FieldAddressComplement  = "complement_adresse"
	FieldLatitude           = "latitude"
	FieldLongitude          = "longitude"
	FieldTypology           = "typologie"
	FieldTelephone          = "telephone"
	FieldEmails             = "courriels"
	FieldWebsite            = "site_web"
	FieldHours              = "horaires"
	FieldSummary            = "presentation_resume"
	FieldDescription        = "presentation_detail"
	FieldSource             = "source"
	FieldItinerance         = "itinerance"
	FieldParentOrganization = "structure_parente"
	FieldUpdatedOn          = "date_maj"
	FieldServices           = "services"
	FieldPublics            = "publics_specifiquement_adresses"
	FieldSpecificSupport    = "prise_en_charge_specifique"
	FieldFees               = "frais_a_charge"
	FieldNationalPrograms   = "dispositif_programmes_nationaux"
	FieldTrainingsLabels    = "formations_labels"
	FieldOtherLabels        = "autres_formations_labels"
	FieldAccessModes        = "modalites_acces"
	FieldSupportModes       = "modalites_accompagnement"
	FieldAccessibilitySheet = "fiche_acces_libre"
	FieldAppointment        = "prise_rdv"
)

// Columns lists the fields of the national schema v1.0.2 in its column order,
// the order of the CSV files Maillage writes.
var Columns = []string{
	FieldID, FieldPivot, FieldName, FieldCommune, FieldPostalCode, FieldINSEE, FieldAddress,
	FieldAddressComplement, FieldLatitude, FieldLongitude, FieldTypology, FieldTelephone,
	FieldEmails, FieldWebsite, FieldHours, FieldSummary, FieldDescription, FieldSource,
	FieldItinerance, FieldParentOrganization, FieldUpdatedOn, FieldServices, FieldPublics,
	FieldSpecificSupport, FieldFees, FieldNationalPrograms, FieldTrainingsLabels, FieldOtherLabels,
	FieldAccessModes, FieldSupportModes, FieldAccessibilitySheet, FieldAppointment,
}

// Fields of the legacy schema v0.1 that v1 renamed, split or dropped.
const (
	LegacyNationalLabels  = "labels_nationaux"
	LegacyAccessTerms     = "conditions_acces"
	LegacyAccessTermsTypo = "conditions_access" // spelling found in the real CNFS files
	LegacyPublics         = "publics_accueillis"
	LegacyEmail           = "courriel"
	LegacyOtherLabels     = "labels_autres"
	LegacyAccessibility   = "accessibilite"
	LegacyBANKey          = "cle_ban"
)

// SummaryMaxLength is the largest presentation_resume, in characters.
const SummaryMaxLength = 280

// PivotPlaceholder is the value producers write when they do not know the
// SIRET. It is accepted with a warning.
const PivotPlaceholder = "00000000000000"
