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
	// Street is the share of the shorter street name's words found in the
	// other (street type and stop words left out), -1 when a street is
	// missing. SameNumber is +1 for the same house number, -1 for
	// different ones, 0 when one is missing.
	Street     float64 `json:"street"`
	SameNumber int     `json:"same_number"`
	// DistanceKm is the distance between the points; -1 when one record
	// has only its commune's centre (distance then says nothing).
	DistanceKm  float64 `json:"distance_km"`
	SameCommune bool    `json:"same_commune"`
	// Phone, Email, Website, Pivot: +1 same, -1 both given but different,
	// 0 when one is missing. Pivot compares real SIRET/SIREN/RNA only
	// (placeholders are missing); a SIRET of the same SIREN counts +1 only
	// when the whole SIRET is equal, 0 otherwise.
	Phone   int `json:"phone"`
	Email   int `json:"email"`
	Website int `json:"website"`
	Pivot   int `json:"pivot"`
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
	// HostedFS: one record is a France Services, the other states no kind
	// of place, and both are at the same address (same number and street,
	// within 100 m when both points are precise): the structure that
	// hosts and runs the counter (a community of communes, an
	// association, the département's house), the same reception place.
	HostedFS bool `json:"hosted_fs"`
	// Kinds names the kinds of each side, for explanations (set by
	// Compare, not by the engine's internal scoring).
	KindsA []string `json:"kinds_a,omitempty"`
	KindsB []string `json:"kinds_b,omitempty"`
}

// Term is one feature's part in the score.
type Term struct {
	Feature      string  `json:"feature"`
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
}

// The model: a logistic function of a linear sum of transformed features,
// hand-tuned on testdata/pairs.csv (see the package comment and
// TestLabelledPairs). Weights are in log-odds.
const (
	wBias            = -4.0
	wName            = 5.0  // × max(jaccard, 0.9×containment)
	wNameLow         = -2.0 // × (1 if name similarity < 0.2)
	wStreet          = 1.5  // × street similarity (when both streets are known)
	wStreetMismatch  = -1.0 // both streets known, nothing in common
	wNumberSame      = 0.8
	wNumberDiff      = -1.5
	wGeoNear         = 2.5  // × nearness: 1 at ≤ 30 m, 0 at ≥ 300 m
	wGeoFar          = -6.0 // × farness: 0 at ≤ 0.5 km, 1 at ≥ 5 km
	wSameCommune     = 0.8
	wOtherCommune    = -2.5 // different communes and no precise distance to say they are close
	wPhoneSame       = 2.0
	wPhoneDiff       = -0.3
	wEmailSame       = 2.0
	wEmailDiff       = -0.2
	wWebsiteSame     = 0.8
	wPivotSame       = 1.5
	wPivotDiff       = -1.0
	wSharedID        = 12.0
	wIDConflict      = -8.0
	wKindConflict    = -3.5
	wKindMatch       = 0.7
	wMobileConflict  = -4.0
	wHostedFS        = 2.0
	defaultThreshold = 0.5
)

// Terms spells out the score: each feature's transformed value, weight and
// contribution to the log-odds, the bias first.
func (f Features) Terms() []Term {
	var terms []Term
	f.each(func(name string, v, w float64) {
		terms = append(terms, Term{Feature: name, Value: v, Weight: w, Contribution: v * w})
	})
	return terms
}

// each calls fn for the bias and every feature term, in order: the one
// definition of the model, used by Terms and Score.
func (f Features) each(fn func(name string, v, w float64)) {
	fn("biais", 1, wBias)
	name := math.Max(f.NameJaccard, 0.9*f.NameContainment)
	fn("nom", name, wName)
	fn("nom_different", b2f(name < 0.2), wNameLow)
	if f.Street >= 0 {
		fn("rue", f.Street, wStreet)
		fn("rue_differente", b2f(f.Street == 0), wStreetMismatch)
	}
	fn("numero_identique", b2f(f.SameNumber > 0), wNumberSame)
	fn("numero_different", b2f(f.SameNumber < 0), wNumberDiff)
	if f.DistanceKm >= 0 {
		fn("proximite", clamp01((0.3-f.DistanceKm)/0.27), wGeoNear)
		// Two records of one commune at the same street (numbers not
		// disagreeing) far apart: one point is misplaced, the distance
		// counts half.
		farW := wGeoFar
		if f.SameCommune && f.Street >= 0.8 && f.SameNumber >= 0 {
			farW = wGeoFar / 2
		}
		fn("eloignement", clamp01((f.DistanceKm-0.5)/4.5), farW)
	}
	fn("meme_commune", b2f(f.SameCommune), wSameCommune)
	fn("autre_commune", b2f(!f.SameCommune && (f.DistanceKm < 0 || f.DistanceKm > 1)), wOtherCommune)
	// A phone or e-mail shared by points more than 500 m apart is a
	// network's or an organisation's contact (the département's
	// conseillers, an itinerant service's stops), not the place's own.
	far := f.DistanceKm > 0.5
	fn("telephone_identique", b2f(f.Phone > 0 && !far), wPhoneSame)
	fn("telephone_different", b2f(f.Phone < 0), wPhoneDiff)
	fn("courriel_identique", b2f(f.Email > 0 && !far), wEmailSame)
	fn("courriel_different", b2f(f.Email < 0), wEmailDiff)
	fn("site_identique", b2f(f.Website > 0), wWebsiteSame)
	fn("pivot_identique", b2f(f.Pivot > 0), wPivotSame)
	fn("pivot_different", b2f(f.Pivot < 0), wPivotDiff)
	fn("identifiant_programme_commun", b2f(f.SharedID), wSharedID)
	fn("identifiants_france_services_differents", b2f(f.IDConflict), wIDConflict)
	fn("types_incompatibles", b2f(f.KindConflict), wKindConflict)
	fn("meme_type", b2f(f.KindMatch), wKindMatch)
	fn("mobile_et_fixe", b2f(f.MobileConflict), wMobileConflict)
	fn("france_services_hebergee", b2f(f.HostedFS), wHostedFS)
}

// Score is the model's probability that two records denote the same place,
// in [0, 1]: the logistic function of the sum of the Terms.
func Score(f Features) float64 {
	var z float64
	f.each(func(_ string, v, w float64) { z += v * w })
	return 1 / (1 + math.Exp(-z))
}

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
	fmt.Fprintf(&b, "%-42s %+7.3f\nscore (probabilité d'un même lieu) : %.4f\n", "somme (log-odds)", z, 1/(1+math.Exp(-z)))
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
	if pb.ref.Less(pa.ref) {
		pa, pb = pb, pa
	}
	f := features(&pa, &pb)
	f.KindsA, f.KindsB = kindList(pa.kinds), kindList(pb.kinds)
	return f
}

// features compares two prepared records.
func features(a, b *prepared) Features {
	var f Features
	f.NameJaccard, f.NameContainment = nameSimilarity(a.name, b.name)
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
	f.SameCommune = a.insee != "" && a.insee == b.insee
	f.Phone = compareOne(a.phone, b.phone)
	f.Email = compareSets(a.emails, b.emails)
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
	sameAddress := f.SameNumber > 0 && f.Street >= 0.8 && (f.DistanceKm >= 0 && f.DistanceKm <= 0.1 || f.DistanceKm < 0 && f.SameCommune)
	oneFS := a.kinds == kindFS && b.kinds == 0 || b.kinds == kindFS && a.kinds == 0
	f.HostedFS = sameAddress && oneFS && !f.MobileConflict
	return f
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

// decide scores a pair: 1 for an identifier match, the model's score
// otherwise.
func decide(f Features) (float64, string) {
	if IdentifierMatch(f) {
		return 1, ReasonIdentifier
	}
	return Score(f), ReasonModel
}
