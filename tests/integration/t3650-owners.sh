#!/bin/sh
# SPDX-License-Identifier: MIT
# t3650-owners.sh - owners (issue 10): `owner:` on schemas, tables,
# views, sequences, functions, types, collations; default_owner in
# schemagen.yaml (domains and composite types too).  Created with their owners, an owner changed (the exact
# ALTER ... OWNER TO both ways), downgraded back, default_owner; a model
# without owners on a database whose objects have varied owners shows no
# difference; dump writes owners only with --owners, and its models
# match; a bad owner value is an error at its line.
. "$(dirname "$0")/lib.sh"

new_roles sg_own_a sg_own_b '"sg own c"'
new_kind_project

cat >schema/own.yaml <<'EOF'
schema: own
owner: sg_own_a
enums:
  level: {values: [low, high], owner: sg_own_b}
domains:
  pos: {type: int, owner: sg_own_a}
types:
  pair: {attributes: {a: int}, owner: sg own c}
sequences:
  ticket: {owner: sg_own_a}
  t_seq: {owned_by: t.id}
collations:
  c1: {locale: C, owner: sg own c}
tables:
  t:
    owner: sg_own_b
    columns:
      id: {type: int}
      n: {type: int}
views:
  v: {query: SELECT id FROM own.t, owner: sg own c}
functions:
  f:
    returns: int
    language: sql
    body: SELECT 1
    owner: sg_own_a
EOF

OWNERS="SELECT string_agg(k || ' ' || o, ', ' ORDER BY k) FROM (
  SELECT 'schema' AS k, nspowner::regrole::text AS o FROM pg_namespace WHERE nspname = 'own'
  UNION ALL SELECT relname, relowner::regrole::text FROM pg_class WHERE relnamespace = 'own'::regnamespace AND relkind IN ('r', 'v', 'S')
  UNION ALL SELECT 'type ' || typname, typowner::regrole::text FROM pg_type WHERE typnamespace = 'own'::regnamespace AND typtype IN ('e', 'd', 'c') AND (typrelid = 0 OR typrelid::regclass::text = 'own.pair')
  UNION ALL SELECT 'collation ' || collname, collowner::regrole::text FROM pg_collation WHERE collnamespace = 'own'::regnamespace
  UNION ALL SELECT 'function ' || proname, proowner::regrole::text FROM pg_proc WHERE pronamespace = 'own'::regnamespace) x"

nsteps=1
migrate_step "created with owners" "$OWNERS" \
	'collation c1 "sg own c", function f sg_own_a, schema sg_own_a, t sg_own_b, t_seq sg_own_b, ticket sg_own_a, type level sg_own_b, type pair "sg own c", type pos sg_own_a, v "sg own c"'
# the owned sequence takes its table's owner before OWNED BY (which
# PostgreSQL requires), then follows the table
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step1.sql" | grep -E 'OWNER TO|OWNED BY')" \
'ALTER SCHEMA own OWNER TO sg_own_a;
ALTER COLLATION own.c1 OWNER TO "sg own c";
ALTER TYPE own.level OWNER TO sg_own_b;
ALTER DOMAIN own.pos OWNER TO sg_own_a;
ALTER TYPE own.pair OWNER TO "sg own c";
ALTER SEQUENCE own.t_seq OWNER TO sg_own_b;
ALTER SEQUENCE own.ticket OWNER TO sg_own_a;
ALTER FUNCTION own.f() OWNER TO sg_own_a;
ALTER TABLE own.t OWNER TO sg_own_b;
ALTER SEQUENCE own.t_seq OWNED BY own.t.id;
ALTER VIEW own.v OWNER TO "sg own c";' "one ALTER ... OWNER TO per object, after its CREATE"

# ---- an owner changed: one statement each way ----
sed -i 's/owner: sg_own_b}/owner: sg_own_a}/; s/^    owner: sg_own_b/    owner: "sg own c"/' schema/own.yaml
nsteps=2
migrate_step "owners changed" "$OWNERS" \
	'collation c1 "sg own c", function f sg_own_a, schema sg_own_a, t "sg own c", t_seq "sg own c", ticket sg_own_a, type level sg_own_a, type pair "sg own c", type pos sg_own_a, v "sg own c"'
is "$(grep 'OWNER TO' "$T/step2.sql")" \
'ALTER TYPE own.level OWNER TO sg_own_a;
ALTER TABLE own.t OWNER TO "sg own c";
ALTER TYPE own.level OWNER TO sg_own_b;
ALTER TABLE own.t OWNER TO sg_own_b;' "the exact ALTER ... OWNER TO lines, upgrade then downgrade"

run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff: nothing left"
run downgrade -1
is_rc 0 "downgrade -1" || diag "$ERR"
is "$(q "$OWNERS")" \
	'collation c1 "sg own c", function f sg_own_a, schema sg_own_a, t sg_own_b, t_seq sg_own_b, ticket sg_own_a, type level sg_own_b, type pair "sg own c", type pos sg_own_a, v "sg own c"' \
	"the downgrade restores the previous owners"
run upgrade head
is_rc 0 "upgrade again"

# ---- default_owner ----
echo 'default_owner: sg_own_b' >>schemagen.yaml
sed -i '/owner: sg_own_a}/s/, owner: sg_own_a//; /^  ticket:/s/{owner: sg_own_a}//' schema/own.yaml
run check
like "$OUT" "owner sg_own_a -> sg_own_b" "check names the owner change default_owner makes"
nsteps=3
migrate_step "default_owner" "$OWNERS" \
	'collation c1 "sg own c", function f sg_own_a, schema sg_own_a, t "sg own c", t_seq "sg own c", ticket sg_own_b, type level sg_own_b, type pair "sg own c", type pos sg_own_b, v "sg own c"'

# ---- not managed: varied owners, a model without owners ----
sed -i '/^default_owner:/d' schemagen.yaml
sed -i 's/, owner: [^}]*}/}/; /^ *owner:/d' schema/own.yaml
q "ALTER TABLE own.t OWNER TO sg_own_a; ALTER SCHEMA own OWNER TO sg_own_b"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "no owner named: owners are not managed, no difference"
run check
is "$RC" 0 "check is clean too"

# ---- dump: owners only with --owners, and then a fixed point ----
run dump -o "$T/plain"
is_rc 0 "dump"
is "$(grep -c 'owner:' "$T/plain/own.yaml")" 0 "dump writes no owner by default"
run dump --owners -o "$T/owned"
is_rc 0 "dump --owners"
is "$(grep -o 'owner: [^}]*' "$T/owned/own.yaml" | sort | tr '\n' ',')" \
	'owner: sg own c,owner: sg own c,owner: sg own c,owner: sg_own_a,owner: sg_own_a,owner: sg_own_b,owner: sg_own_b,owner: sg_own_b,owner: sg_own_b,' \
	"dump --owners writes each object's owner (not the owned sequence's)"
cp "$T/owned/own.yaml" schema/own.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped owners match the database"

# ---- a bad owner value ----
cat >schema/bad.yaml <<'EOF'
schema: own2
tables:
  x:
    owner: {name: a}
    columns:
      id: {type: int}
EOF
run diff
is "$RC" 2 "a mapping as owner: exit 2"
like "$ERR" "schema/bad.yaml:4:12: error: expected a role name, found a mapping" "at its line and column"
rm schema/bad.yaml

done_testing
