package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
)

// Format is the layout of a tabular file.
type Format int

// The formats a Reader understands. The zero value, Auto, asks NewReader to
// detect the format with DetectFormat.
const (
	Auto    Format = iota // detect from the file name and content
	CSV                   // delimited text with a header line
	JSON                  // an array of objects, possibly under a member of a top-level object
	NDJSON                // one JSON object per line
	GeoJSON               // a FeatureCollection; each feature is a record
)

// String returns the usual name of the format.
func (f Format) String() string {
	switch f {
	case Auto:
		return "auto"
	case CSV:
		return "csv"
	case JSON:
		return "json"
	case NDJSON:
		return "ndjson"
	case GeoJSON:
		return "geojson"
	}
	return "format inconnu"
}

// ErrUnknownFormat is returned (wrapped) by DetectFormat when neither the
// name nor the content tells the format.
var ErrUnknownFormat = errors.New("format de fichier non reconnu")

// DetectFormat tells the format of a file from its name and from the first
// bytes of its content (head, ideally the first few KiB, already decoded to
// UTF-8 or at least ASCII-compatible).
//
// The extension decides first: .csv, .tsv and .tab are CSV; .ndjson, .jsonl
// and .geojsonl are NDJSON; .geojson is GeoJSON. For .json, .txt and any other
// extension the content decides: a first non-blank byte '[' means JSON; '{'
// means GeoJSON when the first value is (or, if cut by the end of head, looks
// like) a FeatureCollection, NDJSON when a second value follows the first one,
// and JSON otherwise (an object holding the array of records). Any other text
// is CSV. An empty head with no telling extension is an error.
func DetectFormat(name string, head []byte) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".tab":
		return CSV, nil
	case ".ndjson", ".jsonl", ".geojsonl":
		return NDJSON, nil
	case ".geojson":
		return GeoJSON, nil
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return Auto, errors.Join(ErrUnknownFormat, errors.New("le début du fichier est vide"))
	}
	switch trimmed[0] {
	case '[':
		return JSON, nil
	case '{':
		return sniffObject(trimmed), nil
	}
	return CSV, nil
}

// sniffObject tells GeoJSON, NDJSON or JSON for content starting with '{'.
func sniffObject(head []byte) Format {
	dec := json.NewDecoder(bytes.NewReader(head))
	var first struct {
		Type string `json:"type"`
	}
	if err := dec.Decode(&first); err != nil {
		// The first value is cut by the end of head (or broken): guess from
		// what is visible.
		if bytes.Contains(head, []byte(`"FeatureCollection"`)) {
			return GeoJSON
		}
		return JSON
	}
	rest := bytes.TrimLeft(head[dec.InputOffset():], " \t\r\n")
	if len(rest) > 0 && rest[0] == '{' {
		return NDJSON
	}
	if first.Type == "FeatureCollection" {
		return GeoJSON
	}
	return JSON
}
