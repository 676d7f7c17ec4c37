// Package sqlite is the default Store of Maillage: one SQLite file, through
// the pure-Go driver modernc.org/sqlite.
//
// # Connections
//
// SQLite lets many readers work alongside one writer when the database is in
// WAL mode, and never two writers at once. The Store therefore opens the file
// twice:
//
//   - a writer pool of exactly one connection: source registrations and
//     imports go through it, one at a time, in transactions that start with
//     BEGIN IMMEDIATE so the write lock is taken at once and not halfway;
//   - a reader pool of several connections with query_only set: Records,
//     Sources and the other reads each run in their own snapshot, never wait
//     for the writer and never see a transaction that is not committed.
//
// A second import of a source already being imported in this process fails
// at once with maillage.ErrConflict; an import of another source (or
// PutSource) waits for the writer connection until its context ends. Another
// process writing to the same file makes a write wait up to the busy timeout
// (5 s) and then fail with a clear message.
//
// # Imports
//
// An import holds the write transaction from BeginImport to Commit or
// Rollback, and writes the records straight into the records table, in
// batches of multi-row inserts: the transaction is what hides them from
// readers (each reader keeps its WAL snapshot). BeginImport reads, for each
// record the source already has, a hash of its id and of its fingerprint,
// its rowid and its digest (a hash of every stored column, kept in the
// records table) into memory: about 40 bytes per stored record, bounded by
// the size of the source (see oldRecords). With them Put refuses duplicate
// ids, counts added, changed and unchanged records, and skips, without any
// SQL, the records identical to the stored ones; Commit deletes the records
// not put again by rowid. New ids are kept as 8-byte hashes to refuse
// duplicates (8 to 16 bytes per new record). Rejected rows wait in a TEMP
// table until Commit replaces the quarantine. Nothing is ever committed in
// chunks: if the process dies, the WAL's uncommitted frames are ignored and
// the previous version stays as it was.
//
// # Settings
//
// journal_mode=WAL, synchronous=NORMAL (durable across a process crash; a
// power loss may forget the last commits, never corrupt), foreign_keys=ON
// (off on the writer connection while an import holds it, see
// sourceImport.conn), busy_timeout=5000, temp_store=FILE, an 8 MiB page
// cache on the writer (2 and 64 MiB measured: no better at a million
// rows), page_size=32768 for new files (see newPageSize), and checkpoints
// in the background rather than in the writer's commits (see
// checkpoint.go).
//
// The schema is created and upgraded at Open by the SQL files of migrations/,
// embedded in the binary and applied in order in one transaction; the
// schema_migrations table lists what was applied.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"maillage"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Store is a maillage.Store in one SQLite file. It is safe for concurrent
// use.
type Store struct {
	path  string
	write *sql.DB // one connection: every write goes through it
	read  *sql.DB // query_only connections for the reads

	mu        sync.Mutex
	importing map[string]bool // sources with an import under way
	closed    bool

	// Background checkpoints (see checkpoint.go).
	ckpt                           *sql.DB
	checkpoints                    sync.WaitGroup
	checkpointing, checkpointAgain bool
}

var _ maillage.Store = (*Store)(nil)

// Connection settings, as DSN parameters of modernc.org/sqlite. Each is
// applied to every new connection of a pool.
const (
	busyTimeout = "_pragma=busy_timeout(5000)"
	writerDSN   = busyTimeout +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_pragma=temp_store(FILE)" +
		"&_pragma=cache_size(-8192)" +
		"&_pragma=journal_size_limit(67108864)" +
		"&_pragma=wal_autocheckpoint(0)" +
		"&_txlock=immediate"
	readerDSN = busyTimeout +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=cache_size(-16384)" +
		"&_pragma=query_only(1)"
	// newPageSize is the page size of a file Open creates. Imports write
	// rows of about 2 KiB by the hundred thousand; with modernc.org/sqlite
	// every page costs an allocation and WAL writes, and 32 KiB pages made
	// BenchmarkImport about 30 % faster than 8 KiB ones (4 KiB, the
	// default, is slower still). A larger cache did not help.
	newPageSize = 32768
)

// Open opens the SQLite database at path, creating it when it does not
// exist, and brings its schema up to date. The path must name a file:
// an in-memory database cannot be shared by the writer and the readers.
func Open(path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.Contains(path, "mode=memory") || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("ouverture de la base SQLite %q : il faut le chemin d'un fichier : %w", path, maillage.ErrInvalid)
	}
	write, err := sql.Open("sqlite", path+"?"+writerDSN)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base SQLite %s : %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	s := &Store{path: path, write: write, importing: make(map[string]bool)}
	if err := s.setUp(context.Background()); err != nil {
		write.Close()
		return nil, fmt.Errorf("ouverture de la base SQLite %s : %w", path, err)
	}

	read, err := sql.Open("sqlite", path+"?"+readerDSN)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("ouverture de la base SQLite %s : %w", path, err)
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	s.read = read
	if err := s.openCheckpointer(); err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("ouverture de la base SQLite %s : %w", path, err)
	}
	return s, nil
}

// setUp switches the file to WAL mode (choosing the page size first when the
// file is new) and applies the pending migrations.
func (s *Store) setUp(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// page_size only takes effect before the first table is created.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", newPageSize)); err != nil {
		return fmt.Errorf("taille de page : %w", err)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return fmt.Errorf("passage en mode WAL : %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("passage en mode WAL impossible (mode %q)", mode)
	}
	return migrate(ctx, conn)
}

// Path returns the file the Store was opened on.
func (s *Store) Path() string { return s.path }

// DB returns the pool of read-only connections, for tests and for read
// queries outside the maillage.Store interface. Writing through it fails.
func (s *Store) DB() *sql.DB { return s.read }

// Close closes the pools. It waits for a background checkpoint to end and
// otherwise does not wait: an import under way keeps its connection until
// it commits or rolls back, then that connection is closed. Closing twice is allowed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	// A checkpoint under way is let finish: interrupted, its work would be
	// lost and done again by SQLite as the last connection closes.
	s.checkpoints.Wait()
	var errs []error
	errs = append(errs, s.ckpt.Close())
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("fermeture de la base SQLite %s : %w", s.path, err)
	}
	return nil
}
