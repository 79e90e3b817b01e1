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
BEFORE=$(schema_dump "$DB")

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
is "$(sed -n '/^-- +upgrade$/,$p' "$F" | grep -v '^-- hazard: ')" "-- +upgrade
ALTER TABLE public.child ADD CONSTRAINT sg_nn_qty CHECK (qty IS NOT NULL) NOT VALID;
ALTER TABLE public.child VALIDATE CONSTRAINT sg_nn_qty;
ALTER TABLE public.child ALTER COLUMN qty SET NOT NULL;
ALTER TABLE public.child DROP CONSTRAINT sg_nn_qty;
CREATE UNIQUE INDEX CONCURRENTLY child_code_key ON public.child (code);
ALTER TABLE public.child ADD CONSTRAINT child_code_key UNIQUE USING INDEX child_code_key;
ALTER TABLE public.child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES public.parent(id) NOT VALID;
ALTER TABLE public.child VALIDATE CONSTRAINT child_parent_fk;
ALTER TABLE public.child ADD CONSTRAINT child_qty_check CHECK ((qty > 0)) NOT VALID;
ALTER TABLE public.child VALIDATE CONSTRAINT child_qty_check;
CREATE INDEX CONCURRENTLY child_qty_idx ON public.child USING btree (qty);
CREATE UNIQUE INDEX CONCURRENTLY nokey_pkey ON public.nokey (id);
ALTER TABLE public.nokey ADD CONSTRAINT nokey_pkey PRIMARY KEY USING INDEX nokey_pkey;

-- +downgrade
DROP INDEX CONCURRENTLY public.child_qty_idx;
ALTER TABLE public.child DROP CONSTRAINT child_code_key;
ALTER TABLE public.child DROP CONSTRAINT child_parent_fk;
ALTER TABLE public.child DROP CONSTRAINT child_qty_check;
ALTER TABLE public.nokey DROP CONSTRAINT nokey_pkey;
ALTER TABLE public.child
    ALTER COLUMN qty DROP NOT NULL;" "the online plan, both ways"

run upgrade head
is_rc 0 "the online revision upgrades" || diag "$ERR"
like "$OUT" '^upgrade [0-9a-f]+ \(online\): 13 statements' "each statement is a step"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"the online plan converges: check is clean"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "nothing left to autogenerate"
is "$(q "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" "0" "no INVALID index"
is "$(q "SELECT count(*) FROM schemagen_history_steps")" "0" "the steps are forgotten once the revision is recorded"
run downgrade -1
is_rc 0 "the online downgrade" || diag "$ERR"
is "$(schema_dump "$DB")" "$BEFORE" "the downgrade restores the schema"
run upgrade head
is_rc 0 "upgrade again" || diag "$ERR"

# --sql: what psql runs is what the runner does, lock_timeout per statement
run downgrade -1
PREV=$(basename migrations/*_tables.sql | cut -d_ -f1)
run upgrade "$PREV:head" --sql
is_rc 0 "upgrade --sql of the online revision"
printf '%s\n' "$OUT" >"$T/online.sql"
is "$(grep -v '^-- hazard: ' "$T/online.sql" | sed -n '/^-- online:/,/^COMMIT;$/p')" \
	"-- online: each statement in a transaction of its own, waiting at most 2s for its locks (the runner tries a statement that waited longer again, 5 times; psql stops)
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE public.child ADD CONSTRAINT sg_nn_qty CHECK (qty IS NOT NULL) NOT VALID;
COMMIT;" "each transactional statement in its own transaction with lock_timeout"
is "$(grep -v '^-- hazard: ' "$T/online.sql" | grep -B1 -A1 '^CREATE UNIQUE INDEX CONCURRENTLY child_code_key')" \
	"COMMIT;
CREATE UNIQUE INDEX CONCURRENTLY child_code_key ON public.child (code);
BEGIN;" "the concurrent index alone"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$T/online.sql" >/dev/null 2>"$T/psql.err"
is "$?" 0 "psql runs it" || diag "$(cat "$T/psql.err")"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"after psql: check is clean"

# a type change that rewrites the table is not made to look online
sed -i 's/      code: text/      code: varchar(20)/' schema/public.yaml
run diff --online
like "$OUT" '^-- not online: changing the type of column public\.child\.code from text to character varying\(20\) rewrites the table, which blocks reads and writes until it is done$' \
	"a rewrite says it is not online"
sed -i 's/      code: varchar(20)/      code: text/' schema/public.yaml

# ---- resume after kill -9 in the middle of CREATE INDEX CONCURRENTLY ----

HEAD=$(rev_of "$F")
R=0123456789ab
{
	printf '%s\n' "-- schemagen revision: $R" "-- parents: $HEAD" "-- message: slow" \
		"-- created: 2026-12-05T00:00:00Z" "-- online: true" "" "-- +upgrade"
	printf '%s\n' 'CREATE FUNCTION public.slow(i integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE' \
		'    AS $$BEGIN PERFORM pg_sleep(0.02); RETURN i; END$$;' \
		'CREATE INDEX CONCURRENTLY child_slow_idx ON public.child (public.slow(id));' \
		'' '-- +downgrade' 'DROP INDEX CONCURRENTLY public.child_slow_idx;' \
		'DROP FUNCTION public.slow(integer);'
} >"migrations/${R}_slow.sql"
"$SCHEMAGEN" upgrade head >"$T/kill.out" 2>&1 &
PID=$!
n=0
while [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY child_slow_idx%'")" = 0 ] && [ $n -lt 100 ]; do
	sleep 0.1; n=$((n + 1))
done
sleep 0.3
kill -9 $PID
wait $PID 2>/dev/null
is "$(q "SELECT step, state FROM schemagen_history_steps ORDER BY step")" "1|done
2|started" "killed: statement 1 done, the index build started"
run upgrade head
is_rc 0 "the next run completes the revision" || diag "$ERR"
like "$OUT" "^upgrade $R \(slow\): resuming at statement 2 of 2 \(1 done before\)$" "it resumes at the index"
like "$OUT" 'dropping the INVALID index public\.child_slow_idx left by an interrupted CREATE INDEX CONCURRENTLY' \
	"the INVALID index is dropped and built again"
is "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'child_slow_idx'::regclass")" "t" "the index is valid"
is "$(q "SELECT count(*) FROM schemagen_history WHERE revision = '$R'")" "1" "one history row"
is "$(q "SELECT version_num FROM schemagen_version")" "$R" "the version table is at the revision"
run downgrade -1
is_rc 0 "and it downgrades" || diag "$ERR"
rm "migrations/${R}_slow.sql"

# ---- lock_timeout: retried with backoff, then given up ----

# hold_lock SECONDS: an ACCESS EXCLUSIVE lock on child from another
# session, in the background ($LPID), held when this returns
hold_lock() {
	PGAPPNAME=t3400_holder psql -X -q -d "$DB" -c "BEGIN; LOCK TABLE child; SELECT pg_sleep($1); COMMIT" >/dev/null 2>&1 &
	LPID=$!
	n=0
	while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
		WHERE c.relname = 'child' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 0 ] &&
		[ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1))
	done
}

echo "online_lock_timeout: 200ms" >>schemagen.yaml
sed -i 's/    checks:/    checks:\n      - {name: child_id_check, expression: id > 0}/' schema/public.yaml
run revision --autogenerate --online -m "lock"
L=$(ls migrations/*_lock.sql)
hold_lock 1.5
run upgrade head
wait $LPID
is_rc 0 "the runner retries until the lock is free" || diag "$ERR"
like "$ERR" "^$L:[0-9]+:1: statement 1 of revision [0-9a-f]+ waited longer than lock_timeout \(200ms\): trying again in 250 ms \(retry 1 of 5\)$" \
	"each retry is printed"
run downgrade -1
echo "online_lock_retries: 1" >>schemagen.yaml
hold_lock 120
run upgrade head
RC1=$RC ERR1=$ERR
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 't3400_holder'" >/dev/null
wait $LPID
is "$RC1" "2" "it gives up after online_lock_retries"
like "$ERR1" "SQLSTATE: 55P03" "with the lock timeout's error"
like "$ERR1" "^  note: each statement of an online revision waits at most 200ms for a lock \(online_lock_timeout in schemagen.yaml, or the revision's \`-- lock-timeout:\`\), and is tried 1 more time$" \
	"and says how long it waited and how often it tried"
run upgrade head
is_rc 0 "a later run applies it" || diag "$ERR"

done_testing
