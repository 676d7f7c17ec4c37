package search

import (
	"math"

	"maillage/territory"
)

// kdTree is a static 3-d tree over the places that have coordinates, taken
// as points on the unit sphere: the straight-line (chord) distance between
// two such points grows with their great-circle distance, so a node's box
// gives a lower bound of the distance to any place inside it, with no
// projection and no trouble far from mainland France (overseas places are
// in the same tree).
//
// Distances themselves are always territory.Distance, the function the
// scanning implementation uses, so the order and the figures are the
// same; the boxes only decide which nodes to open, with a margin that
// covers rounding.
type kdTree struct {
	pos      []int32   // position of each point, in tree order
	lat, lon []float64 // its coordinates, in tree order
	nodes    []kdNode  // nodes[0] is the root
}

type kdNode struct {
	lo, hi      int32 // points [lo, hi)
	left, right int32 // children, -1 for a leaf
	min, max    [3]float64
	minLat      float64
	maxLat      float64
	minLon      float64
	maxLon      float64
}

// kdLeafSize is the largest leaf: a leaf's points are read one after the
// other, so a few dozen cost less than one more level of heap work.
const kdLeafSize = 32

// earthKm is the radius territory.Distance uses, read back from it so
// that the bounds agree with it.
var earthKm = territory.Distance(0, 0, 0, 180) / math.Pi

func unit(lat, lon float64) [3]float64 {
	const rad = math.Pi / 180
	cl := math.Cos(lat * rad)
	return [3]float64{cl * math.Cos(lon*rad), cl * math.Sin(lon*rad), math.Sin(lat * rad)}
}

// chordToMetres turns a chord of the unit sphere into metres along the
// great circle.
func chordToMetres(c float64) float64 {
	return 2 * earthKm * math.Asin(min(c/2, 1)) * 1000
}

// Bounds are widened by this relative margin plus one millimetre.
const boundSlack = 1e-9

// buildKD builds the tree over the given positions and their coordinates
// (indexed by position).
func buildKD(pos []int32, lat, lon []float64) kdTree {
	n := len(pos)
	t := kdTree{pos: make([]int32, n), lat: make([]float64, n), lon: make([]float64, n)}
	idx := make([]int32, n) // indexes into pos, permuted by the build
	xyz := make([][3]float64, n)
	for i, p := range pos {
		idx[i] = int32(i)
		xyz[i] = unit(lat[p], lon[p])
	}
	if n > 0 {
		t.nodes = make([]kdNode, 0, 2*n/kdLeafSize+2)
		t.build(idx, xyz, pos, lat, lon, 0, int32(n))
	}
	for i, k := range idx {
		p := pos[k]
		t.pos[i], t.lat[i], t.lon[i] = p, lat[p], lon[p]
	}
	return t
}

func (t *kdTree) build(idx []int32, xyz [][3]float64, pos []int32, lat, lon []float64, lo, hi int32) int32 {
	me := int32(len(t.nodes))
	nd := kdNode{lo: lo, hi: hi, left: -1, right: -1}
	for a := range 3 {
		nd.min[a], nd.max[a] = math.Inf(1), math.Inf(-1)
	}
	nd.minLat, nd.minLon = math.Inf(1), math.Inf(1)
	nd.maxLat, nd.maxLon = math.Inf(-1), math.Inf(-1)
	for _, k := range idx[lo:hi] {
		for a := range 3 {
			nd.min[a] = min(nd.min[a], xyz[k][a])
			nd.max[a] = max(nd.max[a], xyz[k][a])
		}
		p := pos[k]
		nd.minLat, nd.maxLat = min(nd.minLat, lat[p]), max(nd.maxLat, lat[p])
		nd.minLon, nd.maxLon = min(nd.minLon, lon[p]), max(nd.maxLon, lon[p])
	}
	t.nodes = append(t.nodes, nd)
	if hi-lo <= kdLeafSize {
		return me
	}
	axis := 0
	for a := 1; a < 3; a++ {
		if nd.max[a]-nd.min[a] > nd.max[axis]-nd.min[axis] {
			axis = a
		}
	}
	mid := lo + (hi-lo)/2
	selectNth(idx[lo:hi], int(mid-lo), func(k int32) float64 { return xyz[k][axis] })
	left := t.build(idx, xyz, pos, lat, lon, lo, mid)
	right := t.build(idx, xyz, pos, lat, lon, mid, hi)
	t.nodes[me].left, t.nodes[me].right = left, right
	return me
}

// selectNth reorders s so that s[k] is the element a full sort by key
// would put there, smaller keys before it and larger ones after. It
// partitions three ways, so that many equal keys (places placed at their
// commune's centre) cost no more than distinct ones.
func selectNth(s []int32, k int, key func(int32) float64) {
	lo, hi := 0, len(s)
	for hi-lo > 1 {
		a, b, c := key(s[lo]), key(s[lo+(hi-lo)/2]), key(s[hi-1])
		pivot := max(min(a, b), min(max(a, b), c)) // median of three
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := key(s[i]); {
			case v < pivot:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case v > pivot:
				gt--
				s[i], s[gt] = s[gt], s[i]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return
		}
	}
}

// lowerM is a lower bound of the distance in metres from q (a unit
// vector) to any point of node n.
func (n *kdNode) lowerM(q [3]float64) float64 {
	var s float64
	for a := range 3 {
		d := max(n.min[a]-q[a], 0, q[a]-n.max[a])
		s += d * d
	}
	return chordToMetres(math.Sqrt(s))*(1-boundSlack) - 1e-3
}

// upperM is an upper bound of the distance in metres from q to any point
// of node n.
func (n *kdNode) upperM(q [3]float64) float64 {
	var s float64
	for a := range 3 {
		d := max(math.Abs(q[a]-n.min[a]), math.Abs(q[a]-n.max[a]))
		s += d * d
	}
	return chordToMetres(math.Sqrt(s))*(1+boundSlack) + 1e-3
}

// distanceM is the distance of a hit, exactly as the scanning
// implementation computes it.
func distanceM(from *Point, lat, lon float64) float64 {
	return territory.Distance(from.Lat, from.Lon, lat, lon) * 1000
}

func inBBox(b *BBox, lat, lon float64) bool {
	return !(lon < b.MinLon || lon > b.MaxLon || lat < b.MinLat || lat > b.MaxLat)
}

// region adds to out the positions within radius metres of near (when
// radius > 0) and inside b (when not nil).
func (t *kdTree) region(near *Point, radius float64, b *BBox, out bitset) {
	if len(t.nodes) == 0 {
		return
	}
	var q [3]float64
	if radius > 0 {
		q = unit(near.Lat, near.Lon)
	}
	var stack [64]int32
	sp := 0
	stack[sp] = 0
	sp++
	for sp > 0 {
		sp--
		n := &t.nodes[stack[sp]]
		if radius > 0 && n.lowerM(q) > radius {
			continue
		}
		if b != nil && (n.maxLat < b.MinLat || n.minLat > b.MaxLat || n.maxLon < b.MinLon || n.minLon > b.MaxLon) {
			continue
		}
		inside := (radius <= 0 || n.upperM(q) < radius) &&
			(b == nil || n.minLat >= b.MinLat && n.maxLat <= b.MaxLat && n.minLon >= b.MinLon && n.maxLon <= b.MaxLon)
		if inside {
			for _, p := range t.pos[n.lo:n.hi] {
				out.set(p)
			}
			continue
		}
		if n.left < 0 {
			for j := n.lo; j < n.hi; j++ {
				if radius > 0 && distanceM(near, t.lat[j], t.lon[j]) > radius {
					continue
				}
				if b != nil && !inBBox(b, t.lat[j], t.lon[j]) {
					continue
				}
				out.set(t.pos[j])
			}
			continue
		}
		stack[sp] = n.left
		stack[sp+1] = n.right
		sp += 2
	}
}

// nodeItem and pointItem are entries of the heaps of nearest.
type nodeItem struct {
	lower float64
	node  int32
}

type pointItem struct {
	dist float64
	pos  int32
}

// nearest appends to out, nearest first, up to need positions of c
// (which must only hold places with coordinates) that come after the
// cursor (when not nil), stopping as soon as it has them: it opens the
// nodes in the order of their lower bound and only gives a point once no
// unopened node can hold a nearer one.
func (t *kdTree) nearest(s *scratch, from *Point, radius float64, c bitset, ids []string, after *cursor, need int, out []pointItem) []pointItem {
	if len(t.nodes) == 0 || need <= 0 {
		return out
	}
	q := unit(from.Lat, from.Lon)
	nodes := nodeHeap(s.nodes[:0])
	points := pointHeap{items: s.points[:0], ids: ids}
	nodes.push(nodeItem{t.nodes[0].lowerM(q), 0})
	for len(out) < need {
		next := math.Inf(1)
		if len(nodes) > 0 {
			next = nodes[0].lower
		}
		for len(points.items) > 0 && points.items[0].dist < next && len(out) < need {
			out = append(out, points.pop())
		}
		if len(out) >= need || len(nodes) == 0 {
			if len(nodes) == 0 && len(points.items) == 0 || len(out) >= need {
				break
			}
			continue
		}
		it := nodes.pop()
		if radius > 0 && it.lower > radius {
			nodes = nodes[:0] // every other node is at least as far
			continue
		}
		n := &t.nodes[it.node]
		if n.left >= 0 {
			nodes.push(nodeItem{t.nodes[n.left].lowerM(q), n.left})
			nodes.push(nodeItem{t.nodes[n.right].lowerM(q), n.right})
			continue
		}
		for j := n.lo; j < n.hi; j++ {
			p := t.pos[j]
			if !c.has(p) {
				continue
			}
			d := distanceM(from, t.lat[j], t.lon[j])
			if after != nil && compareDistance(d, ids[p], after.dist, after.id) <= 0 {
				continue
			}
			points.push(pointItem{d, p})
		}
	}
	s.nodes, s.points = nodes[:0], points.items[:0]
	return out
}

// nodeHeap is a min-heap of nodes by lower bound.
type nodeHeap []nodeItem

func (h *nodeHeap) push(it nodeItem) {
	s := append(*h, it)
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if s[parent].lower <= s[i].lower {
			break
		}
		s[parent], s[i] = s[i], s[parent]
		i = parent
	}
	*h = s
}

func (h *nodeHeap) pop() nodeItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].lower < s[m].lower {
			m = l
		}
		if r < len(s) && s[r].lower < s[m].lower {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// pointHeap is a min-heap of points by (distance, id).
type pointHeap struct {
	items []pointItem
	ids   []string
}

func (h *pointHeap) less(a, b pointItem) bool {
	return compareDistance(a.dist, h.ids[a.pos], b.dist, h.ids[b.pos]) < 0
}

func (h *pointHeap) push(it pointItem) {
	s := append(h.items, it)
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(s[i], s[parent]) {
			break
		}
		s[parent], s[i] = s[i], s[parent]
		i = parent
	}
	h.items = s
}

func (h *pointHeap) pop() pointItem {
	s := h.items
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && h.less(s[l], s[m]) {
			m = l
		}
		if r < len(s) && h.less(s[r], s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	h.items = s
	return top
}
