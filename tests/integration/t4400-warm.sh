#!/bin/sh
# SPDX-License-Identifier: MIT
# t4400-warm.sh - issue 12: with the models unchanged, `diff` reads the
# models' catalog kept beside the model cache (<hash>.warm) without parsing
# the models, and prints exactly what the full path prints -- an error at
# a model's line and column too.  A .warm file damaged, of a model cache
# file rewritten since, or of other models is not used (silently) and is
# written again.
. "$(dirname "$0")/lib.sh"

cache_project example

run -v --url "$DBURL" diff
is_rc 0 "cold: diff"
want=$OUT
warm=$(ls "$T"/home/models/*.warm 2>/dev/null)
ok "cold: the .warm file is written" test -s "$warm"
cp "$warm" "$T/warm.0"

run -v --url "$DBURL" diff
is "$OUT" "$want" "warm: the same SQL"
like "$ERR" "model cache .*\.cache: the models are unchanged \([0-9]+ objects, as the models give them in .*\.warm\)" \
	"warm: read from the .warm file"
is_file "$warm" "$T/warm.0" "warm: the .warm file is left as it is"

# damaged: not used, the same SQL, written again
size=$(wc -c <"$warm")
printf 'XXXXXXXX' | dd of="$warm" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run -v --url "$DBURL" diff
is "$OUT" "$want" "damaged: the same SQL"
unlike "$ERR" "\.warm\)" "damaged: not read"
is_file "$warm" "$T/warm.0" "damaged: written again"
head -c 100 "$T/warm.0" >"$warm"
run --url "$DBURL" diff
is "$OUT" "$want" "truncated: the same SQL"
is_file "$warm" "$T/warm.0" "truncated: written again"

# of a model cache file rewritten since (--no-cache materialises again)
run --url "$DBURL" diff --no-cache
isnt "$(cmp "$warm" "$T/warm.0" >/dev/null 2>&1 && echo same)" same \
	"--no-cache: the .warm file is of the new model cache file"
cp "$warm" "$T/warm.1"
cp "$T/warm.0" "$warm"
run -v --url "$DBURL" diff
is "$OUT" "$want" "of another model cache file: the same SQL"
unlike "$ERR" "\.warm\)" "of another model cache file: not read"
is_file "$warm" "$T/warm.1" "of another model cache file: written again"

# the models changed: not used
f=$(grep -l "^  customers:" schema/*.yaml | head -n 1)
cp "$f" "$T/orig.yaml"
sed -i 's/^    columns:$/    columns:\n      warm_probe: {type: integer}/' "$f"
run -v --url "$DBURL" diff
like "$OUT" "warm_probe" "a model changed: the change is seen"
cp "$T/orig.yaml" "$f"

# an error at a model's line and column, the same from the .warm file
qdb "$DB" "CREATE TABLE public.warm_t (id integer, at bigint)"
cat >schema/warm.yaml <<'YAML'
tables:
  warm_t:
    columns:
      id: {type: integer}
      at: {type: timestamp with time zone}
YAML
run --url "$DBURL" diff
is_rc 2 "a type without a cast: refused"
like "$ERR" "schema/warm.yaml:5:[0-9]+: error: .*cannot change type" "refused at the model's type"
err=$ERR
run -v --url "$DBURL" diff
like "$ERR" "\.warm\)" "the error again, from the .warm file"
is "$(printf '%s\n' "$ERR" | grep -v '^schemagen: ')" "$(printf '%s\n' "$err")" \
	"the same error at the same place"

done_testing
