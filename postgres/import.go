package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"maillage"
)

// lockNotAvailable is PostgreSQL's code for a NOWAIT lock that is taken.
const lockNotAvailable = "55P03"

// BeginImport starts replacing the records of a registered source. It takes
// a connection of the pool and holds it until Commit or Rollback. A second
// import of the same source while one is under way, in any process, is an
// ErrConflict, at once. Cancelling ctx abandons the import.
func (s *Store) BeginImport(ctx context.Context, source string) (maillage.SourceImport, error) {
	if err := s.isClosed(); err != nil {
		return nil, fmt.Errorf("import de %s : %w", source, err)
	}
	conn, err := s.pool.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("import de %s : %w", source, err)
	}
	imp, err := begin(ctx, conn, source)
	if err != nil {
		s.pool.release(conn)
		return nil, err
	}
	imp.s = s
	return imp, nil
}

// stagingSQL creates the TEMP tables an import streams into; they are
// dropped when the transaction ends, however it ends.
const stagingSQL = `
	CREATE TEMP TABLE import_records (
		id          text COLLATE "C" NOT NULL,
		row         integer NOT NULL,
		fingerprint text NOT NULL,
		precision   text NOT NULL,
		place       json NOT NULL,
		raw         json,
		warnings    json
	) ON COMMIT DROP;
	CREATE UNIQUE INDEX ON import_records (id);
	CREATE TEMP TABLE import_quarantine (
		seq       integer NOT NULL,
		row       integer NOT NULL,
		record_id text NOT NULL,
		raw       json,
		findings  json NOT NULL
	) ON COMMIT DROP;`

func begin(ctx context.Context, conn *pgx.Conn, source string) (*sourceImport, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("import de %s : %w", source, err)
	}
	fail := func(err error) (*sourceImport, error) {
		rollback(tx)
		return nil, err
	}
	var one int
	err = tx.QueryRow(ctx, "SELECT 1 FROM sources WHERE name = $1 FOR NO KEY UPDATE NOWAIT", source).Scan(&one)
	var pgErr *pgconn.PgError
	switch {
	case isNoRows(err):
		return fail(fmt.Errorf("import dans la source %s : %w", source, maillage.ErrNotFound))
	case errors.As(err, &pgErr) && pgErr.Code == lockNotAvailable:
		return fail(fmt.Errorf("import de %s : un import de cette source est déjà en cours : %w", source, maillage.ErrConflict))
	case err != nil:
		return fail(fmt.Errorf("import de %s : %w", source, err))
	}
	if _, err := tx.Exec(ctx, stagingSQL, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fail(fmt.Errorf("import de %s : tables de travail : %w", source, err))
	}
	return &sourceImport{source: source, ctx: ctx, conn: conn, tx: tx, ids: newIDFilter()}, nil
}

func rollback(tx pgx.Tx) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return tx.Rollback(ctx)
}

// Batches: COPY is issued every batchRows rows, or sooner when the rows
// waiting hold batchBytes of JSON.
const (
	batchRows  = 2000
	batchBytes = 4 << 20
)

var (
	recordColumns     = []string{"id", "row", "fingerprint", "precision", "place", "raw", "warnings"}
	quarantineColumns = []string{"seq", "row", "record_id", "raw", "findings"}
)

// sourceImport is an import under way: a transaction on a connection of
// its own, TEMP tables, and the rows not copied yet.
type sourceImport struct {
	s      *Store
	source string
	// ctx is BeginImport's: the import lives as long as it does.
	ctx  context.Context
	conn *pgx.Conn
	tx   pgx.Tx
	ids  *idFilter

	records    [][]any // waiting to be copied into import_records
	quarantine [][]any // waiting to be copied into import_quarantine
	size       int     // bytes of JSON waiting

	stored, quarantined int
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

func (imp *sourceImport) usable(ctx context.Context) error {
	if imp.done {
		return fmt.Errorf("import de %s : déjà terminé", imp.source)
	}
	if imp.err == nil && imp.ctx.Err() != nil {
		imp.err = imp.ctx.Err()
	}
	if imp.err == nil && ctx.Err() != nil {
		imp.err = ctx.Err()
	}
	if imp.err != nil {
		return fmt.Errorf("import de %s abandonné après une erreur : %w", imp.source, imp.err)
	}
	return nil
}

// encode returns v as JSON, without escaping <, > and & and without a
// trailing newline, in a new slice (it waits in a batch).
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// rawValue returns raw for a nullable json column. It is an ErrInvalid when
// raw is not JSON.
func rawValue(raw json.RawMessage) (any, error) {
	if raw == nil {
		return nil, nil
	}
	if !maillage.ValidJSON(raw) {
		return nil, fmt.Errorf("la ligne lue (raw) n'est pas du JSON valide : %w", maillage.ErrInvalid)
	}
	return []byte(raw), nil
}

// invalid returns err about record r, with why when it is not "".
func (imp *sourceImport) invalid(r *maillage.Record, why string, err error) error {
	if why != "" {
		return fmt.Errorf("import de %s, fiche %q (ligne %d) : %s : %w", imp.source, r.ID, r.Row, why, err)
	}
	return fmt.Errorf("import de %s, fiche %q (ligne %d) : %w", imp.source, r.ID, r.Row, err)
}

// Put adds a record to the import. A record without an ID, of another
// source or with a Raw that is not JSON is an ErrInvalid; an ID already put
// in this import is an ErrConflict. Neither spoils the import: the record is
// left out and the caller may quarantine it instead.
func (imp *sourceImport) Put(ctx context.Context, r *maillage.Record) error {
	if err := imp.usable(ctx); err != nil {
		return err
	}
	if r.Source != "" && r.Source != imp.source {
		return imp.invalid(r, fmt.Sprintf("la fiche est de la source %q", r.Source), maillage.ErrInvalid)
	}
	if r.ID == "" {
		return imp.invalid(r, "fiche sans identifiant", maillage.ErrInvalid)
	}
	raw, err := rawValue(r.Raw)
	if err != nil {
		return imp.invalid(r, err.Error(), maillage.ErrInvalid)
	}
	place, err := encode(&r.Place)
	if err != nil {
		return imp.invalid(r, err.Error(), maillage.ErrInvalid)
	}
	var warnings any
	if r.Warnings != nil {
		if warnings, err = encode(r.Warnings); err != nil {
			return imp.invalid(r, err.Error(), maillage.ErrInvalid)
		}
	}
	if imp.ids.mayHave(r.ID) {
		dup, err := imp.staged(ctx, r.ID)
		if err != nil {
			return imp.fail(imp.invalid(r, "", err))
		}
		if dup {
			return imp.invalid(r, "identifiant déjà présent dans ce fichier", maillage.ErrConflict)
		}
	}
	imp.ids.add(r.ID)
	imp.records = append(imp.records, []any{r.ID, r.Row, r.Fingerprint, r.Precision, place, raw, warnings})
	imp.size += len(place) + len(r.Raw)
	imp.stored++
	if len(imp.records) >= batchRows || imp.size >= batchBytes {
		return imp.flush(ctx)
	}
	return nil
}

// staged reports whether id is in the staging table, after copying the
// rows waiting.
func (imp *sourceImport) staged(ctx context.Context, id string) (bool, error) {
	if err := imp.flush(ctx); err != nil {
		return false, err
	}
	var found bool
	err := imp.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM import_records WHERE id = $1)", id).Scan(&found)
	return found, err
}

// Quarantine adds a rejected row to the import. A row without findings, of
// another source or with a Raw that is not JSON is an ErrInvalid.
func (imp *sourceImport) Quarantine(ctx context.Context, q *maillage.QuarantinedRow) error {
	if err := imp.usable(ctx); err != nil {
		return err
	}
	what := fmt.Sprintf("import de %s, quarantaine de la ligne %d", imp.source, q.Row)
	if q.Source != "" && q.Source != imp.source {
		return fmt.Errorf("%s : la ligne est de la source %q : %w", what, q.Source, maillage.ErrInvalid)
	}
	if len(q.Findings) == 0 {
		return fmt.Errorf("%s : aucune raison donnée : %w", what, maillage.ErrInvalid)
	}
	raw, err := rawValue(q.Raw)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	findings, err := encode(q.Findings)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	imp.quarantined++
	imp.quarantine = append(imp.quarantine, []any{imp.quarantined, q.Row, q.RecordID, raw, findings})
	imp.size += len(findings) + len(q.Raw)
	if len(imp.quarantine) >= batchRows || imp.size >= batchBytes {
		return imp.flush(ctx)
	}
	return nil
}

// flush copies the rows waiting into the staging tables.
func (imp *sourceImport) flush(ctx context.Context) error {
	copies := []struct {
		table   string
		columns []string
		rows    *[][]any
	}{
		{"import_records", recordColumns, &imp.records},
		{"import_quarantine", quarantineColumns, &imp.quarantine},
	}
	for _, c := range copies {
		if len(*c.rows) == 0 {
			continue
		}
		if _, err := imp.tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(*c.rows)); err != nil {
			return imp.fail(fmt.Errorf("import de %s : copie des lignes : %w", imp.source, err))
		}
		clear(*c.rows)
		*c.rows = (*c.rows)[:0]
	}
	imp.size = 0
	return nil
}

// Commit compares the staged records with the source's current ones, writes
// the differences, replaces the quarantine, records the import and commits,
// all in the import's transaction. On error nothing is changed and the
// import is over.
func (imp *sourceImport) Commit(ctx context.Context, out *maillage.Import) error {
	if err := imp.usable(ctx); err != nil {
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
	// One pass over both sides. (No ANALYZE of the TEMP table: it cost
	// more than the plans it could improve.)
	err = tx.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE r.id IS NULL),
		       count(*) FILTER (WHERE r.fingerprint <> s.fingerprint),
		       count(*) FILTER (WHERE r.fingerprint = s.fingerprint),
		       count(*) FILTER (WHERE s.id IS NULL)
		FROM import_records s
		FULL JOIN (SELECT id, fingerprint FROM records WHERE source = $1) r ON r.id = s.id`,
		imp.source).Scan(&res.Added, &res.Changed, &res.Unchanged, &res.Removed)
	if err != nil {
		return fmt.Errorf("%s : comparaison : %w", what, err)
	}

	err = tx.QueryRow(ctx, `
		INSERT INTO imports (source, file, checksum, started_at, finished_at, read, stored, quarantined,
			added, changed, unchanged, removed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		imp.source, res.File, res.Checksum, res.StartedAt, res.FinishedAt,
		res.Read, res.Stored, res.Quarantined, res.Added, res.Changed, res.Unchanged, res.Removed).Scan(&res.ID)
	if err != nil {
		return fmt.Errorf("%s : %w", what, err)
	}
	steps := []struct {
		name  string
		skip  bool
		query string
		args  []any
	}{
		{"suppression des fiches disparues", res.Removed == 0, `DELETE FROM records r WHERE r.source = $1
			AND NOT EXISTS (SELECT 1 FROM import_records s WHERE s.id = r.id)`, []any{imp.source}},
		// Rows identical in every column are not rewritten: a re-import of
		// an unchanged file writes almost nothing. json has no equality:
		// compare the texts. An UPDATE and an INSERT of what is missing
		// join the tables once each, where INSERT … ON CONFLICT would try
		// every row.
		{"mise à jour des fiches", res.Changed+res.Unchanged == 0, `UPDATE records r SET row = s.row, fingerprint = s.fingerprint,
				precision = s.precision, place = s.place, raw = s.raw, warnings = s.warnings
			FROM import_records s
			WHERE r.source = $1 AND r.id = s.id
				AND (r.row, r.fingerprint, r.precision, r.place::text, r.raw::text, r.warnings::text)
				IS DISTINCT FROM (s.row, s.fingerprint, s.precision, s.place::text, s.raw::text, s.warnings::text)`,
			[]any{imp.source}},
		{"ajout des fiches", res.Added == 0, `INSERT INTO records (source, id, row, fingerprint, precision, place, raw, warnings)
			SELECT $1, id, row, fingerprint, precision, place, raw, warnings FROM import_records s
			WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.source = $1 AND r.id = s.id)`, []any{imp.source}},
		{"remplacement de la quarantaine", false, "DELETE FROM quarantine WHERE source = $1", []any{imp.source}},
		{"remplacement de la quarantaine", res.Quarantined == 0, `INSERT INTO quarantine (source, import_id, row, seq, record_id, raw, findings)
			SELECT $1, $2, row, seq, record_id, raw, findings FROM import_quarantine`, []any{imp.source, res.ID}},
	}
	for _, step := range steps {
		if step.skip {
			continue
		}
		if _, err := tx.Exec(ctx, step.query, step.args...); err != nil {
			return fmt.Errorf("%s : %s : %w", what, step.name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("%s : validation : %w", what, err)
	}
	imp.done = true
	imp.s.pool.release(imp.conn)
	*out = res
	return nil
}

// Rollback abandons the import: the source keeps its previous version. It
// is a no-op after Commit or a first Rollback.
func (imp *sourceImport) Rollback() error {
	if imp.done {
		return nil
	}
	imp.done = true
	imp.records, imp.quarantine = nil, nil
	err := rollback(imp.tx)
	broken := imp.conn.IsClosed() // the server rolled back when it lost the connection
	imp.s.pool.release(imp.conn)  // a connection left in a failed state is closed, not reused
	if err != nil && !errors.Is(err, pgx.ErrTxClosed) && !broken {
		return fmt.Errorf("abandon de l'import de %s : %w", imp.source, err)
	}
	return nil
}
