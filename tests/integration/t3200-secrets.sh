#!/bin/sh
# SPDX-License-Identifier: MIT
# t3200-secrets.sh - issue 8, findings 4-6: no password through libpq's
# messages about malformed URIs, from any source; symbolic links in schema/
# and migrations/ follow one rule; an unset ${VAR} in schemagen.yaml is an
# error, and `upgrade` then touches nothing.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
DBURL=$(conninfo "$DB")
cd "$P" || BAIL_OUT "no project dir"
run init
is "$RC" 0 "setup: init"
cat >schema/public.yaml <<'EOF'
tables:
  items:
    columns:
      id: int
EOF

# expect NAME EXPECTED_STDERR ARGS...: exit 2, the exact message, nothing on
# stdout, the project folder and the database unchanged.
expect() {
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

# ---- finding 4: malformed URIs, from every source ----

HINT='  hint: in a URI, percent-encode the user name and password: %25 for %, %40 for @, %2F for /, %3F for ?, %20 for a space'
# URI|masked|libpq's reason (scrubbed)
cat >"$T/uris" <<'EOF'
postgresql://u:Sekr1tPw@[::1/db|postgresql://u:****@[::1/db|end of string reached when looking for matching "]" in IPv6 host address in URI
postgresql://u:Sekr1t%ZZPw@h/db|postgresql://u:****@h/db|invalid percent-encoded token: "****"
postgresql://u:Sekr1t%00Pw@h/db|postgresql://u:****@h/db|forbidden value %00 in percent-encoded value: "****"
postgresql://u:Sekr1tPw@[]/db|postgresql://u:****@[]/db|IPv6 host address may not be empty in URI
postgresql://u:Sekr1tPw@[::1]x/db|postgresql://u:****@[::1]x/db|unexpected character "x" at position 30 in URI (expected ":" or "/")
postgresql://u:Sekr1t@Pw@h/db|postgresql://u:****@h/db|"@" appears more than once before the host
postgres://h/db?password=Sekr1t%ZZPw|postgres://h/db?password=****|invalid percent-encoded token: "****"
EOF

# config FILE_TEXT: schemagen.yaml as given
config() {
	printf '%s\n' "$1" >schemagen.yaml
}
config_default='database_url: ${DATABASE_URL:-}
schema_dir: schema
migrations_dir: migrations'

while IFS='|' read -r uri masked reason; do
	want="schemagen: error: invalid connection string $masked: $reason
$HINT"
	config "$config_default"
	expect "--url $uri" "$want" current --url "$uri"
	unlike "$OUT$ERR" Sekr1t "--url $uri: the password is never printed"

	DATABASE_URL=$uri expect "DATABASE_URL=$uri" "$want" current
	unlike "$OUT$ERR" Sekr1t "DATABASE_URL=$uri: the password is never printed"

	config "database_url: '$uri'"
	expect "database_url: $uri" "$want" current
	unlike "$OUT$ERR" Sekr1t "database_url: $uri: the password is never printed"

	config "dev_url: '$uri'"
	expect "dev_url: $uri" "$want
  hint: scratch databases are made on the server dev_url names; unset it to use the embedded PostgreSQL" \
		diff --url "$DBURL"
	unlike "$OUT$ERR" Sekr1t "dev_url: $uri: the password is never printed"

	config "$config_default"
	SCHEMAGEN_DEV_URL=$uri expect "SCHEMAGEN_DEV_URL=$uri" "$want
  hint: scratch databases are made on the server SCHEMAGEN_DEV_URL names; unset it to use the embedded PostgreSQL" \
		diff --url "$DBURL"
	unlike "$OUT$ERR" Sekr1t "SCHEMAGEN_DEV_URL=$uri: the password is never printed"
done <"$T/uris"

# -v prints the database and the scratch server: masked too
config "$config_default"
run -v current --url "postgresql://u:Sekr1t%ZZPw@h/db"
unlike "$OUT$ERR" Sekr1t "-v: the password is never printed"

# ---- finding 6: an unset variable is an error, not "not given" ----

config 'database_url: ${DATABSE_URL}
schema_dir: schema
migrations_dir: migrations'
run current --url "$DBURL"
is "$RC" 0 "misspelt \${VAR} in database_url: --url comes first, the setting is not used"
DATABASE_URL=$DBURL run current
is "$RC" 0 "misspelt \${VAR} in database_url: DATABASE_URL comes first"
expect "misspelt \${VAR} in database_url: check" \
	'schemagen.yaml:1:15: error: environment variable DATABSE_URL is not set
  hint: set it, or write ${DATABSE_URL:-default} for a fallback (${DATABSE_URL:-} for none)' \
	check
expect "misspelt \${VAR} in database_url" \
	'schemagen.yaml:1:15: error: environment variable DATABSE_URL is not set
  hint: set it, or write ${DATABSE_URL:-default} for a fallback (${DATABSE_URL:-} for none)' \
	upgrade head
is "$(ls migrations)" "" "misspelt \${VAR}: no revision was written either"

# ${VAR:-default} and an empty value that falls through
config 'database_url: ${SG_T3200_UNSET:-'"$DBURL"'}
schema_dir: schema
migrations_dir: migrations'
run revision --autogenerate -m items
is "$RC" 0 "\${VAR:-default}: the default database"
run upgrade head
is "$RC:$(q "SELECT count(*) FROM pg_tables WHERE tablename = 'items'")" "0:1" \
	"\${VAR:-default}: upgrade applied to the default"
config 'database_url: ${SG_T3200_EMPTY:-}
schema_dir: schema
migrations_dir: migrations'
SG_T3200_EMPTY= DATABASE_URL=$DBURL run current
is "$RC" 0 "\${VAR:-} empty: not given, DATABASE_URL decides"

# ---- finding 5: symbolic links, one rule for schema/ and migrations/ ----

config "database_url: '$DBURL'
schema_dir: schema
migrations_dir: migrations"
OUTSIDE=$(mktemp "${TMPDIR:-/tmp}/t3200-outside-XXXXXX")
printf 'secret_line: from outside the project\n' >"$OUTSIDE"

ln -s nope.yaml schema/dangling.yaml
expect "schema/: a dangling link" \
	'schema/dangling.yaml: error: symbolic link to nope.yaml, which does not exist
  hint: schemagen follows a link only to a file inside the project folder; copy the file in, or remove the link' \
	check
rm schema/dangling.yaml

ln -s "$OUTSIDE" schema/outside.yaml
expect "schema/: a link outside the project" \
	"schema/outside.yaml: error: symbolic link to $OUTSIDE, outside the project folder
  hint: schemagen follows a link only to a file inside the project folder; copy the file in, or remove the link" \
	check
unlike "$OUT$ERR" secret_line "schema/: the outside file's content is not shown"
rm schema/outside.yaml

ln -s . schema/a
ln -s . schema/b
expect "schema/: two links to . (no endless walk)" \
	'schema/a: error: symbolic link to ., a folder
  hint: schemagen does not follow links to folders; make it a real folder, or remove the link
schema/b: error: symbolic link to ., a folder
  hint: schemagen does not follow links to folders; make it a real folder, or remove the link' \
	check
rm schema/a schema/b

ln -s loop2.yaml schema/loop1.yaml
ln -s loop1.yaml schema/loop2.yaml
expect "schema/: a link loop" \
	'schema/loop1.yaml: error: symbolic link to loop2.yaml, which loops
  hint: schemagen follows a link only to a file inside the project folder; copy the file in, or remove the link
schema/loop2.yaml: error: symbolic link to loop1.yaml, which loops
  hint: schemagen follows a link only to a file inside the project folder; copy the file in, or remove the link' \
	check
rm schema/loop1.yaml schema/loop2.yaml

mkdir shared
mv schema/public.yaml shared/public.yaml
ln -s ../shared/public.yaml schema/public.yaml
ln -s "$OUTSIDE" schema/notes.txt
run check
is "$RC:$ERR" "0:" "schema/: a link to a file inside the project is read; other names are left alone"
rm schema/notes.txt

REV=$(ls migrations)
ln -s nope.sql migrations/0000_dangling.sql
expect "migrations/: a dangling link" \
	'migrations/0000_dangling.sql: error: symbolic link to nope.sql, which does not exist
  hint: schemagen follows a link only to a file inside the project folder; copy the file in, or remove the link' \
	heads
rm migrations/0000_dangling.sql

cp "$OUTSIDE" "$OUTSIDE.sql"
ln -s "$OUTSIDE.sql" migrations/0000_outside.sql
expect "migrations/: a link outside the project" \
	"migrations/0000_outside.sql: error: symbolic link to $OUTSIDE.sql, outside the project folder
  hint: schemagen follows a link only to a file inside the project folder; copy the file in, or remove the link" \
	heads
unlike "$OUT$ERR" secret_line "migrations/: the outside file's content is not shown"
rm migrations/0000_outside.sql "$OUTSIDE.sql" "$OUTSIDE"

ln -s . migrations/dir.sql
expect "migrations/: a link to a folder" \
	'migrations/dir.sql: error: symbolic link to ., a folder
  hint: schemagen does not follow links to folders; make it a real folder, or remove the link' \
	heads
rm migrations/dir.sql

mv "migrations/$REV" "shared/$REV"
ln -s "../shared/$REV" "migrations/$REV"
run check
is "$RC:$ERR" "0:" "migrations/: a link to a file inside the project is read"

done_testing
