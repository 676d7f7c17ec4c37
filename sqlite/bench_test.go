package sqlite_test

import (
	"testing"

	"maillage/storetest"
)

// BenchmarkImport imports 100,000 synthetic records into a fresh source,
// then again unchanged. Run it with
//
//	go test -run '^$' -bench Import -benchtime 3x ./sqlite/
func BenchmarkImport(b *testing.B) {
	storetest.BenchmarkImport(b, openTemp(b), 100_000)
}

// BenchmarkReplaceConsolidated stores 100,000 consolidated places, then
// again unchanged, then with 1 % changed. Run it with
//
//	go test -run '^$' -bench ReplaceConsolidated -benchtime 1x ./sqlite/
func BenchmarkReplaceConsolidated(b *testing.B) {
	storetest.BenchmarkReplaceConsolidated(b, openTemp(b), 100_000)
}
