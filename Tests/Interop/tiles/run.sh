#!/usr/bin/env bash
# Tests/Interop/tiles/run.sh [CLAIMLEDGER]: `claimledger tiles` read by Go's reference implementation.
#
# Publishes two ledgers with `claimledger tiles`, serves each output directory with
# `python3 -m http.server --bind 127.0.0.1 PORT`, and runs Tests/Interop/tiles/check (golang.org/x/mod/sumdb/tlog
# and sumdb/note, built offline in GOPATH mode against Debian's golang-golang-x-mod-dev) against it:
#   1. a copy of the committed ledger (ledger/: its latest stored checkpoint), with the verifier keys of its export;
#   2. a ledger made here with fresh keys (`claimledger key generate`, `init`, `key add`, `import`), over 600
#      entries (full tiles, partial tiles at two levels), then grown by 200 entries and published again
#      (incremental: full tiles unchanged, the old partial tiles kept);
#   3. tampered copies of 2 (an entry bundle byte, a signature byte, a hash tile byte): the checker must refuse each.
# Prints one line per check and exits non-zero on the first failure. CLAIMLEDGER defaults to $CLAIMLEDGER_BIN,
# else the binary of `swift build --show-bin-path`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
bin=${1:-${CLAIMLEDGER_BIN:-$(swift build --package-path "$repo" --show-bin-path)/claimledger}}
[ -x "$bin" ] || { echo "tiles interop: no claimledger binary at $bin" >&2; exit 2; }
for tool in go python3; do
  command -v "$tool" >/dev/null || { echo "tiles interop: $tool is not on PATH (apt-get install golang-go golang-golang-x-mod-dev python3)" >&2; exit 2; }
done
[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog ] || { echo "tiles interop: no golang.org/x/mod in /usr/share/gocode (apt-get install golang-golang-x-mod-dev)" >&2; exit 2; }

work=$(mktemp -d)
server=""
# SIGKILL: a test runner may start this script with SIGTERM blocked, and the server inherits that mask.
stop_server() { if [ -n "$server" ]; then kill -KILL "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off
[ -n "${GOCACHE:-}" ] || [ -n "${HOME:-}" ] || export GOCACHE="$work/gocache"
(cd "$here/check" && go build -o "$work/tiles-check" .)

# serve DIR: starts http.server on a free port of 127.0.0.1 for DIR and sets $url once it answers.
serve() {
  local dir=$1 port attempt
  for attempt in 1 2 3; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    python3 -m http.server --bind 127.0.0.1 --directory "$dir" "$port" >"$work/http.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then url="http://127.0.0.1:$port/"; return 0; fi
      kill -0 "$server" 2>/dev/null || break
      sleep 0.1
    done
    stop_server
  done
  echo "tiles interop: cannot start python3 -m http.server: $(cat "$work/http.log")" >&2
  return 1
}

# check NAME DIR KEYS: tiles-check over HTTP must pass.
check() {
  serve "$2"
  local out status=0
  out=$("$work/tiles-check" "$url" "$3") || status=$?
  stop_server
  echo "tiles interop: $1: $out"
  [ "$status" -eq 0 ]
}

# refuse NAME DIR KEYS: tiles-check over HTTP must fail (exit 1).
refuse() {
  serve "$2"
  local out status=0
  out=$("$work/tiles-check" "$url" "$3") || status=$?
  stop_server
  echo "tiles interop: $1: refused as it must be: $out"
  [ "$status" -eq 1 ]
}

# publish NAME LEDGER OUT: `claimledger tiles --json`, timed; prints its summary.
publish() {
  local start end summary
  start=$(date +%s%N)
  summary=$("$bin" tiles --ledger "$2" --out "$3" --json)
  end=$(date +%s%N)
  echo "tiles interop: $1: claimledger tiles in $(( (end - start) / 1000000 )) ms: $summary"
}

flip() { python3 -c 'import sys; p, at = sys.argv[1], int(sys.argv[2]); b = bytearray(open(p, "rb").read()); b[at] ^= 1; open(p, "wb").write(b)' "$1" "$2"; }

# 1. The committed ledger, as of its latest stored checkpoint.
mkdir -p "$work/committed"
cp -R "$repo/ledger/entries.jsonl" "$repo/ledger/sources" "$repo/ledger/checkpoints" "$work/committed/"
publish "committed ledger" "$work/committed" "$work/committed-tiles"
"$bin" export --ledger "$work/committed" --out "$work/committed-export.json"
python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["verifierKeys"]))' "$work/committed-export.json" >"$work/committed.vkeys"
check "committed ledger" "$work/committed-tiles" "$work/committed.vkeys"

# 2. A ledger made here: fresh keys, one source, claims with statuses.
made="$work/made"
"$bin" key generate --out "$work/root.pem" >/dev/null 2>&1
"$bin" key generate --out "$work/desk.pem" >/dev/null 2>&1
export CLAIMLEDGER_TIME=2026-02-01T10:00:00Z
"$bin" init --ledger "$made" --origin tiles.example/interop --name interop-root --key "$work/root.pem" >/dev/null
"$bin" key add "$work/desk.pem.pub" --name interop-desk --ledger "$made" --key "$work/root.pem" >/dev/null
# make_import DIR FIRST COUNT STATUS: a source of COUNT statements and one claim quoting each (with a status when STATUS is yes).
make_import() {
  python3 - "$@" <<'EOF'
import json, sys
folder, first, count, status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "yes"
name = f"statements-{first:05d}.txt"
with open(f"{folder}/{name}", "w") as f:
    for i in range(first, first + count):
        f.write(f"Statement {i:05d} holds for the interop test.\n")
with open(f"{folder}/batch-{first:05d}.import.jsonl", "w") as f:
    f.write(json.dumps({"type": "source", "ref": "src", "file": name, "title": f"Statements from {first}", "publisher": "Interop",
                        "url": f"https://interop.example/statements/{first}", "published": "2026-02-01", "language": "en"}) + "\n")
    for i in range(first, first + count):
        line = {"type": "claim", "id": f"claim-{i:05d}", "statement": f"Statement {i} holds.", "claimant": "Interop",
                "quotes": [{"source": "src", "text": f"Statement {i:05d} holds for the interop test."}]}
        if status:
            line.update(status="corroborated", rationale=f"Checked statement {i}.")
        f.write(json.dumps(line) + "\n")
EOF
}
mkdir -p "$work/imports"
make_import "$work/imports" 0 300 yes
"$bin" import "$work/imports/batch-00000.import.jsonl" --ledger "$made" --key "$work/desk.pem" >/dev/null
"$bin" checkpoint --ledger "$made" --key "$work/root.pem" >/dev/null
"$bin" key verifier-key "$work/root.pem.pub" --ledger "$made" >"$work/made.vkeys"
publish "made ledger (603 entries)" "$made" "$work/made-tiles"
check "made ledger (603 entries)" "$work/made-tiles" "$work/made.vkeys"

# Grown by 200 entries and published again: full tiles compared, not rewritten; the old partial tiles stay.
export CLAIMLEDGER_TIME=2026-02-02T10:00:00Z
make_import "$work/imports" 300 199 no
"$bin" import "$work/imports/batch-00300.import.jsonl" --ledger "$made" --key "$work/desk.pem" >/dev/null
"$bin" checkpoint --ledger "$made" --key "$work/root.pem" >/dev/null
publish "made ledger grown (803 entries)" "$made" "$work/made-tiles"
for kept in tile/0/002.p/91 tile/entries/002.p/91 tile/signatures/002.p/91 tile/1/000.p/2; do
  [ -f "$work/made-tiles/$kept" ] || { echo "tiles interop: the partial tile $kept of the first publication is gone" >&2; exit 1; }
done
check "made ledger grown (803 entries)" "$work/made-tiles" "$work/made.vkeys"

# 3. Tampered copies: each must be refused by the checker.
for target in "tile/entries/001 26" "tile/signatures/003.p/35 100" "tile/0/000 40"; do
  set -- $target
  rm -rf "$work/tampered" && cp -R "$work/made-tiles" "$work/tampered"
  flip "$work/tampered/$1" "$2"
  refuse "byte $2 of $1 flipped" "$work/tampered" "$work/made.vkeys"
done
echo "tiles interop: all checks passed"
