package sources

import (
	"slices"
	"testing"
)

func TestMappingsAreEmbedded(t *testing.T) {
	names := Names()
	if len(names) < 22 {
		t.Fatalf("%d mappings embedded, want at least the 22 sources_raw ones: %v", len(names), names)
	}
	if !slices.Contains(names, "france-services") {
		t.Errorf("france-services missing from %v", names)
	}
	if data, ok := Mapping("france-services"); !ok || len(data) == 0 {
		t.Error("Mapping(france-services) not found")
	}
	for _, bad := range []string{"", "../go", "france-services.yaml", "nope"} {
		if _, ok := Mapping(bad); ok {
			t.Errorf("Mapping(%q) found", bad)
		}
	}
}
