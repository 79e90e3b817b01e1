#!/bin/sh
# test-versions.sh [MAJOR...] - the integration tests that exercise
# version-specific paths, on each other supported PostgreSQL version
# (default 13 14 16 17 18; the full suite runs on Debian's 15), each with
# tools/with-postgres.sh pointed at that version's programs
# (tools/pg-versions.sh installs them; a version that cannot be installed
# is reported as skipped, not failed).  Needs a plain build in build/
# (or $SG_BUILD).
# The tests per version are listed below: a test that fails on a version
# because introspection does not read that version yet is left out of its
# list (and said so here), not hidden.
# Ends with "versions: N passed, N failed, N skipped"; exits 1 on a failure.
set -u
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 13 14 16 17 18
# measured on 17 (2-core VM, loaded): d-introspect 14 s, t0400 80 s,
# t0900 194 s (left out: too slow for five versions), t3500 68 s;
# t4120 (publications: 13's publish_via_partition_root, 15's lists) 45 s.
# t4300 (foreign tables), t4320 (global default privileges), t4340 (text
# search parsers and templates), t4540 (foreign partitions, triggers of
# foreign tables: TRUNCATE from 16): their catalogs on every version.
# The whole set takes 45-50 s per version on an idle 2-core VM (measured
# on 13, 14, 16, 17, 18).
tests_for() {
	echo "${SG_VERSION_TESTS:-d-introspect t0400-roundtrip.sh t3550-pg-versions.sh t3560-adoption.sh t4120-publications.sh t4150-statistics.sh t4300-foreign-tables.sh t4540-foreign-partitions.sh t4320-global-default-privileges.sh t4340-ts-parsers.sh}"
}
passed=0 failed=0 skipped=0
for m in "$@"; do
	if ! tools/pg-versions.sh install "$m" || ! bin=$(tools/pg-versions.sh bindir "$m"); then
		echo "test-versions: PostgreSQL $m: skipped (no server programs)"
		skipped=$((skipped + 1))
		continue
	fi
	start=$(date +%s)
	# shellcheck disable=SC2046
	# each version's results in meson-logs/testlog-pgMAJOR.json
	if SCHEMAGEN_PG_BINDIR=$bin tools/with-postgres.sh meson test -C "${SG_BUILD:-build}" \
		--logbase "testlog-pg$m" --print-errorlogs --num-processes 2 \
		$(tests_for "$m"); then
		r=passed; passed=$((passed + 1))
	else
		r=FAILED; failed=$((failed + 1))
	fi
	echo "test-versions: PostgreSQL $m: $r ($(($(date +%s) - start)) s: $(tests_for "$m"))"
done
echo "versions: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
