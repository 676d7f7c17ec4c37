package search

import (
	"slices"
	"sync"
	"time"

	"maillage/hours"
	"maillage/territory"
)

// hoursTable holds the compiled opening hours of the places, one per
// distinct (value, time zone, and département when the value names
// public holidays): real and synthetic sets reuse a few thousand values,
// so a query evaluates each distinct schedule once, not each place.
type hoursTable struct {
	entries []*hours.Hours
	byKey   map[hoursKey]int32
	parsed  map[hoursKey]parsedHours // by (value, zone), départements aside
}

type hoursKey struct{ value, zone, departement string }

type parsedHours struct {
	h        *hours.Hours // nil when the value is not valid
	holidays bool         // the value names public holidays: the département matters
}

func newHoursTable() *hoursTable {
	return &hoursTable{byKey: map[hoursKey]int32{}, parsed: map[hoursKey]parsedHours{}}
}

// entry returns the entry of a place's value, -1 when it has none or
// when the value is not valid (its state is then unknown).
func (t *hoursTable) entry(value, insee string) int32 {
	if value == "" {
		return -1
	}
	zone := territory.TimeZoneName(insee)
	dep := territory.DepartementOfINSEE(insee)
	pk := hoursKey{value: value, zone: zone}
	ph, ok := t.parsed[pk]
	if !ok {
		ctx := hours.Context{Location: territory.TimeZone(insee), Departement: dep}
		if h, err := hours.Compile(value, ctx); err == nil {
			ph.h = h
			for _, r := range h.Rules() {
				if len(r.Holidays) > 0 {
					ph.holidays = true
				}
			}
		}
		t.parsed[pk] = ph
	}
	if ph.h == nil {
		return -1
	}
	key := pk
	if ph.holidays {
		key.departement = dep
	}
	if e, ok := t.byKey[key]; ok {
		return e
	}
	h := ph.h
	if ph.holidays && h.Context().Departement != dep {
		h = h.In(hours.Context{Location: territory.TimeZone(insee), Departement: dep})
	}
	e := int32(len(t.entries))
	t.entries = append(t.entries, h)
	t.byKey[key] = e
	return e
}

// openCache keeps the set of places open at the last few minutes asked.
// The state of every place is the same during a whole minute of UTC (the
// engine works in minutes and every offset since 1913 is a whole number
// of minutes), so every query of that minute shares one computation.
//
// The bitsets of the minutes dropped from the cache are reused (free)
// once no query reads them any more: a new minute each query would
// otherwise allocate n/8 bytes each time, and the collections of a heap
// of a million places show in the latencies.
type openCache struct {
	mu    sync.Mutex
	slots []*openSlot // most recent first
	free  []bitset
}

// openSlot is the open set of one minute: the state of each schedule
// (open[e], by the hours engine) and the positions of the open places.
// open and bits are set before done is closed and not changed after,
// until bits is given back to the cache.
type openSlot struct {
	minute  int64
	done    chan struct{}
	open    []bool
	bits    bitset
	users   int  // queries and computations reading bits, guarded by openCache.mu
	dropped bool // no longer in slots: bits goes back when users is 0
}

const (
	openCacheSlots = 8
	openCacheFree  = 4 // bitsets kept for reuse, at most
)

// andOpen keeps in c the places open at t (Status Open, not Unknown).
func (ix *Index) andOpen(c bitset, t time.Time) {
	s := ix.acquireOpen(t)
	c.and(s.bits)
	ix.releaseOpen(s)
}

// acquireOpen returns the open set of t's minute, computed if needed;
// the caller reads its bits and then gives it back with releaseOpen.
func (ix *Index) acquireOpen(t time.Time) *openSlot {
	c := &ix.open
	sec := t.Unix()
	minute := sec / 60
	c.mu.Lock()
	if sec >= 0 { // before 1970: not cached
		for i, s := range c.slots {
			if s.minute == minute {
				copy(c.slots[1:i+1], c.slots[:i])
				c.slots[0] = s
				s.users++
				c.mu.Unlock()
				<-s.done
				return s
			}
		}
	}
	s := &openSlot{minute: minute, done: make(chan struct{}), users: 1}
	if sec >= 0 {
		if len(c.slots) == openCacheSlots {
			last := c.slots[len(c.slots)-1]
			c.slots = c.slots[:len(c.slots)-1]
			last.dropped = true
			c.recycle(last)
		}
		c.slots = slices.Insert(c.slots, 0, s)
	} else {
		s.dropped = true
	}
	// The minutes already computed can serve as a base (see computeOpen).
	var bases []*openSlot
	for _, b := range c.slots {
		select {
		case <-b.done:
			b.users++
			bases = append(bases, b)
		default: // still being computed (or s itself)
		}
	}
	var bits bitset
	if n := len(c.free); n > 0 {
		bits, c.free = c.free[n-1], c.free[:n-1]
	}
	c.mu.Unlock()

	if bits == nil {
		bits = newBitset(ix.n)
	}
	if sec >= 0 {
		t = time.Unix(minute*60, 0) // the same state all the minute
	}
	s.open = ix.computeOpen(t, bases, bits)
	s.bits = bits
	close(s.done)
	for _, b := range bases {
		ix.releaseOpen(b)
	}
	return s
}

// releaseOpen gives back a set taken by acquireOpen.
func (ix *Index) releaseOpen(s *openSlot) {
	c := &ix.open
	c.mu.Lock()
	s.users--
	c.recycle(s)
	c.mu.Unlock()
}

// recycle keeps the bitset of a dropped slot that no one reads any more
// (c.mu held).
func (c *openCache) recycle(s *openSlot) {
	if !s.dropped || s.users > 0 || s.bits == nil {
		return
	}
	if len(c.free) < openCacheFree {
		c.free = append(c.free, s.bits)
	}
	s.bits = nil
}

// computeOpen evaluates each distinct schedule once at t (a few hundred
// to a few thousand calls of the hours engine, tens of microseconds),
// then derives the set of open positions from the cheapest base: no
// place open, every place with hours open, or the set of an earlier
// minute (bases, all computed). Only the places whose schedule has a
// different state in the base are touched, through the positions of
// each schedule (hoursPos): between two successive minutes few schedules
// change, and from the empty or full base it is the smaller of the open
// and the closed places with hours, never a pass over every place.
//
// It returns the state of each schedule and leaves the set in bits.
func (ix *Index) computeOpen(t time.Time, bases []*openSlot, bits bitset) []bool {
	entries := ix.hours.entries
	open := make([]bool, len(entries))
	for e, h := range entries {
		open[e] = h.IsOpen(t)
	}
	size := func(e int) int { return int(ix.hoursStart[e+1] - ix.hoursStart[e]) }
	// The empty base costs the open places, the full one the closed ones.
	var openCost, closedCost int
	for e := range entries {
		if open[e] {
			openCost += size(e)
		} else {
			closedCost += size(e)
		}
	}
	var base *openSlot // nil: the empty or the full base
	full := closedCost < openCost
	cost := min(openCost, closedCost)
	for _, b := range bases {
		c := 0
		for e := range entries {
			if b.open[e] != open[e] {
				c += size(e)
			}
		}
		if c < cost {
			base, cost = b, c
		}
	}
	ix.openFrom(open, base, full, bits)
	return open
}

// openFrom leaves in bits the positions of the schedules open (open[e])
// starting from a base: the set of an earlier minute when base is not
// nil, else every place with hours when full, else no place.
func (ix *Index) openFrom(open []bool, base *openSlot, full bool, bits bitset) {
	switch {
	case base != nil:
		copy(bits, base.bits)
	case full:
		copy(bits, ix.hasHours)
	default:
		bits.clear()
	}
	for e, now := range open {
		was := full
		if base != nil {
			was = base.open[e]
		}
		if was == now {
			continue
		}
		positions := ix.hoursPos[ix.hoursStart[e]:ix.hoursStart[e+1]]
		if now {
			for _, p := range positions {
				bits[p>>6] |= 1 << (uint(p) & 63)
			}
		} else {
			for _, p := range positions {
				bits[p>>6] &^= 1 << (uint(p) & 63)
			}
		}
	}
}

// state is a place's state at t and when it changes next.
func (ix *Index) state(pos int32, t time.Time) (hours.State, time.Time) {
	e := ix.entry[pos]
	if e < 0 {
		return hours.State{Status: hours.Unknown}, time.Time{}
	}
	h := ix.hours.entries[e]
	next, _ := h.NextChange(t)
	return h.State(t), next
}
