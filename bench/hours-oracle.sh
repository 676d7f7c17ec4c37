#!/usr/bin/env bash
# Measures opening_hours.js (the reference implementation, test-only oracle)
# on the same work as `go test ./hours -run '^$' -bench 'ParseCorpus|IsOpenCorpus'`:
# every real value of ../shared/data/opening_hours/horaires_osm_reels_lieux.tsv,
# evaluated at the 1,200 instants of the differential test (2024, Europe/Paris).
# Needs node and `npm ci --prefix hours/testdata/oracle`.
set -euo pipefail
cd "$(dirname "$0")/.."
tsv=../shared/data/opening_hours/horaires_osm_reels_lieux.tsv
oracle=hours/testdata/oracle
[ -f "$tsv" ] || { echo "missing $tsv"; exit 1; }
[ -d "$oracle/node_modules/opening_hours" ] || { echo "run: npm ci --prefix $oracle"; exit 1; }
TZ=Europe/Paris node -e '
const fs = require("fs");
const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").slice(1).filter(Boolean);
const values = lines.map((l) => l.split("\t")[0]);
// 2024-01-01 00:07 Europe/Paris, then every 7 h 19 min, as in the Go test.
const start = new Date(2024, 0, 1, 0, 7).getTime();
const instants = Array.from({length: 1200}, (_, i) => start + i * 439 * 60000);
process.stdout.write(JSON.stringify({mode: "bench", values, instants, iterations: 1}));
' "$tsv" | (cd "$oracle" && TZ=Europe/Paris node oracle.js) | node -e '
let s = ""; process.stdin.on("data", (c) => s += c).on("end", () => {
  const r = JSON.parse(s);
  console.log(`opening_hours.js: parsed ${r.parsed} values in ${(r.parse_ns/1e6).toFixed(0)} ms = ${(r.parsed/(r.parse_ns/1e9)).toFixed(0)} strings/s`);
  console.log(`opening_hours.js: ${r.evaluations} getState calls in ${(r.eval_ns/1e6).toFixed(0)} ms = ${(r.evaluations/(r.eval_ns/1e9)).toFixed(0)} evals/s`);
});'
