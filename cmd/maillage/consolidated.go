package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"maillage"
	"maillage/schema"
	"maillage/tabular"
)

// membersField is the column (CSV) or member (JSON, GeoJSON properties)
// that an export of consolidated places adds to the national schema: the
// source records each place was built from.
const membersField = "fiches_sources"

// consolidatedWriter writes consolidated places in the national schema
// v1.0.2, as schema.NewWriter writes places, plus membersField:
//
//   - CSV: the schema's columns then fiches_sources, "source/id" of each
//     member joined with "|" (in an id, "%" is written "%25" and "|"
//     "%7C"; source names have neither);
//   - JSON, NDJSON, GeoJSON properties: "fiches_sources": an array of
//     {"source": …, "id": …} objects.
type consolidatedWriter struct {
	format  tabular.Format
	buf     *bufio.Writer
	csv     *csv.Writer
	n       int
	row     []string
	scratch []byte
}

func newConsolidatedWriter(w io.Writer, format tabular.Format) (*consolidatedWriter, error) {
	cw := &consolidatedWriter{format: format, buf: bufio.NewWriterSize(w, 64<<10), row: make([]string, len(schema.Columns))}
	switch format {
	case tabular.CSV:
		cw.csv = csv.NewWriter(cw.buf)
		if err := cw.csv.Write(append(append([]string(nil), schema.Columns...), membersField)); err != nil {
			return nil, err
		}
	case tabular.JSON:
		cw.buf.WriteString("[\n")
	case tabular.GeoJSON:
		cw.buf.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	case tabular.NDJSON:
	default:
		return nil, fmt.Errorf("format d'écriture non pris en charge : %s", format)
	}
	return cw, nil
}

var idEscaper = strings.NewReplacer("%", "%25", "|", "%7C")

func (cw *consolidatedWriter) Write(c *maillage.Consolidated) error {
	p := &c.Place
	copy(cw.row, schema.Values(p))
	if cw.format == tabular.CSV {
		refs := make([]string, len(c.Members))
		for i, m := range c.Members {
			refs[i] = m.Source + "/" + idEscaper.Replace(m.ID)
		}
		return cw.csv.Write(append(cw.row, strings.Join(refs, "|")))
	}
	if cw.n > 0 && cw.format != tabular.NDJSON {
		cw.buf.WriteString(",\n")
	}
	cw.n++
	b := cw.scratch[:0]
	if cw.format == tabular.GeoJSON {
		b = append(b, `{"type":"Feature","geometry":`...)
		if p.HasCoordinates {
			b = append(b, `{"type":"Point","coordinates":[`...)
			b = append(b, cw.row[schemaLongitude]...)
			b = append(b, ',')
			b = append(b, cw.row[schemaLatitude]...)
			b = append(b, "]}"...)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"properties":`...)
	}
	b = append(b, '{')
	for i, v := range cw.row {
		if v == "" {
			continue
		}
		b = maillage.AppendJSONString(b, schema.Columns[i])
		b = append(b, ':')
		if i == schemaLatitude || i == schemaLongitude {
			b = append(b, v...)
		} else {
			b = maillage.AppendJSONString(b, v)
		}
		b = append(b, ',')
	}
	b = maillage.AppendJSONString(b, membersField)
	b = append(b, ":["...)
	for i, m := range c.Members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"source":`...)
		b = maillage.AppendJSONString(b, m.Source)
		b = append(b, `,"id":`...)
		b = maillage.AppendJSONString(b, m.ID)
		b = append(b, '}')
	}
	b = append(b, "]}"...)
	if cw.format == tabular.GeoJSON {
		b = append(b, '}')
	}
	if cw.format == tabular.NDJSON {
		b = append(b, '\n')
	}
	cw.scratch = b
	_, err := cw.buf.Write(b)
	return err
}

// Close ends the document and flushes; it does not close the io.Writer.
func (cw *consolidatedWriter) Close() error {
	switch cw.format {
	case tabular.CSV:
		cw.csv.Flush()
		if err := cw.csv.Error(); err != nil {
			return err
		}
	case tabular.JSON:
		if cw.n > 0 {
			cw.buf.WriteString("\n")
		}
		cw.buf.WriteString("]\n")
	case tabular.GeoJSON:
		if cw.n > 0 {
			cw.buf.WriteString("\n")
		}
		cw.buf.WriteString("]}\n")
	}
	return cw.buf.Flush()
}

// Positions of latitude and longitude in schema.Columns, written as
// numbers in JSON.
var schemaLatitude, schemaLongitude = columnIndex("latitude"), columnIndex("longitude")

func columnIndex(name string) int {
	for i, c := range schema.Columns {
		if c == name {
			return i
		}
	}
	panic("schema.Columns has no " + name)
}
