package merge

import (
	"fmt"
	"hash/fnv"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestSampleCandidates prints candidate pairs of the named source pairs to
// read and label for testdata/pairs.csv: per source pair, MERGE_N pairs
// taken in a fixed pseudo-random order (FNV hash of the refs), half with a
// score between 0.1 and 0.9, a quarter above, a quarter below; pairs
// already labelled are left out. MERGE_SAMPLE=list prints the number of
// candidate pairs of every source pair.
//
//	MERGE_SAMPLE='france-services:cnfs-conseiller-numerique' MERGE_N=30 go test ./merge -run TestSampleCandidates -v
func TestSampleCandidates(t *testing.T) {
	want := os.Getenv("MERGE_SAMPLE")
	if want == "" {
		t.Skip("labelling aid: set MERGE_SAMPLE='source:source,…' (or list) and MERGE_N")
	}
	recs := loadReal(t)
	opts := DefaultOptions()
	opts.defaults()
	res := Run(recs, nil, opts)
	cluster := map[RecordRef]string{}
	for _, c := range res.Clusters {
		for _, m := range c.Members {
			cluster[m] = c.ID
		}
	}
	// the engine's order and blocks
	o := opts
	sorted := append(recs[:0:0], recs...)
	sort.Slice(sorted, func(i, j int) bool {
		return RecordRef{Source: sorted[i].Source, ID: sorted[i].ID}.Less(RecordRef{Source: sorted[j].Source, ID: sorted[j].ID})
	})
	preps := make([]prepared, len(sorted))
	for i := range sorted {
		preps[i] = prepare(&sorted[i], o.Territory, o.ProgramSources)
	}
	bl := buildBlocks(preps, o.Workers)
	labelled := map[[2]RecordRef]bool{}
	for _, p := range readPairs(t) {
		labelled[[2]RecordRef{p.a, p.b}] = true
		labelled[[2]RecordRef{p.b, p.a}] = true
	}
	pairKey := func(a, b string) [2]string {
		if b < a {
			a, b = b, a
		}
		return [2]string{a, b}
	}
	wanted := map[[2]string]bool{}
	for _, p := range strings.Split(want, ",") {
		a, b, _ := strings.Cut(p, ":")
		wanted[pairKey(a, b)] = true
	}
	n, _ := strconv.Atoi(os.Getenv("MERGE_N"))
	type cand struct {
		i, j int32
		s    float64
		h    uint64
	}
	bySources := map[[2]string][]cand{}
	var buf []int32
	for i := range preps {
		buf = bl.candidates(preps, int32(i), buf)
		for _, j := range buf {
			k := pairKey(preps[i].ref.Source, preps[j].ref.Source)
			if want != "list" && !wanted[k] || labelled[[2]RecordRef{preps[i].ref, preps[j].ref}] {
				continue
			}
			s, _ := decide(features(&preps[i], &preps[j]), o.weights())
			h := fnv.New64a()
			h.Write([]byte(preps[i].ref.String() + "\x00" + preps[j].ref.String()))
			bySources[k] = append(bySources[k], cand{int32(i), j, s, h.Sum64()})
		}
	}
	var keys [][2]string
	for k := range bySources {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(bySources[keys[i]]) > len(bySources[keys[j]]) })
	for _, k := range keys {
		cs := bySources[k]
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
		fmt.Printf("=== %s ~ %s: %d candidates (below 0.1: %d, between: %d, above 0.9: %d)\n", k[0], k[1], len(cs), len(lo), len(mid), len(hi))
		if want == "list" {
			continue
		}
		take := func(x []cand, m int) []cand {
			sort.Slice(x, func(a, b int) bool { return x[a].h < x[b].h })
			return x[:min(m, len(x))]
		}
		sel := append(append(take(mid, n/2), take(hi, n/4)...), take(lo, n-n/2-n/4)...)
		for _, c := range sel {
			a, b := &preps[c.i], &preps[c.j]
			fmt.Printf("%s,%s,%s,%s  [score %.2f, together %v]\n  A %s\n  B %s\n", a.ref.Source, a.ref.ID, b.ref.Source, b.ref.ID, c.s,
				cluster[a.ref] == cluster[b.ref], showRecord(a.rec), showRecord(b.rec))
		}
	}
}
