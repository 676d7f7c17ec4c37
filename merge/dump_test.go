package merge

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"maillage"
)

// TestDumpPairErrors prints every labelled pair the model gets wrong
// (pairwise or in the clusters) with both records' key fields and the
// terms of the score; MERGE_DUMP=all prints every pair.
//
//	MERGE_DUMP=1 go test ./merge -run TestDumpPairErrors -v
func TestDumpPairErrors(t *testing.T) {
	if os.Getenv("MERGE_DUMP") == "" {
		t.Skip("diagnostic printout of the model's errors on the labelled set: set MERGE_DUMP=1 (or all) to run it")
	}
	recs := loadReal(t)
	pairs := readPairs(t)
	idx := recordIndex(recs)
	opts := DefaultOptions()
	res := Run(recs, nil, opts)
	cluster := map[RecordRef]string{}
	for _, c := range res.Clusters {
		for _, m := range c.Members {
			cluster[m] = c.ID
		}
	}
	all := os.Getenv("MERGE_DUMP") == "all"
	for _, p := range pairs {
		a, b := idx[p.a], idx[p.b]
		f := opts.Compare(a, b)
		s, _ := decide(f, opts.weights())
		together := cluster[p.a] == cluster[p.b]
		pw := s >= opts.Threshold
		if !all && together == p.same && pw == p.same {
			continue
		}
		fmt.Printf("=== line %d label same=%v pair=%v clus=%v score %.3f note=%q\n", p.line, p.same, pw, together, s, p.note)
		for _, r := range []RecordRef{p.a, p.b} {
			x := idx[r]
			q := &x.Place
			fmt.Printf("  %s/%s | %q | %s | %s %s %s | prec=%s %.5f,%.5f | tel=%s | mail=%v | web=%v | piv=%s | typ=%v\n", x.Source, x.ID, q.Name, q.Address, q.PostalCode, q.INSEECode, q.Commune, x.Precision, q.Latitude, q.Longitude, q.Telephone, q.Emails, q.Websites, q.Pivot, q.Typologies)
		}
		fmt.Printf("  kinds %v / %v dist %.3f\n", f.KindsA, f.KindsB, f.DistanceKm)
		for _, tm := range f.Terms() {
			if tm.Value != 0 {
				fmt.Printf("    %s=%.2f(%+.2f)", tm.Feature, tm.Value, tm.Contribution)
			}
		}
		fmt.Println()
	}
}

// TestDumpClusterErrors prints the pairs the clustering gets wrong while
// the pair's own score is right: both clusters and the scores across them.
//
//	MERGE_DUMP=1 go test ./merge -run TestDumpClusterErrors -v
func TestDumpClusterErrors(t *testing.T) {
	if os.Getenv("MERGE_DUMP") == "" {
		t.Skip("diagnostic printout of the model's errors on the labelled set: set MERGE_DUMP=1 (or all) to run it")
	}
	recs := loadReal(t)
	pairs := readPairs(t)
	idx := recordIndex(recs)
	opts := DefaultOptions()
	res := Run(recs, nil, opts)
	cl := map[RecordRef]*Cluster{}
	for i := range res.Clusters {
		for _, m := range res.Clusters[i].Members {
			cl[m] = &res.Clusters[i]
		}
	}
	for _, p := range pairs {
		a, b := idx[p.a], idx[p.b]
		s, _ := decide(opts.Compare(a, b), opts.weights())
		pw := s >= opts.Threshold
		together := cl[p.a] == cl[p.b]
		if pw != p.same || together == p.same {
			continue
		}
		fmt.Printf("=== line %d same=%v score %.3f together=%v\n", p.line, p.same, s, together)
		seen := map[*Cluster]bool{}
		for _, r := range []RecordRef{p.a, p.b} {
			c := cl[r]
			if seen[c] {
				continue
			}
			seen[c] = true
			fmt.Printf("  cluster of %s:\n", r)
			for _, m := range c.Members {
				x := idx[m]
				fmt.Printf("    %s | %q | %s | %s | tel=%s mail=%v\n", m, x.Place.Name, x.Place.Address, x.Place.Commune, x.Place.Telephone, x.Place.Emails)
			}
		}
		// scores across
		ca, cb := cl[p.a], cl[p.b]
		if ca != cb {
			for _, x := range ca.Members {
				for _, y := range cb.Members {
					s, _ := decide(opts.Compare(idx[x], idx[y]), opts.weights())
					fmt.Printf("    %.3f %s ~ %s\n", s, x, y)
				}
			}
		}
	}
}

// TestExplainPairs prints both records and the terms of the pairs named
// in MERGE_EXPLAIN ("source/id~source/id;…"), and every record of
// MERGE_SHOW ("source/id;…"), to read records while labelling.
//
//	MERGE_EXPLAIN='france-services/2408~hinaura/h861486e65f88351d1d09' go test ./merge -run TestExplainPairs -v
func TestExplainPairs(t *testing.T) {
	if os.Getenv("MERGE_EXPLAIN") == "" && os.Getenv("MERGE_SHOW") == "" {
		t.Skip("diagnostic printout: set MERGE_EXPLAIN='source/id~source/id;…' or MERGE_SHOW='source/id;…'")
	}
	recs := loadReal(t)
	idx := recordIndex(recs)
	opts := DefaultOptions()
	ref := func(s string) RecordRef {
		src, id, _ := strings.Cut(strings.TrimSpace(s), "/")
		return RecordRef{Source: src, ID: id}
	}
	for _, s := range strings.Split(os.Getenv("MERGE_SHOW"), ";") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if x := idx[ref(s)]; x != nil {
			fmt.Println(showRecord(x))
		} else {
			fmt.Printf("%s: no such record\n", s)
		}
	}
	for _, p := range strings.Split(os.Getenv("MERGE_EXPLAIN"), ";") {
		a, b, ok := strings.Cut(p, "~")
		if !ok {
			continue
		}
		x, y := idx[ref(a)], idx[ref(b)]
		if x == nil || y == nil {
			fmt.Printf("%s: record missing\n", p)
			continue
		}
		f := opts.Compare(x, y)
		s, reason := decide(f, opts.weights())
		fmt.Printf("=== %s ~ %s: %.3f (%s)\n  %s\n  %s\n  kinds %v / %v\n%s", a, b, s, reason, showRecord(x), showRecord(y), f.KindsA, f.KindsB, Explain(f))
	}
}

// showRecord is one record's key fields on one line.
func showRecord(x *maillage.Record) string {
	q := &x.Place
	return fmt.Sprintf("%s/%s | %q | %q | %s %s %s | prec=%s %.5f,%.5f | tel=%s | mail=%v | web=%v | piv=%s | typ=%v | maj=%s", x.Source, x.ID, q.Name, q.Address, q.PostalCode, q.INSEECode, q.Commune, x.Precision, q.Latitude, q.Longitude, q.Telephone, q.Emails, q.Websites, q.Pivot, q.Typologies, q.UpdatedOn.Format("2006-01-02"))
}
