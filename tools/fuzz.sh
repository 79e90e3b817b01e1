#!/bin/sh
# fuzz.sh [SECONDS] - builds the libFuzzer targets of tests/fuzz (model
# loader, schemagen.yaml loader, migration file parser) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz, and fuzzes
# each for SECONDS (default 20) from its seeds (the fixtures, see the top
# meson.build).  Exits non-zero when a target crashes, leaks, hangs or trips
# a sanitizer; the input is kept in build-fuzz/fuzz-crashes/<target>/ (copy
# it into tests/fuzz/regressions/<target>/ with the fix: every test run
# replays those).  Inputs that found new paths accumulate in
# build-fuzz/fuzz-corpus/ between runs.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-20}
case $secs in
''|*[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
tools/setup.sh --fuzz || exit 2
CC=clang tools/build.sh build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
	-Db_lundef=false || exit 2
SG_FUZZ_SECONDS=$secs meson test -C build-fuzz --suite fuzz --num-processes 1 \
	--print-errorlogs
