package merge

import (
	"hash/maphash"
	"math"
	"slices"
)

// cellDeg is the side of a geographic cell in degrees of latitude (about
// 550 m); a record is compared with the records of its cell and of the
// eight around it.
const cellDeg = 0.005

// maxBlock is the size guard of key blocks: a key shared by more records
// (a name as common as "Mairie" in a département) says too little to make
// every pair a candidate.
const maxBlock = 400

type blocks struct {
	cells map[uint64][]int32 // exact records by cell
	keys  map[uint64][]int32 // other blocks by hashed key
	of    [][]uint64         // the key blocks of each record
	// nameSkip is a key block of the record it does not look up, nameExtra
	// one it looks up without being in it (0 for none): see buildBlocks
	nameSkip, nameExtra []uint64
	seed                maphash.Seed
}

func cellOf(lat, lon float64, dy int) (row int32, col int32) {
	row = int32(math.Floor(lat/cellDeg)) + int32(dy)
	c := math.Cos((float64(row) + 0.5) * cellDeg * math.Pi / 180)
	if c < 0.1 {
		c = 0.1
	}
	col = int32(math.Floor(lon * c / cellDeg))
	return row, col
}

// zOrder is the position of a point's cell on a Z-order curve: cells
// near each other are mostly near on the curve.
func zOrder(lat, lon float64) uint64 {
	r, c := cellOf(lat, lon, 0)
	x, y := uint32(c+1<<30), uint32(r+1<<30)
	var z uint64
	for bit := 31; bit >= 0; bit-- {
		z = z<<2 | uint64(y>>bit&1)<<1 | uint64(x>>bit&1)
	}
	return z
}

func cellKey(row, col int32) uint64 { return uint64(uint32(row))<<32 | uint64(uint32(col)) }

func buildBlocks(preps []prepared, workers int) *blocks {
	n := len(preps)
	b := &blocks{cells: map[uint64][]int32{}, keys: map[uint64][]int32{}, of: make([][]uint64, n),
		nameSkip: make([]uint64, n), nameExtra: make([]uint64, n), seed: maphash.MakeSeed()}
	hash := func(parts ...string) uint64 {
		h := uint64(14695981039346656037)
		for _, p := range parts {
			h = (h ^ maphash.String(b.seed, p)) * 1099511628211
		}
		return h
	}
	// the keys of each record, in parallel
	parallel(n, workers, func(i int) {
		p := &preps[i]
		var ks []uint64
		if p.nameKey != "" && p.dep != "" {
			// the same distinctive name in the département: for records
			// placed at their commune's centre (precise ones meet in their
			// cells, commune and street blocks). A precise record is in
			// block "n" and looks up "nc", one at its commune's centre is
			// in "nc" and looks up both.
			nk, nc := hash("n", p.dep, p.nameKey), hash("nc", p.dep, p.nameKey)
			if p.exact {
				ks = append(ks, nk)
				b.nameSkip[i], b.nameExtra[i] = nk, nc
			} else {
				ks = append(ks, nc)
				b.nameExtra[i] = nk
			}
		}
		if p.insee != "" {
			for _, t := range p.name {
				if t.w == weightDistinctive && len(t.s) >= 3 {
					ks = append(ks, hash("c", p.insee, t.s))
				}
			}
			if len(p.street) > 0 {
				ks = append(ks, hash("s", p.insee, p.number, p.streetKey))
			}
		}
		for _, id := range p.ids {
			ks = append(ks, hash("i", id))
		}
		if p.siret != "" {
			ks = append(ks, hash("p", p.siret))
		}
		if p.dep != "" {
			if p.phone != "" {
				ks = append(ks, hash("t", p.dep, p.phone))
			}
			for _, e := range p.emails {
				ks = append(ks, hash("e", p.dep, e))
			}
		}
		slices.Sort(ks)
		b.of[i] = slices.Compact(ks)
	})
	for i := range preps {
		p := &preps[i]
		if p.exact {
			r, c := cellOf(p.lat, p.lon, 0)
			k := cellKey(r, c)
			b.cells[k] = append(b.cells[k], int32(i))
		}
		for _, k := range b.of[i] {
			b.keys[k] = append(b.keys[k], int32(i))
		}
	}
	return b
}

// candidates appends to dst the records after i that share a block with
// it, sorted and without repeats.
func (b *blocks) candidates(preps []prepared, i int32, dst []int32) []int32 {
	dst = dst[:0]
	p := &preps[i]
	if p.exact {
		for dy := -1; dy <= 1; dy++ {
			r, c := cellOf(p.lat, p.lon, dy)
			for dx := int32(-1); dx <= 1; dx++ {
				for _, j := range b.cells[cellKey(r, c+dx)] {
					if j > i {
						dst = append(dst, j)
					}
				}
			}
		}
	}
	look := func(k uint64) {
		m := b.keys[k]
		if len(m) > maxBlock {
			return
		}
		// members are in increasing order: skip to those after i
		at, _ := slices.BinarySearch(m, i+1)
		dst = append(dst, m[at:]...)
	}
	for _, k := range b.of[i] {
		if k != b.nameSkip[i] {
			look(k)
		}
	}
	if k := b.nameExtra[i]; k != 0 {
		look(k)
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// scorePairs scores every candidate pair, in parallel; it keeps the pairs
// worth remembering (score at least 0.01, or an identifier match).
func scorePairs(preps []prepared, b *blocks, opts Options) ([]edge, int) {
	n := len(preps)
	workers := opts.Workers
	if n < 2048 {
		workers = 1
	}
	type out struct {
		edges []edge
		count int
	}
	outs := make([]out, workers)
	done := make(chan struct{}, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			var buf []int32
			o := &outs[w]
			for i := w; i < n; i += workers {
				buf = b.candidates(preps, int32(i), buf)
				for _, j := range buf {
					o.count++
					f := pairFeatures(&preps[i], &preps[j])
					s, reason := decide(f, opts.weights())
					if s >= keepScore {
						o.edges = append(o.edges, edge{int32(i), j, s, reason})
					}
				}
			}
			done <- struct{}{}
		}(w)
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	var edges []edge
	count := 0
	for _, o := range outs {
		edges = append(edges, o.edges...)
		count += o.count
	}
	return edges, count
}

// keepScore is the lowest score of the pairs kept after scoring: lower
// ones are neither matches nor close enough to the threshold to be
// reviewed (the engine scores them again if a merge needs them).
const keepScore = 0.1
