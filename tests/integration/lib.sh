# SPDX-License-Identifier: MIT
# lib.sh - shared helpers for the CLI integration tests (t[0-9]*.sh).
#
# A test script sources this file, then calls the TAP helpers below and
# `done_testing` at the end.  What it provides:
#
#  - TAP: ok, not_ok, is, isnt, like, unlike, is_file, is_rc, diag, skip_all,
#    done_testing; TODO="reason" for checks of known bugs.  Failures print what was expected and what came, as TAP
#    diagnostics (# lines), and make the script exit non-zero.
#  - `run ARGS...` runs $SCHEMAGEN (set by meson to the built binary) and
#    leaves its standard output in $OUT, standard error in $ERR and exit code
#    in $RC (the files $T/out and $T/err hold them too, byte for byte); the
#    `target: ...` line of commands that write to a database is in $TARGET.
#    With SG_VALGRIND=1, the binary runs under valgrind; a valgrind error
#    makes the exit code 99, which no check accepts.
#  - a fresh database per script ($DB, its connection string $DBURL), made
#    with createdb under a unique name and dropped at exit; `q SQL` runs SQL
#    in it and prints the rows unaligned (psql -At), `qdb DB SQL` elsewhere;
#  - a temporary folder $T (removed at exit unless SG_KEEP=1) and a project
#    folder $P inside it, which the script usually cd's into;
#  - snapshots to prove "nothing changed": `snap_dir DIR` (every file's path,
#    mode and checksum), `snap_db [DB]` (pg_dump --schema-only and the
#    version table);
#  - the kind tests' steps: `migrate_step` (autogenerate, upgrade, check
#    clean, the database as expected) and `undo_steps` (every step
#    downgraded, the database compared with each step's snapshot);
#  - normalisers: `norm_rev` replaces the ids registered with `name_rev ID
#    NAME` and the `created:` timestamp, `norm_ms` the durations.
#
# Without PGHOST the script prints `1..0 # SKIP` and exits, unless it set
# SG_NO_SERVER=1 before sourcing (t0100, which runs its own server).
# SG_KEEP=1 keeps $T and the database for a post-mortem.

set -u

# `meson test --setup valgrind` wraps every test in valgrind, this script's
# shell too; valgrind has nothing to say about schemagen from there (it
# does not follow exec) and dash's own leaks at exit would make the test
# fail, so the shell starts again outside it.  schemagen itself runs under
# valgrind through `sg` below (SG_VALGRIND=1).
case ${LD_PRELOAD:-} in
*vgpreload*)
	unset LD_PRELOAD
	exec /bin/sh "$0" "$@"
	;;
esac

: "${SCHEMAGEN:?SCHEMAGEN must name the schemagen binary (meson sets it)}"
SG_SOURCE_ROOT=${SG_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SG_BUILD_ROOT=${SG_BUILD_ROOT:-$(dirname "$SCHEMAGEN")}
ME=$(basename "$0" .sh)
# The first line of the model files init and dump write: where meson
# installs the JSON Schema (sg-config.h's SG_SCHEMA_DIR).
MODEL_SCHEMA_LINE="# yaml-language-server: \$schema=$(sed -n 's/^#define SG_SCHEMA_DIR "\(.*\)"$/\1/p' \
	"$SG_BUILD_ROOT/sg-config.h")/model.schema.json"

# Plain messages: tests pin them.
export LC_ALL=C LANG=C
unset PGSERVICE PGPASSWORD PGOPTIONS PGAPPNAME 2>/dev/null || true
unset DATABASE_URL 2>/dev/null || true

if [ -z "${SG_NO_SERVER:-}" ] && [ -z "${PGHOST:-}" ]; then
	echo "1..0 # SKIP no PostgreSQL server (PGHOST is not set; run under tools/with-postgres.sh)"
	exit 0
fi

# psql, createdb and pg_dump of the server's version when we can find them
for _d in "${SG_TEST_PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
	if [ -n "$_d" ] && [ -x "$_d/psql" ]; then
		PATH=$_d:$PATH
		break
	fi
done
export PATH

# ---- TAP ----

_ntests=0
_nfail=0

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# TODO="reason" marks the checks that follow as known bugs (TAP's # TODO):
# their failure does not fail the script, and meson reports them as
# expected failures, and as unexpected passes once the bug is fixed.
TODO=""

_pass() {
	_ntests=$((_ntests + 1))
	echo "ok $_ntests - $1${TODO:+ # TODO $TODO}"
}

_fail() {
	_ntests=$((_ntests + 1))
	[ -n "$TODO" ] || _nfail=$((_nfail + 1))
	echo "not ok $_ntests - $1${TODO:+ # TODO $TODO}"
}

# ok DESC CMD...: passes when CMD exits 0.
ok() {
	_d=$1
	shift
	if "$@"; then _pass "$_d"; else _fail "$_d"; diag "command failed: $*"; return 1; fi
}

# not_ok DESC CMD...: passes when CMD exits non-zero.
not_ok() {
	_d=$1
	shift
	if "$@"; then _fail "$_d"; diag "command succeeded: $*"; return 1; else _pass "$_d"; fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		_pass "$3"
	else
		_fail "$3"
		printf '%s\n' "$2" >"$T/.expected"
		printf '%s\n' "$1" >"$T/.got"
		diag "expected (-) and got (+):"
		diff -u "$T/.expected" "$T/.got" | tail -n +3 | sed 's/^/# /'
		return 1
	fi
}

# isnt GOT UNEXPECTED DESC
isnt() {
	if [ "$1" != "$2" ]; then _pass "$3"; else _fail "$3"; diag "got, unexpectedly: $1"; return 1; fi
}

# like GOT ERE DESC: some line of GOT matches the extended regex.
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_pass "$3"
	else
		_fail "$3"
		diag "no line matches /$2/ in:" "$1"
		return 1
	fi
}

# unlike GOT ERE DESC: no line of GOT matches.
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_fail "$3"
		diag "a line matches /$2/ in:" "$1"
		return 1
	else
		_pass "$3"
	fi
}

# is_file GOT_FILE EXPECTED_FILE DESC: byte for byte.
is_file() {
	if cmp -s "$1" "$2"; then
		_pass "$3"
	else
		_fail "$3"
		diag "expected (-) and got (+):"
		diff -u "$2" "$1" | tail -n +3 | sed 's/^/# /'
		return 1
	fi
}

# is_rc EXPECTED DESC: the exit code of the last `run`; shows stderr when wrong.
is_rc() {
	if [ "$RC" = "$1" ]; then
		_pass "$2"
	else
		_fail "$2"
		diag "exit code $RC, expected $1; stdout:" "$OUT" "stderr:" "$ERR"
		return 1
	fi
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# skip N REASON
skip() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		_ntests=$((_ntests + 1))
		echo "ok $_ntests # skip $2"
		_i=$((_i + 1))
	done
}

BAIL_OUT() {
	echo "Bail out! $*"
	exit 255
}

done_testing() {
	echo "1..$_ntests"
	[ "$_nfail" -eq 0 ] || diag "$_nfail of $_ntests checks failed"
	[ "$_nfail" -eq 0 ]
	exit $?
}

# ---- running schemagen ----

# sg ARGS...: the binary, under valgrind when SG_VALGRIND=1.
sg() {
	if [ "${SG_VALGRIND:-}" = 1 ]; then
		valgrind --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite -q "$SCHEMAGEN" "$@"
	else
		"$SCHEMAGEN" "$@"
	fi
}

# run ARGS...: $OUT, $ERR, $RC (and $T/out, $T/err).  The `target: ...`
# line that commands writing to a database print first is in $TARGET, not
# in $ERR ($T/err has it).
run() {
	sg "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	TARGET=$(sed -n '1s/^target: //p' "$T/err")
	if [ -n "$TARGET" ]; then
		ERR=$(sed 1d "$T/err")
	else
		ERR=$(cat "$T/err")
	fi
	if [ "$RC" = 99 ] && [ "${SG_VALGRIND:-}" = 1 ]; then
		diag "valgrind reported errors for: schemagen $*" "$ERR"
	fi
	return 0
}

# run_ok DESC ARGS...: run, and check that it exits 0.
run_ok() {
	_d=$1
	shift
	run "$@"
	is_rc 0 "$_d"
}

# ---- databases ----

# A name unique to this script run, usable as a database name.
uniq_name() {
	printf 'sgt_%s_%s_%s' "$(printf '%s' "$ME" | tr -c 'a-z0-9\n' '_' | cut -c1-20)" "$$" "$1"
}

# conninfo DB: a keyword=value connection string for DB on the test server.
conninfo() {
	printf 'host=%s port=%s user=%s dbname=%s' "$PGHOST" "${PGPORT:-5432}" \
		"${PGUSER:-postgres}" "$1"
}

# new_db NAME_SUFFIX: creates a database, dropped at exit; prints its name.
# (Called in $(...), a subshell: the list of databases to drop is a file.)
new_db() {
	_n=$(uniq_name "$1")
	dropdb --if-exists -f "$_n" >/dev/null 2>&1
	createdb "$_n" || BAIL_OUT "createdb $_n failed"
	echo "$_n" >>"$T/.dbs"
	printf '%s' "$_n"
}

# qdb DB SQL: rows unaligned, fields separated by |.
qdb() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

q() {
	qdb "$DB" "$1"
}

# pg_dump_can: the pg_dump found can dump the test server (pg_dump refuses
# a server of a newer major version; Debian ships 15's client only).  When
# it cannot, snap_db and schema_dump print its refusal, the same for every
# database: the comparisons built on them are no check there.
pg_dump_can() {
	[ "$(pg_dump --version | awk '{ print $3 }' | cut -d. -f1)" -ge \
		$(($(server_version_num) / 10000)) ]
}

# server_version_num: the test server's version (170004 for 17.4), once.
_server_version_num=""
server_version_num() {
	[ -n "$_server_version_num" ] ||
		_server_version_num=$(qdb postgres "SHOW server_version_num")
	echo "$_server_version_num"
}

# for_server: stdin to stdout, SQL made to load on the test server: before
# PostgreSQL 15, NULLS NOT DISTINCT (15) is left out.  Fixtures that show
# 15's features go through it so that they run on 13 and 14 too.
for_server() {
	if [ "$(server_version_num)" -lt 150000 ]; then
		sed 's/ NULLS NOT DISTINCT//g'
	else
		cat
	fi
}

# new_kind_project: a database of its own ($DB, DATABASE_URL) and a fresh
# project in $P without models, for the step-by-step kind tests (nsteps=0).
new_kind_project() {
	DB=$(new_db main)
	export DATABASE_URL="$(conninfo "$DB")"
	cd "$P" || BAIL_OUT "no project dir"
	run init
	rm schema/public.yaml
	# every schema managed (init writes schemas: [public])
	sed -i '/^schemas: /d' schemagen.yaml
	nsteps=0
}

# cache_project [example]: a project in $P for the model cache tests, with
# its own database $DB (at $DBURL) and SCHEMAGEN_HOME in $T/home: an empty
# schema folder, or with `example` the repository's example models.
cache_project() {
	DB=$(new_db main)
	DBURL=$(conninfo "$DB")
	cd "$P" || BAIL_OUT "no project"
	printf 'schema_dir: schema\nmigrations_dir: migrations\n' >schemagen.yaml
	mkdir -p migrations
	if [ "${1:-}" = example ]; then
		cp -R "$SG_SOURCE_ROOT/schema" schema
	else
		mkdir -p schema
	fi
	SCHEMAGEN_HOME=$T/home
	export SCHEMAGEN_HOME
}

# kept_db KIND [FOLDER]: the kept model (KIND models) or replay (replay)
# database on the scratch server of the project in FOLDER (default $P),
# found by its comment, which names the folder
kept_db() {
	psql -X -At -d "$SCHEMAGEN_DEV_URL" -c "SELECT datname FROM pg_database
		WHERE datname LIKE 'sg\\_$1\\_%' AND shobj_description(oid, 'pg_database') LIKE '% ${2:-$P}'"
}

# The model database's tests (cache_project's projects):
# drop_kept [KIND...]: drops the project's kept databases (default the
# model database), as a cleanup hook does
drop_kept() {
	for _k in ${*:-models}; do
		_m=$(kept_db "$_k")
		[ -n "$_m" ] && psql -X -q -d "$SCHEMAGEN_DEV_URL" \
			-c "DROP DATABASE \"$_m\" WITH (FORCE)" >/dev/null 2>&1
	done
	return 0
}
# mdb_same LABEL: the model cache the last run wrote is the one a full
# materialisation (`diff --no-cache`) writes, oids aside
mdb_same() {
	cp "$T"/home/models/*.cache "$T/inc.cache"
	sg diff --no-cache --url "$DBURL" >/dev/null 2>"$T/full.err" ||
		diag "full: $(cat "$T/full.err")"
	is "$("$SG_BUILD_ROOT/tools/sg-cache-cmp" "$T/inc.cache" "$T"/home/models/*.cache 2>&1
	     echo "rc $?")" "rc 0" "$1: as --no-cache"
}
# mdb_incr LABEL: the last run (-v) brought the model database to the
# models, not rebuilding it, and its catalog is a full materialisation's
mdb_incr() {
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: bringing it to the models" "$1: incremental"
	unlike "$ERR" "materialising every model" "$1: not rebuilt"
	mdb_same "$1"
}
# mdb_partial LABEL: the last run (-v, SCHEMAGEN_PARTIAL_CHECK) read the
# model database back in part, and that part merged is what a full read
# gives
mdb_partial() {
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: bringing it to the models" "$1: incremental"
	like "$ERR" "model database: read back [0-9]+ changed relations? and their neighbours" \
		"$1: read back in part"
	like "$ERR" "model database: the partial read is the full read" "$1: as a full read"
	unlike "$ERR" "is not the full read|reading it back whole" "$1: nothing differs"
}

# own_embedded: the test's own embedded server (SCHEMAGEN_HOME in $T,
# stopped when the test ends) and no target: sets DEV to the throwaway
# cluster's URL and unsets libpq's, DATABASE_URL and SCHEMAGEN_DEV_URL.
own_embedded() {
	DEV=${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}
	unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE DATABASE_URL SCHEMAGEN_DEV_URL
	SCHEMAGEN_HOME=$T/home
	mkdir -m 711 "$SCHEMAGEN_HOME"
	export SCHEMAGEN_HOME
	chmod 711 "$T"
	_cleanup_hook=_stop_embedded
}
_stop_embedded() {
	"$SCHEMAGEN" embedded stop >/dev/null 2>&1
}

# new_roles ROLE...: creates the roles (SQL spellings, quoted as needed),
# dropped again when the test ends (and first, should a previous run have
# left them).
new_roles() {
	_roles=$(printf '%s\n' "$@")
	_drop_roles
	_cleanup_hook=_drop_roles
	for r in "$@"; do
		psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $r" >/dev/null ||
			BAIL_OUT "cannot create role $r"
	done
}

_drop_roles() {
	printf '%s\n' "$_roles" | while IFS= read -r r; do
		[ -n "$r" ] || continue
		psql -X -q -d postgres -c "DROP OWNED BY $r CASCADE" >/dev/null 2>&1
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
	done
}

# migrate_step DESC SQL EXPECTED: one step of the kind tests, on the models
# as they are in schema/: autogenerate (a revision must be written; kept as
# $T/step$nsteps.sql), upgrade, check clean, and the output of the query SQL
# (through $STEP_FILTER, default cat) equal to EXPECTED.  Returns 1 when no
# revision was written.
migrate_step() {
	run revision --autogenerate -m "step $nsteps"
	if ! is_rc 0 "$1: autogenerate"; then
		diag "$ERR"
		return 1
	fi
	like "$OUT" '\.sql$' "$1: a revision is written" || return 1
	cp "$(ls -t migrations/*.sql | head -n 1)" "$T/step$nsteps.sql"
	run upgrade head
	is_rc 0 "$1: upgrade" || diag "$ERR" "the revision:" "$(cat "$T/step$nsteps.sql")"
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"$1: check is clean" || diag "the revision:" "$(cat "$T/step$nsteps.sql")"
	is "$(q "$2" 2>&1 | ${STEP_FILTER:-cat})" "$3" "$1: in the database"
}

# kind_step DESC SQL EXPECTED <MODEL: the kind tests' step: the model on
# standard input becomes schema/$KIND_FILE, then migrate_step, then the
# database's snapshot $T/snap$nsteps for undo_steps.  step_up and
# step_down print the statements of that step's upgrade and downgrade.
kind_step() {
	nsteps=$((nsteps + 1))
	cat >"schema/$KIND_FILE"
	migrate_step "$@" || return
	schema_dump "$DB" >"$T/snap$nsteps"
}
step_up() {
	sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step$nsteps.sql" | sed '1d;$d' | grep -v '^$'
}
step_down() {
	sed -n '/^-- +downgrade/,$p' "$T/step$nsteps.sql" | sed '1d' | grep -v '^$'
}

# dump_matches SECTION WHAT: `dump --owners -o` writes $KIND_FILE with
# SECTION, and those models, in place of schema/$KIND_FILE, diff clean
# (schema/$KIND_FILE is put back after).
dump_matches() {
	run dump --owners -o "$T/dump"
	is_rc 0 "dump" || diag "$ERR"
	like "$(cat "$T/dump/$KIND_FILE")" "$1:" "the dump has the $2"
	cp "schema/$KIND_FILE" "$T/kept.yaml"
	cp "$T/dump/$KIND_FILE" "schema/$KIND_FILE"
	run diff
	is "$RC:$OUT" "0:No changes in schema detected." "the dumped $2 match the database" ||
		diag "$(cat "schema/$KIND_FILE")"
	cp "$T/kept.yaml" "schema/$KIND_FILE"
}

# undo_steps [DOWNGRADE-OPTION...]: the kind tests' walk back: `downgrade
# -1` (with the options) $nsteps times, each one's exit code checked (the
# revision $T/step$n.sql shown when it fails), and after each but the last
# the database (schema_dump, through $SNAP_FILTER, default cat) equal to
# the snapshot $T/snap$n the test took after step n.
undo_steps() {
	_n=$nsteps
	while [ "$_n" -gt 0 ]; do
		run downgrade -1 "$@"
		is_rc 0 "downgrade step $_n" || diag "$ERR" "the revision:" "$(cat "$T/step$_n.sql" 2>/dev/null)"
		_n=$((_n - 1))
		if [ "$_n" -gt 0 ]; then
			schema_dump "$DB" | ${SNAP_FILTER:-cat} >"$T/now"
			is_file "$T/now" "$T/snap$_n" "after undoing step $((_n + 1)): the database of step $_n"
		fi
	done
}

# psql_file DB FILE [PSQL-OPTION...]: runs a script the way users are told to.
psql_file() {
	_db=$1 _f=$2; shift 2
	psql -X -q -v ON_ERROR_STOP=1 -d "$_db" -f "$_f" "$@"
}

# snap_db [DB]: the schema and schemagen's bookkeeping, for before/after
# comparisons.
snap_db() {
	_db=${1:-$DB}
	pg_dump --schema-only --no-owner -d "$_db" 2>&1 |
		grep -v -e '^-- Dumped' -e '^\\restrict ' -e '^\\unrestrict '
	echo "-- version table:"
	qdb "$_db" "SELECT version_num FROM public.schemagen_version ORDER BY 1" 2>/dev/null || echo "(none)"
	echo "-- history:"
	qdb "$_db" "SELECT revision, direction, checksum FROM public.schemagen_history ORDER BY id" 2>/dev/null || echo "(none)"
}

# user_objects [DB]: relations, types and schemas the user made (none of
# schemagen's own tables), one per line.
user_objects() {
	qdb "${1:-$DB}" "
SELECT 'schema ' || nspname FROM pg_namespace
 WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'pg_toast')
   AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
UNION ALL
SELECT 'relation ' || n.nspname || '.' || c.relname FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND c.relname NOT LIKE 'schemagen_%'
UNION ALL
SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND t.typname NOT LIKE '%schemagen_%' AND t.typrelid = 0 AND t.typelem = 0
UNION ALL
SELECT 'comment on schema public: ' || coalesce(obj_description('public'::regnamespace, 'pg_namespace'), '(none)')
   WHERE coalesce(obj_description('public'::regnamespace, 'pg_namespace'), '') <> 'standard public schema'
ORDER BY 1"
}

# schema_dump DB: pg_dump --schema-only, normalised as tools/corpus.sh does
# (no comments lines, settings or owners; each table's columns sorted;
# schemagen's own tables left out).
schema_dump() {
	pg_dump --schema-only --no-owner -d "$1" \
		-T public.schemagen_version -T public.schemagen_history -T public.schemagen_history_steps 2>&1 |
	awk '
	/^--/ || /^$/ || /^SET / || /^SELECT pg_catalog.set_config/ || /^\\(un)?restrict / { next }
	/^CREATE (UNLOGGED )?TABLE .*\($/ { print; intable = 1; n = 0; next }
	intable && /^\)/ {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (cols[j] < cols[i]) { t = cols[i]; cols[i] = cols[j]; cols[j] = t }
		for (i = 1; i <= n; i++) print cols[i]
		print; intable = 0; next }
	intable { sub(/,$/, ""); cols[++n] = $0; next }
	{ print }'
}

# same_schema DESC DB_A DB_B: pg_dump (normalised) and schemagen's
# introspector (sg-catalog-diff) agree that both databases hold the same.
CATALOG_DIFF=${SG_CATALOG_DIFF:-$SG_BUILD_ROOT/tools/sg-catalog-diff}
same_schema() {
	if pg_dump_can; then
		schema_dump "$2" >"$T/.dump_a"
		schema_dump "$3" >"$T/.dump_b"
		is_file "$T/.dump_a" "$T/.dump_b" "$1 (pg_dump)"
	else
		skip 1 "pg_dump $(pg_dump --version | awk '{ print $3 }') cannot dump PostgreSQL $(($(server_version_num) / 10000))"
	fi
	if [ -x "$CATALOG_DIFF" ]; then
		_cd=$("$CATALOG_DIFF" "$(conninfo "$2")" "$(conninfo "$3")" 2>&1)
		_rc=$?
		is "$_rc:$_cd" "0:" "$1 (catalog)"
	else
		skip 1 "no $CATALOG_DIFF"
	fi
}

# ---- files ----

# snap_dir DIR: every entry's type, mode, path and checksum, sorted.
snap_dir() {
	(cd "$1" && find . -printf '%y %m %p\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# Revision ids and timestamps differ from run to run: name_rev ID NAME makes
# norm_rev print NAME where ID was.
_revsed=""
name_rev() {
	_revsed="$_revsed s/$1/$2/g;"
}
norm_rev() {
	sed -e "$_revsed" -e 's/^-- created: .*/-- created: <created>/'
}
# durations in progress lines: "3 statements, 12 ms" -> "3 statements, N ms"
norm_ms() {
	sed -E 's/, [0-9]+ ms$/, N ms/'
}

# rev_of PATH: the id of a migration file from its name.
rev_of() {
	basename "$1" | sed 's/_.*//; s/\.sql$//'
}

# ---- setup and cleanup ----

T=$(mktemp -d "${TMPDIR:-/tmp}/sg-$ME.XXXXXX")
chmod 711 "$T"
P=$T/project
mkdir -p "$P"

_cleanup() {
	_rc=$?
	if [ -n "${SG_KEEP:-}" ]; then
		echo "# kept $T and databases: $(cat "$T/.dbs" 2>/dev/null | tr '\n' ' ')" >&2
		return
	fi
	if [ -f "$T/.dbs" ]; then
		while read -r _db; do
			dropdb --if-exists -f "$_db" >/dev/null 2>&1
		done <"$T/.dbs"
	fi
	[ -n "${_cleanup_hook:-}" ] && $_cleanup_hook
	rm -rf "$T"
	exit $_rc
}
trap _cleanup EXIT
trap 'exit 130' INT TERM
