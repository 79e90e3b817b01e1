#!/bin/sh
# SPDX-License-Identifier: MIT
# t2300-security.sh - privileges, row-level security and policies.
#
# One change per step, as in t0900: the models change, `revision
# --autogenerate` writes a revision (its text pinned where it shows an
# ordering rule), upgrade applies it, check is clean and the catalogs say
# what the models say.  Grants on schemas, enums, sequences, tables and
# columns (created, a grantee added, a privilege added, grant options,
# revoked, back to the defaults); RLS enabled, forced, disabled; policies
# created, altered (roles, USING, WITH CHECK), re-created (command,
# permissive), a policy over a column that is dropped and one over a
# column whose type changes; an enum rebuilt with its grants.  Then every
# step is undone with `downgrade -1`, each time back to the snapshot of
# the step before.  Role names with quotes, spaces and non-ASCII letters
# go through it all.  Then: an unknown role reported at its line of the
# model file; a database made by SQL dumped and compared (no changes).
. "$(dirname "$0")/lib.sh"

# Roles are cluster-wide: made here, dropped at exit.  Integration
# scripts run one at a time, each on its own throwaway server.
R1=sg_reader
R2="sg writer"
R3='sg "ödd" rôle'
QR1=sg_reader
QR2='"sg writer"'
QR3='"sg ""ödd"" rôle"'
new_roles "$QR1" "$QR2" "$QR3"
# the same names in YAML
Y1=sg_reader
Y2='sg writer'
Y3="'sg \"ödd\" rôle'"

new_kind_project

# The role names, as SQL and YAML spell them, become R1, R2, R3 in what
# is compared, for readability.
norm() {
	sed -e 's/"sg ""ödd"" rôle"/R3/g' -e "s/'sg \"ödd\" rôle'/R3/g" \
	    -e 's/sg "ödd" rôle/R3/g' -e 's/"sg writer"/R2/g' -e 's/sg writer/R2/g' \
	    -e 's/sg_reader/R1/g'
}

# the queries' output goes through norm (migrate_step in lib.sh)
STEP_FILTER=norm

# step DESC SQL EXPECTED < MODEL (see t0900); $STEP_SQL is the revision.
step() {
	nsteps=$((nsteps + 1))
	cat >schema/model.yaml
	STEP_SQL=
	migrate_step "$@" || return
	STEP_SQL=$(sed -n '/^-- +upgrade/,$p' "$T/step$nsteps.sql" | norm)
	# sorted: the order of the entries of an ACL is the order of the
	# GRANTs that made it, which a downgrade cannot always repeat
	schema_dump "$DB" | sort >"$T/snap$nsteps"
}

# ACLs of the objects of schema sec, owner's entries left out, one line.
ACLS="SELECT string_agg(what || ' ' || coalesce(g, '-'), ' | ' ORDER BY what) FROM (
  SELECT 'schema' AS what, (SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS e FROM aclexplode(nspacl) WHERE grantee <> nspowner) s) AS g FROM pg_namespace WHERE nspname = 'sec'
  UNION ALL SELECT c.relname, (SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS e FROM aclexplode(c.relacl) WHERE grantee <> c.relowner) s) FROM pg_class c WHERE c.relnamespace = 'sec'::regnamespace AND c.relkind IN ('r', 'S')
  UNION ALL SELECT c.relname || '.' || a.attname, (SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS e FROM aclexplode(a.attacl) WHERE grantee <> c.relowner) s) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'sec'::regnamespace AND a.attacl IS NOT NULL AND NOT a.attisdropped
  UNION ALL SELECT 'type ' || t.typname, (SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS e FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) WHERE grantee <> t.typowner) s) FROM pg_type t WHERE t.typnamespace = 'sec'::regnamespace AND t.typtype = 'e') x"

# Policies of sec.docs, one line; and the RLS switches.
POLICIES="SELECT coalesce(string_agg(policyname || ' ' || permissive || ' ' || cmd || ' ' || '{' || array_to_string(ARRAY(SELECT CASE WHEN r = 'public' THEN 'public' ELSE quote_ident(r) END FROM unnest(roles) r), ',') || '} u:' || coalesce(qual, '-') || ' c:' || coalesce(with_check, '-') || coalesce(' -- ' || obj_description(p.oid, 'pg_policy'), ''), ' | ' ORDER BY policyname), 'none') FROM pg_policies s JOIN pg_policy p ON p.polname = s.policyname AND p.polrelid = 'sec.docs'::regclass WHERE schemaname = 'sec' AND tablename = 'docs'"
RLS="SELECT relrowsecurity || ' ' || relforcerowsecurity FROM pg_class WHERE oid = 'sec.docs'::regclass"

# ---- grants ----

step "grants on create: schema, enum, sequence, table, column" "$ACLS" \
	"docs R1=SELECT | docs.owner R1=UPDATE | schema PUBLIC=USAGE,R1=USAGE | ticket R2=SELECT,R2=USAGE | type level R1=USAGE" <<EOF
schema: sec
grants: {$Y1: [usage], public: [usage]}
enums:
  level: {values: [low, high], grants: {$Y1: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      owner: {type: text, grants: {$Y1: [update]}}
      body: text
      lvl: level
      n: int
    primary_key: [id]
    grants:
      $Y1: [select]
EOF
is "$STEP_SQL" '-- +upgrade
CREATE SCHEMA sec;
GRANT USAGE ON SCHEMA sec TO PUBLIC;
GRANT USAGE ON SCHEMA sec TO R1;
CREATE TYPE sec.level AS ENUM ('"'low', 'high'"');
REVOKE USAGE ON TYPE sec.level FROM PUBLIC;
GRANT USAGE ON TYPE sec.level TO R1;
CREATE SEQUENCE sec.ticket;
GRANT SELECT, USAGE ON SEQUENCE sec.ticket TO R2;
CREATE TABLE sec.docs (
    id bigint NOT NULL,
    owner text,
    body text,
    lvl sec.level,
    n integer,
    CONSTRAINT docs_pkey PRIMARY KEY (id)
);
GRANT SELECT ON TABLE sec.docs TO R1;
GRANT UPDATE (owner) ON TABLE sec.docs TO R1;

-- +downgrade
-- WARNING: drops table sec.docs and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table sec.docs and the data in it
DROP TABLE sec.docs;
-- WARNING: drops sequence sec.ticket and its current value
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.ticket: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops sequence sec.ticket and its current value
DROP SEQUENCE sec.ticket;
DROP TYPE sec.level;
DROP SCHEMA sec;' "grants follow each CREATE; an explicit list revokes what CREATE gave PUBLIC"

step "grantee added, privilege added, grant option, all" "$ACLS" \
	"docs R3=DELETE,R3=INSERT,R3=REFERENCES,R3=SELECT,R3=TRIGGER,R3=TRUNCATE,R3=UPDATE,R2=DELETE,R2=INSERT,R2=SELECT,R2=UPDATE,R1=INSERT,R1=SELECT* | docs.owner R1=UPDATE | schema PUBLIC=USAGE,R1=USAGE | ticket R2=SELECT,R2=USAGE | type level R1=USAGE" <<EOF
schema: sec
grants: {$Y1: [usage], public: [usage]}
enums:
  level: {values: [low, high], grants: {$Y1: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      owner: {type: text, grants: {$Y1: [update]}}
      body: text
      lvl: level
      n: int
    primary_key: [id]
    grants:
      $Y1: {privileges: [select, insert], with_grant_option: [select]}
      $Y2: [select, insert, update, delete]
      $Y3: [all]
EOF
is "$STEP_SQL" '-- +upgrade
GRANT INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE sec.docs TO R3;
GRANT INSERT, SELECT, UPDATE, DELETE ON TABLE sec.docs TO R2;
GRANT INSERT ON TABLE sec.docs TO R1;
GRANT SELECT ON TABLE sec.docs TO R1 WITH GRANT OPTION;

-- +downgrade
REVOKE INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE sec.docs FROM R3;
REVOKE INSERT, SELECT, UPDATE, DELETE ON TABLE sec.docs FROM R2;
REVOKE INSERT ON TABLE sec.docs FROM R1;
REVOKE GRANT OPTION FOR SELECT ON TABLE sec.docs FROM R1;' "GRANT and REVOKE per grantee (in name order), grant options on their own"

step "revoked: privileges, grant option, a grantee, PUBLIC; column grant given to another" "$ACLS" \
	"docs R3=SELECT,R1=SELECT | docs.owner R1=SELECT | schema R1=USAGE | ticket R2=SELECT,R2=USAGE | type level R2=USAGE" <<EOF
schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [low, high], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      owner: {type: text, grants: {$Y1: [select]}}
      body: text
      lvl: level
      n: int
    primary_key: [id]
    grants:
      $Y1: [select]
      $Y3: [select]
EOF
is "$STEP_SQL" '-- +upgrade
REVOKE USAGE ON SCHEMA sec FROM PUBLIC;
GRANT USAGE ON TYPE sec.level TO R2;
REVOKE USAGE ON TYPE sec.level FROM R1;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE sec.docs FROM R3;
REVOKE INSERT, SELECT, UPDATE, DELETE ON TABLE sec.docs FROM R2;
REVOKE INSERT ON TABLE sec.docs FROM R1;
REVOKE GRANT OPTION FOR SELECT ON TABLE sec.docs FROM R1;
REVOKE UPDATE (owner) ON TABLE sec.docs FROM R1;
GRANT SELECT (owner) ON TABLE sec.docs TO R1;

-- +downgrade
GRANT USAGE ON SCHEMA sec TO PUBLIC;
REVOKE USAGE ON TYPE sec.level FROM R2;
GRANT USAGE ON TYPE sec.level TO R1;
GRANT INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE sec.docs TO R3;
GRANT INSERT, SELECT, UPDATE, DELETE ON TABLE sec.docs TO R2;
GRANT INSERT ON TABLE sec.docs TO R1;
GRANT SELECT ON TABLE sec.docs TO R1 WITH GRANT OPTION;
REVOKE SELECT (owner) ON TABLE sec.docs FROM R1;
GRANT UPDATE (owner) ON TABLE sec.docs TO R1;' "revokes in both directions"

run check
is "$RC" 0 "check is clean before the next change"

# a table-level REVOKE takes the column's privilege too: given back
step "table privilege revoked, the column keeps its own" "$ACLS" \
	"docs R3=SELECT | docs.owner R1=SELECT | schema R1=USAGE | ticket R2=SELECT,R2=USAGE | type level R2=USAGE" <<EOF
schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [low, high], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      owner: {type: text, grants: {$Y1: [select]}}
      body: text
      lvl: level
      n: int
    primary_key: [id]
    grants:
      $Y3: [select]
EOF
is "$(printf '%s\n' "$STEP_SQL" | sed -n '2,3p')" 'REVOKE SELECT ON TABLE sec.docs FROM R1;
GRANT SELECT (owner) ON TABLE sec.docs TO R1;' "the column privilege is granted again after the table-level REVOKE"

# ---- row-level security ----

BASE="schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [low, high], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      owner: {type: text, grants: {$Y1: [select]}}
      body: text
      lvl: level
      n: int
    primary_key: [id]
    grants:
      $Y3: [select]"

step "RLS enabled" "$RLS" "true false" <<EOF
$BASE
    row_level_security: true
EOF
is "$STEP_SQL" '-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs ENABLE ROW LEVEL SECURITY;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs DISABLE ROW LEVEL SECURITY;' "ENABLE / DISABLE"

step "RLS forced" "$RLS" "true true" <<EOF
$BASE
    row_level_security: forced
EOF
is "$STEP_SQL" '-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs FORCE ROW LEVEL SECURITY;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs NO FORCE ROW LEVEL SECURITY;' "FORCE / NO FORCE"

step "RLS forced but disabled" "$RLS" "false true" <<EOF
$BASE
    row_level_security: {enabled: false, forced: true}
EOF

# ---- policies ----

step "policies created" "$POLICIES" \
	"add_rows PERMISSIVE INSERT {R2} u:- c:(n >= 0) | no_secret RESTRICTIVE SELECT {public} u:(lvl <> 'high'::sec.level) c:- | own_rows PERMISSIVE ALL {R3,R1} u:(owner = CURRENT_USER) c:((owner = CURRENT_USER) AND (n > 0)) -- Your rows only" <<EOF
$BASE
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1, $Y3]
        using: "owner = current_user"
        with_check: "owner = current_user AND n > 0"
        comment: Your rows only
      no_secret: {as: restrictive, command: select, using: "lvl <> 'high'"}
      add_rows: {command: insert, roles: [$Y2], with_check: "n >= 0"}
EOF
is "$STEP_SQL" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs ENABLE ROW LEVEL SECURITY;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY add_rows ON sec.docs FOR INSERT TO R2 WITH CHECK ((n >= 0));
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY no_secret ON sec.docs AS RESTRICTIVE FOR SELECT USING ((lvl <> 'high'::sec.level));
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY own_rows ON sec.docs TO R3, R1 USING ((owner = CURRENT_USER)) WITH CHECK (((owner = CURRENT_USER) AND (n > 0)));
COMMENT ON POLICY own_rows ON sec.docs IS 'Your rows only';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY add_rows ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY no_secret ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY own_rows ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs DISABLE ROW LEVEL SECURITY;" "CREATE POLICY with its options, roles quoted"

step "policies altered: roles, USING, WITH CHECK, comment" "$POLICIES" \
	"add_rows PERMISSIVE INSERT {R3,R2} u:- c:(n >= 1) | no_secret RESTRICTIVE SELECT {public} u:(lvl <> 'high'::sec.level) c:- -- Hides secrets | own_rows PERMISSIVE ALL {R1} u:((owner = CURRENT_USER) OR (n = 0)) c:((owner = CURRENT_USER) AND (n > 0)) -- Your rows only" <<EOF
$BASE
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1]
        using: "owner = current_user OR n = 0"
        with_check: "owner = current_user AND n > 0"
        comment: Your rows only
      no_secret: {as: restrictive, command: select, using: "lvl <> 'high'", comment: Hides secrets}
      add_rows: {command: insert, roles: [$Y3, $Y2], with_check: "n >= 1"}
EOF
is "$STEP_SQL" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER POLICY add_rows ON sec.docs TO R3, R2 WITH CHECK ((n >= 1));
COMMENT ON POLICY no_secret ON sec.docs IS 'Hides secrets';
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER POLICY own_rows ON sec.docs TO R1 USING (((owner = CURRENT_USER) OR (n = 0)));

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER POLICY add_rows ON sec.docs TO R2 WITH CHECK ((n >= 0));
COMMENT ON POLICY no_secret ON sec.docs IS NULL;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER POLICY own_rows ON sec.docs TO R3, R1 USING ((owner = CURRENT_USER));" "ALTER POLICY with what changed"

step "policies re-created: command, permissive, USING removed" "$POLICIES" \
	"add_rows PERMISSIVE ALL {R3,R2} u:- c:(n >= 1) | no_secret PERMISSIVE SELECT {public} u:(lvl <> 'high'::sec.level) c:- -- Hides secrets | own_rows PERMISSIVE ALL {R1} u:- c:((owner = CURRENT_USER) AND (n > 0)) -- Your rows only" <<EOF
$BASE
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1]
        with_check: "owner = current_user AND n > 0"
        comment: Your rows only
      no_secret: {command: select, using: "lvl <> 'high'", comment: Hides secrets}
      add_rows: {roles: [$Y3, $Y2], with_check: "n >= 1"}
EOF
is "$STEP_SQL" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY add_rows ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY no_secret ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY own_rows ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY add_rows ON sec.docs TO R3, R2 WITH CHECK ((n >= 1));
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY no_secret ON sec.docs FOR SELECT USING ((lvl <> 'high'::sec.level));
COMMENT ON POLICY no_secret ON sec.docs IS 'Hides secrets';
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY own_rows ON sec.docs TO R1 WITH CHECK (((owner = CURRENT_USER) AND (n > 0)));
COMMENT ON POLICY own_rows ON sec.docs IS 'Your rows only';

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY add_rows ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY no_secret ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER POLICY own_rows ON sec.docs USING (((owner = CURRENT_USER) OR (n = 0)));
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY add_rows ON sec.docs FOR INSERT TO R3, R2 WITH CHECK ((n >= 1));
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY no_secret ON sec.docs AS RESTRICTIVE FOR SELECT USING ((lvl <> 'high'::sec.level));
COMMENT ON POLICY no_secret ON sec.docs IS 'Hides secrets';" "what ALTER POLICY cannot change drops and re-creates, with the comment; adding USING is an ALTER"

# ---- policies and the columns they use ----

step "columns under policies: owner dropped, n retyped" "$POLICIES" \
	"add_rows PERMISSIVE ALL {R3,R2} u:- c:(n >= 1) | no_secret PERMISSIVE SELECT {public} u:(lvl <> 'high'::sec.level) c:- -- Hides secrets | own_rows PERMISSIVE ALL {R1} u:- c:((author = CURRENT_USER) AND (n > 0)) -- Your rows only" <<EOF
schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [low, high], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      author: text
      body: text
      lvl: level
      n: bigint
    primary_key: [id]
    grants:
      $Y3: [select]
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1]
        with_check: "author = current_user AND n > 0"
        comment: Your rows only
      no_secret: {command: select, using: "lvl <> 'high'", comment: Hides secrets}
      add_rows: {roles: [$Y3, $Y2], with_check: "n >= 1"}
EOF
EOF_SQL=$STEP_SQL
is "$(printf '%s\n' "$EOF_SQL" | sed -n '1,/^$/p')" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY add_rows ON sec.docs;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
DROP POLICY own_rows ON sec.docs;
-- WARNING: drops column sec.docs.owner and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column sec.docs.owner and the data in it
ALTER TABLE sec.docs DROP COLUMN owner;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
-- hazard: table-rewrite: rewrites sec.docs and its indexes to change the type of n (unless the old type converts without change)
ALTER TABLE sec.docs
    ALTER COLUMN n TYPE bigint;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs ADD COLUMN author text;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY add_rows ON sec.docs TO R3, R2 WITH CHECK ((n >= 1));
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
CREATE POLICY own_rows ON sec.docs TO R1 WITH CHECK (((author = CURRENT_USER) AND (n > 0)));
COMMENT ON POLICY own_rows ON sec.docs IS 'Your rows only';" "policies on the retyped column are dropped before and re-created after"

step "a policy moves to a new column while the old one is dropped" "$POLICIES" \
	"add_rows PERMISSIVE ALL {R3,R2} u:- c:(n >= 1) | no_secret PERMISSIVE SELECT {public} u:(lvl <> 'high'::sec.level) c:- -- Hides secrets | own_rows PERMISSIVE ALL {R1} u:- c:((writer = CURRENT_USER) AND (n > 0)) -- Your rows only" <<EOF
schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [low, high], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      writer: text
      body: text
      lvl: level
      n: bigint
    primary_key: [id]
    grants:
      $Y3: [select]
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1]
        with_check: "writer = current_user AND n > 0"
        comment: Your rows only
      no_secret: {command: select, using: "lvl <> 'high'", comment: Hides secrets}
      add_rows: {roles: [$Y3, $Y2], with_check: "n >= 1"}
EOF
is "$(printf '%s\n' "$STEP_SQL" | sed -n '1,/^$/p')" "-- +upgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER TABLE sec.docs ADD COLUMN writer text;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
ALTER POLICY own_rows ON sec.docs WITH CHECK (((writer = CURRENT_USER) AND (n > 0)));
-- WARNING: drops column sec.docs.author and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on sec.docs: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops column sec.docs.author and the data in it
ALTER TABLE sec.docs DROP COLUMN author;" "the new column, then ALTER POLICY, then the old column's drop"

# ---- an enum rebuilt under a column and a policy keeps its grants ----

step "enum rebuilt: grants back, policy over the recast column rebuilt" \
	"SELECT (SELECT string_agg(grantee::regrole::text || '=' || privilege_type, ',') FROM aclexplode((SELECT typacl FROM pg_type WHERE oid = 'sec.level'::regtype))) || ' ' || enum_range(NULL::sec.level)::text || ' ' || (SELECT count(*) FROM pg_policy WHERE polrelid = 'sec.docs'::regclass)" \
	"postgres=USAGE,R2=USAGE {high,low} 3" <<EOF
schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [high, low], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      writer: text
      body: text
      lvl: level
      n: bigint
    primary_key: [id]
    grants:
      $Y3: [select]
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1]
        with_check: "writer = current_user AND n > 0"
        comment: Your rows only
      no_secret: {command: select, using: "lvl <> 'high'", comment: Hides secrets}
      add_rows: {roles: [$Y3, $Y2], with_check: "n >= 1"}
EOF
like "$STEP_SQL" "^DROP POLICY no_secret ON sec.docs;" "the policy over the recast column is dropped first"

# ---- functions and procedures, and a policy that calls one ----

# fn_model ARGS: the model with function is_writer(ARGS)
fn_model() {
	cat <<EOF
schema: sec
grants: {$Y1: [usage]}
enums:
  level: {values: [high, low], grants: {$Y2: [usage]}}
sequences:
  ticket: {grants: {$Y2: [usage, select]}}
functions:
  is_writer:
    arguments: [$1]
    returns: boolean
    volatility: stable
    body: SELECT w = current_user
    grants: {$Y1: [execute], $Y3: {privileges: [execute], with_grant_option: true}}
procedures:
  tidy:
    body: SELECT 1
    grants: {}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      writer: text
      body: text
      lvl: level
      n: bigint
    primary_key: [id]
    grants:
      $Y3: [select]
    row_level_security: forced
    policies:
      own_rows:
        roles: [$Y1]
        with_check: "is_writer(writer) AND n > 0"
        comment: Your rows only
      no_secret: {command: select, using: "lvl <> 'high'", comment: Hides secrets}
      add_rows: {roles: [$Y3, $Y2], with_check: "n >= 1"}
EOF
}
PROACLS="SELECT string_agg(p.oid::regprocedure::text || ' ' || coalesce((SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS e FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) WHERE grantee <> p.proowner) s), '-'), ' | ' ORDER BY p.oid::regprocedure::text) || ' / ' || (SELECT count(*) FROM pg_policy WHERE polrelid = 'sec.docs'::regclass) FROM pg_proc p WHERE p.pronamespace = 'sec'::regnamespace"

fn_model "w text" >"$T/fn1.yaml"
step "function and procedure grants; a policy calls the function" "$PROACLS" \
	"sec.is_writer(text) R3=EXECUTE*,R1=EXECUTE | sec.tidy() - / 3" <"$T/fn1.yaml"
is "$(printf '%s\n' "$STEP_SQL" | sed -n '1,/^$/p' | grep -E '^(GRANT|REVOKE|ALTER POLICY)')" "REVOKE EXECUTE ON FUNCTION sec.is_writer(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sec.is_writer(text) TO R3 WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION sec.is_writer(text) TO R1;
ALTER POLICY own_rows ON sec.docs WITH CHECK ((sec.is_writer(writer) AND (n > 0)));
REVOKE EXECUTE ON PROCEDURE sec.tidy() FROM PUBLIC;" \
	"EXECUTE revoked from PUBLIC and granted as listed, the policy after its function"

fn_model "w text, strict_mode integer DEFAULT 0" >"$T/fn2.yaml"
step "function re-created under a policy: the policy and the grants come back" "$PROACLS" \
	"sec.is_writer(text,integer) R3=EXECUTE*,R1=EXECUTE | sec.tidy() - / 3" <"$T/fn2.yaml"
is "$(printf '%s\n' "$STEP_SQL" | sed -n '1,/^$/p' | grep -E '^(GRANT|REVOKE|DROP|CREATE|COMMENT)')" "DROP POLICY own_rows ON sec.docs;
DROP FUNCTION sec.is_writer(text);
CREATE OR REPLACE FUNCTION sec.is_writer(w text, strict_mode integer DEFAULT 0)
REVOKE EXECUTE ON FUNCTION sec.is_writer(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sec.is_writer(text, integer) TO R3 WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION sec.is_writer(text, integer) TO R1;
CREATE POLICY own_rows ON sec.docs TO R1 WITH CHECK ((sec.is_writer(writer) AND (n > 0)));
COMMENT ON POLICY own_rows ON sec.docs IS 'Your rows only';" \
	"the policy goes before its function and comes back after it, with its comment; the function with its grants"

TYPACLS="SELECT string_agg(t.typname || ' ' || coalesce((SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END || '=' || privilege_type || CASE WHEN is_grantable THEN '*' ELSE '' END AS e FROM aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) WHERE grantee <> t.typowner) s), '-'), ' | ' ORDER BY t.typname) FROM pg_type t WHERE t.typnamespace = 'sec'::regnamespace AND t.typtype IN ('d', 'c', 'e') AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')"
{
	fn_model "w text, strict_mode integer DEFAULT 0"
	cat <<EOF
domains:
  positive: {type: integer, checks: [{name: positive_check, expression: "VALUE > 0"}], grants: {$Y1: [usage]}}
  anyone: text
types:
  pair: {attributes: {a: integer, b: text}, grants: {}}
EOF
} >"$T/types1.yaml"
step "domain and composite type grants" "$TYPACLS" \
	"anyone PUBLIC=USAGE | level R2=USAGE | pair - | positive R1=USAGE" <"$T/types1.yaml"
is "$(printf '%s\n' "$STEP_SQL" | sed -n '1,/^$/p' | grep -E '^(GRANT|REVOKE)')" "REVOKE USAGE ON DOMAIN sec.positive FROM PUBLIC;
GRANT USAGE ON DOMAIN sec.positive TO R1;
REVOKE USAGE ON TYPE sec.pair FROM PUBLIC;" "USAGE on domains and composite types as listed; without grants: the default"
{
	fn_model "w text, strict_mode integer DEFAULT 0"
	cat <<EOF
domains:
  positive: {type: integer, checks: [{name: positive_check, expression: "VALUE > 0"}], grants: {$Y1: [usage], public: [usage]}}
  anyone: {type: text, grants: {$Y2: {privileges: [usage], with_grant_option: true}}}
types:
  pair: {attributes: {a: integer, b: text}}
EOF
} >"$T/types2.yaml"
step "domain and composite type grants changed" "$TYPACLS" \
	"anyone R2=USAGE* | level R2=USAGE | pair PUBLIC=USAGE | positive PUBLIC=USAGE,R1=USAGE" <"$T/types2.yaml"
is "$(printf '%s\n' "$STEP_SQL" | sed -n '1,/^$/p')" "-- +upgrade
REVOKE USAGE ON DOMAIN sec.anyone FROM PUBLIC;
GRANT USAGE ON DOMAIN sec.anyone TO R2 WITH GRANT OPTION;
GRANT USAGE ON DOMAIN sec.positive TO PUBLIC;
GRANT USAGE ON TYPE sec.pair TO PUBLIC;" "grants of domains and composite types altered in place (a list revokes PUBLIC's default)"

# ---- back to nothing ----

step "policies dropped, RLS off, grants back to the defaults" "$ACLS; $POLICIES; $RLS" \
	"docs - | schema - | type level PUBLIC=USAGE
none
false false" <<EOF
schema: sec
enums:
  level: {values: [high, low]}
tables:
  docs:
    columns:
      id: {type: bigint, nullable: false}
      writer: text
EOF

step "everything dropped" "SELECT count(*) FROM pg_namespace WHERE nspname = 'sec'" "0" <<'EOF'
schema: public
EOF

# ---- every step undone ----

n=$nsteps
while [ "$n" -gt 0 ]; do
	run downgrade -1 --force-irreversible
	is_rc 0 "downgrade step $n" || diag "$(cat "$T/step$n.sql")"
	n=$((n - 1))
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" | sort >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(user_objects)" "" "everything undone: no user objects left"

# ---- an unknown role is reported where the model names it ----

cat >schema/model.yaml <<EOF
schema: sec
tables:
  docs:
    columns:
      id: int
    grants:
      $Y1: [select]
      nobody_here: [select]
EOF
run diff
is "$RC:$ERR" "2:schema/model.yaml:8:7: error: role nobody_here does not exist on the scratch server (dev_url or SCHEMAGEN_DEV_URL)
  hint: create it there (CREATE ROLE nobody_here NOLOGIN), or unset dev_url to use the embedded server, which creates the roles the models name" \
	"a grant to a role the dev_url server lacks: the error at the grantee"
cat >schema/model.yaml <<EOF
schema: sec
tables:
  docs:
    columns:
      id: int
    policies:
      p:
        roles: [$Y1, ghost]
        using: "id > 0"
EOF
run diff
is "$RC:$ERR" "2:schema/model.yaml:8:16: error: role ghost does not exist on the scratch server (dev_url or SCHEMAGEN_DEV_URL)
  hint: create it there (CREATE ROLE ghost NOLOGIN), or unset dev_url to use the embedded server, which creates the roles the models name" \
	"a policy for a role the dev_url server lacks: the error at its roles"
cat >schema/model.yaml <<'EOF'
schema: sec
tables:
  docs:
    columns:
      id: int
    grants:
      someone: [select, delet]
    policies:
      p: {command: insert, using: "id > 0"}
EOF
run diff
is "$RC:$ERR" '2:schema/model.yaml:7:25: error: unknown privilege "delet" in the grants to "someone"
  hint: did you mean "delete"?
schema/model.yaml:9:35: error: an insert policy has no "using"
  hint: new rows are checked by "with_check"' "mistakes found when the models are loaded"

# ---- a database made by SQL, dumped: no changes ----

SRC=$(new_db src)
qdb "$SRC" "
CREATE SCHEMA app;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA app TO $QR1, $QR3;
GRANT CREATE ON SCHEMA app TO $QR2 WITH GRANT OPTION;
CREATE TYPE app.mood AS ENUM ('ok', 'meh');
REVOKE ALL ON TYPE app.mood FROM PUBLIC;
CREATE SEQUENCE app.s;
GRANT USAGE ON SEQUENCE app.s TO $QR2;
GRANT SELECT ON SEQUENCE app.s TO $QR2 WITH GRANT OPTION;
CREATE TABLE app.t (id int PRIMARY KEY, owner name DEFAULT current_user, m app.mood);
ALTER TABLE app.t FORCE ROW LEVEL SECURITY;
GRANT ALL ON app.t TO $QR3;
GRANT SELECT, INSERT ON app.t TO $QR1 WITH GRANT OPTION;
GRANT UPDATE ON app.t TO $QR1;
GRANT SELECT (owner), UPDATE (m) ON app.t TO $QR2;
GRANT REFERENCES (id) ON app.t TO PUBLIC;
CREATE POLICY mine ON app.t AS RESTRICTIVE FOR UPDATE TO $QR1, $QR3 USING (owner = current_user) WITH CHECK (m <> 'meh');
CREATE POLICY \"odd \"\"policy\"\"\" ON app.t USING (EXISTS (SELECT 1 FROM app.t x WHERE x.id = t.id - 1));
COMMENT ON POLICY mine ON app.t IS 'mine';
CREATE DOMAIN app.d AS integer;
GRANT USAGE ON DOMAIN app.d TO $QR1;
CREATE FUNCTION app.f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';
REVOKE EXECUTE ON FUNCTION app.f(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.f(integer) TO $QR3;
CREATE TABLE public.u (x int);
ALTER TABLE public.u ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.u FROM postgres;
" >/dev/null
mkdir "$T/dumped"
run dump --url "$(conninfo "$SRC")" -o "$T/dumped/schema"
is_rc 0 "dump of a database with grants, RLS and policies"
is "$(norm <"$T/dumped/schema/app.yaml")" "$MODEL_SCHEMA_LINE
schema: app
grants:
  R3: [usage]
  R2: {privileges: [create], with_grant_option: true}
  R1: [usage]

enums:
  mood: {values: [ok, meh], grants: {}}

domains:
  d: {type: integer, grants: {public: [usage], R1: [usage]}}

sequences:
  s: {grants: {R2: {privileges: [select, usage], with_grant_option: [select]}}}

functions:
  f:
    arguments: [a integer]
    returns: integer
    body: SELECT a
    grants: {R3: [execute]}

tables:
  t:
    columns:
      id: {type: integer, nullable: false, grants: {public: [references]}}
      owner: {type: name, default: CURRENT_USER, grants: {R2: [select]}}
      m: {type: app.mood, grants: {R2: [update]}}
    primary_key: [id]
    row_level_security: {enabled: false, forced: true}
    policies:
      mine:
        command: update
        as: restrictive
        roles: [R3, R1]
        using: (owner = CURRENT_USER)
        with_check: (m <> 'meh'::app.mood)
        comment: mine
      odd \"policy\":
        using: |-
          (EXISTS ( SELECT 1
             FROM app.t x
            WHERE (x.id = (t.id - 1))))
    grants:
      R3: [all]
      R1: {privileges: [insert, select, update], with_grant_option: [insert, select]}" "the dump says it all (roles as they are, PUBLIC as public)"
is "$(sed -n '1,3p' "$T/dumped/schema/public.yaml")" "$MODEL_SCHEMA_LINE
schema: public
grants: {}" "the schema public without its default USAGE for PUBLIC"
cat >"$T/dumped/schemagen.yaml" <<'EOF'
schema_dir: schema
migrations_dir: migrations
EOF
mkdir "$T/dumped/migrations"
(cd "$T/dumped" && DATABASE_URL="$(conninfo "$SRC")" "$SCHEMAGEN" diff >"$T/out" 2>&1)
is "$?:$(cat "$T/out")" "0:No changes in schema detected." "models dumped from a database with grants, RLS and policies: no differences"

done_testing
