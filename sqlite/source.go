package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"maillage"
)

// timeLayout is how times are written: UTC, to the microsecond (as
// PostgreSQL keeps them), in an order that sorts as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date enregistrée illisible %q : %w", s, err)
	}
	return t, nil
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

// PutSource creates or updates a source's registration. It waits for an
// import under way in this process.
func (s *Store) PutSource(ctx context.Context, src maillage.Source) error {
	if err := checkSourceName(src.Name); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, `
		INSERT INTO sources (name, title, producer, licence, homepage, territory, format, mapping, trust)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET
			title = excluded.title, producer = excluded.producer, licence = excluded.licence,
			homepage = excluded.homepage, territory = excluded.territory, format = excluded.format,
			mapping = excluded.mapping, trust = excluded.trust`,
		src.Name, src.Title, src.Producer, src.Licence, src.Homepage, src.Territory, src.Format, src.Mapping, src.Trust)
	if err != nil {
		return fmt.Errorf("enregistrement de la source %s : %w", src.Name, busy(err))
	}
	s.startCheckpoint()
	return nil
}

// sourceColumns are the columns sourceRow scans: the source and its latest
// import (NULLs when it has none).
const sourceColumns = `s.name, s.title, s.producer, s.licence, s.homepage, s.territory, s.format, s.mapping, s.trust,
	i.id, i.file, i.checksum, i.started_at, i.finished_at, i.read, i.stored, i.quarantined,
	i.added, i.changed, i.unchanged, i.removed
	FROM sources s
	LEFT JOIN imports i ON i.id = (SELECT max(id) FROM imports WHERE source = s.name)`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanSource(row scanner) (maillage.Source, error) {
	var (
		src         maillage.Source
		id          sql.NullInt64
		file, sum   sql.NullString
		start, end  sql.NullString
		read, store sql.NullInt64
		quar, add   sql.NullInt64
		chg, unchg  sql.NullInt64
		rem         sql.NullInt64
	)
	err := row.Scan(&src.Name, &src.Title, &src.Producer, &src.Licence, &src.Homepage, &src.Territory, &src.Format,
		&src.Mapping, &src.Trust, &id, &file, &sum, &start, &end, &read, &store, &quar, &add, &chg, &unchg, &rem)
	if err != nil {
		return src, err
	}
	if !id.Valid {
		return src, nil
	}
	imp := &maillage.Import{
		ID: id.Int64, Source: src.Name, File: file.String, Checksum: sum.String,
		Read: int(read.Int64), Stored: int(store.Int64), Quarantined: int(quar.Int64),
		Added: int(add.Int64), Changed: int(chg.Int64), Unchanged: int(unchg.Int64), Removed: int(rem.Int64),
	}
	if imp.StartedAt, err = parseTime(start.String); err != nil {
		return src, err
	}
	if imp.FinishedAt, err = parseTime(end.String); err != nil {
		return src, err
	}
	src.LastImport = imp
	return src, nil
}

// Source returns a registered source with its latest import.
func (s *Store) Source(ctx context.Context, name string) (maillage.Source, error) {
	src, err := scanSource(s.read.QueryRowContext(ctx, "SELECT "+sourceColumns+" WHERE s.name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return src, fmt.Errorf("source %s : %w", name, maillage.ErrNotFound)
	}
	if err != nil {
		return src, fmt.Errorf("lecture de la source %s : %w", name, err)
	}
	return src, nil
}

// Sources lists the registered sources by name.
func (s *Store) Sources(ctx context.Context) ([]maillage.Source, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+sourceColumns+" ORDER BY s.name")
	if err != nil {
		return nil, fmt.Errorf("lecture des sources : %w", err)
	}
	defer rows.Close()
	var list []maillage.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("lecture des sources : %w", err)
		}
		list = append(list, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lecture des sources : %w", err)
	}
	return list, nil
}

// Imports lists the committed imports of a source, newest first. An unknown
// source is an ErrNotFound; a source never imported has none.
func (s *Store) Imports(ctx context.Context, source string) ([]maillage.Import, error) {
	if err := s.exists(ctx, source); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, file, checksum, started_at, finished_at, read, stored, quarantined, added, changed, unchanged, removed
		FROM imports WHERE source = ? ORDER BY id DESC`, source)
	if err != nil {
		return nil, fmt.Errorf("lecture des imports de %s : %w", source, err)
	}
	defer rows.Close()
	var list []maillage.Import
	for rows.Next() {
		imp := maillage.Import{Source: source}
		var start, end string
		if err := rows.Scan(&imp.ID, &imp.File, &imp.Checksum, &start, &end, &imp.Read, &imp.Stored, &imp.Quarantined,
			&imp.Added, &imp.Changed, &imp.Unchanged, &imp.Removed); err != nil {
			return nil, fmt.Errorf("lecture des imports de %s : %w", source, err)
		}
		if imp.StartedAt, err = parseTime(start); err != nil {
			return nil, err
		}
		if imp.FinishedAt, err = parseTime(end); err != nil {
			return nil, err
		}
		list = append(list, imp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lecture des imports de %s : %w", source, err)
	}
	return list, nil
}

// exists reports an ErrNotFound when no source has that name.
func (s *Store) exists(ctx context.Context, source string) error {
	var one int
	err := s.read.QueryRowContext(ctx, "SELECT 1 FROM sources WHERE name = ?", source).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("source %s : %w", source, maillage.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("lecture de la source %s : %w", source, err)
	}
	return nil
}
