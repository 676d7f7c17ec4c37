package schema

import (
	"sort"
	"strings"

	"maillage"
	"maillage/fold"
)

// vocabulary is one controlled list of the schema, with the lookups the
// decoder needs: exact label, label up to case/accents/punctuation, and the
// closest label for the error message of an unknown value.
type vocabulary struct {
	field  string
	labels []string
	exact  map[string]string
	folded map[string]string
}

func newVocabulary(field string, labels []string) *vocabulary {
	v := &vocabulary{
		field:  field,
		labels: labels,
		exact:  make(map[string]string, len(labels)),
		folded: make(map[string]string, len(labels)),
	}
	for _, l := range labels {
		v.exact[l] = l
		v.folded[fold.Key(l)] = l
	}
	return v
}

// lookup returns the canonical label of s. corrected is true when s matched
// only up to case, accents or punctuation.
func (v *vocabulary) lookup(s string) (label string, corrected, ok bool) {
	if l, ok := v.exact[s]; ok {
		return l, false, true
	}
	if l, ok := v.folded[fold.Key(s)]; ok {
		return l, true, true
	}
	return "", false, false
}

// closest returns the label that looks most like s, or "" when none is
// close enough to be a useful suggestion.
func (v *vocabulary) closest(s string) string {
	return closestLabel(s, v.labels)
}

// closestLabel ranks labels by, in order: the input being a prefix of the
// label (or the reverse), the number of shared words, then the edit distance
// between folded keys.
func closestLabel(s string, labels []string) string {
	key := fold.Key(s)
	if key == "" {
		return ""
	}
	words := strings.Fields(key)
	type candidate struct {
		label    string
		prefix   bool
		shared   int
		distance int
	}
	var best *candidate
	for _, l := range labels {
		lk := fold.Key(l)
		c := candidate{
			label:    l,
			prefix:   strings.HasPrefix(lk, key) || strings.HasPrefix(key, lk),
			shared:   sharedWords(words, strings.Fields(lk)),
			distance: editDistance(key, lk),
		}
		if best == nil || better(c.prefix, c.shared, c.distance, best.prefix, best.shared, best.distance) {
			cc := c
			best = &cc
		}
	}
	if best == nil {
		return ""
	}
	// A suggestion must share something real with the input.
	if best.prefix || best.shared > 0 || best.distance <= len(key)/3 {
		return best.label
	}
	return ""
}

func better(prefix bool, shared, distance int, bPrefix bool, bShared, bDistance int) bool {
	if prefix != bPrefix {
		return prefix
	}
	if shared != bShared {
		return shared > bShared
	}
	return distance < bDistance
}

// stopWords are not counted as shared words: they say nothing of a label.
var stopWords = map[string]bool{
	"a": true, "au": true, "aux": true, "de": true, "des": true, "du": true, "en": true,
	"et": true, "la": true, "le": true, "les": true, "l": true, "d": true, "un": true, "une": true,
	"avec": true, "par": true, "pour": true, "ou": true, "sur": true, "via": true,
}

func sharedWords(a, b []string) int {
	n := 0
	for _, w := range a {
		if stopWords[w] {
			continue
		}
		for _, x := range b {
			if w == x {
				n++
				break
			}
		}
	}
	return n
}

// editDistance is the Levenshtein distance between two strings, in bytes
// (inputs are folded ASCII keys).
func editDistance(a, b string) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func labelsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// The vocabularies of schema v1.0.2, by field.
var (
	vocabServices         = newVocabulary(FieldServices, labelsOf(maillage.Services))
	vocabPublics          = newVocabulary(FieldPublics, labelsOf(maillage.Publics))
	vocabSpecificSupport  = newVocabulary(FieldSpecificSupport, labelsOf(maillage.SpecificSupports))
	vocabFees             = newVocabulary(FieldFees, labelsOf(maillage.Fees))
	vocabNationalPrograms = newVocabulary(FieldNationalPrograms, labelsOf(maillage.NationalPrograms))
	vocabTrainingsLabels  = newVocabulary(FieldTrainingsLabels, labelsOf(maillage.TrainingsLabels))
	vocabAccessModes      = newVocabulary(FieldAccessModes, labelsOf(maillage.AccessModes))
	vocabSupportModes     = newVocabulary(FieldSupportModes, labelsOf(maillage.SupportModes))
	vocabItinerance       = newVocabulary(FieldItinerance, labelsOf(maillage.Itinerances))
	vocabTypologies       = newVocabulary(FieldTypology, typologyCodes())
)

func typologyCodes() []string {
	codes := make([]string, len(maillage.Typologies))
	for i, t := range maillage.Typologies {
		codes[i] = string(t.Code)
	}
	sort.Strings(codes)
	return codes
}
