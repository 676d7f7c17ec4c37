package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"

	"maillage"
	"maillage/importer"
	"maillage/ingest"
	"maillage/sources"
	"maillage/territory"
)

const importHelp = `
Importe un fichier dans une source : lecture, correspondance (--mapping : un
fichier .yaml, ou le nom d'une correspondance livrée avec Maillage, par ex.
« --mapping france-services » (voir sources/*.yaml) ; à défaut celle de la
source enregistrée ; aucune pour un fichier déjà au schéma national v1.0.2 ou
v0.1), validation, puis enregistrement. La nouvelle version remplace la
précédente en une seule transaction : en cas d'échec, la version précédente
reste intacte. Chaque ligne lue est soit enregistrée,
soit mise en quarantaine avec ses raisons (voir « maillage quarantine »).

Affiche une barre de progression sur un terminal, sinon une ligne de bilan :
lues = enregistrées + en quarantaine ; ajoutées, modifiées, inchangées,
retirées. Puis fusionne les fiches de toutes les sources en lieux consolidés
(comme « maillage merge ») et en affiche le bilan, sauf avec --no-merge (pour
importer plusieurs sources à la suite, puis lancer « maillage merge » une fois).
Code de sortie : 0 si l'import est enregistré (même avec des lignes en
quarantaine), 2 s'il a échoué ou si la fusion qui suit a échoué (l'import reste
alors enregistré).`

func runImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("import", "FICHIER --source NOM [--mapping FICHIER.yaml] [--no-merge] [--db DSN]", importHelp, stderr)
	db := dbFlag(fs)
	sourceName := fs.String("source", "", "nom de la source (obligatoire ; créée si elle n'existe pas)")
	mappingPath := fs.String("mapping", "", "fichier de correspondance YAML (voir docs/mappings.md) ou nom d'une correspondance livrée")
	noMerge := fs.Bool("no-merge", false, "ne pas fusionner après l'import")
	files, err := parseArgs(fs, args)
	if err != nil {
		return exitUnreadable
	}
	if len(files) != 1 || *sourceName == "" {
		fs.Usage()
		return exitUnreadable
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "maillage import : %v\n", err)
		return exitUnreadable
	}
	defer store.Close()
	imp, err := importFile(ctx, store, files[0], *sourceName, *mappingPath, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "maillage import : %v\n", err)
		return exitUnreadable
	}
	fmt.Fprintln(stdout, describeImport(imp))
	if !*noMerge {
		if err := mergeAfterImport(ctx, store, stdout); err != nil {
			fmt.Fprintf(stderr, "maillage import : import enregistré, mais la fusion a échoué : %v\n", err)
			return exitUnreadable
		}
	}
	return exitOK
}

// importFile registers the source when needed and imports one file.
func importFile(ctx context.Context, store maillage.Store, file, sourceName, mappingPath string, stderr io.Writer) (*maillage.Import, error) {
	src, err := store.Source(ctx, sourceName)
	known := err == nil
	if err != nil && !errors.Is(err, maillage.ErrNotFound) {
		return nil, err
	}
	if mappingPath == "" && known {
		mappingPath = src.Mapping
	}
	var mapper importer.Mapper
	if mappingPath != "" {
		m, err := loadMapping(mappingPath)
		if err != nil {
			return nil, err
		}
		mapper = importer.FromMapping(m)
		info := m.Source()
		src.Name = sourceName
		src.Mapping = mappingPath
		src.Title = cmp.Or(info.Title, src.Title)
		src.Producer = cmp.Or(info.Producer, src.Producer)
		src.Licence = cmp.Or(info.Licence, src.Licence)
		src.Homepage = cmp.Or(info.Homepage, src.Homepage)
		src.Territory = cmp.Or(info.Territory, src.Territory)
	}
	if !known || mappingPath != "" {
		src.Name = sourceName
		if src.Title == "" {
			src.Title = sourceName
		}
		if src.Format == "" {
			src.Format = strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
		}
		if err := store.PutSource(ctx, src); err != nil {
			return nil, fmt.Errorf("enregistrement de la source %s : %w", sourceName, err)
		}
	}
	f, err := openInput(file)
	if err != nil {
		return nil, fmt.Errorf("impossible d'ouvrir %s : %w", file, err)
	}
	defer f.Close()
	opt := importer.Options{Source: sourceName, File: file, Mapper: mapper}
	var in io.Reader = f
	if osf, ok := stderr.(*os.File); ok && isTerminal(osf) {
		var total int64
		if st, err := os.Stat(file); err == nil {
			total = st.Size()
		}
		counter := &countingReader{r: f}
		in = counter
		opt.ProgressEvery = 5000
		opt.Progress = progressBar(osf, total, counter.count.Load)
		defer fmt.Fprintln(osf)
	}
	return importer.Run(ctx, store, territory.Default(), in, opt)
}

// loadMapping reads a mapping file, or, for a bare name without a folder
// or extension ("france-services"), the mapping of that name shipped with
// Maillage (sources/*.yaml, embedded in the binary).
func loadMapping(path string) (*ingest.Mapping, error) {
	if !strings.ContainsAny(path, `/\`) && !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml") {
		data, found := sources.Mapping(path)
		if !found {
			return nil, fmt.Errorf("correspondance « %s » inconnue : donnez un fichier .yaml, ou l'une de : %s",
				path, strings.Join(sources.Names(), ", "))
		}
		return ingest.ParseMapping(data, "sources/"+path+".yaml")
	}
	return ingest.LoadMapping(path)
}

type countingReader struct {
	r     io.Reader
	count atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.count.Add(int64(n))
	return n, err
}
