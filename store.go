package maillage

import (
	"context"
	"time"
)

// Store keeps sources, their records and their quarantine. Two
// implementations exist, sqlite (the default) and postgres; storetest is the
// conformance suite both pass.
type Store interface {
	// PutSource creates or updates a source's registration (not its
	// records, not LastImport).
	PutSource(ctx context.Context, s Source) error
	// Source returns a source with its LastImport; ErrNotFound if unknown.
	Source(ctx context.Context, name string) (Source, error)
	// Sources lists every source by name, with their LastImport.
	Sources(ctx context.Context) ([]Source, error)

	// BeginImport starts replacing the records of a registered source.
	// Nothing is visible to readers until Commit; on Rollback, on any
	// error or if the process dies, the previous version stays intact.
	BeginImport(ctx context.Context, source string) (SourceImport, error)

	// Records calls fn for each record of a source ("" for every source),
	// by source then id, streaming (memory does not grow with the count).
	Records(ctx context.Context, source string, fn func(*Record) error) error
	// RecordPlaces is Records without each record's Raw and Warnings
	// (left nil), which the store does not read: what merging needs,
	// at a fraction of the cost.
	RecordPlaces(ctx context.Context, source string, fn func(*Record) error) error
	// Record returns one record; ErrNotFound if absent.
	Record(ctx context.Context, source, id string) (Record, error)
	// Quarantine calls fn for each quarantined row of the latest import of
	// a source ("" for every source), in row order.
	Quarantine(ctx context.Context, source string, fn func(*QuarantinedRow) error) error
	// Imports lists the imports of a source, newest first.
	Imports(ctx context.Context, source string) ([]Import, error)

	Close() error
}

// SourceImport is an import under way: records and quarantined rows are
// added one by one, then Commit replaces the source's previous version in
// one transaction.
type SourceImport interface {
	// Put adds a record. Two records with the same ID in one import is an
	// ErrConflict. When r.Encoded is set (Record.Encode), Put may use it
	// rather than encode and check the record itself, and may keep r.Raw
	// and r.Encoded's slices until the import ends: the caller must not
	// change them.
	Put(ctx context.Context, r *Record) error
	// Quarantine adds a rejected row.
	Quarantine(ctx context.Context, q *QuarantinedRow) error
	// Commit compares the records with the previous version (by ID and
	// Fingerprint), fills imp's Added, Changed, Unchanged, Removed, ID and
	// Stored/Quarantined counts, replaces the source's records and
	// quarantine, records imp as the source's LastImport, and commits.
	Commit(ctx context.Context, imp *Import) error
	// Rollback abandons the import; it is a no-op after Commit.
	Rollback() error
}

// PlaceStore keeps what merging produces: manual decisions, the
// consolidated places with their provenance, the aliases of their former
// ids and the change feed. Both stores implement it.
type PlaceStore interface {
	// PutDecision records a decision on two records, replacing an earlier
	// one on the same pair (in either order).
	PutDecision(ctx context.Context, d Decision) error
	// Decisions lists every decision.
	Decisions(ctx context.Context) ([]Decision, error)

	// ReplaceConsolidated replaces every consolidated place by places in
	// one transaction, at time at: places whose content changed are
	// recorded as updated in the change feed, new ones as created, gone
	// ones as deleted; the id of a place that disappeared while one of its
	// members lives on in another place becomes an alias of that place.
	// The changes are dated at, or just after the feed's latest change
	// when at is not after it (AfterFeed): the feed's times grow with the
	// commits.
	ReplaceConsolidated(ctx context.Context, places []Consolidated, at time.Time) error
	// ConsolidatedPlaces calls fn for each consolidated place, by id.
	ConsolidatedPlaces(ctx context.Context, fn func(*Consolidated) error) error
	// ConsolidatedPlace returns a place by its id or by one of its former
	// ids (aliases); ErrNotFound otherwise.
	ConsolidatedPlace(ctx context.Context, id string) (Consolidated, error)
	// Changes calls fn for each change after since, oldest first.
	Changes(ctx context.Context, since time.Time, fn func(Change) error) error
}
