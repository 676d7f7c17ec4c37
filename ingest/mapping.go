package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"maillage/fold"
	"maillage/schema"
	"maillage/tabular"
)

// SourceInfo describes a source for the registry of sources.
type SourceInfo struct {
	Name      string // short identifier: lower case letters, digits and "-"
	Title     string
	Producer  string
	Licence   string
	Homepage  string
	Territory string // what the source covers, in words or codes
}

// Mapping is a parsed mapping file: how to read one source and turn each of
// its rows into a row of the national schema. It is safe for concurrent use
// once parsed: Map keeps no state between rows.
type Mapping struct {
	file   string // file name, for messages
	source SourceInfo
	opts   tabular.Options
	nulls  map[string]bool // cell values read as empty

	identity   bool // SchemaMapping: columns are already schema names
	keepSchema bool // copy the columns named like schema fields

	fields  []*field // in output order
	names   []string // output names, shared by all rows
	coords  *coordinates
	hours   *hoursRule
	extra   []*field // kept in Mapped.Extra
	rejects []*reject

	// schemaCols maps the folded name of every schema column (v1 and v0.1)
	// to its position in names, for keep_schema_columns.
	schemaCols map[string]int
	// defined is the set of output fields the mapping itself fills.
	defined map[string]bool
}

// field is one output field and where its values come from.
type field struct {
	name  string
	multi bool // a multi-valued field: values are joined with "|"
	value *value
}

// Source returns the description of the source, for the registry.
func (m *Mapping) Source() SourceInfo { return m.source }

// ReaderOptions returns the options to read the source file with.
func (m *Mapping) ReaderOptions() tabular.Options { return m.opts }

// LoadMapping reads and parses a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fichier de correspondance : %w", err)
	}
	return ParseMapping(data, filepath.Base(path))
}

// Output field names a mapping may fill: the national schema v1.0.2, and the
// v0.1 names the decoder still understands (their old values are converted
// through the schema's legacy table).
var legacyTargets = []string{
	schema.LegacyNationalLabels, schema.LegacyAccessTerms, schema.LegacyPublics,
	schema.LegacyEmail, schema.LegacyOtherLabels, schema.LegacyAccessibility,
}

// multiValued lists the fields whose values are lists.
var multiValued = map[string]bool{
	schema.FieldTypology: true, schema.FieldEmails: true, schema.FieldWebsite: true,
	schema.FieldItinerance: true, schema.FieldServices: true, schema.FieldPublics: true,
	schema.FieldSpecificSupport: true, schema.FieldFees: true, schema.FieldNationalPrograms: true,
	schema.FieldTrainingsLabels: true, schema.FieldOtherLabels: true, schema.FieldAccessModes: true,
	schema.FieldSupportModes:    true,
	schema.LegacyNationalLabels: true, schema.LegacyAccessTerms: true, schema.LegacyPublics: true,
	schema.LegacyEmail: true, schema.LegacyOtherLabels: true,
}

func allTargets() []string {
	return append(append([]string(nil), schema.Columns...), legacyTargets...)
}

var topKeys = []string{"source", "file", "keep_schema_columns", "fields", "coordinates", "hours", "extra", "dictionaries", "reject"}

// ParseMapping parses a mapping file; name is used in error messages.
func ParseMapping(data []byte, name string) (*Mapping, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s : le fichier n'est pas en UTF-8", name)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err == io.EOF {
		return nil, fmt.Errorf("%s : document YAML vide", name)
	} else if err != nil {
		return nil, fmt.Errorf("%s : YAML illisible : %w", name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("%s : document YAML vide", name)
	}
	p := &parser{name: name, budget: maxNodes}
	m := &Mapping{file: name, nulls: map[string]bool{}, defined: map[string]bool{}}
	all, err := p.members(doc.Content[0], "fichier de correspondance", nil)
	if err != nil {
		return nil, err
	}
	// Keys starting with "x-" hold YAML anchors for reuse: ignored here.
	var top []member
	for _, mb := range all {
		if strings.HasPrefix(mb.key, "x-") {
			continue
		}
		if !contains(topKeys, mb.key) {
			return nil, p.errorf(mb.keyN, "clé inconnue « %s » (clés possibles : %s, ou x-… pour des ancres YAML)", mb.key, strings.Join(topKeys, ", "))
		}
		top = append(top, mb)
	}
	dicts := map[string]*dictionary{}
	// Dictionaries first: fields refer to them by name.
	for _, mb := range top {
		if mb.key == "dictionaries" {
			if dicts, err = p.dictionaries(mb.value); err != nil {
				return nil, err
			}
		}
	}
	c := &compiler{p: p, dicts: dicts, used: map[string]bool{}}
	var fieldsNode *yaml.Node
	for _, mb := range top {
		switch mb.key {
		case "source":
			if err := p.sourceInfo(mb.value, &m.source); err != nil {
				return nil, err
			}
		case "file":
			if err := p.fileOptions(mb.value, m); err != nil {
				return nil, err
			}
		case "keep_schema_columns":
			if m.keepSchema, err = p.boolean(mb.value, "keep_schema_columns"); err != nil {
				return nil, err
			}
		case "fields":
			fieldsNode = mb.value
		case "coordinates":
			if m.coords, err = c.coordinates(mb.value); err != nil {
				return nil, err
			}
		case "hours":
			if m.hours, err = c.hours(mb.value); err != nil {
				return nil, err
			}
		case "extra":
			ms, err := p.members(mb.value, "extra", nil)
			if err != nil {
				return nil, err
			}
			for _, e := range ms {
				v, err := c.value(e.value, "extra."+e.key)
				if err != nil {
					return nil, err
				}
				m.extra = append(m.extra, &field{name: e.key, multi: true, value: v})
			}
		case "reject":
			if m.rejects, err = c.rejects(mb.value); err != nil {
				return nil, err
			}
		}
	}
	if m.source.Name == "" {
		return nil, p.errorf(doc.Content[0], "source.name (identifiant court de la source) est obligatoire")
	}
	if !validSourceName(m.source.Name) {
		return nil, p.errorf(doc.Content[0], "source.name « %s » : lettres minuscules, chiffres et « - » seulement", m.source.Name)
	}
	byName := map[string]*field{}
	if fieldsNode != nil {
		ms, err := p.members(fieldsNode, "fields", allTargets())
		if err != nil {
			return nil, err
		}
		for _, f := range ms {
			v, err := c.value(f.value, "fields."+f.key)
			if err != nil {
				return nil, err
			}
			byName[f.key] = &field{name: f.key, multi: multiValued[f.key], value: v}
		}
	}
	if m.coords != nil && (byName[schema.FieldLatitude] != nil || byName[schema.FieldLongitude] != nil) {
		return nil, p.errorf(fieldsNode, "latitude/longitude sont données à la fois dans fields et dans coordinates : choisissez l'un des deux")
	}
	if m.hours != nil && byName[schema.FieldHours] != nil {
		return nil, p.errorf(fieldsNode, "horaires est donné à la fois dans fields et dans hours : choisissez l'un des deux")
	}
	for _, name := range sortedKeys(dicts) {
		if !c.used[name] {
			return nil, p.errorf(nil, "le dictionnaire « %s » n'est utilisé par aucun champ", name)
		}
	}
	m.build(byName)
	return m, nil
}

// build fixes the output columns: every field the mapping fills, plus
// latitude, longitude and horaires when the coordinates and hours rules
// fill them, plus every schema column with keep_schema_columns.
func (m *Mapping) build(byName map[string]*field) {
	for _, name := range allTargets() {
		f := byName[name]
		generated := (m.coords != nil && (name == schema.FieldLatitude || name == schema.FieldLongitude)) ||
			(m.hours != nil && name == schema.FieldHours)
		if f == nil && !generated && !m.keepSchema {
			continue
		}
		if f != nil || generated {
			m.defined[name] = true
		}
		m.names = append(m.names, name)
		m.fields = append(m.fields, f) // nil for generated and kept columns
	}
	if m.keepSchema {
		m.schemaCols = map[string]int{}
		for i, n := range m.names {
			if !m.defined[n] {
				m.schemaCols[fold.Key(n)] = i
			}
		}
		// Spellings the decoder also understands.
		if i, ok := m.schemaCols[fold.Key(schema.LegacyAccessTerms)]; ok {
			m.schemaCols[fold.Key(schema.LegacyAccessTermsTypo)] = i
		}
	}
}

func validSourceName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (p *parser) sourceInfo(n *yaml.Node, s *SourceInfo) error {
	ms, err := p.members(n, "source", []string{"name", "title", "producer", "licence", "homepage", "territory"})
	if err != nil {
		return err
	}
	for _, mb := range ms {
		v, err := p.scalar(mb.value, "source."+mb.key)
		if err != nil {
			return err
		}
		switch mb.key {
		case "name":
			s.Name = v
		case "title":
			s.Title = v
		case "producer":
			s.Producer = v
		case "licence":
			s.Licence = v
		case "homepage":
			s.Homepage = v
		case "territory":
			s.Territory = v
		}
	}
	return nil
}

func (p *parser) fileOptions(n *yaml.Node, m *Mapping) error {
	ms, err := p.members(n, "file", []string{"format", "delimiter", "encoding", "header_line", "skip_after_header", "records_path", "null_values"})
	if err != nil {
		return err
	}
	o := &m.opts
	for _, mb := range ms {
		what := "file." + mb.key
		switch mb.key {
		case "format":
			v, err := p.scalar(mb.value, what)
			if err != nil {
				return err
			}
			switch strings.ToLower(v) {
			case "", "auto":
				o.Format = tabular.Auto
			case "csv":
				o.Format = tabular.CSV
			case "json":
				o.Format = tabular.JSON
			case "ndjson", "jsonl":
				o.Format = tabular.NDJSON
			case "geojson":
				o.Format = tabular.GeoJSON
			default:
				return p.errorf(mb.value, "%s : format inconnu « %s » (csv, json, ndjson, geojson)", what, v)
			}
		case "delimiter":
			v, err := p.scalar(mb.value, what)
			if err != nil {
				return err
			}
			switch v {
			case "\\t", "tab", "\t":
				o.Delimiter = '\t'
			case ",", ";", "|":
				o.Delimiter = rune(v[0])
			default:
				return p.errorf(mb.value, "%s : séparateur « %s » non pris en charge (« , », « ; », « | » ou tab)", what, v)
			}
		case "encoding":
			v, err := p.scalar(mb.value, what)
			if err != nil {
				return err
			}
			switch strings.ToLower(v) {
			case "", "auto":
			case "utf-8", "utf8":
				o.Encoding = "utf-8"
			case "windows-1252", "cp1252":
				o.Encoding = "windows-1252"
			case "latin1", "iso-8859-1", "latin-1":
				o.Encoding = "latin1"
			case "utf-16le", "utf-16be":
				o.Encoding = strings.ToLower(v)
			default:
				return p.errorf(mb.value, "%s : encodage inconnu « %s » (utf-8, windows-1252, latin1, utf-16le, utf-16be)", what, v)
			}
		case "header_line":
			if o.HeaderLine, err = p.integer(mb.value, what); err != nil {
				return err
			}
		case "skip_after_header":
			if o.SkipAfterHeader, err = p.integer(mb.value, what); err != nil {
				return err
			}
		case "records_path":
			if o.RecordsPath, err = p.scalar(mb.value, what); err != nil {
				return err
			}
		case "null_values":
			vs, err := p.strings(mb.value, what)
			if err != nil {
				return err
			}
			for _, v := range vs {
				m.nulls[strings.TrimSpace(v)] = true
			}
		}
	}
	return nil
}

// Columns returns the input columns the mapping reads, sorted. Template
// placeholders, hash and flag columns are included.
func (m *Mapping) Columns() []string {
	set := map[string]bool{}
	for _, f := range m.fields {
		if f != nil {
			f.value.columns(set)
		}
	}
	for _, f := range m.extra {
		f.value.columns(set)
	}
	if m.coords != nil {
		m.coords.columns(set)
	}
	if m.hours != nil {
		m.hours.columns(set)
	}
	for _, r := range m.rejects {
		r.when.columns(set)
	}
	return sortedKeys(set)
}

// CheckColumns reports the columns the mapping reads that names (the header
// of the file, or the union of the fields of JSON records) lacks: most often
// a typo in the mapping file, or a source that changed its columns.
func (m *Mapping) CheckColumns(names []string) error {
	have := make(map[string]bool, len(names))
	for _, n := range names {
		have[n] = true
	}
	var missing []string
	for _, c := range m.Columns() {
		if !have[c] {
			missing = append(missing, "« "+c+" »")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s : colonnes absentes du fichier : %s", m.file, strings.Join(missing, ", "))
}
