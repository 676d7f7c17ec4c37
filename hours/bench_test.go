package hours

import (
	"testing"
	"time"
)

// benchValues returns the distinct real values our strict parser accepts.
func benchValues(b *testing.B) []string {
	rows := loadCorpus(b, "horaires_osm_reels_lieux.tsv", 1)
	var vs []string
	for _, r := range rows {
		if _, err := Parse(r.value); err == nil {
			vs = append(vs, r.value)
		}
	}
	return vs
}

// BenchmarkParseCorpus parses (and compiles) every real value once per
// iteration; strings/s is the figure to compare.
func BenchmarkParseCorpus(b *testing.B) {
	vs := benchValues(b)
	b.ResetTimer()
	for b.Loop() {
		for _, v := range vs {
			if _, err := Parse(v); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(vs))/b.Elapsed().Seconds(), "strings/s")
}

// BenchmarkIsOpenCorpus evaluates every compiled real value at the 1,200
// instants of the differential test (the same work bench/hours-oracle.sh
// gives opening_hours.js).
func BenchmarkIsOpenCorpus(b *testing.B) {
	vs := benchValues(b)
	hs := make([]*Hours, len(vs))
	for i, v := range vs {
		hs[i] = Must(Parse(v))
	}
	instants := differentialInstants(1200)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for _, h := range hs {
			for _, t := range instants {
				if h.IsOpen(t) {
					n++
				}
			}
		}
	}
	b.ReportMetric(float64(b.N*len(hs)*len(instants))/b.Elapsed().Seconds(), "evals/s")
}

// BenchmarkIsOpenWeekly is one common value at one instant.
func BenchmarkIsOpenWeekly(b *testing.B) {
	h := Must(Parse("Mo-Fr 09:00-12:00,14:00-17:00; We off"))
	t := time.Date(2024, 3, 4, 10, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		h.IsOpen(t)
	}
}

// BenchmarkIsOpenHolidays is a value that needs the calendar (PH).
func BenchmarkIsOpenHolidays(b *testing.B) {
	h := Must(Parse("Mo-Fr 09:00-12:00,14:00-17:00; PH off"))
	t := time.Date(2024, 3, 4, 10, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		h.IsOpen(t)
	}
}
