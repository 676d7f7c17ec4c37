package schema_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"maillage/internal/synth"
	"maillage/schema"
	"maillage/tabular"
	"maillage/territory"
)

// synthFile returns a synthetic CSV of n rows, generated once and kept in
// the system's temporary folder between runs (same seed, same file).
func synthFile(b *testing.B, n int) string {
	b.Helper()
	name := filepath.Join(os.TempDir(), fmt.Sprintf("maillage-synth-%d.csv", n))
	if st, err := os.Stat(name); err == nil && st.Size() > 0 {
		return name
	}
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.Generate(f, territory.Default(), synth.Options{Rows: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		b.Fatal(err)
	}
	return name
}

// BenchmarkValidate reads, validates and normalises synthetic files of
// 100,000 and 1,000,000 rows, and reports rows/s, rows per CPU-second and
// the peak heap seen while reading (sampled every 16,384 rows). With
// ids=off the duplicate-id check (8 to 16 bytes per row) is off, which shows
// that everything else runs in constant memory. Run on one core with:
//
//	go test ./schema -run '^$' -bench Validate -benchtime 1x -count 3 -cpu 1
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, ids := range []bool{true, false} {
			label := "on"
			if !ids {
				label = "off"
			}
			b.Run(fmt.Sprintf("rows=%d/ids=%s", n, label), func(b *testing.B) {
				benchmarkValidate(b, n, ids)
			})
		}
	}
}

func benchmarkValidate(b *testing.B, n int, checkIDs bool) {
	name := synthFile(b, n)
	st, _ := os.Stat(name)
	territory.Default() // loaded once, outside the measure
	b.SetBytes(st.Size())
	b.ResetTimer()
	cpuStart := cpuTime()
	var peak uint64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		rd, err := schema.NewReader(f, name, territory.Default(), tabular.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rd.Decoder().IgnoreDuplicateIDs = !checkIDs
		var ms runtime.MemStats
		rows := 0
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
			if rows%16384 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		f.Close()
		if rows != n {
			b.Fatalf("read %d rows, want %d", rows, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	// Rows per second of CPU used by the process: what one core gives
	// when nothing else competes for it.
	b.ReportMetric(float64(n*b.N)/(cpuTime()-cpuStart).Seconds(), "rows/cpu-s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// cpuTime is the user + system CPU time used by the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecodeRow measures the decoder alone on one realistic row.
func BenchmarkDecodeRow(b *testing.B) {
	d := schema.NewDecoder(territory.Default())
	d.CheckHours = schema.CheckHours
	names := []string{"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "latitude", "longitude", "telephone", "courriels", "horaires", "date_maj", "services", "frais_a_charge", "modalites_acces"}
	values := []string{"lieu-1", "43493312300029", "Médiathèque de Reims", "Reims", "51100", "51454", "12 rue de Leclercq", "49.2535", "4.0551", "03 26 00 00 00", "contact@reims.fr", "Mo-Fr 09:00-12:00,14:00-17:00", "2024-04-02", "Aide aux démarches administratives|Accès internet et matériel informatique", "Gratuit", "Se présenter"}
	var fs []schema.Finding
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		values[0] = "lieu-" + strconv.Itoa(i)
		_, fs = d.Decode(i, names, values, fs[:0])
	}
}
