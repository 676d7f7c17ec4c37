package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"maillage"
)

const recordQuery = "SELECT source, id, row, fingerprint, precision, place, raw, warnings FROM records"

// placeQuery reads records without their raw row and warnings
// (RecordPlaces).
const placeQuery = "SELECT source, id, row, fingerprint, precision, place FROM records"

// scanRecordPlace reads a row of placeQuery into r.
func scanRecordPlace(rows pgx.Rows, r *maillage.Record) error {
	var place []byte
	if err := rows.Scan(&r.Source, &r.ID, &r.Row, &r.Fingerprint, &r.Precision, &place); err != nil {
		return err
	}
	if err := maillage.DecodePlaceJSON(place, &r.Place); err != nil {
		return fmt.Errorf("fiche %s de %s : lieu enregistré illisible : %w", r.ID, r.Source, err)
	}
	return nil
}

// scanRecord reads a row of recordQuery into r.
func scanRecord(rows pgx.Rows, r *maillage.Record) error {
	var place, raw, warnings []byte
	if err := rows.Scan(&r.Source, &r.ID, &r.Row, &r.Fingerprint, &r.Precision, &place, &raw, &warnings); err != nil {
		return err
	}
	if err := maillage.DecodePlaceJSON(place, &r.Place); err != nil {
		return fmt.Errorf("fiche %s de %s : lieu enregistré illisible : %w", r.ID, r.Source, err)
	}
	if raw != nil {
		r.Raw = json.RawMessage(raw)
	}
	if warnings != nil {
		if err := json.Unmarshal(warnings, &r.Warnings); err != nil {
			return fmt.Errorf("fiche %s de %s : avertissements enregistrés illisibles : %w", r.ID, r.Source, err)
		}
	}
	return nil
}

// Records calls fn for each record of a source, or of every source when
// source is "", ordered by source then id. Rows are read from the server
// as fn consumes them. An unknown source is an ErrNotFound. fn's *Record is
// fresh for each call and may be kept.
func (s *Store) Records(ctx context.Context, source string, fn func(*maillage.Record) error) error {
	return s.records(ctx, source, true, fn)
}

// RecordPlaces is Records without the Raw and Warnings of the records,
// which are not read from the database (see maillage.Store).
func (s *Store) RecordPlaces(ctx context.Context, source string, fn func(*maillage.Record) error) error {
	return s.records(ctx, source, false, fn)
}

func (s *Store) records(ctx context.Context, source string, full bool, fn func(*maillage.Record) error) error {
	what := "de toutes les sources"
	if source != "" {
		what = "de " + source
	}
	head := recordQuery
	if !full {
		head = placeQuery
	}
	var fnErr error
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		query, args := head+" ORDER BY source, id", []any{}
		if source != "" {
			if err := exists(ctx, conn, source); err != nil {
				return err
			}
			query, args = head+" WHERE source = $1 ORDER BY id", []any{source}
		}
		rows, err := conn.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := new(maillage.Record)
			if full {
				err = scanRecord(rows, r)
			} else {
				err = scanRecordPlace(rows, r)
			}
			if err != nil {
				return err
			}
			if fnErr = fn(r); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("lecture des fiches %s : %w", what, err)
	}
	return nil
}

// Record returns the record id of a source; ErrNotFound if there is none.
func (s *Store) Record(ctx context.Context, source, id string) (maillage.Record, error) {
	var r maillage.Record
	found := false
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, recordQuery+" WHERE source = $1 AND id = $2", source, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			found = true
			if err := scanRecord(rows, &r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return r, fmt.Errorf("lecture de la fiche %s de %s : %w", id, source, err)
	}
	if !found {
		return r, fmt.Errorf("fiche %s de la source %s : %w", id, source, maillage.ErrNotFound)
	}
	return r, nil
}

// Quarantine calls fn for each row the latest import of a source rejected
// (of every source when source is ""), by source then row. An unknown
// source is an ErrNotFound.
func (s *Store) Quarantine(ctx context.Context, source string, fn func(*maillage.QuarantinedRow) error) error {
	what := "de toutes les sources"
	if source != "" {
		what = "de " + source
	}
	const columns = "SELECT source, import_id, row, record_id, raw, findings FROM quarantine"
	var fnErr error
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		query, args := columns+" ORDER BY source, row, seq", []any{}
		if source != "" {
			if err := exists(ctx, conn, source); err != nil {
				return err
			}
			query, args = columns+" WHERE source = $1 ORDER BY row, seq", []any{source}
		}
		rows, err := conn.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			q := new(maillage.QuarantinedRow)
			var raw, findings []byte
			if err := rows.Scan(&q.Source, &q.ImportID, &q.Row, &q.RecordID, &raw, &findings); err != nil {
				return err
			}
			if raw != nil {
				q.Raw = json.RawMessage(raw)
			}
			if err := json.Unmarshal(findings, &q.Findings); err != nil {
				return fmt.Errorf("ligne %d : %w", q.Row, err)
			}
			if fnErr = fn(q); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("lecture de la quarantaine %s : %w", what, err)
	}
	return nil
}
