package maillage

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// DecodePlaceJSON decodes the JSON object of a place into p, with the
// result json.Unmarshal(data, p) gives on a zero Place, without
// reflection: stores read tens of thousands of places for every merge.
//
// The fast path reads what AppendJSON writes and what PostgreSQL's jsonb
// gives back of it: the object's fields in any order, with any whitespace,
// each at most once, under its exact wire name, with a value of its type.
// Anything else (another spelling of a name, an unknown field, a
// repeated field, null, a surrogate escape, invalid UTF-8, invalid JSON) is
// left to json.Unmarshal, so that the result and the error are always
// those of encoding/json (a fuzz test checks it).
func DecodePlaceJSON(data []byte, p *Place) error {
	*p = Place{}
	d := newJSONReader(data)
	if d.place(p) && d.end() {
		return nil
	}
	*p = Place{}
	return json.Unmarshal(data, p)
}

// jsonReader reads the JSON of places for DecodePlaceJSON and
// DecodeConsolidatedJSON. Its methods return false when the input leaves
// the fast path.
//
// Strings without escapes are substrings of text, the document as one
// string: one allocation for the document rather than one per value.
type jsonReader struct {
	data []byte
	text string // string(data)
	pos  int
	buf  []byte // unescaped strings
}

func newJSONReader(data []byte) jsonReader {
	return jsonReader{data: data, text: string(data)}
}

func (d *jsonReader) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// end reports whether only whitespace is left.
func (d *jsonReader) end() bool {
	d.space()
	return d.pos == len(d.data)
}

// byte consumes c after optional whitespace.
func (d *jsonReader) byte(c byte) bool {
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// peek returns the next byte after whitespace (0 at the end).
func (d *jsonReader) peek() byte {
	d.space()
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// object reads an object, calling field for each key (its bytes: keys
// with escapes leave the fast path) with the reader before the value.
func (d *jsonReader) object(field func(key []byte) bool) bool {
	if !d.byte('{') {
		return false
	}
	if d.byte('}') {
		return true
	}
	for {
		key, escaped, ok := d.rawString()
		if !ok || escaped || !d.byte(':') || !field(key) {
			return false
		}
		if d.byte(',') {
			continue
		}
		return d.byte('}')
	}
}

// array reads an array, calling elem before each element.
func (d *jsonReader) array(elem func() bool) bool {
	if !d.byte('[') {
		return false
	}
	if d.byte(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.byte(',') {
			continue
		}
		return d.byte(']')
	}
}

// rawString reads a string and returns its bytes between the quotes, and
// whether they hold escapes. Control characters, invalid UTF-8 and
// surrogate escapes leave the fast path.
func (d *jsonReader) rawString() (raw []byte, escaped, ok bool) {
	if !d.byte('"') {
		return nil, false, false
	}
	start := d.pos
	ascii := true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			raw = d.data[start:d.pos]
			d.pos++
			if !ascii && !utf8.Valid(raw) {
				return nil, false, false
			}
			return raw, escaped, true
		case c == '\\':
			escaped = true
			if d.pos+1 >= len(d.data) {
				return nil, false, false
			}
			switch d.data[d.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.pos += 2
			case 'u':
				r, ok := hex4(d.data[d.pos+2:])
				if !ok || utf16IsSurrogate(r) {
					return nil, false, false
				}
				d.pos += 6
			default:
				return nil, false, false
			}
		case c < 0x20:
			return nil, false, false
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			d.pos++
		}
	}
	return nil, false, false
}

func utf16IsSurrogate(r rune) bool { return r >= 0xd800 && r < 0xe000 }

// hex4 reads the four hexadecimal digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// unescape returns the text of a string's raw bytes (rawString checked
// them).
func (d *jsonReader) unescape(raw []byte) string {
	d.buf = d.buf[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			d.buf = append(d.buf, c)
			i++
			continue
		}
		switch raw[i+1] {
		case 'b':
			d.buf = append(d.buf, '\b')
		case 'f':
			d.buf = append(d.buf, '\f')
		case 'n':
			d.buf = append(d.buf, '\n')
		case 'r':
			d.buf = append(d.buf, '\r')
		case 't':
			d.buf = append(d.buf, '\t')
		case 'u':
			r, _ := hex4(raw[i+2:])
			d.buf = utf8.AppendRune(d.buf, r)
			i += 6
			continue
		default: // '"', '\\', '/'
			d.buf = append(d.buf, raw[i+1])
		}
		i += 2
	}
	return string(d.buf)
}

// keyString returns a key given to an object's callback (a slice of
// data, without escapes) as a substring of text: a slice of data starts at
// the difference of their capacities.
func (d *jsonReader) keyString(key []byte) string {
	start := cap(d.data) - cap(key)
	return d.text[start : start+len(key)]
}

// string reads a string value.
func (d *jsonReader) string() (string, bool) {
	raw, escaped, ok := d.rawString()
	switch {
	case !ok:
		return "", false
	case escaped:
		return d.unescape(raw), true
	default:
		end := d.pos - 1 // the closing quote
		return d.text[end-len(raw) : end], true
	}
}

// readStrings reads an array of strings into a new slice (empty, not nil, for
// [], as encoding/json does).
func readStrings[T ~string](d *jsonReader, list *[]T) bool {
	out := make([]T, 0, 4)
	ok := d.array(func() bool {
		s, ok := d.string()
		out = append(out, T(s))
		return ok
	})
	*list = out
	return ok
}

// number reads a number as encoding/json does into a float64: the JSON
// grammar, then strconv.ParseFloat.
func (d *jsonReader) number() (float64, bool) {
	d.space()
	start := d.pos
	b := d.data
	i := d.pos
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	f, err := strconv.ParseFloat(string(b[start:i]), 64)
	if err != nil {
		return 0, false
	}
	d.pos = i
	return f, true
}

// literal consumes the word w (true, false).
func (d *jsonReader) literal(w string) bool {
	d.space()
	if len(d.data)-d.pos >= len(w) && string(d.data[d.pos:d.pos+len(w)]) == w {
		d.pos += len(w)
		return true
	}
	return false
}

// bool reads true or false.
func (d *jsonReader) bool() (bool, bool) {
	switch d.peek() {
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	}
	return false, false
}

// timeValue reads a string into t as encoding/json does, with
// time.Time's UnmarshalJSON given the literal with its quotes, except
// for "YYYY-MM-DDThh:mm:ssZ" (what stores write of date_maj), read
// directly.
func (d *jsonReader) timeValue(t *time.Time) bool {
	d.space()
	start := d.pos
	raw, escaped, ok := d.rawString()
	if !ok {
		return false
	}
	if !escaped {
		if v, ok := parseUTCSeconds(raw); ok {
			*t = v
			return true
		}
	}
	return t.UnmarshalJSON(d.data[start:d.pos]) == nil
}

// parseUTCSeconds reads "YYYY-MM-DDThh:mm:ssZ" with valid fields, as
// time.Parse(time.RFC3339, …) would; ok is false for anything else.
func parseUTCSeconds(b []byte) (t time.Time, ok bool) {
	if len(b) != 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return t, false
	}
	num := func(from, to int) int {
		n := 0
		for _, c := range b[from:to] {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, second := num(11, 13), num(14, 16), num(17, 19)
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return t, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// The fields of a Place, as bits of the set of fields seen.
const (
	fieldID = iota
	fieldPivot
	fieldName
	fieldCommune
	fieldPostalCode
	fieldINSEECode
	fieldAddress
	fieldAddressComplement
	fieldLatitude
	fieldLongitude
	fieldHasCoordinates
	fieldTypologies
	fieldTelephone
	fieldEmails
	fieldWebsites
	fieldOpeningHours
	fieldSummary
	fieldDescription
	fieldSource
	fieldItinerance
	fieldParentOrganization
	fieldUpdatedOn
	fieldServices
	fieldPublics
	fieldSpecificSupport
	fieldFees
	fieldNationalPrograms
	fieldTrainingsLabels
	fieldOtherLabels
	fieldAccessModes
	fieldSupportModes
	fieldAccessibilitySheet
	fieldAppointmentURL
	fieldExtra
)

// place reads the object of a place into p (zero).
func (d *jsonReader) place(p *Place) bool {
	var seen uint64
	return d.object(func(key []byte) bool {
		str := func(bit int, s *string) bool {
			if seen&(1<<bit) != 0 {
				return false
			}
			seen |= 1 << bit
			v, ok := d.string()
			*s = v
			return ok
		}
		list := func(bit int) bool {
			if seen&(1<<bit) != 0 {
				return false
			}
			seen |= 1 << bit
			return true
		}
		switch string(key) {
		case "id":
			return str(fieldID, &p.ID)
		case "pivot":
			return str(fieldPivot, &p.Pivot)
		case "nom":
			return str(fieldName, &p.Name)
		case "commune":
			return str(fieldCommune, &p.Commune)
		case "code_postal":
			return str(fieldPostalCode, &p.PostalCode)
		case "code_insee":
			return str(fieldINSEECode, &p.INSEECode)
		case "adresse":
			return str(fieldAddress, &p.Address)
		case "complement_adresse":
			return str(fieldAddressComplement, &p.AddressComplement)
		case "latitude", "longitude":
			bit, f := fieldLatitude, &p.Latitude
			if key[1] == 'o' {
				bit, f = fieldLongitude, &p.Longitude
			}
			if !list(bit) {
				return false
			}
			v, ok := d.number()
			*f = v
			return ok
		case "has_coordinates":
			if !list(fieldHasCoordinates) {
				return false
			}
			v, ok := d.bool()
			p.HasCoordinates = v
			return ok
		case "typologie":
			return list(fieldTypologies) && readStrings(d, &p.Typologies)
		case "telephone":
			return str(fieldTelephone, &p.Telephone)
		case "courriels":
			return list(fieldEmails) && readStrings(d, &p.Emails)
		case "site_web":
			return list(fieldWebsites) && readStrings(d, &p.Websites)
		case "horaires":
			return str(fieldOpeningHours, &p.OpeningHours)
		case "presentation_resume":
			return str(fieldSummary, &p.Summary)
		case "presentation_detail":
			return str(fieldDescription, &p.Description)
		case "source":
			return str(fieldSource, &p.Source)
		case "itinerance":
			return list(fieldItinerance) && readStrings(d, &p.Itinerance)
		case "structure_parente":
			return str(fieldParentOrganization, &p.ParentOrganization)
		case "date_maj":
			return list(fieldUpdatedOn) && d.timeValue(&p.UpdatedOn)
		case "services":
			return list(fieldServices) && readStrings(d, &p.Services)
		case "publics_specifiquement_adresses":
			return list(fieldPublics) && readStrings(d, &p.Publics)
		case "prise_en_charge_specifique":
			return list(fieldSpecificSupport) && readStrings(d, &p.SpecificSupport)
		case "frais_a_charge":
			return list(fieldFees) && readStrings(d, &p.Fees)
		case "dispositif_programmes_nationaux":
			return list(fieldNationalPrograms) && readStrings(d, &p.NationalPrograms)
		case "formations_labels":
			return list(fieldTrainingsLabels) && readStrings(d, &p.TrainingsLabels)
		case "autres_formations_labels":
			return list(fieldOtherLabels) && readStrings(d, &p.OtherLabels)
		case "modalites_acces":
			return list(fieldAccessModes) && readStrings(d, &p.AccessModes)
		case "modalites_accompagnement":
			return list(fieldSupportModes) && readStrings(d, &p.SupportModes)
		case "fiche_acces_libre":
			return str(fieldAccessibilitySheet, &p.AccessibilitySheet)
		case "prise_rdv":
			return str(fieldAppointmentURL, &p.AppointmentURL)
		case "extra":
			if !list(fieldExtra) {
				return false
			}
			p.Extra = map[string]string{}
			return d.object(func(key []byte) bool {
				k := d.keyString(key)
				v, ok := d.string()
				p.Extra[k] = v
				return ok
			})
		}
		return false
	})
}
