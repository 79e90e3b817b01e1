#!/bin/sh
# SPDX-License-Identifier: MIT
# t3100-injection.sh - issue 8, findings 2 and 3, through the CLI against a
# real server: the exclusion operator that opened a comment (closed by the
# `where`) to run COPY ... TO PROGRAM in the scratch database is refused at
# its place and runs nothing; a fragment ending in a -- comment no longer
# swallows what follows it (the column keeps NOT NULL and its default); a
# check ending in a comment loads and applies.  Every other field that
# becomes SQL is fed payloads by t-yaml (load) and d-injection (server).
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run init

# The test can see a shell command the server runs (the superuser the test
# cluster gives us may COPY ... TO PROGRAM; the server may run as another
# user, so the marks go to a directory it can write): a control, so that
# "no file" below means something.
chmod 711 "$T"
mkdir -m 777 "$T/marks"
q "COPY (SELECT 1) TO PROGRAM 'touch $T/marks/control'" >/dev/null 2>&1
if [ ! -f "$T/marks/control" ]; then
	skip_all "the server cannot run COPY ... TO PROGRAM here (not a superuser, or another host)"
fi

MARK=$T/marks/pwned
cat >schema/public.yaml <<EOF
extensions:
  btree_gist:
tables:
  t:
    columns:
      id: {type: int}
    exclusions:
      - elements: [{column: id, operator: "=/*"}]
        where: "*/ id > 0); COPY (SELECT 1) TO PROGRAM 'touch $MARK'; CREATE TABLE x (a int CHECK (a > 0"
EOF
run check
is_rc 2 "operator opening a comment: exit code 2"
is "$ERR" 'schema/public.yaml:8:45: error: "operator" of exclusion constraint of table "t": unterminated /* comment at or near "/*"
schema/public.yaml:9:26: error: "where" of exclusion constraint of table "t": syntax error at or near ")"' \
	"operator opening a comment: refused at the operator (and the where at its parenthesis)"
not_ok "operator opening a comment: no shell command ran" test -e "$MARK"
run revision --autogenerate -m x
is_rc 2 "autogenerate refuses it too"
not_ok "autogenerate: no shell command ran" test -e "$MARK"
is "$(ls migrations | grep -c '\.sql$')" 0 "no migration written"

# the same through where with a statement after it
cat >schema/public.yaml <<EOF
tables:
  t:
    columns:
      id: {type: int}
    checks:
      - {name: c, expression: "id > 0); COPY (SELECT 1) TO PROGRAM 'touch $MARK'; CREATE TABLE x (a int CHECK (a > 0"}
EOF
run check
is_rc 2 "a check closing its parenthesis: exit code 2"
is "$ERR" 'schema/public.yaml:6:38: error: expression of check constraint "c" of table "t": syntax error at or near ")"' \
	"a check closing its parenthesis: refused at the parenthesis"
not_ok "a check closing its parenthesis: no shell command ran" test -e "$MARK"

# ---- finding 3: a trailing -- comment ----

cat >schema/public.yaml <<'EOF'
tables:
  t:
    columns:
      id: {type: int, nullable: false, default: 1 -- one}
      v: {type: int}
    checks:
      - {name: v_positive, expression: v > 0 -- must be positive}
    exclusions: []
EOF
sed -i '/exclusions: \[\]/d' schema/public.yaml
run_ok "a trailing comment: autogenerate" revision --autogenerate -m comments
F=$(ls migrations/*_comments.sql)
like "$(cat "$F")" 'id integer DEFAULT 1 NOT NULL' "the column keeps its default and NOT NULL"
like "$(cat "$F")" 'CONSTRAINT v_positive CHECK \(\(v > 0\)\)$' "the check is there, comment gone"
run_ok "upgrade" upgrade head
is "$(q "SELECT attnotnull || ' ' || pg_get_expr(adbin, adrelid) FROM pg_attribute JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 't'::regclass AND attname = 'id'")" \
	"true 1" "the database column is NOT NULL with default 1"
run_ok "check is clean" check

# a comment in the middle of a literal block stays harmless
cat >schema/public.yaml <<'EOF'
tables:
  t:
    columns:
      id: {type: int, nullable: false, default: 1 -- one}
      v: {type: int}
    checks:
      - name: v_positive
        expression: |
          v > 0 -- must be positive
          AND v < 100 -- and small
EOF
run_ok "a comment on each line: autogenerate" revision --autogenerate -m range
like "$(cat migrations/*_range.sql)" 'CHECK \(\(\(v > 0\) AND \(v < 100\)\)\);$' "both lines of the check are kept"
run_ok "upgrade" upgrade head
not_ok "no shell command ran at all" test -e "$MARK"
done_testing
