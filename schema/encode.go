package schema

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"maillage"
	"maillage/tabular"
)

// Writer writes Places in the national schema v1.0.2.
type Writer interface {
	Write(p *maillage.Place) error
	// Close finishes the document (closing brackets) and flushes; it does
	// not close the underlying io.Writer.
	Close() error
}

// NewWriter returns a Writer of the given format: CSV (the schema's columns
// in its order, multi-values joined with "|"), JSON (an array of objects),
// NDJSON (one object per line) or GeoJSON (a FeatureCollection of Points;
// places without coordinates get a null geometry). In JSON forms, every field
// is a string as in the CSV, except latitude and longitude which are numbers;
// empty fields are left out.
func NewWriter(w io.Writer, format tabular.Format) (Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case tabular.CSV:
		return &csvWriter{buf: bw, w: csv.NewWriter(bw)}, nil
	case tabular.JSON:
		return &jsonWriter{w: bw, open: "[\n", sep: ",\n", close: "\n]\n"}, nil
	case tabular.NDJSON:
		return &jsonWriter{w: bw, sep: "\n", close: "\n", ndjson: true}, nil
	case tabular.GeoJSON:
		return &jsonWriter{w: bw, open: `{"type":"FeatureCollection","features":[` + "\n", sep: ",\n", close: "\n]}\n", geo: true}, nil
	}
	return nil, fmt.Errorf("format d'écriture non pris en charge : %s", format)
}

// ParseFormat reads a format name as given on a command line or in a URL.
func ParseFormat(s string) (tabular.Format, error) {
	switch strings.ToLower(s) {
	case "csv":
		return tabular.CSV, nil
	case "json":
		return tabular.JSON, nil
	case "ndjson", "jsonl":
		return tabular.NDJSON, nil
	case "geojson":
		return tabular.GeoJSON, nil
	}
	return 0, fmt.Errorf("format inconnu « %s » : csv, json, ndjson ou geojson", s)
}

// Values returns the place's fields as strings, in the order of Columns.
func Values(p *maillage.Place) []string {
	out := make([]string, len(Columns))
	fillValues(p, out)
	return out
}

func fillValues(p *maillage.Place, out []string) {
	lat, lon := "", ""
	if p.HasCoordinates {
		lat, lon = formatCoordinate(p.Latitude), formatCoordinate(p.Longitude)
	}
	date := ""
	if !p.UpdatedOn.IsZero() {
		date = p.UpdatedOn.Format(maillage.DateLayout)
	}
	out[0] = p.ID
	out[1] = p.Pivot
	out[2] = p.Name
	out[3] = p.Commune
	out[4] = p.PostalCode
	out[5] = p.INSEECode
	out[6] = p.Address
	out[7] = p.AddressComplement
	out[8] = lat
	out[9] = lon
	out[10] = joinList(p.Typologies)
	out[11] = p.Telephone
	out[12] = strings.Join(p.Emails, "|")
	out[13] = strings.Join(p.Websites, "|")
	out[14] = p.OpeningHours
	out[15] = p.Summary
	out[16] = p.Description
	out[17] = p.Source
	out[18] = joinList(p.Itinerance)
	out[19] = p.ParentOrganization
	out[20] = date
	out[21] = joinList(p.Services)
	out[22] = joinList(p.Publics)
	out[23] = joinList(p.SpecificSupport)
	out[24] = joinList(p.Fees)
	out[25] = joinList(p.NationalPrograms)
	out[26] = joinList(p.TrainingsLabels)
	out[27] = strings.Join(p.OtherLabels, "|")
	out[28] = joinList(p.AccessModes)
	out[29] = joinList(p.SupportModes)
	out[30] = p.AccessibilitySheet
	out[31] = p.AppointmentURL
}

func joinList[T ~string](values []T) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return string(values[0])
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(string(v))
	}
	return b.String()
}

func formatCoordinate(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

type csvWriter struct {
	buf    *bufio.Writer
	w      *csv.Writer
	row    []string
	header bool
}

func (c *csvWriter) Write(p *maillage.Place) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(Columns); err != nil {
			return err
		}
		c.row = make([]string, len(Columns))
	}
	fillValues(p, c.row)
	return c.w.Write(c.row)
}

func (c *csvWriter) Close() error {
	if !c.header {
		c.header = true
		if err := c.w.Write(Columns); err != nil {
			return err
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

type jsonWriter struct {
	w                *bufio.Writer
	open, sep, close string
	ndjson, geo      bool
	n                int
	row              []string
	scratch          []byte
}

func (j *jsonWriter) Write(p *maillage.Place) error {
	if j.row == nil {
		j.row = make([]string, len(Columns))
	}
	if j.n == 0 {
		j.w.WriteString(j.open)
	} else {
		j.w.WriteString(j.sep)
	}
	j.n++
	fillValues(p, j.row)
	b := j.scratch[:0]
	if j.geo {
		b = append(b, `{"type":"Feature","geometry":`...)
		if p.HasCoordinates {
			b = append(b, `{"type":"Point","coordinates":[`...)
			b = append(b, j.row[9]...)
			b = append(b, ',')
			b = append(b, j.row[8]...)
			b = append(b, "]}"...)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"properties":`...)
	}
	b = appendObject(b, j.row)
	if j.geo {
		b = append(b, '}')
	}
	j.scratch = b
	_, err := j.w.Write(b)
	return err
}

// appendObject writes the non-empty fields as a JSON object, latitude and
// longitude as numbers.
func appendObject(b []byte, row []string) []byte {
	b = append(b, '{')
	first := true
	for i, v := range row {
		if v == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = maillage.AppendJSONString(b, Columns[i])
		b = append(b, ':')
		if i == 8 || i == 9 {
			b = append(b, v...)
		} else {
			b = maillage.AppendJSONString(b, v)
		}
	}
	return append(b, '}')
}

func (j *jsonWriter) Close() error {
	if j.n == 0 && !j.ndjson {
		j.w.WriteString(strings.TrimSuffix(j.open, "\n"))
		j.w.WriteString(strings.TrimPrefix(j.close, "\n"))
	} else if j.n > 0 {
		j.w.WriteString(j.close)
	}
	return j.w.Flush()
}
