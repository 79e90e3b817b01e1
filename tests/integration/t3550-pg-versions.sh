#!/bin/sh
# SPDX-License-Identifier: MIT
# t3550-pg-versions.sh - issue 11: what depends on the server's version,
# checked on whichever server the suite runs (the CI matrix runs it on
# each).  Features a server lacks are refused before anything is
# materialised, at their YAML location ("needs PostgreSQL N"), nothing
# touched; on servers that have them they go through the loop.  Names that
# are keywords of the newest PostgreSQL (system_user, 16; json_table, 17)
# are quoted, so they work on every version.  A changed generation
# expression is written so that the migration parses back (drop and add
# while the parser's grammar has no SET EXPRESSION).  On 18, a VIRTUAL
# generated column differs from the (stored) column of its model.
. "$(dirname "$0")/lib.sh"

V=$(server_version_num)
diag "server_version_num $V"
new_kind_project

# ---- version-gated features ----

cat >schema/model.yaml <<'EOF'
schema: public

tables:
  items:
    columns:
      id: integer
      code: text
    unique:
      - name: items_code_key
        columns: [code]
        nulls_distinct: false
    indexes:
      - {name: items_code_nnd, columns: [code, id], unique: true, nulls_distinct: false}

views:
  safe:
    query: SELECT id FROM items
    security_invoker: true
EOF
run revision --autogenerate -m gated
if [ "$V" -lt 150000 ]; then
	is_rc 2 "before 15: NULLS NOT DISTINCT and security_invoker refused"
	major=$((V / 10000))
	is "$ERR" "schema/model.yaml:9:15: error: NULLS NOT DISTINCT (nulls_distinct: false) needs PostgreSQL 15 (the server is $major)
schema/model.yaml:13:16: error: NULLS NOT DISTINCT (nulls_distinct: false) needs PostgreSQL 15 (the server is $major)
schema/model.yaml:16:3: error: security_invoker needs PostgreSQL 15 (the server is $major)" \
		"before 15: each at its YAML location"
	is "$(ls migrations)" "" "before 15: no revision written"
	is "$(user_objects)" "" "before 15: nothing in the database"
else
	is_rc 0 "15+: NULLS NOT DISTINCT and security_invoker: autogenerate"
	run upgrade head
	is_rc 0 "15+: upgrade"
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"15+: check is clean"
	is "$(q "SELECT string_agg(c.relname || ':' || i.indnullsnotdistinct, ',' ORDER BY c.relname)
	           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	          WHERE i.indrelid = 'items'::regclass") $(q "SELECT reloptions::text FROM pg_class WHERE oid = 'safe'::regclass")" \
		"items_code_key:true,items_code_nnd:true {security_invoker=true}" "15+: in the database"
fi

# ---- keywords of the newest version as names ----

DB=$(new_db keywords)
export DATABASE_URL="$(conninfo "$DB")"
rm -f migrations/*.sql
cat >schema/model.yaml <<'EOF'
schema: public

tables:
  k:
    columns:
      system_user: integer
      json_table: text
      merge_action: text
EOF
run revision --autogenerate -m keywords
is_rc 0 "keywords as column names: autogenerate"
is "$(grep -A4 '^CREATE TABLE' migrations/*.sql)" 'CREATE TABLE public.k (
    "system_user" integer,
    "json_table" text,
    "merge_action" text
);' "system_user (reserved in 16), json_table, merge_action (column-name keywords in 17) quoted"
run upgrade head
is_rc 0 "keywords as column names: upgrade"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"keywords as column names: check is clean"

# ---- 18: a VIRTUAL generated column is not taken for a stored one ----

if [ "$V" -ge 180000 ]; then
	DB=$(new_db virtual)
	export DATABASE_URL="$(conninfo "$DB")"
	rm -f migrations/*.sql
	q "CREATE TABLE public.g (n integer, v integer GENERATED ALWAYS AS (n * 2) VIRTUAL)"
	cat >schema/model.yaml <<'EOF'
schema: public

tables:
  g:
    columns:
      'n': integer
      v: {type: integer, generated: (n * 2)}
EOF
	run check
	is "$RC:$OUT" "1:database and models differ (2 changes for \`schemagen revision --autogenerate\`):
  - column public.g.v
  + column public.g.v" "18: a virtual column differs from its stored model (dropped, added)"
	run revision --autogenerate -m stored
	is_rc 0 "18: virtual to stored: autogenerate"
	is "$(sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' migrations/*.sql | grep -v '^-- hazard: ')" "-- +upgrade
-- column public.g.v is generated: its values are computed, no data is lost
ALTER TABLE public.g DROP COLUMN v;
ALTER TABLE public.g ADD COLUMN v integer GENERATED ALWAYS AS ((n * 2)) STORED;

-- +downgrade" "18: dropped and added as stored"
	run upgrade head
	is_rc 0 "18: virtual to stored: upgrade"
	is "$(q "SELECT attgenerated FROM pg_attribute WHERE attrelid = 'g'::regclass AND attname = 'v'")" "s" \
		"18: the column is stored"
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"18: check is clean"
else
	skip 6 "VIRTUAL generated columns are PostgreSQL 18's"
fi

done_testing
