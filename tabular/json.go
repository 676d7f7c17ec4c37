package tabular

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// jsonState is the JSON, NDJSON and GeoJSON side of a Reader.
type jsonState struct {
	dec *json.Decoder // JSON and GeoJSON
	br  *bufio.Reader // NDJSON
	// line is the last NDJSON line read.
	line int

	pending  json.RawMessage // first record, read while looking for the array
	done     bool            // the records array is finished
	detected string          // member name of the records, when found by detection

	seen      map[string]bool // names already in the header
	lastNames []string        // names of the previous record
	lastIndex map[string]int  // index of lastNames, built when reused

	f flattener
}

// openJSON walks to the array of records.
//
// JSON: the top level is an array of records, or an object. For an object,
// Options.RecordsPath names the member (dotted path through nested objects)
// holding the array; without it, the records are the first member of the
// top-level object whose value is a non-empty array of objects, and once that
// array is read the rest of the object is checked: a second such member is
// reported as an error by Next, asking for RecordsPath. GeoJSON: the records
// are the "features" member (or RecordsPath). NDJSON: one object per
// non-blank line.
func (r *Reader) openJSON(br *bufio.Reader, opt Options) error {
	st := &jsonState{seen: map[string]bool{}}
	r.json = st
	r.header = []string{}
	if r.format == NDJSON {
		st.br = br
		return nil
	}
	st.dec = json.NewDecoder(br)
	tok, err := st.dec.Token()
	if err == io.EOF {
		return errors.New("fichier JSON vide")
	}
	if err != nil {
		return fmt.Errorf("JSON illisible au début du fichier : %w", err)
	}
	switch tok {
	case json.Delim('['):
		if opt.RecordsPath != "" {
			return fmt.Errorf("RecordsPath %q donné, mais le fichier est un tableau JSON et non un objet", opt.RecordsPath)
		}
		return nil
	case json.Delim('{'):
	default:
		return fmt.Errorf("le fichier JSON doit commencer par [ ou {, pas par %v", tok)
	}
	path := opt.RecordsPath
	if path == "" && r.format == GeoJSON {
		path = "features"
	}
	if path != "" {
		return st.walkPath(strings.Split(path, "."))
	}
	return st.findRecords()
}

// walkPath goes down the members named by segs, the decoder being just
// after the '{' of the top-level object, and stops inside the array.
func (st *jsonState) walkPath(segs []string) error {
	for k, seg := range segs {
		for {
			tok, err := st.dec.Token()
			if err != nil {
				return fmt.Errorf("recherche du membre %q : %w", seg, err)
			}
			if tok == json.Delim('}') {
				return fmt.Errorf("membre %q introuvable dans l'objet JSON", strings.Join(segs[:k+1], "."))
			}
			key, _ := tok.(string)
			if key != seg {
				if err := skipValue(st.dec); err != nil {
					return fmt.Errorf("lecture du membre %q : %w", key, err)
				}
				continue
			}
			tok, err = st.dec.Token()
			if err != nil {
				return fmt.Errorf("lecture du membre %q : %w", seg, err)
			}
			last := k == len(segs)-1
			if last && tok != json.Delim('[') {
				return fmt.Errorf("le membre %q n'est pas un tableau", strings.Join(segs, "."))
			}
			if !last && tok != json.Delim('{') {
				return fmt.Errorf("le membre %q n'est pas un objet", strings.Join(segs[:k+1], "."))
			}
			break
		}
	}
	return nil
}

// findRecords looks, in the top-level object, for the first member whose
// value is a non-empty array of objects, and stops inside it with its first
// element in st.pending.
func (st *jsonState) findRecords() error {
	for {
		key, found, err := st.nextArrayOfObjects()
		if err != nil {
			return err
		}
		if key == "" && !found {
			return errors.New("aucun tableau d'objets trouvé dans l'objet JSON : indiquez RecordsPath")
		}
		if found {
			st.detected = key
			return nil
		}
	}
}

// nextArrayOfObjects reads the next member of the current object. When its
// value is a non-empty array of objects it stays inside the array, keeps the
// first element in st.pending and returns found. It returns key "" at the
// end of the object.
func (st *jsonState) nextArrayOfObjects() (key string, found bool, err error) {
	tok, err := st.dec.Token()
	if err != nil {
		return "", false, fmt.Errorf("lecture de l'objet JSON : %w", err)
	}
	if tok == json.Delim('}') {
		return "", false, nil
	}
	key, _ = tok.(string)
	tok, err = st.dec.Token()
	if err != nil {
		return key, false, fmt.Errorf("lecture du membre %q : %w", key, err)
	}
	switch tok {
	case json.Delim('['):
		if !st.dec.More() {
			_, err = st.dec.Token() // ']'
			return key, false, err
		}
		var first json.RawMessage
		if err := st.dec.Decode(&first); err != nil {
			return key, false, fmt.Errorf("lecture du membre %q : %w", key, err)
		}
		if first[0] == '{' {
			st.pending = first
			return key, true, nil
		}
		return key, false, skipDepth(st.dec, 1)
	case json.Delim('{'):
		return key, false, skipDepth(st.dec, 1)
	}
	return key, false, nil
}

// skipValue skips the next value of dec.
func skipValue(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == json.Delim('[') || tok == json.Delim('{') {
		return skipDepth(dec, 1)
	}
	return nil
}

// skipDepth reads tokens until depth nested containers are closed.
func skipDepth(dec *json.Decoder, depth int) error {
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return nil
}

func (r *Reader) fatalJSON(msg string, err error) error {
	off := int64(-1)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	} else if r.json.dec != nil {
		off = r.json.dec.InputOffset()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	r.err = &RowError{Number: r.number + 1, Offset: off, Msg: msg + " (la suite du fichier ne peut pas être lue)", Fatal: true, Err: err}
	return r.err
}

func (r *Reader) nextJSON() (*Row, error) {
	st := r.json
	if st.br != nil {
		return r.nextNDJSON()
	}
	if st.done {
		return nil, io.EOF
	}
	raw := st.pending
	st.pending = nil
	if raw == nil {
		if !st.dec.More() {
			if _, err := st.dec.Token(); err != nil { // ']'
				return nil, r.fatalJSON("fin du tableau JSON illisible", err)
			}
			st.done = true
			if st.detected != "" {
				if err := r.checkNoOtherRecords(); err != nil {
					return nil, err
				}
			}
			return nil, io.EOF
		}
		if err := st.dec.Decode(&raw); err != nil {
			return nil, r.fatalJSON("JSON invalide", err)
		}
	}
	r.number++
	return r.jsonRow(raw, 0)
}

// checkNoOtherRecords reads the rest of the top-level object after detected
// records and fails if another array of objects is there.
func (r *Reader) checkNoOtherRecords() error {
	st := r.json
	for {
		key, found, err := st.nextArrayOfObjects()
		if err != nil {
			return r.fatalJSON("JSON invalide après les enregistrements", err)
		}
		if found {
			r.err = &RowError{Offset: -1, Fatal: true, Msg: fmt.Sprintf(
				"l'objet JSON a deux tableaux d'objets, %q (lu) et %q : indiquez RecordsPath pour choisir", st.detected, key)}
			return r.err
		}
		if key == "" {
			return nil
		}
	}
}

func (r *Reader) nextNDJSON() (*Row, error) {
	st := r.json
	for {
		line, err := st.br.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			r.err = &RowError{Number: r.number + 1, Line: st.line + 1, Offset: -1, Msg: "lecture du fichier impossible", Fatal: true, Err: err}
			return nil, r.err
		}
		st.line++
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		r.number++
		if !json.Valid(line) {
			var v any
			syntaxErr := json.Unmarshal(line, &v)
			return nil, &RowError{Number: r.number, Line: st.line, Offset: -1, Msg: "JSON invalide", Err: syntaxErr}
		}
		return r.jsonRow(line, st.line)
	}
}

// jsonRow turns one record (valid JSON) into a Row.
func (r *Reader) jsonRow(raw json.RawMessage, line int) (*Row, error) {
	st := r.json
	if raw[0] != '{' {
		return nil, &RowError{Number: r.number, Line: line, Offset: -1, Msg: "l'enregistrement n'est pas un objet JSON"}
	}
	f := &st.f
	if err := f.record(raw, r.format == GeoJSON); err != nil {
		return nil, &RowError{Number: r.number, Line: line, Offset: -1, Msg: "enregistrement JSON illisible", Err: err}
	}
	row := &Row{Number: r.number, Line: line, Raw: raw, Geometry: f.geometry}
	row.Values = make([]string, len(f.values))
	copy(row.Values, f.values)
	if equalNames(f.names, st.lastNames) {
		row.Names = st.lastNames
		if st.lastIndex == nil {
			st.lastIndex = make(map[string]int, len(st.lastNames))
			for i, n := range st.lastNames {
				if _, ok := st.lastIndex[n]; !ok {
					st.lastIndex[n] = i
				}
			}
		}
		row.index = st.lastIndex
		return row, nil
	}
	names := slices.Clone(f.names) // already interned by the flattener
	for _, n := range names {
		if !st.seen[n] {
			st.seen[n] = true
			r.header = append(r.header, n)
		}
	}
	st.lastNames = names
	st.lastIndex = nil
	row.Names = names
	return row, nil
}

func equalNames(a, b []string) bool {
	if len(a) != len(b) || b == nil {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
