package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// flattener turns one JSON object into names and string values.
//
// Conversion rules:
//   - a string is taken as is (escapes decoded);
//   - a number keeps its literal text ("43.52609" stays exactly that, never
//     going through float64);
//   - true and false become "true" and "false";
//   - null becomes "" (the field is present but empty);
//   - an array of scalars becomes its elements joined with "|"
//     (["a","b",1] → "a|b|1"; [] → "");
//   - an array holding an object or an array becomes its compact JSON text;
//   - an object is flattened: its members become fields named
//     "parent.member" ("adresse": {"commune": "X"} → "adresse.commune");
//     an empty object becomes one empty field named after the object.
//
// A record that is a GeoJSON feature ("type": "Feature", or any record with
// "properties" when reading GeoJSON) gives its flattened "properties" as
// fields, its "geometry" as Geometry, and its "id" as a field "id" unless the
// properties already have one. Any other record also gives its "geometry"
// member, when that is an object, as Geometry (and as flattened fields).
//
// The input must be valid JSON (the decoder checked it); the scanner still
// never panics on invalid input and returns an error instead.
type flattener struct {
	b        []byte
	s        string // the same bytes as b, to take values without copying
	nameBuf  []byte
	names    []string
	values   []string
	geometry json.RawMessage
	intern   map[string]string
	join     strings.Builder
	compact  bytes.Buffer
}

var errBadJSON = errors.New("JSON inattendu")

func (f *flattener) record(raw []byte, geojson bool) error {
	f.b = raw
	f.s = string(raw)
	f.names = f.names[:0]
	f.values = f.values[:0]
	f.nameBuf = f.nameBuf[:0]
	f.geometry = nil
	if f.intern == nil {
		f.intern = map[string]string{}
	}
	start := skipWS(raw, 0)
	if start >= len(raw) || raw[start] != '{' {
		return errBadJSON
	}
	// First pass: is it a feature?
	var typ, props, geom, id [2]int
	hasProps, hasGeom, hasID := false, false, false
	err := eachMember(raw, start, func(ks, ke, vs, ve int) error {
		switch f.s[ks:ke] {
		case `"type"`:
			typ = [2]int{vs, ve}
		case `"properties"`:
			props, hasProps = [2]int{vs, ve}, true
		case `"geometry"`:
			geom, hasGeom = [2]int{vs, ve}, true
		case `"id"`:
			id, hasID = [2]int{vs, ve}, true
		}
		return nil
	})
	if err != nil {
		return err
	}
	isFeature := f.s[typ[0]:typ[1]] == `"Feature"` || (geojson && hasProps)
	if hasGeom && raw[geom[0]] == '{' {
		f.geometry = raw[geom[0]:geom[1]]
	}
	if !isFeature {
		return f.object(start)
	}
	if hasProps && raw[props[0]] == '{' {
		if err := f.object(props[0]); err != nil {
			return err
		}
	}
	if hasID {
		for _, n := range f.names {
			if n == "id" {
				return nil
			}
		}
		f.nameBuf = append(f.nameBuf[:0], "id"...)
		return f.value(id[0], id[1])
	}
	return nil
}

// object flattens the members of the object starting at start, under the
// current name prefix (f.nameBuf). It emits nothing for an empty object.
func (f *flattener) object(start int) error {
	n := len(f.nameBuf)
	err := eachMember(f.b, start, func(ks, ke, vs, ve int) error {
		f.nameBuf = f.nameBuf[:n]
		if n > 0 {
			f.nameBuf = append(f.nameBuf, '.')
		}
		if bytes.IndexByte(f.b[ks+1:ke-1], '\\') < 0 {
			f.nameBuf = append(f.nameBuf, f.b[ks+1:ke-1]...)
		} else {
			f.nameBuf = append(f.nameBuf, f.str(ks, ke)...)
		}
		return f.value(vs, ve)
	})
	f.nameBuf = f.nameBuf[:n]
	return err
}

// value emits the value b[vs:ve] under the name in f.nameBuf.
func (f *flattener) value(vs, ve int) error {
	switch f.b[vs] {
	case '{':
		before := len(f.names)
		if err := f.object(vs); err != nil {
			return err
		}
		if len(f.names) == before {
			f.emit("")
		}
		return nil
	case '[':
		v, err := f.array(vs, ve)
		if err != nil {
			return err
		}
		f.emit(v)
		return nil
	}
	f.emit(f.scalar(vs, ve))
	return nil
}

// scalar returns the text of a string, number, boolean or null.
func (f *flattener) scalar(vs, ve int) string {
	switch f.b[vs] {
	case '"':
		return f.str(vs, ve)
	case 'n':
		return ""
	}
	return f.s[vs:ve]
}

// str decodes the JSON string b[vs:ve] (quotes included).
func (f *flattener) str(vs, ve int) string {
	inner := f.b[vs+1 : ve-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return f.s[vs+1 : ve-1]
	}
	var out string
	if err := json.Unmarshal(f.b[vs:ve], &out); err != nil {
		return strings.ToValidUTF8(string(inner), "\uFFFD")
	}
	return out
}

// array converts an array: scalars joined with "|", or compact JSON text when
// it holds objects or arrays.
func (f *flattener) array(vs, ve int) (string, error) {
	nested := false
	count := 0
	err := eachElement(f.b, vs, func(es, ee int) error {
		if c := f.b[es]; c == '{' || c == '[' {
			nested = true
		}
		count++
		return nil
	})
	if err != nil {
		return "", err
	}
	if nested {
		f.compact.Reset()
		if err := json.Compact(&f.compact, f.b[vs:ve]); err != nil {
			return "", err
		}
		return f.compact.String(), nil
	}
	if count == 1 {
		var only string
		_ = eachElement(f.b, vs, func(es, ee int) error { only = f.scalar(es, ee); return nil })
		return only, nil
	}
	f.join.Reset()
	first := true
	_ = eachElement(f.b, vs, func(es, ee int) error {
		if !first {
			f.join.WriteByte('|')
		}
		first = false
		f.join.WriteString(f.scalar(es, ee))
		return nil
	})
	return f.join.String(), nil
}

func (f *flattener) emit(v string) {
	name, ok := f.intern[string(f.nameBuf)]
	if !ok {
		name = string(f.nameBuf)
		f.intern[name] = name
	}
	f.names = append(f.names, name)
	f.values = append(f.values, v)
}

// skipWS returns the index of the first non-blank byte of b at or after i.
func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// endOfString returns the index just after the string starting at b[i]=='"'.
func endOfString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errBadJSON
}

// endOfValue returns the index just after the value starting at b[i].
func endOfValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errBadJSON
	}
	switch b[i] {
	case '"':
		return endOfString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := endOfString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errBadJSON
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r', ':':
			if j == i {
				return 0, errBadJSON
			}
			return j, nil
		}
		j++
	}
	return j, nil
}

// eachMember calls fn for each member of the object at b[start]=='{' with the
// spans of its key (quotes included) and of its value.
func eachMember(b []byte, start int, fn func(ks, ke, vs, ve int) error) error {
	i := skipWS(b, start+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errBadJSON
		}
		ke, err := endOfString(b, i)
		if err != nil {
			return err
		}
		j := skipWS(b, ke)
		if j >= len(b) || b[j] != ':' {
			return errBadJSON
		}
		vs := skipWS(b, j+1)
		ve, err := endOfValue(b, vs)
		if err != nil {
			return err
		}
		if err := fn(i, ke, vs, ve); err != nil {
			return err
		}
		i = skipWS(b, ve)
		if i >= len(b) {
			return errBadJSON
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return nil
		default:
			return errBadJSON
		}
	}
}

// eachElement calls fn for each element of the array at b[start]=='['.
func eachElement(b []byte, start int, fn func(es, ee int) error) error {
	i := skipWS(b, start+1)
	if i < len(b) && b[i] == ']' {
		return nil
	}
	for {
		ee, err := endOfValue(b, i)
		if err != nil {
			return err
		}
		if err := fn(i, ee); err != nil {
			return err
		}
		i = skipWS(b, ee)
		if i >= len(b) {
			return errBadJSON
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case ']':
			return nil
		default:
			return errBadJSON
		}
	}
}
