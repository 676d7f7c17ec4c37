package merge

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"maillage"
	"maillage/territory"
)

// Features are what the model compares between two records. Every value
// is symmetric: Features(a, b) and Features(b, a) are equal.
type Features struct {
	// NameJaccard is the weighted Jaccard index of the name tokens (see
	// package comment), NameContainment the weighted share of the shorter
	// name found in the other; both in [0, 1].
	NameJaccard     float64 `json:"name_jaccard"`
	NameContainment float64 `json:"name_containment"`
	// NameWord: the names share a distinctive word (neither generic nor
	// a word of the commune's or département's name), or one name has an
	// acronym of words of the other.
	NameWord bool `json:"name_word"`
	// Street is the share of the shorter street name's words found in the
	// other (street type and stop words left out), -1 when a street is
	// missing. SameNumber is +1 for the same house number, -1 for
	// different ones, 0 when one is missing.
	Street     float64 `json:"street"`
	SameNumber int     `json:"same_number"`
	// DistanceKm is the distance between the points; -1 when one record
	// has only its commune's centre (distance then says nothing).
	DistanceKm float64 `json:"distance_km"`
	// SameCommune: the same INSEE code (arrondissements folded into their
	// commune), or the same postal code and commune name when the INSEE
	// codes disagree (a wrong code). SameAddress: the same commune, house
	// number and street (street similarity ≥ 0.8).
	SameCommune bool `json:"same_commune"`
	SameAddress bool `json:"same_address"`
	// Phone, Email, Website, Pivot: +1 same, -1 both given but different,
	// 0 when one is missing. Pivot compares real SIRET/SIREN/RNA only
	// (placeholders are missing); a SIRET of the same SIREN counts +1 only
	// when the whole SIRET is equal, 0 otherwise.
	Phone int `json:"phone"`
	Email int `json:"email"`
	// PhoneClose: the telephones differ only in their last two digits
	// (one switchboard). Domain: the records share an organisation's
	// domain among their e-mails and websites (see orgDomains).
	PhoneClose bool `json:"phone_close"`
	Domain     bool `json:"domain"`
	Website    int  `json:"website"`
	Pivot      int  `json:"pivot"`
	// SharedID: the two ids embed the same programme id (conseiller
	// numérique permanence, France Services). IDConflict: both embed a
	// France Services id and they differ.
	SharedID   bool `json:"shared_id"`
	IDConflict bool `json:"id_conflict"`
	// KindConflict: the names or typologies state kinds of places that
	// exclude each other (France Services, library, mairie, CCAS, social
	// centre, mission locale, post office…). KindMatch: they state the
	// same kind.
	KindConflict bool `json:"kind_conflict"`
	KindMatch    bool `json:"kind_match"`
	// MobileConflict: one name states a mobile service (bus, itinerant
	// antenna), the other does not: the bus is not the place it starts
	// from.
	MobileConflict bool `json:"mobile_conflict"`
	// BothMobile: both names state a mobile service; its stops in two
	// places are two places.
	BothMobile bool `json:"both_mobile"`
	// HostedFS: one record is a France Services, the other states no kind
	// of place, and both are at the same address (same commune, number
	// and street, or same number and street within 100 m): the structure
	// that hosts and runs the counter (a community of communes, an
	// association, the département's house), the same reception place.
	HostedFS bool `json:"hosted_fs"`
	// Kinds names the kinds of each side, for explanations (set by
	// Compare, not by the engine's internal scoring).
	KindsA []string `json:"kinds_a,omitempty"`
	KindsB []string `json:"kinds_b,omitempty"`
	// sameSource: both records come from one source (see oneSourceApart).
	sameSource bool
}

// Term is one feature's part in the score.
type Term struct {
	Feature      string  `json:"feature"`
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
}

// The model is a logistic function of a weighted sum of terms, each a
// transformation of the Features (see vector). The weights are in
// log-odds; the ones in use (modelWeights, weights.go) are fitted on
// testdata/pairs.csv by TestFitModel, a logistic regression whose prior is
// priorWeights (set by hand): see the package comment.
const (
	tBias         = iota
	tName         // max(jaccard, 0.9×containment)
	tNameLow      // name similarity < 0.2
	tNameNoWord   // the name similarity when the names share no distinctive word (only generic or commune words)
	tStreet       // street similarity (when both streets are known)
	tStreetDiff   // both streets known, nothing in common
	tNumberSame   // same house number
	tNumberDiff   // different house numbers
	tSameAddress  // same commune, number and street
	tGeoNear      // nearness: 1 at ≤ 30 m, 0 at ≥ 300 m
	tGeoFar       // farness: 0 at ≤ 0.5 km, 1 at ≥ 5 km
	tGeoFarStreet // farness of points of one commune and street (numbers not disagreeing): one is misplaced
	tSameCommune  // same commune
	tOtherCommune // different communes and no precise distance to say they are close
	tPhoneSame    // same telephone, points within 500 m (or on the same street of one commune)
	tPhoneFar     // same telephone, points farther apart: a network's
	tPhoneDiff    // different telephones
	tPhoneClose   // different telephones of one switchboard (only the last two digits differ)
	tEmailSame    // a shared e-mail, points within 500 m (or on the same street of one commune)
	tEmailFar     // a shared e-mail, points farther apart
	tEmailDiff    // e-mails given on both sides, none shared
	tWebsiteSame  // a shared website
	tDomainSame   // an organisation's domain shared by e-mails or websites, points within 500 m (or on the same street of one commune)
	tPivotSame    // same real SIRET/SIREN/RNA
	tPivotDiff    // different real SIREN
	tSharedID     // a shared programme id
	tIDConflict   // two different France Services ids
	tKindConflict // kinds of places that exclude each other
	tKindMatch    // the same kind of place
	tMobile       // a mobile service against a fixed place
	tBothMobile   // two mobile services (two stops of one itinerant service are two places)
	tHostedFS     // a France Services and a record stating no kind, at the same address
	nTerms
)

// termNames are the terms' names in explanations.
var termNames = [nTerms]string{
	"biais", "nom", "nom_different", "nom_sans_mot_distinctif", "rue", "rue_differente", "numero_identique",
	"numero_different", "meme_adresse", "proximite", "eloignement", "eloignement_meme_rue", "meme_commune",
	"autre_commune", "telephone_identique", "telephone_identique_loin", "telephone_different", "telephones_proches",
	"courriel_identique", "courriel_identique_loin", "courriel_different", "site_identique", "domaine_identique", "pivot_identique",
	"pivot_different", "identifiant_programme_commun", "identifiants_france_services_differents",
	"types_incompatibles", "meme_type", "mobile_et_fixe", "deux_services_mobiles", "france_services_hebergee",
}

// priorWeights are the weights set by hand from reading records; the
// fitted weights (modelWeights) start from them and stay near them where
// the labelled pairs say little (a Gaussian prior centred on them).
var priorWeights = [nTerms]float64{
	tBias:         -4.0,
	tName:         5.0,
	tNameLow:      -2.0,
	tNameNoWord:   0,
	tStreet:       1.5,
	tStreetDiff:   -1.0,
	tNumberSame:   0.8,
	tNumberDiff:   -1.5,
	tSameAddress:  0,
	tGeoNear:      2.5,
	tGeoFar:       -6.0,
	tGeoFarStreet: -3.0,
	tSameCommune:  0.8,
	tOtherCommune: -2.5,
	tPhoneSame:    2.0,
	tPhoneFar:     0,
	tPhoneDiff:    -0.3,
	tPhoneClose:   0.3,
	tEmailSame:    2.0,
	tEmailFar:     0,
	tEmailDiff:    -0.2,
	tWebsiteSame:  0.8,
	tDomainSame:   1.0,
	tPivotSame:    1.5,
	tPivotDiff:    -1.0,
	tSharedID:     12.0,
	tIDConflict:   -8.0,
	tKindConflict: -3.5,
	tKindMatch:    0.7,
	tMobile:       -4.0,
	tBothMobile:   -1.0,
	tHostedFS:     2.0,
}

// defaultThreshold is the score from which two records match.
const defaultThreshold = 0.5

// weights are one set of the model's weights.
type weights = [nTerms]float64

// vector is the terms' values for these features.
func (f *Features) vector() (x [nTerms]float64) {
	x[tBias] = 1
	name := math.Max(f.NameJaccard, 0.9*f.NameContainment)
	x[tName] = name
	x[tNameLow] = b2f(name < 0.2)
	if !f.NameWord {
		x[tNameNoWord] = name
	}
	if f.Street >= 0 {
		x[tStreet] = f.Street
		x[tStreetDiff] = b2f(f.Street == 0)
	}
	x[tNumberSame] = b2f(f.SameNumber > 0)
	x[tNumberDiff] = b2f(f.SameNumber < 0)
	x[tSameAddress] = b2f(f.SameAddress)
	if f.DistanceKm >= 0 {
		x[tGeoNear] = clamp01((0.3 - f.DistanceKm) / 0.27)
		far := clamp01((f.DistanceKm - 0.5) / 4.5)
		// Two records of one commune at the same street (numbers not
		// disagreeing) far apart: one point is misplaced.
		if f.SameCommune && f.Street >= 0.8 && f.SameNumber >= 0 {
			x[tGeoFarStreet] = far
		} else {
			x[tGeoFar] = far
		}
	}
	x[tSameCommune] = b2f(f.SameCommune)
	x[tOtherCommune] = b2f(!f.SameCommune && (f.DistanceKm < 0 || f.DistanceKm > 1))
	// A phone or e-mail shared by points more than 500 m apart is a
	// network's or an organisation's contact (the département's
	// conseillers, an itinerant service's stops), not the place's own,
	// unless both records give the same street of one commune, numbers
	// not disagreeing (a misplaced point).
	far := f.DistanceKm > 0.5 && !(f.SameCommune && f.Street >= 0.8 && f.SameNumber >= 0)
	x[tPhoneSame] = b2f(f.Phone > 0 && !far)
	x[tPhoneFar] = b2f(f.Phone > 0 && far)
	x[tPhoneDiff] = b2f(f.Phone < 0)
	x[tPhoneClose] = b2f(f.PhoneClose)
	x[tEmailSame] = b2f(f.Email > 0 && !far)
	x[tEmailFar] = b2f(f.Email > 0 && far)
	x[tEmailDiff] = b2f(f.Email < 0)
	x[tWebsiteSame] = b2f(f.Website > 0)
	x[tDomainSame] = b2f(f.Domain && !far)
	x[tPivotSame] = b2f(f.Pivot > 0)
	x[tPivotDiff] = b2f(f.Pivot < 0)
	x[tSharedID] = b2f(f.SharedID)
	x[tIDConflict] = b2f(f.IDConflict)
	x[tKindConflict] = b2f(f.KindConflict)
	x[tKindMatch] = b2f(f.KindMatch)
	x[tMobile] = b2f(f.MobileConflict)
	x[tBothMobile] = b2f(f.BothMobile)
	x[tHostedFS] = b2f(f.HostedFS)
	return x
}

// Terms spells out the score: each term's value, weight and contribution
// to the log-odds, the bias first.
func (f Features) Terms() []Term {
	return f.terms(&modelWeights)
}

func (f *Features) terms(w *weights) []Term {
	x := f.vector()
	terms := make([]Term, nTerms)
	for i := range x {
		terms[i] = Term{Feature: termNames[i], Value: x[i], Weight: w[i], Contribution: x[i] * w[i]}
	}
	return terms
}

// logOdds is the model's sum for these features.
func (f *Features) logOdds(w *weights) float64 {
	x := f.vector()
	var z float64
	for i := range x {
		z += x[i] * w[i]
	}
	return z
}

// Score is the model's probability that two records denote the same place,
// in [0, 1]: the logistic function of the sum of the Terms.
func Score(f Features) float64 {
	return sigmoid(f.logOdds(&modelWeights))
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Explain writes the features, their weights and the score, in French,
// one term a line.
func Explain(f Features) string {
	var b strings.Builder
	var z float64
	for _, t := range f.Terms() {
		if t.Value == 0 {
			continue
		}
		z += t.Contribution
		fmt.Fprintf(&b, "%-42s valeur %6.3f × poids %6.2f = %+7.3f\n", t.Feature, t.Value, t.Weight, t.Contribution)
	}
	fmt.Fprintf(&b, "%-42s %+7.3f\nscore (probabilité d'un même lieu) : %.4f\n", "somme (log-odds)", z, sigmoid(z))
	return b.String()
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// Compare computes the features of two records with the default options.
// (The issue calls it Features; in Go a function cannot share the name of
// the type it returns.)
func Compare(a, b *maillage.Record) Features {
	o := DefaultOptions()
	return o.Compare(a, b)
}

// Compare computes the features of two records with these options (their
// ProgramSources). Municipal arrondissements count as their commune.
func (o *Options) Compare(a, b *maillage.Record) Features {
	terr := territory.Default()
	pa, pb := prepare(a, terr, o.ProgramSources), prepare(b, terr, o.ProgramSources)
	f := pairFeatures(&pa, &pb)
	f.KindsA, f.KindsB = kindList(pa.kinds), kindList(pb.kinds)
	return f
}

// pairFeatures compares two prepared records in their canonical order (by
// the hash of their refs), so that a pair always gets the same features
// whichever record comes first (some matchings are greedy).
func pairFeatures(a, b *prepared) Features {
	if b.refH < a.refH || b.refH == a.refH && b.ref.Less(a.ref) {
		a, b = b, a
	}
	return features(a, b)
}

// features compares two prepared records.
func features(a, b *prepared) Features {
	var f Features
	f.NameJaccard, f.NameContainment, f.NameWord = nameSimilarity(a, b)
	f.Street = -1
	if len(a.street) > 0 && len(b.street) > 0 {
		f.Street = streetSimilarity(a.street, b.street)
	}
	if a.number != "" && b.number != "" {
		if a.number == b.number {
			f.SameNumber = 1
		} else {
			f.SameNumber = -1
		}
	}
	f.DistanceKm = -1
	if a.exact && b.exact {
		f.DistanceKm = territory.Distance(a.lat, a.lon, b.lat, b.lon)
	}
	f.SameCommune = sameCommune(a, b)
	f.SameAddress = f.SameCommune && f.SameNumber > 0 && f.Street >= 0.8
	switch {
	case a.phoneN == 0 || b.phoneN == 0:
	case a.phoneN == b.phoneN:
		f.Phone = 1
	default:
		f.Phone = -1
	}
	f.Email = compareEmails(a.emails, b.emails)
	f.PhoneClose = f.Phone < 0 && a.phoneN >= 1e9 && a.phoneN/100 == b.phoneN/100
	f.Domain = compareSets(a.domains, b.domains) > 0
	if compareSets(a.webs, b.webs) > 0 {
		f.Website = 1
	}
	switch {
	case a.siret != "" && b.siret != "":
		switch {
		case a.siret == b.siret:
			f.Pivot = 1
		case a.siret[:9] != b.siret[:9]:
			f.Pivot = -1
		}
	case a.rna != "" && b.rna != "":
		f.Pivot = compareOne(a.rna, b.rna)
	}
	for _, x := range a.ids {
		for _, y := range b.ids {
			if x == y {
				f.SharedID = true
			} else if strings.HasPrefix(x, "france-services:") && strings.HasPrefix(y, "france-services:") {
				f.IDConflict = true
			}
		}
	}
	if f.SharedID {
		f.IDConflict = false
	}
	if a.kinds != 0 && b.kinds != 0 {
		f.KindMatch = a.kinds&b.kinds != 0
		f.KindConflict = !f.KindMatch
	}
	f.MobileConflict = a.mobile != b.mobile
	f.BothMobile = a.mobile && b.mobile
	sameAddress := f.SameAddress || f.SameNumber > 0 && f.Street >= 0.8 && f.DistanceKm >= 0 && f.DistanceKm <= 0.1
	oneFS := a.kinds&kindFS != 0 && b.kinds == 0 || b.kinds&kindFS != 0 && a.kinds == 0
	f.HostedFS = sameAddress && oneFS && !f.MobileConflict
	f.sameSource = a.ref.Source == b.ref.Source
	return f
}

// sameCommune: the same INSEE code, or the same postal code and commune
// name (one INSEE code is wrong).
func sameCommune(a, b *prepared) bool {
	return a.inseeN != 0 && a.inseeN == b.inseeN || a.communeN != 0 && a.communeN == b.communeN
}

func kindList(k uint32) []string {
	var out []string
	for i, n := range kindNames {
		if k&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

func compareOne(a, b string) int {
	switch {
	case a == "" || b == "":
		return 0
	case a == b:
		return 1
	}
	return -1
}

// compareEmails is compareSets where two addresses count as the same when
// their local parts (8 letters or more) are one typo apart at the same
// domain ("mairieannexevergnes@…" / "marieannexevergnes@…", "fs_stvallier@…"
// / "fs-stvallier@…"; a digit changed is no typo: "mds1@…" / "mds2@…"), or
// equal at two names of one domain ("x@clermont-ferrand.fr" /
// "x@ville-clermont-ferrand.fr").
func compareEmails(a, b []string) int {
	c := compareSets(a, b)
	if c >= 0 {
		return c
	}
	for _, x := range a {
		for _, y := range b {
			if emailVariant(x, y) {
				return 1
			}
		}
	}
	return -1
}

func emailVariant(x, y string) bool {
	lx, dx, ok1 := strings.Cut(x, "@")
	ly, dy, ok2 := strings.Cut(y, "@")
	if !ok1 || !ok2 || len(lx) < 8 || len(ly) < 8 {
		return false
	}
	if lx == ly {
		return domainSuffix(dx, dy) || domainSuffix(dy, dx)
	}
	if dx != dy || !oneEdit(lx, ly) {
		return false
	}
	// the characters that differ are no digits
	i := 0
	for i < len(lx) && i < len(ly) && lx[i] == ly[i] {
		i++
	}
	for _, s := range []string{lx, ly} {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			return false
		}
	}
	return true
}

// domainSuffix: long ends with "-short" or ".short", short having a dot.
func domainSuffix(long, short string) bool {
	if !strings.Contains(short, ".") || len(long) <= len(short) || !strings.HasSuffix(long, short) {
		return false
	}
	c := long[len(long)-len(short)-1]
	return c == '-' || c == '.'
}

func compareSets(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return 1
		}
	}
	return -1
}

// IdentifierMatch reports whether the features match by identifier alone:
// a shared programme id, or the same real SIRET at the same place (within
// 100 m, or the same number and street in the same commune) with names
// that do not state different kinds of places.
func IdentifierMatch(f Features) bool {
	if f.SharedID {
		return true
	}
	if f.Pivot <= 0 || f.KindConflict || f.IDConflict {
		return false
	}
	near := f.DistanceKm >= 0 && f.DistanceKm <= 0.1
	sameAddress := f.SameCommune && f.SameNumber > 0 && f.Street >= 0.8
	return near || sameAddress
}

// against is the evidence against a pair: the sum of the contributions
// of the terms that say two places differ (streets, numbers, distance,
// communes, phones, e-mails, SIRET, programme ids, kinds, mobile services)
// when they are negative. A pair scoring low for want of evidence (two
// names of one building, nothing else known) is no evidence that two
// clusters are two places; a pair whose addresses, kinds, contacts or
// points disagree is.
func against(f *Features, w *weights) float64 {
	x := f.vector()
	var z float64
	for _, i := range [...]int{tStreetDiff, tNumberDiff, tGeoFar, tGeoFarStreet, tOtherCommune, tPhoneDiff,
		tEmailDiff, tPivotDiff, tIDConflict, tKindConflict, tMobile, tBothMobile} {
		if c := x[i] * w[i]; c < 0 {
			z += c
		}
	}
	return z
}

// vetoEvidence is the evidence against (in log-odds) from which a pair
// scoring below MinLink vetoes the merge of the clusters of its records.
const vetoEvidence = 1.0

// oneSourceApart: two records of one source whose names share no word,
// with no identifier, telephone, e-mail, website or organisation's domain
// to join them. A source lists a place once; two of its records under
// unrelated names and with nothing in common but the address are two
// services (an association's lab and the library that hosts it). The
// rule decides 22 labelled pairs, all of them two places.
func oneSourceApart(f *Features) bool {
	return f.sameSource && f.NameJaccard == 0 && f.NameContainment == 0 && f.Phone <= 0 && f.Email <= 0 &&
		f.Website <= 0 && !f.Domain && !IdentifierMatch(*f)
}

// decide scores a pair with these weights: 1 for an identifier match, 0
// for two records of one source with unrelated names (oneSourceApart),
// the model's score otherwise.
func decide(f Features, w *weights) (float64, string) {
	if IdentifierMatch(f) {
		return 1, ReasonIdentifier
	}
	if oneSourceApart(&f) {
		return 0, ReasonModel
	}
	return sigmoid(f.logOdds(w)), ReasonModel
}
