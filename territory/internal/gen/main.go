// Command gen copies the French territory reference files of the shared
// data folder into territory/data, as gzip-compressed tab-separated files
// that the territory package embeds.
//
// Each CSV file is read with encoding/csv and written again with a tab
// between fields, one record a line, no quoting (the generator fails if a
// field contains a tab or a line break). Values are unchanged; rows are
// sorted by INSEE code (then postal code), SIREN or code, so that the
// loader can join them without sorting or searching; communes.csv loses its epci_nom and epci_type columns, which
// repeat epci.csv. The GeoJSON outline file is compressed as is.
//
// It also writes zones.tsv, the bounding boxes of InFrance, computed from
// the commune centroids (see zoneBoxes).
//
// Usage, from the repository root:
//
//	go run ./territory/internal/gen -src /work/shared/data/territoires -out territory/data
package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// files lists the CSV sources, the columns dropped from each and the
// columns its rows are sorted by.
var files = []struct {
	name   string
	drop   []string
	sortBy []string
}{
	{"communes.csv", []string{"epci_nom", "epci_type"}, []string{"code_insee"}},
	{"codes_postaux.csv", nil, []string{"code_insee", "code_postal"}},
	{"epci.csv", nil, []string{"siren"}},
	{"departements.csv", nil, []string{"code"}},
	{"regions.csv", nil, []string{"code"}},
}

const outlines = "departements-version-simplifiee.geojson"

func main() {
	src := flag.String("src", "/work/shared/data/territoires", "folder holding the source files")
	out := flag.String("out", "territory/data", "folder receiving the compressed copies")
	flag.Parse()
	for _, f := range files {
		tsv, rows, err := convert(filepath.Join(*src, f.name), f.drop, f.sortBy)
		if err != nil {
			log.Fatal(err)
		}
		name := strings.TrimSuffix(f.name, ".csv") + ".tsv.gz"
		n, err := writeGzip(filepath.Join(*out, name), tsv)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-28s %6d rows %9d bytes -> %8d bytes gzip\n", name, rows, len(tsv), n)
	}
	boxes, err := zoneBoxes(filepath.Join(*src, "communes.csv"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "zones.tsv"), boxes, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-28s %6d boxes\n", "zones.tsv", bytes.Count(boxes, []byte("\n"))-1)
	raw, err := os.ReadFile(filepath.Join(*src, outlines))
	if err != nil {
		log.Fatal(err)
	}
	n, err := writeGzip(filepath.Join(*out, outlines+".gz"), raw)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-28s %6s %14d bytes -> %8d bytes gzip\n", outlines+".gz", "", len(raw), n)
}

// convert reads a CSV file and returns it as tab-separated text without
// the dropped columns, sorted, with the number of data rows.
func convert(path string, drop, sortBy []string) ([]byte, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v", path, err)
	}
	var keep []int
	for i, h := range header {
		if !slices.Contains(drop, h) {
			keep = append(keep, i)
		}
	}
	var b bytes.Buffer
	write := func(rec []string) error {
		for j, i := range keep {
			if strings.ContainsAny(rec[i], "\t\r\n") {
				return fmt.Errorf("%s: field %q holds a tab or a line break", path, rec[i])
			}
			if j > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(rec[i])
		}
		b.WriteByte('\n')
		return nil
	}
	if err := write(header); err != nil {
		return nil, 0, err
	}
	var recs [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", path, err)
		}
		recs = append(recs, rec)
	}
	var keys []int
	for _, name := range sortBy {
		i := slices.Index(header, name)
		if i < 0 {
			return nil, 0, fmt.Errorf("%s: no column %q", path, name)
		}
		keys = append(keys, i)
	}
	slices.SortStableFunc(recs, func(a, b []string) int {
		for _, i := range keys {
			if c := strings.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	for _, rec := range recs {
		if err := write(rec); err != nil {
			return nil, 0, err
		}
	}
	return b.Bytes(), len(recs), nil
}

// writeGzip writes data compressed at the best level. The gzip header has
// no name and no time, so the output only depends on the input.
func writeGzip(path string, data []byte) (int, error) {
	var b bytes.Buffer
	z, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := z.Write(data); err != nil {
		return 0, err
	}
	if err := z.Close(); err != nil {
		return 0, err
	}
	return b.Len(), os.WriteFile(path, b.Bytes(), 0o644)
}

// zoneOf returns the InFrance zone of a commune's département: "metropole"
// for a two-character code, the code for the overseas territories
// InFrance covers, "" otherwise (984 TAAF, 989 Clipperton).
func zoneOf(dep string) string {
	switch {
	case len(dep) == 2:
		return "metropole"
	case slices.Contains([]string{"971", "972", "973", "974", "975", "976", "977", "978", "986", "987", "988"}, dep):
		return dep
	}
	return ""
}

// Radius of the box drawn around each commune centroid, in km: the
// distance to the nearest other centroid of the same zone (a commune
// spreads about that far in sparse areas: Guyane, atolls), at least
// minRadius and at most maxRadius; minRadius for a commune alone in its
// zone (Saint-Barthélemy, Saint-Martin).
const (
	minRadius = 15.0
	maxRadius = 150.0
)

type box struct{ minLat, minLon, maxLat, maxLon float64 }

func (a box) overlaps(b box) bool {
	return a.minLat <= b.maxLat && b.minLat <= a.maxLat && a.minLon <= b.maxLon && b.minLon <= a.maxLon
}

func (a box) union(b box) box {
	return box{min(a.minLat, b.minLat), min(a.minLon, b.minLon), max(a.maxLat, b.maxLat), max(a.maxLon, b.maxLon)}
}

type point struct{ lat, lon float64 }

// zoneBoxes computes the bounding boxes of InFrance from the commune
// centroids of communes.csv: a box of minRadius..maxRadius around each
// centroid, then overlapping boxes merged into their bounding box until no
// two boxes of a zone overlap.
func zoneBoxes(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	col := func(name string) int { return slices.Index(recs[0], name) }
	cType, cDep, cLat, cLon := col("type"), col("departement"), col("latitude"), col("longitude")
	points := map[string][]point{}
	var zones []string
	for _, r := range recs[1:] {
		z := zoneOf(r[cDep])
		if r[cType] != "commune-actuelle" || z == "" || r[cLat] == "" {
			continue
		}
		var p point
		if _, err := fmt.Sscan(r[cLat], &p.lat); err != nil {
			return nil, err
		}
		if _, err := fmt.Sscan(r[cLon], &p.lon); err != nil {
			return nil, err
		}
		if _, ok := points[z]; !ok {
			zones = append(zones, z)
		}
		points[z] = append(points[z], p)
	}
	var b bytes.Buffer
	b.WriteString("zone\tmin_lat\tmin_lon\tmax_lat\tmax_lon\n")
	for _, z := range zones {
		pts := points[z]
		// Grid of 0.25° cells: a cell is at least 17 km wide in France,
		// more than minRadius, so a neighbour within minRadius is in the
		// 3×3 cells around a point.
		cell := func(p point) [2]int { return [2]int{int(math.Floor(p.lat * 4)), int(math.Floor(p.lon * 4))} }
		grid := map[[2]int][]int{}
		for i, p := range pts {
			grid[cell(p)] = append(grid[cell(p)], i)
		}
		var boxes []box
		for i, p := range pts {
			nearest := math.Inf(1)
			c := cell(p)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					for _, j := range grid[[2]int{c[0] + dy, c[1] + dx}] {
						if j != i {
							nearest = min(nearest, haversine(p, pts[j]))
						}
					}
				}
			}
			if nearest > minRadius {
				for j, q := range pts {
					if j != i {
						nearest = min(nearest, haversine(p, q))
					}
				}
			}
			if math.IsInf(nearest, 1) { // alone in its zone: 977, 978
				nearest = minRadius
			}
			r := min(max(nearest, minRadius), maxRadius)
			dLat := r / 111.2
			dLon := r / (111.2 * math.Cos(p.lat*math.Pi/180))
			boxes = append(boxes, box{p.lat - dLat, p.lon - dLon, p.lat + dLat, p.lon + dLon})
		}
		boxes = mergeBoxes(boxes)
		for _, x := range boxes {
			fmt.Fprintf(&b, "%s\t%.3f\t%.3f\t%.3f\t%.3f\n", z,
				math.Floor(x.minLat*1000)/1000, math.Max(-180, math.Floor(x.minLon*1000)/1000),
				math.Ceil(x.maxLat*1000)/1000, math.Min(180, math.Ceil(x.maxLon*1000)/1000))
		}
	}
	return b.Bytes(), nil
}

// mergeBoxes replaces overlapping boxes by their bounding box until no two
// overlap. Boxes are first merged along a sweep by longitude, which leaves
// few boxes for the quadratic pass.
func mergeBoxes(boxes []box) []box {
	slices.SortFunc(boxes, func(a, b box) int { return cmp.Compare(a.minLon, b.minLon) })
	for changed := true; changed; {
		changed = false
		var out []box
		for _, x := range boxes {
			merged := false
			for k := len(out) - 1; k >= 0 && k >= len(out)-64; k-- {
				if out[k].overlaps(x) {
					out[k] = out[k].union(x)
					merged, changed = true, true
					break
				}
			}
			if !merged {
				out = append(out, x)
			}
		}
		boxes = out
	}
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(boxes) && !changed; i++ {
			for j := i + 1; j < len(boxes); j++ {
				if boxes[i].overlaps(boxes[j]) {
					boxes[i] = boxes[i].union(boxes[j])
					boxes = slices.Delete(boxes, j, j+1)
					changed = true
					break
				}
			}
		}
	}
	slices.SortFunc(boxes, func(a, b box) int { return cmp.Compare(a.minLat, b.minLat) })
	return boxes
}

func haversine(a, b point) float64 {
	const rad = math.Pi / 180
	dLat := (b.lat - a.lat) * rad
	dLon := (b.lon - a.lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(h))
}
