package maillage

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// validPlace is fullPlace with valid UTF-8 everywhere (invalid UTF-8 is
// written as \ufffd, so it does not come back as is).
func validPlace() Place {
	p := fullPlace()
	p.Description = "Détail \x01 \u00e9 <b> \\ \"x\" / \U0001F600"
	return p
}

// reformat rewrites a JSON document as PostgreSQL's jsonb gives it back:
// keys reordered, spaces after colons and commas, non-ASCII unescaped.
func reformat(t testing.TB, data []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fastPlace decodes data on the fast path only.
func fastPlace(data []byte) (Place, bool) {
	var p Place
	d := newJSONReader(data)
	ok := d.place(&p) && d.end()
	return p, ok
}

// checkDecodePlace asserts that DecodePlaceJSON gives what json.Unmarshal
// gives, and that the fast path, when it succeeds, agrees.
func checkDecodePlace(t *testing.T, data []byte) {
	t.Helper()
	var want Place
	wantErr := json.Unmarshal(data, &want)
	var got Place
	gotErr := DecodePlaceJSON(data, &got)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("DecodePlaceJSON(%q): error %v, encoding/json %v", data, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodePlaceJSON(%q):\n got %#v\nwant %#v", data, got, want)
	}
	if fast, ok := fastPlace(data); ok {
		if wantErr != nil || !reflect.DeepEqual(fast, want) {
			t.Fatalf("fast path accepts %q:\n got %#v\nwant %#v (error %v)", data, fast, want, wantErr)
		}
	}
}

func TestDecodePlaceJSON(t *testing.T) {
	noCoords := validPlace()
	noCoords.Latitude, noCoords.Longitude, noCoords.HasCoordinates = 0, 0, false
	places := []Place{validPlace(), {}, {ID: "x", Latitude: 1e21, Longitude: 1e-7}, noCoords,
		{ID: "y", Name: "Sans rien d’autre", UpdatedOn: time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600))}}
	for _, p := range places {
		data := p.AppendJSON(nil)
		for _, doc := range [][]byte{data, reformat(t, data)} {
			checkDecodePlace(t, doc)
			got, ok := fastPlace(doc)
			if !ok {
				t.Errorf("fast path refuses %s", doc)
			}
			var want Place
			json.Unmarshal(doc, &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("fast path:\n got %#v\nwant %#v", got, want)
			}
		}
	}
	// Inputs off the fast path give encoding/json's result.
	for _, doc := range []string{
		`{"NOM":"a"}`, `{"nom":"a","nom":"b"}`, `{"nom":null}`, `{"inconnu":1,"nom":"a"}`,
		`{"nom":"\ud83d\ude00"}`, `{"nom":"\ud800"}`, "{\"nom\":\"\xff\"}", `{"latitude":1e400}`,
		`{"latitude":"1"}`, `{"latitude":01}`, `{"services":[]}`, `{"extra":{}}`, `{"extra":{"a":"1","a":"2"}}`,
		`{"date_maj":"2024-13-01"}`, `{"date_maj":"2024-01-01"}`, `{"nom":"a"} x`, `null`, `[]`, ``, `{`,
		`{"typologie":["A",]}`, `{"has_coordinates":tru}`, "{\"nom\":\"a\tb\"}", `{"nom":"\u00e9\/\b"}`,
	} {
		checkDecodePlace(t, []byte(doc))
	}
}

func FuzzDecodePlaceJSON(f *testing.F) {
	for _, p := range []Place{validPlace(), {}, {ID: "x", Latitude: -1.5e-7, HasCoordinates: true}} {
		data := p.AppendJSON(nil)
		f.Add(data)
		f.Add(reformat(f, data))
	}
	for _, s := range []string{`{"nom":"\u00e9\ud83d\ude00"}`, `{"extra":{"k\n":"v"}}`, `{"latitude":-0.0e+1}`, `{"nom":"a","nom":"b"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodePlace(t, data)
	})
}

func fullConsolidated() Consolidated {
	day := time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC)
	return Consolidated{
		Place:     validPlace(),
		Precision: PrecisionExact,
		Members:   []RecordRef{{"a", "1"}, {"b<&>", "2\n"}},
		Fields: map[string]Provenance{
			"nom": {Source: "a", RecordID: "1", UpdatedOn: day}, "adresse": {Source: "b", RecordID: "2"},
			"z<": {Source: "é", RecordID: "\u2028"},
		},
		Items: map[string][]Provenance{
			"services": {{Source: "a", RecordID: "1", UpdatedOn: day.Add(time.Nanosecond)}, {Source: "b", RecordID: "2"}},
			"site_web": {},
		},
	}
}

func TestEncodeConsolidatedMatchesEncodingJSON(t *testing.T) {
	paris := time.FixedZone("Paris", 3600)
	cases := []Consolidated{fullConsolidated(), {Place: Place{ID: "x"}},
		{Place: Place{ID: "x"}, Members: []RecordRef{}, Fields: map[string]Provenance{}, Items: map[string][]Provenance{}}}
	c := fullConsolidated()
	c.Items["courriels"] = nil
	cases = append(cases, c)
	c = fullConsolidated()
	c.Fields["nom"] = Provenance{Source: "a", UpdatedOn: time.Date(2024, 4, 2, 0, 0, 0, 0, paris)}
	cases = append(cases, c)
	for _, c := range cases {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, hash, err := EncodeConsolidated(&c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("EncodeConsolidated differs from encoding/json:\n got %s\nwant %s", got, want)
		}
		if hash != sha256Of(want) {
			t.Error("hash is not the SHA-256 of the JSON")
		}
		var back Consolidated
		if err := DecodeConsolidatedJSON(got, &back); err != nil {
			t.Fatal(err)
		}
		var wantBack Consolidated
		json.Unmarshal(got, &wantBack)
		if !reflect.DeepEqual(back, wantBack) {
			t.Errorf("DecodeConsolidatedJSON:\n got %#v\nwant %#v", back, wantBack)
		}
		if bytes.Contains(got, []byte("null")) {
			continue // null is left to encoding/json
		}
		d := newJSONReader(reformat(t, got))
		var fast Consolidated
		if !d.consolidated(&fast) || !d.end() || !reflect.DeepEqual(fast, wantBack) {
			t.Errorf("fast path on the jsonb form:\n got %#v\nwant %#v", fast, wantBack)
		}
	}
	// A year encoding/json refuses is refused.
	bad := fullConsolidated()
	bad.Fields["nom"] = Provenance{UpdatedOn: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, _, err := EncodeConsolidated(&bad); err == nil {
		t.Error("year 10000 accepted")
	}
}

func FuzzDecodeConsolidatedJSON(f *testing.F) {
	c := fullConsolidated()
	data, _, _ := EncodeConsolidated(&c)
	f.Add(data)
	f.Add(reformat(f, data))
	f.Add([]byte(`{"place":{"id":"x"},"members":[{"id":"1","id":"2"}],"provenance":{"a":{"date_maj":"2024-01-01T00:00:00Z"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var want Consolidated
		wantErr := json.Unmarshal(data, &want)
		var got Consolidated
		gotErr := DecodeConsolidatedJSON(data, &got)
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("DecodeConsolidatedJSON(%q): error %v, encoding/json %v", data, gotErr, wantErr)
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeConsolidatedJSON(%q):\n got %#v\nwant %#v", data, got, want)
		}
		d := newJSONReader(data)
		var fast Consolidated
		if d.consolidated(&fast) && d.end() && (wantErr != nil || !reflect.DeepEqual(fast, want)) {
			t.Fatalf("fast path accepts %q:\n got %#v\nwant %#v (error %v)", data, fast, want, wantErr)
		}
	})
}

func BenchmarkDecodePlaceJSON(b *testing.B) {
	p := validPlace()
	data := p.AppendJSON(nil)
	b.Run("DecodePlaceJSON", func(b *testing.B) {
		for range b.N {
			var p Place
			if err := DecodePlaceJSON(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for range b.N {
			var p Place
			if err := json.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func sha256Of(b []byte) [32]byte { return sha256.Sum256(b) }

func BenchmarkEncodeConsolidated(b *testing.B) {
	c := fullConsolidated()
	delete(c.Fields, "z<") // an escaped key leaves the fast path of the decoder
	for _, k := range []string{"id", "pivot", "commune", "code_postal", "code_insee", "latitude", "longitude", "telephone", "horaires", "site_web", "courriels", "typologie", "date_maj", "source", "structure_parente"} {
		c.Fields[k] = c.Fields["nom"]
	}
	b.Run("EncodeConsolidated", func(b *testing.B) {
		for range b.N {
			if _, _, err := EncodeConsolidated(&c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DecodeConsolidatedJSON", func(b *testing.B) {
		data, _, _ := EncodeConsolidated(&c)
		for range b.N {
			var back Consolidated
			if err := DecodeConsolidatedJSON(data, &back); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestTimesAsEncodingJSON: the formatting and parsing of times without
// the generic code give what time.Time's MarshalJSON and UnmarshalJSON
// give.
func TestTimesAsEncodingJSON(t *testing.T) {
	times := []time.Time{{}, time.Date(5, 12, 31, 23, 59, 58, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 1, 2, 3, 4, 5, 6, time.UTC), time.Date(2023, 7, 14, 12, 0, 1, 0, time.UTC)}
	for i := range 2000 {
		times = append(times, time.Unix(int64(i)*987654321%253402300799, int64(i%3)*1000).UTC())
	}
	for _, tm := range times {
		want, err := tm.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if got := append(appendRFC3339([]byte{'"'}, tm), '"'); !bytes.Equal(got, want) {
			t.Errorf("appendRFC3339(%v) = %s, want %s", tm, got, want)
		}
	}
	for _, s := range []string{"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z",
		"2024-00-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z", "0000-01-01T00:00:00Z",
		"2024-01-01t00:00:00Z", "2024-01-01T00:00:00z", "2024-01-01T00:00:00+01:00", "2024-1-01T00:00:00Z", "2024-01-01T00:00:0aZ",
		"1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z"} {
		var want time.Time
		wantErr := want.UnmarshalJSON([]byte(`"` + s + `"`))
		got, ok := parseUTCSeconds([]byte(s))
		if ok && (wantErr != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("parseUTCSeconds(%s) = %v, UnmarshalJSON gives %v, %v", s, got, want, wantErr)
		}
		if !ok && wantErr == nil && len(s) == 20 && s[19] == 'Z' && s[10] == 'T' {
			t.Logf("parseUTCSeconds(%s) leaves it to UnmarshalJSON", s)
		}
		checkDecodePlace(t, []byte(`{"date_maj":"`+s+`"}`))
	}
}
