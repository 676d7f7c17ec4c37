package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"unsafe"

	"maillage"
	"maillage/idset"
)

// BeginImport starts replacing the records of a registered source. It takes
// the writer connection and holds it until Commit or Rollback: other writes
// of this Store wait meanwhile, reads do not. A second import of the same
// source while one is under way is an ErrConflict, at once. Cancelling ctx
// abandons the import.
func (s *Store) BeginImport(ctx context.Context, source string) (maillage.SourceImport, error) {
	s.mu.Lock()
	switch {
	case s.closed:
		s.mu.Unlock()
		return nil, fmt.Errorf("import de %s : la base SQLite %s est fermée", source, s.path)
	case s.importing[source]:
		s.mu.Unlock()
		return nil, fmt.Errorf("import de %s : un import de cette source est déjà en cours : %w", source, maillage.ErrConflict)
	}
	s.importing[source] = true
	s.mu.Unlock()

	imp, err := s.beginImport(ctx, source)
	if err != nil {
		s.release(source)
		return nil, err
	}
	return imp, nil
}

func (s *Store) release(source string) {
	s.mu.Lock()
	delete(s.importing, source)
	s.mu.Unlock()
}

// stagingSQL creates the TEMP table of an import, on the writer connection
// only: import_quarantine holds the rejected rows until Commit replaces the
// quarantine. It vanishes with the transaction.
const stagingSQL = `
	DROP TABLE IF EXISTS temp.import_quarantine;
	CREATE TEMP TABLE import_quarantine (
		seq       INTEGER PRIMARY KEY,
		row       INTEGER NOT NULL,
		record_id TEXT NOT NULL,
		raw       TEXT,
		findings  TEXT NOT NULL
	);`

// batchSize is the number of records written by one INSERT, deleteBatch
// the number of records one DELETE removes.
const (
	batchSize   = 64
	deleteBatch = 256
)

// recordParams is the number of parameters of one record in upsertSQL.
const recordParams = 9

// upsertSQL writes n records, new or changed: Put skips the ones that did
// not change at all (same digest). OR ROLLBACK: a constraint error ends the
// transaction rather than the statement (see sourceImport.conn).
//
// A first import (the source has no record yet) uses a plain INSERT: there
// is nothing to replace.
func upsertSQL(n int, fresh bool) string {
	var b strings.Builder
	b.WriteString("INSERT OR ROLLBACK INTO records (source, id, row, fingerprint, precision, place, raw, warnings, digest) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	if fresh {
		return b.String()
	}
	b.WriteString(` ON CONFLICT (source, id) DO UPDATE SET row = excluded.row, fingerprint = excluded.fingerprint,
		precision = excluded.precision, place = excluded.place, raw = excluded.raw, warnings = excluded.warnings,
		digest = excluded.digest`)
	return b.String()
}

// deleteSQL deletes n records by rowid.
func deleteSQL(n int) string {
	return "DELETE FROM records WHERE rowid IN (?" + strings.Repeat(", ?", n-1) + ")"
}

// beginImport takes the writer connection, turns its foreign key checks off
// for the import (see sourceImport.conn) and begins the transaction.
func (s *Store) beginImport(ctx context.Context, source string) (*sourceImport, error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import de %s : %w", source, err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("import de %s : %w", source, err)
	}
	imp := &sourceImport{s: s, source: source, ctx: ctx, conn: conn, args: make([]any, 0, recordParams*batchSize),
		seed: maphash.MakeSeed()}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		imp.releaseConn()
		return nil, fmt.Errorf("import de %s : %w", source, busy(err))
	}
	imp.tx = tx
	fail := func(err error) (*sourceImport, error) {
		imp.close()
		tx.Rollback()
		imp.releaseConn()
		return nil, err
	}
	var one int
	err = tx.QueryRowContext(ctx, "SELECT 1 FROM sources WHERE name = ?", source).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(fmt.Errorf("import dans la source %s : %w", source, maillage.ErrNotFound))
	}
	if err != nil {
		return fail(fmt.Errorf("import de %s : %w", source, err))
	}
	if _, err := tx.ExecContext(ctx, stagingSQL); err != nil {
		return fail(fmt.Errorf("import de %s : tables de travail : %w", source, err))
	}
	if err := imp.loadOld(ctx); err != nil {
		return fail(fmt.Errorf("import de %s : lecture des fiches en place : %w", source, err))
	}
	// A first import: every record is new, nothing needs replacing.
	imp.fresh = len(imp.old.entries) == 0
	statements := []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&imp.upsert, upsertSQL(batchSize, imp.fresh)},
		{&imp.quarantine, "INSERT INTO temp.import_quarantine (row, record_id, raw, findings) VALUES (?, ?, ?, ?)"},
	}
	for _, st := range statements {
		if *st.stmt, err = tx.PrepareContext(ctx, st.query); err != nil {
			return fail(fmt.Errorf("import de %s : %w", source, err))
		}
	}
	return imp, nil
}

// loadOld reads the hashes of the source's records into imp.old.
func (imp *sourceImport) loadOld(ctx context.Context) error {
	rows, err := imp.tx.QueryContext(ctx, "SELECT rowid, id, fingerprint, digest FROM records INDEXED BY records_digest WHERE source = ?", imp.source)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e      oldRecord
			id, fp sql.RawBytes
			digest sql.NullInt64
		)
		if err := rows.Scan(&e.rowid, &id, &fp, &digest); err != nil {
			return err
		}
		e.id, e.fingerprint = maphash.Bytes(imp.seed, id), maphash.Bytes(imp.seed, fp)
		e.digest = uint64(digest.Int64)
		imp.old.add(e, digest.Valid)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	imp.old.build()
	return nil
}

// sourceImport is an import under way: a write transaction on the writer
// connection, the TEMP table it fills and the records not written yet.
type sourceImport struct {
	s      *Store
	source string
	// ctx is BeginImport's: the transaction lives as long as it does.
	ctx context.Context
	// conn is the writer connection, held from BeginImport to Commit or
	// Rollback, with foreign_keys off meanwhile: the one foreign key
	// records have, their source, was checked by BeginImport and nothing
	// else can write until the import ends. Without it, and with INSERT OR
	// ROLLBACK (a failed batch fails the import anyway), SQLite needs no
	// statement journal: every multi-row INSERT otherwise first copied
	// each page it changed (32 KiB) to a temporary file, a fifth of the
	// writer's time.
	conn       *sql.Conn
	tx         *sql.Tx
	upsert     *sql.Stmt // writes batchSize records
	quarantine *sql.Stmt

	args    []any // the columns of the records not written yet
	pending int   // how many records args holds

	stored, quarantined int
	added, changed      int          // unchanged = stored - added - changed
	buf                 bytes.Buffer // reused to encode JSON
	enc                 *json.Encoder

	// fresh is set for a first import: the source had no record.
	fresh bool

	// old holds the source's records before the import; ids the hashes of
	// the ids put that are not in old, to refuse duplicates without a
	// query (8 to 16 bytes per record). Both hash with seed.
	old  oldRecords
	ids  idset.Set
	seed maphash.Seed

	// err, once set, is returned by every later call: the import can no
	// longer be committed.
	err  error
	done bool
}

// fail marks the import as failed and returns err.
func (imp *sourceImport) fail(err error) error {
	if imp.err == nil {
		imp.err = err
	}
	return err
}

func (imp *sourceImport) usable() error {
	if imp.done {
		return fmt.Errorf("import de %s : déjà terminé", imp.source)
	}
	if imp.err == nil && imp.ctx.Err() != nil {
		imp.err = imp.ctx.Err()
	}
	if imp.err != nil {
		return fmt.Errorf("import de %s abandonné après une erreur : %w", imp.source, imp.err)
	}
	return nil
}

// encode returns v as JSON text, without escaping <, > and & (the text is
// stored, not embedded in HTML) and without a trailing newline.
func (imp *sourceImport) encode(v any) (string, error) {
	if imp.enc == nil {
		imp.enc = json.NewEncoder(&imp.buf)
		imp.enc.SetEscapeHTML(false)
	}
	imp.buf.Reset()
	if err := imp.enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(imp.buf.Bytes(), []byte{'\n'})), nil
}

// rawText returns raw as text for a nullable JSON column: nil for NULL. It
// is an ErrInvalid when raw is not JSON.
func rawText(raw json.RawMessage) (any, error) {
	if raw == nil {
		return nil, nil
	}
	if !maillage.ValidJSON(raw) {
		return nil, fmt.Errorf("la ligne lue (raw) n'est pas du JSON valide : %w", maillage.ErrInvalid)
	}
	return string(raw), nil
}

// text returns b as a string without copying it: b is not modified while
// the string is in use (until the batch holding it is written).
func text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Put adds a record to the import. A record without an ID, of another
// source or with a Raw that is not JSON is an ErrInvalid; an ID already put
// in this import is an ErrConflict. Neither spoils the import: the record is
// left out and the caller may quarantine it instead.
//
// A record identical to the stored one (same digest) is only noted, not
// written; the others are written to the records table itself, in batches,
// inside the import's transaction: other connections keep seeing the
// committed version until Commit. When r.Encoded is set, Put uses it, and
// keeps Raw and Encoded's slices until the batch is written.
func (imp *sourceImport) Put(ctx context.Context, r *maillage.Record) error {
	if err := imp.usable(); err != nil {
		return err
	}
	if r.Source != "" && r.Source != imp.source {
		return imp.invalid(r, fmt.Sprintf("la fiche est de la source %q", r.Source), maillage.ErrInvalid)
	}
	if r.ID == "" {
		return imp.invalid(r, "fiche sans identifiant", maillage.ErrInvalid)
	}
	enc := r.Encoded
	var raw any
	if enc == nil {
		// The record is not ours to change, nor its Raw to keep.
		own := *r
		own.Encode(nil, false)
		enc = own.Encoded
		if r.Raw != nil {
			raw = string(r.Raw)
		}
	} else if r.Raw != nil {
		raw = text(r.Raw)
	}
	if !enc.RawValid {
		return imp.invalid(r, "la ligne lue (raw) n'est pas du JSON valide", maillage.ErrInvalid)
	}
	h := maphash.String(imp.seed, r.ID)
	k := imp.old.find(h)
	switch {
	case k < 0:
		if !imp.ids.Add(h) {
			return imp.invalid(r, "identifiant déjà présent dans ce fichier", maillage.ErrConflict)
		}
		imp.added++
	case imp.old.flags[k]&oldSeen != 0:
		return imp.invalid(r, "identifiant déjà présent dans ce fichier", maillage.ErrConflict)
	default:
		imp.old.flags[k] |= oldSeen
		imp.old.seen++
		old := &imp.old.entries[k]
		if old.fingerprint != maphash.String(imp.seed, r.Fingerprint) {
			imp.changed++
		}
		if imp.old.flags[k]&oldHasDigest != 0 && old.digest == enc.Digest {
			imp.stored++ // identical: nothing to write
			return nil
		}
	}
	var warnings any
	if enc.Warnings != nil {
		warnings = text(enc.Warnings)
	}
	imp.args = append(imp.args, imp.source, r.ID, r.Row, r.Fingerprint, r.Precision, text(enc.Place), raw, warnings,
		int64(enc.Digest))
	imp.pending++
	imp.stored++
	if imp.pending == batchSize {
		if err := imp.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// invalid returns err about record r, with why when it is not "".
func (imp *sourceImport) invalid(r *maillage.Record, why string, err error) error {
	if why != "" {
		return fmt.Errorf("import de %s, fiche %q (ligne %d) : %s : %w", imp.source, r.ID, r.Row, why, err)
	}
	return fmt.Errorf("import de %s, fiche %q (ligne %d) : %w", imp.source, r.ID, r.Row, err)
}

// flush writes the pending records.
func (imp *sourceImport) flush(ctx context.Context) error {
	if imp.pending == 0 {
		return nil
	}
	stmt := imp.upsert
	if imp.pending < batchSize {
		var err error
		if stmt, err = imp.tx.PrepareContext(ctx, upsertSQL(imp.pending, imp.fresh)); err != nil {
			return imp.fail(fmt.Errorf("import de %s : écriture des fiches : %w", imp.source, err))
		}
		defer stmt.Close()
	}
	if _, err := stmt.ExecContext(ctx, imp.args...); err != nil {
		return imp.fail(fmt.Errorf("import de %s : écriture des fiches : %w", imp.source, err))
	}
	clear(imp.args) // let the strings go
	imp.args = imp.args[:0]
	imp.pending = 0
	return nil
}

// deleteUnseen deletes the source's records the import did not put again.
func (imp *sourceImport) deleteUnseen(ctx context.Context) error {
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	args := make([]any, 0, deleteBatch)
	exec := func() error {
		if len(args) == 0 {
			return nil
		}
		var err error
		if len(args) < deleteBatch {
			_, err = imp.tx.ExecContext(ctx, deleteSQL(len(args)), args...)
		} else {
			if stmt == nil {
				if stmt, err = imp.tx.PrepareContext(ctx, deleteSQL(deleteBatch)); err != nil {
					return err
				}
			}
			_, err = stmt.ExecContext(ctx, args...)
		}
		args = args[:0]
		return err
	}
	for k, e := range imp.old.entries {
		if imp.old.flags[k]&oldSeen != 0 {
			continue
		}
		args = append(args, e.rowid)
		if len(args) == deleteBatch {
			if err := exec(); err != nil {
				return err
			}
		}
	}
	return exec()
}

// Quarantine adds a rejected row to the import. A row without findings, of
// another source or with a Raw that is not JSON is an ErrInvalid.
func (imp *sourceImport) Quarantine(ctx context.Context, q *maillage.QuarantinedRow) error {
	if err := imp.usable(); err != nil {
		return err
	}
	what := fmt.Sprintf("import de %s, quarantaine de la ligne %d", imp.source, q.Row)
	if q.Source != "" && q.Source != imp.source {
		return fmt.Errorf("%s : la ligne est de la source %q : %w", what, q.Source, maillage.ErrInvalid)
	}
	if len(q.Findings) == 0 {
		return fmt.Errorf("%s : aucune raison donnée : %w", what, maillage.ErrInvalid)
	}
	raw, err := rawText(q.Raw)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	findings, err := imp.encode(q.Findings)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	if _, err := imp.quarantine.ExecContext(ctx, q.Row, q.RecordID, raw, findings); err != nil {
		return imp.fail(fmt.Errorf("%s : %w", what, err))
	}
	imp.quarantined++
	return nil
}

// Commit writes the records still waiting, counts added, changed,
// unchanged and removed records (from what Put noted of the ids and
// fingerprints), deletes the removed ones by rowid, replaces the quarantine, records the import and commits,
// all in the import's transaction. On error nothing is changed and the
// import is over.
func (imp *sourceImport) Commit(ctx context.Context, out *maillage.Import) error {
	if err := imp.usable(); err != nil {
		return err
	}
	if err := imp.commit(ctx, out); err != nil {
		imp.fail(err)
		imp.Rollback()
		return err
	}
	return nil
}

func (imp *sourceImport) commit(ctx context.Context, out *maillage.Import) error {
	what := "import de " + imp.source
	res, err := out.Settle(imp.source, imp.stored, imp.quarantined)
	if err != nil {
		return err
	}
	if err := imp.flush(ctx); err != nil {
		return err
	}
	tx := imp.tx
	res.Added, res.Changed = imp.added, imp.changed
	res.Unchanged = imp.stored - imp.added - imp.changed
	res.Removed = len(imp.old.entries) - imp.old.seen
	err = tx.QueryRowContext(ctx, `
		INSERT INTO imports (source, file, checksum, started_at, finished_at, read, stored, quarantined,
			added, changed, unchanged, removed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		imp.source, res.File, res.Checksum, formatTime(res.StartedAt), formatTime(res.FinishedAt),
		res.Read, res.Stored, res.Quarantined, res.Added, res.Changed, res.Unchanged, res.Removed).Scan(&res.ID)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	if err := imp.deleteUnseen(ctx); err != nil {
		return fmt.Errorf("%s : suppression des fiches disparues : %w", what, err)
	}
	steps := []struct {
		name  string
		query string
		args  []any
	}{
		{"remplacement de la quarantaine", "DELETE FROM quarantine WHERE source = ?", []any{imp.source}},
		{"remplacement de la quarantaine", `INSERT INTO quarantine (source, import_id, row, seq, record_id, raw, findings)
			SELECT ?, ?, row, seq, record_id, raw, findings FROM temp.import_quarantine`, []any{imp.source, res.ID}},
	}
	for _, step := range steps {
		if _, err := tx.ExecContext(ctx, step.query, step.args...); err != nil {
			return fmt.Errorf("%s : %s : %w", what, step.name, err)
		}
	}
	imp.close()
	if _, err := tx.ExecContext(ctx, "DROP TABLE temp.import_quarantine"); err != nil {
		return fmt.Errorf("%s : tables de travail : %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s : validation : %w", what, busy(err))
	}
	imp.done = true
	imp.releaseConn()
	imp.s.release(imp.source)
	imp.s.startCheckpoint()
	*out = res
	return nil
}

// releaseConn turns the foreign key checks back on and gives the writer
// connection back to its pool; a connection that cannot be restored is
// closed instead.
func (imp *sourceImport) releaseConn() {
	if imp.conn == nil {
		return
	}
	if _, err := imp.conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON"); err != nil {
		imp.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	imp.conn.Close()
	imp.conn = nil
}

// close closes the prepared statements.
func (imp *sourceImport) close() {
	for _, stmt := range []*sql.Stmt{imp.upsert, imp.quarantine} {
		if stmt != nil {
			stmt.Close()
		}
	}
}

// Rollback abandons the import: the source keeps its previous version. It
// is a no-op after Commit or a first Rollback.
func (imp *sourceImport) Rollback() error {
	if imp.done {
		return nil
	}
	imp.done = true
	defer imp.s.release(imp.source)
	defer imp.releaseConn()
	imp.close()
	err := imp.tx.Rollback()
	// After a failed batch, SQLite may have rolled the transaction back
	// itself (INSERT OR ROLLBACK): there is nothing left to abandon.
	if err != nil && !errors.Is(err, sql.ErrTxDone) && imp.err == nil {
		return fmt.Errorf("abandon de l'import de %s : %w", imp.source, err)
	}
	return nil
}
