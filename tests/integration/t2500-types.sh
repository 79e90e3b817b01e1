#!/bin/sh
# SPDX-License-Identifier: MIT
# t2500-types.sh - collations, domains, composite types, generated columns,
# exclusion constraints, enum value renames, extensions, and comments on
# all of them: each created, altered and dropped by `revision
# --autogenerate` + `upgrade`, with `check` clean after each step and the
# data of the columns that use them kept across rebuilds; then every step
# undone by `downgrade -1`, each time restoring the database of the step
# before (pg_dump, normalised).  Extensions need postgresql-contrib
# (citext, pg_trgm): that part is skipped when the server does not have
# them.
. "$(dirname "$0")/lib.sh"

new_kind_project

# step DESC SQL EXPECTED < MODEL (schema/model.yaml), as in t0900.
step() {
	nsteps=$((nsteps + 1))
	cat >schema/model.yaml
	migrate_step "$@" || return
	schema_dump "$DB" >"$T/snap$nsteps"
}

# The upgrade section of the last step's revision.
upgrade_sql() {
	sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' "$T/step$nsteps.sql" | sed '1d;$d' |
		sed '/^$/d'
}
downgrade_sql() {
	sed -n '/^-- +downgrade$/,$p' "$T/step$nsteps.sql" | sed '1d' | sed '/^$/d'
}

# ---- collations ----

step "collations created" \
	"SELECT string_agg(collname || ':' || collprovider::text || ':' || collisdeterministic, ',' ORDER BY collname) FROM pg_collation WHERE collnamespace = 'public'::regnamespace" \
	"ci:i:false,posix:c:true" <<'EOF'
collations:
  ci: {provider: icu, locale: und-u-ks-level2, deterministic: false, comment: case-insensitive}
  posix: {locale: C}
EOF
is "$(upgrade_sql)" "CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
COMMENT ON COLLATION public.ci IS 'case-insensitive';
CREATE COLLATION public.posix (provider = libc, locale = 'C');" "collations: the upgrade"

# ---- domains ----

step "domain created" \
	"SELECT format_type(typbasetype, typtypmod) || ' ' || typnotnull || ' ' || typdefault || ' ' || obj_description(oid, 'pg_type') FROM pg_type WHERE typname = 'qty'" \
	"integer true 1 how many" <<'EOF'
collations:
  ci: {provider: icu, locale: und-u-ks-level2, deterministic: false, comment: case-insensitive}
  posix: {locale: C}
domains:
  qty:
    type: integer
    nullable: false
    default: "1"
    checks:
      - {name: qty_positive, expression: "VALUE > 0", comment: no zero}
      - {name: qty_small, expression: "VALUE < 1000", not_valid: true}
    comment: how many
  code: {type: text, collation: posix}
EOF
is "$(upgrade_sql)" "CREATE DOMAIN public.code AS text COLLATE public.posix;
CREATE DOMAIN public.qty AS integer DEFAULT 1 NOT NULL
    CONSTRAINT qty_positive CHECK ((VALUE > 0));
ALTER DOMAIN public.qty ADD CONSTRAINT qty_small CHECK ((VALUE < 1000)) NOT VALID;
COMMENT ON DOMAIN public.qty IS 'how many';
COMMENT ON CONSTRAINT qty_positive ON DOMAIN public.qty IS 'no zero';" "domain: the upgrade"

step "domain altered: default, NOT NULL, a check replaced, one added, comments" \
	"SELECT string_agg(conname || '=' || pg_get_constraintdef(c.oid) || '/' || coalesce(obj_description(c.oid, 'pg_constraint'), '-'), ', ' ORDER BY conname) || ' ' || (SELECT typdefault || typnotnull FROM pg_type WHERE typname = 'qty') FROM pg_constraint c WHERE contypid = 'qty'::regtype" \
	"qty_even=CHECK (((VALUE % 2) = 0)) NOT VALID/-, qty_positive=CHECK ((VALUE >= 1))/at least one, qty_small=CHECK ((VALUE < 1000)) NOT VALID/- 2false" <<'EOF'
collations:
  ci: {provider: icu, locale: und-u-ks-level2, deterministic: false, comment: case-insensitive}
  posix: {locale: C}
domains:
  qty:
    type: integer
    default: "2"
    checks:
      - {name: qty_positive, expression: "VALUE >= 1", comment: at least one}
      - {name: qty_small, expression: "VALUE < 1000", not_valid: true}
      - {name: qty_even, expression: "VALUE % 2 = 0", not_valid: true}
    comment: how many, even
  code: {type: text, collation: posix}
EOF
is "$(upgrade_sql)" "ALTER DOMAIN public.qty SET DEFAULT 2;
ALTER DOMAIN public.qty DROP NOT NULL;
ALTER DOMAIN public.qty DROP CONSTRAINT qty_positive;
ALTER DOMAIN public.qty ADD CONSTRAINT qty_even CHECK (((VALUE % 2) = 0)) NOT VALID;
-- hazard: table-scan: reads every column of domain public.qty in every table to check it
-- hazard: may-fail: fails if a stored value of domain public.qty violates it
ALTER DOMAIN public.qty ADD CONSTRAINT qty_positive CHECK ((VALUE >= 1));
COMMENT ON CONSTRAINT qty_positive ON DOMAIN public.qty IS 'at least one';
COMMENT ON DOMAIN public.qty IS 'how many, even';" "domain altered: the upgrade"
is "$(downgrade_sql)" "ALTER DOMAIN public.qty SET DEFAULT 1;
-- hazard: table-scan: reads every column of domain public.qty in every table to check it
-- hazard: may-fail: fails if a stored value of domain public.qty violates it
ALTER DOMAIN public.qty SET NOT NULL;
ALTER DOMAIN public.qty DROP CONSTRAINT qty_even;
ALTER DOMAIN public.qty DROP CONSTRAINT qty_positive;
-- hazard: table-scan: reads every column of domain public.qty in every table to check it
-- hazard: may-fail: fails if a stored value of domain public.qty violates it
ALTER DOMAIN public.qty ADD CONSTRAINT qty_positive CHECK ((VALUE > 0));
COMMENT ON CONSTRAINT qty_positive ON DOMAIN public.qty IS 'no zero';
COMMENT ON DOMAIN public.qty IS 'how many';" "domain altered: the downgrade"

step "domain check validated" \
	"SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE contypid = 'qty'::regtype" \
	"qty_even:false,qty_positive:true,qty_small:true" <<'EOF'
collations:
  ci: {provider: icu, locale: und-u-ks-level2, deterministic: false, comment: case-insensitive}
  posix: {locale: C}
domains:
  qty:
    type: integer
    default: "2"
    checks:
      - {name: qty_positive, expression: "VALUE >= 1", comment: at least one}
      - {name: qty_small, expression: "VALUE < 1000"}
      - {name: qty_even, expression: "VALUE % 2 = 0", not_valid: true}
    comment: how many, even
  code: {type: text, collation: posix}
EOF
is "$(upgrade_sql)" "-- hazard: table-scan: reads every column of domain public.qty in every table to check it
-- hazard: may-fail: fails if a stored value of domain public.qty violates it
ALTER DOMAIN public.qty VALIDATE CONSTRAINT qty_small;" "validate: the upgrade"
is "$(downgrade_sql)" "ALTER DOMAIN public.qty DROP CONSTRAINT qty_small;
ALTER DOMAIN public.qty ADD CONSTRAINT qty_small CHECK ((VALUE < 1000)) NOT VALID;" "validate: the downgrade"

# ---- composite types, and columns of domain and composite types ----

cat >"$T/base.yaml" <<'EOF'
collations:
  ci: {provider: icu, locale: und-u-ks-level2, deterministic: false, comment: case-insensitive}
  posix: {locale: C}
domains:
  qty:
    type: integer
    default: "2"
    checks:
      - {name: qty_positive, expression: "VALUE >= 1", comment: at least one}
      - {name: qty_small, expression: "VALUE < 1000"}
      - {name: qty_even, expression: "VALUE % 2 = 0", not_valid: true}
    comment: how many, even
  code: {type: text, collation: posix}
enums:
  size: [s, m, l]
EOF

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
types:
  address:
    comment: where
    attributes:
      street: {type: text, comment: the street}
      zip: {type: text, collation: posix}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
step "composite type created; a table uses the domains, the type, the collation and the enum" \
	"SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod), ',' ORDER BY attnum) || ' ' || obj_description('address'::regtype, 'pg_type') || ' ' || col_description('address'::regclass, 1) FROM pg_attribute WHERE attrelid = 'address'::regclass AND attnum > 0" \
	"street:text,zip:text where the street" <"$T/m.yaml"
q "INSERT INTO orders VALUES (1, 4, 'X1', ROW('Main St', '0100'), 'Ann', 'm'), (2, 6, 'X2', NULL, 'Bob', 'l')" >/dev/null
data="1|4|X1|(\"Main St\",0100)|Ann|m
2|6|X2||Bob|l"
is "$(q "SELECT * FROM orders ORDER BY id")" "$data" "the rows are in"

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
types:
  address:
    comment: where
    attributes:
      street: {type: text, comment: the street}
      city: {type: text, comment: new}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
step "composite type: attribute dropped and one added, in place, while a column uses it" \
	"SELECT ship_to FROM orders WHERE id = 1" '("Main St",)' <"$T/m.yaml"
is "$(upgrade_sql)" "-- WARNING: drops attribute zip of type public.address and their values wherever the type is stored
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.address: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops attribute zip of type public.address and their values wherever the type is stored
ALTER TYPE public.address
    DROP ATTRIBUTE zip,
    ADD ATTRIBUTE city text;
COMMENT ON COLUMN public.address.city IS 'new';" "attributes in place: the upgrade"

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
types:
  address:
    comment: where
    attributes:
      number: integer
      street: {type: varchar(40), comment: the street}
      city: {type: text, comment: new}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
step "composite type rebuilt: an attribute retyped and one inserted while a column uses it" \
	"SELECT string_agg(coalesce(ship_to::text, '-'), ',' ORDER BY id) FROM orders" '(,"Main St",),-' <"$T/m.yaml"
like "$(upgrade_sql)" 'ALTER COLUMN ship_to TYPE public.address USING CASE WHEN ship_to IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW\(NULL::integer, \(ship_to\).street::character varying\(40\), \(ship_to\).city::text\)::public.address END;' \
	"composite rebuild: columns converted attribute by attribute"

{ cat "$T/base.yaml" | sed 's/    type: integer/    type: bigint/'; cat <<'EOF'; } >"$T/m.yaml"
types:
  address:
    comment: where
    attributes:
      number: integer
      street: {type: varchar(40), comment: the street}
      city: {type: text, comment: new}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
step "domain rebuilt: base type changed, the column recast" \
	"SELECT format_type(typbasetype, typtypmod) || ' ' || (SELECT string_agg(amount::text, ',' ORDER BY id) FROM orders) FROM pg_type WHERE typname = 'qty'" \
	"bigint 4,6" <"$T/m.yaml"
is "$(upgrade_sql | grep -v '^--')" "ALTER DOMAIN public.qty RENAME TO qty__sg_old;
CREATE DOMAIN public.qty AS bigint DEFAULT 2
    CONSTRAINT qty_positive CHECK ((VALUE >= 1))
    CONSTRAINT qty_small CHECK ((VALUE < 1000));
ALTER DOMAIN public.qty ADD CONSTRAINT qty_even CHECK (((VALUE % (2)::bigint) = 0)) NOT VALID;
COMMENT ON DOMAIN public.qty IS 'how many, even';
COMMENT ON CONSTRAINT qty_positive ON DOMAIN public.qty IS 'at least one';
ALTER TABLE public.orders
    ALTER COLUMN amount TYPE public.qty USING amount::text::public.qty;
DROP DOMAIN public.qty__sg_old;" "domain rebuild: the upgrade"
cp "$T/base.yaml" "$T/base-int.yaml"
sed -i 's/    type: integer/    type: bigint/' "$T/base.yaml"

{ cat "$T/base.yaml" | sed 's/und-u-ks-level2/und-u-ks-level1/'; cat <<'EOF'; } >"$T/m.yaml"
types:
  address:
    comment: where
    attributes:
      number: integer
      street: {type: varchar(40), comment: the street}
      city: {type: text, comment: new}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
# the ICU locale: colliculocale in 15 and 16, colllocale from 17
iculocale=colliculocale
[ "$(server_version_num)" -lt 170000 ] || iculocale=colllocale
step "collation rebuilt: the column and its index follow" \
	"SELECT $iculocale || ' ' || (SELECT string_agg(name, ',' ORDER BY id) FROM orders) FROM pg_collation WHERE collname = 'ci'" \
	"und-u-ks-level1 Ann,Bob" <"$T/m.yaml"
sed -i 's/und-u-ks-level2/und-u-ks-level1/' "$T/base.yaml"

# ---- enum values renamed ----

{ cat "$T/base.yaml" | sed 's/  size: \[s, m, l\]/  size: [s, {name: medium, renamed_from: m}, {name: large, renamed_from: l}, xl]/'; cat <<'EOF'; } >"$T/m.yaml"
types:
  address:
    comment: where
    attributes:
      number: integer
      street: {type: varchar(40), comment: the street}
      city: {type: text, comment: new}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
step "enum values renamed, one added" \
	"SELECT enum_range(NULL::size)::text || ' ' || (SELECT string_agg(size::text, ',' ORDER BY id) FROM orders)" \
	"{s,medium,large,xl} medium,large" <"$T/m.yaml"
is "$(upgrade_sql)" "ALTER TYPE public.size ADD VALUE IF NOT EXISTS 'xl' AFTER 'l';
ALTER TYPE public.size RENAME VALUE 'm' TO 'medium';
ALTER TYPE public.size RENAME VALUE 'l' TO 'large';" "enum renames: the upgrade"
is "$(downgrade_sql)" "-- irreversible: PostgreSQL cannot remove values from an enum: type public.size is made again without 'xl', which rows written since the upgrade may hold
ALTER TYPE public.size RENAME VALUE 'medium' TO 'm';
ALTER TYPE public.size RENAME VALUE 'large' TO 'l';
-- WARNING: rebuilds enum public.size with its values changed (it had 's', 'medium', 'large', 'xl'); rows holding a value that no longer exists make the migration fail
-- hazard: data-loss: rebuilds enum public.size with its values changed (it had 's', 'medium', 'large', 'xl'); rows holding a value that no longer exists make the migration fail
ALTER TYPE public.size RENAME TO size__sg_old;
CREATE TYPE public.size AS ENUM ('s', 'm', 'l');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.orders and its indexes to change the type of size (unless the old type converts without change)
-- hazard: may-fail: fails if a value of size does not convert to the new type
ALTER TABLE public.orders
    ALTER COLUMN size TYPE public.size USING size::text::public.size;
DROP TYPE public.size__sg_old;" "enum renames: the downgrade renames back, then removes the new value"
sed -i 's/  size: \[s, m, l\]/  size: [s, medium, large, xl]/' "$T/base.yaml"

# ---- generated columns ----

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
tables:
  lines:
    columns:
      price: numeric
      n: integer
      total: {type: numeric, generated: "price * n", comment: computed}
      label: text
EOF
step "generated columns added" \
	"SELECT string_agg(attname || ':' || attgenerated::text || ':' || pg_get_expr(adbin, adrelid), ',') FROM pg_attribute JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'lines'::regclass" \
	"total:s:(price * (n)::numeric)" <"$T/m.yaml"
q "INSERT INTO lines (price, n, label) VALUES (2.5, 4, 'a')" >/dev/null

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
tables:
  lines:
    columns:
      price: numeric
      n: integer
      total: {type: numeric, generated: "price * n * 2", comment: computed}
      label: {type: text, generated: "'n=' || n"}
EOF
step "generated expression changed; a plain column becomes generated" \
	"SELECT total || ' ' || label FROM lines" "20.0 n=4" <"$T/m.yaml"
is "$(upgrade_sql)" "-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.lines: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column total of public.lines and its values
-- column public.lines.total is generated: its values are computed, no data is lost
ALTER TABLE public.lines DROP COLUMN total;
-- WARNING: drops column public.lines.label and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.lines: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column public.lines.label and the data in it
ALTER TABLE public.lines DROP COLUMN label;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.lines: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.lines to fill the new column total with a stored generated value (a volatile default)
ALTER TABLE public.lines ADD COLUMN total numeric GENERATED ALWAYS AS (((price * (n)::numeric) * (2)::numeric)) STORED;
COMMENT ON COLUMN public.lines.total IS 'computed';
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.lines: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.lines to fill the new column label with a stored generated value (a volatile default)
ALTER TABLE public.lines ADD COLUMN label text GENERATED ALWAYS AS (('n='::text || n)) STORED;" "generated: the upgrade (columns in the table's order)"

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
tables:
  lines:
    columns:
      price: numeric
      n: integer
      total: {type: numeric, generated: "price * n * 2", comment: computed}
      label: {type: text, default: "'?'"}
EOF
step "a generated column becomes an ordinary one and keeps its values" \
	"SELECT label || ' ' || attgenerated::text FROM lines, pg_attribute WHERE attrelid = 'lines'::regclass AND attname = 'label'" "n=4 " <"$T/m.yaml"
is "$(upgrade_sql)" "-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.lines: its reads and writes wait until the transaction ends
ALTER TABLE public.lines
    ALTER COLUMN label DROP EXPRESSION,
    ALTER COLUMN label SET DEFAULT '?'::text;" "generated to ordinary: the upgrade"

# ---- exclusion constraints ----

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
tables:
  lines:
    columns:
      price: numeric
      n: integer
      total: {type: numeric, generated: "price * n * 2", comment: computed}
      label: {type: text, default: "'?'"}
  bookings:
    columns:
      room: integer
      during: tsrange
      note: text
    exclusions:
      - name: bookings_no_overlap
        elements: [{column: during, operator: "&&"}]
        where: "room > 0"
        include: [note]
        comment: one booking at a time
      - elements: [{expression: "tsrange(lower(during), upper(during))", operator: "&&"}]
        deferrable: true
        initially_deferred: true
EOF
step "exclusion constraints created, one unnamed" \
	"SELECT string_agg(conname || '=' || pg_get_constraintdef(oid), ', ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'bookings'::regclass" \
	"bookings_no_overlap=EXCLUDE USING gist (during WITH &&) INCLUDE (note) WHERE ((room > 0)), bookings_tsrange_excl=EXCLUDE USING gist (tsrange(lower(during), upper(during)) WITH &&) DEFERRABLE INITIALLY DEFERRED" <"$T/m.yaml"

{ cat "$T/base.yaml"; cat <<'EOF'; } >"$T/m.yaml"
tables:
  lines:
    columns:
      price: numeric
      n: integer
      total: {type: numeric, generated: "price * n * 2", comment: computed}
      label: {type: text, default: "'?'"}
  bookings:
    columns:
      room: integer
      during: tsrange
      note: text
    exclusions:
      - name: bookings_no_overlap
        using: gist
        elements: [{column: during, operator: "&&"}]
        where: "room > 1"
        comment: one booking at a time
EOF
step "exclusion constraint changed, the other dropped" \
	"SELECT string_agg(conname || '=' || pg_get_constraintdef(oid) || '/' || obj_description(oid, 'pg_constraint'), ', ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'bookings'::regclass" \
	"bookings_no_overlap=EXCLUDE USING gist (during WITH &&) WHERE ((room > 1))/one booking at a time" <"$T/m.yaml"

# ---- dump, load, materialise: the same catalog ----

mkdir "$T/dumped"
cp schemagen.yaml "$T/dumped/"
cp -r migrations "$T/dumped/"
run dump -o "$T/dumped/schema"
is_rc 0 "dump"
cd "$T/dumped" || BAIL_OUT "no dumped dir"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"the dumped models are what the database has" || diag "$(cat schema/*.yaml)"
cd "$P" || BAIL_OUT "no project dir"
like "$(cat "$T/dumped/schema/public.yaml")" "^      - \\{name: qty_even, expression: '\\(\\(VALUE % \\(2\\)::bigint\\) = 0\\)', not_valid: true\\}\$" \
	"the dump has the domain's checks"

# ---- comments dropped, then everything ----

cat >"$T/m.yaml" <<'EOF'
collations:
  ci: {provider: icu, locale: und-u-ks-level1, deterministic: false}
  posix: {locale: C}
domains:
  qty:
    type: bigint
    default: "2"
    checks:
      - {name: qty_positive, expression: "VALUE >= 1"}
      - {name: qty_small, expression: "VALUE < 1000"}
      - {name: qty_even, expression: "VALUE % 2 = 0", not_valid: true}
  code: {type: text, collation: posix}
enums:
  size: [s, medium, large, xl]
types:
  address:
    attributes:
      number: integer
      street: {type: varchar(40)}
      city: {type: text}
tables:
  orders:
    columns:
      id: bigint
      amount: qty
      ref: code
      ship_to: address
      name: {type: text, collation: ci}
      size: size
    primary_key: [id]
    indexes:
      - {name: orders_name, columns: [name]}
EOF
step "comments dropped everywhere" \
	"SELECT count(*) FROM pg_description d JOIN pg_namespace n ON true WHERE n.nspname = 'public' AND d.objoid IN (SELECT oid FROM pg_collation WHERE collnamespace = n.oid UNION SELECT oid FROM pg_type WHERE typnamespace = n.oid UNION SELECT oid FROM pg_constraint WHERE connamespace = n.oid UNION SELECT oid FROM pg_class WHERE relnamespace = n.oid)" \
	"0" <"$T/m.yaml"

step "everything dropped" \
	"SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('d', 'c', 'e') AND typname NOT LIKE 'schemagen%'" "0" <<'EOF'
schema: public
EOF

# ---- every step undone ----

n=$nsteps
while [ "$n" -gt 0 ]; do
	# steps that add enum values or widen columns say their downgrade is
	# irreversible (t3450); here the data allows it
	run downgrade -1 --force-irreversible
	is_rc 0 "downgrade step $n"
	n=$((n - 1))
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(user_objects)" "" "everything undone: no user objects left"

# ---- extensions ----

avail=$(q "SELECT count(*) FROM pg_available_extensions WHERE name IN ('citext', 'pg_trgm', 'cube', 'earthdistance')")
if [ "$avail" != 4 ]; then
	skip 1 "citext, pg_trgm, cube and earthdistance are not available (postgresql-contrib)"
	done_testing
	exit 0
fi

XDB=$(new_db ext)
export DATABASE_URL="$(conninfo "$XDB")"
mkdir "$T/ext" && cd "$T/ext" || BAIL_OUT "no ext dir"
run init
sed -i '/^schemas: /d' schemagen.yaml  # every schema managed
rm schema/public.yaml
DB=$XDB
nsteps=0

step "extensions created; a column of an extension's type, an index with its opclass" \
	"SELECT string_agg(extname || ':' || extnamespace::regnamespace, ',' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'" \
	"citext:public,pg_trgm:public" <<'EOF'
extensions:
  citext:
  pg_trgm: {version: "1.5"}
tables:
  users:
    columns:
      email: citext
    indexes:
      - {name: users_email_trgm, method: gin, columns: [{column: email, opclass: gin_trgm_ops}]}
EOF
is "$(upgrade_sql)" "CREATE EXTENSION citext WITH SCHEMA public;
CREATE EXTENSION pg_trgm WITH SCHEMA public VERSION '1.5';
CREATE TABLE public.users (
    email public.citext
);
CREATE INDEX users_email_trgm ON public.users USING gin (email public.gin_trgm_ops);" \
	"extensions first, then what uses them"
is "$(downgrade_sql)" "-- WARNING: drops table public.users and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.users: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.users and the data in it
DROP TABLE public.users;
-- WARNING: drops extension citext and every object it created, with their data
-- hazard: data-loss: drops extension citext and every object it created, with their data
DROP EXTENSION citext;
-- WARNING: drops extension pg_trgm and every object it created, with their data
-- hazard: data-loss: drops extension pg_trgm and every object it created, with their data
DROP EXTENSION pg_trgm;" "the downgrade drops them after the table"
q "INSERT INTO users VALUES ('Ann@Example.org')" >/dev/null

step "extension comment set" \
	"SELECT obj_description(oid, 'pg_extension') FROM pg_extension WHERE extname = 'citext'" \
	"emails" <<'EOF'
extensions:
  citext: {comment: emails}
  pg_trgm: {version: "1.5"}
tables:
  users:
    columns:
      email: citext
    indexes:
      - {name: users_email_trgm, method: gin, columns: [{column: email, opclass: gin_trgm_ops}]}
EOF
is "$(downgrade_sql)" "COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';" \
	"no comment of the user's: the control file's comes back"

cat >schema/ext.yaml <<'EOF'
schema: ext
extensions:
  citext: {comment: emails}
EOF
step "extension moved to another schema; the column keeps its type" \
	"SELECT extnamespace::regnamespace || ' ' || format_type(atttypid, NULL) FROM pg_extension, pg_attribute WHERE extname = 'citext' AND attrelid = 'users'::regclass AND attname = 'email'" \
	"ext ext.citext" <<'EOF'
extensions:
  pg_trgm: {version: "1.5"}
tables:
  users:
    columns:
      email: ext.citext
    indexes:
      - {name: users_email_trgm, method: gin, columns: [{column: email, opclass: gin_trgm_ops}]}
EOF
is "$(upgrade_sql)" "CREATE SCHEMA ext;
ALTER EXTENSION citext SET SCHEMA ext;" "move: the upgrade"
is "$(downgrade_sql)" "ALTER EXTENSION citext SET SCHEMA public;
DROP SCHEMA ext;" "move: the downgrade"

# earthdistance requires cube: created after it although its schema sorts
# first (the server's control files say so, not the models)
cat >schema/zz.yaml <<'EOF'
schema: zz
extensions:
  cube:
EOF
step "an extension that requires another" \
	"SELECT string_agg(extname || ':' || extnamespace::regnamespace, ',' ORDER BY extname) FROM pg_extension WHERE extname IN ('cube', 'earthdistance')" \
	"cube:zz,earthdistance:public" <<'EOF'
extensions:
  pg_trgm: {version: "1.5"}
  earthdistance:
tables:
  users:
    columns:
      email: ext.citext
    indexes:
      - {name: users_email_trgm, method: gin, columns: [{column: email, opclass: gin_trgm_ops}]}
EOF
is "$(upgrade_sql)" "CREATE SCHEMA zz;
CREATE EXTENSION cube WITH SCHEMA zz;
CREATE EXTENSION earthdistance WITH SCHEMA public;" "the required extension first"
rm schema/zz.yaml

n=$nsteps
while [ "$n" -gt 0 ]; do
	run downgrade -1 --force-irreversible
	is_rc 0 "extensions: downgrade step $n"
	n=$((n - 1))
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" >"$T/now"
		is_file "$T/now" "$T/snap$n" "extensions: after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(q "SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'")" "0" "extensions: all undone"

# a version change goes up; going back needs an update path the extension
# does not have, which the downgrade says and PostgreSQL refuses
DB=$(new_db version)
export DATABASE_URL="$(conninfo "$DB")"
mkdir "$T/version" && cd "$T/version" || BAIL_OUT "no version dir"
run init
sed -i '/^schemas: /d' schemagen.yaml  # every schema managed
rm schema/public.yaml
nsteps=0
step "extension created at an old version" \
	"SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'" "1.5" <<'EOF'
extensions:
  pg_trgm: {version: "1.5"}
EOF
step "extension updated" \
	"SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'" "1.6" <<'EOF'
extensions:
  pg_trgm: {version: "1.6"}
EOF
is "$(upgrade_sql)" "ALTER EXTENSION pg_trgm UPDATE TO '1.6';" "version: the upgrade"
is "$(downgrade_sql)" "-- irreversible: extension pg_trgm has no update path from version 1.6 back to 1.5
-- the server this was generated on has no update path from version 1.6 to 1.5: PostgreSQL will refuse this step
ALTER EXTENSION pg_trgm UPDATE TO '1.5';" "version: the downgrade says it cannot work"
cat >schema/model.yaml <<'EOF'
extensions:
  pg_trgm:
EOF
run revision --autogenerate -m "no version"
is "$RC:$OUT:$ERR" "0::No changes in schema detected; no revision written." \
	"no version in the models: any installed version will do"
run downgrade -1
is "$RC" 2 "the version downgrade is refused (irreversible)"
like "$ERR" 'error: the downgrade of revision [0-9a-f]* cannot restore this step: extension pg_trgm has no update path from version 1.6 back to 1.5' \
	"before anything runs, with the reason"
run downgrade -1 --force-irreversible
is "$RC" 2 "forced, the version downgrade fails"
like "$ERR" 'error: extension "pg_trgm" has no update path from version "1.6" to version "1.5"' \
	"with PostgreSQL's message"

cat >schema/model.yaml <<'EOF'
extensions:
  pg_trgm:
  no_such_extension: {comment: nope}
EOF
run revision --autogenerate -m "unavailable"
is "$RC:$ERR" '2:schema/model.yaml:3:3: error: extension "no_such_extension" is not available
  hint: the scratch server, where the models are materialised, does not have extension no_such_extension: install it there, or set dev_url in schemagen.yaml (or SCHEMAGEN_DEV_URL) to a server that has it (its role needs CREATEDB)' \
	"an extension the server does not have: the error points at the model"

done_testing
