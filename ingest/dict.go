package ingest

import (
	"errors"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"maillage"
	"maillage/fold"
)

// policy says what happens to a value a dictionary does not know.
type policy uint8

const (
	policyUnset  policy = iota
	policyKeep          // pass it on: the validator reports it, with a suggestion
	policyDrop          // leave it out, with a warning; kept in Extra
	policyIgnore        // leave it out silently (another rule takes it)
)

func parsePolicy(s string) (policy, error) {
	switch s {
	case "keep":
		return policyKeep, nil
	case "drop":
		return policyDrop, nil
	case "ignore":
		return policyIgnore, nil
	}
	return policyUnset, errors.New("« " + s + " » : keep, drop ou ignore attendu")
}

// dictionary translates local values into national ones. Keys are compared
// after folding (case, accents, punctuation and spaces do not matter).
type dictionary struct {
	name     string
	entries  map[string][]string // folded local value -> national values (empty: none)
	unmapped policy
}

// keywordRule adds values when a text contains one of its words.
type keywordRule struct {
	words  []string // folded
	values []string
}

// dictionaries parses the top-level dictionaries section.
func (p *parser) dictionaries(n *yaml.Node) (map[string]*dictionary, error) {
	ms, err := p.members(n, "dictionaries", nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*dictionary, len(ms))
	for _, mb := range ms {
		what := "dictionaries." + mb.key
		d := &dictionary{name: mb.key, unmapped: policyKeep}
		parts, err := p.members(mb.value, what, []string{"unmapped", "values"})
		if err != nil {
			return nil, err
		}
		for _, part := range parts {
			switch part.key {
			case "unmapped":
				s, err := p.scalar(part.value, what+".unmapped")
				if err != nil {
					return nil, err
				}
				if d.unmapped, err = parsePolicy(s); err != nil {
					return nil, p.errorf(part.value, "%s.unmapped : %v", what, err)
				}
			case "values":
				if d.entries, err = p.entries(part.value, what+".values"); err != nil {
					return nil, err
				}
			}
		}
		if d.entries == nil {
			return nil, p.errorf(mb.value, "%s : values (valeur locale: valeur nationale) est obligatoire", what)
		}
		out[mb.key] = d
	}
	return out, nil
}

// entries parses "local: national" or "local: [national, …]" pairs.
func (p *parser) entries(n *yaml.Node, what string) (map[string][]string, error) {
	ms, err := p.members(n, what, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(ms))
	for _, mb := range ms {
		k := fold.Key(mb.key)
		if _, dup := out[k]; dup {
			return nil, p.errorf(mb.keyN, "%s : « %s » est déjà dans le dictionnaire (la casse, les accents et la ponctuation ne comptent pas)", what, mb.key)
		}
		vals, err := p.strings(mb.value, what+"."+mb.key)
		if err != nil {
			return nil, err
		}
		if vals == nil {
			vals = []string{}
		}
		out[k] = vals
	}
	return out, nil
}

// mapRef resolves "map:": a dictionary name, or inline entries.
func (c *compiler) mapRef(v *value, n *yaml.Node, what string) error {
	p := c.p
	rn, err := p.resolve(n)
	if err != nil {
		return err
	}
	if rn.Kind == yaml.ScalarNode {
		name := rn.Value
		d, ok := c.dicts[name]
		if !ok {
			return p.errorf(rn, "%s : dictionnaire « %s » inconnu (dictionnaires : %s)", what, name, strings.Join(sortedKeys(c.dicts), ", "))
		}
		c.used[name] = true
		v.dict = d
		return nil
	}
	entries, err := p.entries(rn, what)
	if err != nil {
		return err
	}
	v.dict = &dictionary{name: v.where, entries: entries, unmapped: policyKeep}
	v.inline = true
	return nil
}

func (c *compiler) keywords(n *yaml.Node, what string) ([]keywordRule, error) {
	p := c.p
	items, err := p.sequence(n, what)
	if err != nil {
		return nil, err
	}
	var out []keywordRule
	for i, it := range items {
		w := what + "[" + strconv.Itoa(i) + "]"
		ms, err := p.members(it, w, []string{"words", "values"})
		if err != nil {
			return nil, err
		}
		var r keywordRule
		for _, mb := range ms {
			vals, err := p.strings(mb.value, w+"."+mb.key)
			if err != nil {
				return nil, err
			}
			if mb.key == "values" {
				r.values = vals
				continue
			}
			for _, word := range vals {
				if k := fold.Key(word); k != "" {
					r.words = append(r.words, k)
				}
			}
		}
		if len(r.words) == 0 || len(r.values) == 0 {
			return nil, p.errorf(it, "%s : words et values sont obligatoires", w)
		}
		out = append(out, r)
	}
	return out, nil
}

// translate maps one local value through the dictionary, then the keyword
// rules, and applies the unmapped policy when neither knows it.
func (v *value) translate(c *rowContext, s string, out []string) []string {
	c.keyBuf = fold.AppendKey(c.keyBuf[:0], s)
	if v.dict != nil {
		if vals, ok := v.dict.entries[string(c.keyBuf)]; ok {
			return append(out, vals...)
		}
	}
	if v.keywords != nil {
		var matched bool
		out, matched = matchKeywords(v.keywords, c.keyBuf, out)
		if matched || v.dict == nil && v.unmapped == policyUnset {
			// Free text read for keywords: what no rule matched is
			// not a value, it stays in the raw record.
			return out
		}
	}
	pol := v.unmapped
	if pol == policyUnset && v.dict != nil {
		pol = v.dict.unmapped
	}
	switch pol {
	case policyDrop:
		c.drop(v, s, "n'a pas d'équivalent dans le dictionnaire "+dictName(v))
		return out
	case policyIgnore:
		return out
	}
	return append(out, s)
}

// matchKeywords appends the values of every rule one of whose words starts
// a word of the folded text; matched tells whether a rule matched.
func matchKeywords(rules []keywordRule, text []byte, out []string) (_ []string, matched bool) {
	for _, r := range rules {
		for _, w := range r.words {
			if containsWordPrefix(text, w) {
				for _, val := range r.values {
					out = appendUniqueString(out, val)
				}
				matched = true
				break
			}
		}
	}
	return out, matched
}

// containsWordPrefix reports whether w occurs in text at the start of a word
// (text and w are folded keys: words separated by single spaces).
func containsWordPrefix(text []byte, w string) bool {
	for i := 0; i+len(w) <= len(text); {
		j := strings.Index(string(text[i:]), w)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || text[at-1] == ' ' {
			return true
		}
		i = at + 1
	}
	return false
}

func appendUniqueString(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// CodeValueDropped is the code of the warning for a local value left out:
// one a dictionary does not know under "unmapped: drop", or one that does
// not match the "match" pattern.
const CodeValueDropped = "valeur_locale_non_reprise"

// drop leaves a value out with a warning, keeping it in Extra under
// "<field>_non_repris".
func (c *rowContext) drop(v *value, s, why string) {
	md := c.mapped
	md.Findings = append(md.Findings, maillage.Finding{
		Row: c.number, Field: c.field, Value: s, Code: CodeValueDropped, Severity: maillage.SeverityWarning,
		Message: "« " + s + " » " + why + " : valeur non reprise (gardée à part)",
	})
	key := c.field + "_non_repris"
	if md.Extra == nil {
		md.Extra = map[string]string{}
	}
	if old := md.Extra[key]; old != "" {
		md.Extra[key] = old + "|" + s
	} else {
		md.Extra[key] = s
	}
}

func dictName(v *value) string {
	if v.dict == nil || v.inline {
		return "de " + v.where
	}
	return "« " + v.dict.name + " »"
}
