package merge

import (
	"math"
	"strings"

	"maillage"
	"maillage/fold"
	"maillage/territory"
)

// prepared holds the comparison keys of one record, computed once.
type prepared struct {
	rec      *maillage.Record
	ref      RecordRef
	name     []token // name tokens with their weights
	nameKey  string  // the distinctive name tokens, sorted order of the name
	number   string  // house number ("12", "12b"), "" if none
	street   []string
	insee    string // INSEE code, arrondissements folded into their commune
	dep      string
	lat, lon float64
	exact    bool // coordinates given by the source
	phone    string
	emails   []string
	webs     []string
	siret    string // real SIRET (14 digits) or SIREN (9), "" for none or a placeholder
	rna      string
	kinds    uint32 // kindFS, kindLibrary…
	mobile   bool   // a bus or an itinerant service ("Bus France services", "antenne itinérante")
	typos    []maillage.Typology
	ids      []string // programme ids, "namespace:value"
}

type token struct {
	s string
	w float64
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
	k = strings.ReplaceAll(k, "maison de services au public", "france services")
	k = strings.ReplaceAll(k, "maison de service au public", "france services")
	k = strings.ReplaceAll(k, "maison des services au public", "france services")
	k = strings.ReplaceAll(k, "hotel de ville", "mairie")
	k = strings.ReplaceAll(k, "cyber base", "cyberbase")
	raw := strings.Fields(k)
	out := make([]string, 0, len(raw))
	for _, w := range raw {
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
func nameTokens(name string, commune map[string]bool) []token {
	ws := words(name)
	out := make([]token, 0, len(ws))
	seen := make(map[string]bool, len(ws))
	for _, w := range ws {
		if stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		wt := weightDistinctive
		switch {
		case genericWords[w]:
			wt = weightGeneric
		case commune[w]:
			wt = weightCommune
		case len(w) <= 2 && !isDigits(w):
			wt = weightGeneric
		}
		out = append(out, token{w, wt})
	}
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
// for long words (typos).
func tokenMatch(a, b string) bool {
	if a == b {
		return true
	}
	if isDigits(a) || isDigits(b) {
		return false
	}
	if len(a) >= 4 && len(b) >= 4 && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a)) {
		return true
	}
	if len(a) >= 6 && len(b) >= 6 {
		return oneEdit(a, b)
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
// (containment). Tokens match by tokenMatch.
func nameSimilarity(a, b []token) (jaccard, containment float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	var wa, wb, common float64
	for _, t := range a {
		wa += t.w
	}
	for _, t := range b {
		wb += t.w
	}
	var used [64]bool
	for _, t := range a {
		for j, u := range b {
			if j < len(used) && used[j] {
				continue
			}
			if tokenMatch(t.s, u.s) {
				common += math.Min(t.w, u.w)
				if j < len(used) {
					used[j] = true
				}
				break
			}
		}
	}
	union := wa + wb - common
	if union <= 0 {
		return 0, 0
	}
	return common / union, common / math.Min(wa, wb)
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
func streetSimilarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for _, x := range a {
		for _, y := range b {
			if tokenMatch(x, y) {
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
		next := ""
		if i+1 < len(ws) {
			next = ws[i+1]
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
		case "ccas", "cias":
			k |= kindCCAS
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
		case "mds", "mdsi", "cms":
			k |= kindSocialDept
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
	pr.insee = p.INSEECode
	if terr != nil && pr.insee != "" {
		if c, ok := terr.Commune(pr.insee); ok && c.Parent != "" {
			pr.insee = c.Parent
		}
	}
	pr.dep = territory.DepartementOfINSEE(pr.insee)
	communeWords := map[string]bool{}
	for _, w := range words(p.Commune) {
		communeWords[w] = true
	}
	if terr != nil && pr.insee != "" {
		if c, ok := terr.Commune(pr.insee); ok {
			for _, w := range words(c.Name) {
				communeWords[w] = true
			}
		}
	}
	nameWords := words(p.Name)
	pr.name = nameTokens(p.Name, communeWords)
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
		pr.name = append(pr.name, token{"france", weightGeneric}, token{"services", weightGeneric})
	}
	pr.mobile = isMobile(nameWords)
	var distinct []string
	for _, t := range pr.name {
		if t.w == weightDistinctive {
			distinct = append(distinct, t.s)
		}
	}
	pr.nameKey = strings.Join(distinct, " ")
	pr.number, pr.street = splitAddress(p.Address)
	pr.lat, pr.lon = p.Latitude, p.Longitude
	pr.exact = p.HasCoordinates && r.Precision != maillage.PrecisionCommune
	pr.phone = p.Telephone
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
