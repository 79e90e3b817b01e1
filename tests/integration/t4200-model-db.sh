#!/bin/sh
# SPDX-License-Identifier: MIT
# t4200-model-db.sh - issue 12 item 1: the model database, kept on the
# scratch server, brought to changed models with only their DDL.  Over a
# sequence of model edits (a table added, a column's type changed under a
# view and a function, a column added, a table dropped, a table renamed,
# a view and a function changed, a column dropped) each incremental run
# gives the catalog a full materialisation (--no-cache) gives
# (sg-cache-cmp: the two model cache files, oids aside); a column added
# in the middle, a model database altered from outside (DDL) or dropped,
# a comment that is not ours, a cache file damaged on purpose, an
# incremental step that fails (a row put there from outside), --no-cache:
# each rebuilt from scratch, silently, the result the full one; a model
# the server rejects is reported at its line and leaves no model
# database; the model database of a project folder that is gone is dropped.
. "$(dirname "$0")/lib.sh"

cache_project
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"
CMP=$SG_BUILD_ROOT/tools/sg-cache-cmp

# the model database (its comment names the project folder)
mdb() {
	kept_db models "$1"
}
_cleanup_hook=drop_kept

# rebuilt LABEL WHY: the last run rebuilt the model database, saying why
rebuilt() {
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: $2; materialising every model" "$1: rebuilt"
	mdb_same "$1"
}

# step 0: the first models
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  a:
    columns:
      id: {type: integer, nullable: false}
      name: {type: text}
    primary_key: [id]
  b:
    columns:
      id: {type: integer, nullable: false}
      a_id: {type: integer}
    primary_key: [id]
    foreign_keys:
      - {columns: [a_id], references: a(id)}
views:
  v:
    query: SELECT a.id, a.name, b.id AS b_id FROM a JOIN b ON b.a_id = a.id
functions:
  f:
    returns: integer
    language: sql
    body: SELECT count(*)::integer FROM public.v
EOF
run -v --url "$DBURL" diff
rebuilt "first run" "none yet"
M=$(mdb "$P")
like "$M" "^sg_models_project_[0-9a-f]{8}$" "the model database is kept"
run -v --url "$DBURL" diff
like "$ERR" "model cache .*: the models are unchanged" "unchanged: the cache file"
unlike "$ERR" "model database" "unchanged: the model database is not touched"

# a table added
awk '/^views:/ { print "  c:\n    columns:\n      id: {type: bigint}" } { print }' \
	schema/public.yaml >"$T/m" && mv "$T/m" schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a table added"
is "$(qdb "$M" "SELECT count(*) FROM pg_class WHERE relname = 'c' AND relkind = 'r'")" 1 \
	"a table added: in the model database"

# a column's type changed under the view and the function
sed -i 's/      name: {type: text}/      name: {type: varchar(100)}/' schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a column's type changed under a view"

# a column added at the end
sed -i 's/      a_id: {type: integer}/      a_id: {type: integer}\n      note: {type: text}/' schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a column added"

# a table dropped
awk '/^  c:$/ { skip = 3 } skip { skip--; next } { print }' schema/public.yaml >"$T/m" &&
	mv "$T/m" schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a table dropped"

# a table renamed (its key, the foreign key and the view follow)
sed -i 's/^  b:$/  bb:\n    renamed_from: b/; s/JOIN b ON b.a_id/JOIN bb ON bb.a_id/; s/b.id AS b_id/bb.id AS b_id/' \
	schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a table renamed"

# the view and the function changed
sed -i 's/SELECT a.id, a.name, bb.id AS b_id/SELECT a.id, a.name, bb.id AS b_id, bb.note/; s/SELECT count(\*)::integer FROM public.v/SELECT count(*)::integer + 1 FROM public.v/' \
	schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a view and a function changed"

# a column dropped
sed -i 's/, bb.note//; /      note: {type: text}/d' schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a column dropped"

# a table's grants changed (PUBLIC given SELECT): GRANT, incrementally
sed -i 's/^    primary_key: \[id\]$/    primary_key: [id]\n    grants: {public: [select]}/' schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a table's grants changed"
is "$(qdb "$(mdb "$P")" "SELECT has_table_privilege('public', 'a', 'SELECT')")" t \
	"a table's grants changed: in the model database"
# default privileges of the schema: what a table made before holds
# follows in a new database
sed -i 's/^schema: public$/schema: public\ndefault_privileges:\n  - tables: {public: [update]}/' \
	schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "default privileges changed" "default privileges changed"
# a new table with grants: made incrementally
awk '/^views:/ { print "  g:\n    columns:\n      id: {type: bigint}\n    grants: {public: [insert]}" } { print }' \
	schema/public.yaml >"$T/m" && mv "$T/m" schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a table with grants added"
# a partition added: a new database (the server names its indexes)
awk '/^views:/ { print "  p:\n    partition_by: RANGE (id)\n    columns:\n      id: {type: integer, nullable: false}\n      k: {type: text}\n    indexes:\n      - {name: p_k_idx, columns: [k]}" } { print }' \
	schema/public.yaml >"$T/m" && mv "$T/m" schema/public.yaml
run -v --url "$DBURL" diff
mdb_incr "a partitioned table added"
awk '/^views:/ { print "  p1:\n    partition_of: p\n    bounds: FOR VALUES FROM (0) TO (10)\n    indexes:\n      - {name: p1_by_k, columns: [k], attached_to: p_k_idx}" } { print }' \
	schema/public.yaml >"$T/m" && mv "$T/m" schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "a partition added" "a partition changed"
is "$(qdb "$(mdb "$P")" "SELECT string_agg(relname, ' ') FROM pg_class WHERE relname LIKE 'p1%' AND relkind = 'i'")" \
	"p1_by_k" "a partition added: its index has the models' name"

# a column added in the middle: a migration would append it
awk '/^      name: / { print "      mid: {type: integer}" } { print }' schema/public.yaml >"$T/m" &&
	mv "$T/m" schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "a column added in the middle" "a table's columns are not in the models' order"

# altered from outside: a table created there
qdb "$M" "CREATE TABLE intruder (x int)"
sed -i 's/      mid: {type: integer}/      mid: {type: bigint}/' schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "altered from outside" "it was altered since it was left \\(or a change stopped part-way\\)"
is "$(qdb "$(mdb "$P")" "SELECT count(*) FROM pg_class WHERE relname = 'intruder'")" 0 \
	"altered from outside: the intruder is gone"

# dropped from outside
psql -X -q -d "$SCHEMAGEN_DEV_URL" -c "DROP DATABASE \"$M\" WITH (FORCE)"
sed -i 's/      mid: {type: bigint}/      mid: {type: integer}/' schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "dropped from outside" "none yet"

# a comment that is not ours
psql -X -q -d "$SCHEMAGEN_DEV_URL" -c "COMMENT ON DATABASE \"$M\" IS 'mine'"
sed -i 's/      mid: {type: integer}/      mid: {type: bigint}/' schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "a comment not ours" "it is not one schemagen finished for this project"

# the cache file damaged on purpose (a byte of the catalog flipped)
cache=$(ls "$T"/home/models/*.cache)
size=$(stat -c %s "$cache")
printf 'Z' | dd of="$cache" bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null
sed -i 's/      mid: {type: bigint}/      mid: {type: integer}/' schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "the cache file damaged" "the model cache file is missing or damaged"
rm -f "$T"/home/models/*.cache
sed -i 's/      mid: {type: integer}/      mid: {type: bigint}/' schema/public.yaml
run -v --url "$DBURL" diff
rebuilt "the cache file gone" "the model cache file is missing or damaged"

# an incremental step that fails: a row put there, a NOT NULL column
# without a default added; silent, and right
qdb "$(mdb "$P")" "INSERT INTO a (id) VALUES (1)"
awk '/^      name: / { print; print "      req: {type: integer, nullable: false}"; next } { print }' \
	schema/public.yaml >"$T/m" && mv "$T/m" schema/public.yaml
run --url "$DBURL" diff
is "$RC:$ERR" "0:" "a failing incremental step: silent"
is "$(qdb "$(mdb "$P")" "SELECT count(*) FROM a")" 0 "a failing incremental step: rebuilt"
mdb_same "a failing incremental step"

# --no-cache
run -v --url "$DBURL" diff --no-cache
like "$ERR" "model database sg_models_[a-z0-9_]*: --no-cache; materialising every model" \
	"--no-cache: rebuilt"

# a model the server rejects: at its line, no model database left
sed -i 's/      req: {type: integer, nullable: false}/      req: {type: integer, nullable: false, default: "'"'"'x'"'"'"}/' \
	schema/public.yaml
line=$(grep -n "req:" schema/public.yaml | cut -d: -f1)
run --url "$DBURL" diff
is "$RC" 2 "a model the server rejects: exit 2"
like "$ERR" "^schema/public.yaml:$line:[0-9]+: error: invalid input syntax for type integer: \"x\"$" \
	"a model the server rejects: the error at its line"
is "$(printf '%s\n' "$ERR" | grep -c error)" 1 "a model the server rejects: said once"
is "$(mdb "$P")" "" "a model the server rejects: no model database left"

# the model database of a project folder that is gone is dropped
mkdir "$T/other" && cp -R schema schemagen.yaml "$T/other/"
sed -i 's/, default: "'"'"'x'"'"'"//' "$T/other/schema/public.yaml"
(cd "$T/other" && sg diff --url "$DBURL" >/dev/null 2>&1)
is "$(mdb "$T/other" | wc -l)" 1 "another project, another model database"
rm -rf "$T/other"
sed -i 's/, default: "'"'"'x'"'"'"//' schema/public.yaml
run -v --url "$DBURL" diff --no-cache
like "$ERR" "model database \"?sg_models_other_[0-9a-f]{8}\"?: removed \($T/other is gone\)" \
	"the gone project's model database is dropped"
is "$(mdb "$T/other")" "" "and it is gone"

done_testing
