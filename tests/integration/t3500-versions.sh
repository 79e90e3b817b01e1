#!/bin/sh
# SPDX-License-Identifier: MIT
# t3500-versions.sh - issue 11: the scratch server matches the target's
# major version.  A PostgreSQL 17 target (started here from
# tools/pg-versions.sh's programs) gets its models materialised on an
# embedded PostgreSQL 17, not the system's 15; without 17 programs the
# command fails naming the version and how to provide it, and
# --allow-version-mismatch goes on with a warning; a dev_url server of
# another version is refused.  Roles the models name are created in the
# embedded scratch server (NOLOGIN), reported by check when the target
# lacks them, and an error on a dev_url server.  Materialisation runs with
# pg_dump's settings: a SQL procedure whose body names a table the same
# change drops materialises.
SG_NO_SERVER=1
. "$(dirname "$0")/lib.sh"

B17=$("$SG_SOURCE_ROOT/tools/pg-versions.sh" bindir 17) ||
	skip_all "no PostgreSQL 17 programs (tools/pg-versions.sh install 17)"
OTHER_DEV=${PGHOST:-}
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE DATABASE_URL SCHEMAGEN_DEV_URL \
	SCHEMAGEN_PG_BINDIR SCHEMAGEN_PG_BINDIR_17
SCHEMAGEN_HOME=$T/home
mkdir -m 711 "$SCHEMAGEN_HOME"
export SCHEMAGEN_HOME

# the PostgreSQL 17 target, as tools/with-postgres.sh starts one
as=""
chmod 711 "$T"
mkdir "$T/pg17" && chmod 700 "$T/pg17"
if [ "$(id -u)" = 0 ]; then
	u=postgres
	id "$u" >/dev/null 2>&1 || u=nobody
	chown "$u" "$T/pg17"
	as="setpriv --reuid=$u --regid=$(id -g "$u") --init-groups --"
fi
stop_all() {
	$as "$B17/pg_ctl" -D "$T/pg17/data" -m immediate -w stop >/dev/null 2>&1
	"$SCHEMAGEN" embedded stop >/dev/null 2>&1
}
_cleanup_hook=stop_all
(cd "$T/pg17" && $as "$B17/initdb" -D "$T/pg17/data" -U postgres -A trust --no-locale \
	>"$T/initdb.log" 2>&1 &&
	$as "$B17/pg_ctl" -D "$T/pg17/data" -l "$T/pg17/log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$T/pg17' -c fsync=off" \
		start >/dev/null) || BAIL_OUT "cannot start PostgreSQL 17: $(cat "$T/initdb.log" "$T/pg17/log" 2>/dev/null)"
DATABASE_URL="host=$T/pg17 port=5432 user=postgres dbname=postgres"
export DATABASE_URL
q17() { psql -X -At -q -d "$DATABASE_URL" -c "$1"; }
V17=$(q17 "SHOW server_version" | cut -d' ' -f1)
q17 "CREATE ROLE app_user NOLOGIN; CREATE TABLE public.users (id bigint PRIMARY KEY);" ||
	BAIL_OUT "cannot prepare the target"

cd "$P" || BAIL_OUT "no project dir"
run init
is "$RC:$(grep '^postgres_version' schemagen.yaml)" "0:postgres_version: 17" \
	"init writes the version of the server it sees"

# grants to a role only the target has
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  notes:
    columns:
      id: {type: bigint}
    grants:
      app_user: [select]
EOF

run check -v
is_rc 1 "check against 17: the models differ"
like "$ERR" "model database sg_models_[0-9a-z_]* on host=$SCHEMAGEN_HOME/pg17/run port=5432 user=schemagen dbname=postgres \\(PostgreSQL 17, embedded\\)" \
	"the scratch database is on an embedded PostgreSQL 17"
like "$ERR" "created role app_user \\(NOLOGIN\\) in the embedded PostgreSQL" \
	"the role the models grant to is created in the embedded server"
is "$OUT" "database and models differ (2 changes for \`schemagen revision --autogenerate\`):
  + table public.notes
  - table public.users" "grants to a role only the target has materialise in the embedded server"

SCHEMAGEN_PG_BINDIR=$B17 run embedded status
like "$OUT" "server:   running \\(PostgreSQL 17\\." "embedded status: the 17 cluster runs"

run revision --autogenerate -m "notes"
is_rc 0 "revision --autogenerate on the embedded 17 scratch"

# a role that exists nowhere: created in the scratch, reported by check
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  notes:
    columns:
      id: {type: bigint}
    grants:
      app_user: [select]
  reports:
    columns:
      id: {type: bigint}
    grants:
      report_reader: [select]
EOF
run check
is_rc 1 "check: a role the target lacks is a difference"
like "$OUT" "role report_reader, which the models name, does not exist in the database
  fix: CREATE ROLE report_reader NOLOGIN; (with the attributes and memberships it needs)" \
	"check names the missing role and its fix"

# a dev_url server never gets roles created
SCHEMAGEN_DEV_URL=$DATABASE_URL run check
is "$RC:$(printf '%s\n' "$ERR" | head -n 2)" "2:schema/public.yaml:12:7: error: role report_reader does not exist on the scratch server (dev_url or SCHEMAGEN_DEV_URL)
  hint: create it there (CREATE ROLE report_reader NOLOGIN), or unset dev_url to use the embedded server, which creates the roles the models name" \
	"dev_url: a missing role is an error naming it, nothing created"
is "$(q17 "SELECT count(*) FROM pg_roles WHERE rolname = 'report_reader'")" 0 \
	"dev_url: the role was not created there"
q17 "CREATE ROLE report_reader NOLOGIN"

# no PostgreSQL 17 programs anywhere
if [ -x /usr/lib/postgresql/17/bin/initdb ] || command -v pg_config >/dev/null 2>&1 &&
	[ "$(pg_config --version | sed 's/[^0-9]*\([0-9]*\).*/\1/')" = 17 ]; then
	skip 5 "PostgreSQL 17 is installed on the system"
else
	mkdir "$T/nocache"
	SCHEMAGEN_PG_CACHE=$T/nocache run check
	is "$RC:$ERR" "2:schemagen: error: the database runs PostgreSQL $V17, and no PostgreSQL 17 server programs were found for the scratch database (looked at SCHEMAGEN_PG_BINDIR_17, postgres_versions in schemagen.yaml, SCHEMAGEN_PG_BINDIR, /usr/lib/postgresql/17/bin, pg_config --bindir, PATH and $T/nocache/17)
  hint: install them (tools/pg-versions.sh install 17, or the postgresql-17 package), set SCHEMAGEN_PG_BINDIR_17 or postgres_versions: {17: DIR} in schemagen.yaml to their bin folder, or accept another version with --allow-version-mismatch
  hint: they are needed where the models are materialised (revision --autogenerate, diff, check) without dev_url, and by commands that use the embedded server as their database; upgrade, downgrade, stamp, current, history and dump against --url / DATABASE_URL do not need them" \
		"no 17 programs: the error names the version and how to provide it"
	SCHEMAGEN_PG_CACHE=$T/nocache run check --allow-version-mismatch -v
	is_rc 1 "--allow-version-mismatch: goes on"
	like "$ERR" "schemagen: warning: the database runs PostgreSQL $V17, but the scratch database runs on PostgreSQL [0-9]* \\(no PostgreSQL 17 server programs; version mismatch allowed\\)" \
		"--allow-version-mismatch: a warning"
	unlike "$ERR" "pg17/run" "--allow-version-mismatch: not the 17 cluster"
	# the programs named for 17 in schemagen.yaml
	cp schemagen.yaml "$T/cfg.good"
	printf 'postgres_versions:\n  17: %s\n' "$B17" >>schemagen.yaml
	SCHEMAGEN_PG_CACHE=$T/nocache run check -v
	like "$RC $(printf "%s" "$ERR" | tr "\n" " ")" "^1 .*\\(PostgreSQL 17, embedded\\)" "postgres_versions: 17 in schemagen.yaml is used"
	cp "$T/cfg.good" schemagen.yaml
fi

# a dev_url server of another major version
if [ -n "$OTHER_DEV" ] && [ "$(psql -X -At -h "$OTHER_DEV" -U postgres -d postgres \
	-c "SELECT current_setting('server_version_num')::int / 10000" 2>/dev/null)" != 17 ]; then
	SCHEMAGEN_DEV_URL="host=$OTHER_DEV dbname=postgres user=postgres" run check
	like "$RC:$ERR" "^2:schemagen: error: the database runs PostgreSQL $V17, and the scratch server that SCHEMAGEN_DEV_URL names runs PostgreSQL 1[0-68]" \
		"dev_url of another version: refused"
else
	skip 1 "no other server for dev_url"
fi

# offline: postgres_version decides
unset DATABASE_URL
mkdir "$T/off" && cd "$T/off" && run init
sed -i 's/^#* *postgres_version: .*/postgres_version: 17/' schemagen.yaml
run check -v
like "$RC $(printf "%s" "$ERR" | tr "\n" " ")" "^0 .*\\(PostgreSQL 17, embedded\\)" "check without a database: postgres_version: 17 is used"
printf 'postgres_version: 12\n' >"$T/bad.yaml"
run -c "$T/bad.yaml" check
is "$RC:$ERR" "2:$T/bad.yaml:1:19: error: \"postgres_version\": PostgreSQL 12 is not supported
  hint: write a major version from 13 to 18" "postgres_version: an unsupported version is refused"

done_testing
