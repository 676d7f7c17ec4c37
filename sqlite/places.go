package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"maillage"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ maillage.PlaceStore = (*Store)(nil)

// PutDecision records a decision on two records, replacing an earlier one
// on the same pair in either order (see maillage.Decision.Normalized).
func (s *Store) PutDecision(ctx context.Context, d maillage.Decision) error {
	d, err := d.Normalized(time.Now())
	if err != nil {
		return err
	}
	link := 0
	if d.Link {
		link = 1
	}
	_, err = s.write.ExecContext(ctx, `
		INSERT INTO decisions (a_source, a_id, b_source, b_id, link, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (a_source, a_id, b_source, b_id) DO UPDATE SET link = excluded.link, note = excluded.note, at = excluded.at`,
		d.A.Source, d.A.ID, d.B.Source, d.B.ID, link, d.Note, formatTime(d.At))
	if err != nil {
		return fmt.Errorf("enregistrement de la décision sur %s et %s : %w", d.A, d.B, busy(err))
	}
	s.startCheckpoint()
	return nil
}

// Decisions lists every decision, by pair (A before B in each).
func (s *Store) Decisions(ctx context.Context) ([]maillage.Decision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a_source, a_id, b_source, b_id, link, note, at FROM decisions
		ORDER BY a_source, a_id, b_source, b_id`)
	if err != nil {
		return nil, fmt.Errorf("lecture des décisions : %w", err)
	}
	defer rows.Close()
	var list []maillage.Decision
	for rows.Next() {
		var d maillage.Decision
		var at string
		if err := rows.Scan(&d.A.Source, &d.A.ID, &d.B.Source, &d.B.ID, &d.Link, &d.Note, &at); err != nil {
			return nil, fmt.Errorf("lecture des décisions : %w", err)
		}
		if d.At, err = parseTime(at); err != nil {
			return nil, err
		}
		list = append(list, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lecture des décisions : %w", err)
	}
	return list, nil
}

// placesBatch is the number of rows one INSERT of ReplaceConsolidated writes.
const placesBatch = 500

// inserter writes rows into a table by multi-row INSERTs of placesBatch
// rows inside a transaction. They are INSERT OR FAIL: a conflict fails the
// statement, and with it the transaction, as a plain INSERT would, but
// SQLite then keeps no statement journal (a copy of every page a
// multi-row INSERT touches, to undo the statement alone), which took a
// third of the time of writing places.
type inserter struct {
	tx      *sql.Tx
	head    string // "INSERT INTO t (a, b) VALUES "
	columns int
	full    *sql.Stmt // prepared once the first batch is full
	args    []any
}

func newInserter(tx *sql.Tx, table string, columns ...string) *inserter {
	return &inserter{tx: tx, head: "INSERT OR FAIL INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ", columns: len(columns)}
}

func (in *inserter) query(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", in.columns), ", ") + ")"
	return in.head + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

func (in *inserter) add(ctx context.Context, values ...any) error {
	in.args = append(in.args, values...)
	if len(in.args) < placesBatch*in.columns {
		return nil
	}
	if in.full == nil {
		stmt, err := in.tx.PrepareContext(ctx, in.query(placesBatch))
		if err != nil {
			return err
		}
		in.full = stmt
	}
	_, err := in.full.ExecContext(ctx, in.args...)
	in.args = in.args[:0]
	return err
}

func (in *inserter) flush(ctx context.Context) error {
	if in.full != nil {
		defer in.full.Close()
	}
	if len(in.args) == 0 {
		return nil
	}
	_, err := in.tx.ExecContext(ctx, in.query(len(in.args)/in.columns), in.args...)
	in.args = in.args[:0]
	return err
}

// ReplaceConsolidated replaces every consolidated place by places, in one
// transaction (see maillage.PlaceStore). It reads the ids and hashes of the
// stored places (about 80 bytes a place), then writes only the places that
// are new or whose hash changed, with their members; unchanged places are
// neither read nor written. A place id given twice, a place without id or
// a record in two places is an ErrInvalid and nothing changes.
func (s *Store) ReplaceConsolidated(ctx context.Context, places []maillage.Consolidated, at time.Time) error {
	if err := s.replaceConsolidated(ctx, places, at); err != nil {
		return fmt.Errorf("enregistrement des lieux consolidés : %w", err)
	}
	s.startCheckpoint()
	return nil
}

func (s *Store) replaceConsolidated(ctx context.Context, places []maillage.Consolidated, at time.Time) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return busy(err)
	}
	defer tx.Rollback()
	// The feed's times follow the commits' order (the write lock is held
	// from BEGIN IMMEDIATE): a merge that started before another but
	// commits after it is dated after it, so that a reader who asked for
	// the changes after the other one's time still sees this one's.
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT MAX(at) FROM place_changes").Scan(&last); err != nil {
		return err
	}
	if last.Valid {
		prev, err := parseTime(last.String)
		if err != nil {
			return err
		}
		at = maillage.AfterFeed(at, prev)
	}
	when := formatTime(at)

	old := make(map[string][32]byte)
	rows, err := tx.QueryContext(ctx, "SELECT id, hash FROM places")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var hash []byte
		if err := rows.Scan(&id, &hash); err != nil {
			rows.Close()
			return err
		}
		var h [32]byte
		copy(h[:], hash)
		old[id] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	// What changes; the JSON of a place is encoded again just before it
	// is written, so that memory does not hold every place's.
	writes, gone, err := maillage.DiffConsolidated(places, old)
	if err != nil {
		return err
	}

	// The former members of the places that go, to find where they went.
	formerMembers := make(map[string][]maillage.RecordRef, len(gone))
	members, err := tx.PrepareContext(ctx, "SELECT source, record_id FROM place_members WHERE place_id = ? ORDER BY source, record_id")
	if err != nil {
		return err
	}
	defer members.Close()
	for _, id := range gone {
		rows, err := members.QueryContext(ctx, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r maillage.RecordRef
			if err := rows.Scan(&r.Source, &r.ID); err != nil {
				rows.Close()
				return err
			}
			formerMembers[id] = append(formerMembers[id], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}

	// Remove the members of updated and gone places and the gone places,
	// then write the new versions.
	delMembers, err := tx.PrepareContext(ctx, "DELETE FROM place_members WHERE place_id = ?")
	if err != nil {
		return err
	}
	defer delMembers.Close()
	for _, w := range writes {
		if w.Kind == maillage.ChangeUpdated {
			if _, err := delMembers.ExecContext(ctx, places[w.Index].Place.ID); err != nil {
				return err
			}
		}
	}
	for _, id := range gone {
		if _, err := delMembers.ExecContext(ctx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM places WHERE id = ?", id); err != nil {
			return err
		}
	}
	upd, err := tx.PrepareContext(ctx, "UPDATE places SET hash = ?, data = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer upd.Close()
	ins := newInserter(tx, "places", "id", "hash", "data")
	mem := newInserter(tx, "place_members", "source", "record_id", "place_id")
	// Places are written by id (the order of the primary key's index),
	// each encoded again while the previous ones are written.
	order := make([]int, len(writes))
	for k, w := range writes {
		order[k] = w.Index
	}
	next, stop := maillage.EncodeConsolidatedAhead(places, order)
	defer stop()
	for _, w := range writes {
		c := &places[w.Index]
		data, hash, err := next()
		if err != nil {
			return err
		}
		if w.Kind == maillage.ChangeUpdated {
			_, err = upd.ExecContext(ctx, hash[:], data, c.Place.ID)
		} else {
			err = ins.add(ctx, c.Place.ID, hash[:], data)
		}
		if err != nil {
			return err
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	for _, w := range writes {
		c := &places[w.Index]
		for _, m := range c.Members {
			if err := mem.add(ctx, m.Source, m.ID, c.Place.ID); err != nil {
				return memberConflict(err)
			}
		}
	}
	if err := mem.flush(ctx); err != nil {
		return memberConflict(err)
	}

	// Aliases: a gone id points to the place of its smallest former member
	// that lives on; aliases of a gone id follow it. An id that is a place
	// again is no alias.
	where, err := tx.PrepareContext(ctx, "SELECT place_id FROM place_members WHERE source = ? AND record_id = ?")
	if err != nil {
		return err
	}
	defer where.Close()
	for _, id := range gone {
		target := ""
		for _, m := range formerMembers[id] {
			err := where.QueryRowContext(ctx, m.Source, m.ID).Scan(&target)
			if err == nil {
				break
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if target == "" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM place_aliases WHERE place_id = ?", id); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE place_aliases SET place_id = ? WHERE place_id = ?", target, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO place_aliases (alias, place_id, at) VALUES (?, ?, ?)
			ON CONFLICT (alias) DO UPDATE SET place_id = excluded.place_id, at = excluded.at`, id, target, when); err != nil {
			return err
		}
	}
	// Created places that were aliases: the aliases are few, the created
	// places may be all of them.
	aliases := make(map[string]bool)
	rows, err = tx.QueryContext(ctx, "SELECT alias FROM place_aliases")
	if err != nil {
		return err
	}
	for rows.Next() {
		var alias string
		if err := rows.Scan(&alias); err != nil {
			rows.Close()
			return err
		}
		aliases[alias] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, w := range writes {
		if id := places[w.Index].Place.ID; w.Kind == maillage.ChangeCreated && aliases[id] {
			if _, err := tx.ExecContext(ctx, "DELETE FROM place_aliases WHERE alias = ?", id); err != nil {
				return err
			}
		}
	}

	// The change feed: deletions first, then creations and updates by id.
	feed := newInserter(tx, "place_changes", "place_id", "kind", "at")
	for _, id := range gone {
		if err := feed.add(ctx, id, maillage.ChangeDeleted, when); err != nil {
			return err
		}
	}
	for _, w := range writes { // by id
		if err := feed.add(ctx, places[w.Index].Place.ID, w.Kind, when); err != nil {
			return err
		}
	}
	if err := feed.flush(ctx); err != nil {
		return err
	}
	return busy(tx.Commit())
}

// memberConflict reports a record given in two places as an ErrInvalid.
func memberConflict(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
		return fmt.Errorf("une fiche appartient à deux lieux : %w", maillage.ErrInvalid)
	}
	return err
}

// ConsolidatedPlaces calls fn for each consolidated place, by id, from one
// snapshot. fn's *Consolidated is fresh for each call and may be kept.
func (s *Store) ConsolidatedPlaces(ctx context.Context, fn func(*maillage.Consolidated) error) error {
	rows, err := s.read.QueryContext(ctx, "SELECT data FROM places ORDER BY id")
	if err != nil {
		return fmt.Errorf("lecture des lieux consolidés : %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data sql.RawBytes
		if err := rows.Scan(&data); err != nil {
			return fmt.Errorf("lecture des lieux consolidés : %w", err)
		}
		c := new(maillage.Consolidated)
		if err := decodeConsolidated(data, c); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lecture des lieux consolidés : %w", err)
	}
	return nil
}

func decodeConsolidated(data []byte, c *maillage.Consolidated) error {
	if err := maillage.DecodeConsolidatedJSON(data, c); err != nil {
		return fmt.Errorf("lieu consolidé enregistré illisible : %w", err)
	}
	return nil
}

// ConsolidatedPlace returns a place by its id or by one of its former ids.
func (s *Store) ConsolidatedPlace(ctx context.Context, id string) (maillage.Consolidated, error) {
	var c maillage.Consolidated
	var data []byte
	err := s.read.QueryRowContext(ctx, `SELECT data FROM places WHERE id = ?
		UNION ALL SELECT p.data FROM place_aliases a JOIN places p ON p.id = a.place_id WHERE a.alias = ?
		LIMIT 1`, id, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("lieu consolidé %s : %w", id, maillage.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("lecture du lieu consolidé %s : %w", id, err)
	}
	return c, decodeConsolidated(data, &c)
}

// Changes calls fn for each change recorded after since, oldest first.
func (s *Store) Changes(ctx context.Context, since time.Time, fn func(maillage.Change) error) error {
	rows, err := s.read.QueryContext(ctx, "SELECT place_id, kind, at FROM place_changes WHERE at > ? ORDER BY seq",
		formatTime(since.Truncate(time.Microsecond)))
	if err != nil {
		return fmt.Errorf("lecture des changements : %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c maillage.Change
		var at string
		if err := rows.Scan(&c.ID, &c.Kind, &at); err != nil {
			return fmt.Errorf("lecture des changements : %w", err)
		}
		if c.At, err = parseTime(at); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lecture des changements : %w", err)
	}
	return nil
}
