package ingest

import (
	"errors"
	"strings"
)

// template is a parsed template: "{N°} {ADRESSE}[, {COMP_ADRESSE}]".
//
// {Column} is replaced by the column's value. A part in square brackets is
// left out when one of its placeholders is empty, so separators do not
// dangle. Runs of spaces and tabs are collapsed into one space and the
// result is trimmed; when every placeholder is empty the result is empty.
// "{{", "}}", "[[" and "]]" stand for the characters themselves.
type template struct {
	parts []tmplPart
}

// tmplPart is literal text, a placeholder, or an optional group.
type tmplPart struct {
	text   string
	column string
	group  []tmplPart
}

func parseTemplate(s string) (*template, error) {
	parts, rest, err := parseParts(s, false)
	if err != nil {
		return nil, err
	}
	if rest != "" {
		return nil, errors.New("« ] » sans « [ » dans le modèle")
	}
	t := &template{parts: parts}
	if len(t.columns()) == 0 {
		return nil, errors.New("le modèle ne cite aucune colonne entre accolades : utilisez const pour un texte fixe")
	}
	return t, nil
}

// parseParts reads parts up to the end of s, or up to the "]" closing a
// group when inGroup; rest is what follows that "]".
func parseParts(s string, inGroup bool) (parts []tmplPart, rest string, err error) {
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, tmplPart{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if (c == '{' || c == '}' || c == '[' || c == ']') && i+1 < len(s) && s[i+1] == c {
			lit.WriteByte(c)
			i += 2
			continue
		}
		switch c {
		case '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, "", errors.New("« { » sans « } » dans le modèle")
			}
			name := strings.TrimSpace(s[i+1 : i+end])
			if name == "" {
				return nil, "", errors.New("nom de colonne vide entre accolades")
			}
			flush()
			parts = append(parts, tmplPart{column: name})
			i += end + 1
		case '}':
			return nil, "", errors.New("« } » sans « { » dans le modèle")
		case '[':
			flush()
			group, after, err := parseParts(s[i+1:], true)
			if err != nil {
				return nil, "", err
			}
			parts = append(parts, tmplPart{group: group})
			s, i = after, 0
			continue
		case ']':
			if !inGroup {
				return nil, "", errors.New("« ] » sans « [ » dans le modèle")
			}
			flush()
			return parts, s[i+1:], nil
		default:
			lit.WriteByte(c)
			i++
		}
	}
	if inGroup {
		return nil, "", errors.New("« [ » sans « ] » dans le modèle")
	}
	flush()
	return parts, "", nil
}

func (t *template) columns() []string {
	var out []string
	var walk func([]tmplPart)
	walk = func(ps []tmplPart) {
		for _, p := range ps {
			if p.column != "" {
				out = append(out, p.column)
			}
			walk(p.group)
		}
	}
	walk(t.parts)
	return out
}

func (t *template) render(c *rowContext) string {
	var b strings.Builder
	filled := t.write(c, &b, t.parts)
	if filled == 0 {
		return ""
	}
	return collapseSpaces(b.String())
}

// write renders parts into b and returns how many placeholders were filled.
func (t *template) write(c *rowContext, b *strings.Builder, parts []tmplPart) int {
	filled := 0
	for _, p := range parts {
		switch {
		case p.column != "":
			if v := c.get(p.column); v != "" {
				b.WriteString(v)
				filled++
			}
		case p.group != nil:
			var g strings.Builder
			if n, complete := t.writeGroup(c, &g, p.group); complete {
				b.WriteString(g.String())
				filled += n
			}
		default:
			b.WriteString(p.text)
		}
	}
	return filled
}

// writeGroup renders a group; complete is false when a placeholder of the
// group (nested groups aside) is empty.
func (t *template) writeGroup(c *rowContext, b *strings.Builder, parts []tmplPart) (int, bool) {
	for _, p := range parts {
		if p.column != "" && c.get(p.column) == "" {
			return 0, false
		}
	}
	return t.write(c, b, parts), true
}

// collapseSpaces turns runs of spaces and tabs into one space on each line
// and trims the lines and the whole text; line breaks are kept.
func collapseSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case ' ', '\t', '\u00a0':
			space = true
			continue
		case '\n':
			space = false
			// drop trailing spaces of the line
			b.WriteByte('\n')
			continue
		}
		if space {
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte(' ')
			}
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
