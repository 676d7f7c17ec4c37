package ingest

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"maillage"
)

// coordinates says where a source keeps its coordinates. The methods given
// are tried in this order, the first that yields a point wins: latitude and
// longitude columns, a "lat, lon" point column, Lambert-93 x/y columns, the
// record's geometry.
type coordinates struct {
	lat, lon  *value
	point     *value
	lonFirst  bool // the point column is "lon, lat"
	x, y      *value
	geometry  bool   // use the GeoJSON geometry (or a JSON member, below)
	geoMember string // JSON member holding a GeoJSON geometry; "" for Row.Geometry
}

// CodeGeometryCentre is the warning for coordinates taken from the centre of
// a geometry that is not a point.
const CodeGeometryCentre = "coordonnees_centre_geometrie"

func (c *compiler) coordinates(n *yaml.Node) (*coordinates, error) {
	p := c.p
	ms, err := p.members(n, "coordinates", []string{"latitude", "longitude", "point", "order", "lambert93", "geometry"})
	if err != nil {
		return nil, err
	}
	co := &coordinates{}
	for _, mb := range ms {
		what := "coordinates." + mb.key
		switch mb.key {
		case "latitude":
			co.lat, err = c.value(mb.value, what)
		case "longitude":
			co.lon, err = c.value(mb.value, what)
		case "point":
			co.point, err = c.value(mb.value, what)
		case "order":
			var s string
			if s, err = p.scalar(mb.value, what); err != nil {
				return nil, err
			}
			switch strings.ReplaceAll(strings.ToLower(s), " ", "") {
			case "lat,lon", "latlon", "lat/lon":
				co.lonFirst = false
			case "lon,lat", "lonlat", "lon/lat":
				co.lonFirst = true
			default:
				return nil, p.errorf(mb.value, "%s : « lat,lon » ou « lon,lat » attendu", what)
			}
		case "lambert93":
			xy, err := p.members(mb.value, what, []string{"x", "y"})
			if err != nil {
				return nil, err
			}
			for _, e := range xy {
				v, err := c.value(e.value, what+"."+e.key)
				if err != nil {
					return nil, err
				}
				if e.key == "x" {
					co.x = v
				} else {
					co.y = v
				}
			}
			if co.x == nil || co.y == nil {
				return nil, p.errorf(mb.value, "%s : x et y sont obligatoires", what)
			}
		case "geometry":
			var s string
			if s, err = p.scalar(mb.value, what); err != nil {
				return nil, err
			}
			switch strings.ToLower(s) {
			case "true", "yes", "oui":
				co.geometry = true
			case "false", "no", "non", "":
			default:
				co.geometry, co.geoMember = true, s
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if (co.lat == nil) != (co.lon == nil) {
		return nil, p.errorf(n, "coordinates : latitude et longitude vont ensemble")
	}
	if co.lat == nil && co.point == nil && co.x == nil && !co.geometry {
		return nil, p.errorf(n, "coordinates : donnez latitude/longitude, point, lambert93 ou geometry")
	}
	return co, nil
}

func (co *coordinates) columns(set map[string]bool) {
	for _, v := range []*value{co.lat, co.lon, co.point, co.x, co.y} {
		if v != nil {
			v.columns(set)
		}
	}
}

// first returns the first value of a rule for the row.
func first(v *value, c *rowContext) string {
	var buf [2]string
	vals := v.eval(c, buf[:0])
	if len(vals) == 0 {
		return ""
	}
	return vals[0]
}

// eval returns the latitude and longitude texts for the row, "" when the
// row has none.
func (co *coordinates) eval(c *rowContext, raw rawRecord) (lat, lon string) {
	if co.lat != nil {
		lat, lon = first(co.lat, c), first(co.lon, c)
		if lat != "" || lon != "" {
			return lat, lon
		}
	}
	if co.point != nil {
		if s := first(co.point, c); s != "" {
			a, b, ok := splitPoint(s)
			if !ok {
				// Hand the text to the validator, which names the fault.
				return s, s
			}
			if co.lonFirst {
				a, b = b, a
			}
			return a, b
		}
	}
	if co.x != nil {
		xs, ys := first(co.x, c), first(co.y, c)
		if xs != "" || ys != "" {
			x, errX := parseNumber(xs)
			y, errY := parseNumber(ys)
			if errX != nil || errY != nil {
				return xs, ys // not numbers: the validator reports them
			}
			la, lo := Lambert93ToWGS84(x, y)
			return formatDegrees(la), formatDegrees(lo)
		}
	}
	if co.geometry {
		g := raw.geometry
		if co.geoMember != "" {
			g = raw.member(co.geoMember)
		}
		if len(g) > 0 {
			la, lo, kind, ok := geometryPoint(g)
			if ok {
				if kind != "Point" {
					c.mapped.Findings = append(c.mapped.Findings, maillage.Finding{
						Row: c.number, Field: "latitude", Value: kind, Code: CodeGeometryCentre, Severity: maillage.SeverityWarning,
						Message: "géométrie de type " + kind + " : le lieu est placé en son centre",
					})
				}
				return formatDegrees(la), formatDegrees(lo)
			}
		}
	}
	return "", ""
}

// splitPoint cuts "lat, lon", "lat;lon", "lat lon" or "(lat, lon)".
func splitPoint(s string) (a, b string, ok bool) {
	s = strings.Trim(strings.TrimSpace(s), "()[]")
	for _, sep := range []string{";", ", ", ",", " "} {
		if i := strings.Index(s, sep); i > 0 {
			a, b = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):])
			if sep == "," && strings.Count(s, ",") != 1 {
				continue // "48,85,2,35": decimal commas, ambiguous
			}
			if _, err := parseNumber(a); err != nil {
				continue
			}
			if _, err := parseNumber(b); err != nil {
				continue
			}
			return a, b, true
		}
	}
	return "", "", false
}

// parseNumber reads a decimal number written with a dot or a decimal comma,
// possibly with spaces as thousands separators.
func parseNumber(s string) (float64, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, s)
	if strings.IndexByte(s, ',') >= 0 && strings.IndexByte(s, '.') < 0 {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return 0, strconv.ErrSyntax
	}
	return f, err
}

func formatDegrees(f float64) string {
	return strconv.FormatFloat(f, 'f', 7, 64)
}

// geometryPoint returns a point for a GeoJSON geometry: the point itself, or
// the centre of any other geometry (area-weighted centroid of polygons,
// mean of the vertices of lines and multipoints). kind is the geometry type.
func geometryPoint(g []byte) (lat, lon float64, kind string, ok bool) {
	var geom struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if json.Unmarshal(g, &geom) != nil {
		return 0, 0, "", false
	}
	kind = geom.Type
	var pts [][]float64
	switch geom.Type {
	case "Point":
		var p []float64
		if json.Unmarshal(geom.Coordinates, &p) != nil || len(p) < 2 {
			return 0, 0, kind, false
		}
		return finite(p[1], p[0], kind)
	case "MultiPoint", "LineString":
		if json.Unmarshal(geom.Coordinates, &pts) != nil {
			return 0, 0, kind, false
		}
	case "MultiLineString":
		var lines [][][]float64
		if json.Unmarshal(geom.Coordinates, &lines) != nil {
			return 0, 0, kind, false
		}
		for _, l := range lines {
			pts = append(pts, l...)
		}
	case "Polygon":
		var rings [][][]float64
		if json.Unmarshal(geom.Coordinates, &rings) != nil || len(rings) == 0 {
			return 0, 0, kind, false
		}
		if la, lo, ok := ringCentroid(rings[0]); ok {
			return finite(la, lo, kind)
		}
		pts = rings[0]
	case "MultiPolygon":
		var polys [][][][]float64
		if json.Unmarshal(geom.Coordinates, &polys) != nil {
			return 0, 0, kind, false
		}
		var sx, sy, sa float64
		for _, poly := range polys {
			if len(poly) == 0 {
				continue
			}
			a, cx, cy := ringMoments(poly[0])
			sx, sy, sa = sx+cx, sy+cy, sa+a
			pts = append(pts, poly[0]...)
		}
		if sa != 0 {
			return finite(sy/(3*sa), sx/(3*sa), kind)
		}
	default:
		return 0, 0, kind, false
	}
	var sx, sy float64
	n := 0
	for _, p := range pts {
		if len(p) >= 2 {
			sx, sy = sx+p[0], sy+p[1]
			n++
		}
	}
	if n == 0 {
		return 0, 0, kind, false
	}
	return finite(sy/float64(n), sx/float64(n), kind)
}

func finite(lat, lon float64, kind string) (float64, float64, string, bool) {
	if math.IsNaN(lat) || math.IsInf(lat, 0) || math.IsNaN(lon) || math.IsInf(lon, 0) {
		return 0, 0, kind, false
	}
	return lat, lon, kind, true
}

// ringMoments returns twice the signed area of a ring and the sums used for
// its centroid (shoelace formula), in degrees: fine at a place's scale.
func ringMoments(ring [][]float64) (a2, cx, cy float64) {
	for i := 0; i+1 < len(ring); i++ {
		p, q := ring[i], ring[i+1]
		if len(p) < 2 || len(q) < 2 {
			continue
		}
		cross := p[0]*q[1] - q[0]*p[1]
		a2 += cross
		cx += (p[0] + q[0]) * cross
		cy += (p[1] + q[1]) * cross
	}
	return a2, cx, cy
}

func ringCentroid(ring [][]float64) (lat, lon float64, ok bool) {
	a2, cx, cy := ringMoments(ring)
	if a2 == 0 {
		return 0, 0, false
	}
	return cy / (3 * a2), cx / (3 * a2), true
}

// Lambert-93 (EPSG:2154): Lambert conformal conic with two standard
// parallels on the GRS80 ellipsoid, as published by IGN. RGF93, its datum,
// and WGS84 differ by less than a metre, far below what a place needs.
const (
	l93A    = 6378137.0            // GRS80 semi-major axis, metres
	l93F    = 1 / 298.257222101    // GRS80 flattening
	l93Lat0 = 46.5 * math.Pi / 180 // latitude of origin
	l93Lon0 = 3.0 * math.Pi / 180  // central meridian
	l93Lat1 = 44.0 * math.Pi / 180 // standard parallels
	l93Lat2 = 49.0 * math.Pi / 180
	l93X0   = 700000.0 // false easting
	l93Y0   = 6600000.0
)

// l93 holds the constants of the projection derived from the parameters.
var l93 = func() (c struct{ e, n, f, rho0 float64 }) {
	e := math.Sqrt(l93F * (2 - l93F))
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-e*e*s*s) }
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-e*s)/(1+e*s), e/2)
	}
	m1, m2 := m(l93Lat1), m(l93Lat2)
	t0, t1, t2 := t(l93Lat0), t(l93Lat1), t(l93Lat2)
	c.e = e
	c.n = (math.Log(m1) - math.Log(m2)) / (math.Log(t1) - math.Log(t2))
	c.f = m1 / (c.n * math.Pow(t1, c.n))
	c.rho0 = l93A * c.f * math.Pow(t0, c.n)
	return c
}()

// Lambert93ToWGS84 converts Lambert-93 coordinates (metres) to latitude and
// longitude in degrees (the inverse Lambert conformal conic projection,
// latitude found by fixed-point iteration).
func Lambert93ToWGS84(x, y float64) (lat, lon float64) {
	dx := x - l93X0
	dy := l93.rho0 - (y - l93Y0)
	rho := math.Hypot(dx, dy) // n > 0
	theta := math.Atan2(dx, dy)
	t := math.Pow(rho/(l93A*l93.f), 1/l93.n)
	e := l93.e
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 15 {
		s := math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-e*s)/(1+e*s), e/2))
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	return phi * 180 / math.Pi, (theta/l93.n + l93Lon0) * 180 / math.Pi
}

// WGS84ToLambert93 is the forward projection, the inverse of
// Lambert93ToWGS84.
func WGS84ToLambert93(lat, lon float64) (x, y float64) {
	phi, lam := lat*math.Pi/180, lon*math.Pi/180
	e := l93.e
	s := math.Sin(phi)
	t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-e*s)/(1+e*s), e/2)
	rho := l93A * l93.f * math.Pow(t, l93.n)
	theta := l93.n * (lam - l93Lon0)
	return l93X0 + rho*math.Sin(theta), l93Y0 + l93.rho0 - rho*math.Cos(theta)
}

// rawRecord gives access to the JSON record of a row, for geometries.
type rawRecord struct {
	geometry []byte
	raw      []byte
}

// member returns a top-level member of the record: a JSON object as is, or
// the text of a JSON string holding one.
func (r rawRecord) member(name string) []byte {
	if len(r.raw) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(r.raw, &obj) != nil {
		return nil
	}
	v := obj[name]
	if len(v) > 0 && v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return nil
		}
		return []byte(s)
	}
	return v
}
