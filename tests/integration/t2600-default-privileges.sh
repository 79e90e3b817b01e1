#!/bin/sh
# SPDX-License-Identifier: MIT
# t2600-default-privileges.sh - ALTER DEFAULT PRIVILEGES IN SCHEMA.
#
# One change per step, as in t2300: default privileges created with
# their schema (for the role that runs the migrations and FOR ROLE
# another), altered (privileges added and taken, grant options, classes
# added and removed), all removed, added to an existing schema, and the
# schema dropped with them.  After each upgrade check is clean; objects
# created by hand afterwards get what the default privileges say (so the
# SQL is right); a table of the models created after them has them too.
# Then every step is undone with `downgrade -1`, each time back to the
# pg_dump of the step before.  Then: a database made by SQL, dumped and
# compared (no changes).
. "$(dirname "$0")/lib.sh"

R1=sg_dp_reader
R2="sg dp writer"
R3=sg_dp_owner
QR1=sg_dp_reader
QR2='"sg dp writer"'
QR3=sg_dp_owner
new_roles "$QR1" "$QR2" "$QR3"

new_kind_project

norm() {
	sed -e 's/"sg dp writer"/R2/g' -e 's/sg dp writer/R2/g' \
	    -e 's/sg_dp_reader/R1/g' -e 's/sg_dp_owner/R3/g'
}
STEP_FILTER=norm

step() {
	nsteps=$((nsteps + 1))
	cat >schema/model.yaml
	STEP_SQL=
	migrate_step "$@" || return
	STEP_SQL=$(sed -n '/^-- +upgrade/,$p' "$T/step$nsteps.sql" | norm)
	schema_dump "$DB" | sort >"$T/snap$nsteps"
}

# The default privileges of schema dp, one line: role (me for the one
# running the tests), class, grantee=privilege (* grantable).
DEFACLS="SELECT coalesce(string_agg(x, ' | ' ORDER BY x COLLATE \"C\"), 'none') FROM (
  SELECT CASE WHEN d.defaclrole = current_user::regrole THEN 'me' ELSE d.defaclrole::regrole::text END
   || ' ' || d.defaclobjtype::text || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
   || '=' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END AS x
  FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
  WHERE d.defaclnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'dp')) s"

# ACL of a relation, owner left out.
relacl() {
	q "SELECT coalesce(string_agg(CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END, ',' ORDER BY 1), 'none') FROM (SELECT (aclexplode(coalesce(relacl, acldefault('r', relowner)))).* , relowner FROM pg_class WHERE oid = '$1'::regclass) a WHERE grantee <> relowner" | norm
}

# ---- created with the schema ----

step "default privileges created with their schema" "$DEFACLS" \
	"me S R2=SELECT | me S R2=USAGE | me T R1=USAGE | me f R1=EXECUTE | me r R2=INSERT | me r R2=SELECT | me r R1=SELECT | R3 r R1=SELECT*" <<EOF
schema: dp
default_privileges:
  - tables: {$R1: [select], $R2: [select, insert]}
    sequences: {$R2: [usage, select]}
    functions: {$R1: [execute]}
    types: {$R1: [usage]}
  - for_role: $R3
    tables: {$R1: {privileges: [select], with_grant_option: true}}
tables:
  t:
    columns:
      id: bigint
EOF
is "$STEP_SQL" '-- +upgrade
CREATE SCHEMA dp;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT INSERT, SELECT ON TABLES TO R2;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT SELECT ON TABLES TO R1;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT SELECT, USAGE ON SEQUENCES TO R2;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT EXECUTE ON FUNCTIONS TO R1;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT USAGE ON TYPES TO R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 IN SCHEMA dp GRANT SELECT ON TABLES TO R1 WITH GRANT OPTION;
CREATE TABLE dp.t (
    id bigint
);
GRANT INSERT, SELECT ON TABLE dp.t TO R2;
GRANT SELECT ON TABLE dp.t TO R1;

-- +downgrade
-- WARNING: drops table dp.t and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on dp.t: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table dp.t and the data in it
DROP TABLE dp.t;
DROP SCHEMA dp;' "the revision: the schema, its default privileges, then its table"
is "$(relacl dp.t)" "R1=SELECT,R2=INSERT,R2=SELECT" "the models' table created after them has them"
q "CREATE TABLE dp.by_hand (x int); CREATE SEQUENCE dp.s_by_hand;
   CREATE FUNCTION dp.f_by_hand() RETURNS int LANGUAGE sql AS 'SELECT 1';
   CREATE TYPE dp.e_by_hand AS ENUM ('a')" >/dev/null
is "$(relacl dp.by_hand) $(relacl dp.s_by_hand)" "R1=SELECT,R2=INSERT,R2=SELECT R2=SELECT,R2=USAGE" \
	"a table and a sequence created by hand get the default privileges"
is "$(q "SELECT has_function_privilege('$R1', 'dp.f_by_hand()', 'EXECUTE'), has_type_privilege('$R1', 'dp.e_by_hand', 'USAGE')")" \
	"t|t" "so do a function and a type"
q "SET ROLE $QR3; CREATE TABLE dp.owned (x int); RESET ROLE" >/dev/null 2>&1 ||
	q "GRANT CREATE ON SCHEMA dp TO $QR3; SET ROLE $QR3; CREATE TABLE dp.owned (x int); RESET ROLE" >/dev/null
is "$(relacl dp.owned)" "R1=SELECT*" "a table created by the FOR ROLE role gets its default privileges"
q "DROP TABLE dp.by_hand, dp.owned; DROP SEQUENCE dp.s_by_hand; DROP FUNCTION dp.f_by_hand(); DROP TYPE dp.e_by_hand; REVOKE ALL ON SCHEMA dp FROM $QR3" >/dev/null

# ---- dumped ----

run dump -o "$T/dumped"
is_rc 0 "dump"
is "$(norm <"$T/dumped/dp.yaml")" "$MODEL_SCHEMA_LINE
schema: dp
default_privileges:
  - tables: {R2: [insert, select], R1: [select]}
    sequences: {R2: [select, usage]}
    functions: {R1: [execute]}
    types: {R1: [usage]}
  - for_role: R3
    tables: {R1: {privileges: [select], with_grant_option: true}}

tables:
  t:
    columns:
      id: bigint
    grants: {R2: [insert, select], R1: [select]}" "dump writes them (for_role only for another role)"
cp "$T/dumped/dp.yaml" schema/model.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dump loaded back: no changes"

# ---- altered ----

step "default privileges altered" "$DEFACLS" \
	"me S R2=SELECT | me S R2=USAGE | me S R1=SELECT | me T R1=USAGE | me r R2=SELECT | me r R2=UPDATE | me r R1=SELECT | R3 r R1=SELECT" <<EOF
schema: dp
default_privileges:
  - tables: {$R1: [select], $R2: [select, update]}
    sequences: {$R2: [usage, select], $R1: [select]}
    types: {$R1: [usage]}
  - for_role: $R3
    tables: {$R1: [select]}
tables:
  t:
    columns:
      id: bigint
    grants: {$R1: [select], $R2: [insert, select]}
EOF
is "$STEP_SQL" '-- +upgrade
ALTER DEFAULT PRIVILEGES IN SCHEMA dp REVOKE INSERT ON TABLES FROM R2;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT UPDATE ON TABLES TO R2;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT SELECT ON SEQUENCES TO R1;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp REVOKE EXECUTE ON FUNCTIONS FROM R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 IN SCHEMA dp REVOKE GRANT OPTION FOR SELECT ON TABLES FROM R1;
GRANT UPDATE ON TABLE dp.t TO R2;

-- +downgrade
ALTER DEFAULT PRIVILEGES IN SCHEMA dp REVOKE UPDATE ON TABLES FROM R2;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT INSERT ON TABLES TO R2;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp REVOKE SELECT ON SEQUENCES FROM R1;
ALTER DEFAULT PRIVILEGES IN SCHEMA dp GRANT EXECUTE ON FUNCTIONS TO R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 IN SCHEMA dp GRANT SELECT ON TABLES TO R1 WITH GRANT OPTION;
REVOKE UPDATE ON TABLE dp.t FROM R2;' \
	"the revision: one statement per grantee and change, both ways (and the table follows: see docs/models.md)"
run check
q "CREATE TABLE dp.by_hand (x int)" >/dev/null
is "$(relacl dp.by_hand)" "R1=SELECT,R2=SELECT,R2=UPDATE" "a table created by hand gets the new ones"
q "DROP TABLE dp.by_hand" >/dev/null

# ---- removed ----

step "default privileges removed" "$DEFACLS" "none" <<EOF
schema: dp
tables:
  t:
    columns:
      id: bigint
    grants: {$R1: [select], $R2: [insert, select]}
EOF

# ---- added to an existing schema, with a new table ----

step "default privileges added to an existing schema, before its new table" \
	"$DEFACLS" "me r R1=SELECT" <<EOF
schema: dp
default_privileges:
  - tables: {$R1: [select]}
tables:
  t:
    columns:
      id: bigint
    grants: {$R1: [select], $R2: [insert, select]}
  u:
    columns:
      id: bigint
EOF
is "$(relacl dp.u)" "R1=SELECT" "the new table has them"

# ---- the schema dropped with them ----

step "a schema with default privileges dropped" \
	"SELECT count(*) FROM pg_default_acl" "0" <<EOF
schema: other
EOF

n=$nsteps
while [ "$n" -gt 0 ]; do
	run downgrade -1
	is_rc 0 "downgrade step $n" || diag "$ERR" "$(cat "$T/step$n.sql")"
	n=$((n - 1))
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" | sort >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(q "SELECT count(*) FROM pg_default_acl")" "0" "everything undone: no default privileges left"

# ---- a database made by SQL, dumped: no changes ----

SRC=$(new_db src)
qdb "$SRC" "
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT, UPDATE ON TABLES TO $QR2;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE $QR3 IN SCHEMA app GRANT EXECUTE ON FUNCTIONS TO $QR1 WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE $QR3 IN SCHEMA app GRANT ALL ON TABLES TO $QR1;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON TYPES TO $QR1;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO $QR1;
" >/dev/null
mkdir "$T/dumped2"
run dump --url "$(conninfo "$SRC")" -o "$T/dumped2/schema"
is_rc 0 "dump of a database with default privileges"
is "$(norm <"$T/dumped2/schema/app.yaml")" "$MODEL_SCHEMA_LINE
schema: app
default_privileges:
  - tables: {R2: [select, update]}
    sequences: {public: [usage]}
  - for_role: R3
    tables: {R1: [all]}
    functions: {R1: {privileges: [execute], with_grant_option: true}}" "the dump says it all (the global defaults go to database.yaml)"
is "$(norm <"$T/dumped2/schema/public.yaml")" "$MODEL_SCHEMA_LINE
schema: public
default_privileges: [{types: {R1: [usage]}}]" "public is written for its default privileges"
cat >"$T/dumped2/schemagen.yaml" <<'EOF'
schema_dir: schema
migrations_dir: migrations
EOF
mkdir "$T/dumped2/migrations"
(cd "$T/dumped2" && DATABASE_URL="$(conninfo "$SRC")" "$SCHEMAGEN" diff >"$T/out" 2>&1)
is "$?:$(cat "$T/out")" "0:No changes in schema detected." "models dumped from a database with default privileges: no differences"

done_testing
