package postgres_test

import (
	"testing"

	"maillage/storetest"
)

// BenchmarkImport imports 100,000 synthetic records into a fresh source,
// then again unchanged. Run it with
//
//	MAILLAGE_TEST_POSTGRES_URL=postgres://… go test -run '^$' -bench Import -benchtime 3x ./postgres/
func BenchmarkImport(b *testing.B) {
	storetest.BenchmarkImport(b, openSchema(b, testDatabase(b)), 100_000)
}

// BenchmarkReplaceConsolidated stores 100,000 consolidated places, then
// again unchanged, then with 1 % changed. Run it with
//
//	MAILLAGE_TEST_POSTGRES_URL=… go test -run '^$' -bench ReplaceConsolidated -benchtime 1x ./postgres/
func BenchmarkReplaceConsolidated(b *testing.B) {
	storetest.BenchmarkReplaceConsolidated(b, openSchema(b, testDatabase(b)), 100_000)
}
