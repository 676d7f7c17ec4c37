package maillage

import "testing"

func TestFirstPlainEmail(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"médiathèque@example.fr", "accueil@example.fr"}, "accueil@example.fr"},
		{[]string{"bibliothèque.x@orange.fr"}, ""},
		{[]string{"a@b.fr", "c@d.fr"}, "a@b.fr"},
		{[]string{"Nom <a@b.fr>"}, ""},
		{[]string{"pas une adresse", "x@y.fr"}, "x@y.fr"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := FirstPlainEmail(tt.in); got != tt.want {
			t.Errorf("FirstPlainEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
