package hsds

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"maillage/hours"
	"maillage/territory"
)

// icalDays are the iCalendar day codes, Monday first (hours' order).
var icalDays = [7]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// referenceMonday is the start of the week used to read simple weekly
// hours: a week of February without a public holiday anywhere in France,
// so that a "PH off" rule does not remove a day.
var referenceMonday = time.Date(2026, time.February, 2, 0, 0, 0, 0, time.UTC)

// Slot is one weekly opening slot, in minutes from midnight (Closes may be
// 24*60, the end of the day).
type Slot struct{ Opens, Closes int }

// WeeklySpans reads an opening_hours value as simple weekly hours: for
// each day (0 = Monday … 6 = Sunday), its opening slots in local time.
// It returns ok false when the value says more than that — dates, weeks,
// years, school holidays, open ends, unknown states or comments, spans
// past midnight, or a syntax error: those cannot be said with weekly
// slots without inventing or losing hours. A "PH off" rule is accepted
// (closed on public holidays: phOff is then true).
func WeeklySpans(value string) (week [7][]Slot, phOff bool, ok bool) {
	h, err := hours.Parse(value)
	if err != nil {
		return week, false, false
	}
	for _, r := range h.Rules() {
		if len(r.Years) > 0 || len(r.Dates) > 0 || len(r.Weeks) > 0 || r.HasComment || r.Modifier == hours.ModUnknown {
			return week, false, false
		}
		if len(r.Holidays) > 0 {
			// Only a bare "PH off" / "PH closed".
			if len(r.Holidays) != 1 || r.Holidays[0].Kind != hours.PublicHoliday || r.Holidays[0].Offset != 0 ||
				r.Modifier != hours.ModClosed || len(r.Weekdays) > 0 || len(r.Times) > 0 || r.HolidayAnd {
				return week, false, false
			}
			phOff = true
			continue
		}
		for _, w := range r.Weekdays {
			if len(w.Nth) > 0 || w.Offset != 0 {
				return week, false, false
			}
		}
		for _, t := range r.Times {
			if !t.HasEnd || t.OpenEnd || t.End > 24*60 {
				return week, false, false
			}
		}
	}
	// Evaluate the week in UTC: only the wall clock matters here.
	h = h.In(hours.Context{Location: time.UTC})
	from := referenceMonday
	for _, iv := range h.Intervals(from, from.AddDate(0, 0, 7)) {
		if iv.Status != hours.Open {
			return week, false, false
		}
		day := int(iv.Start.Sub(from) / (24 * time.Hour))
		start := int(iv.Start.Sub(from.AddDate(0, 0, day)) / time.Minute)
		end := int(iv.End.Sub(from.AddDate(0, 0, day)) / time.Minute)
		if end > 24*60 {
			// Past midnight (or 24/7): not a slot of one day.
			return week, false, false
		}
		week[day] = append(week[day], Slot{start, end})
	}
	return week, phOff, true
}

func clock(minute int) string {
	// 24:00 (ISO 8601's end of day) for a slot that ends at midnight.
	return fmt.Sprintf("%02d:%02d", minute/60, minute%60)
}

// scheduleLink says what a schedule is attached to.
type scheduleLink struct {
	owner               string // UUID of the owner, for the schedules' ids
	serviceID           string
	locationID          string
	serviceAtLocationID string
}

// Schedules turns a place's opening_hours into HSDS schedules.
//
// Simple weekly hours give one schedule per distinct slot, with the days
// that share it (freq WEEKLY, byday "MO,TU", opens_at "09:00", closes_at
// "12:00"), in local time of the place's commune (notes gives its zone);
// "PH off" is said in each description. Anything else gives a single
// schedule whose description keeps the value as it is, so that nothing is
// invented or lost. An empty value gives no schedule.
func schedules(value, insee string, link scheduleLink) []Schedule {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil
	}
	mk := func(what string) Schedule {
		return Schedule{ID: subID(link.owner, "schedule:"+what), ServiceID: link.serviceID,
			LocationID: link.locationID, ServiceAtLocationID: link.serviceAtLocationID}
	}
	week, phOff, ok := WeeklySpans(value)
	if !ok {
		s := mk("text")
		s.Description = "Horaires au format OpenStreetMap opening_hours : " + value
		return []Schedule{s}
	}
	days := map[Slot][]int{}
	var order []Slot
	for d, spans := range week {
		for _, sp := range spans {
			if _, seen := days[sp]; !seen {
				order = append(order, sp)
			}
			days[sp] = append(days[sp], d)
		}
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if days[a][0] != days[b][0] {
			return days[a][0] < days[b][0]
		}
		return a.Opens < b.Opens
	})
	zone := territory.TimeZoneName(insee)
	var out []Schedule
	for _, sp := range order {
		var codes []string
		for _, d := range days[sp] {
			codes = append(codes, icalDays[d])
		}
		byday := strings.Join(codes, ",")
		s := mk(byday + " " + clock(sp.Opens) + "-" + clock(sp.Closes))
		s.Freq, s.Wkst, s.Interval, s.ByDay = "WEEKLY", "MO", 1, byday
		s.OpensAt, s.ClosesAt = clock(sp.Opens), clock(sp.Closes)
		s.Description = frenchDays(days[sp]) + " de " + hours.ClockFR(sp.Opens) + " à " + hours.ClockFR(sp.Closes)
		if phOff {
			s.Description += ", sauf les jours fériés"
		}
		s.Description += " (horaires : " + value + ")"
		if zone != "" {
			s.Notes = "Heure locale (" + zone + ")"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		// Valid simple hours that never open ("off"): say it in words.
		s := mk("closed")
		s.Description = "Fermé (horaires : " + value + ")"
		out = append(out, s)
	}
	return out
}

var frenchDayNames = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// frenchDays says a list of days in French: "le lundi", "du lundi au
// vendredi", "le lundi, le mercredi et le vendredi".
func frenchDays(days []int) string {
	if len(days) >= 3 && days[len(days)-1]-days[0] == len(days)-1 {
		return "du " + frenchDayNames[days[0]] + " au " + frenchDayNames[days[len(days)-1]]
	}
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = "le " + frenchDayNames[d]
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " et " + parts[len(parts)-1]
}
