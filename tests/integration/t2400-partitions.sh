#!/bin/sh
# SPDX-License-Identifier: MIT
# t2400-partitions.sh - partitioned tables, partitions, partitioned indexes,
# table inheritance and table settings, one change per step: RANGE, LIST
# and HASH partitioning (several levels), DEFAULT partitions, partitions in
# another schema, a partition's own settings on its parent's columns,
# partitioned indexes and their clones, a partition's own index, a clone
# with a name of its own (renamed, and on a new partition made as a table
# and attached), an index made ON ONLY the partitioned table, a primary
# key on a partitioned table, bounds changed (detach + attach), a partition
# detached and a table attached, a table becoming partitioned (rebuilt,
# with a warning), INHERITS parents added and removed, UNLOGGED, storage
# parameters of tables and indexes, REPLICA IDENTITY, a partition of a
# referenced table dropped.  Each step: autogenerate, upgrade, check clean,
# the step's SQL assertion; some migrations are pinned exactly.  The dump
# of the last state reads back as the same database.  Then every step is
# undone with `downgrade -1`, and each time the database equals, by
# pg_dump (by catalog where INHERIT makes pg_dump differ), the snapshot of
# the step before.
. "$(dirname "$0")/lib.sh"

new_kind_project

# step DESC SQL EXPECTED < MODEL: as in t0900; the revision is kept in
# $T/stepN.sql (its body from the first "-- +upgrade" line).
step() {
	nsteps=$((nsteps + 1))
	rm -f schema/*.yaml
	# "#file NAME" lines start another model file
	awk 'BEGIN { f = "schema/model.yaml" }
	     /^#file / { f = "schema/" $2; next }
	     { print > f }'
	migrate_step "$@" || return
	# the body, from the first "-- +upgrade" line
	sed -i -n '/^-- +upgrade/,$p' "$T/step$nsteps.sql"
	schema_dump "$DB" >"$T/snap$nsteps"
	# a copy, for the steps compared by catalog when undone
	createdb -T "$DB" "${DB}_s$nsteps" && echo "${DB}_s$nsteps" >>"$T/.dbs"
}

CATALOG_DIFF=${SG_BUILD_ROOT}/tools/sg-catalog-diff

# the partitions of a table, with their bounds, in name order
parts() {
	echo "SELECT string_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), ' | ' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '$1'::regclass"
}

# ---- partitioned tables and partitions ----

step "RANGE partitioned table with a partition and a default one" \
	"SELECT pg_get_partkeydef('shop.events'::regclass) || ' / ' || ($(parts shop.events))" \
	"RANGE (at) / events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') | events_other DEFAULT" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
EOF

is "$(cat "$T/step1.sql")" "-- +upgrade
CREATE SCHEMA shop;
CREATE TABLE shop.events (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text
) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2024 PARTITION OF shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE shop.events_other PARTITION OF shop.events (
    kind WITH OPTIONS DEFAULT 'other'::text NOT NULL
) DEFAULT;
COMMENT ON COLUMN shop.events_other.kind IS 'always set here';

-- +downgrade
-- WARNING: drops table shop.events_2024 and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events_2024: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table shop.events_2024 and the data in it
DROP TABLE shop.events_2024;
-- WARNING: drops table shop.events_other and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events_other: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table shop.events_other and the data in it
DROP TABLE shop.events_other;
-- WARNING: drops table shop.events and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table shop.events and the data in it
DROP TABLE shop.events;
DROP SCHEMA shop;" "the first migration, exactly"

q "INSERT INTO shop.events VALUES (1, '2024-05-01', 'a'), (2, '2030-01-01', 'b')" >/dev/null

# the indexes of the shop and archive schemas, with what they are attached to
IDX="SELECT string_agg(n.nspname || '.' || c.relname || coalesce(' -> ' || p.relname, ''), ', ' ORDER BY n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent WHERE c.relkind IN ('i', 'I') AND n.nspname IN ('shop', 'archive')"

step "LIST partitioned with HASH below it; a partition in another schema" \
	"SELECT ($(parts shop.orders)) || ' / ' || ($(parts shop.orders_eu)) || ' / ' || ($(parts shop.events))" \
	"orders_eu FOR VALUES IN ('de', 'fr') | orders_us FOR VALUES IN ('us') / orders_eu_0 FOR VALUES WITH (modulus 2, remainder 0) | orders_eu_1 FOR VALUES WITH (modulus 2, remainder 1) / events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') | events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') | events_other DEFAULT" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
EOF

# ---- partitioned indexes ----

step "partitioned indexes with their clones, a partition's own index" \
	"$IDX" \
	"archive.events_2025_kind_idx -> events_kind_idx, shop.events_2024_kind_idx -> events_kind_idx, shop.events_kind_idx, shop.events_other_kind_idx -> events_kind_idx, shop.events_other_recent, shop.orders_eu_0_id_idx -> orders_eu_id_idx, shop.orders_eu_1_id_idx -> orders_eu_id_idx, shop.orders_eu_id_idx -> orders_id_idx, shop.orders_id_idx, shop.orders_us_id_idx -> orders_id_idx" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
EOF

is "$(cat "$T/step3.sql")" "-- +upgrade
-- hazard: lock-share: takes a SHARE lock on shop.events: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on shop.events while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX events_kind_idx ON shop.events USING btree (kind);
-- hazard: lock-share: takes a SHARE lock on shop.events_other: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on shop.events_other while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX events_other_recent ON shop.events_other USING btree (at) WHERE (at > '2020-01-01'::date);
-- hazard: lock-share: takes a SHARE lock on shop.orders: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on shop.orders while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX orders_id_idx ON shop.orders USING btree (id);

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index shop.events_kind_idx: its reads and writes wait until the transaction ends
DROP INDEX shop.events_kind_idx;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index shop.events_other_recent: its reads and writes wait until the transaction ends
DROP INDEX shop.events_other_recent;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index shop.orders_id_idx: its reads and writes wait until the transaction ends
DROP INDEX shop.orders_id_idx;" "partitioned indexes: one statement each, their clones come with them"

step "a clone renamed, a primary key on the partitioned table" \
	"$IDX AND c.relname NOT LIKE 'orders%'" \
	"archive.events_2025_kind_idx -> events_kind_idx, archive.events_2025_pkey -> events_pkey, shop.events_2024_pkey -> events_pkey, shop.events_kind_idx, shop.events_other_kind_idx -> events_kind_idx, shop.events_other_pkey -> events_pkey, shop.events_other_recent, shop.events_pkey, shop.kinds_2024 -> events_kind_idx" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
        indexes:
          - {name: kinds_2024, columns: [kind], attached_to: events_kind_idx}
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
EOF

is "$(cat "$T/step4.sql")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events_2024_kind_idx: its reads and writes wait until the transaction ends
ALTER INDEX shop.events_2024_kind_idx RENAME TO kinds_2024;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
-- hazard: table-scan: reads all of shop.events to check that the key columns of constraint events_pkey have no NULL
-- hazard: may-fail: fails if a row of shop.events has NULL in a key column of constraint events_pkey
-- hazard: index-build-blocks-writes: builds the index of constraint events_pkey on shop.events while its writes wait
ALTER TABLE shop.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, at);

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
ALTER TABLE shop.events DROP CONSTRAINT events_pkey;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.kinds_2024: its reads and writes wait until the transaction ends
ALTER INDEX shop.kinds_2024 RENAME TO events_2024_kind_idx;" "a clone is renamed; a primary key reaches the partitions by itself"

# ---- bounds, detach, attach ----

step "bounds changed: detached and attached again, data kept" \
	"SELECT ($(parts shop.events)) || ' / ' || (SELECT count(*) FROM shop.events)" \
	"events_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01') | events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') | events_other DEFAULT / 2" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')
        indexes:
          - {name: kinds_2024, columns: [kind], attached_to: events_kind_idx}
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
EOF

is "$(cat "$T/step5.sql")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
ALTER TABLE shop.events DETACH PARTITION shop.events_2024;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events_2024: its reads and writes wait until the transaction ends
-- hazard: table-scan: reads all of shop.events_2024 to check the partition bound (unless a valid CHECK constraint implies it)
-- hazard: may-fail: fails if a row of shop.events_2024 is outside the partition bound
ALTER TABLE shop.events ATTACH PARTITION shop.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
ALTER TABLE shop.events DETACH PARTITION shop.events_2024;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events_2024: its reads and writes wait until the transaction ends
-- hazard: table-scan: reads all of shop.events_2024 to check the partition bound (unless a valid CHECK constraint implies it)
-- hazard: may-fail: fails if a row of shop.events_2024 is outside the partition bound
ALTER TABLE shop.events ATTACH PARTITION shop.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');" "new bounds: DETACH then ATTACH"

step "a partition detached: a table of its own, with an index of its own" \
	"SELECT relispartition || ' / ' || ($IDX AND n.nspname = 'archive') FROM pg_class WHERE oid = 'archive.events_2025'::regclass" \
	"false / archive.events_2025_by_kind, archive.events_2025_pkey" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')
        indexes:
          - {name: kinds_2024, columns: [kind], attached_to: events_kind_idx}
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_2025_by_kind, columns: [kind]}
EOF

is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step6.sql")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
ALTER TABLE shop.events DETACH PARTITION archive.events_2025;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index archive.events_2025_kind_idx: its reads and writes wait until the transaction ends
DROP INDEX archive.events_2025_kind_idx;
-- hazard: lock-share: takes a SHARE lock on archive.events_2025: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on archive.events_2025 while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX events_2025_by_kind ON archive.events_2025 USING btree (kind);

-- +downgrade" "detached: what it had from its parent stays its own"

step "a table attached; its own equal index is moved aside and kept" \
	"SELECT relispartition || ' / ' || ($IDX AND n.nspname = 'archive') FROM pg_class WHERE oid = 'archive.events_2025'::regclass" \
	"true / archive.events_2025_by_kind, archive.events_2025_kind_idx -> events_kind_idx, archive.events_2025_pkey -> events_pkey" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')
        indexes:
          - {name: kinds_2024, columns: [kind], attached_to: events_kind_idx}
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    indexes:
      - {name: events_2025_by_kind, columns: [kind]}
EOF

is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step7.sql")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on the table of index archive.events_2025_by_kind: its reads and writes wait until the transaction ends
DROP INDEX archive.events_2025_by_kind;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on archive.events_2025: its reads and writes wait until the transaction ends
-- hazard: table-scan: reads all of archive.events_2025 to check the partition bound (unless a valid CHECK constraint implies it)
-- hazard: may-fail: fails if a row of archive.events_2025 is outside the partition bound
ALTER TABLE shop.events ATTACH PARTITION archive.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- hazard: lock-share: takes a SHARE lock on archive.events_2025: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on archive.events_2025 while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX events_2025_by_kind ON archive.events_2025 USING btree (kind);

-- +downgrade" "attached: the equal local index does not get adopted"

step "a new partition with a copy of its own name: made as a table, attached" \
	"SELECT ($(parts shop.events)) || ' / ' || ($IDX AND c.relname LIKE '%2026%')" \
	"events_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01') | events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') | events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') | events_other DEFAULT / shop.events_2026_pkey -> events_pkey, shop.kinds_2026 -> events_kind_idx" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')
        indexes:
          - {name: kinds_2024, columns: [kind], attached_to: events_kind_idx}
      events_2026:
        bounds: FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
        indexes:
          - {name: kinds_2026, columns: [kind], attached_to: events_kind_idx}
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    indexes:
      - {name: events_2025_by_kind, columns: [kind]}
EOF

is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step$nsteps.sql")" "-- +upgrade
CREATE TABLE shop.events_2026 (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text
);
CREATE INDEX kinds_2026 ON shop.events_2026 USING btree (kind);
ALTER TABLE shop.events ATTACH PARTITION shop.events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- +downgrade" "a copy of its own name: the partition made as a table, given it, then attached"

step "an index made ON ONLY the partitioned table, one partition's copy attached" \
	"SELECT i.indisvalid || ' / ' || ($IDX AND c.relname LIKE '%country%') FROM pg_index i WHERE i.indexrelid = 'shop.orders_country_idx'::regclass" \
	"false / shop.orders_country_idx, shop.us_country -> orders_country_idx" <<'EOF'
schema: shop
tables:
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: bigint, nullable: false}
      at: {type: date, nullable: false}
      kind: text
    primary_key: [id, at]
    indexes:
      - {name: events_kind_idx, columns: [kind]}
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')
        indexes:
          - {name: kinds_2024, columns: [kind], attached_to: events_kind_idx}
      events_2026:
        bounds: FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
        indexes:
          - {name: kinds_2026, columns: [kind], attached_to: events_kind_idx}
      events_other:
        bounds: DEFAULT
        columns:
          kind: {nullable: false, default: "'other'", comment: always set here}
        indexes:
          - {name: events_other_recent, columns: [at], where: "at > '2020-01-01'"}
  orders:
    partition_by: LIST (country)
    columns:
      id: {type: bigint, nullable: false}
      country: {type: text, nullable: false}
    indexes:
      - {name: orders_id_idx, columns: [id]}
      - {name: orders_country_idx, columns: [country], only: true}
    partitions:
      orders_eu:
        bounds: FOR VALUES IN ('de', 'fr')
        partition_by: HASH (id)
        partitions:
          orders_eu_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          orders_eu_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
      orders_us:
        bounds: FOR VALUES IN ('us')
        indexes:
          - {name: us_country, columns: [country], attached_to: orders_country_idx}
#file archive.yaml
schema: archive
tables:
  events_2025:
    partition_of: shop.events
    bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    indexes:
      - {name: events_2025_by_kind, columns: [kind]}
EOF

is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step$nsteps.sql")" "-- +upgrade
-- hazard: lock-share: takes a SHARE lock on shop.orders_us: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on shop.orders_us while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX us_country ON shop.orders_us USING btree (country);
-- hazard: lock-share: takes a SHARE lock on shop.orders: its writes wait until the transaction ends
-- hazard: index-build-blocks-writes: builds an index on shop.orders while its writes wait (CONCURRENTLY would not block them)
CREATE INDEX orders_country_idx ON ONLY shop.orders USING btree (country);
ALTER INDEX shop.orders_country_idx ATTACH PARTITION shop.us_country;

-- +downgrade" "ON ONLY: the copies made and attached one by one"

# From here on the partitioned tables stay as they are: the models of the
# next steps are that file plus a second one.
sed -n '/^schema: shop$/,$p' schema/model.yaml >"$T/shop.yaml"
cp schema/archive.yaml "$T/archive.yaml"

# more STEP DESC SQL EXPECTED < MODEL: a step whose models are the ones
# above plus MODEL (as schema/more.yaml).
more() {
	{ cat "$T/shop.yaml"; echo "#file archive.yaml"; cat "$T/archive.yaml";
	  echo "#file more.yaml"; cat; } >"$T/more.in"
	step "$@" <"$T/more.in"
}

# ---- a table becoming partitioned ----

more "a plain table" \
	"SELECT relkind FROM pg_class WHERE oid = 'public.logs'::regclass" "r" <<'EOF'
schema: public
tables:
  logs:
    columns:
      level: {type: text, nullable: false}
      msg: text
EOF
q "INSERT INTO public.logs VALUES ('info', 'hello')" >/dev/null

more "the table becomes partitioned: dropped and created again, with a warning" \
	"SELECT relkind::text || ' / ' || ($(parts public.logs)) FROM pg_class WHERE oid = 'public.logs'::regclass" \
	"p / logs_rest DEFAULT" <<'EOF'
schema: public
tables:
  logs:
    partition_by: LIST (level)
    columns:
      level: {type: text, nullable: false}
      msg: text
    partitions:
      logs_rest: {bounds: DEFAULT}
EOF
like "$(cat "$T/step$nsteps.sql")" "^-- WARNING: drops table public.logs and the data in it$" \
	"partitioning a table warns that its data is lost"

# ---- inheritance ----

more "INHERITS: a child table with a column of its own" \
	"SELECT string_agg(inhparent::regclass::text, ', ' ORDER BY inhseqno) || ' / ' || (SELECT string_agg(attname || ':' || attislocal, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.child'::regclass AND attnum > 0) FROM pg_inherits WHERE inhrelid = 'public.child'::regclass" \
	"base / a:false,b:false,c:true" <<'EOF'
schema: public
tables:
  base:
    columns:
      a: {type: int, nullable: false}
      b: text
    checks:
      - {name: base_b_short, expression: "length(b) < 10"}
  child:
    inherits: [base]
    columns:
      c: int
      b: {default: "'x'"}
EOF

INHERIT_STEPS="$nsteps $((nsteps + 1)) $((nsteps + 2))"
more "a second parent added" \
	"SELECT string_agg(inhparent::regclass::text, ', ' ORDER BY inhseqno) FROM pg_inherits WHERE inhrelid = 'public.child'::regclass" \
	"base, extra" <<'EOF'
schema: public
tables:
  base:
    columns:
      a: {type: int, nullable: false}
      b: text
    checks:
      - {name: base_b_short, expression: "length(b) < 10"}
  extra:
    columns:
      e: int
    checks:
      - {name: extra_e_positive, expression: "e > 0"}
  child:
    inherits: [base, extra]
    columns:
      c: int
      b: {default: "'x'"}
EOF

# (the check of the second parent is the child's own too: INHERIT needs
# the child to have it already, and keeps it local, merged)
more "the first parent removed: what came from it stays the child's own" \
	"SELECT string_agg(inhparent::regclass::text, ', ' ORDER BY inhseqno) || ' / ' || (SELECT string_agg(conname || ':' || conislocal, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'public.child'::regclass AND contype <> 'n') FROM pg_inherits WHERE inhrelid = 'public.child'::regclass" \
	"extra / base_b_short:true,extra_e_positive:true" <<'EOF'
schema: public
tables:
  base:
    columns:
      a: {type: int, nullable: false}
      b: text
    checks:
      - {name: base_b_short, expression: "length(b) < 10"}
  extra:
    columns:
      e: int
    checks:
      - {name: extra_e_positive, expression: "e > 0"}
  child:
    inherits: [extra]
    columns:
      a: {type: int, nullable: false}
      b: {type: text, default: "'x'"}
      c: int
    checks:
      - {name: base_b_short, expression: "length(b) < 10"}
EOF

# ---- persistence, storage parameters, replica identity ----

more "UNLOGGED, storage parameters of a table and an index" \
	"SELECT c.relpersistence::text || ' ' || array_to_string(c.reloptions, ',') || ' ' || array_to_string(t.reloptions, ',') || ' / ' || array_to_string(i.reloptions, ',') FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid, pg_class i WHERE c.oid = 'public.settings'::regclass AND i.oid = 'public.settings_key'::regclass" \
	"u autovacuum_enabled=false,fillfactor=70 autovacuum_enabled=false / fillfactor=80" <<'EOF'
schema: public
tables:
  settings:
    unlogged: true
    storage: {fillfactor: 70, autovacuum_enabled: false, toast.autovacuum_enabled: false}
    columns:
      key: {type: text, nullable: false}
      value: text
    indexes:
      - {name: settings_key, unique: true, columns: [key], with: {fillfactor: 80}}
EOF

more "LOGGED again, storage parameters changed and reset, index parameter altered in place" \
	"SELECT c.relpersistence::text || ' ' || array_to_string(c.reloptions, ',') || ' ' || coalesce(array_to_string(t.reloptions, ','), '-') || ' / ' || array_to_string(i.reloptions, ',') FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid, pg_class i WHERE c.oid = 'public.settings'::regclass AND i.oid = 'public.settings_key'::regclass" \
	"p fillfactor=60 - / fillfactor=90" <<'EOF'
schema: public
tables:
  settings:
    storage: {fillfactor: 60}
    columns:
      key: {type: text, nullable: false}
      value: text
    indexes:
      - {name: settings_key, unique: true, columns: [key], with: {fillfactor: 90}}
EOF
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step$nsteps.sql")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.settings: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites public.settings (and copies it, for a tablespace)
ALTER TABLE public.settings SET LOGGED;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.settings: its reads and writes wait until the transaction ends
ALTER TABLE public.settings SET (fillfactor = '60'), RESET (autovacuum_enabled, toast.autovacuum_enabled);
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.settings_key: its reads and writes wait until the transaction ends
ALTER INDEX public.settings_key SET (fillfactor = '90');

-- +downgrade" "persistence and storage parameters changed in place"

more "REPLICA IDENTITY FULL" \
	"SELECT relreplident FROM pg_class WHERE oid = 'public.settings'::regclass" "f" <<'EOF'
schema: public
tables:
  settings:
    storage: {fillfactor: 60}
    replica_identity: full
    columns:
      key: {type: text, nullable: false}
      value: text
    indexes:
      - {name: settings_key, unique: true, columns: [key], with: {fillfactor: 90}}
EOF

more "REPLICA IDENTITY USING INDEX, on a new index" \
	"SELECT relreplident::text || ' ' || (SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'public.settings'::regclass AND indisreplident) FROM pg_class WHERE oid = 'public.settings'::regclass" \
	"i settings_key2" <<'EOF'
schema: public
tables:
  settings:
    storage: {fillfactor: 60}
    replica_identity: {index: settings_key2}
    columns:
      key: {type: text, nullable: false}
      value: text
    indexes:
      - {name: settings_key, unique: true, columns: [key], with: {fillfactor: 90}}
      - {name: settings_key2, unique: true, columns: [key]}
EOF

more "REPLICA IDENTITY back to the default; a foreign key to a partitioned table" \
	"SELECT relreplident::text || ' ' || (SELECT count(*) FROM pg_constraint WHERE conname = 'refs_event_fk') FROM pg_class WHERE oid = 'public.settings'::regclass" \
	"d 1" <<'EOF'
schema: public
tables:
  settings:
    storage: {fillfactor: 60}
    columns:
      key: {type: text, nullable: false}
      value: text
    indexes:
      - {name: settings_key, unique: true, columns: [key], with: {fillfactor: 90}}
      - {name: settings_key2, unique: true, columns: [key]}
  refs:
    columns:
      event_id: bigint
      event_at: date
    foreign_keys:
      - {name: refs_event_fk, columns: [event_id, event_at], references: "shop.events(id, at)"}
EOF

# the default partition of the referenced table dropped: detached first
sed '/^      events_other:$/,/^          - {name: events_other_recent/d' "$T/shop.yaml" >"$T/shop2.yaml"
mv "$T/shop2.yaml" "$T/shop.yaml"
more "a partition of a referenced table dropped" \
	"$(parts shop.events)" \
	"events_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01') | events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') | events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')" <<'EOF'
schema: public
tables:
  settings:
    storage: {fillfactor: 60}
    columns:
      key: {type: text, nullable: false}
      value: text
    indexes:
      - {name: settings_key, unique: true, columns: [key], with: {fillfactor: 90}}
      - {name: settings_key2, unique: true, columns: [key]}
  refs:
    columns:
      event_id: bigint
      event_at: date
    foreign_keys:
      - {name: refs_event_fk, columns: [event_id, event_at], references: "shop.events(id, at)"}
EOF
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step$nsteps.sql")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events: its reads and writes wait until the transaction ends
ALTER TABLE shop.events DETACH PARTITION shop.events_other;
-- WARNING: drops table shop.events_other and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on shop.events_other: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table shop.events_other and the data in it
DROP TABLE shop.events_other;

-- +downgrade" "a partition of a referenced table is detached before it is dropped"

run revision --autogenerate -m "nothing"
is "$RC:$OUT:$ERR" "0::No changes in schema detected; no revision written." "after the last step nothing is left to do"

# ---- dump: what it writes reads back as the same database ----

run dump -o "$T/dumped"
is_rc 0 "dump"
rm -f schema/*.yaml
cp "$T"/dumped/*.yaml schema/
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"the dump of it reads back as the same database"
like "$(cat "$T"/dumped/shop.yaml)" "name: kinds_2024, columns: \[kind\], attached_to: events_kind_idx" \
	"dump: a clone with a name of its own is written, attached"
unlike "$(cat "$T"/dumped/shop.yaml)" "events_2024_pkey|orders_us_id_idx" \
	"dump: clones with PostgreSQL's names are left out"
like "$(cat "$T"/dumped/shop.yaml)" "^    partitions:$" "dump: partitions under their parent"
like "$(cat "$T"/dumped/archive.yaml)" "^    partition_of: shop.events$" \
	"dump: a partition in another schema names its parent"

# ---- every step undone ----

# Undoing "a second parent added" and "the first parent removed" gives the
# child its parents back with INHERIT, after which PostgreSQL keeps the
# columns and checks the child had as its own (merged), and lists the
# parents in the order they came: pg_dump shows that, schemagen's catalog
# does not tell such a child from one created with INHERITS.
n=$nsteps
while [ "$n" -gt 0 ]; do
	run downgrade -1 --force-irreversible
	is_rc 0 "downgrade step $n" || diag "$ERR"
	n=$((n - 1))
	[ "$n" -gt 0 ] || continue
	case " $INHERIT_STEPS " in
	*" $n "*)
		"$CATALOG_DIFF" "$(conninfo "$DB")" "$(conninfo "${DB}_s$n")" >"$T/now" 2>&1
		is "$?:$(cat "$T/now")" "0:" \
			"after undoing step $((n + 1)): the catalog of step $n"
		;;
	*)
		schema_dump "$DB" >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
		;;
	esac
done
is "$(user_objects)" "" "everything undone: no user objects left"

done_testing
