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

# the state: one line per foreign table and per column (the same on every
# version: 17's MAINTAIN privilege and 18's NOT NULL constraints left out)
OPTS="(SELECT coalesce(string_agg(o, ',' ORDER BY o), '') FROM unnest(%s) o)"
FT="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'ft ' || c.oid::regclass || ' server=' || s.srvname
    || ' options=' || $(printf "$OPTS" ft.ftoptions) || ' owner=' || c.relowner::regrole
    || ' acl=' || replace(coalesce(array_to_string(c.relacl, ','), ''), 'arwdDxtm', 'arwdDxt')
    || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '')
    || ' checks=' || coalesce((SELECT string_agg(conname || ':' || pg_get_constraintdef(k.oid), ',' ORDER BY conname)
         FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype <> 'n'), '') AS x
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

# owners are managed (s1 names one): the downgrade of a drop restores them
ME_ROLE=$(q "SELECT current_user")
me() { sed "s/\b$ME_ROLE\b/ME/g"; }
STEP_FILTER=me
cat >schema/database.yaml <<EOF
foreign_data_wrappers:
  w: {}
servers:
  s1: {wrapper: w, owner: $ME_ROLE}
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
migrate_step "created" "$FT" \
"  remote_orders.id bigint not null options=column_name=order_id
  remote_orders.note character varying(20) options=
  remote_orders.qty integer options=
  remote_orders.status text default 'new'::text options=
ft remote_orders server=s1 options=schema_name=public,table_name=orders owner=ME acl=ME=arwdDxt/ME,sg_ft_a=r/ME comment=orders of the billing database checks=status_ok:CHECK ((status = ANY (ARRAY['new'::text, 'done'::text])))
view open_orders"
is "$(sed -n '/^CREATE FOREIGN TABLE/,/^GRANT/p' "$T/step1.sql")" \
"CREATE FOREIGN TABLE public.remote_orders (
    id bigint OPTIONS (column_name 'order_id') NOT NULL,
    status text DEFAULT 'new'::text,
    note character varying(20),
    qty integer,
    CONSTRAINT status_ok CHECK ((status = ANY (ARRAY['new'::text, 'done'::text])))
) SERVER s1 OPTIONS (schema_name 'public', table_name 'orders');
COMMENT ON FOREIGN TABLE public.remote_orders IS 'orders of the billing database';
GRANT SELECT ON TABLE public.remote_orders TO sg_ft_a;" "created after its server: columns with their options, the check inline"
like "$(cat "$T/step1.sql")" "CREATE SERVER s2 FOREIGN DATA WRAPPER w;
CREATE FOREIGN TABLE.*CREATE VIEW public.open_orders" "... and before the view on it"
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
migrate_step "altered" "$FT" \
"  remote_orders.id bigint not null options=column_name=oid
  remote_orders.note text collate \"C\" options= comment=free text
  remote_orders.status text not null default 'open'::text options=column_name=st
  remote_orders.total numeric(10,2) not null default 0 options=
ft remote_orders server=s1 options=table_name=orders2,updatable=false owner=sg_ft_b acl=sg_ft_b=arwdDxt/sg_ft_b,sg_ft_a=ar/sg_ft_b comment=orders, changed checks=status_ok:CHECK ((status = ANY (ARRAY['new'::text, 'done'::text]))),total_ok:CHECK ((total >= (0)::numeric)) NOT VALID
view open_orders"
is "$(sed -n '/^-- +upgrade/,$p' "$T/step2.sql" | grep -v '^-- hazard: lock-access-exclusive')" \
"-- +upgrade
ALTER FOREIGN TABLE public.remote_orders DROP COLUMN qty;
ALTER FOREIGN TABLE public.remote_orders OPTIONS (DROP schema_name, SET table_name 'orders2', ADD updatable 'false');
ALTER FOREIGN TABLE public.remote_orders OWNER TO sg_ft_b;
COMMENT ON FOREIGN TABLE public.remote_orders IS 'orders, changed';
GRANT INSERT ON TABLE public.remote_orders TO sg_ft_a;
ALTER FOREIGN TABLE public.remote_orders
    ALTER COLUMN id OPTIONS (SET column_name 'oid');
ALTER FOREIGN TABLE public.remote_orders
    ALTER COLUMN note TYPE text COLLATE \"C\";
COMMENT ON COLUMN public.remote_orders.note IS 'free text';
ALTER FOREIGN TABLE public.remote_orders
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status SET NOT NULL,
    ALTER COLUMN status SET DEFAULT 'open'::text,
    ALTER COLUMN status OPTIONS (ADD column_name 'st');
ALTER FOREIGN TABLE public.remote_orders ADD COLUMN total numeric(10,2) DEFAULT 0 NOT NULL;
ALTER FOREIGN TABLE public.remote_orders ADD CONSTRAINT total_ok CHECK ((total >= (0)::numeric)) NOT VALID;

-- +downgrade
ALTER FOREIGN TABLE public.remote_orders DROP CONSTRAINT total_ok;
ALTER FOREIGN TABLE public.remote_orders DROP COLUMN total;
ALTER FOREIGN TABLE public.remote_orders OPTIONS (DROP updatable, ADD schema_name 'public', SET table_name 'orders');
ALTER FOREIGN TABLE public.remote_orders OWNER TO $ME_ROLE;
COMMENT ON FOREIGN TABLE public.remote_orders IS 'orders of the billing database';
REVOKE INSERT ON TABLE public.remote_orders FROM sg_ft_a;
ALTER FOREIGN TABLE public.remote_orders
    ALTER COLUMN id OPTIONS (SET column_name 'order_id');
ALTER FOREIGN TABLE public.remote_orders
    ALTER COLUMN note TYPE character varying(20) COLLATE pg_catalog.\"default\";
COMMENT ON COLUMN public.remote_orders.note IS NULL;
ALTER FOREIGN TABLE public.remote_orders
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status DROP NOT NULL,
    ALTER COLUMN status SET DEFAULT 'new'::text,
    ALTER COLUMN status OPTIONS (DROP column_name);
ALTER FOREIGN TABLE public.remote_orders ADD COLUMN qty integer;" \
	"options ADD/SET/DROP, column options, type, collation, default, NOT NULL, columns added and dropped, checks, comments, grants, owner: both ways, no USING, no irreversible narrowing"
S2=$(q "$FT")

# ---- renamed: the table and a column ----
sed -i 's/^  remote_orders:/  orders_remote:\n    renamed_from: remote_orders/; s/^      status: {/      state: {renamed_from: status, /; s/status IN/state IN/;
  s/SELECT id, status FROM remote_orders WHERE status/SELECT id, state FROM orders_remote WHERE state/' schema/public.yaml
nsteps=3
migrate_step "renamed" "$FT" \
"  orders_remote.id bigint not null options=column_name=oid
  orders_remote.note text collate \"C\" options= comment=free text
  orders_remote.state text not null default 'open'::text options=column_name=st
  orders_remote.total numeric(10,2) not null default 0 options=
ft orders_remote server=s1 options=table_name=orders2,updatable=false owner=sg_ft_b acl=sg_ft_b=arwdDxt/sg_ft_b,sg_ft_a=ar/sg_ft_b comment=orders, changed checks=status_ok:CHECK ((state = ANY (ARRAY['new'::text, 'done'::text]))),total_ok:CHECK ((total >= (0)::numeric)) NOT VALID
view open_orders"
is "$(grep RENAME "$T/step3.sql")" \
"ALTER FOREIGN TABLE public.remote_orders RENAME TO orders_remote;
ALTER FOREIGN TABLE public.orders_remote RENAME COLUMN status TO state;
ALTER FOREIGN TABLE public.orders_remote RENAME TO remote_orders;
ALTER FOREIGN TABLE public.remote_orders RENAME COLUMN state TO status;" "renamed_from: the table and a column renamed, both ways"
S3=$(q "$FT")

# ---- another server: dropped and created, the view rebuilt ----
sed -i '/^    renamed_from: remote_orders/d; s/renamed_from: status, //; s/server: s1/server: s2/' schema/public.yaml
nsteps=4
migrate_step "moved to s2" "$FT" \
"  orders_remote.id bigint not null options=column_name=oid
  orders_remote.note text collate \"C\" options= comment=free text
  orders_remote.state text not null default 'open'::text options=column_name=st
  orders_remote.total numeric(10,2) not null default 0 options=
ft orders_remote server=s2 options=table_name=orders2,updatable=false owner=sg_ft_b acl=sg_ft_b=arwdDxt/sg_ft_b,sg_ft_a=ar/sg_ft_b comment=orders, changed checks=status_ok:CHECK ((state = ANY (ARRAY['new'::text, 'done'::text]))),total_ok:CHECK ((total >= (0)::numeric)) NOT VALID
view open_orders"
is "$(sed -n '/^-- +upgrade/,/^CREATE VIEW/p' "$T/step4.sql" | grep -v '^-- hazard: lock-access-exclusive' | grep -v '^    [a-zC]' | head -5)" \
"-- +upgrade
DROP VIEW public.open_orders;
DROP FOREIGN TABLE public.orders_remote;
CREATE FOREIGN TABLE public.orders_remote (
) SERVER s2 OPTIONS (table_name 'orders2', updatable 'false');" "another server: dropped and created (ALTER FOREIGN TABLE cannot), the view around it"
S4=$(q "$FT")

# ---- dump: the models of the database ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
is "$(sed -n '/^foreign_tables:/,/^views:/p' "$T/dump/public.yaml")" \
"foreign_tables:
  orders_remote:
    comment: orders, changed
    server: s2
    options: {table_name: orders2, updatable: 'false'}
    columns:
      id: {type: bigint, nullable: false, options: {column_name: oid}}
      state: {type: text, nullable: false, default: \"'open'::text\", options: {column_name: st}}
      note: {type: text, collation: C, comment: free text}
      total: {type: 'numeric(10,2)', nullable: false, default: '0'}
    checks:
      - {name: status_ok, expression: \"(state = ANY (ARRAY['new'::text, 'done'::text]))\"}
      - {name: total_ok, expression: '(total >= (0)::numeric)', not_valid: true}
    grants: {sg_ft_a: [insert, select]}

views:" "dump: the foreign table's section"
cp schema/public.yaml "$T/models.yaml"
cp "$T/dump/public.yaml" schema/public.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dump's models match the database"
cp "$T/models.yaml" schema/public.yaml

# ---- drift: check names what changed, never a value ----
q "ALTER FOREIGN TABLE orders_remote OPTIONS (SET table_name 'elsewhere');
   ALTER FOREIGN TABLE orders_remote ALTER COLUMN id OPTIONS (DROP column_name)"
run check
is "$RC" 1 "check: options changed by hand"
like "$OUT" "~ foreign table public.orders_remote: options" "... the table's"
like "$OUT" "~ column public.orders_remote.id: options" "... and the column's"
q "ALTER FOREIGN TABLE orders_remote OPTIONS (SET table_name 'orders2');
   ALTER FOREIGN TABLE orders_remote ALTER COLUMN id OPTIONS (ADD column_name 'oid')"

# ---- dropped ----
printf 'schema: public\n' >schema/public.yaml
nsteps=5
migrate_step "dropped" "$FT" ""
is "$(grep -c 'data-loss' "$T"/step*.sql | grep -v ':0$')" "" \
	"no data-loss hazard: a foreign table's rows are the server's"

# ---- downgraded step by step ----
for s in 4 3 2 1 0; do
	run downgrade -1
	is_rc 0 "downgrade to step $s" || diag "$ERR"
	eval "want=\$S$s"
	is "$(q "$FT")" "$want" "downgrade to step $s restores everything"
done
run upgrade head
is_rc 0 "upgrade head again" || diag "$ERR"

# ---- load errors, at their line and column ----
load_error() {
	printf 'schema: public\n%s\n' "$2" >schema/bad.yaml
	run diff
	is "$RC:$(printf '%s\n' "$ERR" | grep -v '^schema/bad.yaml:.*: error: .*materialis' | head -2)" "2:$3" "$1"
	rm schema/bad.yaml
}
load_error "an unknown server: PostgreSQL's error, at the foreign table" "foreign_tables:
  ft9:
    server: nosuch
    columns: {a: int}" \
'schema/bad.yaml:3:3: error: server "nosuch" does not exist'
load_error "no server" "foreign_tables:
  ft9:
    columns: {a: int}" \
'schema/bad.yaml:3:3: error: foreign table "ft9" needs "server"
  hint: the foreign server it reads from: server: billing'
load_error "an unknown key" "foreign_tables:
  ft9:
    server: s1
    columns: {a: int}
    indexes: []" \
'schema/bad.yaml:6:5: error: unknown key "indexes" in foreign table "ft9"
  hint: valid keys are: server, options, columns, checks, comment, owner, grants, renamed_from, partition_of, bounds, inherits, triggers, statistics'
load_error "an identity column" "foreign_tables:
  ft9:
    server: s1
    columns: {a: {type: int, identity: always}}" \
'schema/bad.yaml:5:30: error: unknown key "identity" in column "a"
  hint: valid keys are: type, nullable, default, collation, comment, renamed_from, grants, options'
load_error "a password in clear" "foreign_tables:
  ft9:
    server: s1
    options: {password: t4300-in-clear}
    columns: {a: int}" \
'schema/bad.yaml:5:25: error: option "password" of foreign table "ft9" is a secret: it cannot be written in a model
  hint: write {env: NAME}: the runner reads it from the environment variable NAME when it applies the migration, and it is never written to a file'
load_error "an option name too long" "foreign_tables:
  ft9:
    server: s1
    columns: {a: {type: int, options: {$(printf 'o%.0s' $(seq 64)): x}}}" \
'schema/bad.yaml:5:40: error: option name "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo..." is longer than 63 bytes (64)
  hint: PostgreSQL would truncate it to "ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"'
load_error "no columns" "foreign_tables:
  ft9:
    server: s1" \
'schema/bad.yaml:3:3: error: missing key "columns" in foreign table "ft9"
  hint: a foreign table without columns says "columns: {}"'
load_error "a foreign table named like a table" "foreign_tables:
  t9:
    server: s1
    columns: {a: int}
tables:
  t9:
    columns: {a: int}" \
'schema/bad.yaml:7:3: error: table public.t9 has the same name as foreign table public.t9
  hint: tables, views, sequences, indexes, primary keys and unique constraints share one namespace per schema'

done_testing
