#!/bin/sh
# SPDX-License-Identifier: MIT
# t4660-partial-partitions.sh - issue 12: a change to a partitioned table,
# a partition, an inheritance parent or child reads back the model
# database in part (the relation with its whole family: parents,
# partitions, children, transitively), and with SCHEMAGEN_PARTIAL_CHECK
# -v says the merged catalog is the full read, byte for byte: an
# inheritance family added, a column and a check added to a parent (copied
# to its children), a child's own column, a grandchild's comment, INHERITS
# removed and added; a partitioned table's comment, an index and a column
# added to it (and so to its partitions, one partitioned again), a foreign
# key to it added and dropped, a check added to it; the last catalog is that of --no-cache.
. "$(dirname "$0")/lib.sh"

cache_project
: "${SCHEMAGEN_DEV_URL:?the test needs SCHEMAGEN_DEV_URL (tools/with-postgres.sh)}"
_cleanup_hook=drop_kept
SCHEMAGEN_PARTIAL_CHECK=1
export SCHEMAGEN_PARTIAL_CHECK

cat >schema/public.yaml <<'EOF'
tables:
  plain:
    columns:
      id: {type: integer, nullable: false}
    primary_key: [id]
EOF
run -v --url "$DBURL" diff
is "$RC" 0 "first run"

edit() {
	sed -i "$1" schema/public.yaml
	run -v --url "$DBURL" diff
}

cat >>schema/public.yaml <<'EOF'
  base_t:
    columns:
      id: {type: integer}
  kid_t:
    inherits: [base_t]
    columns:
      n: {type: integer}
  grandkid_t:
    inherits: [kid_t]
    columns:
      g: {type: integer}
EOF
run -v --url "$DBURL" diff
mdb_partial "an inheritance family added"
edit 's/^      id: {type: integer}$/&\n      tag: {type: text}/'
mdb_partial "a column added to a parent (copied to its children)"
edit 's/^      n: {type: integer}$/&\n      m: {type: integer}/'
mdb_partial "a child's own column"
edit 's/^  base_t:$/&\n    checks:\n      - {name: base_t_tag_check, expression: "tag <> '"''"'"}/'
mdb_partial "a check added to a parent"
edit 's/^  grandkid_t:$/&\n    comment: the youngest/'
mdb_partial "a grandchild's comment"
edit '/^    inherits: \[kid_t\]$/d'
mdb_partial "INHERITS removed"
edit 's/^  grandkid_t:$/&\n    inherits: [base_t]/'
mdb_partial "INHERITS added"
# a partition made or changed makes the model database again (modeldb.c:
# the server names a partition's indexes by what exists when it is made)
cat >>schema/public.yaml <<'EOF'
  events:
    partition_by: RANGE (at)
    columns:
      id: {type: integer, nullable: false}
      at: {type: date, nullable: false}
    primary_key: [id, at]
    partitions:
      events_2024:
        bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
      events_2025:
        bounds: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
        partition_by: HASH (id)
        partitions:
          events_2025_0: {bounds: "FOR VALUES WITH (modulus 2, remainder 0)"}
          events_2025_1: {bounds: "FOR VALUES WITH (modulus 2, remainder 1)"}
EOF
run -v --url "$DBURL" diff
is "$RC" 0 "a partitioned table added"
edit 's/^    partition_by: RANGE (at)$/&\n    comment: what happened/'
mdb_partial "a partitioned table's comment"
edit 's/^    primary_key: \[id, at\]$/&\n    indexes:\n      - {name: events_at_idx, columns: [at]}/'
mdb_partial "an index added to a partitioned table (and its partitions)"
edit 's/^      at: {type: date, nullable: false}$/&\n      note: {type: text}/'
mdb_partial "a column added to a partitioned table (and its partitions)"
cat >>schema/public.yaml <<'EOF'
  refs:
    columns:
      id: {type: integer}
      at: {type: date}
    foreign_keys:
      - {columns: [id, at], references: "events(id, at)"}
EOF
run -v --url "$DBURL" diff
mdb_partial "a foreign key to a partitioned table"
edit 's/^    comment: what happened$/&\n    checks:\n      - {name: events_id_check, expression: "id > 0"}/'
mdb_partial "a check added to a partitioned table (and its partitions)"
edit '/^      - {columns: \[id, at\], references: "events(id, at)"}$/d; /^  refs:$/,$ {/^    foreign_keys:$/d}'
mdb_partial "the foreign key to it dropped"

# the catalog at the end is the one a new model database gives
unset SCHEMAGEN_PARTIAL_CHECK
mdb_same "the end"
done_testing
