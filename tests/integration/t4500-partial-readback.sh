#!/bin/sh
# SPDX-License-Identifier: MIT
# t4500-partial-readback.sh - issue 12: after an incremental step the model
# database is read back only where the step can have changed it (the
# changed tables and views and their pg_depend neighbours, merged into the
# catalog it held: src/introspect/partial.c).  With SCHEMAGEN_PARTIAL_CHECK the
# database is read whole as well and the two catalogs compared, serialised
# byte for byte, oids and ids included: for a series of one-step changes
# of the example models (a comment, a column added, altered, dropped, a
# foreign key, an index, a check, a view over a table, a trigger, a grant,
# a table added and dropped, a row-level security switch, tables with
# inheritance added) -v says the partial read is the full read; a table
# renamed, a function changed and SCHEMAGEN_NO_PARTIAL are read whole, -v
# saying why; the last catalog is that of --no-cache.
. "$(dirname "$0")/lib.sh"

cache_project example
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"
_cleanup_hook=drop_kept
SCHEMAGEN_PARTIAL_CHECK=1
export SCHEMAGEN_PARTIAL_CHECK

run -v --url "$DBURL" diff
is "$RC" 0 "first run"

# whole LABEL WHY: the last run read the model database back whole
whole() {
	is "$RC" 0 "$1: diff"
	like "$ERR" "model database sg_models_[a-z0-9_]*: bringing it to the models" "$1: incremental"
	like "$ERR" "model database: reading it back whole: $2" "$1: read back whole, saying why"
}
# edit SED-SCRIPT: the public models changed, then diff
edit() {
	sed -i "$1" schema/public.yaml
	run -v --url "$DBURL" diff
}

edit 's/^  products:$/  products:\n    comment: What we sell/'
mdb_partial "a table's comment"
edit 's/^      price: {type: "numeric(10,2)", nullable: false}$/&\n      weight: {type: integer}/'
mdb_partial "a column added"
edit 's/^      weight: {type: integer}$/      weight: {type: bigint, default: "0"}/'
mdb_partial "a column altered"
edit '/^      weight: /d'
mdb_partial "a column dropped"
edit 's/^      created_at: {type: timestamptz, nullable: false, default: now()}$/&\n      fav: {type: integer}/'
mdb_partial "a column for a foreign key"
edit 's/^      - {name: customers_email_key, unique: true, expressions: \["lower(email)"\]}$/&\n    foreign_keys:\n      - {columns: [fav], references: products(id)}/'
mdb_partial "a foreign key added"
edit 's/^      - {columns: \[product_id\], references: products(id)}$/&\n    indexes:\n      - {name: order_lines_product_idx, columns: [product_id]}/'
mdb_partial "an index added"
edit 's/^      - {columns: \[fav\], references: products(id)}$/&\n    checks:\n      - {name: customers_email_check, expression: "email <> '"''"'"}/'
mdb_partial "a check added"
cat >>schema/public.yaml <<'EOF2'
  customer_emails:
    query: SELECT c.id, c.email FROM customers c
EOF2
run -v --url "$DBURL" diff
mdb_partial "a view over a table"
edit 's/^      - {name: customers_email_check, expression: .*$/&\n    triggers:\n      customers_log:\n        timing: after\n        events: [update]\n        for_each: row\n        function: log_order_status/'
mdb_partial "a trigger added"
edit 's/^    comment: What we sell$/&\n    grants: {public: [select]}/'
mdb_partial "a grant"
edit 's/^    comment: People who place orders$/&\n    row_level_security: true/'
mdb_partial "row-level security"
edit 's/^tables:$/&\n  scratch_t:\n    columns:\n      id: {type: integer}/'
mdb_partial "a table added"
edit 's/^  scratch_t:$/  scratch_u:\n    renamed_from: scratch_t/'
whole "a table renamed" "a relation or column was renamed"
edit '/^  scratch_u:$/,/^      id: {type: integer}$/d'
mdb_partial "a table dropped"
edit 's/^tables:$/&\n  base_t:\n    columns:\n      id: {type: integer}\n  kid_t:\n    inherits: [base_t]\n    columns:\n      n: {type: integer}/'
mdb_partial "a table inheriting another (t4660: more of partitions and inheritance)"
edit 's/^        RETURN NEW;$/        RETURN NULL;/'
whole "a function changed" "a function changed"
SCHEMAGEN_NO_PARTIAL=1
export SCHEMAGEN_NO_PARTIAL
edit 's/^    comment: What we sell$/    comment: What we sell today/'
unset SCHEMAGEN_NO_PARTIAL
whole "SCHEMAGEN_NO_PARTIAL" "SCHEMAGEN_NO_PARTIAL is set"

# the catalog at the end is the one a new model database gives
unset SCHEMAGEN_PARTIAL_CHECK
mdb_same "the end"
done_testing
