package hours

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sharedDir is where the shared data lives, relative to this package.
var sharedDir = filepath.Join("..", "..", "shared", "data", "opening_hours")

// corpusRow is one line of a shared TSV file: a value, its number of
// occurrences (1 when the file has no count) and the other columns.
type corpusRow struct {
	value string
	count int
	cols  []string
}

// loadCorpus reads a TSV file of the shared data, or skips the test when the
// shared data is not beside the repository.
func loadCorpus(tb testing.TB, name string, countCol int) []corpusRow {
	tb.Helper()
	path := filepath.Join(sharedDir, name)
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("shared data not found (%v): clone the shared data beside the repository to run this test", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	var rows []corpusRow
	for i, rec := range recs {
		if i == 0 {
			continue // header
		}
		row := corpusRow{value: rec[0], count: 1, cols: rec}
		if countCol > 0 {
			n, err := strconv.Atoi(rec[countCol])
			if err != nil {
				tb.Fatalf("%s line %d: count %q: %v", name, i+1, rec[countCol], err)
			}
			row.count = n
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		tb.Fatalf("%s: no rows", path)
	}
	return rows
}
