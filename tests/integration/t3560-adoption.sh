#!/bin/sh
# SPDX-License-Identifier: MIT
# t3560-adoption.sh - issue 10: adopting a database is a fixed point.
# `dump` followed by `diff` against the same database finds nothing, and
# `check` is clean right after `stamp head`, also for what the server's
# deparser does not write back the same: SQLAlchemy's `col IN (...)` check
# on a varchar column (pg_get_constraintdef writes `(ARRAY[...])::text[]`,
# and that text created again reads `ARRAY[(...)::text, ...]`), the same in
# a partial index and in a column default.  A real change next to them is
# still found, and only it.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
q "CREATE TABLE orders (
	id integer PRIMARY KEY,
	status varchar(10) NOT NULL CHECK (status IN ('new', 'paid')),
	kind varchar CHECK (kind = ANY (ARRAY['a', 'b'])),
	tags varchar[] DEFAULT ARRAY['x', 'y']::varchar[],
	grid bigint[] DEFAULT (ARRAY[ARRAY[1, 2], ARRAY[3, 4]])::bigint[]);
   CREATE INDEX orders_open ON orders (id) WHERE status IN ('new', 'paid');" >/dev/null

run init
run dump --force
is_rc 0 "dump"
like "$(cat schema/public.yaml)" "'paid'::character varying\])::text\[\]))$" \
	"the dumped check is the server's text"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff right after dump: nothing"
run revision -m adopt
run stamp head
is_rc 0 "stamp head"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"check right after stamp head: clean"

# a real change beside them is found, and only it
sed -i "s/'paid'::character varying])::text\[\]))/'paid'::character varying, 'void'::character varying])::text[]))/" \
	schema/public.yaml
run diff
is_rc 0 "diff with one check changed"
is "$(printf '%s\n' "$OUT" | grep -c '^ALTER TABLE')" 4 \
	"the changed check is dropped and added, both ways; nothing else"
like "$OUT" "ADD CONSTRAINT orders_status_check CHECK" "the changed check is the one"
done_testing
