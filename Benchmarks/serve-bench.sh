#!/usr/bin/env bash
# The newsroom app's benchmark (issue 12, "Performance"): `claimledger serve` on a ledger of 100,000
# claims, measured with wrk from a second process on loopback, all in ONE run of one server:
#   - /healthz, the trivial endpoint (the limit of this stack on this machine), then a claim page, the
#     filtered list and a search: requests/s (and the ratio to /healthz) and p99 from `wrk --latency`;
#   - writes: POST /api/v1/claims/{id}/statuses with a bearer token, 1 sequential writer, then 32
#     concurrent writers: acknowledged (2xx, durable) appends/s and the 32-vs-1 ratio (group commit);
#   - the server's peak RSS (VmHWM of /proc/PID/status);
#   - afterwards: every acknowledged write is in the ledger and `claimledger verify` passes.
#
#   Benchmarks/serve-bench.sh [WORK_DIR]
#
# Environment: CLAIMS (default 100000), SECONDS_PER_RUN (wrk duration per measurement, default 10),
# CONNECTIONS (wrk connections for the reads, default 16), SCRATCH (build folder, default .build-bench,
# with the same flags as Benchmarks/run.sh, so that both benchmarks share one release build), ONLY (`reads` or
# `writes`: only those rows, besides /healthz).
# The ledger is generated once with test keys by claimledger-bench (WORK_DIR/n$CLAIMS, reused by later
# runs) and copied for each run, so that writes of one run do not change the next one's ledger; each run
# signs a checkpoint of the copy with the ledger's root key (about 40 s at 100,000 claims).
# The report (markdown) is printed and written to WORK_DIR/serve-results.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/claimledger-serve-bench}
claims=${CLAIMS:-100000}
seconds=${SECONDS_PER_RUN:-10}
connections=${CONNECTIONS:-16}
scratch=${SCRATCH:-$repo/.build-bench}
export CLAIMLEDGER_KEYS=/nonexistent   # never the newsroom's real keys

command -v wrk >/dev/null || { echo "serve-bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
# With the runtime linked statically, Foundation's URL loading (claimledger audit, witnesses) links libcurl
# by name: Debian's libcurl4-openssl-dev provides libcurl.so.
[ -e /usr/lib/x86_64-linux-gnu/libcurl.so ] || [ -e /usr/lib/libcurl.so ] || {
  echo "$(basename "$0"): the static build needs libcurl.so (apt-get install libcurl4-openssl-dev)" >&2; exit 2; }
release=(-c release --package-path "$repo" --scratch-path "$scratch" --static-swift-stdlib)
for product in claimledger claimledger-bench; do
  swift build "${release[@]}" --product "$product" >&2
done
bin=$(swift build "${release[@]}" --show-bin-path)
cl="$bin/claimledger"

mkdir -p "$work"
base="$work/n$claims"
if [ ! -s "$base/ledger/entries.jsonl" ] || [ ! -f "$base/keys/desk.pem" ] || [ ! -f "$base/keys/root.pem" ]; then
  echo "serve-bench: generating a ledger of $claims claims (claimledger-bench --import-only)" >&2
  "$bin/claimledger-bench" --sizes "$claims" --import-only --work "$work" --binary "$cl" --openssl-seconds 1 >&2
fi

run="$work/run"
rm -rf "$run" "$run.accounts"
mkdir -p "$run"
cp -a "$base/ledger/." "$run/"
rm -rf "$run/index/search.sqlite"*   # the server builds its search index; it is part of its start
# A signed checkpoint of the whole ledger, as a newsroom's ledger has: with it a claim page carries its
# verification panel and its self-check data (the claim's entries with their inclusion proofs), the
# heaviest part of the page; without it, the page a benchmark measures is lighter than a reader's.
"$cl" checkpoint --ledger "$run" --key "$base/keys/root.pem" >/dev/null
entries_before=$(wc -l < "$run/entries.jsonl")

# The benchmark's account: the ledger's journalist key (bench-desk), a password, an API token.
password="wrk-load-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$cl" user add bench --role journalist --key "$base/keys/desk.pem" --ledger "$run" --password-stdin <<<"$password" >&2
token=$("$cl" user token bench --ledger "$run" --password-stdin <<<"$password" | grep -o 'clt_[A-Za-z0-9_-]*' | head -1)
[ -n "$token" ] || { echo "serve-bench: user token printed no clt_ token" >&2; exit 1; }

log="$work/serve.log"
"$cl" serve --ledger "$run" --host 127.0.0.1 --port 0 >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap cleanup EXIT
url=""
for _ in $(seq 1 1200); do
  url=$(sed -n 's/^claimledger: serving .* at \(http:[^ ]*\)$/\1/p' "$log" | head -1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { echo "serve-bench: the server exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "serve-bench: no 'serving' line from the server" >&2; exit 1; }
url=${url%/}
echo "serve-bench: server $server at $url" >&2

claim_page="/claims/bench-claim-4242"
list="/claims?status=refuted&claimant=Agence%20de%20test%205"
search="/claims?q=drones"
# Warm up (the search index is brought up to date on first use), and check each answers 200.
for path in /healthz "$claim_page" "$list" "$search"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 600 "$url$path")
  [ "$code" = 200 ] || { echo "serve-bench: GET $path answered $code" >&2; exit 1; }
done

# Many different pages, so that most requests are rendered, not served from the page cache: 10,000
# claims drawn at random, and 2,000 different searches (each a number: a claim's own and the quotes of
# one sentence of the article, about 50 claims each).
claim_paths="$work/claim-paths.txt"
search_paths="$work/search-paths.txt"
shuf -i 0-$((claims - 1)) -n 10000 | sed 's|^|/claims/bench-claim-|' >"$claim_paths"
shuf -i 0-1999 | sed 's|^|/claims?q=|' >"$search_paths"

# The server's CPU time (user + system, clock ticks) from /proc: each row also reports the server's CPU per
# request, a figure that other tenants of a shared machine disturb far less than requests/s and latency.
ticks_per_s=$(getconf CLK_TCK)
server_cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
cpu_per_request() {   # ticks_before ticks_after requests -> milliseconds
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$ticks_per_s" 'BEGIN {if (n > 0) printf "%.2f", (b - a) * 1000 / hz / n; else print "n/a"}'
}
results="$work/serve-results.txt"
: >"$results"
measure_read() {   # name path
  local out before after
  before=$(server_cpu)
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url$2")
  after=$(server_cpu)
  local rps p99 n cpu
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(cpu_per_request "$before" "$after" "$n")
  local non2xx
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$1 $rps $p99 ${non2xx:-0} $cpu" >>"$results"
  echo "serve-bench: $1 ($2): $rps req/s, p99 $p99, non-2xx ${non2xx:-0}, server CPU $cpu ms/request" >&2
}
measure_rotating() {   # name paths-file
  local out before after
  before=$(server_cpu)
  out=$(CL_PATHS="$2" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$repo/Benchmarks/serve/rotate.lua" "$url/")
  after=$(server_cpu)
  local rps p99 non2xx n cpu
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(cpu_per_request "$before" "$after" "$n")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$1 $rps $p99 ${non2xx:-0} $cpu" >>"$results"
  echo "serve-bench: $1 ($(wc -l <"$2") paths): $rps req/s, p99 $p99, non-2xx ${non2xx:-0}, server CPU $cpu ms/request" >&2
}
# Writes go to 1,000 claims in turn (statuses on the same few claims would make each claim's history,
# and so each append's re-indexing of its text, grow with the run).
write_claims=$(seq 1 97 97000 | sed 's/^/bench-claim-/' | paste -sd, -)
measure_write() {   # name threads connections
  local out before after
  before=$(server_cpu)
  out=$(CL_TOKEN="$token" CL_TAG="$1" CL_CLAIMS="$write_claims" \
        wrk -t"$2" -c"$3" -d"${seconds}s" --latency -s "$repo/Benchmarks/serve/post-status.lua" "$url/")
  after=$(server_cpu)
  local line n
  line=$(grep '^WRITES ' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  line="$line cpu_ms=$(cpu_per_request "$before" "$after" "$n")"
  echo "$1 $line" >>"$results"
  echo "serve-bench: $1: $line" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
measure_read healthz /healthz
if [ "${ONLY:-}" != writes ]; then
  measure_read claim "$claim_page"
  measure_rotating claims "$claim_paths"
  measure_read list "$list"
  measure_read search "$search"
  measure_rotating searches "$search_paths"
fi
if [ "${ONLY:-}" != reads ]; then
  measure_write writers1 1 1
  measure_write writers32 2 32
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status")

# Stop the server gracefully, then check the writes: acknowledged ones present, the ledger verifies.
kill -TERM "$server"
wait "$server" 2>/dev/null || true
trap - EXIT
acked=$(awk '$2 == "WRITES" {split($3, a, "="); s += a[2]} END {print s + 0}' "$results")
entries_after=$(wc -l < "$run/entries.jsonl")
verify=$("$cl" verify --ledger "$run" --json)
grep -q '"ok":true' <<<"$verify" || { echo "serve-bench: verify failed: $verify" >&2; exit 1; }
[ "$((entries_after - entries_before))" -ge "$acked" ] \
  || { echo "serve-bench: $acked writes acknowledged, only $((entries_after - entries_before)) entries added" >&2; exit 1; }

field() { awk -v n="$1" -v k="$2" '$1 == n {print $k}' "$results"; }
wfield() { awk -v n="$1" -v k="$2" '$1 == n {for (i = 3; i <= NF; i++) {split($i, a, "="); if (a[1] == k) print a[2]}}' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
healthz=$(field healthz 2)
w1=$(wfield writers1 ok_per_s)
w32=$(wfield writers32 ok_per_s)
revision=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  echo "### serve benchmark, $started ($claims claims, $entries_before entries; revision $revision)"
  echo
  echo "- Command: \`Benchmarks/serve-bench.sh $work\` (release build, wrk ${seconds} s per row, reads -t2 -c$connections, on loopback)"
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $load_before at the start, $load_after at the end (\`uptime\`: $(uptime | sed 's/^ *//'))"
  echo "- Server peak RSS (VmHWM): $((hwm / 1024)) MiB"
  echo
  echo "| Endpoint | Requests/s | × /healthz | p99 | non-2xx | server CPU per request |"
  echo "|---|---:|---:|---:|---:|---:|"
  for n in healthz claim claims list search searches; do
    case $n in
      healthz) p="\`GET /healthz\`" ;; claim) p="\`GET $claim_page\` (one page, again and again)" ;;
      claims) p="\`GET /claims/bench-claim-N\`, 10,000 different claims" ;; list) p="\`GET $list\`" ;;
      search) p="\`GET $search\` (one search, again and again)" ;; searches) p="\`GET /claims?q=N\`, 2,000 different searches" ;;
    esac
    echo "| $p | $(field $n 2) | $(ratio "$(field $n 2)" "$healthz") | $(field $n 3) | $(field $n 4) | $(field $n 5) ms |"
  done
  echo
  echo "| Writers (POST statuses, bearer token) | Acknowledged appends/s | p50 | p99 | refused | server CPU per request |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| 1 sequential (wrk -t1 -c1) | $w1 | $(wfield writers1 p50_ms) ms | $(wfield writers1 p99_ms) ms | $(wfield writers1 refused) | $(wfield writers1 cpu_ms) ms |"
  echo "| 32 concurrent (wrk -t2 -c32) | $w32 | $(wfield writers32 p50_ms) ms | $(wfield writers32 p99_ms) ms | $(wfield writers32 refused) | $(wfield writers32 cpu_ms) ms |"
  echo
  echo "- 32 writers vs 1: **$(ratio "$w32" "$w1") ×** (target ≥ 10 ×); $acked writes acknowledged, $((entries_after - entries_before)) entries added, \`claimledger verify\` ok"
} | tee "$work/serve-results.md"
