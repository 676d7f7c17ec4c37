package web

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The observatory writes numbers the French way: a non-breaking space
// (U+00A0) between groups of thousands, a comma as decimal mark, a
// non-breaking space before "%" and the units.

const nbsp = "\u00a0"

// undefinedFR is written for a figure that is not defined (a ratio over
// zero inhabitants or zero places).
const undefinedFR = "non défini"

// intFR writes 1234567 as "1 234 567".
func intFR(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// decFR writes v with the given decimals: 1234.5 → "1 234,5".
func decFR(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return undefinedFR
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	n, _ := strconv.Atoi(strings.TrimPrefix(whole, "-"))
	out := intFR(n)
	if neg && (n != 0 || strings.Trim(frac, "0") != "") {
		out = "-" + out
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// numFR writes a nullable figure.
func numFR(v *float64, decimals int) string {
	if v == nil {
		return undefinedFR
	}
	return decFR(*v, decimals)
}

// pctFR writes a share as a percentage with one decimal: 0.8889 →
// "88,9 %".
func pctFR(v *float64) string {
	if v == nil {
		return undefinedFR
	}
	return decFR(*v*100, 1) + nbsp + "%"
}

// kmFR writes a distance in kilometres with one decimal.
func kmFR(v *float64) string {
	if v == nil {
		return undefinedFR
	}
	return decFR(*v, 1) + nbsp + "km"
}

var monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// longDateFR writes a date as "16 mars 2026" ("1er" for the first).
func longDateFR(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + monthsFR[t.Month()-1] + " " + strconv.Itoa(t.Year())
}
