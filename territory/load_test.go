package territory

import (
	"strings"
	"testing"
)

// A small territory in the CSV format of the shared data folder (columns
// in another order, an extra column, quotes, CRLF line endings) and in the
// embedded tab-separated format.
const (
	smallCommunes = "code_insee,nom,type,commune_parente,departement,region,epci_siren,epci_nom,epci_type,population,codes_postaux,latitude,longitude\r\n" +
		"13055,Marseille,commune-actuelle,,13,93,200054807,\"Métropole d'Aix-Marseille-Provence\",METRO,886040,13001|13011,43.2803,5.3806\r\n" +
		"13211,Marseille 11e Arrondissement,arrondissement-municipal,13055,13,93,200054807,\"Métropole d'Aix-Marseille-Provence\",METRO,57000,13011,,\r\n" +
		"13201,Marseille 1er Arrondissement,arrondissement-municipal,13055,13,93,200054807,\"Métropole, \"\"quoted\"\"\",METRO,37599,13001,,\r\n" +
		"04005,Allons,commune-actuelle,,04,93,,,,126,04170,43.9769,6.5929\r\n"
	smallPostal = "code_insee\tcode_postal\tnom_commune\tlibelle_acheminement\n" +
		"13211\t13011\tMarseille 11e Arrondissement\tMARSEILLE\n" +
		"13211\t13012\tMarseille 11e Arrondissement\tMARSEILLE\n" +
		"04005\t04170\tAllons\tALLONS\n" +
		"04099\t04170\tVieux-Village\tVIEUX VILLAGE\n" // merged into Allons
	smallEPCI = "siren,nom,type,population_municipale,codes_insee_membres\n" +
		"200054807,Métropole d'Aix-Marseille-Provence,METRO,886040,13055\n"
	smallDeps = "code,nom,region,chef_lieu,zone,population_municipale\n" +
		"13,Bouches-du-Rhône,93,13055,metro,886040\n04,Alpes-de-Haute-Provence,93,04070,metro,126\n"
	smallRegions = "code,nom,chef_lieu,zone,population_municipale\n93,Provence-Alpes-Côte d'Azur,13055,metro,886166\n"
)

func TestLoad(t *testing.T) {
	d, err := Load(Sources{
		Communes:     strings.NewReader(smallCommunes),
		PostalCodes:  strings.NewReader(smallPostal),
		EPCI:         strings.NewReader(smallEPCI),
		Departements: strings.NewReader(smallDeps),
		Regions:      strings.NewReader(smallRegions),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(d.Communes()); strings.Join(got, " ") != "04005 13055 13201 13211" {
		t.Errorf("Communes() = %v, want code order", got)
	}
	c, ok := d.Commune("13211")
	if !ok || c.Parent != "13055" || c.HasCentroid || strings.Join(c.PostalCodes, " ") != "13011 13012" {
		t.Errorf("Commune(13211) = %+v", c)
	}
	if lat, lon, ok := d.Centroid("13211"); !ok || lat != 43.2803 || lon != 5.3806 {
		t.Errorf("Centroid(13211) = %v, %v, %v", lat, lon, ok)
	}
	tests := []struct{ cp, name, want string }{
		{"13011", "MARSEILLE 11", "13211"},
		{"13012", "Marseille 11e", "13211"},
		{"13011", "Marseille", "13055"},
		{"04170", "Vieux Village", "04005"}, // unknown name, the postal code's only commune
		{"04170", "Allons", "04005"},
	}
	for _, tt := range tests {
		c, ok := d.FindCommune(tt.cp, tt.name)
		if !ok || c.Code != tt.want {
			t.Errorf("FindCommune(%q, %q) = %v, %v; want %s", tt.cp, tt.name, c, ok, tt.want)
		}
	}
	if !d.PostalCodeBelongs("13012", "13055") || d.PostalCodeBelongs("13012", "13201") {
		t.Error("PostalCodeBelongs wrong on the small territory")
	}
	if e, ok := d.EPCI("200054807"); !ok || e.Population != 886040 {
		t.Errorf("EPCI = %+v, %v", e, ok)
	}
	if got := codes(d.SearchCommunes("mars", 10)); strings.Join(got, " ") != "13055 13211 13201" {
		t.Errorf("SearchCommunes(mars) = %v", got)
	}
}

func TestLoadCommunesOnly(t *testing.T) {
	d, err := Load(Sources{Communes: strings.NewReader(smallCommunes)})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := d.FindCommune("04170", "Allons"); !ok || c.Code != "04005" {
		t.Errorf("FindCommune(04170, Allons) = %v, %v", c, ok)
	}
	if len(d.Departements()) != 0 {
		t.Errorf("Departements() = %v, want none", d.Departements())
	}
}

func TestLoadErrors(t *testing.T) {
	header := "code_insee,nom,type,commune_parente,departement,region,epci_siren,population,codes_postaux,latitude,longitude\n"
	tests := []struct {
		name, communes, want string
	}{
		{"missing column", "code_insee,nom\n01001,A\n", `missing column "type"`},
		{"field count", header + "01001,A,commune-actuelle\n", "3 fields, want 11"},
		{"type", header + "01001,A,village,,01,84,,1,01400,46,4\n", `unknown type "village"`},
		{"population", header + "01001,A,commune-actuelle,,01,84,,many,01400,46,4\n", "population"},
		{"postal code", header + "01001,A,commune-actuelle,,01,84,,1,1400,46,4\n", `bad postal code "1400"`},
		{"latitude", header + "01001,A,commune-actuelle,,01,84,,1,01400,north,4\n", "latitude"},
		{"duplicate", header + "01001,A,commune-actuelle,,01,84,,1,01400,46,4\n01001,B,commune-actuelle,,01,84,,1,01400,46,4\n", "duplicate code 01001"},
		{"quote", header + "01001,\"A,commune-actuelle,,01,84,,1,01400,46,4\n", "line 2"},
	}
	for _, tt := range tests {
		_, err := Load(Sources{Communes: strings.NewReader(tt.communes)})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Load error %v, want %q", tt.name, err, tt.want)
		}
	}
}
