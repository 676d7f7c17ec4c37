package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

const validateHelp = `
Vérifie chaque ligne des fichiers au schéma national des lieux de médiation
numérique (v1.0.2, ou l'ancienne v0.1 convertie en v1.0.2), en CSV (« , » ou
« ; », UTF-8 ou Windows-1252), JSON (tableau d'objets), NDJSON ou GeoJSON.
« - » lit l'entrée standard.

Sans --json : un rapport en français, constats groupés par ligne, puis un résumé.
Avec --json : un objet JSON par fichier (un seul fichier : un objet ; plusieurs :
NDJSON, un objet par ligne) de la forme
  {"file", "format", "legacy", "rows", "valid", "invalid", "warnings",
   "findings": [{"row","field","value","code","severity","message"}]}
où warnings compte les avertissements.

Code de sortie : 0 si aucune ligne n'a d'erreur, 1 si des lignes ont des
erreurs, 2 si un fichier n'a pas pu être lu du tout.`

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate", "[--json] [--errors-only] FICHIER...", validateHelp, stderr)
	asJSON := fs.Bool("json", false, "écrire un objet JSON par fichier au lieu du rapport")
	errorsOnly := fs.Bool("errors-only", false, "rapport : ne montrer que les erreurs, pas les avertissements")
	files, err := parseArgs(fs, args)
	if err != nil {
		return exitUnreadable
	}
	if len(files) == 0 {
		fs.Usage()
		return exitUnreadable
	}
	terr := territory.Default()
	code := exitOK
	for _, name := range files {
		var sum *schema.Summary
		var err error
		if *asJSON {
			sum, err = validateFile(name, terr, true, nil)
		} else {
			rep := &humanReport{w: stdout, errorsOnly: *errorsOnly}
			fmt.Fprintf(stdout, "Fichier %s\n", name)
			sum, err = validateFile(name, terr, false, rep.record)
			if err == nil {
				rep.summary(sum)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "maillage validate : %v\n", err)
			code = exitUnreadable
			continue
		}
		if *asJSON {
			if sum.Findings == nil {
				sum.Findings = []schema.Finding{}
			}
			b, _ := json.Marshal(sum)
			fmt.Fprintf(stdout, "%s\n", b)
		}
		if (sum.Invalid > 0 || sum.Fatal != "") && code == exitOK {
			code = exitRowErrors
		}
	}
	return code
}

// openInput opens a file, or standard input for "-".
func openInput(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(name)
}

func validateFile(name string, terr *territory.Data, keep bool, fn func(*schema.Record) error) (*schema.Summary, error) {
	f, err := openInput(name)
	if err != nil {
		return nil, fmt.Errorf("impossible d'ouvrir %s : %w", name, err)
	}
	defer f.Close()
	return schema.ReadAll(f, name, terr, tabular.Options{}, keep, fn)
}

// humanReport prints findings grouped by row as rows are read, then a summary.
type humanReport struct {
	w          io.Writer
	errorsOnly bool
	byCode     map[string]int
}

func (h *humanReport) record(rec *schema.Record) error {
	if h.byCode == nil {
		h.byCode = make(map[string]int)
	}
	var shown []schema.Finding
	for _, f := range rec.Findings {
		h.byCode[string(f.Severity)+" "+f.Code]++
		if h.errorsOnly && f.Severity != schema.Error {
			continue
		}
		shown = append(shown, f)
	}
	if len(shown) == 0 {
		return nil
	}
	label := ""
	if rec.Place.ID != "" {
		label = " (id " + rec.Place.ID
		if rec.Place.Name != "" {
			label += ", « " + rec.Place.Name + " »"
		}
		label += ")"
	}
	fmt.Fprintf(h.w, "\nLigne %d%s\n", rec.Row, label)
	for _, f := range shown {
		mark := "  avertissement"
		if f.Severity == schema.Error {
			mark = "  ERREUR       "
		}
		field := f.Field
		if field == "" {
			field = "(ligne)"
		}
		fmt.Fprintf(h.w, "%s  %s : %s\n", mark, field, f.Message)
	}
	return nil
}

func (h *humanReport) summary(s *schema.Summary) {
	fmt.Fprintln(h.w)
	version := "schéma v1.0.2"
	if s.Legacy {
		version = "ancien schéma v0.1 (lu et converti en v1.0.2)"
	}
	fmt.Fprintf(h.w, "Résumé de %s (%s, %s)\n", s.File, strings.ToUpper(s.Format), version)
	fmt.Fprintf(h.w, "  %d ligne(s) lue(s) : %d valide(s), %d en erreur ; %d avertissement(s)\n", s.Rows, s.Valid, s.Invalid, s.Warnings)
	if s.Fatal != "" {
		fmt.Fprintf(h.w, "  LECTURE INTERROMPUE : %s\n", s.Fatal)
	}
	if len(h.byCode) > 0 {
		type count struct {
			key string
			n   int
		}
		var counts []count
		for k, n := range h.byCode {
			counts = append(counts, count{k, n})
		}
		sort.Slice(counts, func(i, j int) bool {
			if counts[i].n != counts[j].n {
				return counts[i].n > counts[j].n
			}
			return counts[i].key < counts[j].key
		})
		fmt.Fprintln(h.w, "  Constats par type :")
		for _, c := range counts {
			sev, code, _ := strings.Cut(c.key, " ")
			label := "avertissement"
			if sev == string(schema.Error) {
				label = "erreur"
			}
			fmt.Fprintf(h.w, "    %6d  %-13s %s\n", c.n, label, code)
		}
	}
}
