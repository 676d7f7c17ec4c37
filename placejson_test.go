package maillage

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// placeNoMethod has Place's fields and tags but not its MarshalJSON: what
// encoding/json would write.
type placeNoMethod Place

func fullPlace() Place {
	return Place{
		ID: "a-1", Pivot: "43493312300029", Name: "Médiathèque « Le <Patio> » & co", Commune: "Reims", PostalCode: "51100",
		INSEECode: "51454", Address: "12 rue \"Leclercq\"", AddressComplement: "2e étage\nporte B\t\u2028",
		Latitude: 49.2535, Longitude: -0.000000123, HasCoordinates: true,
		Typologies: []Typology{"BIB", "MUNI"}, Telephone: "+33326000000", Emails: []string{"a@b.fr", "c@d.fr"},
		Websites: []string{"https://x.fr/?a=1&b=2"}, OpeningHours: `Mo-Fr 09:00-12:00; PH off "sur rendez-vous"`,
		Summary: "Résumé", Description: "Détail \x01 \xff invalid", Source: "Hubik", Itinerance: []Itinerance{Fixed},
		ParentOrganization: "Ville", UpdatedOn: time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC),
		Services: Services[:3], Publics: Publics[:2], SpecificSupport: SpecificSupports[:1], Fees: Fees[:2],
		NationalPrograms: NationalPrograms[:2], TrainingsLabels: TrainingsLabels[:1], OtherLabels: []string{"ZRR"},
		AccessModes: AccessModes[:2], SupportModes: SupportModes, AccessibilitySheet: "https://acceslibre.beta.gouv.fr/x",
		AppointmentURL: "https://rdv.fr", Extra: map[string]string{"z": "1", "a": "2", "horaires_texte": "le matin"},
	}
}

func TestPlaceJSONMatchesEncodingJSON(t *testing.T) {
	for _, p := range []Place{fullPlace(), {}, {ID: "x", Latitude: 1e21, Longitude: 1e-7}} {
		want, err := json.Marshal(placeNoMethod(p))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(p)
		if !bytes.Equal(got, want) {
			t.Errorf("MarshalJSON differs from encoding/json:\n got %s\nwant %s", got, want)
		}
		var back Place
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if p.Description == fullPlace().Description {
			continue // invalid UTF-8 does not come back as is, by design
		}
		if !reflect.DeepEqual(back, p) && !(len(p.Extra) == 0 && back.Extra == nil) {
			t.Errorf("round trip changed the place:\n%+v\n%+v", back, p)
		}
	}
}

func BenchmarkPlaceJSON(b *testing.B) {
	p := fullPlace()
	b.Run("AppendJSON", func(b *testing.B) {
		buf := make([]byte, 0, 2048)
		for i := 0; i < b.N; i++ {
			buf = p.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			json.Marshal(placeNoMethod(p))
		}
	})
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "abc", "<&>", "\u2028\u2029", "\xff\xfe", "é\"\\\n\x00", "\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestFindingsJSONMatchesEncodingJSON(t *testing.T) {
	for _, fs := range [][]Finding{nil, {}, {{Row: 3, Field: "nom", Value: "<x> & \"y\"", Code: "c", Severity: SeverityError, Message: "é\n"}, {}}} {
		want, _ := json.Marshal(fs)
		if got := AppendFindingsJSON(nil, fs); !bytes.Equal(got, want) {
			t.Errorf("AppendFindingsJSON = %s, want %s", got, want)
		}
	}
}
