package merge

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"maillage"
	"maillage/ingest"
	"maillage/schema"
	"maillage/sources"
	"maillage/tabular"
	"maillage/territory"
)

// sharedData is the shared real data, found from the package directory.
const sharedData = "../../shared/data/"

// testNow is the fixed "today" of the decoder, so that dates stay valid.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// needShared skips when the shared real data is absent (a fresh clone).
func needShared(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sharedData + "sources_raw"); err != nil {
		t.Skip("../shared/data absent: real-data merge tests skipped")
	}
}

var (
	realOnce    sync.Once
	realRecords []maillage.Record
	realErr     error
)

// loadReal loads every valid record of every real source once, as an
// import would store them (rows without coordinates at their commune's
// centre with Precision "commune"; rows with an error left out).
func loadReal(t testing.TB) []maillage.Record {
	t.Helper()
	needShared(t)
	realOnce.Do(func() {
		for _, s := range sources.Samples {
			recs, err := loadSource(s.Source, sharedData+s.File)
			if err != nil {
				realErr = err
				return
			}
			realRecords = append(realRecords, recs...)
		}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realRecords
}

// loadSource reads one real file into records.
func loadSource(source, path string) ([]maillage.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	terr := territory.Default()
	var out []maillage.Record
	seen := map[string]bool{}
	add := func(row int, p maillage.Place, findings []maillage.Finding) {
		if schema.HasError(findings) || p.ID == "" || seen[p.ID] {
			return
		}
		prec := maillage.PrecisionExact
		if !p.HasCoordinates {
			lat, lon, ok := terr.Centroid(p.INSEECode)
			if p.INSEECode == "" || !ok {
				return
			}
			p.Latitude, p.Longitude, p.HasCoordinates = lat, lon, true
			prec = maillage.PrecisionCommune
		}
		seen[p.ID] = true
		out = append(out, maillage.Record{Source: source, ID: p.ID, Row: row, Precision: prec, Place: p})
	}
	if strings.HasPrefix(source, "schema-") {
		r, err := schema.NewReader(f, filepath.Base(path), terr, tabular.Options{})
		if err != nil {
			return nil, err
		}
		r.Decoder().Now = func() time.Time { return testNow }
		r.Decoder().LenientContacts = true
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			add(rec.Row, rec.Place, rec.Findings)
		}
		return out, nil
	}
	m, err := ingest.LoadMapping("../sources/" + source + ".yaml")
	if err != nil {
		return nil, err
	}
	r, err := tabular.NewReader(f, filepath.Base(path), m.ReaderOptions())
	if err != nil {
		return nil, err
	}
	dec := schema.NewDecoder(terr)
	dec.CheckHours = schema.CheckHours
	dec.LenientContacts = true
	dec.Now = func() time.Time { return testNow }
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var rowErr *tabular.RowError
		if err != nil && !errors.As(err, &rowErr) || rowErr != nil && rowErr.Fatal {
			return nil, err
		}
		if row == nil || rowErr != nil {
			continue
		}
		md, err := m.Map(row)
		if err != nil {
			continue
		}
		p, findings := dec.Decode(row.Number, md.Names, md.Values, md.Findings)
		add(row.Number, p, findings)
	}
	return out, nil
}

// recordIndex finds records by (source, id).
func recordIndex(recs []maillage.Record) map[RecordRef]*maillage.Record {
	idx := make(map[RecordRef]*maillage.Record, len(recs))
	for i := range recs {
		idx[RecordRef{Source: recs[i].Source, ID: recs[i].ID}] = &recs[i]
	}
	return idx
}

func TestLoadReal(t *testing.T) {
	recs := loadReal(t)
	count := map[string]int{}
	commune := map[string]int{}
	for i := range recs {
		count[recs[i].Source]++
		if recs[i].Precision == maillage.PrecisionCommune {
			commune[recs[i].Source]++
		}
	}
	var names []string
	for n := range count {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-36s %5d records, %5d at the commune's centre", n, count[n], commune[n])
	}
	t.Logf("%d records", len(recs))
}
