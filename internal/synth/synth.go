// Package synth writes synthetic files of places in the national schema
// v1.0.2, for benchmarks: real communes with their postal codes and
// coordinates near their centre, a realistic mix of values, and a small
// share of rows with the mistakes real producers make.
package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"maillage"
	"maillage/schema"
	"maillage/territory"
)

// Options sets what Generate writes.
type Options struct {
	Rows int
	Seed uint64
	// FaultyShare is the share of rows given one mistake (bad phone, unknown
	// vocabulary value, swapped coordinates…); 0.05 by default.
	FaultyShare float64
}

var names = []string{
	"Médiathèque", "Espace public numérique", "France Services", "Centre social", "Maison de quartier",
	"Tiers-lieu", "Mairie", "CCAS", "Bibliothèque", "Fablab", "Association Clic Solidaire", "Point numérique",
}

var streets = []string{"rue de la République", "place de la Mairie", "avenue Jean Jaurès", "rue Victor Hugo", "chemin des Écoles", "boulevard Gambetta"}

var hours = []string{
	"Mo-Fr 09:00-12:00,14:00-17:00",
	"Tu-Sa 10:00-18:00",
	"Mo,We,Fr 14:00-18:00; Sa 09:00-12:00",
	"Mo-Th 08:30-12:30,13:30-17:00; Fr 08:30-12:00",
	"We 14:00-17:00",
	"",
}

// Generate writes opts.Rows rows of CSV in the schema's column order.
func Generate(w io.Writer, t *territory.Data, opts Options) error {
	if opts.FaultyShare == 0 {
		opts.FaultyShare = 0.05
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	var communes []*territory.Commune
	for _, c := range t.Communes() {
		if c.HasCentroid && len(c.PostalCodes) > 0 && c.Population > 0 {
			communes = append(communes, c)
		}
	}
	if len(communes) == 0 {
		return fmt.Errorf("synth: no commune with a centroid")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(schema.Columns); err != nil {
		return err
	}
	row := make([]string, len(schema.Columns))
	col := make(map[string]int, len(schema.Columns))
	for i, c := range schema.Columns {
		col[c] = i
	}
	for i := 0; i < opts.Rows; i++ {
		for j := range row {
			row[j] = ""
		}
		c := communes[rng.IntN(len(communes))]
		set := func(field, v string) { row[col[field]] = v }
		set(schema.FieldID, "synth-"+strconv.Itoa(i))
		set(schema.FieldPivot, siret(rng))
		set(schema.FieldName, names[rng.IntN(len(names))]+" "+c.Name)
		set(schema.FieldCommune, c.Name)
		set(schema.FieldPostalCode, c.PostalCodes[rng.IntN(len(c.PostalCodes))])
		set(schema.FieldINSEE, c.Code)
		set(schema.FieldAddress, strconv.Itoa(1+rng.IntN(120))+" "+streets[rng.IntN(len(streets))])
		set(schema.FieldLatitude, strconv.FormatFloat(c.Lat+(rng.Float64()-0.5)*0.02, 'f', 6, 64))
		set(schema.FieldLongitude, strconv.FormatFloat(c.Lon+(rng.Float64()-0.5)*0.02, 'f', 6, 64))
		set(schema.FieldTypology, string(maillage.Typologies[rng.IntN(len(maillage.Typologies))].Code))
		set(schema.FieldTelephone, phone(rng, c.Departement))
		set(schema.FieldEmails, "contact"+strconv.Itoa(i)+"@exemple.fr")
		if rng.IntN(2) == 0 {
			set(schema.FieldWebsite, "https://www.exemple.fr/lieu/"+strconv.Itoa(i))
		}
		set(schema.FieldHours, hours[rng.IntN(len(hours))])
		set(schema.FieldSummary, "Accompagnement au numérique pour tous les habitants de "+c.Name+".")
		set(schema.FieldSource, "synthétique")
		set(schema.FieldUpdatedOn, fmt.Sprintf("20%02d-%02d-%02d", 21+rng.IntN(5), 1+rng.IntN(12), 1+rng.IntN(28)))
		set(schema.FieldServices, pick(rng, labels(maillage.Services), 1+rng.IntN(4)))
		if rng.IntN(3) == 0 {
			set(schema.FieldPublics, pick(rng, labels(maillage.Publics), 1))
		}
		set(schema.FieldFees, pick(rng, labels(maillage.Fees), 1))
		if rng.IntN(2) == 0 {
			set(schema.FieldNationalPrograms, pick(rng, labels(maillage.NationalPrograms), 1+rng.IntN(2)))
		}
		set(schema.FieldAccessModes, pick(rng, labels(maillage.AccessModes), 1+rng.IntN(2)))
		set(schema.FieldSupportModes, pick(rng, labels(maillage.SupportModes), 1+rng.IntN(3)))
		if rng.Float64() < opts.FaultyShare {
			spoil(rng, row, col)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// spoil gives a row one of the mistakes of real files.
func spoil(rng *rand.Rand, row []string, col map[string]int) {
	switch rng.IntN(6) {
	case 0:
		row[col[schema.FieldTelephone]] = "01 23"
	case 1:
		row[col[schema.FieldServices]] = "Aide aux demarches"
	case 2:
		lat, lon := col[schema.FieldLatitude], col[schema.FieldLongitude]
		row[lat], row[lon] = row[lon], row[lat]
	case 3:
		row[col[schema.FieldPivot]] = "00000000000000"
	case 4:
		row[col[schema.FieldUpdatedOn]] = "1970-01-01"
	case 5:
		row[col[schema.FieldEmails]] = "contact@"
	}
}

func labels[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func pick(rng *rand.Rand, from []string, n int) string {
	idx := rng.Perm(len(from))
	if n > len(from) {
		n = len(from)
	}
	parts := make([]string, n)
	for i := 0; i < n; i++ {
		parts[i] = from[idx[i]]
	}
	return strings.Join(parts, "|")
}

// siret returns a random SIRET that passes the Luhn check.
func siret(rng *rand.Rand) string {
	var d [14]byte
	for i := 0; i < 13; i++ {
		d[i] = byte('0' + rng.IntN(10))
	}
	for last := byte('0'); last <= '9'; last++ {
		d[13] = last
		if luhnOK(d[:]) {
			break
		}
	}
	return string(d[:])
}

func luhnOK(d []byte) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// phone writes a number the way producers do: international, national
// with spaces or dots.
func phone(rng *rand.Rand, departement string) string {
	if len(departement) == 3 {
		return "" // overseas numbering is exercised by the real files
	}
	n := fmt.Sprintf("0%d%08d", 1+rng.IntN(5), rng.IntN(100000000))
	switch rng.IntN(3) {
	case 0:
		return "+33" + n[1:]
	case 1:
		return n[0:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:8] + " " + n[8:10]
	}
	return n[0:2] + "." + n[2:4] + "." + n[4:6] + "." + n[6:8] + "." + n[8:10]
}
