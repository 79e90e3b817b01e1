#!/bin/sh
# SPDX-License-Identifier: MIT
# t4000-fdw.sh - foreign data wrappers, servers and user mappings (issue
# 10): created (wrapper < server < mapping), every alterable property
# altered (handler, validator, options ADD/SET/DROP, version, owner,
# comment, grants), dropped, downgraded back step by step, dumped (the
# dump's models match the database), with `check` clean after each step;
# extension members (postgres_fdw's own wrapper) left to the extension; a
# server's wrapper cannot change (an error at its line).
. "${LIBSH:-$(dirname "$0")/lib.sh}"

new_roles sg_fdw_a sg_fdw_b
new_kind_project

FDW="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'wrapper ' || fdwname || ' handler=' || fdwhandler::regproc || ' validator=' || fdwvalidator::regproc
    || ' options=' || coalesce(array_to_string(fdwoptions, ','), '') || ' owner=' || fdwowner::regrole
    || ' acl=' || coalesce(array_to_string(fdwacl, ','), '')
    || ' comment=' || coalesce(obj_description(oid, 'pg_foreign_data_wrapper'), '') AS x
  FROM pg_foreign_data_wrapper WHERE oid >= 16384
  UNION ALL SELECT 'server ' || srvname || ' fdw=' || srvfdw::regclass::oid::text::int::bool || ' type=' || coalesce(srvtype, '-')
    || ' version=' || coalesce(srvversion, '-') || ' options=' || coalesce(array_to_string(srvoptions, ','), '')
    || ' owner=' || srvowner::regrole || ' acl=' || coalesce(array_to_string(srvacl, ','), '')
    || ' comment=' || coalesce(obj_description(oid, 'pg_foreign_server'), '')
  FROM pg_foreign_server
  UNION ALL SELECT 'mapping ' || srvname || ' ' || usename || ' options=' || coalesce(array_to_string(umoptions, ','), '')
  FROM pg_user_mappings) s"

# the handler and validator: postgres_fdw's C functions, made ours
cat >schema/public.yaml <<'EOF'
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
# (database.yaml holds only database-wide sections)
GLOBAL_SCHEMA_LINE=${GLOBAL_SCHEMA_LINE-}
[ -z "$GLOBAL_SCHEMA_LINE" ] || sed -i "1i $GLOBAL_SCHEMA_LINE" schema/database.yaml

# the password comes from the environment; it must never be written
PW='Pw-t4000 s3cr3t'
export SG_T4000_PW="$PW"
mask_pw() { sed "s/$PW/PASSWORD/g"; }
STEP_FILTER=mask_pw

nsteps=1
migrate_step "created" "$FDW" \
"mapping s1 public options=
mapping s1 sg_fdw_a options=password=PASSWORD,user=alice
server s1 fdw=true type=pg version=15 options=dbname=other,host=localhost owner=sg_fdw_a acl=sg_fdw_a=U/sg_fdw_a,sg_fdw_b=U/sg_fdw_a comment=
wrapper w1 handler=fdw_handler validator=- options=debug=on owner=postgres acl= comment=the first wrapper"
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
    owner: sg_fdw_b
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
[ -z "$GLOBAL_SCHEMA_LINE" ] || sed -i "1i $GLOBAL_SCHEMA_LINE" schema/database.yaml
nsteps=2
migrate_step "altered" "$FDW" "x"
cat "$T/step2.sql"

# ---- version unset, password dropped ----
sed -i "/version: '16'/d; s/, password: {env: SG_T4000_PW}//" schema/database.yaml
nsteps=3
migrate_step "version and password gone" "$FDW" "x"
cat "$T/step3.sql"

# ---- dropped ----
rm schema/database.yaml
nsteps=4
migrate_step "dropped" "$FDW" ""
cat "$T/step4.sql"
