#!/bin/sh
# SPDX-License-Identifier: MIT
# t4661-model-db-owner-out.sh - issue 12: `owner:` taken out of a model
# brings the model database to the owner a new one gives incrementally
# (ALTER ... OWNER TO the role materialising the models; the public
# schema back to the owner it has in an empty database), no rebuild: a
# table's, a view's, a sequence's, a function's, an enum's, a schema's
# and the public schema's owner taken out one at a time, each catalog
# that of a full materialisation (--no-cache); the public schema's grants
# taken out (PUBLIC keeps USAGE, as in an empty database); under a
# schema's default privileges still rebuilt.
. "$(dirname "$0")/lib.sh"

cache_project
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"

new_roles t4661_r1
_hook() {
	drop_kept
	_drop_roles
}
_cleanup_hook=_hook

# owner OBJECT-SQL: the owner of an object in the model database
owner() {
	qdb "$(kept_db models)" "SELECT $1"
}
# out SED-SCRIPT FILE LABEL: the owner taken out, then diff
out() {
	sed -i "$1" "$2"
	run -v --url "$DBURL" diff
	mdb_incr "$3"
}

cat >schema/app.yaml <<'EOF2'
schema: app
owner: t4661_r1
enums:
  e: {values: [a, b], owner: t4661_r1}
sequences:
  s: {owner: t4661_r1}
tables:
  t:
    owner: t4661_r1
    columns:
      id: {type: bigint}
views:
  v: {query: SELECT id FROM app.t, owner: t4661_r1}
functions:
  f: {arguments: [x integer], returns: integer, language: sql, body: SELECT x, owner: t4661_r1}
EOF2
cat >schema/public.yaml <<'EOF2'
schema: public
owner: t4661_r1
grants: {t4661_r1: [usage]}
tables:
  p:
    columns:
      id: {type: integer}
EOF2
run -v --url "$DBURL" diff
is "$RC" 0 "with owners: diff"
is "$(owner "pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'app.t'::regclass")" t4661_r1 \
	"with owners: the table's"
me=$(owner current_user)
public0=$(qdb postgres "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")

out 's/^    owner: t4661_r1$//' schema/app.yaml "a table's owner taken out"
is "$(owner "pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'app.t'::regclass")" "$me" \
	"a table's owner taken out: the materialising role's"
out 's/^  v: {query: SELECT id FROM app.t, owner: t4661_r1}$/  v: {query: SELECT id FROM app.t}/' \
	schema/app.yaml "a view's owner taken out"
out 's/^  s: {owner: t4661_r1}$/  s: {}/' schema/app.yaml "a sequence's owner taken out"
out 's/body: SELECT x, owner: t4661_r1}$/body: SELECT x}/' schema/app.yaml "a function's owner taken out"
out 's/^  e: {values: \[a, b\], owner: t4661_r1}$/  e: {values: [a, b]}/' schema/app.yaml \
	"an enum's owner taken out"
out '/^owner: t4661_r1$/d' schema/app.yaml "a schema's owner taken out"
is "$(owner "pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'app'")" "$me" \
	"a schema's owner taken out: the materialising role's"
out '/^owner: t4661_r1$/d' schema/public.yaml "the public schema's owner taken out"
is "$(owner "pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")" "$public0" \
	"the public schema's owner taken out: an empty database's"
out '/^grants: {t4661_r1: \[usage\]}$/d' schema/public.yaml "the public schema's grants taken out"
is "$(owner "has_schema_privilege('public', 'public', 'USAGE')")" t \
	"the public schema's grants taken out: PUBLIC's USAGE kept"

# under a schema's default privileges: still a new database
sed -i 's/^schema: app$/schema: app\ndefault_privileges:\n  - tables: {t4661_r1: [select]}/' schema/app.yaml
sed -i 's/^      id: {type: bigint}$/&\n    owner: t4661_r1/' schema/app.yaml
run -v --url "$DBURL" diff
is "$RC" 0 "default privileges: diff"
sed -i '/^    owner: t4661_r1$/d' schema/app.yaml
run -v --url "$DBURL" diff
like "$ERR" "model database sg_models_[a-z0-9_]*: grants or an owner changed under default privileges; materialising every model" \
	"an owner taken out under default privileges: rebuilt"
mdb_same "an owner taken out under default privileges"

done_testing
