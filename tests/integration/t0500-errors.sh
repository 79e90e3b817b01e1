#!/bin/sh
# SPDX-License-Identifier: MIT
# t0500-errors.sh - bad input: every case exits 2 with the exact message
# (file:line:col where there is a file) and changes nothing, neither in the
# project folder nor in the database.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run init
cat >schema/public.yaml <<'EOF'
tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: text
    primary_key: [id]
EOF
run revision --autogenerate -m "items"
REV1_FILE=$(ls migrations/*_items.sql)
REV1=$(rev_of "$REV1_FILE")
run upgrade head
is "$RC:$(q "SELECT version_num FROM schemagen_version")" "0:$REV1" "setup: a database at the first revision"

# expect_error NAME EXPECTED_STDERR ARGS...: runs schemagen ARGS and checks
# exit code 2, the message, an empty stdout, and that neither the project
# folder nor the database changed.
expect_error() {
	_name=$1
	_msg=$2
	shift 2
	snap_dir . >"$T/dir.before"
	snap_db >"$T/db.before"
	run "$@"
	is_rc 2 "$_name: exit code 2"
	is "$ERR" "$_msg" "$_name: message"
	is "$OUT" "" "$_name: nothing on stdout"
	snap_dir . >"$T/dir.after"
	snap_db >"$T/db.after"
	is_file "$T/dir.after" "$T/dir.before" "$_name: project unchanged"
	is_file "$T/db.after" "$T/db.before" "$_name: database unchanged"
}

# model MODEL_TEXT: replaces the models with one file, schema/public.yaml
model() {
	rm -f schema/*.yaml
	printf '%s' "$1" >schema/public.yaml
}

# ---- model files ----

model 'tables:
  items:
    columns: {id: int
'
expect_error "malformed YAML" \
	"schema/public.yaml:4:1: error: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 3, column 14)" \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullabel: false}
'
expect_error "unknown key" \
	'schema/public.yaml:4:23: error: unknown key "nullabel" in column "id"
  hint: did you mean "nullable"?' \
	revision --autogenerate -m x

# a model with 20000 errors: the first 100 (in file order) and a count
{
	printf 'tables:\n  items:\n    columns:\n'
	i=0
	while [ $i -lt 20000 ]; do
		printf '      c%d: {type: int, bogus: 1}\n' $i
		i=$((i + 1))
	done
} >"$T/many.yaml"
rm -f schema/*.yaml
cp "$T/many.yaml" schema/public.yaml
run diff
is_rc 2 "20000 errors: exit code 2"
is "$(printf '%s\n' "$ERR" | head -1)" \
	'schema/public.yaml:4:23: error: unknown key "bogus" in column "c0"' \
	"20000 errors: the first one first"
is "$(printf '%s\n' "$ERR" | grep -c ': error: ')" 100 "20000 errors: 100 printed"
is "$(printf '%s\n' "$ERR" | tail -2)" \
	'  hint: valid keys are: type, nullable, default, identity, collation, comment, renamed_from, generated, grants
... and 19900 more errors' "20000 errors: the last printed, then the count"

model 'tables:
  items:
    columns:
      id: {type: int, nullable: 3}
'
expect_error "wrong value type" \
	'schema/public.yaml:4:33: error: "nullable" must be true or false, found "3"' \
	check

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: {type: txet}
'
expect_error "unknown column type (from the server)" \
	'schema/public.yaml:5:21: error: type "txet" does not exist' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: text
    primary_key: [id]
  parts:
    columns:
      item: int
    foreign_keys:
      - {columns: [item], references: itemz(id)}
'
expect_error "reference to a missing table" \
	'schema/public.yaml:11:39: error: "references" names table public.itemz, which is not in the models
  hint: did you mean "items"?' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: text
    primary_key: [id]
  parts:
    columns:
      item: int
    foreign_keys:
      - {columns: [item], references: items(ids)}
'
expect_error "reference to a missing column" \
	'schema/public.yaml:11:39: error: "references" names column "ids", which table public.items does not have
  hint: did you mean "id"?' \
	diff

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: text
      id: bigint
'
expect_error "duplicate column" \
	'schema/public.yaml:6:7: error: duplicate key "id"
  hint: first given at schema/public.yaml:4:7' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
'
printf 'tables:\n  items:\n    columns: {}\n' >schema/more.yaml
expect_error "table defined in two files" \
	'schema/public.yaml:2:3: error: table public.items is defined twice
  hint: first defined at schema/more.yaml:2:3' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
    indexes:
      - {name: items, columns: [id]}
'
expect_error "index named like a table" \
	'schema/public.yaml:6:16: error: index public.items of table public.items has the same name as table public.items
  hint: tables, views, sequences, indexes, primary keys and unique constraints share one namespace per schema' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false, default: "1 +"}
'
expect_error "invalid SQL in a default" \
	'schema/public.yaml:4:53: error: default of column "id": syntax error at end of input' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false, default: "no_such_function(1)"}
'
expect_error "unknown function in a default (from the server)" \
	'schema/public.yaml:4:50: error: function no_such_function(integer) does not exist
  hint: No function matches the given name and argument types. You might need to add explicit type casts.' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
    checks:
      - name: items_id_check
        expression: |
          id > 0
          AND AND id < 10
'
expect_error "invalid SQL in a check expression" \
	'schema/public.yaml:9:15: error: expression of check constraint "items_id_check" of table "items": syntax error at or near "AND"' \
	revision --autogenerate -m x

model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
    checks:
      - {name: items_id_check, expression: "idd > 0"}
'
expect_error "unknown column in a check (from the server)" \
	'schema/public.yaml:6:45: error: column "idd" does not exist
  hint: Perhaps you meant to reference the column "items.id".' \
	revision --autogenerate -m x

model 'tables:
  items:
    colums:
      id: {type: int, nullable: false}
  parts:
    columns:
      n: {type: int, nulable: true}
'
expect_error "every error of a file is reported" \
	'schema/public.yaml:2:3: error: missing key "columns" in table "items"
  hint: a table without columns says "columns: {}"
schema/public.yaml:3:5: error: unknown key "colums" in table "items"
  hint: did you mean "columns"?
schema/public.yaml:7:22: error: unknown key "nulable" in column "n"
  hint: did you mean "nullable"?' \
	revision --autogenerate -m x

# back to good models
model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: text
    primary_key: [id]
'
run_ok "the good models again" check

# ---- schemagen.yaml ----

cp schemagen.yaml "$T/schemagen.yaml.good"
printf 'migration_dir: migrations\n' >>schemagen.yaml
expect_error "unknown key in schemagen.yaml" \
	'schemagen.yaml:30:1: error: unknown key "migration_dir" in schemagen.yaml
  hint: did you mean "migrations_dir"?' \
	current
cp "$T/schemagen.yaml.good" schemagen.yaml

# ---- migration files ----

cat >migrations/0000000000aa_bad.sql <<EOF
-- schemagen revision: 0000000000aa
-- parents: $REV1
-- mesage: bad

-- +upgrade
CREATE TABLE public.x (id int;
EOF
expect_error "malformed migration file" \
	'migrations/0000000000aa_bad.sql:1:1: error: the header has no `message:` line
migrations/0000000000aa_bad.sql:1:1: error: the header has no `created:` line
migrations/0000000000aa_bad.sql:3:4: error: unknown header key `mesage`
  hint: did you mean `message`?
migrations/0000000000aa_bad.sql:6:30: error: syntax error at or near ";"
migrations/0000000000aa_bad.sql:7:1: error: no `-- +downgrade` section
  hint: the statements that revert the revision follow a line `-- +downgrade` (it may be empty)' \
	upgrade head
rm migrations/0000000000aa_bad.sql

cat >migrations/0000000000bb_orphan.sql <<'EOF'
-- schemagen revision: 0000000000bb
-- parents: 123456789abc
-- message: orphan
-- created: 2026-01-01T00:00:00Z

-- +upgrade
-- +downgrade
EOF
expect_error "migration whose parent does not exist" \
	'migrations/0000000000bb_orphan.sql:2:13: error: unknown parent revision `123456789abc`
  hint: no file in migrations has it: restore the file of revision 123456789abc (the revisions that build on it need it)' \
	history
rm migrations/0000000000bb_orphan.sql

# ---- databases ----

expect_error "unreachable database, URL with a password" \
	'schemagen: error: could not connect to postgres://u:****@127.0.0.1:1/x: connection to server at "127.0.0.1", port 1 failed: Connection refused
	Is the server running on that host and accepting TCP/IP connections?' \
	current --url "postgres://u:secret@127.0.0.1:1/x"
unlike "$OUT$ERR" secret "the password is never printed (URI)"

SAVED_URL=$DATABASE_URL
export DATABASE_URL="host=127.0.0.1 port=1 user=u password=secret dbname=x"
expect_error "unreachable database, key=value string with a password" \
	'schemagen: error: could not connect to host=127.0.0.1 port=1 user=u password=**** dbname=x: connection to server at "127.0.0.1", port 1 failed: Connection refused
	Is the server running on that host and accepting TCP/IP connections?' \
	revision --autogenerate -m x
unlike "$OUT$ERR" secret "the password is never printed (key=value)"
run -v check
is "$RC" 2 "check -v with an unreachable database: exit 2"
unlike "$OUT$ERR" secret "the password is never printed (check -v)"
export DATABASE_URL="$SAVED_URL"

# ---- changes PostgreSQL cannot make ----

model 'tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      label: text
    primary_key: [id]
'
run revision --autogenerate -m "bigint id"
run upgrade head
is "$RC" 0 "setup: id becomes bigint"
model 'tables:
  items:
    columns:
      id: {type: timestamp, nullable: false}
      label: text
    primary_key: [id]
'
expect_error "a type change PostgreSQL has no cast for" \
	"schema/public.yaml:4:18: error: column public.items.id cannot change type from bigint to timestamp without time zone: PostgreSQL has no cast between them
  hint: keep the type, or write this migration by hand (\`schemagen revision -m MSG\`) with ALTER TABLE public.items ALTER COLUMN id TYPE timestamp without time zone USING <an expression of id>" \
	revision --autogenerate -m x
expect_error "diff refuses it too" \
	"schema/public.yaml:4:18: error: column public.items.id cannot change type from bigint to timestamp without time zone: PostgreSQL has no cast between them
  hint: keep the type, or write this migration by hand (\`schemagen revision -m MSG\`) with ALTER TABLE public.items ALTER COLUMN id TYPE timestamp without time zone USING <an expression of id>" \
	diff
run downgrade -1 --force-irreversible
is "$RC" 0 "setup: back to the first revision"
rm -f migrations/*_bigint_id.sql
model 'tables:
  items:
    columns:
      id: {type: int, nullable: false}
      label: text
    primary_key: [id]
'

# ---- revisions that do not exist ----

expect_error "upgrade to a revision that does not exist" \
	"schemagen: error: no revision matches 'abc123'" \
	upgrade abc123
expect_error "downgrade to a revision that does not exist" \
	"schemagen: error: no revision matches 'nope'" \
	downgrade nope
expect_error "show a revision that does not exist" \
	"schemagen: error: no revision matches 'nope'" \
	show nope
expect_error "stamp a revision that does not exist" \
	"schemagen: error: no revision matches 'nope'" \
	stamp nope

# A database that never saw schemagen stays without its tables.
FRESH=$(new_db fresh)
expect_error "upgrade to a missing revision on a new database" \
	"schemagen: error: no revision matches 'abc123'" \
	upgrade abc123 --url "$(conninfo "$FRESH")"
is "$(qdb "$FRESH" "SELECT count(*) FROM pg_class WHERE relname LIKE 'schemagen%'")" "0" \
	"a failed upgrade creates no version table"
expect_error "downgrade past base" \
	"schemagen: error: cannot go down 2 revisions from $REV1: there is only 1" \
	downgrade -2

# ---- the command line ----

expect_error "unknown command" \
	"schemagen: error: 'upgrad' is not a schemagen command
  hint: did you mean 'upgrade'?" \
	upgrad head
expect_error "unknown command without a close name" \
	"schemagen: error: 'frobnicate' is not a schemagen command
  hint: \`schemagen --help\` lists the commands" \
	frobnicate
expect_error "unknown option" \
	"schemagen: error: upgrade: unknown option or missing argument: --sqll
usage: schemagen upgrade TARGET [--sql] [options]" \
	upgrade head --sqll
expect_error "missing message" \
	'schemagen: error: revision: a message is required (-m "add status to orders")
usage: schemagen revision -m MSG [--autogenerate] [options]' \
	revision --autogenerate
expect_error "-m without its argument" \
	"schemagen: error: revision: unknown option or missing argument: -m
usage: schemagen revision -m MSG [--autogenerate] [options]" \
	revision -m
expect_error "missing target" \
	"schemagen: error: upgrade: a target is required (head, a revision, +1)
usage: schemagen upgrade TARGET [--sql] [options]" \
	upgrade
expect_error "missing downgrade target" \
	"schemagen: error: downgrade: a target is required (-1, a revision, base)
usage: schemagen downgrade TARGET [--sql] [options]" \
	downgrade
expect_error "missing revision for show" \
	"schemagen: error: show: a revision is required
usage: schemagen show REV" \
	show
expect_error "extra argument" \
	"schemagen: error: current: unexpected argument 'now'
usage: schemagen current [--verbose]" \
	current now
expect_error "no command at all" \
	"usage: schemagen [--url URL | --embedded] [-c FILE] [-q] [-v] COMMAND [ARGS]
       schemagen --version | --help | COMMAND --help

commands:
  init [DIR]
  revision -m MSG [--autogenerate] [options]
  upgrade TARGET [--sql] [options]
  downgrade TARGET [--sql] [options]
  current [--verbose]
  history [-r A:B] [--verbose]
  heads [--verbose]
  branches [--verbose]
  show REV
  stamp REV [--purge] [--sql]
  merge -m MSG [--branch-label LABEL] REV REV...
  check [--lint] [--roundtrip] [--no-cache]
  diff [--online] [--no-cache]
  lint [FILE...]
  dump [--url URL] [-o DIR] [--force] [--owners]
  embedded start|stop|status|url

exit status: 0 success, 1 differences found (check), 2 error"
expect_error "a config file that does not exist" \
	"schemagen: error: cannot read config file nowhere.yaml: No such file or directory" \
	-c nowhere.yaml current

run_ok "the project still works after all that" check
run current
is "$OUT" "$REV1 (head)" "and the database is where it was"

done_testing
