package hours

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SyntaxError is returned by Parse. Pos is the byte offset in the value where
// the problem was found; Error gives the French message, English the English one.
type SyntaxError struct {
	Pos int
	fr  string
	en  string
}

// Error returns the message in French, for the people who read validation reports.
func (e *SyntaxError) Error() string { return fmt.Sprintf("position %d : %s", e.Pos, e.fr) }

// English returns the same message in English.
func (e *SyntaxError) English() string { return fmt.Sprintf("position %d: %s", e.Pos, e.en) }

type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tWord
	tComment
	tPunct // one of ; , - : + / [ ] ( ) and "||"
)

type token struct {
	kind  tokKind
	text  string // the token as written (comment: without quotes)
	pos   int    // byte offset of the token
	end   int    // byte offset just after the token
	space bool   // whitespace right before the token
}

// lex splits a value into tokens. Whitespace only separates tokens; the
// parser checks where it is not allowed.
func lex(s string) ([]token, error) {
	var toks []token
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			space = true
			i += size
			continue
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, token{tNum, s[i:j], i, j, space})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += sz
			}
			toks = append(toks, token{tWord, s[i:j], i, j, space})
			i = j
		case r == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, &SyntaxError{i, "commentaire non terminé : guillemet fermant « \" » attendu",
					`unterminated comment: closing quote '"' expected`}
			}
			toks = append(toks, token{tComment, s[i+1 : i+1+j], i, i + 2 + j, space})
			i += j + 2
		case r == '|' && i+1 < len(s) && s[i+1] == '|':
			toks = append(toks, token{tPunct, "||", i, i + 2, space})
			i += 2
		case strings.ContainsRune(";,-:+/[]()", r):
			toks = append(toks, token{tPunct, s[i : i+1], i, i + 1, space})
			i++
		default:
			return nil, &SyntaxError{i, fmt.Sprintf("caractère inattendu « %c »", r),
				fmt.Sprintf("unexpected character %q", r)}
		}
		space = false
	}
	toks = append(toks, token{kind: tEOF, pos: len(s), end: len(s), space: space})
	return toks, nil
}

var weekdayNames = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

var monthNames = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func weekdayIndex(w string) int {
	for i, n := range weekdayNames {
		if n == w {
			return i
		}
	}
	return -1
}

func monthIndex(w string) int {
	for i := 1; i <= 12; i++ {
		if monthNames[i] == w {
			return i
		}
	}
	return -1
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}
func (p *parser) isPunct(t token, s string) bool { return t.kind == tPunct && t.text == s }

// isTimeAt says whether tokens n, n+1, n+2 from here spell HH:MM (no spaces).
func (p *parser) isTimeAt(n int) bool {
	a, c, b := p.peekAt(n), p.peekAt(n+1), p.peekAt(n+2)
	return a.kind == tNum && p.isPunct(c, ":") && !c.space && b.kind == tNum && !b.space
}

// errAt builds an error at token t.
func (p *parser) errAt(t token, fr, en string) *SyntaxError {
	return &SyntaxError{Pos: t.pos, fr: fr, en: en}
}

// describe names a token for messages.
func describe(t token) (fr, en string) {
	switch t.kind {
	case tEOF:
		return "la fin du texte", "the end of the value"
	case tComment:
		return "un commentaire", "a comment"
	}
	return "« " + t.text + " »", fmt.Sprintf("%q", t.text)
}

func (p *parser) unexpected(t token, wantFR, wantEN string) *SyntaxError {
	fr, en := describe(t)
	return p.errAt(t, fmt.Sprintf("%s attendu, trouvé %s", wantFR, fr), fmt.Sprintf("%s expected, found %s", wantEN, en))
}

// Parse reads a value in the OSM opening_hours syntax, strictly: the
// mistakes that Repair fixes (9h, 9:00, spaces inside a time span, lowercase
// days, trailing separators…) are errors here. The result is evaluated in
// DefaultContext (Europe/Paris, metropolitan public holidays); see Compile.
func Parse(s string) (*Hours, error) {
	return Compile(s, DefaultContext())
}

func parseRules(s string) ([]Rule, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	if p.peek().kind == tEOF {
		return nil, p.errAt(p.peek(), "valeur vide", "empty value")
	}
	var rules []Rule
	sep := SepNormal
	for {
		r, err := p.parseRule()
		if err != nil {
			return nil, err
		}
		r.Sep = sep
		rules = append(rules, r)
		t := p.next()
		switch {
		case t.kind == tEOF:
			return rules, nil
		case p.isPunct(t, ";"):
			sep = SepNormal
		case p.isPunct(t, ","):
			if !r.Always && len(r.Times) == 0 && r.Modifier == ModNone && !r.HasComment {
				fr, en := describe(p.peek())
				return nil, p.errAt(p.peek(), "après « , » la liste de jours, de mois ou d'années doit continuer, trouvé "+fr,
					"after ',' the list of days, months or years must go on, found "+en)
			}
			sep = SepAdditional
		case p.isPunct(t, "||"):
			sep = SepFallback
		default:
			fr, en := describe(t)
			return nil, p.errAt(t, "séparateur de règles « ; », « , » ou « || » attendu, trouvé "+fr,
				"rule separator ';', ',' or '||' expected, found "+en)
		}
		if nt := p.peek(); nt.kind == tEOF {
			return nil, p.errAt(t, fmt.Sprintf("règle attendue après « %s » en fin de valeur", t.text),
				fmt.Sprintf("rule expected after %q at the end of the value", t.text))
		}
	}
}

// parseRule reads the selectors, modifier and comment of one rule.
func (p *parser) parseRule() (Rule, error) {
	var r Rule
	start := p.i
	t := p.peek()
	if t.kind == tNum && t.text == "24" && p.isPunct(p.peekAt(1), "/") && p.peekAt(2).text == "7" {
		p.i += 3
		r.Always = true
	} else {
		if err := p.parseWide(&r); err != nil {
			return r, err
		}
		if err := p.parseSmall(&r); err != nil {
			return r, err
		}
	}
	// Modifier and comment.
	if t := p.peek(); t.kind == tWord {
		switch t.text {
		case "open":
			r.Modifier = ModOpen
		case "off", "closed":
			r.Modifier = ModClosed
		case "unknown":
			r.Modifier = ModUnknown
		}
		if r.Modifier != ModNone {
			p.next()
		}
	}
	if t := p.peek(); t.kind == tComment {
		r.Comment, r.HasComment = t.text, true
		p.next()
	}
	if p.i == start {
		t := p.peek()
		if t.kind == tWord {
			return r, p.unknownWord(t)
		}
		if t.kind == tNum {
			return r, p.errAt(t, fmt.Sprintf("nombre « %s » inattendu : heure (HH:MM), année (AAAA) ou jour du mois attendu", t.text),
				fmt.Sprintf("unexpected number %q: time (HH:MM), year (YYYY) or day of month expected", t.text))
		}
		return r, p.unexpected(t, "règle (jours, heures, « off », commentaire…)", "rule (days, times, 'off', comment…)")
	}
	if t := p.peek(); t.kind != tEOF && !p.isPunct(t, ";") && !p.isPunct(t, ",") && !p.isPunct(t, "||") {
		if t.kind == tWord {
			return r, p.unknownWord(t)
		}
		if t.kind == tNum && p.isPunct(p.peekAt(1), ":") {
			return r, p.errAt(t, "heure inattendue à cet endroit : les heures viennent après les jours",
				"unexpected time here: times come after days")
		}
		fr, en := describe(t)
		return r, p.errAt(t, "fin de règle attendue, trouvé "+fr, "end of rule expected, found "+en)
	}
	return r, nil
}

func (p *parser) unknownWord(t token) *SyntaxError {
	w := t.text
	switch {
	case weekdayIndex(w) >= 0 || monthIndex(w) >= 0 || w == "PH" || w == "SH":
		return p.errAt(t, fmt.Sprintf("« %s » n'est pas à sa place : ordre attendu année, mois/dates, semaines, jours, heures", w),
			fmt.Sprintf("%q is out of place: expected order is year, months/dates, weeks, weekdays, times", w))
	case w == "sunrise" || w == "sunset" || w == "dawn" || w == "dusk":
		return p.errAt(t, fmt.Sprintf("les heures variables (« %s ») ne sont pas prises en charge", w),
			fmt.Sprintf("variable times (%q) are not supported", w))
	case weekdayIndex(titleASCII(w)) >= 0 || monthIndex(titleASCII(w)) >= 0:
		return p.errAt(t, fmt.Sprintf("« %s » : écrire « %s » (majuscule puis minuscule)", w, titleASCII(w)),
			fmt.Sprintf("%q: write %q (capital then lowercase)", w, titleASCII(w)))
	case w == "h" || w == "H":
		return p.errAt(t, "« h » n'est pas un séparateur d'heure : écrire HH:MM", "'h' is not a time separator: write HH:MM")
	}
	return p.errAt(t, fmt.Sprintf("mot inconnu « %s »", w), fmt.Sprintf("unknown word %q", w))
}

func titleASCII(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
}

// parseWide reads the year, month/date and week selectors, and the optional
// ":" that may follow them.
func (p *parser) parseWide(r *Rule) error {
	any := false
	// Years (a 4-digit number not followed by a month name).
	if t := p.peek(); isYear(t) && !(p.peekAt(1).kind == tWord && (monthIndex(p.peekAt(1).text) > 0 || p.peekAt(1).text == "easter")) {
		for {
			yr, err := p.parseYearRange()
			if err != nil {
				return err
			}
			r.Years = append(r.Years, yr)
			any = true
			if p.isPunct(p.peek(), ",") && isYear(p.peekAt(1)) && !(p.peekAt(2).kind == tWord && monthIndex(p.peekAt(2).text) > 0) {
				p.next()
				continue
			}
			break
		}
	}
	// Months and dates.
	if p.startsDate(0) {
		for {
			dr, err := p.parseDateRange()
			if err != nil {
				return err
			}
			r.Dates = append(r.Dates, dr)
			any = true
			for p.isPunct(p.peek(), ",") && p.startsBareDay(1, dr) {
				// Jan 01,03,15-17: days of the month the list is in.
				p.next()
				if dr, err = p.parseBareDayRange(dr); err != nil {
					return err
				}
				r.Dates = append(r.Dates, dr)
			}
			if p.isPunct(p.peek(), ",") && p.startsDate(1) {
				p.next()
				continue
			}
			break
		}
	}
	// Weeks.
	if t := p.peek(); t.kind == tWord && t.text == "week" {
		p.next()
		for {
			wr, err := p.parseWeekRange()
			if err != nil {
				return err
			}
			r.Weeks = append(r.Weeks, wr)
			any = true
			if p.isPunct(p.peek(), ",") && p.peekAt(1).kind == tNum && !p.isTimeAt(1) {
				p.next()
				continue
			}
			break
		}
	}
	if any && p.isPunct(p.peek(), ":") {
		p.next()
	}
	return nil
}

func isYear(t token) bool { return t.kind == tNum && len(t.text) == 4 }

func (p *parser) startsDate(n int) bool {
	t := p.peekAt(n)
	if isYear(t) {
		t = p.peekAt(n + 1)
	}
	return t.kind == tWord && (monthIndex(t.text) > 0 || t.text == "easter")
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func (p *parser) parseYearRange() (YearRange, error) {
	t := p.next()
	y := YearRange{From: atoi(t.text), To: atoi(t.text)}
	if y.From < 1900 || y.From > 9999 {
		return y, p.errAt(t, fmt.Sprintf("année « %s » hors limites (1900 à 9999)", t.text), fmt.Sprintf("year %q out of range (1900 to 9999)", t.text))
	}
	switch {
	case p.isPunct(p.peek(), "+"):
		p.next()
		y.Plus = true
	case p.isPunct(p.peek(), "/") && p.peekAt(1).kind == tNum:
		// 2055/2: from 2055 on, every other year.
		p.next()
		n := p.next()
		if atoi(n.text) < 1 {
			return y, p.unexpected(n, "période (nombre d'années)", "period (number of years)")
		}
		y.Plus, y.Step = true, atoi(n.text)
	case p.isPunct(p.peek(), "-") && isYear(p.peekAt(1)) && !(p.peekAt(2).kind == tWord && monthIndex(p.peekAt(2).text) > 0):
		p.next()
		t2 := p.next()
		y.To = atoi(t2.text)
		if y.To <= y.From {
			return y, p.errAt(t2, "l'année de fin doit suivre l'année de début", "the end year must come after the start year")
		}
		if p.isPunct(p.peek(), "/") {
			p.next()
			n := p.next()
			if n.kind != tNum || atoi(n.text) < 1 {
				return y, p.unexpected(n, "période (nombre d'années)", "period (number of years)")
			}
			y.Step = atoi(n.text)
		}
	}
	return y, nil
}

// parseDatePoint reads [year] month [day] or [year] easter, then an optional
// day offset. dayOK says whether a day number may follow the month.
func (p *parser) parseDatePoint() (DatePoint, error) {
	var d DatePoint
	if isYear(p.peek()) {
		d.Year = atoi(p.next().text)
	}
	t := p.next()
	if t.kind == tWord && t.text == "easter" {
		d.Easter = true
	} else if m := monthIndex(t.text); t.kind == tWord && m > 0 {
		d.Month = m
		if n := p.peek(); n.kind == tNum && len(n.text) <= 2 && !p.isTimeAt(0) {
			day, err := p.dayOfMonth(n, m)
			if err != nil {
				return d, err
			}
			d.Day = day
			p.next()
		}
	} else {
		return d, p.unexpected(t, "mois (Jan … Dec) ou « easter »", "month (Jan … Dec) or 'easter'")
	}
	if d.Day > 0 || d.Easter {
		off, ok, err := p.parseDayOffset()
		if err != nil {
			return d, err
		}
		if ok {
			d.Offset = off
		}
	}
	return d, nil
}

// parseDayOffset reads " +2 days" / " -1 day" if present.
func (p *parser) parseDayOffset() (int, bool, error) {
	sign := p.peek()
	if !(p.isPunct(sign, "+") || p.isPunct(sign, "-")) || p.peekAt(1).kind != tNum {
		return 0, false, nil
	}
	w := p.peekAt(2)
	if w.kind != tWord || (w.text != "day" && w.text != "days") {
		return 0, false, nil
	}
	num := p.peekAt(1)
	n := atoi(num.text)
	if num.space {
		return 0, false, p.errAt(num, fmt.Sprintf("pas d'espace entre « %s » et le nombre de jours", sign.text), fmt.Sprintf("no space between %q and the number of days", sign.text))
	}
	if n < 1 || n > 366 {
		return 0, false, p.errAt(num, "décalage de jours hors limites (1 à 366)", "day offset out of range (1 to 366)")
	}
	p.i += 3
	if sign.text == "-" {
		n = -n
	}
	return n, true, nil
}

// startsBareDay says whether token n is a day of the month continuing a
// list after prev ("Jan 01,03", "Dec 11,15-17"): a one- or two-digit number
// that is not a time, after a date with a day in a month.
func (p *parser) startsBareDay(n int, prev DateRange) bool {
	last := prev.From
	if prev.HasTo {
		last = prev.To
	}
	t := p.peekAt(n)
	// Not after a year ("2024 Feb 05,12"), which opening_hours.js rejects.
	return last.Day > 0 && last.Month > 0 && last.Year == 0 && prev.From.Year == 0 && !prev.From.Easter && t.kind == tNum && len(t.text) <= 2 && !p.isTimeAt(n)
}

// parseBareDayRange reads a day (or a range of days, with an optional
// period) of the month prev ends in, written without the month.
func (p *parser) parseBareDayRange(prev DateRange) (DateRange, error) {
	last := prev.From
	if prev.HasTo {
		last = prev.To
	}
	n := p.peek()
	day, err := p.dayOfMonth(n, last.Month)
	if err != nil {
		return DateRange{}, err
	}
	p.next()
	from := DatePoint{Month: last.Month, Day: day}
	off, ok, err := p.parseDayOffset()
	if err != nil {
		return DateRange{}, err
	}
	if ok {
		from.Offset = off
	}
	return p.parseDateRangeFrom(from)
}

func (p *parser) parseDateRange() (DateRange, error) {
	from, err := p.parseDatePoint()
	if err != nil {
		return DateRange{}, err
	}
	return p.parseDateRangeFrom(from)
}

// parseDateRangeFrom reads what may follow the first point of a date range.
func (p *parser) parseDateRangeFrom(from DatePoint) (DateRange, error) {
	var dr DateRange
	dr.From = from
	if !p.isPunct(p.peek(), "-") {
		return dr, nil
	}
	// "-" then a day of the same month, or another date point.
	dash := p.next()
	if n := p.peek(); n.kind == tNum && len(n.text) <= 2 && from.Day > 0 && !p.isTimeAt(0) {
		day, err := p.dayOfMonth(n, from.Month)
		if err != nil {
			return dr, err
		}
		if day < from.Day {
			return dr, p.errAt(n, "le jour de fin précède le jour de début dans le même mois", "the end day is before the start day in the same month")
		}
		p.next()
		dr.To = DatePoint{Month: from.Month, Day: day}
		dr.HasTo = true
		if from.Easter {
			return dr, p.errAt(n, "« easter » ne peut pas être suivi d'un simple jour", "'easter' cannot be followed by a bare day")
		}
		off, ok, err := p.parseDayOffset()
		if err != nil {
			return dr, err
		}
		if ok {
			dr.To.Offset = off
		}
		if p.isPunct(p.peek(), "/") && p.peekAt(1).kind == tNum {
			p.next()
			n := p.next()
			if atoi(n.text) < 1 {
				return dr, p.unexpected(n, "période (nombre de jours)", "period (number of days)")
			}
			dr.Step = atoi(n.text)
		}
		return dr, nil
	}
	if !p.startsDate(0) {
		return dr, p.unexpected(p.peek(), "date de fin après « - »", "end date after '-'")
	}
	to, err := p.parseDatePoint()
	if err != nil {
		return dr, err
	}
	if (from.Day == 0) != (to.Day == 0) && !from.Easter && !to.Easter {
		return dr, p.errAt(dash, "une plage mêle un mois entier et un jour précis : écrire « Jan-Mar » ou « Jan 01-Mar 31 »",
			"a range mixes a whole month and a day: write 'Jan-Mar' or 'Jan 01-Mar 31'")
	}
	dr.To, dr.HasTo = to, true
	return dr, nil
}

var monthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// dayOfMonth checks a day number written after month m.
func (p *parser) dayOfMonth(n token, m int) (int, error) {
	day := atoi(n.text)
	if len(n.text) != 2 {
		return 0, p.errAt(n, fmt.Sprintf("jour du mois « %s » : écrire le jour sur deux chiffres", n.text), fmt.Sprintf("day of month %q: write the day with two digits", n.text))
	}
	if day < 1 || day > monthDays[m] {
		return 0, p.errAt(n, fmt.Sprintf("le %s %s n'existe pas", n.text, monthNames[m]), fmt.Sprintf("%s %s does not exist", monthNames[m], n.text))
	}
	return day, nil
}

func (p *parser) parseWeekRange() (WeekRange, error) {
	t := p.next()
	if t.kind != tNum {
		return WeekRange{}, p.unexpected(t, "numéro de semaine (01 à 53)", "week number (01 to 53)")
	}
	w := WeekRange{From: atoi(t.text), To: atoi(t.text)}
	if w.From < 1 || w.From > 53 {
		return w, p.errAt(t, "numéro de semaine hors limites (01 à 53)", "week number out of range (01 to 53)")
	}
	if p.isPunct(p.peek(), "-") {
		p.next()
		t2 := p.next()
		if t2.kind != tNum || atoi(t2.text) < 1 || atoi(t2.text) > 53 {
			return w, p.unexpected(t2, "numéro de semaine de fin (01 à 53)", "end week number (01 to 53)")
		}
		w.To = atoi(t2.text)
		if w.To < w.From {
			return w, p.errAt(t2, "la semaine de fin précède la semaine de début", "the end week is before the start week")
		}
		if p.isPunct(p.peek(), "/") {
			p.next()
			n := p.next()
			if n.kind != tNum || atoi(n.text) < 2 || atoi(n.text) > w.To-w.From {
				return w, p.unexpected(n, fmt.Sprintf("période de 2 à %d semaines", max(2, w.To-w.From)), fmt.Sprintf("period of 2 to %d weeks", max(2, w.To-w.From)))
			}
			w.Step = atoi(n.text)
		}
	}
	return w, nil
}

// parseSmall reads the weekday/holiday selector and the time selector.
func (p *parser) parseSmall(r *Rule) error {
	if p.startsDay(0) {
		sawWeekday := false
		for {
			t := p.peek()
			if t.text == "PH" || t.text == "SH" {
				p.next()
				h := HolidaySel{Kind: PublicHoliday}
				if t.text == "SH" {
					h.Kind = SchoolHoliday
				}
				t := p.peekAt(1)
				off, ok, err := p.parseDayOffset()
				if err != nil {
					return err
				}
				if ok && (off > 1 || off < -1) {
					// opening_hours.js only knows the day before and the day after.
					return p.errAt(t, "décalage d'un jour férié limité à un jour (« PH +1 day », « PH -1 day »)",
						"holiday offset limited to one day ('PH +1 day', 'PH -1 day')")
				}
				if ok {
					h.Offset = off
				}
				r.Holidays = append(r.Holidays, h)
			} else {
				wr, err := p.parseWeekdayRange()
				if err != nil {
					return err
				}
				r.Weekdays = append(r.Weekdays, wr)
				sawWeekday = true
			}
			if p.isPunct(p.peek(), ",") && p.startsDay(1) {
				p.next()
				continue
			}
			// "SH Mo-Fr": holidays, then a space, then weekdays.
			if !sawWeekday && len(r.Holidays) > 0 && p.peek().kind == tWord && weekdayIndex(p.peek().text) >= 0 {
				r.HolidayAnd = true
				continue
			}
			break
		}
		if r.HolidayAnd && len(r.Weekdays) == 0 {
			r.HolidayAnd = false
		}
	}
	if t := p.peek(); t.kind == tNum || (t.kind == tWord && isVariableTime(t.text)) || p.isPunct(t, "(") {
		for {
			ts, err := p.parseTimeSpan()
			if err != nil {
				return err
			}
			r.Times = append(r.Times, ts)
			if p.isPunct(p.peek(), ",") && p.peekAt(1).kind == tNum {
				p.next()
				continue
			}
			break
		}
	}
	return nil
}

func isVariableTime(w string) bool {
	return w == "sunrise" || w == "sunset" || w == "dawn" || w == "dusk"
}

func (p *parser) startsDay(n int) bool {
	t := p.peekAt(n)
	return t.kind == tWord && (weekdayIndex(t.text) >= 0 || t.text == "PH" || t.text == "SH")
}

func (p *parser) parseWeekdayRange() (WeekdayRange, error) {
	t := p.next()
	d := weekdayIndex(t.text)
	wr := WeekdayRange{From: d, To: d}
	if p.isPunct(p.peek(), "-") && p.peekAt(1).kind == tWord {
		p.next()
		t2 := p.next()
		d2 := weekdayIndex(t2.text)
		if d2 < 0 {
			return wr, p.unexpected(t2, "jour de fin (Mo … Su)", "end weekday (Mo … Su)")
		}
		wr.To = d2
		return wr, nil
	}
	if p.isPunct(p.peek(), "[") {
		p.next()
		for {
			nr, err := p.parseNth()
			if err != nil {
				return wr, err
			}
			wr.Nth = append(wr.Nth, nr)
			if p.isPunct(p.peek(), ",") {
				p.next()
				continue
			}
			break
		}
		if t := p.next(); !p.isPunct(t, "]") {
			return wr, p.unexpected(t, "« ] »", "']'")
		}
		t := p.peekAt(1)
		off, ok, err := p.parseDayOffset()
		if err != nil {
			return wr, err
		}
		if ok && (off > 6 || off < -6) {
			return wr, p.errAt(t, "décalage d'un jour du mois limité à 6 jours", "weekday offset limited to 6 days")
		}
		if ok {
			wr.Offset = off
		}
	}
	return wr, nil
}

func (p *parser) parseNth() (NthRange, error) {
	one := func() (int, error) {
		neg := false
		if p.isPunct(p.peek(), "-") {
			p.next()
			neg = true
		}
		t := p.next()
		n := atoi(t.text)
		if t.kind != tNum || n < 1 || n > 5 {
			return 0, p.unexpected(t, "rang du jour dans le mois (1 à 5 ou -1 à -5)", "occurrence in the month (1 to 5 or -1 to -5)")
		}
		if neg {
			n = -n
		}
		return n, nil
	}
	a, err := one()
	if err != nil {
		return NthRange{}, err
	}
	nr := NthRange{a, a}
	if a > 0 && p.isPunct(p.peek(), "-") && p.peekAt(1).kind == tNum {
		p.next()
		b, err := one()
		if err != nil {
			return nr, err
		}
		if b < a {
			return nr, p.errAt(p.toks[p.i-1], "rang de fin inférieur au rang de début", "end occurrence before start occurrence")
		}
		nr.To = b
	}
	return nr, nil
}

// parseTime reads HH:MM with exactly two digits each, and returns minutes.
func (p *parser) parseTime(max int) (int, error) {
	t := p.peek()
	if t.kind == tWord && isVariableTime(t.text) || p.isPunct(t, "(") {
		return 0, p.errAt(t, "les heures variables (lever/coucher du soleil) ne sont pas prises en charge",
			"variable times (sunrise/sunset) are not supported")
	}
	if t.kind != tNum {
		return 0, p.unexpected(t, "heure (HH:MM)", "time (HH:MM)")
	}
	p.next()
	colon := p.peek()
	if !p.isPunct(colon, ":") || colon.space {
		if colon.kind == tWord && (colon.text == "h" || colon.text == "H") {
			return 0, p.errAt(colon, "« h » n'est pas un séparateur d'heure : écrire HH:MM (par exemple 09:00)",
				"'h' is not a time separator: write HH:MM (for example 09:00)")
		}
		return 0, p.errAt(colon, fmt.Sprintf("minutes attendues après « %s » : écrire HH:MM", t.text),
			fmt.Sprintf("minutes expected after %q: write HH:MM", t.text))
	}
	p.next()
	m := p.peek()
	if m.kind != tNum || m.space {
		return 0, p.unexpected(m, fmt.Sprintf("minutes après « %s: »", t.text), fmt.Sprintf("minutes after %q", t.text+":"))
	}
	p.next()
	if len(t.text) != 2 {
		return 0, p.errAt(t, fmt.Sprintf("heure « %s » : écrire les heures sur deux chiffres (HH:MM)", t.text),
			fmt.Sprintf("hour %q: write hours with two digits (HH:MM)", t.text))
	}
	if len(m.text) != 2 {
		return 0, p.errAt(m, fmt.Sprintf("minutes « %s » : écrire les minutes sur deux chiffres (HH:MM)", m.text),
			fmt.Sprintf("minutes %q: write minutes with two digits (HH:MM)", m.text))
	}
	h, mm := atoi(t.text), atoi(m.text)
	if mm > 59 {
		return 0, p.errAt(m, fmt.Sprintf("minutes « %s » hors limites (00 à 59)", m.text), fmt.Sprintf("minutes %q out of range (00 to 59)", m.text))
	}
	if h*60+mm > max {
		return 0, p.errAt(t, fmt.Sprintf("heure « %s:%s » hors limites (au plus %02d:00)", t.text, m.text, max/60),
			fmt.Sprintf("time %s:%s out of range (at most %02d:00)", t.text, m.text, max/60))
	}
	return h*60 + mm, nil
}

func (p *parser) parseTimeSpan() (TimeSpan, error) {
	var ts TimeSpan
	first := p.peek()
	start, err := p.parseTime(24 * 60)
	if err != nil {
		return ts, err
	}
	if start == 24*60 {
		return ts, p.errAt(first, "une plage horaire ne peut pas commencer à 24:00", "a time span cannot start at 24:00")
	}
	ts.Start = start
	sofar := func() string { return p.src[first.pos:p.toks[p.i-1].end] }
	t := p.peek()
	switch {
	case p.isPunct(t, "+") && !t.space:
		p.next()
		ts.OpenEnd = true
		return ts, nil
	case p.isPunct(t, "-"):
		if t.space {
			return ts, p.errAt(t, fmt.Sprintf("espace avant « - » dans la plage horaire « %s - » : écrire HH:MM-HH:MM", sofar()),
				fmt.Sprintf("space before '-' in time span %q: write HH:MM-HH:MM", sofar()+" -"))
		}
		p.next()
	default:
		return ts, p.errAt(t, fmt.Sprintf("heure isolée « %s » : une plage horaire HH:MM-HH:MM ou « %s+ » est attendue", sofar(), sofar()),
			fmt.Sprintf("lone time %q: a time span HH:MM-HH:MM or %q is expected", sofar(), sofar()+"+"))
	}
	if e := p.peek(); e.kind != tNum || e.space {
		if e.space && e.kind == tNum {
			return ts, p.errAt(e, fmt.Sprintf("espace après « %s » : écrire HH:MM-HH:MM", sofar()),
				fmt.Sprintf("space after %q: write HH:MM-HH:MM", sofar()))
		}
		if e.kind == tWord && isVariableTime(e.text) || p.isPunct(e, "(") {
			return ts, p.errAt(e, "les heures variables (lever/coucher du soleil) ne sont pas prises en charge",
				"variable times (sunrise/sunset) are not supported")
		}
		return ts, p.errAt(e, fmt.Sprintf("heure de fin attendue après « %s »", sofar()),
			fmt.Sprintf("end time expected after %q", sofar()))
	}
	end, err := p.parseTime(48 * 60)
	if err != nil {
		return ts, err
	}
	if end <= start {
		end += 24 * 60 // past midnight: 22:00-02:00; 14:00-14:00 is 24 hours, as in opening_hours.js
	}
	ts.End, ts.HasEnd = end, true
	if t := p.peek(); p.isPunct(t, "-") && !t.space && p.peekAt(1).kind == tNum {
		return ts, p.errAt(t, fmt.Sprintf("trois heures dans la plage « %s-… » : une plage a un début et une fin", sofar()),
			fmt.Sprintf("three times in span %q: a span has one start and one end", sofar()+"-…"))
	}
	if t := p.peek(); p.isPunct(t, "/") {
		return ts, p.errAt(t, "les plages périodiques (« /01:00 ») ne sont pas prises en charge",
			"periodic time spans ('/01:00') are not supported")
	}
	if t := p.peek(); p.isPunct(t, "+") && !t.space {
		if ts.End >= 48*60 {
			return ts, p.errAt(t, "une fin ouverte « + » après 48:00 n'a pas de sens", "an open end '+' after 48:00 makes no sense")
		}
		p.next()
		ts.OpenEnd = true
	}
	return ts, nil
}
