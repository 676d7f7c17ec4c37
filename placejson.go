package maillage

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// MarshalJSON encodes a Place as encoding/json would with its struct tags,
// byte for byte (a test checks it), without reflection: stores and APIs
// encode millions of places.
func (p Place) MarshalJSON() ([]byte, error) {
	return p.AppendJSON(make([]byte, 0, 512)), nil
}

// AppendJSON appends the JSON object of the place to b.
func (p *Place) AppendJSON(b []byte) []byte {
	w := jsonObject{b: append(b, '{')}
	w.str("id", p.ID, false)
	w.str("pivot", p.Pivot, true)
	w.str("nom", p.Name, false)
	w.str("commune", p.Commune, true)
	w.str("code_postal", p.PostalCode, true)
	w.str("code_insee", p.INSEECode, true)
	w.str("adresse", p.Address, true)
	w.str("complement_adresse", p.AddressComplement, true)
	w.float("latitude", p.Latitude)
	w.float("longitude", p.Longitude)
	if p.HasCoordinates {
		w.key("has_coordinates")
		w.b = append(w.b, "true"...)
	}
	w.list("typologie", len(p.Typologies), func(i int) string { return string(p.Typologies[i]) })
	w.str("telephone", p.Telephone, true)
	w.list("courriels", len(p.Emails), func(i int) string { return p.Emails[i] })
	w.list("site_web", len(p.Websites), func(i int) string { return p.Websites[i] })
	w.str("horaires", p.OpeningHours, true)
	w.str("presentation_resume", p.Summary, true)
	w.str("presentation_detail", p.Description, true)
	w.str("source", p.Source, true)
	w.list("itinerance", len(p.Itinerance), func(i int) string { return string(p.Itinerance[i]) })
	w.str("structure_parente", p.ParentOrganization, true)
	if !p.UpdatedOn.IsZero() {
		w.key("date_maj")
		w.b = append(w.b, '"')
		w.b = p.UpdatedOn.AppendFormat(w.b, time.RFC3339Nano)
		w.b = append(w.b, '"')
	}
	w.list("services", len(p.Services), func(i int) string { return string(p.Services[i]) })
	w.list("publics_specifiquement_adresses", len(p.Publics), func(i int) string { return string(p.Publics[i]) })
	w.list("prise_en_charge_specifique", len(p.SpecificSupport), func(i int) string { return string(p.SpecificSupport[i]) })
	w.list("frais_a_charge", len(p.Fees), func(i int) string { return string(p.Fees[i]) })
	w.list("dispositif_programmes_nationaux", len(p.NationalPrograms), func(i int) string { return string(p.NationalPrograms[i]) })
	w.list("formations_labels", len(p.TrainingsLabels), func(i int) string { return string(p.TrainingsLabels[i]) })
	w.list("autres_formations_labels", len(p.OtherLabels), func(i int) string { return p.OtherLabels[i] })
	w.list("modalites_acces", len(p.AccessModes), func(i int) string { return string(p.AccessModes[i]) })
	w.list("modalites_accompagnement", len(p.SupportModes), func(i int) string { return string(p.SupportModes[i]) })
	w.str("fiche_acces_libre", p.AccessibilitySheet, true)
	w.str("prise_rdv", p.AppointmentURL, true)
	if len(p.Extra) > 0 {
		w.key("extra")
		w.b = append(w.b, '{')
		for i, k := range sortedKeys(p.Extra) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = AppendJSONString(w.b, k)
			w.b = append(w.b, ':')
			w.b = AppendJSONString(w.b, p.Extra[k])
		}
		w.b = append(w.b, '}')
	}
	return append(w.b, '}')
}

type jsonObject struct {
	b     []byte
	count int
}

func (w *jsonObject) key(k string) {
	if w.count > 0 {
		w.b = append(w.b, ',')
	}
	w.count++
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonObject) str(k, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	w.key(k)
	w.b = AppendJSONString(w.b, v)
}

func (w *jsonObject) float(k string, f float64) {
	if f == 0 {
		return
	}
	w.key(k)
	w.b = appendJSONFloat(w.b, f)
}

func (w *jsonObject) list(k string, n int, at func(int) string) {
	if n == 0 {
		return
	}
	w.key(k)
	w.b = append(w.b, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = AppendJSONString(w.b, at(i))
	}
	w.b = append(w.b, ']')
}

// appendJSONFloat formats a float64 the way encoding/json does.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// AppendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML-safe: <, > and & as \u003c…; invalid UTF-8 as \ufffd).
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonSafe tells the ASCII bytes AppendJSONString copies as they are.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// insertion sort: Extra holds a handful of keys
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// AppendFindingsJSON appends findings as a JSON array, as encoding/json
// would write them (a test checks it).
func AppendFindingsJSON(b []byte, findings []Finding) []byte {
	if findings == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range findings {
		if i > 0 {
			b = append(b, ',')
		}
		f := &findings[i]
		b = append(b, `{"row":`...)
		b = strconv.AppendInt(b, int64(f.Row), 10)
		b = append(b, `,"field":`...)
		b = AppendJSONString(b, f.Field)
		b = append(b, `,"value":`...)
		b = AppendJSONString(b, f.Value)
		b = append(b, `,"code":`...)
		b = AppendJSONString(b, f.Code)
		b = append(b, `,"severity":`...)
		b = AppendJSONString(b, string(f.Severity))
		b = append(b, `,"message":`...)
		b = AppendJSONString(b, f.Message)
		b = append(b, '}')
	}
	return append(b, ']')
}
