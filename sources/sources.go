// Package sources holds the mapping files of the real sources Maillage
// knows (one YAML file per source, see docs/mappings.md), embedded in the
// binary so that `maillage import FILE --source NAME` finds the mapping of
// a known source without a --mapping flag.
package sources

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Mapping returns the mapping file of a known source, by its name (the
// file name without .yaml).
func Mapping(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, false
	}
	data, err := files.ReadFile(name + ".yaml")
	return data, err == nil
}

// Names lists the known sources.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
