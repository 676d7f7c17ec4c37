package schema

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"maillage"
	"maillage/tabular"
	"maillage/territory"
)

// CodeUnreadableRow is the code of a row the file reader could not split
// into fields (a CSV line with the wrong number of fields…).
const CodeUnreadableRow = "ligne_illisible"

// Record is one row of a file, decoded and validated.
type Record struct {
	Row      int
	Place    maillage.Place
	Findings []Finding // valid until the next call to Reader.Next
}

// Valid reports whether the row has no error.
func (r *Record) Valid() bool { return !HasError(r.Findings) }

// Reader reads a file in the national schema (v1.0.2 or v0.1; CSV, JSON,
// NDJSON or GeoJSON) row by row, in constant memory but for 8 bytes per id
// (to find duplicate ids).
type Reader struct {
	tab    *tabular.Reader
	dec    *Decoder
	rec    Record
	legacy bool
	names  []string
	values []string
}

// NewReader starts reading a file. name is used to detect the format from
// its extension.
func NewReader(r io.Reader, name string, t *territory.Data, opt tabular.Options) (*Reader, error) {
	opt.ReuseRow = true
	tab, err := tabular.NewReader(r, name, opt)
	if err != nil {
		return nil, err
	}
	dec := NewDecoder(t)
	dec.CheckHours = CheckHours
	rd := &Reader{tab: tab, dec: dec}
	for _, h := range tab.Header() {
		if IsLegacyColumn(h) {
			rd.legacy = true
		}
	}
	return rd, nil
}

// Decoder gives access to the decoder, to set Now or CheckHours.
func (r *Reader) Decoder() *Decoder { return r.dec }

// Format is the format of the file being read.
func (r *Reader) Format() tabular.Format { return r.tab.Format() }

// Legacy reports whether the file uses columns of the legacy schema v0.1
// (as far as it has been read).
func (r *Reader) Legacy() bool { return r.legacy }

// Next reads the next row. It returns io.EOF at the end. A row that cannot
// be split into fields comes back as a Record with one error finding; an
// error that ends the file (a JSON syntax error) is returned as error.
func (r *Reader) Next() (*Record, error) {
	row, err := r.tab.Next()
	if err != nil {
		var re *tabular.RowError
		if errors.As(err, &re) && !re.Fatal {
			r.rec = Record{Row: re.Number}
			r.rec.Findings = append(r.rec.Findings[:0], Finding{
				Row: re.Number, Field: "", Code: CodeUnreadableRow, Severity: Error,
				Message: "ligne illisible : " + re.Error(),
			})
			return &r.rec, nil
		}
		return nil, err
	}
	names, values := row.Names, row.Values
	if row.Geometry != nil {
		names, values = r.withPoint(row)
	}
	if !r.legacy && row.Raw != nil {
		for _, n := range names {
			if IsLegacyColumn(n) {
				r.legacy = true
				break
			}
		}
	}
	findings := r.rec.Findings[:0]
	r.rec = Record{Row: row.Number}
	r.rec.Place, r.rec.Findings = r.dec.Decode(row.Number, names, values, findings)
	return &r.rec, nil
}

// withPoint adds the coordinates of a GeoJSON Point to a row that has no
// latitude/longitude of its own, reusing the Reader's buffers.
func (r *Reader) withPoint(row *tabular.Row) ([]string, []string) {
	names, values := WithPoint(row, r.names[:0], r.values[:0])
	if len(names) > len(row.Names) {
		r.names, r.values = names, values
	}
	return names, values
}

// WithPoint returns the row's columns, plus latitude and longitude from its
// GeoJSON Point geometry when the row has no latitude of its own. The
// columns are appended to names and values (buffers the caller may reuse)
// only in that case; otherwise the row's own slices come back.
func WithPoint(row *tabular.Row, names, values []string) ([]string, []string) {
	lon, lat, ok := row.Point()
	if !ok {
		return row.Names, row.Values
	}
	if _, has := row.Get(FieldLatitude); has {
		return row.Names, row.Values
	}
	names = append(append(names, row.Names...), FieldLatitude, FieldLongitude)
	values = append(append(values, row.Values...),
		strconv.FormatFloat(lat, 'f', -1, 64), strconv.FormatFloat(lon, 'f', -1, 64))
	return names, values
}

// Summary counts what a whole file gave.
type Summary struct {
	File     string    `json:"file"`
	Format   string    `json:"format"`
	Legacy   bool      `json:"legacy"` // v0.1 columns were found
	Rows     int       `json:"rows"`
	Valid    int       `json:"valid"`
	Invalid  int       `json:"invalid"`
	Warnings int       `json:"warnings"` // number of warning findings
	Findings []Finding `json:"findings"`
	// Fatal is set when reading stopped before the end of the file.
	Fatal string `json:"fatal,omitempty"`
}

// Add counts one record; keep adds its findings to s.Findings.
func (s *Summary) Add(rec *Record, keep bool) {
	s.Rows++
	if rec.Valid() {
		s.Valid++
	} else {
		s.Invalid++
	}
	for _, f := range rec.Findings {
		if f.Severity == Warning {
			s.Warnings++
		}
	}
	if keep {
		s.Findings = append(s.Findings, rec.Findings...)
	}
}

// ReadAll reads a file to its end, calling fn for each record (fn may be
// nil), and returns the summary; with keep, the summary holds every finding
// (memory then grows with them). err is set only when the file could not be
// opened or understood at all; a file cut short by a syntax error is in
// Summary.Fatal.
func ReadAll(r io.Reader, name string, t *territory.Data, opt tabular.Options, keep bool, fn func(*Record) error) (*Summary, error) {
	sum := &Summary{File: name}
	rd, err := NewReader(r, name, t, opt)
	if err != nil {
		return nil, fmt.Errorf("%s : %w", name, err)
	}
	sum.Format = rd.Format().String()
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			sum.Fatal = err.Error()
			break
		}
		sum.Add(rec, keep)
		if fn != nil {
			if err := fn(rec); err != nil {
				return sum, err
			}
		}
	}
	sum.Legacy = rd.Legacy()
	return sum, nil
}
