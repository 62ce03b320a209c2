#!/usr/bin/env bash
# Rebuilds the seed ledger from seeds/, byte for byte: times are fixed with CLAIMLEDGER_TIME and Ed25519
# signatures are deterministic, so the same inputs and keys give the same ledger.
#
#   seeds/rebuild-ledger.sh [--root-key FILE] [--desk-key FILE] [--editor-key FILE] [--seed-only] [OUT_DIR]
#
# OUT_DIR defaults to ledger/ and must not hold a ledger yet. With the newsroom's keys (the default:
# newsroom-root.pem, desk-journalist.pem and newsroom-editor.pem in $CLAIMLEDGER_KEYS, else
# ../shared/keys) the result is the committed ledger; this is the only place in the project that reads
# those private keys. With other keys, such as the test-only keys in Tests/TestOnlyKeys, it is a practice
# copy: the same payloads and times, other signers, so other hashes and signatures. Keys are copied to a
# private temporary folder with mode 0600, since claimledger refuses keys that others can read. The
# binary is $CLAIMLEDGER_BIN, else the package's debug build.
#
# Two stages. The seed (entries 0-177, checkpoint 178): the root key, the desk key, the import of
# afp-2026-01-06.import.jsonl, a checkpoint. The editorial record (issue 11): the root key admits the
# editor key and records the verdict scale, the desk key imports afp-2026-01-06.editorial.import.jsonl,
# the editor key imports afp-2026-01-06.reviews.import.jsonl, and the root key signs a second checkpoint.
# --seed-only stops after the seed (no editor key needed): the 178-entry ledger of the first checkpoint.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keys=${CLAIMLEDGER_KEYS:-$repo/../shared/keys}
root_key=$keys/newsroom-root.pem
desk_key=$keys/desk-journalist.pem
editor_key=$keys/newsroom-editor.pem
seed_only=
out=
while [ $# -gt 0 ]; do
  case $1 in
    --root-key) root_key=${2:?--root-key needs a file}; shift 2 ;;
    --desk-key) desk_key=${2:?--desk-key needs a file}; shift 2 ;;
    --editor-key) editor_key=${2:?--editor-key needs a file}; shift 2 ;;
    --seed-only) seed_only=1; shift ;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "rebuild-ledger: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$out" ] || { echo "rebuild-ledger: one OUT_DIR only" >&2; exit 2; }; out=$1; shift ;;
  esac
done
out=${out:-$repo/ledger}
needed=("$root_key" "$desk_key")
[ -n "$seed_only" ] || needed+=("$editor_key")
for key in "${needed[@]}"; do
  [ -r "$key" ] || { echo "rebuild-ledger: cannot read the private key $key (set CLAIMLEDGER_KEYS or use --root-key/--desk-key/--editor-key)" >&2; exit 3; }
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

if [ -z "$seed_only" ]; then
  install -m 600 "$editor_key" "$tmp/editor.pem"
  openssl pkey -in "$tmp/editor.pem" -pubout -out "$tmp/editor.pub.pem"
  CLAIMLEDGER_TIME=2026-12-06T10:00:00Z "$bin" key add "$tmp/editor.pub.pem" --role editor \
    --name newsroom-editor --ledger "$out" --key "$tmp/root.pem" >/dev/null
  CLAIMLEDGER_TIME=2026-12-06T10:01:00Z "$bin" scale add --default --ledger "$out" --key "$tmp/root.pem" >/dev/null
  CLAIMLEDGER_TIME=2026-12-06T10:05:00Z "$bin" import "$repo/seeds/afp-2026-01-06.editorial.import.jsonl" \
    --ledger "$out" --key "$tmp/desk.pem"
  CLAIMLEDGER_TIME=2026-12-06T10:10:00Z "$bin" import "$repo/seeds/afp-2026-01-06.reviews.import.jsonl" \
    --ledger "$out" --key "$tmp/editor.pem"
  CLAIMLEDGER_TIME=2026-12-06T10:15:00Z "$bin" checkpoint --ledger "$out" --key "$tmp/root.pem" >/dev/null
fi
"$bin" verify --ledger "$out" --checkpoint "$out/checkpoints/$(ls "$out/checkpoints" | sort -n | tail -1)"
