package hours

import (
	"sort"
	"time"
)

// Holiday is a French public holiday ("jour férié").
type Holiday struct {
	Date time.Time // midnight UTC of the day; only the civil date matters
	Name string    // French name, as shown to people
}

// Holidays returns the French public holidays of year for a département
// code ("75", "2A", "971"…; "" for the national list), sorted by date.
//
// National list (Code du travail, art. L3133-1): 1 January, Easter Monday,
// 1 May, 8 May, Ascension (Easter + 39), Whit Monday (Easter + 50), 14 July,
// 15 August, 1 November, 11 November, 25 December.
// Alsace-Moselle (57, 67, 68) adds Good Friday and 26 December (art. L3134-13).
// Overseas départements add the commemoration of the abolition of slavery
// (décret n° 83-1003 of 23 November 1983, as amended): Guadeloupe (971)
// 27 May, Martinique (972) 22 May, Guyane (973) 10 June, La Réunion (974)
// 20 December, Mayotte (976) 27 April.
func Holidays(year int, departement string) []Holiday {
	var hs []Holiday
	day := func(m time.Month, d int, name string) {
		hs = append(hs, Holiday{time.Date(year, m, d, 0, 0, 0, 0, time.UTC), name})
	}
	em, ed := easter(year)
	easterDay := func(offset int, name string) {
		hs = append(hs, Holiday{time.Date(year, em, ed+offset, 0, 0, 0, 0, time.UTC), name})
	}
	day(time.January, 1, "Jour de l'an")
	easterDay(1, "Lundi de Pâques")
	day(time.May, 1, "Fête du Travail")
	day(time.May, 8, "Victoire 1945")
	easterDay(39, "Ascension")
	easterDay(50, "Lundi de Pentecôte")
	day(time.July, 14, "Fête nationale")
	day(time.August, 15, "Assomption")
	day(time.November, 1, "Toussaint")
	day(time.November, 11, "Armistice 1918")
	day(time.December, 25, "Noël")
	switch departement {
	case "57", "67", "68":
		easterDay(-2, "Vendredi saint")
		day(time.December, 26, "Saint-Étienne")
	case "971":
		day(time.May, 27, "Abolition de l'esclavage")
	case "972":
		day(time.May, 22, "Abolition de l'esclavage")
	case "973":
		day(time.June, 10, "Abolition de l'esclavage")
	case "974":
		day(time.December, 20, "Abolition de l'esclavage")
	case "976":
		day(time.April, 27, "Abolition de l'esclavage")
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// easter returns the date of Easter Sunday (Gregorian calendar), by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easter(year int) (time.Month, int) {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

// holidayName returns the name of the public holiday on the civil date
// (y, m, d) for the département, or "".
func holidayName(y int, m time.Month, d int, departement string) string {
	// Fixed dates first: no allocation.
	em, ed := easter(y)
	eo := civilDays(y, m, d) - civilDays(y, em, ed)
	switch eo {
	case 1:
		return "Lundi de Pâques"
	case 39:
		return "Ascension"
	case 50:
		return "Lundi de Pentecôte"
	case -2:
		if departement == "57" || departement == "67" || departement == "68" {
			return "Vendredi saint"
		}
	}
	switch {
	case m == time.January && d == 1:
		return "Jour de l'an"
	case m == time.May && d == 1:
		return "Fête du Travail"
	case m == time.May && d == 8:
		return "Victoire 1945"
	case m == time.July && d == 14:
		return "Fête nationale"
	case m == time.August && d == 15:
		return "Assomption"
	case m == time.November && d == 1:
		return "Toussaint"
	case m == time.November && d == 11:
		return "Armistice 1918"
	case m == time.December && d == 25:
		return "Noël"
	}
	switch departement {
	case "57", "67", "68":
		if m == time.December && d == 26 {
			return "Saint-Étienne"
		}
	case "971":
		if m == time.May && d == 27 {
			return "Abolition de l'esclavage"
		}
	case "972":
		if m == time.May && d == 22 {
			return "Abolition de l'esclavage"
		}
	case "973":
		if m == time.June && d == 10 {
			return "Abolition de l'esclavage"
		}
	case "974":
		if m == time.December && d == 20 {
			return "Abolition de l'esclavage"
		}
	case "976":
		if m == time.April && d == 27 {
			return "Abolition de l'esclavage"
		}
	}
	return ""
}

// civilDays returns the number of days from 1970-01-01 to the civil date,
// without allocating (days-from-civil algorithm).
func civilDays(y int, m time.Month, d int) int {
	yy := y
	if m <= 2 {
		yy--
	}
	era := yy
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := yy - era*400
	mm := int(m)
	if mm > 2 {
		mm -= 3
	} else {
		mm += 9
	}
	doy := (153*mm+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of civilDays.
func civilFromDays(z int) (int, time.Month, int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}
