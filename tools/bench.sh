#!/bin/sh
# bench.sh [N...] - schemagen against reading the catalog, side by side in
# one run.  For each N (default 100 1000; add 10000 as an argument, it
# takes minutes) it builds a live database of N tables (five columns, an
# identity primary key, a foreign key to the previous table, an index, a
# check, an enum column), dumps it to models, changes three things in the
# live database (drifts), and measures, each once, wall clock and peak
# memory (/usr/bin/time -v):
#   pg_dump     `pg_dump --schema-only` of the live database: the floor
#   psql -1     `psql -1 -f` of the models' DDL (what `schemagen diff`
#               prints against an empty database) into an empty database
#               on the scratch server: the server's own DDL time
#   cold        `schemagen diff --no-cache`: materialise + introspect both
#   warm        `schemagen diff` again, nothing changed (the cached model
#               catalog)
#   warm+1      `schemagen diff` after one model table changed
#   check cold  `schemagen check --no-cache` with no database: replays the
#               models' first revision (and materialises the models)
#   check +1    `schemagen check` after one new revision: applies it alone
#               to the kept replay database
#   check       `schemagen check` again, nothing changed (the caches)
#   migra       `migra run LIVE MODELS --unsafe` (@pgkit/migra) when
#               installed: `npm install @pgkit/migra@0.6.1` in tools/,
#               on PATH or MIGRA=path; the script says when it is absent
# and prints each time's and each peak memory's ratio to pg_dump's.  Scratch databases go to an
# embedded server of its own (SCHEMAGEN_HOME in the work folder), started
# before anything is timed.  Wall-clock figures vary with the machine and
# its load: compare the ratios of one run.  Benchmarks are scripts, never
# timed tests.  Needs a server for the live databases: runs itself under
# tools/with-postgres.sh when PGHOST is unset.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${PGHOST:-}" ]; then
	exec "$root/tools/with-postgres.sh" "$0" "$@"
fi
sg=${SCHEMAGEN:-$root/build/schemagen}
[ $# -gt 0 ] || set -- 100 1000
work=$(mktemp -d)
export SCHEMAGEN_HOME="$work/home"
mkdir -p "$SCHEMAGEN_HOME"
chmod 755 "$work" "$SCHEMAGEN_HOME"
unset SCHEMAGEN_DEV_URL DATABASE_URL 2>/dev/null || true
cleanup() {
	"$sg" embedded stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

migra=${MIGRA:-}
if [ -n "$migra" ]; then
	:
elif [ -x "$root/tools/node_modules/.bin/migra" ]; then
	migra="$root/tools/node_modules/.bin/migra"
elif command -v migra >/dev/null 2>&1; then
	migra=$(command -v migra)
fi
[ -n "$migra" ] || echo "migra: not installed (npm install @pgkit/migra@0.6.1 in tools/ to compare)"

# measure NAME COMMAND...: runs it once; sets T_<NAME> (seconds) and
# M_<NAME> (peak MB)
measure() {
	name=$1; shift
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
		rc=$?
		# diff exits 0, check 1 with differences; anything else is a failure
		if [ "$rc" -ne 1 ]; then
			echo "$name failed (exit $rc):" >&2
			tail -n 5 "$work/err" >&2
		fi
	}
	set -- $(tail -n 1 "$work/time")
	eval "T_$name=$1 M_$name=$(( $2 / 1024 ))"
}

mkdir -p "$work/boot" && printf 'schema_dir: .\n' >"$work/boot/schemagen.yaml"
(cd "$work/boot" && "$sg" embedded start >/dev/null)
scratch="$(cd "$work/boot" && "$sg" embedded url | sed 's/dbname=[^ ]*/dbname=postgres/')"
[ -n "$scratch" ] || { echo "no embedded server" >&2; exit 2; }

# SG_BENCH_NO_CACHE_FLAG= for a schemagen without the model cache
nocache=${SG_BENCH_NO_CACHE_FLAG---no-cache}

ratio() { echo "$1 $2" | awk '{ printf "%.1f", ($2 > 0 ? $1 / $2 : 0) }'; }
row() { # label time mem base-time base-mem
	printf '| %-34s | %8.2f s | %6.1fx | %6s MB | %5.1fx |\n' "$1" "$2" \
		"$(ratio "$2" "$4")" "$3" "$(ratio "$3" "$5")"
}

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
	psql -X -q -d "$db" -c "ANALYZE" >/dev/null
	url="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$db"
	proj=$work/p$n
	mkdir -p "$proj/schema" "$proj/migrations"
	printf 'schema_dir: schema\nmigrations_dir: migrations\n' >"$proj/schemagen.yaml"
	"$sg" dump --url "$url" -o "$proj/schema" >/dev/null
	# three drifts: a column more, an index less, a default changed
	psql -X -q -d "$db" -c "ALTER TABLE t1 ADD COLUMN extra int; DROP INDEX t2_name_idx; ALTER TABLE t3 ALTER COLUMN st SET DEFAULT 'old'" >/dev/null
	cd "$proj"

	# the models' DDL, as schemagen materialises it, and the server's time for it
	createdb sg_bench_empty_$n
	"$sg" diff --url "host=$PGHOST port=$PGPORT user=$PGUSER dbname=sg_bench_empty_$n" >"$work/ddl.sql"
	dropdb sg_bench_empty_$n
	psql -X -q -d "$scratch" -c "DROP DATABASE IF EXISTS sg_bench_ddl" >/dev/null 2>&1
	psql -X -q -d "$scratch" -c "CREATE DATABASE sg_bench_ddl" >/dev/null
	ddlurl=$(echo "$scratch" | sed 's/dbname=postgres/dbname=sg_bench_ddl/')

	measure pgdump pg_dump --schema-only -d "$url"
	measure psql psql -X -q -1 -v ON_ERROR_STOP=1 -d "$ddlurl" -f "$work/ddl.sql"
	measure cold "$sg" --url "$url" diff $nocache
	measure warm "$sg" --url "$url" diff
	half=$((n / 2))
	f=$(grep -l "^  t$half:" schema/*.yaml | head -n 1)
	sed -i "s/^  t$half:\$/  t$half:\n    comment: changed/" "$f"
	measure warm1 "$sg" --url "$url" diff
	# check without a database: the models' first revision, then one more
	createdb sg_bench_base_$n
	"$sg" revision --autogenerate -m base --url "host=$PGHOST port=$PGPORT user=$PGUSER dbname=sg_bench_base_$n" >/dev/null
	dropdb sg_bench_base_$n
	# no database: libpq's environment (PGHOST...) would name one
	measure checkcold env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$sg" check $nocache
	"$sg" revision -m one >/dev/null
	rev=$(ls migrations/*_one.sql)
	sed -i "s/^-- +downgrade/ALTER TABLE public.t1 ADD COLUMN extra2 integer;\n\n-- +downgrade/" "$rev"
	measure check env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$sg" check
	measure check0 env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$sg" check
	if [ -n "$migra" ]; then
		measure migra "$migra" run "postgresql://$PGUSER@/$db?host=$PGHOST&port=$PGPORT" \
			"postgresql://$PGUSER@/sg_bench_ddl?host=$(echo "$scratch" | sed -n 's/.*host=\([^ ]*\).*/\1/p')" --unsafe
	fi
	psql -X -q -d "$scratch" -c "DROP DATABASE sg_bench_ddl" >/dev/null
	cd "$root"

	echo
	echo "$n tables ($(wc -c <"$work/ddl.sql") bytes of DDL)"
	echo "| what | time | / pg_dump | peak memory | / pg_dump |"
	echo "|---|---|---|---|---|"
	row "pg_dump -s" "$T_pgdump" "$M_pgdump" "$T_pgdump" "$M_pgdump"
	row "psql -1 -f (the models' DDL)" "$T_psql" "$M_psql" "$T_pgdump" "$M_pgdump"
	row "schemagen diff, cold (--no-cache)" "$T_cold" "$M_cold" "$T_pgdump" "$M_pgdump"
	row "schemagen diff, warm, no change" "$T_warm" "$M_warm" "$T_pgdump" "$M_pgdump"
	row "schemagen diff, warm, 1 table" "$T_warm1" "$M_warm1" "$T_pgdump" "$M_pgdump"
	row "schemagen check, no db, cold" "$T_checkcold" "$M_checkcold" "$T_pgdump" "$M_pgdump"
	row "schemagen check, no db, 1 new rev" "$T_check" "$M_check" "$T_pgdump" "$M_pgdump"
	row "schemagen check, no db, no change" "$T_check0" "$M_check0" "$T_pgdump" "$M_pgdump"
	[ -z "$migra" ] || row "migra" "$T_migra" "$M_migra" "$T_pgdump" "$M_pgdump"
	dropdb "$db"
done
