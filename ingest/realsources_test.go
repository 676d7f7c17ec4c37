package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"maillage"
)

// realSource is one file of ../shared/data/sources_raw, its mapping under
// sources/ and the exact outcome of its import.
type realSource struct {
	mapping     string // file name under ../sources
	data        string // path under ../../shared/data
	read        int
	accepted    int
	quarantined int
	check       func(t *testing.T, r *importResult)
}

// TestRealSources imports every raw source with its mapping and checks the
// numbers (rows read = accepted + quarantined) and a few known places. Run
// with INGEST_REPORT=1 to print the details of every source instead of
// failing on the numbers (handy while writing a mapping).
func TestRealSources(t *testing.T) {
	runRealSources(t, realSources)
}

// runRealSources maps and decodes every row of each source and checks its
// numbers and known places (shared by TestRealSources and TestSources2020).
func runRealSources(t *testing.T, list []realSource) {
	report := os.Getenv("INGEST_REPORT") != ""
	only := os.Getenv("INGEST_ONLY")
	for _, src := range list {
		name := strings.TrimSuffix(src.mapping, ".yaml")
		if only != "" && !strings.Contains(name, only) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			path := needData(t, src.data)
			m, err := LoadMapping(filepath.Join("..", "sources", src.mapping))
			if err != nil {
				t.Fatal(err)
			}
			res := importFile(t, m, path)
			if err := m.CheckColumns(slices.Collect(mapKeys(res.columns))); err != nil {
				t.Error(err)
			}
			if res.read != res.accepted+res.quarantined {
				t.Errorf("lues %d ≠ acceptées %d + en quarantaine %d", res.read, res.accepted, res.quarantined)
			}
			t.Logf("%s : lues %d, acceptées %d, en quarantaine %d", name, res.read, res.accepted, res.quarantined)
			if len(res.reasons) > 0 {
				t.Logf("  raisons de quarantaine : %s", strings.Join(top(res.reasons, 6), " ; "))
			}
			if report {
				t.Logf("  avertissements : %s", strings.Join(top(res.warnings, 14), " ; "))
				t.Logf("  exemples :%s", res.examples(20))
				return
			}
			if res.read != src.read || res.accepted != src.accepted || res.quarantined != src.quarantined {
				t.Errorf("lues/acceptées/quarantaine = %d/%d/%d, attendu %d/%d/%d",
					res.read, res.accepted, res.quarantined, src.read, src.accepted, src.quarantined)
			}
			if src.check != nil {
				src.check(t, res)
			}
		})
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// want compares a got value with the expected one.
func want[T comparable](t *testing.T, what string, got, expected T) {
	t.Helper()
	if got != expected {
		t.Errorf("%s = %v, attendu %v", what, got, expected)
	}
}

// wantList checks a list holds exactly the expected values, in any order.
func wantList[T ~string](t *testing.T, what string, got []T, expected ...T) {
	t.Helper()
	g := slices.Clone(got)
	e := slices.Clone(expected)
	slices.Sort(g)
	slices.Sort(e)
	if !slices.Equal(g, e) {
		t.Errorf("%s = %q, attendu %q", what, got, expected)
	}
}

// wantNear checks coordinates within about a metre.
func wantNear(t *testing.T, p *maillage.Place, lat, lon float64) {
	t.Helper()
	if !p.HasCoordinates || abs(p.Latitude-lat) > 1e-5 || abs(p.Longitude-lon) > 1e-5 {
		t.Errorf("%s : coordonnées %v,%v (%v), attendu %v,%v", p.Name, p.Latitude, p.Longitude, p.HasCoordinates, lat, lon)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func mustPlace(t *testing.T, p *maillage.Place, what string) {
	t.Helper()
	if p == nil {
		t.Fatalf("lieu %s introuvable parmi les lieux acceptés", what)
	}
}

// The sources of ../../shared/data/sources_raw, with the outcome of their
// import. The quarantine reasons are logged by TestRealSources (go test -v).
var realSources = []realSource{
	{"aidants-connect.yaml", "sources_raw/aidants-connect-structures.json", 3407, 2422, 985, func(t *testing.T, r *importResult) {
		p, md := r.place("105")
		mustPlace(t, p, "105")
		want(t, "commune (retrouvée par le code postal)", p.Commune, "Romans-sur-Isère")
		want(t, "code INSEE", p.INSEECode, "26281")
		wantList(t, "dispositifs", p.NationalPrograms, maillage.ProgramAidantsConnect)
		want(t, "SIRET « 1 » écarté", md.Extra["pivot_non_repris"], "1")
		p, _ = r.placeNamed("CCAS de Courbevoie")
		mustPlace(t, p, "CCAS de Courbevoie")
		want(t, "commune nommée dans le nom", p.Commune, "Courbevoie")
	}},
	{"aix-en-provence.yaml", "sources_raw/aix-en-provence.json", 38, 38, 0, func(t *testing.T, r *importResult) {
		p, _ := r.place("1")
		mustPlace(t, p, "1")
		want(t, "nom", p.Name, "Anonymal")
		want(t, "adresse (colonne « Adresse »)", p.Address, "1 PLACE VICTOR SCHOELCHER")
		wantList(t, "dispositifs (labels v0.1)", p.NationalPrograms, maillage.ProgramConseillersNum, maillage.ProgramAidantsConnect)
		want(t, "pivot RNA", p.Pivot, "W131004321")
	}},
	{"angers-conumm.yaml", "sources_raw/angers-conumm.json", 63, 63, 0, func(t *testing.T, r *importResult) {
		p, md := r.place("5")
		mustPlace(t, p, "5")
		wantList(t, "services", p.Services, maillage.ServiceEverydayTools, maillage.ServiceAdministrative,
			maillage.ServiceAccess, maillage.ServiceSafeUse, maillage.ServiceUnderstanding)
		wantList(t, "publics", p.Publics, maillage.PublicYouth)
		want(t, "horaires", p.OpeningHours, "Mo-Fr 09:00-18:45; Sa 09:00-14:30")
		wantNear(t, p, 47.47118876, -0.549434)
		want(t, "quartier", md.Extra["quartier"], "Centre Ville")
		// 3230 : numéro court national (CAF), laissé de côté.
		p, md = r.place("2")
		mustPlace(t, p, "2")
		want(t, "téléphone court", p.Telephone+"|"+md.Extra["telephone_non_repris"], "|3230")
	}},
	{"bus-france-services-charente.yaml", "sources_raw/bus-france-services-charente-raw.json", 12, 12, 0, func(t *testing.T, r *importResult) {
		p, _ := r.place("1")
		mustPlace(t, p, "1")
		wantList(t, "itinérance", p.Itinerance, maillage.Itinerant)
		want(t, "téléphone sans +", p.Telephone, "+33630392518")
		want(t, "horaires", p.OpeningHours, "Mo 09:30-12:30,13:30-15:30; PH off")
		want(t, "pivot", p.Pivot, "40109226700020")
	}},
	{"corse.yaml", "sources_raw/corse.json", 162, 153, 9, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Solideria - Association pour le developpement des projets d'economie sociale, solidaire et durable en corse - Fablab Calvi")
		mustPlace(t, p, "Solideria Calvi")
		want(t, "adresse (avant le code postal)", p.Address, "L'attelu - Fablab Café - ZA cantone")
		want(t, "code postal (dans l'adresse)", p.PostalCode, "20260")
		want(t, "INSEE", p.INSEECode, "2B050")
		want(t, "horaires", p.OpeningHours, "Tu-Fr 10:00-16:00")
		if !slices.Contains(p.Services, maillage.ServiceLeisure) || !slices.Contains(p.SupportModes, maillage.SupportWorkshop) {
			t.Errorf("services %q, modalités %q : loisirs et ateliers attendus", p.Services, p.SupportModes)
		}
	}},
	{"cnfs-conseiller-numerique.yaml", "sources_raw/cnfs-conseiller-numerique-raw.json", 4930, 4920, 10, func(t *testing.T, r *importResult) {
		p, md := r.place("627a623cad1bdb06edc48dc9")
		mustPlace(t, p, "627a623cad1bdb06edc48dc9")
		wantList(t, "dispositifs", p.NationalPrograms, maillage.ProgramConseillersNum, maillage.ProgramAidantsConnect, maillage.ProgramFranceServices)
		wantList(t, "frais (conditions_access)", p.Fees, maillage.FeeFree)
		want(t, "structure CNFS", md.Extra["structure_cnfs"], "60461feb871498b5cec209b7")
		want(t, "courriel « None »", len(p.Emails), 0)
	}},
	{"epernay.yaml", "sources_raw/epernay.json", 39, 37, 2, func(t *testing.T, r *importResult) {
		p, _ := r.place("13")
		mustPlace(t, p, "13")
		want(t, "adresse", p.Address, "1 Rue Professeur Langevin")
		want(t, "commune", p.Commune, "Épernay")
		want(t, "téléphone sans 0", p.Telephone, "+33326533780")
		want(t, "date (EditDate)", p.UpdatedOn.Format(maillage.DateLayout), "2022-12-13")
		wantList(t, "typologie", p.Typologies, "BIB")
		wantList(t, "publics", p.Publics, maillage.PublicSeniors, maillage.PublicFamilies, maillage.PublicYouth)
		wantList(t, "modalités d'accès", p.AccessModes, maillage.AccessWalkIn, maillage.AccessPhone)
		want(t, "horaires", p.OpeningHours, "Tu 13:30-19:00; We 10:00-12:00,13:30-18:00; Th,Fr 13:30-18:00; Sa 10:00-18:00")
		wantNear(t, p, 49.04334998, 3.953037972)
	}},
	{"etapes-numerique-la-poste.yaml", "sources_raw/etapes-numerique-la-poste.json", 95, 87, 8, func(t *testing.T, r *importResult) {
		p, _ := r.place("69350")
		mustPlace(t, p, "69350")
		want(t, "nom", p.Name, "La Poste NICE WILSON")
		want(t, "adresse", p.Address, "18 RUE HOTEL DES POSTES")
		want(t, "code postal", p.PostalCode, "06000")
		wantList(t, "labels", p.TrainingsLabels, maillage.LabelEtapesNumeriques)
		wantList(t, "dispositifs", p.NationalPrograms, maillage.ProgramConseillersNum)
		want(t, "lignes écartées (site DR)", r.reasons[CodeRejected+" Adresse"], 7)
	}},
	{"fibre-64.yaml", "sources_raw/fibre-64-pyrenees-atlantiques.json", 61, 57, 4, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Reseau Cyber-base Lacq-Orthez")
		mustPlace(t, p, "Reseau Cyber-base Lacq-Orthez")
		wantList(t, "services (fréquences)", p.Services, maillage.ServiceAdministrative, maillage.ServiceEverydayTools, maillage.ServiceAccess)
		wantList(t, "modalités (cases X)", p.SupportModes, maillage.SupportAutonomous, maillage.SupportIndividual, maillage.SupportWorkshop)
		wantList(t, "itinérance", p.Itinerance, maillage.Itinerant)
		want(t, "horaires « Lundi - samedi » (jours sans heures)", p.OpeningHours, `Mo-Sa unknown "Lundi - samedi"`)
		want(t, "doublons (formulaire rempli deux fois)", r.reasons["id_en_double id"], 4)
	}},
	{"france-services.yaml", "sources_raw/france-services-liste-20221201.csv", 2683, 2652, 31, func(t *testing.T, r *importResult) {
		p, _ := r.place("1")
		mustPlace(t, p, "1")
		want(t, "nom", p.Name, "France services de Valserhône")
		want(t, "horaires (colonnes par jour)", p.OpeningHours, "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00")
		wantList(t, "typologie", p.Typologies, "RFS")
		wantList(t, "itinérance", p.Itinerance, maillage.Fixed)
		want(t, "INSEE retrouvé", p.INSEECode, "01033")
		want(t, "sans adresse (itinérants)", r.reasons["champ_obligatoire adresse"], 26)
	}},
	{"gironde.yaml", "sources_raw/gironde.json", 347, 338, 9, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("ADAV33")
		mustPlace(t, p, "ADAV33")
		want(t, "adresse", p.Address, "91, rue de la République")
		want(t, "code postal", p.PostalCode, "33400")
		wantNear(t, p, 44.817712850919, -0.58072129862533) // Coord. X = latitude
		wantList(t, "services", p.Services, maillage.ServiceAccess, maillage.ServiceAdministrative, maillage.ServiceEverydayTools, maillage.ServiceLeisure)
		want(t, "date", p.UpdatedOn.Format(maillage.DateLayout), "2021-06-09")
	}},
	{"haute-vienne.yaml", "sources_raw/haute-vienne.json", 561, 448, 113, func(t *testing.T, r *importResult) {
		p, _ := r.place("89")
		mustPlace(t, p, "89")
		want(t, "adresse", p.Address, "13 Cours Jourdan - Carré Jourdan")
		wantList(t, "typologie", p.Typologies, "ASSO", "EPN")
		wantList(t, "labels", p.OtherLabels, "Pass numérique")
		want(t, "sans adresse", r.reasons["champ_obligatoire adresse"], 101)
	}},
	{"hinaura.yaml", "sources_raw/hinaura-aura-raw.json", 1171, 1149, 22, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Tiers-Lieu-Médiathèque-Fabrique de Territoire de Saint Germain Lembron \"La Licorne")
		mustPlace(t, p, "La Licorne")
		want(t, "horaires (colonnes par jour)", p.OpeningHours, "Mo,Th,Fr 14:00-18:30; Tu 14:00-19:30; We 09:00-12:30,14:00-18:30; Sa 10:00-12:30,14:00-17:30; Su 09:00-12:30")
		wantList(t, "publics", p.Publics, maillage.PublicSeniors, maillage.PublicFamilies, maillage.PublicYouth)
		if !slices.Contains(p.Typologies, "TIERS_LIEUX") || !slices.Contains(p.Typologies, "BIB") {
			t.Errorf("typologie %q : TIERS_LIEUX et BIB attendus", p.Typologies)
		}
		wantList(t, "frais", p.Fees, maillage.FeeFree, maillage.FeeFreeUnderTerms, maillage.FeePaid)
	}},
	{"hub-lo.yaml", "sources_raw/hub-lo-centre-val-de-loire.json", 426, 423, 3, func(t *testing.T, r *importResult) {
		p, _ := r.place("226")
		mustPlace(t, p, "226")
		wantList(t, "typologie (booléens)", p.Typologies, "EPN", "MUNI")
		want(t, "SIREN", p.Pivot, "309529592")
		want(t, "date", p.UpdatedOn.Format(maillage.DateLayout), "2021-01-19")
		wantList(t, "publics", p.Publics, maillage.PublicYouth, maillage.PublicSeniors)
	}},
	{"la-creuse.yaml", "sources_raw/la-creuse.json", 91, 89, 2, func(t *testing.T, r *importResult) {
		p, _ := r.place("2")
		mustPlace(t, p, "2")
		want(t, "horaires", p.OpeningHours, "We 14:00-15:30")
		wantList(t, "services (v0.1)", p.Services, maillage.ServiceEverydayTools)
		wantList(t, "modalités (v0.1)", p.SupportModes, maillage.SupportWorkshop)
	}},
	{"le-havre.yaml", "sources_raw/le-havre.json", 80, 79, 1, func(t *testing.T, r *importResult) {
		p, _ := r.place("aham")
		mustPlace(t, p, "aham")
		wantList(t, "typologie", p.Typologies, "ASSO")
		wantList(t, "publics", p.Publics, maillage.PublicYouth, maillage.PublicSeniors, maillage.PublicFamilies)
		wantList(t, "besoins", p.SpecificSupport, maillage.SupportOtherLanguages, maillage.SupportIlliteracy)
		wantList(t, "dispositifs (« France service »)", p.NationalPrograms, maillage.ProgramFranceServices)
		want(t, "SIRET arrondi écarté", p.Pivot, "00000000000000")
	}},
	{"maine-et-loire.yaml", "sources_raw/maine-et-loire.json", 243, 219, 24, func(t *testing.T, r *importResult) {
		p, _ := r.place("LMN073")
		mustPlace(t, p, "LMN073")
		wantNear(t, p, 47.146445, -0.533605) // from Lambert-93
		wantList(t, "typologie", p.Typologies, "CS", "RFS")
		wantList(t, "services", p.Services, maillage.ServiceAccess, maillage.ServiceAdministrative, maillage.ServiceEverydayTools)
		want(t, "lieux inactifs écartés", r.reasons[CodeRejected+" AFFICHAGE"], 18)
	}},
	{"mednum-hub-antilles.yaml", "sources_raw/mednum-hub-antilles.json", 165, 164, 1, func(t *testing.T, r *importResult) {
		p, _ := r.place("Structure-1")
		mustPlace(t, p, "Structure-1")
		want(t, "téléphone saisi comme nombre", p.Telephone, "+596596516976")
		want(t, "horaires", p.OpeningHours, "Mo-Th 09:00-17:00; Fr 09:00-13:00")
		want(t, "pivot (« pivot (siret ou rna) »)", p.Pivot, "82251616700027")
	}},
	{"mulhouse.yaml", "sources_raw/mulhouse.json", 55, 54, 1, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Bibliothèque des Coteaux")
		mustPlace(t, p, "Bibliothèque des Coteaux")
		wantNear(t, p, 47.735856, 7.300574)
		want(t, "horaires", p.OpeningHours, "Tu-Fr 10:00-12:00,14:00-18:00; Sa 10:00-12:00,14:00-17:30")
		wantList(t, "frais", p.Fees, maillage.FeeFree, maillage.FeeFreeUnderTerms)
	}},
	{"paca-regionsud.yaml", "sources_raw/paca-regionsud-lieux-inclusion-numerique-2022.csv", 1245, 1239, 6, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Anpep")
		mustPlace(t, p, "Anpep")
		wantList(t, "labels", p.TrainingsLabels, maillage.LabelSudLabs)
		wantList(t, "dispositifs", p.NationalPrograms, maillage.ProgramGrandeEcoleNumerique, maillage.ProgramCAF)
		want(t, "horaires", p.OpeningHours, "Mo-Fr 09:00-12:00,14:00-18:00")
		p, _ = r.placeNamed("Bibliothèque")
		mustPlace(t, p, "Bibliothèque (nom réparé)")
	}},
	{"ultra-numerique-reunion.yaml", "sources_raw/ultra-numerique-reunion.geocoded.csv", 156, 151, 5, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Académie des savoirs Saint-Denis")
		mustPlace(t, p, "Académie des savoirs Saint-Denis")
		want(t, "horaires (4 colonnes par jour)", p.OpeningHours, "Mo-Fr 08:30-16:30")
		wantList(t, "typologie", p.Typologies, "OF")
		// A row shifted by one column: street in « Code postal », city in « Code pays ».
		p, _ = r.placeNamed("AGAME Le Réemploi Solidaire")
		mustPlace(t, p, "AGAME Le Réemploi Solidaire")
		want(t, "adresse (ligne décalée)", p.Address, "49 Boulevard de Verdun")
		want(t, "code postal (ligne décalée)", p.PostalCode, "97420")
		want(t, "commune (ligne décalée)", p.Commune, "LE PORT")
		want(t, "courriel (ligne décalée)", strings.Join(p.Emails, ","), "info@agame.re")
	}},
	{"nouvelle-caledonie.yaml", "sources_raw/nouvelle-caledonie-raw.json", 92, 92, 0, func(t *testing.T, r *importResult) {
		p, _ := r.placeNamed("Point Information Jeunesse - Poum")
		mustPlace(t, p, "PIJ Poum")
		want(t, "code postal (de la commune, pas 98800)", p.PostalCode, "98826")
		want(t, "horaires (colonnes par jour)", p.OpeningHours, "Mo-Th 07:30-11:30,12:30-16:00; Fr 07:30-11:30,12:30-15:00")
		wantNear(t, p, -22.27621, 166.44111)
	}},
}
