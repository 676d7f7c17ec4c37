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
