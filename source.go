package maillage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
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
	// Encoded, when set (by Encode), holds the record's JSON already
	// encoded and checked: a store's Put may use it instead of doing that
	// work itself (sqlite does), so a pipeline can encode in one goroutine
	// while another writes. It must describe the record as it is: call Encode
	// again after changing the record. Stores never return it.
	Encoded *EncodedRecord `json:"-"`
}

// EncodedRecord is what Put needs of a record beyond its plain fields,
// computed once by Record.Encode.
type EncodedRecord struct {
	Place    []byte // the place's JSON (Place.AppendJSON)
	Warnings []byte // the warnings' JSON (AppendFindingsJSON); nil when Warnings is nil
	RawValid bool   // Raw is nil or one valid JSON document (ValidJSON)
	// Digest is a hash of everything a store keeps of the record — Row,
	// Fingerprint, Precision, the place's JSON, Raw and the warnings' JSON
	// — the same in every process: equal digests, same stored record (to
	// one chance in 2^64). Stores may keep it to skip rewriting a record
	// that did not change at all.
	Digest uint64
}

// digest tables: CRC-32C and CRC-32 (IEEE) together make a 64-bit CRC,
// computed by the processor's own instructions (about 0.1 ns a byte).
var crc32c = crc32.MakeTable(crc32.Castagnoli)

// Encode fills r.Encoded from r. place, when not nil, is the place's JSON
// the caller already encoded with Place.AppendJSON (it is kept, not
// copied); nil encodes it. rawValid is true when the caller vouches that
// Raw is valid JSON because it built it (with AppendJSONString): Encode
// then does not check it again.
func (r *Record) Encode(place []byte, rawValid bool) {
	e := &EncodedRecord{Place: place}
	if e.Place == nil {
		e.Place = r.Place.AppendJSON(make([]byte, 0, 1024))
	}
	if r.Warnings != nil {
		e.Warnings = AppendFindingsJSON(nil, r.Warnings)
	}
	e.RawValid = r.Raw == nil || rawValid || ValidJSON(r.Raw)
	// Each part is preceded by its length (-1 for nil) so that no two
	// records hash the same bytes.
	var head [8 + 4*8]byte
	binary.LittleEndian.PutUint64(head[0:], uint64(r.Row))
	binary.LittleEndian.PutUint64(head[8:], uint64(len(r.Fingerprint)))
	binary.LittleEndian.PutUint64(head[16:], uint64(len(r.Precision)))
	binary.LittleEndian.PutUint64(head[24:], uint64(len(e.Place)))
	binary.LittleEndian.PutUint64(head[32:], nilLen(r.Raw))
	// The warnings' length goes with them, below.
	c, i := crc32.Update(0, crc32c, head[:]), crc32.ChecksumIEEE(head[:])
	for _, part := range [][]byte{[]byte(r.Fingerprint), []byte(r.Precision), e.Place, r.Raw} {
		c, i = crc32.Update(c, crc32c, part), crc32.Update(i, crc32.IEEETable, part)
	}
	binary.LittleEndian.PutUint64(head[0:], nilLen(e.Warnings))
	c, i = crc32.Update(c, crc32c, head[:8]), crc32.Update(i, crc32.IEEETable, head[:8])
	c, i = crc32.Update(c, crc32c, e.Warnings), crc32.Update(i, crc32.IEEETable, e.Warnings)
	e.Digest = uint64(c)<<32 | uint64(i)
	r.Encoded = e
}

func nilLen(b []byte) uint64 {
	if b == nil {
		return ^uint64(0)
	}
	return uint64(len(b))
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

// Settle completes an import's report for a store's Commit: the source,
// times in UTC to the microsecond (what both stores keep), the stored and
// quarantined counts the store counted itself, and Read when it was left at
// 0. A report of another source, or one where rows are lost (Read ≠ Stored
// + Quarantined), is an ErrInvalid.
func (imp Import) Settle(source string, stored, quarantined int) (Import, error) {
	what := "import de " + source
	if imp.Source != "" && imp.Source != source {
		return imp, fmt.Errorf("%s : le compte rendu est celui de la source %q : %w", what, imp.Source, ErrInvalid)
	}
	imp.Source = source
	imp.StartedAt = imp.StartedAt.UTC().Truncate(time.Microsecond)
	imp.FinishedAt = imp.FinishedAt.UTC().Truncate(time.Microsecond)
	imp.Stored, imp.Quarantined = stored, quarantined
	if imp.Read == 0 {
		imp.Read = stored + quarantined
	}
	if imp.Read != imp.Stored+imp.Quarantined {
		return imp, fmt.Errorf("%s : %d lignes lues mais %d enregistrées et %d en quarantaine : %w",
			what, imp.Read, imp.Stored, imp.Quarantined, ErrInvalid)
	}
	return imp, nil
}
