package datainclusion

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Writer streams structures or services one at a time, as a JSON array
// (the shape of data·inclusion's own exports) or as NDJSON (one object a
// line), so that a whole export is never held in memory. Call Close at
// the end: it ends the array and flushes.
type Writer struct {
	w     *bufio.Writer
	array bool
	n     int
	err   error
}

// NewArrayWriter writes a JSON array of objects to w.
func NewArrayWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 32<<10), array: true}
}

// NewNDJSONWriter writes one JSON object a line to w.
func NewNDJSONWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 32<<10)}
}

// Write adds one object (a Structure or a Service).
func (wr *Writer) Write(v any) error {
	if wr.err != nil {
		return wr.err
	}
	b, err := json.Marshal(v)
	if err != nil {
		wr.err = fmt.Errorf("datainclusion: %w", err)
		return wr.err
	}
	switch {
	case wr.array && wr.n == 0:
		wr.w.WriteByte('[')
	case wr.array:
		wr.w.WriteString(",\n")
	}
	wr.n++
	if !wr.array {
		b = append(b, '\n')
	}
	_, wr.err = wr.w.Write(b)
	return wr.err
}

// Close ends the array ("[]" when nothing was written) and flushes.
func (wr *Writer) Close() error {
	if wr.err != nil {
		return wr.err
	}
	if wr.array {
		if wr.n == 0 {
			wr.w.WriteByte('[')
		}
		wr.w.WriteString("]\n")
	}
	wr.err = wr.w.Flush()
	return wr.err
}
