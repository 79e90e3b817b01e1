#!/bin/sh
# SPDX-License-Identifier: MIT
# t4320-global-default-privileges.sh - ALTER DEFAULT PRIVILEGES without IN
# SCHEMA (issue 10): global_default_privileges:, one entry per role.
#
# Steps, each upgraded with check clean: created (REVOKE EXECUTE ON
# FUNCTIONS FROM PUBLIC, a grant on tables, FOR ROLE another role on types
# and schemas) with a table and a function of the same revision, which get
# them (no GRANT or REVOKE of their own: what CREATE gives counts the
# global default privileges); changed (privileges added, a class back to the built-in defaults, a
# grant option); back to the built-in defaults (PostgreSQL deletes the
# rows).  Each step undone with `downgrade -1`, back to the pg_dump of the
# step before.  A database made by SQL dumped into database.yaml and read
# back without differences; load errors at their place.
. "$(dirname "$0")/lib.sh"

R1=sg_gdp_reader
R2=sg_gdp_writer
R3=sg_gdp_owner
new_roles $R1 $R2 $R3

new_kind_project

norm() {
	sed -e 's/sg_gdp_reader/R1/g' -e 's/sg_gdp_writer/R2/g' -e 's/sg_gdp_owner/R3/g' \
		-e 's/arwdDxtm/arwdDxt/g'  # 17's MAINTAIN (m) among the owner's privileges
}
STEP_FILTER=norm

KIND_FILE=model.yaml
step() {
	STEP_SQL=
	kind_step "$@" || return
	STEP_SQL=$(sed -n '/^-- +upgrade/,$p' "$T/step$nsteps.sql" | norm)
}

# The global default privileges, one line: role (me for the one running
# the tests), class, ACL as stored.
DEFACLS="SELECT coalesce(string_agg(x, ' | ' ORDER BY x COLLATE \"C\"), 'none') FROM (
  SELECT CASE WHEN d.defaclrole = current_user::regrole THEN 'me' ELSE d.defaclrole::regrole::text END
   || ' ' || d.defaclobjtype::text || ' ' || replace(d.defaclacl::text, current_user, 'me') AS x
  FROM pg_default_acl d WHERE d.defaclnamespace = 0) s"

# ---- created ----

step "global default privileges created" "$DEFACLS" \
	"me f {me=X/me} | me r {me=arwdDxt/me,R1=r/me} | R3 T {=U/R3,R1=U/R3,R3=U/R3} | R3 n {R1=U/R3,R3=UC/R3}" <<EOF
global_default_privileges:
  - functions: {}
    tables: {$R1: [select]}
  - for_role: $R3
    types: {public: [usage], $R1: [usage]}
    schemas: {$R1: [usage]}
tables:
  t:
    columns:
      id: bigint
functions:
  f:
    returns: int
    body: SELECT 1
EOF
is "$STEP_SQL" '-- +upgrade
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO R1;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 GRANT USAGE ON TYPES TO R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 GRANT USAGE ON SCHEMAS TO R1;
SET check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.f()
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT 1$function$;
CREATE TABLE public.t (
    id bigint
);

-- +downgrade
-- WARNING: drops table public.t and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.t: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.t and the data in it
DROP TABLE public.t;
DROP FUNCTION public.f();
ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM R1;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 REVOKE USAGE ON TYPES FROM R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 REVOKE USAGE ON SCHEMAS FROM R1;' "the revision: default privileges first, both ways"
is "$(q "SELECT has_table_privilege('$R1', 't', 'SELECT'), has_function_privilege('public', 'f()', 'EXECUTE')")" \
	"t|f" "the table and function of the same revision got them"

# ---- changed ----

step "global default privileges changed" "$DEFACLS" \
	"me f {me=X/me,R2=X/me} | me r {me=arwdDxt/me,R1=ar/me} | R3 n {R1=U*/R3,R3=UC/R3}" <<EOF
global_default_privileges:
  - tables: {$R1: [select, insert]}
    functions: {$R2: [execute]}
  - for_role: $R3
    schemas: {$R1: {privileges: [usage], with_grant_option: true}}
tables:
  t:
    columns:
      id: bigint
functions:
  f:
    returns: int
    body: SELECT 1
EOF
is "$STEP_SQL" '-- +upgrade
ALTER DEFAULT PRIVILEGES GRANT INSERT ON TABLES TO R1;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO R2;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 REVOKE USAGE ON TYPES FROM R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 GRANT USAGE ON SCHEMAS TO R1 WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION public.f() TO R2;
GRANT INSERT ON TABLE public.t TO R1;

-- +downgrade
ALTER DEFAULT PRIVILEGES REVOKE INSERT ON TABLES FROM R1;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM R2;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 GRANT USAGE ON TYPES TO R1;
ALTER DEFAULT PRIVILEGES FOR ROLE R3 REVOKE GRANT OPTION FOR USAGE ON SCHEMAS FROM R1;
REVOKE EXECUTE ON FUNCTION public.f() FROM R2;
REVOKE INSERT ON TABLE public.t FROM R1;' \
	"the revision: one statement per role, class and grantee; existing objects follow"

# ---- back to the built-in defaults ----

step "global default privileges back to the built-in ones" "$DEFACLS" "none" <<EOF
global_default_privileges:
  - functions: {public: [execute]}
tables:
  t:
    columns:
      id: bigint
functions:
  f:
    returns: int
    body: SELECT 1
EOF

undo_steps
is "$(q "$DEFACLS")" "none" "everything undone: no global default privileges left"

# ---- a database made by SQL, dumped: no changes ----

SRC=$(new_db src)
qdb "$SRC" "
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO $R1;
ALTER DEFAULT PRIVILEGES FOR ROLE $R3 GRANT ALL ON SEQUENCES TO $R2 WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE $R3 REVOKE USAGE ON TYPES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE $R3 REVOKE ALL ON TABLES FROM $R3;
ALTER DEFAULT PRIVILEGES FOR ROLE $R2 GRANT SELECT ON TABLES TO $R1;
ALTER DEFAULT PRIVILEGES FOR ROLE $R2 REVOKE SELECT ON TABLES FROM $R1;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO $R1;
" >/dev/null
mkdir "$T/dumped"
run dump --url "$(conninfo "$SRC")" -o "$T/dumped/schema"
is_rc 0 "dump of a database with global default privileges"
is "$(norm <"$T/dumped/schema/database.yaml")" "$MODEL_SCHEMA_LINE
# database-wide objects

global_default_privileges:
  - functions: {R1: [execute]}
  - for_role: R3
    sequences: {R2: {privileges: [select, update, usage], with_grant_option: true}}
    types: {}" "database.yaml has them: the full list of each class that differs from the built-in defaults"
cat >"$T/dumped/schemagen.yaml" <<'EOF'
schema_dir: schema
migrations_dir: migrations
EOF
mkdir "$T/dumped/migrations"
(cd "$T/dumped" && DATABASE_URL="$(conninfo "$SRC")" "$SCHEMAGEN" diff >"$T/out" 2>&1)
is "$?:$(cat "$T/out")" "0:No changes in schema detected." "the dumped models read back: no differences"

# ---- load errors ----

cat >schema/model.yaml <<EOF
global_default_privileges:
  - functions: {}
    tables: {$R1: [execute]}
    routines: {$R1: [execute]}
  - for_role: $R3
    schemas: {$R3: [usage]}
  - {}
EOF
cat >schema/more.yaml <<EOF
global_default_privileges:
  - types: {}
EOF
run diff
is "$RC" 2 "load errors: exit 2"
is "$(norm <"$T/err")" "schema/model.yaml:3:30: error: \"execute\" is not a privilege of tables (in the default privileges on tables to \"R1\")
  hint: tables have insert, select, update, delete, truncate, references, trigger, maintain, or all
schema/model.yaml:4:5: error: unknown key \"routines\" in global default privileges
  hint: valid keys are: for_role, tables, sequences, functions, types, schemas
schema/model.yaml:6:15: error: global default privileges for role \"R3\" name the role itself
  hint: a role's own privileges on what it creates are not managed (as an owner's are not); leave it out
schema/model.yaml:7:5: error: default privileges without an object class
  hint: give tables:, sequences:, functions:, types: or schemas:
schema/more.yaml:2:5: error: default privileges FOR ROLE CURRENT_USER is defined twice
  hint: first defined at schema/model.yaml:2:5" "unknown class, privilege of another class, the role itself, no class, a role twice"

rm -f schema/more.yaml
cat >schema/model.yaml <<EOF
global_default_privileges:
  - functions: {}
  - [tables]
EOF
cat >schema/more.yaml <<EOF
global_default_privileges: {tables: {}}
EOF
run diff
is "$RC" 2 "shape errors: exit 2"
is "$(cat "$T/err")" "schema/model.yaml:3:5: error: expected a mapping, found a list
  hint: write {for_role: role, functions: {role: [privilege, ...]}}
schema/more.yaml:1:28: error: expected a list of default privileges, found a mapping
  hint: write global_default_privileges: [{functions: {role: [execute]}}]" \
	"an entry that is no mapping, a section that is no list: at their place"

# without for_role (the role that runs the migrations), that role named as
# a grantee: PostgreSQL's GRANT to itself changes nothing (its own
# privileges are the built-in ones, no pg_default_acl row), so once the
# scratch server, running as another role, has made the models' catalog,
# it would be a difference forever; refused at the grantee when connected
# as that role
rm -f schema/more.yaml
q "ALTER ROLE $R2 LOGIN" >/dev/null
cat >schema/model.yaml <<EOF
global_default_privileges:
  - tables: {$R1: [select], $R2: [select]}
EOF
run diff --url "host=$PGHOST port=${PGPORT:-5432} user=$R2 dbname=$DB"
is "$RC:$(norm <"$T/err")" "2:schema/model.yaml:2:39: error: global default privileges of the role that runs the migrations (connected as \"R2\") name that role itself
  hint: a role's own privileges on what it creates are not managed (as an owner's are not); leave it out, or give for_role: to state another role's default privileges" \
	"the running role itself as a grantee, without for_role: refused at its place"
EXPECT=$(norm <"$T/err")
run diff --url "host=$PGHOST port=${PGPORT:-5432} user=$R2 dbname=$DB"
is "$RC:$(norm <"$T/err")" "2:$EXPECT" "again, from the models' catalog of last time: the same place"

done_testing
