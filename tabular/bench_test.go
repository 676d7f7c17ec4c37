package tabular

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"testing"
)

const benchRows = 20000

// syntheticCSV returns a CSV of rows records of 30 columns looking like a
// national-schema export: quoted text with ';' inside, coordinates, codes.
func syntheticCSV(rows int) []byte {
	var b bytes.Buffer
	for c := 0; c < 30; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "colonne_%02d", c)
	}
	b.WriteString("\r\n")
	for i := 0; i < rows; i++ {
		for c := 0; c < 30; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			switch c % 6 {
			case 0:
				b.WriteString(strconv.Itoa(i))
			case 1:
				fmt.Fprintf(&b, "Médiathèque n°%d de Saint-Étienne", i)
			case 2:
				b.WriteString(`"Accéder à du matériel;Prendre en main un smartphone;Réaliser des démarches"`)
			case 3:
				fmt.Fprintf(&b, "%.6f", 43.5+float64(i%1000)/1000)
			case 4:
				b.WriteString(`"Mo-Fr 09:00-12:00,14:00-17:30"`)
			case 5:
				// empty field
			}
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// syntheticNDJSON returns rows JSON objects of 15 members, one per line.
func syntheticNDJSON(rows int) []byte {
	var b bytes.Buffer
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, `{"id":"%d","nom":"Médiathèque n°%d","commune":"Saint-Étienne","code_postal":"42000",`+
			`"latitude":%.6f,"longitude":4.387,"services":["Accéder à du matériel","Se former"],`+
			`"adresse":{"voie":"1 rue de la République","complement":null},"telephone":"+33477000000",`+
			`"courriels":"contact@example.org","horaires":"Mo-Fr 09:00-12:00","itinerance":false,`+
			`"date_maj":"2024-01-15","source":"bench","pivot":"00000000000000"}`+"\n", i, i, 45+float64(i%1000)/1000)
	}
	return b.Bytes()
}

func benchmarkRead(b *testing.B, name string, data []byte, opt Options) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), name, opt)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkCSV30Columns(b *testing.B) {
	benchmarkRead(b, "bench.csv", syntheticCSV(benchRows), Options{})
}

func BenchmarkCSV30ColumnsReuseRow(b *testing.B) {
	benchmarkRead(b, "bench.csv", syntheticCSV(benchRows), Options{ReuseRow: true})
}

func BenchmarkCSV30ColumnsForcedUTF8(b *testing.B) {
	benchmarkRead(b, "bench.csv", syntheticCSV(benchRows), Options{Encoding: "utf-8", ReuseRow: true})
}

func BenchmarkNDJSON(b *testing.B) {
	benchmarkRead(b, "bench.ndjson", syntheticNDJSON(benchRows), Options{})
}

func BenchmarkJSONArray(b *testing.B) {
	nd := syntheticNDJSON(benchRows)
	data := append([]byte{'['}, bytes.ReplaceAll(bytes.TrimSpace(nd), []byte("}\n{"), []byte("},\n{"))...)
	data = append(data, ']')
	benchmarkRead(b, "bench.json", data, Options{})
}
