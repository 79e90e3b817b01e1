#!/bin/sh
# SPDX-License-Identifier: MIT
# t4120-publications.sh - publications (issue 10), database-wide: FOR
# TABLE lists and FOR ALL TABLES created after their tables; tables added
# and dropped, publish operations, publish_via_partition_root, comment and
# owner altered; renamed (renamed_from); FOR ALL TABLES turned into a list
# (re-created); dropped.  On PostgreSQL 15 and later also column lists,
# row filters and TABLES IN SCHEMA (a changed filter: the table dropped
# and added again); before 15 those are refused at their place in the
# model.  Each step by `revision --autogenerate` + `upgrade` with `check`
# clean and the exact SQL; then every step undone by `downgrade -1`, back
# to the database of the step before (pg_dump).  Load errors at their place.
. "$(dirname "$0")/lib.sh"

new_roles sg_pub_owner
new_kind_project
qdb postgres "GRANT CREATE ON DATABASE \"$DB\" TO sg_pub_owner" >/dev/null
V=$(server_version_num)

TABLES='schema: shop
tables:
  orders:
    columns:
      id: {type: int}
      status: text
      total: numeric
    primary_key: [id]
  items:
    columns:
      id: {type: int}
      sku: text
    primary_key: [id]'
step() {
	nsteps=$((nsteps + 1))
	{ echo "$TABLES"; cat; } >schema/model.yaml
	migrate_step "$@" || return
	schema_dump "$DB" >"$T/snap$nsteps"
}
upgrade_sql() {
	sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' "$T/step$nsteps.sql" | sed '1d;$d' |
		sed '/^$/d'
}
downgrade_sql() {
	sed -n '/^-- +downgrade$/,$p' "$T/step$nsteps.sql" | sed '1d' | sed '/^$/d'
}
ROOT=pubviaroot
[ "$V" -ge 130000 ] || ROOT=false
PUBS="SELECT string_agg(pubname || ' ' || puballtables::text || ' ' || concat_ws('', CASE WHEN pubinsert THEN 'i' END, CASE WHEN pubupdate THEN 'u' END, CASE WHEN pubdelete THEN 'd' END, CASE WHEN pubtruncate THEN 't' END) || ' ' || $ROOT::text || ' ' || pubowner::regrole::text || ' ' || coalesce(obj_description(p.oid, 'pg_publication'), '-') || ' [' || coalesce((SELECT string_agg(prrelid::regclass::text, ',' ORDER BY prrelid::regclass::text) FROM pg_publication_rel r WHERE r.prpubid = p.oid), '') || ']', '; ' ORDER BY pubname) FROM pg_publication p"

step <<'EOF' "publications created" "$PUBS" \
	"everything true i false postgres - []; feed false iudt false postgres - [shop.orders]"
publications:
  everything:
    all_tables: true
    publish: [insert]
  feed:
    tables: [{schema: shop, table: orders}]
EOF
is "$(upgrade_sql | grep PUBLICATION)" "CREATE PUBLICATION everything FOR ALL TABLES WITH (publish = 'insert');
CREATE PUBLICATION feed FOR TABLE shop.orders;" "created: the upgrade"
like "$(upgrade_sql | tr '\n' ' ')" 'CREATE TABLE shop.orders.*CREATE PUBLICATION feed' \
	"the publication after its table"
is "$(downgrade_sql | grep PUBLICATION)" "DROP PUBLICATION everything;
DROP PUBLICATION feed;" "created: the downgrade"
like "$(downgrade_sql | tr '\n' ' ')" 'DROP PUBLICATION feed;.*DROP TABLE shop.orders' \
	"the publication dropped before its table"

step <<'EOF' "table added, options, comment, owner" "$PUBS" \
	"everything true iu false postgres - []; feed false iu true sg_pub_owner the feed [shop.items,shop.orders]"
publications:
  everything:
    all_tables: true
    publish: [insert, update]
  feed:
    tables:
      - {schema: shop, table: orders}
      - {schema: shop, table: items}
    publish: [update, insert]
    via_partition_root: true
    comment: the feed
    owner: sg_pub_owner
EOF
is "$(upgrade_sql)" "ALTER PUBLICATION everything SET (publish = 'insert, update');
ALTER PUBLICATION feed ADD TABLE shop.items;
ALTER PUBLICATION feed SET (publish = 'insert, update', publish_via_partition_root = true);
COMMENT ON PUBLICATION feed IS 'the feed';
ALTER PUBLICATION feed OWNER TO sg_pub_owner;" "altered: the upgrade"
is "$(downgrade_sql)" "ALTER PUBLICATION everything SET (publish = 'insert');
ALTER PUBLICATION feed DROP TABLE shop.items;
ALTER PUBLICATION feed SET (publish = 'insert, update, delete, truncate', publish_via_partition_root = false);
COMMENT ON PUBLICATION feed IS NULL;
ALTER PUBLICATION feed OWNER TO postgres;" "altered: the downgrade"

if [ "$V" -ge 150000 ]; then
	step <<'EOF' "column list, row filter, schemas (15)" "$PUBS" \
		"everything true iu false postgres - []; feed false iu true sg_pub_owner the feed [shop.items,shop.orders]; in_schema false iudt false postgres - []"
publications:
  everything:
    all_tables: true
    publish: [insert, update]
  feed:
    tables:
      - {schema: shop, table: orders, columns: [id, status], where: "status <> 'draft'"}
      - {schema: shop, table: items}
    publish: [update, insert]
    via_partition_root: true
    comment: the feed
    owner: sg_pub_owner
  in_schema:
    schemas: [public]
EOF
	is "$(upgrade_sql)" "ALTER PUBLICATION feed DROP TABLE shop.orders;
ALTER PUBLICATION feed ADD TABLE shop.orders (id, status) WHERE ((status <> 'draft'::text));
CREATE PUBLICATION in_schema FOR TABLES IN SCHEMA public;" \
		"column list and filter: dropped and added again; TABLES IN SCHEMA"
	is "$(q "SELECT pg_get_expr(prqual, prrelid) || ' ' || prattrs::text FROM pg_publication_rel WHERE prrelid = 'shop.orders'::regclass")" \
		"(status <> 'draft'::text) 1 2" "in the database"
else
	cp schema/model.yaml "$T/good.yaml"
	cat >schema/model.yaml <<'EOF'
schema: shop
tables:
  orders: {columns: {id: int}}
publications:
  p:
    tables: [{schema: shop, table: orders, columns: [id], where: "id > 0"}]
    schemas: [public]
EOF
	run diff
	is "$RC:$ERR" "2:schema/model.yaml:6:36: error: a column list of a published table needs PostgreSQL 15 (the server is $((V / 10000)))
schema/model.yaml:6:67: error: a row filter (where) of a published table needs PostgreSQL 15 (the server is $((V / 10000)))
schema/model.yaml:7:14: error: TABLES IN SCHEMA (schemas) needs PostgreSQL 15 (the server is $((V / 10000)))" \
		"before 15: column lists, row filters and TABLES IN SCHEMA refused at their place"
	cp "$T/good.yaml" schema/model.yaml
fi

step <<'EOF' "renamed" "$PUBS" \
	"everything true iu false postgres - []; orders_feed false iu true sg_pub_owner the feed [shop.items,shop.orders]"
publications:
  everything:
    all_tables: true
    publish: [insert, update]
  orders_feed:
    tables:
      - {schema: shop, table: orders}
      - {schema: shop, table: items}
    publish: [update, insert]
    via_partition_root: true
    comment: the feed
    owner: sg_pub_owner
    renamed_from: feed
EOF
like "$(upgrade_sql)" "^ALTER PUBLICATION feed RENAME TO orders_feed;" "renamed: the upgrade"

# ---- dump: database.yaml, and diff against it finds nothing ----
run dump --owners -o "$T/dumped"
is_rc 0 "dump" || diag "$ERR"
is "$(grep -v '^#' "$T/dumped/database.yaml")" "
publications:
  everything: {all_tables: true, publish: [insert, update], owner: $(q "SELECT current_user")}
  orders_feed:
    tables:
      - {schema: shop, table: items}
      - {schema: shop, table: orders}
    publish: [insert, update]
    via_partition_root: true
    comment: the feed
    owner: sg_pub_owner" "dump writes them into database.yaml"
mv schema "$T/models" && cp -r "$T/dumped" schema
run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff against the dumped models: nothing"
rm -r schema && mv "$T/models" schema

step <<'EOF' "all tables becomes a list: re-created" "$PUBS" \
	"everything false iu false postgres - [shop.items]; orders_feed false iu true sg_pub_owner the feed [shop.items,shop.orders]"
publications:
  everything:
    tables: [{schema: shop, table: items}]
    publish: [insert, update]
  orders_feed:
    tables:
      - {schema: shop, table: orders}
      - {schema: shop, table: items}
    publish: [update, insert]
    via_partition_root: true
    comment: the feed
    owner: sg_pub_owner
EOF
is "$(upgrade_sql)" "DROP PUBLICATION everything;
CREATE PUBLICATION everything FOR TABLE shop.items WITH (publish = 'insert, update');" \
	"re-created: the upgrade"

step "dropped" "$PUBS" "" </dev/null
is "$(upgrade_sql)" "DROP PUBLICATION everything;
DROP PUBLICATION orders_feed;" "dropped: the upgrade"

# ---- load errors (the models of the last step kept aside) ----
cp schema/model.yaml "$T/good.yaml"
cat >schema/model.yaml <<'EOF'
schema: shop
publications:
  a: {all_tables: true, tables: [t]}
  b: {tables: t}
  c: {tables: [{schema: shop}]}
  d: {tables: [{table: t, where: "id >"}]}
  e: {all_tables: true, publish: [insert, upsert]}
  f: {tables: [t, t]}
  g: {all_tables: true, via_partition_root: maybe}
  h: [x]
EOF
run revision --autogenerate -m bad
is "$RC:$ERR" '2:schema/model.yaml:3:33: error: publication "a" has both "all_tables: true" and "tables"
schema/model.yaml:4:15: error: expected a list of tables, found "t"
schema/model.yaml:5:16: error: missing key "table" in a published table
schema/model.yaml:6:39: error: where: syntax error at end of input
schema/model.yaml:7:43: error: "publish" must be insert, update, delete or truncate, found "upsert"
  hint: did you mean "insert"?
schema/model.yaml:8:19: error: publication "f" lists table "t" twice
schema/model.yaml:9:45: error: "via_partition_root" must be true or false, found "maybe"
schema/model.yaml:10:6: error: expected a mapping {tables:, publish:, ...}, found a list' \
	"load errors at their places"
cp "$T/good.yaml" schema/model.yaml

# ---- every step undone ----
while [ "$nsteps" -gt 1 ]; do
	run downgrade -1
	is_rc 0 "downgrade of step $nsteps" || diag "$ERR"
	nsteps=$((nsteps - 1))
	schema_dump "$DB" >"$T/now"
	is_file "$T/now" "$T/snap$nsteps" "after the downgrade, the database of step $nsteps"
done

done_testing
