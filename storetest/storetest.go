// Package storetest is the conformance suite of maillage.Store: every
// implementation (sqlite, postgres) runs the same tests through Run and the
// same import benchmark through BenchmarkImport, so they behave alike.
//
// The suite fixes what the interface comments leave open:
//
//   - PutSource checks the name (lower-case letters, digits, "-"): ErrInvalid;
//   - Source, Records, Quarantine and Imports of an unknown source, Record of
//     an unknown id, BeginImport of an unknown source: ErrNotFound;
//   - Put of an ID already put in the same import: ErrConflict, at once, and
//     the import goes on without that record (the caller may quarantine it);
//     a record without ID, of another source or with a Raw that is not JSON,
//     a quarantined row without findings: ErrInvalid, the import goes on;
//   - Commit fills ID, Source, Stored, Quarantined, Added, Changed,
//     Unchanged, Removed, Read when it is 0, and truncates the times to the
//     microsecond in UTC; a Read other than Stored+Quarantined is an
//     ErrInvalid and nothing changes;
//   - a second BeginImport of a source whose import is under way:
//     ErrConflict, at once; imports of different sources may both proceed
//     (SQLite makes the second wait for the first);
//   - cancelling the context given to BeginImport abandons the import;
//   - ids sort by their bytes (as Go compares strings), whatever the
//     database's collation.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"maillage"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call, and close it when the test ends (Close is idempotent, tests may
// close it first).
func Run(t *testing.T, open func(t *testing.T) maillage.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st maillage.Store)
	}{
		{"Sources", testSources},
		{"SourceNames", testSourceNames},
		{"UnknownSource", testUnknownSource},
		{"RoundTrip", testRoundTrip},
		{"ImportDiff", testImportDiff},
		{"ImportReport", testImportReport},
		{"OnlyRowChanged", testOnlyRowChanged},
		{"EmptyImport", testEmptyImport},
		{"DuplicateID", testDuplicateID},
		{"InvalidRows", testInvalidRows},
		{"ReadCountMismatch", testReadCountMismatch},
		{"Quarantine", testQuarantine},
		{"RecordsOrder", testRecordsOrder},
		{"RecordPlaces", testRecordPlaces},
		{"UncommittedInvisible", testUncommittedInvisible},
		{"Rollback", testRollback},
		{"Cancel", testCancel},
		{"SameSourceTwice", testSameSourceTwice},
		{"ConcurrentImports", testConcurrentImports},
		{"ReadersDuringImports", testReadersDuringImports},
		{"Close", testClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// testTimeout bounds every wait of the suite: a store that blocks fails the
// test instead of hanging it.
const testTimeout = 30 * time.Second

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func putSource(t *testing.T, st maillage.Store, name string) {
	t.Helper()
	if err := st.PutSource(testContext(t), maillage.Source{Name: name, Title: "Source " + name}); err != nil {
		t.Fatalf("PutSource(%s): %v", name, err)
	}
}

// record returns a small record of source.
func record(source, id, fingerprint string, row int) *maillage.Record {
	return &maillage.Record{
		Source: source, ID: id, Row: row, Fingerprint: fingerprint, Precision: maillage.PrecisionExact,
		Place: maillage.Place{ID: id, Name: "Lieu " + id + " " + fingerprint},
		Raw:   json.RawMessage(`{"id":"` + id + `"}`),
	}
}

func quarantined(source string, row int) *maillage.QuarantinedRow {
	return &maillage.QuarantinedRow{
		Source: source, Row: row, RecordID: fmt.Sprintf("q%d", row),
		Raw: json.RawMessage(fmt.Sprintf(`{"ligne":%d}`, row)),
		Findings: []maillage.Finding{{Row: row, Field: "nom", Code: "nom_manquant", Severity: maillage.SeverityError,
			Message: "le nom du lieu manque"}},
	}
}

// load imports recs and quar into source and returns the import's report.
func load(t *testing.T, st maillage.Store, source string, recs []*maillage.Record, quar []*maillage.QuarantinedRow) maillage.Import {
	t.Helper()
	ctx := testContext(t)
	imp, err := st.BeginImport(ctx, source)
	if err != nil {
		t.Fatalf("BeginImport(%s): %v", source, err)
	}
	defer imp.Rollback()
	for _, r := range recs {
		if err := imp.Put(ctx, r); err != nil {
			t.Fatalf("Put(%s): %v", r.ID, err)
		}
	}
	for _, q := range quar {
		if err := imp.Quarantine(ctx, q); err != nil {
			t.Fatalf("Quarantine(%d): %v", q.Row, err)
		}
	}
	report := maillage.Import{File: source + ".csv", Checksum: "sha256:00"}
	if err := imp.Commit(ctx, &report); err != nil {
		t.Fatalf("Commit(%s): %v", source, err)
	}
	return report
}

func records(t *testing.T, st maillage.Store, source string) []maillage.Record {
	t.Helper()
	var list []maillage.Record
	err := st.Records(testContext(t), source, func(r *maillage.Record) error {
		list = append(list, *r)
		return nil
	})
	if err != nil {
		t.Fatalf("Records(%q): %v", source, err)
	}
	return list
}

// ids returns "source/id" of every record of source.
func ids(t *testing.T, st maillage.Store, source string) []string {
	t.Helper()
	var list []string
	for _, r := range records(t, st, source) {
		list = append(list, r.Source+"/"+r.ID)
	}
	return list
}

func quarantineRows(t *testing.T, st maillage.Store, source string) []maillage.QuarantinedRow {
	t.Helper()
	var list []maillage.QuarantinedRow
	err := st.Quarantine(testContext(t), source, func(q *maillage.QuarantinedRow) error {
		list = append(list, *q)
		return nil
	})
	if err != nil {
		t.Fatalf("Quarantine(%q): %v", source, err)
	}
	return list
}

func testSources(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	if list, err := st.Sources(ctx); err != nil || len(list) != 0 {
		t.Fatalf("Sources of an empty store = %v, %v; want none", list, err)
	}
	hinaura := maillage.Source{
		Name: "hinaura", Title: "Hinaura", Producer: "Hub Hinaura", Licence: "etalab-2.0",
		Homepage: "https://hinaura.fr", Territory: "Auvergne-Rhône-Alpes", Format: "csv",
		Mapping: "mappings/hinaura.yaml", Trust: 3,
	}
	other := maillage.Source{Name: "conseiller-numerique", Title: "Conseillers numériques", Trust: -1}
	for _, src := range []maillage.Source{hinaura, other} {
		if err := st.PutSource(ctx, src); err != nil {
			t.Fatalf("PutSource(%s): %v", src.Name, err)
		}
	}
	got, err := st.Source(ctx, "hinaura")
	if err != nil || !reflect.DeepEqual(got, hinaura) {
		t.Fatalf("Source(hinaura) = %+v, %v; want %+v", got, err, hinaura)
	}

	// PutSource updates, and never sets LastImport.
	hinaura.Title, hinaura.Trust, hinaura.Mapping = "Hinaura (nouveau titre)", 5, ""
	withImport := hinaura
	withImport.LastImport = &maillage.Import{ID: 999}
	if err := st.PutSource(ctx, withImport); err != nil {
		t.Fatalf("PutSource(update): %v", err)
	}
	list, err := st.Sources(ctx)
	if err != nil {
		t.Fatalf("Sources: %v", err)
	}
	if want := []maillage.Source{other, hinaura}; !reflect.DeepEqual(list, want) {
		t.Fatalf("Sources = %+v; want %+v (by name, updated)", list, want)
	}

	// LastImport follows the latest committed import.
	first := load(t, st, "hinaura", []*maillage.Record{record("hinaura", "a", "1", 1)}, nil)
	second := load(t, st, "hinaura", []*maillage.Record{record("hinaura", "a", "2", 1)}, nil)
	got, err = st.Source(ctx, "hinaura")
	if err != nil {
		t.Fatalf("Source: %v", err)
	}
	if got.LastImport == nil || !reflect.DeepEqual(*got.LastImport, second) {
		t.Fatalf("LastImport = %+v; want %+v", got.LastImport, second)
	}
	if first.ID >= second.ID {
		t.Errorf("import ids %d then %d; want increasing", first.ID, second.ID)
	}
	list, err = st.Sources(ctx)
	if err != nil {
		t.Fatalf("Sources: %v", err)
	}
	if list[0].LastImport != nil || list[1].LastImport == nil || list[1].LastImport.ID != second.ID {
		t.Fatalf("Sources LastImport = %+v, %+v; want nil, import %d", list[0].LastImport, list[1].LastImport, second.ID)
	}
}

func testSourceNames(t *testing.T, st maillage.Store) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"hinaura", true},
		{"cd-42", true},
		{"2024-aura", true},
		{"", false},
		{"Hinaura", false},
		{"hub aura", false},
		{"-aura", false},
		{"héraut", false},
		{"a/b", false},
	}
	for _, tt := range tests {
		err := st.PutSource(testContext(t), maillage.Source{Name: tt.name})
		switch {
		case tt.ok && err != nil:
			t.Errorf("PutSource(%q) = %v; want nil", tt.name, err)
		case !tt.ok && !errors.Is(err, maillage.ErrInvalid):
			t.Errorf("PutSource(%q) = %v; want ErrInvalid", tt.name, err)
		}
	}
}

func testUnknownSource(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "known")
	calls := []struct {
		name string
		call func() error
	}{
		{"Source", func() error { _, err := st.Source(ctx, "inconnue"); return err }},
		{"BeginImport", func() error {
			imp, err := st.BeginImport(ctx, "inconnue")
			if err == nil {
				imp.Rollback()
			}
			return err
		}},
		{"Records", func() error {
			return st.Records(ctx, "inconnue", func(*maillage.Record) error { return nil })
		}},
		{"RecordPlaces", func() error {
			return st.RecordPlaces(ctx, "inconnue", func(*maillage.Record) error { return nil })
		}},
		{"Quarantine", func() error {
			return st.Quarantine(ctx, "inconnue", func(*maillage.QuarantinedRow) error { return nil })
		}},
		{"Imports", func() error { _, err := st.Imports(ctx, "inconnue"); return err }},
		{"Record of an unknown source", func() error { _, err := st.Record(ctx, "inconnue", "a"); return err }},
		{"Record of an unknown id", func() error { _, err := st.Record(ctx, "known", "a"); return err }},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, maillage.ErrNotFound) {
			t.Errorf("%s = %v; want ErrNotFound", c.name, err)
		}
	}
	// A known source without imports has none, and no error.
	if list, err := st.Imports(ctx, "known"); err != nil || len(list) != 0 {
		t.Errorf("Imports(known) = %v, %v; want none", list, err)
	}
}

func testRoundTrip(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	full := FullRecord("aura", "full", 7)
	bare := &maillage.Record{Source: "aura", ID: "bare", Row: 8, Place: maillage.Place{ID: "bare", Name: "Lieu"}}
	commune := FullRecord("aura", "commune", 9)
	commune.Precision = maillage.PrecisionCommune
	commune.Warnings = []maillage.Finding{} // empty, not nil
	commune.Place.UpdatedOn = time.Time{}
	load(t, st, "aura", []*maillage.Record{full, bare, commune}, nil)

	tests := []struct {
		id   string
		want *maillage.Record
	}{
		{"full", full},
		{"bare", bare},
		{"commune", commune},
	}
	for _, tt := range tests {
		got, err := st.Record(ctx, "aura", tt.id)
		if err != nil {
			t.Fatalf("Record(%s): %v", tt.id, err)
		}
		if !reflect.DeepEqual(got, *tt.want) {
			t.Errorf("Record(%s) =\n%#v\nwant\n%#v", tt.id, got, *tt.want)
		}
	}
	if got := records(t, st, "aura"); !reflect.DeepEqual(got, []maillage.Record{*bare, *commune, *full}) {
		t.Errorf("Records = %#v\nwant bare, commune, full as put", got)
	}
	if got := records(t, st, "aura")[2].Place.UpdatedOn; got.Location() != time.UTC || !got.Equal(full.Place.UpdatedOn) {
		t.Errorf("UpdatedOn = %v (%v); want %v in UTC", got, got.Location(), full.Place.UpdatedOn)
	}
}

func testImportDiff(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	putSource(t, st, "other")
	load(t, st, "other", []*maillage.Record{record("other", "b", "x", 1)}, nil)
	first := load(t, st, "aura", []*maillage.Record{
		record("aura", "a", "1", 1), record("aura", "b", "1", 2), record("aura", "c", "1", 3), record("aura", "e", "1", 4),
	}, nil)
	if first.Added != 4 || first.Changed+first.Unchanged+first.Removed != 0 || first.Stored != 4 {
		t.Fatalf("first import = %+v; want 4 added and stored", first)
	}
	second := load(t, st, "aura", []*maillage.Record{
		record("aura", "a", "1", 1), // unchanged
		record("aura", "b", "2", 2), // changed
		record("aura", "d", "1", 3), // added
		record("aura", "e", "1", 9), // unchanged, other row
	}, nil)
	want := maillage.Import{ID: second.ID, Source: "aura", File: "aura.csv", Checksum: "sha256:00",
		Read: 4, Stored: 4, Added: 1, Changed: 1, Unchanged: 2, Removed: 1}
	if second != want {
		t.Errorf("second import = %+v; want %+v", second, want)
	}
	if got, want := ids(t, st, "aura"), []string{"aura/a", "aura/b", "aura/d", "aura/e"}; !slices.Equal(got, want) {
		t.Errorf("records = %v; want %v", got, want)
	}
	if r, err := st.Record(testContext(t), "aura", "b"); err != nil || r.Fingerprint != "2" || r.Place.Name != "Lieu b 2" {
		t.Errorf("Record(b) = %+v, %v; want the new version", r, err)
	}
	if got := ids(t, st, "other"); !slices.Equal(got, []string{"other/b"}) {
		t.Errorf("the other source's records = %v; want [other/b], untouched", got)
	}
}

func testImportReport(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	paris := time.FixedZone("Europe/Paris", 2*3600)
	started := time.Date(2024, time.May, 1, 10, 0, 0, 123456789, paris)
	var reports []maillage.Import
	for i := range 3 {
		imp, err := st.BeginImport(ctx, "aura")
		if err != nil {
			t.Fatal(err)
		}
		if err := imp.Put(ctx, record("aura", "a", fmt.Sprint(i), 1)); err != nil {
			t.Fatal(err)
		}
		if err := imp.Quarantine(ctx, quarantined("aura", 2)); err != nil {
			t.Fatal(err)
		}
		report := maillage.Import{
			Source: "aura", File: fmt.Sprintf("aura-%d.csv", i), Checksum: fmt.Sprintf("sha256:%064d", i),
			StartedAt: started.Add(time.Duration(i) * time.Hour), FinishedAt: started.Add(time.Duration(i)*time.Hour + 90*time.Second),
			Read: 2,
		}
		if err := imp.Commit(ctx, &report); err != nil {
			t.Fatal(err)
		}
		wantStart := time.Date(2024, time.May, 1, 8+i, 0, 0, 123456000, time.UTC)
		if !report.StartedAt.Equal(wantStart) || report.StartedAt.Location() != time.UTC {
			t.Errorf("StartedAt = %v; want %v", report.StartedAt, wantStart)
		}
		if report.Stored != 1 || report.Quarantined != 1 || report.ID == 0 {
			t.Errorf("report = %+v; want an ID, 1 stored, 1 quarantined", report)
		}
		reports = append([]maillage.Import{report}, reports...)
	}
	list, err := st.Imports(ctx, "aura")
	if err != nil {
		t.Fatalf("Imports: %v", err)
	}
	if !reflect.DeepEqual(list, reports) {
		t.Errorf("Imports =\n%+v\nwant newest first\n%+v", list, reports)
	}
}

func testOnlyRowChanged(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	first := []*maillage.Record{record("aura", "a", "1", 1), record("aura", "b", "1", 2),
		record("aura", "c", "1", 3), record("aura", "d", "1", 4)}
	load(t, st, "aura", first, nil)
	// Same fingerprints: unchanged, but what else differs is kept.
	row := record("aura", "a", "1", 5)
	raw := record("aura", "b", "1", 2)
	raw.Raw = json.RawMessage(`{"id": "b", "nom": "  espaces  "}`)
	warnings := record("aura", "c", "1", 3)
	warnings.Warnings = []maillage.Finding{{Row: 3, Code: "espaces", Severity: maillage.SeverityWarning}}
	precision := record("aura", "d", "1", 4)
	precision.Precision = maillage.PrecisionCommune
	second := []*maillage.Record{row, raw, warnings, precision}
	report := load(t, st, "aura", second, nil)
	if report.Unchanged != 4 || report.Changed != 0 {
		t.Errorf("report = %+v; want 4 unchanged", report)
	}
	for _, r := range second {
		got, err := st.Record(testContext(t), "aura", r.ID)
		if err != nil || !reflect.DeepEqual(got, *r) {
			t.Errorf("Record(%s) = %+v, %v; want %+v", r.ID, got, err, *r)
		}
	}
}

func testEmptyImport(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 1), record("aura", "b", "1", 2)},
		[]*maillage.QuarantinedRow{quarantined("aura", 3)})
	report := load(t, st, "aura", nil, nil)
	if report.Removed != 2 || report.Read != 0 || report.Stored != 0 {
		t.Errorf("report = %+v; want 2 removed", report)
	}
	if got := ids(t, st, "aura"); len(got) != 0 {
		t.Errorf("records = %v; want none", got)
	}
	if got := quarantineRows(t, st, "aura"); len(got) != 0 {
		t.Errorf("quarantine = %v; want none", got)
	}
}

func testDuplicateID(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	imp, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	if err := imp.Put(ctx, record("aura", "a", "first", 1)); err != nil {
		t.Fatal(err)
	}
	if err := imp.Put(ctx, record("aura", "b", "1", 2)); err != nil {
		t.Fatal(err)
	}
	err = imp.Put(ctx, record("aura", "a", "second", 3))
	if !errors.Is(err, maillage.ErrConflict) {
		t.Fatalf("Put of a duplicate id = %v; want ErrConflict", err)
	}
	// The import goes on: the caller quarantines the duplicate.
	if err := imp.Quarantine(ctx, quarantined("aura", 3)); err != nil {
		t.Fatalf("Quarantine after a conflict: %v", err)
	}
	if err := imp.Put(ctx, record("aura", "c", "1", 4)); err != nil {
		t.Fatalf("Put after a conflict: %v", err)
	}
	report := maillage.Import{Read: 4}
	if err := imp.Commit(ctx, &report); err != nil {
		t.Fatalf("Commit after a conflict: %v", err)
	}
	if report.Stored != 3 || report.Quarantined != 1 {
		t.Errorf("report = %+v; want 3 stored, 1 quarantined", report)
	}
	if r, err := st.Record(ctx, "aura", "a"); err != nil || r.Fingerprint != "first" {
		t.Errorf("Record(a) = %+v, %v; want the first one put", r, err)
	}
}

func testInvalidRows(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	imp, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	noID := record("aura", "", "1", 1)
	otherSource := record("autre", "a", "1", 2)
	badRaw := record("aura", "b", "1", 3)
	badRaw.Raw = json.RawMessage(`{"id": "b"`)
	noFindings := quarantined("aura", 4)
	noFindings.Findings = nil
	badQuarantineRaw := quarantined("aura", 5)
	badQuarantineRaw.Raw = json.RawMessage("pas du json")
	otherQuarantine := quarantined("autre", 6)
	calls := []struct {
		name string
		err  error
	}{
		{"Put without an id", imp.Put(ctx, noID)},
		{"Put of another source", imp.Put(ctx, otherSource)},
		{"Put with a raw that is not JSON", imp.Put(ctx, badRaw)},
		{"Quarantine without findings", imp.Quarantine(ctx, noFindings)},
		{"Quarantine with a raw that is not JSON", imp.Quarantine(ctx, badQuarantineRaw)},
		{"Quarantine of another source", imp.Quarantine(ctx, otherQuarantine)},
	}
	for _, c := range calls {
		if !errors.Is(c.err, maillage.ErrInvalid) {
			t.Errorf("%s = %v; want ErrInvalid", c.name, c.err)
		}
	}
	// Refused rows spoil nothing: the import still commits what is valid.
	if err := imp.Put(ctx, record("", "ok", "1", 7)); err != nil {
		t.Fatalf("Put of a record without source (the import's): %v", err)
	}
	report := maillage.Import{}
	if err := imp.Commit(ctx, &report); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := ids(t, st, "aura"); !slices.Equal(got, []string{"aura/ok"}) || report.Stored != 1 || report.Read != 1 {
		t.Errorf("records = %v, report %+v; want aura/ok only", got, report)
	}
}

func testReadCountMismatch(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	before := load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 1)}, nil)
	imp, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	if err := imp.Put(ctx, record("aura", "b", "1", 1)); err != nil {
		t.Fatal(err)
	}
	report := maillage.Import{Read: 3} // two rows lost
	if err := imp.Commit(ctx, &report); !errors.Is(err, maillage.ErrInvalid) {
		t.Fatalf("Commit with Read 3 for 1 stored = %v; want ErrInvalid", err)
	}
	if got := ids(t, st, "aura"); !slices.Equal(got, []string{"aura/a"}) {
		t.Errorf("records = %v; want the previous version", got)
	}
	if src, err := st.Source(ctx, "aura"); err != nil || src.LastImport == nil || src.LastImport.ID != before.ID {
		t.Errorf("LastImport = %+v, %v; want import %d", src.LastImport, err, before.ID)
	}
	if err := imp.Put(ctx, record("aura", "c", "1", 2)); err == nil {
		t.Error("Put after a failed Commit = nil; want an error")
	}
}

func testQuarantine(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	putSource(t, st, "bretagne")
	first := load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 2)},
		[]*maillage.QuarantinedRow{quarantined("aura", 5), quarantined("aura", 1), quarantined("aura", 3)})
	if first.Quarantined != 3 || first.Read != 4 {
		t.Errorf("report = %+v; want 3 quarantined of 4 read", first)
	}
	got := quarantineRows(t, st, "aura")
	var rows []int
	for _, q := range got {
		rows = append(rows, q.Row)
		if q.ImportID != first.ID || q.Source != "aura" {
			t.Errorf("row %d: ImportID %d, Source %q; want %d, aura", q.Row, q.ImportID, q.Source, first.ID)
		}
	}
	if !slices.Equal(rows, []int{1, 3, 5}) {
		t.Errorf("quarantined rows = %v; want [1 3 5], in row order", rows)
	}
	want := quarantined("aura", 1)
	want.ImportID = first.ID
	if len(got) > 0 && !reflect.DeepEqual(got[0], *want) {
		t.Errorf("quarantined row =\n%+v\nwant\n%+v", got[0], *want)
	}

	// Only the latest import's quarantine is kept.
	second := load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 2)},
		[]*maillage.QuarantinedRow{quarantined("aura", 9)})
	load(t, st, "bretagne", nil, []*maillage.QuarantinedRow{quarantined("bretagne", 4)})
	var all []string
	for _, q := range quarantineRows(t, st, "") {
		all = append(all, fmt.Sprintf("%s:%d:%v", q.Source, q.Row, q.ImportID == second.ID))
	}
	if want := []string{"aura:9:true", "bretagne:4:false"}; !slices.Equal(all, want) {
		t.Errorf("quarantine of every source = %v; want %v", all, want)
	}
}

func testRecordsOrder(t *testing.T, st maillage.Store) {
	putSource(t, st, "b-source")
	putSource(t, st, "a-source")
	putSource(t, st, "empty")
	var recs []*maillage.Record
	for i, id := range []string{"é", "a10", "B", "a-2", "a", "a2"} {
		recs = append(recs, record("b-source", id, "1", i+1))
	}
	load(t, st, "b-source", recs, nil)
	load(t, st, "a-source", []*maillage.Record{record("a-source", "z", "1", 1)}, nil)

	want := []string{"a-source/z", "b-source/B", "b-source/a", "b-source/a-2", "b-source/a10", "b-source/a2", "b-source/é"}
	if got := ids(t, st, ""); !slices.Equal(got, want) {
		t.Errorf("Records(\"\") = %v; want %v (by source, then id bytes)", got, want)
	}
	if got := ids(t, st, "b-source"); !slices.Equal(got, want[1:]) {
		t.Errorf("Records(b-source) = %v; want %v", got, want[1:])
	}
	if got := ids(t, st, "empty"); len(got) != 0 {
		t.Errorf("Records(empty) = %v; want none", got)
	}

	// fn's error stops the walk and comes back as it is.
	stop := errors.New("stop")
	calls := 0
	err := st.Records(testContext(t), "", func(*maillage.Record) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("Records with fn failing at the 2nd call = %v after %d calls; want stop after 2", err, calls)
	}
	err = st.Quarantine(testContext(t), "", func(*maillage.QuarantinedRow) error { return stop })
	if err != nil {
		t.Errorf("Quarantine with nothing quarantined = %v; want nil, fn not called", err)
	}
}

// testRecordPlaces checks that RecordPlaces gives what Records gives, in
// the same order, without Raw and Warnings.
func testRecordPlaces(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "b-source")
	putSource(t, st, "a-source")
	putSource(t, st, "empty")
	commune := FullRecord("b-source", "commune", 9)
	commune.Precision = maillage.PrecisionCommune
	commune.Warnings = []maillage.Finding{}
	load(t, st, "b-source", []*maillage.Record{FullRecord("b-source", "full", 7), commune,
		{Source: "b-source", ID: "bare", Row: 8, Place: maillage.Place{ID: "bare", Name: "Lieu"}}}, nil)
	load(t, st, "a-source", []*maillage.Record{FullRecord("a-source", "z", 1)}, nil)
	// Enough records for a store that reads them in batches.
	putSource(t, st, "c-source")
	var many []*maillage.Record
	for i := range 1500 {
		many = append(many, record("c-source", fmt.Sprintf("r%05d", i), "1", i+1))
	}
	load(t, st, "c-source", many, nil)

	for _, source := range []string{"", "b-source", "empty", "c-source"} {
		want := records(t, st, source)
		for i := range want {
			want[i].Raw, want[i].Warnings = nil, nil
		}
		var got []maillage.Record
		err := st.RecordPlaces(ctx, source, func(r *maillage.Record) error {
			got = append(got, *r)
			return nil
		})
		if err != nil {
			t.Fatalf("RecordPlaces(%q): %v", source, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("RecordPlaces(%q) =\n%#v\nwant Records without Raw and Warnings:\n%#v", source, got, want)
		}
	}
	stop := errors.New("stop")
	for _, at := range []int{2, 1000} {
		calls := 0
		err := st.RecordPlaces(ctx, "", func(*maillage.Record) error {
			calls++
			if calls == at {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != at {
			t.Errorf("RecordPlaces with fn failing at call %d = %v after %d calls; want stop", at, err, calls)
		}
	}
}

func testUncommittedInvisible(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	before := load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 1), record("aura", "b", "1", 2)},
		[]*maillage.QuarantinedRow{quarantined("aura", 3)})
	imp, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for i := range 500 {
		if err := imp.Put(ctx, record("aura", fmt.Sprintf("new-%03d", i), "2", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := imp.Put(ctx, record("aura", "a", "2", 501)); err != nil {
		t.Fatal(err)
	}
	if err := imp.Quarantine(ctx, quarantined("aura", 502)); err != nil {
		t.Fatal(err)
	}
	// Readers see the committed version only.
	if got := ids(t, st, "aura"); !slices.Equal(got, []string{"aura/a", "aura/b"}) {
		t.Errorf("Records during an import = %v; want the previous version", got)
	}
	if r, err := st.Record(ctx, "aura", "a"); err != nil || r.Fingerprint != "1" {
		t.Errorf("Record(a) during an import = %+v, %v; want fingerprint 1", r, err)
	}
	if _, err := st.Record(ctx, "aura", "new-000"); !errors.Is(err, maillage.ErrNotFound) {
		t.Errorf("Record(new-000) during an import = %v; want ErrNotFound", err)
	}
	if q := quarantineRows(t, st, "aura"); len(q) != 1 || q[0].Row != 3 {
		t.Errorf("Quarantine during an import = %+v; want row 3 only", q)
	}
	if src, err := st.Source(ctx, "aura"); err != nil || src.LastImport == nil || src.LastImport.ID != before.ID {
		t.Errorf("LastImport during an import = %+v, %v; want %d", src.LastImport, err, before.ID)
	}
	if list, err := st.Imports(ctx, "aura"); err != nil || len(list) != 1 {
		t.Errorf("Imports during an import = %v, %v; want 1", list, err)
	}
	report := maillage.Import{}
	if err := imp.Commit(ctx, &report); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, st, "aura"); len(got) != 501 {
		t.Errorf("%d records after Commit; want 501", len(got))
	}
	if report.Added != 500 || report.Changed != 1 || report.Removed != 1 {
		t.Errorf("report = %+v; want 500 added, 1 changed, 1 removed", report)
	}
}

func testRollback(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	before := load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 1)}, []*maillage.QuarantinedRow{quarantined("aura", 2)})
	imp, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Put(ctx, record("aura", "b", "1", 1)); err != nil {
		t.Fatal(err)
	}
	if err := imp.Quarantine(ctx, quarantined("aura", 7)); err != nil {
		t.Fatal(err)
	}
	if err := imp.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if err := imp.Rollback(); err != nil {
		t.Errorf("second Rollback: %v; want nil", err)
	}
	if err := imp.Commit(ctx, &maillage.Import{}); err == nil {
		t.Error("Commit after Rollback = nil; want an error")
	}
	if err := imp.Put(ctx, record("aura", "c", "1", 1)); err == nil {
		t.Error("Put after Rollback = nil; want an error")
	}
	if got := records(t, st, "aura"); len(got) != 1 || !reflect.DeepEqual(got[0], *record("aura", "a", "1", 1)) {
		t.Errorf("records after Rollback = %+v; want the previous version", got)
	}
	if q := quarantineRows(t, st, "aura"); len(q) != 1 || q[0].Row != 2 {
		t.Errorf("quarantine after Rollback = %+v; want row 2", q)
	}
	if list, err := st.Imports(ctx, "aura"); err != nil || len(list) != 1 || list[0].ID != before.ID {
		t.Errorf("Imports after Rollback = %+v, %v; want the first only", list, err)
	}
	// Rollback after Commit is a no-op.
	imp, err = st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatalf("BeginImport after Rollback: %v", err)
	}
	if err := imp.Commit(ctx, &maillage.Import{}); err != nil {
		t.Fatal(err)
	}
	if err := imp.Rollback(); err != nil {
		t.Errorf("Rollback after Commit = %v; want nil", err)
	}
	if got := ids(t, st, "aura"); len(got) != 0 {
		t.Errorf("records = %v; want none after an empty import", got)
	}
}

func testCancel(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	load(t, st, "aura", []*maillage.Record{record("aura", "a", "1", 1)}, nil)

	for _, where := range []string{"Put", "Commit"} {
		t.Run(where, func(t *testing.T) {
			ctx, cancel := context.WithCancel(testContext(t))
			defer cancel()
			imp, err := st.BeginImport(ctx, "aura")
			if err != nil {
				t.Fatal(err)
			}
			defer imp.Rollback()
			for i := range 300 {
				if err := imp.Put(ctx, record("aura", fmt.Sprint("n", i), "2", i)); err != nil {
					t.Fatal(err)
				}
			}
			cancel()
			if where == "Put" {
				if err := imp.Put(ctx, record("aura", "late", "2", 999)); err == nil {
					t.Error("Put after cancel = nil; want an error")
				}
			}
			// Even with a live context, a cancelled import cannot commit.
			if err := imp.Commit(testContext(t), &maillage.Import{}); err == nil {
				t.Fatal("Commit of a cancelled import = nil; want an error")
			}
			if err := imp.Rollback(); err != nil {
				t.Errorf("Rollback of a cancelled import: %v", err)
			}
			if got := ids(t, st, "aura"); !slices.Equal(got, []string{"aura/a"}) {
				t.Errorf("records after a cancelled import = %v; want the previous version", got)
			}
		})
	}
	// The source can be imported again.
	if r := load(t, st, "aura", []*maillage.Record{record("aura", "b", "1", 1)}, nil); r.Added != 1 || r.Removed != 1 {
		t.Errorf("import after cancellations = %+v; want 1 added, 1 removed", r)
	}
}

func testSameSourceTwice(t *testing.T, st maillage.Store) {
	ctx := testContext(t)
	putSource(t, st, "aura")
	first, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	if err := first.Put(ctx, record("aura", "a", "1", 1)); err != nil {
		t.Fatal(err)
	}
	second, err := st.BeginImport(ctx, "aura")
	if !errors.Is(err, maillage.ErrConflict) {
		if err == nil {
			second.Rollback()
		}
		t.Fatalf("second BeginImport of the same source = %v; want ErrConflict", err)
	}
	if err := first.Commit(ctx, &maillage.Import{}); err != nil {
		t.Fatalf("Commit of the first import: %v", err)
	}
	// Once the first import is over, the source can be imported again.
	third, err := st.BeginImport(ctx, "aura")
	if err != nil {
		t.Fatalf("BeginImport after the first import: %v", err)
	}
	if err := third.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, st, "aura"); !slices.Equal(got, []string{"aura/a"}) {
		t.Errorf("records = %v; want [aura/a]", got)
	}
}

func testConcurrentImports(t *testing.T, st maillage.Store) {
	sources := []string{"s1", "s2", "s3"}
	for _, s := range sources {
		putSource(t, st, s)
	}
	const n = 300
	errs := make(chan error, len(sources))
	for _, source := range sources {
		go func() {
			ctx := testContext(t)
			imp, err := st.BeginImport(ctx, source)
			if err != nil {
				errs <- err
				return
			}
			defer imp.Rollback()
			for i := range n {
				if err := imp.Put(ctx, record(source, fmt.Sprintf("%04d", i), "1", i+1)); err != nil {
					errs <- err
					return
				}
			}
			errs <- imp.Commit(ctx, &maillage.Import{})
		}()
	}
	for range sources {
		if err := <-errs; err != nil {
			t.Errorf("concurrent import: %v", err)
		}
	}
	for _, s := range sources {
		if got := ids(t, st, s); len(got) != n {
			t.Errorf("%s: %d records; want %d", s, len(got), n)
		}
	}
}

// testReadersDuringImports runs readers while a source is imported again and
// again, each version with another count of records: a reader must always
// see one whole version.
func testReadersDuringImports(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	version := func(v int) []*maillage.Record {
		var recs []*maillage.Record
		for i := range 100 + 50*v {
			recs = append(recs, record("aura", fmt.Sprintf("%04d", i), fmt.Sprint(v), i+1))
		}
		return recs
	}
	load(t, st, "aura", version(0), nil)

	ctx := testContext(t)
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	reads := 0
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				count, fingerprints := 0, map[string]bool{}
				err := st.Records(ctx, "aura", func(r *maillage.Record) error {
					count++
					fingerprints[r.Fingerprint] = true
					return nil
				})
				mu.Lock()
				reads++
				if err != nil {
					failures = append(failures, err.Error())
				} else if len(fingerprints) != 1 || (count-100)%50 != 0 {
					failures = append(failures, fmt.Sprintf("%d records, fingerprints %v: a partial version", count, fingerprints))
				}
				mu.Unlock()
			}
		}()
	}
	for v := 1; v <= 4; v++ {
		load(t, st, "aura", version(v), nil)
	}
	close(done)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if reads == 0 {
		t.Error("no read ran during the imports")
	}
}

func testClose(t *testing.T, st maillage.Store) {
	putSource(t, st, "aura")
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close = %v; want nil", err)
	}
	if _, err := st.Source(testContext(t), "aura"); err == nil {
		t.Error("Source after Close = nil error; want an error")
	}
	if imp, err := st.BeginImport(testContext(t), "aura"); err == nil {
		imp.Rollback()
		t.Error("BeginImport after Close = nil error; want an error")
	}
}
