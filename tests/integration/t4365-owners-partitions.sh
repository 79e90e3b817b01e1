#!/bin/sh
# SPDX-License-Identifier: MIT
# t4365-owners-partitions.sh - owners of partitioned tables and their
# partitions (issue 10): a partitioned table, a partition owned as it is,
# one owned by another role, a partition of a partition, one declared on
# its own; owners changed on the parent only (ALTER TABLE ... OWNER TO does
# not reach the partitions) and on a partition, a partition created with
# its owner; each step checked clean, downgraded, checked clean against the
# previous models; dump --owners of them matches the database.
. "$(dirname "$0")/lib.sh"

new_roles sg_op_a sg_op_b
new_kind_project

# model OWNER-OF-p OWNER-OF-p2 [p3]
model() {
	cat >schema/op.yaml <<EOF
schema: op
tables:
  p:
    owner: $1
    partition_by: LIST (k)
    columns:
      k: {type: int, nullable: false}
      v: text
    primary_key: [k]
    partitions:
      p1: {bounds: FOR VALUES IN (1), owner: $1}
      p2: {bounds: FOR VALUES IN (2), owner: $2, grants: {sg_op_a: [select]}}
      pp:
        bounds: FOR VALUES IN (10, 11)
        partition_by: LIST (k)
        owner: $2
        partitions:
          pp1: {bounds: FOR VALUES IN (10), owner: $1}
EOF
	if [ -n "${3:-}" ]; then
		cat >schema/op3.yaml <<EOF
schema: op
tables:
  p3: {partition_of: p, bounds: FOR VALUES IN (3), owner: $3}
EOF
	else
		rm -f schema/op3.yaml
	fi
}

STATE="SELECT string_agg(relname || ' ' || relowner::regrole::text, ', ' ORDER BY relname)
  FROM pg_class WHERE relnamespace = 'op'::regnamespace AND relkind IN ('r', 'p')"

step() {
	nsteps=$((nsteps + 1))
	model "$@"
	cp -r schema "$T/models$nsteps"
}

step sg_op_a sg_op_b
migrate_step "created with owners" "$STATE" "p sg_op_a, p1 sg_op_a, p2 sg_op_b, pp sg_op_b, pp1 sg_op_a"

step sg_op_b sg_op_a sg_op_b
migrate_step "parent and partitions changed, one created" "$STATE" \
	"p sg_op_b, p1 sg_op_b, p2 sg_op_a, p3 sg_op_b, pp sg_op_a, pp1 sg_op_b"
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step2.sql" | grep 'OWNER TO' | sort)" \
'ALTER TABLE op.p OWNER TO sg_op_b;
ALTER TABLE op.p1 OWNER TO sg_op_b;
ALTER TABLE op.p2 OWNER TO sg_op_a;
ALTER TABLE op.p3 OWNER TO sg_op_b;
ALTER TABLE op.pp OWNER TO sg_op_a;
ALTER TABLE op.pp1 OWNER TO sg_op_b;' "one ALTER TABLE ... OWNER TO per table, partitions included"

step sg_op_b sg_op_b sg_op_a
migrate_step "a partition's owner alone" "$STATE" \
	"p sg_op_b, p1 sg_op_b, p2 sg_op_b, p3 sg_op_a, pp sg_op_b, pp1 sg_op_b"

# every step undone, each checked clean against its models
n=$nsteps
while [ "$n" -gt 1 ]; do
	run downgrade -1
	is_rc 0 "downgrade step $n" || diag "$ERR"
	mkdir -p "$T/held"
	mv "$(ls -t migrations/*.sql | head -n 1)" "$T/held/"
	n=$((n - 1))
	rm -rf schema && cp -r "$T/models$n" schema
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"after undoing step $((n + 1)): check against the models of step $n is clean" || diag "$ERR"
done
is "$(q "$STATE")" "p sg_op_a, p1 sg_op_a, p2 sg_op_b, pp sg_op_b, pp1 sg_op_a" "the first owners back"

# dump --owners: partitions' owners written, the models match
run dump --owners -o "$T/dumped"
is_rc 0 "dump --owners" || diag "$ERR"
rm -rf schema && cp -r "$T/dumped" schema
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped owners of the partitions match the database"

done_testing
