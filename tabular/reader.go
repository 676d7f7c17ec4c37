// Package tabular reads the tabular files that open-data producers publish
// (CSV in its many dialects, JSON arrays of objects, NDJSON, GeoJSON feature
// collections) as one stream of rows of named string values.
//
// It knows nothing of the national schema of the "lieux de médiation
// numérique": the schema codecs and the import of local sources build on it.
// Everything is streamed, so memory does not grow with the size of the file:
// only the current record (and, for JSON, the set of field names seen) is
// held.
//
// # Encoding
//
// Unless Options.Encoding forces one, a UTF-8 or UTF-16 BOM decides; else the
// first 64 KiB are checked: valid UTF-8 (a character cut by the 64 KiB limit
// is forgiven) means UTF-8, anything else Windows-1252, converted to UTF-8
// for the whole stream. A file detected as UTF-8 still goes through a lenient
// filter that takes any later invalid byte as Windows-1252, so a file whose
// first accented letter comes after 64 KiB is decoded right; forcing "utf-8"
// skips that check (about a third faster on CSV). "latin1" is read as
// Windows-1252, as web browsers do: files labelled Latin-1 hold ’, œ and €.
// Values are never repaired: a file that already holds U+FFFD keeps it.
//
// # CSV
//
// The delimiter, unless forced, is the most frequent of ',', ';', '\t' and
// '|' outside quoted fields on the header line, ties going to that order
// (',' if none appears). Header names are trimmed of spaces; an empty name
// becomes "colonne_N" (N its 1-based position); a repeated name gets a
// suffix: the second "Mardi" becomes "Mardi_2", the third "Mardi_3" (a suffix
// used by no other column). Quotes are read leniently (see Options and
// openCSV). Blank lines are skipped. A record with too few fields is padded
// with "" and one with too many is cut, both reported by a non-fatal
// *RowError; extra fields that are all empty (a delimiter at the end of the
// line) are dropped silently.
//
// # JSON, NDJSON and GeoJSON
//
// Each record object becomes fields by these rules:
//   - a string is taken as is;
//   - a number keeps its literal text ("43.52609" stays exactly that, it
//     never goes through float64);
//   - true and false become "true" and "false";
//   - null becomes "" (the field is present but empty);
//   - an array of scalars becomes its elements joined with "|"
//     (["a", "b", 1] gives "a|b|1", [] gives "");
//   - an array holding an object or an array becomes its compact JSON text;
//   - a nested object is flattened with dotted names ({"adresse":
//     {"commune": "X"}} gives "adresse.commune"); an empty object gives one
//     empty field named after it.
//
// A GeoJSON feature (a record with "type": "Feature", or any record with
// "properties" in a GeoJSON file) gives its flattened properties as fields,
// its geometry as Row.Geometry, and its "id" as a field "id" when the
// properties have none. Any other record with a "geometry" object also gets
// it as Row.Geometry (besides the flattened fields). Row.Raw always holds the
// record as read, for mappings that need nested values.
//
// A JSON syntax error is fatal for the rest of the file (the decoder cannot
// resynchronise); in NDJSON it only spoils its own line.
//
// # Reading loop
//
//	r, err := tabular.NewReader(f, "lieux.csv", tabular.Options{})
//	if err != nil { ... }
//	for {
//		row, err := r.Next()
//		if err == io.EOF {
//			break
//		}
//		var rowErr *tabular.RowError
//		if errors.As(err, &rowErr) && !rowErr.Fatal {
//			report(rowErr) // this record is malformed; go on with the next
//			continue
//		}
//		if err != nil {
//			return err
//		}
//		use(row)
//	}
package tabular

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// Options tune a Reader. The zero value detects everything.
type Options struct {
	// Format of the file; Auto (zero) detects it with DetectFormat.
	Format Format
	// Delimiter of a CSV file; 0 detects it among ',', ';', '\t' and '|' on
	// the header line (see detectDelimiter for the rules).
	Delimiter rune
	// Encoding of the bytes: "" detects (see decodeInput); "utf-8",
	// "windows-1252", "latin1" (read as Windows-1252), "utf-16le" and
	// "utf-16be" force one.
	Encoding string
	// HeaderLine is the 1-based physical line of the CSV header (default 1).
	// The lines before it (a title, a group header) are skipped; they must
	// not hold quoted line breaks.
	HeaderLine int
	// SkipAfterHeader is the number of CSV records to skip after the header
	// (a second header line, a line of units…).
	SkipAfterHeader int
	// RecordsPath is, for JSON whose top level is an object, the dotted path
	// of the member holding the array of records, e.g. "data" or
	// "result.items". "" detects: a top-level array, or else the first member
	// of the top-level object whose value is a non-empty array of objects;
	// should the rest of that object hold a second one, Next ends with a
	// fatal error asking for RecordsPath. GeoJSON defaults to "features".
	RecordsPath string
	// ReuseRow makes Next return the same *Row each time for CSV, with its
	// Values slice overwritten: one allocation less per row, but a Row is
	// then only valid until the next call to Next. The strings themselves
	// are never overwritten and can be kept.
	ReuseRow bool
}

// Row is one record of the file.
type Row struct {
	// Number is the 1-based number of the record among data records
	// (header and skipped lines excluded; malformed records counted).
	Number int
	// Line is, for CSV and NDJSON, the 1-based physical line where the
	// record starts; 0 for JSON arrays and GeoJSON.
	Line int
	// Names holds the field names, in the same order as Values. For CSV it
	// is the header and is shared by all rows: do not modify it. For JSON
	// formats it holds the flattened names of this record only.
	Names []string
	// Values holds the field values.
	Values []string
	// Geometry is the raw "geometry" member of a GeoJSON feature, or of a
	// JSON record that has one; nil otherwise.
	Geometry json.RawMessage
	// Raw is the record object as read, for JSON formats (a GeoJSON feature
	// as a whole); nil for CSV.
	Raw json.RawMessage

	index map[string]int // name -> position, shared by CSV rows; may be nil
}

// Get returns the value of the field name and whether the record has it.
// When several fields have the same name (possible in JSON), the first wins.
func (r *Row) Get(name string) (string, bool) {
	if r.index != nil {
		if i, ok := r.index[name]; ok && i < len(r.Values) {
			return r.Values[i], true
		}
		return "", false
	}
	for i, n := range r.Names {
		if n == name && i < len(r.Values) {
			return r.Values[i], true
		}
	}
	return "", false
}

// Point returns the coordinates of a GeoJSON Point geometry. ok is false when
// the row has no geometry, when it is not a Point or when its coordinates are
// not two finite numbers.
func (r *Row) Point() (lon, lat float64, ok bool) {
	if len(r.Geometry) == 0 {
		return 0, 0, false
	}
	var g struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	}
	if err := json.Unmarshal(r.Geometry, &g); err != nil {
		return 0, 0, false
	}
	if g.Type != "Point" || len(g.Coordinates) < 2 {
		return 0, 0, false
	}
	lon, lat = g.Coordinates[0], g.Coordinates[1]
	if math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0) {
		return 0, 0, false
	}
	return lon, lat, true
}

// RowError reports a malformed record. Unless Fatal is set, reading can go on
// with the next record. A fatal error (a JSON syntax error, a read error)
// ends the file: every later call to Next returns it again.
type RowError struct {
	Number int    // 1-based record number, 0 if unknown
	Line   int    // 1-based line, 0 if unknown
	Offset int64  // byte offset in the decoded stream, for JSON errors; -1 if unknown
	Msg    string // what is wrong, in French
	Fatal  bool
	Err    error // underlying error, if any
}

func (e *RowError) Error() string {
	where := ""
	switch {
	case e.Line > 0:
		where = fmt.Sprintf("ligne %d", e.Line)
		if e.Number > 0 {
			where += fmt.Sprintf(" (enregistrement %d)", e.Number)
		}
	case e.Number > 0:
		where = fmt.Sprintf("enregistrement %d", e.Number)
		if e.Offset >= 0 {
			where += fmt.Sprintf(" (octet %d)", e.Offset)
		}
	case e.Offset >= 0:
		where = fmt.Sprintf("octet %d", e.Offset)
	}
	msg := e.Msg
	if e.Err != nil {
		msg += " : " + e.Err.Error()
	}
	if where == "" {
		return msg
	}
	return where + " : " + msg
}

func (e *RowError) Unwrap() error { return e.Err }

// Reader reads the rows of one tabular file.
type Reader struct {
	format Format
	delim  rune
	enc    string
	name   string

	number int   // records read so far
	err    error // sticky fatal error

	header []string
	csv    *csvState
	json   *jsonState
}

// NewReader prepares to read the file r, named name (the name is only used to
// detect the format and in error messages). For CSV it reads the header
// line(s) at once; for JSON it walks to the array of records.
func NewReader(r io.Reader, name string, opt Options) (*Reader, error) {
	if opt.HeaderLine < 0 || opt.SkipAfterHeader < 0 {
		return nil, fmt.Errorf("%s : HeaderLine et SkipAfterHeader ne peuvent pas être négatifs", name)
	}
	raw := bufio.NewReaderSize(r, sniffSize)
	decoded, enc, err := decodeInput(raw, opt.Encoding)
	if err != nil {
		return nil, fmt.Errorf("%s : %w", name, err)
	}
	br, ok := decoded.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(decoded, sniffSize)
	}
	rd := &Reader{format: opt.Format, enc: enc, name: name}
	if rd.format == Auto {
		head, err := br.Peek(sniffSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, fmt.Errorf("%s : lecture du début du fichier : %w", name, err)
		}
		rd.format, err = DetectFormat(name, head)
		if err != nil {
			return nil, fmt.Errorf("%s : %w", name, err)
		}
	}
	switch rd.format {
	case CSV:
		err = rd.openCSV(br, opt)
	case JSON, GeoJSON, NDJSON:
		err = rd.openJSON(br, opt)
	default:
		err = fmt.Errorf("format %d inconnu", int(rd.format))
	}
	if err != nil {
		return nil, fmt.Errorf("%s : %w", name, err)
	}
	return rd, nil
}

// Header returns the column names. For CSV it is the header line, cleaned
// (see cleanHeader), in file order. For JSON formats it is the union of the
// flattened field names of the records read so far, in first-seen order: it
// grows as Next is called and is complete only at the end of the file. The
// slice must not be modified.
func (r *Reader) Header() []string { return r.header }

// Format returns the format of the file, detected or forced.
func (r *Reader) Format() Format { return r.format }

// Delimiter returns the CSV delimiter, detected or forced; 0 for JSON formats.
func (r *Reader) Delimiter() rune { return r.delim }

// Encoding returns the encoding the bytes are decoded from ("utf-8",
// "windows-1252", "utf-16le" or "utf-16be").
func (r *Reader) Encoding() string { return r.enc }

// Next returns the next record. At the end of the file it returns io.EOF. A
// malformed record gives a *RowError: see RowError for whether reading can go
// on. For a CSV record with the wrong number of fields, Next returns both the
// record (missing values set to "", extra values dropped) and a non-fatal
// *RowError, so that a lenient caller may still use it.
func (r *Reader) Next() (*Row, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.csv != nil {
		return r.nextCSV()
	}
	return r.nextJSON()
}
