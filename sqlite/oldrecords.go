package sqlite

// oldRecords holds, for the length of an import, what the import needs of
// each record the source had before it: a hash of its id, its rowid (to
// delete it if the import does not put it again), a hash of its
// fingerprint (to count it changed or unchanged) and its digest (to skip
// rewriting it when nothing changed). It takes about 40 bytes per stored
// record — 32 for the entry, 1 for its flags and 4 to 8 for the index —
// bounded by the size of the source, not of the file: 40 MB for a source
// of a million records.
//
// Ids are told apart by a 64-bit hash: two ids whose hashes collide (one
// chance in 2^64 per pair, about 3·10^-8 for a million records) would be
// taken for one another: the counts would be off by one and the second
// refused as a duplicate. Records themselves are always written by
// (source, id), never by hash.
type oldRecords struct {
	entries []oldRecord
	flags   []uint8
	index   []uint32 // entry+1 by id hash, linear probing; 0 is empty
	seen    int
}

type oldRecord struct {
	id, fingerprint uint64 // hashes
	rowid           int64
	digest          uint64
}

const (
	oldSeen      = 1 << iota // the import put the record again
	oldHasDigest             // digest is known (not NULL)
)

// add appends an entry; build must be called once all are added.
func (o *oldRecords) add(e oldRecord, hasDigest bool) {
	o.entries = append(o.entries, e)
	var f uint8
	if hasDigest {
		f = oldHasDigest
	}
	o.flags = append(o.flags, f)
}

// build indexes the entries, at a load of at most 2/3.
func (o *oldRecords) build() {
	size := 16
	for size*2 < len(o.entries)*3 {
		size *= 2
	}
	o.index = make([]uint32, size)
	mask := uint64(size - 1)
	for k, e := range o.entries {
		i := e.id & mask
		for o.index[i] != 0 {
			i = (i + 1) & mask
		}
		o.index[i] = uint32(k + 1)
	}
}

// find returns the entry of id hash h, or -1.
func (o *oldRecords) find(h uint64) int {
	if len(o.entries) == 0 {
		return -1
	}
	mask := uint64(len(o.index) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		k := o.index[i]
		if k == 0 {
			return -1
		}
		if o.entries[k-1].id == h {
			return int(k - 1)
		}
	}
}
