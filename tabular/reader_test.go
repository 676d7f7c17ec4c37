package tabular

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readAll reads every record of content, keeping good rows and errors.
func readAll(t *testing.T, name, content string, opt Options) (*Reader, []*Row, []*RowError) {
	t.Helper()
	r, err := NewReader(strings.NewReader(content), name, opt)
	if err != nil {
		t.Fatalf("NewReader : %v", err)
	}
	var rows []*Row
	var errs []*RowError
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("erreur qui n'est pas une *RowError : %v", err)
			}
			errs = append(errs, re)
			if re.Fatal {
				break
			}
		}
		if row != nil {
			if len(row.Names) != len(row.Values) {
				t.Fatalf("%d noms pour %d valeurs", len(row.Names), len(row.Values))
			}
			rows = append(rows, row)
		}
	}
	return r, rows, errs
}

// fields returns the row as name=value pairs.
func fields(row *Row) []string {
	out := make([]string, len(row.Names))
	for i := range row.Names {
		out[i] = row.Names[i] + "=" + row.Values[i]
	}
	return out
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
		err        bool
	}{
		{"lieux.csv", `{"a":1}`, CSV, false},
		{"lieux.TSV", "a\tb", CSV, false},
		{"lieux.ndjson", "", NDJSON, false},
		{"lieux.jsonl", `[1]`, NDJSON, false},
		{"carte.geojson", `[`, GeoJSON, false},
		{"lieux.json", "\ufeff  [ {\"a\": 1} ]", JSON, false},
		{"lieux.json", `{"data": [{"a": 1}]}`, JSON, false},
		{"lieux.json", `{"type": "FeatureCollection", "features": []}`, GeoJSON, false},
		{"lieux.json", `{"features": [], "type": "FeatureCollection"}`, GeoJSON, false},
		{"lieux.json", `{"type": "FeatureCollection", "features": [{"type": "Feat`, GeoJSON, false},
		{"lieux.json", "{\"a\": 1}\n{\"a\": 2}\n", NDJSON, false},
		{"lieux.json", "{\"a\": 1}", JSON, false},
		{"export", "nom;commune\nx;y\n", CSV, false},
		{"export.txt", "[{}]", JSON, false},
		{"export", "  \n", Auto, true},
		{"export", "", Auto, true},
	}
	for _, tt := range tests {
		got, err := DetectFormat(tt.name, []byte(tt.head))
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("DetectFormat(%q, %q) = %v, %v ; attendu %v, erreur %v", tt.name, tt.head, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("erreur %v : attendu ErrUnknownFormat", err)
		}
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		head string
		want rune
	}{
		{"a,b,c\n1;2;3;4;5", ','},
		{"a;b;c\r\n", ';'},
		{"a\tb\tc", '\t'},
		{"a|b|c", '|'},
		{`"x;y;z",b,c`, ','},              // delimiters inside quotes do not count
		{`"x ""q;u;o;t;e""",b`, ','},      // escaped quotes stay inside
		{"\"multi\nline;;;\",b,c\n", ','}, // a quoted line break does not end the header
		{`a "b;c" d;e,f`, ';'},            // a quote inside a field does not open a quoted field
		{"a,b;c", ','},                    // tie: ',' first
		{"a;b\tc", ';'},                   // tie: ';' before tab
		{"a\tb|c", '\t'},
		{"nom", ','}, // one column
		{"", ','},
	}
	for _, tt := range tests {
		if got := detectDelimiter([]byte(tt.head)); got != tt.want {
			t.Errorf("detectDelimiter(%q) = %q, attendu %q", tt.head, got, tt.want)
		}
	}
}

func TestCleanHeader(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{" nom ", "\ufeffid", "commune"}, []string{"nom", "id", "commune"}},
		{[]string{"Mardi", "Mardi", "Mardi"}, []string{"Mardi", "Mardi_2", "Mardi_3"}},
		{[]string{"Mardi", "Mardi", "Mardi_2"}, []string{"Mardi", "Mardi_3", "Mardi_2"}},
		{[]string{"a", "", " ", "b"}, []string{"a", "colonne_2", "colonne_3", "b"}},
		{[]string{"", "colonne_1"}, []string{"colonne_1", "colonne_1_2"}},
	}
	for _, tt := range tests {
		if got := cleanHeader(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("cleanHeader(%q) = %q, attendu %q", tt.in, got, tt.want)
		}
	}
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opt     Options
		header  []string
		rows    [][]string // name=value per row
		lines   []int
		errs    []string // RowError texts
	}{
		{
			name:    "BOM, semicolons, CRLF",
			content: "\ufeffnom;code_postal\r\nMédiathèque;01000\r\nMairie;2A004\r\n",
			header:  []string{"nom", "code_postal"},
			rows:    [][]string{{"nom=Médiathèque", "code_postal=01000"}, {"nom=Mairie", "code_postal=2A004"}},
			lines:   []int{2, 3},
		},
		{
			name:    "quoted line break, line numbers",
			content: "id,texte\n1,\"deux\nlignes\"\n2,\"a \"\"b\"\"\"\n\n3,c\n",
			header:  []string{"id", "texte"},
			rows:    [][]string{{"id=1", "texte=deux\nlignes"}, {"id=2", `texte=a "b"`}, {"id=3", "texte=c"}},
			lines:   []int{2, 4, 6},
		},
		{
			name:    "bare quotes kept (LazyQuotes)",
			content: "nom,ville\nMaison \"France Services\",Guéret\n",
			header:  []string{"nom", "ville"},
			rows:    [][]string{{`nom=Maison "France Services"`, "ville=Guéret"}},
			lines:   []int{2},
		},
		{
			name:    "wrong field counts",
			content: "a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n",
			header:  []string{"a", "b", "c"},
			rows:    [][]string{{"a=1", "b=2", "c="}, {"a=1", "b=2", "c=3"}, {"a=1", "b=2", "c=3"}},
			lines:   []int{2, 3, 4},
			errs: []string{
				"ligne 2 (enregistrement 1) : 2 champs au lieu de 3 (les champs manquants sont vides)",
				"ligne 3 (enregistrement 2) : 4 champs au lieu de 3 (les champs en trop sont ignorés)",
			},
		},
		{
			name:    "title line and second header line",
			content: "Export du 2020-07-09\n;;Horaires;\nnom;ville;Lundi;Lundi\n;;matin;après-midi\nA;B;9h;14h\n",
			opt:     Options{HeaderLine: 3, SkipAfterHeader: 1},
			header:  []string{"nom", "ville", "Lundi", "Lundi_2"},
			rows:    [][]string{{"nom=A", "ville=B", "Lundi=9h", "Lundi_2=14h"}},
			lines:   []int{5},
		},
		{
			name:    "forced delimiter",
			content: "a|b,c\n1|2,3\n",
			opt:     Options{Delimiter: ','},
			header:  []string{"a|b", "c"},
			rows:    [][]string{{"a|b=1|2", "c=3"}},
			lines:   []int{2},
		},
		{
			name:    "tabs and spaces around names",
			content: " a \t b\n1\t2\n",
			header:  []string{"a", "b"},
			rows:    [][]string{{"a=1", "b=2"}},
			lines:   []int{2},
		},
		{
			name:    "header only",
			content: "a,b\n",
			header:  []string{"a", "b"},
		},
	}
	for _, tt := range tests {
		for _, reuse := range []bool{false, true} {
			opt := tt.opt
			opt.ReuseRow = reuse
			r, err := NewReader(strings.NewReader(tt.content), "test.csv", opt)
			if err != nil {
				t.Fatalf("%s : %v", tt.name, err)
			}
			if !reflect.DeepEqual(r.Header(), tt.header) {
				t.Errorf("%s : Header() = %q, attendu %q", tt.name, r.Header(), tt.header)
			}
			var rows [][]string
			var lines []int
			var errs []string
			for {
				row, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					errs = append(errs, err.Error())
				}
				if row != nil {
					rows = append(rows, fields(row)) // copied: the row may be reused
					lines = append(lines, row.Line)
				}
			}
			if !reflect.DeepEqual(rows, tt.rows) || !reflect.DeepEqual(lines, tt.lines) || !reflect.DeepEqual(errs, tt.errs) {
				t.Errorf("%s (reuse %v) :\n lignes %q %v erreurs %q\n attendu %q %v %q", tt.name, reuse, rows, lines, errs, tt.rows, tt.lines, tt.errs)
			}
		}
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		name, content string
		opt           Options
		want          string
	}{
		{"vide.csv", "", Options{Format: CSV}, "vide.csv : ligne 1 : ligne d'en-tête absente (fichier vide)"},
		{"court.csv", "titre\n", Options{HeaderLine: 3}, "court.csv : ligne d'en-tête 3 : le fichier n'a que 1 ligne(s) avant l'en-tête attendu"},
		{"d.csv", "a\"b\n", Options{Delimiter: '"'}, `d.csv : délimiteur '"' invalide`},
		{"e.csv", "a,b\n", Options{Encoding: "ebcdic"}, `e.csv : encodage "ebcdic" non pris en charge (utf-8, windows-1252, latin1, utf-16le, utf-16be)`},
	}
	for _, tt := range tests {
		_, err := NewReader(strings.NewReader(tt.content), tt.name, tt.opt)
		if err == nil || err.Error() != tt.want {
			t.Errorf("NewReader(%q) : erreur %v, attendu %q", tt.name, err, tt.want)
		}
	}
}

func TestReuseRow(t *testing.T) {
	content := "a,b\n1,2\n3,4\n"
	r, err := NewReader(strings.NewReader(content), "x.csv", Options{ReuseRow: true})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := r.Next()
	v := first.Values[0]
	second, _ := r.Next()
	if first != second || second.Values[0] != "3" || v != "1" {
		t.Errorf("ReuseRow : même Row %v, valeurs %q et %q ; attendu la même Row, \"3\", et la chaîne gardée \"1\"", first == second, second.Values[0], v)
	}
	r, _ = NewReader(strings.NewReader(content), "x.csv", Options{})
	first, _ = r.Next()
	second, _ = r.Next()
	if first == second || first.Values[0] != "1" {
		t.Errorf("sans ReuseRow les Row doivent être distinctes et intactes : %q", first.Values)
	}
}

func TestEncoding(t *testing.T) {
	latin := "nom;ville\nM\xe9diath\xe8que;Gu\xe9ret \x80 \x92\n" // Windows-1252
	asciiPad := strings.Repeat("x", sniffSize+100)
	// A 2-byte character cut by the 64 KiB limit must not make the head invalid.
	cut := "nom\n" + strings.Repeat("a", sniffSize-5) + "é\n"
	tests := []struct {
		name, content, enc string
		wantEnc            string
		wantLast           string // value of the last row's first field
	}{
		{"windows-1252 detected", latin, "", EncodingWindows1252, "Médiathèque"},
		{"latin1 forced", latin, "latin1", EncodingWindows1252, "Médiathèque"},
		{"utf-8 with BOM", "\ufeffnom\nÉcole\n", "", EncodingUTF8, "École"},
		{"utf-8 forced with BOM", "\ufeffnom\nÉcole\n", "UTF-8", EncodingUTF8, "École"},
		{"utf-8 char cut at 64 KiB", cut, "", EncodingUTF8, strings.Repeat("a", sniffSize-5) + "é"},
		{"windows-1252 after 64 KiB of ASCII", "nom\n" + asciiPad + "\nCr\xe9teil\n", "", EncodingUTF8, "Créteil"},
		{"utf-16le with BOM", utf16LE("\ufeffnom;ville\nÉcole;Sète\n"), "", EncodingUTF16LE, "École"},
		{"utf-16be with BOM", utf16BE("\ufeffnom\nÉcole\n"), "", EncodingUTF16BE, "École"},
	}
	for _, tt := range tests {
		r, rows, errs := readAll(t, "x.csv", tt.content, Options{Encoding: tt.enc})
		if r.Encoding() != tt.wantEnc || len(errs) > 0 || len(rows) == 0 {
			t.Errorf("%s : encodage %s, %d lignes, erreurs %v ; attendu %s", tt.name, r.Encoding(), len(rows), errs, tt.wantEnc)
			continue
		}
		if got := rows[len(rows)-1].Values[0]; got != tt.wantLast {
			t.Errorf("%s : valeur %.30q, attendu %.30q", tt.name, got, tt.wantLast)
		}
		if r.Header()[0] != "nom" {
			t.Errorf("%s : en-tête %q", tt.name, r.Header())
		}
	}
	_, rows, _ := readAll(t, "x.csv", latin, Options{})
	if got := rows[0].Values[1]; got != "Guéret € ’" {
		t.Errorf("Windows-1252 : %q, attendu %q", got, "Guéret € ’")
	}
}

func utf16LE(s string) string {
	var b bytes.Buffer
	for _, r := range s { // BMP only in these tests
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	return b.String()
}

func utf16BE(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		b.WriteByte(byte(r >> 8))
		b.WriteByte(byte(r))
	}
	return b.String()
}

func TestLenientUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"é", "é"},
		{"\xe9t\xe9", "été"},
		{"caf\xc3", "cafÃ"},   // truncated UTF-8 at EOF: taken as Windows-1252
		{"\xe2\x82\xac", "€"}, // valid 3-byte character
		{"\xe2\x82", "â‚"},
		{"\xff\xfe", "ÿþ"},
	}
	for _, tt := range tests {
		// Read one byte at a time to cross every chunk boundary.
		l := &lenientUTF8{src: &oneByteReader{s: tt.in}}
		got, err := io.ReadAll(l)
		if err != nil || string(got) != tt.want {
			t.Errorf("lenientUTF8(%q) = %q, %v ; attendu %q", tt.in, got, err, tt.want)
		}
	}
}

type oneByteReader struct{ s string }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(o.s) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = o.s[0]
	o.s = o.s[1:]
	return 1, nil
}

func TestJSONValues(t *testing.T) {
	content := `[
 {"nom": "Médiathèque \u00e9\"x\"", "latitude": 43.52609, "lon": -1.5e3, "big": 36750100000000,
  "ouvert": true, "ferme": false, "vide": null,
  "services": ["Accéder à du matériel", "Se former", 3, null, true],
  "seul": ["un"], "aucun": [],
  "adresse": {"commune": "Guéret", "geo": {"lat": 46.17, "lon": 1.87}},
  "creneaux": [{"j": "lu"}, {"j": "ma"}], "matrice": [[1, 2], [3]],
  "objet_vide": {}}
]`
	_, rows, errs := readAll(t, "x.json", content, Options{})
	if len(rows) != 1 || len(errs) != 0 {
		t.Fatalf("%d lignes, erreurs %v", len(rows), errs)
	}
	want := []string{
		`nom=Médiathèque é"x"`, "latitude=43.52609", "lon=-1.5e3", "big=36750100000000",
		"ouvert=true", "ferme=false", "vide=",
		"services=Accéder à du matériel|Se former|3||true",
		"seul=un", "aucun=",
		"adresse.commune=Guéret", "adresse.geo.lat=46.17", "adresse.geo.lon=1.87",
		`creneaux=[{"j":"lu"},{"j":"ma"}]`, "matrice=[[1,2],[3]]",
		"objet_vide=",
	}
	if got := fields(rows[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("champs :\n %q\nattendu\n %q", got, want)
	}
	if v, ok := rows[0].Get("adresse.commune"); !ok || v != "Guéret" {
		t.Errorf("Get(adresse.commune) = %q, %v", v, ok)
	}
	if _, ok := rows[0].Get("absent"); ok {
		t.Error("Get(absent) trouvé")
	}
	if rows[0].Raw == nil || rows[0].Line != 0 || rows[0].Number != 1 {
		t.Errorf("Raw %v, Line %d, Number %d", rows[0].Raw != nil, rows[0].Line, rows[0].Number)
	}
}

func TestJSONRecordsAndHeader(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opt     Options
		header  []string
		rows    [][]string
		errs    []string
	}{
		{
			name:    "header is the union in first-seen order",
			content: `[{"a": 1, "b": 2}, {"b": 3, "c": 4}, {"a": 5, "b": 6}]`,
			header:  []string{"a", "b", "c"},
			rows:    [][]string{{"a=1", "b=2"}, {"b=3", "c=4"}, {"a=5", "b=6"}},
		},
		{
			name:    "records under the only array of objects",
			content: `{"total": 2, "tags": ["x", "y"], "empty": [], "meta": {"v": [{"no": 1}]}, "data": [{"a": 1}, {"a": 2}], "fin": true}`,
			header:  []string{"a"},
			rows:    [][]string{{"a=1"}, {"a=2"}},
		},
		{
			name:    "RecordsPath through nested objects",
			content: `{"meta": {"n": 1}, "result": {"x": [1], "items": [{"a": "z"}]}}`,
			opt:     Options{RecordsPath: "result.items"},
			header:  []string{"a"},
			rows:    [][]string{{"a=z"}},
		},
		{
			name:    "two arrays of objects is ambiguous",
			content: `{"lieux": [{"a": 1}], "services": [{"b": 2}]}`,
			header:  []string{"a"},
			rows:    [][]string{{"a=1"}},
			errs:    []string{`l'objet JSON a deux tableaux d'objets, "lieux" (lu) et "services" : indiquez RecordsPath pour choisir`},
		},
		{
			name:    "a record that is not an object is skipped",
			content: `[{"a": 1}, 2, {"a": 3}]`,
			header:  []string{"a"},
			rows:    [][]string{{"a=1"}, {"a=3"}},
			errs:    []string{"enregistrement 2 : l'enregistrement n'est pas un objet JSON"},
		},
		{
			name:    "syntax error is fatal",
			content: `[{"a": 1}, {"a": 2,, }, {"a": 3}]`,
			header:  []string{"a"},
			rows:    [][]string{{"a=1"}},
			errs:    []string{"enregistrement 2 (octet 18) : JSON invalide (la suite du fichier ne peut pas être lue) : invalid character ',' looking for beginning of object key string"},
		},
		{
			name:    "truncated file is fatal",
			content: `[{"a": 1}, {"a": 2`,
			header:  []string{"a"},
			rows:    [][]string{{"a=1"}},
			errs:    []string{"enregistrement 2 (octet 10) : JSON invalide (la suite du fichier ne peut pas être lue) : unexpected EOF"},
		},
		{
			name:    "empty array",
			content: ` [ ] `,
			header:  []string{},
		},
		{
			name:    "a JSON record with a geometry",
			content: `[{"nom": "x", "geometry": {"type": "Point", "coordinates": [2.5, 46.1]}}]`,
			header:  []string{"nom", "geometry.type", "geometry.coordinates"},
			rows:    [][]string{{"nom=x", "geometry.type=Point", "geometry.coordinates=2.5|46.1"}},
		},
	}
	for _, tt := range tests {
		r, rows, errs := readAll(t, "x.json", tt.content, tt.opt)
		var got [][]string
		for _, row := range rows {
			got = append(got, fields(row))
		}
		var gotErrs []string
		for _, e := range errs {
			gotErrs = append(gotErrs, e.Error())
		}
		if !reflect.DeepEqual(got, tt.rows) || !reflect.DeepEqual(gotErrs, tt.errs) || !reflect.DeepEqual(r.Header(), tt.header) {
			t.Errorf("%s :\n lignes %q erreurs %q en-tête %q\n attendu %q %q %q", tt.name, got, gotErrs, r.Header(), tt.rows, tt.errs, tt.header)
		}
	}
}

func TestJSONFatalIsSticky(t *testing.T) {
	r, err := NewReader(strings.NewReader(`[{"a": 1} {"a": 2}]`), "x.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	var re *RowError
	if !errors.As(err1, &re) || !re.Fatal || err1 != err2 {
		t.Errorf("erreurs %v puis %v : attendu la même *RowError fatale", err1, err2)
	}
}

func TestJSONOpenErrors(t *testing.T) {
	tests := []struct {
		content string
		opt     Options
		want    string
	}{
		{``, Options{Format: JSON}, "x : fichier JSON vide"},
		{`"texte"`, Options{Format: JSON}, "x : le fichier JSON doit commencer par [ ou {, pas par texte"},
		{`{"a": [1, 2], "b": {"c": [{"d": 1}]}}`, Options{}, "x : aucun tableau d'objets trouvé dans l'objet JSON : indiquez RecordsPath"},
		{`{"a": []}`, Options{RecordsPath: "b"}, `x : membre "b" introuvable dans l'objet JSON`},
		{`{"a": {}}`, Options{RecordsPath: "a"}, `x : le membre "a" n'est pas un tableau`},
		{`{"a": []}`, Options{RecordsPath: "a.b"}, `x : le membre "a" n'est pas un objet`},
		{`[]`, Options{RecordsPath: "a"}, `x : RecordsPath "a" donné, mais le fichier est un tableau JSON et non un objet`},
	}
	for _, tt := range tests {
		opt := tt.opt
		if opt.Format == Auto {
			opt.Format = JSON
		}
		_, err := NewReader(strings.NewReader(tt.content), "x", opt)
		if err == nil || err.Error() != tt.want {
			t.Errorf("NewReader(%q) : %v ; attendu %q", tt.content, err, tt.want)
		}
	}
}

func TestNDJSON(t *testing.T) {
	content := "{\"a\": 1}\n\n{\"a\": \"deux\", \"b\": [1,2]}\r\n{\"a\": 3,\n[4]\n{\"a\": 5}"
	r, rows, errs := readAll(t, "x.ndjson", content, Options{})
	var got [][]string
	var lines []int
	for _, row := range rows {
		got = append(got, fields(row))
		lines = append(lines, row.Line)
	}
	want := [][]string{{"a=1"}, {"a=deux", "b=1|2"}, {"a=5"}}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(lines, []int{1, 3, 6}) {
		t.Errorf("lignes %q %v, attendu %q [1 3 6]", got, lines, want)
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	wantErrs := []string{
		"ligne 4 (enregistrement 3) : JSON invalide : unexpected end of JSON input",
		"ligne 5 (enregistrement 4) : l'enregistrement n'est pas un objet JSON",
	}
	if !reflect.DeepEqual(msgs, wantErrs) {
		t.Errorf("erreurs %q, attendu %q", msgs, wantErrs)
	}
	if r.Format() != NDJSON || !reflect.DeepEqual(r.Header(), []string{"a", "b"}) {
		t.Errorf("format %v, en-tête %q", r.Format(), r.Header())
	}
}

func TestGeoJSON(t *testing.T) {
	content := `{"type": "FeatureCollection", "name": "carte", "_umap_options": {"x": [1]}, "features": [
  {"type": "Feature", "id": 7, "properties": {"nom": "A", "adresse": {"commune": "Guéret"}},
   "geometry": {"type": "Point", "coordinates": [1.8716, 46.1714]}},
  {"type": "Feature", "id": "f2", "properties": {"id": "p2", "nom": "B"}, "geometry": null},
  {"type": "Feature", "properties": null, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
]}`
	r, rows, errs := readAll(t, "carte.json", content, Options{})
	if r.Format() != GeoJSON || len(errs) != 0 || len(rows) != 3 {
		t.Fatalf("format %v, %d lignes, erreurs %v", r.Format(), len(rows), errs)
	}
	wantFields := [][]string{{"nom=A", "adresse.commune=Guéret", "id=7"}, {"id=p2", "nom=B"}, {}}
	for i, row := range rows {
		if got := fields(row); !reflect.DeepEqual(got, wantFields[i]) {
			t.Errorf("entité %d : %q, attendu %q", i+1, got, wantFields[i])
		}
	}
	points := []struct {
		lon, lat float64
		ok       bool
	}{{1.8716, 46.1714, true}, {0, 0, false}, {0, 0, false}}
	for i, row := range rows {
		lon, lat, ok := row.Point()
		if lon != points[i].lon || lat != points[i].lat || ok != points[i].ok {
			t.Errorf("entité %d : Point() = %v, %v, %v ; attendu %v", i+1, lon, lat, ok, points[i])
		}
	}
	if !reflect.DeepEqual(r.Header(), []string{"nom", "adresse.commune", "id"}) {
		t.Errorf("en-tête %q", r.Header())
	}
}

func TestPoint(t *testing.T) {
	tests := []struct {
		geometry string
		lon, lat float64
		ok       bool
	}{
		{`{"type":"Point","coordinates":[-61.5, 16.25]}`, -61.5, 16.25, true},
		{`{"type":"Point","coordinates":[1, 2, 300]}`, 1, 2, true},
		{`{"type":"Point","coordinates":[1]}`, 0, 0, false},
		{`{"type":"Point","coordinates":["1","2"]}`, 0, 0, false},
		{`{"type":"Polygon","coordinates":[[[0,0]]]}`, 0, 0, false},
		{``, 0, 0, false},
	}
	for _, tt := range tests {
		row := &Row{Geometry: []byte(tt.geometry)}
		lon, lat, ok := row.Point()
		if lon != tt.lon || lat != tt.lat || ok != tt.ok {
			t.Errorf("Point(%s) = %v, %v, %v ; attendu %v, %v, %v", tt.geometry, lon, lat, ok, tt.lon, tt.lat, tt.ok)
		}
	}
}

func TestRowGetWithoutIndex(t *testing.T) {
	row := &Row{Names: []string{"a", "b", "a"}, Values: []string{"1", "2", "3"}}
	tests := []struct {
		name, want string
		ok         bool
	}{{"a", "1", true}, {"b", "2", true}, {"c", "", false}}
	for _, tt := range tests {
		if got, ok := row.Get(tt.name); got != tt.want || ok != tt.ok {
			t.Errorf("Get(%q) = %q, %v ; attendu %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatString(t *testing.T) {
	tests := map[Format]string{Auto: "auto", CSV: "csv", JSON: "json", NDJSON: "ndjson", GeoJSON: "geojson", Format(42): "format inconnu"}
	for f, want := range tests {
		if f.String() != want {
			t.Errorf("%d.String() = %q, attendu %q", int(f), f.String(), want)
		}
	}
}

func TestLenientUTF8ManyBadBytes(t *testing.T) {
	// 1 MiB of bytes that are not UTF-8 after an ASCII head: must stay linear.
	content := "nom\n" + strings.Repeat("a", sniffSize) + "\n" + strings.Repeat("\xe9", 1<<20) + "\n"
	_, rows, errs := readAll(t, "x.csv", content, Options{})
	if len(errs) != 0 || len(rows) != 2 || rows[1].Values[0] != strings.Repeat("é", 1<<20) {
		t.Errorf("%d lignes, erreurs %v", len(rows), errs)
	}
}
