#!/bin/sh
# SPDX-License-Identifier: MIT
# t3310-lock-race.sh - issue 9: ten `upgrade head` started at once on a
# project whose pending revisions include CREATE INDEX CONCURRENTLY.  A
# runner waiting for the migration lock must hold no snapshot (it polls
# pg_try_advisory_lock), else the index build waits for the waiter and the
# waiter for the lock: a deadlock, both exit 2 and an INVALID index stays.
# Each revision is applied exactly once, no index is INVALID, every runner
# exits 0, and the waiters say who holds the lock.
. "$(dirname "$0")/lib.sh"

DB=$(new_db race)
URL=$(conninfo "$DB")
cd "$P" || BAIL_OUT "no project dir"
mkdir migrations
cat >migrations/bbbbbbbbbbb1_table.sql <<'EOF'
-- schemagen revision: bbbbbbbbbbb1
-- parents:
-- message: table
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.items (id int NOT NULL, note text);
INSERT INTO public.items SELECT g, 'n' || g FROM generate_series(1, 20000) g;

-- +downgrade
DROP TABLE public.items;
EOF
# the build waits out every snapshot older than itself: the waiters'
cat >migrations/bbbbbbbbbbb2_index.sql <<'EOF'
-- schemagen revision: bbbbbbbbbbb2
-- parents: bbbbbbbbbbb1
-- message: index
-- created: 2026-01-01T00:00:01Z

-- +upgrade
CREATE INDEX CONCURRENTLY items_note_idx ON public.items (note);
CREATE UNIQUE INDEX CONCURRENTLY items_id_idx ON public.items (id);

-- +downgrade
DROP INDEX CONCURRENTLY public.items_id_idx;
DROP INDEX CONCURRENTLY public.items_note_idx;
EOF
cat >migrations/bbbbbbbbbbb3_after.sql <<'EOF'
-- schemagen revision: bbbbbbbbbbb3
-- parents: bbbbbbbbbbb2
-- message: after
-- created: 2026-01-01T00:00:02Z

-- +upgrade
ALTER TABLE public.items ADD COLUMN extra int;

-- +downgrade
ALTER TABLE public.items DROP COLUMN extra;
EOF

pids=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	sg --url "$URL" upgrade head >"$T/r$i.out" 2>"$T/r$i.err" &
	pids="$pids $!"
done
rcs=""
for p in $pids; do
	wait "$p"
	rcs="$rcs $?"
done
is "$rcs" " 0 0 0 0 0 0 0 0 0 0" "ten racing runners all exit 0" ||
	diag "$(cat "$T"/r*.err)"
is "$(qdb "$DB" "SELECT revision, direction, count(*) FROM schemagen_history GROUP BY 1, 2 ORDER BY 1")" \
	"bbbbbbbbbbb1|upgrade|1
bbbbbbbbbbb2|upgrade|1
bbbbbbbbbbb3|upgrade|1" "each revision applied exactly once"
is "$(qdb "$DB" "SELECT c.relname, i.indisvalid, i.indisready FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'public.items'::regclass ORDER BY 1")" \
	"items_id_idx|t|t
items_note_idx|t|t" "both indexes built and valid, none INVALID"
is "$(qdb "$DB" "SELECT version_num FROM schemagen_version")" "bbbbbbbbbbb3" "version table at the head"
is "$(qdb "$DB" "SELECT count(*) FROM public.items")" "20000" "the rows were inserted once"
cat "$T"/r*.out | norm_ms | sort | uniq -c | sed 's/^ *//' >"$T/all.out"
is "$(cat "$T/all.out")" "9 nothing to do: the database is already at bbbbbbbbbbb3
1 upgrade bbbbbbbbbbb1 (table): 2 statements, N ms
1 upgrade bbbbbbbbbbb2 (index): 2 statements, N ms
1 upgrade bbbbbbbbbbb3 (after): 1 statement, N ms" \
	"one runner applied all three, nine found nothing to do"
# every waiter said it waited (and who held the lock, unless the holder let
# go in between), and nothing else went wrong; how many waited depends on
# timing (a late runner may find the lock free)
WAITED=$(cat "$T"/r*.err | grep -v '^target: ' | sed -E 's/pid [0-9]+ \(schemagen, user [^,]+, local socket, connected since [0-9T:Z-]+\)$/pid N (...)/')
is "$(printf '%s\n' "$WAITED" | grep -cvxE 'schemagen: waiting for the migration lock on public\.schemagen_version(, held by pid N \(\.\.\.\))?')" 0 \
	"the runners that waited said so, and nothing else"
like "$WAITED" "^schemagen: waiting for the migration lock on public\.schemagen_version, held by pid N \(\.\.\.\)$" \
	"a waiter says who holds the lock"

# (--lock-wait giving up after its time: t1000 and d-runner)

done_testing
