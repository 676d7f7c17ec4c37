// Package postgres is the Store of Maillage for production: a PostgreSQL
// database (version 13 or later), through github.com/jackc/pgx/v5.
//
// # Connections
//
// The Store keeps a small pool of connections (pool.go; 8 by default,
// pool_max_conns=N in the URL sets it, as with pgxpool). Reads take a
// connection for the time of one call and run at READ COMMITTED: a call sees
// committed data only.
//
// # Imports
//
// An import holds one connection and one transaction from BeginImport to
// Commit or Rollback. BeginImport locks the source's row (SELECT … FOR NO
// KEY UPDATE NOWAIT): a second import of the same source, from this process
// or another, fails at once with maillage.ErrConflict, while imports of
// different sources run side by side, and PutSource of the source waits for
// the import to end. Records are streamed with COPY, in batches, into a
// TEMP table dropped at the end of the transaction, so that neither the Go
// side nor the server keeps them in memory; a duplicate id is caught at Put
// by an in-memory filter of fixed size (filter.go) checked against the
// staging table. Commit compares the staging table with the records by id
// and fingerprint, deletes what disappeared, upserts only what differs,
// replaces the quarantine and records the import, then commits once.
//
// The schema is created and upgraded at Open by the SQL files of
// migrations/, embedded in the binary and applied in order in one
// transaction, under an advisory lock so that two processes starting
// together do not both migrate; schema_migrations lists what was applied.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5"

	"maillage"
)

// Store is a maillage.Store in a PostgreSQL database. It is safe for
// concurrent use.
type Store struct {
	pool *pool

	mu     sync.Mutex
	closed bool
}

var _ maillage.Store = (*Store)(nil)

// defaultConns is the default size of the pool.
const defaultConns = 8

// Open connects to the PostgreSQL database at url (a postgres:// URL or a
// "key=value" string, as pgx reads them) and brings its schema up to date.
func Open(ctx context.Context, url string) (*Store, error) {
	config, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("adresse PostgreSQL illisible : %w", err)
	}
	size := defaultConns
	if v, ok := config.RuntimeParams["pool_max_conns"]; ok {
		delete(config.RuntimeParams, "pool_max_conns")
		if size, err = strconv.Atoi(v); err != nil || size < 1 {
			return nil, fmt.Errorf("adresse PostgreSQL : pool_max_conns=%q n'est pas un nombre de connexions", v)
		}
	}
	s := &Store{pool: newPool(config, size)}
	if err := s.withConn(ctx, func(conn *pgx.Conn) error { return migrate(ctx, conn) }); err != nil {
		s.pool.close()
		return nil, fmt.Errorf("ouverture de la base PostgreSQL %s : %w", config.Database, err)
	}
	return s, nil
}

// withConn calls fn with a connection of the pool.
func (s *Store) withConn(ctx context.Context, fn func(conn *pgx.Conn) error) error {
	conn, err := s.pool.acquire(ctx)
	if err != nil {
		return err
	}
	defer s.pool.release(conn)
	return fn(conn)
}

// Conn calls fn with a connection of the Store's pool, for tests and for
// queries outside the maillage.Store interface. fn must not keep conn.
func (s *Store) Conn(ctx context.Context, fn func(conn *pgx.Conn) error) error {
	return s.withConn(ctx, fn)
}

// Close closes the idle connections. It does not wait: an import under way
// keeps its connection until it commits or rolls back, then that connection
// is closed. Closing twice is allowed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.pool.close()
	}
	return nil
}

// isClosed reports an error once the Store is closed.
func (s *Store) isClosed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	return nil
}

// checkSourceName reports an ErrInvalid unless name is a source name: lower
// case ASCII letters, digits and "-", not starting with "-".
func checkSourceName(name string) error {
	ok := name != "" && name[0] != '-' && len(name) <= 100
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("nom de source %q : lettres minuscules sans accent, chiffres et « - » seulement : %w", name, maillage.ErrInvalid)
	}
	return nil
}

// isNoRows tells pgx's "no rows" apart from other errors.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
