package sqlite

// idSet is a set of 64-bit hashes of record ids with open addressing (8 to
// 16 bytes per id). Two ids whose hashes collide — one chance in 2^64 per
// pair — would be refused as duplicates. The hash 0 is stored as 1.
type idSet struct {
	slots []uint64
	n     int
}

// add inserts h and reports whether it was absent.
func (s *idSet) add(h uint64) bool {
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

func (s *idSet) grow() {
	old := s.slots
	size := 1024
	if len(old) > 0 {
		size = 2 * len(old)
	}
	s.slots = make([]uint64, size)
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}
