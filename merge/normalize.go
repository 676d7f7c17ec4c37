package merge

import (
	"math"
	"slices"
	"strings"
	"sync"

	"maillage"
	"maillage/fold"
	"maillage/territory"
)

// prepared holds the comparison keys of one record, computed once.
type prepared struct {
	rec      *maillage.Record
	ref      RecordRef
	refH     uint64  // hashes ref: the canonical order of a pair (pairFeatures)
	name     []token // name tokens with their weights
	nameW    float64 // the sum of their weights
	initials string  // their first letters, in order (acronyms)
	// nameN is len(name); nameH and nameM the hashes and shapes of the
	// first tokens (see nameSimilarity); acrM the letters of the first
	// tokens that may be acronyms (acrN of them), initialLetters those of
	// initials
	nameN          int32
	initialLetters uint32
	acrN           int
	acrM           [4]uint32
	nameH, nameM   [inlineTokens]uint64
	nameKey        string  // the distinctive name tokens, sorted order of the name
	number         string  // house number ("12", "12b"), "" if none
	street         []token // street words, without the street type
	streetKey      string  // the street words joined (blocks)
	insee          string  // INSEE code, arrondissements folded into their commune
	postal         string  // postal code
	// communeKey is the commune's name as the record gives it, folded
	// ("" when none)
	communeKey string
	dep        string
	lat, lon   float64
	exact      bool // coordinates given by the source
	phone      string
	emails     []string
	phoneN     uint64 // the phone's digits as a number, 0 for none
	inseeN     uint64 // insee's bytes, 0 for none
	communeN   uint64 // communeKey and postal hashed, 0 for none
	webs       []string
	domains    []string // the organisation's domains (e-mails and websites), see orgDomains
	siret      string   // real SIRET (14 digits) or SIREN (9), "" for none or a placeholder
	rna        string
	kinds      uint32 // kindFS, kindLibrary…
	mobile     bool   // a bus or an itinerant service ("Bus France services", "antenne itinérante")
	typos      []maillage.Typology
	ids        []string // programme ids, "namespace:value"
}

type token struct {
	s string
	// h hashes s; head and tail are its first and last three bytes: cheap
	// tests before comparing strings (tokenMatch runs on every pair)
	h          uint64
	w          float64
	head, tail uint32
	num        bool  // digits only
	acr        uint8 // s[:acr] are the letters of a possible acronym ("mode" of "mode83"), 0 if none
}

func (t *token) acronym() string { return t.s[:t.acr] }

// newToken fills a token's keys.
func newToken(s string, w float64) token {
	t := token{s: s, w: w, num: isDigits(s)}
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	t.h = h
	if len(s) >= 3 {
		t.head = uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
		n := len(s)
		t.tail = uint32(s[n-3])<<16 | uint32(s[n-2])<<8 | uint32(s[n-1])
	}
	if w == weightDistinctive && !t.num {
		n := 0
		for n < len(s) && s[n] >= 'a' && s[n] <= 'z' {
			n++
		}
		if n >= 3 && n <= 6 && isDigits(s[n:]) || n >= 3 && n <= 6 && n == len(s) {
			t.acr = uint8(n)
		}
	}
	return t
}

// Weights of name tokens.
const (
	weightDistinctive = 1.0
	weightGeneric     = 0.25
	weightCommune     = 0.35
)

// stopWords are dropped from names and streets.
var stopWords = set("de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "sur", "sous", "pour", "par", "un", "une", "chez", "s")

// genericWords are common to many places' names: they count, but little.
var genericWords = set(
	"mairie", "hotel", "ville", "espace", "espaces", "numerique", "numeriques", "france", "services", "service",
	"association", "asso", "centre", "centres", "maison", "maisons", "mediatheque", "bibliotheque", "commune", "communaute",
	"communes", "ccas", "cias", "social", "sociale", "sociaux", "epn", "cyber", "base", "cyberbase", "public", "publique", "publics",
	"point", "accueil", "relais", "permanence", "conseiller", "conseillers", "multimedia", "informatique", "internet",
	"agglomeration", "agglo", "pole", "lieu", "lieux", "tiers", "quartier", "municipal", "municipale", "locale", "local",
	"mission", "insertion", "emploi", "atelier", "ateliers", "club", "departement", "departemental", "departementale",
	"conseil", "regie", "poste", "bureau", "mediation", "inclusion", "solidarite", "solidaire", "solidarites", "jeunesse",
	"jeunes", "foyer", "intercommunal", "intercommunale", "cc", "cdc", "ca", "agence", "postale", "communale", "antenne",
	"structure", "culturel", "culturelle", "socio", "action", "formation", "information", "cyberespace", "media", "mediatheques",
	"reseau", "groupe", "sas", "sarl", "la", "territoire", "territorial", "pays", "bourg", "annexe", "cafe",
)

// abbreviations are expanded in names and streets.
var abbreviations = map[string][]string{
	"st": {"saint"}, "ste": {"sainte"}, "sts": {"saints"}, "stes": {"saintes"},
	"av": {"avenue"}, "ave": {"avenue"}, "bd": {"boulevard"}, "bld": {"boulevard"}, "blvd": {"boulevard"},
	"pl": {"place"}, "pce": {"place"}, "rte": {"route"}, "ch": {"chemin"}, "che": {"chemin"}, "chem": {"chemin"},
	"imp": {"impasse"}, "all": {"allee"}, "sq": {"square"}, "fg": {"faubourg"}, "fbg": {"faubourg"},
	"crs": {"cours"}, "esp": {"esplanade"}, "lot": {"lotissement"}, "res": {"residence"}, "qu": {"quai"},
	"gal": {"general"}, "gen": {"general"}, "mal": {"marechal"}, "pdt": {"president"}, "prof": {"professeur"},
	"dr": {"docteur"}, "r": {"rue"}, "med": {"mediatheque"}, "bib": {"bibliotheque"}, "biblio": {"bibliotheque"},
	"msap": {"france", "services"}, "mfs": {"france", "services"}, "fs": {"france", "services"},
	"mediatheque": {"mediatheque"},
}

// streetTypes are the words that name the kind of street.
var streetTypes = set("rue", "avenue", "boulevard", "place", "route", "chemin", "impasse", "allee", "allees", "square",
	"faubourg", "cours", "esplanade", "quai", "lotissement", "residence", "passage", "voie", "sentier", "parvis",
	"promenade", "rond", "point", "cite", "hameau", "lieu", "dit", "zone", "za", "zi", "zac", "rocade", "mail", "montee", "traverse")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// words folds s and expands abbreviations and the old names of France
// Services ("maison de services au public").
func words(s string) []string {
	k := fold.Key(s)
	if k == "" {
		return nil
	}
	if strings.Contains(k, "maison de") {
		k = strings.ReplaceAll(k, "maison de services au public", "france services")
		k = strings.ReplaceAll(k, "maison de service au public", "france services")
		k = strings.ReplaceAll(k, "maison des services au public", "france services")
		// "Maison des services (publics)" is the France Services' former
		// name ("Maison des services de Saint-Aigulin", "Maison des Services
		// Publics de Sainte-Musse")
		for _, old := range []string{"maison des services publics", "maison de services publics", "maison des services", "maison de services"} {
			k = strings.ReplaceAll(k, old, "france services")
		}
	}
	if strings.Contains(k, "hotel de ville") {
		k = strings.ReplaceAll(k, "hotel de ville", "mairie")
	}
	if strings.Contains(k, "cyber base") {
		k = strings.ReplaceAll(k, "cyber base", "cyberbase")
	}
	raw := strings.Fields(k)
	out := raw[:0]
	for i, w := range raw {
		if e, ok := abbreviations[w]; ok {
			if len(e) == 1 {
				out = append(out, e[0])
				continue
			}
			// an expansion into two words: copy the rest first
			rest := append([]string(nil), raw[i+1:]...)
			out = append(append(out, e...), rest...)
			return expandRest(out, len(out)-len(rest))
		}
		out = append(out, w)
	}
	return out
}

// expandRest expands the abbreviations of ws[from:] (words' slow path).
func expandRest(ws []string, from int) []string {
	out := append([]string(nil), ws[:from]...)
	for _, w := range ws[from:] {
		if e, ok := abbreviations[w]; ok {
			out = append(out, e...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// nameTokens returns the weighted tokens of a place's name; the words of
// its commune's name weigh little (every place of the commune has them).
func nameTokens(ws []string, commune []string) []token {
	out := make([]token, 0, len(ws))
	for i, w := range ws {
		if stopWords[w] || slices.Contains(ws[:i], w) {
			continue
		}
		wt := weightDistinctive
		switch {
		case genericWords[w]:
			wt = weightGeneric
		case slices.Contains(commune, w):
			wt = weightCommune
		case len(w) <= 2 && !isDigits(w):
			wt = weightGeneric
		}
		out = append(out, newToken(w, wt))
	}
	return out
}

// placeWordsCache holds placeWords by territory and INSEE code.
var placeWordsCache sync.Map // placeKey → []string

type placeKey struct {
	terr  *territory.Data
	insee string
}

// placeWords are the words of a commune's official name and of its
// département's name (cached: prepare runs for every record).
func placeWords(terr *territory.Data, insee, dep string) []string {
	k := placeKey{terr, insee}
	if v, ok := placeWordsCache.Load(k); ok {
		return v.([]string)
	}
	var out []string
	if c, ok := terr.Commune(insee); ok {
		out = append(out, words(c.Name)...)
	}
	if d, ok := terr.Departement(dep); ok {
		out = append(out, words(d.Name)...)
	}
	placeWordsCache.Store(k, out)
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// tokenMatch tells whether two tokens are the same word: equal, one a
// prefix of the other (abbreviations: "mediath", "bibli"), or one edit apart
// for long words (typos). Numbers match only when equal.
func tokenMatch(a, b *token) bool {
	if a.h == b.h {
		return true // 64-bit hashes of distinct words do not collide in practice
	}
	if a.num || b.num {
		return false
	}
	la, lb := len(a.s), len(b.s)
	if la >= 4 && lb >= 4 && a.head == b.head {
		if la < lb && b.s[:la] == a.s || lb < la && a.s[:lb] == b.s {
			return true
		}
	}
	// one edit apart: the edit spares the first three letters or the
	// last three
	if la >= 6 && lb >= 6 && la-lb <= 1 && lb-la <= 1 && (a.head == b.head || a.tail == b.tail) {
		return oneEdit(a.s, b.s)
	}
	return false
}

// oneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// nameSimilarity compares weighted token sets: the weighted Jaccard index,
// and the weighted share of the smaller name found in the other
// (containment), and whether a distinctive word (weight 1 on both sides)
// is shared. Tokens match by tokenMatch; a distinctive token of 3 to 6
// letters (and digits) that spells the initials of 3 or more consecutive
// words of the other name is an acronym ("MODE83" for "Médit Ordinateurs
// pour le Développement et l'Emploi", "MAM" for "Maison des
// Alpes-Maritimes") and matches them: a distinctive word.
func nameSimilarity(a, b *prepared) (jaccard, containment float64, word bool) {
	na, nb := int(a.nameN), int(b.nameN)
	if na == 0 || nb == 0 {
		return 0, 0, false
	}
	var common float64
	var usedA, usedB uint64 // tokens matched (the first 64)
	// The first tokens' hashes and shapes are kept in the prepared records
	// (nameH, nameM): most pairs are told apart without reading the
	// tokens themselves, a cache miss each.
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			if j < 64 && usedB&(1<<j) != 0 {
				continue
			}
			if !sameToken(a, b, i, j) {
				continue
			}
			t, u := &a.name[i], &b.name[j]
			common += math.Min(t.w, u.w)
			word = word || t.w == weightDistinctive && u.w == weightDistinctive
			if j < 64 {
				usedB |= 1 << j
			}
			if i < 64 {
				usedA |= 1 << i
			}
			break
		}
	}
	if mayAcronym(a, b) {
		common += acronyms(a, b, usedA, &word)
	}
	if mayAcronym(b, a) {
		common += acronyms(b, a, usedB, &word)
	}
	union := a.nameW + b.nameW - common
	if union <= 0 {
		return 0, 0, false
	}
	return common / union, math.Min(1, common/math.Min(a.nameW, b.nameW)), word
}

// mayAcronym tells whether a token of a may be an acronym of words of b:
// its letters are among b's initials.
func mayAcronym(a, b *prepared) bool {
	if a.acrN > len(a.acrM) {
		return true
	}
	for _, m := range a.acrM[:a.acrN] {
		if m&^b.initialLetters == 0 {
			return true
		}
	}
	return false
}

// acronyms is the weight of a's unmatched tokens that are acronyms of
// words of b (each counts as much as the lighter of itself and the words
// it stands for).
func acronyms(a, b *prepared, used uint64, word *bool) float64 {
	var w float64
	for i := range a.name {
		t := &a.name[i]
		if t.acr == 0 || i < 64 && used&(1<<i) != 0 || len(b.name) < int(t.acr) {
			continue
		}
		k := strings.Index(b.initials, t.acronym())
		if k < 0 {
			continue
		}
		var run float64
		for _, u := range b.name[k : k+int(t.acr)] {
			run += u.w
		}
		w += math.Min(t.w, run)
		*word = true
	}
	return w
}

// inlineTokens is how many name tokens a prepared record keeps the hash
// and shape of.
const inlineTokens = 6

// tokenShape packs what tokenMatch tests before reading strings: the
// first and last three bytes, the length and whether the token is a
// number.
func tokenShape(t *token) uint64 {
	n := min(len(t.s), 255)
	return uint64(t.head)<<40 | uint64(t.tail)<<16 | uint64(n)<<8 | uint64(b2u(t.num))
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// sameToken is tokenMatch(&a.name[i], &b.name[j]), on the kept hashes and
// shapes first.
func sameToken(a, b *prepared, i, j int) bool {
	if i >= inlineTokens || j >= inlineTokens {
		return tokenMatch(&a.name[i], &b.name[j])
	}
	if a.nameH[i] == b.nameH[j] {
		return true
	}
	ma, mb := a.nameM[i], b.nameM[j]
	if (ma|mb)&1 != 0 { // a number
		return false
	}
	la, lb := int(ma>>8&0xff), int(mb>>8&0xff)
	sameHead := ma>>40 == mb>>40
	prefix := la >= 4 && lb >= 4 && sameHead
	edit := la >= 6 && lb >= 6 && la-lb <= 1 && lb-la <= 1 && (sameHead || ma>>16&0xffffff == mb>>16&0xffffff)
	if !prefix && !edit {
		return false
	}
	return tokenMatch(&a.name[i], &b.name[j])
}

// letterMask is the set of letters of s, one bit each.
func letterMask(s string) uint32 {
	var m uint32
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			m |= 1 << (c - 'a')
		}
	}
	return m
}

// splitAddress finds the house number and the street words of an address
// ("12 bis, av. du Général Leclerc" → "12b", [general leclerc]); the street
// type is dropped ("rue" and "avenue" are often confused) and so are the
// stop words.
func splitAddress(addr string) (number string, street []string) {
	ws := words(addr)
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if number == "" && len(street) == 0 && isDigits(w) && len(w) <= 5 {
			number = strings.TrimLeft(w, "0")
			if i+1 < len(ws) {
				switch ws[i+1] {
				case "bis", "b":
					number += "b"
					i++
				case "ter", "t":
					number += "t"
					i++
				}
			}
			continue
		}
		if number == "" && len(street) == 0 {
			// "12b", "12-14": a number glued to letters or a range
			if n := leadingDigits(w); n != "" && len(n) <= 5 {
				number = strings.TrimLeft(n, "0")
				continue
			}
		}
		if stopWords[w] || streetTypes[w] || w == "bis" || w == "ter" {
			continue
		}
		if isDigits(w) && len(w) == 5 {
			break // a postal code: the rest is the commune
		}
		street = append(street, w)
	}
	return number, street
}

func leadingDigits(w string) string {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || i == len(w) {
		return ""
	}
	return w[:i]
}

// streetSimilarity is the share of the shorter street's words found in the
// other one.
func streetSimilarity(a, b []token) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for i := range a {
		for j := range b {
			if tokenMatch(&a[i], &b[j]) {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a))
}

// Placeholder SIRETs and identifiers that identify nothing.
func realPivot(p string) (siret, rna string) {
	p = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(p), " ", ""), ".", "")
	if p == "" {
		return "", ""
	}
	if (p[0] == 'W' || p[0] == 'w') && len(p) == 10 && isDigits(p[1:]) {
		return "", strings.ToUpper(p)
	}
	if !isDigits(p) || (len(p) != 14 && len(p) != 9) {
		return "", ""
	}
	if strings.Trim(p, "0") == "" || strings.Trim(p, "9") == "" || strings.Trim(p, "1") == "" {
		return "", ""
	}
	return p, ""
}

// IsPlaceholderPivot reports whether a pivot is missing or a placeholder
// ("00000000000000"), so that it identifies nothing.
func IsPlaceholderPivot(p string) bool {
	s, r := realPivot(p)
	return s == "" && r == ""
}

// webKey is a website without scheme, "www." and trailing slash; sites
// shared by a whole network (social networks, national portals) keep
// their path, and a bare network host is no key at all.
func webKey(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	for _, p := range []string{"https://", "http://"} {
		u = strings.TrimPrefix(u, p)
	}
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimRight(u, "/")
	host, path, _ := strings.Cut(u, "/")
	if networkHosts[host] && path == "" {
		return ""
	}
	if strings.HasSuffix(host, ".gouv.fr") && path == "" {
		return ""
	}
	return u
}

var networkHosts = set("facebook.com", "fr-fr.facebook.com", "m.facebook.com", "twitter.com", "instagram.com", "linkedin.com",
	"france-services.gouv.fr", "conseiller-numerique.gouv.fr", "laposte.fr", "lapostegroupe.com", "sites.google.com",
	"google.com", "youtube.com", "wixsite.com", "pole-emploi.fr", "caf.fr", "ameli.fr", "msa.fr", "service-public.fr")

// phoneKey is a telephone number in international form with the right
// country code for the overseas départements: "+33596532087" (Martinique
// written as a metropolitan number) is "+596596532087".
func phoneKey(p string) string {
	p = strings.TrimSpace(p)
	if len(p) != 12 || !strings.HasPrefix(p, "+33") {
		return p
	}
	switch p[3:6] {
	case "590", "690", "691":
		return "+590" + p[3:]
	case "594", "694":
		return "+594" + p[3:]
	case "596", "696", "697":
		return "+596" + p[3:]
	case "262", "263", "692", "693", "269", "639":
		return "+262" + p[3:]
	case "508":
		return "+508" + p[3:]
	}
	return p
}

// digitsKey is the digits of a telephone number as a number (0 when
// there are none or too many).
func digitsKey(p string) uint64 {
	var n uint64
	d := 0
	for i := 0; i < len(p); i++ {
		if c := p[i]; c >= '0' && c <= '9' {
			n = n*10 + uint64(c-'0')
			d++
		}
	}
	if d > 18 {
		return 0
	}
	return n
}

// orgDomains are the domains of a record's e-mails and websites that name
// an organisation: "sauer-pechelbronn.fr" of franceservices@… and of
// https://www.sauer-pechelbronn.fr/. Mail providers, social networks and
// national networks' domains name none. A domain is its last two labels
// (three under asso.fr, gouv.fr and the like).
func orgDomains(emails, sites []string) []string {
	var out []string
	add := func(host string) {
		host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
		labels := strings.Split(host, ".")
		n := 2
		if len(labels) >= 3 && secondLevel[labels[len(labels)-2]] {
			n = 3
		}
		if len(labels) < n {
			return
		}
		d := strings.Join(labels[len(labels)-n:], ".")
		if genericDomains[d] || networkHosts[d] || slices.Contains(out, d) {
			return
		}
		out = append(out, d)
	}
	for _, e := range emails {
		if _, d, ok := strings.Cut(e, "@"); ok {
			add(d)
		}
	}
	for _, w := range sites {
		w = strings.ToLower(strings.TrimSpace(w))
		for _, p := range []string{"https://", "http://"} {
			w = strings.TrimPrefix(w, p)
		}
		host, _, _ := strings.Cut(w, "/")
		host, _, _ = strings.Cut(host, ":")
		add(host)
	}
	return out
}

var secondLevel = set("asso", "gouv", "com", "org", "nom", "presse", "tm", "co")

// genericDomains are mail providers and networks shared by unrelated
// places.
var genericDomains = set("gmail.com", "orange.fr", "wanadoo.fr", "free.fr", "yahoo.fr", "yahoo.com", "hotmail.fr",
	"hotmail.com", "outlook.fr", "outlook.com", "laposte.net", "sfr.fr", "neuf.fr", "aol.com", "live.fr", "icloud.com",
	"gmx.fr", "numericable.fr", "bbox.fr", "aliceadsl.fr", "club-internet.fr", "cegetel.net", "msn.com", "me.com",
	"protonmail.com", "yahoo.co", "googlemail.com", "ymail.com", "numerique.email",
	"france-services.gouv.fr", "conseiller-numerique.fr", "conseiller-numerique.gouv.fr", "laposte.fr", "gouv.fr",
	"facebook.com", "fr-fr.facebook.com", "instagram.com", "linkedin.com", "twitter.com", "youtube.com",
	"wixsite.com", "wordpress.com", "google.com", "sites.google.com", "blogspot.com", "over-blog.com", "jimdo.com",
	"e-monsite.com", "centres-sociaux.fr", "pimms.org", "pimmsmediation.fr", "france-travail.fr", "pole-emploi.fr",
	"caf.fr", "msa.fr", "ameli.fr", "assurance-maladie.fr", "carsat.fr", "service-public.fr", "mission-locale.fr",
	"famillesrurales.org", "croix-rouge.fr", "secours-catholique.org", "secourspopulaire.fr", "emmaus-connect.org",
	"udaf.fr", "bibenligne.fr", "free.fr")

// Kinds of places recognised from names and typologies: two records of
// different kinds (a France Services and the library next door) are two
// places.
const (
	kindFS uint32 = 1 << iota
	kindLibrary
	kindMairie
	kindCCAS
	kindSocialCentre
	kindMissionLocale
	kindPoste
	kindEmploi
	kindCAF
	kindSchool
	kindFablab
	kindYouth      // Point / Bureau Information Jeunesse
	kindSocialDept // the département's social services: MDS, MDSI, CMS, circonscription d'action sociale
)

var kindNames = []string{"france-services", "bibliotheque", "mairie", "ccas", "centre-social", "mission-locale", "la-poste", "emploi", "caf", "ecole", "fablab", "information-jeunesse", "action-sociale-departementale"}

var typologyKinds = map[maillage.Typology]uint32{
	"RFS": kindFS, "MSAP": kindFS, "BIB": kindLibrary, "CCAS": kindCCAS, "CIAS": kindCCAS,
	"CS": kindSocialCentre, "CSC": kindSocialCentre, "ML": kindMissionLocale, "LA_POSTE": kindPoste,
	"PE": kindEmploi, "FT": kindEmploi, "CAF": kindCAF, "FABLAB": kindFablab, "PIJ_BIJ": kindYouth,
}

// nameKinds finds the kinds a name states.
func nameKinds(ws []string) uint32 {
	var k uint32
	for i, w := range ws {
		next := "" // the next word that is no stop word
		for j := i + 1; j < len(ws); j++ {
			if !stopWords[ws[j]] {
				next = ws[j]
				break
			}
		}
		switch w {
		case "france":
			if next == "services" || next == "service" {
				k |= kindFS
			}
			if next == "travail" {
				k |= kindEmploi
			}
		case "mediatheque", "bibliotheque", "mediatheques", "bibliotheques", "ludotheque":
			k |= kindLibrary
		case "mairie":
			k |= kindMairie
		case "commune", "ville":
			if i == 0 && next != "" {
				k |= kindMairie // "Commune de Callac", "Ville de Grenoble": the commune's own office
			}
		case "ccas", "cias", "casvp":
			k |= kindCCAS
		case "action":
			// centre (inter)communal d'action sociale, spelt out or
			// abbreviated ("CTRE COM ACTION SOCIALE")
			if next == "sociale" && i > 0 {
				switch ws[i-1] {
				case "communal", "communale", "intercommunal", "intercommunale", "com", "d":
					if ws[i-1] != "d" || i > 1 && (ws[i-2] == "communal" || ws[i-2] == "communale" || ws[i-2] == "intercommunal" || ws[i-2] == "intercommunale") {
						k |= kindCCAS
					}
				}
			}
		case "centre", "centres":
			if next == "social" || next == "sociale" || next == "socio" || next == "socioculturel" {
				k |= kindSocialCentre
			}
		case "mission":
			if next == "locale" {
				k |= kindMissionLocale
			}
		case "poste":
			if i > 0 && (ws[i-1] == "la" || ws[i-1] == "bureau") || next == "" {
				k |= kindPoste
			}
		case "postale":
			if i > 0 && ws[i-1] == "agence" {
				k |= kindPoste // agence postale (communale)
			}
		case "pole":
			if next == "emploi" {
				k |= kindEmploi
			}
		case "caf":
			k |= kindCAF
		case "college", "lycee", "ecole", "universite":
			k |= kindSchool
		case "fablab", "fab":
			k |= kindFablab
		case "pij", "bij":
			k |= kindYouth
		case "information":
			if next == "jeunesse" || next == "jeunes" {
				k |= kindYouth
			}
		case "mds", "mdsi", "cms", "sdsei", "cdas":
			k |= kindSocialDept
		case "solidarite", "solidarites":
			if slices.Contains(ws[:i], "maison") {
				k |= kindSocialDept // maison (départementale) des solidarités
			}
		case "circonscription":
			if next == "action" || next == "sociale" {
				k |= kindSocialDept
			}
		}
	}
	return k
}

// bareName tells whether a name has no generic word: a place name alone.
func bareName(ts []token) bool {
	for _, t := range ts {
		if t.w == weightGeneric {
			return false
		}
	}
	return len(ts) > 0
}

// isMobile tells whether a name states a mobile service: a bus, a van or
// an itinerant antenna, which is not the fixed place it starts from.
func isMobile(ws []string) bool {
	for _, w := range ws {
		switch w {
		case "bus", "itinerant", "itinerante", "itinerants", "itinerantes", "itinerance", "mobile", "mobiles", "camion":
			return true
		}
	}
	return false
}

// prepare computes the keys of a record.
func prepare(r *maillage.Record, terr *territory.Data, programSources map[string]string) prepared {
	p := &r.Place
	pr := prepared{rec: r, ref: RecordRef{Source: r.Source, ID: r.ID}}
	pr.refH = newToken(r.Source+"\x00"+r.ID, 0).h
	pr.insee = p.INSEECode
	if terr != nil && pr.insee != "" {
		if c, ok := terr.Commune(pr.insee); ok && c.Parent != "" {
			pr.insee = c.Parent
		}
	}
	pr.dep = territory.DepartementOfINSEE(pr.insee)
	pr.postal = strings.TrimSpace(p.PostalCode)
	communeWords := words(p.Commune)
	pr.communeKey = strings.Join(communeWords, " ")
	for i := 0; i < len(pr.insee) && i < 8; i++ {
		pr.inseeN = pr.inseeN<<8 | uint64(pr.insee[i])
	}
	if pr.communeKey != "" && pr.postal != "" {
		pr.communeN = newToken(pr.communeKey+"\x00"+pr.postal, 0).h
	}
	if terr != nil && pr.insee != "" {
		// the commune's official name and the département's ("Département
		// de la Sarthe", "Mission locale … Vienne"): every place of the
		// commune or département may bear them
		communeWords = append(communeWords[:len(communeWords):len(communeWords)], placeWords(terr, pr.insee, pr.dep)...)
	}
	nameWords := words(p.Name)
	pr.name = nameTokens(nameWords, communeWords)
	pr.kinds = nameKinds(nameWords)
	for _, t := range p.Typologies {
		pr.kinds |= typologyKinds[t]
	}
	// A bare toponym ("Serres", "Ventoux Sud - Sault": no generic word)
	// typed France Services is read with the kind, as other sources name
	// the place ("France services Serres"). Names with a word of their own
	// ("Commune de Confolens", "ALSH") keep it: some sources type every
	// partner of a France Services "RFS".
	if pr.kinds&kindFS != 0 && bareName(pr.name) {
		pr.name = append(pr.name, newToken("france", weightGeneric), newToken("services", weightGeneric))
	}
	initials := make([]byte, len(pr.name))
	for i, t := range pr.name {
		pr.nameW += t.w
		initials[i] = t.s[0]
		if i < inlineTokens {
			pr.nameH[i], pr.nameM[i] = t.h, tokenShape(&pr.name[i])
		}
		if t.acr != 0 {
			if pr.acrN < len(pr.acrM) {
				pr.acrM[pr.acrN] = letterMask(t.acronym())
			}
			pr.acrN++
		}
	}
	pr.initials = string(initials)
	pr.nameN = int32(len(pr.name))
	pr.initialLetters = letterMask(pr.initials)
	pr.mobile = isMobile(nameWords)
	var distinct []string
	for _, t := range pr.name {
		if t.w == weightDistinctive {
			distinct = append(distinct, t.s)
		}
	}
	pr.nameKey = strings.Join(distinct, " ")
	var street []string
	pr.number, street = splitAddress(p.Address)
	for _, w := range street {
		pr.street = append(pr.street, newToken(w, weightDistinctive))
	}
	pr.streetKey = joinKey(street...)
	pr.lat, pr.lon = p.Latitude, p.Longitude
	pr.exact = p.HasCoordinates && r.Precision != maillage.PrecisionCommune
	pr.phone = phoneKey(p.Telephone)
	pr.phoneN = digitsKey(pr.phone)
	pr.domains = orgDomains(p.Emails, p.Websites)
	for _, e := range p.Emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			pr.emails = append(pr.emails, e)
		}
	}
	for _, w := range p.Websites {
		if k := webKey(w); k != "" {
			pr.webs = append(pr.webs, k)
		}
	}
	pr.siret, pr.rna = realPivot(p.Pivot)
	pr.typos = p.Typologies
	pr.ids = programIDs(r)
	if ns := programSources[r.Source]; ns != "" && isDigits(r.ID) {
		pr.ids = append(pr.ids, ns+":"+strings.TrimLeft(r.ID, "0"))
	}
	return pr
}

// programIDs finds the programme identifiers embedded in a record's id:
// the 24-hex ids of the conseillers numériques' permanences (and of the
// France tiers-lieux directory), and the France Services ids
// ("mediation-numerique-france-services-3080", "603-…-france-services").
func programIDs(r *maillage.Record) []string {
	id := strings.ToLower(r.ID)
	var out []string
	if h := hex24(id); h != "" {
		ns := "conseiller-numerique"
		if strings.Contains(id, "tiers-lieux") {
			ns = "france-tiers-lieux"
		}
		out = append(out, ns+":"+h)
	}
	if strings.Contains(id, "france-services") {
		for _, part := range strings.FieldsFunc(id, func(c rune) bool { return c == '-' || c == '_' }) {
			if isDigits(part) {
				out = append(out, "france-services:"+strings.TrimLeft(part, "0"))
				break
			}
		}
	}
	return out
}

// hex24 returns the first run of exactly 24 hexadecimal digits in s.
func hex24(s string) string {
	start := -1
	for i := 0; i <= len(s); i++ {
		isHex := i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f')
		if isHex {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if i-start == 24 && (start == 0 || !isAlnum(s[start-1])) && (i == len(s) || !isAlnum(s[i])) {
				return s[start:i]
			}
			start = -1
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
