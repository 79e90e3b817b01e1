#!/bin/sh
# SPDX-License-Identifier: MIT
# t0100-embedded.sh - no database configured at all (no PGHOST, no
# DATABASE_URL, no dev_url) and a fresh SCHEMAGEN_HOME: schemagen starts
# its own PostgreSQL.  upgrade refuses it unless asked, then (--embedded)
# goes to the project's own database on it, `embedded url/status/stop`
# manage it, a later command starts it again, and check
# replays the migrations into a scratch database (0 in sync, 1 when the
# models differ), leaving nothing behind.
SG_NO_SERVER=1
. "$(dirname "$0")/lib.sh"

# the server programs, as schemagen looks for them
bindir=${SCHEMAGEN_PG_BINDIR:-${SG_TEST_PG_BINDIR:-}}
[ -n "$bindir" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	command -v initdb >/dev/null 2>&1 || skip_all "no PostgreSQL server programs (initdb)"
fi

unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE DATABASE_URL SCHEMAGEN_DEV_URL
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
      id: {type: bigint, identity: always}
      body: {type: text, nullable: false}
    primary_key: [id]
EOF

run embedded status
is_rc 0 "status before anything ran"
is "$(printf '%s\n' "$OUT" | sed -E 's/pg[0-9]+/pgNN/' | sed -n '1p;2p;3p;5p')" "home:     $H
data:     $H/pgNN/data (not initialised)
socket:   $H/pgNN/run
server:   not created yet" "status: the home, nothing created yet"
ok "status created nothing" test -z "$(ls -A "$H")"

# ---- the first command starts the server ----

run revision --autogenerate -m "notes"
is_rc 0 "autogenerate against the embedded server"
REV1=$(rev_of "$(ls migrations/*_notes.sql)")
like "$OUT" "^migrations/${REV1}_notes\\.sql\$" "revision written"
ok "the cluster was created in SCHEMAGEN_HOME" test -d "$H"/pg*/data

run upgrade head
is "$RC:$OUT" "2:" "upgrade head with no database configured: refused (t3300 has the message)"
run --embedded upgrade head
is_rc 0 "upgrade head --embedded"
UPTARGET=$TARGET
is "$(printf '%s\n' "$OUT" | norm_ms)" "upgrade $REV1 (notes): 1 statement, N ms" "upgrade output"

run embedded url
is_rc 0 "embedded url"
URL=$OUT
like "$URL" "^host=$H/pg[0-9]+/run port=5432 user=schemagen dbname=schemagen_project_[0-9a-f]{8}\$" "the url names the socket in SCHEMAGEN_HOME and the project's database"
EDB=$(printf '%s\n' "$URL" | sed 's/.*dbname=//')
is "$UPTARGET" "embedded ($(printf '%s\n' "$URL" | sed 's/^host=//; s/ port=/:/; s/ user=.*//')/$EDB as schemagen)" "upgrade said its target"
is "$(psql -X -At -d "$URL" -c "SELECT version_num FROM schemagen_version")" "$REV1" \
	"the migration went to the embedded server's database"
is "$(psql -X -At -d "$URL" -c "SELECT count(*) FROM public.notes")" "0" "the table is there"

run -v current
is_rc 0 "current"
is "$(printf '%s\n' "$OUT" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/; s/, [0-9]+ ms\)/, N ms)/; s/sha256:[0-9a-f]{64}/sha256:SUM/')" "Current revision(s) for $URL:
Rev: $REV1 (head)
Parent: <base>
Head: yes
Path: migrations/${REV1}_notes.sql
Applied: TIME by schemagen (upgrade, N ms)
Checksum: sha256:SUM (as applied)

    notes" "current -v"
is "$ERR" "schemagen: database: $URL (embedded; no database configured)" "-v says the embedded server is used"

run embedded status
is_rc 0 "embedded status"
is "$(printf '%s\n' "$OUT" | sed -E 's/pg[0-9]+/pgNN/; s/\(PostgreSQL [^)]*\)/(PostgreSQL X)/; s/\(PostgreSQL .*, PID [0-9]+, user [a-z]+\)/(PostgreSQL X, PID N, user U)/')" \
	"home:     $H
data:     $H/pgNN/data
socket:   $H/pgNN/run
programs: $(printf '%s\n' "$OUT" | sed -n 's/^programs: \(.*\) (.*$/\1/p') (PostgreSQL X)
server:   running (PostgreSQL X, PID N, user U)" "status: running"

# ---- stop, and the next command starts it again ----

run embedded stop
is_rc 0 "embedded stop"
run embedded status
like "$OUT" "^server: +stopped\$" "status: stopped"
answers() {
	psql -X -At -d "$URL" -c "SELECT 1" >/dev/null 2>&1
}
not_ok "the server no longer answers" answers
run embedded stop
is_rc 0 "stop when stopped is fine"

run current
is_rc 0 "a command after stop"
is "$OUT" "$REV1 (head)" "it started the server again, with the data kept"
run embedded status
like "$OUT" "^server: +running " "status: running again"

# ---- check without a database: replays the migrations ----

run check
is_rc 0 "check with no database configured: in sync"
is "$OUT" "No differences: the migrations, replayed into a scratch database, match the models." \
	"check says it compared the replayed migrations"
is "$(psql -X -At -d "$URL" -c "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database")" \
	"postgres,$EDB,sg_models_${EDB#schemagen_},sg_replay_${EDB#schemagen_},template0,template1" \
	"no scratch database left behind (the model and replay databases are kept: t4200, t3750)"

cat >schema/public.yaml <<'EOF'
tables:
  notes:
    columns:
      id: {type: bigint, identity: always}
      body: {type: text, nullable: false}
      tag: text
    primary_key: [id]
EOF
run check
is_rc 1 "check: the models differ from the migrations"
is "$OUT" "migrations and models differ (1 change for \`schemagen revision --autogenerate\`):
  + column public.notes.tag" "check lists the difference"

# the replay does not look at the embedded database itself
psql -X -q -d "$URL" -c "ALTER TABLE notes ADD COLUMN tag text" >/dev/null
run check
is_rc 1 "check still compares the migrations, not the embedded database"

run revision --autogenerate -m "tag"
is_rc 0 "autogenerate against the embedded database (which has the column already)"
is "$OUT:$ERR" ":No changes in schema detected; no revision written." "the embedded database matches the models"
psql -X -q -d "$URL" -c "ALTER TABLE notes DROP COLUMN tag" >/dev/null
run revision --autogenerate -m "tag"
is_rc 0 "autogenerate the new column"
run check
is_rc 0 "check in sync again after the revision"

run embedded stop
is_rc 0 "stop at the end"
run embedded status
like "$OUT" "^server: +stopped\$" "stopped"

done_testing
