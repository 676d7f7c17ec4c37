package datainclusion

import "maillage"

// The mapping tables from the national schema's vocabularies to
// data·inclusion's (schemas/v1/extra/*.json). Tests check that every
// national value is mapped where the package comment says so and that
// every value emitted is in data·inclusion's lists.

// Thematiques maps each national service to data·inclusion thematiques.
var Thematiques = map[maillage.Service][]string{
	maillage.ServiceAdministrative: {
		"numerique--acceder-a-des-services-en-ligne",
		"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
	},
	maillage.ServiceEverydayTools: {"numerique--maitriser-les-fondamentaux-du-numerique"},
	maillage.ServiceEmployment: {
		"numerique--maitriser-les-fondamentaux-du-numerique",
		"preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
	},
	maillage.ServiceSafeUse:       {"numerique--maitriser-les-fondamentaux-du-numerique"},
	maillage.ServiceParenting:     {"famille--soutien-a-la-parentalite-et-a-leducation"},
	maillage.ServiceLeisure:       {"remobilisation--activites-sportives-et-culturelles"},
	maillage.ServiceUnderstanding: {"numerique--maitriser-les-fondamentaux-du-numerique"},
	maillage.ServiceAccess:        {"numerique--acceder-a-une-connexion-internet"},
	maillage.ServiceEquipment:     {"numerique--acquerir-un-equipement"},
}

// materialServices are the national services whose data·inclusion type is
// "aide-materielle" (access to equipment), whatever the support modes.
var materialServices = map[maillage.Service]bool{
	maillage.ServiceAccess:    true,
	maillage.ServiceEquipment: true,
}

// Publics maps the national publics_specifiquement_adresses to
// data·inclusion publics. A place without any is for everyone:
// "tous-publics".
var Publics = map[maillage.Public]string{
	maillage.PublicYouth:    "jeunes",
	maillage.PublicStudents: "etudiants",
	maillage.PublicFamilies: "familles",
	maillage.PublicSeniors:  "seniors",
	maillage.PublicWomen:    "femmes",
}

// ModesMobilisation maps the national modalites_acces to data·inclusion
// modes de mobilisation. "Prendre un RDV en ligne" maps to
// "utiliser-lien-mobilisation" only when the place gives its booking link
// (prise_rdv); "Ce lieu n'accueille pas de public" maps to none.
var ModesMobilisation = map[maillage.AccessMode]string{
	maillage.AccessWalkIn:        "se-presenter",
	maillage.AccessPhone:         "telephoner",
	maillage.AccessEmail:         "envoyer-un-courriel",
	maillage.AccessOnlineBooking: "utiliser-lien-mobilisation",
	maillage.AccessReferral:      "envoyer-un-courriel",
}

// ReseauxPorteursOfTypology maps structure typologies (data·inclusion's
// own codes, used by the national schema) to data·inclusion v1 réseaux
// porteurs, where a typology is a network. Typologies that name a kind of
// structure without a network (BIB, CS, ASSO, TIERS_LIEUX…) have none.
var ReseauxPorteursOfTypology = map[maillage.Typology]string{
	"ACI": "aci", "AFPA": "afpa", "AI": "ai", "ASE": "ase", "AVIP": "creches-avip",
	"CAARUD": "caarud", "CADA": "cada", "CAF": "caf", "CAP_EMPLOI": "cap-emploi-reseau-cheops",
	"CAVA": "cava", "CC": "communes", "CCAS": "ccas-cias", "CIAS": "ccas-cias",
	"CCONS": "chambres-consulaires", "CD": "departements", "CDAS": "departements",
	"DEPT": "departements", "CHRS": "chrs", "CHU": "chu", "CIDFF": "cidff", "CMP": "cmp",
	"CMS": "cms", "CPAM": "cpam", "CPH": "cph", "CSAPA": "csapa", "E2C": "ecoles-de-la-deuxieme-chance",
	"EA": "ea", "EATT": "eatt", "EI": "ei", "EITI": "eiti", "EPCI": "communes", "EPIDE": "epide",
	"EPN": "espaces-publics-numeriques", "ETTI": "etti", "FT": "france-travail", "PE": "france-travail",
	"GEIQ": "geiq", "HUDA": "huda", "LA_POSTE": "la-poste", "MDE": "maisons-de-l-emploi",
	"MDEF": "maisons-de-l-emploi", "MDPH": "mdph", "MDS": "maisons-des-solidarites", "MJC": "mjc",
	"ML": "mission-locale", "MSA": "mutualite-sociale-agricole", "MSAP": "msap", "MUNI": "communes",
	"ODC": "delegataire-conseil-departemental", "PAD": "points-justice", "PIJ_BIJ": "reseau-information-jeunesse",
	"PIMMS": "pimms-mediation", "PJJ": "pjj", "PLIE": "plie", "PREF": "regions", "REG": "regions",
	"RESSOURCERIE": "ressourceries", "RFS": "france-service", "RS_FJT": "residences-fjt",
	"SPIP": "spip", "UDAF": "unaf",
}

// ReseauxPorteursOfProgram maps national programmes
// (dispositif_programmes_nationaux) to réseaux porteurs. Certification
// PIX, Bibliothèques numérique de référence, Promeneurs du net and Point
// d'accès numérique CAF (a partner of the CAF, not a CAF) have none.
var ReseauxPorteursOfProgram = map[maillage.NationalProgram]string{
	maillage.ProgramAidantsConnect:       "aidants-connect",
	maillage.ProgramConseillersNum:       "conseillers-numeriques",
	maillage.ProgramEmmausConnect:        "emmaus",
	maillage.ProgramRelaisEmmaus:         "emmaus",
	maillage.ProgramFranceServices:       "france-service",
	maillage.ProgramGrandeEcoleNumerique: "grandes-ecoles-du-numerique",
	maillage.ProgramCroixRouge:           "croix-rouge",
}

// ReseauxPorteursOfLabel maps formations_labels to réseaux porteurs.
var ReseauxPorteursOfLabel = map[maillage.TrainingLabel]string{
	maillage.LabelFabriquesTerritoire: "fabrique-de-territoire",
}
