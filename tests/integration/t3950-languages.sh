#!/bin/sh
# SPDX-License-Identifier: MIT
# t3950-languages.sh - procedural languages, the first database-wide kind
# (issue 10): declared in a model file without `schema:`, created before
# the functions written in them, changed in place (CREATE OR REPLACE
# LANGUAGE keeps those functions), comments, grants and owners, the
# downgrade, dropped; dump writes them into database.yaml; the same name
# in two files, a missing handler, a file with only database-wide objects
# while public is not managed.
. "$(dirname "$0")/lib.sh"

new_roles sg_lang_a sg_lang_b
new_kind_project

cat >schema/database.yaml <<'EOF'
languages:
  plx:
    handler: plpgsql_call_handler
    inline: plpgsql_inline_handler
    validator: plpgsql_validator
    trusted: true
    comment: a second plpgsql
  'pl "q':
    handler: plpgsql_call_handler
EOF
cat >schema/app.yaml <<'EOF'
schema: app
functions:
  f:
    returns: int
    language: plx
    body: BEGIN RETURN 1; END
EOF

LANGS="SELECT string_agg(l.lanname || ' ' || l.lanpltrusted || ' ' || l.laninline::regproc::text
  || ' ' || l.lanvalidator::regproc::text || ' ' || coalesce(obj_description(l.oid, 'pg_language'), '-')
  || ' ' || (SELECT string_agg(g, '+' ORDER BY g) FROM (SELECT CASE WHEN a.grantee = 0 THEN 'public'
       ELSE a.grantee::regrole::text END AS g FROM aclexplode(coalesce(l.lanacl, acldefault('l', l.lanowner))) a) z) || ' ' || l.lanowner::regrole::text, ', ' ORDER BY l.lanname)
  FROM pg_language l WHERE l.oid >= 16384 AND l.lanname <> 'plpgsql'"
ME_ROLE=$(q "SELECT current_user")

nsteps=1
migrate_step "created" "$LANGS" \
	"pl \"q false - - - $ME_ROLE+public $ME_ROLE, plx true plpgsql_inline_handler plpgsql_validator a second plpgsql $ME_ROLE+public $ME_ROLE"
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step1.sql" | grep -E 'LANGUAGE|FUNCTION' | grep -v '^--')" \
'CREATE LANGUAGE "pl ""q" HANDLER plpgsql_call_handler;
CREATE TRUSTED LANGUAGE plx HANDLER plpgsql_call_handler INLINE plpgsql_inline_handler VALIDATOR plpgsql_validator;
COMMENT ON LANGUAGE plx IS '"'a second plpgsql'"';
CREATE OR REPLACE FUNCTION app.f()
 LANGUAGE plx' \
	"the languages before the function written in one"
is "$(q 'SELECT app.f()')" 1 "the function runs in the new language"

# ---- changed in place: the function stays ----
cat >schema/database.yaml <<'EOF'
languages:
  plx:
    handler: plpgsql_call_handler
    validator: plpgsql_validator
    trusted: true
    comment: no inline handler
    owner: sg_lang_a
    grants: {sg_lang_b: [usage]}
  'pl "q':
    handler: plpgsql_call_handler
EOF
nsteps=2
migrate_step "changed" "$LANGS" \
	"pl \"q false - - - $ME_ROLE+public $ME_ROLE, plx true - plpgsql_validator no inline handler sg_lang_a+sg_lang_b sg_lang_a"
is "$(grep -E 'LANGUAGE' "$T/step2.sql" | grep -v '^--')" \
"CREATE OR REPLACE TRUSTED LANGUAGE plx HANDLER plpgsql_call_handler VALIDATOR plpgsql_validator;
COMMENT ON LANGUAGE plx IS 'no inline handler';
REVOKE USAGE ON LANGUAGE plx FROM PUBLIC;
ALTER LANGUAGE plx OWNER TO sg_lang_a;
GRANT USAGE ON LANGUAGE plx TO sg_lang_b;
CREATE OR REPLACE TRUSTED LANGUAGE plx HANDLER plpgsql_call_handler INLINE plpgsql_inline_handler VALIDATOR plpgsql_validator;
COMMENT ON LANGUAGE plx IS 'a second plpgsql';
REVOKE USAGE ON LANGUAGE plx FROM sg_lang_b;
ALTER LANGUAGE plx OWNER TO $ME_ROLE;
GRANT USAGE ON LANGUAGE plx TO PUBLIC;" "CREATE OR REPLACE both ways, with comment, owner and grants"
is "$(q 'SELECT app.f()')" 1 "the function written in it is kept"

# ---- the downgrade ----
run downgrade -1
is_rc 0 "downgrade" || diag "$ERR"
is "$(q "$LANGS")" \
	"pl \"q false - - - $ME_ROLE+public $ME_ROLE, plx true plpgsql_inline_handler plpgsql_validator a second plpgsql $ME_ROLE+public $ME_ROLE" \
	"the downgrade restores the language"
run upgrade head
is_rc 0 "upgrade again" || diag "$ERR"

# ---- dump: database.yaml ----
run dump --owners -o "$T/dumped"
is_rc 0 "dump" || diag "$ERR"
is "$(grep -v '^#' "$T/dumped/database.yaml")" '
languages:
  pl "q: {handler: plpgsql_call_handler, owner: '"$ME_ROLE"'}
  plx:
    handler: plpgsql_call_handler
    validator: plpgsql_validator
    trusted: true
    comment: no inline handler
    owner: sg_lang_a
    grants: {sg_lang_b: [usage]}' "dump writes the languages into database.yaml, without schema:"
grep -q '^schema:' "$T/dumped/database.yaml"
is $? 1 "database.yaml names no schema"

# ---- errors ----
cat >schema/more.yaml <<'EOF'
languages:
  plx: {handler: plpgsql_call_handler}
  ply: {trusted: true}
EOF
run diff
is "$RC" 2 "errors: exit 2"
like "$ERR" "schema/more.yaml:2:3: error: language plx is defined twice" "the same language in two files"
like "$ERR" "hint: first defined at schema/database.yaml:2:3" "naming the first"
like "$ERR" "schema/more.yaml:3:3: error: language \"ply\" needs \"handler\"" "a missing handler, at the name"
rm schema/more.yaml

# ---- dropped (the function first) ----
rm schema/app.yaml
cat >schema/database.yaml <<'EOF'
languages:
  'pl "q':
    handler: plpgsql_call_handler
EOF
nsteps=3
migrate_step "dropped" "$LANGS" "pl \"q false - - - $ME_ROLE+public $ME_ROLE"
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step3.sql" | grep -E '^DROP')" \
'DROP FUNCTION app.f();
DROP LANGUAGE plx;
DROP SCHEMA app;' "the function, then the language"

# ---- only database-wide objects, public not managed ----
echo 'schemas: [app]' >>schemagen.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." \
	"a file of database-wide objects needs no managed schema: its language is still modelled" || diag "$ERR"
sed -i 's/^    handler: plpgsql_call_handler/    handler: plpgsql_call_handler\n    comment: kept/' schema/database.yaml
run diff
like "$OUT" "COMMENT ON LANGUAGE \"pl \"\"q\" IS 'kept';" "...and its changes are seen"
git_restore() { sed -i '/^    comment: kept/d' schema/database.yaml; }
git_restore

# ---- exclude: database-wide objects by their bare name, aggregates by theirs ----
sed -i '/^schemas: /d' schemagen.yaml
q "CREATE LANGUAGE plz HANDLER plpgsql_call_handler;
   CREATE SCHEMA app; CREATE AGGREGATE app.agg1(int) (SFUNC = int4pl, STYPE = int)" >/dev/null
run diff
like "$OUT" "^DROP LANGUAGE plz;" "an unmodelled language is dropped..."
like "$OUT" "^DROP AGGREGATE app.agg1\\(integer\\);" "...and an aggregate"
echo 'exclude: ["*.plz", "app.agg*"]' >>schemagen.yaml
run diff
unlike "$OUT" "agg1" "exclude: leaves the aggregate alone (by its name, without its arguments)"
like "$OUT" "^DROP LANGUAGE plz;" "a schema.name pattern never matches a language"
sed -i 's/^exclude: \[/exclude: [plz, /' schemagen.yaml
run diff
unlike "$OUT" "plz" "its bare name does"
like "$OUT" "DROP SCHEMA app" "...the rest is still compared"
done_testing
