package schema

import (
	"bytes"
	"strings"
	"testing"

	"maillage/tabular"
	"maillage/territory"
)

func FuzzNormalizePivot(f *testing.F) {
	for _, s := range []string{"43493312300029", "434 933 123 00029", "00000000000000", "W751234567", "35600000000056", "1234567001", "", "W2A1234567", "A12345001"} {
		f.Add(s, "")
		f.Add(s, "988")
	}
	f.Fuzz(func(t *testing.T, s, zone string) {
		n, kind, err := NormalizePivot(s, zone)
		if err != nil {
			if n != "" || kind != "" {
				t.Fatalf("error with a value: %q %q", n, kind)
			}
			return
		}
		// A normalised pivot fits the schema's pattern ^[a-zA-Z0-9]{9,14}$
		// and normalising it again changes nothing.
		if len(n) < 9 || len(n) > 14 || !isAlnum(n) {
			t.Fatalf("NormalizePivot(%q) = %q: not 9-14 letters or digits", s, n)
		}
		n2, kind2, err := NormalizePivot(n, zone)
		if err != nil || n2 != n || kind2 != kind {
			t.Fatalf("not idempotent: %q → %q (%s) → %q (%s, %v)", s, n, kind, n2, kind2, err)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"+33180059880", "01 80 05 98 80", "0033 1 80 05 98 80", "+33 (0)1 80 05 98 80", "0262 12 34 56", "44 57 28", "01.80.05.98.80 / 06 12 34 56 78", "3939", "", "++33"} {
		f.Add(s, "")
		f.Add(s, "988")
	}
	f.Fuzz(func(t *testing.T, s, zone string) {
		p, _, err := NormalizePhone(s, zone)
		if err != nil {
			return
		}
		// The schema's pattern: a French calling code then 6 to 9 digits.
		ok := false
		for _, cc := range allowedCallingCodes {
			rest, found := strings.CutPrefix(p, "+"+cc)
			if found && len(rest) >= 6 && len(rest) <= 9 && isDigits(rest) {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("NormalizePhone(%q) = %q: not in the schema's form", s, p)
		}
		p2, _, err := NormalizePhone(p, zone)
		if err != nil || p2 != p {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", s, p, p2, err)
		}
	})
}

// FuzzReadCSV runs the whole reading of a CSV file: no panic, and every row
// read is counted valid or invalid.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("id,nom,commune,code_postal,adresse,date_maj,pivot\nx,EPN,Reims,51100,1 rue,2024-01-01,00000000000000\n"))
	f.Add([]byte("id;nom;services\n1;A;Prendre en main un ordinateur, Accéder à du matériel\n2;\"B;C\";x\n"))
	f.Add([]byte("\xef\xbb\xbfid,latitude,longitude\n1,49,4\n2,4,49\n3,abc,\n"))
	fuzzRead(f, "f.csv")
}

// FuzzReadJSON is FuzzReadCSV for JSON arrays and NDJSON.
func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`[{"id":"1","nom":"A","latitude":49.1,"longitude":4.2,"services":["Aide aux démarches administratives"]}]`))
	f.Add([]byte(`{"data":[{"id":"1","labels_nationaux":"CNFS;APTIC","conditions_access":"Gratuit"}]}`))
	f.Add([]byte(`[{"id":1},{"id":null},{"id":{"a":[1,2]}}]`))
	fuzzRead(f, "f.json")
}

func fuzzRead(f *testing.F, name string) {
	terr := territory.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		rows := 0
		sum, err := ReadAll(bytes.NewReader(data), name, terr, tabular.Options{}, false, func(r *Record) error {
			rows++
			return nil
		})
		if err != nil {
			return
		}
		if sum.Rows != rows || sum.Valid+sum.Invalid != sum.Rows {
			t.Fatalf("rows %d, summary %+v", rows, sum)
		}
	})
}
