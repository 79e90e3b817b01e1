#!/bin/sh
# SPDX-License-Identifier: MIT
# t0900-kinds.sh - create, alter and drop every kind of object schemagen
# manages (schemas, enums, sequences, tables, columns, primary keys, unique
# constraints, foreign keys, checks, indexes, comments), one change per
# step.  Each step: the models change, `revision --autogenerate` writes a
# revision, upgrade applies it, the database has what the models say
# (check is clean) and the step's own SQL assertion holds.  Then every
# step is undone with `downgrade -1`, and each time the database equals,
# by pg_dump and by catalog, the snapshot taken after the step before.
. "$(dirname "$0")/lib.sh"

new_kind_project

# step DESC SQL EXPECTED < MODEL: one change (the models are read from
# standard input and become schema/model.yaml); SQL's result must be EXPECTED.
step() {
	nsteps=$((nsteps + 1))
	cat >schema/model.yaml
	migrate_step "$@" || return
	schema_dump "$DB" >"$T/snap$nsteps"
	qdb "$DB" "SELECT 1" >/dev/null
}

# ---- schemas ----

step "schema created" \
	"SELECT nspname FROM pg_namespace WHERE nspname = 'shop'" "shop" <<'EOF'
schema: shop
EOF

step "schema comment" \
	"SELECT obj_description('shop'::regnamespace, 'pg_namespace')" "Where things are sold" <<'EOF'
schema: shop
comment: Where things are sold
EOF

# ---- enums ----

step "enum created" \
	"SELECT enum_range(NULL::shop.size)::text" "{s,m,l}" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size: [s, m, l]
EOF

step "enum value at the end" \
	"SELECT enum_range(NULL::shop.size)::text" "{s,m,l,xl}" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size: [s, m, l, xl]
EOF

step "enum value in the middle, enum comment" \
	"SELECT enum_range(NULL::shop.size)::text || obj_description('shop.size'::regtype, 'pg_type')" \
	"{xs,s,m,l,xl}Sizes" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l, xl]
    comment: Sizes
EOF

step "enum value removed (rebuild)" \
	"SELECT enum_range(NULL::shop.size)::text" "{xs,s,m,l}" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
EOF

# ---- sequences ----

step "sequence created with options" \
	"SELECT seqtypid::regtype || ' ' || seqstart || ' ' || seqincrement || ' ' || seqmin || ' ' || seqmax || ' ' || seqcache || ' ' || seqcycle FROM pg_sequence WHERE seqrelid = 'shop.ticket'::regclass" \
	"integer 100 5 10 100000 2 true" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: integer, start: 100, increment: 5, min: 10, max: 100000, cache: 2, cycle: true}
EOF

step "sequence options changed" \
	"SELECT seqtypid::regtype || ' ' || seqstart || ' ' || seqincrement || ' ' || seqmin || ' ' || seqmax || ' ' || seqcache || ' ' || seqcycle FROM pg_sequence WHERE seqrelid = 'shop.ticket'::regclass" \
	"bigint 200 -1 1 1000000 1 false" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
EOF

# ---- tables and columns ----

step "table created" \
	"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull, ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'shop.items'::regclass AND attnum > 0" \
	"id integer true, name text false, size shop.size false" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    columns:
      id: {type: int, nullable: false}
      name: text
      size: size
EOF

step "columns: type, not null, default, comment, collation; table comment" \
	"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' || coalesce(pg_get_expr(adbin, adrelid), '-') || ' ' || coalesce(col_description(attrelid, attnum), '-') || ' ' || (attcollation = 'pg_catalog.\"C\"'::regcollation), ', ' ORDER BY attnum) || ' / ' || obj_description('shop.items'::regclass, 'pg_class') FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'shop.items'::regclass AND attnum > 0" \
	"id bigint true - - false, name character varying(50) true 'x'::character varying - true, size shop.size false 'm'::shop.size Size false / What we sell" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id: {type: bigint, nullable: false}
      name: {type: varchar(50), nullable: false, default: "'x'", collation: C}
      size: {type: size, default: "'m'", comment: Size}
EOF

step "identity added, column renamed, column added" \
	"SELECT string_agg(attname || ':' || attidentity::text, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'shop.items'::regclass AND attnum > 0 AND NOT attisdropped" \
	"id:a,title:,size:,price:" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id: {type: bigint, identity: always}
      title: {type: varchar(50), nullable: false, default: "'x'", collation: C, renamed_from: name}
      size: {type: size, default: "'m'", comment: Size}
      price: {type: "numeric(10,2)", nullable: false, default: "0"}
EOF

step "identity options and kind changed, default dropped, nullable again" \
	"SELECT attidentity::text || ' ' || seqstart || ' ' || seqincrement || ' ' || (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shop.items'::regclass AND attname = 'title') || ' ' || (SELECT count(*) FROM pg_attrdef WHERE adrelid = 'shop.items'::regclass) FROM pg_attribute a JOIN pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i' JOIN pg_sequence s ON s.seqrelid = d.objid WHERE a.attrelid = 'shop.items'::regclass AND a.attname = 'id'" \
	"d 1000 10 false 2" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: {type: size, default: "'m'", comment: Size}
      price: {type: "numeric(10,2)", nullable: false, default: "0"}
EOF

# ---- constraints ----

step "primary key, unique, check, second table with a foreign key" \
	"SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ' | ' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'shop'::regnamespace AND contype <> 'n'" \
	"items_pkey PRIMARY KEY (id) | items_price_check CHECK ((price >= (0)::numeric)) | items_title_key UNIQUE (title) | stock_item_fk FOREIGN KEY (item_id) REFERENCES shop.items(id)" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: {type: size, default: "'m'", comment: Size}
      price: {type: "numeric(10,2)", nullable: false, default: "0"}
    primary_key: [id]
    unique:
      - {name: items_title_key, columns: [title]}
    checks:
      - {name: items_price_check, expression: "price >= 0"}
  stock:
    columns:
      item_id: {type: bigint, nullable: false}
      qty: {type: int, nullable: false, default: "0"}
    foreign_keys:
      - {name: stock_item_fk, columns: [item_id], references: items}
EOF

step "constraints changed: key columns, unique options, check expression, foreign key actions, comments" \
	"SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid) || coalesce(' -- ' || obj_description(oid, 'pg_constraint'), ''), ' | ' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'shop'::regnamespace AND contype <> 'n'" \
	"items_pk PRIMARY KEY (id) INCLUDE (size) -- the key | items_price_check CHECK (((price >= (0)::numeric) AND (price < (100000)::numeric))) NO INHERIT | items_title_key UNIQUE NULLS NOT DISTINCT (title, size) DEFERRABLE INITIALLY DEFERRED -- one per size | stock_item_fk FOREIGN KEY (item_id) REFERENCES shop.items(id) MATCH FULL ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE | stock_pkey PRIMARY KEY (item_id) | stock_qty_check CHECK ((qty >= 0)) NOT VALID" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: {type: size, default: "'m'", comment: Size}
      price: {type: "numeric(10,2)", nullable: false, default: "0"}
    primary_key: {name: items_pk, columns: [id], include: [size], comment: the key}
    unique:
      - name: items_title_key
        columns: [title, size]
        nulls_distinct: false
        initially_deferred: true
        comment: one per size
    checks:
      - {name: items_price_check, expression: "price >= 0 AND price < 100000", no_inherit: true}
  stock:
    columns:
      item_id: {type: bigint, nullable: false}
      qty: {type: int, nullable: false, default: "0"}
    primary_key: [item_id]
    foreign_keys:
      - {name: stock_item_fk, columns: [item_id], references: items(id), on_delete: cascade, on_update: cascade, match: full, deferrable: true}
    checks:
      - {name: stock_qty_check, expression: "qty >= 0", not_valid: true}
EOF

# ---- indexes ----

step "indexes: plain, unique expression, partial, descending, other methods, include, comment" \
	"SELECT string_agg(pg_get_indexdef(i.indexrelid) || coalesce(' -- ' || obj_description(i.indexrelid, 'pg_class'), ''), ' | ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'shop'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)" \
	"CREATE INDEX items_price_idx ON shop.items USING btree (price DESC NULLS LAST) WHERE (price > (0)::numeric) | CREATE INDEX items_size_hash ON shop.items USING hash (size) | CREATE UNIQUE INDEX items_title_lower_idx ON shop.items USING btree (lower((title)::text)) -- case-blind | CREATE INDEX stock_qty_idx ON shop.stock USING btree (qty) INCLUDE (item_id)" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: {type: size, default: "'m'", comment: Size}
      price: {type: "numeric(10,2)", nullable: false, default: "0"}
    primary_key: {name: items_pk, columns: [id], include: [size], comment: the key}
    unique:
      - name: items_title_key
        columns: [title, size]
        nulls_distinct: false
        initially_deferred: true
        comment: one per size
    checks:
      - {name: items_price_check, expression: "price >= 0 AND price < 100000", no_inherit: true}
    indexes:
      - {name: items_title_lower_idx, unique: true, expressions: ["lower(title)"], comment: case-blind}
      - {name: items_price_idx, columns: [{column: price, order: desc, nulls: last}], where: "price > 0"}
      - {name: items_size_hash, method: hash, columns: [size]}
  stock:
    columns:
      item_id: {type: bigint, nullable: false}
      qty: {type: int, nullable: false, default: "0"}
    primary_key: [item_id]
    foreign_keys:
      - {name: stock_item_fk, columns: [item_id], references: items(id), on_delete: cascade, on_update: cascade, match: full, deferrable: true}
    checks:
      - {name: stock_qty_check, expression: "qty >= 0", not_valid: true}
    indexes:
      - {name: stock_qty_idx, columns: [qty], include: [item_id]}
EOF

step "indexes changed: predicate, method, key order, comment dropped; sequence owned by a column" \
	"SELECT string_agg(pg_get_indexdef(i.indexrelid) || coalesce(' -- ' || obj_description(i.indexrelid, 'pg_class'), ''), ' | ' ORDER BY c.relname) || ' / ' || (SELECT d.refobjid::regclass || '.' || a.attname FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.objid = 'shop.ticket'::regclass AND d.deptype = 'a') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'shop'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)" \
	"CREATE INDEX items_price_idx ON shop.items USING btree (price DESC NULLS LAST) WHERE (price > (1)::numeric) | CREATE INDEX items_size_hash ON shop.items USING btree (size) | CREATE UNIQUE INDEX items_title_lower_idx ON shop.items USING btree (lower((title)::text)) | CREATE INDEX stock_qty_idx ON shop.stock USING btree (item_id, qty) / shop.stock.qty" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets, owned_by: stock.qty}
tables:
  items:
    comment: What we sell
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: {type: size, default: "'m'", comment: Size}
      price: {type: "numeric(10,2)", nullable: false, default: "0"}
    primary_key: {name: items_pk, columns: [id], include: [size], comment: the key}
    unique:
      - name: items_title_key
        columns: [title, size]
        nulls_distinct: false
        initially_deferred: true
        comment: one per size
    checks:
      - {name: items_price_check, expression: "price >= 0 AND price < 100000", no_inherit: true}
    indexes:
      - {name: items_title_lower_idx, unique: true, expressions: ["lower(title)"]}
      - {name: items_price_idx, columns: [{column: price, order: desc, nulls: last}], where: "price > 1"}
      - {name: items_size_hash, columns: [size]}
  stock:
    columns:
      item_id: {type: bigint, nullable: false}
      qty: {type: int, nullable: false, default: "0"}
    primary_key: [item_id]
    foreign_keys:
      - {name: stock_item_fk, columns: [item_id], references: items(id), on_delete: cascade, on_update: cascade, match: full, deferrable: true}
    checks:
      - {name: stock_qty_check, expression: "qty >= 0", not_valid: true}
    indexes:
      - {name: stock_qty_idx, columns: [item_id, qty]}
EOF

# ---- renames and drops ----

step "table renamed; constraints, indexes, checks and a column dropped" \
	"SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = 'shop'::regnamespace" \
	"inventory,inventory_pkey,items,items_id_seq,items_pk,ticket" <<'EOF'
schema: shop
comment: Where things are sold
enums:
  size:
    values: [xs, s, m, l]
    comment: Sizes
sequences:
  ticket: {type: bigint, start: 200, increment: -1, min: 1, max: 1000000, comment: Tickets}
tables:
  items:
    comment: What we sell
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: {type: size, default: "'m'", comment: Size}
    primary_key: {name: items_pk, columns: [id], include: [size], comment: the key}
  inventory:
    renamed_from: stock
    columns:
      item_id: {type: bigint, nullable: false}
      qty: {type: int, nullable: false, default: "0"}
    primary_key: [item_id]
EOF

step "comments dropped, enum and sequence dropped" \
	"SELECT (SELECT count(*) FROM pg_type WHERE typnamespace = 'shop'::regnamespace AND typtype = 'e') || ' ' || (SELECT count(*) FROM pg_class WHERE relnamespace = 'shop'::regnamespace AND relkind = 'S') || ' ' || coalesce(obj_description('shop'::regnamespace, 'pg_namespace'), '-')" \
	"0 1 -" <<'EOF'
schema: shop
tables:
  items:
    columns:
      id:
        type: bigint
        identity: {generated: by default, start: 1000, increment: 10}
      title: {type: varchar(50), collation: C}
      size: text
    primary_key: {name: items_pk, columns: [id], include: [size]}
  inventory:
    columns:
      item_id: {type: bigint, nullable: false}
      qty: {type: int, nullable: false, default: "0"}
    primary_key: [item_id]
EOF

step "tables and schema dropped" \
	"SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'" "0" <<'EOF'
schema: public
EOF

run revision --autogenerate -m "nothing"
is "$RC:$OUT:$ERR" "0::No changes in schema detected; no revision written." "after the last step nothing is left to do"

# ---- every step undone ----

n=$nsteps
while [ "$n" -gt 0 ]; do
	run downgrade -1 --force-irreversible
	is_rc 0 "downgrade step $n"
	n=$((n - 1))
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(user_objects)" "" "everything undone: no user objects left"
run current
is "$RC:$OUT" "0:" "the version table says base"

# ---- a former ordering loop ----

# A sequence OWNED BY a column whose default calls nextval() on it: a
# revision that changes the sequence's options and drops the table (the
# sequence stays, no longer owned).  OWNED BY NONE must come before the
# DROP TABLE, and the options change after it; the orderer once made the
# ownership change wait for the options change too, which was a loop.
DB2=$(new_db loop)
export DATABASE_URL="$(conninfo "$DB2")"
L=$T/loop
mkdir -p "$L/schema" "$L/migrations"
cd "$L" || BAIL_OUT "no $L"
cat >schema/model.yaml <<'EOF'
sequences:
  s: {owned_by: t.id}
tables:
  t:
    columns:
      id: {type: bigint, default: "nextval('s')"}
EOF
run revision --autogenerate -m "owned sequence"
run upgrade head
is "$RC:$(qdb "$DB2" "SELECT count(*) FROM pg_depend WHERE objid = 's'::regclass AND deptype = 'a'")" "0:1" \
	"loop: setup, a sequence owned by the column that uses it"
cat >schema/model.yaml <<'EOF'
sequences:
  s: {type: integer}
tables: {}
EOF
run revision --autogenerate -m "drop the table, keep the sequence"
is_rc 0 "loop: autogenerate orders the changes"
run upgrade head
is "$RC:$(ls migrations | wc -l)" "0:2" "loop: the revision is written and applies"
is "$(qdb "$DB2" "SELECT to_regclass('public.t') IS NULL, format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 's'::regclass")" \
	"t|integer" "loop: the table is gone, the sequence kept and changed"

done_testing
