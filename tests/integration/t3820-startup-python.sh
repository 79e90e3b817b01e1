#!/bin/sh
# SPDX-License-Identifier: MIT
# t3820-startup-python.sh - the README's Python start-up migration (issue
# 13), taken from the README itself (the ```python block after the
# "t3820" marker) and run as written: it upgrades a fresh database and
# prints each applied revision; a failing revision makes it raise, with
# the error's file:line:col on stderr; the database stays where it was.
. "$(dirname "$0")/lib.sh"

awk '/<!-- t3820:/ { on = 1; next } on && /^```python/ { code = 1; next }
	code && /^```/ { exit } code { print }' "$SG_SOURCE_ROOT/README.md" >"$T/migrate.py"
like "$(cat "$T/migrate.py")" '^def migrate' "the README has the Python block"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run_ok "init" init
cat >schema/public.yaml <<'YAML'
schema: public
tables:
  items:
    columns:
      id: {type: bigint}
      name: {type: text, nullable: false}
    primary_key: [id]
YAML
run_ok "revision" revision --autogenerate -m "create items"
R1=$(ls migrations | sed 's/_.*//')

# `schemagen` on PATH, as the README's code expects
mkdir -p "$T/bin" && ln -s "$SCHEMAGEN" "$T/bin/schemagen"
pyrun() {
	PATH=$T/bin:$PATH python3 "$T/migrate.py" "$P" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

pyrun
is "$RC" 0 "the script migrates: exit 0" || diag "$ERR"
like "$OUT" "^applied $R1 \\(create items\\): 1 statements, [0-9]+ ms\$" "it prints the applied revision"
is "$(q "SELECT version_num FROM public.schemagen_version")" "$R1" "the database is at $R1"
pyrun
is "$RC.$OUT" "0." "a second start: nothing applied, nothing printed"

run_ok "revision 2" revision -m "broken"
F2=$(ls migrations/*_broken.sql)
awk '{ print } /^-- \+upgrade/ { print "INSERT INTO items (id) VALUES (1);" }' "$F2" >"$T/f2" &&
	cp "$T/f2" "$F2"
L=$(grep -n 'INSERT INTO items' "$F2" | cut -d: -f1)
pyrun
isnt "$RC" 0 "a failing revision: the script fails"
like "$ERR" "^$F2:$L:1: null value in column \"name\" of relation \"items\" violates not-null constraint\$" \
	"the error with file, line and column"
like "$ERR" "RuntimeError: schema migration failed" "and raises"
is "$(q "SELECT version_num FROM public.schemagen_version")" "$R1" "the database stayed at $R1"

done_testing
