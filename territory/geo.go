package territory

import (
	"math"
	"strconv"
	"strings"
	"sync"
)

// earthRadiusKm is the mean Earth radius (IUGG).
const earthRadiusKm = 6371.0088

// Distance returns the great-circle distance in kilometres between two
// points given in degrees (haversine formula on a sphere, within 0.5 % of
// the ellipsoidal distance).
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	sLat, sLon := math.Sin(dLat/2), math.Sin(dLon/2)
	h := sLat*sLat + math.Cos(lat1*rad)*math.Cos(lat2*rad)*sLon*sLon
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// zoneBox is a bounding box of InFrance.
type zoneBox struct {
	zone                           string
	minLat, minLon, maxLat, maxLon float64
}

var (
	boxesOnce sync.Once
	boxes     []zoneBox
)

// InFrance reports whether a point lies in metropolitan France (Corse
// included; zone "metropole") or in an overseas département or
// collectivité (zone "971", "972", "973", "974", "975", "976", "977",
// "978", "986", "987" or "988").
//
// It is a sanity check for coordinates (swapped latitude and longitude,
// zeros, points in the wrong hemisphere), not a border test: the zones are
// bounding boxes computed by the generator from the commune centroids,
// each centroid widened by the distance to its nearest neighbour (15 to
// 150 km), overlapping boxes merged. So points of neighbouring countries
// and of the sea near the coast are accepted, and Saint-Martin's box
// holds the Dutch part of the island. The TAAF (984) and Clipperton (989)
// are not covered, nor are islands without a commune centroid near them
// (Chesterfield islands of New Caledonia).
func InFrance(lat, lon float64) (zone string, ok bool) {
	boxesOnce.Do(parseZones)
	for i := range boxes {
		b := &boxes[i]
		if b.minLat <= lat && lat <= b.maxLat && b.minLon <= lon && lon <= b.maxLon {
			return b.zone, true
		}
	}
	return "", false
}

func parseZones() {
	err := readTable("zones", zonesTSV, []string{"zone", "min_lat", "min_lon", "max_lat", "max_lon"}, func(f []string) error {
		b := zoneBox{zone: strings.Clone(f[0])}
		for i, p := range []*float64{&b.minLat, &b.minLon, &b.maxLat, &b.maxLon} {
			v, err := strconv.ParseFloat(f[i+1], 64)
			if err != nil {
				return err
			}
			*p = v
		}
		boxes = append(boxes, b)
		return nil
	})
	if err != nil {
		panic("territory: embedded zones: " + err.Error())
	}
}
