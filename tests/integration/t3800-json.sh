#!/bin/sh
# SPDX-License-Identifier: MIT
# t3800-json.sh - --format json (issue 13, docs/json.md): every command
# that has it prints one JSON document on stdout that validates against
# docs/schema/output.schema.json (tools/json-validate.py, which also
# refuses anything before or after the document and any invalid UTF-8),
# with the exit codes of the text output; exact values for a small
# project: revisions, pending, applied steps, differences (a hostile
# catalog name with quotes, a newline, a tab and control characters),
# errors with file, line and column (a model file, a failing migration
# statement), usage errors, --json and --format=json alike.
. "$(dirname "$0")/lib.sh"

SCHEMA=$SG_SOURCE_ROOT/docs/schema/output.schema.json
VALIDATE=$SG_SOURCE_ROOT/tools/json-validate.py
python3 -c 'import jsonschema' 2>/dev/null ||
	BAIL_OUT "python3-jsonschema is required (tools/setup.sh --test installs it)"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run_ok "init" init
N=0

# jrun DESC RC ARGS...: runs schemagen, checks the exit code and that
# stdout is one document valid against the schema; $J is its copy.
jrun() {
	_d=$1 _rc=$2
	shift 2
	run "$@"
	is_rc "$_rc" "$_d: exit $_rc"
	N=$((N + 1))
	J=$T/doc$N.json
	cp "$T/out" "$J"
	_v=$(python3 "$VALIDATE" "$SCHEMA" "$J" 2>&1)
	is "$_v" "" "$_d: one document, valid against the schema"
}

# jget EXPR: a Python expression over the document d, printed as JSON.
jget() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps(eval(sys.argv[2]), ensure_ascii=True, sort_keys=True))' "$J" "$1"
}

cat >schema/public.yaml <<'YAML'
schema: public
tables:
  t:
    columns:
      id: {type: bigint}
    primary_key: [id]
YAML

# ---- before any revision ----
jrun "heads, no revisions" 0 heads --json
is "$(jget 'd["heads"]')" "[]" "heads: none"
is "$(jget '[d["command"], d["schemagen_json"], d["errors"]]')" '["heads", 1, []]' \
	"command, version, no errors"

# ---- two revisions; the message of the second is hostile ----
run_ok "revision 1" revision --autogenerate -m 'create t'
R1=$(sg heads --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["heads"][0]["id"])')
MSG=$(printf 'say "hi" \\ there\001')
run_ok "revision 2 (empty)" revision -m "$MSG"
R2=$(sg heads --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["heads"][0]["id"])')
isnt "$R2" "$R1" "two revisions"

jrun "heads" 0 heads --format json
is "$(jget '[(h["id"], h["parents"], h["head"], h["applied"]) for h in d["heads"]]')" \
	"[[\"$R2\", [\"$R1\"], true, null]]" "heads: id, parents, head, applied unknown"
is "$(jget 'd["heads"][0]["message"]')" '"say \"hi\" \\ there\u0001"' \
	"a message with quotes, a backslash and a control character, exact"
like "$(cat "$J")" 'there\\u0001"' "the control character is written \\u0001"

jrun "current at base" 0 current --json
is "$(jget '[d["current"], d["pending"], d["unknown"], d["changed"]]')" \
	"[[], [\"$R1\", \"$R2\"], [], []]" "current: nothing applied, both pending"

jrun "check with pending revisions" 1 check --json
is "$(jget '[d["in_sync"], d["against"], d["pending"]]')" "[false, \"database\", [\"$R1\", \"$R2\"]]" \
	"check: not in sync, pending listed"
is "$(jget '[p["kind"] for p in d["problems"]]')" '["pending_revision", "pending_revision"]' \
	"check: a problem per pending revision"
is "$(jget '[(x["kind"], x["object"], x["change"], x["destructive"], x["file"], x["line"]) for x in d["differences"]]')" \
	'[["table", "public.t", "create", false, "schema/public.yaml", 3]]' \
	"check: the missing table as a difference, with where the model declares it"

jrun "upgrade --sql" 0 upgrade head --sql --json
like "$(jget 'd["sql"]')" 'CREATE TABLE public.t' "upgrade --sql: the SQL as a member"

# ---- upgrade ----
jrun "upgrade head" 0 upgrade head --json
is "$(jget '[d["target"], d["from"], d["to"]]')" "[\"head\", [], [\"$R2\"]]" "upgrade: target, from, to"
is "$(jget '[(s["id"], s["direction"], s["statements"], type(s["duration_ms"]).__name__) for s in d["applied"]]')" \
	"[[\"$R1\", \"upgrade\", 1, \"int\"], [\"$R2\", \"upgrade\", 0, \"int\"]]" \
	"upgrade: each applied revision with statement count and duration"
unlike "$OUT" '^upgrade ' "no progress line on stdout"
like "$ERR" "^upgrade $R1" "the progress lines go to stderr"

jrun "current at head" 0 current --json
is "$(jget '[(c["id"], c["applied"], c["applied_direction"], c["checksum_state"]) for c in d["current"]]')" \
	"[[\"$R2\", true, \"upgrade\", \"as_applied\"]]" "current: applied, checksum as applied"
like "$(jget 'd["current"][0]["applied_at"]')" '^"[0-9]{4}-[0-9]{2}-[0-9]{2}T' "current: when"

jrun "current with a password in the URL" 0 current --url "$DATABASE_URL password=s3cret" --json
like "$(jget 'd["database"]')" 'password=\*\*\*\*' "current: the database, password masked"
unlike "$(cat "$J")" 's3cret' "no password in the document"

jrun "history" 0 history --json
is "$(jget '[(r["id"], r["applied"]) for r in d["revisions"]] + [d["current"]]')" \
	"[[\"$R2\", true], [\"$R1\", true], [\"$R2\"]]" "history: newest first, applied, current"

jrun "show" 0 show "$R1" --json
like "$(jget 'd["revisions"][0]["text"]')" "schemagen revision: $R1" "show: the file's text"

jrun "check in sync" 0 check --json
is "$(jget '[d["in_sync"], d["differences"], d["problems"], d["hazards"]]')" '[true, [], [], {}]' \
	"check: in sync"

# ---- a hostile name in the catalog: quotes, newline, tab, control ----
printf 'CREATE TABLE public."we""ird\nna\tme\\" (id int);\nCREATE TABLE public."esc\033[2Jx" ();\n' >"$T/hostile.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$T/hostile.sql" || BAIL_OUT "hostile tables"
jrun "check with hostile names" 1 check --json
is "$(jget '[(x["schema"], x["name"], x["change"], x["destructive"], x["file"]) for x in d["differences"]]')" \
	'[["public", "esc\u001b[2Jx", "drop", true, null], ["public", "we\"ird\nna\tme\\", "drop", true, null]]' \
	"check: dropped tables, names exact, drops destructive"
is "$(jget '[x["object"] for x in d["differences"]]')" \
	'["public.U&\"esc\\001b[2Jx\"", "public.U&\"we\"\"ird\\000ana\tme\\\\\""]' \
	"check: the objects as SQL names (U& escapes for control characters)"
is "$(jget 'd["hazards"]')" '{"data-loss": 2, "lock-access-exclusive": 2}' "check: hazards of the plan"
unlike "$(cat "$J")" "$(printf '\033')" "no raw ESC in the document"

jrun "diff with hostile names" 0 diff --json
like "$(jget 'd["upgrade"]')" 'DROP TABLE public' "diff: the upgrade SQL"
is "$(jget 'len(d["differences"])')" "2" "diff: two differences"
printf 'DROP TABLE public."we""ird\nna\tme\\";\nDROP TABLE public."esc\033[2Jx";\n' >"$T/unhostile.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$T/unhostile.sql" || BAIL_OUT "hostile tables"

jrun "lint" 0 lint --json
is "$(jget '[d["hazards"], d["not_allowed"]]')" '[[], 0]' "lint: nothing pending"
printf -- '-- a plain file\nDROP TABLE t;\n' >"$T/drop.sql"
jrun "lint a file" 1 lint "$T/drop.sql" --json
is "$(jget 'sorted((h["line"], h["revision"], h["hazard"], h["allowed"]) for h in d["hazards"]) + [d["not_allowed"]]')" \
	'[[2, null, "data-loss", false], [2, null, "lock-access-exclusive", false], 2]' \
	"lint: each hazard with its line, not allowed"
jrun "check --lint" 0 check --lint --json
is "$(jget '[d["lint"], d["lint_not_allowed"], d["in_sync"], d["hazards"]]')" '[[], 0, true, {}]' \
	"check --lint: lint's list beside check's hazards"

# ---- errors: file, line, column ----
cp schema/public.yaml "$T/public.yaml"
printf 'views:\n  v: {definition: [1}\n' >>schema/public.yaml
jrun "check with a broken model" 2 check --json
is "$(jget '[(e["file"], e["line"], e["column"]) for e in d["errors"]]')" \
	'[["schema/public.yaml", 8, 21]]' "a YAML error: file, line, column"
like "$(jget 'd["errors"][0]["message"]')" 'YAML' "a YAML error: the message"
like "$ERR" '^schema/public.yaml:8:21: error:' "stderr still has the text"
cp "$T/public.yaml" schema/public.yaml

run_ok "revision 3 (fails)" revision -m broken
F3=$(ls migrations/*_broken.sql)
R3=$(sg heads --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["heads"][0]["id"])')
awk '{ print } /^-- \+upgrade/ { print "CREATE TABLE u (id int);"; print "SELECT nope FROM nowhere;" }' \
	"$F3" >"$T/f3" && cp "$T/f3" "$F3"
L=$(grep -n 'nowhere' "$F3" | cut -d: -f1)
jrun "upgrade that fails" 2 upgrade head --json
is "$(jget '[(e["file"], e["line"], e["column"], e["message"]) for e in d["errors"]]')" \
	"[[\"$F3\", $L, 18, \"relation \\\"nowhere\\\" does not exist\"]]" \
	"a failing statement: file, line, column, message"
is "$(jget '[d["from"], d["to"], d["applied"]]')" "[[\"$R2\"], [\"$R2\"], []]" \
	"the failed revision is not listed as applied"

jrun "downgrade -1" 0 downgrade -1 --json
is "$(jget '[(s["id"], s["direction"]) for s in d["applied"]] + [d["to"]]')" \
	"[[\"$R2\", \"downgrade\"], [\"$R1\"]]" "downgrade: the step and where it ends"

jrun "stamp" 0 stamp "$R2" --json
is "$(jget '[d["from"], d["to"], d["applied"]]')" "[[\"$R1\"], [\"$R2\"], []]" "stamp: from, to"

# ---- usage errors and commands without JSON ----
jrun "unknown option" 2 current --bogus --json
like "$(jget 'd["errors"][0]["message"]')" 'unknown option' "a usage error as a document"
jrun "a command without --format json" 2 init x --json
is "$(jget 'd["errors"][0]["message"]')" '"init has no --format json (docs/json.md lists the commands that have)"' \
	"init refuses --json"
jrun "not a command" 2 --json frobnicate
is "$(jget '[d["command"], d["errors"][0]["hint"]]')" '[null, "`schemagen --help` lists the commands"]' \
	"an unknown command, with its hint"
run --format xml current
is_rc 2 "--format takes text or json"
run current --help --json
is_rc 0 "--help with --json"
like "$OUT" '^usage: schemagen current' "--help prints text, no document"

done_testing
