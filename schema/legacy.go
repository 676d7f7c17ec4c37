package schema

import "maillage/fold"

// LegacyMapping says where one value of the legacy schema v0.1 goes in v1.
// It is the one table the decoder follows; docs/schema-v0.1.md prints it for
// people, and a test keeps both in step.
type LegacyMapping struct {
	OldField string // v0.1 field
	OldValue string // v0.1 value (the long form, as the v0.1 schema spells it)
	NewField string // v1 field the value goes to
	NewValue string // v1 value; for autres_formations_labels, the text kept
	// Note is set when the value has no exact v1 equivalent: the row then
	// gets a warning that says so, in French.
	Note string
}

// LegacyMappings is the v0.1 → v1 table.
var LegacyMappings = []LegacyMapping{
	// services: the 15 old services condensed into 9.
	{"services", "Devenir autonome dans les démarches administratives", FieldServices, "Aide aux démarches administratives", ""},
	{"services", "Réaliser des démarches administratives avec un accompagnement", FieldServices, "Aide aux démarches administratives", ""},
	{"services", "Accompagner les démarches de santé", FieldServices, "Aide aux démarches administratives", ""},
	{"services", "Prendre en main un smartphone ou une tablette", FieldServices, "Maîtrise des outils numériques du quotidien", ""},
	{"services", "Prendre en main un ordinateur", FieldServices, "Maîtrise des outils numériques du quotidien", ""},
	{"services", "Utiliser le numérique au quotidien", FieldServices, "Maîtrise des outils numériques du quotidien", ""},
	{"services", "Approfondir ma culture numérique", FieldServices, "Compréhension du monde numérique", ""},
	{"services", "Promouvoir la citoyenneté numérique", FieldServices, "Compréhension du monde numérique", ""},
	{"services", "Favoriser mon insertion professionnelle", FieldServices, "Insertion professionnelle via le numérique", ""},
	{"services", "Créer et développer mon entreprise", FieldServices, "Insertion professionnelle via le numérique", ""},
	{"services", "Créer avec le numérique", FieldServices, "Loisirs et créations numériques", ""},
	{"services", "Soutenir la parentalité et l'éducation avec le numérique", FieldServices, "Parentalité et éducation avec le numérique", ""},
	{"services", "Accéder à une connexion internet", FieldServices, "Accès internet et matériel informatique", ""},
	{"services", "Accéder à du matériel", FieldServices, "Accès internet et matériel informatique", ""},
	{"services", "S'équiper en matériel informatique", FieldServices, "Acquisition de matériel informatique à prix solidaire", ""},

	// labels_nationaux: split into programmes and labels.
	{LegacyNationalLabels, "France Services", FieldNationalPrograms, "France Services", ""},
	{LegacyNationalLabels, "CNFS", FieldNationalPrograms, "Conseillers numériques", ""},
	{LegacyNationalLabels, "Aidants Connect", FieldNationalPrograms, "Aidants Connect", ""},
	{LegacyNationalLabels, "Grandes écoles du numérique", FieldNationalPrograms, "Grande école du numérique", ""},
	{LegacyNationalLabels, "Grande école du numérique", FieldNationalPrograms, "Grande école du numérique", ""},
	{LegacyNationalLabels, "Point relais CAF", FieldNationalPrograms, "Point d'accès numérique CAF", ""},
	{LegacyNationalLabels, "Point numérique CAF", FieldNationalPrograms, "Point d'accès numérique CAF", ""},
	{LegacyNationalLabels, "Fabriques de Territoire", FieldTrainingsLabels, "Fabriques de Territoire", ""},
	{LegacyNationalLabels, "APTIC", FieldOtherLabels, "APTIC", "le label APTIC n'existe plus en v1 : conservé dans autres_formations_labels"},
	{LegacyNationalLabels, "Relais pôle emploi", FieldOtherLabels, "Relais pôle emploi", "le label « Relais pôle emploi » n'existe plus en v1 : conservé dans autres_formations_labels"},
	{LegacyNationalLabels, "French Tech", FieldOtherLabels, "French Tech", "le label « French Tech » n'existe plus en v1 : conservé dans autres_formations_labels"},
	{LegacyNationalLabels, "Campus connecté", FieldOtherLabels, "Campus connecté", "le label « Campus connecté » n'existe plus en v1 : conservé dans autres_formations_labels"},

	// conditions_acces → frais_a_charge (short values).
	{LegacyAccessTerms, "Gratuit : Je peux accéder gratuitement au lieu et à ses services", FieldFees, "Gratuit", ""},
	{LegacyAccessTerms, "Gratuit sous condition : La gratuité est conditionnée à des critères (situation familiale, convention avec un organisme social...)", FieldFees, "Gratuit sous condition", ""},
	{LegacyAccessTerms, "Payant : L'accès au lieu et/ou à ses services est payant", FieldFees, "Payant", ""},
	{LegacyAccessTerms, "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer", FieldFees, "Payant", "« Adhésion » n'existe plus en v1 : compté comme « Payant » (l'adhésion est un coût)"},
	{LegacyAccessTerms, "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu", FieldOtherLabels, "Pass numérique", "« Accepte le Pass numérique » n'existe plus en v1 : conservé comme « Pass numérique » dans autres_formations_labels"},
	{LegacyAccessTerms, "Gratuit", FieldFees, "Gratuit", ""},
	{LegacyAccessTerms, "Gratuit sous condition", FieldFees, "Gratuit sous condition", ""},
	{LegacyAccessTerms, "Payant", FieldFees, "Payant", ""},
	{LegacyAccessTerms, "Adhésion", FieldFees, "Payant", "« Adhésion » n'existe plus en v1 : compté comme « Payant » (l'adhésion est un coût)"},
	{LegacyAccessTerms, "Accepte le Pass numérique", FieldOtherLabels, "Pass numérique", "« Accepte le Pass numérique » n'existe plus en v1 : conservé comme « Pass numérique » dans autres_formations_labels"},

	// publics_accueillis: split into publics and specific support.
	{LegacyPublics, "Seniors (+ 65 ans)", FieldPublics, "Seniors", ""},
	{LegacyPublics, "Familles/enfants", FieldPublics, "Familles et/ou enfants", ""},
	{LegacyPublics, "Jeunes (16-26 ans)", FieldPublics, "Jeunes", ""},
	{LegacyPublics, "Uniquement femmes", FieldPublics, "Femmes", ""},
	{LegacyPublics, "Adultes", FieldPublics, "", "« Adultes » n'existe plus en v1 : un lieu accueille tout public par défaut, la valeur n'est pas reprise"},
	{LegacyPublics, "Public langues étrangères", FieldSpecificSupport, "Langues étrangères (autres)", "« Public langues étrangères » ne dit pas quelles langues : repris comme « Langues étrangères (autres) »"},
	{LegacyPublics, "Déficience visuelle", FieldSpecificSupport, "Déficience visuelle", ""},
	{LegacyPublics, "Surdité", FieldSpecificSupport, "Surdité", ""},
	{LegacyPublics, "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales", FieldSpecificSupport, "Handicaps mentaux", ""},
	{LegacyPublics, "Handicaps mentaux : déficiences limitant les activités d'une personne", FieldSpecificSupport, "Handicaps mentaux", ""},
	{LegacyPublics, "Personnes en situation d'illettrisme", FieldSpecificSupport, "Illettrisme", ""},

	// modalites_accompagnement: same field, reworded values.
	{"modalites_accompagnement", "Seul : j'ai accès à du matériel et une connexion", FieldSupportModes, "En autonomie", ""},
	{"modalites_accompagnement", "Avec de l'aide : je suis accompagné seul dans l'usage du numérique", FieldSupportModes, "Accompagnement individuel", ""},
	{"modalites_accompagnement", "Dans un atelier : j'apprends collectivement à utiliser le numérique", FieldSupportModes, "Dans un atelier collectif", ""},
	{"modalites_accompagnement", "A ma place : une personne habilitée fait les démarches à ma place", FieldSupportModes, "Accompagnement individuel", "« A ma place » (faire à la place de la personne) n'existe plus en v1 : repris comme « Accompagnement individuel »"},
}

// legacyIndex finds the mapping of a legacy value of one v0.1 field, by
// folded value, and also by the short form before " : " of long values.
var legacyIndex = buildLegacyIndex()

type legacyKey struct{ field, value string }

func buildLegacyIndex() map[legacyKey]*LegacyMapping {
	idx := make(map[legacyKey]*LegacyMapping)
	for i := range LegacyMappings {
		m := &LegacyMappings[i]
		idx[legacyKey{m.OldField, fold.Key(m.OldValue)}] = m
	}
	// Short forms ("Seul", "Avec de l'aide", "Seniors") of long values.
	for i := range LegacyMappings {
		m := &LegacyMappings[i]
		short := shortForm(m.OldValue)
		k := legacyKey{m.OldField, fold.Key(short)}
		if _, taken := idx[k]; !taken && short != m.OldValue {
			idx[k] = m
		}
	}
	return idx
}

// shortForm cuts a long v0.1 value at " : " or " (": "Seul : j'ai accès…" →
// "Seul"; "Seniors (+ 65 ans)" → "Seniors".
func shortForm(s string) string {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == ' ' && (s[i+1] == ':' || s[i+1] == '(') {
			return s[:i]
		}
	}
	return s
}

// lookupLegacy finds the v1 destination of a value read in a v0.1 field.
func lookupLegacy(oldField, value string) (*LegacyMapping, bool) {
	m, ok := legacyIndex[legacyKey{oldField, fold.Key(value)}]
	return m, ok
}
