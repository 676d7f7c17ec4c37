package merge

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"maillage"
	"maillage/territory"
)

// RecordRef names a record: its source and its id in the source.
type RecordRef = maillage.RecordRef

// Decision is a person's decision on two records (maillage.Decision).
type Decision = maillage.Decision

// Options of a clustering.
type Options struct {
	// Threshold is the score from which two records match (0.5 when 0).
	Threshold float64
	// MaxSize is the largest cluster the model may build (32 when 0);
	// manual links may exceed it.
	MaxSize int
	// ProgramSources names the sources whose own numeric ids are programme
	// ids, with the programme: "france-services" → "france-services".
	ProgramSources map[string]string
	// Territory folds arrondissements into their commune (the embedded
	// territory when nil).
	Territory *territory.Data
	// MinLink is the no-chaining rule's bar: two clusters merge only if
	// the mean score of the pairs across them is at least MinLink and no
	// pair across scores below it with evidence against (see Run; 0.35
	// when 0).
	MinLink float64
	// Workers scores candidate pairs in parallel (GOMAXPROCS when 0).
	Workers int
	// Uncertain is how many of the most uncertain pairs Run reports (50
	// when 0, none when negative).
	Uncertain int
	// model replaces the model's weights (the fitting's cross-validation
	// clusters with the weights of each fold); nil for modelWeights.
	model *weights
}

// weights are the model's weights these options score with.
func (o *Options) weights() *weights {
	if o.model != nil {
		return o.model
	}
	return &modelWeights
}

// DefaultOptions are the options of the real sources Maillage ships.
func DefaultOptions() Options {
	return Options{
		Threshold: defaultThreshold,
		MaxSize:   32,
		ProgramSources: map[string]string{
			"france-services":           "france-services",
			"2020-france-services-cget": "france-services",
		},
	}
}

func (o *Options) defaults() {
	if o.Threshold == 0 {
		o.Threshold = defaultThreshold
	}
	if o.MaxSize == 0 {
		o.MaxSize = 32
	}
	if o.MinLink == 0 {
		o.MinLink = 0.35
	}
	if o.Territory == nil {
		o.Territory = territory.Default()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Uncertain == 0 {
		o.Uncertain = 50
	}
}

// Cluster is a set of records that denote one place.
type Cluster struct {
	// ID is the consolidated place's id: see ClusterID.
	ID string `json:"id"`
	// Members are the records' refs, sorted by source then id; Records
	// points to the same records, in the same order.
	Members []RecordRef        `json:"members"`
	Records []*maillage.Record `json:"-"`
	// Pairs are the scored pairs inside the cluster that made it (the
	// edges accepted), with why.
	Pairs []Pair `json:"pairs,omitempty"`
}

// Pair is two records with the model's score and how the pair was
// decided.
type Pair struct {
	A, B   RecordRef
	Score  float64
	Reason string // ReasonModel, ReasonIdentifier, ReasonLink, ReasonUnlink
}

// Reasons of a pair.
const (
	ReasonModel      = "modele"
	ReasonIdentifier = "identifiant"
	ReasonLink       = "lien_manuel"
	ReasonUnlink     = "separation_manuelle"
)

// Result is what Run gives: the clusters, the most uncertain pairs for
// human review and counts.
type Result struct {
	Clusters []Cluster
	// Uncertain are the candidate pairs whose score is closest to the
	// threshold, most uncertain first.
	Uncertain []Pair
	// Candidates is the number of candidate pairs scored; Matches the
	// number of pairs at or above the threshold (or linked).
	Candidates, Matches int
	// Rejected counts merges the no-chaining rule or the size guard
	// refused.
	Rejected int
}

// ClusterID is the stable id of a consolidated place: "lieu-" and the first
// 16 hex digits of the SHA-256 of the smallest member's "source\x00id".
// It stays the same across re-imports as long as that record stays in the
// cluster; when it disappears (or leaves the cluster), the place takes the
// id of its new smallest member, and the store is expected to keep the old
// id as an alias of the new one so links to it still resolve.
func ClusterID(smallest RecordRef) string {
	h := sha256.Sum256([]byte(smallest.Source + "\x00" + smallest.ID))
	return "lieu-" + hex.EncodeToString(h[:8])
}

// Cluster groups records that denote the same place (see Run).
func Clusters(records []maillage.Record, decisions []Decision, opts Options) []Cluster {
	return Run(records, decisions, opts).Clusters
}

// Run groups records that denote the same place.
//
//  1. Candidate pairs come from blocks: the same geographic cell of about
//     550 m (and its neighbours) for records with precise coordinates; the
//     same commune and a shared distinctive name word; the same commune
//     and street; the same département and distinctive name when one of
//     the records is placed at its commune's centre; the same programme
//     id; the same real SIRET; the same phone or e-mail in the same
//     département.
//  2. Each candidate pair is scored (Compare, Score). Pairs sharing a
//     programme id match by identifier; pairs with the same real SIRET and
//     the same address or within 100 m score as the model says, with the
//     SIRET as one of its features.
//  3. Manual links are applied first, then matching pairs from the highest
//     score down: two clusters merge only if the mean score of the pairs
//     across them is at least MinLink, none is manually unlinked,
//     the result is within MaxSize and no pair across vetoes: a pair
//     vetoes when it scores below MinLink with evidence against (streets,
//     numbers, communes, contacts, SIRET, kinds, distance or a mobile
//     service disagree; see against), not a pair that scores low for want
//     of evidence. Kinds of places are compared between the clusters too
//     (see crossScore). Pairs that were no candidates are scored then. So
//     a cluster never grows by transitivity alone: A~B and B~C with A≁C
//     (C scoring below MinLink against A with evidence against, or the
//     pairs across scoring below MinLink on average)
//     leave C out of {A, B}.
//  4. Records are ordered by place (a Z-order curve over the cells) and
//     (source, id) before anything else and ties are broken by that
//     order, so the same records give the same clusters and ids whatever
//     their order in the input.
func Run(records []maillage.Record, decisions []Decision, opts Options) Result {
	opts.defaults()
	n := len(records)
	// Records are ordered by place (a Z-order curve over the geographic
	// cells), then by ref: nearby records, which are most candidate pairs,
	// sit together in memory, and the order depends only on the records.
	type ordered struct {
		z   uint64
		i   int
		ref RecordRef
	}
	ord := make([]ordered, n)
	for i := range records {
		r := &records[i]
		ord[i] = ordered{zOrder(r.Place.Latitude, r.Place.Longitude), i, RecordRef{Source: r.Source, ID: r.ID}}
	}
	slices.SortFunc(ord, func(a, b ordered) int {
		switch {
		case a.z != b.z:
			if a.z < b.z {
				return -1
			}
			return 1
		}
		return compareRefs(a.ref, b.ref)
	})
	order := make([]int, n)
	for k, o := range ord {
		order[k] = o.i
	}
	ord = nil
	preps := make([]prepared, n)
	parallel(n, opts.Workers, func(i int) {
		preps[i] = prepare(&records[order[i]], opts.Territory, opts.ProgramSources)
	})
	byRef := make(map[RecordRef]int32, n)
	for i := range preps {
		byRef[preps[i].ref] = int32(i)
	}
	bl := buildBlocks(preps, opts.Workers)
	edges, candidates := scorePairs(preps, bl, opts)

	e := &engine{preps: preps, opts: opts, scores: make(map[uint64]pairScore, len(edges)/2)}
	for _, ed := range edges {
		if ed.score >= opts.MinLink {
			e.scores[key(ed.a, ed.b)] = pairScore{score: ed.score, reason: ed.reason}
		}
	}
	// Manual decisions: unlinks are hard constraints, links forced.
	e.unlinked = map[uint64]bool{}
	var links [][2]int32
	for _, d := range decisions {
		a, okA := byRef[d.A]
		b, okB := byRef[d.B]
		if !okA || !okB || a == b {
			continue // a decision on a record that is gone waits for it
		}
		k := key(a, b)
		if d.Link {
			delete(e.unlinked, k)
			e.scores[k] = pairScore{score: 1, reason: ReasonLink}
			links = append(links, [2]int32{a, b})
		} else {
			e.unlinked[k] = true
			e.scores[k] = pairScore{score: 0, reason: ReasonUnlink, veto: true}
		}
	}
	e.init(n)
	res := Result{Candidates: candidates}
	for _, l := range links {
		if !e.unlinked[key(l[0], l[1])] {
			e.merge(l[0], l[1], true)
		}
	}
	// Accepted edges, best first.
	slices.SortFunc(edges, func(a, b edge) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case a.a != b.a:
			return int(a.a - b.a)
		}
		return int(a.b - b.b)
	})
	for _, ed := range edges {
		if ed.score < opts.Threshold {
			continue
		}
		res.Matches++
		if e.unlinked[key(ed.a, ed.b)] {
			continue
		}
		if !e.merge(ed.a, ed.b, false) {
			res.Rejected++
		}
	}
	res.Clusters = e.clusters()
	if opts.Uncertain > 0 {
		res.Uncertain = uncertain(edges, preps, opts)
	}
	return res
}

type pairScore struct {
	score  float64
	reason string
	veto   bool // below MinLink with strong evidence against (see against)
}

type edge struct {
	a, b   int32 // a < b
	score  float64
	reason string
}

func key(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

// engine merges clusters under the no-chaining rule.
type engine struct {
	preps    []prepared
	opts     Options
	scores   map[uint64]pairScore
	unlinked map[uint64]bool
	of       []int32   // record → cluster (index of its representative)
	members  [][]int32 // representative → members
	kinds    []uint32  // representative → the kinds its members state
	// refused are the merges refused, by (representative, size) of both
	// clusters: a cluster only grows, so the same state gives the same
	// answer.
	refused map[[4]int32]bool
}

func (e *engine) init(n int) {
	e.of = make([]int32, n)
	e.members = make([][]int32, n)
	e.kinds = make([]uint32, n)
	e.refused = map[[4]int32]bool{}
	for i := range e.of {
		e.of[i] = int32(i)
		e.members[i] = []int32{int32(i)}
		e.kinds[i] = e.preps[i].kinds
	}
}

// score of a pair: the stored one, or computed now for a pair that was no
// candidate.
func (e *engine) score(a, b int32) pairScore {
	if s, ok := e.scores[key(a, b)]; ok {
		return s
	}
	s := e.judge(pairFeatures(&e.preps[a], &e.preps[b]))
	e.scores[key(a, b)] = s
	return s
}

// judge scores features and says whether they veto a merge.
func (e *engine) judge(f Features) pairScore {
	var s pairScore
	s.score, s.reason = decide(f, e.opts.weights())
	s.veto = s.score < e.opts.MinLink && (against(&f, e.opts.weights()) <= -vetoEvidence || oneSourceApart(&f))
	return s
}

// crossScore scores x and y for the merge of their clusters, whose members
// state the kinds kx and ky. Kinds of places are compared between the
// clusters too: two records whose kinds exclude each other do not veto
// when their clusters' kinds meet (a copy of a record without its
// typologies is the same place as the copy with them), two records that
// state no conflicting kinds conflict when their clusters' kinds exclude
// each other, and a record that states no kind is hosted by a cluster
// that is a France Services. Otherwise the better of the two scores
// counts.
func (e *engine) crossScore(x, y int32, kx, ky uint32) pairScore {
	px, py := &e.preps[x], &e.preps[y]
	s := e.score(x, y)
	if px.kinds == kx && py.kinds == ky || s.reason != ReasonModel {
		return s
	}
	a, b := *px, *py
	a.kinds, b.kinds = kx, ky
	c := e.judge(pairFeatures(&a, &b))
	if kindConflict(kx, ky) || c.score > s.score {
		return c
	}
	return s
}

// vouchScore is the score from which a member of a cluster vouches for
// a pair that vetoes (see vouched): a sure match, not a likely one (chosen
// on the labelled pairs, like MinLink).
const vouchScore = 0.85

// vouched reports whether the cluster of x or of y vouches for the pair
// x, y that vetoes the merge of their clusters ma and mb (whose kinds are
// ka and kb): another member c of x's cluster surely matches y on the
// model's evidence (vouchScore, no veto; a shared identifier says
// nothing of the place, and would let a record carrying two programme
// ids chain their places) and either
//
//   - c shares a programme id with x and was updated no earlier than x,
//     or is at x's address: the copies are one permanence, and when a
//     copy at least as fresh is at y's place, x's address, contacts or
//     kind are outdated or its organisation's, not a second place (an
//     older copy elsewhere at y's place is a move and vouches for
//     nothing; an older copy at x's own address, say with the contacts
//     y gives, is the same place known earlier); or
//   - x and y disagree on their telephones and e-mails alone and c
//     shares y's telephone or one of its e-mails: the place has several
//     contacts (the counter's and its organisation's), and x gave another
//     one of them;
//
// or the same with the roles of x and y swapped.
func (e *engine) vouched(x, y int32, ma, mb []int32, ka, kb uint32) bool {
	contactsOnly := -1 // whether the pair's evidence against is its contacts alone; -1 until known
	vouch := func(x, y int32, mx []int32, kx, ky uint32) bool {
		px, py := &e.preps[x], &e.preps[y]
		for _, c := range mx {
			if c == x {
				continue
			}
			pc := &e.preps[c]
			copyOf := sharesID(pc, px) && (!pc.rec.Place.UpdatedOn.Before(px.rec.Place.UpdatedOn) || sameAddress(pc, px))
			contact := pc.phoneN != 0 && pc.phoneN == py.phoneN || compareSets(pc.emails, py.emails) > 0
			if !copyOf && !contact {
				continue
			}
			if !copyOf {
				if contactsOnly < 0 {
					contactsOnly = b2i(e.contactsOnly(x, y, ka, kb))
				}
				if contactsOnly == 0 {
					continue
				}
			}
			if s := e.crossScore(c, y, kx, ky); s.reason == ReasonModel && !s.veto && s.score >= vouchScore {
				return true
			}
		}
		return false
	}
	return vouch(x, y, ma, ka, kb) || vouch(y, x, mb, kb, ka)
}

// contactsOnly: the evidence against x and y comes from their telephones
// and e-mails alone (without them the pair would not veto), and their
// clusters' kinds (ka, kb) do not exclude each other.
func (e *engine) contactsOnly(x, y int32, ka, kb uint32) bool {
	if kindConflict(ka, kb) {
		return false
	}
	f := pairFeatures(&e.preps[x], &e.preps[y])
	if f.Phone >= 0 && f.Email >= 0 {
		return false
	}
	f.Phone, f.Email, f.PhoneClose = 0, 0, false
	return against(&f, e.opts.weights()) > -vetoEvidence
}

// sameAddress: the same commune, house number and street.
func sameAddress(a, b *prepared) bool {
	return a.number != "" && a.number == b.number && len(a.street) > 0 && len(b.street) > 0 &&
		streetSimilarity(a.street, b.street) >= 0.8 && sameCommune(a, b)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sharesID: the two records embed the same programme id.
func sharesID(a, b *prepared) bool {
	for _, x := range a.ids {
		if slices.Contains(b.ids, x) {
			return true
		}
	}
	return false
}

func kindConflict(a, b uint32) bool { return a != 0 && b != 0 && a&b == 0 }

// merge joins the clusters of a and b; unless forced, only when every pair
// across matches and the size guard allows it. Unlinked pairs never join.
func (e *engine) merge(a, b int32, forced bool) bool {
	ca, cb := e.of[a], e.of[b]
	if ca == cb {
		return true
	}
	ma, mb := e.members[ca], e.members[cb]
	if !forced && len(ma)+len(mb) > e.opts.MaxSize {
		return false
	}
	state := [4]int32{ca, int32(len(ma)), cb, int32(len(mb))}
	if !forced && e.refused[state] {
		return false // refused before, and neither cluster changed since
	}
	refuse := func() bool {
		if !forced {
			e.refused[state] = true
		}
		return false
	}
	var sum float64
	ka, kb := e.kinds[ca], e.kinds[cb]
	for _, x := range ma {
		for _, y := range mb {
			if e.unlinked[key(x, y)] {
				return refuse()
			}
			if forced {
				continue
			}
			s := e.crossScore(x, y, ka, kb)
			if s.veto && !e.vouched(x, y, ma, mb, ka, kb) {
				return refuse()
			}
			sum += s.score
		}
	}
	if !forced && sum < e.opts.MinLink*float64(len(ma)*len(mb)) {
		return refuse()
	}
	if len(ma) < len(mb) || len(ma) == len(mb) && ca > cb {
		ca, cb, ma, mb = cb, ca, mb, ma
	}
	for _, y := range mb {
		e.of[y] = ca
	}
	e.members[ca] = append(ma, mb...)
	e.members[cb] = nil
	e.kinds[ca] |= e.kinds[cb]
	return true
}

func (e *engine) clusters() []Cluster {
	var out []Cluster
	for rep, ms := range e.members {
		if len(ms) == 0 || e.of[rep] != int32(rep) {
			continue
		}
		slices.SortFunc(ms, func(a, b int32) int { return compareRefs(e.preps[a].ref, e.preps[b].ref) })
		c := Cluster{Members: make([]RecordRef, len(ms)), Records: make([]*maillage.Record, len(ms))}
		for i, m := range ms {
			c.Members[i] = e.preps[m].ref
			c.Records[i] = e.preps[m].rec
		}
		c.ID = ClusterID(c.Members[0])
		for i := 0; i < len(ms); i++ {
			for j := i + 1; j < len(ms); j++ {
				if s, ok := e.scores[key(ms[i], ms[j])]; ok && (s.score >= e.opts.Threshold || s.reason == ReasonLink) {
					c.Pairs = append(c.Pairs, Pair{A: c.Members[i], B: c.Members[j], Score: s.score, Reason: s.reason})
				}
			}
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Cluster) int { return compareRefs(a.Members[0], b.Members[0]) })
	return out
}

// uncertain returns the candidate pairs closest to the threshold in
// log-odds, most uncertain first.
func uncertain(edges []edge, preps []prepared, opts Options) []Pair {
	type u struct {
		d float64
		e edge
	}
	logit := func(p float64) float64 {
		p = math.Min(math.Max(p, 1e-9), 1-1e-9)
		return math.Log(p / (1 - p))
	}
	t := logit(opts.Threshold)
	var us []u
	for _, ed := range edges {
		if ed.reason != ReasonModel {
			continue
		}
		us = append(us, u{math.Abs(logit(ed.score) - t), ed})
	}
	sort.Slice(us, func(i, j int) bool {
		if us[i].d != us[j].d {
			return us[i].d < us[j].d
		}
		if us[i].e.a != us[j].e.a {
			return us[i].e.a < us[j].e.a
		}
		return us[i].e.b < us[j].e.b
	})
	if len(us) > opts.Uncertain {
		us = us[:opts.Uncertain]
	}
	out := make([]Pair, len(us))
	for i, x := range us {
		out[i] = Pair{A: preps[x.e.a].ref, B: preps[x.e.b].ref, Score: x.e.score, Reason: x.e.reason}
	}
	return out
}

func parallel(n, workers int, fn func(i int)) {
	if workers <= 1 || n < 1024 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// normalised keys used by blocks
func joinKey(parts ...string) string { return strings.Join(parts, "\x00") }

// compareRefs orders refs by source, then id.
func compareRefs(a, b RecordRef) int {
	if c := strings.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
