#!/usr/bin/env bash
# Builds claimledger and claimledger-bench in release mode (own scratch path) and runs the benchmark at
# the sizes of docs/PERFORMANCE.md, writing WORK/results.md.
#
#   Benchmarks/run.sh [WORK_DIR] [extra claimledger-bench options, e.g. --sizes 1000,100000 --timeout 1800]
#
# Defaults: WORK_DIR=/tmp/claimledger-bench, sizes 1000,100000,1000000 (claims), openssl runs of 3 s.
# The 1,000,000-claim ledger needs about 2 GB of disk in WORK_DIR and, with the code as measured in
# docs/PERFORMANCE.md, well over an hour; --timeout bounds each process (killed and reported).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/claimledger-bench}
shift || true
scratch=${SCRATCH:-$repo/.build-bench}

# The Swift runtime linked statically: about a third less process start-up (docs/PERFORMANCE.md).
# With the runtime linked statically, Foundation's URL loading (claimledger audit, witnesses) links libcurl
# by name: Debian's libcurl4-openssl-dev provides libcurl.so.
[ -e /usr/lib/x86_64-linux-gnu/libcurl.so ] || [ -e /usr/lib/libcurl.so ] || {
  echo "$(basename "$0"): the static build needs libcurl.so (apt-get install libcurl4-openssl-dev)" >&2; exit 2; }
release=(-c release --package-path "$repo" --scratch-path "$scratch" --static-swift-stdlib)
swift build "${release[@]}" --product claimledger
swift build "${release[@]}" --product claimledger-bench
bin=$(swift build "${release[@]}" --show-bin-path)

cd "$repo"   # so that the report records the source revision
"$bin/claimledger-bench" --sizes 1000,100000,1000000 --work "$work" --binary "$bin/claimledger" \
  --openssl-seconds 3 "$@"
echo "results: $work/results.md"
