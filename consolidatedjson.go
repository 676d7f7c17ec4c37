package maillage

import (
	"encoding/json"
	"slices"
	"time"
)

// DecodeConsolidatedJSON decodes what EncodeConsolidated writes into c,
// with the result json.Unmarshal(data, c) gives on a zero Consolidated,
// without reflection (see DecodePlaceJSON: the same fast path, and
// encoding/json for anything outside it).
func DecodeConsolidatedJSON(data []byte, c *Consolidated) error {
	*c = Consolidated{}
	d := newJSONReader(data)
	if d.consolidated(c) && d.end() {
		return nil
	}
	*c = Consolidated{}
	return json.Unmarshal(data, c)
}

const (
	fieldCPlace = iota
	fieldCPrecision
	fieldCMembers
	fieldCFields
	fieldCItems
)

func (d *jsonReader) consolidated(c *Consolidated) bool {
	var seen uint8
	first := func(bit int) bool {
		if seen&(1<<bit) != 0 {
			return false
		}
		seen |= 1 << bit
		return true
	}
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "place":
			return first(fieldCPlace) && d.place(&c.Place)
		case "precision":
			if !first(fieldCPrecision) {
				return false
			}
			s, ok := d.string()
			c.Precision = s
			return ok
		case "members":
			if !first(fieldCMembers) {
				return false
			}
			c.Members = make([]RecordRef, 0, 4)
			return d.array(func() bool {
				var r RecordRef
				ok := d.recordRef(&r)
				c.Members = append(c.Members, r)
				return ok
			})
		case "provenance":
			if !first(fieldCFields) {
				return false
			}
			c.Fields = map[string]Provenance{}
			return d.object(func(key []byte) bool {
				var p Provenance
				ok := d.provenance(&p)
				c.Fields[d.keyString(key)] = p
				return ok
			})
		case "provenance_items":
			if !first(fieldCItems) {
				return false
			}
			c.Items = map[string][]Provenance{}
			return d.object(func(key []byte) bool {
				list := make([]Provenance, 0, 4)
				ok := d.array(func() bool {
					var p Provenance
					ok := d.provenance(&p)
					list = append(list, p)
					return ok
				})
				c.Items[d.keyString(key)] = list
				return ok
			})
		}
		return false
	})
}

func (d *jsonReader) recordRef(r *RecordRef) bool {
	var seen uint8
	return d.object(func(key []byte) bool {
		var bit uint8
		var s *string
		switch string(key) {
		case "source":
			bit, s = 1, &r.Source
		case "id":
			bit, s = 2, &r.ID
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		v, ok := d.string()
		*s = v
		return ok
	})
}

func (d *jsonReader) provenance(p *Provenance) bool {
	var seen uint8
	return d.object(func(key []byte) bool {
		var bit uint8
		var s *string
		switch string(key) {
		case "source":
			bit, s = 1, &p.Source
		case "record_id":
			bit, s = 2, &p.RecordID
		case "date_maj":
			if seen&4 != 0 {
				return false
			}
			seen |= 4
			return d.timeValue(&p.UpdatedOn)
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		v, ok := d.string()
		*s = v
		return ok
	})
}

// appendConsolidatedRest appends, after the place, the rest of the JSON
// object of c as encoding/json writes it, from its first field's key to
// the closing brace: "precision":…,"members":…,"provenance":…
// [,"provenance_items":…]}. ok is false for a date encoding/json would
// refuse (a year outside 0–9999…): the caller then uses encoding/json.
func appendConsolidatedRest(b []byte, c *Consolidated) (out []byte, ok bool) {
	b = append(b, `"precision":`...)
	b = AppendJSONString(b, c.Precision)
	b = append(b, `,"members":`...)
	if c.Members == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, m := range c.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"source":`...)
			b = AppendJSONString(b, m.Source)
			b = append(b, `,"id":`...)
			b = AppendJSONString(b, m.ID)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"provenance":`...)
	if c.Fields == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		for i, k := range sortedMapKeys(c.Fields) {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, k)
			b = append(b, ':')
			if b, ok = appendProvenance(b, c.Fields[k]); !ok {
				return b, false
			}
		}
		b = append(b, '}')
	}
	if len(c.Items) > 0 {
		b = append(b, `,"provenance_items":{`...)
		for i, k := range sortedMapKeys(c.Items) {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, k)
			b = append(b, ':')
			list := c.Items[k]
			if list == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, p := range list {
				if j > 0 {
					b = append(b, ',')
				}
				if b, ok = appendProvenance(b, p); !ok {
					return b, false
				}
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}'), true
}

func appendProvenance(b []byte, p Provenance) ([]byte, bool) {
	b = append(b, `{"source":`...)
	b = AppendJSONString(b, p.Source)
	b = append(b, `,"record_id":`...)
	b = AppendJSONString(b, p.RecordID)
	if !p.UpdatedOn.IsZero() {
		// time.Time.MarshalJSON writes RFC 3339 with nanoseconds and
		// refuses years outside 0–9999; other locations than UTC are
		// left to it.
		if y := p.UpdatedOn.Year(); p.UpdatedOn.Location() != time.UTC || y < 0 || y > 9999 {
			return b, false
		}
		b = append(b, `,"date_maj":"`...)
		b = appendRFC3339(b, p.UpdatedOn)
		b = append(b, '"')
	}
	return append(b, '}'), true
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// appendRFC3339 appends t (UTC, year 0–9999) as time.RFC3339Nano formats
// it; whole seconds, what date_maj holds, without the generic formatter.
func appendRFC3339(b []byte, t time.Time) []byte {
	if t.Nanosecond() != 0 {
		return t.AppendFormat(b, time.RFC3339Nano)
	}
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, second, 2)
	return append(b, 'Z')
}

// appendDigits appends n (≥ 0) with width digits, zero-padded.
func appendDigits(b []byte, n, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}
