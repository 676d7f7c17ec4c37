package datainclusion

import (
	"testing"

	"maillage"
	"maillage/internal/fixture"
)

// sharedData is the project's shared real data, from the package directory.
const sharedData = "../../shared/data/"

// realConsolidated returns the real places of ../shared/data/lieux_schema,
// consolidated (fixture.SchemaPlaces), or skips when they are absent.
func realConsolidated(t testing.TB) []maillage.Consolidated {
	t.Helper()
	places, ok, err := fixture.SchemaPlaces(sharedData)
	if !ok {
		t.Skip("../shared/data/lieux_schema absent: real-data data·inclusion tests skipped")
	}
	if err != nil {
		t.Fatal(err)
	}
	return places
}
