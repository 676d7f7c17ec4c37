// Package merge finds the records of all sources that denote the same
// place ("le même lieu physique où une personne est reçue", see
// docs/CLARIFICATIONS.md) and consolidates each group into one place with
// the provenance of every field.
//
// # API
//
//   - Compare(a, b) Features and Score(Features) float64: the model on one
//     pair; Features.Terms and Explain spell it out (for `maillage merge
//     --explain A B`). The issue names the first function Features; Go
//     does not allow a function and a type of the same name.
//   - Run(records, decisions, opts) Result: clusters, the most uncertain
//     pairs and counts (for `maillage merge --report`); Clusters(…) returns
//     only the clusters (the Cluster function; same naming clash).
//   - Consolidate(cluster, sources) Consolidated: one maillage.Place with
//     the provenance of each field and the member refs.
//
// # Model
//
// A pair of records is compared on normalised keys (package fold, plus
// the expansion of abbreviations — "st"→"saint", "av"→"avenue", "msap",
// "maison de services au public" and "maison des services (publics)"→
// "france services" — and stop words):
//
//   - name: weighted token sets; generic words ("mairie", "espace",
//     "médiathèque", "france services", "association"…) weigh 0.25, the
//     words of the commune's and the département's names 0.35, other
//     words 1; tokens match when equal, one is a prefix of the other
//     (≥ 4 letters) or, for long words, one edit apart; a token of 3 to 6
//     letters that spells the initials of consecutive words of the other
//     name is an acronym of them ("MODE83", "MAM" for "Maison des
//     Alpes-Maritimes"). The feature is max(Jaccard, 0.9×containment),
//     with a term of its own when no distinctive word is shared.
//   - address: house number (same / different) and the street's words
//     without the street type (share of the shorter street found); the
//     same commune, number and street is the same address.
//   - distance, only when both records have coordinates from their source:
//     records at their commune's centre (Precision "commune") are never
//     compared on distance; "same commune" (arrondissements folded into
//     their commune; the same postal code and commune name count when the
//     INSEE codes disagree) and "other commune" count instead. Far points
//     of one commune at the same street (numbers not disagreeing) have a
//     weight of their own: one of them is misplaced.
//   - telephone (numbers of the overseas départements written as
//     metropolitan ones are rewritten; two numbers of one switchboard,
//     the last two digits apart, have a term), e-mail (one typo apart, or
//     the same local part at two names of one domain, counts as the same),
//     the organisation's domain shared by e-mails or websites (mail
//     providers and networks' domains left out), website, pivot (real
//     SIRET/SIREN/RNA only). Phones, e-mails and domains shared by points
//     more than 500 m apart count apart (a network's contact), unless the
//     records give the same street of one commune (a misplaced point).
//   - kinds of place stated by names and typologies (France Services,
//     library, mairie — and "Commune de X" —, CCAS, social centre, mission
//     locale, post office and agence postale, employment, CAF, school,
//     fablab, youth information, the département's social services: MDS,
//     SDSEI, CDAS, maisons des solidarités…): two different kinds are two
//     places (a France Services and the library next door), the same kind
//     counts for. A bare toponym typed France Services ("Serres") is read
//     as "France services Serres".
//   - hosted France Services: a France Services and a record stating no
//     kind at the same address are the counter and the structure that
//     hosts it.
//   - mobile services: a bus or an itinerant antenna against a fixed
//     place, and two mobile services (two stops).
//   - programme ids embedded in record ids: the 24-hex ids of conseillers
//     numériques' permanences (and of France tiers-lieux, a separate
//     namespace), France Services ids ("…-france-services-3080", and the
//     numeric ids of the sources listed in Options.ProgramSources). Two
//     different France Services ids are a near veto.
//
// The score is the logistic function of a weighted sum of these terms
// (Features.Terms, Explain). The weights (weights.go) are fitted on the
// labelled pairs of testdata/pairs.csv: a logistic regression whose
// Gaussian prior (σ = 1.5 log-odds, 4 for the bias) is centred on weights
// set by hand (priorWeights in features.go), fitted by Newton's method to
// the maximum a posteriori; pairs decided by an identifier are left out.
// `MERGE_FIT=1 go test ./merge -run TestFitModel` rewrites weights.go;
// without MERGE_FIT the test fails when weights.go is not the fit of the
// current pairs and features. Identifier rules come first
// (IdentifierMatch): a shared programme id, or the same real SIRET within
// 100 m or at the same number and street of the same commune without a
// kind conflict, match with score 1. Then two records of one source whose
// names share no word, with no telephone, e-mail, website or domain in
// common, score 0 and veto (a source lists a place once: an association's
// lab and the library that hosts it are two services); the 22 labelled
// pairs this rule decides are all two places, and they stay in the fit.
//
// # Clustering
//
// Candidate pairs come from blocks (geographic cells of about 550 m and
// their neighbours, commune + distinctive name word, commune + street,
// programme id, SIRET, département + phone or e-mail, and département +
// distinctive name for records placed at their commune's centre; key
// blocks larger than 400 records are skipped). Manual links are applied
// first; then matching pairs, best first, merge two clusters when the
// mean score of the pairs across is at least Options.MinLink, no pair
// across is manually unlinked, the size guard holds and no pair across
// vetoes. A pair vetoes when it scores below Options.MinLink with
// evidence against of at least 1 in log-odds (differing streets, numbers,
// communes, phones, e-mails, SIRET, France Services ids, kinds, a
// distance, a mobile service): a third record scoring low for want of
// evidence (no contact, another name at the same address) does not keep
// a place out. A veto x~y is overruled when the cluster of x (or of y)
// vouches for the pair: a member that surely matches y on the model's
// evidence (score ≥ 0.85, not by an identifier) and is either a copy of
// x (the same programme id) updated no earlier than x or at x's own
// address — x's other address or contacts are outdated; an older copy
// elsewhere is a move and vouches for nothing — or, when x and y disagree
// on their telephones and e-mails alone, a member with y's telephone or
// e-mail (the place has several contacts).
// Kinds are compared between clusters too: a record stating no kind, or
// fewer than its cluster (a copy without its typologies), is compared
// with its cluster's kinds when that makes or resolves a conflict or
// scores higher. Records are ordered by place (a Z-order curve over the
// geographic cells, so that nearby records sit together in memory) and
// (source, id), and ties are broken by that order; a pair is compared in
// the order of its refs' hashes: the output depends only on the set of
// records and decisions.
//
// # Ids
//
// A consolidated place's id is ClusterID of its smallest (source, id)
// member: stable across re-imports as long as that record stays in the
// cluster. When it disappears, the place takes its new smallest member's
// id; the store should keep the old id as an alias.
//
// # Quality
//
// testdata/pairs.csv holds 577 pairs of 17 source pairs, labelled by
// reading the records (the note column says why for the hard ones). Per
// source pair, pairs were drawn from the candidate pairs in a fixed
// pseudo-random order, half with a score between 0.1 and 0.9, a quarter
// above and a quarter below (`MERGE_SAMPLE='a:b' MERGE_N=32 go test ./merge
// -run TestSampleCandidates -v` prints such a draw): the set is rich in
// hard cases, and its figures are lower than over all pairs of records.
// Lines 2–402 were drawn with the first hand-set model, lines 403–578
// (cnfs ~ France Services, aidants-connect ~ cnfs, France Services ~
// data·inclusion, haute-vienne within itself, hinaura ~ data·inclusion,
// cnfs ~ paca-regionsud) with the fitted one.
//
//	go test ./merge -run TestLabelledPairs -v     # weights fitted on every pair
//	  clusters  precision 0.9912 recall 0.9576 (tp 226 fp 2 fn 10 tn 339)
//	  pairwise  precision 0.9536 recall 0.9576
//	go test ./merge -run TestCrossValidation -v   # weights fitted without the pairs judged
//	  17-fold by source pair: clusters precision 0.9910 recall 0.9322,
//	                          pairwise precision 0.9478 recall 0.9237
//	  held-out third:         clusters precision 0.9733 recall 0.9481,
//	                          pairwise precision 0.9231 recall 0.9351
//
// "Clusters" is whether the two records of a pair end up in one cluster
// after clustering every real record. The targets (precision ≥
// 0.99, recall ≥ 0.95) are reached on this set with the weights fitted on
// it, and TestLabelledPairs asserts them; cross-validated, the recall is
// lower (0.93: the weights fitted without a source pair miss some of its
// hard cases), and TestCrossValidation asserts 0.99 / 0.93. (Before the
// vouching and one-source rules: 0.9867 / 0.9407, cross-validated
// 0.9864 / 0.9195.) The remaining errors are the hard cases: two services
// in one building with nothing but the address to tell them apart (an EPN
// typed as the France Services that hosts it, a repair café in a hall),
// a France Services hosted by a structure whose records share no contact
// with it, places at two addresses (a move, a renamed commune), a
// département's service receiving at a social centre, a France Services
// run by a commune whose record gives no address, and France Services
// bus bases. The threshold (0.5), MinLink (0.35), the veto's evidence
// (1), the score from which a member vouches (0.85) and the prior's σ
// were chosen on these pairs, and the vouching and one-source rules were
// written after reading this set's errors: the figures flatter them (the
// cross-validation refits the weights, not the rules and parameters).
// TestDumpPairErrors and TestDumpClusterErrors (MERGE_DUMP=1) print the
// errors with both records and the terms; MERGE_EXPLAIN='source/id~source/id'
// with TestExplainPairs explains any pair.
//
// An unbiased estimate: testdata/random_pairs.csv, 170 pairs drawn at random
// (fixed seed) from the 94,208 candidate or co-clustered pairs outside
// pairs.csv, stratified (80 co-clustered, 50 apart with score ≥ 0.1, 40 below);
// `go test ./merge -run TestRandomPairs -v` gives clusters precision 1.0000
// (0 wrong of 79; ≥ 0.96 at 95%), recall 0.9703 (s.e. 0.008), 4 unsure left out.
//
// Speed (2 cores shared with other work, so wall times are high):
// `go test ./merge -run '^$' -bench ClusterRealSources -benchtime 3x`
// clusters the 24,633 real records in 0.2–0.45 s; `MAILLAGE_BENCH_1M=1 go
// test ./merge -run '^$' -bench Synthetic1M -benchtime 1x` one million
// synthetic records in 48 s (30 s of user CPU for the whole test binary),
// 3.3 GB peak RSS.
package merge
