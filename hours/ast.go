package hours

// This file holds the syntax tree of an opening_hours value: what Parse
// produces and what String prints back.

// Separator is what joins a rule to the one before it.
type Separator uint8

// The three rule separators of the OSM grammar.
const (
	SepNormal     Separator = iota // "; ": the rule overrides earlier rules on the days it selects
	SepAdditional                  // ", ": the rule adds to earlier rules without overriding them
	SepFallback                    // " || ": the rule applies only where nothing else said open or unknown
)

// Modifier is the explicit state written at the end of a rule, if any.
type Modifier uint8

// Rule modifiers. "off" and "closed" are the same modifier (printed "off").
const (
	ModNone Modifier = iota
	ModOpen
	ModClosed
	ModUnknown
)

// Rule is one rule of a value: its selectors, then its state and comment.
// An empty selector list means "no constraint" on that dimension.
type Rule struct {
	Sep        Separator      // how the rule is joined to the previous one (SepNormal for the first)
	Always     bool           // written "24/7"
	Years      []YearRange    // 2024, 2024-2026, 2020-2030/2, 2024+
	Dates      []DateRange    // Jan-Mar, Dec 24-26, 2024 Dec 24-2025 Jan 02, easter
	Weeks      []WeekRange    // week 01-53/2
	Holidays   []HolidaySel   // PH, SH, PH +1 day
	HolidayAnd bool           // "SH Mo-Fr": holidays AND weekdays instead of OR
	Weekdays   []WeekdayRange // Mo-Fr, Sa[1], Su[-1]
	Times      []TimeSpan     // 09:00-12:00, 22:00-02:00, 18:00+
	Modifier   Modifier       // open / off / unknown, or none
	Comment    string         // text between double quotes, without them
	HasComment bool           // a comment was written (possibly empty)
}

// YearRange selects years From..To (To == From for a single year), every
// Step years; Plus means "From and every later year" (every Step years when
// Step is set, as in 2055/2).
type YearRange struct {
	From, To int
	Step     int
	Plus     bool
}

// DatePoint is one end of a date range: a month and optional day, optionally
// in a given year, or Easter Sunday; Offset shifts it by whole days.
type DatePoint struct {
	Year   int  // 0 when not written
	Month  int  // 1..12; 0 for easter
	Day    int  // 1..31; 0 for "the whole month"
	Easter bool // the variable date "easter"
	Offset int  // "+2 days", "-1 day"
}

// DateRange selects days From..To (inclusive), wrapping over the new year
// when To is before From. HasTo is false for a single month or date.
type DateRange struct {
	From  DatePoint
	To    DatePoint
	HasTo bool
	Step  int // Jan 01-31/8: every 8th day from the first
}

// WeekRange selects ISO weeks From..To, every Step weeks.
type WeekRange struct {
	From, To int
	Step     int
}

// HolidayKind is PH (public holidays) or SH (school holidays).
type HolidayKind uint8

// Holiday kinds.
const (
	PublicHoliday HolidayKind = iota
	SchoolHoliday
)

// HolidaySel selects public or school holidays, shifted by Offset days.
type HolidaySel struct {
	Kind   HolidayKind
	Offset int
}

// NthRange selects the From-th to To-th occurrence of a weekday in the month
// (1..5, or -1..-5 counting from the end).
type NthRange struct {
	From, To int
}

// WeekdayRange selects weekdays From..To (0 = Monday … 6 = Sunday, wrapping
// as in Sa-Mo). With Nth, only the listed occurrences in the month, shifted by
// Offset days.
type WeekdayRange struct {
	From, To int
	Nth      []NthRange
	Offset   int
}

// TimeSpan is a span of minutes from the start of the day. End may go past
// 24:00 (up to 48:00) for spans past midnight. HasEnd is false for "18:00+";
// OpenEnd is true when a "+" was written.
type TimeSpan struct {
	Start   int
	End     int
	HasEnd  bool
	OpenEnd bool
}
