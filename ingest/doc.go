// Package ingest turns the rows of a local source (a hub's spreadsheet, a
// city's open-data export, a national programme's list) into rows of the
// national schema of the "lieux de médiation numérique", ready for
// schema.Decoder.Decode.
//
// A coordinator describes each source in a small declarative YAML mapping
// file (one per source, kept under sources/ in the repository): where each
// field of the national schema comes from, how the local vocabulary
// translates into the national one, where the coordinates and opening hours
// are, how the source identifies its places. docs/mappings.md is the
// reference of that format, with a complete example; this package is its
// only implementation.
//
// The import reads a source this way:
//
//	m, err := ingest.LoadMapping("sources/angers-conumm.yaml")
//	r, err := tabular.NewReader(f, name, m.ReaderOptions())
//	for each row := r.Next() {
//		mapped, err := m.Map(row)
//		place, findings := dec.Decode(row.Number, mapped.Names, mapped.Values, mapped.Findings)
//		// store, or quarantine when findings hold an error
//	}
//
// Files already in the national schema (v1.0.2 or the legacy v0.1) need no
// mapping file: SchemaMapping returns the identity mapping, so the import
// treats every source the same way.
//
// What Map does not do is on purpose: it does not validate (the schema
// decoder does, and reports unknown values with a suggestion), and it never
// drops a row (every row read is either stored or quarantined). The only
// errors it adds itself come from the mapping's explicit reject rules.
package ingest
