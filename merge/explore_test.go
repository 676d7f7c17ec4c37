package merge

import (
	"fmt"
	"hash/fnv"
	"maillage"
	"os"
	"sort"
	"strconv"
	"strings"
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

// TestExploreCandidates dumps candidate pairs of source pairs to read and
// label: MERGE_EXPLORE=1 MERGE_PAIRS="a:b,c:d" MERGE_N=60.
func TestExploreCandidates(t *testing.T) {
	if os.Getenv("MERGE_EXPLORE") == "" {
		t.Skip()
	}
	recs := loadReal(t)
	opts := DefaultOptions()
	opts.defaults()
	sorted := make([]maillage.Record, len(recs))
	copy(sorted, recs)
	sort.Slice(sorted, func(i, j int) bool {
		return RecordRef{sorted[i].Source, sorted[i].ID}.less(RecordRef{sorted[j].Source, sorted[j].ID})
	})
	preps := make([]prepared, len(sorted))
	for i := range sorted {
		preps[i] = prepare(&sorted[i], opts.Territory, opts.ProgramSources)
	}
	bl := buildBlocks(preps)
	want := map[[2]string]bool{}
	for _, p := range strings.Split(os.Getenv("MERGE_PAIRS"), ",") {
		a, b, _ := strings.Cut(p, ":")
		want[[2]string{a, b}] = true
		want[[2]string{b, a}] = true
	}
	nmax, _ := strconv.Atoi(os.Getenv("MERGE_N"))
	type cand struct {
		i, j int32
		s    float64
		h    uint64
	}
	byPair := map[[2]string][]cand{}
	var buf []int32
	for i := range preps {
		buf = bl.candidates(preps, int32(i), buf)
		for _, j := range buf {
			k := [2]string{preps[i].ref.Source, preps[j].ref.Source}
			if !want[k] {
				continue
			}
			f := features(&preps[i], &preps[j])
			s, _ := decide(f)
			h := fnv.New64a()
			h.Write([]byte(preps[i].ref.String() + preps[j].ref.String()))
			byPair[k] = append(byPair[k], cand{int32(i), j, s, h.Sum64()})
		}
	}
	for k, cs := range byPair {
		sort.Slice(cs, func(a, b int) bool { return cs[a].h < cs[b].h })
		// take a share of each score band
		var lo, mid, hi []cand
		for _, c := range cs {
			switch {
			case c.s < 0.1:
				lo = append(lo, c)
			case c.s < 0.9:
				mid = append(mid, c)
			default:
				hi = append(hi, c)
			}
		}
		take := func(x []cand, n int) []cand { return x[:min(n, len(x))] }
		sel := append(append(take(mid, nmax/2), take(hi, nmax/4)...), take(lo, nmax/4)...)
		fmt.Printf("=== %s <-> %s : %d candidates (lo %d mid %d hi %d)\n", k[0], k[1], len(cs), len(lo), len(mid), len(hi))
		for _, c := range sel {
			a, b := &preps[c.i], &preps[c.j]
			fmt.Printf("%s,%s,%s,%s  [%.2f]\n  A %s\n  B %s\n", a.ref.Source, a.ref.ID, b.ref.Source, b.ref.ID, c.s, show(a.rec), show(b.rec))
		}
	}
}

func show(r *maillage.Record) string {
	p := &r.Place
	return fmt.Sprintf("%q | %s | %s %s %s | t=%s e=%v w=%v | piv=%s | typ=%v | %.5f,%.5f %s", p.Name, strings.ReplaceAll(p.Address, "\n", " "), p.PostalCode, p.INSEECode, p.Commune, p.Telephone, p.Emails, p.Websites, p.Pivot, p.Typologies, p.Latitude, p.Longitude, r.Precision)
}
