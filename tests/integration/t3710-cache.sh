#!/bin/sh
# SPDX-License-Identifier: MIT
# t3710-cache.sh - issue 12: the cached model catalog.  The example
# project's models (enum, identity, foreign keys across schemas, a
# partitioned table with RLS and a policy, a trigger function, a view):
# a second `diff` reads the cache file (in SCHEMAGEN_HOME/models/, not in
# the project) instead of materialising and prints the same; a cache damaged on purpose (bytes, key, truncated,
# not a cache at all), a model file changed and changed back, and
# --no-cache each give the right result, materialising again; the cache
# files of project folders that are gone are deleted.
. "$(dirname "$0")/lib.sh"

cache_project example
snap_dir . >"$T/proj.before"

run -v --url "$DBURL" diff
is_rc 0 "cold: diff"
want=$OUT
like "$ERR" "model cache $T/home/models/[0-9a-f]{16}\.cache: none yet; materialising the models" "cold: no cache yet"
like "$ERR" "model cache .* written" "cold: the cache is written"
cache=$(ls "$T"/home/models/*.cache)
is "$(stat -c %a "$T/home/models")" 700 "the cache folder is private"
snap_dir . >"$T/proj.after"
is_file "$T/proj.after" "$T/proj.before" "diff writes nothing in the project"
like "$want" "CREATE TABLE" "the models are created"

# warm: the same output, no scratch database
run -v --url "$DBURL" diff
is_rc 0 "warm: diff"
is "$OUT" "$want" "warm: the same SQL"
like "$ERR" "model cache .*: the models are unchanged" "warm: read from the cache"
unlike "$ERR" "scratch database|materialising" "warm: nothing materialised"

# damaged on purpose: always the right result, materialised again
damage() { # OFFSET TEXT
	printf '%s' "$2" | dd of="$cache" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
size=$(wc -c <"$cache")
damage $((size / 2)) "XXXXXXXX"
run -v --url "$DBURL" diff
is "$OUT" "$want" "payload damaged: the same SQL"
like "$ERR" "damaged \(checksum\); materialising the models" "payload damaged: materialised again"
run -v --url "$DBURL" diff
like "$ERR" "the models are unchanged" "and the cache is good again"

damage 30 "0000"
run -v --url "$DBURL" diff
is "$OUT" "$want" "key damaged: the same SQL"
like "$ERR" "changed; materialising the models" "key damaged: materialised again"

head -c $((size / 3)) "$cache" >"$T/half" && cp "$T/half" "$cache"
run -v --url "$DBURL" diff
is "$OUT" "$want" "cache truncated: the same SQL"
like "$ERR" "damaged|not a cache file; materialising" "cache truncated: materialised again"

echo "not a cache" >"$cache"
run -v --url "$DBURL" diff
is "$OUT" "$want" "not a cache: the same SQL"
like "$ERR" "not a cache file of this version; materialising" "not a cache: materialised again"

# a hand-made payload behind a correct header and checksum: refused by the reader
run -v --url "$DBURL" diff
key=$(sed -n 2p "$cache")
payload="SGCAT garbage"
sum=$(printf '%s' "$payload" | "$SG_BUILD_ROOT/tests/t-serial" fnv 2>/dev/null)
if [ -n "$sum" ]; then
	printf 'schemagen model cache 1\n%s\n%s\n%s %s\n%s' "$key" "$sum" \
		"$(printf '%s' "$P" | wc -c)" "$P" "$payload" >"$cache"
	run -v --url "$DBURL" diff
	is "$OUT" "$want" "a malformed catalog: the same SQL"
	like "$ERR" "damaged \(unreadable catalog\); materialising" "a malformed catalog: materialised again"
else
	skip 2 "t-serial cannot print checksums"
fi

# a model file changed, then changed back
f=$(grep -l "^  customers:" schema/*.yaml | head -n 1)
cp "$f" "$T/orig.yaml"
sed -i 's/^    columns:$/    columns:\n      cached_probe: {type: integer}/' "$f"
run -v --url "$DBURL" diff
like "$OUT" "cached_probe" "a model changed: the change is seen"
like "$ERR" "changed; materialising the models" "a model changed: materialised again"
cp "$T/orig.yaml" "$f"
run -v --url "$DBURL" diff
is "$OUT" "$want" "changed back: the first SQL"
like "$ERR" "changed; materialising the models" "changed back: materialised again"
run -v --url "$DBURL" diff
like "$ERR" "the models are unchanged" "then cached again"

# --no-cache: materialises (and refreshes the cache)
run -v --url "$DBURL" diff --no-cache
is "$OUT" "$want" "--no-cache: the same SQL"
like "$ERR" "materialising the models in scratch database" "--no-cache: materialised"
unlike "$ERR" "the models are unchanged" "--no-cache: the cache is not read"
run -v --no-cache --url "$DBURL" check
like "$ERR" "materialising the models in scratch database" "--no-cache before the command too"

# check and revision --autogenerate read the same cache
run -v --url "$DBURL" check
is_rc 1 "check: differences (the models are not applied)"
like "$ERR" "the models are unchanged" "check reads the cache"

# the cache of a project folder that is gone is deleted when another is written
mkdir "$T/other" && cp -R schema schemagen.yaml "$T/other/"
(cd "$T/other" && sg --url "$DBURL" diff >/dev/null 2>&1)
is "$(ls "$T"/home/models/*.cache | wc -l)" 2 "two projects, two cache files"
rm -rf "$T/other"
run -v --url "$DBURL" diff --no-cache
like "$ERR" "model cache: removing .* \($T/other is gone\)" "the gone project's cache is removed"
is "$(ls "$T"/home/models/*.cache)" "$cache" "one cache file is left"

done_testing
