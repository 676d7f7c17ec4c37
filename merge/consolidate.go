package merge

import (
	"sort"
	"strings"

	"maillage"
)

// Provenance says which record a consolidated value comes from.
type Provenance = maillage.Provenance

// Consolidated is one place built from a cluster.
type Consolidated = maillage.Consolidated

// Consolidate builds one place from a cluster.
//
// Scalar fields come from the best record that carries them. Records are
// ranked by the source's Trust (higher first, sources absent from the map
// count 0), then by the freshest date_maj, then by (source, id). Rules on
// top of that order:
//   - a real SIRET/SIREN/RNA beats a placeholder ("00000000000000"), which
//     is used only when no record has a real one;
//   - coordinates given by a source beat a commune's centre;
//   - the address fields (adresse, complement_adresse, code_postal,
//     commune, code_insee) come together from one record, so that an
//     address never mixes two records.
//
// List fields are the union of the members' values, in the ranking's
// order, without repeats (e-mails and websites compared case-insensitively).
// date_maj is the freshest of the members. The place's id is the
// cluster's id. Extra holds the values outside the schema of the best
// record only.
func Consolidate(c Cluster, sources map[string]maillage.Source) Consolidated {
	recs := append([]*maillage.Record(nil), c.Records...)
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		ta, tb := sources[a.Source].Trust, sources[b.Source].Trust
		if ta != tb {
			return ta > tb
		}
		if !a.Place.UpdatedOn.Equal(b.Place.UpdatedOn) {
			return a.Place.UpdatedOn.After(b.Place.UpdatedOn)
		}
		return RecordRef{Source: a.Source, ID: a.ID}.Less(RecordRef{Source: b.Source, ID: b.ID})
	})
	out := Consolidated{Members: append([]RecordRef(nil), c.Members...), Fields: map[string]Provenance{}, Items: map[string][]Provenance{}}
	p := &out.Place
	p.ID = c.ID
	prov := func(r *maillage.Record) Provenance {
		return Provenance{Source: r.Source, RecordID: r.ID, UpdatedOn: r.Place.UpdatedOn}
	}
	scalar := func(field string, get func(*maillage.Place) string, set func(string)) {
		for _, r := range recs {
			if v := get(&r.Place); v != "" {
				set(v)
				out.Fields[field] = prov(r)
				return
			}
		}
	}
	scalar("nom", func(x *maillage.Place) string { return x.Name }, func(v string) { p.Name = v })
	// pivot: a real identifier first, a placeholder only when nothing else
	for _, r := range recs {
		if !IsPlaceholderPivot(r.Place.Pivot) {
			p.Pivot = r.Place.Pivot
			out.Fields["pivot"] = prov(r)
			break
		}
	}
	if p.Pivot == "" {
		scalar("pivot", func(x *maillage.Place) string { return x.Pivot }, func(v string) { p.Pivot = v })
	}
	// address fields together, from the best record with an address (or a
	// commune)
	for _, r := range recs {
		x := &r.Place
		if x.Address == "" && x.INSEECode == "" && x.Commune == "" {
			continue
		}
		p.Address, p.AddressComplement, p.PostalCode, p.Commune, p.INSEECode = x.Address, x.AddressComplement, x.PostalCode, x.Commune, x.INSEECode
		for field, v := range map[string]string{"adresse": x.Address, "complement_adresse": x.AddressComplement,
			"code_postal": x.PostalCode, "commune": x.Commune, "code_insee": x.INSEECode} {
			if v != "" {
				out.Fields[field] = prov(r)
			}
		}
		break
	}
	// coordinates: precise first
	var coords *maillage.Record
	for _, r := range recs {
		if r.Place.HasCoordinates && r.Precision != maillage.PrecisionCommune {
			coords = r
			break
		}
	}
	if coords == nil {
		for _, r := range recs {
			if r.Place.HasCoordinates {
				coords = r
				break
			}
		}
	}
	out.Precision = maillage.PrecisionCommune
	if coords != nil {
		if coords.Precision != maillage.PrecisionCommune {
			out.Precision = maillage.PrecisionExact
		}
		p.Latitude, p.Longitude, p.HasCoordinates = coords.Place.Latitude, coords.Place.Longitude, true
		out.Fields["latitude"] = prov(coords)
		out.Fields["longitude"] = prov(coords)
	}
	scalar("telephone", func(x *maillage.Place) string { return x.Telephone }, func(v string) { p.Telephone = v })
	scalar("horaires", func(x *maillage.Place) string { return x.OpeningHours }, func(v string) { p.OpeningHours = v })
	scalar("presentation_resume", func(x *maillage.Place) string { return x.Summary }, func(v string) { p.Summary = v })
	scalar("presentation_detail", func(x *maillage.Place) string { return x.Description }, func(v string) { p.Description = v })
	scalar("source", func(x *maillage.Place) string { return x.Source }, func(v string) { p.Source = v })
	scalar("structure_parente", func(x *maillage.Place) string { return x.ParentOrganization }, func(v string) { p.ParentOrganization = v })
	scalar("fiche_acces_libre", func(x *maillage.Place) string { return x.AccessibilitySheet }, func(v string) { p.AccessibilitySheet = v })
	scalar("prise_rdv", func(x *maillage.Place) string { return x.AppointmentURL }, func(v string) { p.AppointmentURL = v })
	for _, r := range recs {
		if r.Place.UpdatedOn.After(p.UpdatedOn) {
			p.UpdatedOn = r.Place.UpdatedOn
			out.Fields["date_maj"] = prov(r)
		}
	}
	if len(recs) > 0 && len(recs[0].Place.Extra) > 0 {
		p.Extra = make(map[string]string, len(recs[0].Place.Extra))
		for k, v := range recs[0].Place.Extra {
			p.Extra[k] = v
		}
		out.Fields["extra"] = prov(recs[0])
	}
	// lists
	union(&out, recs, "typologie", func(x *maillage.Place) []maillage.Typology { return x.Typologies }, &p.Typologies, identity)
	union(&out, recs, "courriels", func(x *maillage.Place) []string { return x.Emails }, &p.Emails, strings.ToLower)
	union(&out, recs, "site_web", func(x *maillage.Place) []string { return x.Websites }, &p.Websites, strings.ToLower)
	union(&out, recs, "itinerance", func(x *maillage.Place) []maillage.Itinerance { return x.Itinerance }, &p.Itinerance, identity)
	union(&out, recs, "services", func(x *maillage.Place) []maillage.Service { return x.Services }, &p.Services, identity)
	union(&out, recs, "publics_specifiquement_adresses", func(x *maillage.Place) []maillage.Public { return x.Publics }, &p.Publics, identity)
	union(&out, recs, "prise_en_charge_specifique", func(x *maillage.Place) []maillage.SpecificSupport { return x.SpecificSupport }, &p.SpecificSupport, identity)
	union(&out, recs, "frais_a_charge", func(x *maillage.Place) []maillage.Fee { return x.Fees }, &p.Fees, identity)
	union(&out, recs, "dispositif_programmes_nationaux", func(x *maillage.Place) []maillage.NationalProgram { return x.NationalPrograms }, &p.NationalPrograms, identity)
	union(&out, recs, "formations_labels", func(x *maillage.Place) []maillage.TrainingLabel { return x.TrainingsLabels }, &p.TrainingsLabels, identity)
	union(&out, recs, "autres_formations_labels", func(x *maillage.Place) []string { return x.OtherLabels }, &p.OtherLabels, strings.ToLower)
	union(&out, recs, "modalites_acces", func(x *maillage.Place) []maillage.AccessMode { return x.AccessModes }, &p.AccessModes, identity)
	union(&out, recs, "modalites_accompagnement", func(x *maillage.Place) []maillage.SupportMode { return x.SupportModes }, &p.SupportModes, identity)
	if len(out.Items) == 0 {
		out.Items = nil
	}
	return out
}

func identity(s string) string { return s }

// union appends the values of every record, in the records' order,
// without repeats (compared by norm), and records their provenance.
func union[T ~string](out *Consolidated, recs []*maillage.Record, field string, get func(*maillage.Place) []T, dst *[]T, norm func(string) string) {
	seen := map[string]bool{}
	var items []Provenance
	for _, r := range recs {
		for _, v := range get(&r.Place) {
			k := norm(string(v))
			if v == "" || seen[k] {
				continue
			}
			seen[k] = true
			*dst = append(*dst, v)
			items = append(items, Provenance{Source: r.Source, RecordID: r.ID, UpdatedOn: r.Place.UpdatedOn})
		}
	}
	if len(items) > 0 {
		out.Fields[field] = items[0]
		out.Items[field] = items
	}
}
