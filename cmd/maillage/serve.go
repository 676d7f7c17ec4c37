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
	"syscall"
	"time"

	"maillage/web"
)

const serveHelp = `
Lance le service web de Maillage. Il écoute sur --addr (variable
MAILLAGE_ADDR, par défaut :8080) et s'arrête proprement sur SIGINT ou SIGTERM.`

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "[--addr HÔTE:PORT]", serveHelp, stderr)
	addr := fs.String("addr", envOr("MAILLAGE_ADDR", ":8080"), "adresse d'écoute (MAILLAGE_ADDR)")
	if _, err := parseArgs(fs, args); err != nil {
		return exitUnreadable
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, *addr, logger, stdout); err != nil {
		logger.Error("arrêt du service", "err", err)
		return 1
	}
	return exitOK
}

// serve listens on addr until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, addr string, logger *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("écoute sur %s : %w", addr, err)
	}
	srv := &http.Server{
		Handler:           web.Handler(logger),
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
