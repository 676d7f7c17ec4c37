package hours

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

var oracleDir = filepath.Join("testdata", "oracle")

// oracleRun sends a request to the opening_hours.js oracle and decodes its
// answer into out, or skips the test when node or the oracle is missing.
func oracleRun(tb testing.TB, req map[string]any, out any) {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tb.Skip("node not found: install Node.js, then run `npm ci --prefix hours/testdata/oracle` to enable the opening_hours.js differential tests")
	}
	if _, err := os.Stat(filepath.Join(oracleDir, "node_modules", "opening_hours")); err != nil {
		tb.Skip("opening_hours.js oracle not installed: run `npm ci --prefix hours/testdata/oracle` from the repository root")
	}
	body, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(node, "oracle.js")
	cmd.Dir = oracleDir
	cmd.Env = append(os.Environ(), "TZ=Europe/Paris")
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		tb.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		tb.Fatalf("oracle answer: %v", err)
	}
}

type oracleState struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	States string `json:"states"`
}

// differentialInstants returns n instants spread over 2024 in Europe/Paris,
// 7 h 19 min apart so that they fall at every time of day and every weekday.
func differentialInstants(n int) []time.Time {
	start := time.Date(2024, 1, 1, 0, 7, 0, 0, paris)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * 439 * time.Minute)
	}
	return out
}

func statusLetter(s Status) byte {
	switch s {
	case Open:
		return 'o'
	case Unknown:
		return 'u'
	}
	return 'c'
}

// TestDifferentialOpeningHoursJS compares our evaluation with
// opening_hours.js on every real value both accept, at 1,200 instants over
// 2024 (Europe/Paris, French public holidays).
func TestDifferentialOpeningHoursJS(t *testing.T) {
	rows := loadCorpus(t, "horaires_osm_reels_lieux.tsv", 1)
	instants := differentialInstants(1200)
	ms := make([]int64, len(instants))
	for i, in := range instants {
		ms[i] = in.UnixMilli()
	}
	var values []string
	var counts []int
	for _, r := range rows {
		values = append(values, r.value)
		counts = append(counts, r.count)
	}
	// Grammar the real values do not use yet: monthday lists.
	for _, v := range []string{
		"Jan 01,03,09,21,31 10:00-12:00",
		"Jan 01,Dec 11,15-17,19-23/2,24,25 10:00-18:00",
		"Mo-Fr 09:00-18:00; Dec 24,26,28-31 09:00-12:00; Jan 01,02 off",
		"Feb 05,12-14,29 08:00-12:00",
		"2024 Feb 05,2024 Feb 12-14 08:00-12:00",
	} {
		values = append(values, v)
		counts = append(counts, 1)
	}
	var res []oracleState
	oracleRun(t, map[string]any{"mode": "states", "values": values, "instants": ms}, &res)
	if len(res) != len(values) {
		t.Fatalf("oracle returned %d answers for %d values", len(res), len(values))
	}
	var both, onlyUs, onlyJS, neither int
	var total, agree, openClosedTotal, openClosedAgree int
	var weighted, weightedAgree float64
	type diff struct {
		value string
		n     int
		first string
	}
	var diffs []diff
	var onlyUsList []string
	for i, v := range values {
		h, err := Parse(v)
		switch {
		case err != nil && !res[i].OK:
			neither++
			continue
		case err != nil:
			onlyJS++
			continue
		case !res[i].OK:
			onlyUs++
			onlyUsList = append(onlyUsList, fmt.Sprintf("%q: %s", v, res[i].Error))
			continue
		}
		both++
		nd := 0
		first := ""
		for k, in := range instants {
			ours := statusLetter(h.State(in).Status)
			theirs := res[i].States[k]
			total++
			weighted += float64(counts[i])
			// Open/closed agreement: unknown counts as "not open" on both sides.
			if (ours == 'o') == (theirs == 'o') {
				openClosedAgree++
			}
			openClosedTotal++
			if ours == theirs {
				agree++
				weightedAgree += float64(counts[i])
			} else {
				if nd == 0 {
					first = fmt.Sprintf("%s: ours %c, opening_hours.js %c", in.Format("Mon 2006-01-02 15:04"), ours, theirs)
				}
				nd++
			}
		}
		if nd > 0 {
			diffs = append(diffs, diff{v, nd, first})
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].n > diffs[j].n })
	for _, d := range diffs {
		t.Logf("disagreement on %q at %d instants (first %s)", d.value, d.n, d.first)
	}
	for _, s := range onlyUsList {
		t.Logf("accepted by us, rejected by opening_hours.js: %s", s)
	}
	ocRate := 100 * float64(openClosedAgree) / float64(openClosedTotal)
	t.Logf("values: %d accepted by both, %d only by us, %d only by opening_hours.js, %d by neither", both, onlyUs, onlyJS, neither)
	t.Logf("open/closed agreement: %d/%d instants = %.3f %%; open/closed/unknown agreement %.3f %% (weighted by occurrences %.3f %%); %d values with a disagreement",
		openClosedAgree, openClosedTotal, ocRate, 100*float64(agree)/float64(total), 100*weightedAgree/weighted, len(diffs))
	if ocRate < 99.9 {
		t.Errorf("open/closed agreement with opening_hours.js %.3f %% < 99.9 %%", ocRate)
	}
	if len(onlyUsList) > 0 {
		t.Errorf("%d values accepted by us but rejected by opening_hours.js:\n%s", len(onlyUsList), strings.Join(onlyUsList, "\n"))
	}
}
