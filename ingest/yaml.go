package ingest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parser walks the YAML node tree of a mapping file. Walking the nodes
// ourselves (rather than decoding into structs) gives strict keys, the line
// of every mistake and messages in French for the coordinator.
type parser struct {
	name   string // file name, for messages
	budget int    // nodes left to visit: protects against alias bombs
}

// maxNodes bounds the nodes visited in one mapping file (aliases included).
// Real mapping files have a few thousand.
const maxNodes = 200_000

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if n != nil && n.Line > 0 {
		return fmt.Errorf("%s, ligne %d : %s", p.name, n.Line, msg)
	}
	return fmt.Errorf("%s : %s", p.name, msg)
}

// resolve follows aliases and counts the node against the budget.
func (p *parser) resolve(n *yaml.Node) (*yaml.Node, error) {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode; depth++ {
		if depth > 100 {
			return nil, p.errorf(n, "alias YAML en boucle")
		}
		n = n.Alias
	}
	if n == nil {
		return nil, fmt.Errorf("%s : document YAML vide", p.name)
	}
	p.budget--
	if p.budget < 0 {
		return nil, p.errorf(n, "fichier trop gros ou alias YAML trop imbriqués (plus de %d nœuds)", maxNodes)
	}
	return n, nil
}

// member is one key: value pair of a YAML mapping.
type member struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// members returns the pairs of a mapping node, checking every key is one of
// allowed (when allowed is not nil) and appears once.
func (p *parser) members(n *yaml.Node, what string, allowed []string) ([]member, error) {
	n, err := p.resolve(n)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, "%s : un dictionnaire (clé: valeur) est attendu", what)
	}
	out := make([]member, 0, len(n.Content)/2)
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, err := p.resolve(n.Content[i])
		if err != nil {
			return nil, err
		}
		if kn.Kind != yaml.ScalarNode {
			return nil, p.errorf(kn, "%s : clé non textuelle", what)
		}
		if kn.Tag == "!!merge" || kn.Value == "<<" {
			return nil, p.errorf(kn, "%s : la fusion YAML « << » n'est pas prise en charge, répétez les clés", what)
		}
		k := kn.Value
		if allowed != nil && !contains(allowed, k) {
			return nil, p.errorf(kn, "%s : clé inconnue « %s » (clés possibles : %s)", what, k, strings.Join(allowed, ", "))
		}
		if seen[k] {
			return nil, p.errorf(kn, "%s : clé « %s » en double", what, k)
		}
		seen[k] = true
		out = append(out, member{key: k, keyN: kn, value: n.Content[i+1]})
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalar returns the text of a scalar node; null gives "".
func (p *parser) scalar(n *yaml.Node, what string) (string, error) {
	n, err := p.resolve(n)
	if err != nil {
		return "", err
	}
	if n.Kind != yaml.ScalarNode {
		return "", p.errorf(n, "%s : une valeur simple (texte ou nombre) est attendue", what)
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

// strings returns a list of scalars, accepting a lone scalar as a list of one.
func (p *parser) strings(n *yaml.Node, what string) ([]string, error) {
	n, err := p.resolve(n)
	if err != nil {
		return nil, err
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil, nil
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			s, err := p.scalar(c, what)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, p.errorf(n, "%s : une valeur ou une liste de valeurs est attendue", what)
}

func (p *parser) integer(n *yaml.Node, what string) (int, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return 0, err
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i > 1_000_000 {
		return 0, p.errorf(n, "%s : nombre entier positif attendu, pas « %s »", what, s)
	}
	return i, nil
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true", "yes", "oui", "vrai":
		return true, nil
	case "false", "no", "non", "faux", "":
		return false, nil
	}
	return false, p.errorf(n, "%s : true ou false attendu, pas « %s »", what, s)
}

// sequence returns the elements of a sequence node.
func (p *parser) sequence(n *yaml.Node, what string) ([]*yaml.Node, error) {
	n, err := p.resolve(n)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s : une liste est attendue", what)
	}
	return n.Content, nil
}

// sortedKeys returns the keys of a map in order, for stable messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
