package datainclusion

import (
	"time"

	"maillage"
)

// fixture is a small set of consolidated places covering the cases of the
// mapping: real and placeholder pivots, simple and complex hours,
// coordinates from a source or at a commune's centre, every vocabulary.
func fixture() []maillage.Consolidated {
	date := time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC)
	return []maillage.Consolidated{
		{
			Precision: maillage.PrecisionExact,
			Members:   []maillage.RecordRef{{Source: "hinaura", ID: "42"}, {Source: "cnfs", ID: "abc"}},
			Place: maillage.Place{
				ID: "lieu-00a1b2c3d4e5f607", Pivot: "13002526500005", Name: "Médiathèque Jean Moulin",
				Commune: "Angoulême", PostalCode: "16000", INSEECode: "16015", Address: "2 rue de la Paix",
				AddressComplement: "1er étage", Latitude: 45.6484, Longitude: 0.1562, HasCoordinates: true,
				Typologies: []maillage.Typology{"BIB", "MUNI"}, Telephone: "+33545000000",
				Emails:       []string{"contact@mediatheque.example.fr", "autre@mediatheque.example.fr"},
				Websites:     []string{"https://mediatheque.example.fr"},
				OpeningHours: "Mo-Fr 09:00-12:00,14:00-17:30; We 14:00-18:00; PH off",
				Summary:      "Ateliers numériques et accès libre aux ordinateurs.",
				Description:  "La médiathèque propose des ateliers et un accompagnement individuel.",
				Itinerance:   []maillage.Itinerance{maillage.Fixed}, ParentOrganization: "Ville d'Angoulême",
				UpdatedOn: date, Services: maillage.Services,
				Publics: []maillage.Public{maillage.PublicSeniors, maillage.PublicYouth}, SpecificSupport: maillage.SpecificSupports,
				Fees: []maillage.Fee{maillage.FeeFree, maillage.FeePaid}, NationalPrograms: maillage.NationalPrograms,
				TrainingsLabels: maillage.TrainingsLabels, OtherLabels: []string{"Label local"},
				AccessModes: maillage.AccessModes, SupportModes: maillage.SupportModes,
				AccessibilitySheet: "https://acceslibre.beta.gouv.fr/app/16-angouleme/a/bibliotheque-mediatheque/erp/mediatheque-jean-moulin/",
				AppointmentURL:     "https://rdv.example.fr/mediatheque",
			},
		},
		{
			Precision: maillage.PrecisionCommune,
			Members:   []maillage.RecordRef{{Source: "charente", ID: "7"}},
			Place: maillage.Place{
				ID: "lieu-ffee000000000001", Pivot: "00000000000000", Name: "Bus France Services",
				Commune: "Ruffec", PostalCode: "16700", INSEECode: "16292",
				Latitude: 46.03, Longitude: 0.2, HasCoordinates: true,
				Typologies:   []maillage.Typology{"RFS"},
				OpeningHours: `Tu 09:00-12:00 "sur rendez-vous"; Jan-Jun Th 14:00-17:00`,
				Itinerance:   []maillage.Itinerance{maillage.Itinerant},
				Services:     []maillage.Service{maillage.ServiceAdministrative, maillage.ServiceAccess},
				Fees:         []maillage.Fee{maillage.FeeFreeUnderTerms},
				AccessModes:  []maillage.AccessMode{maillage.AccessOnlineBooking, maillage.AccessPhone},
				SupportModes: []maillage.SupportMode{maillage.SupportWorkshop},
			},
		},
		{
			// A minimal place: name and commune only, in Nouvelle-Calédonie.
			Precision: maillage.PrecisionExact,
			Members:   []maillage.RecordRef{{Source: "nouvelle-caledonie", ID: "x1"}},
			Place: maillage.Place{
				ID: "lieu-1234567890abcdef", Name: "PAN", Commune: "Nouméa", PostalCode: "98800", INSEECode: "98818",
				Latitude: -22.27, Longitude: 166.44, HasCoordinates: true, OpeningHours: "Mo-Sa 07:30-16:00",
			},
		},
	}
}
