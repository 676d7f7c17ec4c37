package importer_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"maillage"
	"maillage/importer"
	"maillage/sqlite"
	"maillage/tabular"
	"maillage/territory"
)

func newStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.PutSource(context.Background(), maillage.Source{Name: "s", Title: "S"}); err != nil {
		t.Fatal(err)
	}
	return s
}

const header = "id,pivot,nom,commune,code_postal,adresse,date_maj,latitude,longitude\n"

func TestRunStoresQuarantinesAndGeocodes(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	data := header +
		"a,00000000000000,EPN,Reims,51100,1 rue,2024-01-01,49.25,4.03\n" + // stored, exact
		"b,00000000000000,EPN,Reims,51100,2 rue,2024-01-01,,\n" + // stored at the commune's centre
		"c,00000000000000,EPN,Reims,51100,,2024-01-01,49.25,4.03\n" + // no address: quarantined
		"d,00000000000000,EPN,Atlantide,99999,3 rue,2024-01-01,,\n" + // nowhere: quarantined
		"e,00000000000000,EPN,Reims,51100\n" // short row: unreadable, quarantined
	imp, err := importer.Run(ctx, store, territory.Default(), strings.NewReader(data), importer.Options{Source: "s", File: "f.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Read != 5 || imp.Stored != 2 || imp.Quarantined != 3 || imp.Read != imp.Stored+imp.Quarantined {
		t.Fatalf("counts: %+v", imp)
	}
	if imp.Added != 2 || !strings.HasPrefix(imp.Checksum, "sha256:") {
		t.Errorf("import: %+v", imp)
	}
	b, err := store.Record(ctx, "s", "b")
	if err != nil {
		t.Fatal(err)
	}
	lat, lon, _ := territory.Default().Centroid("51454")
	if b.Precision != maillage.PrecisionCommune || b.Place.Latitude != lat || b.Place.Longitude != lon || b.Place.INSEECode != "51454" {
		t.Errorf("b not at Reims's centre: %+v", b)
	}
	if string(b.Raw) == "" || !strings.Contains(string(b.Raw), `"adresse":"2 rue"`) {
		t.Errorf("raw row not kept: %s", b.Raw)
	}
	a, _ := store.Record(ctx, "s", "a")
	if a.Precision != maillage.PrecisionExact {
		t.Errorf("a precision %q", a.Precision)
	}
	var quarantined []string
	store.Quarantine(ctx, "s", func(q *maillage.QuarantinedRow) error {
		codes := []string{}
		for _, f := range q.Findings {
			if f.Severity == maillage.SeverityError {
				codes = append(codes, f.Code)
			}
		}
		quarantined = append(quarantined, q.RecordID+":"+strings.Join(codes, "+"))
		return nil
	})
	want := "c:champ_obligatoire d:lieu_non_localisable :ligne_illisible"
	if got := strings.Join(quarantined, " "); got != want {
		t.Errorf("quarantine = %q, want %q", got, want)
	}
}

func TestReimportIsUnchangedAndChangesAreCounted(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	v1 := header + "a,00000000000000,EPN,Reims,51100,1 rue,2024-01-01,49.25,4.03\nb,00000000000000,EPN,Reims,51100,2 rue,2024-01-01,,\n"
	run := func(data string) *maillage.Import {
		imp, err := importer.Run(ctx, store, territory.Default(), strings.NewReader(data), importer.Options{Source: "s", File: "f.csv"})
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	run(v1)
	again := run(v1)
	if again.Added != 0 || again.Changed != 0 || again.Unchanged != 2 || again.Removed != 0 {
		t.Fatalf("same file again: %+v", again)
	}
	v2 := header + "a,00000000000000,EPN Reims,Reims,51100,1 rue,2024-01-01,49.25,4.03\n"
	changed := run(v2)
	if changed.Added != 0 || changed.Changed != 1 || changed.Unchanged != 0 || changed.Removed != 1 {
		t.Fatalf("modified file: %+v", changed)
	}
}

func TestFailedImportKeepsPreviousVersion(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	v1 := header + "a,00000000000000,EPN,Reims,51100,1 rue,2024-01-01,49.25,4.03\n"
	if _, err := importer.Run(ctx, store, territory.Default(), strings.NewReader(v1), importer.Options{Source: "s", File: "f.csv"}); err != nil {
		t.Fatal(err)
	}
	cut := `[{"id":"z","nom":"Z","commune":"Reims","code_postal":"51100","adresse":"1 rue","date_maj":"2024-01-01"},{"id":`
	_, err := importer.Run(ctx, store, territory.Default(), strings.NewReader(cut), importer.Options{Source: "s", File: "f.json"})
	if err == nil {
		t.Fatal("a cut JSON file imported without error")
	}
	n := 0
	store.Records(ctx, "s", func(r *maillage.Record) error {
		n++
		if r.ID != "a" {
			t.Errorf("record %s from the failed import", r.ID)
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("%d records after a failed import, want 1", n)
	}
	if _, err := importer.Run(ctx, store, territory.Default(), strings.NewReader(v1), importer.Options{Source: "unknown", File: "f.csv"}); !errors.Is(err, maillage.ErrNotFound) {
		t.Errorf("unknown source: %v", err)
	}
}

// upperMapper is a Mapper that reads "NOM;VILLE;CP;RUE" files.
type upperMapper struct{}

func (upperMapper) ReaderOptions() tabular.Options {
	return tabular.Options{Format: tabular.CSV, Delimiter: ';'}
}

func (upperMapper) MapRow(row *tabular.Row) (importer.Mapped, error) {
	get := func(n string) string { v, _ := row.Get(n); return v }
	return importer.Mapped{
		Names:  []string{"id", "nom", "commune", "code_postal", "adresse", "date_maj"},
		Values: []string{get("NOM"), get("NOM"), get("VILLE"), get("CP"), get("RUE"), "2024-01-01"},
		Extra:  map[string]string{"horaires_texte": "le matin"},
		Findings: []maillage.Finding{{Field: "horaires", Code: "horaires_non_converties", Severity: maillage.SeverityWarning,
			Message: "horaires gardés en texte"}},
	}, nil
}

func TestRunWithMapper(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	data := "NOM;VILLE;CP;RUE\nEPN;Reims;51100;1 rue\n"
	imp, err := importer.Run(ctx, store, territory.Default(), strings.NewReader(data), importer.Options{Source: "s", File: "f.txt", Mapper: upperMapper{}})
	if err != nil || imp.Stored != 1 {
		t.Fatalf("%+v %v", imp, err)
	}
	r, _ := store.Record(ctx, "s", "EPN")
	if r.Place.Extra["horaires_texte"] != "le matin" || len(r.Warnings) == 0 || r.Warnings[0].Row != 1 {
		t.Errorf("mapping's extra and findings not kept: %+v", r)
	}
}
