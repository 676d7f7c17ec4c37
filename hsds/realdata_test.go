package hsds

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
		t.Skip("../shared/data/lieux_schema absent: real-data HSDS tests skipped")
	}
	if err != nil {
		t.Fatal(err)
	}
	return places
}

func TestRealPlacesValidateAgainstHSDS(t *testing.T) {
	places := realConsolidated(t)
	if len(places) < 1000 {
		t.Fatalf("only %d consolidated places", len(places))
	}
	var withHours, weekly, siret, failures int
	ids := map[string]bool{}
	for i := range places {
		c := &places[i]
		svc := ServiceOf(c)
		sal := ServiceAtLocationOf(c)
		if ids[svc.ID] {
			t.Fatalf("service id %s twice", svc.ID)
		}
		ids[svc.ID] = true
		for _, check := range []struct {
			name string
			v    any
		}{{"compiled/service.json", svc}, {"compiled/service_at_location.json", sal}} {
			if err := validateErr(t, check.name, check.v); err != nil {
				failures++
				if failures <= 5 {
					t.Errorf("%s %s: %v", c.Place.ID, check.name, err)
				}
			}
		}
		if c.Place.OpeningHours != "" {
			withHours++
			if len(svc.Schedules) > 0 && svc.Schedules[0].Freq == "WEEKLY" {
				weekly++
			}
		}
		if len(svc.Organization.OrganizationIdentifiers) > 0 {
			siret++
		}
	}
	if failures > 0 {
		t.Errorf("%d objects of %d places fail the HSDS schemas", failures, len(places))
	}
	t.Logf("%d places: %d with hours, %d of them as weekly schedules; %d with an official identifier",
		len(places), withHours, weekly, siret)
}
