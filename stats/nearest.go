package stats

import (
	"math"

	"maillage/territory"
)

// nearestIndex finds the place nearest to a point on the sphere.
//
// It is a static k-d tree over the places' positions as unit vectors in
// three dimensions. The straight-line (chord) distance between two unit
// vectors grows with the great-circle distance, so the nearest point by
// chord is the nearest point on the sphere: the search needs no special
// case for the antimeridian, the poles or the overseas territories
// (Polynesia and Réunion in the same tree), which a latitude/longitude
// grid would need (cells of very different sizes, rings that must grow
// across the whole globe for a commune far from any place). The tree is
// built in O(n log n) by median partitioning and answers in O(log n) on
// average.
type nearestIndex struct {
	pts []kdPoint // the tree, implicit: the root of pts[lo:hi] is pts[(lo+hi)/2]
	ax  []uint8   // split axis of each node, by position in pts
}

// kdPoint is a place's position: a unit vector and the place's latitude
// and longitude (to compute the exact great-circle distance once found).
type kdPoint struct {
	v        [3]float32
	lat, lon float64
}

// unitVector returns the point (lat, lon) in degrees on the unit sphere.
func unitVector(lat, lon float64) [3]float32 {
	const rad = math.Pi / 180
	sLat, cLat := math.Sincos(lat * rad)
	sLon, cLon := math.Sincos(lon * rad)
	return [3]float32{float32(cLat * cLon), float32(cLat * sLon), float32(sLat)}
}

// newNearestIndex builds the tree; it takes pts over.
func newNearestIndex(pts []kdPoint) *nearestIndex {
	ix := &nearestIndex{pts: pts, ax: make([]uint8, len(pts))}
	ix.build(0, len(pts))
	return ix
}

func (ix *nearestIndex) build(lo, hi int) {
	for hi-lo > 1 {
		pts := ix.pts[lo:hi]
		// Split on the axis of largest spread.
		var mn, mx [3]float32
		mn, mx = pts[0].v, pts[0].v
		for i := range pts {
			for a := 0; a < 3; a++ {
				mn[a] = min(mn[a], pts[i].v[a])
				mx[a] = max(mx[a], pts[i].v[a])
			}
		}
		axis := 0
		for a := 1; a < 3; a++ {
			if mx[a]-mn[a] > mx[axis]-mn[axis] {
				axis = a
			}
		}
		mid := len(pts) / 2
		selectNth(pts, mid, axis)
		ix.ax[lo+mid] = uint8(axis)
		ix.build(lo, lo+mid)
		lo = lo + mid + 1
	}
}

// selectNth reorders pts so that pts[n] is the point a sort on axis
// would put there, with no greater point before it and no smaller after.
func selectNth(pts []kdPoint, n, axis int) {
	lo, hi := 0, len(pts)-1
	for lo < hi {
		// Median of three as pivot.
		m := lo + (hi-lo)/2
		if pts[m].v[axis] < pts[lo].v[axis] {
			pts[m], pts[lo] = pts[lo], pts[m]
		}
		if pts[hi].v[axis] < pts[lo].v[axis] {
			pts[hi], pts[lo] = pts[lo], pts[hi]
		}
		if pts[hi].v[axis] < pts[m].v[axis] {
			pts[hi], pts[m] = pts[m], pts[hi]
		}
		pivot := pts[m].v[axis]
		i, j := lo, hi
		for i <= j {
			for pts[i].v[axis] < pivot {
				i++
			}
			for pts[j].v[axis] > pivot {
				j--
			}
			if i <= j {
				pts[i], pts[j] = pts[j], pts[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return
		}
	}
}

// nearest returns the great-circle distance in kilometres from (lat, lon)
// to the nearest point, and false when the index is empty.
func (ix *nearestIndex) nearest(lat, lon float64) (float64, bool) {
	if ix == nil || len(ix.pts) == 0 {
		return 0, false
	}
	q := unitVector(lat, lon)
	best := -1
	bestD := float32(math.Inf(1))
	ix.search(0, len(ix.pts), q, &best, &bestD)
	p := &ix.pts[best]
	return territory.Distance(lat, lon, p.lat, p.lon), true
}

func (ix *nearestIndex) search(lo, hi int, q [3]float32, best *int, bestD *float32) {
	for lo < hi {
		mid := (lo + hi) / 2
		p := &ix.pts[mid]
		dx, dy, dz := p.v[0]-q[0], p.v[1]-q[1], p.v[2]-q[2]
		if d := dx*dx + dy*dy + dz*dz; d < *bestD {
			*bestD, *best = d, mid
		}
		axis := ix.ax[mid]
		diff := q[axis] - p.v[axis]
		// Visit the side of q first; the other side only if the
		// splitting plane is closer than the best point so far.
		nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
		if diff > 0 {
			nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
		}
		ix.search(nearLo, nearHi, q, best, bestD)
		if diff*diff >= *bestD {
			return
		}
		lo, hi = farLo, farHi
	}
}
