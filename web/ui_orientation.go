package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"maillage"
	"maillage/search"
)

// The orientation sheet: an aidant goes through four short steps (besoin,
// lieu, disponibilité, accessibilité) and gets a one-page A4 sheet to print
// or to share by link. Every answer travels in the URL of the next step;
// the server stores nothing.

// bringChoices are what the person may need to bring.
var bringChoices = []choice{
	{Slug: "identite", Label: "Une pièce d'identité"},
	{Slug: "vitale", Label: "La carte Vitale"},
	{Slug: "identifiants", Label: "Les identifiants et mots de passe (impôts, CAF, Ameli, FranceConnect…)"},
	{Slug: "telephone", Label: "Son téléphone portable, chargé"},
	{Slug: "courrier", Label: "Le courrier ou le document concerné"},
	{Slug: "domicile", Label: "Un justificatif de domicile"},
	{Slug: "imposition", Label: "Le dernier avis d'imposition"},
	{Slug: "rib", Label: "Un RIB"},
	{Slug: "appareil", Label: "Son ordinateur ou sa tablette, s'il en a un"},
}

// comeChoices are the ways to go to the place, by access mode.
var comeChoices = []choice{
	{Slug: "sans-rdv", Value: string(maillage.AccessWalkIn), Label: "Venir sans rendez-vous, pendant les horaires d'ouverture"},
	{Slug: "telephone", Value: string(maillage.AccessPhone), Label: "Téléphoner avant de venir"},
	{Slug: "rdv", Value: string(maillage.AccessOnlineBooking), Label: "Venir au rendez-vous pris"},
	{Slug: "courriel", Value: string(maillage.AccessEmail), Label: "Écrire un courriel au lieu"},
	{Slug: "prescription", Value: string(maillage.AccessReferral), Label: "Le lieu reçoit sur prescription : il a reçu la fiche de la personne"},
}

func findChoice(list []choice, slug string) (choice, bool) {
	for _, c := range list {
		if c.Slug == slug {
			return c, true
		}
	}
	return choice{}, false
}

// orientation is the state of the path, read from the URL.
type orientation struct {
	Step      int
	Search    searchForm
	Need      string // service slug
	PlaceID   string
	Come      string
	RDV       string
	Bring     map[string]bool
	FirstName string
	Referrer  string
	Structure string
	Contact   string
	Note      string
}

// Hidden lists the answers already given, for the hidden fields of the
// next step's form (not those the step asks).
func (o orientation) Hidden(step int) [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	add("services", o.Need)
	add("ou", o.Search.Ou)
	add("insee", o.Search.INSEE)
	add("lat", o.Search.Lat)
	add("lon", o.Search.Lon)
	if step > 2 {
		add("lieu", o.PlaceID)
	}
	if step > 3 {
		add("venir", o.Come)
		add("rdv", o.RDV)
	}
	return out
}

// HasBring says whether an item to bring is ticked.
func (o orientation) HasBring(slug string) bool { return o.Bring[slug] }

func textParam(v url.Values, name, label string, max int) (string, error) {
	s := strings.TrimSpace(v.Get(name))
	if utf8.RuneCountInString(s) > max {
		return "", uiBad("« %s » est trop long : %d caractères au plus.", label, max)
	}
	return s, nil
}

func parseOrientation(v url.Values) (orientation, error) {
	o := orientation{Step: 1, Bring: map[string]bool{}}
	var err error
	if o.Search, err = parseSearchForm(v, false); err != nil {
		return o, err
	}
	if len(v["services"]) > 1 {
		return o, uiBad("Choisissez un seul besoin.")
	}
	for slug := range o.Search.Selected[serviceGroup.Param] {
		o.Need = slug
	}
	switch e := v.Get("etape"); e {
	case "", "1":
	case "2", "3", "4":
		o.Step = int(e[0] - '0')
	default:
		return o, uiBad("L'étape « %s » n'existe pas : il y en a quatre, de 1 à 4.", e)
	}
	o.PlaceID = strings.TrimSpace(v.Get("lieu"))
	if c := v.Get("venir"); c != "" {
		if _, ok := findChoice(comeChoices, c); !ok {
			return o, uiBad("« %s » n'est pas une façon de venir connue.", c)
		}
		o.Come = c
	}
	for _, b := range v["apporter"] {
		if _, ok := findChoice(bringChoices, b); !ok {
			return o, uiBad("« %s » n'est pas dans la liste des choses à apporter.", b)
		}
		o.Bring[b] = true
	}
	fields := []struct {
		dst         *string
		name, label string
		max         int
	}{
		{&o.RDV, "rdv", "Rendez-vous", 100},
		{&o.FirstName, "prenom", "Prénom", 60},
		{&o.Referrer, "referent", "Votre nom", 80},
		{&o.Structure, "structure", "Votre structure", 120},
		{&o.Contact, "contact", "Pour vous joindre", 80},
		{&o.Note, "note", "Note", 400},
	}
	for _, f := range fields {
		if *f.dst, err = textParam(v, f.name, f.label, f.max); err != nil {
			return o, err
		}
	}
	return o, nil
}

// orientationView is the page of one step.
type orientationView struct {
	O        orientation
	Services []choice
	Message  string
	Where    string
	Options  []resultView // step 2: the places to choose from
	Place    *placeView   // steps 3 and 4
	Come     []choice     // step 3: the ways to go this place allows
	Bring    []choice
	Steps    []string
}

var orientationSteps = []string{"Le besoin", "Le lieu", "Quand y aller", "Accessibilité et fiche"}

func (s *Server) orientationPage(w http.ResponseWriter, r *http.Request) {
	o, err := parseOrientation(r.URL.Query())
	if err != nil {
		s.uiBadRequest(w, r, err)
		return
	}
	v := &orientationView{O: o, Services: serviceGroup.Choices, Bring: bringChoices, Steps: orientationSteps}
	now := s.cfg.Now()
	// The place first: a place page links straight to step 3.
	if o.Step >= 3 {
		c, ok := s.cfg.Index.Load().Place(o.PlaceID)
		switch {
		case o.PlaceID == "":
			o.Step = 2
			v.Message = "Choisissez un lieu dans la liste."
		case !ok:
			s.uiError(w, r, http.StatusNotFound, "Ce lieu n'est pas (ou plus) dans l'annuaire : recommencez la recherche.")
			return
		default:
			v.Place = s.placeViewOf(r, c)
			v.Come = placeComeChoices(&c.Place)
			if o.Step == 4 && o.Come == "" {
				o.Step = 3
				v.Message = "Choisissez comment la personne ira au lieu."
			}
		}
	}
	if o.Step == 2 {
		wh, _, msg, err := resolveWhere(o.Search)
		if err != nil {
			s.uiBadRequest(w, r, err)
			return
		}
		switch {
		case o.Need == "":
			o.Step, v.Message = 1, "Choisissez le besoin de la personne."
		case wh == nil:
			o.Step, v.Message = 1, msg
			if v.Message == "" {
				v.Message = "Indiquez la commune ou le code postal de la personne."
			}
		default:
			v.Where = wh.Label
			ch, _ := serviceGroup.find(o.Need)
			res, err := s.cfg.Index.Load().Search(search.Query{
				Near: wh.Point, Sort: search.SortDistance, Limit: 8,
				Filters: map[string][]string{"services": {ch.Value}},
			}, now)
			if err != nil {
				s.searchFailed(w, r, err)
				return
			}
			for i, h := range res.Hits {
				v.Options = append(v.Options, resultOf(i+1, h, now))
			}
			if len(v.Options) == 0 {
				v.Message = "Aucun lieu connu ne propose cette aide " + nearWords(wh.Label) + "."
			}
		}
	}
	v.O = o
	title := "Orienter une personne — étape " + string(rune('0'+o.Step)) + " sur 4 : " + orientationSteps[o.Step-1]
	s.uiRender(w, r, http.StatusOK, tmplOrientation, uiPage{Title: title, Nav: "orientation", NoIndex: true, Data: v})
}

// placeComeChoices are the ways to go a place allows (all of walk-in and
// phone when it says nothing).
func placeComeChoices(p *maillage.Place) []choice {
	var out []choice
	for _, c := range comeChoices {
		for _, m := range p.AccessModes {
			if string(m) == c.Value {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		out = comeChoices[:3]
	}
	return out
}

// ficheView is the printable orientation sheet.
type ficheView struct {
	O       orientation
	Place   *placeView
	Come    string
	Bring   []string
	Made    time.Time
	Share   string
	EditURL string
}

func (s *Server) fichePage(w http.ResponseWriter, r *http.Request) {
	o, err := parseOrientation(r.URL.Query())
	if err != nil {
		s.uiBadRequest(w, r, err)
		return
	}
	if o.PlaceID == "" {
		s.uiError(w, r, http.StatusBadRequest, "La fiche d'orientation a besoin d'un lieu : commencez par « Orienter une personne ».")
		return
	}
	c, ok := s.cfg.Index.Load().Place(o.PlaceID)
	if !ok {
		s.uiError(w, r, http.StatusNotFound, "Ce lieu n'est pas (ou plus) dans l'annuaire : recommencez la recherche.")
		return
	}
	v := &ficheView{O: o, Place: s.placeViewOf(r, c), Made: s.cfg.Now()}
	if ch, ok := findChoice(comeChoices, o.Come); ok {
		v.Come = ch.Label
	}
	for _, b := range bringChoices {
		if o.Bring[b.Slug] {
			v.Bring = append(v.Bring, b.Label)
		}
	}
	v.Share = baseURL(r) + r.URL.RequestURI()
	edit := r.URL.Query()
	edit.Set("etape", "4")
	v.EditURL = "/orientation?" + edit.Encode()
	title := "Fiche d'orientation"
	if o.FirstName != "" {
		title += " pour " + o.FirstName
	}
	w.Header().Set("Cache-Control", "no-store")
	s.uiRender(w, r, http.StatusOK, tmplFiche, uiPage{Title: title, Nav: "orientation", NoIndex: true, Data: v})
}

// baseURL is the scheme and host the request reached, for links to share.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
