#!/bin/sh
# SPDX-License-Identifier: MIT
# t3700-materialise.sh - issue 12: the models are materialised through a
# libpq pipeline (one statement per message, answers read a batch later),
# in one transaction.  An error in a late batch is still reported at the
# model's file:line:col and leaves nothing behind; a model whose objects
# need more locks than a dev_url server's lock table holds (the default
# max_locks_per_transaction) is materialised in steps; the embedded server
# is started with max_locks_per_transaction = 1024.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
DBURL=$(conninfo "$DB")
cd "$P" || BAIL_OUT "no project"
printf 'schema_dir: schema\nmigrations_dir: migrations\n' >schemagen.yaml
mkdir -p schema migrations

# tables N [BAD]: N tables of an identity key and a text column (five
# locks each: table, sequence, toast table and index, key index); BAD
# gives the last one a default its type rejects
tables() {
	awk -v n="$1" -v bad="${2:-}" 'BEGIN {
		print "schema: public"
		print "tables:"
		for (i = 1; i <= n; i++) {
			printf "  t%d:\n    columns:\n", i
			printf "      id: {type: bigint, identity: always}\n"
			printf "      note: {type: text}\n"
			if (bad != "" && i == n)
				printf "      n: {type: integer, default: \"\047x\047\"}\n"
			printf "    primary_key: [id]\n"
		}
	}'
}

# 1. an error in the last of several batches: at the model's line and column
tables 700 bad >schema/public.yaml
run --url "$DBURL" diff
is_rc 2 "a model the server rejects: exit 2"
line=$(grep -n "default: \"'x'\"" schema/public.yaml | cut -d: -f1)
is "$ERR" "schema/public.yaml:$line:36: error: invalid input syntax for type integer: \"x\"" \
	"the error of statement ~2100 is at the model's file:line:col"
is "$(q "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" 0 \
	"the target is untouched"
is "$(qdb postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'sg_scratch_%'")" 0 \
	"the scratch database is gone"

# 2. more locks than the lock table holds: a server of its own with the
# smallest one (max_locks_per_transaction 10, 10 connections: about 320
# locks and some slack); 300 tables need 1,500
n=300
tables $n >schema/public.yaml
SG_PG_SERVER_OPTS="-c max_locks_per_transaction=10 -c max_connections=10" \
	"$SG_SOURCE_ROOT/tools/with-postgres.sh" sh -c '
	createdb tgt &&
	"$SCHEMAGEN" -v --url "host=$PGHOST port=$PGPORT user=$PGUSER dbname=tgt" \
		diff >"$1/small.out" 2>"$1/small.err"
	echo $? >"$1/small.rc"
	psql -X -At -c "SHOW max_locks_per_transaction" >"$1/small.locks"' sh "$T"
is "$(cat "$T/small.locks")" 10 "a server with max_locks_per_transaction = 10"
is "$(cat "$T/small.rc")" 0 "$n tables materialise on it"
is "$(grep -c '^CREATE TABLE public\.t[0-9]* ' "$T/small.out")" $n "all $n tables are created"
like "$(cat "$T/small.err")" "lock table is full: running the script in steps of [0-9]+ statements" \
	"the lock table is too small for one transaction: in steps"
unlike "$(cat "$T/small.err")" "error" "and no error"

# 3. the embedded server: max_locks_per_transaction = 1024
unset SCHEMAGEN_DEV_URL
SCHEMAGEN_HOME=$T/home
mkdir -m 711 "$SCHEMAGEN_HOME"
export SCHEMAGEN_HOME
stop_embedded() { "$SCHEMAGEN" embedded stop >/dev/null 2>&1; }
_cleanup_hook=stop_embedded
run embedded url
is_rc 0 "the embedded server starts"
is "$(psql -X -At -d "$OUT" -c 'SHOW max_locks_per_transaction')" 1024 \
	"the embedded server holds 1024 locks per transaction"

done_testing
