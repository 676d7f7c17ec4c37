package merge

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// BenchmarkClusterRealSources clusters every record of every real source
// (loaded once, outside the timing).
//
//	go test ./merge -run '^$' -bench ClusterRealSources -benchtime 3x
func BenchmarkClusterRealSources(b *testing.B) {
	recs := loadReal(b)
	b.ResetTimer()
	var res Result
	for range b.N {
		res = Run(recs, nil, DefaultOptions())
	}
	b.ReportMetric(float64(len(recs)), "records")
	b.ReportMetric(float64(len(res.Clusters)), "clusters")
	b.ReportMetric(float64(res.Candidates), "candidates")
}

// BenchmarkClusterSynthetic1M clusters one million synthetic records with
// realistic duplicate rates (see synthetic); it runs only with
// MAILLAGE_BENCH_1M=1 and reports the time of one clustering and the peak
// heap.
//
//	MAILLAGE_BENCH_1M=1 go test ./merge -run '^$' -bench Synthetic1M -benchtime 1x
func BenchmarkClusterSynthetic1M(b *testing.B) {
	if os.Getenv("MAILLAGE_BENCH_1M") != "1" {
		b.Skip("set MAILLAGE_BENCH_1M=1 to cluster one million synthetic records")
	}
	recs, _ := synthetic(1_000_000, 42)
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while clustering
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	var res Result
	for range b.N {
		res = Run(recs, nil, DefaultOptions())
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(len(res.Clusters)), "clusters")
	b.ReportMetric(float64(res.Candidates), "candidates")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

// BenchmarkClusterSynthetic200k is a smaller synthetic run, for profiles.
func BenchmarkClusterSynthetic200k(b *testing.B) {
	recs, _ := synthetic(200_000, 42)
	b.ResetTimer()
	var res Result
	for range b.N {
		res = Run(recs, nil, DefaultOptions())
	}
	b.ReportMetric(float64(res.Candidates), "candidates")
}
