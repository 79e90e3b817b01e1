#!/bin/sh
# SPDX-License-Identifier: MIT
# t4520-model-db-grants-out.sh - issue 12: `grants:` taken out of a model
# brings the model database to PostgreSQL's defaults incrementally (REVOKE
# what was granted; a function's EXECUTE and a type's USAGE to PUBLIC
# given back), no rebuild: a table's, a column's, a function's, an enum's
# and a schema's grants taken out one at a time, each catalog that of a
# full materialisation (--no-cache); `grants: {}` (no grants at all) and
# back to no key; under a schema's default privileges still rebuilt.
. "$(dirname "$0")/lib.sh"

cache_project
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"

new_roles t4520_r1
_hook() {
	drop_kept
	_drop_roles
}
_cleanup_hook=_hook

# priv SQL: a privilege check in the model database
priv() {
	qdb "$(kept_db models)" "SELECT $1"
}

cat >schema/app.yaml <<'EOF2'
schema: app
grants: {t4520_r1: [usage]}
enums:
  e: {values: [a, b], grants: {t4520_r1: [usage]}}
tables:
  t:
    columns:
      id: {type: bigint}
      note: {type: text, grants: {t4520_r1: [update]}}
    grants: {t4520_r1: [select, insert], public: [select]}
functions:
  f: {arguments: [x integer], returns: integer, language: sql, body: SELECT x, grants: {t4520_r1: [execute]}}
EOF2
run -v --url "$DBURL" diff
is "$RC" 0 "with grants: diff"
is "$(priv "has_function_privilege('public', 'app.f(integer)', 'EXECUTE')")" f \
	"the function's grants: no EXECUTE for PUBLIC"

sed -i 's/^    grants: {t4520_r1: \[select, insert\], public: \[select\]}$//' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "a table's grants taken out"
is "$(priv "has_table_privilege('t4520_r1', 'app.t', 'SELECT')")" f "a table's grants taken out: revoked"

sed -i 's/      note: {type: text, grants: {t4520_r1: \[update\]}}/      note: {type: text}/' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "a column's grants taken out"
is "$(priv "has_column_privilege('t4520_r1', 'app.t', 'note', 'UPDATE')")" f \
	"a column's grants taken out: revoked"

sed -i 's/body: SELECT x, grants: {t4520_r1: \[execute\]}}/body: SELECT x}/' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "a function's grants taken out"
is "$(priv "has_function_privilege('public', 'app.f(integer)', 'EXECUTE')")" t \
	"a function's grants taken out: PUBLIC's EXECUTE back"

sed -i 's/  e: {values: \[a, b\], grants: {t4520_r1: \[usage\]}}/  e: {values: [a, b]}/' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "an enum's grants taken out"

sed -i 's/^grants: {t4520_r1: \[usage\]}$//' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "a schema's grants taken out"
is "$(priv "has_schema_privilege('t4520_r1', 'app', 'USAGE')")" f "a schema's grants taken out: revoked"

# no grants at all (PUBLIC's EXECUTE revoked), then the key taken out
sed -i 's/body: SELECT x}/body: SELECT x, grants: {}}/' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "a function's grants emptied"
is "$(priv "has_function_privilege('public', 'app.f(integer)', 'EXECUTE')")" f \
	"a function's grants emptied: PUBLIC's EXECUTE revoked"
sed -i 's/body: SELECT x, grants: {}}/body: SELECT x}/' schema/app.yaml
run -v --url "$DBURL" diff
mdb_incr "an empty grants taken out"
is "$(priv "has_function_privilege('public', 'app.f(integer)', 'EXECUTE')")" t \
	"an empty grants taken out: PUBLIC's EXECUTE back"

# under a schema's default privileges: still a new database
sed -i 's/^schema: app$/schema: app\ndefault_privileges:\n  - tables: {t4520_r1: [select]}/' schema/app.yaml
sed -i 's/^      note: {type: text}$/      note: {type: text}\n    grants: {t4520_r1: [delete]}/' schema/app.yaml
run -v --url "$DBURL" diff
is "$RC" 0 "default privileges: diff"
sed -i 's/^    grants: {t4520_r1: \[delete\]}$//' schema/app.yaml
run -v --url "$DBURL" diff
like "$ERR" "model database sg_models_[a-z0-9_]*: grants or an owner changed under default privileges; materialising every model" \
	"grants taken out under default privileges: rebuilt"
mdb_same "grants taken out under default privileges"

done_testing
