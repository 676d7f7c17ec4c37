package schema

// Codes of findings. They are stable: tools may rely on them.
const (
	CodeRequired           = "champ_obligatoire"               // a required field is empty
	CodeUnknownValue       = "valeur_inconnue"                 // not a value of the controlled vocabulary
	CodeValueCorrected     = "valeur_corrigee"                 // matched a vocabulary value up to case/accents/spaces
	CodeLegacyNoEquivalent = "ancienne_valeur_sans_equivalent" // a v0.1 value with no v1 equivalent, kept elsewhere
	CodeLegacyDropped      = "ancien_champ_non_repris"         // a v0.1 field that v1 no longer has
	CodePattern            = "format_invalide"                 // the value does not have the expected form
	CodeTooLong            = "trop_long"                       // longer than the schema allows
	CodeInseeUnknown       = "code_insee_inconnu"              // no commune has this INSEE code
	CodeInseeFilled        = "code_insee_complete"             // the INSEE code was found from postal code and name
	CodeCommuneNotFound    = "commune_introuvable"             // neither INSEE code nor postal code + name resolve
	CodePostalMismatch     = "code_postal_incoherent"          // the postal code does not serve the commune
	CodePostalRepaired     = "code_postal_corrige"             // a leading zero was restored
	CodeCoordsMissing      = "coordonnees_absentes"
	CodeCoordsInvalid      = "coordonnees_invalides" // not numbers, or out of range
	CodeCoordsOutside      = "coordonnees_hors_france"
	CodeCoordsSwapped      = "coordonnees_inversees"
	CodeCoordsFar          = "coordonnees_loin_commune"
	CodePivotInvalid       = "pivot_invalide"
	CodePivotPlaceholder   = "pivot_attente" // 00000000000000
	CodePhoneInvalid       = "telephone_invalide"
	CodePhoneNormalised    = "telephone_normalise"
	CodeEmailInvalid       = "courriel_invalide"
	CodeURLInvalid         = "url_invalide"
	CodeURLRepaired        = "url_corrigee"
	CodeDateInvalid        = "date_invalide"
	CodeDateFuture         = "date_future"
	CodeDatePlaceholder    = "date_epoch" // 1970-01-01 and its neighbours
	CodeDuplicateID        = "id_en_double"
	CodeHoursInvalid       = "horaires_invalides"
	CodeHoursRepaired      = "horaires_corriges"
	CodeSummaryMoved       = "resume_tronque" // resume over 280 characters: shortened, full text kept in the detail
)
