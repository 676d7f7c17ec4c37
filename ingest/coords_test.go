package ingest

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"testing"

	"maillage/tabular"
	"maillage/territory"
)

// metres between two points, for the projection tests.
func metres(lat1, lon1, lat2, lon2 float64) float64 {
	return territory.Distance(lat1, lon1, lat2, lon2) * 1000
}

func TestLambert93ToWGS84(t *testing.T) {
	tests := []struct {
		name     string
		x, y     float64
		lat, lon float64
		within   float64 // metres
	}{
		// Reference value of PROJ (pyproj Transformer EPSG:2154 → EPSG:4326).
		{"PROJ reference", 882408.3, 6543019.6, 45.96240165432614, 5.355651287573366, 0.01},
		// Published examples, rounded to the metre and to 4 decimals (~10 m).
		{"Tour Eiffel", 648237, 6862272, 48.8584, 2.2945, 10},
		{"Notre-Dame de Paris", 652297, 6861636, 48.8530, 2.3499, 10},
		// The projection's origin: x0, y0 at 46.5°N, 3°E.
		{"origine", 700000, 6600000, 46.5, 3, 0.001},
	}
	for _, tt := range tests {
		lat, lon := Lambert93ToWGS84(tt.x, tt.y)
		if d := metres(lat, lon, tt.lat, tt.lon); d > tt.within {
			t.Errorf("%s : %.7f, %.7f à %.2f m de %.7f, %.7f (tolérance %.2f m)", tt.name, lat, lon, d, tt.lat, tt.lon, tt.within)
		}
	}
}

func TestLambert93RoundTrip(t *testing.T) {
	for _, p := range [][2]float64{{48.8530, 2.3499}, {42.6977, 9.4508}, {51.0344, 2.3768}, {43.2965, 5.3698}, {47.4784, -0.5632}} {
		x, y := WGS84ToLambert93(p[0], p[1])
		lat, lon := Lambert93ToWGS84(x, y)
		if d := metres(lat, lon, p[0], p[1]); d > 0.001 {
			t.Errorf("%v → %.3f, %.3f → %.9f, %.9f : écart %.6f m", p, x, y, lat, lon, d)
		}
	}
}

func TestCoordinates(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		row      *tabular.Row
		lat, lon string
		codes    []string
	}{
		{"columns", "coordinates: {latitude: Lat, longitude: Lon}", row("Lat=47,4728", "Lon=-0,5637"), "47,4728", "-0,5637", nil},
		{"point", "coordinates: {point: P}", row("P=42.67982, 9.44135"), "42.67982", "9.44135", nil},
		{"point semicolon", "coordinates: {point: P}", row("P=47.7507;7.341805"), "47.7507", "7.341805", nil},
		{"point no space", "coordinates: {point: P}", row("P=47.7507,7.341805"), "47.7507", "7.341805", nil},
		{"point lon first", "coordinates: {point: P, order: 'lon,lat'}", row("P=7.341805, 47.7507"), "47.7507", "7.341805", nil},
		{"point unreadable", "coordinates: {point: P}", row("P=quelque part"), "quelque part", "quelque part", nil},
		{"fallback to point", "coordinates: {latitude: Lat, longitude: Lon, point: P}", row("Lat=", "Lon=", "P=1.5 2.5"), "1.5", "2.5", nil},
		{"lambert93 decimal commas", "coordinates: {lambert93: {x: x, y: y}}", row("x=652297,0", "y=6861636,0"), "48.8530", "2.3499", nil},
		{"none", "coordinates: {latitude: Lat, longitude: Lon}", row("Lat=", "Lon="), "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md, _ := mustParse(t, tt.yaml).Map(tt.row)
			lat, lon := get(md, "latitude"), get(md, "longitude")
			if tt.name == "lambert93 decimal commas" {
				la, _ := strconv.ParseFloat(lat, 64)
				lo, _ := strconv.ParseFloat(lon, 64)
				if d := metres(la, lo, 48.8530, 2.3499); d > 10 {
					t.Errorf("%s, %s à %.1f m de Notre-Dame", lat, lon, d)
				}
				return
			}
			if lat != tt.lat || lon != tt.lon {
				t.Errorf("coordonnées %q, %q ; attendu %q, %q", lat, lon, tt.lat, tt.lon)
			}
			if got := codes(md.Findings); !slices.Equal(got, tt.codes) {
				t.Errorf("constats %v, attendu %v", got, tt.codes)
			}
		})
	}
}

func TestGeometry(t *testing.T) {
	m := mustParse(t, "coordinates: {geometry: true}")
	tests := []struct {
		name     string
		geometry string
		lat, lon float64
		centre   bool
		none     bool
	}{
		{"point", `{"type":"Point","coordinates":[2.3499,48.853]}`, 48.853, 2.3499, false, false},
		{"polygon", `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,2],[0,2],[0,0]]]}`, 1, 2, true, false},
		{"multipoint", `{"type":"MultiPoint","coordinates":[[1,1],[3,5]]}`, 3, 2, true, false},
		{"multipolygon", `{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,2],[0,0]]],[[[10,0],[12,0],[12,2],[10,2],[10,0]]]]}`, 1, 6, true, false},
		{"broken", `{"type":"Point","coordinates":"x"}`, 0, 0, false, true},
		{"unknown", `{"type":"GeometryCollection","geometries":[]}`, 0, 0, false, true},
	}
	for _, tt := range tests {
		r := &tabular.Row{Number: 3, Geometry: json.RawMessage(tt.geometry)}
		md, _ := m.Map(r)
		lat, lon := get(md, "latitude"), get(md, "longitude")
		if tt.none {
			if lat != "" || lon != "" {
				t.Errorf("%s : %q, %q, attendu rien", tt.name, lat, lon)
			}
			continue
		}
		la, _ := strconv.ParseFloat(lat, 64)
		lo, _ := strconv.ParseFloat(lon, 64)
		if math.Abs(la-tt.lat) > 1e-6 || math.Abs(lo-tt.lon) > 1e-6 {
			t.Errorf("%s : %v, %v, attendu %v, %v", tt.name, la, lo, tt.lat, tt.lon)
		}
		if got := slices.Contains(codes(md.Findings), CodeGeometryCentre); got != tt.centre {
			t.Errorf("%s : avertissement de centre %v, attendu %v", tt.name, got, tt.centre)
		}
	}
}

func TestGeometryMember(t *testing.T) {
	m := mustParse(t, "coordinates: {geometry: geom}")
	r := &tabular.Row{Number: 1, Raw: json.RawMessage(`{"nom":"x","geom":{"type":"Point","coordinates":[7.34,47.75]}}`)}
	md, _ := m.Map(r)
	if get(md, "latitude") != "47.7500000" || get(md, "longitude") != "7.3400000" {
		t.Errorf("coordonnées %q, %q", get(md, "latitude"), get(md, "longitude"))
	}
	r = &tabular.Row{Number: 1, Raw: json.RawMessage(`{"geom":"{\"type\":\"Point\",\"coordinates\":[1,2]}"}`)}
	md, _ = m.Map(r)
	if get(md, "latitude") != "2.0000000" {
		t.Errorf("géométrie en texte JSON : latitude %q", get(md, "latitude"))
	}
}

func TestHours(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		row   *tabular.Row
		want  string
		text  string // Extra["horaires_texte"]
		codes []string
	}{
		{"osm", "hours: {text: H}", row("H=Mo-Fr 09:00-12:00"), "Mo-Fr 09:00-12:00", "", nil},
		{"osm repaired", "hours: {text: H}", row("H=Mo-Fr 9h-12h"), "Mo-Fr 09:00-12:00", "", nil},
		{"french", "hours: {text: H}", row("H=Du lundi au vendredi de 9h à 12h et de 14h à 17h"), "Mo-Fr 09:00-12:00,14:00-17:00", "", nil},
		{"not convertible", "hours: {text: H}", row("H=Une fois par mois à la demande"), "", "Une fois par mois à la demande", []string{CodeHoursNotConverted}},
		{"days", "hours: {days: {lundi: L, mardi: M, samedi: S}}", row("L=09:00 - 12:00 / 14:00 - 17:00", "M=09:00 - 12:00", "S=-"), "Mo 09:00-12:00,14:00-17:00; Tu 09:00-12:00", "", nil},
		{"days english keys", "hours: {days: {monday: L, tu: M}}", row("L=9h-12h", "M=Fermé"), "Mo 09:00-12:00", "", nil},
		{"days not convertible", "hours: {days: {lundi: L, mardi: M}}", row("L=9h-12h", "M=le matin selon la saison"), "", "Lundi : 9h-12h\nMardi : le matin selon la saison", []string{CodeHoursNotConverted}},
		{"days then text", "hours: {text: H, days: {lundi: L}}", row("L=", "H=Mo 10:00-12:00"), "Mo 10:00-12:00", "", nil},
		{"day template", "hours: {days: {lundi: {template: '{O}-{F}[ / {O2}-{F2}]'}}}", row("O=08:30", "F=12:00", "O2=", "F2="), "Mo 08:30-12:00", "", nil},
		{"empty", "hours: {text: H}", row("H="), "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md, _ := mustParse(t, tt.yaml).Map(tt.row)
			if got := get(md, "horaires"); got != tt.want {
				t.Errorf("horaires = %q, attendu %q", got, tt.want)
			}
			if got := md.Extra[ExtraHoursText]; got != tt.text {
				t.Errorf("horaires_texte = %q, attendu %q", got, tt.text)
			}
			if got := codes(md.Findings); !slices.Equal(got, tt.codes) {
				t.Errorf("constats %v, attendu %v", got, tt.codes)
			}
		})
	}
}

func TestSchemaMapping(t *testing.T) {
	m := SchemaMapping()
	r := row("id=1", "nom=Mairie", "latitude=", "services=Accéder à du matériel")
	md, err := m.Map(r)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(md.Names, r.Names) || !slices.Equal(md.Values, r.Values) {
		t.Errorf("identité attendue : %q %q", md.Names, md.Values)
	}
	// A GeoJSON feature without latitude gets its point.
	r.Geometry = json.RawMessage(`{"type":"Point","coordinates":[2.35,48.85]}`)
	md, _ = m.Map(r)
	if get(md, "latitude") != "" {
		t.Errorf("la colonne latitude vide vient d'abord : %q", get(md, "latitude"))
	}
	n := len(md.Names)
	if md.Names[n-2] != "latitude" || md.Values[n-2] != "48.8500000" || md.Values[n-1] != "2.3500000" {
		t.Errorf("point non ajouté : %q %q", md.Names, md.Values)
	}
	if len(r.Names) != 4 {
		t.Error("la ligne d'origine a été modifiée")
	}
	if m.ReaderOptions() != (tabular.Options{}) {
		t.Errorf("options %+v : tout doit être détecté", m.ReaderOptions())
	}
}
