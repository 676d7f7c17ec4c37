// Command apiserve serves Maillage's HTTP handler (package web) over the
// consolidated places of a database, for the API load benchmark
// (bench/api-load.sh) while `maillage serve` does not build the search
// index yet.
//
// It reads the consolidated places the database holds (`maillage merge`);
// when it holds none, it merges the sources' records itself, as
// `maillage merge` would (merge.Clusters, merge.Consolidate). With
// -samples it prints the real files of sources.Samples ("source<TAB>file",
// paths under ../shared/data) and exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"maillage"
	"maillage/merge"
	"maillage/search"
	"maillage/sources"
	"maillage/sqlite"
	"maillage/web"
)

func main() {
	db := flag.String("db", "", "SQLite database (sqlite:FILE or FILE)")
	addr := flag.String("addr", "127.0.0.1:8090", "listen address (loopback)")
	samples := flag.Bool("samples", false, "print the real sample files and exit")
	logRequests := flag.Bool("log", false, "log every request (slog text on stderr)")
	flag.Parse()
	if *samples {
		for _, s := range sources.Samples {
			fmt.Printf("%s\t%s\n", s.Source, s.File)
		}
		return
	}
	if err := run(*db, *addr, *logRequests); err != nil {
		fmt.Fprintln(os.Stderr, "apiserve:", err)
		os.Exit(1)
	}
}

func run(db, addr string, logRequests bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := sqlite.Open(strings.TrimPrefix(db, "sqlite:"))
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	var places []maillage.Consolidated
	if err := store.ConsolidatedPlaces(ctx, func(c *maillage.Consolidated) error {
		places = append(places, *c)
		return nil
	}); err != nil {
		return err
	}
	how := "consolidated places of the database"
	if len(places) == 0 {
		how = "merged here from the records"
		if places, err = mergeRecords(ctx, store); err != nil {
			return err
		}
	}
	live := &search.Live{}
	live.Store(search.Build(places, time.Now()))
	fmt.Fprintf(os.Stderr, "apiserve: %d places (%s) indexed in %s\n", len(places), how, time.Since(start).Round(time.Millisecond))

	logger := slog.New(slog.DiscardHandler)
	if logRequests {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           web.Handler(web.Config{Store: store, Places: store, Index: live, Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(os.Stderr, "apiserve: listening on http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func mergeRecords(ctx context.Context, store *sqlite.Store) ([]maillage.Consolidated, error) {
	var records []maillage.Record
	if err := store.Records(ctx, "", func(r *maillage.Record) error {
		records = append(records, *r)
		return nil
	}); err != nil {
		return nil, err
	}
	srcs, err := store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	bySource := map[string]maillage.Source{}
	for _, s := range srcs {
		bySource[s.Name] = s
	}
	var out []maillage.Consolidated
	for _, c := range merge.Clusters(records, nil, merge.DefaultOptions()) {
		out = append(out, merge.Consolidate(c, bySource))
	}
	return out, nil
}
