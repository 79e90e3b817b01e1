#!/bin/sh
# SPDX-License-Identifier: MIT
# t3960-every-kind.sh - tools/corpus.sh over schemagen's own corpus
# (tests/corpus): a schema using every kind of issue 10 is created,
# altered and dropped by generated migrations, `check` is clean, the
# downgrade restores it, and pg_dump --schema-only (the oracle that sees
# every kind) finds the databases equal; dump then diff is a fixed point.
# With the default embedded scratch server, as a user runs it.
. "$(dirname "$0")/lib.sh"

out=$T/corpus
SCHEMAGEN=$SCHEMAGEN SG_CATALOG_DIFF=$SG_BUILD_ROOT/tools/sg-catalog-diff \
	SG_CORPUS_OUT=$out "$SG_SOURCE_ROOT/tools/corpus.sh" "$SG_SOURCE_ROOT/tests/corpus" >"$T/summary" 2>&1
n=$(ls -d "$SG_SOURCE_ROOT"/tests/corpus/*/ | wc -l)
is "$(grep '^corpus:' "$T/summary")" "corpus: $n passed, 0 failed, 0 skipped ($n cases)" "every case passes" ||
	diag "$(cat "$T/summary")" "$(cat "$out"/*.log | tail -60)"
is "$(grep '^adoption' "$T/summary" | sed 's/.*: //')" "$n of $n cases" "adoption is a fixed point"
unlike "$(cat "$T/summary")" "pg_dump comparison off" "pg_dump, which sees every kind, compared the databases"
for k in 'CREATE TRUSTED LANGUAGE' 'CREATE CAST' 'CREATE AGGREGATE' 'CREATE OPERATOR app' \
	'CREATE OPERATOR FAMILY' 'CREATE OPERATOR CLASS' 'CREATE RULE' 'CREATE STATISTICS' \
	'CREATE TEXT SEARCH DICTIONARY' 'CREATE TEXT SEARCH CONFIGURATION' 'CREATE EVENT TRIGGER' \
	'CREATE PUBLICATION' 'CREATE FOREIGN DATA WRAPPER' 'CREATE SERVER' 'CREATE USER MAPPING'; do
	grep -q "^$k" "$out/every_kind__create_all.log"
	is $? 0 "the migration creates: $k"
done
done_testing
