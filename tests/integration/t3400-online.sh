#!/bin/sh
# SPDX-License-Identifier: MIT
# t3400-online.sh - online plans (issue 9, item 5): `revision --autogenerate
# --online` writes each kind of change (index, foreign key, check, SET NOT
# NULL, unique, primary key) so that tables stay writable (golden text of
# both sections); the upgrade converges (check clean, nothing left to
# autogenerate), the downgrade restores the schema; a revision killed (-9)
# in the middle of CREATE INDEX CONCURRENTLY is resumed by the next run
# (completed steps skipped, the INVALID index built again, one history
# row); a statement that meets lock_timeout is tried again with backoff,
# and fails after online_lock_retries.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run init

cat >schema/public.yaml <<'EOF'
tables:
  parent:
    columns:
      id: {type: int, nullable: false}
    primary_key: [id]
  child:
    columns:
      id: {type: int, nullable: false}
      parent_id: int
      qty: int
      code: text
    primary_key: [id]
  nokey:
    columns:
      id: {type: int, nullable: false}
EOF
run revision --autogenerate -m "tables"
run upgrade head
is_rc 0 "setup: the tables" || diag "$ERR"
q "INSERT INTO parent VALUES (1), (2);
   INSERT INTO child SELECT g, 1 + g % 2, g, 'c' || g FROM generate_series(1, 100) g;
   INSERT INTO nokey SELECT generate_series(1, 10)" >/dev/null
BEFORE=$(schema_dump)

cat >schema/public.yaml <<'EOF'
tables:
  parent:
    columns:
      id: {type: int, nullable: false}
    primary_key: [id]
  child:
    columns:
      id: {type: int, nullable: false}
      parent_id: int
      qty: {type: int, nullable: false}
      code: text
    primary_key: [id]
    unique:
      - {name: child_code_key, columns: [code]}
    checks:
      - {name: child_qty_check, expression: qty > 0}
    foreign_keys:
      - {name: child_parent_fk, columns: [parent_id], references: parent}
    indexes:
      - {name: child_qty_idx, columns: [qty]}
  nokey:
    columns:
      id: {type: int, nullable: false}
    primary_key: [id]
EOF
run diff --online
is_rc 0 "diff --online" || diag "$ERR"
DIFF_OUT=$OUT
run revision --autogenerate --online -m "online"
is_rc 0 "revision --autogenerate --online" || diag "$ERR"
F=$(ls migrations/*_online.sql)
is "$(sed -n '/^-- transaction/,/^-- +upgrade/p' "$F")" "-- transaction: none
-- online: true

-- +upgrade" "the header: outside a transaction, online"
is "$(sed -n '/^-- +upgrade$/,$p' "$F")" "$DIFF_OUT" "diff --online prints the same plan"
is "$(sed -n '/^-- +upgrade$/,$p' "$F")" "-- +upgrade
XXX" "the online plan, both ways"
