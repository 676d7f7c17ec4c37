package search

import (
	"slices"

	"maillage"
)

// filterField is a controlled field a query can filter on: its values in
// a place, the values the schema allows, and mark, which adds pos to the
// bitset of each value of a place (without allocating, for Build).
type filterField struct {
	values  func(p *maillage.Place) []string
	mark    func(p *maillage.Place, sets map[string]bitset, pos int32)
	allowed []string
}

func field[T ~string](get func(p *maillage.Place) []T, allowed []string) filterField {
	return filterField{
		values: func(p *maillage.Place) []string { return strs(get(p)) },
		mark: func(p *maillage.Place, sets map[string]bitset, pos int32) {
			for _, v := range get(p) {
				if b, ok := sets[string(v)]; ok {
					b.set(pos)
				}
			}
		},
		allowed: allowed,
	}
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
	"services":                        field(func(p *maillage.Place) []maillage.Service { return p.Services }, strs(maillage.Services)),
	"publics_specifiquement_adresses": field(func(p *maillage.Place) []maillage.Public { return p.Publics }, strs(maillage.Publics)),
	"prise_en_charge_specifique":      field(func(p *maillage.Place) []maillage.SpecificSupport { return p.SpecificSupport }, strs(maillage.SpecificSupports)),
	"frais_a_charge":                  field(func(p *maillage.Place) []maillage.Fee { return p.Fees }, strs(maillage.Fees)),
	"dispositif_programmes_nationaux": field(func(p *maillage.Place) []maillage.NationalProgram { return p.NationalPrograms }, strs(maillage.NationalPrograms)),
	"formations_labels":               field(func(p *maillage.Place) []maillage.TrainingLabel { return p.TrainingsLabels }, strs(maillage.TrainingsLabels)),
	"modalites_acces":                 field(func(p *maillage.Place) []maillage.AccessMode { return p.AccessModes }, strs(maillage.AccessModes)),
	"modalites_accompagnement":        field(func(p *maillage.Place) []maillage.SupportMode { return p.SupportModes }, strs(maillage.SupportModes)),
	"itinerance":                      field(func(p *maillage.Place) []maillage.Itinerance { return p.Itinerance }, strs(maillage.Itinerances)),
	"typologie":                       field(func(p *maillage.Place) []maillage.Typology { return p.Typologies }, typologyCodes()),
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
	type indexed struct {
		ff   filterField
		sets map[string]bitset // by value
	}
	fields := make([]indexed, 0, len(filterFields))
	for _, name := range sortedFields {
		ff := filterFields[name]
		in := indexed{ff: ff, sets: map[string]bitset{}}
		sets := make([]bitset, len(ff.allowed))
		for i, v := range ff.allowed {
			sets[i] = newBitset(n)
			in.sets[v] = sets[i]
		}
		fb[name] = sets
		fields = append(fields, in)
	}
	for p := range int32(n) {
		pl := place(p)
		for _, in := range fields {
			in.ff.mark(pl, in.sets, p)
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
