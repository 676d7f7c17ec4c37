package maillage

// The controlled vocabularies of the national schema v1.0.2. Each value is the
// exact wire label of the schema; the lists keep the schema's order.

// Service is a kind of help a place offers (field services).
type Service string

// Services of the national schema v1.0.2.
const (
	ServiceAdministrative Service = "Aide aux démarches administratives"
	ServiceEverydayTools  Service = "Maîtrise des outils numériques du quotidien"
	ServiceEmployment     Service = "Insertion professionnelle via le numérique"
	ServiceSafeUse        Service = "Utilisation sécurisée du numérique"
	ServiceParenting      Service = "Parentalité et éducation avec le numérique"
	ServiceLeisure        Service = "Loisirs et créations numériques"
	ServiceUnderstanding  Service = "Compréhension du monde numérique"
	ServiceAccess         Service = "Accès internet et matériel informatique"
	ServiceEquipment      Service = "Acquisition de matériel informatique à prix solidaire"
)

// Services lists every Service in the schema's order.
var Services = []Service{
	ServiceAdministrative, ServiceEverydayTools, ServiceEmployment, ServiceSafeUse,
	ServiceParenting, ServiceLeisure, ServiceUnderstanding, ServiceAccess, ServiceEquipment,
}

// Public is a public a place specifically addresses (field
// publics_specifiquement_adresses). By default a place welcomes everyone.
type Public string

// Publics of the national schema v1.0.2.
const (
	PublicYouth    Public = "Jeunes"
	PublicStudents Public = "Étudiants"
	PublicFamilies Public = "Familles et/ou enfants"
	PublicSeniors  Public = "Seniors"
	PublicWomen    Public = "Femmes"
)

// Publics lists every Public in the schema's order.
var Publics = []Public{PublicYouth, PublicStudents, PublicFamilies, PublicSeniors, PublicWomen}

// SpecificSupport is a particular need a place can support (field
// prise_en_charge_specifique).
type SpecificSupport string

// Specific supports of the national schema v1.0.2.
const (
	SupportDeafness        SpecificSupport = "Surdité"
	SupportMotorDisability SpecificSupport = "Handicaps moteurs"
	SupportMentalDisabilty SpecificSupport = "Handicaps mentaux"
	SupportIlliteracy      SpecificSupport = "Illettrisme"
	SupportEnglish         SpecificSupport = "Langues étrangères (anglais)"
	SupportOtherLanguages  SpecificSupport = "Langues étrangères (autres)"
	SupportVisual          SpecificSupport = "Déficience visuelle"
)

// SpecificSupports lists every SpecificSupport in the schema's order.
var SpecificSupports = []SpecificSupport{
	SupportDeafness, SupportMotorDisability, SupportMentalDisabilty, SupportIlliteracy,
	SupportEnglish, SupportOtherLanguages, SupportVisual,
}

// Fee tells what a person pays (field frais_a_charge).
type Fee string

// Fees of the national schema v1.0.2.
const (
	FeeFree           Fee = "Gratuit"
	FeeFreeUnderTerms Fee = "Gratuit sous condition"
	FeePaid           Fee = "Payant"
)

// Fees lists every Fee in the schema's order.
var Fees = []Fee{FeeFree, FeeFreeUnderTerms, FeePaid}

// NationalProgram is a national scheme or programme the place belongs to
// (field dispositif_programmes_nationaux).
type NationalProgram string

// National programmes of the national schema v1.0.2.
const (
	ProgramAidantsConnect       NationalProgram = "Aidants Connect"
	ProgramReferenceLibraries   NationalProgram = "Bibliothèques numérique de référence"
	ProgramPix                  NationalProgram = "Certification PIX"
	ProgramConseillersNum       NationalProgram = "Conseillers numériques"
	ProgramEmmausConnect        NationalProgram = "Emmaüs Connect"
	ProgramFranceServices       NationalProgram = "France Services"
	ProgramGrandeEcoleNumerique NationalProgram = "Grande école du numérique"
	ProgramCroixRouge           NationalProgram = "La Croix Rouge"
	ProgramCAF                  NationalProgram = "Point d'accès numérique CAF"
	ProgramPromeneursDuNet      NationalProgram = "Promeneurs du net"
	ProgramRelaisEmmaus         NationalProgram = "Relais numérique (Emmaüs Connect)"
)

// NationalPrograms lists every NationalProgram in the schema's order.
var NationalPrograms = []NationalProgram{
	ProgramAidantsConnect, ProgramReferenceLibraries, ProgramPix, ProgramConseillersNum,
	ProgramEmmausConnect, ProgramFranceServices, ProgramGrandeEcoleNumerique, ProgramCroixRouge,
	ProgramCAF, ProgramPromeneursDuNet, ProgramRelaisEmmaus,
}

// TrainingLabel is a training or label the place obtained (field
// formations_labels).
type TrainingLabel string

// Trainings and labels of the national schema v1.0.2.
const (
	LabelMonEspaceSante      TrainingLabel = "Formé à « Mon Espace Santé »"
	LabelDuplex              TrainingLabel = "Formé à « DUPLEX » (illettrisme)"
	LabelArnia               TrainingLabel = "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
	LabelReemploiNormandie   TrainingLabel = "Collectif ressources et acteurs réemploi (Normandie)"
	LabelEtapesNumeriques    TrainingLabel = "Étapes numériques(La Poste)"
	LabelFabriquesTerritoire TrainingLabel = "Fabriques de Territoire"
	LabelEclaireurs          TrainingLabel = "Les Éclaireurs du numérique (Drôme)"
	LabelMesPapiers          TrainingLabel = "Mes Papiers (Métropole de Lyon)"
	LabelOrdi30              TrainingLabel = "ORDI 3.0"
	LabelSudLabs             TrainingLabel = "SUD LABS (PACA)"
)

// TrainingsLabels lists every TrainingLabel in the schema's order.
var TrainingsLabels = []TrainingLabel{
	LabelMonEspaceSante, LabelDuplex, LabelArnia, LabelReemploiNormandie, LabelEtapesNumeriques,
	LabelFabriquesTerritoire, LabelEclaireurs, LabelMesPapiers, LabelOrdi30, LabelSudLabs,
}

// AccessMode says how to reach the place's help (field modalites_acces).
type AccessMode string

// Access modes of the national schema v1.0.2.
const (
	AccessWalkIn        AccessMode = "Se présenter"
	AccessPhone         AccessMode = "Téléphoner"
	AccessEmail         AccessMode = "Contacter par mail"
	AccessOnlineBooking AccessMode = "Prendre un RDV en ligne"
	AccessNoPublic      AccessMode = "Ce lieu n'accueille pas de public"
	AccessReferral      AccessMode = "Envoyer un mail avec une fiche de prescription"
)

// AccessModes lists every AccessMode in the schema's order.
var AccessModes = []AccessMode{
	AccessWalkIn, AccessPhone, AccessEmail, AccessOnlineBooking, AccessNoPublic, AccessReferral,
}

// SupportMode is a way the place accompanies people (field
// modalites_accompagnement).
type SupportMode string

// Support modes of the national schema v1.0.2.
const (
	SupportAutonomous SupportMode = "En autonomie"
	SupportIndividual SupportMode = "Accompagnement individuel"
	SupportWorkshop   SupportMode = "Dans un atelier collectif"
	SupportRemote     SupportMode = "À distance"
)

// SupportModes lists every SupportMode in the schema's order.
var SupportModes = []SupportMode{SupportAutonomous, SupportIndividual, SupportWorkshop, SupportRemote}

// Itinerance says whether the place moves (a bus, a caravan) or not (field
// itinerance).
type Itinerance string

// Itinerance values of the national schema v1.0.2.
const (
	Itinerant Itinerance = "Itinérant"
	Fixed     Itinerance = "Fixe"
)

// Itinerances lists every Itinerance in the schema's order.
var Itinerances = []Itinerance{Itinerant, Fixed}

// Typology is a kind of structure (field typologie), one of the codes of
// data·inclusion's "typologies de structures" (Licence Ouverte 2.0).
type Typology string

// TypologyInfo gives a typology code and its French label.
type TypologyInfo struct {
	Code  Typology
	Label string
}

// Typologies lists the typology codes of data·inclusion's schema v1
// (schemas/v1/extra/typologies-de-structures.json), plus PE, the code of
// Pôle emploi in v0 kept because real files still use it.
var Typologies = []TypologyInfo{
	{"ACI", "Structures porteuses d’ateliers et chantiers d’insertion (ACI)"},
	{"ACIPHC", "SIAE — Atelier chantier d’insertion premières heures en chantier"},
	{"AFPA", "Agence nationale pour la formation professionnelle des adultes (AFPA)"},
	{"AI", "Associations intermédiaires (AI)"},
	{"ASE", "Aide sociale à l’enfance (ASE)"},
	{"ASSO", "Associations"},
	{"ASSO_CHOMEUR", "Associations de chômeurs"},
	{"AVIP", "Crèche À Vocation d’Insertion Professionnelle (AVIP)"},
	{"Autre", "Autre"},
	{"BIB", "Bibliothèque / Médiathèque"},
	{"CAARUD", "Centre d’accueil et d’accompagnement à la réduction de risques pour usagers de drogues (CAARUD)"},
	{"CADA", "Centres d’accueil de demandeurs d’asile (CADA)"},
	{"CAF", "Caisses d’allocation familiale (CAF)"},
	{"CAP_EMPLOI", "Cap Emploi"},
	{"CAVA", "Centres d’adaptation à la vie active (CAVA)"},
	{"CC", "Communautés de communes"},
	{"CCAS", "Centres communaux d’action sociale (CCAS)"},
	{"CCONS", "Chambres consulaires (CCI, CMA, CA)"},
	{"CD", "Conseils départementaux (CD)"},
	{"CDAS", "Centre départemental d’action sociale (CDAS)"},
	{"CFP", "Centre des finances publiques (CFP)"},
	{"CHRS", "Centres d’hébergement et de réinsertion sociale (CHRS)"},
	{"CHU", "Centres d’hébergement d’urgence (CHU)"},
	{"CIAS", "Centres intercommunaux d’action sociale (CIAS)"},
	{"CIDFF", "Centres d’information sur les droits des femmes et des familles (CIDFF)"},
	{"CITMET", "Cité des métiers"},
	{"CMP", "Centre médico-psychologique (CMP)"},
	{"CMS", "Centre médico-social (CMS)"},
	{"CPAM", "Caisse primaire d’assurance maladie (CPAM)"},
	{"CPH", "Centres provisoires d’hébergement (CPH)"},
	{"CS", "Centre social"},
	{"CSAPA", "Centre de soins, d’accompagnement et de prévention en addictologie (CSAPA)"},
	{"CSC", "Centre socio-culturel (CSC)"},
	{"DEETS", "Directions de l’économie, de l’emploi, du travail et des solidarités (DEETS)"},
	{"DEPT", "Services sociaux du conseil départemental"},
	{"DIPLP", "Délégation interministérielle à la prévention et à la lutte contre la pauvreté"},
	{"E2C", "École de la deuxième chance (E2C)"},
	{"EA", "Entreprise adaptée (EA)"},
	{"EATT", "Entreprise adaptée de travail temporaire (EATT)"},
	{"EI", "Entreprises d’insertion (EI)"},
	{"EITI", "Entreprises d’insertion par le travail indépendant (EITI)"},
	{"ENM", "Espace numérique mobile (ENM)"},
	{"EPCI", "Intercommunalité (EPCI)"},
	{"EPI", "Espace public internet (EPI)"},
	{"EPIDE", "Établissement pour l’insertion dans l’emploi (EPIDE)"},
	{"EPN", "Espace public numérique (EPN)"},
	{"ES", "Épicerie solidaire"},
	{"ESS", "Entreprise de l’économie sociale et solidaire"},
	{"ETABL_PRI", "Établissement privé"},
	{"ETABL_PUB", "Établissement public"},
	{"ETAT", "Service de l’État"},
	{"ETTI", "Entreprises de travail temporaire d’insertion (ETTI)"},
	{"EVS", "Espace de vie sociale (EVS)"},
	{"FABLAB", "Fablab / atelier partagé"},
	{"FAIS", "Fédérations d’acteurs de l’insertion et de la solidarité"},
	{"FT", "France Travail"},
	{"GEIQ", "Groupements d’employeurs pour l’insertion et la qualification (GEIQ)"},
	{"HUDA", "Hébergement d’urgence pour demandeurs d’asile (HUDA)"},
	{"LA_POSTE", "Bureau de poste / agence postale"},
	{"MDE", "Maison de l’emploi"},
	{"MDEF", "Maison de l’emploi et de la formation"},
	{"MDPH", "Maison départementale des personnes handicapées"},
	{"MDS", "Maison départementale des solidarités"},
	{"MJC", "Maison des jeunes et de la culture"},
	{"ML", "Mission locale"},
	{"MQ", "Maison de quartier"},
	{"MSA", "Mutualité sociale agricole"},
	{"MSAP", "Maison de services au public (MSAP)"},
	{"MUNI", "Municipalités"},
	{"OACAS", "Organisme d’accueil communautaire et d’activité solidaire (OACAS)"},
	{"ODC", "Organisation délégataire d’un conseil départemental"},
	{"OF", "Organisme de formation"},
	{"OIL", "Opérateur d’intermédiation locative"},
	{"OPCS", "Organisation porteuse de la clause sociale"},
	{"PAD", "Point d’accès au droit"},
	{"PE", "Pôle emploi (ancien code, devenu FT)"},
	{"PENSION", "Pension de famille / résidence accueil"},
	{"PI", "Point information (PI)"},
	{"PIJ_BIJ", "Points et bureaux information jeunesse (PIJ/BIJ)"},
	{"PIMMS", "Point information médiation multi services (PIMMS)"},
	{"PJJ", "Protection judiciaire de la jeunesse (PJJ)"},
	{"PLIE", "Plans locaux pour l’insertion et l’emploi (PLIE)"},
	{"PREF", "Préfecture, sous-préfecture"},
	{"PREVENTION", "Service ou club de prévention"},
	{"REG", "Région"},
	{"RESSOURCERIE", "Ressourcerie"},
	{"RFS", "Réseau France Services"},
	{"RS_FJT", "Résidence sociale / foyer de jeunes travailleurs (FJT)"},
	{"SCP", "Services et clubs de prévention"},
	{"SPIP", "Services pénitentiaires d’insertion et de probation (SPIP)"},
	{"TIERS_LIEUX", "Tiers-lieu et coworking"},
	{"UDAF", "Union départementale des associations familiales (UDAF)"},
}
