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
// of minutes), so every query of that minute shares one computation:
// "open now" costs one pass over the places per minute, not per query.
type openCache struct {
	mu    sync.Mutex
	slots []*openSlot // most recent first
}

type openSlot struct {
	minute int64
	done   chan struct{}
	bits   bitset
}

const openCacheSlots = 8

// openAt returns the positions of the places open at t (Status Open, not
// Unknown). The bitset must not be modified.
func (ix *Index) openAt(t time.Time) bitset {
	sec := t.Unix()
	if sec < 0 {
		return ix.computeOpen(t) // before 1970: no cache
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
	s := &openSlot{minute: minute, done: make(chan struct{})}
	if len(c.slots) < openCacheSlots {
		c.slots = append(c.slots, nil)
	}
	copy(c.slots[1:], c.slots[:len(c.slots)-1])
	c.slots[0] = s
	c.mu.Unlock()
	s.bits = ix.computeOpen(time.Unix(minute*60, 0))
	close(s.done)
	return s.bits
}

// computeOpen evaluates each distinct schedule once at t, then marks the
// positions of the open ones.
func (ix *Index) computeOpen(t time.Time) bitset {
	open := make([]bool, len(ix.hours.entries))
	for e, h := range ix.hours.entries {
		open[e] = h.IsOpen(t)
	}
	b := newBitset(ix.n)
	for p, e := range ix.entry {
		if e >= 0 && open[e] {
			b.set(int32(p))
		}
	}
	return b
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
