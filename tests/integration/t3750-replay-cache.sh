#!/bin/sh
# SPDX-License-Identifier: MIT
# t3750-replay-cache.sh - issue 12 item 4: `check` without a database
# replays only what is new.  An unchanged chain of revisions is read from
# the replay cache file (no replay); one new revision is the only one
# applied to the kept replay database (its history table shows each
# revision applied once); an edited old revision, a revision sorting
# before those replayed, the replay database altered (a table added, one
# dropped) or dropped from outside, schemagen.yaml changed, --no-cache:
# every migration replayed again, the result right; a failing revision is
# reported at its line and leaves no replay database; the replay database
# of a project folder that is gone is dropped.
. "$(dirname "$0")/lib.sh"

cd "$P" || BAIL_OUT "no project"
printf 'schema_dir: schema\nmigrations_dir: migrations\n' >schemagen.yaml
mkdir -p schema migrations
SCHEMAGEN_HOME=$T/home
export SCHEMAGEN_HOME
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"

# no database configured: check replays the migrations (on SCHEMAGEN_DEV_URL)
run_nodb() {
	(unset PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL
	 sg "$@" >"$T/out" 2>"$T/err" </dev/null; echo $? >"$T/rc")
	RC=$(cat "$T/rc") OUT=$(cat "$T/out") ERR=$(cat "$T/err")
}
# the last line of the output (-v adds the replay's progress before it)
last() {
	printf '%s\n' "$OUT" | tail -n 1
}
# mig ID PARENTS SQL: a migration file
mig() {
	printf -- '-- schemagen revision: %s\n-- parents:%s\n-- message: m %s\n-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n%s\n\n-- +downgrade\n' \
		"$1" "${2:+ $2}" "$1" "$3" >"migrations/$1_m.sql"
}
# models TABLE...: a table (id int) each, t1 with a column x when X=1
# and a primary key when PK=1
models() {
	{
		echo "schema: public"
		echo "tables:"
		for t in "$@"; do
			printf '  %s:\n    columns:\n      id: {type: integer}\n' "$t"
			[ "$t" = t1 ] && [ "${X:-}" = 1 ] && printf '      x: {type: text}\n'
			[ "$t" = t1 ] && [ "${PK:-}" = 1 ] && printf '    primary_key: [id]\n'
		done
	} >schema/public.yaml
}
# the replay database (its comment names the project folder)
rdb() {
	kept_db replay
}
# applied: each revision and how many times it was upgraded in the replay database
applied() {
	qdb "$(rdb)" "SELECT revision || '=' || count(*) FROM schemagen_history
		WHERE direction = 'upgrade' GROUP BY revision ORDER BY revision" | tr '\n' ' '
}
# at exit: this project's replay database
_drop_replay() {
	_r=$(rdb)
	[ -n "$_r" ] && psql -X -q -d "$SCHEMAGEN_DEV_URL" -c "DROP DATABASE \"$_r\" WITH (FORCE)" >/dev/null 2>&1
	return 0
}
_cleanup_hook=_drop_replay

clean="No differences: the migrations, replayed into a scratch database, match the models."

mig a01000000000 "" "CREATE TABLE public.t1 (id int);"
mig a05000000000 a01000000000 "CREATE TABLE public.t2 (id int);"
models t1 t2

# first run: nothing kept yet, every migration replayed
run_nodb -v check
is "$RC:$(last)" "0:$clean" "first check: clean"
like "$ERR" "replay cache $T/home/models/[0-9a-f]{16}\.replay: none yet; replaying the migrations" \
	"first check: no replay cache yet"
like "$ERR" "replay database sg_replay_project_[0-9a-f]{8}: none yet; replaying every migration" \
	"first check: no replay database yet"
like "$(rdb)" "^sg_replay_project_[0-9a-f]{8}$" "the replay database is kept"
is "$(applied)" "a01000000000=1 a05000000000=1 " "both revisions replayed"

# unchanged chain: the cached catalog, no replay
run_nodb -v check
is "$RC:$(last)" "0:$clean" "unchanged: clean"
like "$ERR" "replay cache .*\.replay: the migrations are unchanged" "unchanged: read from the replay cache"
unlike "$ERR" "replay database|introspected sg_replay" "unchanged: the replay database is not touched"

# one new revision: only it is applied
mig a06000000000 a05000000000 "CREATE TABLE public.t3 (id int);"
models t1 t2 t3
run_nodb -v check
is "$RC:$(last)" "0:$clean" "one new revision: clean"
like "$ERR" "replay database sg_replay_project_[0-9a-f]{8}: 2 of 3 revisions replayed already, applying 1" \
	"one new revision: applied alone"
unlike "$ERR" "replaying every migration" "one new revision: no full replay"
is "$(printf '%s\n' "$OUT" | grep '^upgrade' | sed 's/:.*//')" "upgrade a06000000000 (m a06000000000)" \
	"one new revision: the only one upgraded"
is "$(applied)" "a01000000000=1 a05000000000=1 a06000000000=1 " "each revision applied once"
run_nodb check
is "$RC:$(last)" "0:$clean" "and then from the cache"

# a new revision the models do not have: the difference is found
mig a07000000000 a06000000000 "CREATE TABLE public.t4 (id int);"
run_nodb -v check
is "$RC" 1 "a new revision the models lack: differences"
like "$OUT" "t4" "the new table is the difference"
like "$ERR" "3 of 4 revisions replayed already, applying 1" "and it alone was applied"
models t1 t2 t3 t4

# an edited old revision: a full replay, the right result
mig a01000000000 "" "CREATE TABLE public.t1 (id int, x text);"
run_nodb -v check
is "$RC" 1 "an edited old revision: differences"
like "$OUT" "x" "the edited revision's column is seen"
like "$ERR" "replay database .*: revision a01000000000 \(.*\) changed since it was replayed; replaying every migration" \
	"an edited old revision: replayed from scratch"
is "$(applied)" "a01000000000=1 a05000000000=1 a06000000000=1 a07000000000=1 " \
	"a fresh replay database"
X=1 models t1 t2 t3 t4
run_nodb check
is "$RC:$(last)" "0:$clean" "the models agree again"

# altered from outside (a table added): a full replay on the next new revision
qdb "$(rdb)" "CREATE TABLE public.intruder (id int)"
mig a08000000000 a07000000000 "CREATE TABLE public.t5 (id int);"
X=1 models t1 t2 t3 t4 t5
run_nodb -v check
is "$RC:$(last)" "0:$clean" "altered (a table added): clean"
like "$ERR" "it was altered since the last check .*; replaying every migration" \
	"altered (a table added): replayed from scratch"
is "$(qdb "$(rdb)" "SELECT count(*) FROM pg_class WHERE relname = 'intruder'")" 0 \
	"the intruder is gone"

# altered from outside (a table dropped)
qdb "$(rdb)" "DROP TABLE public.t2"
mig a09000000000 a08000000000 "CREATE TABLE public.t6 (id int);"
X=1 models t1 t2 t3 t4 t5 t6
run_nodb -v check
is "$RC:$(last)" "0:$clean" "altered (a table dropped): clean"
like "$ERR" "it was altered since the last check" "altered (a table dropped): replayed from scratch"

# dropped from outside
psql -X -q -d "$SCHEMAGEN_DEV_URL" -c "DROP DATABASE $(rdb) WITH (FORCE)"
mig a10000000000 a09000000000 "CREATE TABLE public.t7 (id int);"
run_nodb -v check
is "$RC" 1 "dropped from outside: differences (t7)"
like "$OUT" "t7" "dropped from outside: the new table is found"
like "$ERR" "replay database .*: none yet; replaying every migration" "dropped from outside: made again"
X=1 models t1 t2 t3 t4 t5 t6 t7

# a new revision that sorts before those replayed: a full replay
mig a02000000000 a01000000000 "CREATE TABLE public.b1 (id int);"
mig a11000000000 "a10000000000, a02000000000" "SELECT 1;"
X=1 models t1 t2 t3 t4 t5 t6 t7 b1
run_nodb -v check
is "$RC:$(last)" "0:$clean" "a branch sorting before: clean"
like "$ERR" "the history diverged: revision a02000000000 sorts before revisions replayed already; replaying every migration" \
	"a branch sorting before: replayed from scratch"

# schemagen.yaml changed: a full replay
printf '# a comment\n' >>schemagen.yaml
run_nodb -v check
is "$RC:$(last)" "0:$clean" "schemagen.yaml changed: clean"
like "$ERR" "schemagen, schemagen.yaml or the scratch server changed; replaying every migration" \
	"schemagen.yaml changed: replayed from scratch"

# --no-cache: the full replay
run_nodb -v check --no-cache
is "$RC:$(last)" "0:$clean" "--no-cache: clean"
like "$ERR" "replay database .*: --no-cache; replaying every migration" "--no-cache: replayed from scratch"
unlike "$ERR" "the migrations are unchanged" "--no-cache: the cache is not read"

# the new revisions fail where a full replay does not (rows put in the
# replay database from outside, which the catalog fingerprint does not
# see): silently replayed from scratch
qdb "$(rdb)" "INSERT INTO public.t1 VALUES (1), (1)"
mig a115 a11000000000 "ALTER TABLE public.t1 ADD PRIMARY KEY (id);"
PK=1 X=1 models t1 t2 t3 t4 t5 t6 t7 b1
run_nodb check
is "$RC:$OUT:$ERR" "0:$clean:" "an incremental step failing: the right result, nothing said"
is "$(qdb "$(rdb)" "SELECT count(*) FROM public.t1")" 0 "replayed from scratch"
is "$(applied)" "a01000000000=1 a02000000000=1 a05000000000=1 a06000000000=1 a07000000000=1 a08000000000=1 a09000000000=1 a10000000000=1 a11000000000=1 a115=1 " \
	"each revision applied once"
qdb "$(rdb)" "INSERT INTO public.t2 VALUES (1), (1)"
mig a116 a115 "ALTER TABLE public.t2 ADD PRIMARY KEY (id);"
run_nodb -v check
is "$RC" 1 "-v: the right result (t2's key)"
like "$ERR" "replay database .*: applying the new revisions failed; replaying every migration" \
	"-v: says why it replayed everything"
like "$ERR" "could not create unique index" "-v: and shows the error kept back"
rm migrations/a116_m.sql

# a failing revision: at its line, and no replay database left half-way
mig a12000000000 a115 "CREATE TABLE public.t8 (id int);
ALTER TABLE public.nosuch ADD COLUMN y int;"
run_nodb check
is "$RC" 2 "a failing revision: exit 2"
like "$ERR" "migrations/a12000000000_m.sql:8:1: error: relation \"public.nosuch\" does not exist" \
	"a failing revision: reported at its line"
is "$(rdb)" "" "no replay database is left"
mig a12000000000 a115 "CREATE TABLE public.t8 (id int);"
PK=1 X=1 models t1 t2 t3 t4 t5 t6 t7 b1 t8
run_nodb -v check
is "$RC:$(last)" "0:$clean" "fixed: clean"
like "$ERR" "none yet; replaying every migration" "fixed: replayed from scratch"

# the replay database of a project folder that is gone is dropped
mkdir "$T/other" && cp -R schema migrations schemagen.yaml "$T/other/"
(cd "$T/other" && unset PGHOST PGPORT PGUSER PGDATABASE && sg check >/dev/null 2>&1)
n=$(kept_db replay "$T/other" | grep -c .)
is "$n" 1 "another project, another replay database"
rm -rf "$T/other"
run_nodb -v check --no-cache
like "$ERR" "replay database \"?sg_replay_other_[0-9a-f]{8}\"?: removed \($T/other is gone\)" \
	"the gone project's replay database is dropped"
n=$(kept_db replay "$T/other" | grep -c .)
is "$n" 0 "and it is gone"

done_testing
