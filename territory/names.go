package territory

import (
	"slices"
	"strings"

	"maillage/fold"
)

// matchKey returns the key under which a commune name is matched: its fold
// key with the variants of real files made equal.
//   - "St", "Ste", "Sts", "Stes" become "saint", "sainte", "saints",
//     "saintes";
//   - a leading article is dropped, and an article written in parentheses
//     after the name ("Havre (Le)") too: "Le Havre", "Havre (Le)" and
//     "Havre" share a key; another parenthesised part ("(Rhône)") is
//     dropped;
//   - arrondissements lose their "Arrondissement", "Arr", "Ardt" word and
//     their ordinal suffix: "Paris 10e Arrondissement", "PARIS 10" and
//     "Paris 10ème" all become "paris 10", "Lyon 01" becomes "lyon 1";
//   - "CEDEX" and its number are dropped.
func matchKey(name string) string {
	if i := strings.IndexByte(name, '('); i >= 0 {
		// "Havre (Le)": the article goes, as a leading one would below;
		// "Saint-Denis (Réunion)": the precision goes too.
		after := ""
		if j := strings.IndexByte(name[i:], ')'); j >= 0 {
			after = name[i+j+1:]
		}
		name = name[:i] + " " + after
	}
	k := fold.Key(name)
	if k == "" {
		return ""
	}
	toks := strings.Split(k, " ")
	out := toks[:0]
	skipNumber := false
	for _, t := range toks {
		if skipNumber {
			skipNumber = false
			if isDigits(t) {
				continue
			}
		}
		switch t {
		case "st":
			t = "saint"
		case "ste":
			t = "sainte"
		case "sts":
			t = "saints"
		case "stes":
			t = "saintes"
		case "arrondissement", "arr", "arrt", "ardt", "arrdt":
			continue
		case "cedex":
			skipNumber = true
			continue
		case "e", "eme", "em", "er", "ere":
			if len(out) > 0 && isDigits(out[len(out)-1]) {
				continue
			}
		}
		if t[0] >= '0' && t[0] <= '9' {
			t = ordinalNumber(t)
		}
		out = append(out, t)
	}
	if len(out) > 1 && isArticle(out[0]) {
		out = out[1:]
	}
	return strings.Join(out, " ")
}

func isArticle(s string) bool {
	return s == "le" || s == "la" || s == "les" || s == "l"
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ordinalNumber turns "10e", "1er", "3eme", "02" into "10", "1", "3", "2";
// other tokens starting with a digit are returned unchanged.
func ordinalNumber(t string) string {
	n := 0
	for n < len(t) && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	switch t[n:] {
	case "", "e", "eme", "em", "er", "ere":
	default:
		return t
	}
	digits := strings.TrimLeft(t[:n], "0")
	if digits == "" {
		digits = "0"
	}
	return digits
}

// FindCommune returns the commune or arrondissement named name that the
// postal code serves. Names match by matchKey rules (case, accents,
// punctuation, "St"/"Ste", articles, arrondissement spellings) and also
// match the other names the postal code file gives for that postal code,
// which include old names of communes merged into a commune nouvelle:
// ("16330", "Vars") finds La Boixe. "PARIS 10" or "Marseille 11e
// Arrondissement" find the arrondissement, "Paris" or "Marseille" the
// commune.
//
// When the name matches no commune of the postal code:
//   - if the postal code serves a single commune (not counting the commune
//     whose arrondissement it serves), that commune is returned: the name
//     is then taken to be a hamlet, a misspelling or an unknown old name;
//   - else, if the name matches a single commune of the postal code's
//     département (or of France, when the postal code is not a known
//     one), that commune is returned: the postal code was wrong.
func (d *Data) FindCommune(postalCode, name string) (*Commune, bool) {
	postalCode = strings.TrimSpace(postalCode)
	k := matchKey(name)
	var entries []postalEntry
	cp, cpOK := parsePostalCode(postalCode)
	if cpOK {
		entries = d.postalRange(cp, cp+1)
	}
	if k != "" {
		for _, e := range entries {
			if matchKey(d.communes[e.commune].Name) == k {
				return &d.communes[e.commune], true
			}
		}
		if cpOK {
			i, _ := slices.BinarySearchFunc(d.aliases, cp, func(a alias, cp int32) int { return int(a.cp - cp) })
			for ; i < len(d.aliases) && d.aliases[i].cp == cp; i++ {
				if d.aliases[i].key == k {
					return &d.communes[d.aliases[i].commune], true
				}
			}
		}
	}
	if c, ok := d.singleCommune(entries); ok {
		return c, true
	}
	if k == "" {
		return nil, false
	}
	if c, ok := d.containingName(entries, k); ok {
		return c, true
	}
	dep := ""
	if len(entries) > 0 {
		dep = postalDepartement(postalCode)
	}
	var found *Commune
	for _, c := range d.byMatchKey(k) {
		if dep != "" && c.Departement != dep && (dep != "20" || c.Departement[0] != '2') {
			continue
		}
		if found != nil && found != c {
			return nil, false
		}
		found = c
	}
	return found, found != nil
}

// containingName returns the only commune of entries whose name holds the
// words of k in a row: the name a commune nouvelle took from one of its
// former communes ("Mansle" → "Mansle-les-Fontaines", "Vire" → "Vire
// Normandie"), or a name written short ("Saint Gervais" for
// "Saint-Gervais-les-Bains" when the postal code has no other Saint-Gervais).
func (d *Data) containingName(entries []postalEntry, k string) (*Commune, bool) {
	var found *Commune
	needle := " " + k + " "
	for _, e := range entries {
		c := &d.communes[e.commune]
		if !strings.Contains(" "+matchKey(c.Name)+" ", needle) {
			continue
		}
		if found != nil && found != c && found.Code != c.Parent && c.Code != found.Parent {
			return nil, false
		}
		if found == nil || c.Parent == found.Code {
			found = c
		}
	}
	return found, found != nil
}

// singleCommune returns the commune of entries when there is only one,
// ignoring a commune whose arrondissement is also there.
func (d *Data) singleCommune(entries []postalEntry) (*Commune, bool) {
	var found *Commune
	for _, e := range entries {
		c := &d.communes[e.commune]
		if found != nil && found.Code == c.Parent {
			found = c
			continue
		}
		if found != nil && c.Code == found.Parent {
			continue
		}
		if found != nil {
			return nil, false
		}
		found = c
	}
	return found, found != nil
}

// postalDepartement returns the département a postal code belongs to:
// its first two digits, three for overseas, "20" for Corse (2A or 2B).
func postalDepartement(cp string) string {
	if strings.HasPrefix(cp, "97") || strings.HasPrefix(cp, "98") {
		return cp[:3]
	}
	return cp[:2]
}

// FindCommuneByName returns the communes and arrondissements whose name or
// other known name matches name by the rules of FindCommune. Communes
// whose official name has the same fold key as name come first, then by
// decreasing population.
func (d *Data) FindCommuneByName(name string) []*Commune {
	k := matchKey(name)
	if k == "" {
		return nil
	}
	found := d.byMatchKey(k)
	exact := fold.Key(name)
	slices.SortStableFunc(found, func(a, b *Commune) int {
		ea, eb := fold.Equal(a.Name, exact), fold.Equal(b.Name, exact)
		switch {
		case ea && !eb:
			return -1
		case eb && !ea:
			return 1
		}
		return b.Population - a.Population
	})
	return found
}

// nameEntry indexes a commune by the matchKey of one of its names.
type nameEntry struct {
	key     string
	commune int32
}

// byMatchKey returns the distinct communes having a name with key k, in
// code order.
func (d *Data) byMatchKey(k string) []*Commune {
	d.namesOnce.Do(d.buildNames)
	i, _ := slices.BinarySearchFunc(d.names, k, func(e nameEntry, k string) int { return strings.Compare(e.key, k) })
	var out []*Commune
	for ; i < len(d.names) && d.names[i].key == k; i++ {
		c := &d.communes[d.names[i].commune]
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	return out
}

func (d *Data) buildNames() {
	names := make([]nameEntry, 0, len(d.communes)+len(d.aliases))
	for i := range d.communes {
		names = append(names, nameEntry{key: matchKey(d.communes[i].Name), commune: int32(i)})
	}
	for _, a := range d.aliases {
		names = append(names, nameEntry{key: a.key, commune: a.commune})
	}
	slices.SortFunc(names, func(a, b nameEntry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.commune - b.commune)
	})
	d.names = names
}

// searchIndex is the autocomplete index: fold keys of the names, and the
// same keys from the start of each of their words but the first, each
// sorted.
type searchIndex struct {
	full  []searchEntry
	words []searchEntry
	// hot holds, for the prefixes that start more than hotMin names, the
	// indexes in full of their best hotLimit entries, best first: short
	// queries ("s", "saint") need not scan thousands of names.
	hot map[string][]int32
}

const (
	hotMin   = 256
	hotLimit = 64
)

type searchEntry struct {
	key        string
	commune    int32
	population int32
}

func (d *Data) buildSearch() {
	full := make([]searchEntry, 0, len(d.communes))
	words := make([]searchEntry, 0, 2*len(d.communes))
	for i := range d.communes {
		c := &d.communes[i]
		k := fold.Key(c.Name)
		full = append(full, searchEntry{key: k, commune: int32(i), population: int32(c.Population)})
		for j := 0; j < len(k); j++ {
			if k[j] == ' ' {
				words = append(words, searchEntry{key: k[j+1:], commune: int32(i), population: int32(c.Population)})
			}
		}
	}
	sortEntries := func(s []searchEntry) {
		slices.SortFunc(s, func(a, b searchEntry) int { return strings.Compare(a.key, b.key) })
	}
	sortEntries(full)
	sortEntries(words)
	d.search = searchIndex{full: full, words: slices.Clip(words), hot: map[string][]int32{}}
	d.search.addHot(0, len(full), 1)
}

// addHot records the hot prefixes of n bytes or more among full[i:j],
// whose keys share their first n-1 bytes.
func (s *searchIndex) addHot(i, j, n int) {
	for i < j {
		if len(s.full[i].key) < n {
			i++
			continue
		}
		prefix := s.full[i].key[:n]
		end := i
		for end < j && strings.HasPrefix(s.full[end].key, prefix) {
			end++
		}
		if end-i > hotMin {
			top := ranking{limit: hotLimit}
			for x := i; x < end; x++ {
				top.add(int32(x), entryClass(s.full[x].key, prefix), s.full[x].population)
			}
			list := make([]int32, len(top.c))
			for x, c := range top.c {
				list[x] = c.commune // an index in full here
			}
			s.hot[prefix] = list
			s.addHot(i, end, n+1)
		}
		i = end
	}
}

// entryClass ranks a name of the full index starting with prefix k.
func entryClass(key, k string) uint8 {
	if len(key) == len(k) {
		return 0
	}
	return 1
}

// SearchCommunes returns at most limit communes and arrondissements for an
// autocomplete field.
//
// A query made of one to five digits is a postal code prefix: "480"
// returns communes served by postal codes 480xx, the most populated first.
//
// Otherwise the query is folded (see package fold; "st" and "ste" followed
// by another word stand for "saint" and "sainte") and matched against the
// names: first the names equal to the query, then the names starting with
// it, then the names with a later word starting with it ("etienne" finds
// Saint-Étienne); within each group, the most populated first.
func (d *Data) SearchCommunes(query string, limit int) []*Commune {
	if limit <= 0 {
		return nil
	}
	d.searchOnce.Do(d.buildSearch)
	q := strings.TrimSpace(query)
	top := ranking{limit: limit}
	if len(q) <= 5 && isDigits(q) {
		n, _ := parseDigits(q)
		scale := int32(1)
		for range 5 - len(q) {
			scale *= 10
		}
		class := uint8(1)
		if len(q) == 5 {
			class = 0
		}
		for _, e := range d.postalRange(n*scale, (n+1)*scale) {
			top.add(e.commune, class, int32(d.communes[e.commune].Population))
		}
		return top.communes(d)
	}
	k := searchKey(query)
	if k == "" {
		return nil
	}
	if list, ok := d.search.hot[k]; ok && limit <= len(list) {
		out := make([]*Commune, limit)
		for i, x := range list[:limit] {
			out[i] = &d.communes[d.search.full[x].commune]
		}
		return out
	}
	scan := func(entries []searchEntry, word bool) {
		i, _ := slices.BinarySearchFunc(entries, k, func(e searchEntry, k string) int { return strings.Compare(e.key, k) })
		for ; i < len(entries) && strings.HasPrefix(entries[i].key, k); i++ {
			e := &entries[i]
			class := uint8(2)
			if !word {
				class = entryClass(e.key, k)
			}
			top.add(e.commune, class, e.population)
		}
	}
	scan(d.search.full, false)
	if len(top.c) < limit {
		scan(d.search.words, true)
	}
	return top.communes(d)
}

// searchKey folds an autocomplete query, expanding "st" and "ste" when
// another word follows (a final "st" may be the start of "Strasbourg").
func searchKey(query string) string {
	k := fold.Key(query)
	if !strings.Contains(k, "st") {
		return k
	}
	toks := strings.Split(k, " ")
	for i, t := range toks[:len(toks)-1] {
		switch t {
		case "st":
			toks[i] = "saint"
		case "ste":
			toks[i] = "sainte"
		}
	}
	return strings.Join(toks, " ")
}

// ranking keeps the best limit distinct communes: lower class first, then
// larger population, then lower index (INSEE code order).
type ranking struct {
	limit int
	c     []candidate
}

type candidate struct {
	commune    int32
	class      uint8
	population int32
}

func (a candidate) better(b candidate) bool {
	if a.class != b.class {
		return a.class < b.class
	}
	if a.population != b.population {
		return a.population > b.population
	}
	return a.commune < b.commune
}

func (r *ranking) add(commune int32, class uint8, population int32) {
	x := candidate{commune, class, population}
	if len(r.c) == r.limit && !x.better(r.c[len(r.c)-1]) {
		return
	}
	for i := range r.c {
		if r.c[i].commune == commune {
			if !x.better(r.c[i]) {
				return
			}
			r.c = slices.Delete(r.c, i, i+1)
			break
		}
	}
	i := len(r.c)
	for i > 0 && x.better(r.c[i-1]) {
		i--
	}
	r.c = slices.Insert(r.c, i, x)
	if len(r.c) > r.limit {
		r.c = r.c[:r.limit]
	}
}

func (r *ranking) communes(d *Data) []*Commune {
	if len(r.c) == 0 {
		return nil
	}
	out := make([]*Commune, len(r.c))
	for i, x := range r.c {
		out[i] = &d.communes[x.commune]
	}
	return out
}
