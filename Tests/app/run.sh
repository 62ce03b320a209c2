#!/usr/bin/env bash
# The app tests (issue 12): a temporary newsroom (the seed ledger rebuilt with Tests/TestOnlyKeys, two
# accounts, `claimledger serve --port 0`), driven by headless Chromium through Selenium, plain HTTP and
# schemathesis; the ledger verifies at the end. Screenshots go to docs/screenshots/ (or
# $CLAIMLEDGER_SCREENSHOTS).
#
#   Tests/app/run.sh [PYTEST_ARGS...]      e.g. Tests/app/run.sh -k flow
#
# Needs chromium, chromium-driver (Debian) and python3 with pytest, selenium and schemathesis (.ci/run
# installs them when missing). The binary is $CLAIMLEDGER_BIN, else the package's debug build (built
# when missing). CLAIMLEDGER_FUZZ_SECONDS bounds each schemathesis run (default 150).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${CLAIMLEDGER_BIN:-}" ]; then
  swift build --package-path "$repo" --product claimledger >/dev/null
  CLAIMLEDGER_BIN="$(swift build --package-path "$repo" --show-bin-path)/claimledger"
fi
export CLAIMLEDGER_BIN CLAIMLEDGER_KEYS=/nonexistent PYTHONDONTWRITEBYTECODE=1
cd "$repo/Tests/app"
exec python3 -m pytest -p no:cacheprovider -o console_output_style=classic -rfEs "$@" .
