// Command gen writes a synthetic CSV file of places in the national schema,
// for benchmarks: go run ./internal/synth/gen -rows 1000000 -o places.csv
package main

import (
	"flag"
	"fmt"
	"os"

	"maillage/internal/synth"
	"maillage/territory"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "number of rows")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same file)")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Parse()
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := synth.Generate(w, territory.Default(), synth.Options{Rows: *rows, Seed: *seed}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
