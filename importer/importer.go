// Package importer runs an import: it reads a source file (through the
// source's mapping, or as a file already in the national schema), validates
// and normalises every row, places the rows without coordinates at their
// commune's centre, and hands each row to the store — as a record when it
// is valid, to the quarantine with every reason when it is not. Nothing read
// is lost: rows read = rows stored + rows quarantined. The store replaces the
// source's previous version in one transaction.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"slices"
	"time"

	"maillage"
	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

// Mapper turns a row of a source file into a row in the national schema's
// field names. The ingest package's mappings are Mappers.
type Mapper interface {
	MapRow(row *tabular.Row) (Mapped, error)
	ReaderOptions() tabular.Options
}

// Mapped is a row in the national schema's field names, with what the
// mapping itself found.
type Mapped struct {
	Names, Values []string
	Extra         map[string]string  // values kept outside the schema
	Findings      []maillage.Finding // the mapping's own warnings
}

// Options of one import.
type Options struct {
	Source string // registered source name
	File   string // file name, for the report and to detect the format
	// Mapper maps the rows; nil for a file already in the national schema.
	Mapper Mapper
	// Progress, when set, is called every ProgressEvery rows and at the end.
	Progress      func(read int)
	ProgressEvery int
	// Now gives the time (time.Now when nil).
	Now func() time.Time
}

// Codes of the importer's own findings.
const (
	CodeGeocodedCommune = "coordonnees_centre_commune" // placed at the commune's centre
	CodeNotPlaceable    = "lieu_non_localisable"       // no coordinates and no commune: quarantined
)

// Run imports one file into a source. On any error the import is rolled
// back and the source keeps its previous version.
//
// Reading, mapping and validating run in the calling goroutine; encoding
// the records (place JSON, fingerprint, Record.Encode) in a second one;
// writing to the store in a third, the three fed through small buffered
// channels: the work spreads over the cores of a small machine (the store's
// writes, the heaviest part of a first import, are almost nothing in a
// re-import of an unchanged file), and memory stays bounded by the
// channels' size.
func Run(ctx context.Context, store maillage.Store, terr *territory.Data, r io.Reader, opt Options) (*maillage.Import, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	imp := &maillage.Import{Source: opt.Source, File: opt.File, StartedAt: now().UTC()}
	sum := sha256.New()
	readerOpts := tabular.Options{}
	if opt.Mapper != nil {
		readerOpts = opt.Mapper.ReaderOptions()
	}
	readerOpts.ReuseRow = true
	tab, err := tabular.NewReader(io.TeeReader(r, sum), opt.File, readerOpts)
	if err != nil {
		return nil, fmt.Errorf("lecture de %s : %w", opt.File, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tx, err := store.BeginImport(ctx, opt.Source)
	if err != nil {
		return nil, fmt.Errorf("import dans la source %s : %w", opt.Source, err)
	}
	defer tx.Rollback()

	items := make(chan item, 256)   // read → encode
	encoded := make(chan item, 256) // encode → write
	written := make(chan error, 1)
	go func() {
		encode(items, encoded)
		close(encoded)
	}()
	go func() {
		err := write(ctx, tx, encoded)
		if err != nil {
			cancel() // stops the reading side
		}
		written <- err
	}()
	run := &run{
		ctx: ctx, items: items, terr: terr, opt: opt, imp: imp,
		dec: schema.NewDecoder(terr),
	}
	finish := func(err error) (*maillage.Import, error) {
		close(items)
		if werr := <-written; werr != nil {
			return nil, fmt.Errorf("écriture de l'import de %s : %w", opt.Source, werr)
		}
		return nil, err
	}
	run.dec.CheckHours = schema.CheckHours
	run.dec.LenientContacts = true
	run.dec.Now = now
	for {
		row, err := tab.Next()
		if err == io.EOF {
			break
		}
		var rowErr *tabular.RowError
		if err != nil && !(errors.As(err, &rowErr) && !rowErr.Fatal) {
			return finish(fmt.Errorf("lecture de %s interrompue : %w", opt.File, err))
		}
		if err := run.row(row, rowErr); err != nil {
			return finish(err)
		}
		if opt.Progress != nil && opt.ProgressEvery > 0 && imp.Read%opt.ProgressEvery == 0 {
			opt.Progress(imp.Read)
		}
	}
	// Drain what the reader did not consume, so the checksum covers the file.
	if _, err := io.Copy(io.Discard, io.TeeReader(r, sum)); err != nil {
		return finish(fmt.Errorf("lecture de %s : %w", opt.File, err))
	}
	close(items)
	if err := <-written; err != nil {
		return nil, fmt.Errorf("écriture de l'import de %s : %w", opt.Source, err)
	}
	imp.Checksum = "sha256:" + hex.EncodeToString(sum.Sum(nil))
	imp.FinishedAt = now().UTC()
	if err := tx.Commit(ctx, imp); err != nil {
		return nil, fmt.Errorf("enregistrement de l'import de %s : %w", opt.Source, err)
	}
	if opt.Progress != nil {
		opt.Progress(imp.Read)
	}
	return imp, nil
}

// item is what the reading side hands to the writing side: a record to
// store or a row to quarantine.
type item struct {
	record     *maillage.Record
	quarantine *maillage.QuarantinedRow
	rawBuilt   bool // the record's Raw was built here: valid JSON
}

// write stores the items until the channel is closed or an error occurs;
// after an error it still drains the channel so the reading side never
// blocks.
func write(ctx context.Context, tx maillage.SourceImport, items <-chan item) error {
	var failed error
	for it := range items {
		if failed != nil {
			continue
		}
		if it.record != nil {
			failed = tx.Put(ctx, it.record)
		} else {
			failed = tx.Quarantine(ctx, it.quarantine)
		}
	}
	return failed
}

// send hands an item to the encoding side, unless the import was stopped.
func (r *run) send(it item) error {
	select {
	case r.items <- it:
		return nil
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
}

type run struct {
	ctx      context.Context
	items    chan<- item
	terr     *territory.Data
	opt      Options
	imp      *maillage.Import
	dec      *schema.Decoder
	findings []maillage.Finding
	// rawSize is the largest raw row so far, to size the next one.
	rawSize int
	// rawKeys are the JSON keys ("name":) of rawNames, the CSV columns.
	rawNames []string
	rawKeys  []string
}

// row handles one row: rowErr is set when the reader could not split it
// properly (the row is then quarantined with the reader's message).
func (r *run) row(row *tabular.Row, rowErr *tabular.RowError) error {
	r.imp.Read++
	number := r.imp.Read
	if row != nil && row.Number > 0 {
		number = row.Number
	}
	raw, built := r.rawJSON(row)
	if rowErr != nil {
		r.imp.Quarantined++
		return r.send(item{quarantine: &maillage.QuarantinedRow{
			Source: r.opt.Source, Row: number, Raw: raw,
			Findings: []maillage.Finding{{Row: number, Code: schema.CodeUnreadableRow, Severity: maillage.SeverityError,
				Message: "ligne illisible : " + rowErr.Error()}},
		}})
	}
	names, values := row.Names, row.Values
	var extra map[string]string
	r.findings = r.findings[:0]
	if r.opt.Mapper != nil {
		m, err := r.opt.Mapper.MapRow(row)
		if err != nil {
			r.imp.Quarantined++
			return r.send(item{quarantine: &maillage.QuarantinedRow{
				Source: r.opt.Source, Row: number, Raw: raw,
				Findings: []maillage.Finding{{Row: number, Code: "correspondance_impossible", Severity: maillage.SeverityError,
					Message: "la correspondance de la source n'a pas pu lire la ligne : " + err.Error()}},
			}})
		}
		names, values, extra = m.Names, m.Values, m.Extra
		for _, f := range m.Findings {
			f.Row = number
			r.findings = append(r.findings, f)
		}
	} else if row.Geometry != nil {
		names, values = schema.WithPoint(row, nil, nil)
	}
	place, findings := r.dec.Decode(number, names, values, r.findings)
	r.findings = findings
	for k, v := range extra {
		if place.Extra == nil {
			place.Extra = make(map[string]string, len(extra))
		}
		place.Extra[k] = v
	}
	precision := maillage.PrecisionExact
	if !place.HasCoordinates && !schema.HasError(r.findings) {
		precision = maillage.PrecisionCommune
		if lat, lon, ok := r.centre(&place); ok {
			place.Latitude, place.Longitude, place.HasCoordinates = lat, lon, true
			r.findings = append(r.findings, maillage.Finding{Row: number, Field: schema.FieldLatitude, Code: CodeGeocodedCommune,
				Severity: maillage.SeverityWarning, Message: "position approximative : centre de la commune " + place.INSEECode})
		} else {
			r.findings = append(r.findings, maillage.Finding{Row: number, Field: schema.FieldCommune, Value: place.Commune, Code: CodeNotPlaceable,
				Severity: maillage.SeverityError, Message: "ni coordonnées ni commune reconnue : le lieu ne peut pas être placé sur la carte"})
		}
	}
	if schema.HasError(r.findings) {
		r.imp.Quarantined++
		return r.send(item{quarantine: &maillage.QuarantinedRow{
			Source: r.opt.Source, Row: number, RecordID: place.ID, Raw: raw,
			Findings: append([]maillage.Finding(nil), r.findings...),
		}})
	}
	r.imp.Stored++
	rec := &maillage.Record{
		Source: r.opt.Source, ID: place.ID, Row: number, Precision: precision, Place: place, Raw: raw,
		Warnings: append([]maillage.Finding(nil), r.findings...),
	}
	return r.send(item{record: rec, rawBuilt: built})
}

// encoder is the state of the encoding goroutine.
type encoder struct {
	fp  hash.Hash
	sum [16]byte
	// placeSize is the largest place JSON so far, to size the next one.
	placeSize int
}

// encode fills the fingerprint and the encoded form of the records, in
// order, until in is closed. The writing side drains out to the end, even
// after an error.
func encode(in <-chan item, out chan<- item) {
	e := &encoder{fp: fnv.New128a()}
	for it := range in {
		if rec := it.record; rec != nil {
			place := rec.Place.AppendJSON(make([]byte, 0, e.placeSize))
			e.placeSize = max(e.placeSize, len(place))
			rec.Fingerprint = e.fingerprint(place, rec.Precision)
			rec.Encode(place, it.rawBuilt)
		}
		out <- it
	}
}

// centre returns the centre of the place's commune.
func (r *run) centre(p *maillage.Place) (lat, lon float64, ok bool) {
	if p.INSEECode == "" {
		return 0, 0, false
	}
	return r.terr.Centroid(p.INSEECode)
}

// fingerprint hashes what a record says: the place (its JSON, which holds
// every field and the values kept outside the schema) and its coordinates'
// precision (the same bytes as before: place JSON then precision). FNV-1a 128 is enough: it tells versions apart, it guards
// nothing.
func (e *encoder) fingerprint(place []byte, precision string) string {
	e.fp.Reset()
	e.fp.Write(place)
	io.WriteString(e.fp, precision)
	return hex.EncodeToString(e.fp.Sum(e.sum[:0]))
}

// rawJSON keeps the row as read: the JSON record itself, or the CSV columns
// as an object (built reports that case: the JSON was built here, valid).
// The columns' names are the same on every row: their JSON ("name":) is
// encoded once.
func (r *run) rawJSON(row *tabular.Row) (raw json.RawMessage, built bool) {
	if row == nil {
		return json.RawMessage("{}"), true
	}
	if row.Raw != nil {
		return append(json.RawMessage(nil), row.Raw...), false
	}
	if !slices.Equal(r.rawNames, row.Names) {
		r.rawNames = append(r.rawNames[:0], row.Names...)
		r.rawKeys = r.rawKeys[:0]
		for _, n := range row.Names {
			r.rawKeys = append(r.rawKeys, string(append(maillage.AppendJSONString(nil, n), ':')))
		}
	}
	b := make([]byte, 0, r.rawSize)
	b = append(b, '{')
	for i, key := range r.rawKeys {
		if i >= len(row.Values) {
			break
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, key...)
		b = maillage.AppendJSONString(b, row.Values[i])
	}
	b = append(b, '}')
	r.rawSize = max(r.rawSize, len(b))
	return b, true
}
