package hours

import (
	"fmt"
	"strings"
	"time"
)

var frenchDayNames = [7]string{"Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"}

// ClockFR writes a time of day the French way: "9 h", "12 h 30", "minuit".
func ClockFR(minute int) string {
	minute %= 24 * 60
	h, m := minute/60, minute%60
	switch {
	case h == 0 && m == 0:
		return "minuit"
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %02d", h, m)
}

// WeekFR returns seven lines, Lundi to Dimanche, for the week (Monday to
// Sunday) that contains day, in the context's time zone:
// "Lundi : 9 h – 12 h, 14 h – 17 h", "Samedi : fermé",
// "Mardi : 14 h – 17 h (sur rendez-vous)", "Mercredi : horaires inconnus".
// Spans past midnight are shown on the day they start.
func (h *Hours) WeekFR(day time.Time) []string {
	z, _ := h.local(day)
	monday := z - weekdayOf(z)
	lines := make([]string, 7)
	for d := 0; d < 7; d++ {
		lines[d] = frenchDayNames[d] + " : " + h.dayFR(monday+d)
	}
	return lines
}

// dayFR describes one civil day.
func (h *Hours) dayFR(z int) string {
	plan := h.dayPlan(z)
	next := h.dayPlan(z + 1)
	var parts []string
	start := 0
	for i, s := range plan {
		from, to := start, int(s.end)
		start = to
		if s.st == Closed {
			continue
		}
		// Spans that began the day before are shown on that day.
		if from == 0 && i == 0 && h.continuesFrom(z-1, s) {
			continue
		}
		end := to
		if to == 24*60 && len(next) > 0 && next[0].st == s.st && next[0].cmt == s.cmt && next[0].end < 24*60 {
			end = 24*60 + int(next[0].end) // continues past midnight
		}
		txt := ClockFR(from) + " – " + ClockFR(end)
		if from == 0 && end == 24*60 {
			txt = "toute la journée"
		}
		if s.st == Unknown {
			if c := h.comments[s.cmt]; c != "" {
				txt += " (" + c + ")"
			} else {
				txt += " (à confirmer)"
			}
		} else if c := h.comments[s.cmt]; c != "" {
			txt += " (" + c + ")"
		}
		parts = append(parts, txt)
	}
	if len(parts) == 0 {
		return "fermé"
	}
	return strings.Join(parts, ", ")
}

// continuesFrom says whether the first segment s of a day continues the last
// segment of day z (a span past midnight), so that it was already shown.
func (h *Hours) continuesFrom(z int, s seg) bool {
	prev := h.dayPlan(z)
	if len(prev) == 0 || s.end == 24*60 {
		return false
	}
	last := prev[len(prev)-1]
	return last.st == s.st && last.cmt == s.cmt && last.st != Closed && len(prev) > 1
}

// StatusFR returns a one-line status at t, for people:
// "Ouvert · ferme à 17 h", "Fermé · ouvre demain à 9 h",
// "Fermé · ouvre lundi à 9 h", "Ouvert 24 h/24", "Fermé",
// "Horaires incertains · sur rendez-vous".
func (h *Hours) StatusFR(t time.Time) string {
	st := h.State(t)
	next, ok := h.NextChange(t)
	var nextSt State
	if ok {
		nextSt = h.State(next)
	}
	when := func() string {
		lt, ln := t.In(h.ctx.Location), next.In(h.ctx.Location)
		z0 := civilDays(lt.Date())
		z1 := civilDays(ln.Date())
		clock := ClockFR(ln.Hour()*60 + ln.Minute())
		switch {
		case z1 == z0:
			return "à " + clock
		case z1 == z0+1:
			return "demain à " + clock
		case z1-z0 < 7:
			return strings.ToLower(frenchDayNames[weekdayOf(z1)]) + " à " + clock
		}
		return fmt.Sprintf("le %d/%02d à %s", ln.Day(), int(ln.Month()), clock)
	}
	switch st.Status {
	case Open:
		s := "Ouvert"
		if !ok {
			s += " 24 h/24"
		} else if nextSt.Status == Closed {
			s += " · ferme " + when()
		} else {
			s += " · change " + when()
		}
		if st.Comment != "" {
			s += " · " + st.Comment
		}
		return s
	case Unknown:
		s := "Horaires incertains"
		if st.Comment != "" {
			s += " · " + st.Comment
		}
		return s
	}
	s := "Fermé"
	if ok && nextSt.Status == Open {
		s += " · ouvre " + when()
	} else if ok && nextSt.Status == Unknown {
		s += " · horaires incertains " + when()
	}
	if st.Comment != "" {
		s += " · " + st.Comment
	}
	return s
}
