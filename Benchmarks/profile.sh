#!/usr/bin/env bash
# Profiles claimledger commands with callgrind on a small ledger (1,250 claims, 2,003 entries after the
# import) built by claimledger-bench, and prints for each the top functions by instruction count:
# self cost, and inclusive cost (demangled). Raw data stays in WORK_DIR/callgrind.*.
#
#   Benchmarks/profile.sh [WORK_DIR]      (default /tmp/claimledger-profile; needs valgrind)
#
# Uses the release binaries of Benchmarks/run.sh (built here if missing). callgrind runs the threads one
# at a time, so counts are the work of all cores together. `perf` cannot count instructions on this VM
# (`perf stat -e instructions true` says "not supported").
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/claimledger-profile}
scratch=${SCRATCH:-$repo/.build-bench}
swift build -c release --package-path "$repo" --scratch-path "$scratch" --static-swift-stdlib --product claimledger >/dev/null
swift build -c release --package-path "$repo" --scratch-path "$scratch" --static-swift-stdlib --product claimledger-bench >/dev/null
bin=$(swift build -c release --package-path "$repo" --scratch-path "$scratch" --static-swift-stdlib --show-bin-path)
cl=$bin/claimledger

# A ledger of 1,250 claims (and its import file, article and keys) from the benchmark's own generator.
(cd "$repo" && "$bin/claimledger-bench" --sizes 1250 --work "$work" --binary "$cl" --openssl-seconds 1 >/dev/null 2>&1)
n=$work/n1250

# A fresh ledger up to the import (same keys, same article, so the same source id), for profiling import.
rm -rf "$work/import-ledger"
"$cl" init --ledger "$work/import-ledger" --origin profile.example --key "$n/keys/root.pem" >/dev/null
"$cl" key add "$n/keys/desk.pem.pub" --name desk --ledger "$work/import-ledger" --key "$n/keys/root.pem" >/dev/null
"$cl" source add "$n/article.txt" --title t --publisher p --url https://bench.claimledger.example/article \
  --published 2026-01-06 --language fr --ledger "$work/import-ledger" --key "$n/keys/desk.pem" >/dev/null

# Lines "count (percent) function", object paths dropped, Swift names demangled, duplicates removed.
functions() {
  callgrind_annotate --auto=no --inclusive="$2" "$1" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | grep -v 'PROGRAM TOTALS' \
    | sed -E 's/ \[[^]]*\]$//; s/^( *[0-9,]+ \( *[0-9.]+%\)) +[^:]*:/\1 /' | swift demangle --simplified \
    | awk '!seen[$0]++' | cut -c1-150 || true
}

profile() {  # name, command...
  local name=$1; shift
  valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$work/callgrind.$name" "$@" >/dev/null 2>"$work/valgrind.$name.log" || true
  echo "== $name: $(grep -o 'Collected : [0-9]*' "$work/valgrind.$name.log" | tr -d 'a-zA-Z: ' || true) instructions"
  echo "-- self cost by object"
  callgrind_annotate --auto=no --inclusive=no "$work/callgrind.$name" 2>/dev/null | grep -E '^ *[0-9,]+ \(' \
    | sed -nE 's/^ *([0-9,]+) .*PROGRAM TOTALS.*/TOTAL \1/p; s/^ *([0-9,]+) .*\[([^]]*)\]$/\1 \2/p' \
    | awk '$1 == "TOTAL" { gsub(",", "", $2); t = $2; next }
           { n = split($2, p, "/"); gsub(",", "", $1); s[p[n]] += $1 }
           END { for (o in s) printf "%6.1f%% %s\n", 100 * s[o] / t, o }' | sort -rn | head -6 || true
  echo "-- top functions, self cost"
  functions "$work/callgrind.$name" no | head -20
  echo "-- top functions, inclusive"
  functions "$work/callgrind.$name" yes | head -70
  echo
}

first=$(head -1 "$n/import.jsonl")
quote=$(printf '%s' "$first" | sed -E 's/.*"text":"([^"]*)".*/\1/')
offset=$(printf '%s' "$first" | sed -E 's/.*"offset":([0-9]+).*/\1/')
source_id=$(printf '%s' "$first" | sed -E 's/.*"source":"([0-9a-f]{64})".*/\1/')

profile import "$cl" import "$n/import.jsonl" --ledger "$work/import-ledger" --key "$n/keys/desk.pem" --json
profile verify "$cl" verify --ledger "$work/import-ledger" --json
profile claim-show "$cl" claim show bench-claim-10 --ledger "$work/import-ledger" --json
profile prove-inclusion "$cl" prove inclusion 1000 --ledger "$work/import-ledger" --json
profile claim-add "$cl" claim add --source "$source_id" --quote "$quote" --offset "$offset" \
  --statement "Profiled claim." --claimant "Agence de test" --id profile-extra --ledger "$work/import-ledger" \
  --key "$n/keys/desk.pem" --json
profile export "$cl" export --out "$work/export.json" --ledger "$work/import-ledger"
