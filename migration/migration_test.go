package migration

import (
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/010_b.sql": {Data: []byte("B")},
		"migrations/002_a.sql": {Data: []byte("A")},
		"migrations/notes.txt": {Data: []byte("ignored")},
	}
	list, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Version != 2 || list[0].SQL != "A" || list[1].Name != "010_b.sql" {
		t.Fatalf("Load = %+v", list)
	}
	for _, bad := range []fstest.MapFS{
		{"migrations/x_a.sql": {}},
		{"migrations/000_a.sql": {}},
		{"migrations/001_a.sql": {}, "migrations/1_b.sql": {}},
	} {
		if _, err := Load(bad); err == nil {
			t.Errorf("Load(%v) accepted", bad)
		}
	}
}
