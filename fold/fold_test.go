package fold

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func TestKey(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"paris", "paris"},
		{"Paris", "paris"},
		{"  Saint-Étienne-du-Rouvray ", "saint etienne du rouvray"},
		{"L'Haÿ-les-Roses", "l hay les roses"},
		{"L’Haÿ-les-Roses", "l hay les roses"},
		{"Cœur de Lœuvre", "coeur de loeuvre"},
		{"ŒUVRE", "oeuvre"},
		{"Lætitia", "laetitia"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Ça c'est français", "ca c est francais"},
		{"MARSEILLE 11E ARRONDISSEMENT", "marseille 11e arrondissement"},
		{"Marseille 1er", "marseille 1er"},
		{"Havre (Le)", "havre le"},
		{"St.-Jean--de   Luz", "st jean de luz"},
		{"àâäáãå èêëé îïíì ôöóòõø ùûüú ÿý ñ", "aaaaaa eeee iiii oooooo uuuu yy n"},
		{"ÀÂÄÁÃÅ ÈÊËÉ ÎÏÍÌ ÔÖÓÒÕØ ÙÛÜÚ Ÿ Ç", "aaaaaa eeee iiii oooooo uuuu y c"},
		{"e\u0301te\u0301", "ete"},          // decomposed accents
		{"\u0301a", "a"},                    // leading combining mark
		{"Saint\u00a0Denis", "saint denis"}, // no-break space
		{"Saint\u202fDenis", "saint denis"}, // narrow no-break space
		{"Saint\u2010Denis", "saint denis"}, // Unicode hyphen
		{"ﬁnistère", "finistere"},           // ligature
		{"ＰＡＲＩＳ", "paris"},                  // full-width
		{"m²", "m2"},                        // superscript
		{"n°12", "n 12"},                    // degree sign
		{"½", "1 2"},                        // fraction slash
		{"Łódź", "lodz"},                    // Polish
		{"Αθήνα", "αθηνα"},                  // Greek kept, lower-cased
		{"МОСКВА", "москва"},                // Cyrillic kept
		{"東京", "東京"},                        // CJK kept
		{"a\u02bcb", "a b"},                 // modifier apostrophe
		{"Pa\u200bris", "paris"},            // zero-width space
		{"Saint\u00adDenis", "saintdenis"},  // soft hyphen is invisible
		{"!!!", ""},
		{"--a--", "a"},
		{"123 456", "123 456"},
		{"\xff\xfeabc", "abc"}, // invalid UTF-8 is a separator
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(AppendKey([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendKey(x, %q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"Saint-Étienne", "SAINT ETIENNE", true},
		{"saint etienne", "saint etienne", true},
		{"saint etienne", "saint-etienne", true},
		{"saint etienne", "saint etiennes", false},
		{"saint etienne", "saint etiennf", false},
		{"Évry", "evry", true},
		{"Évry", "Evry-Courcouronnes", false},
		{"", " - ", true},
		{strings.Repeat("é", 200), strings.Repeat("E", 200), true},
		{strings.Repeat("é", 200), strings.Repeat("E", 201), false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := Equal(tt.b, tt.a); got != tt.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestKeyNoAllocation(t *testing.T) {
	s := "saint etienne du rouvray"
	if n := testing.AllocsPerRun(100, func() { _ = Key(s) }); n != 0 {
		t.Errorf("Key of a key: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Equal("Saint-Étienne", "SAINT ETIENNE") }); n != 0 {
		t.Errorf("Equal: %v allocations, want 0", n)
	}
}

// TestLatinTable checks that every rune of the Latin blocks folds to ASCII
// when it is a letter: Latin-1 Supplement and Latin Extended-A cover the
// languages of France and its neighbours.
func TestLatinTable(t *testing.T) {
	for r := rune(0xC0); r <= 0x17F; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		k := Key(string(r))
		if k == "" {
			t.Errorf("Key(%q) is empty", r)
		}
		for i := 0; i < len(k); i++ {
			if k[i] >= utf8.RuneSelf {
				t.Errorf("Key(%q) = %q, not ASCII", r, k)
				break
			}
		}
	}
}

func FuzzKey(f *testing.F) {
	for _, s := range []string{"Saint-Étienne", "L'Haÿ-les-Roses", "Αθήνα", "ﬁ½", "e\u0301", " a  b ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if k2 := Key(k); k2 != k {
			t.Fatalf("Key not idempotent: Key(%q) = %q, Key(%q) = %q", s, k, k, k2)
		}
		if !utf8.ValidString(k) {
			t.Fatalf("Key(%q) = %q is not valid UTF-8", s, k)
		}
		if strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") || strings.Contains(k, "  ") {
			t.Fatalf("Key(%q) = %q has stray spaces", s, k)
		}
		for _, r := range k {
			switch {
			case r == ' ', 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			case r < utf8.RuneSelf:
				t.Fatalf("Key(%q) = %q contains %q", s, k, r)
			case !unicode.IsLetter(r) && !unicode.IsDigit(r):
				t.Fatalf("Key(%q) = %q contains non-letter %q", s, k, r)
			case unicode.IsUpper(r):
				t.Fatalf("Key(%q) = %q contains upper-case %q", s, k, r)
			}
		}
		if !Equal(s, k) {
			t.Fatalf("Equal(%q, Key(%[1]q)) is false", s)
		}
	})
}

var sink string

func BenchmarkKey(b *testing.B) {
	cases := []struct{ name, in string }{
		{"folded", "saint etienne du rouvray"},
		{"ascii", "SAINT-ETIENNE-DU-ROUVRAY"},
		{"accents", "Saint-Étienne-du-Rouvray"},
		{"heavy", "L’Haÿ-les-Roses Œuvre Cœur Ærø"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Key(c.in)
			}
		})
	}
}

func BenchmarkEqual(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !Equal("Saint-Étienne-du-Rouvray", "SAINT ETIENNE DU ROUVRAY") {
			b.Fatal("not equal")
		}
	}
}

// BenchmarkNormChain measures the textbook alternative (NFD, remove marks,
// lower-case, split on non-alphanumerics) on the accented case, to justify
// the hand-made table used by Key.
func BenchmarkNormChain(b *testing.B) {
	in := "Saint-Étienne-du-Rouvray"
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	b.ReportAllocs()
	for b.Loop() {
		s, _, _ := transform.String(t, in)
		s = strings.ToLower(s)
		sink = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
}
