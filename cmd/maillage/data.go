package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"maillage"
	"maillage/schema"
	"maillage/tabular"
)

const defaultDB = "sqlite:maillage.db"

// dbFlag adds --db (env MAILLAGE_DB) to a command.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", envOr("MAILLAGE_DB", defaultDB), "base de données : sqlite:CHEMIN ou postgres://… (MAILLAGE_DB)")
}

const sourcesHelp = `
Liste les sources enregistrées avec leur dernier import : date, lignes lues,
enregistrées, en quarantaine, et ce qui a changé. Avec --json : un tableau JSON
de sources.`

func runSources(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sources", "[--json] [--db DSN]", sourcesHelp, stderr)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "écrire un tableau JSON")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUnreadable
	}
	ctx := context.Background()
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "maillage sources : %v\n", err)
		return exitUnreadable
	}
	defer store.Close()
	sources, err := store.Sources(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "maillage sources : %v\n", err)
		return exitUnreadable
	}
	if *asJSON {
		if sources == nil {
			sources = []maillage.Source{}
		}
		b, _ := json.MarshalIndent(sources, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
		return exitOK
	}
	if len(sources) == 0 {
		fmt.Fprintln(stdout, "Aucune source enregistrée. « maillage import FICHIER --source NOM » en crée une.")
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tDERNIER IMPORT\tLUES\tENREGISTRÉES\tQUARANTAINE\tAJOUTÉES\tMODIFIÉES\tRETIRÉES\tTITRE")
	for _, s := range sources {
		if s.LastImport == nil {
			fmt.Fprintf(tw, "%s\tjamais\t\t\t\t\t\t\t%s\n", s.Name, s.Title)
			continue
		}
		i := s.LastImport
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", s.Name, i.FinishedAt.Local().Format("2006-01-02 15:04"),
			i.Read, i.Stored, i.Quarantined, i.Added, i.Changed, i.Removed, s.Title)
	}
	tw.Flush()
	return exitOK
}

const quarantineHelp = `
Montre les lignes du dernier import d'une source qui n'ont pas été
enregistrées, avec toutes leurs raisons. Avec --json : NDJSON, un objet par
ligne en quarantaine {"source","import_id","row","record_id","raw","findings"}.`

func runQuarantine(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("quarantine", "--source NOM [--json] [--db DSN]", quarantineHelp, stderr)
	db := dbFlag(fs)
	source := fs.String("source", "", "nom de la source (obligatoire)")
	asJSON := fs.Bool("json", false, "écrire du NDJSON")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUnreadable
	}
	if *source == "" {
		fs.Usage()
		return exitUnreadable
	}
	ctx := context.Background()
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "maillage quarantine : %v\n", err)
		return exitUnreadable
	}
	defer store.Close()
	if _, err := store.Source(ctx, *source); err != nil {
		fmt.Fprintf(stderr, "maillage quarantine : source « %s » : %v\n", *source, err)
		return exitUnreadable
	}
	n := 0
	enc := json.NewEncoder(stdout)
	err = store.Quarantine(ctx, *source, func(q *maillage.QuarantinedRow) error {
		n++
		if *asJSON {
			return enc.Encode(q)
		}
		id := ""
		if q.RecordID != "" {
			id = " (id " + q.RecordID + ")"
		}
		fmt.Fprintf(stdout, "Ligne %d%s\n", q.Row, id)
		for _, f := range q.Findings {
			mark := "  avertissement"
			if f.Severity == maillage.SeverityError {
				mark = "  ERREUR       "
			}
			fmt.Fprintf(stdout, "%s  %s : %s\n", mark, fieldOrRow(f.Field), f.Message)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "maillage quarantine : %v\n", err)
		return exitUnreadable
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "%d ligne(s) en quarantaine pour la source %s\n", n, *source)
	}
	return exitOK
}

const exportHelp = `
Écrit les fiches enregistrées (toutes les sources, ou --source NOM) au schéma
national v1.0.2 : csv, json (un tableau), ndjson (un objet par ligne) ou
geojson (une FeatureCollection), sur la sortie standard ou dans --output.

Avec --consolidated : écrit les lieux consolidés (un par ligne ou par élément,
calculés par « maillage merge » ou après chaque import), avec --source NOM
ceux qui ont au moins une fiche de cette source. Chaque lieu porte en plus les
fiches sources dont il est fait, pour que d'autres systèmes retrouvent les
leurs :
  - csv : une dernière colonne « fiches_sources », « SOURCE/ID » de chaque
    fiche séparés par « | » (dans un ID, « % » s'écrit « %25 » et « | »
    « %7C ») ;
  - json, ndjson, geojson (dans properties) : « fiches_sources », un tableau
    d'objets {"source": …, "id": …}.
Le reste suit le schéma national ; l'« id » est l'identifiant du lieu
consolidé (lieu-…), stable tant que sa plus petite fiche reste dans le lieu.`

func runExport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("export", "--format csv|json|ndjson|geojson [--consolidated] [--source NOM] [--output F] [--db DSN]", exportHelp, stderr)
	db := dbFlag(fs)
	format := fs.String("format", "", "csv, json, ndjson ou geojson (obligatoire)")
	source := fs.String("source", "", "une seule source (par défaut : toutes)")
	output := fs.String("output", "", "fichier de sortie (par défaut : la sortie standard)")
	consolidated := fs.Bool("consolidated", false, "exporter les lieux consolidés plutôt que les fiches des sources")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUnreadable
	}
	f, err := schema.ParseFormat(*format)
	if *format == "" || err != nil {
		if err != nil && *format != "" {
			fmt.Fprintf(stderr, "maillage export : %v\n", err)
		} else {
			fs.Usage()
		}
		return exitUnreadable
	}
	ctx := context.Background()
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "maillage export : %v\n", err)
		return exitUnreadable
	}
	defer store.Close()
	if *source != "" {
		if _, err := store.Source(ctx, *source); err != nil {
			fmt.Fprintf(stderr, "maillage export : source « %s » : %v\n", *source, err)
			return exitUnreadable
		}
	}
	if *consolidated {
		err = exportConsolidated(ctx, store, f, *source, *output, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "maillage export : %v\n", err)
			return exitUnreadable
		}
		return exitOK
	}
	err = writeAtomically(*output, stdout, func(w io.Writer) error {
		sw, err := schema.NewWriter(w, f)
		if err != nil {
			return err
		}
		n := 0
		if err := store.Records(ctx, *source, func(r *maillage.Record) error {
			n++
			return sw.Write(&r.Place)
		}); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d fiche(s) exportée(s)\n", n)
		return sw.Close()
	})
	if err != nil {
		fmt.Fprintf(stderr, "maillage export : %v\n", err)
		return exitUnreadable
	}
	return exitOK
}

// writeAtomically writes to stdout when name is empty, else to a temporary
// file renamed to name at the end: a failure never leaves half a file.
func writeAtomically(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".maillage-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// describeImport is the one-line summary of an import.
func describeImport(imp *maillage.Import) string {
	return fmt.Sprintf("%s : %d ligne(s) lue(s) = %d enregistrée(s) + %d en quarantaine ; %d ajoutée(s), %d modifiée(s), %d inchangée(s), %d retirée(s) ; %s en %s",
		imp.Source, imp.Read, imp.Stored, imp.Quarantined, imp.Added, imp.Changed, imp.Unchanged, imp.Removed,
		imp.Checksum, imp.FinishedAt.Sub(imp.StartedAt).Round(time.Millisecond))
}

// isTerminal tells whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar draws "[#####.....] 12 345 lignes" on a terminal.
func progressBar(w io.Writer, total int64, read func() int64) func(int) {
	return func(rows int) {
		if total <= 0 {
			fmt.Fprintf(w, "\r%d lignes lues", rows)
			return
		}
		done := read()
		frac := float64(done) / float64(total)
		if frac > 1 {
			frac = 1
		}
		const width = 30
		n := int(frac * width)
		fmt.Fprintf(w, "\r[%s%s] %3.0f %%  %d lignes", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, rows)
	}
}

// exportConsolidated writes the consolidated places (those with a record
// of source when it is not "").
func exportConsolidated(ctx context.Context, store maillage.Store, f tabular.Format, source, output string, stdout, stderr io.Writer) error {
	places, err := placeStore(store)
	if err != nil {
		return err
	}
	return writeAtomically(output, stdout, func(w io.Writer) error {
		cw, err := newConsolidatedWriter(w, f)
		if err != nil {
			return err
		}
		n := 0
		if err := places.ConsolidatedPlaces(ctx, func(c *maillage.Consolidated) error {
			if source != "" && !slices.ContainsFunc(c.Members, func(m maillage.RecordRef) bool { return m.Source == source }) {
				return nil
			}
			n++
			return cw.Write(c)
		}); err != nil {
			return err
		}
		if n == 0 && source == "" {
			fmt.Fprintln(stderr, "aucun lieu consolidé : lancez « maillage merge » après l'import des sources")
		}
		fmt.Fprintf(stderr, "%d lieu(x) consolidé(s) exporté(s)\n", n)
		return cw.Close()
	})
}
