package merge

import (
	"hash/maphash"
	"math"
	"slices"

	"maillage/territory"
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
	of    [][]uint64         // keys of each record
	seed  maphash.Seed
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

func cellKey(row, col int32) uint64 { return uint64(uint32(row))<<32 | uint64(uint32(col)) }

func buildBlocks(preps []prepared) *blocks {
	b := &blocks{cells: map[uint64][]int32{}, keys: map[uint64][]int32{}, of: make([][]uint64, len(preps)), seed: maphash.MakeSeed()}
	var h maphash.Hash
	h.SetSeed(b.seed)
	hash := func(parts ...string) uint64 {
		h.Reset()
		for _, p := range parts {
			h.WriteString(p)
			h.WriteByte(0)
		}
		return h.Sum64()
	}
	for i := range preps {
		p := &preps[i]
		if p.exact {
			r, c := cellOf(p.lat, p.lon, 0)
			k := cellKey(r, c)
			b.cells[k] = append(b.cells[k], int32(i))
		}
		var ks []uint64
		if p.nameKey != "" && p.dep != "" {
			ks = append(ks, hash("n", p.dep, p.nameKey))
		}
		if p.insee != "" {
			for _, t := range p.name {
				if t.w == weightDistinctive && len(t.s) >= 3 {
					ks = append(ks, hash("c", p.insee, t.s))
				}
			}
			if len(p.street) > 0 {
				ks = append(ks, hash("s", p.insee, p.number, joinKey(p.street...)))
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
		ks = slices.Compact(ks)
		b.of[i] = ks
		for _, k := range ks {
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
	for _, k := range b.of[i] {
		m := b.keys[k]
		if len(m) > maxBlock {
			continue
		}
		// members are in increasing order: skip to those after i
		at, _ := slices.BinarySearch(m, i+1)
		dst = append(dst, m[at:]...)
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
					if farApart(&preps[i], &preps[j]) {
						continue
					}
					f := features(&preps[i], &preps[j])
					s, reason := decide(f)
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

// farApart reports whether two records are more than 3 km apart (both
// placed precisely) and share no phone, e-mail, SIRET or programme id: the
// model's score of such a pair is below 0.3 whatever the names say
// (name, street, number, website and kind together weigh at most +8.8
// against the bias -4, the distance ≤ -3.3 and the other commune -2.5),
// so it is not computed.
func farApart(a, b *prepared) bool {
	if !a.exact || !b.exact {
		return false
	}
	dLat := a.lat - b.lat
	if dLat < 0.027 && dLat > -0.027 {
		dLon := (a.lon - b.lon) * cosDeg(a.lat)
		if dLon < 0.027 && dLon > -0.027 {
			return false // within 3 km in both directions: compute
		}
	}
	if a.phone != "" && a.phone == b.phone || a.siret != "" && a.siret == b.siret {
		return false
	}
	if compareSets(a.emails, b.emails) > 0 {
		return false
	}
	for _, x := range a.ids {
		for _, y := range b.ids {
			if x == y {
				return false
			}
		}
	}
	return territory.Distance(a.lat, a.lon, b.lat, b.lon) > 3
}

func cosDeg(lat float64) float64 { return math.Cos(lat * math.Pi / 180) }
