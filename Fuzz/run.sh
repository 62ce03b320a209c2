#!/usr/bin/env bash
# Fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#
# Builds the libFuzzer target TARGET (json, line or checkpoint) with AddressSanitizer into .build-fuzz/,
# compiling the package's module sources directly with swiftc (no SwiftPM), then fuzzes it for SECONDS
# starting from a temporary copy of the committed seed corpus Fuzz/corpus/TARGET/. Prints libFuzzer's final
# statistics; exits non-zero on a crash, leaving the reproducer in .build-fuzz/crashes/TARGET/ (replay it
# with `.build-fuzz/fuzz-TARGET FILE`). Needs swiftc with -sanitize=fuzzer and OpenSSL's headers.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
seconds=${2:-30}
case "$target" in
  json) modules=(CanonicalJSON); max_len=4096 ;;
  line) modules=(CanonicalJSON LedgerCrypto Merkle SignedNote ClaimLedgerCore); max_len=16384 ;;
  checkpoint) modules=(LedgerCrypto SignedNote); max_len=8192 ;;
  *) echo "usage: Fuzz/run.sh json|line|checkpoint SECONDS [libFuzzer options]" >&2; exit 2 ;;
esac
shift 2 || shift $#
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number" >&2; exit 2; }

out=.build-fuzz
mods=$out/modules
mkdir -p "$mods" "$out/crashes/$target"
buildlog=$out/build-$target.log
: >"$buildlog"
# Runs a build step quietly (the gold linker warns about ASan's local symbols); shows its output on failure.
quiet() { "$@" >>"$buildlog" 2>&1 || { tail -n 40 "$buildlog"; echo "fuzz: build failed: $*" >&2; exit 1; }; }
flags=(-package-name claimledger -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -I "$mods" -I Sources/COpenSSL)

# A module's static library is rebuilt when any of its sources, or a module it imports, is newer.
built_newer=0
for m in "${modules[@]}"; do
  lib=$out/lib$m.a
  if [ ! -f "$lib" ] || [ "$built_newer" = 1 ] || [ -n "$(find "Sources/$m" -newer "$lib" -print -quit)" ] || [ "$0" -nt "$lib" ]; then
    echo "fuzz: building module $m"
    quiet swiftc "${flags[@]}" -emit-library -static -module-name "$m" -emit-module -emit-module-path "$mods/$m.swiftmodule" \
      Sources/"$m"/*.swift -o "$lib"
    built_newer=1
  fi
done
binary=$out/fuzz-$target
if [ ! -x "$binary" ] || [ "$built_newer" = 1 ] || [ "Fuzz/$target/main.swift" -nt "$binary" ] || [ "$0" -nt "$binary" ]; then
  echo "fuzz: building $binary"
  libs=()
  for ((i = ${#modules[@]} - 1; i >= 0; i--)); do libs+=("-l${modules[$i]}"); done
  quiet swiftc "${flags[@]}" -module-name "Fuzz_$target" "Fuzz/$target/main.swift" -L "$out" "${libs[@]}" -lcrypto -o "$binary"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/claimledger-fuzz-$target-XXXXXX")
trap 'rm -rf "$work"' EXIT
cp Fuzz/corpus/"$target"/* "$work"/
log=$out/fuzz-$target.log
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$binary" "$work" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/crashes/$target/" "$@" >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 60 "$log"
  echo "fuzz: $target FAILED (exit $status); reproducer in $out/crashes/$target/, log in $log" >&2
  exit 1
fi
runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$log" || true
echo "fuzz: $target ok: ${runs:-?} executions in ${seconds}s, corpus $(ls "$work" | wc -l) inputs"
