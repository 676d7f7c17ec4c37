package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"maillage/fold"
	"maillage/territory"
)

// value is a compiled value rule: a source of text (a column, a constant, a
// template…) followed by transforms (extract, replace, split, pad, map,
// keywords, date). It produces zero or more values for one row.
type value struct {
	where string // "fields.services", for messages

	// Sources: exactly one is set.
	column    string
	cols      []string
	constant  *string
	tmpl      *template
	all       []*value
	hash      []string
	flags     []flag
	falsy     map[string]bool
	communeOf *communeOf
	postalOf  *postalOf

	// Transforms, applied in this order to every value.
	extract  *regexp.Regexp
	group    int // capture group of extract (0 when the pattern has none)
	replaces []replacement
	split    string
	quoted   bool
	match    *regexp.Regexp // pieces that do not match are left out, with a warning
	pad      int
	dict     *dictionary
	inline   bool   // dict was written inline
	unmapped policy // for dict
	keywords []keywordRule
	date     string // layout (Go) or "epoch", "epoch_ms", "rfc3339"
}

// communeOf finds the commune of a postal code: the only commune it
// serves, or else the only one of its communes whose name appears, as whole
// words, in the text (the place's name, its address).
type communeOf struct {
	postalCode *value
	text       *value
}

// postalOf finds the postal code of a commune named in the row, when the
// commune is found without doubt and has a single postal code.
type postalOf struct {
	commune     *value
	departement string // restricts the search to one département
}

type flag struct {
	column string
	values []string
}

type replacement struct {
	re   *regexp.Regexp
	with string
}

// defaultFalsy are the cells a flag column reads as "no".
var defaultFalsy = []string{"", "0", "non", "no", "n", "false", "faux", "f", "-", "aucun", "aucune"}

var valueKeys = []string{
	"column", "columns", "const", "template", "all", "first", "hash", "flags", "false_values", "commune_of", "postal_code_of",
	"extract", "replace", "split", "quoted", "match", "pad", "map", "unmapped", "keywords", "date",
}

// compiler turns YAML nodes into rules.
type compiler struct {
	p     *parser
	dicts map[string]*dictionary
	used  map[string]bool
}

// value compiles a value rule: a scalar is a column name, a sequence is
// "all" (every element, in order), a mapping is the full form.
func (c *compiler) value(n *yaml.Node, where string) (*value, error) {
	p := c.p
	n, err := p.resolve(n)
	if err != nil {
		return nil, err
	}
	v := &value{where: where, unmapped: policyUnset}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			// "~": the field stays empty (with keep_schema_columns, the
			// column of the same name is not copied).
			empty := ""
			v.constant = &empty
			return v, nil
		}
		if n.Value == "" {
			return nil, p.errorf(n, "%s : nom de colonne vide", where)
		}
		v.column = n.Value
		return v, nil
	case yaml.SequenceNode:
		if v.all, err = c.values(n, where); err != nil {
			return nil, err
		}
		return v, nil
	case yaml.MappingNode:
	default:
		return nil, p.errorf(n, "%s : une colonne, une liste ou un dictionnaire est attendu", where)
	}
	ms, err := p.members(n, where, valueKeys)
	if err != nil {
		return nil, err
	}
	sources := 0
	var mapNode, unmappedNode *yaml.Node
	for _, mb := range ms {
		what := where + "." + mb.key
		switch mb.key {
		case "column":
			sources++
			if v.column, err = p.scalar(mb.value, what); err != nil {
				return nil, err
			}
			if v.column == "" {
				return nil, p.errorf(mb.value, "%s : nom de colonne vide", what)
			}
		case "columns":
			sources++
			if v.cols, err = p.strings(mb.value, what); err != nil {
				return nil, err
			}
			if len(v.cols) == 0 {
				return nil, p.errorf(mb.value, "%s : liste de colonnes vide", what)
			}
		case "const":
			sources++
			s, err := p.scalar(mb.value, what)
			if err != nil {
				return nil, err
			}
			v.constant = &s
		case "template":
			sources++
			s, err := p.scalar(mb.value, what)
			if err != nil {
				return nil, err
			}
			if v.tmpl, err = parseTemplate(s); err != nil {
				return nil, p.errorf(mb.value, "%s : %v", what, err)
			}
		case "all", "first":
			sources++
			if v.all, err = c.values(mb.value, what); err != nil {
				return nil, err
			}
		case "hash":
			sources++
			if v.hash, err = p.strings(mb.value, what); err != nil {
				return nil, err
			}
			if len(v.hash) == 0 {
				return nil, p.errorf(mb.value, "%s : liste de colonnes vide", what)
			}
		case "flags":
			sources++
			fs, err := p.members(mb.value, what, nil)
			if err != nil {
				return nil, err
			}
			for _, f := range fs {
				vals, err := p.strings(f.value, what+"."+f.key)
				if err != nil {
					return nil, err
				}
				v.flags = append(v.flags, flag{column: f.key, values: vals})
			}
		case "false_values":
			vals, err := p.strings(mb.value, what)
			if err != nil {
				return nil, err
			}
			v.falsy = map[string]bool{}
			for _, s := range vals {
				v.falsy[fold.Key(s)] = true
			}
		case "commune_of":
			sources++
			if v.communeOf, err = c.communeOf(mb.value, what); err != nil {
				return nil, err
			}
		case "postal_code_of":
			sources++
			po := &postalOf{}
			ps, err := p.members(mb.value, what, []string{"commune", "departement"})
			if err != nil {
				return nil, err
			}
			for _, x := range ps {
				if x.key == "commune" {
					if po.commune, err = c.value(x.value, what+".commune"); err != nil {
						return nil, err
					}
				} else if po.departement, err = p.scalar(x.value, what+".departement"); err != nil {
					return nil, err
				}
			}
			if po.commune == nil {
				return nil, p.errorf(mb.value, "%s : commune est obligatoire", what)
			}
			v.postalOf = po
		case "extract":
			s, err := p.scalar(mb.value, what)
			if err != nil {
				return nil, err
			}
			if v.extract, err = regexp.Compile(s); err != nil {
				return nil, p.errorf(mb.value, "%s : expression régulière invalide : %v", what, err)
			}
			if v.extract.NumSubexp() > 0 {
				v.group = 1
			}
		case "replace":
			items, err := p.sequence(mb.value, what)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				rs, err := p.members(it, what, []string{"pattern", "with"})
				if err != nil {
					return nil, err
				}
				var r replacement
				for _, x := range rs {
					s, err := p.scalar(x.value, what+"."+x.key)
					if err != nil {
						return nil, err
					}
					if x.key == "with" {
						r.with = s
					} else if r.re, err = regexp.Compile(s); err != nil {
						return nil, p.errorf(x.value, "%s : expression régulière invalide : %v", what, err)
					}
				}
				if r.re == nil {
					return nil, p.errorf(it, "%s : pattern manquant", what)
				}
				v.replaces = append(v.replaces, r)
			}
		case "split":
			if v.split, err = p.scalar(mb.value, what); err != nil {
				return nil, err
			}
			if v.split == "" {
				return nil, p.errorf(mb.value, "%s : séparateur vide", what)
			}
			v.split = unescape(v.split)
		case "quoted":
			if v.quoted, err = p.boolean(mb.value, what); err != nil {
				return nil, err
			}
		case "match":
			s, err := p.scalar(mb.value, what)
			if err != nil {
				return nil, err
			}
			if v.match, err = regexp.Compile(s); err != nil {
				return nil, p.errorf(mb.value, "%s : expression régulière invalide : %v", what, err)
			}
		case "pad":
			if v.pad, err = p.integer(mb.value, what); err != nil {
				return nil, err
			}
			if v.pad > 20 {
				return nil, p.errorf(mb.value, "%s : 20 chiffres au plus", what)
			}
		case "map":
			mapNode = mb.value
		case "unmapped":
			unmappedNode = mb.value
		case "keywords":
			if v.keywords, err = c.keywords(mb.value, what); err != nil {
				return nil, err
			}
		case "date":
			s, err := p.scalar(mb.value, what)
			if err != nil {
				return nil, err
			}
			if v.date, err = dateLayout(s); err != nil {
				return nil, p.errorf(mb.value, "%s : %v", what, err)
			}
		}
	}
	if sources != 1 {
		return nil, p.errorf(n, "%s : une seule source de valeur est attendue parmi column, columns, const, template, all/first, hash, flags, commune_of, postal_code_of (%d données)", where, sources)
	}
	if v.quoted && v.split == "" {
		return nil, p.errorf(n, "%s : quoted n'a de sens qu'avec split", where)
	}
	if v.falsy != nil && v.flags == nil {
		return nil, p.errorf(n, "%s : false_values n'a de sens qu'avec flags", where)
	}
	if mapNode != nil {
		if err := c.mapRef(v, mapNode, where+".map"); err != nil {
			return nil, err
		}
	}
	if unmappedNode != nil {
		s, err := p.scalar(unmappedNode, where+".unmapped")
		if err != nil {
			return nil, err
		}
		if v.unmapped, err = parsePolicy(s); err != nil {
			return nil, p.errorf(unmappedNode, "%s.unmapped : %v", where, err)
		}
		if v.dict == nil && v.keywords == nil && v.match == nil {
			return nil, p.errorf(unmappedNode, "%s : unmapped n'a de sens qu'avec map, keywords ou match", where)
		}
		if v.dict == nil && v.keywords == nil && v.unmapped == policyKeep {
			return nil, p.errorf(unmappedNode, "%s : avec match seul, unmapped vaut drop (par défaut) ou ignore", where)
		}
	}
	return v, nil
}

func (c *compiler) values(n *yaml.Node, where string) ([]*value, error) {
	items, err := c.p.sequence(n, where)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, c.p.errorf(n, "%s : liste vide", where)
	}
	out := make([]*value, 0, len(items))
	for i, it := range items {
		v, err := c.value(it, where+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// unescape reads \n and \t in separators written in YAML single quotes.
func unescape(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(s)
}

// columns adds the input columns the rule reads to set.
func (v *value) columns(set map[string]bool) {
	if v.column != "" {
		set[v.column] = true
	}
	for _, c := range v.cols {
		set[c] = true
	}
	for _, c := range v.hash {
		set[c] = true
	}
	for _, f := range v.flags {
		set[f.column] = true
	}
	if v.tmpl != nil {
		for _, c := range v.tmpl.columns() {
			set[c] = true
		}
	}
	for _, a := range v.all {
		a.columns(set)
	}
	if v.communeOf != nil {
		v.communeOf.postalCode.columns(set)
		if v.communeOf.text != nil {
			v.communeOf.text.columns(set)
		}
	}
	if v.postalOf != nil {
		v.postalOf.commune.columns(set)
	}
}

// rowContext is what the rules of one row share.
type rowContext struct {
	m        *Mapping
	row      rowGetter
	number   int
	mapped   *Mapped
	field    string // output field being computed, for findings
	scratch  []string
	keyBuf   []byte
	hashBuf  []byte
	geometry []byte
}

// rowGetter is the part of *tabular.Row that rules use.
type rowGetter interface {
	Get(name string) (string, bool)
}

// get returns the trimmed value of a column, "" for a null marker.
func (c *rowContext) get(col string) string {
	s, _ := c.row.Get(col)
	s = strings.TrimSpace(s)
	if s != "" && len(c.m.nulls) > 0 && c.m.nulls[s] {
		return ""
	}
	return s
}

// eval appends the values of the rule for the row to out.
func (v *value) eval(c *rowContext, out []string) []string {
	start := len(out)
	switch {
	case v.column != "":
		if s := c.get(v.column); s != "" {
			out = append(out, s)
		}
	case v.cols != nil:
		for _, col := range v.cols {
			if s := c.get(col); s != "" {
				out = append(out, s)
			}
		}
	case v.constant != nil:
		if *v.constant != "" {
			out = append(out, *v.constant)
		}
	case v.tmpl != nil:
		if s := v.tmpl.render(c); s != "" {
			out = append(out, s)
		}
	case v.all != nil:
		for _, a := range v.all {
			out = a.eval(c, out)
		}
	case v.hash != nil:
		out = append(out, c.hashOf(v.hash))
	case v.flags != nil:
		falsy := v.falsy
		for _, f := range v.flags {
			s := c.get(f.column)
			if falsy != nil {
				if falsy[fold.Key(s)] {
					continue
				}
			} else if isDefaultFalsy(s) {
				continue
			}
			out = append(out, f.values...)
		}
	case v.communeOf != nil:
		if name := v.communeOf.find(c); name != "" {
			out = append(out, name)
		}
	case v.postalOf != nil:
		if cp := v.postalOf.find(c); cp != "" {
			out = append(out, cp)
		}
	}
	if !v.transforms() {
		return out
	}
	// Transform the values produced by this rule in place.
	vals := append(c.scratch[:0], out[start:]...)
	out = out[:start]
	for _, s := range vals {
		out = v.transform(c, s, out)
	}
	c.scratch = vals[:0]
	return out
}

func (v *value) transforms() bool {
	return v.extract != nil || v.replaces != nil || v.split != "" || v.match != nil || v.pad > 0 ||
		v.dict != nil || v.keywords != nil || v.date != ""
}

// transform applies the transforms to one value and appends the results.
func (v *value) transform(c *rowContext, s string, out []string) []string {
	if v.extract != nil {
		m := v.extract.FindStringSubmatch(s)
		if m == nil {
			return out
		}
		s = strings.TrimSpace(m[v.group])
	}
	for _, r := range v.replaces {
		s = strings.TrimSpace(r.re.ReplaceAllString(s, r.with))
	}
	if s == "" {
		return out
	}
	if v.split == "" {
		return v.finish(c, s, out)
	}
	for _, part := range splitValue(s, v.split, v.quoted) {
		if part != "" {
			out = v.finish(c, part, out)
		}
	}
	return out
}

// finish applies match, pad, map, keywords and date to one piece.
func (v *value) finish(c *rowContext, s string, out []string) []string {
	if v.match != nil && !v.match.MatchString(s) {
		if v.unmapped != policyIgnore {
			c.drop(v, s, "ne correspond pas au motif attendu de "+v.where)
		}
		return out
	}
	if v.pad > 0 {
		s = padDigits(s, v.pad)
	}
	if v.dict == nil && v.keywords == nil {
		if v.date != "" {
			s = parseDateValue(s, v.date)
		}
		return append(out, s)
	}
	n := len(out)
	out = v.translate(c, s, out)
	if v.date != "" {
		for i := n; i < len(out); i++ {
			out[i] = parseDateValue(out[i], v.date)
		}
	}
	return out
}

// splitValue cuts s on sep, trimming spaces. With quoted, a separator
// inside double quotes does not cut, unless it touches a quote ("a","b":
// exports that lost the outer quotes of the cell keep their item
// boundaries), and the quotes are removed.
func splitValue(s, sep string, quoted bool) []string {
	if !quoted {
		parts := strings.Split(s, sep)
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	var parts []string
	var b strings.Builder
	in := false
	for i := 0; i < len(s); {
		if s[i] == '"' {
			in = !in
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sep) {
			end := i + len(sep)
			touches := i > 0 && s[i-1] == '"' || end < len(s) && s[end] == '"'
			if !in || touches {
				parts = append(parts, strings.TrimSpace(b.String()))
				b.Reset()
				i = end
				// A quote after the separator opens the next item; any
				// other character starts it unquoted.
				in = false
				if i < len(s) && s[i] == '"' {
					in = true
					i++
				}
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return append(parts, strings.TrimSpace(b.String()))
}

// padDigits left-pads a string of digits with zeros to width (a postal code
// or INSEE code that lost its leading zero in a spreadsheet, a phone number
// without its 0). Anything else is returned unchanged.
func padDigits(s string, width int) string {
	if len(s) >= width {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return strings.Repeat("0", width-len(s)) + s
}

func isDefaultFalsy(s string) bool {
	if len(s) > 6 {
		return false
	}
	k := fold.Key(s)
	for _, f := range defaultFalsy {
		if k == f {
			return true
		}
	}
	return false
}

// hashOf returns a stable identifier made from the folded values of cols:
// the same values (up to case, accents and punctuation) give the same id.
func (c *rowContext) hashOf(cols []string) string {
	b := c.hashBuf[:0]
	for i, col := range cols {
		if i > 0 {
			b = append(b, 0x1f)
		}
		b = fold.AppendKey(b, c.get(col))
	}
	c.hashBuf = b
	sum := sha256.Sum256(b)
	return "h" + hex.EncodeToString(sum[:10])
}

// dateLayout reads the date option: "epoch", "epoch_ms", "rfc3339", a Go
// layout ("02/01/2006") or a layout with French or English letters
// (JJ/MM/AAAA, DD/MM/YYYY, AAAA-MM-JJ HH:mm:ss).
func dateLayout(s string) (string, error) {
	switch strings.ToLower(s) {
	case "epoch", "epoch_ms", "rfc3339":
		return strings.ToLower(s), nil
	}
	if strings.Contains(s, "AAAA") || strings.Contains(s, "YYYY") {
		s = strings.NewReplacer("AAAA", "2006", "YYYY", "2006", "MM", "01", "JJ", "02", "DD", "02",
			"HH", "15", "mm", "04", "ss", "05").Replace(s)
	}
	if !strings.Contains(s, "2006") && !strings.Contains(s, "06") {
		return "", errors.New("format de date sans année : " + s + " (ex. JJ/MM/AAAA, 02/01/2006, rfc3339, epoch_ms)")
	}
	return s, nil
}

// parseDateValue returns the date of s as YYYY-MM-DD, or s unchanged when it
// does not follow the layout (the validator then reports it).
func parseDateValue(s, layout string) string {
	var t time.Time
	var err error
	switch layout {
	case "epoch", "epoch_ms":
		n, ok := parseInt(s)
		if !ok {
			return s
		}
		if layout == "epoch_ms" {
			t = time.UnixMilli(n)
		} else {
			t = time.Unix(n, 0)
		}
	case "rfc3339":
		t, err = time.Parse(time.RFC3339, s)
	default:
		t, err = time.Parse(layout, s)
		if err != nil && len(s) > len(layout) {
			// A date with a time the layout does not show.
			t, err = time.Parse(layout, s[:len(layout)])
		}
	}
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02")
}

func parseInt(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// communeOf compiles commune_of: a value giving the postal code, or
// {postal_code: value, text: value}.
func (c *compiler) communeOf(n *yaml.Node, what string) (*communeOf, error) {
	p := c.p
	rn, err := p.resolve(n)
	if err != nil {
		return nil, err
	}
	co := &communeOf{}
	if rn.Kind == yaml.MappingNode && hasKey(rn, "postal_code") {
		ms, err := p.members(rn, what, []string{"postal_code", "text"})
		if err != nil {
			return nil, err
		}
		for _, mb := range ms {
			v, err := c.value(mb.value, what+"."+mb.key)
			if err != nil {
				return nil, err
			}
			if mb.key == "text" {
				co.text = v
			} else {
				co.postalCode = v
			}
		}
		return co, nil
	}
	if co.postalCode, err = c.value(rn, what); err != nil {
		return nil, err
	}
	return co, nil
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (co *communeOf) find(c *rowContext) string {
	cp := first(co.postalCode, c)
	if cp == "" {
		return ""
	}
	t := territoryData()
	if com, ok := t.FindCommune(cp, ""); ok {
		return com.Name
	}
	if co.text == nil {
		return ""
	}
	text := " " + fold.Key(strings.Join(co.text.eval(c, nil), " ")) + " "
	var found *territory.Commune
	var foundKey string
	for _, com := range t.CommunesByPostalCode(cp) {
		k := fold.Key(com.Name)
		if k == "" || !strings.Contains(text, " "+k+" ") {
			continue
		}
		switch {
		case found == nil || strings.Contains(" "+k+" ", " "+foundKey+" "):
			found, foundKey = com, k // a longer name holding the first one
		case strings.Contains(" "+foundKey+" ", " "+k+" "):
			// a shorter name inside the one found: keep the longer
		default:
			return "" // two communes named in the text: no guess
		}
	}
	if found == nil {
		return ""
	}
	return found.Name
}

func (po *postalOf) find(c *rowContext) string {
	var buf [2]string
	names := po.commune.eval(c, buf[:0])
	if len(names) == 0 {
		return ""
	}
	var found *territory.Commune
	for _, com := range territoryData().FindCommuneByName(names[0]) {
		if po.departement != "" && com.Departement != po.departement {
			continue
		}
		if found != nil {
			return "" // two communes of that name: no guess
		}
		found = com
	}
	if found == nil || len(found.PostalCodes) != 1 {
		return ""
	}
	return found.PostalCodes[0]
}

// territoryData returns the embedded territory, loaded on first use: only
// commune_of needs it.
func territoryData() *territory.Data { return territory.Default() }
