package territory

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"maillage/fold"
)

// Sources holds the files Load reads. Each is a delimited text file with a
// header line naming its columns, either comma-separated (CSV with RFC 4180
// quoting, as in the shared data folder) or tab-separated without quoting
// (as embedded). Columns are found by name, so their order does not matter
// and extra columns are ignored; a record must fit on one line. A nil
// reader counts as an empty file: a test can load communes only.
type Sources struct {
	// Communes: code_insee, nom, type, commune_parente, departement, region,
	// epci_siren, population, codes_postaux ('|'-joined), latitude,
	// longitude.
	Communes io.Reader
	// PostalCodes: code_postal, code_insee, nom_commune,
	// libelle_acheminement.
	PostalCodes io.Reader
	// EPCI: siren, nom, type, population_municipale, codes_insee_membres
	// ('|'-joined).
	EPCI io.Reader
	// Departements: code, nom, region, chef_lieu, zone,
	// population_municipale.
	Departements io.Reader
	// Regions: code, nom, chef_lieu, zone, population_municipale.
	Regions io.Reader
}

// Load builds a territory from the source files.
func Load(src Sources) (*Data, error) {
	read := func(r io.Reader) (string, error) {
		if r == nil {
			return "", nil
		}
		b, err := io.ReadAll(r)
		return string(b), err
	}
	var texts [5]string
	for i, r := range []io.Reader{src.Communes, src.PostalCodes, src.EPCI, src.Departements, src.Regions} {
		var err error
		if texts[i], err = read(r); err != nil {
			return nil, err
		}
	}
	var p parsed
	if err := p.parseCommunes(texts[0]); err != nil {
		return nil, err
	}
	if err := p.parsePostalCodes(texts[1]); err != nil {
		return nil, err
	}
	if err := p.parseSmall(texts[2], texts[3], texts[4]); err != nil {
		return nil, err
	}
	return p.build()
}

// loadEmbedded loads the embedded files, decompressing and parsing the
// three groups of files in parallel.
func loadEmbedded() (*Data, error) {
	var p parsed
	errs := make(chan error, 3)
	go func() {
		text, err := gunzip(communesGz)
		if err == nil {
			err = p.parseCommunes(text)
		}
		errs <- err
	}()
	go func() {
		text, err := gunzip(postalCodesGz)
		if err == nil {
			err = p.parsePostalCodes(text)
		}
		errs <- err
	}()
	go func() {
		var texts [3]string
		for i, gz := range [][]byte{epciGz, departementsGz, regionsGz} {
			var err error
			if texts[i], err = gunzip(gz); err != nil {
				errs <- err
				return
			}
		}
		errs <- p.parseSmall(texts[0], texts[1], texts[2])
	}()
	var err error
	for range 3 {
		err = errors.Join(err, <-errs)
	}
	if err != nil {
		return nil, err
	}
	return p.build()
}

// gunzip decompresses gz into a string, allocating the output once from
// the size recorded in the gzip trailer.
func gunzip(gz []byte) (string, error) {
	z, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return "", err
	}
	size := 0
	if n := len(gz); n >= 4 {
		size = int(gz[n-4]) | int(gz[n-3])<<8 | int(gz[n-2])<<16 | int(gz[n-1])<<24
	}
	var b strings.Builder
	b.Grow(size + 1)
	if _, err := io.Copy(&b, z); err != nil {
		return "", err
	}
	return b.String(), z.Close()
}

// parsed holds the parsed files before they are joined. The three groups
// of fields are written by different goroutines in loadEmbedded.
type parsed struct {
	communes []Commune
	commCPs  [][]int32 // postal codes of communes[i] from the commune file
	cpNames  map[int32]string

	cpRows    []cpRow
	cpNamesCP map[int32]string

	epcis   []EPCI
	deps    []Departement
	regions []Region
}

// cpRow is a line of the postal code file.
type cpRow struct {
	cp                  int32
	insee, nom, libelle string
}

func (p *parsed) parseCommunes(text string) error {
	cols := []string{"code_insee", "nom", "type", "commune_parente", "departement", "region",
		"epci_siren", "population", "codes_postaux", "latitude", "longitude"}
	n := strings.Count(text, "\n")
	p.communes = make([]Commune, 0, n)
	p.commCPs = make([][]int32, 0, n)
	p.cpNames = make(map[int32]string, 8000)
	cpBuf := make([]int32, 0, n+n/4)
	return readTable("communes", text, cols, func(f []string) error {
		c := Commune{Code: f[0], Name: f[1], Type: f[2], Parent: f[3], Departement: f[4], Region: f[5], EPCI: f[6]}
		switch c.Type {
		case TypeCommune:
			c.Type = TypeCommune
		case TypeArrondissement:
			c.Type = TypeArrondissement
		default:
			return fmt.Errorf("commune %s: unknown type %q", c.Code, c.Type)
		}
		var err error
		if f[7] != "" {
			if c.Population, err = strconv.Atoi(f[7]); err != nil {
				return fmt.Errorf("commune %s: population: %v", c.Code, err)
			}
		}
		if f[9] != "" && f[10] != "" {
			if c.Lat, err = strconv.ParseFloat(f[9], 64); err != nil {
				return fmt.Errorf("commune %s: latitude: %v", c.Code, err)
			}
			if c.Lon, err = strconv.ParseFloat(f[10], 64); err != nil {
				return fmt.Errorf("commune %s: longitude: %v", c.Code, err)
			}
			c.HasCentroid = true
		}
		start := len(cpBuf)
		for cps := f[8]; cps != ""; {
			var one string
			one, cps, _ = strings.Cut(cps, "|")
			cp, ok := parsePostalCode(one)
			if !ok {
				return fmt.Errorf("commune %s: bad postal code %q", c.Code, one)
			}
			if _, ok := p.cpNames[cp]; !ok {
				p.cpNames[cp] = strings.Clone(one)
			}
			cpBuf = append(cpBuf, cp)
		}
		p.communes = append(p.communes, c)
		p.commCPs = append(p.commCPs, cpBuf[start:len(cpBuf):len(cpBuf)])
		return nil
	})
}

func (p *parsed) parsePostalCodes(text string) error {
	cols := []string{"code_postal", "code_insee", "nom_commune", "libelle_acheminement"}
	p.cpRows = make([]cpRow, 0, strings.Count(text, "\n"))
	p.cpNamesCP = make(map[int32]string, 8000)
	return readTable("codes_postaux", text, cols, func(f []string) error {
		cp, ok := parsePostalCode(f[0])
		if !ok {
			return fmt.Errorf("codes_postaux: bad postal code %q", f[0])
		}
		if _, ok := p.cpNamesCP[cp]; !ok {
			p.cpNamesCP[cp] = strings.Clone(f[0])
		}
		p.cpRows = append(p.cpRows, cpRow{cp: cp, insee: f[1], nom: f[2], libelle: f[3]})
		return nil
	})
}

func (p *parsed) parseSmall(epci, deps, regions string) error {
	atoi := func(what, s string) (int, error) {
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%s: %v", what, err)
		}
		return n, nil
	}
	err := readTable("epci", epci, []string{"siren", "nom", "type", "population_municipale", "codes_insee_membres"}, func(f []string) error {
		pop, err := atoi("epci "+f[0], f[3])
		if err != nil {
			return err
		}
		var members []string
		if f[4] != "" {
			members = strings.Split(strings.Clone(f[4]), "|")
		}
		p.epcis = append(p.epcis, EPCI{Siren: strings.Clone(f[0]), Name: strings.Clone(f[1]),
			Type: strings.Clone(f[2]), Population: pop, Communes: members})
		return nil
	})
	if err != nil {
		return err
	}
	err = readTable("departements", deps, []string{"code", "nom", "region", "chef_lieu", "zone", "population_municipale"}, func(f []string) error {
		pop, err := atoi("departement "+f[0], f[5])
		if err != nil {
			return err
		}
		p.deps = append(p.deps, Departement{Code: strings.Clone(f[0]), Name: strings.Clone(f[1]),
			Region: strings.Clone(f[2]), ChefLieu: strings.Clone(f[3]), Zone: strings.Clone(f[4]), Population: pop})
		return nil
	})
	if err != nil {
		return err
	}
	return readTable("regions", regions, []string{"code", "nom", "chef_lieu", "zone", "population_municipale"}, func(f []string) error {
		pop, err := atoi("region "+f[0], f[4])
		if err != nil {
			return err
		}
		p.regions = append(p.regions, Region{Code: strings.Clone(f[0]), Name: strings.Clone(f[1]),
			ChefLieu: strings.Clone(f[2]), Zone: strings.Clone(f[3]), Population: pop})
		return nil
	})
}

// build joins the parsed files into a Data.
func (p *parsed) build() (*Data, error) {
	d := &Data{epcis: p.epcis, deps: p.deps, regions: p.regions}
	byCode := func(a, b string) int { return strings.Compare(a, b) }
	slices.SortFunc(d.epcis, func(a, b EPCI) int { return byCode(a.Siren, b.Siren) })
	slices.SortFunc(d.deps, func(a, b Departement) int { return byCode(a.Code, b.Code) })
	slices.SortFunc(d.regions, func(a, b Region) int { return byCode(a.Code, b.Code) })

	// Communes, sorted by code (the embedded file already is).
	if !slices.IsSortedFunc(p.communes, func(a, b Commune) int { return byCode(a.Code, b.Code) }) {
		idx := make([]int, len(p.communes))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return byCode(p.communes[a].Code, p.communes[b].Code) })
		cs := make([]Commune, len(idx))
		cps := make([][]int32, len(idx))
		for i, j := range idx {
			cs[i], cps[i] = p.communes[j], p.commCPs[j]
		}
		p.communes, p.commCPs = cs, cps
	}
	for i := 1; i < len(p.communes); i++ {
		if p.communes[i].Code == p.communes[i-1].Code {
			return nil, fmt.Errorf("communes: duplicate code %s", p.communes[i].Code)
		}
	}
	d.communes = p.communes
	compactStrings(d)
	d.byCode = make([]int32, codeSlots)
	for i := range d.communes {
		if slot, ok := codeSlot(d.communes[i].Code); ok {
			d.byCode[slot] = int32(i + 1)
		}
	}

	// Postal entries from both files. The rows of the postal code file
	// are joined to the communes by a merge when both are sorted by INSEE
	// code (as embedded), by binary search otherwise.
	postal := make([]postalEntry, 0, len(p.cpRows)+len(d.communes))
	for i, cps := range p.commCPs {
		for _, cp := range cps {
			postal = append(postal, postalEntry{cp: cp, commune: int32(i), src: srcCommunes})
		}
	}
	var old []cpRow // rows of communes that no longer exist
	merge := slices.IsSortedFunc(p.cpRows, func(a, b cpRow) int { return strings.Compare(a.insee, b.insee) })
	next := 0
	for _, r := range p.cpRows {
		i, ok := 0, false
		if merge {
			for next < len(d.communes) && d.communes[next].Code < r.insee {
				next++
			}
			i, ok = next, next < len(d.communes) && d.communes[next].Code == r.insee
		} else {
			i, ok = d.communeIndex(r.insee)
		}
		if !ok {
			old = append(old, r)
			continue
		}
		postal = append(postal, postalEntry{cp: r.cp, commune: int32(i), src: srcPostal})
		d.addAliases(r.cp, int32(i), r.nom, r.libelle)
	}
	postal = sortPostal(postal)
	d.postal = postal[:0]
	for _, e := range postal {
		if n := len(d.postal); n > 0 && d.postal[n-1].cp == e.cp && d.postal[n-1].commune == e.commune {
			d.postal[n-1].src |= e.src
			continue
		}
		d.postal = append(d.postal, e)
	}
	d.postal = slices.Clip(d.postal)
	d.resolveOld(old)
	slices.SortStableFunc(d.aliases, func(a, b alias) int { return int(a.cp - b.cp) })

	// Postal codes of each commune, from the merged entries.
	counts := make([]int32, len(d.communes)+1)
	for _, e := range d.postal {
		counts[e.commune+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	all := make([]string, len(d.postal))
	fill := slices.Clone(counts[:len(d.communes)])
	for _, e := range d.postal { // in postal code order, so each list is sorted
		name, ok := p.cpNames[e.cp]
		if !ok {
			name = p.cpNamesCP[e.cp]
		}
		all[fill[e.commune]] = name
		fill[e.commune]++
	}
	for i := range d.communes {
		a, b := counts[i], counts[i+1]
		if a < b {
			d.communes[i].PostalCodes = all[a:b:b]
		}
	}
	return d, nil
}

// sortPostal sorts entries by postal code then commune: a counting sort on
// the postal code, then an insertion sort of each postal code's few
// entries.
func sortPostal(entries []postalEntry) []postalEntry {
	const codes = 100000
	start := make([]int32, codes+1)
	for _, e := range entries {
		start[e.cp+1]++
	}
	for i := 1; i <= codes; i++ {
		start[i] += start[i-1]
	}
	out := make([]postalEntry, len(entries))
	for _, e := range entries {
		out[start[e.cp]] = e
		start[e.cp]++
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j-1].cp == out[j].cp && out[j-1].commune > out[j].commune; j-- {
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
	return out
}

// Sources of a postal entry.
const (
	srcCommunes = 1 << iota // the commune file lists the postal code
	srcPostal               // the postal code file lists the pair
)

// addAliases records the names of the postal code file that do not match
// the commune's official name.
func (d *Data) addAliases(cp, commune int32, names ...string) {
	c := &d.communes[commune]
	official, parent := "", ""
	for _, n := range names {
		if n == "" || n == c.Name || fold.Equal(n, c.Name) {
			continue
		}
		if official == "" {
			official = matchKey(c.Name)
			if i, ok := d.communeIndex(c.Parent); ok {
				parent = matchKey(d.communes[i].Name)
			}
		}
		k := matchKey(n)
		// The libellé of an arrondissement is its commune's name
		// ("MARSEILLE"): that name belongs to the commune.
		if k == "" || k == official || k == parent {
			continue
		}
		d.addAlias(alias{cp: cp, commune: commune, key: k})
	}
}

func (d *Data) addAlias(a alias) {
	for i := len(d.aliases) - 1; i >= 0 && i >= len(d.aliases)-4; i-- {
		if d.aliases[i] == a {
			return
		}
	}
	d.aliases = append(d.aliases, a)
}

// resolveOld attaches the rows of the postal code file whose INSEE code no
// longer exists (communes merged into a commune nouvelle) to the commune
// that replaced them, when the data tells which one it is:
//   - the only commune of the same département that gained one of the old
//     commune's postal codes (the commune file lists the pair, the older
//     postal code file does not), as Pierrefitte-sur-Seine (93059, 93380)
//     merged into Saint-Denis;
//   - else the only commune serving those postal codes whose name contains
//     the old name as whole words, as Corbès in Thoiras-Corbès.
//
// Other old names stay unknown.
func (d *Data) resolveOld(rows []cpRow) {
	slices.SortStableFunc(rows, func(a, b cpRow) int { return strings.Compare(a.insee, b.insee) })
	for len(rows) > 0 {
		n := 1
		for n < len(rows) && rows[n].insee == rows[0].insee {
			n++
		}
		group := rows[:n]
		rows = rows[n:]
		dep := DepartementOfINSEE(group[0].insee)
		found := int32(-1)
		unique := true
		for _, r := range group {
			for _, e := range d.postalRange(r.cp, r.cp+1) {
				if e.src != srcCommunes || d.communes[e.commune].Departement != dep {
					continue
				}
				if found >= 0 && found != e.commune {
					unique = false
				}
				found = e.commune
			}
		}
		if found < 0 || !unique {
			found, unique = -1, true
			oldKey := " " + matchKey(group[0].nom) + " "
			for _, r := range group {
				for _, e := range d.postalRange(r.cp, r.cp+1) {
					if !strings.Contains(" "+matchKey(d.communes[e.commune].Name)+" ", oldKey) {
						continue
					}
					if found >= 0 && found != e.commune {
						unique = false
					}
					found = e.commune
				}
			}
		}
		if found < 0 || !unique {
			continue
		}
		for _, r := range group {
			for _, name := range []string{r.nom, r.libelle} {
				if k := matchKey(name); k != "" {
					d.addAlias(alias{cp: r.cp, commune: found, key: k})
				}
			}
		}
	}
}

// compactStrings copies the codes and names of the communes into one
// string, so that the decompressed file can be freed, and shares the other
// codes with the départements, régions and EPCI.
func compactStrings(d *Data) {
	size := 0
	for i := range d.communes {
		size += len(d.communes[i].Code) + len(d.communes[i].Name)
	}
	var b strings.Builder
	b.Grow(size)
	for i := range d.communes {
		b.WriteString(d.communes[i].Code)
		b.WriteString(d.communes[i].Name)
	}
	arena := b.String()
	intern := make(map[string]string, len(d.deps)+len(d.regions)+len(d.epcis))
	for i := range d.deps {
		intern[d.deps[i].Code] = d.deps[i].Code
	}
	for i := range d.regions {
		intern[d.regions[i].Code] = d.regions[i].Code
	}
	for i := range d.epcis {
		intern[d.epcis[i].Siren] = d.epcis[i].Siren
	}
	share := func(s string) string {
		if s == "" {
			return ""
		}
		if t, ok := intern[s]; ok {
			return t
		}
		t := strings.Clone(s)
		intern[t] = t
		return t
	}
	off := 0
	for i := range d.communes {
		c := &d.communes[i]
		c.Code = arena[off : off+len(c.Code)]
		off += len(c.Code)
		c.Name = arena[off : off+len(c.Name)]
		off += len(c.Name)
		c.Departement = share(c.Departement)
		c.Region = share(c.Region)
		c.EPCI = share(c.EPCI)
	}
	for i := range d.communes {
		c := &d.communes[i]
		if c.Parent != "" {
			if j, ok := d.communeIndex(c.Parent); ok {
				c.Parent = d.communes[j].Code
			} else {
				c.Parent = share(c.Parent)
			}
		}
	}
}

// readTable reads a delimited text with a header line and calls row with
// the wanted columns of each record, in the order of want. The strings
// passed to row are substrings of text.
func readTable(name, text string, want []string, row func(f []string) error) error {
	text = strings.TrimPrefix(text, "\ufeff")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	line, text, _ := strings.Cut(text, "\n")
	line = strings.TrimSuffix(line, "\r")
	delim := byte(',')
	if strings.IndexByte(line, '\t') >= 0 {
		delim = '\t'
	}
	header, err := splitLine(line, delim, nil)
	if err != nil {
		return fmt.Errorf("%s: header: %v", name, err)
	}
	header = slices.Clone(header)
	idx := make([]int, len(want))
	for j, w := range want {
		idx[j] = slices.Index(header, w)
		if idx[j] < 0 {
			return fmt.Errorf("%s: missing column %q", name, w)
		}
	}
	fields := make([]string, 0, len(header))
	rec := make([]string, len(want))
	for n := 2; text != ""; n++ {
		line, text, _ = strings.Cut(text, "\n")
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if fields, err = splitLine(line, delim, fields[:0]); err != nil {
			return fmt.Errorf("%s: line %d: %v", name, n, err)
		}
		if len(fields) != len(header) {
			return fmt.Errorf("%s: line %d: %d fields, want %d", name, n, len(fields), len(header))
		}
		for j, i := range idx {
			rec[j] = fields[i]
		}
		if err := row(rec); err != nil {
			return fmt.Errorf("%s: line %d: %v", name, n, err)
		}
	}
	return nil
}

// splitLine splits a line on delim. A comma-separated line holding a quote
// is read with encoding/csv.
func splitLine(line string, delim byte, dst []string) ([]string, error) {
	if delim == ',' && strings.IndexByte(line, '"') >= 0 {
		r := csv.NewReader(strings.NewReader(line))
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		return append(dst, rec...), err
	}
	for {
		i := strings.IndexByte(line, delim)
		if i < 0 {
			return append(dst, line), nil
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}
