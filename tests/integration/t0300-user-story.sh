#!/bin/sh
# SPDX-License-Identifier: MIT
# t0300-user-story.sh - the whole loop as a user meets it: init, models,
# revision --autogenerate, upgrade, current, history, check, a second round
# of changes, downgrade, stamp, diff, upgrade --sql without a database, and
# adopting an existing database with dump.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"

# ---- init ----

run_ok "init" init
is "$OUT" 'Created schemagen.yaml, schema/public.yaml and migrations/ in .
Next: describe tables in schema/*.yaml, then `schemagen revision --autogenerate -m "create tables"`' \
	"init says what it made"
is "$ERR" "" "init: nothing on stderr"
ok "init made schemagen.yaml" test -f schemagen.yaml
ok "init made schema/public.yaml" test -f schema/public.yaml
ok "init made migrations/" test -d migrations
like "$(cat schemagen.yaml)" '^database_url: \$\{DATABASE_URL:-\}$' "schemagen.yaml reads DATABASE_URL (empty or unset: not given)"
like "$(cat schemagen.yaml)" '^migrations_dir: migrations$' "schemagen.yaml names migrations/"

echo "# my own note" >>schemagen.yaml
snap_dir . >"$T/init.before"
run init
is_rc 2 "init again refuses"
is "$ERR" "schemagen: error: ./schemagen.yaml already exists; init does not overwrite anything" \
	"init again: exact message"
is "$OUT" "" "init again: nothing on stdout"
snap_dir . >"$T/init.after"
is_file "$T/init.after" "$T/init.before" "init again changed nothing"

mkdir -p other/migrations
run init other
is_rc 2 "init refuses a folder with migrations/ in it"
is "$ERR" "schemagen: error: other/migrations already exists; init does not overwrite anything" \
	"init DIR: names what exists"
ok "init DIR wrote no schemagen.yaml" test ! -e other/schemagen.yaml
rm -r other

# ---- the first models ----

# init manages public only: the shop's billing schema is added to it
like "$(cat schemagen.yaml)" '^schemas: \[public\]$' "init manages the schema public"
sed -i 's/^schemas: \[public\]$/schemas: [public, billing]/' schemagen.yaml

cat >schema/public.yaml <<'EOF'
# the shop
schema: public
comment: The shop
enums:
  order_status: [pending, paid, shipped, cancelled]
sequences:
  invoice_number:
    type: integer
    start: 1000
    owned_by: orders.invoice_no
    comment: Numbers printed on invoices
tables:
  customers:
    comment: People who place orders
    columns:
      id:         {type: bigint, identity: always}
      email:      {type: text, nullable: false, comment: Login}
      full_name:  {type: varchar(200), nullable: false}
      created_at: {type: timestamptz, nullable: false, default: now()}
    primary_key: [id]
    unique:
      - {name: customers_email_key, columns: [email]}
    indexes:
      - {name: customers_email_lower_idx, unique: true, expressions: ["lower(email)"]}
  orders:
    comment: What customers bought
    columns:
      id:          {type: bigint, identity: by default}
      customer_id: {type: bigint, nullable: false}
      status:      {type: order_status, nullable: false, default: "'pending'"}
      total:       {type: "numeric(12,2)", nullable: false, default: "0"}
      invoice_no:  integer
      note:        text
      created_at:  {type: timestamptz, nullable: false, default: now()}
    primary_key: [id]
    foreign_keys:
      - {name: orders_customer_fk, columns: [customer_id], references: customers(id), on_delete: cascade}
    checks:
      - {name: orders_total_check, expression: "total >= 0"}
    indexes:
      - name: orders_open_idx
        columns: [customer_id, {column: created_at, order: desc}]
        where: "status IN ('pending', 'paid')"
EOF
cat >schema/billing.yaml <<'EOF'
schema: billing
comment: Invoices and payments
tables:
  invoices:
    columns:
      number:   {type: bigint, identity: always}
      order_id: {type: bigint, nullable: false}
      issued:   {type: date, nullable: false, default: CURRENT_DATE}
    primary_key: [number]
    foreign_keys:
      - {name: invoices_order_fk, columns: [order_id], references: public.orders(id), on_delete: restrict}
EOF

run revision --autogenerate -m "create shop"
is_rc 0 "revision --autogenerate"
like "$OUT" '^migrations/[0-9a-f]{12}_create_shop\.sql$' "revision prints the path"
is "$ERR" "" "revision: nothing on stderr"
REV1_FILE=$(ls migrations/*_create_shop.sql)
REV1=$(rev_of "$REV1_FILE")
name_rev "$REV1" REV1
is "$OUT" "$REV1_FILE" "the printed path is the file written"
is "$(ls migrations)" "$(basename "$REV1_FILE")" "exactly one file written"

cat >"$T/rev1.expected" <<'EOF'
-- schemagen revision: REV1
-- parents:
-- message: create shop
-- created: <created>

-- +upgrade
COMMENT ON SCHEMA public IS 'The shop';
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices and payments';
CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');
CREATE SEQUENCE public.invoice_number AS integer START WITH 1000;
COMMENT ON SEQUENCE public.invoice_number IS 'Numbers printed on invoices';
CREATE TABLE billing.invoices (
    number bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    issued date DEFAULT CURRENT_DATE NOT NULL,
    CONSTRAINT invoices_pkey PRIMARY KEY (number)
);
CREATE TABLE public.customers (
    id bigint GENERATED ALWAYS AS IDENTITY,
    email text NOT NULL,
    full_name character varying(200) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email)
);
COMMENT ON TABLE public.customers IS 'People who place orders';
COMMENT ON COLUMN public.customers.email IS 'Login';
CREATE UNIQUE INDEX customers_email_lower_idx ON public.customers USING btree (lower(email));
CREATE TABLE public.orders (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    customer_id bigint NOT NULL,
    status public.order_status DEFAULT 'pending'::public.order_status NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL,
    invoice_no integer,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))
);
COMMENT ON TABLE public.orders IS 'What customers bought';
ALTER SEQUENCE public.invoice_number OWNED BY public.orders.invoice_no;
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE RESTRICT;
ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;
CREATE INDEX orders_open_idx ON public.orders USING btree (customer_id, created_at DESC) WHERE (status = ANY (ARRAY['pending'::public.order_status, 'paid'::public.order_status]));

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on billing.invoices: its reads and writes wait until the transaction ends
ALTER TABLE billing.invoices DROP CONSTRAINT invoices_order_fk;
-- WARNING: drops table billing.invoices and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on billing.invoices: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table billing.invoices and the data in it
DROP TABLE billing.invoices;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
ALTER TABLE public.orders DROP CONSTRAINT orders_customer_fk;
-- WARNING: drops table public.customers and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.customers: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.customers and the data in it
DROP TABLE public.customers;
-- WARNING: drops table public.orders and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.orders and the data in it
DROP TABLE public.orders;
DROP TYPE public.order_status;
DROP SCHEMA billing;
COMMENT ON SCHEMA public IS 'standard public schema';
EOF
norm_rev <"$REV1_FILE" >"$T/rev1.got"
is_file "$T/rev1.got" "$T/rev1.expected" "the first revision's file, exactly"
like "$(sed -n 4p "$REV1_FILE")" '^-- created: 20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$' \
	"created: is a UTC timestamp"
is "$(user_objects)" "" "revision --autogenerate does not touch the database"

# ---- upgrade, current, history ----

run upgrade head
is_rc 0 "upgrade head"
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "upgrade REV1 (create shop): 17 statements, N ms" \
	"upgrade says what it applied"
is "$ERR" "" "upgrade: nothing on stderr"
is "$(q "SELECT version_num FROM schemagen_version")" "$REV1" "version table holds the revision"
is "$(q "SELECT revision, direction, checksum FROM schemagen_history ORDER BY id")" \
	"$REV1|upgrade|$(sha256sum "$REV1_FILE" | cut -d' ' -f1)" "history row with the file's checksum"
is "$(user_objects)" "comment on schema public: The shop
relation billing.invoices
relation billing.invoices_number_seq
relation billing.invoices_pkey
relation public.customers
relation public.customers_email_key
relation public.customers_email_lower_idx
relation public.customers_id_seq
relation public.customers_pkey
relation public.invoice_number
relation public.orders
relation public.orders_id_seq
relation public.orders_open_idx
relation public.orders_pkey
schema billing
type public.order_status" "the database has the objects of the models"
is "$(q "SELECT string_agg(e::text, ',') FROM unnest(enum_range(NULL::order_status)) e")" \
	"pending,paid,shipped,cancelled" "enum values in order"
is "$(q "SELECT conname, confdeltype, confrelid::regclass FROM pg_constraint WHERE contype = 'f' ORDER BY 1")" \
	"invoices_order_fk|r|orders
orders_customer_fk|c|customers" "foreign keys with their ON DELETE (cross-schema too)"
is "$(q "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'orders_total_check'")" \
	"CHECK ((total >= (0)::numeric))" "check constraint"
is "$(q "SELECT indexdef FROM pg_indexes WHERE indexname IN ('customers_email_lower_idx', 'orders_open_idx') ORDER BY 1")" \
	"CREATE INDEX orders_open_idx ON public.orders USING btree (customer_id, created_at DESC) WHERE (status = ANY (ARRAY['pending'::order_status, 'paid'::order_status]))
CREATE UNIQUE INDEX customers_email_lower_idx ON public.customers USING btree (lower(email))" \
	"expression, partial and DESC indexes"
is "$(q "SELECT d.refobjid::regclass, a.attname, s.seqstart FROM pg_depend d
	JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
	JOIN pg_sequence s ON s.seqrelid = d.objid
	WHERE d.objid = 'invoice_number'::regclass AND d.deptype = 'a'")" \
	"orders|invoice_no|1000" "sequence owned by its column, starting at 1000"
is "$(q "SELECT attname, attidentity FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attidentity <> ''
	UNION ALL SELECT attname, attidentity FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attidentity <> ''")" \
	"id|a
id|d" "identity columns: always and by default"
is "$(q "SELECT obj_description('customers'::regclass, 'pg_class'), col_description('customers'::regclass, 2),
	obj_description('invoice_number'::regclass, 'pg_class'), obj_description('billing'::regnamespace, 'pg_namespace')")" \
	"People who place orders|Login|Numbers printed on invoices|Invoices and payments" "comments"

run_ok "current" current
is "$OUT" "$REV1 (head)" "current: <id> (head)"
run_ok "history" history
is "$OUT" "<base> -> $REV1 (head), create shop" "history"
run_ok "heads" heads
is "$OUT" "$REV1 (head)" "heads"

snap_dir migrations >"$T/mig.before"
run revision --autogenerate -m "nothing"
is_rc 0 "autogenerate with nothing to do exits 0"
is "$OUT:$ERR" ":No changes in schema detected; no revision written." "autogenerate says nothing changed"
snap_dir migrations >"$T/mig.after"
is_file "$T/mig.after" "$T/mig.before" "no file written when nothing changed"

run check
is_rc 0 "check: in sync"
is "$OUT" "No differences: the database is at the head and matches the models." "check says so"

# some data, to see that the next revision keeps it
q "INSERT INTO customers (email, full_name) VALUES ('ada@example.org', 'Ada Lovelace');
   INSERT INTO orders (customer_id, status, total) SELECT id, 'paid', 12.5 FROM customers;" >/dev/null

# ---- a second round of changes ----

cat >schema/public.yaml <<'EOF'
# the shop
schema: public
comment: The shop
enums:
  order_status: [pending, paid, packed, shipped, cancelled]
sequences:
  invoice_number:
    type: integer
    start: 1000
    owned_by: orders.invoice_no
    comment: Numbers printed on invoices
tables:
  customers:
    comment: People who place orders
    columns:
      id:         {type: bigint, identity: always}
      email:      {type: text, nullable: false, comment: Login}
      name:       {type: varchar(200), nullable: false, renamed_from: full_name}
      created_at: {type: timestamptz, nullable: false, default: now()}
      phone:      text
    primary_key: [id]
    unique:
      - {name: customers_email_key, columns: [email]}
    indexes:
      - {name: customers_email_lower_idx, unique: true, expressions: ["lower(email)"]}
  orders:
    comment: What customers bought
    columns:
      id:          {type: bigint, identity: by default}
      customer_id: {type: bigint, nullable: false}
      status:      {type: order_status, nullable: false, default: "'pending'"}
      total:       {type: "numeric(12,2)", nullable: false, default: "1"}
      invoice_no:  integer
      created_at:  {type: timestamptz, nullable: false, default: now()}
    primary_key: [id]
    foreign_keys:
      - {name: orders_customer_fk, columns: [customer_id], references: customers(id), on_delete: cascade}
    checks:
      - {name: orders_total_check, expression: "total >= 0"}
    indexes:
      - name: orders_open_idx
        columns: [customer_id, {column: created_at, order: desc}]
        where: "status IN ('pending', 'paid')"
      - {name: orders_status_idx, columns: [status]}
EOF

CHANGES2='  ~ enum public.order_status: value '"'packed'"' added
  ~ column public.customers.full_name renamed to name
  + column public.customers.phone
  - column public.orders.note
  ~ column public.orders.total: default 0 -> 1
  + index public.orders_status_idx'

run check
is_rc 1 "check: models changed"
is "$OUT" "database and models differ (6 changes for \`schemagen revision --autogenerate\`):
$CHANGES2" "check lists the changes"

cat >"$T/rev2.body" <<'EOF'
-- +upgrade
ALTER TYPE public.order_status ADD VALUE IF NOT EXISTS 'packed' AFTER 'paid';
-- WARNING: drops column public.orders.note and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column public.orders.note and the data in it
ALTER TABLE public.orders DROP COLUMN note;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.customers: its reads and writes wait until the transaction ends
ALTER TABLE public.customers RENAME COLUMN full_name TO name;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
ALTER TABLE public.orders
    ALTER COLUMN total DROP DEFAULT,
    ALTER COLUMN total SET DEFAULT 1;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.customers: its reads and writes wait until the transaction ends
ALTER TABLE public.customers ADD COLUMN phone text;
-- hazard: lock-share: takes a SHARE lock on public.orders: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on public.orders while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX orders_status_idx ON public.orders USING btree (status);

-- +downgrade
-- WARNING: drops column public.customers.phone and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.customers: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column public.customers.phone and the data in it
ALTER TABLE public.customers DROP COLUMN phone;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index public.orders_open_idx: its reads and writes wait until the transaction ends
DROP INDEX public.orders_open_idx;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index public.orders_status_idx: its reads and writes wait until the transaction ends
DROP INDEX public.orders_status_idx;
-- WARNING: rebuilds enum public.order_status with its values changed (it had 'pending', 'paid', 'packed', 'shipped', 'cancelled'); rows holding a value that no longer exists make the migration fail
-- hazard: data-loss: rebuilds enum public.order_status with its values changed (it had 'pending', 'paid', 'packed', 'shipped', 'cancelled'); rows holding a value that no longer exists make the migration fail
ALTER TYPE public.order_status RENAME TO order_status__sg_old;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.customers: its reads and writes wait until the transaction ends
ALTER TABLE public.customers RENAME COLUMN name TO full_name;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
ALTER TABLE public.orders
    ALTER COLUMN total DROP DEFAULT,
    ALTER COLUMN total SET DEFAULT 0;
-- irreversible: PostgreSQL cannot remove values from an enum: type public.order_status is made again without 'packed', which rows written since the upgrade may hold
CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.orders and its indexes to change the type of status (unless the old type converts without change)
-- hazard: may-fail: fails if a value of status does not convert to the new type
ALTER TABLE public.orders
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE public.order_status USING status::text::public.order_status,
    ALTER COLUMN status SET DEFAULT 'pending'::public.order_status;
DROP TYPE public.order_status__sg_old;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
ALTER TABLE public.orders ADD COLUMN note text;
-- hazard: lock-share: takes a SHARE lock on public.orders: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on public.orders while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX orders_open_idx ON public.orders USING btree (customer_id, created_at DESC) WHERE (status = ANY (ARRAY['pending'::public.order_status, 'paid'::public.order_status]));
EOF

run diff
is_rc 0 "diff"
printf '%s\n' "$OUT" >"$T/diff2.got"
is_file "$T/diff2.got" "$T/rev2.body" "diff prints both sections of the coming revision"
is "$(ls migrations)" "$(basename "$REV1_FILE")" "diff writes no file"

run revision --autogenerate -m "status packed, phone"
is_rc 0 "second revision"
REV2_FILE=$(ls migrations/*_status_packed_phone.sql)
is "$ERR" "irreversible downgrade: PostgreSQL cannot remove values from an enum: type public.order_status is made again without 'packed', which rows written since the upgrade may hold
hazards: 1 data-loss, 1 index-build-blocks-writes, 4 lock-access-exclusive, 1 lock-share (see $REV2_FILE)" \
	"second revision: its irreversible downgrade step and its hazards said"
REV2_FILE=$(ls migrations/*_status_packed_phone.sql 2>/dev/null)
REV2=$(rev_of "$REV2_FILE")
name_rev "$REV2" REV2
is "$OUT" "$REV2_FILE" "second revision: path"
{
	printf '%s\n' "-- schemagen revision: REV2" "-- parents: REV1" \
		"-- message: status packed, phone" "-- created: <created>" ""
	cat "$T/rev2.body"
} >"$T/rev2.expected"
norm_rev <"$REV2_FILE" >"$T/rev2.got"
is_file "$T/rev2.got" "$T/rev2.expected" "the second revision's file, exactly"

run current
is "$OUT" "$REV1" "current: behind the head, no (head) mark"
run upgrade head
is_rc 0 "upgrade to the second revision"
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "upgrade REV2 (status packed, phone): 6 statements, N ms" \
	"upgrade applies only the new revision"
run current
is "$OUT" "$REV2 (head)" "current after the second upgrade"
run history
is "$OUT" "$REV1 -> $REV2 (head), status packed, phone
<base> -> $REV1, create shop" "history lists both, newest first"
run check
is_rc 0 "check clean after the second upgrade"
is "$(q "SELECT string_agg(e::text, ',') FROM unnest(enum_range(NULL::order_status)) e")" \
	"pending,paid,packed,shipped,cancelled" "value added in the middle"
is "$(q "SELECT name, phone IS NULL FROM customers")" "Ada Lovelace|t" "renamed column kept its data"
is "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'note' AND NOT attisdropped")" \
	"0" "dropped column is gone"
is "$(q "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'orders'::regclass AND adnum = 4")" \
	"1" "default changed"
is "$(q "SELECT to_regclass('orders_status_idx') IS NOT NULL")" "t" "index added"
is "$(q "SELECT count(*) FROM orders WHERE status = 'paid'")" "1" "orders kept"

# ---- downgrade ----

run downgrade -1
is "$RC" 2 "downgrade -1: refused, the enum value cannot be removed for sure"
like "$ERR" "^$REV2_FILE:[0-9]*:1: error: the downgrade of revision $REV2 cannot restore this step: PostgreSQL cannot remove values from an enum" \
	"downgrade -1: where and why"
run downgrade -1 --force-irreversible
is_rc 0 "downgrade -1 --force-irreversible (no row holds the value)"
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "downgrade REV2 (status packed, phone): 11 statements, N ms" \
	"downgrade says what it reverted"
run current
is "$OUT" "$REV1" "current after downgrade -1"
is "$(q "SELECT string_agg(e::text, ',') FROM unnest(enum_range(NULL::order_status)) e")" \
	"pending,paid,shipped,cancelled" "enum rebuilt without the value"
is "$(q "SELECT full_name, status FROM customers JOIN orders ON customer_id = customers.id")" \
	"Ada Lovelace|paid" "data survives the downgrade"
run check
is_rc 1 "check after downgrade: differences"
is "$OUT" "pending revision $REV2, status packed, phone
database and models differ (6 changes for \`schemagen revision --autogenerate\`):
$CHANGES2" "check lists the pending revision and the differences"

run revision --autogenerate -m "too early"
is_rc 2 "autogenerate refuses a database behind the head"
is "$ERR" "schemagen: error: target database is not up to date: it is at $REV1, the migrations head is $REV2
  hint: run \`schemagen upgrade head\` first, then autogenerate" "autogenerate: not up to date"

q "DELETE FROM orders; DELETE FROM customers" >/dev/null
run downgrade base
is_rc 0 "downgrade base"
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "downgrade REV1 (create shop): 8 statements, N ms" \
	"downgrade base reverts the first revision"
is "$(user_objects)" "" "downgrade base leaves no user objects"
is "$(q "SELECT count(*) FROM schemagen_version")" "0" "version table empty at base"
is "$(q "SELECT revision || ' ' || direction FROM schemagen_history ORDER BY id")" "$REV1 upgrade
$REV2 upgrade
$REV2 downgrade
$REV1 downgrade" "history records every step"
run check
is_rc 1 "check at base"
is "$OUT" "pending revision $REV1, create shop
pending revision $REV2, status packed, phone
database and models differ (7 changes for \`schemagen revision --autogenerate\`):
  + schema billing
  ~ schema public: comment
  + enum public.order_status
  + sequence public.invoice_number
  + table billing.invoices
  + table public.customers
  + table public.orders" "check at base: new objects, without their parts"
run current
is_rc 0 "current at base"
is "$OUT" "" "current at base prints nothing"
run -v current
like "$OUT" "^base \\(no revision applied\\)$" "current -v at base says so"

# ---- stamp ----

run stamp head
is_rc 0 "stamp head"
is "$OUT" "stamped the database at $REV2 (it was at base)" "stamp says what it did"
is "$(user_objects)" "" "stamp runs nothing"
run current
is "$OUT" "$REV2 (head)" "current after stamp"
is "$(q "SELECT revision, direction FROM schemagen_history ORDER BY id DESC LIMIT 1")" \
	"$REV2|stamp" "stamp is in the history"

# ---- diff against an empty (stamped) database ----

cat >"$T/diff-all.expected" <<'EOF'
-- +upgrade
COMMENT ON SCHEMA public IS 'The shop';
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices and payments';
CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'packed', 'shipped', 'cancelled');
CREATE SEQUENCE public.invoice_number AS integer START WITH 1000;
COMMENT ON SEQUENCE public.invoice_number IS 'Numbers printed on invoices';
CREATE TABLE billing.invoices (
    number bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    issued date DEFAULT CURRENT_DATE NOT NULL,
    CONSTRAINT invoices_pkey PRIMARY KEY (number)
);
CREATE TABLE public.customers (
    id bigint GENERATED ALWAYS AS IDENTITY,
    email text NOT NULL,
    name character varying(200) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    phone text,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email)
);
COMMENT ON TABLE public.customers IS 'People who place orders';
COMMENT ON COLUMN public.customers.email IS 'Login';
CREATE UNIQUE INDEX customers_email_lower_idx ON public.customers USING btree (lower(email));
CREATE TABLE public.orders (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    customer_id bigint NOT NULL,
    status public.order_status DEFAULT 'pending'::public.order_status NOT NULL,
    total numeric(12,2) DEFAULT 1 NOT NULL,
    invoice_no integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))
);
COMMENT ON TABLE public.orders IS 'What customers bought';
ALTER SEQUENCE public.invoice_number OWNED BY public.orders.invoice_no;
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE RESTRICT;
ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;
CREATE INDEX orders_open_idx ON public.orders USING btree (customer_id, created_at DESC) WHERE (status = ANY (ARRAY['pending'::public.order_status, 'paid'::public.order_status]));
CREATE INDEX orders_status_idx ON public.orders USING btree (status);

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on billing.invoices: its reads and writes wait until the transaction ends
ALTER TABLE billing.invoices DROP CONSTRAINT invoices_order_fk;
-- WARNING: drops table billing.invoices and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on billing.invoices: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table billing.invoices and the data in it
DROP TABLE billing.invoices;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
ALTER TABLE public.orders DROP CONSTRAINT orders_customer_fk;
-- WARNING: drops table public.customers and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.customers: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.customers and the data in it
DROP TABLE public.customers;
-- WARNING: drops table public.orders and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.orders: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.orders and the data in it
DROP TABLE public.orders;
DROP TYPE public.order_status;
DROP SCHEMA billing;
COMMENT ON SCHEMA public IS 'standard public schema';
EOF
snap_dir . >"$T/proj.before"
run diff
is_rc 0 "diff against the stamped, empty database"
printf '%s\n' "$OUT" >"$T/diff-all.got"
is_file "$T/diff-all.got" "$T/diff-all.expected" "diff prints the SQL that would create everything"
is "$(user_objects)" "" "diff changes nothing in the database"
snap_dir . >"$T/proj.after"
is_file "$T/proj.after" "$T/proj.before" "diff writes nothing"

# back to a real head for the rest
run stamp base
run_ok "upgrade head from base" upgrade head
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "upgrade REV1 (create shop): 17 statements, N ms
upgrade REV2 (status packed, phone): 6 statements, N ms" "upgrade head applies both in order"
run_ok "check clean at head" check
run upgrade head
is "$OUT" "nothing to do: the database is already at $REV2" "upgrade at head: nothing to do"

# ---- show, history ranges, relative targets ----

run show "$(printf '%s' "$REV1" | cut -c1-5)"
is_rc 0 "show a revision by a prefix of its id"
is "$(printf '%s\n' "$OUT" | sed -n 1,5p)" "Rev: $REV1
Parent: <base>
Path: $REV1_FILE
Checksum: sha256:$(sha256sum "$REV1_FILE" | cut -d' ' -f1)" "show: the header"
is "$(printf '%s\n' "$OUT" | sed -n 5p)" "" "show: a blank line"
printf '%s\n' "$OUT" | sed 1,5d >"$T/show.got"
is_file "$T/show.got" "$REV1_FILE" "show: then the file"
run history -r "$REV2:"
is "$OUT" "$REV1 -> $REV2 (head), status packed, phone" "history -r REV2:"
run history -r ":$REV1"
is "$OUT" "<base> -> $REV1, create shop" "history -r :REV1"
run downgrade -2 --force-irreversible
is_rc 0 "downgrade -2"
is "$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "downgrade REV2 (status packed, phone): 11 statements, N ms
downgrade REV1 (create shop): 8 statements, N ms" "downgrade -2 reverts both"
run upgrade +1
is "$RC:$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "0:upgrade REV1 (create shop): 17 statements, N ms" "upgrade +1 from base"
run upgrade +1
is "$RC:$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "0:upgrade REV2 (status packed, phone): 6 statements, N ms" "upgrade +1 again"
run upgrade +1
is_rc 2 "upgrade +1 at the head"
is "$ERR" "schemagen: error: cannot go up from $REV2: it is a head, there is nothing above it" \
	"upgrade +1 at the head: exact message"
run downgrade "$REV1" --force-irreversible
is "$RC:$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "0:downgrade REV2 (status packed, phone): 11 statements, N ms" \
	"downgrade to a revision"
run upgrade "$REV1+1"
is "$RC:$(printf '%s\n' "$OUT" | norm_rev | norm_ms)" "0:upgrade REV2 (status packed, phone): 6 statements, N ms" \
	"upgrade REV+1"
run --version
like "$OUT" '^schemagen [0-9]+\.[0-9]+\.[0-9]+$' "--version"

# ---- which database: --url > DATABASE_URL > database_url > libpq ----

DB_CFG=$(new_db cfg)
DB_ENV=$(new_db env)
DB_FLAG=$(new_db flag)
sed "s|^database_url: .*|database_url: $(conninfo "$DB_CFG")|" schemagen.yaml >"$T/other.yaml"
(
	unset DATABASE_URL
	run -c "$T/other.yaml" -v current
	printf '%s\n' "$ERR" >"$T/which.cfg"
	export DATABASE_URL="$(conninfo "$DB_ENV")"
	run -c "$T/other.yaml" -v current
	printf '%s\n' "$ERR" >"$T/which.env"
	run -c "$T/other.yaml" -v current --url "$(conninfo "$DB_FLAG")"
	printf '%s\n' "$ERR" >"$T/which.flag"
	unset DATABASE_URL
	export PGDATABASE="$DB"
	run -v current
	printf '%s\n' "$ERR" >"$T/which.libpq"
)
is "$(cat "$T/which.cfg")" "schemagen: database: $(conninfo "$DB_CFG")" "database_url: from schemagen.yaml"
is "$(cat "$T/which.env")" "schemagen: database: $(conninfo "$DB_ENV")" "DATABASE_URL over the config"
is "$(cat "$T/which.flag")" "schemagen: database: $(conninfo "$DB_FLAG")" "--url over DATABASE_URL"
is "$(cat "$T/which.libpq")" "schemagen: database: host=$PGHOST port=${PGPORT:-5432} user=${PGUSER:-postgres} dbname=$DB (libpq defaults)" \
	"libpq's environment last, and -v says which database it chose"

# ---- upgrade --sql needs no database ----

(
	unset PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL SCHEMAGEN_DEV_URL
	run upgrade head --sql --url "postgres://u:secret@127.0.0.1:1/x"
	printf '%s' "$RC" >"$T/sql.rc"
	printf '%s\n' "$OUT" >"$T/offline.sql"
	printf '%s' "$ERR" >"$T/sql.err"
)
RC=$(cat "$T/sql.rc"); OUT=$(cat "$T/offline.sql"); ERR=$(cat "$T/sql.err")
is_rc 0 "upgrade head --sql with no database reachable"
is "$ERR" "" "--sql: nothing on stderr"
is "$(head -n 2 "$T/offline.sql")" "-- schemagen upgrade head: from base, 2 revisions
-- run with: psql -v ON_ERROR_STOP=1 -f FILE" "--sql: header"
is "$(grep -c '^BEGIN;$' "$T/offline.sql"):$(grep -c '^COMMIT;$' "$T/offline.sql")" "3:3" \
	"--sql: BEGIN/COMMIT per revision (and one for the new enum value)"
is "$(grep -E 'schemagen_(version|history) ' "$T/offline.sql" | grep -E '^(INSERT|UPDATE|DELETE)' | norm_rev)" \
	"INSERT INTO public.schemagen_version (version_num) VALUES ('REV1');
INSERT INTO public.schemagen_history (revision, direction, checksum) VALUES ('REV1', 'upgrade', '$(sha256sum "$REV1_FILE" | cut -d' ' -f1)');
UPDATE public.schemagen_version SET version_num = 'REV2' WHERE version_num = 'REV1';
INSERT INTO public.schemagen_history (revision, direction, checksum) VALUES ('REV2', 'upgrade', '$(sha256sum "$REV2_FILE" | cut -d' ' -f1)');" \
	"--sql: version bookkeeping"
like "$OUT" '^CREATE TABLE IF NOT EXISTS public\.schemagen_version \($' "--sql creates the version table"
like "$OUT" '^CREATE INDEX orders_status_idx ON public\.orders USING btree \(status\);$' "--sql holds the statements"
unlike "$OUT$ERR" 'secret' "--sql never prints the password"

# ---- adopting an existing database with dump ----

LEGACY=$(new_db legacy)
EMPTY=$(new_db empty)
qdb "$LEGACY" "
CREATE SCHEMA crm;
CREATE TYPE crm.tier AS ENUM ('free', 'pro');
CREATE TABLE crm.accounts (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    tier crm.tier NOT NULL DEFAULT 'free',
    created timestamptz DEFAULT now()
);
CREATE TABLE public.notes (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id integer REFERENCES crm.accounts (id) ON DELETE SET NULL,
    body text CHECK (length(body) < 1000)
);
CREATE INDEX notes_account_idx ON public.notes (account_id) WHERE account_id IS NOT NULL;
COMMENT ON TABLE crm.accounts IS 'Customers'' accounts';
INSERT INTO crm.accounts (name) VALUES ('acme');" >/dev/null

A=$T/adopt
mkdir -p "$A"
cd "$A" || BAIL_OUT "no $A"
run_ok "init the adopting project" init
sed -i 's/^schemas: \[public\]$/schemas: [public, crm]/' schemagen.yaml
rm schema/public.yaml
run dump --url "$(conninfo "$LEGACY")" -o schema
is_rc 0 "dump the existing database"
is "$OUT" "Dumped 2 schemas to schema" "dump says what it wrote"
is "$(cd schema && ls)" "crm.yaml
public.yaml" "one file per schema"
echo "$MODEL_SCHEMA_LINE" >"$T/crm.expected"
cat >>"$T/crm.expected" <<'EOF'
schema: crm

enums:
  tier: [free, pro]

sequences:
  accounts_id_seq: {type: integer, owned_by: accounts.id}

tables:
  accounts:
    comment: Customers' accounts
    columns:
      id: {type: integer, nullable: false, default: "nextval('crm.accounts_id_seq'::regclass)"}
      name: {type: text, nullable: false}
      tier: {type: crm.tier, nullable: false, default: "'free'::crm.tier"}
      created: {type: timestamp with time zone, default: now()}
    primary_key: [id]
    unique:
      - {name: accounts_name_key, columns: [name]}
EOF
is_file schema/crm.yaml "$T/crm.expected" "dumped crm.yaml, exactly"
run dump --url "$(conninfo "$LEGACY")" -o schema
is_rc 2 "dump again refuses to overwrite"
is "$ERR" "schemagen: error: schema/crm.yaml already exists; not overwriting model files
schemagen: error: schema/public.yaml already exists; not overwriting model files" \
	"dump again: exact message"

# the baseline revision: generated against an empty database
run revision --autogenerate -m "baseline" --url "$(conninfo "$EMPTY")"
is_rc 0 "baseline revision from the dumped models"
BASE_FILE=$(ls migrations/*_baseline.sql 2>/dev/null)
ok "baseline file written" test -f "$BASE_FILE"
like "$(cat "$BASE_FILE")" '^CREATE TABLE crm\.accounts \($' "baseline creates the tables"
export DATABASE_URL="$(conninfo "$LEGACY")"
run stamp head
is_rc 0 "stamp the existing database at the baseline"
snap_dir . >"$T/adopt.before"
run revision --autogenerate -m "after adoption"
is_rc 0 "autogenerate on the adopted database"
is "$OUT:$ERR" ":No changes in schema detected; no revision written." "adopted database and dumped models agree"
snap_dir . >"$T/adopt.after"
is_file "$T/adopt.after" "$T/adopt.before" "no revision written after adoption"
run_ok "check on the adopted database" check
is "$(qdb "$LEGACY" "SELECT name FROM crm.accounts")" "acme" "adoption kept the data"
# the baseline rebuilds the same database from nothing
run upgrade head --url "$(conninfo "$EMPTY")"
is_rc 0 "the baseline applies to an empty database"
same_schema "baseline equals the adopted database" "$EMPTY" "$LEGACY"

done_testing
