package ingest

import (
	"slices"
	"testing"

	"maillage"
)

// TestSources2020 imports the 2020 exports of ../shared/data/sources_2020
// (regional hubs, cities, regions, collected in 2020 for the Aidants Connect
// Carto prototype) with their mappings sources/2020-*.yaml, and checks the
// numbers (rows read = accepted + quarantined) and a few known places.
// These files have no stated licence: they are read from ../shared/data,
// never copied into the repository. INGEST_REPORT=1 and INGEST_ONLY=name
// work as for TestRealSources.
func TestSources2020(t *testing.T) {
	runRealSources(t, sources2020)
}

// The 2020 exports of ../../shared/data/sources_2020, with the outcome of
// their import. aptic-referentiel-2020.csv is a nomenclature of services,
// not places: it has no mapping.
var sources2020 = []realSource{
	{"2020-corse-epn.yaml", "sources_2020/corse-epn-2020.csv", 22, 22, 0, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("FabLab Corte")
		mustPlace(t, p, "FabLab Corte")
		// « Geo Point » « lat,lon », pas x_1/y_1 (plus grossiers).
		wantNear(t, p, 42.2871600009, 9.129261277)
		want(t, "adresse (avant le code postal)", p.Address, "Palazzu Naziunale, Haute Ville")
		want(t, "INSEE", p.INSEECode, "2B096")
		wantList(t, "typologie", p.Typologies, "EPN", "FABLAB")
		wantList(t, "services", p.Services, maillage.ServiceLeisure)
		p, _ = r.placeNamed("Montegrosso - Association du Canton de Calenzana")
		mustPlace(t, p, "Montegrosso")
		want(t, "adresse réduite à la commune", p.Address, "20214 Montegrosso")
		wantList(t, "services", p.Services, maillage.ServiceEverydayTools, maillage.ServiceSafeUse)
		wantList(t, "modalités", p.SupportModes, maillage.SupportWorkshop)
	}},
	{"2020-creuse-umap.yaml", "sources_2020/creuse-umap-e-inclusion-2020.geojson", 15, 15, 0, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed(`La Quincaillerie "Numérique"`)
		mustPlace(t, p, "La Quincaillerie")
		// Tout vient de la description en texte libre.
		want(t, "adresse (« Adresse : … - 23000 Guéret »)", p.Address, "6 rue Maurice Rollinat")
		want(t, "code postal", p.PostalCode, "23000")
		want(t, "INSEE", p.INSEECode, "23096")
		want(t, "téléphone (« Téléphone : »)", p.Telephone, "+33555809325")
		wantList(t, "courriels", p.Emails, "contact@laquincaillerie.tl")
		wantList(t, "site", p.Websites, "https://www.laquincaillerie.tl")
		wantList(t, "typologie (liste « Services »)", p.Typologies, "EPN", "TIERS_LIEUX", "FABLAB")
		wantList(t, "services (liste « Médiation numérique »)", p.Services, maillage.ServiceEverydayTools,
			maillage.ServiceSafeUse, maillage.ServiceAdministrative, maillage.ServiceAccess)
		wantList(t, "publics (« Jeune », « Retraité »)", p.Publics, maillage.PublicYouth, maillage.PublicSeniors)
		wantNear(t, p, 46.172022, 1.869199)
		p, _ = r.placeNamed("Le Chai")
		mustPlace(t, p, "Le Chai")
		want(t, "code postal « 23 220 »", p.PostalCode, "23220")
		wantList(t, "site (lien « |Facebook »)", p.Websites, "https://www.facebook.com/Le-Chai-1972071889739933/")
		p, _ = r.placeNamed("CTRL-A")
		mustPlace(t, p, "CTRL-A")
		want(t, "téléphone (« te : », sic)", p.Telephone, "+33643466690")
	}},
	{"2020-hubik-pyrenees-atlantiques.yaml", "sources_2020/hubik-pyrenees-atlantiques-2020.csv", 142, 142, 0, func(t *testing.T, r *importResult) {
		// Deux lignes d'en-tête : les noms sont sur la deuxième.
		p, _ := r.place("108")
		mustPlace(t, p, "108")
		want(t, "nom", p.Name, "MSAP Vallée d'Ossau - Antenne de Sévignacq")
		want(t, "adresse (tirée de la description)", p.Address, "Place de l'Europe")
		want(t, "horaires", p.OpeningHours, "Tu,Th 09:30-12:30; We 14:30-18:30")
		wantNear(t, p, 43.114271, -0.410212)
		wantList(t, "typologie", p.Typologies, "MSAP")
		wantList(t, "services", p.Services, maillage.ServiceAccess, maillage.ServiceAdministrative)
		// « Lundi / Jeudi / Vendredi » : une liste de jours, pas deux plages ;
		// « Mardi (sur rendez-vous) » ne vaut que pour le mardi.
		p, _ = r.place("95")
		mustPlace(t, p, "95")
		want(t, "horaires", p.OpeningHours, `Mo,Th,Fr 08:30-12:30,13:30-17:30; Tu 08:30-12:30,13:30-17:30 "sur rendez-vous"; We 08:30-11:30`)
		// « 6490 BEDOUS » dans la description : l'adresse est la ligne d'avant.
		p, _ = r.place("17")
		mustPlace(t, p, "17")
		want(t, "adresse (description)", p.Address, "RUE DU MOULIN")
		wantList(t, "typologie (trésorerie)", p.Typologies, "CFP")
		p, _ = r.place("35")
		mustPlace(t, p, "35")
		wantList(t, "itinérance", p.Itinerance, maillage.Itinerant)
		wantList(t, "APTIC", p.OtherLabels, "Pass numérique")
		wantList(t, "modalités", p.SupportModes, maillage.SupportIndividual, maillage.SupportWorkshop)
		// 3949 : numéro court national, laissé de côté.
		p, md := r.placeNamed("Pôle Emploi Saint Jean de Luz")
		mustPlace(t, p, "Pôle Emploi Saint Jean de Luz")
		want(t, "téléphone court", p.Telephone+"|"+md.Extra["telephone_non_repris"], "|3949")
	}},
	{"2020-auvergne-espaces-numeriques.yaml", "sources_2020/auvergne-espaces-numeriques-2020.csv", 134, 134, 0, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Moulins Habitat")
		mustPlace(t, p, "Moulins Habitat")
		want(t, "code postal (3000)", p.PostalCode, "03000")
		want(t, "INSEE (3190)", p.INSEECode, "03190")
		wantList(t, "typologie (GIP)", p.Typologies, "ETABL_PUB")
		wantNear(t, p, 46.5429276, 3.337899)
		p, _ = r.placeNamed("Espace Culturel La Pléiade")
		mustPlace(t, p, "Espace Culturel La Pléiade")
		want(t, "téléphone sans son 0", p.Telephone, "+33470644060")
		// Deux salles de Clim@63 à Lempdes : deux identifiants.
		n := 0
		for _, q := range r.places {
			if q.Name == "Clim@63" {
				n++
			}
		}
		want(t, "Clim@63", n, 2)
	}},
	// Two rows are named "?": quarantined (a name without any letter or digit).
	{"2020-connumm.yaml", "sources_2020/connumm-pays-de-la-loire-2020.csv", 709, 689, 20, func(t *testing.T, r *importResult) {
		p, _ := r.place("conum_260_")
		mustPlace(t, p, "conum_260_")
		want(t, "adresse", p.Address, "5 Rue de la Gabardière")
		want(t, "commune", p.Commune, "Chemillé-en-Anjou")
		want(t, "téléphone (« O2 … »)", p.Telephone, "+33241305055")
		wantList(t, "services", p.Services, maillage.ServiceAdministrative, maillage.ServiceEverydayTools, maillage.ServiceUnderstanding)
		wantList(t, "modalités", p.SupportModes, maillage.SupportAutonomous, maillage.SupportIndividual, maillage.SupportWorkshop)
		wantList(t, "frais", p.Fees, maillage.FeeFree, maillage.FeePaid)
		wantList(t, "publics", p.Publics, maillage.PublicYouth, maillage.PublicSeniors, maillage.PublicFamilies)
		wantNear(t, p, 47.216912, -0.727681)
		// Le code postal de l'adresse, pas celui de la colonne (44000).
		p, _ = r.place("conum_3_")
		mustPlace(t, p, "conum_3_")
		want(t, "code postal", p.PostalCode, "44580")
		want(t, "commune", p.Commune, "Villeneuve-en-Retz")
		// Adresse sur plusieurs lignes, date JJ/MM/AAAA.
		p, _ = r.place("conum_266_")
		mustPlace(t, p, "conum_266_")
		want(t, "code postal (adresse)", p.PostalCode, "49150")
		want(t, "date", p.UpdatedOn.Format(maillage.DateLayout), "2020-02-27")
		p, _ = r.place("conum_9_")
		mustPlace(t, p, "conum_9_")
		want(t, "date du dépôt (pas de date)", p.UpdatedOn.Format(maillage.DateLayout), "2021-06-10")
		want(t, "sans commune (adresse sans code postal, code CEDEX ou partagé)", r.reasons["champ_obligatoire commune"], 14)
	}},
	{"2020-france-services-cget.yaml", "sources_2020/france-services-cget-2020.csv", 580, 578, 2, func(t *testing.T, r *importResult) {
		p, _ := r.place("1")
		mustPlace(t, p, "1")
		want(t, "nom", p.Name, "Valserhône")
		want(t, "horaires (h_lundi … h_samedi)", p.OpeningHours, "Mo-Fr 09:00-12:00,13:30-17:00")
		want(t, "INSEE retrouvé", p.INSEECode, "01033")
		wantList(t, "typologie", p.Typologies, "RFS")
		wantList(t, "dispositif", p.NationalPrograms, maillage.ProgramFranceServices)
		wantNear(t, p, 46.105747, 5.825644)
		p, _ = r.place("72")
		mustPlace(t, p, "72")
		want(t, "horaires", p.OpeningHours, "Mo 13:30-17:30; Tu-Fr 09:00-12:30,13:30-17:30")
		want(t, "complément", p.AddressComplement, "La Maison du Territoire")
		n := 0
		for _, q := range r.places {
			if slices.Contains(q.Itinerance, maillage.Itinerant) {
				n++
			}
		}
		want(t, "itinérants", n, 33)
	}},
	{"2020-normandie-epn.yaml", "sources_2020/normandie-epn-2020.csv", 118, 118, 0, func(t *testing.T, r *importResult) {
		p, _ := r.place("14046-22")
		mustPlace(t, p, "14046-22")
		want(t, "adresse (N_VOIE N_VOIE_COM TYPE_VOIE NOM_VOIE)", p.Address, "48 bis rue de Beauvais")
		want(t, "INSEE", p.INSEECode, "14047")
		want(t, "gestionnaire", p.ParentOrganization, "Mairie de Bayeux")
		want(t, "sans coordonnées", p.HasCoordinates, false)
		p, _ = r.place("14078-143")
		mustPlace(t, p, "14078-143")
		want(t, "complément", p.AddressComplement, "Esplanade Colbert")
		wantList(t, "typologie", p.Typologies, "EPN", "BIB")
		wantList(t, "label régional", p.OtherLabels, "Label EPN Normandie")
		p, _ = r.place("50032-203")
		mustPlace(t, p, "50032-203")
		wantList(t, "EPN mobile", p.Itinerance, maillage.Itinerant)
	}},
}
