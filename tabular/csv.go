package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// csvState is the CSV side of a Reader.
type csvState struct {
	r          *csv.Reader
	lineOffset int // physical lines skipped before the CSV reader started
	index      map[string]int
	reuse      bool
	row        Row // reused when reuse is set
}

// delimiterCandidates are the delimiters detection chooses from, in the
// order that breaks ties.
var delimiterCandidates = [...]byte{',', ';', '\t', '|'}

// detectDelimiter chooses the delimiter of a CSV file from its header line,
// the start of head up to the first line break outside quotes. It counts each
// candidate outside quoted fields and takes the most frequent; ties go to the
// first in the order ',', ';', '\t', '|'; with none found (a single column)
// it returns ','. A quote opens a quoted field only at the start of a field
// (start of line or right after a candidate), as encoding/csv with LazyQuotes
// reads it; "" inside a quoted field is an escaped quote.
func detectDelimiter(head []byte) rune {
	var counts [len(delimiterCandidates)]int
	inQuotes := false
scan:
	for i := 0; i < len(head); i++ {
		c := head[i]
		if inQuotes {
			if c == '"' {
				if i+1 < len(head) && head[i+1] == '"' {
					i++
				} else {
					inQuotes = false
				}
			}
			continue
		}
		switch c {
		case '"':
			if i == 0 || candidateIndex(head[i-1]) >= 0 {
				inQuotes = true
			}
		case '\n', '\r':
			break scan
		default:
			if k := candidateIndex(c); k >= 0 {
				counts[k]++
			}
		}
	}
	best := 0
	for k := range counts {
		if counts[k] > counts[best] {
			best = k
		}
	}
	return rune(delimiterCandidates[best])
}

func candidateIndex(c byte) int {
	for k, d := range delimiterCandidates {
		if c == d {
			return k
		}
	}
	return -1
}

// cleanHeader returns the column names of a header record: surrounding
// spaces (and a stray BOM) trimmed; an empty name becomes "colonne_N" (N the
// 1-based column position); a name already used gets a suffix "_2", "_3"…
// (the second "Mardi" becomes "Mardi_2"), choosing a suffix no other column
// of the header uses.
func cleanHeader(rec []string) []string {
	names := make([]string, len(rec))
	taken := make(map[string]bool, len(rec))
	for i, h := range rec {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			h = "colonne_" + strconv.Itoa(i+1)
		}
		names[i] = h
		taken[h] = true
	}
	used := make(map[string]bool, len(rec))
	for i, h := range names {
		if !used[h] {
			used[h] = true
			continue
		}
		for k := 2; ; k++ {
			cand := h + "_" + strconv.Itoa(k)
			if !taken[cand] && !used[cand] {
				names[i] = cand
				used[cand] = true
				break
			}
		}
	}
	return names
}

// skipLines drops n physical lines of br.
func skipLines(br *bufio.Reader, n int) error {
	for i := 0; i < n; {
		_, err := br.ReadSlice('\n')
		switch err {
		case nil:
			i++
		case bufio.ErrBufferFull:
			// A long line: keep reading it.
		case io.EOF:
			return fmt.Errorf("le fichier n'a que %d ligne(s) avant l'en-tête attendu", i)
		default:
			return err
		}
	}
	return nil
}

// openCSV reads the header and prepares reading the records.
//
// encoding/csv is used with LazyQuotes because real exports hold quotes that
// strict RFC 4180 rejects: bare quotes inside unquoted fields (Maison "France
// Services") and stray quotes inside quoted fields; LazyQuotes keeps them as
// text instead of failing the record. The price: an unclosed quote runs to
// the end of the file and makes one huge last field. ReuseRecord avoids one
// slice allocation per record (the field strings are never reused).
// FieldsPerRecord is disabled so that a record with the wrong number of
// fields is reported by Next with its values.
func (r *Reader) openCSV(br *bufio.Reader, opt Options) error {
	headerLine := opt.HeaderLine
	if headerLine == 0 {
		headerLine = 1
	}
	if err := skipLines(br, headerLine-1); err != nil {
		return fmt.Errorf("ligne d'en-tête %d : %w", headerLine, err)
	}
	r.delim = opt.Delimiter
	if r.delim == 0 {
		head, err := br.Peek(sniffSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return fmt.Errorf("lecture de l'en-tête : %w", err)
		}
		r.delim = detectDelimiter(head)
	}
	if r.delim == '"' || r.delim == '\r' || r.delim == '\n' || r.delim == utf8.RuneError || r.delim < 0 {
		return fmt.Errorf("délimiteur %q invalide", r.delim)
	}
	cr := csv.NewReader(br)
	cr.Comma = r.delim
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	st := &csvState{r: cr, lineOffset: headerLine - 1, reuse: opt.ReuseRow}
	rec, err := cr.Read()
	if err == io.EOF {
		return fmt.Errorf("ligne %d : ligne d'en-tête absente (fichier vide)", headerLine)
	}
	if err != nil {
		return fmt.Errorf("ligne %d : en-tête illisible : %w", headerLine, err)
	}
	r.header = cleanHeader(rec)
	st.index = make(map[string]int, len(r.header))
	for i, h := range r.header {
		st.index[h] = i
	}
	for i := 0; i < opt.SkipAfterHeader; i++ {
		if _, err := cr.Read(); err == io.EOF {
			break
		} else if err != nil && !errors.As(err, new(*csv.ParseError)) {
			return fmt.Errorf("lignes après l'en-tête : %w", err)
		}
	}
	r.csv = st
	return nil
}

func (r *Reader) nextCSV() (*Row, error) {
	st := r.csv
	rec, err := st.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.number++
			return nil, &RowError{Number: r.number, Line: pe.StartLine + st.lineOffset, Offset: -1,
				Msg: "enregistrement CSV mal formé", Err: pe.Err}
		}
		r.err = &RowError{Number: r.number + 1, Offset: -1, Msg: "lecture du fichier impossible", Fatal: true, Err: err}
		return nil, r.err
	}
	r.number++
	line, _ := st.r.FieldPos(0)
	line += st.lineOffset

	var row *Row
	if st.reuse {
		row = &st.row
	} else {
		row = &Row{}
	}
	row.Number = r.number
	row.Line = line
	row.Names = r.header
	row.index = st.index

	n := len(r.header)
	var rowErr error
	if len(rec) > n && !allEmpty(rec[n:]) {
		rowErr = &RowError{Number: r.number, Line: line, Offset: -1,
			Msg: fmt.Sprintf("%d champs au lieu de %d (les champs en trop sont ignorés)", len(rec), n)}
		rec = rec[:n]
	} else if len(rec) > n {
		rec = rec[:n] // trailing empty fields: a delimiter at the end of the line
	}
	if len(rec) < n {
		rowErr = &RowError{Number: r.number, Line: line, Offset: -1,
			Msg: fmt.Sprintf("%d champs au lieu de %d (les champs manquants sont vides)", len(rec), n)}
	}
	if st.reuse {
		row.Values = append(row.Values[:0], rec...)
	} else {
		row.Values = make([]string, len(rec), n)
		copy(row.Values, rec)
	}
	for len(row.Values) < n {
		row.Values = append(row.Values, "")
	}
	return row, rowErr
}

func allEmpty(s []string) bool {
	for _, v := range s {
		if v != "" {
			return false
		}
	}
	return true
}
