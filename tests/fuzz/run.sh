#!/bin/sh
# run.sh FUZZER NAME SEED_DIR... - fuzzes for $SG_FUZZ_SECONDS (default 20)
# from the seed folders (read only: new inputs go to
# build-fuzz/fuzz-corpus/NAME, kept between runs), with the dictionary
# tests/fuzz/NAME.dict.  Exits non-zero on a crash, leak, timeout or
# sanitizer report, keeping the input in build-fuzz/fuzz-crashes/NAME/:
# add it to tests/fuzz/regressions/NAME with the fix.
set -u
fuzzer=$1
name=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$(dirname "$fuzzer")/../.." && pwd)
corpus=$build/fuzz-corpus/$name
crashes=$build/fuzz-crashes/$name
log=$build/fuzz-crashes/$name.log
mkdir -p "$corpus" "$crashes"
dict=""
[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
secs=${SG_FUZZ_SECONDS:-20}
echo "fuzz-$name: ${secs}s from $corpus $*"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
	$dict "$corpus" "$@" >"$log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
	tail -n 80 "$log"
	echo "fuzz-$name: FAILED (exit $rc); the input is in $crashes/:"
	ls -t "$crashes" | head -3
	exit 1
fi
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)' "$log"
echo "fuzz-$name: no crash"
