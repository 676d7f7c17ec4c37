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
// the expansion of abbreviations — "st"→"saint", "av"→"avenue", "msap" and
// "maison de services au public"→"france services" — and stop words):
//
//   - name: weighted token sets; generic words ("mairie", "espace",
//     "médiathèque", "france services", "association"…) weigh 0.25, the
//     words of the commune's name 0.35, other words 1; tokens match when
//     equal, one is a prefix of the other (≥ 4 letters) or, for long
//     words, one edit apart. The feature is max(Jaccard, 0.9×containment).
//   - address: house number (same / different) and the street's words
//     without the street type (share of the shorter street found).
//   - distance, only when both records have coordinates from their source:
//     records at their commune's centre (Precision "commune") are never
//     compared on distance; "same commune" (arrondissements folded into
//     their commune) and "other commune" count instead. Far points of one
//     commune at the same street (numbers not disagreeing) count half:
//     one of them is misplaced.
//   - telephone, e-mail (counted only for points within 500 m: farther,
//     a shared contact is a network's), website (network sites such as facebook.com or
//     a bare *.gouv.fr do not count), pivot (real SIRET/SIREN/RNA only;
//     the placeholder 00000000000000 is no identifier).
//   - kinds of place stated by names and typologies (France Services,
//     library, mairie, CCAS, social centre, mission locale, post office,
//     employment, CAF, school, fablab): two different kinds are two places
//     (a France Services and the library next door), the same kind is a
//     small bonus. Youth information points (PIJ/BIJ) and the
//     département's social services (MDS, MDSI, CMS, circonscription
//     d'action sociale) are kinds too. A bare toponym typed France
//     Services ("Serres") is read as "France services Serres".
//   - hosted France Services: a France Services and a record stating no
//     kind at the same address (same number and street, within 100 m)
//     are the counter and the structure that hosts it: a bonus.
//   - mobile services: a name stating a bus or an itinerant antenna
//     against one that does not is a strong negative.
//   - programme ids embedded in record ids: the 24-hex ids of conseillers
//     numériques' permanences (and of France tiers-lieux, a separate
//     namespace), France Services ids ("…-france-services-3080", and the
//     numeric ids of the sources listed in Options.ProgramSources). Two
//     different France Services ids are a near veto.
//
// The score is a logistic function of a weighted sum of these features;
// the weights (constants in features.go) were set by hand and checked on
// testdata/pairs.csv. Identifier rules come first (IdentifierMatch): a
// shared programme id, or the same real SIRET within 100 m or at the same
// number and street of the same commune without a kind conflict, match
// with score 1.
//
// # Clustering
//
// Candidate pairs come from blocks (geographic cells of about 550 m and
// their neighbours, commune + distinctive name word, commune + street,
// département + distinctive name, programme id, SIRET, département +
// phone or e-mail; key blocks larger than 400 records are skipped). Pairs
// more than 3 km apart that share no phone, e-mail, SIRET or programme id
// are not scored (their score cannot reach 0.3). Manual links are applied
// first; then matching pairs, best first, merge two clusters only when
// every pair across them scores at least Options.MinLink (a clear
// non-match vetoes), their mean score is at least the threshold, no pair
// is manually unlinked and the size guard holds. Records are sorted by
// (source, id) first and ties are broken by refs: the output depends only
// on the set of records and decisions.
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
// TestLabelledPairs reports precision and recall on 401 labelled pairs of
// 11 source pairs, also on a held-out third (every third line of
// pairs.csv): see its log. TestDumpPairErrors and TestDumpClusterErrors
// (MERGE_DUMP=1) print the errors with both records and the terms. The targets (0.99 / 0.95) are not
// reached yet; the test asserts the floors reached.
package merge
