package search

import (
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
type openCache struct {
	mu    sync.Mutex
	slots []*openSlot // most recent first
}

// openSlot is the open set of one minute: the state of each schedule
// (open[e], by the hours engine) and the positions of the open places.
type openSlot struct {
	minute int64
	done   chan struct{}
	open   []bool
	bits   bitset
}

const openCacheSlots = 8

// openAt returns the positions of the places open at t (Status Open, not
// Unknown). The bitset must not be modified.
func (ix *Index) openAt(t time.Time) bitset {
	sec := t.Unix()
	if sec < 0 {
		return ix.computeOpen(t, nil).bits // before 1970: no cache
	}
	minute := sec / 60
	c := &ix.open
	c.mu.Lock()
	for i, s := range c.slots {
		if s.minute == minute {
			copy(c.slots[1:i+1], c.slots[:i])
			c.slots[0] = s
			c.mu.Unlock()
			<-s.done
			return s.bits
		}
	}
	// The minutes already computed can serve as a base (see computeOpen).
	var bases []*openSlot
	for _, s := range c.slots {
		select {
		case <-s.done:
			bases = append(bases, s)
		default: // still being computed by another query
		}
	}
	s := &openSlot{minute: minute, done: make(chan struct{})}
	if len(c.slots) < openCacheSlots {
		c.slots = append(c.slots, nil)
	}
	copy(c.slots[1:], c.slots[:len(c.slots)-1])
	c.slots[0] = s
	c.mu.Unlock()
	r := ix.computeOpen(time.Unix(minute*60, 0), bases)
	s.open, s.bits = r.open, r.bits
	close(s.done)
	return s.bits
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
func (ix *Index) computeOpen(t time.Time, bases []*openSlot) *openSlot {
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
	return &openSlot{open: open, bits: ix.openFrom(open, base, full)}
}

// openFrom returns the positions of the schedules open (open[e]) starting
// from a base: the set of an earlier minute when base is not nil, else
// every place with hours when full, else no place.
func (ix *Index) openFrom(open []bool, base *openSlot, full bool) bitset {
	bits := newBitset(ix.n)
	switch {
	case base != nil:
		copy(bits, base.bits)
	case full:
		copy(bits, ix.hasHours)
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
	return bits
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
