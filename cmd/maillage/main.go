// Command maillage is the one binary of Maillage: it serves the API and the
// web pages, and validates, converts and (later) imports and exports the data
// of the places that help people with digital life in France.
//
// Each subcommand has its own flags; `maillage help` lists them. Messages
// for people are in French.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes shared by the subcommands.
const (
	exitOK         = 0 // everything read was valid
	exitRowErrors  = 1 // some rows have errors
	exitUnreadable = 2 // a file could not be read at all, or the command line is wrong
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"serve", "lance le service web (API et pages)", runServe},
		{"validate", "vérifie des fichiers au schéma national des lieux de médiation numérique", runValidate},
		{"convert", "convertit un fichier au schéma national v1.0.2 (CSV, JSON, NDJSON, GeoJSON)", runConvert},
		{"import", "importe un fichier dans une source (remplace sa version précédente)", runImport},
		{"sources", "liste les sources et leur dernier import", runSources},
		{"quarantine", "montre les lignes non enregistrées d'une source et leurs raisons", runQuarantine},
		{"export", "exporte les fiches enregistrées ou les lieux consolidés au schéma national v1.0.2", runExport},
		{"merge", "fusionne les fiches des sources en lieux consolidés ; liens manuels, explications, bilan", runMerge},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "maillage : commande inconnue « %s »\n\n", args[0])
	usage(stderr)
	return exitUnreadable
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage : maillage COMMANDE [options]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commandes :")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "« maillage COMMANDE --help » détaille les options d'une commande.")
}

// parseArgs parses flags placed before, between or after positional
// arguments ("convert FILE --to csv"), and returns the positional ones.
// A lone "-" is positional (standard input).
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a FlagSet that prints its usage in French on w.
func newFlagSet(name, synopsis, description string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage : maillage %s %s\n\n%s\n\nOptions :\n", name, synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// envOr returns the environment variable's value, or def when unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}
