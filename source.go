package maillage

import (
	"encoding/json"
	"time"
)

// Source is a producer's dataset registered in Maillage: a regional hub's
// map, a département's list, a national programme's file.
type Source struct {
	Name      string `json:"name"` // short identifier: lower case, digits, "-" (e.g. "hinaura")
	Title     string `json:"title"`
	Producer  string `json:"producer"`
	Licence   string `json:"licence"`
	Homepage  string `json:"homepage"`
	Territory string `json:"territory"` // what the source covers, in words or codes
	Format    string `json:"format"`    // csv, json, ndjson, geojson
	Mapping   string `json:"mapping"`   // mapping file; "" for files in the national schema
	// Trust orders sources when records disagree (higher wins); 0 by default.
	Trust int `json:"trust"`
	// LastImport is the latest successful import; nil when never imported.
	LastImport *Import `json:"last_import,omitempty"`
}

// Import is one successful import of a file into a source.
type Import struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"`
	File       string    `json:"file"`     // file name as given
	Checksum   string    `json:"checksum"` // "sha256:…" of the file's bytes
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// Every row read is either stored or quarantined: Read = Stored + Quarantined.
	Read        int `json:"read"`
	Stored      int `json:"stored"`
	Quarantined int `json:"quarantined"`
	// What changed compared with the previous version of the source.
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
}

// Coordinate precisions of a record.
const (
	PrecisionExact   = "exact"   // the source gave coordinates
	PrecisionCommune = "commune" // the commune's centre, the source gave none
)

// Record is one place as one source gives it ("fiche d'une source").
type Record struct {
	Source string `json:"source"`
	// ID is the source's own identifier of the place (Place.ID), unique in
	// the source.
	ID  string `json:"id"`
	Row int    `json:"row"` // row of the file it came from
	// Fingerprint is a hash of the normalised place: equal fingerprints,
	// same place data. It tells changed records from unchanged ones.
	Fingerprint string `json:"fingerprint"`
	Precision   string `json:"precision"` // PrecisionExact or PrecisionCommune
	Place       Place  `json:"place"`
	// Raw is the row as read, as a JSON object of its columns: the
	// provenance of every value.
	Raw json.RawMessage `json:"raw,omitempty"`
	// Warnings are the validator's warnings on the row.
	Warnings []Finding `json:"warnings,omitempty"`
}

// QuarantinedRow is a row that was not stored, with every reason.
type QuarantinedRow struct {
	Source   string          `json:"source"`
	ImportID int64           `json:"import_id"`
	Row      int             `json:"row"`
	RecordID string          `json:"record_id,omitempty"` // the row's id, when it had one
	Raw      json.RawMessage `json:"raw"`                 // the row as read
	Findings []Finding       `json:"findings"`            // at least one error
}
