package postgres

import "hash/maphash"

// idFilter remembers, in a fixed 1 MiB, the ids put in an import: a Bloom
// filter. mayHave never misses an id added; it wrongly says yes to about one
// id in 200,000 after 100,000 ids, one in 50 after a million. A yes is then
// checked against the staging table, so duplicates are reported at once,
// exactly, while memory does not grow with the number of records.
type idFilter struct {
	seed maphash.Seed
	bits []uint64
}

const (
	filterBits   = 1 << 23 // 1 MiB
	filterHashes = 4
)

func newIDFilter() *idFilter {
	return &idFilter{seed: maphash.MakeSeed(), bits: make([]uint64, filterBits/64)}
}

// positions calls fn with the filterHashes bit positions of id, derived
// from one 64-bit hash (Kirsch and Mitzenmacher's double hashing).
func (f *idFilter) positions(id string, fn func(bit uint64)) {
	h := maphash.String(f.seed, id)
	h1, h2 := h&0xffffffff, h>>32|1
	for i := range uint64(filterHashes) {
		fn((h1 + i*h2) % filterBits)
	}
}

// mayHave reports whether id may have been added.
func (f *idFilter) mayHave(id string) bool {
	all := true
	f.positions(id, func(bit uint64) {
		all = all && f.bits[bit/64]&(1<<(bit%64)) != 0
	})
	return all
}

// add records id.
func (f *idFilter) add(id string) {
	f.positions(id, func(bit uint64) { f.bits[bit/64] |= 1 << (bit % 64) })
}
