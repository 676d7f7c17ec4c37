package datainclusion

import (
	"cmp"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"maillage"
	"maillage/fold"
	"maillage/schema"
	"maillage/territory"
)

// Options are what a conversion needs beyond the place.
type Options struct {
	// Source is the producer's identifier in data·inclusion ("source") and
	// the prefix of ids ("maillage--lieu-…"); "maillage" when empty.
	Source string
	// Now gives date_maj, required by data·inclusion, for a place whose
	// sources gave no date_maj: the date of the export. Zero means
	// time.Now.
	Now time.Time
	// LienSource, when set, gives the address of a place's page on the
	// Maillage instance (lien_source) from its consolidated id.
	LienSource func(placeID string) string
}

func (o Options) source() string {
	if o.Source == "" {
		return "maillage"
	}
	return o.Source
}

// StructureID is the data·inclusion id of a place's structure: the
// source, "--", the consolidated id.
func StructureID(placeID string, opt Options) string { return opt.source() + "--" + placeID }

// ServiceID is the data·inclusion id of a national service of a place:
// the structure's id, "--", the service's slug.
func ServiceID(placeID string, s maillage.Service, opt Options) string {
	return StructureID(placeID, opt) + "--" + slug(string(s))
}

// StructureOf returns the data·inclusion structure of a place.
func StructureOf(c *maillage.Consolidated, opt Options) Structure {
	p := &c.Place
	s := Structure{
		Source: opt.source(), ID: StructureID(p.ID, opt), Nom: name(p),
		DateMaj: dateMaj(p, opt), Siret: siret(p), Description: description(cmp.Or(p.Description, p.Summary)),
		Telephone: p.Telephone, HorairesAccueil: p.OpeningHours, AccessibiliteLieu: p.AccessibilitySheet,
		ReseauxPorteurs: reseauxPorteurs(p),
	}
	s.Commune, s.CodePostal, s.CodeInsee, s.Adresse, s.ComplementAdresse = address(p)
	s.Latitude, s.Longitude = coordinates(c)
	s.Courriel = maillage.FirstPlainEmail(p.Emails)
	if len(p.Websites) > 0 {
		s.SiteWeb = p.Websites[0]
	}
	if opt.LienSource != nil {
		s.LienSource = opt.LienSource(p.ID)
	}
	return s
}

// ServicesOf returns the data·inclusion services of a place: one per
// national service it offers, in the schema's order. A place without
// services gives none.
func ServicesOf(c *maillage.Consolidated, opt Options) []Service {
	p := &c.Place
	if len(p.Services) == 0 {
		return nil
	}
	common := Service{
		Source: opt.source(), StructureID: StructureID(p.ID, opt), DateMaj: dateMaj(p, opt),
		Telephone: p.Telephone, HorairesAccueil: p.OpeningHours,
	}
	common.Commune, common.CodePostal, common.CodeInsee, common.Adresse, common.ComplementAdresse = address(p)
	common.Latitude, common.Longitude = coordinates(c)
	common.Courriel = maillage.FirstPlainEmail(p.Emails)
	if opt.LienSource != nil {
		common.LienSource = opt.LienSource(p.ID)
	}
	common.Frais, common.FraisPrecisions = frais(p.Fees)
	common.Publics, common.PublicsPrecisions = publics(p)
	common.ModesAccueil = modesAccueil(p)
	common.ModesMobilisation, common.MobilisablePar, common.LienMobilisation, common.MobilisationPrecisions = mobilisation(p)

	var out []Service
	for _, ns := range maillage.Services {
		if !hasService(p, ns) {
			continue
		}
		s := common
		s.ID = ServiceID(p.ID, ns, opt)
		s.Nom = string(ns)
		s.Description = serviceDescription(p, ns)
		s.Thematiques = Thematiques[ns]
		s.Type = serviceType(p, ns)
		out = append(out, s)
	}
	return out
}

func hasService(p *maillage.Place, s maillage.Service) bool {
	for _, x := range p.Services {
		if x == s {
			return true
		}
	}
	return false
}

// serviceDescription says in French which service, where, then the
// place's presentation.
func serviceDescription(p *maillage.Place, s maillage.Service) string {
	d := "« " + string(s) + " » au lieu de médiation numérique " + p.Name
	if p.Commune != "" {
		d += " (" + p.Commune + ")"
	}
	d += "."
	if pres := cmp.Or(p.Summary, p.Description); pres != "" {
		d += "\n\n" + pres
	}
	return truncate(d, 10000)
}

// serviceType is the data·inclusion type of a national service at a
// place: "aide-materielle" for access to and acquisition of equipment;
// otherwise from the place's support modes: "accompagnement" when it
// accompanies individually or remotely, "atelier" when it only runs
// workshops; none when it says nothing or only "En autonomie" (which
// data·inclusion v1 has no type for).
func serviceType(p *maillage.Place, s maillage.Service) string {
	if materialServices[s] {
		return "aide-materielle"
	}
	var individual, workshop bool
	for _, m := range p.SupportModes {
		switch m {
		case maillage.SupportIndividual, maillage.SupportRemote:
			individual = true
		case maillage.SupportWorkshop:
			workshop = true
		}
	}
	switch {
	case individual:
		return "accompagnement"
	case workshop:
		return "atelier"
	}
	return ""
}

// frais maps frais_a_charge: "gratuit" when every value is free (with
// "Gratuit sous condition" in frais_precisions), "payant" when any is
// paid (with the whole list in frais_precisions when it also says free).
func frais(fees []maillage.Fee) (string, string) {
	if len(fees) == 0 {
		return "", ""
	}
	var paid, conditional bool
	for _, f := range fees {
		switch f {
		case maillage.FeePaid:
			paid = true
		case maillage.FeeFreeUnderTerms:
			conditional = true
		}
	}
	switch {
	case paid && len(fees) > 1:
		return "payant", "Selon les cas : " + joinValues(fees) + "."
	case paid:
		return "payant", ""
	case conditional:
		return "gratuit", "Gratuit sous condition."
	}
	return "gratuit", ""
}

// publics maps publics_specifiquement_adresses ("tous-publics" when
// none) and puts prise_en_charge_specifique in the precisions: those are
// needs the place can support, not conditions of access.
func publics(p *maillage.Place) ([]string, string) {
	var out []string
	for _, v := range p.Publics {
		if code, ok := Publics[v]; ok {
			out = appendUnique(out, code)
		}
	}
	if len(out) == 0 {
		out = []string{"tous-publics"}
	}
	var precisions string
	if len(p.SpecificSupport) > 0 {
		precisions = "Prise en charge spécifique : " + joinValues(p.SpecificSupport) + "."
	}
	return out, precisions
}

// modesAccueil: "en-presentiel" unless the place receives no public;
// "a-distance" when it accompanies remotely.
func modesAccueil(p *maillage.Place) []string {
	var out []string
	noPublic := false
	for _, a := range p.AccessModes {
		if a == maillage.AccessNoPublic {
			noPublic = true
		}
	}
	if !noPublic {
		out = append(out, "en-presentiel")
	}
	for _, m := range p.SupportModes {
		if m == maillage.SupportRemote {
			out = append(out, "a-distance")
		}
	}
	return out
}

// mobilisation maps modalites_acces to modes de mobilisation, who can use
// them (usagers; professionnels for a prescription sheet), the booking
// link and the precisions that have no code.
func mobilisation(p *maillage.Place) (modes, par []string, lien, precisions string) {
	var notes []string
	for _, a := range p.AccessModes {
		code, ok := ModesMobilisation[a]
		if !ok {
			continue
		}
		switch a {
		case maillage.AccessOnlineBooking:
			if p.AppointmentURL == "" {
				notes = append(notes, "Prendre un rendez-vous en ligne.")
				par = appendUnique(par, "usagers")
				continue
			}
			lien = p.AppointmentURL
			par = appendUnique(par, "usagers")
		case maillage.AccessReferral:
			notes = append(notes, "Les professionnels envoient un courriel avec une fiche de prescription.")
			par = appendUnique(par, "professionnels")
		default:
			par = appendUnique(par, "usagers")
		}
		modes = appendUnique(modes, code)
	}
	if lien == "" && p.AppointmentURL != "" {
		lien = p.AppointmentURL
	}
	return modes, par, lien, strings.Join(notes, " ")
}

// reseauxPorteurs gathers the networks of the typologies, programmes and
// labels of a place, without repeats, in the order of the tables' inputs.
func reseauxPorteurs(p *maillage.Place) []string {
	var out []string
	for _, t := range p.Typologies {
		if r, ok := ReseauxPorteursOfTypology[t]; ok {
			out = appendUnique(out, r)
		}
	}
	for _, n := range p.NationalPrograms {
		if r, ok := ReseauxPorteursOfProgram[n]; ok {
			out = appendUnique(out, r)
		}
	}
	for _, l := range p.TrainingsLabels {
		if r, ok := ReseauxPorteursOfLabel[l]; ok {
			out = appendUnique(out, r)
		}
	}
	return out
}

// name fits nom's limits (3 to 150 characters): a longer name is cut at a
// word, a shorter one gets its commune.
func name(p *maillage.Place) string {
	n := strings.TrimSpace(p.Name)
	if utf8.RuneCountInString(n) < 3 && p.Commune != "" {
		n = strings.TrimSpace(n + " (" + p.Commune + ")")
	}
	return truncate(n, 150)
}

// description is presentation text if it has at least 5 characters
// (data·inclusion's minimum), cut to its 10,000.
func description(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) < 5 {
		return ""
	}
	return truncate(s, 10000)
}

func dateMaj(p *maillage.Place, opt Options) string {
	if !p.UpdatedOn.IsZero() {
		return p.UpdatedOn.UTC().Format(maillage.DateLayout)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	return now.UTC().Format(maillage.DateLayout)
}

// siret is the place's pivot when it is a real SIRET.
func siret(p *maillage.Place) string {
	if p.Pivot == "" {
		return ""
	}
	n, kind, err := schema.NormalizePivot(p.Pivot, territory.DepartementOfINSEE(p.INSEECode))
	if err != nil || kind != schema.PivotSIRET {
		return ""
	}
	return n
}

var (
	postalRe = regexp.MustCompile(`^\d{5}$`)
	inseeRe  = regexp.MustCompile(`^\w{5}$`)
)

func address(p *maillage.Place) (commune, cp, insee, adresse, complement string) {
	commune, adresse, complement = p.Commune, p.Address, p.AddressComplement
	if postalRe.MatchString(p.PostalCode) {
		cp = p.PostalCode
	}
	if inseeRe.MatchString(p.INSEECode) {
		insee = p.INSEECode
	}
	return
}

// coordinates are those a source gave; a commune's centre is not the
// place's position and is left out.
func coordinates(c *maillage.Consolidated) (*float64, *float64) {
	if !c.Place.HasCoordinates || c.Precision == maillage.PrecisionCommune {
		return nil, nil
	}
	lat, lon := c.Place.Latitude, c.Place.Longitude
	return &lat, &lon
}

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut)
}

// slug folds a wording to lower-case ASCII words joined by "-".
func slug(s string) string { return strings.ReplaceAll(fold.Key(s), " ", "-") }

func appendUnique(dst []string, v string) []string {
	for _, x := range dst {
		if x == v {
			return dst
		}
	}
	return append(dst, v)
}

func joinValues[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}
