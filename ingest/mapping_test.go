package ingest

import (
	"slices"
	"strings"
	"testing"

	"maillage"
	"maillage/tabular"
)

// header is the source part every test mapping needs.
const header = "source: {name: test}\n"

func mustParse(t *testing.T, yaml string) *Mapping {
	t.Helper()
	m, err := ParseMapping([]byte(header+yaml), "test.yaml")
	if err != nil {
		t.Fatalf("ParseMapping: %v\n%s", err, yaml)
	}
	return m
}

// row builds a row from "name=value" pairs.
func row(pairs ...string) *tabular.Row {
	r := &tabular.Row{Number: 7}
	for _, p := range pairs {
		name, value, _ := strings.Cut(p, "=")
		r.Names = append(r.Names, name)
		r.Values = append(r.Values, value)
	}
	return r
}

// get returns the mapped value of a field ("" when absent).
func get(md Mapped, field string) string {
	for i, n := range md.Names {
		if n == field {
			return md.Values[i]
		}
	}
	return ""
}

func codes(fs []maillage.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestParseMappingErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"not yaml", "source: [", "YAML illisible"},
		{"empty", "", "document YAML vide"},
		{"no name", "source: {title: x}", "source.name"},
		{"bad name", "source: {name: Mon Fichier}", "lettres minuscules"},
		{"unknown top key", header + "feilds: {}", "clé inconnue « feilds »"},
		{"unknown field", header + "fields: {nom_du_lieu: X}", "clé inconnue « nom_du_lieu »"},
		{"unknown value key", header + "fields: {nom: {colum: X}}", "clé inconnue « colum »"},
		{"two sources", header + "fields: {nom: {column: X, const: Y}}", "une seule source"},
		{"no source", header + "fields: {nom: {pad: 5}}", "une seule source"},
		{"bad regexp", header + "fields: {nom: {column: X, extract: '('}}", "expression régulière invalide"},
		{"unknown dictionary", header + "fields: {services: {column: X, map: nope}}", "dictionnaire « nope » inconnu"},
		{"unused dictionary", header + "dictionaries: {d: {values: {a: b}}}", "n'est utilisé par aucun champ"},
		{"duplicate dictionary key", header + "fields: {services: {column: X, map: {Été: a, ete: b}}}", "déjà dans le dictionnaire"},
		{"bad policy", header + "fields: {services: {column: X, map: {a: b}, unmapped: lose}}", "keep, drop ou ignore"},
		{"unmapped alone", header + "fields: {services: {column: X, unmapped: drop}}", "n'a de sens qu'avec"},
		{"quoted alone", header + "fields: {services: {column: X, quoted: true}}", "quoted n'a de sens"},
		{"template without column", header + "fields: {nom: {template: 'Mairie'}}", "ne cite aucune colonne"},
		{"template unclosed", header + "fields: {nom: {template: '{A'}}", "« { » sans « } »"},
		{"template group", header + "fields: {nom: {template: '{A} [{B}'}}", "« [ » sans « ] »"},
		{"date without year", header + "fields: {date_maj: {column: X, date: 'JJ/MM'}}", "sans année"},
		{"lat without lon", header + "coordinates: {latitude: X}", "vont ensemble"},
		{"lat twice", header + "fields: {latitude: X}\ncoordinates: {point: P}", "à la fois"},
		{"hours twice", header + "fields: {horaires: X}\nhours: {text: H}", "à la fois"},
		{"bad day", header + "hours: {days: {lundy: X}}", "jour inconnu"},
		{"bad format", header + "file: {format: xlsx}", "format inconnu"},
		{"bad delimiter", header + "file: {delimiter: '#'}", "séparateur"},
		{"bad header line", header + "file: {header_line: -1}", "entier positif"},
		{"reject without message", header + "reject: [{when: X}]", "when et message"},
		{"merge key", header + "x-a: &a {column: X}\nfields: {nom: {<<: *a}}", "fusion YAML"},
		{"not utf-8", "source: {name: \xff}", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMapping([]byte(tt.yaml), "test.yaml")
			if err == nil {
				t.Fatalf("pas d'erreur, attendu « %s »", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("erreur « %v », attendu « %s »", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "test.yaml") {
				t.Errorf("l'erreur ne nomme pas le fichier : %v", err)
			}
		})
	}
}

func TestParseMappingErrorLine(t *testing.T) {
	_, err := ParseMapping([]byte(header+"fields:\n  nom: X\n  services: {column: Y, map: absent}\n"), "s.yaml")
	if err == nil || !strings.Contains(err.Error(), "ligne 4") {
		t.Errorf("erreur %v : la ligne 4 est attendue", err)
	}
}

func TestSourceAndReaderOptions(t *testing.T) {
	m := mustParse(t, `
file:
  format: csv
  delimiter: ";"
  encoding: windows-1252
  header_line: 2
  skip_after_header: 1
  records_path: data.items
`)
	o := m.ReaderOptions()
	if o.Format != tabular.CSV || o.Delimiter != ';' || o.Encoding != "windows-1252" || o.HeaderLine != 2 || o.SkipAfterHeader != 1 || o.RecordsPath != "data.items" {
		t.Errorf("options = %+v", o)
	}
	m = mustParse(t, "")
	if m.Source().Name != "test" {
		t.Errorf("source = %+v", m.Source())
	}
	full, err := ParseMapping([]byte(`source: {name: x, title: T, producer: P, licence: L, homepage: H, territory: "49"}`), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := SourceInfo{Name: "x", Title: "T", Producer: "P", Licence: "L", Homepage: "H", Territory: "49"}
	if full.Source() != want {
		t.Errorf("source = %+v, attendu %+v", full.Source(), want)
	}
}

func TestMapValues(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		row    *tabular.Row
		field  string
		want   string
		codes  []string          // finding codes, in order
		extra  map[string]string // expected Extra entries
		noKeep bool
	}{
		{"column", "fields: {nom: Nom}", row("Nom= Mairie "), "nom", "Mairie", nil, nil, false},
		{"missing column", "fields: {nom: Nom}", row("Autre=x"), "nom", "", nil, nil, false},
		{"const", "fields: {source: {const: Ville}}", row(), "source", "Ville", nil, nil, false},
		{"null value", "file: {null_values: [None, '-']}\nfields: {nom: Nom}", row("Nom=None"), "nom", "", nil, nil, false},
		{"template", "fields: {adresse: {template: '{N°} {Rue}[, {Comp}]'}}", row("N°=3", "Rue=rue  Haute", "Comp="), "adresse", "3 rue Haute", nil, nil, false},
		{"template group kept", "fields: {adresse: {template: '{N°} {Rue}[, {Comp}]'}}", row("N°=", "Rue=rue Haute", "Comp=Bât. B"), "adresse", "rue Haute, Bât. B", nil, nil, false},
		{"template all empty", "fields: {adresse: {template: 'n° {N°}'}}", row("N°="), "adresse", "", nil, nil, false},
		{"template escapes", "fields: {nom: {template: '{A} [[{{x}}]]'}}", row("A=a"), "nom", "a [{x}]", nil, nil, false},
		{"template lines", "fields: {presentation_detail: {template: \"[A : {A}\\n][B : {B}]\"}}", row("A=1", "B=2"), "presentation_detail", "A : 1\nB : 2", nil, nil, false},
		{"first non-empty", "fields: {telephone: [Fixe, Mobile]}", row("Fixe=", "Mobile=0601020304"), "telephone", "0601020304", nil, nil, false},
		{"single field takes first", "fields: {telephone: [Fixe, Mobile]}", row("Fixe=0102030405", "Mobile=0601020304"), "telephone", "0102030405", nil, nil, false},
		{"columns joined", "fields: {courriels: {columns: [A, B, C]}}", row("A=a@x.fr", "B=", "C=c@x.fr"), "courriels", "a@x.fr|c@x.fr", nil, nil, false},
		{"duplicates joined once", "fields: {services: {columns: [A, B]}}", row("A=x", "B=x"), "services", "x", nil, nil, false},
		{"split", "fields: {autres_formations_labels: {column: L, split: ' / '}}", row("L=a / b /  / c"), "autres_formations_labels", "a|b|c", nil, nil, false},
		{"split quoted", "fields: {autres_formations_labels: {column: L, split: ',', quoted: true}}", row(`L=Adultes,"Petite enfance, 0-3 ans","Jeunesse`), "autres_formations_labels", "Adultes|Petite enfance, 0-3 ans|Jeunesse", nil, nil, false},
		{"split quoted lost outer quotes", "fields: {autres_formations_labels: {column: L, split: ',', quoted: true}}", row(`L=EPN",Tiers-Lieux,"Centre, social"`), "autres_formations_labels", "EPN|Tiers-Lieux|Centre, social", nil, nil, false},
		{"dictionary one to many", "fields: {services: {column: S, map: d}}\ndictionaries: {d: {values: {Accès libre: [En autonomie, Accès internet et matériel informatique]}}}", row("S=ACCES LIBRE"), "services", "En autonomie|Accès internet et matériel informatique", nil, nil, false},
		{"dictionary to nothing", "fields: {services: {column: S, map: {Autre: []}}}", row("S=autre"), "services", "", nil, nil, false},
		{"unmapped keep", "fields: {services: {column: S, split: ',', map: {EPN: Accès internet et matériel informatique}}}", row("S=EPN,Inconnu"), "services", "Accès internet et matériel informatique|Inconnu", nil, nil, false},
		{"unmapped drop", "fields: {services: {column: S, split: ',', map: d}}\ndictionaries: {d: {unmapped: drop, values: {EPN: Accès internet et matériel informatique}}}", row("S=EPN,Inconnu,Autre"), "services", "Accès internet et matériel informatique",
			[]string{CodeValueDropped, CodeValueDropped}, map[string]string{"services_non_repris": "Inconnu|Autre"}, false},
		{"unmapped ignore", "fields: {services: {column: S, split: ',', map: {EPN: X}, unmapped: ignore}}", row("S=EPN,Inconnu"), "services", "X", nil, nil, false},
		{"keywords", "fields: {services: {column: A, keywords: [{words: [démarches, administrati], values: Aide aux démarches administratives}, {words: [wifi], values: Accès internet et matériel informatique}]}}",
			row("A=Aide aux DEMARCHES en ligne ; accès WIFI"), "services", "Aide aux démarches administratives|Accès internet et matériel informatique", nil, nil, false},
		{"keywords word start only", "fields: {services: {column: A, keywords: [{words: [art], values: Loisirs et créations numériques}]}}", row("A=départ"), "services", "", nil, nil, false},
		{"keywords prefix", "fields: {services: {column: A, keywords: [{words: [administrati], values: X}]}}", row("A=Démarches administratives"), "services", "X", nil, nil, false},
		{"dictionary then keywords", "fields: {services: {column: A, split: ';', map: {EPN: E}, keywords: [{words: [imprim], values: I}]}}", row("A=EPN;imprimante;autre"), "services", "E|I|autre", nil, nil, false},
		{"flags", "fields: {modalites_accompagnement: {flags: {Libre: En autonomie, Indiv: Accompagnement individuel, Groupe: Dans un atelier collectif}}}", row("Libre=X", "Indiv=non", "Groupe=Oui"), "modalites_accompagnement", "En autonomie|Dans un atelier collectif", nil, nil, false},
		{"flags false values", "fields: {services: {flags: {Dem: Aide aux démarches administratives}, false_values: ['', Pas du tout]}}", row("Dem=Pas du tout"), "services", "", nil, nil, false},
		{"pad", "fields: {code_postal: {column: CP, pad: 5}}", row("CP=8000"), "code_postal", "08000", nil, nil, false},
		{"pad leaves text", "fields: {code_postal: {column: CP, pad: 5}}", row("CP=2A004"), "code_postal", "2A004", nil, nil, false},
		{"extract", "fields: {code_postal: {column: A, extract: '\\b(\\d{5})\\b'}}", row("A=3 rue X, 51200 Épernay"), "code_postal", "51200", nil, nil, false},
		{"extract no match", "fields: {code_postal: {column: A, extract: '\\b(\\d{5})\\b'}}", row("A=rue X"), "code_postal", "", nil, nil, false},
		{"replace", "fields: {telephone: {column: T, replace: [{pattern: '^33', with: '+33'}]}}", row("T=33630392518"), "telephone", "+33630392518", nil, nil, false},
		{"match drop", "fields: {site_web: {column: W, split: ' ', match: '\\.'}}", row("W=page facebook.com/x"), "site_web", "facebook.com/x",
			[]string{CodeValueDropped}, map[string]string{"site_web_non_repris": "page"}, false},
		{"match ignore", "fields: {code_postal: [{column: A, match: '^\\d{5}$', unmapped: ignore}, B]}", row("A=rue", "B=49000"), "code_postal", "49000", nil, nil, false},
		{"date french layout", "fields: {date_maj: {column: D, date: JJ/MM/AAAA}}", row("D=30/03/2023 08:46"), "date_maj", "2023-03-30", nil, nil, false},
		{"date go layout", "fields: {date_maj: {column: D, date: '2006/01/02 15:04:05.000'}}", row("D=2020/06/30 14:16:50.898"), "date_maj", "2020-06-30", nil, nil, false},
		{"date epoch ms", "fields: {date_maj: {column: D, date: epoch_ms}}", row("D=1700000000000"), "date_maj", "2023-11-14", nil, nil, false},
		{"date rfc3339", "fields: {date_maj: {column: D, date: rfc3339}}", row("D=2024-03-01T23:30:00-02:00"), "date_maj", "2024-03-02", nil, nil, false},
		{"date not matching kept", "fields: {date_maj: {column: D, date: JJ/MM/AAAA}}", row("D=hier"), "date_maj", "hier", nil, nil, false},
		{"date fix by dictionary", "fields: {date_maj: {column: D, map: {09/0102023: 09/01/2023}, date: JJ/MM/AAAA}}", row("D=09/0102023"), "date_maj", "2023-01-09", nil, nil, false},
		{"commune of postal code", "fields: {commune: {commune_of: {column: CP, pad: 5}}}", row("CP=51200"), "commune", "Épernay", nil, nil, false},
		{"commune named in text", "fields: {commune: {commune_of: {postal_code: CP, text: [Nom]}}}", row("CP=92400", "Nom=CCAS de Courbevoie"), "commune", "Courbevoie", nil, nil, false},
		{"commune not named", "fields: {commune: {commune_of: {postal_code: CP, text: [Nom]}}}", row("CP=16140", "Nom=Mairie"), "commune", "", nil, nil, false},
		{"postal code of commune", "fields: {code_postal: {postal_code_of: {commune: C, departement: '49'}}}", row("C=Angers"), "code_postal", "", nil, nil, false},
		{"postal code of small commune", "fields: {code_postal: {postal_code_of: {commune: C, departement: '16'}}}", row("C=Tusson"), "code_postal", "16140", nil, nil, false},
		{"extra", "extra: {transports: [T1, T2]}", row("T1=bus 5", "T2=tram A"), "", "", nil, map[string]string{"transports": "bus 5|tram A"}, false},
		{"empty field", "keep_schema_columns: true\nfields: {publics_accueillis: ~}", row("publics_accueillis=Adultes", "nom=X"), "publics_accueillis", "", nil, nil, false},
		{"keep schema columns", "keep_schema_columns: true\nfields: {pivot: SIRET}", row("Adresse=1 rue X", "conditions_access=Gratuit", "SIRET=1", "autre=z"), "adresse", "1 rue X", nil, nil, false},
		{"keep schema columns typo", "keep_schema_columns: true", row("conditions_access=Gratuit"), "conditions_acces", "Gratuit", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.yaml)
			md, err := m.Map(tt.row)
			if err != nil {
				t.Fatal(err)
			}
			if len(md.Names) != len(md.Values) {
				t.Fatalf("%d noms pour %d valeurs", len(md.Names), len(md.Values))
			}
			if tt.field != "" {
				if got := get(md, tt.field); got != tt.want {
					t.Errorf("%s = %q, attendu %q", tt.field, got, tt.want)
				}
			}
			if got := codes(md.Findings); !slices.Equal(got, tt.codes) {
				t.Errorf("constats %v, attendu %v", got, tt.codes)
			}
			for _, f := range md.Findings {
				if f.Row != 7 || f.Message == "" {
					t.Errorf("constat sans ligne ou sans message : %+v", f)
				}
			}
			for k, v := range tt.extra {
				if md.Extra[k] != v {
					t.Errorf("Extra[%s] = %q, attendu %q", k, md.Extra[k], v)
				}
			}
		})
	}
}

func TestMapKeepSchemaColumnsOverride(t *testing.T) {
	m := mustParse(t, "keep_schema_columns: true\nfields: {nom: Structure}")
	md, _ := m.Map(row("nom=ancien", "Structure=nouveau", "services=Accéder à du matériel"))
	if get(md, "nom") != "nouveau" {
		t.Errorf("nom = %q : le champ de la correspondance doit l'emporter", get(md, "nom"))
	}
	if get(md, "services") != "Accéder à du matériel" {
		t.Errorf("services = %q : la colonne du schéma doit être reprise", get(md, "services"))
	}
	if slices.Contains(md.Names, "Structure") {
		t.Error("une colonne hors schéma ne doit pas sortir")
	}
}

func TestHashID(t *testing.T) {
	m := mustParse(t, "fields: {id: {hash: [Nom, Adresse]}}")
	id := func(nom, adresse string) string {
		md, _ := m.Map(row("Nom="+nom, "Adresse="+adresse))
		return get(md, "id")
	}
	a := id("Médiathèque Simone-Veil", "1 rue Langevin")
	if len(a) != 21 || a[0] != 'h' {
		t.Errorf("id %q : « h » et 20 chiffres hexadécimaux attendus", a)
	}
	if b := id("MEDIATHEQUE SIMONE VEIL", " 1 Rue Langevin "); b != a {
		t.Errorf("la casse, les accents et la ponctuation changent l'id : %q ≠ %q", b, a)
	}
	if c := id("Médiathèque Simone-Veil", "2 rue Langevin"); c == a {
		t.Error("changer l'adresse doit changer l'id")
	}
	if d := id("Médiathèque Simone-Veil 1 rue", "Langevin"); d == a {
		t.Error("déplacer des mots d'une colonne à l'autre doit changer l'id")
	}
	// The id is stable across versions: a change here breaks every
	// source's record ids.
	if a != "h6bab5755990ac21a56b0" {
		t.Errorf("id = %q : l'empreinte a changé de calcul", a)
	}
}

func TestReject(t *testing.T) {
	m := mustParse(t, `
reject:
  - {when: AFFICHAGE, in: [inactif], message: lieu inactif}
  - {when: Nom, empty: true, message: sans nom}
  - {when: Ferme, message: fermé}
`)
	tests := []struct {
		row   *tabular.Row
		codes []string
	}{
		{row("AFFICHAGE=OUVERT", "Nom=X"), nil},
		{row("AFFICHAGE=INACTIF", "Nom=X"), []string{CodeRejected}},
		{row("AFFICHAGE=", "Nom="), []string{CodeRejected}},
		{row("Nom=X", "Ferme=oui"), []string{CodeRejected}},
	}
	for i, tt := range tests {
		md, _ := m.Map(tt.row)
		if got := codes(md.Findings); !slices.Equal(got, tt.codes) {
			t.Errorf("%d : constats %v, attendu %v", i, got, tt.codes)
		}
		for _, f := range md.Findings {
			if f.Severity != maillage.SeverityError {
				t.Errorf("%d : une ligne écartée est une erreur, pas %s", i, f.Severity)
			}
		}
	}
}

func TestMapNilRow(t *testing.T) {
	if _, err := mustParse(t, "").Map(nil); err == nil {
		t.Error("une ligne absente doit donner une erreur")
	}
}

func TestColumnsAndCheckColumns(t *testing.T) {
	m := mustParse(t, `
fields:
  nom: Nom
  adresse: {template: "{N°} {Rue}"}
  id: {hash: [Nom, CP]}
  services: {flags: {Wifi: Accès internet et matériel informatique}}
coordinates: {lambert93: {x: X, y: Y}}
hours: {days: {lundi: Lundi}}
extra: {t: Transport}
reject: [{when: Etat, in: [fermé], message: fermé}]
`)
	want := []string{"CP", "Etat", "Lundi", "Nom", "N°", "Rue", "Transport", "Wifi", "X", "Y"}
	if got := m.Columns(); !slices.Equal(got, want) {
		t.Errorf("Columns = %q, attendu %q", got, want)
	}
	if err := m.CheckColumns(want); err != nil {
		t.Errorf("CheckColumns : %v", err)
	}
	err := m.CheckColumns([]string{"Nom", "CP"})
	if err == nil || !strings.Contains(err.Error(), "« Rue »") {
		t.Errorf("CheckColumns = %v, la colonne Rue manque", err)
	}
}

func TestAnchors(t *testing.T) {
	m := mustParse(t, `
x-gratuit: &gratuit {words: [gratuit], values: Gratuit}
fields:
  frais_a_charge: {column: Tarif, keywords: [*gratuit]}
`)
	md, _ := m.Map(row("Tarif=accès gratuit"))
	if get(md, "frais_a_charge") != "Gratuit" {
		t.Errorf("frais_a_charge = %q", get(md, "frais_a_charge"))
	}
}

func TestAliasBomb(t *testing.T) {
	yaml := header + `x-a: &a [{column: A}, {column: A}, {column: A}, {column: A}, {column: A}, {column: A}, {column: A}, {column: A}, {column: A}, {column: A}]
x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
fields: {services: {all: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}}
`
	_, err := ParseMapping([]byte(yaml), "bombe.yaml")
	if err == nil || !strings.Contains(err.Error(), "trop") {
		t.Errorf("err = %v, attendu un refus", err)
	}
}
