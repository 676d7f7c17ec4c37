package ingest

import (
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"maillage"
	"maillage/fold"
	"maillage/hours"
)

// hoursRule says where a source keeps its opening hours: one text column
// (French free text, or already OSM), per-day columns, or both (the days
// first, the text when the days are all empty or cannot be read).
type hoursRule struct {
	text *value
	days [7]*value // indexed by time.Weekday

	// Conversions already made: sources repeat the same hours on many
	// rows, and converting costs tens of microseconds.
	mu    sync.Mutex
	cache map[string]converted
}

type converted struct {
	osm string
	ok  bool
}

// maxHoursCache bounds the cache of conversions per mapping.
const maxHoursCache = 20_000

// convert memoises f(key).
func (h *hoursRule) convert(key string, f func() (string, bool)) (string, bool) {
	h.mu.Lock()
	r, hit := h.cache[key]
	h.mu.Unlock()
	if hit {
		return r.osm, r.ok
	}
	r.osm, r.ok = f()
	h.mu.Lock()
	if h.cache == nil {
		h.cache = make(map[string]converted)
	}
	if len(h.cache) < maxHoursCache {
		h.cache[key] = r
	}
	h.mu.Unlock()
	return r.osm, r.ok
}

// CodeHoursNotConverted is the warning for hours that cannot be turned into
// the OSM syntax without guessing: horaires is left empty and the text is
// kept in Extra["horaires_texte"].
const CodeHoursNotConverted = "horaires_non_converties"

// ExtraHoursText is the Extra key of hours kept as text.
const ExtraHoursText = "horaires_texte"

var dayNames = map[string]time.Weekday{
	"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday,
	"vendredi": time.Friday, "samedi": time.Saturday, "dimanche": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"mo": time.Monday, "tu": time.Tuesday, "we": time.Wednesday, "th": time.Thursday,
	"fr": time.Friday, "sa": time.Saturday, "su": time.Sunday,
}

var frenchDayLabel = [7]string{"Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"}

func (c *compiler) hours(n *yaml.Node) (*hoursRule, error) {
	p := c.p
	ms, err := p.members(n, "hours", []string{"text", "days"})
	if err != nil {
		return nil, err
	}
	h := &hoursRule{}
	for _, mb := range ms {
		switch mb.key {
		case "text":
			if h.text, err = c.value(mb.value, "hours.text"); err != nil {
				return nil, err
			}
		case "days":
			ds, err := p.members(mb.value, "hours.days", nil)
			if err != nil {
				return nil, err
			}
			for _, d := range ds {
				wd, ok := dayNames[fold.Key(d.key)]
				if !ok {
					return nil, p.errorf(d.keyN, "hours.days : jour inconnu « %s » (lundi … dimanche)", d.key)
				}
				if h.days[wd] != nil {
					return nil, p.errorf(d.keyN, "hours.days : %s donné deux fois", d.key)
				}
				if h.days[wd], err = c.value(d.value, "hours.days."+d.key); err != nil {
					return nil, err
				}
			}
		}
	}
	if h.text == nil && !h.hasDays() {
		return nil, p.errorf(n, "hours : text ou days est obligatoire")
	}
	return h, nil
}

func (h *hoursRule) hasDays() bool {
	for _, d := range h.days {
		if d != nil {
			return true
		}
	}
	return false
}

func (h *hoursRule) columns(set map[string]bool) {
	if h.text != nil {
		h.text.columns(set)
	}
	for _, d := range h.days {
		if d != nil {
			d.columns(set)
		}
	}
}

// eval returns the OSM value for the row, or "" with a warning and the
// original text in Extra when the hours cannot be converted.
func (h *hoursRule) eval(c *rowContext) string {
	var original []string
	if h.hasDays() {
		days := make(map[time.Weekday]string, 7)
		for wd, d := range h.days {
			if d == nil {
				continue
			}
			if s := first(d, c); s != "" {
				days[time.Weekday(wd)] = s
			}
		}
		if len(days) > 0 {
			var key strings.Builder
			key.WriteByte('d')
			for wd := range 7 {
				key.WriteString(days[time.Weekday(wd)])
				key.WriteByte(0x1e)
			}
			if osm, ok := h.convert(key.String(), func() (string, bool) { return hours.FromDayColumns(days) }); ok {
				return osm
			}
			for _, wd := range []time.Weekday{1, 2, 3, 4, 5, 6, 0} {
				if s, ok := days[wd]; ok {
					original = append(original, frenchDayLabel[wd]+" : "+s)
				}
			}
		}
	}
	if h.text != nil {
		if s := first(h.text, c); s != "" {
			if osm, ok := h.convert("t"+s, func() (string, bool) { return hoursFromText(s) }); ok {
				return osm
			}
			original = append(original, s)
		}
	}
	if len(original) == 0 {
		return ""
	}
	text := strings.Join(original, "\n")
	md := c.mapped
	if md.Extra == nil {
		md.Extra = map[string]string{}
	}
	md.Extra[ExtraHoursText] = text
	md.Findings = append(md.Findings, maillage.Finding{
		Row: c.number, Field: "horaires", Value: text, Code: CodeHoursNotConverted, Severity: maillage.SeverityWarning,
		Message: "horaires non convertibles au format OSM sans deviner : texte gardé à part (horaires_texte), horaires laissés vides",
	})
	return ""
}

// hoursFromText reads a value already valid in the OSM syntax, else French
// free text (which also reads near-OSM values such as "Mo-Fr 9h-12h"), else
// a value hours.Repair fixes. FromFrench comes before Repair on purpose:
// Repair reads a bare "Lundi - samedi" as "Mo-Sa" (open all day), where
// FromFrench keeps the days with an unknown state.
func hoursFromText(s string) (string, bool) {
	d := hours.Validate(s)
	if d.Level == hours.Valid {
		return d.Value, true
	}
	if osm, ok := hours.FromFrench(s); ok {
		return osm, true
	}
	if d.Level == hours.Repaired {
		return d.Value, true
	}
	return "", false
}
