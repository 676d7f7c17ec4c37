package idset

import "testing"

func TestAdd(t *testing.T) {
	var s Set
	for i := uint64(0); i < 100_000; i++ {
		if !s.Add(i * 0x9e3779b97f4a7c15) {
			t.Fatalf("hash %d reported present before it was added", i)
		}
	}
	if s.Len() != 100_000 {
		t.Fatalf("Len = %d", s.Len())
	}
	for i := uint64(0); i < 100_000; i++ {
		if s.Add(i * 0x9e3779b97f4a7c15) {
			t.Fatalf("hash %d added twice", i)
		}
	}
	// 0 and 1 share a slot value: documented.
	var z Set
	if !z.Add(0) || z.Add(1) {
		t.Error("0 is stored as 1")
	}
}

func BenchmarkAdd(b *testing.B) {
	var s Set
	for i := 0; i < b.N; i++ {
		s.Add(uint64(i) * 0x9e3779b97f4a7c15)
	}
}
