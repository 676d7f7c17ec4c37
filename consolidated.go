package maillage

import "time"

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
