package schema

import (
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/tabular"
	"maillage/territory"
)

// validRow is a v1.0.2 row that passes every rule: each test changes one
// field and looks for one finding.
func validRow() map[string]string {
	return map[string]string{
		"id":          "lieu-1",
		"pivot":       "43493312300029",
		"nom":         "Médiathèque de Reims",
		"commune":     "Reims",
		"code_postal": "51100",
		"code_insee":  "51454",
		"adresse":     "12 rue de Leclercq",
		"latitude":    "49.2535",
		"longitude":   "4.0551",
		"telephone":   "+33326000000",
		"date_maj":    "2024-04-02",
		"services":    "Aide aux démarches administratives",
	}
}

func decodeMap(t *testing.T, m map[string]string) (maillage.Place, []Finding) {
	t.Helper()
	var names, values []string
	for _, c := range Columns {
		if v, ok := m[c]; ok {
			names, values = append(names, c), append(values, v)
		}
	}
	for k, v := range m {
		found := false
		for _, c := range Columns {
			found = found || c == k
		}
		if !found {
			names, values = append(names, k), append(values, v)
		}
	}
	d := NewDecoder(territory.Default())
	d.CheckHours = CheckHours
	d.Now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }
	return d.Decode(1, names, values, nil)
}

func findCode(fs []Finding, code string) (Finding, bool) {
	for _, f := range fs {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func TestValidRowHasNoFinding(t *testing.T) {
	p, fs := decodeMap(t, validRow())
	if len(fs) != 0 {
		t.Fatalf("findings on a valid row: %v", fs)
	}
	if p.ID != "lieu-1" || p.INSEECode != "51454" || !p.HasCoordinates || p.UpdatedOn.Format(maillage.DateLayout) != "2024-04-02" {
		t.Fatalf("place decoded wrong: %+v", p)
	}
	if len(p.Services) != 1 || p.Services[0] != maillage.ServiceAdministrative {
		t.Fatalf("services = %v", p.Services)
	}
}

// TestRules gives, for each rule, a value that breaks it (and the code and
// severity expected) and a value that passes it.
func TestRules(t *testing.T) {
	tests := []struct {
		rule     string
		field    string
		bad      string
		code     string
		severity Severity
		good     string
	}{
		{"id required", "id", "", CodeRequired, Error, "x-1"},
		{"nom required", "nom", "", CodeRequired, Error, "EPN"},
		{"nom without any letter or digit", "nom", "?", CodeRequired, Error, "É"},
		{"adresse required", "adresse", "", CodeRequired, Error, "1 place de la Mairie"},
		{"code_postal required", "code_postal", "", CodeRequired, Error, "51100"},
		{"code_postal pattern", "code_postal", "5110A", CodePattern, Error, "51100"},
		{"code_postal leading zero", "code_postal", "1000", CodePostalRepaired, Warning, "51100"},
		{"code_postal serves the commune", "code_postal", "75001", CodePostalMismatch, Warning, "51100"},
		{"code_insee pattern", "code_insee", "5145", CodePattern, Error, "51454"},
		{"code_insee exists", "code_insee", "51999", CodeInseeUnknown, Error, "51454"},
		{"date_maj required", "date_maj", "", CodeRequired, Error, "2024-04-02"},
		{"date_maj real date", "date_maj", "2024-02-30", CodeDateInvalid, Error, "2024-02-29"},
		{"date_maj not in the future", "date_maj", "2027-01-01", CodeDateFuture, Error, "2026-11-22"},
		{"date_maj not 1970", "date_maj", "1970-01-01", CodeDatePlaceholder, Error, "2020-01-01"},
		{"date_maj not 1969-12-31 either", "date_maj", "1969-12-31", CodeDatePlaceholder, Error, "2020-01-01"},
		{"presentation_resume length", "presentation_resume", strings.Repeat("mot ", 80), CodeSummaryMoved, Warning, strings.Repeat("mot ", 60)},
		{"pivot SIRET Luhn", "pivot", "43493312300028", CodePivotInvalid, Error, "43493312300029"},
		{"pivot La Poste rule", "pivot", "35600000000057", CodePivotInvalid, Error, "35600000000056"},
		{"pivot placeholder", "pivot", "00000000000000", CodePivotPlaceholder, Warning, "434933123"},
		{"pivot missing", "pivot", "", CodePivotPlaceholder, Warning, "W751234567"},
		{"pivot garbage", "pivot", "ABC", CodePivotInvalid, Error, "434 933 123 00029"},
		{"telephone normalised", "telephone", "03 26 00 00 00", CodePhoneNormalised, Warning, "+33326000000"},
		{"telephone invalid", "telephone", "03 26 00", CodePhoneInvalid, Error, "+33326000000"},
		{"telephone foreign", "telephone", "+32 2 123 45 67", CodePhoneInvalid, Error, "+33326000000"},
		{"courriels well-formed", "courriels", "contact@reims", CodeEmailInvalid, Error, "contact@reims.fr|accueil@reims.fr"},
		{"site_web well-formed", "site_web", "http://", CodeURLInvalid, Error, "https://www.reims.fr"},
		{"site_web scheme added", "site_web", "www.reims.fr", CodeURLRepaired, Warning, "https://www.reims.fr"},
		{"prise_rdv well-formed", "prise_rdv", "ftp://x.fr", CodeURLInvalid, Error, "https://www.rdv-solidarites.fr/"},
		{"fiche_acces_libre well-formed", "fiche_acces_libre", "acceslibre", CodeURLInvalid, Error, "https://acceslibre.beta.gouv.fr/app/x/"},
		{"services vocabulary", "services", "aide aux demarches ADMINISTRATIVES", CodeValueCorrected, Warning, "Aide aux démarches administratives"},
		{"services unknown", "services", "Cours de cuisine", CodeUnknownValue, Error, "Loisirs et créations numériques"},
		{"publics vocabulary", "publics_specifiquement_adresses", "Retraités", CodeUnknownValue, Error, "Seniors"},
		{"prise en charge vocabulary", "prise_en_charge_specifique", "Handicap", CodeUnknownValue, Error, "Handicaps moteurs"},
		{"frais vocabulary", "frais_a_charge", "Gratis", CodeUnknownValue, Error, "Gratuit"},
		{"dispositifs vocabulary", "dispositif_programmes_nationaux", "France Service", CodeUnknownValue, Error, "France Services"},
		{"formations vocabulary", "formations_labels", "Pix", CodeUnknownValue, Error, "ORDI 3.0"},
		{"modalites_acces vocabulary", "modalites_acces", "Venir", CodeUnknownValue, Error, "Se présenter|Téléphoner"},
		{"modalites_accompagnement vocabulary", "modalites_accompagnement", "Seule", CodeUnknownValue, Error, "En autonomie"},
		{"itinerance vocabulary", "itinerance", "Mobile", CodeUnknownValue, Error, "Itinérant"},
		{"typologie vocabulary", "typologie", "MAIRIE", CodeUnknownValue, Error, "MUNI|BIB"},
		{"coordinates numbers", "latitude", "quarante-neuf", CodeCoordsInvalid, Error, "49,2535"},
		{"coordinates in France", "latitude", "10.5", CodeCoordsOutside, Error, "49.2535"},
		{"coordinates near the commune", "latitude", "48.8566", CodeCoordsFar, Warning, "49.26"},
		{"horaires valid OSM", "horaires", "demain peut-être", CodeHoursInvalid, Error, "Mo-Fr 09:00-12:00"},
		{"horaires repaired", "horaires", "Mo-Fr 09:00 - 12:00", CodeHoursRepaired, Warning, "Mo-Fr 09:00-12:00; PH off"},
		{"horaires cannot be guessed", "horaires", "Mo 09:00", CodeHoursInvalid, Error, "Mo 09:00-12:00"},
		{"legacy cle_ban reported", "cle_ban", "51454_1234_00012", CodeLegacyDropped, Warning, ""},
		{"legacy label without v1 equivalent", "labels_nationaux", "APTIC", CodeLegacyNoEquivalent, Warning, "CNFS;France Services"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			row := validRow()
			row[tt.field] = tt.bad
			_, fs := decodeMap(t, row)
			f, ok := findCode(fs, tt.code)
			if !ok {
				t.Fatalf("%s=%q: no %s finding in %v", tt.field, tt.bad, tt.code, fs)
			}
			if f.Severity != tt.severity {
				t.Errorf("%s=%q: severity %s, want %s (%s)", tt.field, tt.bad, f.Severity, tt.severity, f.Message)
			}
			if f.Message == "" || f.Row != 1 {
				t.Errorf("finding lacks message or row: %+v", f)
			}
			row[tt.field] = tt.good
			if tt.good == "" {
				delete(row, tt.field)
			}
			_, fs = decodeMap(t, row)
			if len(fs) != 0 {
				t.Errorf("%s=%q should pass, got %v", tt.field, tt.good, fs)
			}
		})
	}
}

func TestUnknownValueSuggestsClosest(t *testing.T) {
	row := validRow()
	row["services"] = "Aide aux demarches"
	delete(row, "services")
	row["services"] = "Aide aux démarche"
	_, fs := decodeMap(t, row)
	f, ok := findCode(fs, CodeUnknownValue)
	if !ok {
		t.Fatalf("no unknown value finding: %v", fs)
	}
	want := "Valeur inconnue « Aide aux démarche » : vouliez-vous dire « Aide aux démarches administratives » ?"
	if f.Message != want {
		t.Errorf("message = %q\nwant      %q", f.Message, want)
	}
}

func TestSwappedCoordinatesAreRepaired(t *testing.T) {
	row := validRow()
	row["latitude"], row["longitude"] = "4.0551", "49.2535"
	p, fs := decodeMap(t, row)
	if _, ok := findCode(fs, CodeCoordsSwapped); !ok {
		t.Fatalf("no swap finding: %v", fs)
	}
	if p.Latitude != 49.2535 || p.Longitude != 4.0551 {
		t.Errorf("coordinates not swapped back: %v,%v", p.Latitude, p.Longitude)
	}
	if HasError(fs) {
		t.Errorf("a repaired swap is not an error: %v", fs)
	}
}

func TestMissingCoordinatesAreAWarning(t *testing.T) {
	row := validRow()
	delete(row, "latitude")
	delete(row, "longitude")
	_, fs := decodeMap(t, row)
	f, ok := findCode(fs, CodeCoordsMissing)
	if !ok || f.Severity != Warning {
		t.Fatalf("want a coordinates-missing warning, got %v", fs)
	}
}

func TestOverseasPlaces(t *testing.T) {
	// Nouméa: RIDET pivot, 6-digit phone, southern latitude.
	row := map[string]string{
		"id": "nc-1", "pivot": "1234567001", "nom": "Espace municipal", "commune": "Nouméa",
		"code_postal": "98800", "code_insee": "98818", "adresse": "104 avenue Koenig",
		"latitude": "-22.233939", "longitude": "166.468099", "telephone": "44 57 28", "date_maj": "2023-11-05",
	}
	p, fs := decodeMap(t, row)
	if HasError(fs) {
		t.Fatalf("errors on a valid Nouméa row: %v", fs)
	}
	if p.Telephone != "+687445728" {
		t.Errorf("telephone = %q, want +687445728", p.Telephone)
	}
	// La Réunion: a 0262 number is +262.
	row = map[string]string{
		"id": "re-1", "pivot": "00000000000000", "nom": "EPN", "commune": "Saint-Denis",
		"code_postal": "97400", "adresse": "1 rue de Paris", "telephone": "0262 12 34 56", "date_maj": "2023-11-05",
	}
	p, fs = decodeMap(t, row)
	if p.Telephone != "+262262123456" {
		t.Errorf("telephone = %q, want +262262123456 (%v)", p.Telephone, fs)
	}
	if p.INSEECode != "97411" {
		t.Errorf("INSEE code from postal code + name = %q, want 97411", p.INSEECode)
	}
}

func TestLegacyRowIsMappedToV1(t *testing.T) {
	row := map[string]string{
		"id": "old-1", "pivot": "00000000000000", "nom": "EPN de Châteaubernard", "commune": "CHÂTEAUBERNARD",
		"code_postal": "16100", "adresse": "allée des justes de France", "latitude": "45.681367", "longitude": "-0.331217",
		"date_maj":                 "2023-02-22",
		"services":                 "Prendre en main un smartphone ou une tablette;Accéder à du matériel;S'équiper en matériel informatique",
		"conditions_acces":         "Gratuit : Je peux accéder gratuitement au lieu et à ses services;Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu",
		"labels_nationaux":         "CNFS;France Services;APTIC",
		"labels_autres":            "ZRR",
		"publics_accueillis":       "Seniors (+ 65 ans);Surdité;Adultes",
		"modalites_accompagnement": "Avec de l'aide : je suis accompagné seul dans l'usage du numérique",
		"courriel":                 "contact@chateaubernard.fr",
		"accessibilite":            "https://acceslibre.beta.gouv.fr/app/16-chateaubernard/",
	}
	p, fs := decodeMap(t, row)
	if HasError(fs) {
		t.Fatalf("errors: %v", fs)
	}
	got := Values(&p)
	want := map[string]string{
		FieldServices:           "Maîtrise des outils numériques du quotidien|Accès internet et matériel informatique|Acquisition de matériel informatique à prix solidaire",
		FieldFees:               "Gratuit",
		FieldNationalPrograms:   "Conseillers numériques|France Services",
		FieldOtherLabels:        "ZRR|APTIC|Pass numérique",
		FieldPublics:            "Seniors",
		FieldSpecificSupport:    "Surdité",
		FieldSupportModes:       "Accompagnement individuel",
		FieldEmails:             "contact@chateaubernard.fr",
		FieldAccessibilitySheet: "https://acceslibre.beta.gouv.fr/app/16-chateaubernard/",
		FieldINSEE:              "16089",
	}
	for i, c := range Columns {
		if w, ok := want[c]; ok && got[i] != w {
			t.Errorf("%s = %q, want %q", c, got[i], w)
		}
	}
	// APTIC, Pass numérique and Adultes have no v1 equivalent: each is said.
	n := 0
	for _, f := range fs {
		if f.Code == CodeLegacyNoEquivalent {
			n++
		}
	}
	if n != 3 {
		t.Errorf("want 3 legacy warnings (APTIC, Pass numérique, Adultes), got %d: %v", n, fs)
	}
}

func TestCNFSCommaSeparatedServices(t *testing.T) {
	row := validRow()
	row["services"] = "Prendre en main un smartphone ou une tablette, Prendre en main un ordinateur, Approfondir ma culture numérique"
	row["conditions_access"] = "Gratuit"
	p, fs := decodeMap(t, row)
	if HasError(fs) {
		t.Fatalf("errors: %v", fs)
	}
	if got := joinList(p.Services); got != "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique" {
		t.Errorf("services = %q", got)
	}
	if got := joinList(p.Fees); got != "Gratuit" {
		t.Errorf("fees = %q", got)
	}
}

func TestDuplicateIDs(t *testing.T) {
	d := NewDecoder(territory.Default())
	names := []string{"id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"}
	values := []string{"a", "00000000000000", "EPN", "Reims", "51100", "1 rue", "2024-01-01"}
	_, fs := d.Decode(1, names, values, nil)
	if _, dup := findCode(fs, CodeDuplicateID); dup {
		t.Fatal("first id reported as duplicate")
	}
	_, fs = d.Decode(2, names, values, nil)
	if _, dup := findCode(fs, CodeDuplicateID); !dup {
		t.Fatalf("second use of id not reported: %v", fs)
	}
}

func TestLongSummaryKeepsFullText(t *testing.T) {
	row := validRow()
	long := strings.Repeat("Nous accompagnons les habitants. ", 12)
	row["presentation_resume"] = long
	p, _ := decodeMap(t, row)
	if n := len([]rune(p.Summary)); n > SummaryMaxLength {
		t.Errorf("summary has %d characters", n)
	}
	if p.Description != strings.TrimSpace(long) {
		t.Errorf("full text not kept in the detail: %q", p.Description)
	}
}

// TestWindows1252SemicolonCSV reads a CSV as old spreadsheets save it:
// Windows-1252, ";" as delimiter, CRLF line ends.
func TestWindows1252SemicolonCSV(t *testing.T) {
	// "Médiathèque" and "démarches" in Windows-1252 (é = 0xE9, è = 0xE8).
	data := "id;pivot;nom;commune;code_postal;adresse;date_maj;services\r\n" +
		"m1;00000000000000;M\xe9diath\xe8que;Reims;51100;1 rue de Vesle;2024-04-02;Aide aux d\xe9marches administratives\r\n"
	rd, err := NewReader(strings.NewReader(data), "lieux.csv", territory.Default(), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Place.Name != "Médiathèque" || len(rec.Place.Services) != 1 || !rec.Valid() {
		t.Fatalf("decoded %q %v valid=%v %v", rec.Place.Name, rec.Place.Services, rec.Valid(), rec.Findings)
	}
}

func TestLenientContacts(t *testing.T) {
	row := validRow()
	row["telephone"] = "01 23"
	row["courriels"] = "contact@"
	row["site_web"] = "http://"
	d := NewDecoder(territory.Default())
	d.LenientContacts = true
	var names, values []string
	for k, v := range row {
		names, values = append(names, k), append(values, v)
	}
	p, fs := d.Decode(1, names, values, nil)
	if HasError(fs) {
		t.Fatalf("lenient contacts still give errors: %v", fs)
	}
	if p.Telephone != "" || len(p.Emails) != 0 || len(p.Websites) != 0 {
		t.Errorf("bad contacts kept in the place: %+v", p)
	}
	if p.Extra["telephone_invalide"] != "01 23" || p.Extra["courriels_invalide"] != "contact@" || p.Extra["site_web_invalide"] != "http://" {
		t.Errorf("bad contacts not kept aside: %v", p.Extra)
	}
	for _, code := range []string{CodePhoneInvalid, CodeEmailInvalid, CodeURLInvalid} {
		if f, ok := findCode(fs, code); !ok || f.Severity != Warning {
			t.Errorf("%s: %+v %v", code, f, ok)
		}
	}
}
