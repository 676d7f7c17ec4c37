package hsds

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Page is a page of a list in the shape of HSDS 3.0's API (components
// "Page" of openapi.json): the counts, then the objects in Contents.
// Pages are numbered from 1.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// NewPage builds page pageNumber (from 1) of a list of totalItems objects
// cut in pages of perPage, holding contents.
func NewPage[T any](contents []T, totalItems, pageNumber, perPage int) Page[T] {
	if contents == nil {
		contents = []T{}
	}
	p := Page[T]{Contents: contents}
	p.setCounts(totalItems, pageNumber, perPage, len(contents))
	return p
}

func (p *Page[T]) setCounts(totalItems, pageNumber, perPage, size int) {
	p.TotalItems, p.PageNumber, p.Size = totalItems, pageNumber, size
	p.TotalPages = TotalPages(totalItems, perPage)
	p.FirstPage = pageNumber <= 1
	p.LastPage = pageNumber >= p.TotalPages
	p.Empty = totalItems == 0
}

// TotalPages is the number of pages of perPage objects that hold
// totalItems objects (0 for an empty list).
func TotalPages(totalItems, perPage int) int {
	if perPage <= 0 || totalItems <= 0 {
		return 0
	}
	return (totalItems + perPage - 1) / perPage
}

// PageWriter writes a Page one object at a time, so that a large page is
// never held in memory: Write each object of the page, then Close, which
// writes the counts (after the contents; JSON objects have no order).
type PageWriter struct {
	w                           *bufio.Writer
	totalItems, pageNumber, per int
	n                           int
	err                         error
}

// NewPageWriter starts page pageNumber (from 1) of a list of totalItems
// objects in pages of perPage.
func NewPageWriter(w io.Writer, totalItems, pageNumber, perPage int) *PageWriter {
	pw := &PageWriter{w: bufio.NewWriterSize(w, 32<<10), totalItems: totalItems, pageNumber: pageNumber, per: perPage}
	_, pw.err = pw.w.WriteString(`{"contents":[`)
	return pw
}

// Write adds one object to the page.
func (pw *PageWriter) Write(v any) error {
	if pw.err != nil {
		return pw.err
	}
	b, err := json.Marshal(v)
	if err != nil {
		pw.err = fmt.Errorf("hsds: %w", err)
		return pw.err
	}
	if pw.n > 0 {
		pw.w.WriteByte(',')
	}
	pw.n++
	_, pw.err = pw.w.Write(b)
	return pw.err
}

// Close ends the page with its counts and flushes it.
func (pw *PageWriter) Close() error {
	if pw.err != nil {
		return pw.err
	}
	var p Page[struct{}]
	p.setCounts(pw.totalItems, pw.pageNumber, pw.per, pw.n)
	fmt.Fprintf(pw.w, `],"total_items":%d,"total_pages":%d,"page_number":%d,"size":%d,"first_page":%t,"last_page":%t,"empty":%t}`,
		p.TotalItems, p.TotalPages, p.PageNumber, p.Size, p.FirstPage, p.LastPage, p.Empty)
	pw.w.WriteByte('\n')
	pw.err = pw.w.Flush()
	return pw.err
}

// NDJSONWriter writes objects one JSON document a line (format=ndjson of
// the HSDS API: every result, without pagination).
type NDJSONWriter struct {
	w   *bufio.Writer
	err error
}

// NewNDJSONWriter writes to w; call Close at the end to flush.
func NewNDJSONWriter(w io.Writer) *NDJSONWriter {
	return &NDJSONWriter{w: bufio.NewWriterSize(w, 32<<10)}
}

// Write writes one object and its newline.
func (nw *NDJSONWriter) Write(v any) error {
	if nw.err != nil {
		return nw.err
	}
	b, err := json.Marshal(v)
	if err != nil {
		nw.err = fmt.Errorf("hsds: %w", err)
		return nw.err
	}
	b = append(b, '\n')
	_, nw.err = nw.w.Write(b)
	return nw.err
}

// Close flushes what is buffered.
func (nw *NDJSONWriter) Close() error {
	if nw.err != nil {
		return nw.err
	}
	nw.err = nw.w.Flush()
	return nw.err
}
