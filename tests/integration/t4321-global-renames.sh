#!/bin/sh
# SPDX-License-Identifier: MIT
# t4321-global-renames.sh - declared renames of database-wide objects
# (issue 10): a procedural language, a foreign data wrapper and a server
# take `renamed_from` (ALTER ... RENAME TO, never a drop and a create): the
# server's wrapper and the server's user mappings follow the rename, a
# function written in the language keeps working.  Check clean after the
# rename, the downgrade renames back, a rename from itself is refused.
. "$(dirname "$0")/lib.sh"

new_kind_project

STATE="SELECT string_agg(x, ' | ' ORDER BY x) FROM (
  SELECT 'language ' || lanname AS x FROM pg_language WHERE oid >= 16384 AND lanname <> 'plpgsql'
  UNION ALL SELECT 'wrapper ' || fdwname FROM pg_foreign_data_wrapper
  UNION ALL SELECT 'server ' || srvname || ' on ' || (SELECT fdwname FROM pg_foreign_data_wrapper
    WHERE oid = srvfdw) || ' ' || array_to_string(srvoptions, ',') FROM pg_foreign_server
  UNION ALL SELECT 'mapping ' || srvname || ' ' || usename || ' ' || array_to_string(umoptions, ',')
    FROM pg_user_mappings) s"

models() {
	# $1 $2 $3: the language, wrapper and server names; $4: renamed_from lines
	cat >schema/database.yaml <<EOF
languages:
  $1:
    handler: plpgsql_call_handler
    validator: plpgsql_validator
    trusted: true${4:+
    renamed_from: plx}
foreign_data_wrappers:
  $2: {options: {debug: 'on'}${4:+, renamed_from: w1}}
servers:
  $3: {wrapper: $2, options: {host: db1}${4:+, renamed_from: s1}}
user_mappings:
  $3:
    public: {options: {user: app}}
EOF
	cat >schema/public.yaml <<EOF
functions:
  f:
    returns: int
    language: $1
    body: BEGIN RETURN 1; END
EOF
}

models plx w1 s1
nsteps=1
migrate_step "created" "$STATE" \
	"language plx | mapping s1 public user=app | server s1 on w1 host=db1 | wrapper w1"

models ply w2 s2 renamed
nsteps=2
migrate_step "renamed" "$STATE" \
	"language ply | mapping s2 public user=app | server s2 on w2 host=db1 | wrapper w2"
cp "$(ls -t migrations/*.sql | head -n 1)" "$T/step2.sql"
is "$(grep -E '^(ALTER|CREATE|DROP)' "$T/step2.sql")" 'ALTER LANGUAGE plx RENAME TO ply;
ALTER FOREIGN DATA WRAPPER w1 RENAME TO w2;
ALTER SERVER s1 RENAME TO s2;
CREATE OR REPLACE FUNCTION public.f()
ALTER LANGUAGE ply RENAME TO plx;
ALTER FOREIGN DATA WRAPPER w2 RENAME TO w1;
ALTER SERVER s2 RENAME TO s1;
CREATE OR REPLACE FUNCTION public.f()' \
	"renamed both ways, the user mapping with its server; the function written in the language is replaced (its definition names it)"
is "$(q 'SELECT f()')" 1 "the function runs in the renamed language"

run downgrade -1
is_rc 0 "downgrade" || diag "$ERR"
is "$(q "$STATE")" "language plx | mapping s1 public user=app | server s1 on w1 host=db1 | wrapper w1" \
	"the downgrade renames back"

# ---- a rename from itself ----
models ply w2 s2 renamed
sed -i 's/renamed_from: w1/renamed_from: w2/' schema/database.yaml
run diff
is "$RC:$(cat "$T/err")" '2:schema/database.yaml:8:46: error: foreign data wrapper "w2" is renamed from itself
  hint: remove "renamed_from" once the rename has been applied' "a rename from itself: at its value"

done_testing
