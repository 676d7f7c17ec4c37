package hours

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Repair normalises a near-OSM value written with the usual mistakes of
// real producers, and returns the canonical OSM form. ok is true only when
// the result is valid and nothing had to be guessed: a lone time
// ("Mo 09:00"), three times in a span ("08:00-12:00-14:00"), an ambiguous
// word, an empty span or days without any time ("Lundi - samedi", which
// "Mo-Sa" would turn into open all day) make ok false and repaired is then
// the input.
//
// Fixed without guessing: hours written 9h, 9h30, 9:00, 9.00 or bare in a
// range (10-12); spaces inside a time span; en and em dashes; lowercase,
// uppercase or full French/English day and month names; "fermé"/"closed"
// for off; "24h/24" and "7j/7"; a ":" between days and times; " / " or a
// space between two spans; a missing space between days and times;
// leading, trailing or doubled separators and stray punctuation at either
// end ("Mo-Fr 09:00-12:00.", "Mo,,Tu"); in dates and weeks, a space after
// the sign of an offset ("easter - 7 days"), a dot after a day ("Dec
// 24."), a day on one digit ("Jan 1-5,8"), a ":" before "week", the word
// "week" repeated in a list ("week 01,week 03"), bare hours after a range
// of whole months ("Nov-Feb 00-24", which cannot be a date) and a stray
// ":" before a time (",:15:00-18:00").
func Repair(s string) (repaired string, ok bool) {
	if h, err := Parse(s); err == nil {
		return h.String(), true
	}
	if !plausibleText(s, maxRepairLen) {
		return s, false
	}
	r := repairText(s)
	h, err := Parse(r)
	if err != nil || !statesHours(h) {
		return s, false
	}
	return h.String(), true
}

// statesHours says whether every rule of a repaired value states times,
// 24/7, closed, unknown or a comment. A rule that only selects days
// ("Lundi - samedi" repaired into "Mo-Sa", "lundi ouvert" into "Mo open")
// means open all day in OSM, which the text never said: it stays an error
// (FromFrench reads such a text as "Mo-Sa unknown" with the text as the
// comment). A rule with a comment and no state is unknown, never open.
func statesHours(h *Hours) bool {
	for _, r := range h.rules {
		if len(r.Times) > 0 || r.Always || r.Modifier == ModClosed || r.Modifier == ModUnknown {
			continue
		}
		if r.Modifier == ModNone && r.HasComment {
			continue
		}
		return false
	}
	return true
}

// maxRepairLen bounds what Repair tries to fix: the longest real value is
// under 200 bytes, and the regular expressions cost about a microsecond a
// byte, which made the fuzzer crawl on long random inputs.
const maxRepairLen = 2000

// plausibleText says whether s can be text written by someone: valid UTF-8
// without control characters other than tabs and line breaks, and not
// longer than max bytes. Anything else is not repaired nor read.
func plausibleText(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r < 0xa0 {
			return false
		}
	}
	return true
}

const monthAlt = `(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)`

var (
	reSpaces     = regexp.MustCompile(`[ \t\r\n]+`)
	reWord       = regexp.MustCompile(`[\p{L}]+\.?`)
	reHourMin    = regexp.MustCompile(`\b(\d{1,2}) ?[hH:.] ?(\d{2})([^\d:]|$)`)
	reHourOnly   = regexp.MustCompile(`\b(\d{1,2}) ?[hH]\b`)
	reBareStart  = regexp.MustCompile(`(^|[^\d:\[/])(\d{1,2}) ?- ?(\d{2}:\d{2})`)
	reBareEnd    = regexp.MustCompile(`(\d{2}:\d{2}) ?- ?(\d{1,2})($|[^\d:\]])`)
	reBareRange  = regexp.MustCompile(`(^|[^\d:\[/])(\d{1,2}) ?- ?(\d{1,2})($|[^\d:\]])`)
	reSpanSpaces = regexp.MustCompile(`(\d{2}:\d{2}) *- *(\d{2}:\d{2})`)
	reSpanGap    = regexp.MustCompile(`(\d{2}:\d{2}-\d{2}:\d{2}\+?)(?: *[/&] *| +(?:et|and) +| +)(\d{2}:\d{2})`)
	reDayColon   = regexp.MustCompile(`\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH) ?: ?(\d)`)
	reDayGlued   = regexp.MustCompile(`\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)(\d)`)
	reDaySpaces  = regexp.MustCompile(`\b(Mo|Tu|We|Th|Fr|Sa|Su) *([-,]) *(Mo|Tu|We|Th|Fr|Sa|Su)\b`)
	reMissingSep = regexp.MustCompile(`(\d{2}:\d{2}\+?) +(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b`)
	reRangeWord  = regexp.MustCompile(`(\d{2}:\d{2}) *(?:à|a|au|to|till?|until|through|~) *(\d{2}:\d{2})`)
	reWordColon  = regexp.MustCompile(`\b(24/7|off|open|unknown|PH|SH|Mo|Tu|We|Th|Fr|Sa|Su)\s*:(\s|$)`)
	reDayList    = regexp.MustCompile(`\b(Mo|Tu|We|Th|Fr|Sa|Su) +(Mo|Tu|We|Th|Fr|Sa|Su)\b`)
	reDayAlways  = regexp.MustCompile(`\b(Mo|Tu|We|Th|Fr|Sa|Su|PH) +24/7`)
	reOffset     = regexp.MustCompile(`([+-]\d+)(days?)\b`)
	// Fixes of dates and weeks, none of which guesses: "easter - 7 days"
	// (a space after the sign), "Dec 24." (a German ordinal dot), "Jan 01,3"
	// (a day on one digit in a list), "Jan 11: week 02" (a ":" inside the
	// wide selectors), "week 01,week 03" (the keyword repeated), "Nov-Feb
	// 00-24" (after a range of whole months, numbers are hours).
	reOffsetSpace = regexp.MustCompile(`([+-]) +(\d+) ?(days?)\b`)
	reDayDot      = regexp.MustCompile(`\b(` + monthAlt + ` \d{1,2})\.(\D|$)`)
	reListDayPad  = regexp.MustCompile(`\b(` + monthAlt + ` \d{1,2}(?:[-,]\d{1,2}(?:/\d+)?)*)([-,])(\d)([^\d:.]|$)`)
	reMonthDayPad = regexp.MustCompile(`\b(` + monthAlt + `) (\d)([^\d:.hH]|$)`)
	reDateWeek    = regexp.MustCompile(`(\d|\b` + monthAlt + `) *: *(week\b)`)
	reWeekRepeat  = regexp.MustCompile(`\b(week \d{1,2}(?:-\d{1,2}(?:/\d+)?)?) *, *week +`)
	reMonthsBare  = regexp.MustCompile(`\b(` + monthAlt + `-` + monthAlt + `) (\d{1,2})-(\d{1,2})($|[^\d:\]/])`)
	reStrayColon  = regexp.MustCompile(`(^|[ ,]):(\d{2}:\d{2})`)
	reAppt        = regexp.MustCompile(`(?i)(?:uniquement )?sur (?:rendez[- ]vous|rdv)\s*$`)
	reGuillemets  = regexp.MustCompile(`«\s*([^«»"]*?)\s*»`)
	reModFirst    = regexp.MustCompile(`(^|; |, )(off|open|unknown) +(\d{2}:\d{2}[-\d:,+]*)`)
	reSeps        = regexp.MustCompile(`\s*;[\s;]*`)
	reCommas      = regexp.MustCompile(`\s*,[\s,]*,\s*`)
	reAlways      = regexp.MustCompile(`(?i)\b24 ?h ?/ ?24(?: *,? *7 ?j? ?/ ?7)?\b|\b7 ?j ?/ ?7 *,? *24 ?h ?/ ?24\b`)
)

// repairWords maps words of near-OSM values (lowercased, accents kept) to
// their OSM token. Ambiguous words ("mar": mardi or March) are left out.
var repairWords = map[string]string{
	"mo": "Mo", "tu": "Tu", "we": "We", "th": "Th", "fr": "Fr", "sa": "Sa", "su": "Su",
	"lundi": "Mo", "mardi": "Tu", "mercredi": "We", "jeudi": "Th", "vendredi": "Fr", "samedi": "Sa", "dimanche": "Su",
	"lun": "Mo", "mer": "We", "jeu": "Th", "ven": "Fr", "sam": "Sa", "dim": "Su",
	"monday": "Mo", "tuesday": "Tu", "wednesday": "We", "thursday": "Th", "friday": "Fr", "saturday": "Sa", "sunday": "Su",
	"mon": "Mo", "tue": "Tu", "wed": "We", "thu": "Th", "fri": "Fr", "sat": "Sa", "sun": "Su",
	"jan": "Jan", "feb": "Feb", "apr": "Apr", "may": "May", "jun": "Jun", "jul": "Jul", "aug": "Aug", "sep": "Sep", "oct": "Oct", "nov": "Nov", "dec": "Dec",
	"janvier": "Jan", "février": "Feb", "fevrier": "Feb", "mars": "Mar", "avril": "Apr", "mai": "May", "juin": "Jun", "juillet": "Jul",
	"août": "Aug", "aout": "Aug", "septembre": "Sep", "octobre": "Oct", "novembre": "Nov", "décembre": "Dec", "decembre": "Dec",
	"january": "Jan", "february": "Feb", "march": "Mar", "april": "Apr", "june": "Jun", "july": "Jul", "august": "Aug",
	"september": "Sep", "october": "Oct", "november": "Nov", "december": "Dec",
	"janv": "Jan", "févr": "Feb", "fevr": "Feb", "juil": "Jul", "sept": "Sep",
	"off": "off", "closed": "off", "fermé": "off", "ferme": "off", "fermée": "off", "fermee": "off",
	"open": "open", "ouvert": "open", "unknown": "unknown",
	"ph": "PH", "sh": "SH", "week": "week", "easter": "easter", "day": "day", "days": "days",
}

func repairText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '–', '—', '−', '‑', '‐':
			return '-'
		case '\u00a0', '\u202f', '\u2009':
			return ' '
		}
		return r
	}, s)
	s = reGuillemets.ReplaceAllString(s, `"$1"`)
	if loc := reAppt.FindStringIndex(s); loc != nil && !strings.Contains(s, `"`) && loc[0] > 0 {
		s = strings.TrimSpace(s[:loc[0]]) + ` "sur rendez-vous"`
	}
	// Keep comments as they are; repair the rest.
	parts := strings.Split(s, `"`)
	for i := 0; i < len(parts); i += 2 {
		parts[i] = repairSegment(parts[i])
	}
	s = strings.Join(parts, `"`)
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, ";,.:| ")
	s = strings.TrimRight(s, ";,.:| ")
	return s
}

func repairSegment(s string) string {
	s = reSpaces.ReplaceAllString(s, " ")
	s = reAlways.ReplaceAllString(s, "24/7")
	s = reWord.ReplaceAllStringFunc(s, func(w string) string {
		base := strings.TrimSuffix(w, ".")
		if t, ok := repairWords[strings.ToLower(base)]; ok {
			return t
		}
		return w
	})
	s = reOffsetSpace.ReplaceAllString(s, "$1$2 $3")
	s = reOffset.ReplaceAllString(s, "$1 $2")
	s = reDayDot.ReplaceAllString(s, "$1$2")
	s = reMonthDayPad.ReplaceAllString(s, "$1 0$2$3")
	for i := 0; i < 8 && reListDayPad.MatchString(s); i++ {
		s = reListDayPad.ReplaceAllString(s, "${1}${2}0$3$4")
	}
	s = reDateWeek.ReplaceAllString(s, "$1 $2")
	for i := 0; i < 4; i++ {
		s = reWeekRepeat.ReplaceAllString(s, "$1,")
	}
	s = reStrayColon.ReplaceAllString(s, "$1$2")
	s = reMonthsBare.ReplaceAllStringFunc(s, func(m string) string {
		g := reMonthsBare.FindStringSubmatch(m)
		if atoi(g[2]) > 24 || atoi(g[3]) > 48 {
			return m
		}
		return g[1] + " " + pad2(g[2]) + ":00-" + pad2(g[3]) + ":00" + g[4]
	})
	s = fixTimes(s)
	s = reSpanSpaces.ReplaceAllString(s, "$1-$2")
	s = reRangeWord.ReplaceAllString(s, "$1-$2")
	s = reWordColon.ReplaceAllString(s, "$1 ")
	s = reDayAlways.ReplaceAllString(s, "$1 00:00-24:00")
	for i := 0; i < 6; i++ {
		s = reDayList.ReplaceAllString(s, "$1,$2")
	}
	for i := 0; i < 4; i++ {
		s = reSpanGap.ReplaceAllString(s, "$1,$2")
	}
	s = reMissingSep.ReplaceAllString(s, "$1; $2")
	s = reSeps.ReplaceAllString(s, "; ")
	s = reModFirst.ReplaceAllString(s, "$1$3 $2")
	s = reDayColon.ReplaceAllString(s, "$1 $2")
	s = reDayGlued.ReplaceAllString(s, "$1 $2")
	for i := 0; i < 3; i++ {
		s = reDaySpaces.ReplaceAllString(s, "$1$2$3")
	}
	s = reSeps.ReplaceAllString(s, "; ")
	s = reCommas.ReplaceAllString(s, ",")
	return s
}

// fixTimes rewrites 9h30, 9:30, 9.30, 9h and bare ranges 10-12 as HH:MM.
func fixTimes(s string) string {
	s = reHourMin.ReplaceAllStringFunc(s, func(m string) string {
		g := reHourMin.FindStringSubmatch(m)
		return pad2(g[1]) + ":" + g[2] + g[3]
	})
	s = reHourOnly.ReplaceAllStringFunc(s, func(m string) string {
		g := reHourOnly.FindStringSubmatch(m)
		return pad2(g[1]) + ":00"
	})
	// Bare ranges only when the value has no months (Dec 24-26 is a date).
	hasMonth := false
	for _, m := range monthNames[1:] {
		if strings.Contains(s, m) {
			hasMonth = true
		}
	}
	if !hasMonth && !strings.Contains(s, "week") {
		for i := 0; i < 2; i++ {
			s = reBareRange.ReplaceAllStringFunc(s, func(m string) string {
				g := reBareRange.FindStringSubmatch(m)
				a, b := atoi(g[2]), atoi(g[3])
				if a > 24 || b > 48 {
					return m
				}
				return g[1] + pad2(g[2]) + ":00-" + pad2(g[3]) + ":00" + g[4]
			})
			s = reBareStart.ReplaceAllStringFunc(s, func(m string) string {
				g := reBareStart.FindStringSubmatch(m)
				if atoi(g[2]) > 24 {
					return m
				}
				return g[1] + pad2(g[2]) + ":00-" + g[3]
			})
			s = reBareEnd.ReplaceAllStringFunc(s, func(m string) string {
				g := reBareEnd.FindStringSubmatch(m)
				if atoi(g[2]) > 24 {
					return m
				}
				return g[1] + "-" + pad2(g[2]) + ":00" + g[3]
			})
		}
	}
	return s
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// Level says what Validate found.
type Level uint8

// Validation levels.
const (
	Valid    Level = iota // the value follows the grammar
	Repaired              // the value was repaired without guessing: a warning
	Invalid               // the value cannot be used: an error
)

// Diagnostic is the verdict of Validate on one value.
type Diagnostic struct {
	Level   Level
	Value   string       // canonical value (Valid), repaired value (Repaired) or the input (Invalid)
	Message string       // for people, in French; empty when Valid
	Err     *SyntaxError // the strict parser's error when not Valid
}

// Validate checks a "horaires" value for the schema validator: a valid
// value passes; a value Repair can fix is a warning that shows the repaired
// value; anything else is an error carrying the parser's message.
func Validate(s string) Diagnostic {
	h, err := Parse(s)
	if err == nil {
		return Diagnostic{Level: Valid, Value: h.String()}
	}
	se, _ := err.(*SyntaxError)
	if r, ok := Repair(s); ok {
		return Diagnostic{Level: Repaired, Value: r, Err: se,
			Message: fmt.Sprintf("horaires mal écrits, corrigés en « %s » (%s)", r, se.Error())}
	}
	return Diagnostic{Level: Invalid, Value: s, Err: se,
		Message: "horaires invalides : " + se.Error()}
}
