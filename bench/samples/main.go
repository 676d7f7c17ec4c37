// Command samples prints the real files the tests and benchmarks import
// (sources.Samples), one "source<TAB>file" line each, file paths relative
// to ../shared/data. bench/api-load.sh reads it to prepare its database.
package main

import (
	"fmt"

	"maillage/sources"
)

func main() {
	for _, s := range sources.Samples {
		fmt.Printf("%s\t%s\n", s.Source, s.File)
	}
}
