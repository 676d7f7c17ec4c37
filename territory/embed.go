package territory

import (
	_ "embed"
	"sync"
)

//go:generate go run ./internal/gen -src /work/shared/data/territoires -out data

var (
	//go:embed data/communes.tsv.gz
	communesGz []byte
	//go:embed data/codes_postaux.tsv.gz
	postalCodesGz []byte
	//go:embed data/epci.tsv.gz
	epciGz []byte
	//go:embed data/departements.tsv.gz
	departementsGz []byte
	//go:embed data/regions.tsv.gz
	regionsGz []byte
	//go:embed data/zones.tsv
	zonesTSV string
	//go:embed data/departements-version-simplifiee.geojson.gz
	outlinesGz []byte
)

var (
	outlinesOnce sync.Once
	outlines     []byte
)

// DepartementOutlines returns the simplified outlines of the 96
// metropolitan départements (2016 boundaries, IGN GEOFLA via
// gregoiredavid/france-geojson) as a GeoJSON FeatureCollection whose
// features have "code" and "nom" properties. The web interface uses it as
// a fallback map layer. The slice is shared: do not modify it.
func DepartementOutlines() []byte {
	outlinesOnce.Do(func() {
		s, err := gunzip(outlinesGz)
		if err != nil {
			panic("territory: embedded outlines: " + err.Error())
		}
		outlines = []byte(s)
	})
	return outlines
}
