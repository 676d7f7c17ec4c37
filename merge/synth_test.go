package merge

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"maillage"
	"maillage/territory"
)

var (
	synthKinds = []string{"Médiathèque", "France services", "Mairie de", "Espace numérique", "Centre social", "Association",
		"Tiers-lieu", "EPN", "CCAS de", "Maison de quartier", "Point numérique", "Fablab"}
	synthWords = []string{"Jean Moulin", "Victor Hugo", "Les Tilleuls", "Louise Michel", "Jules Verne", "La Fontaine",
		"Du Centre", "Saint-Exupéry", "Pablo Picasso", "Les Lilas", "Simone Veil", "Aimé Césaire", "Le Lien", "Le Phare",
		"La Passerelle", "Trait d'Union", "Les Copains", "Cyber", "Horizon", "L'Atelier", "Le Relais", "Arc-en-ciel"}
	synthStreets = []string{"rue de la République", "avenue Jean Jaurès", "place de la Mairie", "rue Victor Hugo",
		"boulevard Gambetta", "rue du Général Leclerc", "chemin des Écoles", "rue de la Gare", "allée des Tilleuls"}
	synthSources = []string{"alpha", "beta", "gamma", "delta", "epsilon"}
)

// synthetic generates n records of places with realistic duplicate rates:
// about 65 % of places have one record, 25 % two, 10 % three (across
// sources, sometimes within one), with the variations real sources show:
// case, abbreviations, prefixes, jittered points, commune centres instead
// of points, missing phones, shared programme ids. It returns the records
// and, for each, the index of its true place.
func synthetic(n int, seed uint64) ([]maillage.Record, []int) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	terr := territory.Default()
	var communes []*territory.Commune
	for _, c := range terr.Communes() {
		if c.HasCentroid && !c.IsArrondissement() {
			communes = append(communes, c)
		}
	}
	recs := make([]maillage.Record, 0, n)
	truth := make([]int, 0, n)
	ids := make([]int, len(synthSources))
	date := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for place := 0; len(recs) < n; place++ {
		c := communes[rng.IntN(len(communes))]
		kind := synthKinds[rng.IntN(len(synthKinds))]
		name := kind + " " + synthWords[rng.IntN(len(synthWords))]
		if strings.HasSuffix(kind, "de") {
			name = kind + " " + c.Name
		}
		num := fmt.Sprint(1 + rng.IntN(120))
		street := synthStreets[rng.IntN(len(synthStreets))]
		// within 3 km of the centre
		lat := c.Lat + (rng.Float64()-0.5)*0.05
		lon := c.Lon + (rng.Float64()-0.5)*0.05/math.Cos(c.Lat*math.Pi/180)
		phone := fmt.Sprintf("+333%08d", rng.IntN(1e8))
		var hex string
		if rng.IntN(4) == 0 {
			hex = fmt.Sprintf("%024x", rng.Uint64()<<32|uint64(place))
		}
		copies := 1
		switch r := rng.IntN(100); {
		case r < 10:
			copies = 3
		case r < 35:
			copies = 2
		}
		for k := 0; k < copies && len(recs) < n; k++ {
			s := rng.IntN(len(synthSources))
			ids[s]++
			id := fmt.Sprintf("%s-%d", synthSources[s], ids[s])
			if hex != "" && rng.IntN(2) == 0 {
				id = "mediation-numerique-conseiller-numerique-" + hex
				if k > 0 {
					id = hex + "-" + synthSources[s]
				}
			}
			p := maillage.Place{ID: id, Name: name, Commune: c.Name, INSEECode: c.Code, Address: num + " " + street,
				Latitude: lat, Longitude: lon, HasCoordinates: true, Telephone: phone,
				UpdatedOn: date.AddDate(0, 0, rng.IntN(900))}
			if len(c.PostalCodes) > 0 {
				p.PostalCode = c.PostalCodes[0]
			}
			if k > 0 { // variations of a duplicate
				switch rng.IntN(5) {
				case 0:
					p.Name = strings.ToUpper(p.Name)
				case 1:
					p.Name = strings.ReplaceAll(p.Name, "Saint", "St")
				case 2:
					p.Address = strings.ReplaceAll(strings.ReplaceAll(p.Address, "avenue", "av."), "boulevard", "bd")
				case 3:
					p.Telephone = ""
				}
				p.Latitude += (rng.Float64() - 0.5) * 0.0008
				p.Longitude += (rng.Float64() - 0.5) * 0.0008
			}
			prec := maillage.PrecisionExact
			if rng.IntN(10) == 0 {
				p.Latitude, p.Longitude, prec = c.Lat, c.Lon, maillage.PrecisionCommune
			}
			recs = append(recs, maillage.Record{Source: synthSources[s], ID: id, Precision: prec, Place: p})
			truth = append(truth, place)
		}
	}
	// ids must be unique within a source
	seen := map[RecordRef]bool{}
	for i := range recs {
		r := RecordRef{Source: recs[i].Source, ID: recs[i].ID}
		for seen[r] {
			recs[i].ID += "x"
			recs[i].Place.ID = recs[i].ID
			r = RecordRef{Source: recs[i].Source, ID: recs[i].ID}
		}
		seen[r] = true
	}
	return recs, truth
}
