package hours

import (
	"sync"
	"time"
)

// The evaluator needs, for an instant, the civil day and the minute of the
// day on the place's wall clock. time.Time.In followed by Date and Clock
// looks the zone up and splits the date on every call, which was two
// thirds of the cost of IsOpen. A zoneTable does it with integers: the
// offsets of the zone between 1900 and 2200, found once per location with
// ZoneBounds, and an index of buckets of 2^22 s (≈ 48 days) that points to
// the offset in force at the start of each bucket, so a lookup is one
// division and, around a transition, one more comparison.

const (
	zoneFrom       = -2208988800 // 1900-01-01T00:00:00Z
	zoneTo         = 7258118400  // 2200-01-01T00:00:00Z
	zoneBucketBits = 22
)

type zoneTable struct {
	starts  []int64 // unix second at which offs[i] starts; starts[0] = zoneFrom
	offs    []int64 // offset east of UTC, in seconds
	buckets []int32 // index in starts of the offset in force at the start of each bucket
}

var zoneTables sync.Map // *time.Location → *zoneTable

// zoneTableFor returns the table of loc, building it the first time.
func zoneTableFor(loc *time.Location) *zoneTable {
	if zt, ok := zoneTables.Load(loc); ok {
		return zt.(*zoneTable)
	}
	zt := buildZoneTable(loc)
	actual, _ := zoneTables.LoadOrStore(loc, zt)
	return actual.(*zoneTable)
}

func buildZoneTable(loc *time.Location) *zoneTable {
	zt := &zoneTable{}
	t := time.Unix(zoneFrom, 0).In(loc)
	for {
		_, off := t.Zone()
		start := max(t.Unix(), zoneFrom)
		if n := len(zt.offs); n > 0 && zt.offs[n-1] == int64(off) {
			// Same offset, another name (CET/CEST changes of abbreviation).
		} else {
			zt.starts = append(zt.starts, start)
			zt.offs = append(zt.offs, int64(off))
		}
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Unix() >= zoneTo || end.Unix() <= t.Unix() {
			break
		}
		t = end
	}
	nb := int((zoneTo-zoneFrom)>>zoneBucketBits) + 1
	zt.buckets = make([]int32, nb)
	i := 0
	for b := range zt.buckets {
		at := zoneFrom + int64(b)<<zoneBucketBits
		for i+1 < len(zt.starts) && zt.starts[i+1] <= at {
			i++
		}
		zt.buckets[b] = int32(i)
	}
	return zt
}

// offset returns the offset in force at unix second sec, and false outside
// the table.
func (zt *zoneTable) offset(sec int64) (int64, bool) {
	if sec < zoneFrom || sec >= zoneTo {
		return 0, false
	}
	i := int(zt.buckets[(sec-zoneFrom)>>zoneBucketBits])
	for i+1 < len(zt.starts) && zt.starts[i+1] <= sec {
		i++
	}
	return zt.offs[i], true
}

// local returns the civil day (days since 1970-01-01) and the minute of the
// day of t on the wall clock of the context's zone.
func (h *Hours) local(t time.Time) (z, minute int) {
	sec := t.Unix()
	if off, ok := h.zone.offset(sec); ok {
		ls := sec + off
		d := ls / 86400
		r := ls % 86400
		if r < 0 {
			d--
			r += 86400
		}
		return int(d), int(r / 60)
	}
	lt := t.In(h.ctx.Location)
	y, m, d := lt.Date()
	hh, mm, _ := lt.Clock()
	return civilDays(y, m, d), hh*60 + mm
}

// holidaySet is the set of public holidays of a département between 1900
// and 2200, one bit per day, so that "PH" costs a shift and a mask.
type holidaySet struct {
	from int // civil day of bit 0
	bits []uint64
}

const (
	holidayFromYear = 1900
	holidayToYear   = 2200 // exclusive
)

var holidaySets sync.Map // département class → *holidaySet

// holidayClass maps a département to the list it follows: Alsace-Moselle
// and each overseas département have their own, all others the national one.
func holidayClass(dep string) string {
	switch dep {
	case "57", "67", "68":
		return "57"
	case "971", "972", "973", "974", "976":
		return dep
	}
	return ""
}

func holidaySetFor(dep string) *holidaySet {
	class := holidayClass(dep)
	if hs, ok := holidaySets.Load(class); ok {
		return hs.(*holidaySet)
	}
	from := civilDays(holidayFromYear, time.January, 1)
	to := civilDays(holidayToYear, time.January, 1)
	hs := &holidaySet{from: from, bits: make([]uint64, (to-from+63)/64)}
	for y := holidayFromYear; y < holidayToYear; y++ {
		for _, h := range Holidays(y, class) {
			yy, m, d := h.Date.Date()
			i := civilDays(yy, m, d) - from
			hs.bits[i>>6] |= 1 << (i & 63)
		}
	}
	actual, _ := holidaySets.LoadOrStore(class, hs)
	return actual.(*holidaySet)
}

// isHoliday says whether civil day z is a public holiday for dep.
func (hs *holidaySet) isHoliday(z int, dep string) bool {
	i := z - hs.from
	if i < 0 || i>>6 >= len(hs.bits) {
		y, m, d := civilFromDays(z)
		return holidayName(y, m, d, dep) != ""
	}
	return hs.bits[i>>6]&(1<<(i&63)) != 0
}
