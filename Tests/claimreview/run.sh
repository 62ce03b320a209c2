#!/usr/bin/env bash
# The offline ClaimReview checks (issue 13; docs/AUDIT.md "Publishing as ClaimReview"): exports a copy of
# the committed seed ledger with `claimledger export --format claimreview`, then runs test_claimreview.py
# on it (Google's documented rules as a JSON Schema, rating bounds, JSON-LD expansion with pyld against
# the local context file; no network).
#
#   Tests/claimreview/run.sh [PYTEST_ARGS...]
#
# Needs python3 with pytest, jsonschema and pyld. The binary is $CLAIMLEDGER_BIN, else the package's
# debug build (built when missing). The publisher options are test values: the seed ledger does not
# record who publishes it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CLAIMLEDGER_BIN:-}" ]; then
  swift build --package-path "$repo" --product claimledger >/dev/null
  CLAIMLEDGER_BIN="$(swift build --package-path "$repo" --show-bin-path)/claimledger"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$repo/ledger" "$work/ledger"
"$CLAIMLEDGER_BIN" export --ledger "$work/ledger" --format claimreview \
  --publisher "Practice newsroom (test value)" --publisher-url https://claimledger.example/ \
  --base-url https://claimledger.example/newsroom --out "$work/claimreview.json"
export CLAIMREVIEW_FILE="$work/claimreview.json" PYTHONDONTWRITEBYTECODE=1
cd "$repo/Tests/claimreview"
python3 -m pytest -p no:cacheprovider -rfEs "$@" .
