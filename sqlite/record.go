package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"maillage"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// busy turns SQLite's "database is locked" into a message a person can act
// on; other errors are returned as they are.
func busy(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY {
		return fmt.Errorf("base occupée par une autre écriture (un autre programme importe-t-il en ce moment ?) : %w", err)
	}
	return err
}

const recordColumns = "source, id, row, fingerprint, precision, place, raw, warnings"

// scanRecord reads a row of recordColumns into r. The JSON columns are read
// as sql.RawBytes and decoded at once, without an intermediate copy.
func scanRecord(rows *sql.Rows, r *maillage.Record) error {
	var place, raw, warnings sql.RawBytes
	if err := rows.Scan(&r.Source, &r.ID, &r.Row, &r.Fingerprint, &r.Precision, &place, &raw, &warnings); err != nil {
		return err
	}
	return decodeRecord(r, place, raw, warnings)
}

// placeColumns are the columns of a record without its raw row and
// warnings (RecordPlaces).
const placeColumns = "source, id, row, fingerprint, precision, place"

// decodeRecord fills r's JSON fields. raw and warnings are nil for NULL.
func decodeRecord(r *maillage.Record, place, raw, warnings []byte) error {
	if err := maillage.DecodePlaceJSON(place, &r.Place); err != nil {
		return fmt.Errorf("fiche %s de %s : lieu enregistré illisible : %w", r.ID, r.Source, err)
	}
	r.Raw = nil
	if raw != nil {
		r.Raw = append(json.RawMessage(nil), raw...)
	}
	r.Warnings = nil
	if warnings != nil {
		if err := json.Unmarshal(warnings, &r.Warnings); err != nil {
			return fmt.Errorf("fiche %s de %s : avertissements enregistrés illisibles : %w", r.ID, r.Source, err)
		}
	}
	return nil
}

// Records calls fn for each record of a source, or of every source when
// source is "", ordered by source then id. It reads one snapshot: an import
// committed meanwhile is not seen halfway. An unknown source is an
// ErrNotFound. fn's *Record is fresh for each call and may be kept.
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
	columns := recordColumns
	if !full {
		columns = placeColumns
	}
	query := "SELECT " + columns + " FROM records ORDER BY source, id"
	args := []any{}
	if source != "" {
		what = "de " + source
		if err := s.exists(ctx, source); err != nil {
			return err
		}
		query = "SELECT " + columns + " FROM records WHERE source = ? ORDER BY id"
		args = append(args, source)
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("lecture des fiches %s : %w", what, err)
	}
	defer rows.Close()
	if !full {
		return readPlaces(rows, what, fn)
	}
	for rows.Next() {
		r := new(maillage.Record)
		if err := scanRecord(rows, r); err != nil {
			return fmt.Errorf("lecture des fiches %s : %w", what, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lecture des fiches %s : %w", what, err)
	}
	return nil
}

// placeBatch is a run of rows of placeColumns: read by readPlaces's
// reader, decoded by one of its workers (done is closed then).
type placeBatch struct {
	recs   []maillage.Record
	places [][]byte // the JSON of each record's place, until decoded
	err    error
	done   chan struct{}
}

const placeBatchSize = 256

// readPlaces calls fn for each row of placeColumns, in order. The rows are
// read in a goroutine of their own and their places decoded on every
// processor, a few batches ahead of fn, which is called in the calling
// goroutine: decoding took as long as reading.
func readPlaces(rows *sql.Rows, what string, fn func(*maillage.Record) error) error {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *placeBatch, workers)
	ordered := make(chan *placeBatch, 2*workers)
	quit := make(chan struct{})
	var readErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the reader
		defer wg.Done()
		defer close(ordered)
		defer close(work)
		b := &placeBatch{done: make(chan struct{})}
		send := func() bool {
			select {
			case ordered <- b:
			case <-quit:
				return false
			}
			work <- b // the workers take every batch until work is closed
			b = &placeBatch{done: make(chan struct{})}
			return true
		}
		for rows.Next() {
			var r maillage.Record
			var place sql.RawBytes
			if err := rows.Scan(&r.Source, &r.ID, &r.Row, &r.Fingerprint, &r.Precision, &place); err != nil {
				readErr = err
				return
			}
			b.recs = append(b.recs, r)
			b.places = append(b.places, bytes.Clone(place))
			if len(b.recs) == placeBatchSize && !send() {
				return
			}
		}
		if readErr = rows.Err(); readErr == nil && len(b.recs) > 0 {
			send()
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for i := range b.recs {
					if err := decodeRecord(&b.recs[i], b.places[i], nil, nil); err != nil {
						b.err = err
						break
					}
				}
				b.places = nil
				close(b.done)
			}
		}()
	}
	fnErr := func() error {
		for b := range ordered {
			<-b.done
			if b.err != nil {
				return fmt.Errorf("lecture des fiches %s : %w", what, b.err)
			}
			for i := range b.recs {
				// Each record of a batch is given once: fn may keep it.
				if err := fn(&b.recs[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	close(quit)
	wg.Wait()
	if fnErr != nil {
		return fnErr
	}
	if readErr != nil {
		return fmt.Errorf("lecture des fiches %s : %w", what, readErr)
	}
	return nil
}

// Record returns the record id of a source; ErrNotFound if there is none.
func (s *Store) Record(ctx context.Context, source, id string) (maillage.Record, error) {
	var r maillage.Record
	rows, err := s.read.QueryContext(ctx, "SELECT "+recordColumns+" FROM records WHERE source = ? AND id = ?", source, id)
	if err != nil {
		return r, fmt.Errorf("lecture de la fiche %s de %s : %w", id, source, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return r, fmt.Errorf("lecture de la fiche %s de %s : %w", id, source, err)
		}
		return r, fmt.Errorf("fiche %s de la source %s : %w", id, source, maillage.ErrNotFound)
	}
	if err := scanRecord(rows, &r); err != nil {
		return r, fmt.Errorf("lecture de la fiche %s de %s : %w", id, source, err)
	}
	return r, rows.Close()
}

// Quarantine calls fn for each row the latest import of a source rejected
// (of every source when source is ""), by source then row. An unknown
// source is an ErrNotFound.
func (s *Store) Quarantine(ctx context.Context, source string, fn func(*maillage.QuarantinedRow) error) error {
	what := "de toutes les sources"
	const columns = "SELECT source, import_id, row, record_id, raw, findings FROM quarantine"
	query := columns + " ORDER BY source, row, seq"
	args := []any{}
	if source != "" {
		what = "de " + source
		if err := s.exists(ctx, source); err != nil {
			return err
		}
		query = columns + " WHERE source = ? ORDER BY row, seq"
		args = append(args, source)
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("lecture de la quarantaine %s : %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		q := new(maillage.QuarantinedRow)
		var raw, findings sql.RawBytes
		if err := rows.Scan(&q.Source, &q.ImportID, &q.Row, &q.RecordID, &raw, &findings); err != nil {
			return fmt.Errorf("lecture de la quarantaine %s : %w", what, err)
		}
		if raw != nil {
			q.Raw = append(json.RawMessage(nil), raw...)
		}
		if err := json.Unmarshal(findings, &q.Findings); err != nil {
			return fmt.Errorf("lecture de la quarantaine %s, ligne %d : %w", what, q.Row, err)
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lecture de la quarantaine %s : %w", what, err)
	}
	return nil
}
