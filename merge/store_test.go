package merge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"maillage"
	"maillage/sqlite"
)

// openStore opens a SQLite store in the test's temporary directory.
func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "maillage.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// importAll replaces the records of each source by those given: a
// source of the store without records in recs is emptied.
func importAll(t *testing.T, st maillage.Store, recs []maillage.Record) {
	t.Helper()
	ctx := context.Background()
	bySource := map[string][]maillage.Record{}
	var order []string
	known, err := st.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range known {
		bySource[s.Name] = nil
		order = append(order, s.Name)
	}
	for _, r := range recs {
		if _, ok := bySource[r.Source]; !ok {
			order = append(order, r.Source)
		}
		bySource[r.Source] = append(bySource[r.Source], r)
	}
	for _, name := range order {
		if err := st.PutSource(ctx, maillage.Source{Name: name, Title: name}); err != nil {
			t.Fatal(err)
		}
		imp, err := st.BeginImport(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range bySource[name] {
			r := bySource[name][i]
			r.Row, r.Fingerprint = i+1, "fp-"+r.ID+r.Place.Name
			if err := imp.Put(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		if err := imp.Commit(ctx, &maillage.Import{File: name + ".csv", Checksum: "sha256:0"}); err != nil {
			t.Fatal(err)
		}
	}
}

func refresh(t *testing.T, st *sqlite.Store, at time.Time) Refreshed {
	t.Helper()
	out, err := Refresh(context.Background(), st, st, DefaultOptions(), at)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	return out
}

// placeOf returns the id of the stored place that has r as member.
func placeOf(t *testing.T, st *sqlite.Store, r RecordRef) string {
	t.Helper()
	id := ""
	err := st.ConsolidatedPlaces(context.Background(), func(c *maillage.Consolidated) error {
		for _, m := range c.Members {
			if m == r {
				if id != "" {
					t.Errorf("%s is a member of %s and %s", r, id, c.Place.ID)
				}
				id = c.Place.ID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Fatalf("%s is in no stored place", r)
	}
	return id
}

func refOf(r maillage.Record) RecordRef { return RecordRef{Source: r.Source, ID: r.ID} }

// TestRefreshThroughStore: records imported into a store, merged by
// Refresh, come back as consolidated places where identifiers merge,
// chains do not, decisions win and survive re-imports, and ids stay.
func TestRefreshThroughStore(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	hex := "6388a6750830e306f21eef99"
	recs := []maillage.Record{
		// Identifiers: a conseiller numérique id, a France Services id, a SIRET.
		rec("cnfs", "62592a1d05457b0790816e6c", "Association l'espoir", "4 avenue de Saint-Menet", "13211", 43.28944, 5.49650),
		rec("hub", "mediation-numerique-conseiller-numerique-62592a1d05457b0790816e6c", "CHRS La Selonne", "", "13055", 43.2900, 5.4950),
		rec("france-services", "2883", "France services de Valserhône", "5-9 rue des Papetiers", "01033", 46.10607, 5.82601),
		rec("hub", "mediation-numerique-france-services-2883", "Maison France services", "rue des Papetiers", "01033", 46.1050, 5.8270),
		rec("a", "1", "Médiathèque Jean Moulin", "12 rue de la Gare", "69123", 45.75, 4.85),
		rec("b", "x", "Espace numérique", "12 rue de la Gare", "69123", 45.75005, 4.85005),
		// A chain: A~B by a conseiller numérique id, B~C by a France
		// Services id, A≁C.
		rec("cnfs", hex, "Médiathèque Jean Moulin", "1 place Bellecour", "69123", 45.7578, 4.8320),
		rec("hub", "mediation-numerique-france-services-77-conseiller-numerique-"+hex, "France services", "2 rue Paradis", "13055", 43.29, 5.38),
		rec("france-services", "77", "France services Marseille", "2 rue Paradis", "13055", 43.29, 5.38),
		// Alone.
		rec("b", "fablab", "Fablab du port", "3 quai du Port", "29019", 48.39, -4.48),
	}
	recs[4].Place.Pivot, recs[5].Place.Pivot = "21690123100011", "21690123100011"
	recs[4].Place.UpdatedOn = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	recs[5].Place.UpdatedOn = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	importAll(t, st, recs)

	t0 := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	out := refresh(t, st, t0)
	if out.Records != len(recs) {
		t.Errorf("Refresh read %d records, want %d", out.Records, len(recs))
	}
	want := Clusters(recs, nil, DefaultOptions())
	if len(out.Places) != len(want) || out.Created != len(want) || out.Updated != 0 || out.Deleted != 0 {
		t.Errorf("Refresh: %d places, %d created, %d updated, %d deleted; want %d created, as Clusters says",
			len(out.Places), out.Created, out.Updated, out.Deleted, len(want))
	}
	for _, p := range [][2]int{{0, 1}, {2, 3}, {4, 5}} {
		if a, b := placeOf(t, st, refOf(recs[p[0]])), placeOf(t, st, refOf(recs[p[1]])); a != b {
			t.Errorf("%s and %s share an identifier but are in places %s and %s", refOf(recs[p[0]]), refOf(recs[p[1]]), a, b)
		}
	}
	if placeOf(t, st, refOf(recs[6])) == placeOf(t, st, refOf(recs[8])) {
		t.Errorf("the chain A~B~C merged A and C")
	}
	// The SIRET pair's place: its id is ClusterID of its smallest member,
	// date_maj is the freshest, the members come back.
	sirets := placeOf(t, st, refOf(recs[4]))
	if wantID := ClusterID(refOf(recs[4])); sirets != wantID {
		t.Errorf("place of a/1 has id %s, want %s", sirets, wantID)
	}
	got, err := st.ConsolidatedPlace(ctx, sirets)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Place.UpdatedOn.Equal(recs[5].Place.UpdatedOn) || !reflect.DeepEqual(got.Members, []RecordRef{refOf(recs[4]), refOf(recs[5])}) {
		t.Errorf("place %s: date_maj %v, members %v", sirets, got.Place.UpdatedOn, got.Members)
	}

	// The same data again: nothing changes.
	out = refresh(t, st, t0.Add(time.Hour))
	if out.Created+out.Updated+out.Deleted != 0 {
		t.Errorf("second Refresh of the same records: %d created, %d updated, %d deleted; want none", out.Created, out.Updated, out.Deleted)
	}

	// Decisions: unlink the SIRET pair, link the fablab with the cnfs record.
	for _, d := range []maillage.Decision{
		{A: refOf(recs[5]), B: refOf(recs[4]), Link: false},
		{A: refOf(recs[9]), B: refOf(recs[0]), Link: true},
	} {
		if err := st.PutDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		if placeOf(t, st, refOf(recs[4])) == placeOf(t, st, refOf(recs[5])) {
			t.Errorf("%s: a/1 and b/x are unlinked but in one place", when)
		}
		if placeOf(t, st, refOf(recs[9])) != placeOf(t, st, refOf(recs[0])) {
			t.Errorf("%s: b/fablab and cnfs/62592… are linked but in two places", when)
		}
	}
	out = refresh(t, st, t0.Add(2*time.Hour))
	check("after the decisions")
	// b/x gets a place of its own (created); a/1's place keeps its id with
	// one member (updated); the fablab's place takes the cnfs record
	// (updated: its id is the smaller); the hub record that shared the
	// cnfs id cannot join the fablab (a clear non-match vetoes) and gets a
	// place of its own (created); the cnfs place goes (deleted).
	if out.Created != 2 || out.Updated != 2 || out.Deleted != 1 {
		t.Errorf("after the decisions: %d created, %d updated, %d deleted; want 2, 2, 1", out.Created, out.Updated, out.Deleted)
	}
	// The cnfs place's former id resolves to the place its smallest
	// member joined.
	if p, err := st.ConsolidatedPlace(ctx, ClusterID(refOf(recs[0]))); err != nil || p.Place.ID != placeOf(t, st, refOf(recs[0])) {
		t.Errorf("ConsolidatedPlace(%s) = %s, %v; want the place cnfs/62592… joined", ClusterID(refOf(recs[0])), p.Place.ID, err)
	}

	// A re-import with changed names keeps the decisions.
	for i := range recs {
		recs[i].Place.Name += " (mis à jour)"
	}
	importAll(t, st, recs)
	refresh(t, st, t0.Add(3*time.Hour))
	check("after a re-import")

	// The smallest member of the a/1 + … place disappears: a/1 goes, b/x
	// stays; the former id of a/1's place is not an alias (b/x was never
	// in it), and a decision on a record that is gone waits.
	importAll(t, st, append(recs[:4:4], recs[5:]...))
	out = refresh(t, st, t0.Add(4*time.Hour))
	if out.Records != len(recs)-1 {
		t.Errorf("after removing a/1, %d records, want %d", out.Records, len(recs)-1)
	}
	if _, err := st.ConsolidatedPlace(ctx, sirets); !errors.Is(err, maillage.ErrNotFound) {
		t.Errorf("ConsolidatedPlace(%s) after its only member went = %v, want ErrNotFound", sirets, err)
	}
	var deleted bool
	st.Changes(ctx, t0.Add(3*time.Hour), func(c maillage.Change) error {
		deleted = deleted || c.ID == sirets && c.Kind == maillage.ChangeDeleted
		return nil
	})
	if !deleted {
		t.Errorf("no tombstone for %s in the change feed", sirets)
	}
}

// TestRefreshAlias: when a place's smallest member disappears, the place
// takes a new id and the old one resolves to it.
func TestRefreshAlias(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	hex := "62592a1d05457b0790816e6c"
	a := rec("cnfs", hex, "Association l'espoir", "4 avenue de Saint-Menet", "13211", 43.28944, 5.49650)
	b := rec("hub", "mediation-numerique-conseiller-numerique-"+hex, "CHRS La Selonne", "", "13055", 43.2900, 5.4950)
	c := rec("hub", "autre-"+hex, "Association l'espoir", "4 avenue de Saint-Menet", "13211", 43.28944, 5.49650)
	importAll(t, st, []maillage.Record{a, b, c})
	t0 := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	out := refresh(t, st, t0)
	if len(out.Places) != 1 {
		t.Fatalf("%d places, want 1: %+v", len(out.Places), out.Clusters)
	}
	oldID := out.Places[0].Place.ID
	// cnfs disappears (its source is emptied).
	importAll(t, st, []maillage.Record{b, c})
	out = refresh(t, st, t0.Add(time.Hour))
	if len(out.Places) != 1 || out.Places[0].Place.ID == oldID {
		t.Fatalf("after cnfs went: places %+v, want one place with a new id", out.Places)
	}
	newID := out.Places[0].Place.ID
	if out.Created != 1 || out.Deleted != 1 {
		t.Errorf("%d created, %d deleted; want 1 and 1", out.Created, out.Deleted)
	}
	p, err := st.ConsolidatedPlace(ctx, oldID)
	if err != nil || p.Place.ID != newID {
		t.Errorf("ConsolidatedPlace(%s) = %s, %v; want %s (alias)", oldID, p.Place.ID, err, newID)
	}
}

// TestRefreshStoresEncodingJSON: the places Refresh stores are, byte for
// byte, what encoding/json writes of them, and they are read back as
// encoding/json reads them (the stores encode and decode without
// reflection).
func TestRefreshStoresEncodingJSON(t *testing.T) {
	st := openStore(t)
	recs := []maillage.Record{
		rec("a", "1", "Médiathèque « Jean Moulin » & co", "12 rue de la Gare", "69123", 45.75, 4.85),
		rec("b", "x", "Espace numérique", "12 rue de la Gare", "69123", 45.75005, 4.85005),
		rec("b", "fablab", "Fablab du port", "3 quai du Port", "29019", 48.39, -4.48),
	}
	recs[0].Place.Pivot, recs[1].Place.Pivot = "21690123100011", "21690123100011"
	recs[0].Place.UpdatedOn = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	recs[1].Place.Services = []maillage.Service{maillage.Services[0], maillage.Services[1]}
	recs[1].Place.Extra = map[string]string{"z": "1", "<a>": "2"}
	importAll(t, st, recs)
	out := refresh(t, st, time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC))
	checkStoredPlaces(t, st, out.Places)
}

// checkStoredPlaces checks that the stored places are places, as
// encoding/json writes and reads them.
func checkStoredPlaces(t testing.TB, st *sqlite.Store, places []Consolidated) {
	t.Helper()
	ctx := context.Background()
	want := map[string]maillage.Consolidated{}
	for _, c := range places {
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var stored []byte
		if err := st.DB().QueryRowContext(ctx, "SELECT data FROM places WHERE id = ?", c.Place.ID).Scan(&stored); err != nil {
			t.Fatalf("place %s: %v", c.Place.ID, err)
		}
		if !bytes.Equal(stored, data) {
			t.Fatalf("place %s stored as\n%s\nencoding/json writes\n%s", c.Place.ID, stored, data)
		}
		var back maillage.Consolidated
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		want[c.Place.ID] = back
	}
	n := 0
	err := st.ConsolidatedPlaces(ctx, func(c *maillage.Consolidated) error {
		n++
		if !reflect.DeepEqual(*c, want[c.Place.ID]) {
			t.Errorf("ConsolidatedPlaces gives\n%#v\nencoding/json reads\n%#v", *c, want[c.Place.ID])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(places) {
		t.Errorf("ConsolidatedPlaces gives %d places, want %d", n, len(places))
	}
}
