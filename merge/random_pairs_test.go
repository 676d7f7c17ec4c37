package merge

import (
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"sort"
	"strconv"
	"testing"
)

// Random evaluation set (issue 5). testdata/pairs.csv was drawn half from
// uncertain scores and the model was tuned on its errors, so its figures
// flatter the model. testdata/random_pairs.csv is an evaluation set the
// model was never tuned on, drawn at random and labelled by reading both
// records (name, address, commune, coordinates, phone, e-mail, website,
// ids, typology) against CLARIFICATIONS.md, "Duplicates".
//
// Population: every pair of real records (loadReal) that the engine either
// compares (a candidate pair of its blocks, buildBlocks) or puts in one
// final cluster (Run with DefaultOptions), minus the pairs of pairs.csv.
// It is cut into three strata by the model as it was at the draw (commit
// ac03335):
//
//	together    the two records are in one final cluster (candidate or not)
//	apart-mid   a candidate pair not in one cluster, pair score ≥ 0.1
//	apart-low   a candidate pair not in one cluster, pair score < 0.1
//
// Drawing: in each stratum the pairs are ordered by the FNV-64a hash of
// randomSeed + "\x00" + ref A + "\x00" + ref B (refs in engine order) and
// the first n are taken, a uniform draw without replacement with a fixed
// seed. `MERGE_RANDOM=80,50,40 go test ./merge -run TestDrawRandomPairs -v`
// prints the stratum sizes and the draw (together, apart-mid, apart-low)
// with both records. Pairs labelled "unsure" are left out of the figures
// and counted.
//
// Estimator: in stratum h of N_h pairs with n_h pairs judged, the shares of
// the judged pairs that are same-and-together (tp), different-and-together
// (fp) and same-and-apart (fn) under the clustering being tested estimate
// the stratum's counts: TP = Σ_h N_h·tp_h/n_h, and the same for FP and FN;
// precision = TP/(TP+FP), recall = TP/(TP+FN) (ratio estimators of the
// stratified totals). With the model of the draw, "together" holds all the
// predicted positives, so precision is that stratum's share of same, and
// the recall's misses come from the two apart strata. The standard errors
// are those of the linearised ratio estimators (finite-population
// correction included). The strata stay those of the draw if the model
// changes: the estimate stays unbiased for that population, though a new
// model's co-clustered pairs outside it are not seen.
//
// At the draw: no false positive among the 79 co-clustered pairs judged
// (most are copies of one programme id across sources, so easy); 11 misses
// among the 47 apart-mid pairs judged (a France services run by the CCAS or
// hosted in a post office or tiers-lieu at its address, one SIRET at two
// numbers of a street, a département's service given with its seat's
// address), none among the 40 apart-low. Duplicates the blocks never compare
// are outside the population: the recall is over candidate pairs.
const randomSeed = "maillage-issue-5-random-pairs-2026-11-23"

// Stratum sizes at the draw (printed by TestDrawRandomPairs).
var randomStrata = map[string]int{
	"together":  22212, // of which 164 are not candidate pairs
	"apart-mid": 2904,
	"apart-low": 69092,
}

var randomStrataOrder = []string{"together", "apart-mid", "apart-low"}

type randomPair struct {
	a, b    RecordRef
	label   string
	stratum string
	line    int
}

func readRandomPairs(t testing.TB) []randomPair {
	t.Helper()
	f, err := os.Open("testdata/random_pairs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []randomPair
	for i, r := range rows[1:] {
		if r[4] != "same" && r[4] != "different" && r[4] != "unsure" {
			t.Fatalf("random_pairs.csv line %d: label %q", i+2, r[4])
		}
		if _, ok := randomStrata[r[6]]; !ok {
			t.Fatalf("random_pairs.csv line %d: stratum %q", i+2, r[6])
		}
		out = append(out, randomPair{RecordRef{Source: r[0], ID: r[1]}, RecordRef{Source: r[2], ID: r[3]}, r[4], r[6], i + 2})
	}
	return out
}

// TestDrawRandomPairs prints the strata and a draw of them to label; see
// the comment of randomSeed.
func TestDrawRandomPairs(t *testing.T) {
	want := os.Getenv("MERGE_RANDOM")
	if want == "" {
		t.Skip("labelling aid: set MERGE_RANDOM='n_together,n_apart_mid,n_apart_low'")
	}
	var ns []int
	for _, s := range splitComma(want) {
		n, _ := strconv.Atoi(s)
		ns = append(ns, n)
	}
	for len(ns) < 3 {
		ns = append(ns, 0)
	}
	recs := loadReal(t)
	opts := DefaultOptions()
	opts.defaults()
	cluster := clusterOf(recs, opts)
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
	type cand struct {
		i, j int32
		s    float64
		cand bool
		h    uint64
	}
	hash := func(i, j int32) uint64 {
		h := fnv.New64a()
		h.Write([]byte(randomSeed + "\x00" + preps[i].ref.String() + "\x00" + preps[j].ref.String()))
		return h.Sum64()
	}
	strata := map[string][]cand{}
	seen := map[[2]int32]bool{}
	var buf []int32
	for i := range preps {
		buf = bl.candidates(preps, int32(i), buf)
		for _, j := range buf {
			k := [2]int32{int32(i), j}
			if seen[k] || labelled[[2]RecordRef{preps[i].ref, preps[j].ref}] {
				continue
			}
			seen[k] = true
			s, _ := decide(features(&preps[i], &preps[j]), o.weights())
			c := cand{int32(i), j, s, true, hash(int32(i), j)}
			switch {
			case cluster[preps[i].ref] == cluster[preps[j].ref]:
				strata["together"] = append(strata["together"], c)
			case s >= 0.1:
				strata["apart-mid"] = append(strata["apart-mid"], c)
			default:
				strata["apart-low"] = append(strata["apart-low"], c)
			}
		}
	}
	// co-clustered pairs that are not candidates
	members := map[string][]int32{}
	for i := range preps {
		c := cluster[preps[i].ref]
		members[c] = append(members[c], int32(i))
	}
	notCand := 0
	for _, m := range members {
		for x := range m {
			for y := x + 1; y < len(m); y++ {
				i, j := m[x], m[y]
				if i > j {
					i, j = j, i
				}
				if seen[[2]int32{i, j}] || labelled[[2]RecordRef{preps[i].ref, preps[j].ref}] {
					continue
				}
				seen[[2]int32{i, j}] = true
				s, _ := decide(features(&preps[i], &preps[j]), o.weights())
				strata["together"] = append(strata["together"], cand{i, j, s, false, hash(i, j)})
				notCand++
			}
		}
	}
	fmt.Printf("strata: together %d (of which %d not candidates), apart-mid %d, apart-low %d\n",
		len(strata["together"]), notCand, len(strata["apart-mid"]), len(strata["apart-low"]))
	for h, name := range randomStrataOrder {
		x := strata[name]
		sort.Slice(x, func(a, b int) bool { return x[a].h < x[b].h })
		for _, c := range x[:min(ns[h], len(x))] {
			a, b := &preps[c.i], &preps[c.j]
			fmt.Printf("%s,%s,%s,%s,%s  [score %.2f, candidate %v]\n  A %s\n  B %s\n", a.ref.Source, a.ref.ID, b.ref.Source, b.ref.ID, name, c.s, c.cand,
				showRecord(a.rec), showRecord(b.rec))
		}
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// The floors TestRandomPairs asserts: the figures reached at the draw
// (precision 1, recall 0.9703), rounded down.
const (
	randomMinPrecision = 0.99
	randomMinRecall    = 0.97
)

// TestRandomPairs estimates the precision and recall of the final clusters
// over all the pairs of the population from the random evaluation set; see
// the comment of randomSeed for the drawing and the estimator.
//
//	go test ./merge -run TestRandomPairs -v
func TestRandomPairs(t *testing.T) {
	pairs := readRandomPairs(t)
	recs := loadReal(t)
	idx := recordIndex(recs)
	cluster := clusterOf(recs, DefaultOptions())
	type tally struct{ n, unsure, tp, fp, fn, tn int }
	st := map[string]*tally{}
	for _, h := range randomStrataOrder {
		st[h] = &tally{}
	}
	for _, p := range pairs {
		if idx[p.a] == nil || idx[p.b] == nil {
			t.Errorf("random_pairs.csv line %d: record missing (%v, %v)", p.line, p.a, p.b)
			continue
		}
		c := st[p.stratum]
		if p.label == "unsure" {
			c.unsure++
			continue
		}
		c.n++
		same, together := p.label == "same", cluster[p.a] == cluster[p.b]
		switch {
		case same && together:
			c.tp++
		case !same && together:
			c.fp++
			t.Logf("line %d (%s): different but clustered together: %v ~ %v", p.line, p.stratum, p.a, p.b)
		case same && !together:
			c.fn++
			t.Logf("line %d (%s): same but apart: %v ~ %v", p.line, p.stratum, p.a, p.b)
		default:
			c.tn++
		}
	}
	// stratified totals and ratio estimators, with linearised variances
	est := func(y, x func(c *tally) int) (r, se float64) {
		var Y, X float64
		for _, h := range randomStrataOrder {
			c, N := st[h], float64(randomStrata[h])
			if c.n == 0 {
				continue
			}
			Y += N * float64(y(c)) / float64(c.n)
			X += N * float64(x(c)) / float64(c.n)
		}
		if X == 0 {
			return 0, 0
		}
		r = Y / X
		var v float64
		for _, h := range randomStrataOrder {
			c, N := st[h], float64(randomStrata[h])
			n := float64(c.n)
			if c.n < 2 {
				continue
			}
			// d = y - r·x over the n judged pairs: the pairs counted in
			// y are also in x (y ⊂ x), so d is 1-r, -r or 0.
			ny, nx := float64(y(c)), float64(x(c))
			vals := [][2]float64{{1 - r, ny}, {-r, nx - ny}, {0, n - nx}}
			var mean, ss float64
			for _, v := range vals {
				mean += v[0] * v[1] / n
			}
			for _, v := range vals {
				ss += (v[0] - mean) * (v[0] - mean) * v[1]
			}
			s2 := ss / (n - 1)
			v += N * N * (1 - n/N) * s2 / n
		}
		return r, math.Sqrt(v) / X
	}
	tp := func(c *tally) int { return (c.tp) }
	pos := func(c *tally) int { return (c.tp + c.fp) }
	dup := func(c *tally) int { return (c.tp + c.fn) }
	ratio := func(a, b int) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.4f", float64(a)/float64(b))
	}
	total, unsure := 0, 0
	for _, h := range randomStrataOrder {
		c := st[h]
		total += c.n + c.unsure
		unsure += c.unsure
		t.Logf("%-9s N %6d  judged %3d (unsure %d): tp %d fp %d fn %d tn %d; precision %s recall %s",
			h, randomStrata[h], c.n, c.unsure, c.tp, c.fp, c.fn, c.tn, ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn))
	}
	p, pse := est(tp, pos)
	r, rse := est(tp, dup)
	t.Logf("stratified over %d pairs (%d drawn, %d unsure left out): clusters precision %.4f (s.e. %.4f), recall %.4f (s.e. %.4f)",
		randomStrata["together"]+randomStrata["apart-mid"]+randomStrata["apart-low"], total, unsure, p, pse, r, rse)
	if c := st["together"]; c.fp == 0 && c.n > 0 {
		// no false positive seen: the one-sided 95% bound is 1-0.05^(1/n)
		t.Logf("no pair of the together stratum is wrong: precision ≥ %.4f at 95%% (0 of %d)", math.Pow(0.05, 1/float64(c.n)), c.n)
	}
	if total < 100 {
		t.Errorf("the random set has %d pairs", total)
	}
	if p < randomMinPrecision || r < randomMinRecall {
		t.Errorf("clusters on the random set: precision %.4f (floor %.2f), recall %.4f (floor %.2f)", p, randomMinPrecision, r, randomMinRecall)
	}
}
