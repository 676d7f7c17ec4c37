package hours

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		pos    int
		fr, en string
	}{
		{"Mo 09:00-", 9, "heure de fin attendue après « 09:00- »", "end time expected"},
		{"Mo 09:00", 8, "heure isolée", "lone time"},
		{"Mo 08:00-12:00-14:00", 14, "trois heures", "three times"},
		{"Mo-Fr 9:00-12:00", 6, "deux chiffres", "two digits"},
		{"Mo-Fr 09:00 - 12:00", 12, "espace avant « - »", "space before"},
		{"mo 10:00-12:00", 0, "« Mo »", "capital"},
		{"Mo 10:00-12:00;", 14, "règle attendue", "rule expected"},
		{"Feb 30", 4, "n'existe pas", "does not exist"},
		{"Mo sunrise-12:00", 3, "heures variables", "variable times"},
		{`Mo "rdv`, 3, "commentaire non terminé", "unterminated comment"},
		{"", 0, "valeur vide", "empty value"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Pos != tt.pos || !strings.Contains(se.Error(), tt.fr) || !strings.Contains(se.English(), tt.en) {
			t.Errorf("Parse(%q) = pos %d %q / %q, want pos %d containing %q / %q", tt.in, se.Pos, se.Error(), se.English(), tt.pos, tt.fr, tt.en)
		}
	}
}

func TestCanonicalRoundTrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mo-Fr 09:00-12:00,14:00-17:00; We off", "Mo-Fr 09:00-12:00,14:00-17:00; We off"},
		{"Mo-Fr 09:00-12:00, 14:00-17:00", "Mo-Fr 09:00-12:00,14:00-17:00"},
		{"Mo closed", "Mo off"},
		{"Mo 22:00-26:00", "Mo 22:00-02:00"},
		{"Dec 24-Dec 26 off", "Dec 24-26 off"},
		{`PH,Sa 10:00-12:00 "sur rendez-vous"`, `PH,Sa 10:00-12:00 "sur rendez-vous"`},
		{"2024-2026/2 Jan-Mar week 01-53/2 Mo[1,-1] 18:00+", "2024-2026/2 Jan-Mar week 01-53/2 Mo[1,-1] 18:00+"},
		{"Mo 10:00-12:00 || unknown", "Mo 10:00-12:00 || unknown"},
		{"24/7", "24/7"},
	}
	for _, tt := range tests {
		h, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := h.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		h2, err := Parse(h.String())
		if err != nil || h2.String() != h.String() {
			t.Errorf("round trip of %q: %v %q", tt.in, err, h2)
		}
	}
}

func TestEvaluation(t *testing.T) {
	paris := DefaultContext().Location
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		value, at string
		want      Status
	}{
		{"Mo-Fr 09:00-12:00,14:00-17:00; We off", "2024-03-04 10:00", Open},   // Monday
		{"Mo-Fr 09:00-12:00,14:00-17:00; We off", "2024-03-06 10:00", Closed}, // Wednesday
		{"Mo-Fr 09:00-12:00,14:00-17:00; We off", "2024-03-04 12:00", Closed},
		{"Mo 22:00-02:00", "2024-03-05 01:30", Open},                   // Tuesday night
		{"Mo 22:00-02:00; Tu 10:00-12:00", "2024-03-05 01:30", Closed}, // Tu overrides the whole Tuesday
		{"Mo-Fr 10:00-20:00; We 12:00-14:00 off", "2024-03-06 11:00", Open},
		{"Mo 18:00+", "2024-03-04 20:00", Unknown},
		{`"sur rendez-vous"`, "2024-03-04 20:00", Unknown},
		{"Mo-Su 09:00-18:00; PH off", "2024-05-01 10:00", Closed},  // Fête du Travail
		{"Mo-Su 09:00-18:00; SH off", "2024-05-02 10:00", Unknown}, // school holidays unknown
		{"Mo[1] 10:00-12:00", "2024-03-04 11:00", Open},
		{"Mo[1] 10:00-12:00", "2024-03-11 11:00", Closed},
		{"Dec 24-26 10:00-12:00", "2024-12-25 11:00", Open},
		{"Nov-Feb 10:00-12:00", "2024-01-15 11:00", Open},
		{"week 02-52/2 10:00-12:00", "2024-01-08 11:00", Open}, // ISO week 2
		{"week 02-52/2 10:00-12:00", "2024-01-15 11:00", Closed},
		{"Mo 10:00-12:00 || 14:00-15:00 unknown", "2024-03-04 14:30", Unknown},
	}
	for _, tt := range tests {
		h, err := Parse(tt.value)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.value, err)
		}
		if got := h.State(at(tt.at)).Status; got != tt.want {
			t.Errorf("%q at %s = %v, want %v", tt.value, tt.at, got, tt.want)
		}
		if h.IsOpen(at(tt.at)) != (tt.want == Open) {
			t.Errorf("%q IsOpen at %s disagrees with State", tt.value, tt.at)
		}
	}
}

func TestTimeZone(t *testing.T) {
	noumea, err := time.LoadLocation("Pacific/Noumea")
	if err != nil {
		t.Fatal(err)
	}
	h, err := Compile("Mo-Fr 08:00-12:00", Context{Location: noumea, Departement: "988"})
	if err != nil {
		t.Fatal(err)
	}
	// 09:00 in Nouméa (UTC+11) is 22:00 UTC the day before.
	instant := time.Date(2024, 3, 3, 22, 0, 0, 0, time.UTC)
	if !h.IsOpen(instant) {
		t.Errorf("open at 09:00 Nouméa time: want true")
	}
	if Must(Parse("Mo-Fr 08:00-12:00")).IsOpen(instant) {
		t.Errorf("in Paris it is Sunday 23:00: want closed")
	}
}

// Must is a test helper.
func Must(h *Hours, err error) *Hours {
	if err != nil {
		panic(err)
	}
	return h
}

func TestNextChangeAndIntervals(t *testing.T) {
	h := Must(Parse("Mo-Fr 09:00-12:00,14:00-17:00"))
	loc := h.Context().Location
	from := time.Date(2024, 3, 8, 16, 0, 0, 0, loc) // Friday 16:00
	next, ok := h.NextChange(from)
	if want := time.Date(2024, 3, 8, 17, 0, 0, 0, loc); !ok || !next.Equal(want) {
		t.Errorf("NextChange = %v %v, want %v", next, ok, want)
	}
	next, ok = h.NextChange(next)
	if want := time.Date(2024, 3, 11, 9, 0, 0, 0, loc); !ok || !next.Equal(want) {
		t.Errorf("NextChange after closing = %v %v, want %v", next, ok, want)
	}
	if _, ok := Must(Parse("off")).NextChange(from); ok {
		t.Errorf("off never changes")
	}
	ivs := h.Intervals(time.Date(2024, 3, 4, 0, 0, 0, 0, loc), time.Date(2024, 3, 11, 0, 0, 0, 0, loc))
	if len(ivs) != 10 {
		t.Errorf("Intervals over a week = %d, want 10", len(ivs))
	}
	overnight := Must(Parse("Fr 22:00-02:00"))
	ivs = overnight.Intervals(time.Date(2024, 3, 8, 0, 0, 0, 0, loc), time.Date(2024, 3, 10, 0, 0, 0, 0, loc))
	if len(ivs) != 1 || ivs[0].End.Sub(ivs[0].Start) != 4*time.Hour {
		t.Errorf("span past midnight = %v, want one 4-hour interval", ivs)
	}
}

func TestHolidays(t *testing.T) {
	tests := []struct {
		year int
		dep  string
		date string
		name string
	}{
		{2024, "75", "2024-04-01", "Lundi de Pâques"},
		{2024, "75", "2024-05-09", "Ascension"},
		{2024, "75", "2024-05-20", "Lundi de Pentecôte"},
		{2025, "75", "2025-04-21", "Lundi de Pâques"},
		{2024, "57", "2024-03-29", "Vendredi saint"},
		{2024, "67", "2024-12-26", "Saint-Étienne"},
		{2024, "971", "2024-05-27", "Abolition de l'esclavage"},
		{2024, "972", "2024-05-22", "Abolition de l'esclavage"},
		{2024, "973", "2024-06-10", "Abolition de l'esclavage"},
		{2024, "974", "2024-12-20", "Abolition de l'esclavage"},
		{2024, "976", "2024-04-27", "Abolition de l'esclavage"},
	}
	for _, tt := range tests {
		found := false
		for _, h := range Holidays(tt.year, tt.dep) {
			if h.Date.Format("2006-01-02") == tt.date && h.Name == tt.name {
				found = true
			}
		}
		if !found {
			t.Errorf("Holidays(%d, %q) lacks %s %s", tt.year, tt.dep, tt.date, tt.name)
		}
	}
	if n := len(Holidays(2024, "75")); n != 11 {
		t.Errorf("national holidays = %d, want 11", n)
	}
	for _, h := range Holidays(2024, "75") {
		if h.Name == "Vendredi saint" || h.Name == "Saint-Étienne" {
			t.Errorf("Paris has no %s", h.Name)
		}
	}
}

func TestRepairAndValidate(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		level Level
	}{
		{"Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00", Valid},
		{"Mo-Fr 9h-12h30", "Mo-Fr 09:00-12:30", Repaired},
		{"Mo-Fr 09:00 - 12:00", "Mo-Fr 09:00-12:00", Repaired},
		{"lundi 9h-12h", "Mo 09:00-12:00", Repaired},
		{"Mo–Fr 09:00–12:00;", "Mo-Fr 09:00-12:00", Repaired},
		{"mo-fr 10-12", "Mo-Fr 10:00-12:00", Repaired},
		{"Mo-Fr 9:00-12:00", "Mo-Fr 09:00-12:00", Repaired},
		{"Mo-Fr 09h00-12h00", "Mo-Fr 09:00-12:00", Repaired},
		{"Mo-Fr 09:00-12:00;; Sa 10:00-12:00", "Mo-Fr 09:00-12:00; Sa 10:00-12:00", Repaired},
		{"Mo-Fr: 09:00-12:00", "Mo-Fr 09:00-12:00", Repaired},
		{"Mo - Fr 09:00-12:00", "Mo-Fr 09:00-12:00", Valid}, // the grammar allows spaces
		{"Lundi-Vendredi 09:00-12:00", "Mo-Fr 09:00-12:00", Repaired},
		{"Mo-Fr 09:00-12:00.", "Mo-Fr 09:00-12:00", Repaired},
		{".Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00", Repaired},
		{"Mo,,Tu 09:00-12:00 , ,14:00-17:00", "Mo,Tu 09:00-12:00,14:00-17:00", Repaired},
		{"Mo-Fr 09:00-12:00 ,14:00-17:00", "Mo-Fr 09:00-12:00,14:00-17:00", Valid},
		{"Mo-Fr 09:00-24:00", "Mo-Fr 09:00-24:00", Valid},
		{"Mo-Fr 09:00-12:00 sur rendez-vous", `Mo-Fr 09:00-12:00 "sur rendez-vous"`, Repaired},
		{"Mo-Fr 09:00-12:00 «fermé en août»", `Mo-Fr 09:00-12:00 "fermé en août"`, Repaired},
		// Never guessed: a lone time, three times, a chain of days (Mo-Tu-Th-Fr:
		// a list or ranges?), minutes with three digits.
		{"Mo 09:00", "Mo 09:00", Invalid},
		{"Mo 08:00-12:00-14:00", "Mo 08:00-12:00-14:00", Invalid},
		{"Mo-Fr 9-12:15-13:30", "Mo-Fr 9-12:15-13:30", Invalid},
		{"Mo-Tu-Th-Fr 09:00-12:00", "Mo-Tu-Th-Fr 09:00-12:00", Invalid},
		{"Mo-Fr 08:30-12:300", "Mo-Fr 08:30-12:300", Invalid},
		// Days without any time: "Mo-Sa" would mean open all day.
		{"Lundi - samedi", "Lundi - samedi", Invalid},
		{"lundi", "lundi", Invalid},
		{"lundi ouvert", "lundi ouvert", Invalid},
		{"Mo-Fr 9h-12h; samedi", "Mo-Fr 9h-12h; samedi", Invalid},
		{"lundi fermé", "Mo off", Repaired},
		{"lundi sur rendez-vous", `Mo "sur rendez-vous"`, Repaired},
		{"Mo-Fr 09:00-12:00; Tu 30-19", "Mo-Fr 09:00-12:00; Tu 30-19", Invalid},
	}
	for _, tt := range tests {
		d := Validate(tt.in)
		if d.Level != tt.level || d.Value != tt.want {
			t.Errorf("Validate(%q) = %v %q, want %v %q", tt.in, d.Level, d.Value, tt.level, tt.want)
		}
		if d.Level != Valid && (d.Err == nil || d.Message == "") {
			t.Errorf("Validate(%q): no message", tt.in)
		}
	}
}

func TestFromFrench(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"09:00 - 12:00 / 14:00 - 17:00", "09:00-12:00,14:00-17:00", true},
		{"9h à 12h30 - 13h30 à 17h", "09:00-12:30,13:30-17:00", true},
		{"du lundi au vendredi de 9h à 12h", "Mo-Fr 09:00-12:00", true},
		{"Lundi au vendredi 9h-12h/14h-18h", "Mo-Fr 09:00-12:00,14:00-18:00", true},
		{"Fermé", "off", true},
		{"fermé au public", "off", true},
		{"Pas d'accueil.", "off", true},
		{"-", "", false}, // an empty cell: closed only in FromDayColumns
		{"sur rendez-vous", `"sur rendez-vous"`, true},
		{"Accueil sur rendez-vous", `"sur rendez-vous"`, true},
		{"Sur rendez-vous le vendredi", `Fr "sur rendez-vous"`, true},
		{"RDV  uniquement de 9h à 19h", `09:00-19:00 "sur rendez-vous"`, true},
		{"10H  18H", "10:00-18:00", true},
		{"8h30 à-18h30", "08:30-18:30", true},
		{"9h à 12h - 14h 17h30", "09:00-12:00,14:00-17:30", true},
		{"mardi matin: 9h12h / mardi après-midi: 14h18h", "Tu 09:00-12:00,14:00-18:00", true},
		// Texts that say the hours are not known or are elsewhere: OSM's
		// unknown with the text as the comment, never open.
		{"Horaires non communiqués", `unknown "Horaires non communiqués"`, true},
		{"Aux horaires d'ouverture de la structure", `unknown "Aux horaires d'ouverture de la structure"`, true},
		{"Se rapprocher de l'organisme", `unknown "Se rapprocher de l'organisme"`, true},
		{"Voir site internet", `unknown "Voir site internet"`, true},
		{"Horaires variables en fonction des ateliers", `unknown "Horaires variables en fonction des ateliers"`, true},
		{`Horaires "à voir"`, "", false},
		{"Accès libre et sur rendez-vous", "", false},
		{"12h 9h", "", false},     // two times side by side, not in order
		{"8h 12h 14h", "", false}, // a lone time after a span
		{"14h-16h30 (sur rdv)", `14:00-16:30 "sur rendez-vous"`, true},
		{"Mercredi de 14h30 à 16h30", "We 14:30-16:30", true},
		{"17:30", "", false},      // a lone time
		{"9h-12h-14h", "", false}, // three times
	}
	for _, tt := range tests {
		got, ok := FromFrench(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FromFrench(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestFromFrenchDaysWithoutHours checks the texts that name days and no
// hours: those days unknown with the text as the comment, never open, and
// the other days closed; and the texts that must stay flagged.
func TestFromFrenchDaysWithoutHours(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when the text must stay flagged
	}{
		{"Du lundi au vendredi", `Mo-Fr unknown "Du lundi au vendredi"`},
		{"du lundi au vendredi.", `Mo-Fr unknown "du lundi au vendredi."`},
		{"DU LUNDI AU VENDREDI", `Mo-Fr unknown "DU LUNDI AU VENDREDI"`},
		{"Du mardi au samedi", `Tu-Sa unknown "Du mardi au samedi"`},
		{"Lundi - vendredi", `Mo-Fr unknown "Lundi - vendredi"`},
		{"Ouvert du lundi au vendredi", `Mo-Fr unknown "Ouvert du lundi au vendredi"`},
		{"Toute la semaine", `Mo-Su unknown "Toute la semaine"`},
		{"Tous les jours", `Mo-Su unknown "Tous les jours"`},
		{"tous les jours !", `Mo-Su unknown "tous les jours !"`},
		{"Ouvert 7j/7", `Mo-Su unknown "Ouvert 7j/7"`},
		{"Quotidien", `Mo-Su unknown "Quotidien"`},
		{"quotidiennement", `Mo-Su unknown "quotidiennement"`},
		{"Le mardi et le jeudi", `Tu,Th unknown "Le mardi et le jeudi"`},
		{"Lundis et Jeudis, journée", `Mo,Th unknown "Lundis et Jeudis, journée"`},
		{"Mercredi", `We unknown "Mercredi"`},
		{"mercredi ; samedi", `We,Sa unknown "mercredi ; samedi"`},
		{"Vendredi matin", `Fr unknown "Vendredi matin"`},
		{"Tous les mercredis après-midis", `We unknown "Tous les mercredis après-midis"`},
		{"Lundi matin, mercredi matin, vendredi soir", `Mo,We,Fr unknown "Lundi matin, mercredi matin, vendredi soir"`},
		{"les lundis et mardis matins en période scolaire", `Mo,Tu unknown "les lundis et mardis matins en période scolaire"`},
		{"Le jeudi une semaine sur deux", `Th unknown "Le jeudi une semaine sur deux"`},
		// A bare OSM day list: the comment would only repeat it.
		{"Mo", "Mo unknown"},
		{"Sa", "Sa unknown"},
		{"Mo-Fr", "Mo-Fr unknown"},
		{"Tu,Th", "Tu,Th unknown"},
		// Appointment days keep their comment.
		{"Sur rendez-vous le vendredi", `Fr "sur rendez-vous"`},
		// No day and no hours, or not only days: flagged.
		{"Itinérance", ""},
		{"Une fois par mois", ""},
		{"Une fois par mois à la demande", ""},
		{"Ateliers numériques", ""},
		{"Accès libre", ""},
		{"En semaine", ""},                           // Mo-Fr or Mo-Sa?
		{"Tous les premiers jeudi du mois", ""},      // which Thursday?
		{"Un samedi matin sur deux à la mairie", ""}, // a place
		{"Tous les jours sauf le mercredi après-midi.", ""},
		{"Non ouvert le lundi", ""},                               // a negation
		{"Lundi, fermé le mardi", ""},                             // is Monday closed too?
		{"Fermé le lundi", ""},                                    // "off" would close the whole week
		{"samedi : -", ""},                                        // the dash of an empty cell: closed?
		{"lundi/mercredi", ""},                                    // Monday and Wednesday, or Monday to Wednesday?
		{"Lundi 9h-12h, mardi", ""},                               // do the hours apply to Tuesday?
		{"du lundi au samedi midi", ""},                           // a lone time
		{"Mo[1]", ""},                                             // OSM beyond a day list
		{"PH", ""},                                                // not a weekday
		{"Mercredi de 10h à 12h ou sur rdv toute la semaine", ""}, // which applies on Wednesday?
	}
	monday := time.Date(2024, 3, 4, 10, 0, 0, 0, DefaultContext().Location)
	for _, tt := range tests {
		got, ok := FromFrench(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("FromFrench(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.want != "")
			continue
		}
		if !ok {
			continue
		}
		h, err := Parse(got)
		if err != nil || h.String() != got {
			t.Errorf("FromFrench(%q) = %q: not a stable valid value (%v)", tt.in, got, err)
			continue
		}
		if strings.Contains(got, "rendez-vous") {
			continue
		}
		// Unknown on the days named, closed on the others, never open.
		for d := 0; d < 7; d++ {
			day := monday.AddDate(0, 0, d)
			named := false
			for _, r := range h.Rules() {
				for _, w := range r.Weekdays {
					named = named || w.From <= w.To && d >= w.From && d <= w.To || w.From > w.To && (d >= w.From || d <= w.To)
				}
			}
			want := Closed
			if named {
				want = Unknown
			}
			for _, hour := range []int{0, 10, 23} {
				at := day.Add(time.Duration(hour-10) * time.Hour)
				if st := h.State(at).Status; st != want || h.IsOpen(at) {
					t.Errorf("%q at %s = %v, want %v", got, at.Format("Mon 15:04"), st, want)
				}
			}
		}
	}
}

func TestFromDayColumns(t *testing.T) {
	got, ok := FromDayColumns(map[time.Weekday]string{
		time.Monday:    "09:00 - 12:00 / 14:00 - 17:00",
		time.Tuesday:   "09:00 - 12:00 / 14:00 - 17:00",
		time.Wednesday: "09:00 - 12:00",
		time.Thursday:  "09:00 - 12:00 / 14:00 - 17:00",
		time.Friday:    "09:00 - 12:00 / 14:00 - 17:00",
		time.Saturday:  "-",
	})
	want := "Mo,Tu,Th,Fr 09:00-12:00,14:00-17:00; We 09:00-12:00"
	if !ok || got != want {
		t.Errorf("FromDayColumns = %q %v, want %q", got, ok, want)
	}
	if _, ok := FromDayColumns(map[time.Weekday]string{time.Monday: "Itinérance"}); ok {
		t.Errorf("an unreadable cell must not give a value")
	}
	got, ok = FromDayColumns(map[time.Weekday]string{time.Monday: "Se rapprocher de l'organisme", time.Tuesday: "Fermé", time.Friday: "10h  12h"})
	want = `Mo unknown "Se rapprocher de l'organisme"; Fr 10:00-12:00`
	if !ok || got != want {
		t.Errorf("FromDayColumns = %q %v, want %q", got, ok, want)
	}
	// A cell that names its own day without hours ("Mo" in the Lundi
	// column of ultra-numerique-reunion, whose hours are in other, empty
	// columns): that day unknown.
	for _, tt := range []struct {
		days map[time.Weekday]string
		want string // "" when flagged
	}{
		{map[time.Weekday]string{time.Monday: "Mo"}, "Mo unknown"},
		{map[time.Weekday]string{time.Monday: "Mo", time.Tuesday: "Tu", time.Wednesday: "We", time.Thursday: "Th", time.Friday: "Fr", time.Saturday: "Sa"}, "Mo-Sa unknown"},
		{map[time.Weekday]string{time.Monday: "Mo", time.Tuesday: "09:00 - 12:00", time.Sunday: "Su"}, "Mo,Su unknown; Tu 09:00-12:00"},
		{map[time.Weekday]string{time.Thursday: "Jeudi"}, `Th unknown "Jeudi"`},
		{map[time.Weekday]string{time.Monday: "Tu"}, ""},    // another day
		{map[time.Weekday]string{time.Monday: "Mo-Fr"}, ""}, // other days
		{map[time.Weekday]string{time.Monday: "Mo", time.Tuesday: "17:30"}, ""},
	} {
		got, ok := FromDayColumns(tt.days)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("FromDayColumns(%v) = %q %v, want %q", tt.days, got, ok, tt.want)
		}
		if ok {
			if h, err := Parse(got); err != nil || h.String() != got {
				t.Errorf("FromDayColumns(%v) = %q: not a stable valid value (%v)", tt.days, got, err)
			}
		}
	}
}

// TestPlannerMatchesPlan checks that the memoised plans NextChange and
// Intervals use are the plans computed day by day.
func TestPlannerMatchesPlan(t *testing.T) {
	for _, v := range []string{
		"Mo-Fr 09:00-12:00,14:00-17:00; PH off",
		"Mo-Sa 22:00-02:00; PH off; Dec 24-26 off",
		"2024 Jan-Mar Mo[1,-1] 10:00-12:00; week 01-53/2 Tu 18:00+",
		"SH Mo-Fr 10:00-12:00 || PH unknown",
		"easter -2 days-easter +1 day off; Sa 08:00-20:00",
	} {
		h := Must(Parse(v))
		p := h.planner()
		z0 := civilDays(2024, time.January, 1)
		for z := z0; z < z0+800; z++ {
			got, want := p.plan(z), h.plan(z)
			if len(got) != len(want) {
				t.Fatalf("%q day %d: planner %v, plan %v", v, z, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%q day %d: planner %v, plan %v", v, z, got, want)
				}
			}
		}
	}
}

// TestNextChangeLongDatedValue is the fuzzer's slow input: a long value
// with dates whose state never changes made NextChange paint 733 days.
func TestNextChangeLongDatedValue(t *testing.T) {
	h := Must(Parse(strings.Repeat("Jan-Dec 00:00-24:00; ", 200) + "PH,Sa"))
	start := time.Now()
	if _, ok := h.NextChange(time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)); ok {
		t.Errorf("state changes, want none")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("NextChange took %v", d)
	}
}

// TestFromFrenchListsAndAppointments checks "/" between days, chains of
// days and appointments that belong to some hours or days only.
func TestFromFrenchListsAndAppointments(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when the text must stay flagged
	}{
		// "/" between days: a list when the text shows it.
		{`Mardi/ jeudi: 14h - 18h\nMercredi 9h30 - 12h30 et 14h - 18h`, "Tu,Th 14:00-18:00; We 09:30-12:30,14:00-18:00"},
		{"Mardi/ jeudi: 14h - 18h\nMercredi 9h30 - 12h30 et 14h - 18h", "Tu,Th 14:00-18:00; We 09:30-12:30,14:00-18:00"},
		{"Lundi / Jeudi / Vendredi : 9h-12h", "Mo,Th,Fr 09:00-12:00"},
		{"lun/mar: 9h-12h", "Mo,Tu 09:00-12:00"},
		{"Lun/mar/sam: 14h30/17h30 mer/ven: 9h30/12h30", "Mo,Tu,Sa 14:30-17:30; We,Fr 09:30-12:30"},
		{"lundi/jeudi 9h-12h", ""}, // Monday and Thursday, or Monday to Thursday?
		// Chains of days joined by dashes.
		{"Tu-Th-Fr 09:00-12:00", ""},
		{"Mo-Tu-Th-Fr 09:00-12:00", ""},
		{"mardi-jeudi-vendredi 9h-12h", ""},
		{"lundi au mardi au jeudi 9h-12h", ""},
		{"mar-mer-jeu 9h-12h", "Tu-Th 09:00-12:00"}, // both readings agree
		{"mardi-jeudi-vendredi-samedi 14h-17h45 ; mercredi 15h-17h45", "Tu,Th-Sa 14:00-17:45; We 15:00-17:45"},
		{"lundi - mardi - mercredi - vendredi : 9h-12h ; jeudi : 9h-19h", "Mo-We,Fr 09:00-12:00; Th 09:00-19:00"},
		// Appointments that belong to some hours or days only.
		{"10:00 - 13:00 / Après-midi sur RDV", ""}, // the afternoon's hours are not given
		{"9:00 - 12:30 / Sur RDV : après-midi", ""},
		{"9h à 12h  -  Sur RDV l'après midi", ""},
		{"du lundi au jeudi de 8h30 à 16h15 (sur RDV l'après midi) et le vendredi de 8h30 à 12h30", ""},
		{"9:00 - 12:00 / Sur RDV : 14:00 - 17:00", `09:00-12:00, Mo-Su 14:00-17:00 "sur rendez-vous"`},
		{"Sur RDV : 9:00 - 12:30 / Sans RDV : 13:30 - 17:00", `13:30-17:00, Mo-Su 09:00-12:30 "sur rendez-vous"`},
		{"du lundi au vendredi : de 9h à 12h sans rendez-vous et de 14h à 17h sur rendez-vous", `Mo-Fr 09:00-12:00, Mo-Fr 14:00-17:00 "sur rendez-vous"`},
		{"Lundi au vendredi 9h-18h; samedi sur rendez-vous.", `Mo-Fr 09:00-18:00; Sa "sur rendez-vous"`},
		{"<ul><li>mardi : 14h-22h</li><li>jeudi : Sur RDV</li><li>vendredi : 13h-18h</li></ul>", `Tu 14:00-22:00; Th "sur rendez-vous"; Fr 13:00-18:00`},
		{"Sur RDV l'après-midi", `"Sur RDV l'après-midi"`},
		{"Accueil su RDV, lundi 13:30 – 16:45", `Mo 13:30-16:45 "sur rendez-vous"`}, // "su", not Sunday
		// Unchanged: an appointment about the whole text.
		{"9h à 19h sur rendez-vous", `09:00-19:00 "sur rendez-vous"`},
		{"Sur RDV : 9:00 - 12:00 // 13:30 - 16:30", `09:00-12:00,13:30-16:30 "sur rendez-vous"`},
		{"Uniquement sur rendez-vous l'après-midi de 14h à 16h.", `14:00-16:00 "sur rendez-vous"`},
		// The same day given different hours that overlap, or an empty slot.
		{"09:00 - 16:30 / 13:30 - 16:30", ""},
		{"lundi/mardi/jeudi/vendredi 9h-12h et 14h-20h // vendredi 9h-12h et 14h-18h", ""},
		{"00:00 - 00:00", ""},
		{"00:00 - 00:00 / 09:00 - 12:00", ""},
		{"09:00 - 12:00 / 09:00 - 12:00", "09:00-12:00"},
	}
	for _, tt := range tests {
		got, ok := FromFrench(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("FromFrench(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.want != "")
			continue
		}
		if ok {
			if h, err := Parse(got); err != nil || h.String() != got {
				t.Errorf("FromFrench(%q) = %q: not a stable valid value (%v)", tt.in, got, err)
			}
		}
	}
	// The hours given without appointment stay open; those by
	// appointment are unknown, never open.
	got, _ := FromDayColumns(map[time.Weekday]string{time.Tuesday: "9:00 - 12:00 / Sur RDV : 14:00 - 17:00"})
	if want := `Tu 09:00-12:00, Tu 14:00-17:00 "sur rendez-vous"`; got != want {
		t.Fatalf("FromDayColumns = %q, want %q", got, want)
	}
	h, err := Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	tuesday := time.Date(2024, 3, 5, 0, 0, 0, 0, DefaultContext().Location)
	for _, c := range []struct {
		hour int
		want Status
	}{{10, Open}, {15, Unknown}, {13, Closed}, {20, Closed}} {
		if st := h.State(tuesday.Add(time.Duration(c.hour) * time.Hour)).Status; st != c.want {
			t.Errorf("%q at %d h = %v, want %v", got, c.hour, st, c.want)
		}
	}
}

// Monthday lists continue in the month of the previous date ("Jan 01,03",
// "Dec 11,15-17,19-23/2"), as opening_hours.js reads them.
func TestMonthdayList(t *testing.T) {
	for v, want := range map[string]string{
		"Jan 01,03,09,21,31 10:00-12:00":    "Jan 01,Jan 03,Jan 09,Jan 21,Jan 31 10:00-12:00",
		"Jan 01,Dec 11,15-17,19-23/2,24,25": "Jan 01,Dec 11,Dec 15-17,Dec 19-23/2,Dec 24,Dec 25",
		"Dec 24-Jan 02,05 10:00-12:00":      "Dec 24-Jan 02,Jan 05 10:00-12:00",
	} {
		h, err := Parse(v)
		if err != nil {
			t.Errorf("Parse(%q): %v", v, err)
			continue
		}
		if got := h.String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", v, got, want)
		}
	}
	for _, v := range []string{"Jan 01,32", "Feb 01,30", "Jan 01,3", "Jan-Mar,05", "2024 Dec 11,15 10:00-12:00"} {
		if _, err := Parse(v); err == nil {
			t.Errorf("Parse(%q) accepted", v)
		}
	}
	h, err := Parse("Jan 01,Dec 11,15-17,19-23/2,24,25 10:00-12:00")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[int]bool{1: false, 11: true, 14: false, 16: true, 19: true, 20: false, 21: true, 24: true, 26: false} {
		at := time.Date(2025, time.December, d, 11, 0, 0, 0, loc)
		if got := h.IsOpen(at); got != want {
			t.Errorf("Dec %02d: IsOpen = %v, want %v", d, got, want)
		}
	}
}

// Repair fixes date and week selectors without guessing.
func TestRepairDates(t *testing.T) {
	for v, want := range map[string]string{
		"Easter - 07 days - Nov 01: Tu-Sa 10:00-12:00": "easter -7 days-Nov 01 Tu-Sa 10:00-12:00",
		"Easter - 7days - Nov 01: Tu-Sa 10:00-12:00":   "easter -7 days-Nov 01 Tu-Sa 10:00-12:00",
		"Dec 24.,Jan 02: 18:00-22:00":                  "Dec 24,Jan 02 18:00-22:00",
		"Jan 11-Jan 11: week 02: 00:00-24:00":          "Jan 11-11 week 02 00:00-24:00",
		"week 01,week 03: 00:00-24:00":                 "week 01,03 00:00-24:00",
		"Nov-Feb 00-24":                                "Nov-Feb 00:00-24:00",
		"Th 09:00-12:30,:15:00-18:00":                  "Th 09:00-12:30,15:00-18:00",
		"Jan 1-5,8 10:00-12:00":                        "Jan 01-05,Jan 08 10:00-12:00",
	} {
		got, ok := Repair(v)
		if !ok || got != want {
			t.Errorf("Repair(%q) = %q, %v; want %q", v, got, ok, want)
		}
	}
	// Days without hours stay errors: they would mean open all day.
	for _, v := range []string{"Jan 01,3,9", "Dec 24.", "Dec 1-3"} {
		if got, ok := Repair(v); ok {
			t.Errorf("Repair(%q) = %q, want an error", v, got)
		}
	}
}
