#!/bin/sh
# SPDX-License-Identifier: MIT
# t4420-cache-upgrade.sh - issue 12: the caches under a server upgraded in
# place and damaged on purpose.  An upgrade (pg_upgrade, a minor release)
# keeps the model and replay databases and their comments but changes the
# server's version and so every cache key: simulated by writing another
# server_version_num into the database's record and another key into the
# cache file.  diff rebuilds the model database, -v saying it was left by
# another PostgreSQL, the catalog that of --no-cache; check without a
# database replays every migration, the catalog that of --no-cache.  The
# model database's digest file and empty-database catalog damaged: rebuilt,
# saying which; the replay cache file damaged: the replay database is
# used (nothing to apply), the result that of --no-cache.  Grants and
# owners changed (a table's, a column's, a function's from the default;
# owners of a table, view, function and schema, one to the role granted
# on it and back), a table's grants and a view's owner taken out (t4520,
# t4661 have more): made incrementally, each catalog that of --no-cache;
# default privileges added, then grants changed under them: rebuilt,
# saying why.
. "$(dirname "$0")/lib.sh"

cache_project
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"
CMP=$SG_BUILD_ROOT/tools/sg-cache-cmp
H=$T/home/models

_drop_kept() {
	for _k in models replay; do
		_m=$(kept_db $_k)
		[ -n "$_m" ] && psql -X -q -d "$SCHEMAGEN_DEV_URL" -c "DROP DATABASE \"$_m\" WITH (FORCE)" >/dev/null 2>&1
	done
	return 0
}
new_roles t4420_r1 t4420_r2 t4420_r3
_hook() {
	_drop_kept
	_drop_roles
}
_cleanup_hook=_hook

now=$(server_version_num)
was=$(((now / 10000 - 1) * 10000 + 11))
now_text="$((now / 10000)).$((now % 100))"
was_text="$((was / 10000)).11"
# upgraded KIND FIELDS: the database's record names PostgreSQL $was (its
# server version is the word after FIELDS 64-digit fields)
upgraded() {
	_db=$(kept_db "$1")
	_c=$(psql -X -At -d "$SCHEMAGEN_DEV_URL" -c "SELECT shobj_description(oid, 'pg_database')
		FROM pg_database WHERE datname = '$_db'")
	_new=$(printf '%s' "$_c" | sed -E "s/^(schemagen [a-z]+ database ([0-9a-f]{64} ){$2})[0-9]{6} /\\1$was /")
	isnt "$_new" "$_c" "$1: the record names the server's version"
	printf '%s\n' "COMMENT ON DATABASE \"$_db\" IS :'c';" |
		psql -X -q -d "$SCHEMAGEN_DEV_URL" -v c="$_new"
}
# rekey FILE: another key in a cache file (the first of its 64 digits)
rekey() {
	_d=$(dd if="$1" bs=1 skip=24 count=1 2>/dev/null)
	[ "$_d" = 0 ] && _d=1 || _d=0
	printf '%s' "$_d" | dd of="$1" bs=1 seek=24 conv=notrunc 2>/dev/null
}
# damage FILE: a byte near its end flipped
damage() {
	printf 'Z' | dd of="$1" bs=1 seek=$(($(stat -c %s "$1") - 3)) conv=notrunc 2>/dev/null
}
# same LABEL EXT CMD...: the cache file EXT just written is what CMD (a
# --no-cache run) writes
same() {
	_l=$1 _e=$2
	shift 2
	cp "$H"/*"$_e" "$T/inc$_e"
	"$@" >/dev/null 2>"$T/full.err" || diag "full: $(cat "$T/full.err")"
	is "$("$CMP" "$T/inc$_e" "$H"/*"$_e" 2>&1; echo "rc $?")" "rc 0" "$_l: as --no-cache"
}

cat >schema/public.yaml <<'EOF'
schema: public
tables:
  a:
    columns:
      id: {type: integer, nullable: false}
      name: {type: text}
    primary_key: [id]
views:
  v:
    query: SELECT a.id, a.name FROM a
EOF
run -v --url "$DBURL" diff
is "$RC" 0 "first run"
like "$(kept_db models)" "^sg_models_project_[0-9a-f]{8}$" "the model database is kept"

# the model database under an upgraded server
upgraded models 3
rekey "$(ls "$H"/*.cache)"
run -v --url "$DBURL" diff
is "$RC" 0 "upgraded: diff"
like "$ERR" "model cache .*: the models, schemagen or the scratch server changed" \
	"upgraded: the cache file is not used"
like "$ERR" "model database sg_models_[a-z0-9_]*: it was left by PostgreSQL $was_text, the scratch server is PostgreSQL $now_text now; materialising every model" \
	"upgraded: rebuilt, saying why"
same "upgraded" .cache sg diff --no-cache --url "$DBURL"
sed -i 's/name: {type: text}/name: {type: varchar(10)}/' schema/public.yaml
run -v --url "$DBURL" diff
like "$ERR" "model database sg_models_[a-z0-9_]*: bringing it to the models" \
	"upgraded: the record names this server again"
same "upgraded, then a model changed" .cache sg diff --no-cache --url "$DBURL"

# its digest file, then its empty database's catalog, damaged
damage "$(ls "$H"/*.models)"
sed -i 's/varchar(10)/varchar(20)/' schema/public.yaml
run -v --url "$DBURL" diff
like "$ERR" "model database sg_models_[a-z0-9_]*: the digests of the models it holds are missing or damaged; materialising every model" \
	"digests damaged: rebuilt"
same "digests damaged" .cache sg diff --no-cache --url "$DBURL"
damage "$(ls "$H"/*.fresh)"
sed -i 's/varchar(20)/varchar(30)/' schema/public.yaml
run -v --url "$DBURL" diff
like "$ERR" "model database sg_models_[a-z0-9_]*: the empty database's catalog is not cached; materialising every model" \
	"empty catalog damaged: rebuilt"
same "empty catalog damaged" .cache sg diff --no-cache --url "$DBURL"

# check without a database: the replay database under an upgraded server
run_nodb() {
	(unset PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL
	 sg "$@" >"$T/out" 2>"$T/err" </dev/null; echo $? >"$T/rc")
	RC=$(cat "$T/rc") OUT=$(cat "$T/out") ERR=$(cat "$T/err")
}
printf -- '-- schemagen revision: a01\n-- parents:\n-- message: m\n-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n%s\n\n-- +downgrade\n' \
	"CREATE TABLE public.a (id integer PRIMARY KEY, name varchar(30));
CREATE VIEW public.v AS SELECT a.id, a.name FROM public.a;" >migrations/a01_m.sql
clean="No differences: the migrations, replayed into a scratch database, match the models."
run_nodb -v check
is "$RC:$(printf '%s\n' "$OUT" | tail -n 1)" "0:$clean" "check: clean"
like "$(kept_db replay)" "^sg_replay_project_[0-9a-f]{8}$" "the replay database is kept"
upgraded replay 2
rekey "$(ls "$H"/*.replay)"
run_nodb -v check
is "$RC:$(printf '%s\n' "$OUT" | tail -n 1)" "0:$clean" "check upgraded: clean"
like "$ERR" "replay cache .*: the migrations, schemagen or the scratch server changed" \
	"check upgraded: the cache file is not used"
like "$ERR" "replay database sg_replay_[a-z0-9_]*: it was left by PostgreSQL $was_text, the scratch server is PostgreSQL $now_text now; replaying every migration" \
	"check upgraded: replayed from scratch, saying why"
same "check upgraded" .replay run_nodb check --no-cache

# the replay cache file damaged: the replay database has it all
damage "$(ls "$H"/*.replay)"
run_nodb -v check
is "$RC:$(printf '%s\n' "$OUT" | tail -n 1)" "0:$clean" "replay cache damaged: clean"
like "$ERR" "replay cache .*: damaged \\(checksum\\); replaying the migrations" \
	"replay cache damaged: said"
like "$ERR" "replay database sg_replay_[a-z0-9_]*: 1 of 1 revisions replayed already, applying 0" \
	"replay cache damaged: the replay database is used"
same "replay cache damaged" .replay run_nodb check --no-cache

# grants and owners: incrementally, as --no-cache, or rebuilt
# (every role named from the start: which of them exist is in the key)
cat >schema/app.yaml <<'EOF2'
schema: app
owner: t4420_r1
grants: {t4420_r3: [usage]}
tables:
  t:
    owner: t4420_r1
    columns:
      id: {type: bigint, identity: always}
      note: {type: text}
    grants: {t4420_r2: [select]}
views:
  v: {query: SELECT id FROM app.t, owner: t4420_r1}
functions:
  f: {arguments: [x integer], returns: integer, language: sql, body: SELECT x, owner: t4420_r1}
EOF2
run -v --url "$DBURL" diff
is "$RC" 0 "with owners and grants: diff"
# incr LABEL: the last run brought the model database to the models
incr() {
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: bringing it to the models" "$1: incremental"
	unlike "$ERR" "materialising every model" "$1: not rebuilt"
	same "$1" .cache sg diff --no-cache --url "$DBURL"
}
# rebuilt LABEL WHY: the last run made a new model database, saying why
rebuilt() {
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: $2; materialising every model" "$1: rebuilt"
	same "$1" .cache sg diff --no-cache --url "$DBURL"
}
sed -i 's/    grants: {t4420_r2: \[select\]}/    grants: {t4420_r2: [select, insert], t4420_r3: {privileges: [select], with_grant_option: true}, public: [select]}/' \
	schema/app.yaml
run -v --url "$DBURL" diff
incr "a table's grants changed"
sed -i 's/      note: {type: text}/      note: {type: text, grants: {t4420_r3: [update]}}/' schema/app.yaml
run -v --url "$DBURL" diff
incr "a column's grant added"
sed -i 's/body: SELECT x, owner: t4420_r1}/body: SELECT x, owner: t4420_r1, grants: {t4420_r2: [execute]}}/' \
	schema/app.yaml
run -v --url "$DBURL" diff
incr "a function's grants from the default"
sed -i 's/^owner: t4420_r1/owner: t4420_r2/; s/^    owner: t4420_r1/    owner: t4420_r2/; s/app.t, owner: t4420_r1/app.t, owner: t4420_r3/; s/SELECT x, owner: t4420_r1/SELECT x, owner: t4420_r2/' \
	schema/app.yaml
run -v --url "$DBURL" diff
incr "owners changed (the table's to a role granted on it)"
is "$(qdb "$(kept_db models)" "SELECT relowner::regrole FROM pg_class WHERE relname = 't'")" t4420_r2 \
	"owners changed: in the model database"
sed -i 's/    owner: t4420_r2/    owner: t4420_r1/' schema/app.yaml
run -v --url "$DBURL" diff
incr "a table's owner back to the role before"
sed -i 's/^    grants: {t4420_r2: .*//' schema/app.yaml
run -v --url "$DBURL" diff
incr "a table's grants taken out"
sed -i 's/app.t, owner: t4420_r3}/app.t}/' schema/app.yaml
run -v --url "$DBURL" diff
incr "a view's owner taken out"
sed -i 's/^schema: app$/schema: app\ndefault_privileges:\n  - tables: {t4420_r3: [select]}/' schema/app.yaml
run -v --url "$DBURL" diff
rebuilt "default privileges added" "default privileges changed"
sed -i 's/      note: {type: text, grants: {t4420_r3: \[update\]}}/      note: {type: text, grants: {t4420_r3: [insert]}}/' schema/app.yaml
run -v --url "$DBURL" diff
rebuilt "a grant changed under default privileges" "grants or an owner changed under default privileges"

done_testing
