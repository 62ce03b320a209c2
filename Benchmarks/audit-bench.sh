#!/usr/bin/env bash
# Remote audit at scale (issue 14, docs/SCALE.md): a ledger of CLAIMS claims made by the benchmark's
# import (claimledger-bench --import-only), a signed checkpoint, its tiles served by Python's http.server on
# loopback; then `claimledger audit URL` from scratch and after one new entry, against the same work done
# locally (`claimledger verify` from scratch, `verify --since` an audit state after the same entry).
# Times are wall clock on this machine, quoted as ratios of the two runs made one after the other.
#
#   Benchmarks/audit-bench.sh [WORK_DIR] [CLAIMS]      (defaults /tmp/claimledger-audit-bench, 1000000)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/claimledger-audit-bench}
claims=${2:-1000000}
scratch=${SCRATCH:-$repo/.build-bench}
[ -e /usr/lib/x86_64-linux-gnu/libcurl.so ] || [ -e /usr/lib/libcurl.so ] || {
  echo "audit-bench: the static build needs libcurl.so (apt-get install libcurl4-openssl-dev)" >&2; exit 2; }
release=(-c release --package-path "$repo" --scratch-path "$scratch" --static-swift-stdlib)
swift build "${release[@]}" --product claimledger >/dev/null
swift build "${release[@]}" --product claimledger-bench >/dev/null
bin=$(swift build "${release[@]}" --show-bin-path)
cl="$bin/claimledger"
dir="$work/n$claims"
ledger="$dir/ledger"

if [ ! -s "$ledger/entries.jsonl" ]; then
  "$bin/claimledger-bench" --sizes "$claims" --import-only --work "$work" --binary "$cl" --openssl-seconds 1 >/dev/null
fi
# measure NAME COMMAND...: wall seconds and peak RSS (MiB) of one run, printed as a row and kept in $secs.
measure() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" > "$work/last.out" 2> "$work/last.err" || { cat "$work/last.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc)
  printf "| %-44s | %9.2f s | %7.1f MiB |\n" "$name" "$secs" "$(echo "$(cat "$work/rss") / 1024" | bc -l)"
}

rm -rf "$dir/tiles" "$dir/mirror" "$dir/state"
"$cl" checkpoint --ledger "$ledger" --key "$dir/keys/root.pem" >/dev/null
vkey=$("$cl" key verifier-key "$dir/keys/root.pem.pub" --ledger "$ledger")
entries=$(wc -l < "$ledger/entries.jsonl")
echo "audit-bench: $entries entries ($claims claims), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| step | wall | peak RSS |"
echo "|---|---|---|"
measure "tiles (publish, from scratch)" "$cl" tiles --ledger "$ledger" --out "$dir/tiles"
du_tiles=$(du -sb "$dir/tiles/tile" | cut -f1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir/tiles" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
url="http://127.0.0.1:$port"
measure "audit URL, from scratch" "$cl" audit "$url" --key "$vkey" --mirror "$dir/mirror" --json
remote_full=$secs
cp "$work/last.out" "$work/audit-full.json"
measure "verify, from scratch (local)" "$cl" verify --ledger "$ledger" --save-state "$dir/state"
local_full=$secs

rm -f "$work/extra.pem" "$work/extra.pem.pub"
"$cl" key generate --out "$work/extra.pem" >/dev/null
"$cl" key add "$work/extra.pem.pub" --name "audit-bench-$(date +%s)" --ledger "$ledger" --key "$dir/keys/root.pem" >/dev/null
"$cl" checkpoint --ledger "$ledger" --key "$dir/keys/root.pem" >/dev/null
measure "tiles (one new entry)" "$cl" tiles --ledger "$ledger" --out "$dir/tiles"
measure "audit URL, one new entry" "$cl" audit "$url" --key "$vkey" --mirror "$dir/mirror" --json
remote_one=$secs
cp "$work/last.out" "$work/audit-one.json"
measure "verify --since (local), one new entry" "$cl" verify --ledger "$ledger" --since "$dir/state"
local_one=$secs
echo
echo "tiles: $du_tiles bytes for $entries entries ($(echo "$du_tiles / $entries" | bc) bytes/entry); ledger entries.jsonl $(stat -c %s "$ledger/entries.jsonl") bytes"
echo "audit from scratch: $(python3 -c "import json; d=json.load(open('$work/audit-full.json')); print(d['requests'], 'requests,', d['bytes'], 'bytes')")"
echo "audit of one new entry: $(python3 -c "import json; d=json.load(open('$work/audit-one.json')); print(d['requests'], 'requests,', d['bytes'], 'bytes')")"
echo "remote / local: from scratch $(echo "scale=3; $remote_full / $local_full" | bc)x, one new entry $(echo "scale=3; $remote_one / $local_one" | bc)x"
