// Package migration reads a store's schema changes: one SQL file each,
// named "NNN_what.sql" in a folder "migrations", where NNN is the version,
// applied in increasing order. A file once released is never edited; a
// change is a new file. Each store (sqlite, postgres) embeds its own files
// and applies them its own way.
package migration

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string // file name, e.g. "001_init.sql"
	SQL     string
}

// Load lists the migrations/*.sql files of fsys by version. A file whose
// name does not start with a positive number, or two files with the same
// number, are errors.
func Load(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []Migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		number, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s : le nom doit commencer par un numéro (001_…)", base)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		list = append(list, Migration{Version: version, Name: base, SQL: string(text)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	for i := 1; i < len(list); i++ {
		if list[i].Version == list[i-1].Version {
			return nil, fmt.Errorf("migrations %s et %s : même numéro", list[i-1].Name, list[i].Name)
		}
	}
	return list, nil
}
