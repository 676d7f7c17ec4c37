package hours

import (
	"time"
	_ "time/tzdata" // places overseas need their zones even on machines without tzdata
)

// Status is the state of a place at an instant.
type Status uint8

// States. Closed is the zero value: what a value says when no rule applies.
const (
	Closed Status = iota
	Open
	Unknown
)

// String returns the status in English, for logs and tests.
func (s Status) String() string {
	switch s {
	case Open:
		return "open"
	case Unknown:
		return "unknown"
	}
	return "closed"
}

// State is the status at an instant with the comment of the rule that
// decided it (empty when there is none).
type State struct {
	Status  Status
	Comment string
}

// Interval is a period during which the state does not change.
type Interval struct {
	Start, End time.Time
	Status     Status
	Comment    string
}

// Context is where a value is evaluated: the place's time zone and its
// département code (for regional public holidays: "57", "971"…).
type Context struct {
	Location    *time.Location
	Departement string
}

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("hours: time zone " + name + ": " + err.Error())
	}
	return loc
}

// DefaultContext is Europe/Paris with the national list of public holidays.
func DefaultContext() Context { return Context{Location: paris} }

// Comments the evaluator gives to states it had to infer.
const (
	commentOpenEnd       = "heure de fermeture non précisée"
	commentSchoolHoliday = "vacances scolaires : dates non connues"
)

// Hours is a compiled opening_hours value, ready to be evaluated many
// times. It is safe for concurrent use.
type Hours struct {
	rules    []Rule
	ctx      Context
	eff      []effRule
	comments []string // index 0 is "no comment"
	weekly   bool     // the plan depends on the weekday only
	week     [7][]seg // per weekday (0 = Monday) when weekly
	zone     *zoneTable
	hol      *holidaySet
}

// seg is a piece of a day plan: the state up to minute end (exclusive).
type seg struct {
	end int16
	st  Status
	cmt uint16
}

// espan is a span of minutes inside one day.
type espan struct {
	from, to int
	openEnd  bool
}

// effRule is a rule as the evaluator sees it. A rule whose spans go past
// midnight gets a second, "wrapped" effRule that selects the next day.
type effRule struct {
	rule     *Rule
	wrapped  bool
	spans    []espan
	wholeDay bool
	st       Status
	cmt      uint16
	endCmt   uint16 // comment of open-end spans
	resets   bool
	fallback bool
	hasSH    bool
}

// Compile parses s (strictly, like Parse) and prepares it for evaluation in ctx.
func Compile(s string, ctx Context) (*Hours, error) {
	rules, err := parseRules(s)
	if err != nil {
		return nil, err
	}
	return compileRules(rules, ctx), nil
}

// In returns the same value evaluated in another context.
func (h *Hours) In(ctx Context) *Hours { return compileRules(h.rules, ctx) }

// Rules returns the parsed rules (a copy).
func (h *Hours) Rules() []Rule { return append([]Rule(nil), h.rules...) }

// Context returns the context the value is evaluated in.
func (h *Hours) Context() Context { return h.ctx }

func hasDate(r *Rule) bool {
	return len(r.Years) > 0 || len(r.Dates) > 0 || len(r.Weeks) > 0 || len(r.Weekdays) > 0 || len(r.Holidays) > 0
}

// guessEnd is where an open end ("18:00+") is taken to stop: the end of
// the day when it starts before 17:00, ten hours later before 22:00, eight
// hours later after. These are opening_hours.js's figures, so both agree.
func guessEnd(start int) int {
	switch {
	case start >= 22*60:
		return start + 8*60
	case start >= 17*60:
		return start + 10*60
	}
	return 24 * 60
}

func compileRules(rules []Rule, ctx Context) *Hours {
	if ctx.Location == nil {
		ctx.Location = paris
	}
	h := &Hours{rules: rules, ctx: ctx, comments: []string{""}, zone: zoneTableFor(ctx.Location), hol: holidaySetFor(ctx.Departement)}
	intern := func(s string) uint16 {
		for i, c := range h.comments {
			if c == s && i > 0 {
				return uint16(i)
			}
		}
		h.comments = append(h.comments, s)
		return uint16(len(h.comments) - 1)
	}
	weekly := true
	for i := range rules {
		r := &rules[i]
		e := effRule{rule: r, fallback: r.Sep == SepFallback}
		switch r.Modifier {
		case ModOpen:
			e.st = Open
		case ModClosed:
			e.st = Closed
		case ModUnknown:
			e.st = Unknown
		default:
			e.st = Open
			if r.HasComment {
				e.st = Unknown
			}
		}
		if r.HasComment {
			e.cmt = intern(r.Comment)
			e.endCmt = e.cmt
		} else {
			e.endCmt = intern(commentOpenEnd)
		}
		for _, hs := range r.Holidays {
			if hs.Kind == SchoolHoliday {
				e.hasSH = true
			}
		}
		if len(r.Years)+len(r.Dates)+len(r.Weeks)+len(r.Holidays) > 0 {
			weekly = false
		}
		for _, w := range r.Weekdays {
			if len(w.Nth) > 0 {
				weekly = false
			}
		}
		var wrap []espan
		add := func(from, to int, openEnd bool) {
			if from < 24*60 {
				e.spans = append(e.spans, espan{from, min(to, 24*60), openEnd})
			}
			if to > 24*60 {
				wrap = append(wrap, espan{max(from-24*60, 0), min(to-24*60, 24*60), openEnd})
			}
		}
		for _, t := range r.Times {
			switch {
			case !t.HasEnd:
				add(t.Start, guessEnd(t.Start), true)
			default:
				add(t.Start, t.End, false)
				if t.OpenEnd {
					add(t.End, guessEnd(t.End), true)
				}
			}
		}
		e.wholeDay = len(r.Times) == 0
		dated := hasDate(r)
		prevDated := len(h.eff) > 0 && hasDate(h.eff[len(h.eff)-1].rule)
		e.resets = (dated || len(h.eff) > 0 && e.st == Open && !prevDated) &&
			(e.st == Open || e.st == Unknown) && r.Sep == SepNormal
		h.eff = append(h.eff, e)
		if len(wrap) > 0 {
			w := e
			w.wrapped, w.resets, w.spans, w.wholeDay = true, false, wrap, false
			h.eff = append(h.eff, w)
		}
	}
	intern(commentSchoolHoliday)
	h.weekly = weekly
	if weekly {
		for wd := 0; wd < 7; wd++ {
			// Day 4 since the epoch (1970-01-05) is a Monday.
			h.week[wd] = h.plan(4 + wd)
		}
	}
	return h
}

// dayMatch says whether the rule's date selectors select civil day z, and
// whether the answer depends on school holidays (which we do not know).
func (h *Hours) dayMatch(r *Rule, z int) (match, uncertain bool) {
	if len(r.Years)+len(r.Dates)+len(r.Weeks) == 0 {
		return h.dayMatchWeek(r, z, 0, 0, 0, false)
	}
	y, m, d := civilFromDays(z)
	if len(r.Years) > 0 {
		ok := false
		for _, yr := range r.Years {
			if yearMatch(yr, y) {
				ok = true
				break
			}
		}
		if !ok {
			return false, false
		}
	}
	if len(r.Dates) > 0 {
		ok := false
		for _, dr := range r.Dates {
			if dateMatch(dr, z, y) {
				ok = true
				break
			}
		}
		if !ok {
			return false, false
		}
	}
	if len(r.Weeks) > 0 {
		w := isoWeek(z)
		ok := false
		for _, wr := range r.Weeks {
			if weekMatch(wr, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false, false
		}
	}
	return h.dayMatchWeek(r, z, y, m, d, true)
}

// dayMatchWeek is the weekday and holiday part of dayMatch; (y, m, d) is the
// date of z when known.
func (h *Hours) dayMatchWeek(r *Rule, z, y int, m time.Month, d int, known bool) (match, uncertain bool) {
	if len(r.Weekdays) == 0 && len(r.Holidays) == 0 {
		return true, false
	}
	wdOK := false
	for _, w := range r.Weekdays {
		if len(w.Nth) > 0 && !known {
			y, m, d = civilFromDays(z)
			known = true
		}
		if weekdayMatch(w, z, y, m, d) {
			wdOK = true
			break
		}
	}
	phOK, sh := false, false
	for _, hs := range r.Holidays {
		if hs.Kind == SchoolHoliday {
			sh = true
			continue
		}
		if h.hol.isHoliday(z-hs.Offset, h.ctx.Departement) {
			phOK = true
		}
	}
	if r.HolidayAnd {
		if len(r.Weekdays) > 0 && !wdOK {
			return false, false
		}
		if phOK {
			return true, false
		}
		return sh, sh
	}
	if wdOK || phOK {
		return true, false
	}
	return sh, sh
}

func yearMatch(yr YearRange, y int) bool {
	if yr.Plus {
		return y >= yr.From && (yr.Step <= 1 || (y-yr.From)%yr.Step == 0)
	}
	if y < yr.From || y > yr.To {
		return false
	}
	return yr.Step <= 1 || (y-yr.From)%yr.Step == 0
}

func weekMatch(wr WeekRange, w int) bool {
	if wr.From <= wr.To {
		if w < wr.From || w > wr.To {
			return false
		}
		return wr.Step <= 1 || (w-wr.From)%wr.Step == 0
	}
	if w < wr.From && w > wr.To {
		return false
	}
	return wr.Step <= 1 || ((w-wr.From)%53+53)%53%wr.Step == 0
}

// weekdayOf returns the weekday of civil day z, 0 = Monday.
func weekdayOf(z int) int { return ((z+3)%7 + 7) % 7 }

func isoWeek(z int) int {
	thu := z - weekdayOf(z) + 3
	ty, _, _ := civilFromDays(thu)
	return (thu-civilDays(ty, time.January, 1))/7 + 1
}

func daysIn(y int, m time.Month) int {
	if m == time.December {
		return 31
	}
	return civilDays(y, m+1, 1) - civilDays(y, m, 1)
}

func weekdayMatch(w WeekdayRange, z, y int, m time.Month, d int) bool {
	if len(w.Nth) == 0 {
		wd := weekdayOf(z)
		if w.From <= w.To {
			return wd >= w.From && wd <= w.To
		}
		return wd >= w.From || wd <= w.To
	}
	zz := z - w.Offset
	if weekdayOf(zz) != w.From {
		return false
	}
	if w.Offset != 0 {
		y, m, d = civilFromDays(zz)
	}
	pos := (d-1)/7 + 1
	neg := -((daysIn(y, m)-d)/7 + 1)
	for _, n := range w.Nth {
		if n.From > 0 && pos >= n.From && pos <= n.To || n.From < 0 && neg == n.From {
			return true
		}
	}
	return false
}

// pointDay resolves a date point in year y to a civil day. last asks for the
// last day of the month when no day is given.
func pointDay(p DatePoint, y int, last bool) int {
	if p.Year > 0 {
		y = p.Year
	}
	if p.Easter {
		em, ed := easter(y)
		return civilDays(y, em, ed) + p.Offset
	}
	m := time.Month(p.Month)
	switch {
	case p.Day > 0:
		return civilDays(y, m, min(p.Day, daysIn(y, m))) + p.Offset
	case last:
		return civilDays(y, m, daysIn(y, m))
	}
	return civilDays(y, m, 1)
}

func dateMatch(dr DateRange, z, y int) bool {
	if !dr.HasTo {
		f := pointDay(dr.From, y, false)
		t := f
		if dr.From.Day == 0 && !dr.From.Easter {
			t = pointDay(dr.From, y, true)
		}
		return z >= f && z <= t
	}
	if dr.From.Year > 0 {
		f := pointDay(dr.From, 0, false)
		toYear := dr.To.Year
		if toYear == 0 {
			toYear = dr.From.Year
		}
		t := pointDay(dr.To, toYear, true)
		if t < f && dr.To.Year == 0 {
			t = pointDay(dr.To, toYear+1, true)
		}
		return z >= f && z <= t && (dr.Step <= 1 || (z-f)%dr.Step == 0)
	}
	// Every year: the range may wrap over the new year (Nov-Feb).
	for _, base := range [2]int{y, y - 1} {
		f := pointDay(dr.From, base, false)
		t := pointDay(dr.To, base, true)
		if t < f {
			t = pointDay(dr.To, base+1, true)
		}
		if z >= f && z <= t && (dr.Step <= 1 || (z-f)%dr.Step == 0) {
			return true
		}
	}
	return false
}

// matching returns, for day z, the index of the first rule that counts
// (the last resetting rule that selects z) and fills ok/unc for every rule.
func (h *Hours) matching(z int, ok, unc []bool) int {
	start := 0
	for i := range h.eff {
		e := &h.eff[i]
		day := z
		if e.wrapped {
			day = z - 1
		}
		ok[i], unc[i] = h.dayMatch(e.rule, day)
		if ok[i] && e.resets && !unc[i] {
			start = i
		}
	}
	return start
}

// plan computes the segments of civil day z.
func (h *Hours) plan(z int) []seg {
	n := len(h.eff)
	var okBuf, uncBuf [16]bool
	ok, unc := okBuf[:0], uncBuf[:0]
	if n <= 16 {
		ok, unc = okBuf[:n], uncBuf[:n]
	} else {
		ok, unc = make([]bool, n), make([]bool, n)
	}
	start := h.matching(z, ok, unc)
	return h.paint(start, ok, unc)
}

// closedDay is the plan of a day no rule selects.
var closedDay = []seg{{end: 24 * 60, st: Closed}}

// paint computes the segments of a day from the rules that select it
// (ok, unc and start as matching returns them).
func (h *Hours) paint(start int, ok, unc []bool) []seg {
	n := len(h.eff)
	some := false
	for i := start; i < n; i++ {
		some = some || ok[i]
	}
	if !some {
		return closedDay
	}
	var day [24 * 60]uint32 // status<<16 | comment
	paint := func(e *effRule, from, to int, st Status, cmt uint16) {
		v := uint32(st)<<16 | uint32(cmt)
		for i := from; i < to; i++ {
			if e.fallback && Status(day[i]>>16) != Closed {
				continue
			}
			day[i] = v
		}
	}
	shCmt := uint16(len(h.comments) - 1)
	for i := start; i < n; i++ {
		if !ok[i] {
			continue
		}
		e := &h.eff[i]
		st, cmt := e.st, e.cmt
		if unc[i] {
			st, cmt = Unknown, shCmt
		}
		if e.wholeDay {
			paint(e, 0, 24*60, st, cmt)
			continue
		}
		for _, sp := range e.spans {
			s, c := st, cmt
			if sp.openEnd && s != Closed && !unc[i] {
				s, c = Unknown, e.endCmt
			}
			paint(e, sp.from, sp.to, s, c)
		}
	}
	var segs []seg
	for i := 1; i <= 24*60; i++ {
		if i == 24*60 || day[i] != day[i-1] {
			segs = append(segs, seg{end: int16(i), st: Status(day[i-1] >> 16), cmt: uint16(day[i-1])})
		}
	}
	return segs
}

// planner gives the plans of many days of a value whose plan is not
// weekly. Days whose rules match in the same way have the same plan, so it
// paints each distinct way once: scanning two years of a long value costs
// one pass of day matching per day, not one painting per day.
type planner struct {
	h       *Hours
	ok, unc []bool
	key     []byte
	memo    map[string][]seg
}

func (h *Hours) planner() *planner {
	if h.weekly {
		return &planner{h: h}
	}
	n := len(h.eff)
	return &planner{h: h, ok: make([]bool, n), unc: make([]bool, n), key: make([]byte, n+1), memo: map[string][]seg{}}
}

// plan returns the plan of civil day z.
func (p *planner) plan(z int) []seg {
	h := p.h
	if h.weekly {
		return h.week[weekdayOf(z)]
	}
	start := h.matching(z, p.ok, p.unc)
	p.key = p.key[:0]
	for i := start; i < len(p.ok); i++ {
		b := byte(0)
		if p.ok[i] {
			b = 1
			if p.unc[i] {
				b = 2
			}
		}
		p.key = append(p.key, b)
	}
	if segs, ok := p.memo[string(p.key)]; ok {
		return segs
	}
	segs := h.paint(start, p.ok, p.unc)
	p.memo[string(p.key)] = segs
	return segs
}

// stateAt returns the state at minute min of civil day z without
// building the whole plan.
func (h *Hours) stateAt(z, minute int) (Status, uint16) {
	if h.weekly {
		for _, s := range h.week[weekdayOf(z)] {
			if minute < int(s.end) {
				return s.st, s.cmt
			}
		}
		return Closed, 0
	}
	n := len(h.eff)
	var okBuf, uncBuf [16]bool
	ok, unc := okBuf[:0], uncBuf[:0]
	if n <= 16 {
		ok, unc = okBuf[:n], uncBuf[:n]
	} else {
		ok, unc = make([]bool, n), make([]bool, n)
	}
	start := h.matching(z, ok, unc)
	st, cmt := Closed, uint16(0)
	shCmt := uint16(len(h.comments) - 1)
	for i := start; i < n; i++ {
		if !ok[i] {
			continue
		}
		e := &h.eff[i]
		if e.fallback && st != Closed {
			continue
		}
		est, ecmt := e.st, e.cmt
		if unc[i] {
			est, ecmt = Unknown, shCmt
		}
		if e.wholeDay {
			st, cmt = est, ecmt
			continue
		}
		for _, sp := range e.spans {
			if minute >= sp.from && minute < sp.to {
				if e.fallback && st != Closed {
					break
				}
				s, c := est, ecmt
				if sp.openEnd && s != Closed && !unc[i] {
					s, c = Unknown, e.endCmt
				}
				st, cmt = s, c
			}
		}
	}
	return st, cmt
}

// dayPlan returns the plan of civil day z.
func (h *Hours) dayPlan(z int) []seg {
	if h.weekly {
		return h.week[weekdayOf(z)]
	}
	return h.plan(z)
}

// State returns the status at t, with the comment of the deciding rule.
func (h *Hours) State(t time.Time) State {
	st, c := h.stateAt(h.local(t))
	return State{Status: st, Comment: h.comments[c]}
}

// IsOpen says whether the place is open at t. Unknown is not open.
func (h *Hours) IsOpen(t time.Time) bool {
	st, _ := h.stateAt(h.local(t))
	return st == Open
}

// instant returns the time of minute m of civil day z in the context's zone.
func (h *Hours) instant(z, m int) time.Time {
	y, mo, d := civilFromDays(z)
	return time.Date(y, mo, d, 0, m, 0, 0, h.ctx.Location)
}

// maxScanDays bounds the search of NextChange: beyond it the state is
// considered not to change.
const maxScanDays = 2 * 366

// NextChange returns the first instant after t when the state (status or
// comment) changes, and false when it does not change within two years.
func (h *Hours) NextChange(t time.Time) (time.Time, bool) {
	z, minute := h.local(t)
	st, cmt := h.stateAt(z, minute)
	p := h.planner()
	for i := 0; i <= maxScanDays; i++ {
		start := 0
		for _, s := range p.plan(z + i) {
			segStart := start
			start = int(s.end)
			if i == 0 && int(s.end) <= minute {
				continue
			}
			if s.st != st || s.cmt != cmt {
				return h.instant(z+i, segStart), true
			}
		}
	}
	return time.Time{}, false
}

// Intervals returns the open and unknown periods between from and to,
// merged across midnight, clipped to [from, to).
func (h *Hours) Intervals(from, to time.Time) []Interval {
	if !from.Before(to) {
		return nil
	}
	z0, _ := h.local(from)
	z1, _ := h.local(to)
	var out []Interval
	p := h.planner()
	for z := z0; z <= z1; z++ {
		start := 0
		for _, s := range p.plan(z) {
			a, b := start, int(s.end)
			start = b
			if s.st == Closed {
				continue
			}
			ta, tb := h.instant(z, a), h.instant(z, b)
			if tb.Before(from) || !ta.Before(to) || !tb.After(from) {
				continue
			}
			if ta.Before(from) {
				ta = from
			}
			if tb.After(to) {
				tb = to
			}
			c := h.comments[s.cmt]
			if n := len(out); n > 0 && out[n-1].End.Equal(ta) && out[n-1].Status == s.st && out[n-1].Comment == c {
				out[n-1].End = tb
				continue
			}
			out = append(out, Interval{Start: ta, End: tb, Status: s.st, Comment: c})
		}
	}
	return out
}
