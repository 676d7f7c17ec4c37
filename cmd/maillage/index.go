package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"maillage"
	"maillage/search"
)

// indexer keeps the search index served by `maillage serve` in step with
// the store: it builds it from the consolidated places at start, then
// watches the change feed and builds a new index whenever a merge (after
// an import, possibly by another process) changed places. The new index
// replaces the old one atomically: requests under way finish on the old.
type indexer struct {
	places maillage.PlaceStore
	live   *search.Live
	logger *slog.Logger
	// built, when set, is called after each new index is served.
	built func()
	// seen is the time of the latest change the served index includes.
	seen time.Time
}

// build reads every consolidated place and serves a new index of them.
func (ix *indexer) build(ctx context.Context) error {
	start := time.Now()
	// The newest change before reading: a change written while reading
	// is seen again at the next poll, never missed.
	latest, err := ix.latestChange(ctx, ix.seen)
	if err != nil {
		return err
	}
	var places []maillage.Consolidated
	if err := ix.places.ConsolidatedPlaces(ctx, func(c *maillage.Consolidated) error {
		places = append(places, *c)
		return nil
	}); err != nil {
		return fmt.Errorf("lecture des lieux consolidés : %w", err)
	}
	ix.live.Store(search.Build(places, time.Now()))
	if ix.built != nil {
		ix.built()
	}
	if latest.After(ix.seen) {
		ix.seen = latest
	}
	ix.logger.Info("index de recherche construit", "lieux", len(places), "durée", time.Since(start).Round(time.Millisecond))
	return nil
}

// latestChange returns the time of the newest change after since (since
// itself when there is none).
func (ix *indexer) latestChange(ctx context.Context, since time.Time) (time.Time, error) {
	latest := since
	err := ix.places.Changes(ctx, since, func(c maillage.Change) error {
		if c.At.After(latest) {
			latest = c.At
		}
		return nil
	})
	if err != nil {
		return since, fmt.Errorf("journal des changements : %w", err)
	}
	return latest, nil
}

// watch polls the change feed every interval until ctx is done and
// rebuilds the index when places changed. Errors are logged and the
// current index stays served.
func (ix *indexer) watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		latest, err := ix.latestChange(ctx, ix.seen)
		if err != nil {
			if ctx.Err() == nil {
				ix.logger.Error("surveillance des changements", "err", err)
			}
			continue
		}
		if !latest.After(ix.seen) {
			continue
		}
		if err := ix.build(ctx); err != nil && ctx.Err() == nil {
			ix.logger.Error("reconstruction de l'index", "err", err)
		}
	}
}
