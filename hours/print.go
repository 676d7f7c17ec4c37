package hours

import (
	"fmt"
	"strings"
)

// String returns the canonical form of the value: the one-space layout of
// the OSM wiki, "off" for closed, two-digit times. Parse(h.String()) gives
// back the same rules.
func (h *Hours) String() string {
	if h == nil {
		return ""
	}
	return formatRules(h.rules)
}

func formatRules(rules []Rule) string {
	var b strings.Builder
	for i := range rules {
		r := &rules[i]
		if i > 0 {
			switch r.Sep {
			case SepNormal:
				b.WriteString("; ")
			case SepAdditional:
				b.WriteString(", ")
			case SepFallback:
				b.WriteString(" || ")
			}
		}
		writeRule(&b, r)
	}
	return b.String()
}

func writeRule(b *strings.Builder, r *Rule) {
	parts := make([]string, 0, 6)
	if r.Always {
		parts = append(parts, "24/7")
	}
	if len(r.Years) > 0 {
		var s []string
		for _, y := range r.Years {
			s = append(s, formatYear(y))
		}
		parts = append(parts, strings.Join(s, ","))
	}
	if len(r.Dates) > 0 {
		var s []string
		for _, d := range r.Dates {
			s = append(s, formatDateRange(d))
		}
		parts = append(parts, strings.Join(s, ","))
	}
	if len(r.Weeks) > 0 {
		var s []string
		for _, w := range r.Weeks {
			x := fmt.Sprintf("%02d", w.From)
			if w.To != w.From || w.Step > 0 {
				x += fmt.Sprintf("-%02d", w.To)
			}
			if w.Step > 0 {
				x += fmt.Sprintf("/%d", w.Step)
			}
			s = append(s, x)
		}
		parts = append(parts, "week "+strings.Join(s, ","))
	}
	if len(r.Holidays) > 0 || len(r.Weekdays) > 0 {
		var hs, ws []string
		for _, h := range r.Holidays {
			x := "PH"
			if h.Kind == SchoolHoliday {
				x = "SH"
			}
			hs = append(hs, x+formatOffset(h.Offset))
		}
		for _, w := range r.Weekdays {
			ws = append(ws, formatWeekday(w))
		}
		switch {
		case r.HolidayAnd:
			parts = append(parts, strings.Join(hs, ","), strings.Join(ws, ","))
		default:
			parts = append(parts, strings.Join(append(hs, ws...), ","))
		}
	}
	if len(r.Times) > 0 {
		var s []string
		for _, t := range r.Times {
			s = append(s, formatSpan(t))
		}
		parts = append(parts, strings.Join(s, ","))
	}
	switch r.Modifier {
	case ModOpen:
		parts = append(parts, "open")
	case ModClosed:
		parts = append(parts, "off")
	case ModUnknown:
		parts = append(parts, "unknown")
	}
	if r.HasComment {
		parts = append(parts, `"`+r.Comment+`"`)
	}
	b.WriteString(strings.Join(parts, " "))
}

func formatOffset(n int) string {
	switch {
	case n == 1:
		return " +1 day"
	case n == -1:
		return " -1 day"
	case n > 0:
		return fmt.Sprintf(" +%d days", n)
	case n < 0:
		return fmt.Sprintf(" -%d days", -n)
	}
	return ""
}

func formatYear(y YearRange) string {
	s := fmt.Sprintf("%04d", y.From)
	switch {
	case y.Plus && y.Step > 0:
		s += fmt.Sprintf("/%d", y.Step)
	case y.Plus:
		s += "+"
	case y.To != y.From || y.Step > 0:
		s += fmt.Sprintf("-%04d", y.To)
		if y.Step > 0 {
			s += fmt.Sprintf("/%d", y.Step)
		}
	}
	return s
}

func formatDatePoint(d DatePoint) string {
	var s string
	if d.Year > 0 {
		s = fmt.Sprintf("%04d ", d.Year)
	}
	if d.Easter {
		s += "easter"
	} else {
		s += monthNames[d.Month]
		if d.Day > 0 {
			s += fmt.Sprintf(" %02d", d.Day)
		}
	}
	return s + formatOffset(d.Offset)
}

func formatDateRange(d DateRange) string {
	s := formatDatePoint(d.From)
	if !d.HasTo {
		return s
	}
	if d.To.Year == 0 && !d.To.Easter && !d.From.Easter && d.From.Day > 0 && d.To.Month == d.From.Month && d.From.Offset == 0 {
		s += fmt.Sprintf("-%02d", d.To.Day) + formatOffset(d.To.Offset)
		if d.Step > 0 {
			s += fmt.Sprintf("/%d", d.Step)
		}
		return s
	}
	return s + "-" + formatDatePoint(d.To)
}

func formatWeekday(w WeekdayRange) string {
	s := weekdayNames[w.From]
	if len(w.Nth) > 0 {
		var n []string
		for _, r := range w.Nth {
			if r.To != r.From {
				n = append(n, fmt.Sprintf("%d-%d", r.From, r.To))
			} else {
				n = append(n, fmt.Sprintf("%d", r.From))
			}
		}
		return s + "[" + strings.Join(n, ",") + "]" + formatOffset(w.Offset)
	}
	if w.To != w.From {
		s += "-" + weekdayNames[w.To]
	}
	return s
}

func formatClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func formatSpan(t TimeSpan) string {
	s := formatClock(t.Start)
	if t.HasEnd {
		end := t.End
		if end > 24*60 && end-24*60 <= t.Start {
			end -= 24 * 60
		}
		s += "-" + formatClock(end)
	}
	if t.OpenEnd {
		s += "+"
	}
	return s
}
