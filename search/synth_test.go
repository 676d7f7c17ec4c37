package search

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"maillage"
	"maillage/territory"
)

// synthHours are opening hours as real files write them: regular weeks,
// weeks closed on public holidays, summer schedules, comments, open ends,
// a few invalid values (their state is unknown) and many empty ones. The
// weights are rough shares of real data.
var synthHours = []struct {
	value  string
	weight int
}{
	{"", 30},
	{"Mo-Fr 09:00-12:00,14:00-17:00", 12},
	{"Mo-Fr 09:00-12:00,14:00-17:00; PH off", 10},
	{"Mo-Fr 08:30-12:00,13:30-17:00", 6},
	{"Mo-Fr 08:30-12:30,13:30-17:30; Sa 09:00-12:00; PH off", 5},
	{"Tu-Sa 10:00-18:00", 4},
	{"Tu-Fr 10:00-12:30,14:00-18:00; Sa 10:00-17:00; PH off", 4},
	{"Mo,We,Fr 14:00-18:00; Sa 09:00-12:00", 3},
	{"Mo-Th 08:30-12:30,13:30-17:00; Fr 08:30-12:00", 4},
	{"We 14:00-17:00", 2},
	{"Tu,Th 09:00-12:00", 2},
	{"Mo 14:00-18:00; Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00", 3},
	{"Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 09:00-12:00; PH off", 2},
	{"Mo-Sa 09:00-19:00; Su 10:00-13:00", 1},
	{"Mo-Fr 09:00-18:00; Dec 24-Jan 01 off", 1},
	{"Mo-Fr 09:00-12:00; Th 14:00-17:00 \"sur rendez-vous\"", 1},
	{"Tu 09:00-12:00; Th 14:00-17:00; PH off; Aug off", 1},
	{"Mo[1] 09:00-12:00", 1},
	{"Sa 14:00+", 1},
	{"24/7", 1},
	{"Mo-Fr 09:00-12:00 || \"sur rendez-vous\"", 1},
	{"Lundi 9h-12h", 1}, // not the OSM syntax: unknown
}

var synthKinds = []struct {
	name     string
	typology maillage.Typology
	weight   int
}{
	{"Médiathèque", "BIB", 14}, {"Bibliothèque municipale", "BIB", 6}, {"France services", "MUNI", 12},
	{"Espace public numérique", "TIERS_LIEUX", 10}, {"Centre social", "CS", 10}, {"Mairie", "MUNI", 10},
	{"CCAS", "CCAS", 6}, {"Maison de quartier", "CS", 4}, {"Tiers-lieu", "TIERS_LIEUX", 5},
	{"Fablab", "TIERS_LIEUX", 2}, {"Association Clic Solidaire", "ASSO", 5}, {"Point numérique CAF", "CAF", 3},
	{"Mission locale", "ML", 4}, {"Emmaüs Connect", "ASSO", 1},
}

var synthSummaries = []string{
	"Accompagnement aux démarches en ligne et prise en main de l'ordinateur.",
	"Ateliers collectifs d'initiation au numérique, sur inscription.",
	"Un conseiller numérique vous aide à utiliser votre smartphone et vos services en ligne.",
	"Accès libre à des ordinateurs et à une imprimante, aide sur place.",
	"Permanence d'aide aux démarches administratives : CAF, impôts, retraite, santé.",
	"Espace de création numérique : impression 3D, vidéo, programmation pour les jeunes.",
	"Aide à la recherche d'emploi en ligne, CV et candidatures.",
	"",
}

// synthPlaces generates n consolidated places around the communes of the
// territory data, more where more people live.
func synthPlaces(n int, seed uint64) []maillage.Consolidated {
	rng := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	terr := territory.Default()
	type site struct {
		c        *territory.Commune
		lat, lon float64
	}
	var sites []site
	var cum []float64
	total := 0.0
	for _, c := range terr.Communes() {
		lat, lon, ok := terr.Centroid(c.Code)
		if !ok || c.Population <= 0 {
			continue
		}
		total += math.Pow(float64(c.Population), 0.7)
		sites = append(sites, site{c, lat, lon})
		cum = append(cum, total)
	}
	hoursCum, hoursTotal := weights(len(synthHours), func(i int) int { return synthHours[i].weight })
	kindCum, kindTotal := weights(len(synthKinds), func(i int) int { return synthKinds[i].weight })
	// Lists are drawn from a few hundred shared combinations, as in real
	// data, which also keeps a million places small in memory.
	services := combos(rng, maillage.Services, 400, []float64{0.6, 0.55, 0.3, 0.35, 0.15, 0.2, 0.3, 0.35, 0.05})
	publics := combos(rng, maillage.Publics, 40, []float64{0.3, 0.1, 0.25, 0.35, 0.1})
	supports := combos(rng, maillage.SpecificSupports, 40, []float64{0.25, 0.35, 0.2, 0.3, 0.15, 0.1, 0.15})
	programs := combos(rng, maillage.NationalPrograms, 80, []float64{0.3, 0.03, 0.05, 0.45, 0.03, 0.15, 0.02, 0.02, 0.05, 0.05, 0.02})
	labels := combos(rng, maillage.TrainingsLabels, 40, []float64{0.3, 0.1, 0.05, 0.05, 0.2, 0.1, 0.03, 0.03, 0.05, 0.03})
	access := combos(rng, maillage.AccessModes, 60, []float64{0.8, 0.6, 0.4, 0.25, 0.02, 0.05})
	modes := combos(rng, maillage.SupportModes, 30, []float64{0.5, 0.8, 0.5, 0.15})
	fees := [][]maillage.Fee{{maillage.FeeFree}, {maillage.FeeFreeUnderTerms}, {maillage.FeePaid}, {maillage.FeeFree, maillage.FeePaid}}
	itinerant, fixed := []maillage.Itinerance{maillage.Itinerant}, []maillage.Itinerance{maillage.Fixed}
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

	out := make([]maillage.Consolidated, n)
	for i := range out {
		s := sites[sort.SearchFloat64s(cum, rng.Float64()*total)]
		k := synthKinds[sort.SearchInts(kindCum, 1+rng.IntN(kindTotal))]
		c := &out[i]
		p := &c.Place
		// a bijection of i, so that ids do not follow the order of generation
		p.ID = "lieu-" + strconv.FormatUint(uint64(i+1)*0x9e3779b97f4a7c15, 36)
		p.Name = k.name + " " + s.c.Name
		if rng.IntN(8) == 0 {
			p.Name = k.name + " " + strconv.Itoa(2+rng.IntN(6))
		}
		p.Commune, p.INSEECode = s.c.Name, s.c.Code
		if len(s.c.PostalCodes) > 0 {
			p.PostalCode = s.c.PostalCodes[0]
		}
		p.Typologies = []maillage.Typology{k.typology}
		switch r := rng.Float64(); {
		case r < 0.02: // no coordinates at all
			c.Precision = ""
		case r < 0.15: // the commune's centre
			p.Latitude, p.Longitude, p.HasCoordinates = s.lat, s.lon, true
			c.Precision = "commune"
		default:
			spread := 0.01 + 0.02*rng.Float64()
			p.Latitude = s.lat + rng.NormFloat64()*spread
			p.Longitude = s.lon + rng.NormFloat64()*spread*1.4
			p.HasCoordinates = true
			c.Precision = "exact"
		}
		p.OpeningHours = synthHours[sort.SearchInts(hoursCum, 1+rng.IntN(hoursTotal))].value
		p.Summary = synthSummaries[rng.IntN(len(synthSummaries))]
		if rng.IntN(50) == 0 {
			p.UpdatedOn = time.Time{} // unknown
		} else {
			p.UpdatedOn = base.AddDate(0, 0, rng.IntN(5*365))
		}
		p.Services = services[rng.IntN(len(services))]
		if rng.IntN(3) == 0 {
			p.Publics = publics[rng.IntN(len(publics))]
		}
		if rng.IntN(5) == 0 {
			p.SpecificSupport = supports[rng.IntN(len(supports))]
		}
		switch r := rng.IntN(20); {
		case r < 13:
			p.Fees = fees[0]
		case r < 16:
			p.Fees = fees[1]
		case r < 18:
			p.Fees = fees[2]
		case r < 19:
			p.Fees = fees[3]
		}
		if rng.IntN(2) == 0 {
			p.NationalPrograms = programs[rng.IntN(len(programs))]
		}
		if rng.IntN(5) == 0 {
			p.TrainingsLabels = labels[rng.IntN(len(labels))]
		}
		p.AccessModes = access[rng.IntN(len(access))]
		p.SupportModes = modes[rng.IntN(len(modes))]
		switch rng.IntN(20) {
		case 0:
			p.Itinerance = itinerant
		case 1, 2, 3, 4, 5:
			p.Itinerance = fixed
		}
	}
	return out
}

func weights(n int, w func(i int) int) (cum []int, total int) {
	for i := range n {
		total += w(i)
		cum = append(cum, total)
	}
	return cum, total
}

// combos draws n combinations of values, each value present with its
// probability; a combination is never empty.
func combos[T any](rng *rand.Rand, values []T, n int, p []float64) [][]T {
	out := make([][]T, n)
	for i := range out {
		for len(out[i]) == 0 {
			for j, v := range values {
				if rng.Float64() < p[j] {
					out[i] = append(out[i], v)
				}
			}
		}
	}
	return out
}

// words of a text, for random text queries.
func someWord(rng *rand.Rand, s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[rng.IntN(len(f))]
}
