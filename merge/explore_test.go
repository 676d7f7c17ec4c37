package merge

import (
	"fmt"
	"os"
	"testing"
)

func TestExploreSample(t *testing.T) {
	if os.Getenv("MERGE_EXPLORE") == "" {
		t.Skip()
	}
	recs := loadReal(t)
	n := map[string]int{}
	for i := range recs {
		r := &recs[i]
		if n[r.Source] >= 3 {
			continue
		}
		n[r.Source]++
		p := &r.Place
		fmt.Printf("%s | %s | %q | piv=%s | %s | %s %s %s | %.5f,%.5f | tel=%s | %v | typ=%v prog=%v | maj=%s | src=%s\n", r.Source, r.ID, p.Name, p.Pivot, p.Address, p.PostalCode, p.INSEECode, p.Commune, p.Latitude, p.Longitude, p.Telephone, p.Emails, p.Typologies, p.NationalPrograms, p.UpdatedOn.Format("2006-01-02"), p.Source)
	}
}

func TestExploreIDs(t *testing.T) {
	if os.Getenv("MERGE_EXPLORE") == "" {
		t.Skip()
	}
	recs := loadReal(t)
	shapes := map[string]map[string]int{}
	ex := map[string]string{}
	for i := range recs {
		r := &recs[i]
		s := idShape(r.ID)
		if shapes[r.Source] == nil {
			shapes[r.Source] = map[string]int{}
		}
		shapes[r.Source][s]++
		ex[r.Source+s] = r.ID
	}
	for src, m := range shapes {
		for s, n := range m {
			fmt.Printf("%s\t%s\t%d\t%s\n", src, s, n, ex[src+s])
		}
	}
}

func idShape(id string) string {
	b := []byte(id)
	out := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c = '9'
		case c >= 'a' && c <= 'f':
			c = 'x'
		case c >= 'g' && c <= 'z':
			c = 'a'
		case c >= 'A' && c <= 'Z':
			c = 'A'
		}
		if len(out) > 0 && (out[len(out)-1] == c) && (c == '9' || c == 'x' || c == 'a' || c == 'A') {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
