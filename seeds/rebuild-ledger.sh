#!/usr/bin/env bash
# Rebuilds the seed ledger from seeds/, byte for byte: times are fixed with CLAIMLEDGER_TIME and Ed25519
# signatures are deterministic, so the same inputs and keys give the same ledger.
#
#   seeds/rebuild-ledger.sh [--root-key FILE] [--desk-key FILE] [OUT_DIR]
#
# OUT_DIR defaults to ledger/ and must not hold a ledger yet. With the newsroom's keys (the default:
# newsroom-root.pem and desk-journalist.pem in $CLAIMLEDGER_KEYS, else ../shared/keys) the result is the
# committed ledger; this is the only place in the project that reads those private keys. With other keys,
# such as the test-only keys in Tests/TestOnlyKeys, it is a practice copy: the same payloads and times,
# other signers, so other hashes and signatures. Keys are copied to a private temporary folder with
# mode 0600, since claimledger refuses keys that others can read. The binary is $CLAIMLEDGER_BIN, else
# the package's debug build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keys=${CLAIMLEDGER_KEYS:-$repo/../shared/keys}
root_key=$keys/newsroom-root.pem
desk_key=$keys/desk-journalist.pem
out=
while [ $# -gt 0 ]; do
  case $1 in
    --root-key) root_key=${2:?--root-key needs a file}; shift 2 ;;
    --desk-key) desk_key=${2:?--desk-key needs a file}; shift 2 ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "rebuild-ledger: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$out" ] || { echo "rebuild-ledger: one OUT_DIR only" >&2; exit 2; }; out=$1; shift ;;
  esac
done
out=${out:-$repo/ledger}
for key in "$root_key" "$desk_key"; do
  [ -r "$key" ] || { echo "rebuild-ledger: cannot read the private key $key (set CLAIMLEDGER_KEYS or use --root-key/--desk-key)" >&2; exit 3; }
done
[ -e "$out/entries.jsonl" ] && { echo "rebuild-ledger: $out already holds a ledger; remove it first" >&2; exit 2; }
bin=${CLAIMLEDGER_BIN:-}
if [ -z "$bin" ]; then
  swift build --package-path "$repo" --product claimledger >/dev/null
  bin="$(swift build --package-path "$repo" --show-bin-path)/claimledger"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
install -m 600 "$root_key" "$tmp/root.pem"
install -m 600 "$desk_key" "$tmp/desk.pem"
openssl pkey -in "$tmp/desk.pem" -pubout -out "$tmp/desk.pub.pem"

CLAIMLEDGER_TIME=2026-11-25T21:00:00Z "$bin" init --ledger "$out" --origin claimledger.example/newsroom \
  --name newsroom-root --key "$tmp/root.pem" >/dev/null
CLAIMLEDGER_TIME=2026-11-25T21:01:00Z "$bin" key add "$tmp/desk.pub.pem" \
  --name desk-journalist --ledger "$out" --key "$tmp/root.pem" >/dev/null
CLAIMLEDGER_TIME=2026-11-25T21:05:00Z "$bin" import "$repo/seeds/afp-2026-01-06.import.jsonl" \
  --ledger "$out" --key "$tmp/desk.pem"
CLAIMLEDGER_TIME=2026-11-25T21:10:00Z "$bin" checkpoint --ledger "$out" --key "$tmp/root.pem" >/dev/null
"$bin" verify --ledger "$out" --checkpoint "$out/checkpoints/$(ls "$out/checkpoints" | sort -n | tail -1)"
