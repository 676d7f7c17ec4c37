package territory

import (
	"testing"
)

func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildIndexes measures the name indexes built on first use of
// FindCommuneByName and SearchCommunes.
func BenchmarkBuildIndexes(b *testing.B) {
	d := Default()
	b.Run("search", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.buildSearch()
		}
	})
	b.Run("names", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.buildNames()
		}
	})
}

func BenchmarkFindCommune(b *testing.B) {
	d := Default()
	d.FindCommuneByName("warm the index up")
	cases := []struct{ name, cp, commune string }{
		{"official", "42100", "Saint-Étienne"},
		{"arrondissement", "13011", "MARSEILLE 11"},
		{"old name", "16330", "Vars"},
		{"wrong postal code", "48100", "Mende"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := d.FindCommune(c.cp, c.commune); !ok {
					b.Fatal("not found")
				}
			}
		})
	}
}

func BenchmarkSearchCommunes(b *testing.B) {
	d := Default()
	d.SearchCommunes("warm the index up", 1)
	for _, q := range []string{"s", "saint", "saint-étienne", "etienne", "mars", "480", "7"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.SearchCommunes(q, 10)
			}
		})
	}
}

func BenchmarkCommune(b *testing.B) {
	d := Default()
	for b.Loop() {
		if _, ok := d.Commune("69383"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkInFrance(b *testing.B) {
	InFrance(0, 0)
	for b.Loop() {
		InFrance(-17.55, -149.56)
	}
}
