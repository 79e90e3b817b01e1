#!/bin/sh
# SPDX-License-Identifier: MIT
# t2100-views.sh - views and materialized views through the whole loop:
# created, replaced in place, dropped and re-created when PostgreSQL cannot
# replace them, options, comments, the indexes of materialized views, and
# the rebuilds that dependencies force (a column's type changing under a
# view and a view of a view, a table replaced by a view and back), views
# across schemas and names that need quoting.  Each step: the models
# change, `revision --autogenerate` writes a revision whose SQL is pinned,
# upgrade applies it, check is clean and the database holds what the step
# says.  Then a dump of the result loads back as models that match, and
# every step is undone with `downgrade -1`, each time giving back, by
# pg_dump and by catalog, the database of the step before.  Last, errors in
# view models: at load time and from the scratch database, with locations.
. "$(dirname "$0")/lib.sh"

new_kind_project

# PostgreSQL 16 stopped qualifying the columns of a query's only table in
# view definitions: there, what is compared (pinned 15 text and what the
# server gave) goes through vdef, which drops every "name." qualifier.
vdef() {
	if [ "$(server_version_num)" -ge 160000 ]; then
		printf '%s\n' "$1" | sed -E 's/(^|[ (,])("[^"]+"|[a-z_][a-z_0-9]*)\.("[^"]+"|[a-z_][a-z_0-9]*)/\1\3/g'
	else
		printf '%s\n' "$1"
	fi
}

# step DESC SQL EXPECTED MIGRATION < MODEL: the models (standard input,
# schema/model.yaml; a line "--- FILE" starts another file) change; the
# revision's SQL from "-- +upgrade" on must be MIGRATION, and SQL's result
# EXPECTED after the upgrade.
step() {
	nsteps=$((nsteps + 1))
	rm -f schema/*.yaml
	awk -v dir=schema 'BEGIN { f = dir "/model.yaml" }
		/^--- / { f = dir "/" $2; next } { print > f }'
	run revision --autogenerate -m "step $nsteps"
	if ! is_rc 0 "$1: autogenerate"; then
		return
	fi
	_rev=$(ls -t migrations/*.sql | head -n 1)
	cp "$_rev" "$T/step$nsteps.sql"
	is "$(vdef "$(sed -n '/^-- +upgrade$/,$p' "$_rev")")" "$(vdef "$4")" "$1: the migration"
	run upgrade head
	is_rc 0 "$1: upgrade"
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"$1: check is clean"
	is "$(vdef "$(q "$2" 2>&1)")" "$(vdef "$3")" "$1: in the database"
	schema_dump "$DB" >"$T/snap$nsteps"
}

# ---- a view: created, replaced in place, options, re-created ----

step "a view with options and comments" \
	"SELECT reloptions::text || ' ' || obj_description('cheap'::regclass, 'pg_class') || ' ' || col_description('cheap'::regclass, 2) FROM pg_class WHERE oid = 'cheap'::regclass" \
	"{security_barrier=true,check_option=local} Cheap items The item's name" \
	"-- +upgrade
CREATE TABLE public.items (
    id bigint NOT NULL,
    name text NOT NULL,
    price numeric(10,2),
    CONSTRAINT items_pkey PRIMARY KEY (id)
);
CREATE VIEW public.cheap WITH (security_barrier = 'true') AS
 SELECT items.id,
    items.name
   FROM public.items
  WHERE (items.price < (10)::numeric)
  WITH LOCAL CHECK OPTION;
COMMENT ON VIEW public.cheap IS 'Cheap items';
COMMENT ON COLUMN public.cheap.name IS 'The item''s name';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
-- WARNING: drops table public.items and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.items: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.items and the data in it
DROP TABLE public.items;" <<'EOF'
tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: text, nullable: false}
      price: numeric(10,2)
    primary_key: [id]
views:
  cheap:
    query: SELECT id, name FROM items WHERE price < 10
    check_option: local
    security_barrier: true
    comment: Cheap items
    columns:
      name: {comment: "The item's name"}
EOF

step "a column appended, the condition and options changed: replaced in place" \
	"SELECT reloptions::text || ' ' || col_description('cheap'::regclass, 3) FROM pg_class WHERE oid = 'cheap'::regclass" \
	"{security_invoker=true,check_option=cascaded} What it costs" \
	"-- +upgrade
CREATE OR REPLACE VIEW public.cheap WITH (security_invoker = 'true') AS
 SELECT items.id,
    items.name,
    items.price
   FROM public.items
  WHERE (items.price < (20)::numeric)
  WITH CASCADED CHECK OPTION;
COMMENT ON COLUMN public.cheap.price IS 'What it costs';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
CREATE VIEW public.cheap WITH (security_barrier = 'true') AS
 SELECT items.id,
    items.name
   FROM public.items
  WHERE (items.price < (10)::numeric)
  WITH LOCAL CHECK OPTION;
COMMENT ON VIEW public.cheap IS 'Cheap items';
COMMENT ON COLUMN public.cheap.name IS 'The item''s name';" <<'EOF'
tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: text, nullable: false}
      price: numeric(10,2)
    primary_key: [id]
views:
  cheap:
    query: |
      SELECT id, name, price
      FROM items
      WHERE price < 20
    check_option: cascaded
    security_invoker: true
    comment: Cheap items
    columns:
      name: {comment: "The item's name"}
      price: {comment: What it costs}
EOF

step "options and comments only: ALTER VIEW" \
	"SELECT coalesce(reloptions::text, '-') || ' ' || obj_description('cheap'::regclass, 'pg_class') || ' ' || coalesce(col_description('cheap'::regclass, 2), '-') FROM pg_class WHERE oid = 'cheap'::regclass" \
	"{security_barrier=true} Items under 20 -" \
	"-- +upgrade
COMMENT ON COLUMN public.cheap.name IS NULL;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
ALTER VIEW public.cheap SET (security_barrier = 'true');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
ALTER VIEW public.cheap RESET (check_option, security_invoker);
COMMENT ON VIEW public.cheap IS 'Items under 20';

-- +downgrade
COMMENT ON COLUMN public.cheap.name IS 'The item''s name';
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
ALTER VIEW public.cheap SET (check_option = 'cascaded', security_invoker = 'true');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
ALTER VIEW public.cheap RESET (security_barrier);
COMMENT ON VIEW public.cheap IS 'Cheap items';" <<'EOF'
tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: text, nullable: false}
      price: numeric(10,2)
    primary_key: [id]
views:
  cheap:
    query: |
      SELECT id, name, price
      FROM items
      WHERE price < 20
    security_barrier: true
    comment: Items under 20
    columns:
      price: {comment: What it costs}
EOF

step "a view of a view" \
	"SELECT pg_get_viewdef('cheap_names'::regclass)" \
	" SELECT cheap.name
   FROM cheap;" \
	"-- +upgrade
CREATE VIEW public.cheap_names AS
 SELECT cheap.name
   FROM public.cheap;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap_names: its reads and writes wait until the transaction ends
DROP VIEW public.cheap_names;" <<'EOF'
tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: text, nullable: false}
      price: numeric(10,2)
    primary_key: [id]
views:
  cheap_names: SELECT name FROM cheap
  cheap:
    query: |
      SELECT id, name, price
      FROM items
      WHERE price < 20
    security_barrier: true
    comment: Items under 20
    columns:
      price: {comment: What it costs}
EOF

step "columns reordered: dropped and re-created, with the view on it" \
	"SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'cheap'::regclass" \
	"name,id,price" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap_names: its reads and writes wait until the transaction ends
DROP VIEW public.cheap_names;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
CREATE VIEW public.cheap WITH (security_barrier = 'true') AS
 SELECT items.name,
    items.id,
    items.price
   FROM public.items
  WHERE (items.price < (20)::numeric);
COMMENT ON VIEW public.cheap IS 'Items under 20';
COMMENT ON COLUMN public.cheap.price IS 'What it costs';
CREATE VIEW public.cheap_names AS
 SELECT cheap.name
   FROM public.cheap;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap_names: its reads and writes wait until the transaction ends
DROP VIEW public.cheap_names;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
CREATE VIEW public.cheap WITH (security_barrier = 'true') AS
 SELECT items.id,
    items.name,
    items.price
   FROM public.items
  WHERE (items.price < (20)::numeric);
COMMENT ON VIEW public.cheap IS 'Items under 20';
COMMENT ON COLUMN public.cheap.price IS 'What it costs';
CREATE VIEW public.cheap_names AS
 SELECT cheap.name
   FROM public.cheap;" <<'EOF'
tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: text, nullable: false}
      price: numeric(10,2)
    primary_key: [id]
views:
  cheap_names: SELECT name FROM cheap
  cheap:
    query: |
      SELECT name, id, price
      FROM items
      WHERE price < 20
    security_barrier: true
    comment: Items under 20
    columns:
      price: {comment: What it costs}
EOF

# ---- materialized views ----

MODEL_TABLES='tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: text, nullable: false}
      price: numeric(10,2)
    primary_key: [id]'
MODEL_VIEWS='views:
  cheap_names: SELECT name FROM cheap
  cheap:
    query: |
      SELECT name, id, price
      FROM items
      WHERE price < 20
    security_barrier: true
    comment: Items under 20
    columns:
      price: {comment: What it costs}'

step "a materialized view with options, indexes and comments" \
	"SELECT reloptions::text || ' ' || relispopulated || ' ' || obj_description(oid, 'pg_class') || ' ' || (SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text COLLATE \"C\") FROM pg_index WHERE indrelid = c.oid) || ' ' || obj_description('totals_name_idx'::regclass, 'pg_class') FROM pg_class c WHERE oid = 'totals'::regclass" \
	"{autovacuum_enabled=false,fillfactor=70} false Totals by name totals_name_idx,totals_total_idx By name" \
	"-- +upgrade
CREATE MATERIALIZED VIEW public.totals WITH (autovacuum_enabled = 'false', fillfactor = '70') AS
 SELECT items.name,
    sum(items.price) AS total
   FROM public.items
  GROUP BY items.name
  WITH NO DATA;
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals by name';
COMMENT ON COLUMN public.totals.total IS 'Sum of prices';
CREATE UNIQUE INDEX totals_name_idx ON public.totals USING btree (name);
COMMENT ON INDEX public.totals_name_idx IS 'By name';
CREATE INDEX totals_total_idx ON public.totals USING btree (total DESC);

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW public.totals;" <<EOF
$MODEL_TABLES
$MODEL_VIEWS
materialized_views:
  totals:
    query: |
      SELECT name, sum(price) AS total
      FROM items
      GROUP BY name
    with_data: false
    options: {fillfactor: 70, autovacuum_enabled: false}
    comment: Totals by name
    columns:
      total: {comment: Sum of prices}
    indexes:
      - {name: totals_name_idx, unique: true, columns: [name], comment: By name}
      - columns: [{column: total, order: desc}]
EOF

step "the materialized view's query, an index and an option changed" \
	"SELECT reloptions::text || ' ' || relispopulated || ' ' || (SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text COLLATE \"C\") FROM pg_index WHERE indrelid = c.oid) FROM pg_class c WHERE oid = 'totals'::regclass" \
	"{fillfactor=80} true totals_n_idx,totals_name_idx" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW public.totals;
CREATE MATERIALIZED VIEW public.totals WITH (fillfactor = '80') AS
 SELECT items.name,
    sum(items.price) AS total,
    count(*) AS n
   FROM public.items
  GROUP BY items.name;
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals by name';
COMMENT ON COLUMN public.totals.total IS 'Sum of prices';
CREATE INDEX totals_n_idx ON public.totals USING btree (n);
CREATE UNIQUE INDEX totals_name_idx ON public.totals USING btree (name);
COMMENT ON INDEX public.totals_name_idx IS 'By name';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW public.totals;
CREATE MATERIALIZED VIEW public.totals WITH (autovacuum_enabled = 'false', fillfactor = '70') AS
 SELECT items.name,
    sum(items.price) AS total
   FROM public.items
  GROUP BY items.name
  WITH NO DATA;
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals by name';
COMMENT ON COLUMN public.totals.total IS 'Sum of prices';
CREATE UNIQUE INDEX totals_name_idx ON public.totals USING btree (name);
COMMENT ON INDEX public.totals_name_idx IS 'By name';
CREATE INDEX totals_total_idx ON public.totals USING btree (total DESC);" <<EOF
$MODEL_TABLES
$MODEL_VIEWS
materialized_views:
  totals:
    query: |
      SELECT name, sum(price) AS total, count(*) AS n
      FROM items
      GROUP BY name
    options: {fillfactor: 80}
    comment: Totals by name
    columns:
      total: {comment: Sum of prices}
    indexes:
      - {name: totals_name_idx, unique: true, columns: [name], comment: By name}
      - columns: [n]
EOF

MODEL_MV='materialized_views:
  totals:
    query: |
      SELECT name, sum(price) AS total, count(*) AS n
      FROM items
      GROUP BY name
    options: {fillfactor: 80}
    comment: Totals by name
    columns:
      total: {comment: Sum of prices}
    indexes:
      - {name: totals_name_idx, unique: true, columns: [name], comment: By name}
      - columns: [n]'

step "an index of the materialized view dropped, its options and comment changed in place" \
	"SELECT coalesce(reloptions::text, '-') || ' ' || obj_description(oid, 'pg_class') || ' ' || (SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text COLLATE \"C\") FROM pg_index WHERE indrelid = c.oid) FROM pg_class c WHERE oid = 'totals'::regclass" \
	"- Totals totals_name_idx" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index public.totals_n_idx: its reads and writes wait until the transaction ends
DROP INDEX public.totals_n_idx;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
ALTER MATERIALIZED VIEW public.totals RESET (fillfactor);
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
ALTER MATERIALIZED VIEW public.totals SET (fillfactor = '80');
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals by name';
-- hazard: lock-share: takes a SHARE lock on public.totals: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on public.totals while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX totals_n_idx ON public.totals USING btree (n);" <<EOF
$MODEL_TABLES
$MODEL_VIEWS
materialized_views:
  totals:
    query: |
      SELECT name, sum(price) AS total, count(*) AS n
      FROM items
      GROUP BY name
    comment: Totals
    columns:
      total: {comment: Sum of prices}
    indexes:
      - {name: totals_name_idx, unique: true, columns: [name], comment: By name}
EOF

MODEL_MV='materialized_views:
  totals:
    query: |
      SELECT name, sum(price) AS total, count(*) AS n
      FROM items
      GROUP BY name
    comment: Totals
    columns:
      total: {comment: Sum of prices}
    indexes:
      - {name: totals_name_idx, unique: true, columns: [name], comment: By name}'

# ---- rebuilds forced by dependencies ----

step "a column's type changes under a view, a view of a view and a materialized view" \
	"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'cheap_names'::regclass AND attname = 'name'" \
	"character varying(100)" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap_names: its reads and writes wait until the transaction ends
DROP VIEW public.cheap_names;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW public.totals;
-- WARNING: changes the type of column public.items.name from text to character varying(100): values may be rounded or truncated, or fail to convert
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.items: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.items and its indexes to change the type of name (unless the old type converts without change)
-- hazard: may-fail: fails if a value of name does not convert to the new type
-- hazard: data-loss: changes the type of column public.items.name from text to character varying(100): values may be rounded or truncated, or fail to convert
ALTER TABLE public.items
    ALTER COLUMN name TYPE character varying(100);
CREATE VIEW public.cheap WITH (security_barrier = 'true') AS
 SELECT items.name,
    items.id,
    items.price
   FROM public.items
  WHERE (items.price < (20)::numeric);
COMMENT ON VIEW public.cheap IS 'Items under 20';
COMMENT ON COLUMN public.cheap.price IS 'What it costs';
CREATE VIEW public.cheap_names AS
 SELECT cheap.name
   FROM public.cheap;
CREATE MATERIALIZED VIEW public.totals AS
 SELECT items.name,
    sum(items.price) AS total,
    count(*) AS n
   FROM public.items
  GROUP BY items.name;
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals';
COMMENT ON COLUMN public.totals.total IS 'Sum of prices';
CREATE UNIQUE INDEX totals_name_idx ON public.totals USING btree (name);
COMMENT ON INDEX public.totals_name_idx IS 'By name';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap_names: its reads and writes wait until the transaction ends
DROP VIEW public.cheap_names;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW public.totals;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.items: its reads and writes wait until the transaction ends
ALTER TABLE public.items
    ALTER COLUMN name TYPE text;
CREATE VIEW public.cheap WITH (security_barrier = 'true') AS
 SELECT items.name,
    items.id,
    items.price
   FROM public.items
  WHERE (items.price < (20)::numeric);
COMMENT ON VIEW public.cheap IS 'Items under 20';
COMMENT ON COLUMN public.cheap.price IS 'What it costs';
CREATE VIEW public.cheap_names AS
 SELECT cheap.name
   FROM public.cheap;
CREATE MATERIALIZED VIEW public.totals AS
 SELECT items.name,
    sum(items.price) AS total,
    count(*) AS n
   FROM public.items
  GROUP BY items.name;
COMMENT ON MATERIALIZED VIEW public.totals IS 'Totals';
COMMENT ON COLUMN public.totals.total IS 'Sum of prices';
CREATE UNIQUE INDEX totals_name_idx ON public.totals USING btree (name);
COMMENT ON INDEX public.totals_name_idx IS 'By name';" <<EOF
tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: varchar(100), nullable: false}
      price: numeric(10,2)
    primary_key: [id]
$MODEL_VIEWS
$MODEL_MV
EOF

MODEL_TABLES='tables:
  items:
    columns:
      id: {type: bigint, nullable: false}
      name: {type: varchar(100), nullable: false}
      price: numeric(10,2)
    primary_key: [id]'

step "a table and a view on it" \
	"SELECT relkind FROM pg_class WHERE oid = 'archive'::regclass" \
	"r" \
	"-- +upgrade
CREATE TABLE public.archive (
    id bigint,
    name character varying(100)
);
CREATE VIEW public.archive_names AS
 SELECT archive.name
   FROM public.archive;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive_names: its reads and writes wait until the transaction ends
DROP VIEW public.archive_names;
-- WARNING: drops table public.archive and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.archive and the data in it
DROP TABLE public.archive;" <<EOF
$MODEL_TABLES
  archive:
    columns:
      id: bigint
      name: varchar(100)
$MODEL_VIEWS
  archive_names: SELECT name FROM archive
$MODEL_MV
EOF

step "the table becomes a view: the unchanged view on it is rebuilt" \
	"SELECT relkind FROM pg_class WHERE oid = 'archive'::regclass" \
	"v" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive_names: its reads and writes wait until the transaction ends
DROP VIEW public.archive_names;
-- WARNING: drops table public.archive and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.archive and the data in it
DROP TABLE public.archive;
CREATE VIEW public.archive AS
 SELECT items.id,
    items.name
   FROM public.items
  WHERE (items.price IS NULL);
CREATE VIEW public.archive_names AS
 SELECT archive.name
   FROM public.archive;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive_names: its reads and writes wait until the transaction ends
DROP VIEW public.archive_names;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
DROP VIEW public.archive;
CREATE TABLE public.archive (
    id bigint,
    name character varying(100)
);
CREATE VIEW public.archive_names AS
 SELECT archive.name
   FROM public.archive;" <<EOF
$MODEL_TABLES
$MODEL_VIEWS
  archive_names: SELECT name FROM archive
  archive: SELECT id, name FROM items WHERE price IS NULL
$MODEL_MV
EOF

step "the view becomes a table again" \
	"SELECT relkind FROM pg_class WHERE oid = 'archive'::regclass" \
	"r" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive_names: its reads and writes wait until the transaction ends
DROP VIEW public.archive_names;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
DROP VIEW public.archive;
CREATE TABLE public.archive (
    id bigint,
    name character varying(100)
);
CREATE VIEW public.archive_names AS
 SELECT archive.name
   FROM public.archive;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive_names: its reads and writes wait until the transaction ends
DROP VIEW public.archive_names;
-- WARNING: drops table public.archive and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.archive and the data in it
DROP TABLE public.archive;
CREATE VIEW public.archive AS
 SELECT items.id,
    items.name
   FROM public.items
  WHERE (items.price IS NULL);
CREATE VIEW public.archive_names AS
 SELECT archive.name
   FROM public.archive;" <<EOF
$MODEL_TABLES
  archive:
    columns:
      id: bigint
      name: varchar(100)
$MODEL_VIEWS
  archive_names: SELECT name FROM archive
$MODEL_MV
EOF

step "a view replaced in place while the column it used is dropped" \
	"SELECT pg_get_viewdef('archive_names'::regclass)" \
	" SELECT archive.label AS name
   FROM archive;" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
ALTER TABLE public.archive ADD COLUMN label character varying(100);
CREATE OR REPLACE VIEW public.archive_names AS
 SELECT archive.label AS name
   FROM public.archive;
-- WARNING: drops column public.archive.name and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column public.archive.name and the data in it
ALTER TABLE public.archive DROP COLUMN name;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
ALTER TABLE public.archive ADD COLUMN name character varying(100);
CREATE OR REPLACE VIEW public.archive_names AS
 SELECT archive.name
   FROM public.archive;
-- WARNING: drops column public.archive.label and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column public.archive.label and the data in it
ALTER TABLE public.archive DROP COLUMN label;" <<EOF
$MODEL_TABLES
  archive:
    columns:
      id: bigint
      label: varchar(100)
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM archive
$MODEL_MV
EOF

# ---- across schemas, names that need quoting ----

step "views across schemas, with names that need quoting" \
	"SELECT string_agg(c.oid::regclass::text || ' ' || coalesce(col_description(c.oid, 1), '-'), ', ' ORDER BY c.oid::regclass::text COLLATE \"C\") FROM pg_class c WHERE c.relkind = 'v' AND c.relname ILIKE '%top%'" \
	"\"Sales Dept\".\"Top Items\" Don't panic, \"top of top\" -" \
	"-- +upgrade
CREATE SCHEMA \"Sales Dept\";
CREATE VIEW \"Sales Dept\".\"Top Items\" AS
 SELECT items.name AS \"Item Name\",
    items.price AS \"select\"
   FROM public.items
  WHERE (items.price > (100)::numeric)
  WITH LOCAL CHECK OPTION;
COMMENT ON VIEW \"Sales Dept\".\"Top Items\" IS 'Can''t be wrong';
COMMENT ON COLUMN \"Sales Dept\".\"Top Items\".\"Item Name\" IS 'Don''t panic';
COMMENT ON COLUMN \"Sales Dept\".\"Top Items\".\"select\" IS 'a keyword';
CREATE MATERIALIZED VIEW \"Sales Dept\".\"Order\" AS
 SELECT \"Top Items\".\"select\"
   FROM \"Sales Dept\".\"Top Items\";
CREATE INDEX \"Order By\" ON \"Sales Dept\".\"Order\" USING btree (\"select\");
CREATE VIEW public.\"top of top\" AS
 SELECT \"Top Items\".\"Item Name\"
   FROM \"Sales Dept\".\"Top Items\";

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on \"Sales Dept\".\"Order\": its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW \"Sales Dept\".\"Order\";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.\"top of top\": its reads and writes wait until the transaction ends
DROP VIEW public.\"top of top\";
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on \"Sales Dept\".\"Top Items\": its reads and writes wait until the transaction ends
DROP VIEW \"Sales Dept\".\"Top Items\";
DROP SCHEMA \"Sales Dept\";" <<EOF
$MODEL_TABLES
  archive:
    columns:
      id: bigint
      label: varchar(100)
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM archive
  top of top:
    query: SELECT "Item Name" FROM "Sales Dept"."Top Items"
$MODEL_MV
--- sales.yaml
schema: Sales Dept
views:
  Top Items:
    query: |
      SELECT name AS "Item Name", price AS "select"
      FROM public.items
      WHERE price > 100
    check_option: local
    comment: "Can't be wrong"
    columns:
      Item Name: {comment: "Don't panic"}
      select: {comment: a keyword}
materialized_views:
  "Order":
    query: SELECT "select" FROM "Top Items"
    indexes:
      - {name: "Order By", columns: [select]}
EOF

step "a table renamed under a view" \
	"SELECT pg_get_viewdef('archive_names'::regclass)" \
	" SELECT old_items.label AS name
   FROM old_items;" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.archive: its reads and writes wait until the transaction ends
ALTER TABLE public.archive RENAME TO old_items;
CREATE OR REPLACE VIEW public.archive_names AS
 SELECT old_items.label AS name
   FROM public.old_items;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.old_items: its reads and writes wait until the transaction ends
ALTER TABLE public.old_items RENAME TO archive;
CREATE OR REPLACE VIEW public.archive_names AS
 SELECT archive.label AS name
   FROM public.archive;" <<EOF
$MODEL_TABLES
  old_items:
    renamed_from: archive
    columns:
      id: bigint
      label: varchar(100)
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM old_items
  top of top:
    query: SELECT "Item Name" FROM "Sales Dept"."Top Items"
$MODEL_MV
--- sales.yaml
schema: Sales Dept
views:
  Top Items:
    query: |
      SELECT name AS "Item Name", price AS "select"
      FROM public.items
      WHERE price > 100
    check_option: local
    comment: "Can't be wrong"
    columns:
      Item Name: {comment: "Don't panic"}
      select: {comment: a keyword}
materialized_views:
  "Order":
    query: SELECT "select" FROM "Top Items"
    indexes:
      - {name: "Order By", columns: [select]}
EOF

MODEL_SALES='--- sales.yaml
schema: Sales Dept
views:
  Top Items:
    query: |
      SELECT name AS "Item Name", price AS "select"
      FROM public.items
      WHERE price > 100
    check_option: local
    comment: "Can'\''t be wrong"
    columns:
      Item Name: {comment: "Don'\''t panic"}
      select: {comment: a keyword}
materialized_views:
  "Order":
    query: SELECT "select" FROM "Top Items"
    indexes:
      - {name: "Order By", columns: [select]}'
MODEL_OLD='  old_items:
    renamed_from: archive
    columns:
      id: bigint
      label: varchar(100)'

step "a view over a column of an enum" \
	"SELECT count(*) FROM open_tickets" "0" \
	"-- +upgrade
CREATE TYPE public.state AS ENUM ('new', 'open', 'closed');
CREATE TABLE public.tickets (
    state public.state
);
CREATE VIEW public.open_tickets AS
 SELECT tickets.state
   FROM public.tickets
  WHERE (tickets.state <> 'closed'::public.state);

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.open_tickets: its reads and writes wait until the transaction ends
DROP VIEW public.open_tickets;
-- WARNING: drops table public.tickets and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.tickets: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.tickets and the data in it
DROP TABLE public.tickets;
DROP TYPE public.state;" <<EOF
enums:
  state: [new, open, closed]
$MODEL_TABLES
$MODEL_OLD
  tickets:
    columns:
      state: state
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM old_items
  top of top:
    query: SELECT "Item Name" FROM "Sales Dept"."Top Items"
  open_tickets: SELECT state FROM tickets WHERE state <> 'closed'
$MODEL_MV
$MODEL_SALES
EOF

step "the enum loses a value: the view is rebuilt around the column's recast" \
	"SELECT pg_get_viewdef('open_tickets'::regclass)" \
	" SELECT tickets.state
   FROM tickets
  WHERE (tickets.state <> 'closed'::state);" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.open_tickets: its reads and writes wait until the transaction ends
DROP VIEW public.open_tickets;
-- WARNING: rebuilds enum public.state with its values changed (it had 'new', 'open', 'closed'); rows holding a value that no longer exists make the migration fail
-- hazard: data-loss: rebuilds enum public.state with its values changed (it had 'new', 'open', 'closed'); rows holding a value that no longer exists make the migration fail
ALTER TYPE public.state RENAME TO state__sg_old;
CREATE TYPE public.state AS ENUM ('open', 'closed');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.tickets: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.tickets and its indexes to change the type of state (unless the old type converts without change)
-- hazard: may-fail: fails if a value of state does not convert to the new type
ALTER TABLE public.tickets
    ALTER COLUMN state TYPE public.state USING state::text::public.state;
DROP TYPE public.state__sg_old;
CREATE VIEW public.open_tickets AS
 SELECT tickets.state
   FROM public.tickets
  WHERE (tickets.state <> 'closed'::public.state);

-- +downgrade
ALTER TYPE public.state ADD VALUE IF NOT EXISTS 'new' BEFORE 'open';" <<EOF
enums:
  state: [open, closed]
$MODEL_TABLES
$MODEL_OLD
  tickets:
    columns:
      state: state
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM old_items
  top of top:
    query: SELECT "Item Name" FROM "Sales Dept"."Top Items"
  open_tickets: SELECT state FROM tickets WHERE state <> 'closed'
$MODEL_MV
$MODEL_SALES
EOF

MODEL_FUNCS='functions:
  insert_ticket:
    returns: trigger
    language: plpgsql
    body: |
      BEGIN
        INSERT INTO public.tickets (state) VALUES (NEW.state);
        RETURN NEW;
      END'

step "an INSTEAD OF trigger on a view" \
	"INSERT INTO open_tickets VALUES ('open'); SELECT count(*) FROM tickets" "1" \
	"-- +upgrade
SET check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.insert_ticket()
 RETURNS trigger
 LANGUAGE plpgsql
AS \$function\$BEGIN
  INSERT INTO public.tickets (state) VALUES (NEW.state);
  RETURN NEW;
END
\$function\$;
-- hazard: lock-share-row-exclusive: takes a SHARE ROW EXCLUSIVE lock on public.open_tickets: its writes wait until the transaction ends
CREATE TRIGGER open_tickets_insert INSTEAD OF INSERT ON public.open_tickets FOR EACH ROW EXECUTE FUNCTION public.insert_ticket();
COMMENT ON TRIGGER open_tickets_insert ON public.open_tickets IS 'Inserts go to the table';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.open_tickets: its reads and writes wait until the transaction ends
DROP TRIGGER open_tickets_insert ON public.open_tickets;
DROP FUNCTION public.insert_ticket();" <<EOF
enums:
  state: [open, closed]
$MODEL_FUNCS
$MODEL_TABLES
$MODEL_OLD
  tickets:
    columns:
      state: state
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM old_items
  top of top:
    query: SELECT "Item Name" FROM "Sales Dept"."Top Items"
  open_tickets:
    query: SELECT state FROM tickets WHERE state <> 'closed'
    triggers:
      open_tickets_insert:
        timing: instead of
        events: [insert]
        for_each: row
        function: insert_ticket
        comment: Inserts go to the table
$MODEL_MV
$MODEL_SALES
EOF

step "the enum's values reordered: the view is rebuilt with its trigger" \
	"INSERT INTO open_tickets VALUES ('open'); SELECT count(*) || ' ' || obj_description(oid, 'pg_trigger') FROM pg_trigger, (SELECT count(*) FROM tickets) n WHERE tgname = 'open_tickets_insert' GROUP BY oid" "1 Inserts go to the table" \
	"-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.open_tickets: its reads and writes wait until the transaction ends
DROP VIEW public.open_tickets;
-- WARNING: rebuilds enum public.state with its values changed (it had 'open', 'closed'); rows holding a value that no longer exists make the migration fail
-- hazard: data-loss: rebuilds enum public.state with its values changed (it had 'open', 'closed'); rows holding a value that no longer exists make the migration fail
ALTER TYPE public.state RENAME TO state__sg_old;
CREATE TYPE public.state AS ENUM ('closed', 'open');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.tickets: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.tickets and its indexes to change the type of state (unless the old type converts without change)
-- hazard: may-fail: fails if a value of state does not convert to the new type
ALTER TABLE public.tickets
    ALTER COLUMN state TYPE public.state USING state::text::public.state;
DROP TYPE public.state__sg_old;
CREATE VIEW public.open_tickets AS
 SELECT tickets.state
   FROM public.tickets
  WHERE (tickets.state <> 'closed'::public.state);
-- hazard: lock-share-row-exclusive: takes a SHARE ROW EXCLUSIVE lock on public.open_tickets: its writes wait until the transaction ends
CREATE TRIGGER open_tickets_insert INSTEAD OF INSERT ON public.open_tickets FOR EACH ROW EXECUTE FUNCTION public.insert_ticket();
COMMENT ON TRIGGER open_tickets_insert ON public.open_tickets IS 'Inserts go to the table';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.open_tickets: its reads and writes wait until the transaction ends
DROP VIEW public.open_tickets;
-- WARNING: rebuilds enum public.state with its values changed (it had 'closed', 'open'); rows holding a value that no longer exists make the migration fail
-- hazard: data-loss: rebuilds enum public.state with its values changed (it had 'closed', 'open'); rows holding a value that no longer exists make the migration fail
ALTER TYPE public.state RENAME TO state__sg_old;
CREATE TYPE public.state AS ENUM ('open', 'closed');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.tickets: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.tickets and its indexes to change the type of state (unless the old type converts without change)
-- hazard: may-fail: fails if a value of state does not convert to the new type
ALTER TABLE public.tickets
    ALTER COLUMN state TYPE public.state USING state::text::public.state;
DROP TYPE public.state__sg_old;
CREATE VIEW public.open_tickets AS
 SELECT tickets.state
   FROM public.tickets
  WHERE (tickets.state <> 'closed'::public.state);
-- hazard: lock-share-row-exclusive: takes a SHARE ROW EXCLUSIVE lock on public.open_tickets: its writes wait until the transaction ends
CREATE TRIGGER open_tickets_insert INSTEAD OF INSERT ON public.open_tickets FOR EACH ROW EXECUTE FUNCTION public.insert_ticket();
COMMENT ON TRIGGER open_tickets_insert ON public.open_tickets IS 'Inserts go to the table';" <<EOF
enums:
  state: [closed, open]
$MODEL_FUNCS
$MODEL_TABLES
$MODEL_OLD
  tickets:
    columns:
      state: state
$MODEL_VIEWS
  archive_names: SELECT label AS name FROM old_items
  top of top:
    query: SELECT "Item Name" FROM "Sales Dept"."Top Items"
  open_tickets:
    query: SELECT state FROM tickets WHERE state <> 'closed'
    triggers:
      open_tickets_insert:
        timing: instead of
        events: [insert]
        for_each: row
        function: insert_ticket
        comment: Inserts go to the table
$MODEL_MV
$MODEL_SALES
EOF

# ---- the result dumped: the dump is the same database ----

run dump -o "$T/dumped"
is_rc 0 "dump"
cp -r schema "$T/models"
rm -f schema/*.yaml
cp "$T/dumped"/*.yaml schema/
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"the dump, as models, matches the database"
is "$(vdef "$(sed -n '/^views:/,$p' "$T/dumped/Sales Dept.yaml")")" "$(vdef "views:
  Top Items:
    query: |-
      SELECT items.name AS \"Item Name\",
          items.price AS \"select\"
         FROM public.items
        WHERE (items.price > (100)::numeric)
    check_option: local
    comment: Can't be wrong
    columns:
      Item Name: {comment: Don't panic}
      select: {comment: a keyword}

materialized_views:
  Order:
    query: |-
      SELECT \"Top Items\".\"select\"
         FROM \"Sales Dept\".\"Top Items\"
    indexes:
      - {name: Order By, columns: [select]}")" "the dump of views and materialized views"
rm -f schema/*.yaml
cp "$T/models"/*.yaml schema/

# ---- drift: what check says about views changed behind its back ----

q "CREATE OR REPLACE VIEW cheap_names AS SELECT name, 1 AS one FROM cheap;
   ALTER VIEW cheap SET (security_barrier = off);
   ALTER MATERIALIZED VIEW totals SET (fillfactor = 50)"
run check
is "$RC:$OUT" "1:database and models differ (3 changes for \`schemagen revision --autogenerate\`):
  ~ view public.cheap: options
  ~ view public.cheap_names: definition (re-created)
  ~ materialized view public.totals: options" "check lists views that drifted"
q "DROP VIEW cheap_names;
   CREATE VIEW cheap_names AS SELECT cheap.name FROM cheap;
   ALTER VIEW cheap SET (security_barrier = true);
   ALTER MATERIALIZED VIEW totals RESET (fillfactor)"
run check
is "$RC" "0" "and nothing once they are put back"

# ---- every step undone ----

n=$nsteps
while [ "$n" -gt 0 ]; do
	run downgrade -1
	is_rc 0 "downgrade step $n"
	n=$((n - 1))
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(user_objects)" "" "everything undone: no user objects left"

# ---- errors in view models ----

E=$(new_db errors)
snap_db "$E" >"$T/before"
mkdir "$T/errors" && cd "$T/errors" || BAIL_OUT "no errors project"
run init
sed -i '/^schemas: /d' schemagen.yaml  # every schema managed
rm schema/public.yaml
# error MODEL... cases: message pinned; nothing created
error_case() {
	rm -f schema/*.yaml
	cat >schema/model.yaml
	run revision --autogenerate -m bad --url "$(conninfo "$E")"
	is "$RC:$ERR" "2:$2" "$1"
	snap_db "$E" >"$T/after"
	is_file "$T/after" "$T/before" "$1: database unchanged"
}

error_case "a syntax error in a query, at its place" \
	"schema/model.yaml:5:7: error: query of view \"v\": syntax error at or near \"FROM\"" <<'EOF'
views:
  v:
    query: |
      SELECT a,
      FROM t
EOF

error_case "an unknown column, reported by the server at its place" \
	"schema/model.yaml:7:19: error: column \"nam\" does not exist
  hint: Perhaps you meant to reference the column \"t.name\"." <<'EOF'
tables:
  t:
    columns:
      name: text
views:
  v:
    query: SELECT nam FROM t
EOF

error_case "a check option on a view that cannot have one" \
	"schema/model.yaml:6:3: error: WITH CHECK OPTION is supported only on automatically updatable views
  hint: Views containing LIMIT or OFFSET are not automatically updatable." <<'EOF'
tables:
  t:
    columns:
      name: text
views:
  v:
    query: SELECT name FROM t LIMIT 1
    check_option: cascaded
EOF

error_case "a comment on a column the query does not have" \
	"schema/model.yaml:9:7: error: column \"nope\" of relation \"public.v\" does not exist" <<'EOF'
tables:
  t:
    columns:
      name: text
views:
  v:
    query: SELECT name FROM t
    columns:
      nope: {comment: not there}
EOF

done_testing
