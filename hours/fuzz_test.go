package hours

import (
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics, that what it accepts prints to a
// value that parses back to the same canonical text, and that Repair and
// FromFrench never panic nor return an invalid value with ok.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Mo-Fr 09:00-12:00,14:00-17:00; We off", "24/7", `"sur rendez-vous"`, "Mo 22:00-02:00",
		"2024-2026/2 Jan-Mar week 01-53/2 Mo[1,-1] 18:00+", "PH,Sa 10:00-12:00 || unknown",
		"Dec 24-26 off; easter -2 days", "Mo-Fr 9h-12h", "du lundi au vendredi de 9h à 12h",
	} {
		f.Add(s)
	}
	instant := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if h, err := Parse(s); err == nil {
			out := h.String()
			h2, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse(%q) printed %q which does not parse: %v", s, out, err)
			}
			if h2.String() != out {
				t.Fatalf("round trip of %q unstable: %q then %q", s, out, h2.String())
			}
			if h.State(instant) != h2.State(instant) {
				t.Fatalf("%q and its print %q disagree at %v", s, out, instant)
			}
			h.NextChange(instant)
		} else if _, ok := err.(*SyntaxError); !ok {
			t.Fatalf("Parse(%q) error %T is not a *SyntaxError", s, err)
		}
		if r, ok := Repair(s); ok {
			if _, err := Parse(r); err != nil {
				t.Fatalf("Repair(%q) = %q, ok but invalid: %v", s, r, err)
			}
		}
		if r, ok := FromFrench(s); ok {
			if _, err := Parse(r); err != nil {
				t.Fatalf("FromFrench(%q) = %q, ok but invalid: %v", s, r, err)
			}
		}
	})
}
