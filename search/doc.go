// Package search is Maillage's read model: an in-memory index of the
// consolidated places answering the questions of the API and the web
// pages — the nearest places, the places of a territory, with filters on
// the schema's controlled fields, text, and "open now".
//
// An Index is immutable once built and safe for concurrent use; Live
// holds the current one and swaps it atomically after each import or
// merge, so readers never block and never see a half-built index.
//
// # Behaviour
//
// The first version of the package scanned every place for each query; it
// is kept in oracle_test.go and defines the behaviour: TestSameAsScan
// checks on a synthetic set and random queries (every criterion, every
// sort, three pages each) that the index returns exactly the same hits,
// distances, states, totals and cursors. Every criterion narrows the
// result; the values of one filter are alternatives; a filter given with
// no value sets no condition. Result.Total counts every match, whatever
// the page. Invalid queries return ErrInvalidQuery wrapped in a French
// message that starts with the API name of the parameter ("lat : …",
// "commune : …", "services : …", "curseur : …"); Query.Validate gives the
// same answer without searching.
//
// Pagination is by keyset: a cursor is the sort key of the last hit given
// (distance, folded name or update time, then the id), so the next page
// starts after it in whatever index is served then. A place present in
// both indexes with the same key is neither lost nor given twice
// (TestPagesAcrossReimports swaps indexes between pages, in turn and from
// another goroutine). A place whose sort key changed between two pages
// (renamed, updated) can be given twice or skipped: keyset pagination
// cannot see a move, and the API says so.
//
// # Design
//
// Positions. Build orders the places by région, département, EPCI and
// commune (an arrondissement next to its commune): each territory is one
// range of positions, or a few for an EPCI that crosses a border, and a
// set of places is a bitset over positions. A query starts from the
// ranges of its territory (or all positions), then ANDs:
//   - for each filter field, the OR of the bitsets of the values asked
//     (one bitset per value of every controlled field, built once);
//   - for text, the inverted index of the folded words (package fold) of
//     name, commune and presentation: every word but the last must be a
//     term, the last is a prefix, i.e. a range of the sorted terms. The
//     ranges with many postings (a sixteenth of the places or more: "de",
//     a prefix of one or two letters — a few hundred ranges, 27 MiB at a
//     million places) have their bitset, built once; for the others, when
//     few places are left and the postings are many, the places' own term
//     lists are checked instead of reading the postings;
//   - with a point or a bbox, the places that have coordinates, and with
//     a radius or a bbox, the region found in the 3-d tree (below);
//   - with OpenAt, the set of the places open at that minute (below).
//
// The count of that bitset is Total: a query touches n/64 words per
// criterion (15,625 for a million places), never each place.
//
// Nearest first. The places with coordinates are points of the unit
// sphere in a static 3-d tree (leaves of 32 points, split on the widest
// axis at the median). The chord between two points grows with their
// great-circle distance, so a node's box bounds the distance of every
// place inside it, overseas places included, with no projection. The
// search opens the nodes by increasing lower bound and gives a place as
// soon as no unopened node can hold a nearer one: it stops once it has
// the page (plus one, to know whether there is a next page) among the
// places of the bitset, so filters do not force a scan. Distances are
// territory.Distance, as in the scanning version; the bounds carry a
// margin that covers rounding. When the matches are few (256 or less),
// they are simply sorted.
//
// Sorting by name or freshness. The positions are sorted once in each
// order; a page walks that order from the cursor, keeping the matches,
// when matches are at least one position in 256; otherwise the matches
// are sorted by their rank in it.
//
// Opening hours. Each distinct (value, time zone, and département when
// the value names public holidays) is compiled once by package hours:
// real and synthetic sets share a few hundred to a few thousand values.
// A place's state at an instant is that of its compiled value, evaluated
// by the hours engine itself (no second evaluator to keep exact). Every
// place keeps its state during a whole minute of UTC (the engine works in
// minutes of local time and every offset since 1913 is a whole number of
// minutes), so the set of places open at a minute is computed once and
// cached for the last 8 minutes asked. Computing it evaluates each
// distinct value once (tens of microseconds), then derives the set from
// the cheapest base: no place open, every place with hours open, or the
// set of a cached minute — only the places whose value has another state
// in the base are touched, through the positions of each value. From one
// minute to the next few values change, so "ouvert=maintenant" costs
// little more at a new minute than within one; an arbitrary instant costs
// the smaller of its open and closed places with hours, never a pass over
// every place. TestOpenSet compares that set with hours.State place by
// place on hundreds of instants, runs of successive minutes and each base
// (public holidays of Alsace-Moselle and overseas, changes of clocks). A
// hit's State and NextChange are computed for the hits of the page only.
//
// # Figures
//
// Measured with
//
//	go test -run '^$' -bench 'NearestOpen|Nearest$|DepartementByName|Text' -benchtime 20000x ./search
//	go test -run '^$' -bench Cold -benchtime 2000x ./search
//	go test -run '^$' -bench Build -benchtime 3x ./search
//
// on the project's machine: 2 cores shared with other jobs, load average
// 5 to 7 during the runs, so the wall clock's tail is mostly the
// scheduler's; the benchmarks also report each query's CPU time
// (cpu-p50-µs, cpu-p99-µs) and Build's CPU time (cpu-s). Synthetic places
// (synth_test.go) are drawn around real communes, more where more people
// live, 13 % at their commune's centre, 2 % without coordinates,
// vocabularies and opening hours in realistic shares, 30 % without hours.
// Two runs each:
//
//	                                  25,000 places        1,000,000 places
//	index build                       0.14–0.53 s          7.4–16 s (CPU 7.8–8.1 s)
//	index memory (live heap)          11 MiB               372 MiB
//	nearest 20, 2 filters, open now   p50 29 µs            p50 66–107 µs, p99 0.21–0.26 ms
//	                                  (CPU p99 0.11–0.15 ms) (CPU p99 0.17–0.25 ms)
//	  same, a new minute each query   p50 0.11–0.17 ms     p50 0.18–0.21 ms, p99 0.40–0.43 ms
//	                                                       (CPU p99 0.33–0.43 ms)
//	  same, a random instant each     p50 0.09–0.12 ms     p50 0.22–0.23 ms, p99 0.48–0.53 ms
//	nearest 20, 1 filter              p50 23–24 µs         p50 52–74 µs
//	département by name, 1 filter     p50 13–16 µs         p50 28–57 µs
//	text with a prefix, nearest       p50 23–37 µs         p50 55–86 µs, p99 0.15–0.38 ms
//	  a short or common prefix        p50 23 µs            p50 54–55 µs, p99 0.14–0.26 ms
//	  ("m", "de", "mairie de", "s", "ce", "f")
//
// Before the open set was derived from a base and the common ranges of
// terms had their bitsets (commit 780e996, same machine and commands), a
// new minute each query took p50 4.6 ms, p99 17 ms (CPU p99 12 ms) at a
// million places, a random instant p50 5.0 ms, the text queries p50
// 0.41 ms and the short prefixes p50 1.06 ms; Build took 10–17 s there
// (CPU 10–11 s, 1.5 GB allocated in 11.5 million allocations, now 0.5 GB
// in 1.1 million).
//
// On the 8,554 places of the national-schema files of ../shared/data (one
// place per row, not merged), the nearest 20 with two filters open now
// take p50 28–31 µs, p99 0.16–0.24 ms; the index builds in 0.24 s.
package search
