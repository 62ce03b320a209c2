#!/usr/bin/env bash
# The static site's tests in a real browser (issue 13; docs/AUDIT.md "Publishing a site"): builds the
# site of the committed ledger with `claimledger site` (conftest.py) and opens its pages from disk in
# headless Chromium: the claim pages' self-check (test_self_verify.py, with tampered copies) and the
# site's files, links, filters and feeds (test_site_files.py).
#
#   Tests/site/run.sh [PYTEST_ARGS...]
#
# Needs chromium, chromium-driver and python3 with pytest, selenium and cryptography. The binary is
# $CLAIMLEDGER_BIN, else the package's debug build (built when missing).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CLAIMLEDGER_BIN:-}" ]; then
  swift build --package-path "$repo" --product claimledger >/dev/null
  CLAIMLEDGER_BIN="$(swift build --package-path "$repo" --show-bin-path)/claimledger"
fi
export CLAIMLEDGER_BIN PYTHONDONTWRITEBYTECODE=1
cd "$repo/Tests/site"
python3 -m pytest -p no:cacheprovider -rfEs "$@" .
