#!/bin/sh
# SPDX-License-Identifier: MIT
# t4710-cache-stream.sh - issue 12: the cache files written streamed,
# through a 64 kB buffer (sg_afile), and the model digests read in pieces,
# on models whose files are several buffers long (240 tables).  The model
# cache file is the size -v says, its header's checksum that of its
# payload; the .warm file, which checks the model cache file in pieces,
# is used; a table changed is made incrementally, the catalog that of
# --no-cache.  The digests file damaged in ways its size does not show
# (the last line dropped, two lines swapped with the checksum made right
# again, a line cut short): rebuilt, saying why, the catalog that of
# --no-cache.
. "$(dirname "$0")/lib.sh"

cache_project
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"
H=$T/home/models
FNV=$SG_BUILD_ROOT/tests/t-serial
_cleanup_hook=drop_kept

awk 'BEGIN {
	print "schema: public"
	print "tables:"
	for (i = 1; i <= 240; i++) {
		printf "  t%d:\n    columns:\n", i
		printf "      id: {type: bigint, nullable: false}\n"
		printf "      name: {type: text}\n      amount: {type: \"numeric(10,2)\"}\n"
		printf "      at: {type: timestamp with time zone}\n"
		printf "    primary_key: [id]\n"
		printf "    indexes:\n      - {name: t%d_name_idx, columns: [name]}\n", i
	}
}' >schema/public.yaml

run -v --url "$DBURL" diff
is_rc 0 "cold: diff"
want=$OUT
cache=$(ls "$H"/*.cache)
size=$(wc -c <"$cache")
ok "the model cache file is larger than two buffers ($size bytes)" test "$size" -gt 131072
like "$ERR" "model cache $cache written \($size bytes\)" "-v says its size"
hl=$(head -n 4 "$cache" | wc -c)
is "$(tail -c +$((hl + 1)) "$cache" | "$FNV" fnv)" "$(sed -n 3p "$cache")" \
	"its header's checksum is its payload's"
models=$(ls "$H"/*.models)
ok "the digests file is larger than a buffer ($(wc -c <"$models") bytes)" \
	test "$(wc -c <"$models")" -gt 65536
is "$(tail -n +4 "$models" | "$FNV" fnv)" "$(sed -n 3p "$models")" \
	"the digests file's checksum is its body's"
is "$(ls "$H" | grep -c '\.tmp\.')" 0 "no temporary file left"

run -v --url "$DBURL" diff
is "$OUT" "$want" "warm: the same SQL"
like "$ERR" "model cache .*: the models are unchanged \([0-9]+ objects, as the models give them in .*\.warm\)" \
	"warm: the .warm file, the model cache file checked in pieces"

# one table changed, then the digests file damaged in three ways
n=0
change() {
	n=$((n + 1))
	sed -i "s/^  t$((n * 40)):\$/  t$((n * 40)):\n    comment: changed $n/" schema/public.yaml
}
change
run -v --url "$DBURL" diff
mdb_incr "a table changed"

# damaged LABEL: the next change rebuilds, saying why, as --no-cache
damaged() {
	change
	run -v --url "$DBURL" diff
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: the digests of the models it holds are missing or damaged; materialising every model" \
		"$1: rebuilt, saying why"
	mdb_same "$1"
}
models=$(ls "$H"/*.models)
lines=$(wc -l <"$models")
head -n $((lines - 1)) "$models" >"$T/m" && cp "$T/m" "$models"
damaged "the last line dropped"

models=$(ls "$H"/*.models)
tail -n +4 "$models" | awk 'NR == 10 { a = $0; next } NR == 11 { print; print a; next } { print }' >"$T/body"
is "$(wc -c <"$T/body")" "$(tail -n +4 "$models" | wc -c)" "two lines swapped: as long"
{ sed -n 1,2p "$models"; "$FNV" fnv <"$T/body"; cat "$T/body"; } >"$T/m"
cp "$T/m" "$models"
damaged "two lines swapped, the checksum right"

models=$(ls "$H"/*.models)
size=$(wc -c <"$models")
head -c $((size - 40)) "$models" >"$T/m" && cp "$T/m" "$models"
damaged "a line cut short"

change
run -v --url "$DBURL" diff
mdb_incr "the digests written again: incremental"

done_testing
