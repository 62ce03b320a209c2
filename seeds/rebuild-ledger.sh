#!/usr/bin/env bash
# Rebuilds the seed ledger from seeds/ with the newsroom's keys, byte for byte: times are fixed with
# CLAIMLEDGER_TIME and Ed25519 signatures are deterministic, so the same inputs give the same ledger.
#
#   seeds/rebuild-ledger.sh [OUT_DIR]        (default: ledger; refuses to overwrite an existing ledger)
#
# Keys: $CLAIMLEDGER_KEYS (default ../shared/keys) holds newsroom-root.pem and desk-journalist.pem.
# They are copied to a private temporary folder with mode 0600, since claimledger refuses others.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/ledger}
keys=${CLAIMLEDGER_KEYS:-$repo/../shared/keys}
bin=${CLAIMLEDGER_BIN:-}
if [ -z "$bin" ]; then
  swift build --package-path "$repo" --product claimledger >/dev/null
  bin="$(swift build --package-path "$repo" --show-bin-path)/claimledger"
fi
[ -e "$out/entries.jsonl" ] && { echo "rebuild-ledger: $out already holds a ledger; remove it first" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
install -m 600 "$keys/newsroom-root.pem" "$tmp/root.pem"
install -m 600 "$keys/desk-journalist.pem" "$tmp/desk.pem"

CLAIMLEDGER_TIME=2026-11-25T21:00:00Z "$bin" init --ledger "$out" --origin claimledger.example/newsroom \
  --name newsroom-root --key "$tmp/root.pem" >/dev/null
CLAIMLEDGER_TIME=2026-11-25T21:01:00Z "$bin" key add "$repo/seeds/keys/desk-journalist.pub.pem" \
  --name desk-journalist --ledger "$out" --key "$tmp/root.pem" >/dev/null
CLAIMLEDGER_TIME=2026-11-25T21:05:00Z "$bin" import "$repo/seeds/afp-2026-01-06.import.jsonl" \
  --ledger "$out" --key "$tmp/desk.pem"
CLAIMLEDGER_TIME=2026-11-25T21:10:00Z "$bin" checkpoint --ledger "$out" --key "$tmp/root.pem" >/dev/null
"$bin" verify --ledger "$out" --checkpoint "$out/checkpoints/$(ls "$out/checkpoints" | sort -n | tail -1)"
