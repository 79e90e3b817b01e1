#!/bin/sh
# bench.sh [N...] - how schemagen's cost grows with the size of a schema.
# For each N (default 10 100 1000) it builds a database of N tables (five
# columns, a primary key, a foreign key to the previous table, an index, a
# check, an enum column), dumps it to models and measures, best of three:
#   - introspection: objects, dependencies, catalog queries (must not grow
#     with N) and milliseconds, from `schemagen -v diff`;
#   - `schemagen diff` end to end (introspect the database, materialise the
#     models in a scratch database, introspect that, diff, order, emit);
#   - `schemagen dump`.
# Wall-clock figures vary with the machine; the query count must not.  For
# a repeatable count of instructions run it under
# `valgrind --tool=callgrind` instead (see the end of this file).
# Needs a server: runs itself under tools/with-postgres.sh when PGHOST is unset.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${PGHOST:-}" ]; then
	exec "$root/tools/with-postgres.sh" "$0" "$@"
fi
sg=${SCHEMAGEN:-$root/build/schemagen}
[ $# -gt 0 ] || set -- 10 100 1000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms() { date +%s%3N; }
best() { # command... -> best of three, ms
	b=""
	for i in 1 2 3; do
		t0=$(ms)
		"$@" >/dev/null 2>&1
		t=$(( $(ms) - t0 ))
		[ -z "$b" ] || [ "$t" -lt "$b" ] && b=$t
	done
	echo "$b"
}

printf '%6s %8s %6s %8s %10s %10s %10s\n' tables objects deps queries intro_ms diff_ms dump_ms
for n in "$@"; do
	db=sg_bench_$n
	dropdb --if-exists "$db" >/dev/null 2>&1
	createdb "$db"
	awk -v n="$n" 'BEGIN {
		print "CREATE TYPE state AS ENUM (\047new\047, \047old\047);"
		for (i = 1; i <= n; i++) {
			printf "CREATE TABLE t%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ", i
			printf "name text NOT NULL, amount numeric(10,2) CHECK (amount >= 0), "
			printf "st state DEFAULT \047new\047, prev bigint%s);\n", (i > 1 ? " REFERENCES t" i-1 "(id)" : "")
			printf "CREATE INDEX t%d_name_idx ON t%d (lower(name));\n", i, i
		}
	}' | psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
	# as autovacuum leaves a real database: catalog statistics that make
	# the planner's estimates large (jit_above_cost, see introspect.c)
	psql -X -q -d "$db" -c "ANALYZE" >/dev/null
	url="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$db"
	proj=$work/p$n
	mkdir -p "$proj/schema" "$proj/migrations"
	"$sg" dump --url "$url" -o "$proj/schema" >/dev/null
	cd "$proj"
	line=$(DATABASE_URL=$url "$sg" -v diff 2>&1 >/dev/null | grep "introspected $db" | head -n 1)
	objects=$(echo "$line" | sed -n 's/.*: \([0-9]*\) objects.*/\1/p')
	deps=$(echo "$line" | sed -n 's/.* \([0-9]*\) dependencies.*/\1/p')
	queries=$(echo "$line" | sed -n 's/.* \([0-9]*\) queries.*/\1/p')
	intro=$(echo "$line" | sed -n 's/.* \([0-9.]*\) ms$/\1/p')
	difft=$(DATABASE_URL=$url best "$sg" diff)
	dumpt=$(best "$sg" dump --url "$url" -o "$work/d$n" --force)
	printf '%6s %8s %6s %8s %10s %10s %10s\n' "$n" "$objects" "$deps" "$queries" "$intro" "$difft" "$dumpt"
	cd "$root"
	dropdb "$db"
done

# Instruction counts (repeatable on one machine):
#   DATABASE_URL=... valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \
#       build/schemagen diff && callgrind_annotate /tmp/cg.out | head -30
