package web

import (
	"fmt"
	"strings"
	"time"

	"maillage"
)

// choice is one value of a filter of the public pages: the short word in
// the URL, the value of the national schema it stands for, and the plain
// French a person reads.
type choice struct {
	Slug  string // in the URL: "demarches"
	Value string // in the schema: "Aide aux démarches administratives"
	Label string // on the page: "Faire mes démarches en ligne"
	Short string // in a list of results (Label when empty)
}

// ShortLabel is the label for lists.
func (c choice) ShortLabel() string {
	if c.Short != "" {
		return c.Short
	}
	return c.Label
}

// filterGroup is a filter of the search: its URL parameter, the schema
// field it narrows and its choices.
type filterGroup struct {
	Param   string // URL parameter: "services"
	Field   string // schema field: "services"
	Legend  string // what the fieldset asks
	Choices []choice
}

// find returns the choice with this slug.
func (g *filterGroup) find(slug string) (choice, bool) {
	for _, c := range g.Choices {
		if c.Slug == slug {
			return c, true
		}
	}
	return choice{}, false
}

// byValue returns the choice of a schema value.
func (g *filterGroup) byValue(value string) (choice, bool) {
	for _, c := range g.Choices {
		if c.Value == value {
			return c, true
		}
	}
	return choice{}, false
}

// The nine services of the schema, in the words of the people who need them.
var serviceGroup = filterGroup{
	Param: "services", Field: "services", Legend: "J'ai besoin d'aide pour…",
	Choices: []choice{
		{"demarches", string(maillage.ServiceAdministrative), "Faire mes démarches en ligne (CAF, impôts, retraite, santé…)", "Démarches en ligne"},
		{"outils", string(maillage.ServiceEverydayTools), "Apprendre à me servir d'un téléphone, d'une tablette ou d'un ordinateur", "Apprendre à se servir d'un appareil"},
		{"emploi", string(maillage.ServiceEmployment), "Chercher un emploi ou une formation avec internet", "Emploi et formation"},
		{"securite", string(maillage.ServiceSafeUse), "Me protéger des arnaques et protéger mes informations", "Se protéger en ligne"},
		{"parents", string(maillage.ServiceParenting), "Accompagner mes enfants avec les écrans", "Parents et écrans"},
		{"loisirs", string(maillage.ServiceLeisure), "Créer, jouer, partager des photos et des vidéos", "Loisirs et création"},
		{"comprendre", string(maillage.ServiceUnderstanding), "Comprendre le numérique et l'actualité d'internet", "Comprendre le numérique"},
		{"acces", string(maillage.ServiceAccess), "Utiliser un ordinateur, une imprimante ou internet sur place", "Ordinateur et internet sur place"},
		{"materiel", string(maillage.ServiceEquipment), "Acheter un ordinateur ou un téléphone à petit prix", "Matériel à petit prix"},
	},
}

var publicGroup = filterGroup{
	Param: "public", Field: "publics_specifiquement_adresses", Legend: "Un accueil pensé pour…",
	Choices: []choice{
		{"jeunes", string(maillage.PublicYouth), "Les jeunes", ""},
		{"etudiants", string(maillage.PublicStudents), "Les étudiants", ""},
		{"familles", string(maillage.PublicFamilies), "Les familles et les enfants", ""},
		{"seniors", string(maillage.PublicSeniors), "Les personnes âgées", ""},
		{"femmes", string(maillage.PublicWomen), "Les femmes", ""},
	},
}

var supportGroup = filterGroup{
	Param: "aide", Field: "prise_en_charge_specifique", Legend: "Une aide adaptée à…",
	Choices: []choice{
		{"surdite", string(maillage.SupportDeafness), "Une personne sourde ou malentendante", "Surdité"},
		{"moteur", string(maillage.SupportMotorDisability), "Un handicap moteur (fauteuil roulant…)", "Handicap moteur"},
		{"mental", string(maillage.SupportMentalDisabilty), "Un handicap mental", "Handicap mental"},
		{"visuel", string(maillage.SupportVisual), "Une personne aveugle ou malvoyante", "Déficience visuelle"},
		{"lecture", string(maillage.SupportIlliteracy), "Une personne qui lit ou écrit difficilement", "Difficultés à lire"},
		{"anglais", string(maillage.SupportEnglish), "Une personne qui parle anglais", "Anglais"},
		{"langues", string(maillage.SupportOtherLanguages), "Une personne qui parle une autre langue", "Autres langues"},
	},
}

var accessGroup = filterGroup{
	Param: "acces", Field: "modalites_acces", Legend: "Comment venir",
	Choices: []choice{
		{"sans-rdv", string(maillage.AccessWalkIn), "Venir sans rendez-vous", ""},
		{"telephone", string(maillage.AccessPhone), "Téléphoner avant de venir", ""},
		{"courriel", string(maillage.AccessEmail), "Écrire un courriel", ""},
		{"rdv-en-ligne", string(maillage.AccessOnlineBooking), "Prendre rendez-vous sur internet", ""},
		{"prescription", string(maillage.AccessReferral), "Être envoyé par un professionnel (fiche de prescription)", ""},
	},
}

var modeGroup = filterGroup{
	Param: "accompagnement", Field: "modalites_accompagnement", Legend: "Comment être aidé",
	Choices: []choice{
		{"seul", string(maillage.SupportAutonomous), "Seul, avec du matériel à disposition", "En autonomie"},
		{"individuel", string(maillage.SupportIndividual), "Avec une personne rien que pour moi", "Aide individuelle"},
		{"atelier", string(maillage.SupportWorkshop), "En atelier, avec d'autres personnes", "Atelier collectif"},
		{"distance", string(maillage.SupportRemote), "À distance (téléphone, visio)", "À distance"},
	},
}

var labelGroup = filterGroup{
	Param: "labels", Field: "dispositif_programmes_nationaux", Legend: "Labels et réseaux",
	Choices: []choice{
		{"france-services", string(maillage.ProgramFranceServices), "France Services", ""},
		{"conseillers-numeriques", string(maillage.ProgramConseillersNum), "Conseillers numériques", ""},
		{"aidants-connect", string(maillage.ProgramAidantsConnect), "Aidants Connect (démarches faites pour vous, en sécurité)", "Aidants Connect"},
		{"caf", string(maillage.ProgramCAF), "Point d'accès numérique CAF", ""},
		{"emmaus-connect", string(maillage.ProgramEmmausConnect), "Emmaüs Connect", ""},
		{"relais-emmaus", string(maillage.ProgramRelaisEmmaus), "Relais numérique Emmaüs Connect", ""},
		{"croix-rouge", string(maillage.ProgramCroixRouge), "La Croix-Rouge", ""},
		{"bibliotheques", string(maillage.ProgramReferenceLibraries), "Bibliothèque numérique de référence", ""},
		{"pix", string(maillage.ProgramPix), "Certification Pix", ""},
		{"promeneurs-du-net", string(maillage.ProgramPromeneursDuNet), "Promeneurs du net", ""},
		{"grande-ecole-du-numerique", string(maillage.ProgramGrandeEcoleNumerique), "Grande école du numérique", ""},
	},
}

// filterGroups are the filters of the search page, in the order shown
// (services first, then the other filters).
var filterGroups = []*filterGroup{&serviceGroup, &publicGroup, &supportGroup, &accessGroup, &modeGroup, &labelGroup}

// feeWords says in words what a place costs.
func feeWords(fees []maillage.Fee) string {
	var parts []string
	for _, f := range fees {
		switch f {
		case maillage.FeeFree:
			parts = append(parts, "Gratuit")
		case maillage.FeeFreeUnderTerms:
			parts = append(parts, "Gratuit sous conditions")
		case maillage.FeePaid:
			parts = append(parts, "Payant")
		}
	}
	if len(parts) == 0 {
		return "Prix non précisé"
	}
	if len(parts) == 3 {
		return "Gratuit ou payant selon l'aide"
	}
	return strings.Join(parts, " ou ")
}

// accessWords says how to reach a place's help, one sentence per mode.
func accessWords(m maillage.AccessMode) string {
	switch m {
	case maillage.AccessWalkIn:
		return "Vous pouvez venir sans rendez-vous pendant les horaires d'ouverture."
	case maillage.AccessPhone:
		return "Téléphonez avant de venir."
	case maillage.AccessEmail:
		return "Vous pouvez écrire un courriel."
	case maillage.AccessOnlineBooking:
		return "Vous pouvez prendre rendez-vous sur internet."
	case maillage.AccessNoPublic:
		return "Ce lieu ne reçoit pas de public."
	case maillage.AccessReferral:
		return "Un professionnel (travailleur social, mairie…) doit vous envoyer avec une fiche de prescription."
	}
	return string(m)
}

// typologyLabel is the French label of a kind of structure.
func typologyLabel(t maillage.Typology) string {
	for _, info := range maillage.Typologies {
		if info.Code == t {
			return info.Label
		}
	}
	return string(t)
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// dateFR writes a civil date the French way: "3 mars 2023".
func dateFR(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, frenchMonths[t.Month()-1], t.Year())
}

// distanceFR writes a distance for people: "350 m", "1,2 km", "38 km".
func distanceFR(m float64) string {
	switch {
	case m < 0:
		return ""
	case m < 950:
		return fmt.Sprintf("%d m", int(m/50+0.5)*50)
	case m < 9950:
		return strings.Replace(fmt.Sprintf("%.1f km", m/1000), ".", ",", 1)
	}
	return fmt.Sprintf("%d km", int(m/1000+0.5))
}

// phoneFR writes a French number in E.164 the way people dial it:
// "+33545123456" → "05 45 12 34 56"; other numbers are left as given.
func phoneFR(e164 string) string {
	if strings.HasPrefix(e164, "+33") && len(e164) == 12 {
		d := "0" + e164[3:]
		return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
	}
	return e164
}
