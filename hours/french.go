package hours

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
)

// FromFrench turns French free text ("du lundi au vendredi de 9h à 12h et
// de 14h à 17h", "9h à 12h30 - 13h30 à 17h", "Fermé", "sur rendez-vous")
// or a per-day column value ("09:00 - 12:00 / 14:00 - 17:00") into an OSM
// value. ok is false when the text cannot be read without guessing (no
// day and no hours, a lone time, words we do not know); osm is then "" and
// the caller keeps the original text, flagged.
//
// Days named without hours ("du lundi au vendredi", "Quotidien") give
// those days unknown with the text as the comment (`Mo-Fr unknown "du
// lundi au vendredi"`), the other days closed; a bare OSM day list gives
// "Mo unknown", the comment would only repeat it.
//
// Text with times and no day ("09:00 - 12:00") gives a rule without days,
// which means every day: FromDayColumns puts the column's day in front.
// A lone dash "-", the usual mark of an empty cell, and "fermé" give "off".
//
// "sur rendez-vous" goes only on the hours or days it is about: "9:00 -
// 12:00 / Sur RDV : 14:00 - 17:00" gives `09:00-12:00, Mo-Su 14:00-17:00
// "sur rendez-vous"`; a part of the day by appointment without its hours
// ("10:00 - 13:00 / Après-midi sur RDV") is flagged. A "/" or a chain of
// dashes between days is read as a list only when the text shows it is
// one (see the package documentation), and flagged otherwise.
func FromFrench(text string) (osm string, ok bool) {
	if isEmptyCell(text) {
		return "", false // only FromDayColumns knows that an empty cell means closed
	}
	if osm, ok := fromOSM(text); ok {
		return osm, true
	}
	g, ok := readFrench(text)
	if !ok {
		return "", false
	}
	return g.osm()
}

// fromOSM accepts a text that is already an OSM value stating hours or a
// state ("week 1-53/2 Tu 09:00-12:30; PH off"). A bare day ("Mo", found in
// a "Lundi" column) is valid OSM for "open all day" but states no hours as
// free text, so every rule must have times, 24/7, a state or a comment;
// readFrench reads bare days as days without hours ("Mo unknown").
func fromOSM(text string) (string, bool) {
	h, err := Parse(strings.TrimSpace(text))
	if err != nil {
		return "", false
	}
	for _, r := range h.rules {
		if len(r.Times) == 0 && !r.Always && r.Modifier == ModNone && !r.HasComment {
			return "", false
		}
	}
	return h.String(), true
}

// isEmptyCell says whether text is the mark of an empty cell ("-").
func isEmptyCell(text string) bool {
	t := strings.TrimSpace(text)
	return t == "-" || t == "–" || t == "—"
}

// FromDayColumns turns per-day columns (France Services' h_lundi …
// h_samedi: "09:00 - 12:00 / 14:00 - 17:00", "-", "Fermé") into one OSM
// value. An empty or missing day is closed. A cell that names its own day
// without hours ("Mo" in the Lundi column, where the hours are in other,
// empty columns) makes that day unknown: "Mo unknown". ok is false when
// one of the cells cannot be read or names another day; osm is then "".
func FromDayColumns(days map[time.Weekday]string) (osm string, ok bool) {
	week := frenchWeek{hasDays: true}
	for wd, text := range days {
		if strings.TrimSpace(text) == "" {
			continue // an empty cell: closed
		}
		d := (int(wd) + 6) % 7 // Monday = 0
		g, ok := readFrench(text)
		if !ok {
			return "", false
		}
		if g.hasDays {
			if !g.daysOnly || !g.onlyDay(d) {
				return "", false // "Tu" in the Lundi column, or days with their own hours
			}
			week.days[d] = g.days[d]
			continue
		}
		week.days[d] = g.every
	}
	return week.osm()
}

// onlyDay says whether d is the only day the week says something about.
func (w frenchWeek) onlyDay(d int) bool {
	for e := range w.days {
		if w.days[e].set != (e == d) {
			return false
		}
	}
	return true
}

// maxFrenchLen bounds the texts FromFrench reads (the longest real one is
// under 1,000 bytes).
const maxFrenchLen = 4000

// frenchDay is what a text says about one day.
type frenchDay struct {
	set     bool
	closed  bool
	unknown bool // the text says the hours are not known or are elsewhere
	spans   []TimeSpan
	comment string
	// apptSpans are the day's hours "sur rendez-vous" when the text gives
	// other hours of the same day without appointment ("9:00 - 12:00 / Sur
	// RDV : 14:00 - 17:00"): written as an additional rule with the
	// comment, so that the other hours stay open.
	apptSpans []TimeSpan
}

type frenchWeek struct {
	days    [7]frenchDay
	every   frenchDay // text without any day name
	hasDays bool
	// daysOnly: the text names days and no hours ("du lundi au
	// vendredi", "Quotidien", "Mo"); those days are unknown.
	daysOnly bool
}

var (
	reHTML    = regexp.MustCompile(`<[^>]*>`)
	reAppt2   = regexp.MustCompile(`(?:uniquement |seulement )?(?:sur? |avec )?(?:rendez ?[- ] ?vous|rdv)(?: uniquement| conseill[ée]e?)?`)
	reAprem   = regexp.MustCompile(`apr[eèé]s[- ]midis?`)
	reFrTime  = regexp.MustCompile(`^(\d{1,2})\s*(?:h|:|\.)(\d{2})?`)
	reFrMin   = regexp.MustCompile(`^ (\d{2})(?:$|[^\d:h])`)
	reWeekEnd = regexp.MustCompile(`week[- ]?ends?`)
	reSansRdv = regexp.MustCompile(`sans (?:rendez[- ]vous|rdv)`)
	reAllDay  = regexp.MustCompile(`^\s*24 ?h? ?/ ?24 ?h?\s*$`)
	reTousJrs = regexp.MustCompile(`tous les jours|7 ?j(?:ours)? ?/ ?7|chaque jour|\btoute la semaine\b|\bquotidien(?:ne(?:ment)?)?\b`)
)

var frenchDays = map[string]int{
	"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
	"lundis": 0, "mardis": 1, "mercredis": 2, "jeudis": 3, "vendredis": 4, "samedis": 5, "dimanches": 6,
	"lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
	"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6,
}

// frenchNoise are words that carry no information for the schedule.
var frenchNoise = map[string]bool{
	"de": true, "du": true, "le": true, "les": true, "l": true, "d": true, "des": true, "la": true,
	"matin": true, "matins": true, "apresmidi": true, "soir": true, "ouvert": true, "ouverte": true,
	"horaires": true, "horaire": true, "heures": true, "journee": true, "continue": true, "non": true,
	"stop": true, "en": true, "sauf": false, "puis": true, "accueil": true, "public": true, "permanence": true,
	"permanences": true, "h": true, "tous": true, "inclus": true, "eures": true, "ouverture": true, "individuel": true,
}

type frTok struct {
	// d day, t time, n bare number, r range word, - dash or ">", / slash,
	// s list separator (val 1 for ";", a line or an HTML break), c closed,
	// e every day, a "sur rendez-vous", w "sans rendez-vous", p a part of
	// the day ("matin", "après-midi", "soir") in a text about appointments.
	kind byte
	val  int
}

func isDash(k byte) bool { return k == '-' || k == '/' }

// readFrench reads a text into a week. It fails on any word it does not know.
func readFrench(text string) (frenchWeek, bool) {
	var w frenchWeek
	if !plausibleText(text, maxFrenchLen) {
		return w, false
	}
	s := strings.ToLower(text)
	s = strings.ReplaceAll(s, `\n`, " ; ")
	s = reHTML.ReplaceAllString(s, " ; ")
	s = strings.NewReplacer("&nbsp;", " ", "–", "-", "—", "-", "\u00a0", " ", "’", "'", "jusqu'à", " à ", "jusqu'a", " à ").Replace(s)
	s = reAprem.ReplaceAllString(s, " apresmidi ")
	s = reTousJrs.ReplaceAllString(s, " tousjours ")
	if reAppt2.MatchString(reSansRdv.ReplaceAllString(s, " ")) {
		s = reSansRdv.ReplaceAllString(s, " qqwalk ") // "Sur RDV : 9h-12h / Sans RDV : 14h-17h"
	} else {
		s = reSansRdv.ReplaceAllString(s, " ")
	}
	s = reWeekEnd.ReplaceAllString(s, " samedi au dimanche ")
	if reAllDay.MatchString(s) {
		s = "0h-24h"
	}
	if fam := frenchFamily(s); fam != "" {
		switch fam {
		case "closed":
			w.every = frenchDay{set: true, closed: true}
		case "unknown":
			w.every = frenchDay{set: true, unknown: true, comment: frenchComment(text)}
		case "appointment":
			w.every = frenchDay{set: true, comment: frenchComment(text)}
		}
		return w, true
	}
	s = reSpaces.ReplaceAllString(s, " ")
	// A qualifier that makes stated hours uncertain ("une semaine sur
	// deux", "hors vacances scolaires", "selon planning"): the hours are
	// read, and the rule carries the whole text as its comment, which
	// makes those hours unknown (never open) and the rest closed.
	qual := false
	if reFrQualifier.MatchString(s) {
		qual = true
		s = reFrQualifier.ReplaceAllString(s, " ")
	}
	appt := false
	if reAppt2.MatchString(s) {
		appt = true
		s = reAppt2.ReplaceAllString(s, " qqappt ")
	}
	trimmed := strings.Trim(strings.NewReplacer("qqappt", " ", "qqwalk", " ").Replace(s), " .;:")
	switch trimmed {
	case "-", "fermé", "ferme", "fermée", "fermee", "closed", "fermé toute la journée", "fermeture":
		w.every = frenchDay{set: true, closed: true}
		return w, true
	case "":
		if appt {
			w.every = frenchDay{set: true, comment: "sur rendez-vous"}
			return w, true
		}
		return w, false
	}
	// Tokens.
	var toks []frTok
	negated := false // "non": "non ouvert le lundi" must not read as Monday
	slash := false   // ">" between days: a range only with hours
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || r == '(' || r == ')' || r == '.' || r == ':' || r == '!' || r == '*':
			i++
		case unicode.IsDigit(r):
			rest := string(rs[i:])
			if m := reFrTime.FindStringSubmatch(rest); m != nil && len(m[0]) > len(m[1]) {
				if m[2] != "" && strings.HasPrefix(rest[len(m[0]):], "h") && strings.HasPrefix(strings.TrimLeft(rest[len(m[1]):], " "), "h") {
					// "9h12h" is 9h then 12h, not 9h12.
					m[0], m[2] = m[0][:len(m[0])-len(m[2])], ""
				}
				h, mm := atoi(m[1]), 0
				if m[2] != "" {
					mm = atoi(m[2])
				} else if m2 := reFrMin.FindStringSubmatch(rest[len(m[0]):]); m2 != nil &&
					!strings.HasPrefix(strings.TrimLeft(rest[len(m[0])+len(m2[1])+1:], " "), "h") {
					// "8 h 30": minutes after a space, unless they start the next time ("12h 14h", "9h 12 h").
					mm = atoi(m2[1])
					m[0] += m2[0]
				}
				if h > 24 || mm > 59 {
					return w, false
				}
				toks = append(toks, frTok{'t', h*60 + mm})
				i += len([]rune(m[0]))
				continue
			}
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			n := atoi(string(rs[i:j]))
			if n > 24 {
				return w, false
			}
			toks = append(toks, frTok{'n', n * 60})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || rs[j] == '\'') {
				j++
			}
			word := strings.Trim(stripAccents(string(rs[i:j])), "'")
			i = j
			if k := strings.IndexByte(word, '\''); k >= 0 {
				word = word[k+1:] // l'après-midi, d'ouverture
			}
			switch {
			case word == "":
			case word == "tousjours":
				toks = append(toks, frTok{kind: 'e'})
			case word == "a" || word == "au" || word == "jusqu" || word == "to":
				toks = append(toks, frTok{kind: 'r'})
			case word == "et" || word == "ou":
				toks = append(toks, frTok{kind: 's'})
			case word == "qqappt":
				toks = append(toks, frTok{kind: 'a'})
			case word == "qqwalk":
				toks = append(toks, frTok{kind: 'w'})
			case appt && (word == "matin" || word == "matins" || word == "apresmidi" || word == "soir"):
				toks = append(toks, frTok{kind: 'p'})
			case word == "midi":
				toks = append(toks, frTok{'t', 12 * 60})
			case word == "minuit":
				toks = append(toks, frTok{'t', 24 * 60})
			case word == "ferme" || word == "fermee" || word == "closed" || word == "off" || word == "fermes" || word == "fermees":
				toks = append(toks, frTok{kind: 'c'})
			case frenchNoise[word]:
				negated = negated || word == "non"
			default:
				if d, ok := frenchDays[word]; ok {
					toks = append(toks, frTok{'d', d})
					continue
				}
				return w, false
			}
		case r == '/':
			toks = append(toks, frTok{kind: '/'})
			i++
		case r == '-' || r == '>':
			toks = append(toks, frTok{kind: '-'})
			slash = slash || r == '>'
			i++
		case r == ';':
			toks = append(toks, frTok{kind: 's', val: 1})
			i++
		case r == ',' || r == '&' || r == '+' || r == '|':
			toks = append(toks, frTok{kind: 's'})
			i++
		default:
			return w, false
		}
	}
	// "8h30 à-18h30", "de 9h - à 12h": a dash next to a range word.
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == 'r' && isDash(toks[i+1].kind) || isDash(toks[i].kind) && toks[i+1].kind == 'r' {
			toks[i] = frTok{kind: 'r'}
			toks = append(toks[:i+1], toks[i+2:]...)
			i--
		}
	}
	// A "/" between two days is a list in the texts we know ("Lundi /
	// Jeudi / Vendredi", "lun/mar/sam … mer/ven"), but "lundi/vendredi"
	// can also be written for a range, as "9h/12h" is. It is read as a
	// list when both readings agree (consecutive days), when the text
	// writes a chain of three days or more with "/", or when a day between
	// the two is named elsewhere in the text ("Mardi/ jeudi: 14h - 18h,
	// Mercredi 9h30 - 12h30": Wednesday has its own hours); once one "/"
	// is a list, every "/" of the text is. Any other "/" between two days
	// is flagged.
	slashList := false
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].kind != 'd' || toks[i+1].kind != '/' || toks[i+2].kind != 'd' {
			continue
		}
		if i+4 < len(toks) && toks[i+3].kind == '/' && toks[i+4].kind == 'd' {
			slashList = true
		}
		for d := (toks[i].val + 1) % 7; d != toks[i+2].val && d != toks[i].val; d = (d + 1) % 7 {
			for j, t := range toks {
				if t.kind == 'd' && t.val == d && j != i && j != i+2 {
					slashList = true
				}
			}
		}
	}
	// Appointments. A part of the day by appointment whose hours the text
	// does not give ("10:00 - 13:00 / Après-midi sur RDV", "Sur RDV :
	// après-midi") cannot be written without inventing them, and the
	// comment must not go on the hours that are given: flagged. A
	// "sur rendez-vous" before every day and time or after all of them
	// ("Sur RDV : 9h-12h / 14h-17h", "9h à 19h sur rendez-vous") is about
	// the whole text, as before. Otherwise ("9:00 - 12:00 / Sur RDV : 14:00 -
	// 17:00", "samedi sur rendez-vous" after days with hours, "Sans RDV"
	// next to "Sur RDV") it is about the hours or days it follows directly
	// or, when it follows neither, the hours after it up to the next
	// "sans rendez-vous" or ";".
	perSpan := false
	if appt {
		first, last, times := -1, -1, false
		for i, t := range toks {
			if strings.IndexByte("dtne", t.kind) >= 0 {
				if first < 0 {
					first = i
				}
				last = i
			}
			times = times || t.kind == 't' || t.kind == 'n'
		}
		for i, t := range toks {
			switch t.kind {
			case 'w':
				perSpan = true
			case 'a':
				lo, hi := i, i
				for lo > 0 && (toks[lo-1].kind == 'p' || toks[lo-1].kind == 'a') {
					lo--
				}
				for hi+1 < len(toks) && (toks[hi+1].kind == 'p' || toks[hi+1].kind == 'a') {
					hi++
				}
				if times && hi > lo && !(lo > 0 && toks[lo-1].kind == 'd') &&
					!(hi+1 < len(toks) && strings.IndexByte("dtne", toks[hi+1].kind) >= 0) {
					for _, u := range toks[lo : hi+1] {
						if u.kind == 'p' {
							return w, false // "Après-midi sur RDV": which hours?
						}
					}
				}
				if i > first && i < last {
					perSpan = true
				}
				if i > last && lo > 0 && toks[lo-1].kind == 'd' {
					for _, u := range toks[:lo] {
						if u.kind == 't' || u.kind == 'n' {
							perSpan = true // "Lundi 9h-18h; samedi sur rendez-vous"
						}
					}
				}
			}
		}
	}
	// Groups: days then spans (or spans then days).
	type group struct {
		days      []int
		spans     []TimeSpan
		appt      []bool // per span, when perSpan
		apptDays  bool   // days without hours "sur rendez-vous", when perSpan
		closed    bool
		daysFirst bool
	}
	var groups []group
	var cur group
	fwd, markFrom := false, 0 // perSpan: the state for the next hours; cur.spans[markFrom:] follow the last mark
	flush := func() {
		if len(cur.days) > 0 || len(cur.spans) > 0 || cur.closed {
			if perSpan && len(cur.spans) == 0 && fwd {
				cur.apptDays = true
			}
			groups = append(groups, cur)
		}
		cur, markFrom = group{}, 0
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case 'd', 'e':
			if (len(cur.spans) > 0 || cur.closed || cur.apptDays) && (len(cur.days) > 0 && cur.daysFirst || len(cur.days) > 0) {
				flush()
			}
			if len(cur.days) == 0 && len(cur.spans) == 0 && !cur.closed {
				cur.daysFirst = true
			}
			if t.kind == 'e' {
				cur.days = append(cur.days, 0, 1, 2, 3, 4, 5, 6)
				continue
			}
			// A day range: lundi au vendredi, lundi - vendredi. A chain
			// ("Tu-Th-Fr", "mardi-jeudi-vendredi": Tuesday, Thursday and
			// Friday, or Tuesday to Friday?) is flagged, unless both
			// readings agree or the text names each day the list leaves
			// out elsewhere with its own hours (see frDashList).
			if i+2 < len(toks) && (toks[i+1].kind == 'r' || toks[i+1].kind == '-') && toks[i+2].kind == 'd' {
				if i+4 < len(toks) && (toks[i+3].kind == 'r' || isDash(toks[i+3].kind)) && toks[i+4].kind == 'd' {
					end, ok := frDashList(toks, i)
					if !ok {
						return w, false
					}
					for k := i; k <= end; k += 2 {
						cur.days = append(cur.days, toks[k].val)
					}
					i = end
					continue
				}
				for d := t.val; ; d = (d + 1) % 7 {
					cur.days = append(cur.days, d)
					if d == toks[i+2].val {
						break
					}
				}
				i += 2
				continue
			}
			if i+2 < len(toks) && toks[i+1].kind == '/' && toks[i+2].kind == 'd' {
				if (toks[i+2].val-t.val+7)%7 > 1 && !slashList {
					return w, false // "lundi/jeudi": a list or a range?
				}
			}
			cur.days = append(cur.days, t.val)
		case 't', 'n':
			// A span: start, range word or dash, end; or two times with
			// nothing between them ("10h 18h", "9h12h"), which can only
			// be a span when the second is later.
			a, b, ok := frSpanAt(toks, i)
			if !ok {
				return w, false // a lone time
			}
			if toks[i+1].kind == 't' || toks[i+1].kind == 'n' {
				i++
			} else {
				i += 2
			}
			if a.kind == 'n' && b.kind == 'n' && b.val <= a.val {
				return w, false // "9/17" reads as 09:00-17:00, "17/9" is not read
			}
			if a.val == b.val {
				return w, false // "00:00 - 00:00", an empty slot of some exports, not 24 hours
			}
			if i+2 < len(toks) && isDash(toks[i+1].kind) && (toks[i+2].kind == 't' || toks[i+2].kind == 'n') {
				if _, _, next := frSpanAt(toks, i+2); !next {
					return w, false // three times in a span
				}
			}
			if len(cur.days) > 0 && !cur.daysFirst && len(cur.spans) > 0 {
				flush()
			}
			end := b.val
			if end <= a.val {
				end += 24 * 60
			}
			cur.spans = append(cur.spans, TimeSpan{Start: a.val, End: end, HasEnd: true})
			cur.appt = append(cur.appt, fwd)
		case 'c':
			cur.closed = true
		case 'a', 'w':
			if !perSpan {
				continue
			}
			j := i - 1
			for j >= 0 && toks[j].kind == 'p' {
				j--
			}
			switch {
			case j >= 0 && (toks[j].kind == 't' || toks[j].kind == 'n') && len(cur.spans) > markFrom:
				// After hours: about the hours since the last mark.
				for k := markFrom; k < len(cur.spans); k++ {
					cur.appt[k] = t.kind == 'a'
				}
				markFrom = len(cur.spans)
			case j >= 0 && (toks[j].kind == 'd' || toks[j].kind == 'e') && len(cur.spans) == 0:
				cur.apptDays = t.kind == 'a' // "samedi sur rendez-vous"
			default:
				fwd, markFrom = t.kind == 'a', len(cur.spans)
			}
		case 's':
			if t.val == 1 {
				fwd = false
			}
		}
	}
	flush()
	if len(groups) == 0 {
		if appt {
			// "Accueil sur rendez-vous": only noise words besides. A part
			// of the day ("Sur RDV l'après-midi") is kept in the comment.
			w.every = frenchDay{set: true, comment: "sur rendez-vous"}
			for _, t := range toks {
				if t.kind == 'p' {
					w.every.comment = frenchComment(text)
				}
			}
			return w, true
		}
		return w, false
	}
	// Days named without any hours anywhere in the text ("du lundi au
	// vendredi", "Quotidien", "Mo" in a "Lundi" column): the place is open
	// those days at hours the text does not give. They become unknown,
	// never open, with the text as the comment; the other days are closed.
	// Days without hours next to days with hours ("lundi 9h-12h, mardi")
	// or closed days ("lundi, fermé le mardi": is Monday closed?) stay
	// flagged, and so do negations ("non ouvert le lundi"), a dash that is
	// not a range of days ("samedi : -") and a ">" between days. Appointment
	// days without hours ("samedi sur rendez-vous") are kept, but not over
	// days that have hours ("mercredi 10h-12h ou sur RDV toute la
	// semaine": which applies on Wednesday?).
	var withHours [7]bool
	anySpans, anyClosed := false, false
	for _, g := range groups {
		anyClosed = anyClosed || g.closed
		if len(g.spans) > 0 {
			anySpans = true
			for _, d := range g.days {
				withHours[d] = true
			}
		}
	}
	daysOnly := !anySpans && !anyClosed && !appt && !negated && !slash
	for i, t := range toks {
		if isDash(t.kind) && (i == 0 || i+1 == len(toks) || toks[i-1].kind != 'd' || toks[i+1].kind != 'd') {
			daysOnly = false // "samedi : -", the mark of an empty cell: closed?
		}
	}
	for _, g := range groups {
		if len(g.days) == 0 {
			if len(groups) > 1 {
				return w, false // hours without days next to hours with days: which days?
			}
			if g.closed {
				w.every = frenchDay{set: true, closed: true}
			} else {
				w.every.set = true
				w.every.addSpans(g.spans, g.appt, perSpan)
			}
			continue
		}
		w.hasDays = true
		if len(g.spans) == 0 && !g.closed && appt {
			if perSpan && !g.apptDays {
				return w, false // days without hours next to hours: which hours?
			}
			for _, d := range g.days {
				if withHours[d] {
					return w, false
				}
			}
		}
		if len(g.spans) == 0 && !g.closed && !appt {
			if !daysOnly {
				return w, false // days without hours next to hours: which hours?
			}
			w.daysOnly = true
			for _, d := range g.days {
				w.days[d] = frenchDay{set: true, unknown: true}
			}
			continue
		}
		for _, d := range g.days {
			day := &w.days[d]
			day.set = true
			if g.closed {
				day.closed, day.spans = true, nil
				continue
			}
			day.closed = false
			day.addSpans(g.spans, g.appt, perSpan)
			if perSpan && g.apptDays {
				day.comment = "sur rendez-vous"
			}
		}
	}
	// The same day given overlapping hours ("lundi/mardi/jeudi/vendredi
	// 9h-12h et 14h-20h // vendredi 9h-12h et 14h-18h": until 18h or 20h
	// on Friday?) is flagged; the same hours given twice are kept once.
	if !w.every.clean() {
		return w, false
	}
	for d := range w.days {
		if !w.days[d].clean() {
			return w, false
		}
	}
	if w.hasDays {
		// Only closed days ("Fermé le lundi") say nothing of the others:
		// "off" would close the whole week.
		open, closed := false, 0
		for _, d := range w.days {
			open = open || d.set && !d.closed
			if d.closed {
				closed++
			}
		}
		if !open && closed < 7 {
			return w, false
		}
	}
	if w.daysOnly {
		c := frenchComment(text)
		if isOSMWeekdays(text) {
			c = "" // "Mo" gives "Mo unknown": the comment would repeat the selector
		}
		for d := range w.days {
			if w.days[d].unknown {
				w.days[d].comment = c
			}
		}
		return w, true // a qualifier ("en période scolaire") is in the comment
	}
	if qual && perSpan {
		return w, false // hours by appointment and a qualifier: which applies where?
	}
	if qual {
		c := frenchComment(text)
		if !w.hasDays {
			if len(w.every.spans) == 0 {
				return w, false
			}
			w.every.comment = c
		}
		for d := range w.days {
			if w.days[d].set && !w.days[d].closed {
				if len(w.days[d].spans) == 0 {
					return w, false
				}
				w.days[d].comment = c
			}
		}
		return w, true
	}
	if perSpan {
		// Hours given only by appointment on a day are written as such
		// ("Tu 14:00-17:00 \"sur rendez-vous\""); the others keep their
		// appointment hours in an additional rule (see frenchWeek.osm).
		w.every.onlyAppt()
		for d := range w.days {
			w.days[d].onlyAppt()
		}
		return w, true
	}
	if appt {
		// Days named without hours ("sur rendez-vous le vendredi") are
		// appointment days: the comment alone, no invented hours.
		if !w.hasDays {
			w.every.comment = "sur rendez-vous"
		} else {
			for d := range w.days {
				if w.days[d].set && !w.days[d].closed {
					w.days[d].comment = "sur rendez-vous"
				}
			}
		}
	}
	return w, true
}

// frDashList reads a chain of days joined by dashes that starts at
// toks[i] ("mardi-jeudi-vendredi-samedi") as a list, and returns the index
// of its last day. It says false when the chain can also be read as ranges
// that name other days: a day between two of its days (Wednesday in
// "mardi-jeudi") must be named elsewhere in the text ("… ; mercredi
// 15h-17h45"), a writer who gives Wednesday its own hours did not put it
// in the chain. Range words in a chain ("lundi au mardi au jeudi") are
// never read.
func frDashList(toks []frTok, i int) (end int, ok bool) {
	end = i
	for end+2 < len(toks) && toks[end+1].kind == '-' && toks[end+2].kind == 'd' {
		end += 2
	}
	if end+2 < len(toks) && (toks[end+1].kind == 'r' || isDash(toks[end+1].kind)) && toks[end+2].kind == 'd' {
		return end, false // a range word or a "/" in the chain
	}
	for k := i; k < end; k += 2 {
		for d := (toks[k].val + 1) % 7; d != toks[k+2].val && d != toks[k].val; d = (d + 1) % 7 {
			named := false
			for j, t := range toks {
				if t.kind == 'd' && t.val == d && (j < i || j > end) {
					named = true
				}
			}
			if !named {
				return end, false
			}
		}
	}
	return end, true
}

// frSpanAt reads a span starting at toks[i]: a time, a range word or dash
// and a time; or two times written with the "h" or ":" side by side, the
// second later than the first.
func frSpanAt(toks []frTok, i int) (a, b frTok, ok bool) {
	isTime := func(k byte) bool { return k == 't' || k == 'n' }
	if i+2 < len(toks) && (toks[i+1].kind == 'r' || isDash(toks[i+1].kind)) && isTime(toks[i+2].kind) {
		return toks[i], toks[i+2], true
	}
	if i+1 < len(toks) && toks[i].kind == 't' && toks[i+1].kind == 't' && toks[i+1].val > toks[i].val {
		return toks[i], toks[i+1], true
	}
	return a, b, false
}

// isOSMWeekdays says whether text is a valid OSM value made only of
// weekday selectors ("Mo", "Mo-Fr", "Tu,Th").
func isOSMWeekdays(text string) bool {
	h, err := Parse(strings.TrimSpace(text))
	if err != nil {
		return false
	}
	for _, r := range h.rules {
		if len(r.Weekdays) == 0 || r.Always || len(r.Years)+len(r.Dates)+len(r.Weeks)+len(r.Holidays)+len(r.Times) > 0 ||
			r.Modifier != ModNone || r.HasComment {
			return false
		}
	}
	return true
}

// quoteComment writes c as an OSM comment, as the printer does: the
// grammar has no escapes, and frenchComment removed the double quotes.
func quoteComment(c string) string { return `"` + c + `"` }

func stripAccents(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ù", "u", "û", "u",
		"ô", "o", "î", "i", "ï", "i", "ç", "c").Replace(s)
}

// addSpans adds a group's spans to the day, those by appointment apart
// when the text gives them per span.
func (d *frenchDay) addSpans(spans []TimeSpan, appt []bool, perSpan bool) {
	for k, sp := range spans {
		if perSpan && appt[k] {
			d.apptSpans = append(d.apptSpans, sp)
		} else {
			d.spans = append(d.spans, sp)
		}
	}
}

// onlyAppt writes a day whose hours are all by appointment as hours with
// the comment.
func (d *frenchDay) onlyAppt() {
	if len(d.spans) == 0 && len(d.apptSpans) > 0 && d.comment == "" {
		d.spans, d.apptSpans, d.comment = d.apptSpans, nil, "sur rendez-vous"
	}
}

// clean sorts the day's spans and removes those given twice; it says
// false when two different spans overlap.
func (d *frenchDay) clean() bool {
	d.spans = sortedSpans(d.spans)
	d.apptSpans = sortedSpans(d.apptSpans)
	all := sortedSpans(append(append([]TimeSpan(nil), d.spans...), d.apptSpans...))
	for i := 1; i < len(all); i++ {
		if all[i].Start < all[i-1].End {
			return false
		}
	}
	return true
}

func sortedSpans(sp []TimeSpan) []TimeSpan {
	sort.Slice(sp, func(i, j int) bool {
		if sp[i].Start != sp[j].Start {
			return sp[i].Start < sp[j].Start
		}
		return sp[i].End < sp[j].End
	})
	out := sp[:0]
	for i, t := range sp {
		if i == 0 || t != sp[i-1] {
			out = append(out, t)
		}
	}
	return out
}

// key identifies what the day says, for grouping days: its rule and its
// appointment hours.
func (d frenchDay) key() string { return d.rule() + "\x00" + d.apptRule() }

// apptRule is the additional rule of the day's hours by appointment, "" if
// none.
func (d frenchDay) apptRule() string {
	if d.closed || d.unknown || len(d.apptSpans) == 0 {
		return ""
	}
	var parts []string
	for _, t := range d.apptSpans {
		parts = append(parts, formatSpan(t))
	}
	return strings.Join(parts, ",") + " " + quoteComment("sur rendez-vous")
}

// rule is what the day's rule says after its selector.
func (d frenchDay) rule() string {
	if d.closed {
		return "off"
	}
	if d.unknown {
		if d.comment == "" {
			return "unknown"
		}
		return "unknown " + quoteComment(d.comment)
	}
	sp := append([]TimeSpan(nil), d.spans...)
	sort.Slice(sp, func(i, j int) bool { return sp[i].Start < sp[j].Start })
	var parts []string
	for _, t := range sp {
		parts = append(parts, formatSpan(t))
	}
	k := strings.Join(parts, ",")
	if d.comment != "" {
		if k != "" {
			k += " "
		}
		k += quoteComment(d.comment)
	}
	return k
}

// osm writes the week as an OSM value, grouping days with the same hours,
// and checks it with the strict parser.
func (w frenchWeek) osm() (string, bool) {
	var out string
	if !w.hasDays {
		if !w.every.set {
			return "", false
		}
		out = w.every.rule()
		if a := w.every.apptRule(); a != "" {
			out += ", Mo-Su " + a
		}
	} else {
		var rules, appts []string
		done := [7]bool{}
		for d := 0; d < 7; d++ {
			if done[d] || !w.days[d].set || w.days[d].closed {
				continue
			}
			k := w.days[d].key()
			var sel []string
			for e := d; e < 7; e++ {
				if done[e] || !w.days[e].set || w.days[e].closed || w.days[e].key() != k {
					continue
				}
				// Extend a run of consecutive days with the same hours.
				f := e
				for f+1 < 7 && !done[f+1] && w.days[f+1].set && !w.days[f+1].closed && w.days[f+1].key() == k {
					f++
				}
				for x := e; x <= f; x++ {
					done[x] = true
				}
				switch {
				case f == e:
					sel = append(sel, weekdayNames[e])
				case f == e+1:
					sel = append(sel, weekdayNames[e], weekdayNames[f])
				default:
					sel = append(sel, weekdayNames[e]+"-"+weekdayNames[f])
				}
				e = f
			}
			rules = append(rules, strings.Join(sel, ",")+" "+w.days[d].rule())
			if a := w.days[d].apptRule(); a != "" {
				appts = append(appts, strings.Join(sel, ",")+" "+a)
			}
		}
		if len(rules) == 0 {
			out = "off"
		} else {
			// Additional rules (", ") change only the times they name: the
			// hours by appointment come last, so that no "; " rule
			// replaces them.
			out = strings.Join(append([]string{strings.Join(rules, "; ")}, appts...), ", ")
		}
	}
	h, err := Parse(out)
	if err != nil {
		return "", false
	}
	return h.String(), true
}

// Texts that state no hours but a state, matched on the whole text once
// lowercased (accents kept: the patterns allow both spellings). They never
// contain digits: a text with times goes through the reader.
var (
	// Closed: "Fermé au public", "Pas d'accueil", "Non ouvert au public".
	reFrClosed = regexp.MustCompile(`^(?:ferm[ée]e?s?|closed|fermeture)(?: (?:au|le|du) public| toute la journ[ée]e| d[ée]finitivement)?$|^pas d'accueil(?: (?:du|au) public)?$|^(?:non|pas) ouverte? au public$|^pas de permanences?$`)
	// Hours not known or given elsewhere: "Horaires non communiqués",
	// "Aux horaires d'ouverture de la structure", "Se rapprocher de
	// l'organisme", "Voir site internet", "Horaires variables", "Selon
	// planning", "calendrier, dates et lieux sur demande".
	reFrUnknown = regexp.MustCompile(strings.Join([]string{
		`\bnon (?:communiqu|renseign|connu|d[ée]fini)`,
		`\b(?:horaires?|heures|jours)(?: et (?:horaires?|heures))? d'ouvertures?\b`,
		`\bhoraires? (?:d')?ouvertures? (?:de|du|des)\b`,
		`^horaires? (?:du|de la|de l'|des) `,
		`\bm[êe]mes (?:jours et )?horaires\b`,
		`^idem$`,
		`\b(?:se )?(?:rapprocher|renseigner|r[ée]f[ée]rer|contacter|consulter)\b`,
		`^voir\b`,
		`\bhoraires? variables?\b|\btr[èe]s variables?\b|^variables? (?:en fonction|selon)\b|\bpas d'horaires? fixes?\b`,
		`\b(?:selon|suivant) (?:le |un |les |la )?(?:planning|calendrier|programme|programmation|agenda)s?\b`,
		`\b(?:calendrier|dates|horaires)\b.*\bsur demande$`,
	}, "|"))
	reFrDayWord = regexp.MustCompile(`\b(?:lun|mar|mer|jeu|ven|sam|dim)(?:di|credi|dredi|edi|anche)?s?\b|week|matin|midi|soir`)
	reDigit     = regexp.MustCompile(`\d`)
	// Qualifiers of stated hours (see readFrench).
	reFrQualifier = regexp.MustCompile(`\(?\b(?:(?:une|1) (?:semaine|fois|x) sur (?:deux|2)|tous les (?:15|quinze) jours|toutes les (?:deux|trois|2|3) semaines|(?:une|1) (?:x|fois) par mois|selon (?:le |un |les )?planning(?: [\pL]+)?|hors vacances(?: scolaires)?|en p[ée]riode scolaire|pendant les vacances scolaires|semaines? (?:paires|impaires)|comprenant des heures sur (?:rendez[- ]vous|rdv))\b\)?`)
	// Appointment-only statements with details and no hours: "sur RDV
	// (par tél ou courriel)", "Sur RDV pendant cette période".
	reFrApptOnly = regexp.MustCompile(`^(?:accueil |uniquement |seulement )?(?:sur|avec) (?:rendez[- ]vous|rdv)\b`)
)

// frenchFamily returns "closed" or "unknown" when the whole text (already
// lowercased, without HTML) is one of those statements, and "" otherwise.
func frenchFamily(s string) string {
	t := strings.Trim(reSpaces.ReplaceAllString(s, " "), " .;:!")
	if t == "" || reDigit.MatchString(t) {
		return ""
	}
	switch {
	case reFrClosed.MatchString(t):
		return "closed"
	case reFrUnknown.MatchString(t):
		return "unknown"
	case reFrApptOnly.MatchString(t) && !reFrDayWord.MatchString(t):
		rest := strings.Trim(reAppt2.ReplaceAllString(t, " "), " .;:()!")
		if rest != "" && rest != "accueil" {
			return "appointment" // with details, kept in the comment
		}
	}
	return ""
}

// frenchComment turns a text into an OSM comment: no HTML, no line
// breaks, no double quotes (which would end the comment).
func frenchComment(text string) string {
	s := strings.ReplaceAll(text, `\n`, " ")
	s = reHTML.ReplaceAllString(s, " ")
	s = strings.NewReplacer("&nbsp;", " ", `"`, "'", "\u00a0", " ").Replace(s)
	s = reSpaces.ReplaceAllString(s, " ")
	return strings.Trim(s, " ;,")
}
