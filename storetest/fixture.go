package storetest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"maillage"
)

// FullPlace returns a place with every field filled, lists of several
// values, an Extra map and characters that trouble encoders (accents,
// quotes, <, &, a NUL, an emoji), to check that a store keeps all of it.
func FullPlace(id string) maillage.Place {
	return maillage.Place{
		ID:                 id,
		Pivot:              "21690123100011",
		Name:               "Médiathèque « L'Îlot » & EPN <Centre>",
		Commune:            "Saint-Étienne",
		PostalCode:         "42000",
		INSEECode:          "42218",
		Address:            "12 rue de la République",
		AddressComplement:  "Bâtiment B, 2e étage",
		Latitude:           45.43970191,
		Longitude:          4.38720012345678,
		HasCoordinates:     true,
		Typologies:         []maillage.Typology{"BIB", "TIERS_LIEUX"},
		Telephone:          "+33477000000",
		Emails:             []string{"contact@example.fr", "epn@example.fr"},
		Websites:           []string{"https://example.fr", "https://example.fr/epn?x=1&y=2"},
		OpeningHours:       "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off",
		Summary:            "Accès libre aux ordinateurs \"et\" ateliers.",
		Description:        "Ligne 1\nLigne 2\twith a tab, a NUL \x00 and an emoji 🙂",
		Source:             "Hub Hinaura",
		Itinerance:         []maillage.Itinerance{maillage.Fixed, maillage.Itinerant},
		ParentOrganization: "Ville de Saint-Étienne",
		UpdatedOn:          time.Date(2024, time.March, 5, 0, 0, 0, 0, time.UTC),
		Services:           []maillage.Service{maillage.ServiceAdministrative, maillage.ServiceAccess},
		Publics:            []maillage.Public{maillage.PublicSeniors, maillage.PublicYouth},
		SpecificSupport:    []maillage.SpecificSupport{maillage.SupportDeafness, maillage.SupportIlliteracy},
		Fees:               []maillage.Fee{maillage.FeeFree, maillage.FeeFreeUnderTerms},
		NationalPrograms:   []maillage.NationalProgram{maillage.ProgramConseillersNum, maillage.ProgramFranceServices},
		TrainingsLabels:    []maillage.TrainingLabel{maillage.LabelMonEspaceSante, maillage.LabelDuplex},
		OtherLabels:        []string{"Label régional", "Autre label"},
		AccessModes:        []maillage.AccessMode{maillage.AccessWalkIn, maillage.AccessPhone},
		SupportModes:       []maillage.SupportMode{maillage.SupportIndividual, maillage.SupportWorkshop},
		AccessibilitySheet: "https://acceslibre.beta.gouv.fr/app/42-saint-etienne/a/bibliotheque/erp/x/",
		AppointmentURL:     "https://rdv.example.fr/epn",
		Extra:              map[string]string{"horaires_texte": "du lundi au vendredi", "identifiant_local": "E-42"},
	}
}

// FullRecord returns a record of source with every field filled, its place
// from FullPlace.
func FullRecord(source, id string, row int) *maillage.Record {
	return &maillage.Record{
		Source:      source,
		ID:          id,
		Row:         row,
		Fingerprint: "fp-" + id,
		Precision:   maillage.PrecisionExact,
		Place:       FullPlace(id),
		Raw:         json.RawMessage(`{"id":"` + id + `","nom":"Médiathèque « L'Îlot »","zz":"last","aa":"first","n":1.50}`),
		Warnings: []maillage.Finding{
			{Row: row, Field: "telephone", Value: "04 77 00 00 00", Code: "telephone_repare", Severity: maillage.SeverityWarning, Message: "numéro réécrit en +33"},
			{Row: row, Field: "horaires", Value: "lun-ven 9h-12h", Code: "horaires_convertis", Severity: maillage.SeverityWarning, Message: "horaires convertis"},
		},
	}
}

// Synthetic generates realistic records for benchmarks: about fifteen
// fields of the place filled, a Raw of about 500 bytes. Record i only
// depends on i, so generating the same range twice gives equal records (an
// unchanged re-import).
type Synthetic struct {
	templates []maillage.Record
}

// NewSynthetic prepares a generator of synthetic records.
func NewSynthetic() *Synthetic {
	communes := []struct{ name, postal, insee string }{
		{"Lyon", "69001", "69381"}, {"Saint-Étienne", "42000", "42218"}, {"Grenoble", "38000", "38185"},
		{"Clermont-Ferrand", "63000", "63113"}, {"Annecy", "74000", "74010"}, {"Valence", "26000", "26362"},
		{"Bourg-en-Bresse", "01000", "01053"}, {"Chambéry", "73000", "73065"}, {"Aurillac", "15000", "15014"},
		{"Le Puy-en-Velay", "43000", "43157"},
	}
	kinds := []string{"Médiathèque", "Espace France Services", "EPN", "Centre social", "Tiers-lieu", "Mairie"}
	g := &Synthetic{}
	for i := range 997 { // a prime, so templates and ids mix
		c := communes[i%len(communes)]
		kind := kinds[i%len(kinds)]
		p := maillage.Place{
			Pivot:          fmt.Sprintf("%014d", 21690000000000+i),
			Name:           fmt.Sprintf("%s de %s n°%d", kind, c.name, i),
			Commune:        c.name,
			PostalCode:     c.postal,
			INSEECode:      c.insee,
			Address:        fmt.Sprintf("%d rue de la République", 1+i%120),
			Latitude:       45 + float64(i%1000)/1000,
			Longitude:      4 + float64(i%777)/1000,
			HasCoordinates: true,
			Telephone:      fmt.Sprintf("+3347%07d", i),
			Emails:         []string{fmt.Sprintf("contact%d@example.fr", i)},
			Websites:       []string{fmt.Sprintf("https://lieu%d.example.fr", i)},
			OpeningHours:   "Mo-Fr 09:00-12:00,14:00-17:30",
			Summary:        "Accompagnement aux démarches en ligne et ateliers d'initiation au numérique.",
			Source:         "Hub Hinaura",
			UpdatedOn:      time.Date(2024, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
			Services:       []maillage.Service{maillage.ServiceAdministrative, maillage.ServiceEverydayTools},
			Fees:           []maillage.Fee{maillage.FeeFree},
			AccessModes:    []maillage.AccessMode{maillage.AccessWalkIn, maillage.AccessPhone},
			SupportModes:   []maillage.SupportMode{maillage.SupportIndividual},
		}
		raw, _ := json.Marshal(map[string]string{
			"nom": p.Name, "commune": p.Commune, "code_postal": p.PostalCode, "code_insee": p.INSEECode,
			"adresse": p.Address, "latitude": strconv.FormatFloat(p.Latitude, 'f', -1, 64),
			"longitude": strconv.FormatFloat(p.Longitude, 'f', -1, 64), "telephone": "04 7" + strconv.Itoa(i),
			"courriels": p.Emails[0], "site_web": p.Websites[0], "horaires": p.OpeningHours,
			"presentation_resume": p.Summary, "services": "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
			"frais_a_charge": "Gratuit", "modalites_acces": "Se présenter|Téléphoner", "date_maj": p.UpdatedOn.Format(maillage.DateLayout),
		})
		g.templates = append(g.templates, maillage.Record{Precision: maillage.PrecisionExact, Place: p, Raw: raw})
	}
	return g
}

// Record fills r with synthetic record i of source. r's slices are shared
// with the generator: the caller must not change them.
func (g *Synthetic) Record(r *maillage.Record, source string, i int) {
	*r = g.templates[i%len(g.templates)]
	r.Source = source
	r.ID = "lieu-" + strconv.Itoa(i)
	r.Place.ID = r.ID
	r.Row = i + 1
	r.Fingerprint = "fp" + strconv.Itoa(i)
}
