#!/bin/sh
# test.sh - every test.  Installs what is missing, builds twice (plain, and
# with AddressSanitizer + UndefinedBehaviorSanitizer), and on a throwaway
# PostgreSQL runs the unit and integration suites in both builds and the
# unit suite under valgrind; runs the version-specific tests on PostgreSQL
# 13, 14, 16, 17 and 18 (tools/test-versions.sh; the suites above run on
# Debian's 15); then builds the fuzz targets with clang
# (build-fuzz) and runs each for $SG_FUZZ_SECONDS (default 20: about a
# minute for the three).  Ends with "N passed, N failed" (test programs,
# each a TAP file of many checks, and the fuzz runs) and exits non-zero on
# any failure.
#   tools/test.sh [--corpus DIR]   also run the shared corpus (informative)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=""
if [ "${1:-}" = "--corpus" ]; then
	corpus=${2:-../shared/corpus/pg-schema-diff}
fi
tools/setup.sh --test || exit 2
tools/build.sh build || exit 2
tools/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false || exit 2
CC=clang tools/build.sh build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
	-Db_lundef=false || exit 2

rm -f build/meson-logs/testlog*.json build-asan/meson-logs/testlog*.json \
	build-fuzz/meson-logs/testlog*.json
tools/with-postgres.sh sh -c '
	meson test -C build --print-errorlogs --num-processes 2
	meson test -C build-asan --print-errorlogs --num-processes 2
	meson test -C build --setup valgrind --suite unit --print-errorlogs
	if [ -n "$1" ]; then tools/corpus.sh "$1" || true; fi
	exit 0' sh "$corpus"
# the version-specific tests on every other supported PostgreSQL (13, 14,
# 16, 17, 18: tools/pg-versions.sh installs them; one that cannot be
# installed is reported and skipped); SG_VERSIONS=none leaves them out
rm -f build/meson-logs/testlog-pg*.json
if [ "${SG_VERSIONS:-}" != none ]; then
	# shellcheck disable=SC2086
	tools/test-versions.sh ${SG_VERSIONS:-}
fi
fuzz_secs=${SG_FUZZ_SECONDS:-20}
SG_FUZZ_SECONDS=$fuzz_secs meson test -C build-fuzz --suite fuzz --num-processes 1 \
	--print-errorlogs

count() { # result pattern over the logs
	cat build/meson-logs/testlog.json build-asan/meson-logs/testlog.json \
		build/meson-logs/testlog-valgrind.json build/meson-logs/testlog-pg*.json \
		build-fuzz/meson-logs/testlog.json 2>/dev/null |
		grep -o '"result": "[A-Z]*"' | grep -cE "$1"
}
passed=$(count '"OK"')
skipped=$(count '"SKIP"')
failed=$(count '"(FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)"')
checks=$(cat build/meson-logs/testlog.json build-asan/meson-logs/testlog.json \
	build/meson-logs/testlog-valgrind.json build/meson-logs/testlog-pg*.json 2>/dev/null |
	grep -oE '(\\n|"stdout": ")ok [0-9]+ ' | wc -l)
echo
echo "test programs: plain build, ASan+UBSan build, valgrind (unit), version-specific tests on PostgreSQL ${SG_VERSIONS:-13 14 16 17 18}, fuzzers (${fuzz_secs}s each); $checks TAP checks passed; $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
