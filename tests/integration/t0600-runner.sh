#!/bin/sh
# SPDX-License-Identifier: MIT
# t0600-runner.sh - the runner under failure and contention: a statement
# failing in the middle of a revision rolls the whole revision back (exact
# report at file:line:col with PostgreSQL's message and SQLSTATE; version
# table and schema unchanged), earlier revisions stay applied, a revision
# outside a transaction says what ran, an edited applied file is reported,
# and concurrent `upgrade head` runs apply each revision exactly once.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run init

cat >schema/public.yaml <<'EOF'
tables:
  a:
    columns:
      id: {type: int, nullable: false}
    primary_key: [id]
EOF
run revision --autogenerate -m "table a"
REV1_FILE=$(ls migrations/*_table_a.sql)
REV1=$(rev_of "$REV1_FILE")
run upgrade head
is "$RC:$(q "SELECT version_num FROM schemagen_version")" "0:$REV1" "setup: at the first revision"
q "INSERT INTO a VALUES (1), (2)" >/dev/null

cat >schema/public.yaml <<'EOF'
tables:
  a:
    columns:
      id: {type: int, nullable: false}
      note: text
    primary_key: [id]
  b:
    columns:
      id: {type: int, nullable: false}
EOF
run revision --autogenerate -m "note and b"
REV2_FILE=$(ls migrations/*_note_and_b.sql)
REV2=$(rev_of "$REV2_FILE")
cp "$REV2_FILE" "$T/rev2.good"
is "$(sed -n '/^-- +upgrade$/,/^$/p' "$REV2_FILE")" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.a: its reads and writes wait until the transaction ends
ALTER TABLE public.a ADD COLUMN note text;
CREATE TABLE public.b (
    id integer NOT NULL
);" "setup: the second revision's upgrade"

# ---- a statement failing in the middle of a revision ----

# after the first statement: one that works, then one that fails
awk '{ print }
/^ALTER TABLE public.a ADD COLUMN note text;$/ {
	print "UPDATE public.a SET note = '\''x'\'';"
	print "UPDATE public.a"
	print "   SET note = no_such_column;"
}' "$T/rev2.good" >"$REV2_FILE"
LINE=$(grep -n '^UPDATE public.a$' "$REV2_FILE" | cut -d: -f1)
is "$LINE" 10 "setup: the failing statement starts on line 10"

snap_db >"$T/db.before"
run upgrade head
is_rc 2 "a failing statement: exit 2"
is "$OUT" "" "nothing reported as applied"
is "$ERR" "$REV2_FILE:11:15: error: column \"no_such_column\" does not exist
  SQLSTATE: 42703
  statement: UPDATE public.a
                SET note = no_such_column;
revision $REV2 (note and b) was rolled back; the database is still at $REV1" \
	"the report: file:line:col of the error, message, SQLSTATE, statement, rollback"
snap_db >"$T/db.after"
is_file "$T/db.after" "$T/db.before" "schema, version table and history unchanged"
is "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'a'::regclass AND attname = 'note'")" "0" \
	"the statement before the failing one was rolled back"
is "$(q "SELECT to_regclass('public.b') IS NULL")" "t" "the statements after it never ran"
is "$(q "SELECT version_num FROM schemagen_version")" "$REV1" "version table still at the first revision"
is "$(q "SELECT count(*) FROM schemagen_history")" "1" "no history row for the failed revision"

# the statement's own position when the server gives none
awk '{ print }
/^ALTER TABLE public.a ADD COLUMN note text;$/ {
	print "SELECT 1 / (id - id) FROM public.a;"
}' "$T/rev2.good" >"$REV2_FILE"
run upgrade head
is_rc 2 "division by zero: exit 2"
is "$ERR" "$REV2_FILE:9:1: error: division by zero
  SQLSTATE: 22012
  statement: SELECT 1 / (id - id) FROM public.a;
revision $REV2 (note and b) was rolled back; the database is still at $REV1" \
	"an error without a position points at the statement"
snap_db >"$T/db.after"
is_file "$T/db.after" "$T/db.before" "unchanged after the second failure too"

# ---- earlier revisions stay applied ----

cp "$T/rev2.good" "$REV2_FILE"
cat >migrations/00000000000c_bad.sql <<EOF
-- schemagen revision: 00000000000c
-- parents: $REV2
-- message: bad third
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.c (id int);
INSERT INTO public.b (id) VALUES (NULL);

-- +downgrade
DROP TABLE public.c;
EOF
run upgrade head
is_rc 2 "a failing third revision: exit 2"
is "$(printf '%s\n' "$OUT" | norm_ms)" "upgrade $REV2 (note and b): 2 statements, N ms" \
	"the second revision was applied"
is "$ERR" "migrations/00000000000c_bad.sql:8:1: error: null value in column \"id\" of relation \"b\" violates not-null constraint
  SQLSTATE: 23502
  detail: Failing row contains (null).
  statement: INSERT INTO public.b (id) VALUES (NULL);
revision 00000000000c (bad third) was rolled back; the database is still at $REV2" \
	"the third revision's failure, with the server's detail"
is "$(q "SELECT version_num FROM schemagen_version")" "$REV2" "version table at the second revision"
is "$(q "SELECT to_regclass('public.c') IS NULL")" "t" "the third revision left nothing"
run current
is "$OUT" "$REV2" "current says the second revision"

# ---- a revision outside a transaction ----

cat >migrations/00000000000c_bad.sql <<EOF
-- schemagen revision: 00000000000c
-- parents: $REV2
-- message: concurrent index
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE INDEX CONCURRENTLY a_note_idx ON public.a (note);
CREATE INDEX CONCURRENTLY b_id_idx ON public.b (no_such);

-- +downgrade
DROP INDEX CONCURRENTLY public.b_id_idx;
DROP INDEX CONCURRENTLY public.a_note_idx;
EOF
run upgrade head
is_rc 2 "no-transaction revision failing part-way: exit 2"
is "$ERR" "migrations/00000000000c_bad.sql:8:1: error: column \"no_such\" does not exist
  SQLSTATE: 42703
  statement: CREATE INDEX CONCURRENTLY b_id_idx ON public.b (no_such);
revision 00000000000c (concurrent index) runs outside a transaction: statement 1 of 2 ran and stays applied, statement 2 failed; the version table still says $REV2
  hint: the statements that ran are recorded: fix the cause and run the command again, it resumes at statement 2" \
	"says which statements ran"
is "$(q "SELECT to_regclass('public.a_note_idx') IS NOT NULL")" "t" "the first statement stayed"
is "$(q "SELECT version_num FROM schemagen_version")" "$REV2" "version table unchanged"
sed -i 's/(no_such)/(id)/' migrations/00000000000c_bad.sql
run upgrade head
is_rc 0 "the fixed no-transaction revision applies"
like "$OUT" "^upgrade 00000000000c \\(concurrent index\\): resuming at statement 2 of 2 \\(1 done before\\)$" \
	"it resumes at the statement that failed"
is "$(q "SELECT version_num FROM schemagen_version")" "00000000000c" "version table moved"
run downgrade -1
is_rc 0 "and reverts, outside a transaction too"
is "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('a_note_idx', 'b_id_idx')")" "0" \
	"both indexes dropped"
rm migrations/00000000000c_bad.sql

# ---- a file edited after it was applied ----

printf '%s\n' "-- reviewed by someone" >>"$REV1_FILE"
run upgrade head
is_rc 2 "upgrade with an edited applied file refuses to run"
is "$(printf '%s\n' "$ERR" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/')" \
	"schemagen: error: $REV1_FILE: revision $REV1 was changed after it was applied (applied TIME by $(q "SELECT current_user")): its checksum is not the recorded one
  hint: restore the file as applied (git checkout); or, if the database already has what the file says now, accept it: schemagen upgrade head --accept-changed $REV1" \
	"the edited file is reported, with both ways out"
run upgrade head --accept-changed "$REV1"
is_rc 0 "accepted, the upgrade runs"
is "$OUT" "accepted the changed file of revision $REV1 ($REV1_FILE): its new checksum is recorded
nothing to do: the database is already at $REV2" "the acceptance is recorded, then nothing else to do"

# ---- concurrent runners ----

# A slow first revision, so that the runners overlap.
C=$T/concurrent
mkdir -p "$C/migrations"
cat >"$C/migrations/aaaaaaaaaaa1_slow.sql" <<'EOF'
-- schemagen revision: aaaaaaaaaaa1
-- parents:
-- message: slow
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.counter (n int);
SELECT pg_sleep(1.5);
INSERT INTO public.counter VALUES (1);

-- +downgrade
DROP TABLE public.counter;
EOF
cat >"$C/migrations/aaaaaaaaaaa2_more.sql" <<'EOF'
-- schemagen revision: aaaaaaaaaaa2
-- parents: aaaaaaaaaaa1
-- message: more
-- created: 2026-01-01T00:00:01Z

-- +upgrade
INSERT INTO public.counter VALUES (2);

-- +downgrade
DELETE FROM public.counter WHERE n = 2;
EOF
cd "$C" || BAIL_OUT "no $C"
CDB=$(new_db concurrent)
for i in 1 2 3; do
	sg --url "$(conninfo "$CDB")" upgrade head >"$T/c$i.out" 2>"$T/c$i.err" &
	eval "pid$i=\$!"
done
wait "$pid1"; rc1=$?
wait "$pid2"; rc2=$?
wait "$pid3"; rc3=$?
is "$rc1 $rc2 $rc3" "0 0 0" "three concurrent upgrades all succeed"
is "$(qdb "$CDB" "SELECT revision, direction, count(*) FROM schemagen_history GROUP BY 1, 2 ORDER BY 1")" \
	"aaaaaaaaaaa1|upgrade|1
aaaaaaaaaaa2|upgrade|1" "each revision applied exactly once"
is "$(qdb "$CDB" "SELECT string_agg(n::text, ',' ORDER BY n) FROM counter")" "1,2" \
	"each revision's statements ran once"
is "$(qdb "$CDB" "SELECT version_num FROM schemagen_version")" "aaaaaaaaaaa2" "version table at the head"
cat "$T"/c[123].out | norm_ms | sort >"$T/c.out"
is "$(cat "$T/c.out")" "nothing to do: the database is already at aaaaaaaaaaa2
nothing to do: the database is already at aaaaaaaaaaa2
upgrade aaaaaaaaaaa1 (slow): 3 statements, N ms
upgrade aaaaaaaaaaa2 (more): 1 statement, N ms" "one runner applied both, the others found nothing to do"
is "$(cat "$T"/c[123].err | grep -v '^target: ' | sed -E 's/pid [0-9]+ \(.*\)$/pid N (...)/' | sort)" \
	"schemagen: waiting for the migration lock on public.schemagen_version, held by pid N (...)
schemagen: waiting for the migration lock on public.schemagen_version, held by pid N (...)" \
	"the waiting runners say who holds the lock"

# and down again, concurrently: reverted once
for i in 1 2; do
	sg --url "$(conninfo "$CDB")" downgrade base >"$T/d$i.out" 2>"$T/d$i.err" &
	eval "pid$i=\$!"
done
wait "$pid1"; rc1=$?
wait "$pid2"; rc2=$?
is "$rc1 $rc2" "0 0" "two concurrent downgrades succeed"
is "$(qdb "$CDB" "SELECT revision, count(*) FROM schemagen_history WHERE direction = 'downgrade' GROUP BY 1 ORDER BY 1")" \
	"aaaaaaaaaaa1|1
aaaaaaaaaaa2|1" "each revision reverted exactly once"
is "$(qdb "$CDB" "SELECT to_regclass('public.counter') IS NULL")" "t" "the table is gone"


# ---- a run killed in the middle keeps its progress lines ----

# stdout is a file (fully buffered unless flushed): kill -9 during the third
# revision; the lines of the first two must be in the file.
K=$T/killed
mkdir -p "$K/migrations"
for n in 1 2 3; do
	p=""
	[ $n -gt 1 ] && p=bbbbbbbbbbb$((n - 1))
	stmt="CREATE TABLE public.k$n (n int);"
	[ $n = 3 ] && stmt="SELECT pg_sleep(20);"
	cat >"$K/migrations/bbbbbbbbbbb${n}_k$n.sql" <<EOF
-- schemagen revision: bbbbbbbbbbb$n
-- parents: $p
-- message: k$n
-- created: 2026-01-01T00:00:0${n}Z

-- +upgrade
$stmt

-- +downgrade
EOF
done
cd "$K" || BAIL_OUT "no $K"
KDB=$(new_db killed)
"$SCHEMAGEN" --url "$(conninfo "$KDB")" upgrade head >"$T/k.out" 2>"$T/k.err" &
kpid=$!
i=0
while [ $i -lt 100 ] && [ "$(qdb "$KDB" "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20);'")" = 0 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$kpid"
wait "$kpid"
is "$?" 137 "the run was killed during the third revision"
qdb "$KDB" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()" >/dev/null
is "$(norm_ms <"$T/k.out")" "upgrade bbbbbbbbbbb1 (k1): 1 statement, N ms
upgrade bbbbbbbbbbb2 (k2): 1 statement, N ms" "the progress lines of the revisions done are in the file"
is "$(qdb "$KDB" "SELECT version_num FROM schemagen_version")" "bbbbbbbbbbb2" \
	"and the database is at the second revision"

done_testing
