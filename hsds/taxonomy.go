package hsds

import (
	"strings"

	"maillage"
	"maillage/fold"
)

// TaxonomyURI is the page describing Maillage's taxonomies: the national
// schema the terms come from.
const TaxonomyURI = "https://schema.data.gouv.fr/LaMednum/standard-mediation-num/"

// TaxonomyVersion is the version of the national schema the terms follow.
const TaxonomyVersion = "1.0.2"

// A taxonomy per controlled field of the national schema: Name is the
// field's wire name, so a term says both where it comes from and what it
// means.
var taxonomyDefs = []struct {
	field       string
	description string
	terms       func() []termDef
}{
	{"services", "Services proposés par le lieu (champ « services » du schéma national des lieux de médiation numérique).", termsOf(maillage.Services)},
	{"publics_specifiquement_adresses", "Publics auxquels le lieu s'adresse spécifiquement ; sans valeur, le lieu accueille tout public.", termsOf(maillage.Publics)},
	{"prise_en_charge_specifique", "Besoins particuliers que le lieu sait accompagner.", termsOf(maillage.SpecificSupports)},
	{"frais_a_charge", "Conditions financières d'accès au lieu.", termsOf(maillage.Fees)},
	{"dispositif_programmes_nationaux", "Dispositifs et programmes nationaux auxquels le lieu appartient.", termsOf(maillage.NationalPrograms)},
	{"formations_labels", "Formations suivies et labels obtenus par le lieu.", termsOf(maillage.TrainingsLabels)},
	{"modalites_acces", "Démarches pour accéder aux services du lieu.", termsOf(maillage.AccessModes)},
	{"modalites_accompagnement", "Façons dont le lieu accompagne les personnes.", termsOf(maillage.SupportModes)},
	{"itinerance", "Lieu fixe ou itinérant.", termsOf(maillage.Itinerances)},
	{"typologie", "Type de structure (codes des typologies de structures de data·inclusion).", typologyTerms},
}

type termDef struct{ code, name string }

func termsOf[T ~string](values []T) func() []termDef {
	return func() []termDef {
		out := make([]termDef, len(values))
		for i, v := range values {
			out[i] = termDef{code: Slug(string(v)), name: string(v)}
		}
		return out
	}
}

func typologyTerms() []termDef {
	out := make([]termDef, len(maillage.Typologies))
	for i, t := range maillage.Typologies {
		out[i] = termDef{code: string(t.Code), name: t.Label}
	}
	return out
}

// Slug is the code of a term: its wording folded to lower-case ASCII words
// joined by "-" ("Aide aux démarches administratives" gives
// "aide-aux-demarches-administratives").
func Slug(s string) string { return strings.ReplaceAll(fold.Key(s), " ", "-") }

// TaxonomyID is the UUID of the taxonomy of a field of the national schema.
func TaxonomyID(field string) string { return format(uuid5(Namespace, "taxonomy:"+field)) }

// TermID is the UUID of a term: the field and the term's code (for the
// typologie, the data·inclusion code; otherwise Slug of the wording).
func TermID(field, code string) string {
	return format(uuid5(Namespace, "taxonomy_term:"+field+":"+code))
}

// Taxonomies returns Maillage's taxonomies, one per controlled field of
// the national schema, in the schema's order.
func Taxonomies() []Taxonomy {
	out := make([]Taxonomy, len(taxonomyDefs))
	for i := range taxonomyDefs {
		out[i] = taxonomyOf(i)
	}
	return out
}

func taxonomyOf(i int) Taxonomy {
	d := taxonomyDefs[i]
	return Taxonomy{ID: TaxonomyID(d.field), Name: d.field, Description: d.description,
		URI: TaxonomyURI, Version: TaxonomyVersion}
}

// TaxonomyTerms returns every term of every taxonomy, in the schema's
// order; each names its taxonomy (Taxonomy, TaxonomyID) and is in French.
func TaxonomyTerms() []TaxonomyTerm {
	var out []TaxonomyTerm
	for i, d := range taxonomyDefs {
		for _, t := range d.terms() {
			out = append(out, termOf(i, t, false))
		}
	}
	return out
}

func termOf(i int, t termDef, detail bool) TaxonomyTerm {
	d := taxonomyDefs[i]
	term := TaxonomyTerm{ID: TermID(d.field, t.code), Code: t.code, Name: t.name,
		Description: d.field + " : " + t.name, Taxonomy: d.field, Language: "fr", TaxonomyID: TaxonomyID(d.field)}
	if detail {
		tax := taxonomyOf(i)
		term.TaxonomyDetail = &tax
	}
	return term
}

// termIndex finds a term by field and wording (or typology code).
var termIndex = func() map[[2]string]termRef {
	idx := map[[2]string]termRef{}
	for i, d := range taxonomyDefs {
		for _, t := range d.terms() {
			key := t.name
			if d.field == "typologie" {
				key = t.code
			}
			idx[[2]string{d.field, key}] = termRef{i, t}
		}
	}
	return idx
}()

type termRef struct {
	tax int
	def termDef
}

// attributes tags the object linkID (of entity "service", "organization"…)
// with the terms of field for values; values outside the vocabulary (none
// in a validated place) are skipped.
func attributes[T ~string](dst []Attribute, linkID, entity, field string, values []T) []Attribute {
	for _, v := range values {
		ref, ok := termIndex[[2]string{field, string(v)}]
		if !ok {
			continue
		}
		term := termOf(ref.tax, ref.def, true)
		dst = append(dst, Attribute{
			ID: subID(linkID, "attribute:"+term.ID), LinkID: linkID, TaxonomyTermID: term.ID,
			LinkType: entity, LinkEntity: entity, Value: term.Name, TaxonomyTerm: &term,
		})
	}
	return dst
}
