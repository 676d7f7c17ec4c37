package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"maillage/tabular"
	"maillage/territory"
)

const sharedData = "../../shared"

// realFiles lists the national-schema files of ../shared; the test skips
// when they are absent (a clone without the shared folder).
func realFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedData, "data", "lieux_schema", "*.json"))
	files = append(files,
		filepath.Join(sharedData, "data", "data_inclusion", "data-inclusion-as-mednum-2023.json"),
		filepath.Join(sharedData, "spec", "exemple-valide-v1.csv"))
	var present []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			present = append(present, f)
		}
	}
	if len(present) < 3 {
		t.Skip("../shared/data absent: real-data tests skipped")
	}
	return present
}

func readFile(t *testing.T, name string, data []byte) (*Summary, []Record) {
	t.Helper()
	var recs []Record
	sum, err := ReadAll(bytes.NewReader(data), name, territory.Default(), tabular.Options{}, true, func(r *Record) error {
		cp := *r
		cp.Findings = append([]Finding(nil), r.Findings...)
		recs = append(recs, cp)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if sum.Fatal != "" {
		t.Fatalf("%s: reading stopped: %s", name, sum.Fatal)
	}
	return sum, recs
}

// TestRealFilesConvertAndRevalidate: every real file validates and converts;
// rows read = rows written + rows rejected; the converted file validates
// with zero errors and gives back the same places.
func TestRealFilesConvertAndRevalidate(t *testing.T) {
	for _, name := range realFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sum, recs := readFile(t, name, data)
			if sum.Rows == 0 {
				t.Fatal("no row read")
			}
			var out bytes.Buffer
			w, _ := NewWriter(&out, tabular.CSV)
			written, rejected := 0, 0
			for i := range recs {
				if recs[i].Valid() {
					written++
					if err := w.Write(&recs[i].Place); err != nil {
						t.Fatal(err)
					}
				} else {
					rejected++
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if sum.Rows != written+rejected || sum.Valid != written || sum.Invalid != rejected {
				t.Fatalf("rows %d != written %d + rejected %d (summary valid %d invalid %d)", sum.Rows, written, rejected, sum.Valid, sum.Invalid)
			}
			again, recs2 := readFile(t, "converti.csv", out.Bytes())
			if again.Invalid != 0 {
				for _, f := range again.Findings {
					if f.Severity == Error {
						t.Errorf("converted output has an error: %v", f)
						break
					}
				}
				t.Fatalf("converted output: %d rows in error", again.Invalid)
			}
			if again.Rows != written {
				t.Fatalf("converted output has %d rows, %d written", again.Rows, written)
			}
			i := 0
			for _, r := range recs {
				if !r.Valid() {
					continue
				}
				if a, b := Values(&r.Place), Values(&recs2[i].Place); !reflect.DeepEqual(a, b) {
					t.Fatalf("row %d changed through conversion:\n%q\n%q", r.Row, a, b)
				}
				i++
			}
			t.Logf("%s: %d rows, %d valid, %d rejected, %d warnings, legacy=%v", filepath.Base(name), sum.Rows, sum.Valid, sum.Invalid, sum.Warnings, sum.Legacy)
		})
	}
}

func TestOfficialExampleHasNoError(t *testing.T) {
	name := filepath.Join(sharedData, "spec", "exemple-valide-v1.csv")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Skip("../shared/spec absent")
	}
	sum, _ := readFile(t, name, data)
	if sum.Rows != 1 || sum.Invalid != 0 {
		t.Fatalf("official example: %d rows, %d invalid: %v", sum.Rows, sum.Invalid, sum.Findings)
	}
	if sum.Legacy {
		t.Error("the v1 example is not legacy")
	}
}

// TestRoundTripCSVJSONCSV: CSV → JSON → CSV preserves every field.
func TestRoundTripCSVJSONCSV(t *testing.T) {
	for _, name := range realFiles(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, _ := os.ReadFile(name)
			_, recs := readFile(t, name, data)
			var csv1 bytes.Buffer
			w, _ := NewWriter(&csv1, tabular.CSV)
			for i := range recs {
				if recs[i].Valid() {
					w.Write(&recs[i].Place)
				}
			}
			w.Close()
			for _, via := range []tabular.Format{tabular.JSON, tabular.NDJSON, tabular.GeoJSON} {
				_, fromCSV := readFile(t, "a.csv", csv1.Bytes())
				var mid bytes.Buffer
				w, _ := NewWriter(&mid, via)
				for i := range fromCSV {
					w.Write(&fromCSV[i].Place)
				}
				w.Close()
				_, fromMid := readFile(t, "b."+via.String(), mid.Bytes())
				var csv2 bytes.Buffer
				w, _ = NewWriter(&csv2, tabular.CSV)
				for i := range fromMid {
					w.Write(&fromMid[i].Place)
				}
				w.Close()
				if !bytes.Equal(csv1.Bytes(), csv2.Bytes()) {
					a, b := bytes.Split(csv1.Bytes(), []byte("\n")), bytes.Split(csv2.Bytes(), []byte("\n"))
					for i := range a {
						if i >= len(b) || !bytes.Equal(a[i], b[i]) {
							t.Fatalf("CSV → %s → CSV differs at line %d:\n%s\n%s", via, i+1, a[i], b[min(i, len(b)-1)])
						}
					}
					t.Fatalf("CSV → %s → CSV differs", via)
				}
			}
		})
	}
}
