package search

import "math/bits"

// bitset is a set of positions (see Index), one bit each. The bitsets of
// one index all have the same length, so they combine word by word.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

func (b bitset) clear() { clear(b) }

// fillRange adds the positions [lo, hi).
func (b bitset) fillRange(lo, hi int32) {
	if lo >= hi {
		return
	}
	first, last := lo>>6, (hi-1)>>6
	loMask := ^uint64(0) << (uint(lo) & 63)
	hiMask := ^uint64(0) >> (63 - (uint(hi-1) & 63))
	if first == last {
		b[first] |= loMask & hiMask
		return
	}
	b[first] |= loMask
	for w := first + 1; w < last; w++ {
		b[w] = ^uint64(0)
	}
	b[last] |= hiMask
}

// and keeps the positions that are also in o.
func (b bitset) and(o bitset) {
	o = o[:len(b)]
	for i := range b {
		b[i] &= o[i]
	}
}

// andAny keeps the positions that are in at least one of os.
func (b bitset) andAny(os []bitset) {
	switch len(os) {
	case 0:
		b.clear()
		return
	case 1:
		b.and(os[0])
		return
	}
	for i := range b {
		if b[i] == 0 {
			continue
		}
		var any uint64
		for _, o := range os {
			any |= o[i]
		}
		b[i] &= any
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls f for every position of b, in increasing order, until f
// returns false.
func (b bitset) each(f func(i int32) bool) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			if !f(int32(wi<<6 + t)) {
				return
			}
			w &= w - 1
		}
	}
}
