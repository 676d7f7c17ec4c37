package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"maillage/tabular"
)

// BenchmarkMap maps realistic rows: Hinaura records (dictionaries, quoted
// splits, keywords, per-day hours, hash id), France Services rows (per-day
// hours) and Maine-et-Loire rows (Lambert-93). The rows cycle over the first
// 200 of the file, so the cache of hours conversions is warm, as it is on
// most rows of a real import (sources repeat their hours).
func BenchmarkMap(b *testing.B) {
	for _, src := range []struct{ mapping, data string }{
		{"hinaura.yaml", "sources_raw/hinaura-aura-raw.json"},
		{"france-services.yaml", "sources_raw/france-services-liste-20221201.csv"},
		{"maine-et-loire.yaml", "sources_raw/maine-et-loire.json"},
	} {
		b.Run(src.mapping, func(b *testing.B) {
			path := needData(b, src.data)
			m, err := LoadMapping(filepath.Join("..", "sources", src.mapping))
			if err != nil {
				b.Fatal(err)
			}
			rows := readRows(b, m, path, 200)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := m.Map(rows[i%len(rows)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseMapping measures loading the largest mapping file.
func BenchmarkParseMapping(b *testing.B) {
	data, err := os.ReadFile("../sources/hinaura.yaml")
	if err != nil {
		b.Skip("fichier de correspondance absent")
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseMapping(data, "hinaura.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

func readRows(b *testing.B, m *Mapping, path string, n int) []*tabular.Row {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := tabular.NewReader(f, filepath.Base(path), m.ReaderOptions())
	if err != nil {
		b.Fatal(err)
	}
	var rows []*tabular.Row
	for len(rows) < n {
		row, err := r.Next()
		if err != nil {
			break
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		b.Fatal("aucune ligne lue")
	}
	return rows
}
