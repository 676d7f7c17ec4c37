package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"maillage"
)

var _ maillage.PlaceStore = (*Store)(nil)

// uniqueViolation is PostgreSQL's code for a duplicate key.
const uniqueViolation = "23505"

// PutDecision records a decision on two records, replacing an earlier one
// on the same pair in either order (see maillage.Decision.Normalized).
func (s *Store) PutDecision(ctx context.Context, d maillage.Decision) error {
	d, err := d.Normalized(time.Now())
	if err != nil {
		return err
	}
	err = s.withConn(ctx, func(conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, `
			INSERT INTO decisions (a_source, a_id, b_source, b_id, link, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (a_source, a_id, b_source, b_id) DO UPDATE SET link = excluded.link, note = excluded.note, at = excluded.at`,
			d.A.Source, d.A.ID, d.B.Source, d.B.ID, d.Link, d.Note, d.At)
		return err
	})
	if err != nil {
		return fmt.Errorf("enregistrement de la décision sur %s et %s : %w", d.A, d.B, err)
	}
	return nil
}

// Decisions lists every decision, by pair (A before B in each).
func (s *Store) Decisions(ctx context.Context) ([]maillage.Decision, error) {
	var list []maillage.Decision
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, `SELECT a_source, a_id, b_source, b_id, link, note, at FROM decisions
			ORDER BY a_source, a_id, b_source, b_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d maillage.Decision
			if err := rows.Scan(&d.A.Source, &d.A.ID, &d.B.Source, &d.B.ID, &d.Link, &d.Note, &d.At); err != nil {
				return err
			}
			d.At = d.At.UTC()
			list = append(list, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des décisions : %w", err)
	}
	return list, nil
}

// ReplaceConsolidated replaces every consolidated place by places, in one
// transaction (see maillage.PlaceStore). It locks the places against other
// writers (readers go on), reads the ids and hashes of the stored places,
// then writes, with COPY, only the places that are new or whose hash
// changed, with their members; unchanged places are neither read nor
// written. A place id given twice, a place without id or a record in two
// places is an ErrInvalid and nothing changes.
func (s *Store) ReplaceConsolidated(ctx context.Context, places []maillage.Consolidated, at time.Time) error {
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer rollback(tx)
		if err := replaceConsolidated(ctx, tx, places, at.UTC().Truncate(time.Microsecond)); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		err = fmt.Errorf("une fiche appartient à deux lieux : %w", maillage.ErrInvalid)
	}
	if err != nil {
		return fmt.Errorf("enregistrement des lieux consolidés : %w", err)
	}
	return nil
}

func replaceConsolidated(ctx context.Context, tx pgx.Tx, places []maillage.Consolidated, at time.Time) error {
	if _, err := tx.Exec(ctx, "LOCK TABLE places IN EXCLUSIVE MODE"); err != nil {
		return err
	}
	// The feed's times follow the commits' order (the lock above is held
	// until commit): see maillage.AfterFeed.
	var last *time.Time
	if err := tx.QueryRow(ctx, "SELECT MAX(at) FROM place_changes").Scan(&last); err != nil {
		return err
	}
	if last != nil {
		at = maillage.AfterFeed(at, *last)
	}
	old := make(map[string][32]byte)
	rows, err := tx.Query(ctx, "SELECT id, hash FROM places")
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

	// What changes; the JSON of a place is encoded again when it is
	// written, so that memory does not hold every place's.
	writes, gone, err := maillage.DiffConsolidated(places, old)
	if err != nil {
		return err
	}
	var updated []string
	for _, w := range writes {
		if w.Kind == maillage.ChangeUpdated {
			updated = append(updated, places[w.Index].Place.ID)
		}
	}

	// The former members of the places that go, to find where they went.
	var formerPlace, formerSource, formerID []string
	if len(gone) > 0 {
		rows, err := tx.Query(ctx, "SELECT place_id, source, record_id FROM place_members WHERE place_id = ANY($1)", gone)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p, s, id string
			if err := rows.Scan(&p, &s, &id); err != nil {
				rows.Close()
				return err
			}
			formerPlace, formerSource, formerID = append(formerPlace, p), append(formerSource, s), append(formerID, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}

	// Remove the updated and gone places with their members, then copy the
	// new versions in.
	drop := append(append([]string(nil), updated...), gone...)
	if len(drop) > 0 {
		if _, err := tx.Exec(ctx, "DELETE FROM place_members WHERE place_id = ANY($1)", drop); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM places WHERE id = ANY($1)", drop); err != nil {
			return err
		}
	}
	// Places are copied by id, each encoded again while the previous ones
	// are sent.
	if len(writes) > 0 {
		order := make([]int, len(writes))
		for k, w := range writes {
			order[k] = w.Index
		}
		next, stop := maillage.EncodeConsolidatedAhead(places, order)
		defer stop()
		n := 0
		var encodeErr error // returned as it is: COPY reports it as a server error
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"places"}, []string{"id", "hash", "data"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if n == len(writes) {
					return nil, nil
				}
				c := &places[writes[n].Index]
				n++
				data, hash, err := next()
				if err != nil {
					encodeErr = err
					return nil, err
				}
				return []any{c.Place.ID, hash[:], string(data)}, nil
			})); err != nil {
			if encodeErr != nil {
				return encodeErr
			}
			return err
		}
		n, m := 0, 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"place_members"}, []string{"source", "record_id", "place_id"},
			pgx.CopyFromFunc(func() ([]any, error) {
				for n < len(writes) && m == len(places[writes[n].Index].Members) {
					n, m = n+1, 0
				}
				if n == len(writes) {
					return nil, nil
				}
				c := &places[writes[n].Index]
				r := c.Members[m]
				m++
				return []any{r.Source, r.ID, c.Place.ID}, nil
			})); err != nil {
			return err
		}
	}

	// Aliases: a gone id points to the place of its smallest former member
	// that lives on; aliases of a gone id follow it. An id that is a place
	// again is no alias.
	target := make(map[string]string, len(gone))
	if len(formerPlace) > 0 {
		rows, err := tx.Query(ctx, `SELECT DISTINCT ON (g.gone) g.gone, m.place_id
			FROM unnest($1::text[], $2::text[], $3::text[]) AS g (gone, source, record_id)
			JOIN place_members m ON m.source = g.source AND m.record_id = g.record_id
			ORDER BY g.gone, g.source COLLATE "C", g.record_id COLLATE "C"`, formerPlace, formerSource, formerID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var g, p string
			if err := rows.Scan(&g, &p); err != nil {
				rows.Close()
				return err
			}
			target[g] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	batch := &pgx.Batch{}
	var orphans []string
	for _, id := range gone {
		t, ok := target[id]
		if !ok {
			orphans = append(orphans, id)
			continue
		}
		batch.Queue("UPDATE place_aliases SET place_id = $1 WHERE place_id = $2", t, id)
		batch.Queue(`INSERT INTO place_aliases (alias, place_id, at) VALUES ($1, $2, $3)
			ON CONFLICT (alias) DO UPDATE SET place_id = excluded.place_id, at = excluded.at`, id, t, at)
	}
	if len(orphans) > 0 {
		batch.Queue("DELETE FROM place_aliases WHERE place_id = ANY($1)", orphans)
	}
	var created []string
	for _, w := range writes {
		if w.Kind == maillage.ChangeCreated {
			created = append(created, places[w.Index].Place.ID)
		}
	}
	if len(created) > 0 {
		batch.Queue("DELETE FROM place_aliases WHERE alias = ANY($1)", created)
	}
	if batch.Len() > 0 {
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
	}

	// The change feed: deletions first, then creations and updates by id.
	feed := make([][]any, 0, len(gone)+len(writes))
	for _, id := range gone {
		feed = append(feed, []any{id, maillage.ChangeDeleted, at})
	}
	for _, w := range writes { // by id
		feed = append(feed, []any{places[w.Index].Place.ID, w.Kind, at})
	}
	if len(feed) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"place_changes"}, []string{"place_id", "kind", "at"}, pgx.CopyFromRows(feed)); err != nil {
			return err
		}
	}
	return nil
}

// ConsolidatedPlaces calls fn for each consolidated place, by id, rows
// read from the server as fn consumes them. fn's *Consolidated is fresh
// for each call and may be kept.
func (s *Store) ConsolidatedPlaces(ctx context.Context, fn func(*maillage.Consolidated) error) error {
	var fnErr error
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, "SELECT data FROM places ORDER BY id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				return err
			}
			c := new(maillage.Consolidated)
			if err := maillage.DecodeConsolidatedJSON(data, c); err != nil {
				return fmt.Errorf("lieu consolidé enregistré illisible : %w", err)
			}
			if fnErr = fn(c); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("lecture des lieux consolidés : %w", err)
	}
	return nil
}

// ConsolidatedPlace returns a place by its id or by one of its former ids.
func (s *Store) ConsolidatedPlace(ctx context.Context, id string) (maillage.Consolidated, error) {
	var c maillage.Consolidated
	var data []byte
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, `SELECT data FROM places WHERE id = $1
			UNION ALL SELECT p.data FROM place_aliases a JOIN places p ON p.id = a.place_id WHERE a.alias = $1
			LIMIT 1`, id).Scan(&data)
	})
	if isNoRows(err) {
		return c, fmt.Errorf("lieu consolidé %s : %w", id, maillage.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("lecture du lieu consolidé %s : %w", id, err)
	}
	if err := maillage.DecodeConsolidatedJSON(data, &c); err != nil {
		return c, fmt.Errorf("lieu consolidé %s enregistré illisible : %w", id, err)
	}
	return c, nil
}

// Changes calls fn for each change recorded after since, oldest first.
func (s *Store) Changes(ctx context.Context, since time.Time, fn func(maillage.Change) error) error {
	var fnErr error
	err := s.withConn(ctx, func(conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, "SELECT place_id, kind, at FROM place_changes WHERE at > $1 ORDER BY seq",
			since.UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c maillage.Change
			if err := rows.Scan(&c.ID, &c.Kind, &c.At); err != nil {
				return err
			}
			c.At = c.At.UTC()
			if fnErr = fn(c); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("lecture des changements : %w", err)
	}
	return nil
}
