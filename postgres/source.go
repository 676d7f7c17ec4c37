package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"maillage"
)

// PutSource creates or updates a source's registration. Updating a source
// whose import is under way waits for the import to end.
func (s *Store) PutSource(ctx context.Context, src maillage.Source) error {
	if err := checkSourceName(src.Name); err != nil {
		return err
	}
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `
			INSERT INTO sources (name, title, producer, licence, homepage, territory, format, mapping, trust)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (name) DO UPDATE SET
				title = excluded.title, producer = excluded.producer, licence = excluded.licence,
				homepage = excluded.homepage, territory = excluded.territory, format = excluded.format,
				mapping = excluded.mapping, trust = excluded.trust`,
			src.Name, src.Title, src.Producer, src.Licence, src.Homepage, src.Territory, src.Format, src.Mapping, src.Trust)
		return err
	})
	if err != nil {
		return fmt.Errorf("enregistrement de la source %s : %w", src.Name, err)
	}
	return nil
}

// sourceQuery selects the sources with their latest import (NULLs when
// they have none).
const sourceQuery = `SELECT s.name, s.title, s.producer, s.licence, s.homepage, s.territory, s.format, s.mapping, s.trust,
	i.id, i.file, i.checksum, i.started_at, i.finished_at, i.read, i.stored, i.quarantined,
	i.added, i.changed, i.unchanged, i.removed
	FROM sources s
	LEFT JOIN LATERAL (SELECT * FROM imports WHERE source = s.name ORDER BY id DESC LIMIT 1) i ON true`

func scanSource(row pgx.Row) (maillage.Source, error) {
	var (
		src                       maillage.Source
		id                        *int64
		file, sum                 *string
		start, end                *time.Time
		read, stored, quar        *int
		added, changed, unchanged *int
		removed                   *int
	)
	err := row.Scan(&src.Name, &src.Title, &src.Producer, &src.Licence, &src.Homepage, &src.Territory, &src.Format,
		&src.Mapping, &src.Trust, &id, &file, &sum, &start, &end, &read, &stored, &quar, &added, &changed, &unchanged, &removed)
	if err != nil || id == nil {
		return src, err
	}
	src.LastImport = &maillage.Import{
		ID: *id, Source: src.Name, File: *file, Checksum: *sum, StartedAt: start.UTC(), FinishedAt: end.UTC(),
		Read: *read, Stored: *stored, Quarantined: *quar,
		Added: *added, Changed: *changed, Unchanged: *unchanged, Removed: *removed,
	}
	return src, nil
}

// Source returns a registered source with its latest import.
func (s *Store) Source(ctx context.Context, name string) (maillage.Source, error) {
	var src maillage.Source
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		var err error
		src, err = scanSource(conn.QueryRow(ctx, sourceQuery+" WHERE s.name = $1", name))
		return err
	})
	if isNoRows(err) {
		return src, fmt.Errorf("source %s : %w", name, maillage.ErrNotFound)
	}
	if err != nil {
		return src, fmt.Errorf("lecture de la source %s : %w", name, err)
	}
	return src, nil
}

// Sources lists the registered sources by name.
func (s *Store) Sources(ctx context.Context) ([]maillage.Source, error) {
	var list []maillage.Source
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, sourceQuery+" ORDER BY s.name")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			src, err := scanSource(rows)
			if err != nil {
				return err
			}
			list = append(list, src)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des sources : %w", err)
	}
	return list, nil
}

// Imports lists the committed imports of a source, newest first. An unknown
// source is an ErrNotFound; a source never imported has none.
func (s *Store) Imports(ctx context.Context, source string) ([]maillage.Import, error) {
	var list []maillage.Import
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		if err := exists(ctx, conn, source); err != nil {
			return err
		}
		rows, err := conn.Query(ctx, `
			SELECT id, file, checksum, started_at, finished_at, read, stored, quarantined, added, changed, unchanged, removed
			FROM imports WHERE source = $1 ORDER BY id DESC`, source)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			imp := maillage.Import{Source: source}
			if err := rows.Scan(&imp.ID, &imp.File, &imp.Checksum, &imp.StartedAt, &imp.FinishedAt, &imp.Read,
				&imp.Stored, &imp.Quarantined, &imp.Added, &imp.Changed, &imp.Unchanged, &imp.Removed); err != nil {
				return err
			}
			imp.StartedAt, imp.FinishedAt = imp.StartedAt.UTC(), imp.FinishedAt.UTC()
			list = append(list, imp)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des imports de %s : %w", source, err)
	}
	return list, nil
}

// exists reports an ErrNotFound when no source has that name.
func exists(ctx context.Context, conn *pgx.Conn, source string) error {
	var one int
	err := conn.QueryRow(ctx, "SELECT 1 FROM sources WHERE name = $1", source).Scan(&one)
	if isNoRows(err) {
		return fmt.Errorf("source %s : %w", source, maillage.ErrNotFound)
	}
	return err
}
