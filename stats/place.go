package stats

import (
	"time"

	"maillage"
	"maillage/hours"
	"maillage/territory"
)

// Indexes of the controlled values in the masks of a place.
var (
	serviceIndex = indexOf(maillage.Services)
	programIndex = indexOf(maillage.NationalPrograms)
	labelIndex   = indexOf(maillage.TrainingsLabels)
)

func indexOf[T ~string](values []T) map[T]int {
	m := make(map[T]int, len(values))
	for i, v := range values {
		m[v] = i
	}
	return m
}

// nServices and nLabels size the per-territory counters: the services,
// then the national programmes followed by the trainings and labels.
var (
	nServices = len(maillage.Services)
	nLabels   = len(maillage.NationalPrograms) + len(maillage.TrainingsLabels)
)

// servicesMask returns the bit set of the place's services.
func servicesMask(p *maillage.Place) uint32 {
	var m uint32
	for _, s := range p.Services {
		if i, ok := serviceIndex[s]; ok {
			m |= 1 << i
		}
	}
	return m
}

// labelsMask returns the bit set of the place's programmes (bits 0…10)
// and trainings/labels (the next bits).
func labelsMask(p *maillage.Place) uint32 {
	var m uint32
	for _, s := range p.NationalPrograms {
		if i, ok := programIndex[s]; ok {
			m |= 1 << i
		}
	}
	for _, s := range p.TrainingsLabels {
		if i, ok := labelIndex[s]; ok {
			m |= 1 << (len(maillage.NationalPrograms) + i)
		}
	}
	return m
}

// IsRealSIRET reports whether a pivot is a SIRET: 14 digits once spaces
// and dots are removed, and not a placeholder made of one repeated digit
// ("00000000000000", "11111111111111", "99999999999999"), the values
// merge.IsPlaceholderPivot rejects. A SIREN (9 digits) or an RNA number
// identifies the structure, not the place, and does not count.
func IsRealSIRET(pivot string) bool {
	var digits [14]byte
	n := 0
	for i := 0; i < len(pivot); i++ {
		switch c := pivot[i]; {
		case c == ' ' || c == '.':
		case c >= '0' && c <= '9' && n < len(digits):
			digits[n] = c
			n++
		default:
			return false
		}
	}
	if n != len(digits) {
		return false
	}
	for _, c := range digits[1:] {
		if c != digits[0] {
			return true
		}
	}
	return false
}

// Freshness buckets of date_maj.
const (
	freshUnder6Months = iota
	freshUnder1Year
	freshOlder
	freshUnknown
)

// freshness returns the bucket of a date_maj relative to ref: on or after
// ref minus 6 months, on or after ref minus 1 year, before, or zero. A
// date after ref counts as fresh.
func freshness(updated, ref time.Time) int {
	switch {
	case updated.IsZero():
		return freshUnknown
	case !updated.Before(ref.AddDate(0, -6, 0)):
		return freshUnder6Months
	case !updated.Before(ref.AddDate(-1, 0, 0)):
		return freshUnder1Year
	}
	return freshOlder
}

// weekHours is what the observatory measures of an opening_hours value
// over the reference week.
type weekHours struct {
	valid    bool
	minutes  int  // open minutes
	saturday bool // open at some time on Saturday
	evening  bool // open at some time between 18:00 and midnight
}

type hoursKey struct{ value, insee string }

// hoursCache measures each distinct (value, commune) once: real data and
// synthetic data repeat a few thousand values over many places. The
// commune matters for the time zone and the regional public holidays; the
// key uses the département-level context, not the commune, when the time
// zone does not depend on the commune.
type hoursCache struct {
	year, day int // reference week: civil date of its Monday
	month     time.Month
	m         map[hoursKey]weekHours
}

func newHoursCache(ref time.Time) *hoursCache {
	// First Monday on or after the reference date.
	d := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, (8-int(d.Weekday()))%7)
	return &hoursCache{year: d.Year(), month: d.Month(), day: d.Day(), m: map[hoursKey]weekHours{}}
}

// weekStart returns the civil date of the reference week's Monday.
func (c *hoursCache) weekStart() time.Time {
	return time.Date(c.year, c.month, c.day, 0, 0, 0, 0, time.UTC)
}

func (c *hoursCache) measure(value, insee string) weekHours {
	if value == "" {
		return weekHours{}
	}
	ctxKey := territory.DepartementOfINSEE(insee)
	if ctxKey == "987" { // French Polynesia has three time zones
		ctxKey = insee
	}
	k := hoursKey{value, ctxKey}
	if w, ok := c.m[k]; ok {
		return w
	}
	w := c.compute(value, insee)
	c.m[k] = w
	return w
}

func (c *hoursCache) compute(value, insee string) weekHours {
	loc := territory.TimeZone(insee)
	if loc == nil {
		loc = hours.DefaultContext().Location
	}
	h, err := hours.Compile(value, hours.Context{Location: loc, Departement: territory.DepartementOfINSEE(insee)})
	if err != nil {
		return weekHours{}
	}
	w := weekHours{valid: true}
	from := time.Date(c.year, c.month, c.day, 0, 0, 0, 0, loc)
	to := time.Date(c.year, c.month, c.day+7, 0, 0, 0, 0, loc)
	for _, iv := range h.Intervals(from, to) {
		if iv.Status != hours.Open {
			continue
		}
		w.minutes += int(iv.End.Sub(iv.Start) / time.Minute)
		for day := 0; day < 7; day++ {
			evening := time.Date(c.year, c.month, c.day+day, 18, 0, 0, 0, loc)
			midnight := time.Date(c.year, c.month, c.day+day+1, 0, 0, 0, 0, loc)
			if iv.Start.Before(midnight) && iv.End.After(evening) {
				w.evening = true
			}
			if day == 5 {
				saturday := time.Date(c.year, c.month, c.day+day, 0, 0, 0, 0, loc)
				if iv.Start.Before(midnight) && iv.End.After(saturday) {
					w.saturday = true
				}
			}
		}
	}
	return w
}
