package datainclusion

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"maillage"
	"maillage/merge"
	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

// sharedData is the project's shared real data, from the package directory.
const sharedData = "../../shared/data/"

var (
	realOnce   sync.Once
	realPlaces []maillage.Consolidated
	realErr    error
)

// realConsolidated reads every file of ../shared/data/lieux_schema (files
// already in the national schema), keeps the rows without error, puts rows
// without coordinates at their commune's centre as an import does, and
// consolidates them with merge.Clusters and merge.Consolidate. It skips
// when the shared data is absent.
func realConsolidated(t testing.TB) []maillage.Consolidated {
	t.Helper()
	files, _ := filepath.Glob(sharedData + "lieux_schema/*.json")
	if len(files) == 0 {
		t.Skip("../shared/data/lieux_schema absent: real-data data·inclusion tests skipped")
	}
	realOnce.Do(func() {
		terr := territory.Default()
		now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		var recs []maillage.Record
		for _, f := range files {
			source := "schema-" + filepath.Base(f)
			if err := readSchemaFile(f, source, terr, now, &recs); err != nil {
				realErr = err
				return
			}
		}
		for _, c := range merge.Clusters(recs, nil, merge.DefaultOptions()) {
			realPlaces = append(realPlaces, merge.Consolidate(c, nil))
		}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realPlaces
}

func readSchemaFile(path, source string, terr *territory.Data, now time.Time, out *[]maillage.Record) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := schema.NewReader(f, filepath.Base(path), terr, tabular.Options{})
	if err != nil {
		return err
	}
	r.Decoder().Now = func() time.Time { return now }
	r.Decoder().LenientContacts = true
	seen := map[string]bool{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		p := rec.Place
		if schema.HasError(rec.Findings) || p.ID == "" || seen[p.ID] {
			continue
		}
		prec := maillage.PrecisionExact
		if !p.HasCoordinates {
			lat, lon, ok := terr.Centroid(p.INSEECode)
			if !ok {
				continue
			}
			p.Latitude, p.Longitude, p.HasCoordinates = lat, lon, true
			prec = maillage.PrecisionCommune
		}
		seen[p.ID] = true
		*out = append(*out, maillage.Record{Source: source, ID: p.ID, Row: rec.Row, Precision: prec, Place: p})
	}
}
