package search

import (
	"slices"

	"maillage"
)

// filterField is a controlled field a query can filter on: its values in
// a place and the values the schema allows.
type filterField struct {
	values  func(p *maillage.Place) []string
	allowed []string
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// filterFields are the controlled fields of the schema, by schema name.
var filterFields = map[string]filterField{
	"services":                        {func(p *maillage.Place) []string { return strs(p.Services) }, strs(maillage.Services)},
	"publics_specifiquement_adresses": {func(p *maillage.Place) []string { return strs(p.Publics) }, strs(maillage.Publics)},
	"prise_en_charge_specifique":      {func(p *maillage.Place) []string { return strs(p.SpecificSupport) }, strs(maillage.SpecificSupports)},
	"frais_a_charge":                  {func(p *maillage.Place) []string { return strs(p.Fees) }, strs(maillage.Fees)},
	"dispositif_programmes_nationaux": {func(p *maillage.Place) []string { return strs(p.NationalPrograms) }, strs(maillage.NationalPrograms)},
	"formations_labels":               {func(p *maillage.Place) []string { return strs(p.TrainingsLabels) }, strs(maillage.TrainingsLabels)},
	"modalites_acces":                 {func(p *maillage.Place) []string { return strs(p.AccessModes) }, strs(maillage.AccessModes)},
	"modalites_accompagnement":        {func(p *maillage.Place) []string { return strs(p.SupportModes) }, strs(maillage.SupportModes)},
	"itinerance":                      {func(p *maillage.Place) []string { return strs(p.Itinerance) }, strs(maillage.Itinerances)},
	"typologie":                       {func(p *maillage.Place) []string { return strs(p.Typologies) }, typologyCodes()},
}

func typologyCodes() []string {
	out := make([]string, len(maillage.Typologies))
	for i, t := range maillage.Typologies {
		out[i] = string(t.Code)
	}
	return out
}

// sortedFields is FilterFields, computed once.
var sortedFields = FilterFields()

// FilterFields lists the fields a query can filter on, sorted.
func FilterFields() []string {
	out := make([]string, 0, len(filterFields))
	for f := range filterFields {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// FilterValues lists the values a filter field accepts, in the schema's
// order; nil for a field that is not a filter.
func FilterValues(field string) []string {
	return slices.Clone(filterFields[field].allowed)
}

func matchFilters(filters map[string][]string, p *maillage.Place) bool {
	for field, want := range filters {
		have := filterFields[field].values(p)
		ok := false
		for _, w := range want {
			if slices.Contains(have, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// filterBits holds, for each filter field, one bitset per allowed value
// (in the order of filterField.allowed): the positions of the places that
// have it.
type filterBits map[string][]bitset

func buildFilterBits(n int, place func(p int32) *maillage.Place) filterBits {
	fb := filterBits{}
	index := map[string]map[string]int{}
	for field, ff := range filterFields {
		sets := make([]bitset, len(ff.allowed))
		for i := range sets {
			sets[i] = newBitset(n)
		}
		fb[field] = sets
		index[field] = map[string]int{}
		for i, v := range ff.allowed {
			index[field][v] = i
		}
	}
	for p := range int32(n) {
		pl := place(p)
		for field, ff := range filterFields {
			for _, v := range ff.values(pl) {
				if i, ok := index[field][v]; ok {
					fb[field][i].set(p)
				}
			}
		}
	}
	return fb
}

// sets returns the bitsets of the values of a field (known to be valid).
func (fb filterBits) sets(field string, values []string, dst []bitset) []bitset {
	allowed := filterFields[field].allowed
	for _, v := range values {
		dst = append(dst, fb[field][slices.Index(allowed, v)])
	}
	return dst
}
