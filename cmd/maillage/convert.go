package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

const convertHelp = `
Lit un fichier au schéma national (v1.0.2 ou ancienne v0.1 ; CSV, JSON,
NDJSON ou GeoJSON ; « - » pour l'entrée standard) et écrit ses lignes valides
normalisées au schéma v1.0.2 dans le format demandé (sur la sortie standard,
ou dans le fichier --output). Les lignes en erreur ne sont pas écrites : elles
sont signalées sur la sortie d'erreur avec leurs raisons, puis un bilan
« lues = écrites + rejetées ».

Formats de sortie : csv (colonnes du schéma dans son ordre, valeurs multiples
séparées par « | »), json (un tableau d'objets), ndjson (un objet JSON par
ligne), geojson (une FeatureCollection de points).

Code de sortie : 0 si aucune ligne n'a d'erreur, 1 si des lignes ont été
rejetées, 2 si le fichier n'a pas pu être lu du tout.`

func runConvert(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("convert", "FICHIER --to csv|json|ndjson|geojson [--output F]", convertHelp, stderr)
	to := fs.String("to", "", "format de sortie : csv, json, ndjson ou geojson (obligatoire)")
	output := fs.String("output", "", "fichier de sortie (par défaut : la sortie standard)")
	files, err := parseArgs(fs, args)
	if err != nil {
		return exitUnreadable
	}
	if len(files) != 1 || *to == "" {
		fs.Usage()
		return exitUnreadable
	}
	format, err := schema.ParseFormat(*to)
	if err != nil {
		fmt.Fprintf(stderr, "maillage convert : %v\n", err)
		return exitUnreadable
	}
	name := files[0]
	in, err := openInput(name)
	if err != nil {
		fmt.Fprintf(stderr, "maillage convert : impossible d'ouvrir %s : %v\n", name, err)
		return exitUnreadable
	}
	defer in.Close()

	out := stdout
	var tmp *os.File
	if *output != "" {
		// Write next to the target and rename at the end: a failed
		// conversion never leaves half a file under the final name.
		tmp, err = os.CreateTemp(filepath.Dir(*output), ".maillage-convert-*")
		if err != nil {
			fmt.Fprintf(stderr, "maillage convert : %v\n", err)
			return exitUnreadable
		}
		defer os.Remove(tmp.Name())
		out = tmp
	}
	w, err := schema.NewWriter(out, format)
	if err != nil {
		fmt.Fprintf(stderr, "maillage convert : %v\n", err)
		return exitUnreadable
	}
	written, rejected := 0, 0
	sum, err := schema.ReadAll(in, name, territory.Default(), tabular.Options{}, false, func(rec *schema.Record) error {
		if !rec.Valid() {
			rejected++
			for _, f := range rec.Findings {
				if f.Severity == schema.Error {
					fmt.Fprintf(stderr, "rejetée : ligne %d (id %q) : %s : %s\n", rec.Row, rec.Place.ID, fieldOrRow(f.Field), f.Message)
				}
			}
			return nil
		}
		written++
		return w.Write(&rec.Place)
	})
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "maillage convert : %v\n", err)
		return exitUnreadable
	}
	if tmp != nil {
		if err := tmp.Close(); err != nil {
			fmt.Fprintf(stderr, "maillage convert : %v\n", err)
			return exitUnreadable
		}
		if err := os.Rename(tmp.Name(), *output); err != nil {
			fmt.Fprintf(stderr, "maillage convert : %v\n", err)
			return exitUnreadable
		}
	}
	fmt.Fprintf(stderr, "%s : %d ligne(s) lue(s) = %d écrite(s) + %d rejetée(s) ; %d avertissement(s)\n", name, sum.Rows, written, rejected, sum.Warnings)
	if sum.Fatal != "" {
		fmt.Fprintf(stderr, "%s : lecture interrompue : %s\n", name, sum.Fatal)
		return exitRowErrors
	}
	if rejected > 0 {
		return exitRowErrors
	}
	return exitOK
}

func fieldOrRow(field string) string {
	if field == "" {
		return "(ligne)"
	}
	return field
}
