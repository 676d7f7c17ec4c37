package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// sharedData is the project's shared read-only data, relative to this package.
const sharedData = "../../shared/data"

func needSharedData(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("données partagées absentes (%s) : test sur fichiers réels ignoré", sharedData)
	}
}

// want is a value expected in record number (1-based) under name.
type want struct {
	number int
	name   string
	value  string
}

type realFile struct {
	path    string
	opt     Options
	format  Format
	delim   rune
	rows    int // rows: in shared/data/README.txt (good + malformed)
	bad     int // records reported as *RowError
	columns int // len(Header()) at the end
	values  []want
}

var realFiles = []realFile{
	// data_inclusion
	{path: "data_inclusion/data-inclusion-as-mednum-2023.json", format: JSON, rows: 3811, columns: 25,
		values: []want{{1, "nom", "APIJE - LUNEL"}, {1, "adresse", "84 rue de la libération"}}},
	{path: "data_inclusion/data-inclusion-services-v0-2022.json", format: JSON, rows: 4261, columns: 11,
		values: []want{{1, "id", "rec0FfCTvBvGrQf9F-réparation"}, {1, "nom", "Réparation"}}},
	{path: "data_inclusion/data-inclusion-structures-numi-2023.json", format: JSON, rows: 757, columns: 41,
		values: []want{{1, "id", "100-odspep"}, {1, "longitude", "1.157999"}, {1, "antenne", ""}}},
	// lieux_schema
	{path: "lieux_schema/bus-france-services-charente-20231003.json", format: JSON, rows: 12, columns: 21,
		values: []want{{1, "nom", "Bus France Services - [Face à la boulangerie]"}, {1, "latitude", "45.952791"}}},
	{path: "lieux_schema/charente-20230711.json", format: JSON, rows: 188, columns: 22,
		values: []want{{1, "nom", "Médiathèque chateaubernard"}, {1, "latitude", "45.681367"}}},
	{path: "lieux_schema/conseillers-numeriques-cnfs-2022.json", format: JSON, rows: 2733, columns: 17,
		values: []want{{1, "nom", "Association l'espoir (Groupe SOS)"}, {1, "latitude", "43.289439"}}},
	{path: "lieux_schema/hinaura-transformed-2022.json", format: JSON, rows: 687, columns: 18,
		values: []want{{1, "id", "0"}, {1, "latitude", "46.27947045"}}},
	{path: "lieux_schema/hub-du-sud-paca-20230516.json", format: JSON, rows: 792, columns: 21,
		values: []want{{1, "nom", "Accueil individuel en accès libre"}}},
	{path: "lieux_schema/ile-de-france-cnfs-2022.json", format: JSON, rows: 241, columns: 17,
		values: []want{{1, "nom", "ICF LA SABLIERE SA D'HLM"}, {1, "latitude", "48.845"}}},
	{path: "lieux_schema/nouvelle-caledonie-20240320.json", format: JSON, rows: 90, columns: 21,
		values: []want{{1, "nom", "Espace municipal de Rivière Salée"}, {1, "latitude", "-22.233939"}}},
	// sources_raw
	{path: "sources_raw/aidants-connect-structures.json", format: JSON, rows: 3407, columns: 12,
		values: []want{{1, "Data pass ID", "500\u202f001"}, {1, "Code postal", "64680"}}},
	{path: "sources_raw/aix-en-provence.json", format: JSON, rows: 38, columns: 29,
		values: []want{{1, "id", "1"}, {1, "pivot", "W131004321"}}},
	{path: "sources_raw/angers-conumm.json", format: JSON, rows: 63, columns: 33,
		values: []want{{1, "TYPO_UID", "43"}, {1, "QUALIF2", "Aide pour les démarches administratives"}}},
	{path: "sources_raw/bus-france-services-charente-raw.json", format: JSON, rows: 12, columns: 46,
		values: []want{{1, "id", "1"}, {1, "SIRET", "401 092 267 00020"}}},
	{path: "sources_raw/cnfs-conseiller-numerique-raw.json", format: JSON, rows: 4930, columns: 20,
		values: []want{{1, "id", "62592a1d05457b0790816e6c"}, {1, "latitude", "43.289439"}}},
	{path: "sources_raw/corse.json", format: JSON, rows: 162, columns: 14,
		values: []want{{1, "Type", "Collectivité"}, {1, "long", "9.04258"}, {1, "Structure", "Mairie de Corscia "}}},
	{path: "sources_raw/epernay.json", format: JSON, rows: 39, columns: 39,
		values: []want{{1, "ObjectID", "13"}, {1, "Nom de votre structure", "Médiathèque Simone-Veil"}}},
	{path: "sources_raw/etapes-numerique-la-poste.json", format: JSON, rows: 95, columns: 25,
		values: []want{{1, "Département", "1"}, {1, "Superficie", "23m²"}}},
	{path: "sources_raw/fibre-64-pyrenees-atlantiques.json", format: JSON, rows: 61, columns: 44,
		values: []want{{1, "Codepostal", "64150"}, {1, "result_context", "64, Pyrénées-Atlantiques, Nouvelle-Aquitaine"}}},
	{path: "sources_raw/gironde.json", format: JSON, rows: 347, columns: 19,
		values: []want{{1, "Adresse postale", "8 rue de la Boétie - 33000 Bordeaux"}, {1, "Coord. X", "44.839574881764"}}},
	{path: "sources_raw/haute-vienne.json", format: JSON, rows: 561, columns: 41,
		values: []want{{1, "objectid", "1"}, {1, "nom_org", "Aformac"}}},
	{path: "sources_raw/hinaura-aura-raw.json", format: JSON, rows: 1171, columns: 37,
		values: []want{{1, "Lundi", "Fermé"}, {1, "Code postal", "74360"}}},
	{path: "sources_raw/hub-lo-centre-val-de-loire.json", format: JSON, rows: 426, columns: 71,
		values: []want{{1, "c_nom", "LA FABRIQUE 18"}, {1, "c_adresse", "70 Avenue de la Libération"}}},
	{path: "sources_raw/la-creuse.json", format: JSON, rows: 91, columns: 12,
		values: []want{{1, "id", "1"}}},
	{path: "sources_raw/le-havre.json", format: JSON, rows: 80, columns: 28,
		values: []want{{1, "nom", "Le 139"}, {1, "pivot", "36750100000000"}, {1, "adresse", "139 cours de la République"}}},
	{path: "sources_raw/maine-et-loire.json", format: JSON, rows: 243, columns: 31,
		values: []want{{1, "ID_LieuMed", "LMN008"}, {1, "CATEGORIE", "4"}, {1, "PBC_Adh", "Adhérent"}}},
	{path: "sources_raw/mednum-hub-antilles.json", format: JSON, rows: 165, columns: 46,
		values: []want{{1, "nom", "Mairie du Carbet"}, {1, "result_label", "Place Jules Grévy 97221 Le Carbet"}}},
	{path: "sources_raw/mulhouse.json", format: JSON, rows: 55, columns: 22,
		values: []want{{1, "nom_structure", "LE REZO!"}, {1, "code_postal", "68200"},
			{1, "jours_horaires_ouverture", "Lundi au vendredi de 10h à 12h et de 14h à 17h"}}},
	// The geolocalisation object is flattened: 42 keys give 43 columns.
	{path: "sources_raw/nouvelle-caledonie-raw.json", format: JSON, rows: 92, columns: 43,
		values: []want{{1, "nom", "Espace municipal de Rivière Salée"}, {1, "id", ""},
			{1, "geolocalisation.lon", "166.468099"}, {1, "geolocalisation.lat", "-22.233939"}}},
	{path: "sources_raw/france-services-liste-20221201.csv", format: CSV, delim: ',', rows: 2683, columns: 23,
		values: []want{{1, "lib_fs", "France services de Valserhône"}, {1, "insee_dep", "01"}, {2683, "id_fs", "temp_159"}}},
	// The file itself holds U+FFFD where accented letters were lost before
	// it was published: nothing can bring them back.
	{path: "sources_raw/paca-regionsud-lieux-inclusion-numerique-2022.csv", format: CSV, delim: ';', rows: 1245, columns: 36,
		values: []want{{1, "nom", "Biblioth\uFFFDque"}, {1, "adresse_commune", "LA-ROBINE-SUR-GALABRE"}}},
	// Records 6 and 7 have 124 fields for a 125-column header.
	{path: "sources_raw/ultra-numerique-reunion.geocoded.csv", format: CSV, delim: ',', rows: 156, bad: 2, columns: 125,
		values: []want{{1, "Nom de l'organisation", "Académie des savoirs Saint-Denis"}, {156, "Nom de l'organisation", "Webcup Campus Saint-Pierre"},
			{1, "Type (Association, Groupe informel, Entreprise ou Service public)", "Association"}}},
	// sources_2020
	{path: "sources_2020/aptic-referentiel-2020.csv", format: CSV, delim: ';', rows: 129, columns: 4,
		values: []want{{1, "catégorie", "Découvrir les enjeux du numérique"}, {129, "numéro", "129"}}},
	{path: "sources_2020/auvergne-espaces-numeriques-2020.csv", format: CSV, delim: ';', rows: 134, columns: 16,
		values: []want{{1, "Libellé de l'espace numérique", "Moulins Habitat"}, {1, "Code Insee", "3190"}}},
	{path: "sources_2020/connumm-pays-de-la-loire-2020.csv", format: CSV, delim: ';', rows: 709, columns: 37,
		values: []want{{1, "Adresse postale", "37 Rue Saint-Léonard 44000 Nantes"}, {709, "conum_id", "conum_709_"}}},
	{path: "sources_2020/corse-epn-2020.csv", format: CSV, delim: ';', rows: 22, columns: 12,
		values: []want{{1, "Geo Point", "42.4462575169,9.511922403"},
			{1, "Geo Shape", `{"type": "Point", "coordinates": [9.511922403000021, 42.44625751693954]}`},
			{1, "epn", "Association Fium'Altu"}}},
	{path: "sources_2020/creuse-umap-e-inclusion-2020.geojson", format: GeoJSON, rows: 15, columns: 7,
		values: []want{{1, "name", "#2Cube"}, {1, "_umap_options.color", "MediumBlue"}}},
	{path: "sources_2020/france-services-cget-2020.csv", format: CSV, delim: ';', rows: 580, columns: 32,
		values: []want{{1, "lib_france_services", "Valserhône"}, {1, "COMMUNE", "VALSERHÔNE"}}},
	{path: "sources_2020/francilin-idf-2020.csv", format: CSV, delim: ',', rows: 363, columns: 18,
		values: []want{{1, "lieu_nom", "Médi@Bus"}, {1, "aide", "1,2"}}},
	{path: "sources_2020/hinaura-aura-092020.csv", format: CSV, delim: ',', rows: 52, columns: 32,
		values: []want{{1, "Type d'opérateur", "Privé à but non lucratif (association, ONG...)"}}},
	{path: "sources_2020/hub-du-sud-sudlab-fablabs-2020.csv", format: CSV, delim: ';', rows: 127, columns: 19,
		values: []want{{1, "NOM DU LIEUX", "LUMEN"}, {1, "ACTIVITES PROPOSEES", "Accés internet; ateliers numériques"}}},
	{path: "sources_2020/hubik-gironde-2020.csv", format: CSV, delim: ';', rows: 219, columns: 19,
		values: []want{{1, "Lieu", "ACIFOP"}, {219, "Dernière MAJ", "05/06/2019"}}},
	// Read as the README counts it: the group header line taken as header,
	// so the real header line is record 1.
	{path: "sources_2020/hubik-pyrenees-atlantiques-2020.csv", format: CSV, delim: ';', rows: 143, columns: 25,
		values: []want{{1, "colonne_1", "id"}, {1, "Modalités d'accompagnement", "Accès libre"}}},
	// Read as it should be: header on line 2, 142 places.
	{path: "sources_2020/hubik-pyrenees-atlantiques-2020.csv", opt: Options{HeaderLine: 2}, format: CSV, delim: ';', rows: 142, columns: 25,
		values: []want{{1, "id", "124"}, {1, "cp", "64250"}, {1, "colonne_12", "CAMBO-LES-BAINS"}}},
	{path: "sources_2020/les-assembleurs-siilab-hdf-2020.csv", format: CSV, delim: ',', rows: 1249, columns: 63,
		values: []want{{1, "Nom SP", "Centre Communal d'Action Sociale (CCAS) d'Amiens"}, {1249, "ID Exporter les données", "1776"}}},
	{path: "sources_2020/lille-mel-tiers-lieux-2020.csv", format: CSV, delim: ';', rows: 168, columns: 21,
		values: []want{{1, "slug", "encommunsorg"}, {1, "tags", "Coworking;Crowdsourcing;TiersLieux;Web;Fablab"}, {168, "slug", "hopNWork"}}},
	{path: "sources_2020/mednum-bfc-ternum-20200709.csv", format: CSV, delim: ',', rows: 642, columns: 23,
		values: []want{{1, "adresse", "38 Avenue Françoise Giroud"}, {1, "lon", "5.0495589999999995"}}},
	{path: "sources_2020/nantes-lieux-pratiques-numeriques-2020.csv", format: CSV, delim: ';', rows: 54, columns: 28,
		values: []want{{1, "Nom", "Maison de l'emploi - Site Malakoff"}, {1, "Accès transports en commun", "Chronobus C3 (arrêt Ecosse)"}}},
	{path: "sources_2020/normandie-epn-2020.csv", format: CSV, delim: ',', rows: 118, columns: 25,
		values: []want{{1, "NOM", "EPN - Bayeux-Argouges"}, {118, "CODE_LIEU", "EPN 76100-201"}}},
	{path: "sources_2020/rhinocc-occitanie-2020.csv", format: CSV, delim: ',', rows: 459, columns: 66,
		values: []want{{1, "nom", "FEP Médiathèque"}, {1, "geo_lat", "nan"}, {459, "rh_id", "RH_fiche_459_"}}},
}

func TestRealFiles(t *testing.T) {
	needSharedData(t)
	for _, tc := range realFiles {
		t.Run(fmt.Sprintf("%s#en-tête=%d", tc.path, tc.opt.HeaderLine), func(t *testing.T) {
			f, err := os.Open(filepath.Join(sharedData, tc.path))
			if err != nil {
				t.Skipf("fichier absent : %v", err)
			}
			defer f.Close()
			r, err := NewReader(f, filepath.Base(tc.path), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != tc.format || r.Delimiter() != tc.delim || r.Encoding() != EncodingUTF8 {
				t.Errorf("format %v, délimiteur %q, encodage %s ; attendu %v, %q, utf-8",
					r.Format(), r.Delimiter(), r.Encoding(), tc.format, tc.delim)
			}
			wanted := map[int][]want{}
			for _, w := range tc.values {
				wanted[w.number] = append(wanted[w.number], w)
			}
			n, bad := 0, 0
			for {
				row, err := r.Next()
				if err == io.EOF {
					break
				}
				var rowErr *RowError
				if errors.As(err, &rowErr) {
					if rowErr.Fatal {
						t.Fatal(err)
					}
					bad++
					t.Log(err)
				} else if err != nil {
					t.Fatal(err)
				}
				if row == nil {
					n++
					continue
				}
				n++
				if row.Number != n {
					t.Errorf("Number = %d, attendu %d", row.Number, n)
				}
				if len(row.Names) != len(row.Values) {
					t.Fatalf("enregistrement %d : %d noms pour %d valeurs", n, len(row.Names), len(row.Values))
				}
				for _, w := range wanted[n] {
					got, ok := row.Get(w.name)
					if !ok || got != w.value {
						t.Errorf("enregistrement %d, %q = %q (%v), attendu %q", n, w.name, got, ok, w.value)
					}
				}
			}
			if n != tc.rows || bad != tc.bad {
				t.Errorf("%d enregistrements dont %d mal formés, attendu %d dont %d", n, bad, tc.rows, tc.bad)
			}
			if len(r.Header()) != tc.columns {
				t.Errorf("%d colonnes, attendu %d : %q", len(r.Header()), tc.columns, r.Header())
			}
		})
	}
}

func TestRealGeoJSONPoint(t *testing.T) {
	needSharedData(t)
	f, err := os.Open(filepath.Join(sharedData, "sources_2020/creuse-umap-e-inclusion-2020.geojson"))
	if err != nil {
		t.Skipf("fichier absent : %v", err)
	}
	defer f.Close()
	r, err := NewReader(f, "creuse.geojson", Options{})
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	lon, lat, ok := row.Point()
	if !ok || lon != 2.170022 || lat != 45.954426 {
		t.Errorf("Point() = %v, %v, %v ; attendu 2.170022, 45.954426", lon, lat, ok)
	}
	if len(row.Raw) == 0 || row.Raw[0] != '{' {
		t.Errorf("Raw = %.40q, attendu l'objet de l'entité", row.Raw)
	}
}
