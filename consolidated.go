package maillage

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// RecordRef names a record: its source and its id in the source.
type RecordRef struct {
	Source string `json:"source"`
	ID     string `json:"id"`
}

// Less orders refs by source, then id.
func (r RecordRef) Less(o RecordRef) bool {
	if r.Source != o.Source {
		return r.Source < o.Source
	}
	return r.ID < o.ID
}

func (r RecordRef) String() string { return r.Source + "/" + r.ID }

// Provenance says which record a consolidated value comes from.
type Provenance struct {
	Source    string    `json:"source"`
	RecordID  string    `json:"record_id"`
	UpdatedOn time.Time `json:"date_maj,omitzero"` // the record's date_maj
}

// Consolidated is a consolidated place ("lieu consolidé"): one physical
// place built from the records of every source that describe it (package
// merge builds it).
type Consolidated struct {
	// Place is the place as published; Place.ID is the consolidated id.
	Place Place `json:"place"`
	// Precision is PrecisionExact when the coordinates come from a
	// source, PrecisionCommune when they are a commune's centre.
	Precision string `json:"precision"`
	// Members are the records the place was built from, by (source, id).
	Members []RecordRef `json:"members"`
	// Fields gives, for every field of Place that has a value (by its
	// schema name), the record it comes from: for a list field, the first
	// record that gave any of its values (Items gives each value's own).
	Fields map[string]Provenance `json:"provenance"`
	// Items gives, for each list field, the record each value comes from,
	// in the order of the values.
	Items map[string][]Provenance `json:"provenance_items,omitempty"`
}

// Decision is a person's decision on two records: Link puts them in the
// same place, !Link keeps them apart. Decisions always win over the
// matching model and survive re-imports.
type Decision struct {
	A, B RecordRef
	Link bool
	// Note says why, in the words of who decided (optional).
	Note string `json:",omitempty"`
	// At is when the decision was taken (set by the store when zero).
	At time.Time `json:",omitzero"`
}

// Change kinds of the change feed.
const (
	ChangeCreated = "created"
	ChangeUpdated = "updated"
	ChangeDeleted = "deleted"
)

// Change is one entry of the change feed of consolidated places: what
// another cartography needs to stay in sync.
type Change struct {
	ID   string    `json:"id"`   // consolidated id
	Kind string    `json:"type"` // ChangeCreated, ChangeUpdated, ChangeDeleted
	At   time.Time `json:"date"` // when Maillage saw the change
}

// Normalized returns the decision as stores key it: A before B (RecordRef
// order), At in UTC to the microsecond (set to now when zero). A ref
// without source or id, or a decision on one record with itself, is an
// ErrInvalid.
func (d Decision) Normalized(now time.Time) (Decision, error) {
	for _, r := range []RecordRef{d.A, d.B} {
		if r.Source == "" || r.ID == "" {
			return d, fmt.Errorf("décision sur « %s » : il faut une source et un identifiant de fiche : %w", r, ErrInvalid)
		}
	}
	if d.A == d.B {
		return d, fmt.Errorf("décision sur « %s » et elle-même : %w", d.A, ErrInvalid)
	}
	if d.B.Less(d.A) {
		d.A, d.B = d.B, d.A
	}
	if d.At.IsZero() {
		d.At = now
	}
	d.At = d.At.UTC().Truncate(time.Microsecond)
	return d, nil
}

// EncodeConsolidated returns what stores keep of a consolidated place: its
// JSON and the SHA-256 of that JSON, which changes exactly when the place,
// its members or its provenance change (the JSON of a Consolidated is
// deterministic: maps are written with sorted keys). A place without id is
// an ErrInvalid.
func EncodeConsolidated(c *Consolidated) (data []byte, hash [32]byte, err error) {
	if c.Place.ID == "" {
		return nil, hash, fmt.Errorf("lieu consolidé sans identifiant : %w", ErrInvalid)
	}
	// The same document as json.Marshal(c), written without reflection
	// (appendConsolidatedRest; a test checks it is byte for byte the
	// same): encoding/json took most of the time of storing places.
	data = make([]byte, 0, 4096)
	data = append(data, `{"place":`...)
	data = c.Place.AppendJSON(data)
	data = append(data, ',')
	var ok bool
	if data, ok = appendConsolidatedRest(data, c); !ok {
		rest, err := json.Marshal(struct {
			Precision string                  `json:"precision"`
			Members   []RecordRef             `json:"members"`
			Fields    map[string]Provenance   `json:"provenance"`
			Items     map[string][]Provenance `json:"provenance_items,omitempty"`
		}{c.Precision, c.Members, c.Fields, c.Items})
		if err != nil {
			return nil, hash, fmt.Errorf("lieu consolidé %s : %w", c.Place.ID, err)
		}
		data = append(data[:0], `{"place":`...)
		data = c.Place.AppendJSON(data)
		data = append(data, ',')
		data = append(data, rest[1:]...)
	}
	return data, sha256.Sum256(data), nil
}

// HashConsolidated returns the hash EncodeConsolidated gives each place,
// computed on every processor, without keeping the JSON (a store can then
// encode again only the places it writes, so that its memory does not grow
// with the JSON of every place).
func HashConsolidated(places []Consolidated) ([][32]byte, error) {
	return HashSomeConsolidated(places, nil)
}

// HashSomeConsolidated is HashConsolidated for the places for which need
// is true (every place when need is nil); the hash of the others is left
// zero. A store needs the hash only of the places it already holds: the
// others are new, written whatever their hash.
func HashSomeConsolidated(places []Consolidated, need func(i int) bool) ([][32]byte, error) {
	hashes := make([][32]byte, len(places))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(places)/256))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(places); i += workers {
				if need != nil && !need(i) {
					continue
				}
				_, h, err := EncodeConsolidated(&places[i])
				if err != nil {
					errs[w] = err
					return
				}
				hashes[i] = h
			}
		}()
	}
	wg.Wait()
	return hashes, errors.Join(errs...)
}

// EncodeConsolidatedAhead encodes places[order[0]], places[order[1]]… with
// EncodeConsolidated in a goroutine of its own, a few places ahead of
// the caller: a store writes each place while the next ones are encoded,
// on another processor, and memory holds only the JSON of the places
// between the two. next returns the JSON and hash of the next place of
// order (an error after an encoding error or past the end); stop ends the
// goroutine and must be called once the caller is done, even on error.
func EncodeConsolidatedAhead(places []Consolidated, order []int) (next func() ([]byte, [32]byte, error), stop func()) {
	type encoded struct {
		data []byte
		hash [32]byte
		err  error
	}
	ch := make(chan encoded, 64)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		for _, i := range order {
			var e encoded
			e.data, e.hash, e.err = EncodeConsolidated(&places[i])
			select {
			case ch <- e:
			case <-done:
				return
			}
			if e.err != nil {
				return
			}
		}
	}()
	next = func() ([]byte, [32]byte, error) {
		e, ok := <-ch
		if !ok {
			return nil, e.hash, errors.New("lieux consolidés : plus de lieu à encoder")
		}
		return e.data, e.hash, e.err
	}
	var once sync.Once
	stop = func() { once.Do(func() { close(done) }) }
	return next, stop
}

// AfterFeed returns the time a PlaceStore records a replacement's changes
// at: at itself, unless the feed's latest change (last) is not before it —
// a merge that started earlier but commits later — then last plus a
// microsecond (the stores' precision). The feed's times thus grow with
// the commits, and a reader asking for the changes after the latest time
// it saw misses none.
func AfterFeed(at, last time.Time) time.Time {
	at = at.UTC().Truncate(time.Microsecond)
	if !at.After(last) {
		return last.UTC().Truncate(time.Microsecond).Add(time.Microsecond)
	}
	return at
}

// PlaceWrite is a place a replacement writes: its index in the new places
// and its change, ChangeCreated or ChangeUpdated.
type PlaceWrite struct {
	Index int
	Kind  string
}

// DiffConsolidated is the part of ReplaceConsolidated both stores share:
// it compares the new places with the hashes of the stored ones (by id)
// and returns the places to write — new ones, and stored ones whose hash
// changed — sorted by id, and the stored ids that are gone, sorted. Only
// the places already stored are hashed (on every processor): the others
// are written whatever their hash. A place id given twice is an
// ErrInvalid.
func DiffConsolidated(places []Consolidated, stored map[string][32]byte) (writes []PlaceWrite, gone []string, err error) {
	hashes, err := HashSomeConsolidated(places, func(i int) bool {
		_, exists := stored[places[i].Place.ID]
		return exists
	})
	if err != nil {
		return nil, nil, err
	}
	seen := make(map[string]bool, len(places))
	for i := range places {
		id := places[i].Place.ID
		if seen[id] {
			return nil, nil, fmt.Errorf("le lieu %s est donné deux fois : %w", id, ErrInvalid)
		}
		seen[id] = true
		prev, exists := stored[id]
		switch {
		case !exists:
			writes = append(writes, PlaceWrite{i, ChangeCreated})
		case prev != hashes[i]:
			writes = append(writes, PlaceWrite{i, ChangeUpdated})
		}
	}
	for id := range stored {
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	slices.SortFunc(writes, func(a, b PlaceWrite) int { return strings.Compare(places[a.Index].Place.ID, places[b.Index].Place.ID) })
	return writes, gone, nil
}
