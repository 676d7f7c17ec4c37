package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"maillage"
)

// RunPlaces runs the conformance suite of maillage.PlaceStore. open must
// return a new, empty store for each call and close it when the test ends.
//
// Besides the interface comments, the suite fixes that:
//
//   - a decision is keyed by its unordered pair and comes back with A
//     before B; a decision without source or id, or on one record with
//     itself, is an ErrInvalid;
//   - ReplaceConsolidated records one change per place that is new
//     (created), whose JSON differs (updated) or that is gone (deleted),
//     all at the time given, deletions first, then by id; a place given
//     again unchanged records nothing;
//   - a place id given twice, a place without id or a record in two places
//     is an ErrInvalid and nothing changes;
//   - an alias follows its place when that place goes in turn, and an id
//     that is a place again is that place, not an alias;
//   - Changes(since) gives the changes recorded strictly after since.
func RunPlaces(t *testing.T, open func(t *testing.T) maillage.PlaceStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st maillage.PlaceStore)
	}{
		{"Decisions", testDecisions},
		{"ReplaceRoundTrip", testReplaceRoundTrip},
		{"ChangeFeed", testChangeFeed},
		{"FeedFollowsCommits", testFeedFollowsCommits},
		{"Aliases", testAliases},
		{"ReplaceInvalid", testReplaceInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func ref(source, id string) maillage.RecordRef { return maillage.RecordRef{Source: source, ID: id} }

// consolidated returns a consolidated place built from members, every
// field of which comes from the first.
func consolidated(id, name string, members ...maillage.RecordRef) maillage.Consolidated {
	day := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	p := FullPlace(id)
	p.Name = name
	p.UpdatedOn = day
	p.Extra = nil
	prov := maillage.Provenance{Source: members[0].Source, RecordID: members[0].ID, UpdatedOn: day}
	c := maillage.Consolidated{
		Place: p, Precision: maillage.PrecisionExact, Members: members,
		Fields: map[string]maillage.Provenance{"id": prov, "nom": prov, "adresse": prov, "services": prov},
		Items:  map[string][]maillage.Provenance{"services": make([]maillage.Provenance, len(p.Services))},
	}
	for i := range p.Services {
		c.Items["services"][i] = prov
	}
	return c
}

func replace(t *testing.T, st maillage.PlaceStore, at time.Time, places ...maillage.Consolidated) {
	t.Helper()
	if err := st.ReplaceConsolidated(testContext(t), places, at); err != nil {
		t.Fatalf("ReplaceConsolidated at %s: %v", at.Format(time.RFC3339), err)
	}
}

func allPlaces(t *testing.T, st maillage.PlaceStore) []maillage.Consolidated {
	t.Helper()
	var list []maillage.Consolidated
	if err := st.ConsolidatedPlaces(testContext(t), func(c *maillage.Consolidated) error {
		list = append(list, *c)
		return nil
	}); err != nil {
		t.Fatalf("ConsolidatedPlaces: %v", err)
	}
	return list
}

func changes(t *testing.T, st maillage.PlaceStore, since time.Time) []maillage.Change {
	t.Helper()
	var list []maillage.Change
	if err := st.Changes(testContext(t), since, func(c maillage.Change) error {
		list = append(list, c)
		return nil
	}); err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return list
}

func testDecisions(t *testing.T, st maillage.PlaceStore) {
	ctx := testContext(t)
	a, b, c := ref("hub", "12"), ref("cnfs", "x/9"), ref("hub", "2")
	if list, err := st.Decisions(ctx); err != nil || len(list) != 0 {
		t.Fatalf("Decisions of an empty store = %v, %v; want none", list, err)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 6789, time.UTC)
	if err := st.PutDecision(ctx, maillage.Decision{A: a, B: b, Link: true, Note: "même mairie", At: at}); err != nil {
		t.Fatalf("PutDecision: %v", err)
	}
	// The same pair the other way round replaces it.
	if err := st.PutDecision(ctx, maillage.Decision{A: b, B: a, Link: false, Note: "deux lieux", At: at}); err != nil {
		t.Fatalf("PutDecision: %v", err)
	}
	before := time.Now().Add(-time.Second)
	if err := st.PutDecision(ctx, maillage.Decision{A: c, B: a, Link: true}); err != nil {
		t.Fatalf("PutDecision: %v", err)
	}
	list, err := st.Decisions(ctx)
	if err != nil {
		t.Fatalf("Decisions: %v", err)
	}
	if len(list) != 2 {
		t.Fatalf("Decisions = %+v, want 2 (one per pair)", list)
	}
	want0 := maillage.Decision{A: b, B: a, Link: false, Note: "deux lieux", At: at.Truncate(time.Microsecond)}
	if !reflect.DeepEqual(list[0], want0) {
		t.Errorf("Decisions[0] = %+v, want %+v", list[0], want0)
	}
	if list[1].A != a || list[1].B != c || !list[1].Link {
		t.Errorf("Decisions[1] = %+v, want %s before %s, linked", list[1], a, c)
	}
	if list[1].At.Before(before) || list[1].At.Location() != time.UTC {
		t.Errorf("Decisions[1].At = %v, want now in UTC (set by the store)", list[1].At)
	}
	for _, d := range []maillage.Decision{{A: a, B: a, Link: true}, {A: ref("", "1"), B: a}, {A: a, B: ref("hub", "")}} {
		if err := st.PutDecision(ctx, d); !errors.Is(err, maillage.ErrInvalid) {
			t.Errorf("PutDecision(%s, %s) = %v, want ErrInvalid", d.A, d.B, err)
		}
	}
	if list, _ := st.Decisions(ctx); len(list) != 2 {
		t.Errorf("after invalid decisions, %d decisions, want 2", len(list))
	}
}

func testReplaceRoundTrip(t *testing.T, st maillage.PlaceStore) {
	ctx := testContext(t)
	at := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)
	p1 := consolidated("lieu-b", "Médiathèque", ref("hub", "1"), ref("cnfs", "7"))
	p2 := consolidated("lieu-a", "France services", ref("hub", "2"))
	p2.Precision = maillage.PrecisionCommune
	replace(t, st, at, p1, p2)
	got := allPlaces(t, st)
	if len(got) != 2 || !reflect.DeepEqual(got[0], p2) || !reflect.DeepEqual(got[1], p1) {
		t.Fatalf("ConsolidatedPlaces = %+v\nwant (by id) %+v\n%+v", got, p2, p1)
	}
	one, err := st.ConsolidatedPlace(ctx, "lieu-b")
	if err != nil || !reflect.DeepEqual(one, p1) {
		t.Errorf("ConsolidatedPlace(lieu-b) = %+v, %v; want %+v", one, err, p1)
	}
	if _, err := st.ConsolidatedPlace(ctx, "lieu-z"); !errors.Is(err, maillage.ErrNotFound) {
		t.Errorf("ConsolidatedPlace(lieu-z) = %v, want ErrNotFound", err)
	}
	// fn's error stops the walk and comes back.
	stop := errors.New("stop")
	n := 0
	if err := st.ConsolidatedPlaces(ctx, func(*maillage.Consolidated) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("ConsolidatedPlaces with fn failing = %v after %d calls, want stop after 1", err, n)
	}
	// An empty replacement deletes everything.
	replace(t, st, at.Add(time.Hour))
	if got := allPlaces(t, st); len(got) != 0 {
		t.Errorf("after an empty replacement, %d places, want 0", len(got))
	}
	if _, err := st.ConsolidatedPlace(ctx, "lieu-b"); !errors.Is(err, maillage.ErrNotFound) {
		t.Errorf("ConsolidatedPlace(lieu-b) once gone = %v, want ErrNotFound", err)
	}
}

// testFeedFollowsCommits commits a replacement dated before the feed's
// latest change (a merge that started before another but committed after
// it): its changes are dated just after that change, so that a reader who
// saw the latest change still gets them.
func testFeedFollowsCommits(t *testing.T, st maillage.PlaceStore) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	a := consolidated("lieu-a", "A", ref("s", "1"))
	replace(t, st, t1, a)
	a.Place.Name = "A renommé"
	replace(t, st, t0, a)
	want := []maillage.Change{{ID: "lieu-a", Kind: maillage.ChangeUpdated, At: t1.Add(time.Microsecond)}}
	if got := changes(t, st, t1); !reflect.DeepEqual(got, want) {
		t.Errorf("Changes after %s = %+v, want %+v", t1, got, want)
	}
}

func testChangeFeed(t *testing.T, st maillage.PlaceStore) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	t1, t2, t3 := t0.Add(time.Hour), t0.Add(2*time.Hour), t0.Add(3*time.Hour)
	a := consolidated("lieu-a", "A", ref("s", "1"))
	b := consolidated("lieu-b", "B", ref("s", "2"))
	c := consolidated("lieu-c", "C", ref("s", "3"))
	replace(t, st, t0, c, a, b)
	want := []maillage.Change{
		{ID: "lieu-a", Kind: maillage.ChangeCreated, At: t0},
		{ID: "lieu-b", Kind: maillage.ChangeCreated, At: t0},
		{ID: "lieu-c", Kind: maillage.ChangeCreated, At: t0},
	}
	if got := changes(t, st, time.Time{}); !reflect.DeepEqual(got, want) {
		t.Fatalf("Changes after the first replacement = %+v, want %+v", got, want)
	}
	// The same places again: nothing changes.
	replace(t, st, t1, a, b, c)
	if got := changes(t, st, t0); len(got) != 0 {
		t.Errorf("Changes after an identical replacement = %+v, want none", got)
	}
	// A new name, a new provenance date, a place gone, a new one.
	a.Place.Name = "A renommé"
	b.Fields["nom"] = maillage.Provenance{Source: "s", RecordID: "2", UpdatedOn: t1.Truncate(24 * time.Hour)}
	d := consolidated("lieu-d", "D", ref("s", "4"))
	replace(t, st, t2, d, b, a)
	want2 := []maillage.Change{
		{ID: "lieu-c", Kind: maillage.ChangeDeleted, At: t2},
		{ID: "lieu-a", Kind: maillage.ChangeUpdated, At: t2},
		{ID: "lieu-b", Kind: maillage.ChangeUpdated, At: t2},
		{ID: "lieu-d", Kind: maillage.ChangeCreated, At: t2},
	}
	if got := changes(t, st, t1); !reflect.DeepEqual(got, want2) {
		t.Errorf("Changes after t1 = %+v, want %+v", got, want2)
	}
	if got := changes(t, st, time.Time{}); len(got) != 7 {
		t.Errorf("Changes since the beginning = %d, want 7 (3 + 4)", len(got))
	}
	if got := changes(t, st, t2); len(got) != 0 {
		t.Errorf("Changes strictly after t2 = %+v, want none", got)
	}
	// Members only: a place whose members change is updated.
	a.Members = append(a.Members, ref("t", "9"))
	replace(t, st, t3, a, b, d)
	if got := changes(t, st, t2); len(got) != 1 || got[0].ID != "lieu-a" || got[0].Kind != maillage.ChangeUpdated {
		t.Errorf("Changes after a new member = %+v, want lieu-a updated", got)
	}
	if got, err := st.ConsolidatedPlace(testContext(t), "lieu-a"); err != nil || len(got.Members) != 2 {
		t.Errorf("ConsolidatedPlace(lieu-a) = %+v, %v; want 2 members", got, err)
	}
}

func testAliases(t *testing.T, st maillage.PlaceStore) {
	ctx := testContext(t)
	t0 := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	resolves := func(id, want string) {
		t.Helper()
		got, err := st.ConsolidatedPlace(ctx, id)
		if want == "" {
			if !errors.Is(err, maillage.ErrNotFound) {
				t.Errorf("ConsolidatedPlace(%s) = %s, %v; want ErrNotFound", id, got.Place.ID, err)
			}
			return
		}
		if err != nil || got.Place.ID != want {
			t.Errorf("ConsolidatedPlace(%s) = %q, %v; want %s", id, got.Place.ID, err, want)
		}
	}
	// lieu-1 = {a, b}, lieu-2 = {c}, lieu-9 = {z}.
	replace(t, st, at(0),
		consolidated("lieu-1", "Mairie", ref("s", "a"), ref("s", "b")),
		consolidated("lieu-2", "Mairie annexe", ref("s", "c")),
		consolidated("lieu-9", "Bus", ref("s", "z")))
	// a disappears; b joins c's place, which keeps its id; z disappears
	// with its place: no alias.
	replace(t, st, at(1), consolidated("lieu-2", "Mairie", ref("s", "b"), ref("s", "c")))
	resolves("lieu-1", "lieu-2")
	resolves("lieu-2", "lieu-2")
	resolves("lieu-9", "")
	// c leaves for a new place lieu-3 and b disappears: lieu-2 goes, and
	// lieu-1, its alias, follows it.
	replace(t, st, at(2), consolidated("lieu-3", "Mairie", ref("s", "c"), ref("s", "d")))
	resolves("lieu-2", "lieu-3")
	resolves("lieu-1", "lieu-3")
	// lieu-1 is a place again: it is itself.
	replace(t, st, at(3),
		consolidated("lieu-1", "Mairie", ref("s", "a")),
		consolidated("lieu-3", "Mairie", ref("s", "c"), ref("s", "d")))
	resolves("lieu-1", "lieu-1")
	resolves("lieu-2", "lieu-3")
	if got := changes(t, st, at(2)); len(got) != 1 || got[0] != (maillage.Change{ID: "lieu-1", Kind: maillage.ChangeCreated, At: at(3)}) {
		t.Errorf("Changes after lieu-1 came back = %+v, want lieu-1 created", got)
	}
	// Everything goes, with no member left anywhere: no alias resolves.
	replace(t, st, at(4))
	resolves("lieu-1", "")
	resolves("lieu-2", "")
	resolves("lieu-3", "")
}

func testReplaceInvalid(t *testing.T, st maillage.PlaceStore) {
	ctx := testContext(t)
	t0 := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	a := consolidated("lieu-a", "A", ref("s", "1"))
	b := consolidated("lieu-b", "B", ref("s", "2"))
	replace(t, st, t0, a, b)
	noID := consolidated("", "Sans id", ref("s", "5"))
	cases := map[string][]maillage.Consolidated{
		"same id twice":      {a, consolidated("lieu-a", "A bis", ref("s", "3"))},
		"record in two":      {consolidated("lieu-c", "C", ref("s", "1"), ref("s", "4")), a},
		"record in two, new": {consolidated("lieu-c", "C", ref("s", "7")), consolidated("lieu-d", "D", ref("s", "7"))},
		"no id":              {a, noID},
	}
	for name, places := range cases {
		err := st.ReplaceConsolidated(ctx, places, t0.Add(time.Hour))
		if !errors.Is(err, maillage.ErrInvalid) {
			t.Errorf("%s: ReplaceConsolidated = %v, want ErrInvalid", name, err)
		}
	}
	if got := allPlaces(t, st); !reflect.DeepEqual(got, []maillage.Consolidated{a, b}) {
		t.Errorf("after failed replacements, places = %+v, want the previous ones", got)
	}
	if got := changes(t, st, t0); len(got) != 0 {
		t.Errorf("after failed replacements, changes = %+v, want none", got)
	}
}

// TestEncodeConsolidated is called by the stores' tests: the JSON stores
// keep is the same document as json.Marshal's and reads back whole.
func TestEncodeConsolidated(t *testing.T) {
	c := consolidated("lieu-x", "Médiathèque", ref("hub", "1"), ref("cnfs", "7"))
	data, _, err := maillage.EncodeConsolidated(&c)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(want) {
		t.Errorf("EncodeConsolidated = %s\nwant json.Marshal's %s", data, want)
	}
	var back maillage.Consolidated
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, c) {
		t.Errorf("read back: %v\n%+v\nwant %+v", err, back, c)
	}
}
