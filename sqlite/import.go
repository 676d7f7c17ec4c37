package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"maillage"
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

// stagingSQL creates the TEMP tables of an import, on the writer
// connection only: import_ids lists the ids of the source before the import
// (old_fp) and those put by the import (new_fp), import_quarantine the
// rejected rows. Both vanish with the transaction.
const stagingSQL = `
	DROP TABLE IF EXISTS temp.import_ids;
	DROP TABLE IF EXISTS temp.import_quarantine;
	CREATE TEMP TABLE import_ids (
		id     TEXT PRIMARY KEY,
		old_fp TEXT,
		new_fp TEXT
	) WITHOUT ROWID;
	CREATE TEMP TABLE import_quarantine (
		seq       INTEGER PRIMARY KEY,
		row       INTEGER NOT NULL,
		record_id TEXT NOT NULL,
		raw       TEXT,
		findings  TEXT NOT NULL
	);`

// batchSize is the number of records written by one INSERT.
const batchSize = 64

// upsertSQL writes n records. A record identical in every column to the
// stored one is not rewritten: a re-import of an unchanged file writes
// almost nothing.
//
// A first import (the source has no record yet) uses a plain INSERT: there
// is nothing to compare with.
func upsertSQL(n int, fresh bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO records (source, id, row, fingerprint, precision, place, raw, warnings) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
	}
	if fresh {
		return b.String()
	}
	b.WriteString(` ON CONFLICT (source, id) DO UPDATE SET row = excluded.row, fingerprint = excluded.fingerprint,
		precision = excluded.precision, place = excluded.place, raw = excluded.raw, warnings = excluded.warnings
		WHERE records.row IS NOT excluded.row OR records.fingerprint IS NOT excluded.fingerprint
			OR records.precision IS NOT excluded.precision OR records.place IS NOT excluded.place
			OR records.raw IS NOT excluded.raw OR records.warnings IS NOT excluded.warnings`)
	return b.String()
}

// seenSQL notes n ids of the import in import_ids, next to the old
// fingerprint when the id was already in the source. Duplicates within the
// import are caught before, in memory (see sourceImport.ids).
func seenSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO temp.import_ids (id, new_fp) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?)")
	}
	b.WriteString(" ON CONFLICT (id) DO UPDATE SET new_fp = excluded.new_fp")
	return b.String()
}

func (s *Store) beginImport(ctx context.Context, source string) (*sourceImport, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("import de %s : %w", source, busy(err))
	}
	imp := &sourceImport{s: s, source: source, ctx: ctx, tx: tx, args: make([]any, 0, 8*batchSize),
		seed: maphash.MakeSeed(), seenArgs: make([]any, 0, 2*batchSize)}
	fail := func(err error) (*sourceImport, error) {
		imp.close()
		tx.Rollback()
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
	res, err := tx.ExecContext(ctx, `INSERT INTO temp.import_ids (id, old_fp)
		SELECT id, fingerprint FROM records WHERE source = ?`, source)
	if err != nil {
		return fail(fmt.Errorf("import de %s : tables de travail : %w", source, err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		// A first import: every record is new, nothing needs comparing.
		imp.fresh = true
	}
	statements := []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&imp.seen, seenSQL(batchSize)},
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

// sourceImport is an import under way: a write transaction on the writer
// connection, the TEMP tables it fills and the records not written yet.
type sourceImport struct {
	s      *Store
	source string
	// ctx is BeginImport's: the transaction lives as long as it does.
	ctx        context.Context
	tx         *sql.Tx
	seen       *sql.Stmt // notes an id in import_ids; 0 rows for a duplicate
	upsert     *sql.Stmt // writes batchSize records
	quarantine *sql.Stmt

	args    []any // the columns of the records not written yet
	pending int   // how many records args holds

	stored, quarantined int
	buf                 bytes.Buffer // reused to encode JSON
	placeBuf            []byte       // reused to encode places
	warnBuf             []byte       // reused to encode warnings

	// fresh is set for a first import: the source had no record.
	fresh bool

	// ids holds a hash of every id put, to refuse duplicates without a
	// query per record (8 to 16 bytes per record); seenArgs the ids and
	// fingerprints not yet noted in import_ids.
	ids      idSet
	seed     maphash.Seed
	seenArgs []any
	enc      *json.Encoder
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

// Put adds a record to the import. A record without an ID, of another
// source or with a Raw that is not JSON is an ErrInvalid; an ID already put
// in this import is an ErrConflict. Neither spoils the import: the record is
// left out and the caller may quarantine it instead.
//
// Records are written to the records table itself, in batches, inside the
// import's transaction: other connections keep seeing the committed
// version until Commit.
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
	raw, err := rawText(r.Raw)
	if err != nil {
		return imp.invalid(r, err.Error(), maillage.ErrInvalid)
	}
	imp.placeBuf = r.Place.AppendJSON(imp.placeBuf[:0])
	place := string(imp.placeBuf)
	var warnings any
	if r.Warnings != nil {
		imp.warnBuf = maillage.AppendFindingsJSON(imp.warnBuf[:0], r.Warnings)
		warnings = string(imp.warnBuf)
	}
	if !imp.ids.add(maphash.String(imp.seed, r.ID)) {
		return imp.invalid(r, "identifiant déjà présent dans ce fichier", maillage.ErrConflict)
	}
	imp.seenArgs = append(imp.seenArgs, r.ID, r.Fingerprint)
	imp.args = append(imp.args, imp.source, r.ID, r.Row, r.Fingerprint, r.Precision, place, raw, warnings)
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
	stmt, seen := imp.upsert, imp.seen
	if imp.pending < batchSize {
		var err error
		if stmt, err = imp.tx.PrepareContext(ctx, upsertSQL(imp.pending, imp.fresh)); err != nil {
			return imp.fail(fmt.Errorf("import de %s : écriture des fiches : %w", imp.source, err))
		}
		defer stmt.Close()
		if seen, err = imp.tx.PrepareContext(ctx, seenSQL(imp.pending)); err != nil {
			return imp.fail(fmt.Errorf("import de %s : écriture des fiches : %w", imp.source, err))
		}
		defer seen.Close()
	}
	if !imp.fresh {
		if _, err := seen.ExecContext(ctx, imp.seenArgs...); err != nil {
			return imp.fail(fmt.Errorf("import de %s : écriture des fiches : %w", imp.source, err))
		}
	}
	if _, err := stmt.ExecContext(ctx, imp.args...); err != nil {
		return imp.fail(fmt.Errorf("import de %s : écriture des fiches : %w", imp.source, err))
	}
	clear(imp.args) // let the strings go
	imp.args = imp.args[:0]
	clear(imp.seenArgs)
	imp.seenArgs = imp.seenArgs[:0]
	imp.pending = 0
	return nil
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
// unchanged and removed records from the ids' fingerprints, deletes the
// removed ones, replaces the quarantine, records the import and commits,
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
	if out.Source != "" && out.Source != imp.source {
		return fmt.Errorf("%s : le compte rendu est celui de la source %q : %w", what, out.Source, maillage.ErrInvalid)
	}
	res := *out
	res.Source = imp.source
	res.StartedAt = res.StartedAt.UTC().Truncate(time.Microsecond)
	res.FinishedAt = res.FinishedAt.UTC().Truncate(time.Microsecond)
	res.Stored, res.Quarantined = imp.stored, imp.quarantined
	if res.Read == 0 {
		res.Read = res.Stored + res.Quarantined
	}
	if res.Read != res.Stored+res.Quarantined {
		return fmt.Errorf("%s : %d lignes lues mais %d enregistrées et %d en quarantaine : %w",
			what, res.Read, res.Stored, res.Quarantined, maillage.ErrInvalid)
	}
	if err := imp.flush(ctx); err != nil {
		return err
	}
	tx := imp.tx
	var err error
	if imp.fresh {
		res.Added, res.Changed, res.Unchanged, res.Removed = imp.stored, 0, 0, 0
	} else {
		err = tx.QueryRowContext(ctx, `
		SELECT count(*) FILTER (WHERE old_fp IS NULL),
		       count(*) FILTER (WHERE old_fp <> new_fp),
		       count(*) FILTER (WHERE old_fp = new_fp),
		       count(*) FILTER (WHERE new_fp IS NULL)
		FROM temp.import_ids`).Scan(&res.Added, &res.Changed, &res.Unchanged, &res.Removed)
		if err != nil {
			return fmt.Errorf("%s : comparaison : %w", what, err)
		}
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO imports (source, file, checksum, started_at, finished_at, read, stored, quarantined,
			added, changed, unchanged, removed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		imp.source, res.File, res.Checksum, formatTime(res.StartedAt), formatTime(res.FinishedAt),
		res.Read, res.Stored, res.Quarantined, res.Added, res.Changed, res.Unchanged, res.Removed).Scan(&res.ID)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	steps := []struct {
		name  string
		query string
		args  []any
	}{
		{"suppression des fiches disparues", `DELETE FROM records WHERE source = ?
			AND id IN (SELECT id FROM temp.import_ids WHERE new_fp IS NULL)`, []any{imp.source}},
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
	if _, err := tx.ExecContext(ctx, "DROP TABLE temp.import_ids; DROP TABLE temp.import_quarantine"); err != nil {
		return fmt.Errorf("%s : tables de travail : %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s : validation : %w", what, busy(err))
	}
	imp.done = true
	imp.s.release(imp.source)
	*out = res
	return nil
}

// close closes the prepared statements.
func (imp *sourceImport) close() {
	for _, stmt := range []*sql.Stmt{imp.seen, imp.upsert, imp.quarantine} {
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
	imp.close()
	err := imp.tx.Rollback()
	if err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("abandon de l'import de %s : %w", imp.source, err)
	}
	return nil
}
