#!/bin/sh
# SPDX-License-Identifier: MIT
# t4100-casts.sh - casts (issue 10), database-wide: WITH FUNCTION, WITH
# INOUT and WITHOUT FUNCTION casts created after their types and
# function, commented, re-created when their context or method changes
# (a cast cannot be altered), dropped before their function; the casts
# PostgreSQL has itself are never touched.  Each step by `revision
# --autogenerate` + `upgrade` with `check` clean and the exact SQL; then
# every step undone by `downgrade -1`, back to the database of the step
# before (pg_dump).  Load errors at their place.
. "$(dirname "$0")/lib.sh"

new_kind_project

step() {
	nsteps=$((nsteps + 1))
	{ echo "$TYPES"; cat; } >schema/model.yaml
	migrate_step "$@" || return
	schema_dump "$DB" >"$T/snap$nsteps"
}
upgrade_sql() {
	sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' "$T/step$nsteps.sql" | sed '1d;$d' |
		sed '/^$/d'
}
downgrade_sql() {
	sed -n '/^-- +downgrade$/,$p' "$T/step$nsteps.sql" | sed '1d' | sed '/^$/d'
}

TYPES='schema: temp
domains:
  celsius: {type: numeric}
  code: {type: text}
types:
  pair: {attributes: {a: int, b: int}}
functions:
  to_int:
    arguments: [c temp.celsius]
    returns: integer
    language: sql
    volatility: immutable
    body: SELECT round(c)::int'
CASTS="SELECT string_agg(format_type(castsource, NULL) || '>' || format_type(casttarget, NULL) || ' ' || castmethod::text || castcontext::text || ' ' || coalesce(castfunc::regprocedure::text, '-') || ' ' || coalesce(obj_description(oid, 'pg_cast'), '-'), '; ') FROM (SELECT castsource, casttarget, castmethod, castcontext, castfunc, oid FROM pg_cast WHERE oid >= 16384 ORDER BY format_type(castsource, NULL) COLLATE \"C\") c"

step <<'EOF' "casts created" "$CASTS" \
	"bytea>text be - -; temp.celsius>integer fa temp.to_int(temp.celsius) rounds; temp.pair>text ie - -"
casts:
  - source: temp.celsius
    target: integer
    function: temp.to_int(temp.celsius)
    context: assignment
    comment: rounds
  - source: temp.pair
    target: text
    inout: true
  - {source: bytea, target: text, without_function: true}
EOF
is "$(upgrade_sql | grep -i 'cast')" "CREATE CAST (bytea AS text) WITHOUT FUNCTION;
CREATE CAST (temp.celsius AS integer) WITH FUNCTION temp.to_int(temp.celsius) AS ASSIGNMENT;
COMMENT ON CAST (temp.celsius AS integer) IS 'rounds';
CREATE CAST (temp.pair AS text) WITH INOUT;" "created: the upgrade"
like "$(upgrade_sql | tr '\n' ' ')" 'FUNCTION temp.to_int.*CREATE CAST \(temp.celsius' \
	"the cast after its function"
is "$(downgrade_sql | grep -i 'cast')" "DROP CAST (bytea AS text);
DROP CAST (temp.celsius AS integer);
DROP CAST (temp.pair AS text);" "created: the downgrade"
like "$(downgrade_sql | tr '\n' ' ')" 'DROP CAST \(temp.celsius AS integer\);.*DROP FUNCTION temp.to_int' \
	"the cast dropped before its function"

step <<'EOF' "comment, context and method changed" "$CASTS" \
	"bytea>text ie - -; temp.celsius>integer fi temp.to_int(temp.celsius) -; temp.pair>text ia - pairs"
casts:
  - source: temp.celsius
    target: integer
    function: temp.to_int(temp.celsius)
    context: implicit
  - source: temp.pair
    target: text
    inout: true
    context: assignment
    comment: pairs
  - {source: bytea, target: text, inout: true}
EOF
is "$(upgrade_sql)" "DROP CAST (bytea AS text);
DROP CAST (temp.celsius AS integer);
DROP CAST (temp.pair AS text);
CREATE CAST (bytea AS text) WITH INOUT;
CREATE CAST (temp.celsius AS integer) WITH FUNCTION temp.to_int(temp.celsius) AS IMPLICIT;
CREATE CAST (temp.pair AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (temp.pair AS text) IS 'pairs';" "re-created: the upgrade"

step <<'EOF' "comment alone" "$CASTS" \
	"bytea>text ie - -; temp.celsius>integer fi temp.to_int(temp.celsius) -; temp.pair>text ia - two ints"
casts:
  - source: temp.celsius
    target: integer
    function: temp.to_int(temp.celsius)
    context: implicit
  - source: temp.pair
    target: text
    inout: true
    context: assignment
    comment: two ints
  - {source: bytea, target: text, inout: true}
EOF
is "$(upgrade_sql)" "COMMENT ON CAST (temp.pair AS text) IS 'two ints';" "comment: the upgrade"
is "$(downgrade_sql)" "COMMENT ON CAST (temp.pair AS text) IS 'pairs';" "comment: the downgrade"

# ---- dump: database.yaml, and diff against it finds nothing ----
run dump -o "$T/dumped"
is_rc 0 "dump" || diag "$ERR"
is "$(grep -v '^#' "$T/dumped/database.yaml")" "
casts:
  - {source: bytea, target: text, inout: true}
  - {source: temp.celsius, target: integer, function: temp.to_int(temp.celsius), context: implicit}
  - {source: temp.pair, target: text, inout: true, context: assignment, comment: two ints}" "dump writes them into database.yaml"
mv schema "$T/models" && cp -r "$T/dumped" schema
run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff against the dumped models: nothing"
rm -r schema && mv "$T/models" schema

step "dropped" "$CASTS" "" </dev/null
is "$(upgrade_sql)" "DROP CAST (bytea AS text);
DROP CAST (temp.celsius AS integer);
DROP CAST (temp.pair AS text);" "dropped: the upgrade"
is "$(q "SELECT count(*) FROM pg_cast WHERE oid < 16384")" \
	"$(qdb postgres "SELECT count(*) FROM pg_cast WHERE oid < 16384")" \
	"PostgreSQL's own casts are all there"

# ---- load errors (the models of the last step kept aside) ----
cp schema/model.yaml "$T/good.yaml"
cat >schema/model.yaml <<'EOF'
schema: temp
casts:
  - {target: text, inout: true}
  - {source: int, target: text}
  - {source: bigint, target: text, inout: true, without_function: true}
  - {source: real, target: text, function: f}
  - {source: "int)", target: text, inout: true}
  - {source: date, target: text, inout: true, context: always}
  - {source: time, target: text, inout: true, kontext: implicit}
  - x
  - {source: int, target: text, inout: true}
casts2: 1
EOF
run revision --autogenerate -m bad
is "$RC:$ERR" '2:schema/model.yaml:3:5: error: missing key "source" in a cast
schema/model.yaml:4:5: error: cast (int AS text) needs "function", "without_function: true" or "inout: true"
  hint: CREATE CAST takes WITH FUNCTION, WITHOUT FUNCTION or WITH INOUT
schema/model.yaml:5:43: error: cast (bigint AS text) takes one of "function", "without_function" and "inout"
schema/model.yaml:6:44: error: function is not a function with its argument types (such as f(integer))
schema/model.yaml:7:18: error: source: syntax error at or near ")"
schema/model.yaml:8:56: error: "context" must be explicit, assignment or implicit, found "always"
schema/model.yaml:9:47: error: unknown key "kontext" in a cast
  hint: did you mean "context"?
schema/model.yaml:10:5: error: expected a mapping {source:, target:, function:, ...}, found "x"
schema/model.yaml:11:5: error: cast (int AS text) is defined twice
  hint: first defined at schema/model.yaml:4:5
schema/model.yaml:12:1: error: unknown key "casts2" at the top level
  hint: did you mean "casts"?' "load errors at their places"

cp "$T/good.yaml" schema/model.yaml

# ---- every step undone ----
while [ "$nsteps" -gt 1 ]; do
	run downgrade -1
	is_rc 0 "downgrade of step $nsteps" || diag "$ERR"
	nsteps=$((nsteps - 1))
	schema_dump "$DB" >"$T/now"
	is_file "$T/now" "$T/snap$nsteps" "after the downgrade, the database of step $nsteps"
done

done_testing
