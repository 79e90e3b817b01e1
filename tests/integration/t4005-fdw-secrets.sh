#!/bin/sh
# SPDX-License-Identifier: MIT
# t4005-fdw-secrets.sh - a user mapping's password (issue 10) is read from
# the environment when a migration runs and is never written: not to a
# migration, the --sql or --dry-run output, diff or check (text or JSON),
# a dump, an error message, nor schemagen's tables; a changed password is
# no difference.  Load errors of foreign data models at their line and
# column; hostile names quoted everywhere; a server's wrapper cannot
# change; an extension's wrapper (postgres_fdw's) is left to it.
. "$(dirname "$0")/lib.sh"

new_roles sg_sec_a '"sg sec ""b"""'
new_kind_project

PW="t4005-Pw'\"; DROP ROLE x; --"
export SG_T4005_PW="$PW"
# no file, output or table may hold the password (nor its SQL-quoted form)
no_pw() {
	_what=$1; shift
	is "$(printf '%s\n' "$*" | grep -cF t4005-Pw)" 0 "$_what: no password"
}

cat >schema/database.yaml <<'EOF'
foreign_data_wrappers:
  'w "1"':
    options: {"o'k": "it's"}
servers:
  "s'1;--":
    wrapper: 'w "1"'
    type: "t'ype"
    options: {"h\"ost": "a'b"}
user_mappings:
  "s'1;--":
    sg_sec_a:
      options: {user: alice, password: {env: SG_T4005_PW}}
    'sg sec "b"':
      options: {sslpassword: {env: SG_T4005_PW}, "user name": 'x"y'}
EOF


run diff
is_rc 0 "diff" || diag "$ERR"
no_pw "diff" "$OUT$ERR"
run diff --format json
no_pw "diff --format json" "$OUT$ERR"
run revision --autogenerate -m secrets
is_rc 0 "revision" || diag "$ERR"
no_pw "revision output" "$OUT$ERR"
no_pw "the migration" "$(cat migrations/*.sql)"
is "$(grep -h '^CREATE' migrations/*.sql)" \
"CREATE FOREIGN DATA WRAPPER \"w \"\"1\"\"\" OPTIONS (\"o'k\" 'it''s');
CREATE SERVER \"s'1;--\" TYPE 't''ype' FOREIGN DATA WRAPPER \"w \"\"1\"\"\" OPTIONS (\"h\"\"ost\" 'a''b');
CREATE USER MAPPING FOR \"sg sec \"\"b\"\"\" SERVER \"s'1;--\" OPTIONS (sslpassword '\$env:SG_T4005_PW', \"user name\" 'x\"y');
CREATE USER MAPPING FOR sg_sec_a SERVER \"s'1;--\" OPTIONS (password '\$env:SG_T4005_PW', \"user\" 'alice');" \
	"the passwords are placeholders, every name and value quoted"
run upgrade head --sql
no_pw "upgrade --sql" "$OUT$ERR"
run upgrade head --dry-run
no_pw "upgrade --dry-run" "$OUT$ERR"
run upgrade head
is_rc 0 "upgrade" || diag "$ERR"
no_pw "upgrade" "$OUT$ERR"
is "$(q "SELECT usename, array_to_string(umoptions, '|') FROM pg_user_mappings ORDER BY 1" | sed "s/t4005-Pw[^|]*-- *\$\|t4005-Pw[^|]*--|/PW|/g")" \
"sg sec \"b\"|sslpassword=PW|user name=x\"y
sg_sec_a|password=PW|user=alice" "the database has the password itself, from the environment"
is "$(q "SELECT count(*) FROM pg_user_mappings WHERE '$(printf '%s' "password=$PW" | sed "s/'/''/g")' = ANY (umoptions)")" 1 \
	"the password is exactly the variable's value"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." "check is clean"
run check --format json
no_pw "check --format json" "$OUT$ERR"
no_pw "schemagen's tables" "$(qdb "$DB" "SELECT row_to_json(h)::text FROM public.schemagen_history h UNION ALL SELECT row_to_json(v)::text FROM public.schemagen_version v")"

# a password changed in the database: no difference (only that it is set)
q "ALTER USER MAPPING FOR sg_sec_a SERVER \"s'1;--\" OPTIONS (SET password 'changed')"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "a changed password is no difference"

# dropped: the downgrade's password is a placeholder too
sed -i '/sg_sec_a:/,+1d' schema/database.yaml
run revision --autogenerate -m drop
is_rc 0 "revision dropping a mapping" || diag "$ERR"
no_pw "the second migration" "$(cat migrations/*.sql)"
is "$(grep -h '^CREATE USER MAPPING FOR sg_sec_a' migrations/*drop*.sql)" \
"CREATE USER MAPPING FOR sg_sec_a SERVER \"s'1;--\" OPTIONS (password '\$env:PGFDW_S_1____SG_SEC_A_PASSWORD', \"user\" 'alice');" \
	"the downgrade reads the password from a variable named after the mapping"
run upgrade head
is_rc 0 "upgrade (drop)" || diag "$ERR"

# a statement that fails: the message holds the placeholder, not the value
HEAD=$(sg heads --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["heads"][0]["id"])')
cat >migrations/9999_fails.sql <<EOF
-- schemagen revision: 9999
-- parents: $HEAD
-- message: fails
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE USER MAPPING FOR no_such_role_t4005 SERVER "s'1;--" OPTIONS (password '\$env:SG_T4005_PW');

-- +downgrade
EOF
run upgrade head
is "$RC" 2 "a failing statement: exit 2"
like "$ERR" "no_such_role_t4005" "the error is reported"
no_pw "the failing statement's error" "$OUT$ERR"
rm migrations/9999_fails.sql

# ---- a server's wrapper cannot change ----
sed -i "s/^    wrapper: 'w \"1\"'/    wrapper: w2/" schema/database.yaml
sed -i '/^foreign_data_wrappers:/a\  w2:' schema/database.yaml
run diff
is "$RC" 2 "a server's wrapper changed: exit 2"
is "$(printf '%s\n' "$ERR" | grep -v '^schema/database.yaml:.*: error: .*\(materialis\|created\)' | head -2)" \
"schema/database.yaml:$(grep -n "^  \"s'1;--\":" schema/database.yaml | head -1 | cut -d: -f1):3: error: cannot change the foreign data wrapper of server \"s'1;--\" (\"w \"\"1\"\"\" to w2): ALTER SERVER cannot
  hint: create a server of another name, move the user mappings and foreign tables to it, then drop this one" \
	"an error at the server, with what to do"
git_restore() { sed -i "s/^    wrapper: w2/    wrapper: 'w \"1\"'/; /^  w2:\$/d" schema/database.yaml; }
git_restore

# ---- load errors, at their line and column, the value never echoed ----
load_error() {
	printf '%s\n' "$2" >schema/bad.yaml
	run diff
	is "$RC:$(printf '%s\n' "$ERR" | head -2)" "2:$3" "$1"
	no_pw "$1" "$ERR"
	rm schema/bad.yaml
}
load_error "a password written in clear" "servers:
  s9:
    wrapper: w9
user_mappings:
  s9:
    sg_sec_a:
      options: {password: t4005-Pw-in-clear}" \
'schema/bad.yaml:7:27: error: option "password" of user mapping FOR sg_sec_a SERVER s9 is a secret: it cannot be written in a model
  hint: write {env: NAME}: the runner reads it from the environment variable NAME when it applies the migration, and it is never written to a file'
load_error "a bad variable name" "foreign_data_wrappers:
  w9:
    options: {token: {env: 9lives}}" \
'schema/bad.yaml:3:28: error: expected the name of an environment variable, found "9lives"
  hint: letters, digits and `_`, not starting with a digit'
load_error "an unknown key in an env reference" "servers:
  s9:
    wrapper: w9
    options: {host: {environment: H}}" \
'schema/bad.yaml:4:22: error: unknown key "environment" in option "host" of server "s9"
  hint: valid keys are: env'
load_error "a value that looks like a placeholder" "servers:
  s9:
    wrapper: w9
    options: {host: \$env:HOST}" \
'schema/bad.yaml:4:21: error: option "host" of server "s9" starts with "$env:", which marks an environment variable in migrations
  hint: write {env: NAME} to read the value from the environment'
load_error "a server without a wrapper" "servers:
  s9:
    type: x" \
'schema/bad.yaml:2:3: error: server "s9" needs "wrapper"
  hint: the foreign data wrapper it uses: wrapper: postgres_fdw'
load_error "an unknown key of a server" "servers:
  s9:
    wrapper: w9
    versoin: '1'" \
'schema/bad.yaml:4:5: error: unknown key "versoin" in server "s9"
  hint: did you mean "version"?'
load_error "user mappings as a list" "user_mappings:
  - s9" \
'schema/bad.yaml:2:3: error: expected a mapping of server names to their mappings, found a list
  hint: write user_mappings: {server: {role: {options: {...}}}}'

# ---- an extension's wrapper is the extension's ----
q "CREATE EXTENSION postgres_fdw"
run dump -o "$T/dump"
is_rc 0 "dump with postgres_fdw installed" || diag "$ERR"
is "$(cat "$T"/dump/*.yaml | grep -c 'postgres_fdw')" 1 "its wrapper is not dumped (only the extension is)"
no_pw "the dump" "$(cat "$T"/dump/*.yaml)"
is "$(grep -A2 '^user_mappings:' "$T/dump/database.yaml")" \
"user_mappings:
  s'1;--:
    sg sec \"b\": {options: {sslpassword: {env: PGFDW_S_1____SG_SEC__B__SSLPASSWORD}, user name: x\"y}}" \
	"dump: a secret as the reference to a variable named after the mapping"
cp "$T/dump/database.yaml" schema/database.yaml
q "DROP EXTENSION postgres_fdw"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dump's models match the database, hostile names and all"
