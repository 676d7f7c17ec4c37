package territory

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"maillage/fold"
)

func TestDepartementOfINSEE(t *testing.T) {
	tests := []struct{ insee, want string }{
		{"01001", "01"},
		{"2A004", "2A"},
		{"2B033", "2B"},
		{"75056", "75"},
		{"97105", "971"},
		{"97502", "975"},
		{"97611", "976"},
		{"98818", "988"},
		{"98735", "987"},
		{"", ""},
		{"1001", ""},
		{"2C004", ""},
		{"A1001", ""},
		{"0100A", ""},
		{"010011", ""},
	}
	for _, tt := range tests {
		if got := DepartementOfINSEE(tt.insee); got != tt.want {
			t.Errorf("DepartementOfINSEE(%q) = %q, want %q", tt.insee, got, tt.want)
		}
	}
}

func TestTimeZoneName(t *testing.T) {
	tests := []struct{ insee, want string }{
		{"75056", "Europe/Paris"},
		{"2A004", "Europe/Paris"}, // Ajaccio
		{"2B033", "Europe/Paris"}, // Bastia
		{"97105", "America/Guadeloupe"},
		{"97209", "America/Martinique"},
		{"97302", "America/Cayenne"},
		{"97411", "Indian/Reunion"},
		{"97611", "Indian/Mayotte"},
		{"97502", "America/Miquelon"},
		{"97701", "America/St_Barthelemy"},
		{"97801", "America/Marigot"},
		{"98613", "Pacific/Wallis"},
		{"98735", "Pacific/Tahiti"},    // Papeete
		{"98731", "Pacific/Marquesas"}, // Nuku-Hiva
		{"98719", "Pacific/Gambier"},
		{"98818", "Pacific/Noumea"},
		{"98412", "Indian/Kerguelen"},
		{"98414", "Antarctica/DumontDUrville"},
		{"98901", "Etc/GMT+8"},
		{"20004", ""},
		{"96001", ""},
		{"99001", ""},
		{"bad", ""},
	}
	for _, tt := range tests {
		if got := TimeZoneName(tt.insee); got != tt.want {
			t.Errorf("TimeZoneName(%q) = %q, want %q", tt.insee, got, tt.want)
		}
	}
}

func TestTimeZone(t *testing.T) {
	// Every commune gets a loadable zone.
	for _, c := range Default().Communes() {
		if TimeZone(c.Code) == nil {
			t.Errorf("TimeZone(%s %s) = nil", c.Code, c.Name)
		}
	}
	// Offsets on a winter day, which the tz database fixes.
	jan := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		insee  string
		offset int // seconds east of UTC
	}{
		{"75056", 3600},
		{"98818", 11 * 3600},
		{"98735", -10 * 3600},
		{"98731", -(9*3600 + 1800)},
		{"98719", -9 * 3600},
		{"97502", -3 * 3600},
		{"97611", 3 * 3600},
	}
	for _, tt := range tests {
		if _, off := jan.In(TimeZone(tt.insee)).Zone(); off != tt.offset {
			t.Errorf("TimeZone(%s): offset %d, want %d", tt.insee, off, tt.offset)
		}
	}
	if TimeZone("bad") != nil {
		t.Error("TimeZone(bad) is not nil")
	}
	if TimeZone("75056") != TimeZone("01001") {
		t.Error("TimeZone does not cache locations")
	}
	// The Polynesian exceptions name real communes.
	for insee := range polynesiaZones {
		if _, ok := Default().Commune(insee); !ok {
			t.Errorf("polynesiaZones: no commune %s", insee)
		}
	}
}

func TestCommune(t *testing.T) {
	d := Default()
	tests := []struct {
		insee, name, typ, parent, dep, region string
	}{
		{"75056", "Paris", TypeCommune, "", "75", "11"},
		{"75110", "Paris 10e Arrondissement", TypeArrondissement, "75056", "75", "11"},
		{"13211", "Marseille 11e Arrondissement", TypeArrondissement, "13055", "13", "93"},
		{"69383", "Lyon 3e Arrondissement", TypeArrondissement, "69123", "69", "84"},
		{"2A004", "Ajaccio", TypeCommune, "", "2A", "94"},
		{"2B033", "Bastia", TypeCommune, "", "2B", "94"},
		{"97611", "Mamoudzou", TypeCommune, "", "976", "06"},
		{"97502", "Saint-Pierre", TypeCommune, "", "975", "975"},
		{"98818", "Nouméa", TypeCommune, "", "988", "988"},
	}
	for _, tt := range tests {
		c, ok := d.Commune(tt.insee)
		if !ok {
			t.Errorf("Commune(%s) not found", tt.insee)
			continue
		}
		if c.Code != tt.insee || c.Name != tt.name || c.Type != tt.typ || c.Parent != tt.parent ||
			c.Departement != tt.dep || c.Region != tt.region {
			t.Errorf("Commune(%s) = %+v", tt.insee, *c)
		}
		if c.IsArrondissement() != (tt.typ == TypeArrondissement) {
			t.Errorf("Commune(%s).IsArrondissement() = %v", tt.insee, c.IsArrondissement())
		}
	}
	for _, bad := range []string{"", "75000", "2A000", "99999"} {
		if c, ok := d.Commune(bad); ok {
			t.Errorf("Commune(%q) = %v, want none", bad, c.Name)
		}
	}
	c, _ := d.Commune("01001")
	if c.Population != 860 || c.EPCI != "200069193" || !slices.Equal(c.PostalCodes, []string{"01400"}) ||
		!c.HasCentroid || c.Lat != 46.1517 || c.Lon != 4.9306 {
		t.Errorf("Commune(01001) = %+v", *c)
	}
	// Postal codes are the union of both files: 07084 Eclassan has one
	// in communes.csv and three in codes_postaux.csv.
	c, _ = d.Commune("07084")
	if want := []string{"07290", "07300", "07370"}; !slices.Equal(c.PostalCodes, want) {
		t.Errorf("Commune(07084).PostalCodes = %v, want %v", c.PostalCodes, want)
	}
}

func TestCentroid(t *testing.T) {
	d := Default()
	paris, _ := d.Commune("75056")
	tests := []struct {
		insee    string
		lat, lon float64
		ok       bool
	}{
		{"75056", paris.Lat, paris.Lon, true},
		{"75110", paris.Lat, paris.Lon, true}, // parent's centroid
		{"01001", 46.1517, 4.9306, true},
		{"00000", 0, 0, false},
	}
	for _, tt := range tests {
		lat, lon, ok := d.Centroid(tt.insee)
		if lat != tt.lat || lon != tt.lon || ok != tt.ok {
			t.Errorf("Centroid(%s) = %v, %v, %v; want %v, %v, %v", tt.insee, lat, lon, ok, tt.lat, tt.lon, tt.ok)
		}
	}
	if arr, _ := d.Commune("13211"); arr.HasCentroid || arr.DistanceKm(43.3, 5.4) != -1 {
		t.Error("arrondissement 13211 has a centroid in the data; adapt the test")
	}
}

func codes(cs []*Commune) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

func TestCommunesByPostalCode(t *testing.T) {
	d := Default()
	tests := []struct {
		cp   string
		want []string // must be present
		not  []string // must be absent
	}{
		{"13011", []string{"13055", "13211"}, []string{"13201"}},
		{"75010", []string{"75056", "75110"}, []string{"75111"}},
		{"48000", []string{"48095"}, nil},
		{"20000", []string{"2A004"}, nil},
		{"97600", []string{"97610", "97611"}, nil},
		{"98800", []string{"98818"}, nil},
		{"97500", []string{"97501", "97502"}, nil},
	}
	for _, tt := range tests {
		got := codes(d.CommunesByPostalCode(tt.cp))
		if !slices.IsSorted(got) {
			t.Errorf("CommunesByPostalCode(%s) = %v, not sorted", tt.cp, got)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("CommunesByPostalCode(%s) = %v, missing %s", tt.cp, got, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("CommunesByPostalCode(%s) = %v, has %s", tt.cp, got, n)
			}
		}
	}
	for _, bad := range []string{"", "1300", "130111", "ABCDE", "00000"} {
		if got := d.CommunesByPostalCode(bad); len(got) != 0 {
			t.Errorf("CommunesByPostalCode(%q) = %v, want none", bad, codes(got))
		}
	}
}

func TestPostalCodeBelongs(t *testing.T) {
	d := Default()
	tests := []struct {
		cp, insee string
		want      bool
	}{
		{"01400", "01001", true},
		{"13011", "13211", true},
		{"13011", "13055", true}, // serves an arrondissement of Marseille
		{"13001", "13211", false},
		{"75010", "75110", true},
		{"75010", "75056", true},
		{"75010", "75111", false},
		{"69003", "69123", true},
		{"07300", "07084", true}, // only in codes_postaux.csv
		{"20000", "2A004", true},
		{"20000", "2B033", false},
		{"98800", "98818", true},
		{"01400", "75056", false},
		{"", "01001", false},
		{"01400", "", false},
		{"01400", "99999", false},
	}
	for _, tt := range tests {
		if got := d.PostalCodeBelongs(tt.cp, tt.insee); got != tt.want {
			t.Errorf("PostalCodeBelongs(%q, %q) = %v, want %v", tt.cp, tt.insee, got, tt.want)
		}
	}
}

func TestFindCommune(t *testing.T) {
	d := Default()
	tests := []struct {
		cp, name string
		want     string // "" for not found
	}{
		{"13011", "MARSEILLE 11", "13211"},
		{"13011", "Marseille 11e Arrondissement", "13211"},
		{"13011", "marseille 11ème", "13211"},
		{"13012", "MARSEILLE 11", "13211"}, // 13012 also serves the 11th
		{"13011", "Marseille", "13055"},
		{"75010", "PARIS 10", "75110"},
		{"75010", "Paris 10e", "75110"},
		{"75010", "Paris 10e Arrondissement", "75110"},
		{"75010", "PARIS", "75056"},
		{"75010", "Paris Cedex 10", "75056"},
		{"69003", "LYON 03", "69383"},
		{"76600", "Le Havre", "76351"},
		{"76600", "LE HAVRE", "76351"},
		{"76600", "Havre (Le)", "76351"},
		{"76600", "Havre", "76351"},
		{"42000", "Saint-Étienne", "42218"},
		{"42000", "St-Etienne", "42218"},
		{"42100", "ST ETIENNE", "42218"},
		{"42100", "St Étienne", "42218"},
		{"83120", "Ste-Maxime", "83115"},
		{"13460", "Stes Maries de la Mer", "13096"},
		{"94240", "L'Hay les Roses", "94038"},
		{"94240", "L’HAŸ-LES-ROSES", "94038"},
		{"16330", "Vars", "16393"},                  // old name, commune nouvelle La Boixe
		{"16230", "MANSLE", "16206"},                // now Mansle-les-Fontaines
		{"14500", "vire", "14762"},                  // now Vire Normandie
		{"74170", "SAINT GERVAIS", "74236"},         // Saint-Gervais-les-Bains
		{"93380", "Pierrefitte-sur-Seine", "93066"}, // merged into Saint-Denis in 2025
		{"30140", "Corbès", "30329"},                // merged into Thoiras-Corbès
		{"32420", "Monbardon", "32365"},             // merged into Cap d'Astarac
		{"48100", "Marvejols", "48092"},             // also the libellé of Saint-Léger-de-Peyre
		{"20000", "Ajaccio", "2A004"},
		{"20200", "BASTIA", "2B033"},
		{"98800", "Noumea", "98818"},
		{"97500", "St Pierre", "97502"},
		{"97500", "Miquelon-Langlade", "97501"},
		{"97600", "Mamoudzou", "97611"},
		{"42000", "Montreynaud", "42218"}, // a quarter: 42000 serves only Saint-Étienne
		{"48100", "Mende", "48095"},       // wrong postal code, same département
		{"75000", "Lyon", "69123"},        // unknown postal code, unique name
		{" 13011 ", "Marseille", "13055"},
		{"13100", "Paris", ""},
		{"48100", "Nowhere", ""},
		{"", "Saint-Denis", ""}, // several
		{"", "", ""},
	}
	for _, tt := range tests {
		c, ok := d.FindCommune(tt.cp, tt.name)
		got := ""
		if ok {
			got = c.Code
		}
		if got != tt.want {
			t.Errorf("FindCommune(%q, %q) = %q, want %q", tt.cp, tt.name, got, tt.want)
		}
	}
}

// TestAliases checks that old names are attached to their commune by
// name, not only by the single-commune fallback of FindCommune.
func TestAliases(t *testing.T) {
	d := Default()
	tests := []struct{ cp, name, insee string }{
		{"16330", "Vars", "16393"},                  // current INSEE code, old name
		{"93380", "Pierrefitte-sur-Seine", "93066"}, // old INSEE code, gained postal code
		{"30140", "Corbès", "30329"},                // old INSEE code, name contained
		{"32420", "Sarcos", "32365"},
		{"42130", "Débats-Rivière-d'Orpra", "42084"},
	}
	for _, tt := range tests {
		cp, _ := parsePostalCode(tt.cp)
		k := matchKey(tt.name)
		found := false
		for _, a := range d.aliases {
			if a.cp == cp && a.key == k {
				found = d.communes[a.commune].Code == tt.insee
			}
		}
		if !found {
			t.Errorf("no alias %s %q for %s", tt.cp, tt.name, tt.insee)
		}
	}
}

func TestFindCommuneByName(t *testing.T) {
	d := Default()
	tests := []struct {
		name  string
		first string   // expected first result, "" for none
		also  []string // present too
	}{
		{"Le Havre", "76351", nil},
		{"Saint-Denis", "97411", []string{"93066"}}, // most populated first
		{"ST DENIS", "97411", []string{"93066"}},
		{"Pierrefitte-sur-Seine", "93066", nil}, // old name
		{"Paris 10", "75110", nil},
		{"Ajaccio", "2A004", nil},
		{"Nouméa", "98818", nil},
		{"Nowhere at all", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		got := codes(d.FindCommuneByName(tt.name))
		if tt.first == "" {
			if len(got) != 0 {
				t.Errorf("FindCommuneByName(%q) = %v, want none", tt.name, got)
			}
			continue
		}
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("FindCommuneByName(%q) = %v, want %s first", tt.name, got, tt.first)
		}
		for _, a := range tt.also {
			if !slices.Contains(got, a) {
				t.Errorf("FindCommuneByName(%q) = %v, missing %s", tt.name, got, a)
			}
		}
	}
	// An exact name comes before a name equal once the article is
	// dropped: "Pin" (Haute-Saône) before the many "Le Pin".
	got := d.FindCommuneByName("Pin")
	if len(got) < 2 || fold.Key(got[0].Name) != "pin" || fold.Key(got[len(got)-1].Name) != "le pin" {
		t.Errorf("FindCommuneByName(Pin) = %v", codes(got))
	}
}

func TestMatchKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Saint-Étienne", "saint etienne"},
		{"St-Étienne", "saint etienne"},
		{"STE MAXIME", "sainte maxime"},
		{"Le Havre", "havre"},
		{"Havre (Le)", "havre"},
		{"ABERGEMENT-DE-VAREY (L )", "abergement de varey"},
		{"L'Abergement-de-Varey", "abergement de varey"},
		{"Saint-Denis (Réunion)", "saint denis"},
		{"Marseille 1er Arrondissement", "marseille 1"},
		{"MARSEILLE 01", "marseille 1"},
		{"Paris 10 ème", "paris 10"},
		{"Paris Cedex 10", "paris"},
		{"Le", "le"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := matchKey(tt.in); got != tt.want {
			t.Errorf("matchKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSearchCommunes(t *testing.T) {
	d := Default()
	tests := []struct {
		query string
		limit int
		first []string // expected first results, in order
	}{
		{"Saint-Étienne", 5, []string{"42218", "76575"}}, // exact, then most populated prefix
		{"saint etienne", 1, []string{"42218"}},
		{"st etienne", 3, []string{"42218", "76575"}},
		{"etienne", 2, []string{"42218", "76575"}}, // word prefix
		{"paris", 3, []string{"75056", "75115"}},
		{"marseille 11", 3, []string{"13211"}},
		{"nouméa", 3, []string{"98818"}},
		{"ajac", 3, []string{"11003", "2A004"}}, // Ajac (Aude) is an exact match
		{"ajacc", 3, []string{"2A004"}},
		{"13011", 5, []string{"13055", "13212"}}, // then arrondissements by population
		{"480", 3, []string{"48095"}},            // Mende, most populated of 480xx
	}
	for _, tt := range tests {
		got := codes(d.SearchCommunes(tt.query, tt.limit))
		if len(got) > tt.limit {
			t.Errorf("SearchCommunes(%q, %d) = %v, over the limit", tt.query, tt.limit, got)
		}
		if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
			t.Errorf("SearchCommunes(%q, %d) = %v, want %v first", tt.query, tt.limit, got, tt.first)
		}
	}
	for _, q := range []string{"", "  ", "-", "zzzzzz", "99999"} {
		if got := d.SearchCommunes(q, 10); len(got) != 0 {
			t.Errorf("SearchCommunes(%q) = %v, want none", q, codes(got))
		}
	}
	if got := d.SearchCommunes("paris", 0); got != nil {
		t.Errorf("SearchCommunes(paris, 0) = %v, want nil", codes(got))
	}
}

// TestSearchRanking checks the ranking rules on many queries: exact names,
// then prefixes, then word prefixes, each by decreasing population, no
// commune twice; and compares with a linear scan of all communes.
func TestSearchRanking(t *testing.T) {
	d := Default()
	for _, q := range []string{"s", "saint", "saint e", "etienne", "sur", "de la", "ville", "bo", "p", "paris 1", "zz"} {
		k := fold.Key(q)
		type ranked struct {
			c     *Commune
			class int
		}
		var all []ranked
		for _, c := range d.Communes() {
			n := fold.Key(c.Name)
			switch {
			case n == k:
				all = append(all, ranked{c, 0})
			case strings.HasPrefix(n, k):
				all = append(all, ranked{c, 1})
			case strings.Contains(n, " "+k):
				all = append(all, ranked{c, 2})
			}
		}
		slices.SortStableFunc(all, func(a, b ranked) int {
			if a.class != b.class {
				return a.class - b.class
			}
			return b.c.Population - a.c.Population
		})
		for _, limit := range []int{1, 10, 64, 100} {
			var want []string
			for _, r := range all[:min(limit, len(all))] {
				want = append(want, r.c.Code)
			}
			if got := codes(d.SearchCommunes(q, limit)); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Errorf("SearchCommunes(%q, %d) = %v, linear scan gives %v", q, limit, got, want)
			}
		}
	}
	for _, q := range []string{"s", "sa", "saint", "le", "la", "bo", "mont", "ville", "sur", "e", "étienne"} {
		k := fold.Key(q)
		got := d.SearchCommunes(q, 50)
		if len(got) != 50 {
			t.Errorf("SearchCommunes(%q, 50): %d results", q, len(got))
		}
		class := func(c *Commune) int {
			n := fold.Key(c.Name)
			switch {
			case n == k:
				return 0
			case strings.HasPrefix(n, k):
				return 1
			case strings.Contains(n, " "+k):
				return 2
			}
			return 3
		}
		seen := map[string]bool{}
		for i, c := range got {
			if seen[c.Code] {
				t.Errorf("SearchCommunes(%q): %s twice", q, c.Code)
			}
			seen[c.Code] = true
			if class(c) == 3 {
				t.Errorf("SearchCommunes(%q): %s %q does not match", q, c.Code, c.Name)
			}
			if i == 0 {
				continue
			}
			p := got[i-1]
			if class(p) > class(c) || class(p) == class(c) && p.Population < c.Population {
				t.Errorf("SearchCommunes(%q): %s %q (%d) before %s %q (%d)", q, p.Code, p.Name, p.Population, c.Code, c.Name, c.Population)
			}
		}
	}
	// Postal code prefixes: every result is served by such a code.
	for _, c := range d.SearchCommunes("480", 100) {
		if !slices.ContainsFunc(c.PostalCodes, func(cp string) bool { return strings.HasPrefix(cp, "480") }) {
			t.Errorf("SearchCommunes(480): %s has postal codes %v", c.Code, c.PostalCodes)
		}
	}
}

func TestListingsAndLookups(t *testing.T) {
	d := Default()
	if n := len(d.Communes()); n != 35014 {
		t.Errorf("%d communes, want 35014", n)
	}
	if n := len(d.EPCIs()); n != 1255 {
		t.Errorf("%d EPCI, want 1255", n)
	}
	if n := len(d.Departements()); n != 109 {
		t.Errorf("%d départements, want 109", n)
	}
	if n := len(d.Regions()); n != 26 {
		t.Errorf("%d régions, want 26", n)
	}
	isSorted := func(name string, keys []string) {
		if !slices.IsSorted(keys) {
			t.Errorf("%s not in code order", name)
		}
	}
	var keys []string
	for _, e := range d.EPCIs() {
		keys = append(keys, e.Siren)
	}
	isSorted("EPCIs", keys)
	keys = keys[:0]
	for _, x := range d.Departements() {
		keys = append(keys, x.Code)
	}
	isSorted("Departements", keys)
	keys = keys[:0]
	for _, x := range d.Regions() {
		keys = append(keys, x.Code)
	}
	isSorted("Regions", keys)
	isSorted("Communes", codes(d.Communes()))

	if e, ok := d.EPCI("200054781"); !ok || e.Name != "Métropole du Grand Paris" || e.Type != "METRO" ||
		!slices.Contains(e.Communes, "75056") {
		t.Errorf("EPCI(200054781) = %+v, %v", e, ok)
	}
	if _, ok := d.EPCI("000000000"); ok {
		t.Error("EPCI(000000000) found")
	}
	if x, ok := d.Departement("2A"); !ok || x.Name != "Corse-du-Sud" || x.Region != "94" || x.ChefLieu != "2A004" {
		t.Errorf("Departement(2A) = %+v, %v", x, ok)
	}
	if x, ok := d.Departement("976"); !ok || x.Name != "Mayotte" || x.Zone != "drom" {
		t.Errorf("Departement(976) = %+v, %v", x, ok)
	}
	if x, ok := d.Departement("984"); !ok || x.Population != 0 {
		t.Errorf("Departement(984) = %+v, %v", x, ok)
	}
	if x, ok := d.Region("94"); !ok || x.Name != "Corse" || x.ChefLieu != "2A004" {
		t.Errorf("Region(94) = %+v, %v", x, ok)
	}
	if _, ok := d.Region("99"); ok {
		t.Error("Region(99) found")
	}
}

// TestInvariants checks the real data for consistency.
func TestInvariants(t *testing.T) {
	d := Default()
	depPop := map[string]int{}
	arrPop := map[string]int{}
	for _, c := range d.Communes() {
		if _, ok := d.Departement(c.Departement); !ok {
			t.Errorf("commune %s: no département %q", c.Code, c.Departement)
		}
		if _, ok := d.Region(c.Region); !ok {
			t.Errorf("commune %s: no région %q", c.Code, c.Region)
		}
		if DepartementOfINSEE(c.Code) != c.Departement {
			t.Errorf("commune %s: département %s, DepartementOfINSEE says %s", c.Code, c.Departement, DepartementOfINSEE(c.Code))
		}
		if c.EPCI != "" {
			e, ok := d.EPCI(c.EPCI)
			if !ok || !slices.Contains(e.Communes, c.Code) && !c.IsArrondissement() {
				t.Errorf("commune %s: EPCI %s missing or not listing it", c.Code, c.EPCI)
			}
		}
		if c.IsArrondissement() {
			p, ok := d.Commune(c.Parent)
			if !ok || p.IsArrondissement() || c.HasCentroid {
				t.Errorf("arrondissement %s: parent %q", c.Code, c.Parent)
			}
			arrPop[c.Parent] += c.Population
			continue
		}
		if !c.HasCentroid {
			t.Errorf("commune %s has no centroid", c.Code)
		}
		depPop[c.Departement] += c.Population
		if z := zoneOfDepartement(c.Departement); z != "" {
			if got, ok := InFrance(c.Lat, c.Lon); !ok || got != z {
				t.Errorf("commune %s %s (%v, %v): InFrance = %q, %v; want %q", c.Code, c.Name, c.Lat, c.Lon, got, ok, z)
			}
		}
	}
	// Départements' populations are the sums of their communes',
	// arrondissements excluded: they would count Paris, Lyon and
	// Marseille twice.
	for _, x := range d.Departements() {
		if x.Population != depPop[x.Code] {
			t.Errorf("département %s: population %d, communes sum to %d", x.Code, x.Population, depPop[x.Code])
		}
	}
	for parent, pop := range arrPop {
		if p, _ := d.Commune(parent); p.Population != pop {
			t.Errorf("commune %s: population %d, arrondissements sum to %d", parent, p.Population, pop)
		}
	}
	regPop := map[string]int{}
	for _, x := range d.Departements() {
		regPop[x.Region] += x.Population
	}
	for _, r := range d.Regions() {
		if r.Population != regPop[r.Code] {
			t.Errorf("région %s: population %d, départements sum to %d", r.Code, r.Population, regPop[r.Code])
		}
	}
	for _, e := range d.EPCIs() {
		pop := 0
		for _, code := range e.Communes {
			c, ok := d.Commune(code)
			if !ok {
				t.Errorf("EPCI %s: no commune %s", e.Siren, code)
				continue
			}
			if c.EPCI != e.Siren {
				t.Errorf("EPCI %s lists %s, which belongs to %q", e.Siren, code, c.EPCI)
			}
			pop += c.Population
		}
		// epci.csv gives the population of another census vintage than
		// communes.csv: they differ for almost every EPCI, by up to 5 %.
		if diff := math.Abs(float64(pop-e.Population)) / float64(e.Population); diff > 0.06 {
			t.Errorf("EPCI %s: population %d, communes sum to %d", e.Siren, e.Population, pop)
		}
	}
	// Postal codes: CommunesByPostalCode and PostalCodes agree.
	for _, c := range d.Communes() {
		if c.Population > 0 && len(c.PostalCodes) == 0 {
			t.Errorf("commune %s has no postal code", c.Code)
		}
		for _, cp := range c.PostalCodes {
			if !slices.Contains(d.CommunesByPostalCode(cp), c) || !d.PostalCodeBelongs(cp, c.Code) {
				t.Errorf("commune %s: postal code %s not indexed", c.Code, cp)
			}
		}
	}
}

func zoneOfDepartement(dep string) string {
	switch {
	case len(dep) == 2:
		return "metropole"
	case dep == "984" || dep == "989":
		return ""
	}
	return dep
}

func TestInFrance(t *testing.T) {
	tests := []struct {
		name     string
		lat, lon float64
		zone     string // "" when outside
	}{
		{"Paris", 48.8566, 2.3522, "metropole"},
		{"Brest", 48.3904, -4.4861, "metropole"},
		{"Ouessant lighthouse", 48.4590, -5.1360, "metropole"},
		{"Strasbourg", 48.5734, 7.7521, "metropole"},
		{"Menton", 43.7747, 7.4975, "metropole"},
		{"Bonifacio", 41.3874, 9.1591, "metropole"},
		{"Cap Corse", 43.0000, 9.4000, "metropole"},
		{"Pointe-à-Pitre", 16.2411, -61.5331, "971"},
		{"Fort-de-France", 14.6161, -61.0588, "972"},
		{"Cayenne", 4.9224, -52.3135, "973"},
		{"Camopi", 3.1650, -52.3380, "973"},
		{"Saint-Denis de La Réunion", -20.8821, 55.4507, "974"},
		{"Saint-Pierre (SPM)", 46.7811, -56.1764, "975"},
		{"Mamoudzou", -12.7806, 45.2278, "976"},
		{"Gustavia", 17.8962, -62.8498, "977"},
		{"Marigot", 18.0677, -63.0825, "978"},
		{"Mata-Utu", -13.2825, -176.1736, "986"},
		{"Papeete", -17.5516, -149.5585, "987"},
		{"Taiohae, Nuku Hiva", -8.9109, -140.0997, "987"},
		{"Rikitea, Gambier", -23.1206, -134.9692, "987"},
		{"Nouméa", -22.2758, 166.4580, "988"},
		{"Null Island", 0, 0, ""},
		{"Paris swapped", 2.3522, 48.8566, ""},
		{"New York", 40.7128, -74.0060, ""},
		{"Montréal", 45.5019, -73.5674, ""},
		{"Dakar", 14.7167, -17.4677, ""},
		{"London", 51.5072, -0.1276, ""},
		{"Madrid", 40.4168, -3.7038, ""},
		{"Sydney", -33.8688, 151.2093, ""},
		{"Kerguelen (not covered)", -49.35, 70.22, ""},
	}
	for _, tt := range tests {
		zone, ok := InFrance(tt.lat, tt.lon)
		if zone != tt.zone || ok != (tt.zone != "") {
			t.Errorf("InFrance(%s %v, %v) = %q, %v; want %q", tt.name, tt.lat, tt.lon, zone, ok, tt.zone)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tolerance        float64
	}{
		{"same point", 48.8566, 2.3522, 48.8566, 2.3522, 0, 1e-9},
		{"Paris-Marseille", 48.8566, 2.3522, 43.2965, 5.3698, 661, 3},
		{"Paris-Lyon", 48.8566, 2.3522, 45.7640, 4.8357, 392, 3},
		{"one degree of latitude", 0, 0, 1, 0, 111.2, 0.1},
		{"antipodes", 0, 0, 0, 180, math.Pi * earthRadiusKm, 1e-6},
		{"across the antimeridian", -13.28, 179.9, -13.28, -179.9, 21.7, 0.2},
	}
	for _, tt := range tests {
		got := Distance(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
		if math.Abs(got-tt.want) > tt.tolerance {
			t.Errorf("Distance(%s) = %.3f km, want %.3f ± %v", tt.name, got, tt.want, tt.tolerance)
		}
		if back := Distance(tt.lat2, tt.lon2, tt.lat1, tt.lon1); math.Abs(back-got) > 1e-9 {
			t.Errorf("Distance(%s) not symmetric: %v, %v", tt.name, got, back)
		}
	}
	d := Default()
	paris, _ := d.Commune("75056")
	if km := paris.DistanceKm(43.2965, 5.3698); math.Abs(km-661) > 5 {
		t.Errorf("Paris.DistanceKm(Marseille) = %.1f", km)
	}
}

func TestDepartementOutlines(t *testing.T) {
	var fc struct {
		Type     string
		Features []struct {
			Properties struct{ Code, Nom string }
		}
	}
	if err := json.Unmarshal(DepartementOutlines(), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 96 {
		t.Fatalf("outlines: %s with %d features, want a FeatureCollection of 96", fc.Type, len(fc.Features))
	}
	d := Default()
	for _, f := range fc.Features {
		if x, ok := d.Departement(f.Properties.Code); !ok || !fold.Equal(x.Name, f.Properties.Nom) {
			t.Errorf("outline %s %q: no such département", f.Properties.Code, f.Properties.Nom)
		}
	}
}
