package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"maillage"
	"maillage/demo"
	"maillage/search"
	"maillage/territory"
	"maillage/web"
)

// loadDemoIfEmpty imports the demo sources into a store that has none.
func loadDemoIfEmpty(ctx context.Context, store maillage.Store, logger *slog.Logger) error {
	empty, err := demo.Empty(ctx, store)
	if err != nil || !empty {
		return err
	}
	logger.Info("base vide : chargement des données de démonstration")
	imports, err := demo.Load(ctx, store, territory.Default())
	for _, imp := range imports {
		logger.Info("démonstration", "source", imp.Source, "lues", imp.Read, "enregistrées", imp.Stored, "quarantaine", imp.Quarantined)
	}
	if err != nil {
		return err
	}
	var summary strings.Builder
	if err := mergeAfterImport(ctx, store, &summary); err != nil {
		return fmt.Errorf("fusion des données de démonstration : %w", err)
	}
	logger.Info(strings.TrimSpace(summary.String()))
	return nil
}

const serveHelp = `
Lance le service web de Maillage. Il écoute sur --addr (variable
MAILLAGE_ADDR, par défaut :8080), utilise la base --db (variable MAILLAGE_DB,
par défaut sqlite:maillage.db) et s'arrête proprement sur SIGINT ou SIGTERM.
Sur une base vide, il charge d'abord les données de démonstration (lieux réels
sous Licence Ouverte, voir demo/data/README.md), sauf avec --no-demo.

Les recherches sont servies depuis un index en mémoire des lieux consolidés.
Le service surveille la base toutes les --refresh (15s par défaut) : quand
une fusion a changé des lieux (après un « maillage import » lancé à côté, par
exemple), il construit un nouvel index et le substitue à l'ancien sans
interrompre les requêtes.

Le journal (stderr) a une ligne par requête au niveau info ; MAILLAGE_LOG_LEVEL
(debug, info, warn, error) le règle.

Variables : MAILLAGE_TILES_URL (modèle d'URL des tuiles de la carte, {z} {x}
{y} ; par défaut le Plan IGN de la Géoplateforme), MAILLAGE_TILES_ATTRIBUTION
(leur crédit affiché sur la carte, « © IGN » pour les tuiles par défaut),
MAILLAGE_SIGNALEMENT_URL
(où mène « Signaler une erreur » : une adresse mailto: ou un formulaire).`

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "[--addr HÔTE:PORT] [--db DSN] [--no-demo]", serveHelp, stderr)
	addr := fs.String("addr", envOr("MAILLAGE_ADDR", ":8080"), "adresse d'écoute (MAILLAGE_ADDR)")
	db := dbFlag(fs)
	noDemo := fs.Bool("no-demo", false, "ne pas charger les données de démonstration sur une base vide")
	refresh := fs.Duration("refresh", 15*time.Second, "intervalle de surveillance des changements de la base")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUnreadable
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(envOr("MAILLAGE_LOG_LEVEL", "info"))); err != nil {
		fmt.Fprintf(stderr, "MAILLAGE_LOG_LEVEL : %q n'est pas un niveau connu (debug, info, warn, error)\n", os.Getenv("MAILLAGE_LOG_LEVEL"))
		return exitUnreadable
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := openStore(ctx, *db)
	if err != nil {
		logger.Error("ouverture de la base", "err", err)
		return 1
	}
	defer store.Close()
	if !*noDemo {
		if err := loadDemoIfEmpty(ctx, store, logger); err != nil {
			logger.Error("données de démonstration", "err", err)
			return 1
		}
	}
	if *refresh <= 0 {
		fmt.Fprintln(stderr, "--refresh : une durée positive est attendue (par exemple 15s)")
		return exitUnreadable
	}
	handler, err := startService(ctx, store, logger, *refresh)
	if err != nil {
		logger.Error("démarrage", "err", err)
		return 1
	}
	if err := serve(ctx, *addr, handler, logger, stdout); err != nil {
		logger.Error("arrêt du service", "err", err)
		return 1
	}
	return exitOK
}

// startService merges the store if it never was, builds the search index,
// starts watching the change feed every refresh (until ctx is done) and
// returns the service's HTTP handler.
func startService(ctx context.Context, store maillage.Store, logger *slog.Logger, refresh time.Duration) (http.Handler, error) {
	places, err := placeStore(store)
	if err != nil {
		return nil, err
	}
	if err := mergeIfNeverMerged(ctx, store, places, logger); err != nil {
		return nil, fmt.Errorf("fusion : %w", err)
	}
	ix := &indexer{places: places, live: &search.Live{}, logger: logger}
	if err := ix.build(ctx); err != nil {
		return nil, fmt.Errorf("index de recherche : %w", err)
	}
	srv := web.Handler(web.Config{Store: store, Places: places, Index: ix.live, Logger: logger,
		TilesURL: os.Getenv("MAILLAGE_TILES_URL"), TilesAttribution: os.Getenv("MAILLAGE_TILES_ATTRIBUTION"),
		ReportURL: os.Getenv("MAILLAGE_SIGNALEMENT_URL")})
	// What depends on the index is computed ahead, off the requests' path.
	ix.built = srv.IndexChanged
	go srv.IndexChanged()
	go ix.watch(ctx, refresh)
	return srv, nil
}

// mergeIfNeverMerged merges a store that has records but no consolidated
// place and no change ever recorded (a base filled before merging
// existed, or imported with --no-merge only), so that it serves places.
func mergeIfNeverMerged(ctx context.Context, store maillage.Store, places maillage.PlaceStore, logger *slog.Logger) error {
	changed := false
	if err := places.Changes(ctx, time.Time{}, func(maillage.Change) error {
		changed = true
		return errStop
	}); err != nil && !errors.Is(err, errStop) {
		return err
	}
	if changed {
		return nil
	}
	sources, err := store.Sources(ctx)
	if err != nil {
		return err
	}
	records := 0
	for _, s := range sources {
		if s.LastImport != nil {
			records += s.LastImport.Stored
		}
	}
	if records == 0 {
		return nil
	}
	var summary strings.Builder
	if err := mergeAfterImport(ctx, store, &summary); err != nil {
		return err
	}
	logger.Info(strings.TrimSpace(summary.String()))
	return nil
}

// errStop ends a walk early.
var errStop = errors.New("stop")

// serve listens on addr until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, addr string, handler http.Handler, logger *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("écoute sur %s : %w", addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "Maillage écoute sur http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("arrêt demandé : fin des requêtes en cours")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
