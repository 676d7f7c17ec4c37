package search

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"maillage"
	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

// The benchmarks of the package. The figures and the commands are in the
// package comment (doc.go); BenchmarkBuild builds the index each time, so
// it is run with a few iterations (-benchtime 3x), the queries with many:
//
//	go test -run '^$' -bench 'NearestOpen|Nearest$|DepartementByName|Text' -benchtime 20000x ./search
//
// Each reports the median and the 99th percentile of the latency of one
// query (p50-µs, p99-µs), and the benchmarks of a whole set report its
// build time and the memory of the index.

var benchSets sync.Map // size → *benchSet

type benchSet struct {
	places  []maillage.Consolidated
	ix      *Index
	build   time.Duration
	heapMiB float64 // live heap the index adds, places aside
}

func synthSet(b *testing.B, n int) *benchSet {
	if s, ok := benchSets.Load(n); ok {
		return s.(*benchSet)
	}
	places := synthPlaces(n, 42)
	s := &benchSet{places: places}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	s.ix = Build(places, time.Now())
	s.build = time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	s.heapMiB = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	b.Logf("%d places: build %v, index %.0f MiB (Stats: %+v)", n, s.build, s.heapMiB, s.ix.Stats())
	benchSets.Store(n, s)
	return s
}

// randomPoints are points in France: the centre of a commune drawn at
// random (every commune alike, so rural France weighs as much as it
// covers), moved by up to a few kilometres.
func randomPoints(n int) []Point {
	rng := rand.New(rand.NewPCG(9, 9))
	var centres []Point
	for _, c := range territory.Default().Communes() {
		if c.HasCentroid {
			centres = append(centres, Point{c.Lat, c.Lon})
		}
	}
	out := make([]Point, n)
	for i := range out {
		c := centres[rng.IntN(len(centres))]
		out[i] = Point{c.Lat + rng.NormFloat64()*0.03, c.Lon + rng.NormFloat64()*0.04}
	}
	return out
}

// threadCPU is the CPU time of the calling thread (Linux): unlike the
// wall clock, it does not count the time the thread waited for a core,
// which on a shared machine is most of the tail.
func threadCPU() time.Duration {
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// benchQueries runs b.N queries made by q(i) and reports the percentiles
// of their latency (wall clock) and of their CPU time.
func benchQueries(b *testing.B, ix *Index, now time.Time, q func(i int) Query) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	found := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		query := q(i)
		c0 := threadCPU()
		start := time.Now()
		r, err := ix.Search(query, now)
		lat = append(lat, time.Since(start))
		cpu = append(cpu, threadCPU()-c0)
		if err != nil {
			b.Fatal(err)
		}
		found += len(r.Hits)
	}
	b.StopTimer()
	pct := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[int(p*float64(len(d)-1))].Nanoseconds()) / 1000
	}
	b.ReportMetric(pct(lat, 0.50), "p50-µs")
	b.ReportMetric(pct(lat, 0.99), "p99-µs")
	b.ReportMetric(pct(cpu, 0.50), "cpu-p50-µs")
	b.ReportMetric(pct(cpu, 0.99), "cpu-p99-µs")
	b.ReportMetric(float64(found)/float64(len(lat)), "hits/op")
}

// tuesday is a working morning: most places with hours are open.
var tuesday = time.Date(2026, 11, 24, 10, 30, 0, 0, territory.TimeZone("75056"))

func nearestTwoFiltersOpen(points []Point, at func(i int) time.Time) func(i int) Query {
	return func(i int) Query {
		p := points[i%len(points)]
		return Query{
			Near: &p,
			Filters: map[string][]string{
				"services":       {string(maillage.ServiceAdministrative)},
				"frais_a_charge": {string(maillage.FeeFree)},
			},
			OpenAt: at(i),
		}
	}
}

func benchSizes(b *testing.B, run func(b *testing.B, s *benchSet)) {
	for _, n := range []int{25_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s := synthSet(b, n)
			run(b, s)
			b.ReportMetric(s.build.Seconds(), "build-s")
			b.ReportMetric(s.heapMiB, "index-MiB")
		})
	}
}

// BenchmarkNearestOpen is the query of the issue: the 20 nearest places
// offering help with administrative procedures, free, open now, at random
// points in France. "Now" is one instant (a Tuesday, 10:30 in Paris), as
// for the queries of one minute in production: the open set is computed
// by the first query and shared by the others.
func BenchmarkNearestOpen(b *testing.B) {
	points := randomPoints(4096)
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, nearestTwoFiltersOpen(points, func(int) time.Time { return tuesday }))
	})
}

// BenchmarkNearestOpenColdMinute is the same query at a different minute
// each time (ouvert=<an instant> for ever new instants): every query pays
// for the open set.
func BenchmarkNearestOpenColdMinute(b *testing.B) {
	points := randomPoints(4096)
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, nearestTwoFiltersOpen(points, func(i int) time.Time {
			return tuesday.Add(time.Duration(i) * time.Minute)
		}))
	})
}

// BenchmarkNearestOpenColdInstant is the same query at a random instant
// of 2024–2027 each time (ouvert=<an instant>): no earlier minute of the
// cache is close, every query derives the open set from scratch.
func BenchmarkNearestOpenColdInstant(b *testing.B) {
	points := randomPoints(4096)
	rng := rand.New(rand.NewPCG(5, 6))
	instants := make([]time.Time, 4096)
	for i := range instants {
		instants[i] = randomInstant(rng)
	}
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, nearestTwoFiltersOpen(points, func(i int) time.Time {
			return instants[i%len(instants)]
		}))
	})
}

// BenchmarkNearest is the nearest 20 with one filter, no hours.
func BenchmarkNearest(b *testing.B) {
	points := randomPoints(4096)
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, func(i int) Query {
			p := points[i%len(points)]
			return Query{Near: &p, Filters: map[string][]string{"services": {string(maillage.ServiceAdministrative)}}}
		})
	})
}

// BenchmarkDepartementByName is a list of a département's places, by
// name, with a filter.
func BenchmarkDepartementByName(b *testing.B) {
	deps := territory.Default().Departements()
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, func(i int) Query {
			return Query{Departement: deps[i%len(deps)].Code, Filters: map[string][]string{"frais_a_charge": {string(maillage.FeeFree)}}}
		})
	})
}

// BenchmarkText is a text search with a prefix, nearest first.
func BenchmarkText(b *testing.B) {
	points := randomPoints(4096)
	texts := []string{"médiathèque", "france serv", "centre soc", "mairie de", "espace pub", "bibli"}
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, func(i int) Query {
			p := points[i%len(points)]
			return Query{Near: &p, Text: texts[i%len(texts)]}
		})
	})
}

// BenchmarkTextShort is a text search with a short or common prefix, as
// typed one letter at a time, nearest first: the prefix matches a large
// part of the places.
func BenchmarkTextShort(b *testing.B) {
	points := randomPoints(4096)
	texts := []string{"m", "de", "mairie de", "s", "ce", "f"}
	benchSizes(b, func(b *testing.B, s *benchSet) {
		benchQueries(b, s.ix, tuesday, func(i int) Query {
			p := points[i%len(points)]
			return Query{Near: &p, Text: texts[i%len(texts)]}
		})
	})
}

// BenchmarkBuild is the time Build takes on a synthetic set (drawn
// before the timer starts), and the CPU time of the process during it
// (cpu-s, the work whatever the other jobs of the machine).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{25_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			places := synthPlaces(n, 42)
			b.ReportAllocs()
			c0 := processCPU()
			for b.Loop() {
				Build(places, time.Now())
			}
			b.ReportMetric((processCPU()-c0).Seconds()/float64(b.N), "cpu-s")
		})
	}
}

// processCPU is the CPU time (user and system) of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRealNearestOpen runs the query of the issue on the places of
// the national-schema files of ../shared/data (not merged: one place per
// row), when they are there.
func BenchmarkRealNearestOpen(b *testing.B) {
	places := realPlaces(b)
	start := time.Now()
	ix := Build(places, time.Now())
	b.Logf("%d real places: build %v", len(places), time.Since(start))
	points := randomPoints(4096)
	benchQueries(b, ix, tuesday, nearestTwoFiltersOpen(points, func(int) time.Time { return tuesday }))
}

func realPlaces(tb testing.TB) []maillage.Consolidated {
	dir := filepath.Join("..", "..", "shared", "data")
	files, _ := filepath.Glob(filepath.Join(dir, "lieux_schema", "*.json"))
	files = append(files, filepath.Join(dir, "data_inclusion", "data-inclusion-as-mednum-2023.json"))
	var out []maillage.Consolidated
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		base := filepath.Base(name)
		_, err = schema.ReadAll(f, base, territory.Default(), tabular.Options{}, false, func(r *schema.Record) error {
			p := r.Place
			p.ID = base + "/" + strconv.Itoa(r.Row)
			out = append(out, maillage.Consolidated{Place: p, Precision: "exact"})
			return nil
		})
		f.Close()
		if err != nil {
			tb.Logf("%s: %v", name, err)
		}
	}
	if len(out) == 0 {
		tb.Skip("../shared/data is absent: no real places to index")
	}
	return out
}
