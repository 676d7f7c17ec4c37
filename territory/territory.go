// Package territory is the reference data of the French territory used to
// check and complete the addresses of the places: communes (with the
// municipal arrondissements of Paris, Lyon and Marseille), their postal
// codes, EPCI (intercommunal bodies), départements and régions, with
// populations and commune centroids.
//
// The data is embedded in the binary (see data/README.md for its origin and
// licence) and loaded once, on first use, by Default. Load builds a Data
// from other files of the same format, for tests or for newer data.
//
// Lookups by name ignore case, accents and punctuation (see package fold)
// and understand the variants real files use: "St"/"Ste" for
// "Saint"/"Sainte", articles written before or after the name ("Le Havre",
// "Havre (Le)", "Havre"), arrondissements written "PARIS 10",
// "Paris 10e" or "Marseille 11e Arrondissement", and old commune names
// known to the postal code file.
//
// The package also answers questions that need no loaded data: the
// département of an INSEE code, the time zone of a commune, whether a
// point lies in France, distances.
//
// Loading the embedded data takes about 40 ms and 12 MB of heap; the
// indexes of FindCommuneByName and SearchCommunes are built on their first
// call (about 12 ms and 18 ms, 4.5 MB more).
//
// A Data is read-only once built and safe for concurrent use. The pointers
// it returns point into it: callers must not modify what they point to.
package territory

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// Commune types, as found in the Type field.
const (
	TypeCommune        = "commune-actuelle"
	TypeArrondissement = "arrondissement-municipal"
)

// Commune is a commune, or a municipal arrondissement of Paris, Lyon or
// Marseille.
type Commune struct {
	Code        string // INSEE code, "75056", "2A004"
	Name        string // official name, "Saint-Étienne-du-Rouvray"
	Type        string // TypeCommune or TypeArrondissement
	Parent      string // for an arrondissement, the INSEE code of its commune
	Departement string // département code, "01", "2A", "971"
	Region      string // région code, "84"; for a collectivité, its code ("975")
	EPCI        string // SIREN of the EPCI the commune belongs to, "" if none
	Population  int    // municipal population, 0 when unknown
	// PostalCodes lists the postal codes serving the commune, sorted: the
	// union of the commune file and of the postal code file.
	PostalCodes []string
	// Lat and Lon are the centroid, valid when HasCentroid is true. The
	// arrondissements have none: see Data.Centroid.
	Lat, Lon    float64
	HasCentroid bool
}

// IsArrondissement reports whether c is a municipal arrondissement.
func (c *Commune) IsArrondissement() bool { return c.Type == TypeArrondissement }

// DistanceKm returns the great-circle distance in kilometres from the
// commune's centroid to the point (lat, lon), or -1 when the commune has no
// centroid.
func (c *Commune) DistanceKm(lat, lon float64) float64 {
	if !c.HasCentroid {
		return -1
	}
	return Distance(c.Lat, c.Lon, lat, lon)
}

// EPCI is an établissement public de coopération intercommunale: a
// métropole, communauté urbaine, d'agglomération or de communes.
type EPCI struct {
	Siren      string
	Name       string
	Type       string   // "METRO", "MET69", "CU", "CA", "CC"
	Population int      // municipal population
	Communes   []string // INSEE codes of the member communes, in file order
}

// Departement is a département, or a collectivité with a département-like
// code (975, 977, 978, 984, 986, 987, 988, 989).
type Departement struct {
	Code       string
	Name       string
	Region     string // région code
	ChefLieu   string // INSEE code of the chef-lieu
	Zone       string // "metro", "drom" or "com"
	Population int    // municipal population, 0 when unknown
}

// Region is a région, or a collectivité listed with the régions.
type Region struct {
	Code       string
	Name       string
	ChefLieu   string // INSEE code of the chef-lieu
	Zone       string // "metro", "drom" or "com"
	Population int    // municipal population, 0 when unknown
}

// Data is a loaded territory.
type Data struct {
	communes []Commune // sorted by code
	epcis    []EPCI    // sorted by SIREN
	deps     []Departement
	regions  []Region
	postal   []postalEntry // sorted by postal code, then commune
	aliases  []alias       // sorted by postal code
	byCode   []int32       // dense INSEE code → 1 + index in communes (0: none), see codeSlot

	namesOnce  sync.Once
	names      []nameEntry // FindCommuneByName index, sorted by key
	searchOnce sync.Once
	search     searchIndex
}

// postalEntry says that a postal code serves a commune.
type postalEntry struct {
	cp      int32 // postal code as a number
	commune int32 // index in Data.communes
	src     uint8 // srcCommunes | srcPostal: the files listing the pair
}

// alias is another name of a commune for one of its postal codes: an old
// name, or a spelling of the postal code file that differs from the
// official name.
type alias struct {
	cp      int32
	commune int32
	key     string // matchKey of the name
}

var (
	defaultOnce sync.Once
	defaultData *Data
)

// Default returns the embedded territory, loading it on first call. It
// panics if the embedded data cannot be read, which the tests rule out.
func Default() *Data {
	defaultOnce.Do(func() {
		d, err := loadEmbedded()
		if err != nil {
			panic("territory: embedded data: " + err.Error())
		}
		defaultData = d
	})
	return defaultData
}

func (d *Data) communeIndex(insee string) (int, bool) {
	if slot, ok := codeSlot(insee); ok && d.byCode != nil {
		i := d.byCode[slot]
		return int(i) - 1, i != 0
	}
	return sort.Find(len(d.communes), func(i int) int { return strings.Compare(insee, d.communes[i].Code) })
}

// codeSlots is the size of the dense index of INSEE codes: two characters
// of département (a digit, then a digit, A or B) and three digits.
const codeSlots = 10 * 12 * 1000

// codeSlot maps an INSEE code to its place in the dense index; ok is false
// for a string that is not of the form of an INSEE code.
func codeSlot(insee string) (int, bool) {
	if len(insee) != 5 {
		return 0, false
	}
	d0, d1 := insee[0], insee[1]
	if d0 < '0' || d0 > '9' {
		return 0, false
	}
	var second int
	switch {
	case d1 >= '0' && d1 <= '9':
		second = int(d1 - '0')
	case d1 == 'A':
		second = 10
	case d1 == 'B':
		second = 11
	default:
		return 0, false
	}
	rest := 0
	for i := 2; i < 5; i++ {
		c := insee[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		rest = rest*10 + int(c-'0')
	}
	return (int(d0-'0')*12+second)*1000 + rest, true
}

// Commune returns the commune or arrondissement with this INSEE code.
func (d *Data) Commune(insee string) (*Commune, bool) {
	i, ok := d.communeIndex(insee)
	if !ok {
		return nil, false
	}
	return &d.communes[i], true
}

// Centroid returns the centroid of the commune with this INSEE code. An
// arrondissement has none in the data: it gets its parent commune's.
func (d *Data) Centroid(insee string) (lat, lon float64, ok bool) {
	c, found := d.Commune(insee)
	if !found {
		return 0, 0, false
	}
	if !c.HasCentroid && c.Parent != "" {
		if p, found := d.Commune(c.Parent); found {
			c = p
		}
	}
	return c.Lat, c.Lon, c.HasCentroid
}

// postalRange returns the entries of a postal code, given as a number.
func (d *Data) postalRange(lo, hi int32) []postalEntry {
	i, _ := slices.BinarySearchFunc(d.postal, lo, func(e postalEntry, cp int32) int { return int(e.cp - cp) })
	j, _ := slices.BinarySearchFunc(d.postal, hi, func(e postalEntry, cp int32) int { return int(e.cp - cp) })
	return d.postal[i:j]
}

// CommunesByPostalCode returns the communes and arrondissements served by
// a postal code, in INSEE code order. For "13011" it returns Marseille and
// the arrondissements that postal code serves.
func (d *Data) CommunesByPostalCode(cp string) []*Commune {
	n, ok := parsePostalCode(cp)
	if !ok {
		return nil
	}
	entries := d.postalRange(n, n+1)
	out := make([]*Commune, len(entries))
	for i, e := range entries {
		out[i] = &d.communes[e.commune]
	}
	return out
}

// PostalCodeBelongs reports whether the postal code serves the commune
// with this INSEE code. It is also true when the code is that of a commune
// with arrondissements and the postal code serves one of them: "13011"
// belongs to Marseille "13055" as well as to "13211", its 11th
// arrondissement.
func (d *Data) PostalCodeBelongs(cp, insee string) bool {
	n, ok := parsePostalCode(cp)
	if !ok || insee == "" {
		return false
	}
	for _, e := range d.postalRange(n, n+1) {
		c := &d.communes[e.commune]
		if c.Code == insee || c.Parent == insee {
			return true
		}
	}
	return false
}

// EPCI returns the EPCI with this SIREN.
func (d *Data) EPCI(siren string) (*EPCI, bool) {
	i, ok := sort.Find(len(d.epcis), func(i int) int { return strings.Compare(siren, d.epcis[i].Siren) })
	if !ok {
		return nil, false
	}
	return &d.epcis[i], true
}

// Departement returns the département with this code ("01", "2A", "971").
func (d *Data) Departement(code string) (*Departement, bool) {
	i, ok := sort.Find(len(d.deps), func(i int) int { return strings.Compare(code, d.deps[i].Code) })
	if !ok {
		return nil, false
	}
	return &d.deps[i], true
}

// Region returns the région with this code ("84", "01", "975").
func (d *Data) Region(code string) (*Region, bool) {
	i, ok := sort.Find(len(d.regions), func(i int) int { return strings.Compare(code, d.regions[i].Code) })
	if !ok {
		return nil, false
	}
	return &d.regions[i], true
}

// Communes returns every commune and arrondissement in INSEE code order.
func (d *Data) Communes() []*Commune { return pointers(d.communes) }

// EPCIs returns every EPCI in SIREN order.
func (d *Data) EPCIs() []*EPCI { return pointers(d.epcis) }

// Departements returns every département in code order.
func (d *Data) Departements() []*Departement { return pointers(d.deps) }

// Regions returns every région in code order.
func (d *Data) Regions() []*Region { return pointers(d.regions) }

func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// parsePostalCode reads a five-digit postal code.
func parsePostalCode(cp string) (int32, bool) {
	if len(cp) != 5 {
		return 0, false
	}
	return parseDigits(cp)
}

func parseDigits(s string) (int32, bool) {
	var n int32
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return n, true
}
