package search

import (
	"bytes"
	"slices"
	"sort"
	"strings"
)

// textIndex is an inverted index of the folded words of the places' name,
// commune and presentation: the sorted list of distinct words (so that
// the words starting with a prefix are one range of it) and, for each, the
// positions of the places that contain it, increasing.
//
// The ranges of terms whose postings are many (a word like "de", a
// prefix of one or two letters: a sixteenth of the places or more) also
// have their union as a bitset (dense): ANDing it reads n/64 words
// instead of setting a bit per posting.
//
// It also keeps the forward index (the sorted term ranks of each
// position): when the places still in the running are few and a range
// without a bitset has many postings, checking those places costs less
// than reading the postings.
type textIndex struct {
	terms []string
	start []int32 // postings of terms[i] are post[start[i]:start[i+1]]
	post  []int32
	// terms of position p: ranks docTerms[docStart[p]:docStart[p+1]], increasing
	docStart, docTerms []int32
	dense              map[termRange]bitset
}

// termRange is the range [lo, hi) of the sorted terms.
type termRange struct{ lo, hi int32 }

// denseShare: a range of terms with at least n/denseShare postings has
// its bitset.
const denseShare = 16

// buildText indexes the words of each position: text(p, buf) appends to
// buf the folded text of position p (package fold: words of letters and
// digits separated by single spaces), whose words may repeat.
func buildText(text func(p int32, buf []byte) []byte, n int) textIndex {
	ids := map[string]int32{}
	var names []string
	docStart := make([]int32, n+1)
	var docTerms []int32
	var buf []byte
	for p := range int32(n) {
		first := len(docTerms)
		buf = text(p, buf[:0])
		for rest := buf; len(rest) > 0; {
			end := bytes.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			w := rest[:end]
			rest = rest[min(end+1, len(rest)):]
			if len(w) == 0 {
				continue
			}
			id, ok := ids[string(w)]
			if !ok {
				id = int32(len(names))
				name := string(w)
				ids[name] = id
				names = append(names, name)
			}
			if len(docTerms) == cap(docTerms) {
				// doubling: append grows large slices by a quarter,
				// which copies this one (13 million terms at a million
				// places) many more times
				docTerms = slices.Grow(docTerms, max(len(docTerms), 1<<10))
			}
			docTerms = append(docTerms, id)
		}
		doc := docTerms[first:]
		slices.Sort(doc)
		docTerms = docTerms[:first+len(slices.Compact(doc))]
		docStart[p+1] = int32(len(docTerms))
	}
	// rank of each term in the sorted list
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	rank := make([]int32, len(names))
	t := textIndex{terms: make([]string, len(names)), start: make([]int32, len(names)+1), post: make([]int32, len(docTerms))}
	for r, id := range order {
		rank[id] = int32(r)
		t.terms[r] = names[id]
	}
	for _, id := range docTerms {
		t.start[rank[id]+1]++
	}
	for i := 1; i < len(t.start); i++ {
		t.start[i] += t.start[i-1]
	}
	fill := slices.Clone(t.start[:len(names)])
	for p := range int32(n) {
		doc := docTerms[docStart[p]:docStart[p+1]]
		for i, id := range doc {
			r := rank[id]
			t.post[fill[r]] = p
			fill[r]++
			doc[i] = r
		}
		slices.Sort(doc)
	}
	t.docStart, t.docTerms = docStart, docTerms
	t.buildDense(n)
	return t
}

// buildDense makes the bitsets of the ranges of terms with many postings:
// every term's prefixes and every term alone (the words before the last
// of a query are whole terms) whose range has at least n/denseShare
// postings. A prefix's range holds those of its extensions, so the longer
// prefixes of a term stop at the first sparse one.
func (t *textIndex) buildDense(n int) {
	t.dense = map[termRange]bitset{}
	least := int32(max(n/denseShare, 1))
	add := func(lo, hi int) bool {
		if t.start[hi]-t.start[lo] < least {
			return false
		}
		r := termRange{int32(lo), int32(hi)}
		if _, ok := t.dense[r]; !ok {
			b := newBitset(n)
			for _, p := range t.post[t.start[lo]:t.start[hi]] {
				b.set(p)
			}
			t.dense[r] = b
		}
		return true
	}
	for i, term := range t.terms {
		add(i, i+1)
		for l := 1; l <= len(term); l++ {
			if lo, hi := t.prefix(term[:l]); !add(lo, hi) {
				break
			}
		}
	}
}

// hasTerm says whether position p has a term of rank in [lo, hi).
func (t *textIndex) hasTerm(p int32, lo, hi int) bool {
	doc := t.docTerms[t.docStart[p]:t.docStart[p+1]]
	i, _ := slices.BinarySearch(doc, int32(lo))
	return i < len(doc) && int(doc[i]) < hi
}

// exact returns the postings of the term w (nil when absent).
func (t *textIndex) exact(w string) []int32 {
	i, ok := slices.BinarySearch(t.terms, w)
	if !ok {
		return nil
	}
	return t.post[t.start[i]:t.start[i+1]]
}

// prefix returns the range of terms starting with w.
func (t *textIndex) prefix(w string) (lo, hi int) {
	lo = sort.SearchStrings(t.terms, w)
	hi = lo + sort.Search(len(t.terms)-lo, func(i int) bool { return !strings.HasPrefix(t.terms[lo+i], w) })
	return lo, hi
}

// postings returns the postings of term i.
func (t *textIndex) postings(i int) []int32 { return t.post[t.start[i]:t.start[i+1]] }

// match keeps in c the positions that contain every word, the last one
// as a prefix (tmp is scratch space of the same length).
func (t *textIndex) match(words []string, c, tmp bitset) {
	for i, w := range words {
		var lo, hi int
		if i < len(words)-1 {
			j, ok := slices.BinarySearch(t.terms, w)
			lo, hi = j, j
			if ok {
				hi = j + 1
			}
		} else {
			lo, hi = t.prefix(w)
		}
		if lo == hi {
			c.clear()
			return
		}
		if b, ok := t.dense[termRange{int32(lo), int32(hi)}]; ok {
			c.and(b)
			continue
		}
		postings := int(t.start[hi] - t.start[lo])
		if left := c.count(); left*16 < postings {
			c.each(func(p int32) bool {
				if !t.hasTerm(p, lo, hi) {
					c[p>>6] &^= 1 << (uint(p) & 63)
				}
				return true
			})
			continue
		}
		tmp.clear()
		for _, p := range t.post[t.start[lo]:t.start[hi]] {
			tmp.set(p)
		}
		c.and(tmp)
	}
}

func (t *textIndex) bytes() int64 {
	b := int64(len(t.start)+len(t.post)+len(t.docStart)+len(t.docTerms))*4 + int64(len(t.terms))*16
	for _, s := range t.terms {
		b += int64(len(s))
	}
	for _, d := range t.dense {
		b += int64(len(d)) * 8
	}
	return b
}
