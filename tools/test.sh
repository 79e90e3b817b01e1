#!/bin/sh
# test.sh - every test.  Installs what is missing, builds three times
# (plain; with AddressSanitizer + UndefinedBehaviorSanitizer; the fuzz
# targets with clang in build-fuzz), and on throwaway PostgreSQL clusters
# runs the unit and integration suites in both builds and the unit suite
# under valgrind; runs the version-specific tests on PostgreSQL 13, 14, 16,
# 17 and 18 (tools/test-versions.sh; the suites above run on Debian's 15);
# and runs each fuzzer for $SG_FUZZ_SECONDS (default 20).  Ends with
# "N passed, N failed" (test programs, each a TAP file of many checks,
# and the fuzz runs) and exits non-zero on any failure.
#   tools/test.sh [--corpus DIR]   also run the shared corpus (informative)
# Two lines of work run side by side, each on a PostgreSQL of its own (the
# integration tests of one suite run one at a time: they share roles and
# other cluster-wide state, so a second core is used by the other line):
#   1. the plain build's suite (with the suite `corpus`: t4640, the shared
#      corpus both ways through the model database, minutes; skipped
#      without ../shared/corpus), the unit suite under valgrind, the versions;
#   2. the ASan build, its suite (without `corpus`), the fuzz build, the
#      fuzzers.
# The other versions' server programs are fetched (npm) while building.
# Line 1's output is kept and shown when both are done; each phase says how
# long it took ("test.sh: PHASE: N s").
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=""
if [ "${1:-}" = "--corpus" ]; then
	corpus=${2:-../shared/corpus/pg-schema-diff}
fi
t0=$(date +%s)
phase() { # NAME START: how long the phase took
	echo "test.sh: $1: $(($(date +%s) - $2)) s"
}
tools/setup.sh --test || exit 2
phase setup "$t0"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# the other versions' programs, downloaded meanwhile (tools/test-versions.sh
# installs again what failed here; it waits for this first)
if [ "${SG_VERSIONS:-}" != none ]; then
	# shellcheck disable=SC2086
	(tools/pg-versions.sh install ${SG_VERSIONS:-} >"$tmp/pg-versions.log" 2>&1
	 echo $? >"$tmp/pg-versions.rc") &
fi

t=$(date +%s)
tools/build.sh build || exit 2
phase "plain build" "$t"
rm -f build/meson-logs/testlog*.json build-asan/meson-logs/testlog*.json \
	build-fuzz/meson-logs/testlog*.json

# line 1, in the background: plain suite, valgrind, versions
(
	tools/with-postgres.sh sh -c '
		t=$(date +%s)
		meson test -C build --print-errorlogs --num-processes 2
		echo "test.sh: plain suite: $(($(date +%s) - t)) s"
		t=$(date +%s)
		meson test -C build --setup valgrind --suite unit --print-errorlogs
		echo "test.sh: valgrind (unit): $(($(date +%s) - t)) s"
		if [ -n "$1" ]; then tools/corpus.sh "$1" || true; fi
		exit 0' sh "$corpus"
	# the version-specific tests on every other supported PostgreSQL (13,
	# 14, 16, 17, 18: tools/pg-versions.sh installs them; one that cannot
	# be installed is reported and skipped); SG_VERSIONS=none leaves them out
	if [ "${SG_VERSIONS:-}" != none ]; then
		while [ ! -f "$tmp/pg-versions.rc" ]; do sleep 1; done
		cat "$tmp/pg-versions.log"
		t=$(date +%s)
		# shellcheck disable=SC2086
		tools/test-versions.sh ${SG_VERSIONS:-}
		phase versions "$t"
	fi
) >"$tmp/line1.log" 2>&1 &
line1=$!

# line 2, here: ASan build and suite, fuzz build and fuzzers
t=$(date +%s)
if tools/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
	phase "asan build" "$t"
	t=$(date +%s)
	tools/with-postgres.sh meson test -C build-asan --print-errorlogs --num-processes 2 \
		--no-suite corpus
	phase "asan suite" "$t"
else
	echo "test.sh: the ASan build failed"
	echo 1 >"$tmp/build-failed"
fi
fuzz_secs=${SG_FUZZ_SECONDS:-20}
t=$(date +%s)
if CC=clang tools/build.sh build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
	-Db_lundef=false; then
	phase "fuzz build" "$t"
	t=$(date +%s)
	SG_FUZZ_SECONDS=$fuzz_secs meson test -C build-fuzz --suite fuzz --num-processes 1 \
		--print-errorlogs
	phase fuzzers "$t"
else
	echo "test.sh: the fuzz build failed"
	echo 1 >"$tmp/build-failed"
fi

wait "$line1"
echo
echo "---- plain suite, valgrind, versions (run meanwhile) ----"
cat "$tmp/line1.log"
[ -f "$tmp/build-failed" ] && { phase total "$t0"; exit 2; }
phase total "$t0"

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
