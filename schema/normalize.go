package schema

import (
	"errors"
	"net/url"
	"strings"
)

// PivotKind tells which register a pivot identifier belongs to.
type PivotKind string

// Kinds of pivot identifiers.
const (
	PivotSIRET   PivotKind = "SIRET"
	PivotSIREN   PivotKind = "SIREN"
	PivotRNA     PivotKind = "RNA"
	PivotRIDET   PivotKind = "RIDET"  // Nouvelle-Calédonie
	PivotTahiti  PivotKind = "TAHITI" // Polynésie française
	PivotUnknown PivotKind = "attente"
)

// laPosteSIREN is La Poste's SIREN: its establishments' SIRETs do not pass
// the Luhn check; the sum of their digits is a multiple of 5 instead.
const laPosteSIREN = "356000000"

// NormalizePivot checks a pivot identifier and returns it without the spaces
// and dots producers put in it. zone is the territory zone of the place
// ("988" for Nouvelle-Calédonie, "987" for Polynésie…, "" when unknown): RIDET
// and TAHITI numbers are only accepted there. The error is a French sentence.
func NormalizePivot(s, zone string) (string, PivotKind, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch {
	case clean == "":
		return "", "", errors.New("pivot vide")
	case clean == PivotPlaceholder:
		return clean, PivotUnknown, nil
	case isDigits(clean) && len(clean) == 14:
		if strings.HasPrefix(clean, laPosteSIREN) {
			if digitSum(clean)%5 == 0 {
				return clean, PivotSIRET, nil
			}
			return "", "", errors.New("SIRET de La Poste invalide : la somme des chiffres doit être un multiple de 5")
		}
		if !luhn(clean) {
			return "", "", errors.New("SIRET invalide : la clé de contrôle (Luhn) ne correspond pas")
		}
		return clean, PivotSIRET, nil
	case isDigits(clean) && len(clean) == 9 && zone != "988":
		if !luhn(clean) {
			return "", "", errors.New("SIREN invalide : la clé de contrôle (Luhn) ne correspond pas")
		}
		return clean, PivotSIREN, nil
	case len(clean) == 10 && (clean[0] == 'W' || clean[0] == 'w') && isRNATail(clean[1:]):
		return "W" + strings.ToUpper(clean[1:]), PivotRNA, nil
	case zone == "988" && isDigits(clean) && (len(clean) == 9 || len(clean) == 10):
		// RIDET: 7 digits of the company (sometimes written with 6 and a
		// leading zero dropped) and 3 digits of the establishment.
		if len(clean) == 9 {
			clean = "0" + clean
		}
		return clean, PivotRIDET, nil
	case zone == "987" && len(clean) == 9 && isAlnum(clean) && isDigits(clean[6:]):
		return strings.ToUpper(clean), PivotTahiti, nil
	case isDigits(clean):
		return "", "", errors.New("pivot invalide : un SIRET a 14 chiffres, un SIREN 9")
	}
	return "", "", errors.New("pivot invalide : ni SIRET (14 chiffres), ni SIREN (9 chiffres), ni RNA (W suivi de 9 caractères), ni RIDET")
}

// isRNATail accepts the 9 characters after W: digits, and the letters of
// Corsica (2A, 2B) or a letter some prefectures use.
func isRNATail(s string) bool {
	letters := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
			letters++
		default:
			return false
		}
	}
	return letters <= 1
}

func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func digitSum(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n += int(s[i] - '0')
	}
	return n
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return s != ""
}

// Country calling codes the schema allows, and the zones that use them.
var allowedCallingCodes = []string{"33", "590", "594", "262", "596", "269", "687", "689", "508", "681"}

// nationalPrefixes maps the first four digits of a 10-digit French number
// written the national way to its calling code, for the overseas
// départements whose numbers look metropolitan.
var nationalPrefixes = map[string]string{
	"0590": "590", "0690": "590", "0691": "590", // Guadeloupe, Saint-Martin, Saint-Barthélemy
	"0594": "594", "0694": "594", // Guyane
	"0262": "262", "0263": "262", "0692": "262", "0693": "262", // La Réunion
	"0269": "262", "0639": "262", // Mayotte
	"0596": "596", "0696": "596", "0697": "596", // Martinique
	"0508": "508", // Saint-Pierre-et-Miquelon
}

// NormalizePhone returns the number in the international form the schema
// wants (+33180059880). zone is the territory zone of the place ("988",
// "987", "986"… or "" for the metropole): numbers of six or eight digits
// are only understood there. When the field holds several numbers, the
// first is returned and others lists the rest. The error is French.
func NormalizePhone(s, zone string) (phone string, others []string, err error) {
	parts := splitPhones(s)
	if len(parts) == 0 {
		return "", nil, errors.New("numéro vide")
	}
	phone, err = normalizeOnePhone(parts[0], zone)
	if err != nil {
		return "", nil, err
	}
	return phone, parts[1:], nil
}

// splitPhones cuts a field that holds several numbers ("01 02 03 04 05 /
// 06 07 08 09 10", "… ou …").
func splitPhones(s string) []string {
	if !strings.ContainsAny(s, "/;,|\n") && !strings.Contains(s, " ou ") && !strings.Contains(s, " et ") {
		return []string{strings.TrimSpace(s)}
	}
	s = strings.ReplaceAll(s, " ou ", "/")
	s = strings.ReplaceAll(s, " et ", "/")
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == ';' || r == ',' || r == '|' || r == '\n'
	})
	var out []string
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func normalizeOnePhone(s, zone string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.Replace(s, "(0)", "", 1)
	plus := strings.HasPrefix(s, "+")
	var buf [24]byte
	digits := buf[:0]
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if len(digits) == cap(digits) {
				return "", errors.New("numéro trop long")
			}
			digits = append(digits, byte(r))
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '+' || r == '\u00a0' || r == '\u202f':
		default:
			return "", errors.New("le numéro contient des caractères qui ne sont pas des chiffres")
		}
	}
	d := string(digits)
	if !plus && strings.HasPrefix(d, "00") {
		plus, d = true, d[2:]
	}
	if plus {
		for _, cc := range allowedCallingCodes {
			if !strings.HasPrefix(d, cc) {
				continue
			}
			rest := d[len(cc):]
			if cc == "33" && len(rest) == 10 && rest[0] == '0' {
				rest = rest[1:] // +33 0X XX XX XX XX
			}
			if cc == "33" && len(rest) != 9 {
				return "", errors.New("un numéro français a 9 chiffres après +33")
			}
			if len(rest) < 6 || len(rest) > 9 {
				return "", errors.New("numéro de longueur invalide")
			}
			return "+" + cc + rest, nil
		}
		return "", errors.New("indicatif non accepté par le schéma (France et outre-mer seulement)")
	}
	switch {
	case len(d) == 10 && d[0] == '0':
		if cc, ok := nationalPrefixes[d[:4]]; ok {
			return "+" + cc + d[1:], nil
		}
		if d[1] == '0' {
			return "", errors.New("numéro invalide : 00 n'est pas un début de numéro français")
		}
		return "+33" + d[1:], nil
	case len(d) == 9 && d[0] != '0' && (zone == "" || zone == "metropole"):
		// The leading zero was lost, typically by a spreadsheet.
		return "+33" + d, nil
	case len(d) == 6 && zone == "988":
		return "+687" + d, nil
	case len(d) == 6 && zone == "986":
		return "+681" + d, nil
	case len(d) == 8 && zone == "987":
		return "+689" + d, nil
	case len(d) == 6 && zone == "975":
		return "+508" + d, nil
	case len(d) <= 6:
		return "", errors.New("numéro trop court (numéro court ou incomplet)")
	}
	return "", errors.New("numéro de longueur invalide")
}

// NormalizeEmail checks the form of an e-mail address and returns it
// trimmed and without a "mailto:" prefix.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "mailto:"), "MAILTO:")
	at := strings.LastIndexByte(s, '@')
	switch {
	case s == "":
		return "", errors.New("adresse vide")
	case at <= 0 || at == len(s)-1:
		return "", errors.New("une adresse électronique a la forme nom@domaine.fr")
	case strings.ContainsAny(s, " \t<>(),;:\"[]\\"):
		return "", errors.New("l'adresse contient des espaces ou des caractères interdits")
	case strings.Count(s, "@") > 1:
		return "", errors.New("l'adresse contient plusieurs @")
	}
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", errors.New("le domaine de l'adresse est incomplet")
	}
	return s, nil
}

// plainURL reports whether s is http(s)://host[/rest] with a host made of
// ASCII letters, digits, dots and hyphens (with a dot inside, not at an
// end) and a rest of printable ASCII without spaces: the common case,
// checked without the cost of url.Parse.
func plainURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	end := strings.IndexAny(rest, "/?#")
	host := rest
	if end >= 0 {
		host = rest[:end]
	}
	if host == "" || host[0] == '.' || host[len(host)-1] == '.' || strings.IndexByte(host, '.') < 0 || strings.Contains(host, "..") {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	for i := len(host); i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f || c == '%' {
			return false // let url.Parse judge escapes and non-ASCII
		}
	}
	return true
}

// NormalizeURL checks a web address. An address without a scheme
// ("www.exemple.fr") gets https:// and repaired is true.
func NormalizeURL(s string) (u string, repaired bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false, errors.New("adresse vide")
	}
	if strings.ContainsAny(s, " \t\n") {
		return "", false, errors.New("l'adresse contient des espaces")
	}
	lower := strings.ToLower(s)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		if strings.Contains(lower, "://") || strings.HasPrefix(lower, "mailto:") {
			return "", false, errors.New("seules les adresses http:// et https:// sont acceptées")
		}
		s, repaired = "https://"+s, true
	}
	if plainURL(s) {
		return s, repaired, nil
	}
	p, perr := url.Parse(s)
	if perr != nil || p.Host == "" {
		return "", false, errors.New("adresse web mal formée")
	}
	host := p.Hostname()
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return "", false, errors.New("le nom de domaine de l'adresse est incomplet")
	}
	return s, repaired, nil
}
