package hours

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// TestRealWorldCoverage measures, over the distinct OSM values found in the
// lieux files (weighted by occurrences), how many are valid, how many
// Repair fixes without guessing, and how many stay errors.
func TestRealWorldCoverage(t *testing.T) {
	rows := loadCorpus(t, "horaires_osm_reels_lieux.tsv", 1)
	var total, valid, repaired int
	type bad struct {
		value, msg string
		n          int
	}
	var errs []bad
	for _, r := range rows {
		total += r.count
		d := Validate(r.value)
		switch d.Level {
		case Valid:
			valid += r.count
		case Repaired:
			repaired += r.count
			// A repaired value must itself be valid and stable.
			h, err := Parse(d.Value)
			if err != nil || h.String() != d.Value {
				t.Errorf("Repair(%q) = %q, not a stable valid value (%v)", r.value, d.Value, err)
			}
		default:
			errs = append(errs, bad{r.value, d.Message, r.count})
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].n > errs[j].n })
	families := map[string]int{}
	for _, e := range errs {
		t.Logf("error ×%d %q: %s", e.n, e.value, e.msg)
		switch {
		case strings.Contains(e.msg, "heure isolée"):
			families["lone time"] += e.n
		case strings.Contains(e.msg, "trois heures"):
			families["three times in a span"] += e.n
		default:
			families["other"] += e.n
		}
	}
	t.Logf("errors by family: lone time %d, three times in a span %d, other %d occurrences",
		families["lone time"], families["three times in a span"], families["other"])
	pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
	t.Logf("%d occurrences of %d distinct values: valid %.2f %%, repaired without guessing %.2f %%, usable %.2f %%, errors %.2f %% (%d distinct)",
		total, len(rows), pct(valid), pct(repaired), pct(valid+repaired), pct(total-valid-repaired), len(errs))
	// The issue asks for 99.5 %; the values that remain are lone times and
	// spans with three times (including "9-12:15-13:30"), which cannot be
	// repaired without guessing (see CLARIFICATIONS.md), and a few typos
	// whose reading is a guess: "12:300", "Tu 30-19", "17:30:10:00-12:00",
	// day chains "Mo-Tu-Th-Fr" (a list or ranges?). This floor guards
	// against regressions.
	if got := pct(valid + repaired); got < 98.5 {
		t.Errorf("usable values %.2f %% < 98.5 %%", got)
	}
}

// frenchDayFields are the per-day columns of the sources ("h_lundi",
// "Mardi"): a text found only there is read as a FromDayColumns cell,
// where an empty cell "-" means closed.
var frenchDayFields = map[string]time.Weekday{
	"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday,
	"vendredi": time.Friday, "samedi": time.Saturday, "dimanche": time.Sunday,
}

// dayColumn returns the weekday of the column when every source of the
// text is a per-day column.
func dayColumn(sources string) (time.Weekday, bool) {
	var wd time.Weekday
	for i, src := range strings.Split(sources, "|") {
		field := strings.ToLower(src[strings.LastIndexByte(src, '#')+1:])
		d, ok := frenchDayFields[strings.TrimPrefix(field, "h_")]
		if !ok {
			return 0, false
		}
		if i == 0 {
			wd = d
		}
	}
	return wd, true
}

// osmKind sorts a value FromFrench produced into what it tells people:
// real hours, closed, an appointment-only comment, or unknown with the
// text as the comment.
func osmKind(osm string) string {
	h, err := Parse(osm)
	if err != nil {
		return "invalid"
	}
	kind := "closed"
	for _, r := range h.Rules() {
		switch {
		case len(r.Times) > 0 && r.HasComment && r.Modifier == ModNone:
			kind = "commented hours"
		case len(r.Times) > 0 || r.Always || (r.Modifier == ModNone || r.Modifier == ModOpen) && !r.HasComment:
			return "hours"
		case r.Modifier == ModUnknown && kind != "commented hours":
			kind = "unknown"
		case r.HasComment && r.Modifier != ModClosed && kind == "closed":
			kind = "appointment"
		}
	}
	return kind
}

// TestFrenchFreeTextCoverage measures how many occurrences of the French
// free-text hours turn into valid OSM, and what they became: real hours,
// closed, appointment-only comments, unknown "…" (the text says the hours
// are not known or are elsewhere), or days without hours made unknown
// ("Du lundi au vendredi", "Mo" in a "Lundi" column). The others are
// flagged and kept as they are. A text found only in per-day columns is read as a cell of
// FromDayColumns (an empty cell "-" is closed there), any other text with
// FromFrench.
func TestFrenchFreeTextCoverage(t *testing.T) {
	rows := loadCorpus(t, "horaires_texte_libre_fr.tsv", 1)
	var total, ok int
	kinds := map[string]int{}
	type miss struct {
		text string
		n    int
	}
	var misses []miss
	for _, r := range rows {
		total += r.count
		var osm string
		var good bool
		if wd, isDay := dayColumn(r.cols[2]); isDay {
			osm, good = FromDayColumns(map[time.Weekday]string{wd: r.value})
		} else {
			osm, good = FromFrench(r.value)
		}
		if !good {
			if osm != "" {
				t.Errorf("FromFrench(%q) = %q, false: a flagged text must give no value", r.value, osm)
			}
			misses = append(misses, miss{r.value, r.count})
			continue
		}
		if h, err := Parse(osm); err != nil || h.String() != osm {
			t.Errorf("FromFrench(%q) = %q, not a stable valid value: %v", r.value, osm, err)
			continue
		}
		ok += r.count
		kind := osmKind(osm)
		if w, _ := readFrench(r.value); kind == "unknown" && w.daysOnly {
			kind = "days unknown"
		}
		kinds[kind] += r.count
	}
	sort.SliceStable(misses, func(i, j int) bool { return misses[i].n > misses[j].n })
	for i, m := range misses {
		if i == 30 {
			t.Logf("… and %d more flagged texts", len(misses)-30)
			break
		}
		t.Logf("flagged ×%d %q", m.n, m.text)
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
	t.Logf("%d occurrences of %d distinct texts: %.2f %% turned into valid OSM, %.2f %% flagged and kept (%d distinct)",
		total, len(rows), pct(ok), 100-pct(ok), len(misses))
	t.Logf("of which: real hours %d (%.2f %%); hours with a comment (appointment or a qualifier such as \"une semaine sur deux\": unknown within the hours, closed outside) %d (%.2f %%); closed %d (%.2f %%); appointment-only comment, no hours %d (%.2f %%); unknown \"…\" with the text as comment %d (%.2f %%); days without hours → unknown on those days, closed on the others %d (%.2f %%)",
		kinds["hours"], pct(kinds["hours"]), kinds["commented hours"], pct(kinds["commented hours"]),
		kinds["closed"], pct(kinds["closed"]), kinds["appointment"], pct(kinds["appointment"]),
		kinds["unknown"], pct(kinds["unknown"]), kinds["days unknown"], pct(kinds["days unknown"]))
	// The issue asks for 95 %: 95.21 % is reached without inventing any
	// hours, days named without hours becoming unknown on those days (it
	// was 95.60 % before "/" and dash chains between days, appointments for
	// part of the day without hours, overlapping hours of one day and
	// "00:00 - 00:00" were flagged instead of read wrongly). What
	// stays flagged states neither days nor hours, or more than we can read
	// without guessing: empty HTML lists, descriptions ("Deux agents
	// parcourent…", "Itinérance", "Accès libre et sur rendez-vous"),
	// frequencies without days or times ("Une fois par mois"), lone times
	// ("17:30"), names of activities or places next to hours or days
	// ("Café du monde : 8h30-11h30", "Mardi à la bibliothèque de…"), days
	// with exceptions ("Tous les jours sauf le mercredi après-midi"),
	// seasons and week parities. This floor guards against regressions.
	if pct(ok) < 95.2 {
		t.Errorf("free text turned into OSM %.2f %% < 95.2 %%", pct(ok))
	}
}
