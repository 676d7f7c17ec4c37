// Package idset is a compact set of 64-bit hashes of identifiers, to find
// the ids a file repeats among millions of rows: 8 to 16 bytes per id (open
// addressing, load factor kept between 1/4 and 1/2), far less than a Go map
// of strings. Two ids whose hashes collide (one chance in 2^64 per pair)
// count as the same id.
package idset

// Set is a set of hashes. The zero value is an empty set.
type Set struct {
	slots []uint64
	n     int
}

// Add inserts h and reports whether it was absent. The hash 0 is stored as 1
// (0 marks an empty slot).
func (s *Set) Add(h uint64) bool {
	if h == 0 {
		h = 1
	}
	if s.n*2 >= len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
	}
}

// Len is the number of hashes in the set.
func (s *Set) Len() int { return s.n }

func (s *Set) grow() {
	old := s.slots
	size := 1024
	if len(old) > 0 {
		size = 2 * len(old)
	}
	s.slots = make([]uint64, size)
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.Add(h)
		}
	}
}
