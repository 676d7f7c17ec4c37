package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"maillage"
	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

// dataDir is the shared real data, found from the package directory.
const dataDir = "../../shared/data"

// needData skips the test when the shared data is absent (a fresh clone).
func needData(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(dataDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("données réelles absentes (%s) : test sauté", p)
	}
	return p
}

// importResult is what importing one file through a mapping gives.
type importResult struct {
	read, accepted, quarantined int
	reasons                     map[string]int // "code field" of error findings -> rows
	warnings                    map[string]int // "code field" of warnings -> occurrences
	places                      []maillage.Place
	mapped                      []Mapped // for the accepted places, same order
	rejected                    []rejectedRow
	columns                     map[string]bool // union of the input field names
}

type rejectedRow struct {
	row      int
	findings []maillage.Finding
}

// testNow is the fixed "today" of the decoder, so dates stay valid.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// importFile maps and decodes every row of a file, as the import does.
func importFile(t testing.TB, m *Mapping, path string) *importResult {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := tabular.NewReader(f, filepath.Base(path), m.ReaderOptions())
	if err != nil {
		t.Fatalf("%s : %v", path, err)
	}
	dec := schema.NewDecoder(territory.Default())
	dec.CheckHours = schema.CheckHours
	dec.Now = func() time.Time { return testNow }
	res := &importResult{reasons: map[string]int{}, warnings: map[string]int{}, columns: map[string]bool{}}
	for _, h := range r.Header() {
		res.columns[h] = true
	}
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var rowErr *tabular.RowError
		if err != nil && !errors.As(err, &rowErr) || rowErr != nil && rowErr.Fatal {
			t.Fatalf("%s : %v", path, err)
		}
		res.read++
		if row == nil {
			res.quarantined++
			res.reasons["enregistrement_mal_forme"]++
			continue
		}
		for _, n := range row.Names {
			res.columns[n] = true
		}
		md, err := m.Map(row)
		if err != nil {
			t.Fatalf("ligne %d : %v", row.Number, err)
		}
		findings := md.Findings
		if rowErr != nil {
			findings = append(findings, maillage.Finding{Row: row.Number, Code: "enregistrement_mal_forme",
				Severity: maillage.SeverityWarning, Message: rowErr.Msg})
		}
		place, findings := dec.Decode(row.Number, md.Names, md.Values, findings)
		if schema.HasError(findings) {
			res.quarantined++
			seen := map[string]bool{}
			for _, f := range findings {
				if f.Severity == maillage.SeverityError {
					k := f.Code + " " + f.Field
					if !seen[k] {
						res.reasons[k]++
						seen[k] = true
					}
				}
			}
			res.rejected = append(res.rejected, rejectedRow{row: row.Number, findings: findings})
			continue
		}
		for _, f := range findings {
			res.warnings[f.Code+" "+f.Field]++
		}
		res.accepted++
		res.places = append(res.places, place)
		res.mapped = append(res.mapped, md)
	}
	return res
}

// top returns the n most frequent keys of counts, "key ×count".
func top(counts map[string]int, n int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s ×%d", k, counts[k])
	}
	return out
}

// examples returns a few error messages of quarantined rows, for the log.
func (r *importResult) examples(n int) string {
	var b strings.Builder
	for _, q := range r.rejected {
		if n == 0 {
			break
		}
		for _, f := range q.findings {
			if f.Severity == maillage.SeverityError {
				fmt.Fprintf(&b, "\n    %s (valeur « %.80s »)", schema.FormatFinding(f), f.Value)
				n--
				break
			}
		}
	}
	return b.String()
}

// place returns the accepted place with the given id.
func (r *importResult) place(id string) (*maillage.Place, *Mapped) {
	for i := range r.places {
		if r.places[i].ID == id {
			return &r.places[i], &r.mapped[i]
		}
	}
	return nil, nil
}

// placeNamed returns the first accepted place with the given name.
func (r *importResult) placeNamed(name string) (*maillage.Place, *Mapped) {
	for i := range r.places {
		if r.places[i].Name == name {
			return &r.places[i], &r.mapped[i]
		}
	}
	return nil, nil
}
