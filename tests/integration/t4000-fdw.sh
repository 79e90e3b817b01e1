#!/bin/sh
# SPDX-License-Identifier: MIT
# t4000-fdw.sh - foreign data wrappers, servers and user mappings (issue
# 10): created (wrapper < server < mapping), every alterable property
# altered (handler, validator, options ADD/SET/DROP, version, owner,
# comment, grants), dropped, downgraded back step by step, dumped (the
# dump's models match the database), with `check` clean after each step;
# extension members (postgres_fdw's own wrapper) left to the extension; a
# server's wrapper cannot change (an error at its line).
. "$(dirname "$0")/lib.sh"

[ "$(qdb postgres "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgres_fdw'")" = 1 ] ||
	skip_all "postgres_fdw is not installed"
new_roles sg_fdw_a sg_fdw_b sg_fdw_c
new_kind_project

# the state: options and ACL entries sorted, the owner's own ACL entry left
# out (a REVOKE makes an ACL of the default explicit)
OPTS="(SELECT coalesce(string_agg(o, ',' ORDER BY o), '') FROM unnest(%s) o)"
ACL="(SELECT coalesce(string_agg(a::text, ',' ORDER BY a::text), '') FROM unnest(%s) a
  WHERE a::text NOT LIKE %s::regrole::text || '=%%')"
FDW="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'wrapper ' || fdwname || ' handler=' || fdwhandler::regproc || ' validator=' || fdwvalidator::regproc
    || ' options=' || $(printf "$OPTS" fdwoptions) || ' owner=' || fdwowner::regrole
    || ' acl=' || $(printf "$ACL" fdwacl fdwowner)
    || ' comment=' || coalesce(obj_description(oid, 'pg_foreign_data_wrapper'), '') AS x
  FROM pg_foreign_data_wrapper WHERE oid >= 16384
  UNION ALL SELECT 'server ' || srvname || ' fdw=' || (SELECT fdwname FROM pg_foreign_data_wrapper WHERE oid = srvfdw)
    || ' type=' || coalesce(srvtype, '-')
    || ' version=' || coalesce(srvversion, '-') || ' options=' || $(printf "$OPTS" srvoptions)
    || ' owner=' || srvowner::regrole || ' acl=' || $(printf "$ACL" srvacl srvowner)
    || ' comment=' || coalesce(obj_description(oid, 'pg_foreign_server'), '')
  FROM pg_foreign_server
  UNION ALL SELECT 'mapping ' || srvname || ' ' || usename || ' options=' || $(printf "$OPTS" umoptions)
  FROM pg_user_mappings) s"

# the handler and validator: postgres_fdw's C functions, made ours (an
# owner named: owners are managed, the downgrade of a drop restores them)
ME_ROLE=$(q "SELECT current_user")
cat >schema/public.yaml <<EOF
schema: public
functions:
  fdw_handler:
    returns: fdw_handler
    language: c
    body: postgres_fdw_handler
    library: postgres_fdw
  fdw_validator:
    arguments: ['text[]', oid]
    returns: void
    language: c
    body: postgres_fdw_validator
    library: postgres_fdw
    owner: $ME_ROLE
EOF
cat >schema/database.yaml <<'EOF'
foreign_data_wrappers:
  w1:
    handler: fdw_handler
    options: {debug: 'on'}
    comment: the first wrapper
servers:
  s1:
    wrapper: w1
    type: pg
    version: '15'
    options: {host: localhost, dbname: other}
    owner: sg_fdw_a
    grants: {sg_fdw_b: [usage]}
user_mappings:
  s1:
    sg_fdw_a:
      options: {user: alice, password: {env: SG_T4000_PW}}
    public: {}
EOF


# the password comes from the environment; it must never be written
PW='Pw-t4000 s3cr3t'
export SG_T4000_PW="$PW"
mask_pw() { sed "s/$PW/PASSWORD/g"; }
STEP_FILTER=mask_pw

nsteps=1
S0=$(q "$FDW")
migrate_step "created" "$FDW" \
"mapping s1 public options=
mapping s1 sg_fdw_a options=password=PASSWORD,user=alice
server s1 fdw=w1 type=pg version=15 options=dbname=other,host=localhost owner=sg_fdw_a acl=sg_fdw_b=U/sg_fdw_a comment=
wrapper w1 handler=fdw_handler validator=- options=debug=on owner=$ME_ROLE acl= comment=the first wrapper"
S1=$(q "$FDW")
is "$(sed -n '/^CREATE FOREIGN/,/^$/p' "$T/step1.sql")" \
"CREATE FOREIGN DATA WRAPPER w1 HANDLER public.fdw_handler OPTIONS (debug 'on');
COMMENT ON FOREIGN DATA WRAPPER w1 IS 'the first wrapper';
CREATE SERVER s1 TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER w1 OPTIONS (dbname 'other', host 'localhost');
ALTER SERVER s1 OWNER TO sg_fdw_a;
GRANT USAGE ON FOREIGN SERVER s1 TO sg_fdw_b;
CREATE USER MAPPING FOR PUBLIC SERVER s1;
CREATE USER MAPPING FOR sg_fdw_a SERVER s1 OPTIONS (password '\$env:SG_T4000_PW', \"user\" 'alice');" "created in order (wrapper, server, mappings), the password as a placeholder"
is "$(sed -n '/^-- +downgrade/,$p' "$T/step1.sql" | grep -v FUNCTION)" \
"-- +downgrade
DROP USER MAPPING FOR PUBLIC SERVER s1;
DROP USER MAPPING FOR sg_fdw_a SERVER s1;
DROP SERVER s1;
DROP FOREIGN DATA WRAPPER w1;" "dropped in the reverse order"

# ---- every alterable property ----
cat >schema/database.yaml <<'EOF'
foreign_data_wrappers:
  w1:
    options: {debug: 'off', extra: x}
    comment: changed
    grants: {sg_fdw_b: [usage]}
  w2:
    handler: {schema: public, name: fdw_handler}
    validator: fdw_validator
servers:
  s1:
    wrapper: w1
    type: pg
    version: '16'
    options: {host: remote, port: '5433'}
    owner: sg_fdw_c
    comment: a server
  s2:
    wrapper: w2
    options: {host: h2, dbname: d2}
user_mappings:
  s1:
    sg_fdw_a:
      options: {user: bob, password: {env: SG_T4000_PW}}
    public:
      options: {user: anyone}
  s2:
    current_user:
      options: {user: me, password_required: 'false'}
EOF
nsteps=2
migrate_step "altered" "$FDW" \
"mapping s1 public options=user=anyone
mapping s1 sg_fdw_a options=password=PASSWORD,user=bob
mapping s2 postgres options=password_required=false,user=me
server s1 fdw=w1 type=pg version=16 options=host=remote,port=5433 owner=sg_fdw_c acl= comment=a server
server s2 fdw=w2 type=- version=- options=dbname=d2,host=h2 owner=$ME_ROLE acl= comment=
wrapper w1 handler=- validator=- options=debug=off,extra=x owner=$ME_ROLE acl=sg_fdw_b=U/$ME_ROLE comment=changed
wrapper w2 handler=fdw_handler validator=fdw_validator options= owner=$ME_ROLE acl= comment="
is "$(sed -n '/^-- +upgrade/,$p' "$T/step2.sql")" \
"-- +upgrade
ALTER FOREIGN DATA WRAPPER w1 NO HANDLER NO VALIDATOR;
ALTER FOREIGN DATA WRAPPER w1 OPTIONS (SET debug 'off', ADD extra 'x');
COMMENT ON FOREIGN DATA WRAPPER w1 IS 'changed';
GRANT USAGE ON FOREIGN DATA WRAPPER w1 TO sg_fdw_b;
ALTER SERVER s1 VERSION '16' OPTIONS (DROP dbname, SET host 'remote', ADD port '5433');
COMMENT ON SERVER s1 IS 'a server';
REVOKE USAGE ON FOREIGN SERVER s1 FROM sg_fdw_b;
ALTER SERVER s1 OWNER TO sg_fdw_c;
ALTER USER MAPPING FOR PUBLIC SERVER s1 OPTIONS (ADD \"user\" 'anyone');
ALTER USER MAPPING FOR sg_fdw_a SERVER s1 OPTIONS (SET \"user\" 'bob');
CREATE FOREIGN DATA WRAPPER w2 HANDLER public.fdw_handler VALIDATOR public.fdw_validator;
CREATE SERVER s2 FOREIGN DATA WRAPPER w2 OPTIONS (dbname 'd2', host 'h2');
CREATE USER MAPPING FOR CURRENT_USER SERVER s2 OPTIONS (password_required 'false', \"user\" 'me');

-- +downgrade
DROP USER MAPPING FOR CURRENT_USER SERVER s2;
DROP SERVER s2;
DROP FOREIGN DATA WRAPPER w2;
ALTER FOREIGN DATA WRAPPER w1 HANDLER public.fdw_handler NO VALIDATOR;
ALTER FOREIGN DATA WRAPPER w1 OPTIONS (DROP extra, SET debug 'on');
COMMENT ON FOREIGN DATA WRAPPER w1 IS 'the first wrapper';
REVOKE USAGE ON FOREIGN DATA WRAPPER w1 FROM sg_fdw_b;
ALTER SERVER s1 VERSION '15' OPTIONS (DROP port, ADD dbname 'other', SET host 'localhost');
COMMENT ON SERVER s1 IS NULL;
ALTER SERVER s1 OWNER TO sg_fdw_a;
GRANT USAGE ON FOREIGN SERVER s1 TO sg_fdw_b;
ALTER USER MAPPING FOR PUBLIC SERVER s1 OPTIONS (DROP \"user\");
ALTER USER MAPPING FOR sg_fdw_a SERVER s1 OPTIONS (SET \"user\" 'alice');" \
	"handler, validator, options ADD/SET/DROP, version, comment, grants, owner: the exact statements both ways"
S2=$(q "$FDW")
run check
is "$RC" 0 "check is clean"

# a password changed in the database is not seen (only that it is set)
q "ALTER USER MAPPING FOR sg_fdw_a SERVER s1 OPTIONS (SET password 'other')"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "a secret compares as set, never by value"

# ---- version unset, password dropped ----
sed -i "/version: '16'/d; s/, password: {env: SG_T4000_PW}//" schema/database.yaml
nsteps=3
migrate_step "version and password gone" "$FDW" \
"mapping s1 public options=user=anyone
mapping s1 sg_fdw_a options=user=bob
mapping s2 postgres options=password_required=false,user=me
server s1 fdw=w1 type=pg version=- options=host=remote,port=5433 owner=sg_fdw_c acl= comment=a server
server s2 fdw=w2 type=- version=- options=dbname=d2,host=h2 owner=$ME_ROLE acl= comment=
wrapper w1 handler=- validator=- options=debug=off,extra=x owner=$ME_ROLE acl=sg_fdw_b=U/$ME_ROLE comment=changed
wrapper w2 handler=fdw_handler validator=fdw_validator options= owner=$ME_ROLE acl= comment="
is "$(sed -n '/^-- +upgrade/,$p' "$T/step3.sql")" \
"-- +upgrade
ALTER SERVER s1 VERSION NULL;
ALTER USER MAPPING FOR sg_fdw_a SERVER s1 OPTIONS (DROP password);

-- +downgrade
ALTER SERVER s1 VERSION '16';
ALTER USER MAPPING FOR sg_fdw_a SERVER s1 OPTIONS (ADD password '\$env:PGFDW_S1_SG_FDW_A_PASSWORD');" \
	"VERSION NULL; the downgrade's password comes from a variable named after the mapping"
S3=$(q "$FDW")

# ---- dump: the models of the database, secrets as env references ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
is "$(cat "$T/dump/database.yaml")" \
"# yaml-language-server: \$schema=/usr/local/share/schemagen/schema/model.schema.json
# database-wide objects

foreign_data_wrappers:
  w1: {options: {debug: 'off', extra: x}, comment: changed, grants: {sg_fdw_b: [usage]}}
  w2:
    handler: {schema: public, name: fdw_handler}
    validator: {schema: public, name: fdw_validator}

servers:
  s1: {wrapper: w1, type: pg, options: {host: remote, port: '5433'}, comment: a server}
  s2: {wrapper: w2, options: {dbname: d2, host: h2}}

user_mappings:
  s1:
    public: {options: {user: anyone}}
    sg_fdw_a: {options: {user: bob}}
  s2:
    current_user: {options: {password_required: 'false', user: me}}" "dump: database.yaml, user mappings by server and role"
cp schema/database.yaml "$T/models.yaml"
cp "$T/dump/database.yaml" schema/database.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dump's models match the database"
SG_T4000_PW= run check
is "$RC" 0 "check needs no secret"
cp "$T/models.yaml" schema/database.yaml

# ---- dropped ----
mv schema/database.yaml "$T/database.yaml"
nsteps=4
migrate_step "dropped" "$FDW" ""
is "$(sed -n '/^-- +upgrade/,/^$/p' "$T/step4.sql")" \
"-- +upgrade
DROP USER MAPPING FOR CURRENT_USER SERVER s2;
DROP USER MAPPING FOR PUBLIC SERVER s1;
DROP USER MAPPING FOR sg_fdw_a SERVER s1;
DROP SERVER s1;
DROP SERVER s2;
DROP FOREIGN DATA WRAPPER w1;
DROP FOREIGN DATA WRAPPER w2;" "mappings, then servers, then wrappers dropped"

# ---- downgraded step by step ----
run downgrade -1
is_rc 0 "downgrade 4 -> 3" || diag "$ERR"
is "$(q "$FDW" | mask_pw)" "$(printf '%s\n' "$S3" | mask_pw)" "downgrade 4 -> 3 restores everything"
run check
is "$RC" 1 "check: the database is behind the head"
unset SG_T4000_PW
run downgrade -1
is "$RC" 2 "downgrade 3 -> 2 without the password's variable: exit 2"
like "$ERR" "the environment variable PGFDW_S1_SG_FDW_A_PASSWORD is not set: revision [0-9a-f]* (.step 3.) reads a secret from it" \
	"the variable is named, at the statement"
like "$ERR" "hint: set PGFDW_S1_SG_FDW_A_PASSWORD to the value" "with a hint"
is "$(q "$FDW" | mask_pw)" "$(printf '%s\n' "$S3" | mask_pw)" "nothing ran"
PGFDW_S1_SG_FDW_A_PASSWORD=$PW run downgrade -1
is_rc 0 "downgrade 3 -> 2 with it" || diag "$ERR"
is "$(q "$FDW" | mask_pw)" "$(printf '%s\n' "$S2" | mask_pw)" "downgrade 3 -> 2 restores everything, the password from the variable"
run downgrade -1
is_rc 0 "downgrade 2 -> 1" || diag "$ERR"
is "$(q "$FDW" | mask_pw)" "$(printf '%s\n' "$S1" | mask_pw)" "downgrade 2 -> 1 restores everything"
run downgrade -1
is_rc 0 "downgrade 1 -> 0" || diag "$ERR"
is "$(q "$FDW")" "$S0" "downgrade 1 -> 0: nothing left"
export SG_T4000_PW="$PW"
run upgrade head
is_rc 0 "upgrade head again" || diag "$ERR"

