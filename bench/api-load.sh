#!/bin/sh
# Load benchmark of the open API over HTTP (issue 6): the nearest places to
# random points of France with a services filter, on the real dataset.
#
#   bench/api-load.sh [DURATION] [CONNECTIONS]      (defaults: 30s 64)
#
# 1. builds maillage;
# 2. imports every real source of ../shared/data (sources.Samples, with the
#    shipped mappings) into a fresh SQLite database (each import merges);
# 3. starts `maillage serve` on loopback on that database and waits for
#    /healthz (request logs at MAILLAGE_LOG_LEVEL, default info: one line
#    per request, as in production);
# 4. runs wrk (Debian package, installed when missing) with
#    bench/api-lieux.lua, which prints requests/s, p50/p90/p99 and errors.
#
# Environment: MAILLAGE_BENCH_DIR keeps the work files (default: a temporary
# directory, removed at the end); MAILLAGE_BENCH_DB reuses a database
# already prepared by an earlier run (skips step 2).
set -eu
cd "$(dirname "$0")/.."
duration=${1:-30s}
connections=${2:-64}
data=../shared/data
work=${MAILLAGE_BENCH_DIR:-$(mktemp -d)}
port=18090

if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null
fi

go build -o "$work/maillage" ./cmd/maillage

db=${MAILLAGE_BENCH_DB:-}
if [ -z "$db" ]; then
  db="$work/real.db"
  rm -f "$db" "$db-wal" "$db-shm"
  [ -d "$data/sources_raw" ] || { echo "api-load: $data absent" >&2; exit 1; }
  go run ./bench/samples | while IFS="$(printf '\t')" read -r source file; do
    case "$source" in
      schema-*) mapping= ;;
      *) mapping="--mapping $source" ;;
    esac
    # shellcheck disable=SC2086
    "$work/maillage" import "$data/$file" --source "$source" $mapping --db "sqlite:$db" 2>&1 | tail -1
  done
fi

"$work/maillage" serve --no-demo --db "sqlite:$db" --addr "127.0.0.1:$port" >"$work/serve.out" 2>"$work/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; [ -n "${MAILLAGE_BENCH_DIR:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
grep -v 'msg=requête' "$work/serve.log" || true
curl -fsS "http://127.0.0.1:$port/api/v1/lieux?lat=48.85&lon=2.35&limite=1" | head -c 300; echo

# a short warm-up, then the measure
wrk -t2 -c"$connections" -d5s -s bench/api-lieux.lua "http://127.0.0.1:$port" >/dev/null
echo "wrk -t2 -c$connections -d$duration -s bench/api-lieux.lua http://127.0.0.1:$port"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/api-lieux.lua "http://127.0.0.1:$port"
curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^maillage_(index|http_requests_total\{route="GET /api/v1/lieux")'
