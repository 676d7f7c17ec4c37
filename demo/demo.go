// Package demo holds a small set of real, openly licensed places (see
// data/README.md) and loads it into an empty store, so that `maillage serve`
// shows real data on a fresh machine.
package demo

import (
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"strings"

	"maillage"
	"maillage/importer"
	"maillage/territory"
)

//go:embed data/*.json.gz
var files embed.FS

// Sources lists the demo sources with their registration.
var Sources = []struct {
	File   string
	Source maillage.Source
}{
	{"hinaura-transformed-2022.json.gz", maillage.Source{Name: "demo-hinaura", Title: "Hinaura — lieux de médiation numérique d'Auvergne-Rhône-Alpes (2022)",
		Producer: "Hinaura", Territory: "région 84", Licence: "Licence Ouverte 2.0", Homepage: "https://www.hinaura.fr/", Format: "json"}},
	{"hub-du-sud-paca-20230516.json.gz", maillage.Source{Name: "demo-hub-du-sud", Title: "Hub du Sud — lieux de médiation numérique de Provence-Alpes-Côte d'Azur (2023)",
		Producer: "Hub du Sud", Territory: "région 93", Licence: "Licence Ouverte 2.0", Format: "json"}},
	{"charente-20230711.json.gz", maillage.Source{Name: "demo-charente", Title: "Lieux de médiation numérique de Charente (2023)",
		Producer: "Cartographie nationale des lieux d'inclusion numérique", Territory: "département 16", Licence: "Licence Ouverte 2.0", Format: "json"}},
	{"nouvelle-caledonie-20240320.json.gz", maillage.Source{Name: "demo-nouvelle-caledonie", Title: "Lieux de médiation numérique de Nouvelle-Calédonie (2024)",
		Producer: "Nouvelle-Calédonie", Territory: "988", Licence: "Licence Ouverte 2.0", Format: "json"}},
	{"bus-france-services-charente-20231003.json.gz", maillage.Source{Name: "demo-bus-france-services-charente", Title: "Bus France Services en Charente (2023)",
		Producer: "Emmaüs Ruffec", Territory: "département 16", Licence: "Licence Ouverte 2.0", Format: "json"}},
}

// Empty reports whether the store has no source at all.
func Empty(ctx context.Context, store maillage.Store) (bool, error) {
	sources, err := store.Sources(ctx)
	if err != nil {
		return false, err
	}
	return len(sources) == 0, nil
}

// Load registers and imports every demo source.
func Load(ctx context.Context, store maillage.Store, terr *territory.Data) ([]*maillage.Import, error) {
	var imports []*maillage.Import
	for _, s := range Sources {
		if err := store.PutSource(ctx, s.Source); err != nil {
			return imports, fmt.Errorf("démo %s : %w", s.Source.Name, err)
		}
		f, err := files.Open("data/" + s.File)
		if err != nil {
			return imports, err
		}
		gz, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return imports, fmt.Errorf("démo %s : %w", s.File, err)
		}
		imp, err := importer.Run(ctx, store, terr, gz, importer.Options{
			Source: s.Source.Name, File: strings.TrimSuffix(s.File, ".gz"),
		})
		gz.Close()
		f.Close()
		if err != nil {
			return imports, fmt.Errorf("démo %s : %w", s.Source.Name, err)
		}
		imports = append(imports, imp)
	}
	return imports, nil
}
