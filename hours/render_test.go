package hours

import (
	"testing"
	"time"
)

func TestWeekFR(t *testing.T) {
	h := Must(Parse(`Mo-Fr 09:00-12:00,14:00-17:00; We 14:00-17:00 "sur rendez-vous"; Sa 22:00-02:00`))
	got := h.WeekFR(time.Date(2024, 3, 6, 12, 0, 0, 0, h.Context().Location))
	want := []string{
		"Lundi : 9 h – 12 h, 14 h – 17 h",
		"Mardi : 9 h – 12 h, 14 h – 17 h",
		"Mercredi : 14 h – 17 h (sur rendez-vous)",
		"Jeudi : 9 h – 12 h, 14 h – 17 h",
		"Vendredi : 9 h – 12 h, 14 h – 17 h",
		"Samedi : 22 h – 2 h",
		"Dimanche : fermé",
	}
	if len(got) != 7 {
		t.Fatalf("WeekFR gave %d lines", len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestStatusFR(t *testing.T) {
	h := Must(Parse("Mo-Fr 09:00-12:00,14:00-17:00"))
	loc := h.Context().Location
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 3, 6, 15, 0, 0, 0, loc), "Ouvert · ferme à 17 h"},
		{time.Date(2024, 3, 6, 12, 30, 0, 0, loc), "Fermé · ouvre à 14 h"},
		{time.Date(2024, 3, 6, 18, 0, 0, 0, loc), "Fermé · ouvre demain à 9 h"},
		{time.Date(2024, 3, 8, 18, 0, 0, 0, loc), "Fermé · ouvre lundi à 9 h"},
	}
	for _, tt := range tests {
		if got := h.StatusFR(tt.at); got != tt.want {
			t.Errorf("StatusFR(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
	if got := Must(Parse("24/7")).StatusFR(time.Now()); got != "Ouvert 24 h/24" {
		t.Errorf("24/7 = %q", got)
	}
	if got := Must(Parse(`"sur rendez-vous"`)).StatusFR(time.Now()); got != "Horaires incertains · sur rendez-vous" {
		t.Errorf("comment only = %q", got)
	}
}
