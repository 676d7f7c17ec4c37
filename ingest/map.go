package ingest

import (
	"errors"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"maillage"
	"maillage/fold"
	"maillage/schema"
	"maillage/tabular"
)

// Mapped is one row of a source turned into a row of the national schema.
type Mapped struct {
	// Names and Values are the columns of the row in national-schema
	// field names (v1.0.2; v0.1 names when the mapping fills them, which
	// the decoder converts). Names is shared by the rows of a mapping: do
	// not modify it.
	Names, Values []string
	// Findings are what the mapping itself says about the row, with Row
	// set: warnings (hours kept as text, a local value left out…) and the
	// errors of the mapping's reject rules. Pass them to Decode.
	Findings []maillage.Finding
	// Extra holds values kept outside the schema: "horaires_texte" (hours
	// that could not be converted), "<field>_non_repris" (local values a
	// dictionary left out), and the mapping's extra section.
	Extra map[string]string
}

// CodeRejected is the error of a row the mapping's reject rules set aside.
const CodeRejected = "ligne_ecartee"

// reject sets rows aside (quarantines them) with a reason.
type reject struct {
	when    *value
	in      map[string]bool // folded values; nil: any non-empty value
	empty   bool            // reject when the value is empty
	message string
}

func (c *compiler) rejects(n *yaml.Node) ([]*reject, error) {
	p := c.p
	items, err := p.sequence(n, "reject")
	if err != nil {
		return nil, err
	}
	var out []*reject
	for i, it := range items {
		what := "reject[" + strconv.Itoa(i) + "]"
		ms, err := p.members(it, what, []string{"when", "in", "empty", "message"})
		if err != nil {
			return nil, err
		}
		r := &reject{}
		for _, mb := range ms {
			switch mb.key {
			case "when":
				r.when, err = c.value(mb.value, what+".when")
			case "in":
				var vals []string
				if vals, err = p.strings(mb.value, what+".in"); err == nil {
					r.in = map[string]bool{}
					for _, v := range vals {
						r.in[fold.Key(v)] = true
					}
				}
			case "empty":
				r.empty, err = p.boolean(mb.value, what+".empty")
			case "message":
				r.message, err = p.scalar(mb.value, what+".message")
			}
			if err != nil {
				return nil, err
			}
		}
		if r.when == nil || r.message == "" {
			return nil, p.errorf(it, "%s : when et message sont obligatoires", what)
		}
		if r.empty && r.in != nil {
			return nil, p.errorf(it, "%s : in et empty s'excluent", what)
		}
		out = append(out, r)
	}
	return out, nil
}

// check appends an error finding when the rule matches the row.
func (r *reject) check(c *rowContext) {
	vals := r.when.eval(c, nil)
	hit := false
	switch {
	case r.empty:
		hit = len(vals) == 0
	case r.in == nil:
		hit = len(vals) > 0
	default:
		for _, v := range vals {
			if r.in[fold.Key(v)] {
				hit = true
				break
			}
		}
	}
	if !hit {
		return
	}
	field := r.when.column
	c.mapped.Findings = append(c.mapped.Findings, maillage.Finding{
		Row: c.number, Field: field, Value: strings.Join(vals, "|"), Code: CodeRejected,
		Severity: maillage.SeverityError, Message: "ligne écartée par la correspondance : " + r.message,
	})
}

// Map turns one row of the source into a row of the national schema. It
// returns an error only for a row it cannot read at all.
func (m *Mapping) Map(row *tabular.Row) (Mapped, error) {
	if row == nil {
		return Mapped{}, errors.New("ingest: ligne absente")
	}
	md := Mapped{}
	if m.identity {
		return m.mapIdentity(row, md), nil
	}
	md.Names = m.names
	md.Values = make([]string, len(m.names))
	c := &rowContext{m: m, row: row, number: row.Number, mapped: &md}
	if m.keepSchema {
		for i, name := range row.Names {
			if i >= len(row.Values) {
				break
			}
			j, ok := m.schemaCols[fold.Key(name)]
			if !ok || md.Values[j] != "" {
				continue
			}
			if v := strings.TrimSpace(row.Values[i]); v != "" && !m.nulls[v] {
				md.Values[j] = v
			}
		}
	}
	var buf []string
	for i, f := range m.fields {
		if f == nil {
			continue
		}
		c.field = f.name
		buf = f.value.eval(c, buf[:0])
		md.Values[i] = joinValues(buf, f.multi)
	}
	if m.coords != nil {
		lat, lon := m.coords.eval(c, rawRecord{geometry: row.Geometry, raw: row.Raw})
		m.set(&md, schema.FieldLatitude, lat)
		m.set(&md, schema.FieldLongitude, lon)
	}
	if m.hours != nil {
		c.field = schema.FieldHours
		m.set(&md, schema.FieldHours, m.hours.eval(c))
	}
	for _, e := range m.extra {
		c.field = e.name
		buf = e.value.eval(c, buf[:0])
		if s := joinValues(buf, true); s != "" {
			if md.Extra == nil {
				md.Extra = map[string]string{}
			}
			md.Extra[e.name] = s
		}
	}
	for _, r := range m.rejects {
		r.check(c)
	}
	return md, nil
}

func (m *Mapping) set(md *Mapped, name, v string) {
	for i, n := range m.names {
		if n == name {
			md.Values[i] = v
			return
		}
	}
}

// joinValues joins the values of a multi-valued field with "|" (without
// duplicates); a single-valued field takes the first value.
func joinValues(vals []string, multi bool) string {
	switch {
	case len(vals) == 0:
		return ""
	case len(vals) == 1 || !multi:
		return vals[0]
	}
	var b strings.Builder
	for i, v := range vals {
		dup := false
		for _, w := range vals[:i] {
			if w == v {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(v)
	}
	return b.String()
}

// SchemaMapping returns the mapping of a file already in the national schema
// (v1.0.2 or v0.1): its columns pass unchanged (the decoder understands both
// versions and keeps unknown columns in Place.Extra), and a GeoJSON point
// gives latitude and longitude when the properties have none.
func SchemaMapping() *Mapping {
	return &Mapping{
		file:     "schéma national",
		source:   SourceInfo{},
		identity: true,
	}
}

func (m *Mapping) mapIdentity(row *tabular.Row, md Mapped) Mapped {
	md.Names, md.Values = row.Names, row.Values
	if len(row.Geometry) == 0 {
		return md
	}
	if lat, _ := row.Get(schema.FieldLatitude); strings.TrimSpace(lat) != "" {
		return md
	}
	lon, lat, ok := row.Point()
	if !ok {
		return md
	}
	md.Names = append(append(make([]string, 0, len(row.Names)+2), row.Names...), schema.FieldLatitude, schema.FieldLongitude)
	md.Values = append(append(make([]string, 0, len(row.Values)+2), row.Values...), formatDegrees(lat), formatDegrees(lon))
	return md
}
