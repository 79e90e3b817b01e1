#!/bin/sh
# SPDX-License-Identifier: MIT
# t4440-partition-fk-loop.sh - two partitioned tables whose foreign keys
# reference each other, each with a partition whose own primary key the
# parent's unique index adopts, created from nothing: the foreign keys are
# ALTER TABLE ... ADD CONSTRAINT after both tables and their partitions,
# and their clones on the partitions go with that statement (R8), not with
# the partitions' CREATE TABLE (which made a dependency loop).  Then check
# is clean, the database is the one the models were dumped from, and the
# downgrade empties it.
. "$(dirname "$0")/lib.sh"

REF=$(new_db ref)
qdb "$REF" "
CREATE TABLE a (k int, v text) PARTITION BY LIST (k);
CREATE TABLE a_1 PARTITION OF a (PRIMARY KEY (k)) FOR VALUES IN (1);
CREATE UNIQUE INDEX a_k ON a (k);
CREATE TABLE b (k int, w text) PARTITION BY LIST (k);
CREATE TABLE b_1 PARTITION OF b (PRIMARY KEY (k)) FOR VALUES IN (1);
CREATE UNIQUE INDEX b_k ON b (k);
ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (k) REFERENCES b (k);
ALTER TABLE b ADD CONSTRAINT b_a FOREIGN KEY (k) REFERENCES a (k)" >/dev/null ||
	BAIL_OUT "cannot load the reference schema"

new_kind_project
run dump --url "$(conninfo "$REF")" -o schema --force
is_rc 0 "dump the reference database into the models" || diag "$ERR"

run revision --autogenerate -m "from nothing"
is_rc 0 "autogenerate from an empty database: no dependency loop" || diag "$ERR"
rev=$(ls migrations/*.sql 2>/dev/null | head -n 1)
up=$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$rev" | grep -n -e '^CREATE TABLE' -e 'FOREIGN KEY')
like "$up" "CREATE TABLE public.b_1 PARTITION OF.*
[0-9]*:ALTER TABLE public.[ab] ADD CONSTRAINT [ab]_[ab] FOREIGN KEY" \
	"the foreign keys are added after every table and partition" || diag "$(cat "$rev")"

run upgrade head
is_rc 0 "upgrade" || diag "$ERR" "$(cat "$rev")"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." "check is clean"
is "$(q "SELECT conrelid::regclass || ' ' || conname FROM pg_constraint
  WHERE contype = 'f' AND conrelid::regclass::text IN ('a_1', 'b_1') ORDER BY 1")" "a_1 a_b
b_1 b_a" "the partitions have the foreign keys' clones"
same_schema "the database is the reference" "$DB" "$REF"

run downgrade base
is_rc 0 "downgrade to base" || diag "$ERR"
is "$(user_objects)" "" "the downgrade leaves nothing"

done_testing
