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
