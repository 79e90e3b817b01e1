#!/bin/sh
# SPDX-License-Identifier: MIT
# t3300-target.sh - issue 9: the target is always explicit.  upgrade,
# downgrade and stamp refuse the embedded server unless asked for
# (--embedded, database_url: embedded), touching nothing; schemagen.yaml is
# found upward from a subdirectory; each project has its own embedded
# database; commands that write print `target: ...` first, never with a
# password; .env beside schemagen.yaml is read and the environment wins;
# postgresql+DRIVER:// URLs work from every source, and their errors do
# not print the password.
. "$(dirname "$0")/lib.sh"

bindir=${SCHEMAGEN_PG_BINDIR:-${SG_TEST_PG_BINDIR:-}}
[ -n "$bindir" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	command -v initdb >/dev/null 2>&1 || skip_all "no PostgreSQL server programs (initdb)"
fi

DB=$(new_db main)
DB2=$(new_db other)
# the test server, for the URLs below; libpq's variables are then unset,
# so that "nothing configured" means nothing
SRV_HOST=$PGHOST SRV_PORT=${PGPORT:-5432} SRV_USER=${PGUSER:-postgres}
PW=s3cretpw
sqdb() {     # sqdb DB SQL: on the test server
	psql -X -q -At -v ON_ERROR_STOP=1 -d "host=$SRV_HOST port=$SRV_PORT user=$SRV_USER dbname=$1" -c "$2"
}
url_of() {   # url_of DB [SCHEME]: a URI with a password (trust ignores it)
	printf '%s://%s:%s@/%s?host=%s&port=%s' "${2:-postgresql}" "$SRV_USER" "$PW" "$1" "$SRV_HOST" "$SRV_PORT"
}
# every output of this test, to look for the password at the end
ALL=$T/all-output
runlog() {
	run "$@"
	cat "$T/out" "$T/err" >>"$ALL"
}
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE DATABASE_URL
SCHEMAGEN_HOME=$(mktemp -d "$T/home.XXXXXX")
chmod 711 "$SCHEMAGEN_HOME"
export SCHEMAGEN_HOME
H=$SCHEMAGEN_HOME
stop_embedded() {
	"$SCHEMAGEN" embedded stop >/dev/null 2>&1
}
_cleanup_hook=stop_embedded

cd "$P" || BAIL_OUT "no project dir"
run init
cat >schema/public.yaml <<'EOF'
tables:
  notes:
    columns:
      id: {type: int, nullable: false}
EOF
mkdir -p migrations
cat >migrations/ccccccccccc1_notes.sql <<'EOF'
-- schemagen revision: ccccccccccc1
-- parents:
-- message: notes
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.notes (id integer NOT NULL);

-- +downgrade
DROP TABLE public.notes;
EOF

# ---- nothing configured: writing commands refuse, touching nothing ----

REFUSAL_HINT="  hint: set DATABASE_URL (in the environment, or in a .env file beside schemagen.yaml) or pass --url URL; for the embedded server, write \`database_url: embedded\` in schemagen.yaml or pass --embedded"
for cmd in "upgrade head" "downgrade base" "stamp head"; do
	name=${cmd%% *}
	runlog $cmd
	is "$RC:$OUT" "2:" "$name with nothing configured: exit 2"
	is "$ERR" "schemagen: error: $name writes to a database, and none is configured: the embedded server is used only when asked for
$REFUSAL_HINT" "$name: the refusal says how to give a database"
done
ok "nothing touched: the embedded server was not even created" test -z "$(ls -A "$H")"
# PGUSER / PGPASSWORD name no server: still nothing configured
export PGUSER=someone PGPASSWORD=$PW
runlog upgrade head
unset PGUSER PGPASSWORD
is "$RC:$TARGET" "2:" "PGUSER and PGPASSWORD alone: refused too"
# --sql writes to no database: no refusal, no target
runlog upgrade head --sql
is "$RC:$TARGET" "0:" "upgrade --sql needs no database"
runlog --url "$(url_of "$DB")" --embedded current
is "$RC:$ERR" "2:schemagen: error: --url and --embedded both name the database: give one" "--url and --embedded together are refused"

# ---- --embedded ----

runlog --embedded upgrade head
is_rc 0 "--embedded upgrade head"
EMB_URL=$("$SCHEMAGEN" embedded url)
EMB_DB=$(printf '%s\n' "$EMB_URL" | sed 's/.*dbname=//')
like "$EMB_DB" '^schemagen_project_[0-9a-f]{8}$' "the project's embedded database: schemagen_<folder>_<hash>"
like "$TARGET" "^embedded \\($H/pg[0-9]+/run:5432/$EMB_DB as schemagen\\)\$" "the target line names the embedded server"
is "$(head -n 1 "$T/err")" "target: $TARGET" "the target line comes first on stderr"
is "$(psql -X -At -d "$EMB_URL" -c "SELECT version_num FROM schemagen_version")" "ccccccccccc1" \
	"the revision went to the project's embedded database"
is "$(psql -X -At -d "$(printf '%s\n' "$EMB_URL" | sed 's/dbname=.*/dbname=postgres/')" \
	-c "SELECT count(*) FROM pg_database WHERE datname = 'schemagen'")" "0" "not to a shared database named schemagen"

# read-only commands may use it without asking
runlog current
is "$RC:$OUT:$TARGET" "0:ccccccccccc1 (head):" "current reads the embedded database unasked, and prints no target"

# ---- database_url: embedded ----

sed -i 's/^database_url: .*/database_url: ${DATABASE_URL:-embedded}/' schemagen.yaml
runlog downgrade base
is "$RC:$(printf '%s\n' "$TARGET" | sed 's/(.*\//(...\//')" "0:embedded (.../$EMB_DB as schemagen)" \
	"database_url: embedded: downgrade uses the embedded server"

# ---- the project is found upward ----

mkdir -p sub/deeper
cd sub/deeper || BAIL_OUT "no subdir"
runlog stamp head
is "$RC:$(printf '%s\n' "$TARGET" | sed 's/(.*\//(...\//')" "0:embedded (.../$EMB_DB as schemagen)" \
	"from a subdirectory: the project's schemagen.yaml and database"
runlog history
is "$RC:$OUT" "0:<base> -> ccccccccccc1 (head), notes" "history reads ../../migrations"
printf 'tables:\n  bad:\n    columns: {id: {type: int, nullable: maybe}}\n' >../../schema/bad.yaml
runlog diff
is "$RC" "2" "a model error from a subdirectory"
like "$ERR" '^\.\./\.\./schema/bad\.yaml:[0-9]+:[0-9]+: error: ' "paths resolve against the project folder, shown from here"
rm ../../schema/bad.yaml
cd "$P" || BAIL_OUT "no project dir"
runlog stamp base

# a second project, in a folder with the same name: its own database
P2=$T/elsewhere/project
mkdir -p "$P2/migrations"
cp migrations/*.sql "$P2/migrations/"
printf 'database_url: embedded\n' >"$P2/schemagen.yaml"
(cd "$P2" && "$SCHEMAGEN" upgrade head >"$T/p2.out" 2>"$T/p2.err")
is "$?" "0" "the second project upgrades its own database"
EMB_DB2=$(cd "$P2" && "$SCHEMAGEN" embedded url | sed 's/.*dbname=//')
like "$EMB_DB2" '^schemagen_project_[0-9a-f]{8}$' "the second project's database"
isnt "$EMB_DB2" "$EMB_DB" "two projects named alike get different databases"
is "$(psql -X -At -d "$EMB_URL" -c "SELECT count(*) FROM schemagen_version")" "0" \
	"the first project's version table is untouched by the second"
cat "$T/p2.out" "$T/p2.err" >>"$ALL"

# ---- a real server: the target line, never a password ----

sed -i 's/^database_url: .*/database_url: ${DATABASE_URL:-}/' schemagen.yaml
runlog --url "$(url_of "$DB")" upgrade head
is_rc 0 "upgrade with --url (a password in the URL)"
is "$TARGET" "$SRV_HOST:$SRV_PORT/$DB as $SRV_USER" "target: socket directory:port/db as user"
runlog --url "$(url_of "$DB")" -v current
is_rc 0 "current -v with a password in the URL"
runlog --url "$(url_of "$DB")" downgrade base
is_rc 0 "downgrade with --url"

# ---- .env ----

cat >.env <<EOF
# the database of this project
export DATABASE_URL="$(url_of "$DB" postgresql+psycopg)"   # SQLAlchemy's spelling
APP_NAME='my app'  
EMPTY=
BARE
OTHER_DB=$(url_of "$DB2" postgres+asyncpg) # a comment
EOF
cd sub/deeper || BAIL_OUT "no subdir"
runlog upgrade head
is "$RC:$TARGET" "0:$SRV_HOST:$SRV_PORT/$DB as $SRV_USER" ".env beside schemagen.yaml sets DATABASE_URL (a +psycopg URL), found from a subdirectory"
is "$(sqdb "$DB" "SELECT version_num FROM schemagen_version")" "ccccccccccc1" "applied to the .env's database"
export DATABASE_URL="$(url_of "$DB2")"
runlog -v current
unset DATABASE_URL
is "$RC:$(printf '%s\n' "$OUT" | tail -n 1)" "0:base (no revision applied)" "the environment wins over .env"
like "$OUT" "^Current revision\(s\) for postgresql://$SRV_USER:\*\*\*\*@/$DB2\?" "(the environment's database, shown masked)"
cd "$P" || BAIL_OUT "no project dir"
# .env values feed ${VAR} in schemagen.yaml, before DATABASE_URL is looked up
sed -i '/DATABASE_URL/d' .env
sed -i 's/^database_url: .*/database_url: ${OTHER_DB}/' schemagen.yaml
runlog stamp head
is "$RC:$TARGET" "0:$SRV_HOST:$SRV_PORT/$DB2 as $SRV_USER" ".env variables expand in schemagen.yaml (a +asyncpg URL)"
is "$(sqdb "$DB2" "SELECT version_num FROM schemagen_version")" "ccccccccccc1" "stamped the configured database"
# a malformed line: file:line:col, and no value printed
printf 'GOOD=1\nexport = %s\nBAD-NAME=%s\n' "$PW" "$PW" >.env
runlog current
is "$RC:$ERR" "2:.env:2:8: error: expected NAME=VALUE (a name of letters, digits and underscores)
.env:3:4: error: expected = after the name BAD" "a malformed .env: located errors, values not shown"
printf 'X="%s\n' "$PW" >.env
runlog current
is "$RC:$ERR" "2:.env:1:1: error: the value of X has no closing quote" "an unterminated quote"
rm .env

# ---- +driver URLs from every source ----

sed -i 's/^database_url: .*/database_url: ${DATABASE_URL:-}/' schemagen.yaml
runlog --url "$(url_of "$DB" postgresql+psycopg2)" current
is "$RC:$OUT" "0:ccccccccccc1 (head)" "--url postgresql+psycopg2://"
export DATABASE_URL="$(url_of "$DB" postgresql+asyncpg)"
runlog current
unset DATABASE_URL
is "$RC:$OUT" "0:ccccccccccc1 (head)" "DATABASE_URL=postgresql+asyncpg://"
grep -v '^database_url:' schemagen.yaml >"$T/cfg"
{ cat "$T/cfg"; printf 'database_url: "%s"\n' "$(url_of "$DB2" postgresql+psycopg)"; } >schemagen.yaml
runlog current
is "$RC:$OUT" "0:ccccccccccc1 (head)" "database_url: postgresql+psycopg:// in schemagen.yaml"

# the errors of such URLs show no password
runlog --url "postgresql+bad-x://bob:$PW@localhost/app" upgrade head
is "$RC:$ERR" "2:schemagen: error: invalid connection string postgresql+bad-x://bob:****@localhost/app: the part after \"+\" is not a driver name
  hint: write postgresql://..., or postgresql+DRIVER://... with a driver name of letters, digits and underscores (it is dropped)" \
	"a malformed driver part: an error without the password"
runlog --url "postgresql+psycopg://bob:$PW@/app?host=$T/nosuchdir&port=1" stamp head
is "$RC" "2" "a +driver URL that cannot connect"
like "$ERR" "^schemagen: error: could not connect to postgresql://bob:\\*\\*\\*\\*@/app\\?host=" "the connection error masks the password"
runlog --url "postgresql+psycopg://bob:$PW@host:notaport/app" current
is "$RC" "2" "a +driver URL libpq cannot parse"

# ---- no password anywhere ----

is "$(grep -c "$PW" "$ALL")" "0" "no output of this test holds the password"
ok "the outputs were collected" test -s "$ALL"

done_testing
