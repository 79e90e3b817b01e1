#!/bin/sh
# SPDX-License-Identifier: MIT
# t4160-rules.sh - rules (issue 10): `rules:` of a table or view.  Created
# (an ALSO rule with a condition and two actions, an INSTEAD NOTHING rule
# with a hostile name, a view's INSTEAD rule, a disabled rule), altered
# (actions: CREATE OR REPLACE RULE both ways; enabled: ALTER TABLE ...
# ENABLE RULE; the comment), renamed (renamed_from: ALTER RULE ... RENAME
# TO), dropped, downgraded, dumped (a fixed point; a view's _RETURN rule
# is not listed), with check clean after each step; load errors at their
# line and column.
. "$(dirname "$0")/lib.sh"

new_kind_project

cat >schema/rl.yaml <<'EOF'
schema: rl
tables:
  big:
    columns:
      id: {type: int}
  t:
    columns:
      id: {type: int}
      total: {type: int}
    rules:
      log_big:
        event: insert
        where: "new.total > 100"
        actions:
          - "INSERT INTO rl.big (id) VALUES (new.id)"
          - "INSERT INTO rl.big (id) VALUES (0 - new.id)"
        comment: big ones
      'no "del':
        event: delete
        instead: true
      off:
        event: update
        actions: NOTIFY t_updated
        enabled: disabled
views:
  v:
    query: SELECT id, total FROM rl.t
    rules:
      v_ins:
        event: insert
        instead: true
        actions: ["INSERT INTO rl.t (id, total) VALUES (new.id, new.total)"]
EOF

RULES="SELECT string_agg(regexp_replace(pg_get_ruledef(r.oid), '\s+', ' ', 'g') || ' enabled=' || r.ev_enabled::text || COALESCE(' comment=' || obj_description(r.oid, 'pg_rewrite'), ''), E'\n' ORDER BY r.rulename) FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = 'rl'::regnamespace AND r.rulename <> '_RETURN'"
R_LOG='CREATE RULE log_big AS ON INSERT TO rl.t WHERE (new.total > 100) DO ( INSERT INTO rl.big (id) VALUES (new.id); INSERT INTO rl.big (id) VALUES ((0 - new.id)); ); enabled=O comment=big ones'
R_DEL='CREATE RULE "no ""del" AS ON DELETE TO rl.t DO INSTEAD NOTHING; enabled=O'
R_OFF='CREATE RULE off AS ON UPDATE TO rl.t DO NOTIFY t_updated; enabled=D'
R_V='CREATE RULE v_ins AS ON INSERT TO rl.v DO INSTEAD INSERT INTO rl.t (id, total) VALUES (new.id, new.total); enabled=O'

nsteps=1
migrate_step "created" "$RULES" "$R_LOG
$R_DEL
$R_OFF
$R_V"
like "$(cat "$T/step1.sql")" 'ALTER TABLE rl\.t DISABLE RULE off;' "the enabled state follows the CREATE"
q "INSERT INTO rl.v VALUES (1, 500)"
is "$(q "SELECT string_agg(id::text, ',' ORDER BY id) FROM rl.big")" "-1,1" "the rules run: through the view, into t, and logged"

# ---- altered: actions, condition, enabled, comment ----
sed -i 's/"new.total > 100"/"new.total > 200"/; s/(0 - new.id)/(1 - new.id)/; s/enabled: disabled/enabled: always/; s/comment: big ones/comment: bigger ones/' schema/rl.yaml
R_LOG2='CREATE RULE log_big AS ON INSERT TO rl.t WHERE (new.total > 200) DO ( INSERT INTO rl.big (id) VALUES (new.id); INSERT INTO rl.big (id) VALUES ((1 - new.id)); ); enabled=O comment=bigger ones'
R_OFF2='CREATE RULE off AS ON UPDATE TO rl.t DO NOTIFY t_updated; enabled=A'
run check
like "$OUT" 'rule log_big on rl.t: definition, comment' "check names what changed"
nsteps=2
migrate_step "definition, enabled and comment changed" "$RULES" "$R_LOG2
$R_DEL
$R_OFF2
$R_V"
is "$(grep -c 'CREATE OR REPLACE RULE log_big' "$T/step2.sql")" 2 "CREATE OR REPLACE RULE, both ways"
is "$(grep 'RULE off' "$T/step2.sql")" "ALTER TABLE rl.t ENABLE ALWAYS RULE off;
ALTER TABLE rl.t DISABLE RULE off;" "ALTER TABLE ... ENABLE / DISABLE RULE, both ways"
unlike "$(cat "$T/step2.sql")" "DROP RULE" "nothing dropped"

# ---- renamed ----
sed -i "s/^      'no \"del':/      'no \"delete':\n        renamed_from: 'no \"del'/" schema/rl.yaml
nsteps=3
migrate_step "renamed" "$RULES" "$R_LOG2
$(echo "$R_DEL" | sed 's/no ""del/no ""delete/')
$R_OFF2
$R_V"
is "$(grep 'RENAME' "$T/step3.sql")" 'ALTER RULE "no ""del" ON rl.t RENAME TO "no ""delete";
ALTER RULE "no ""delete" ON rl.t RENAME TO "no ""del";' "ALTER RULE ... RENAME TO, both ways"

# ---- dropped ----
sed -i '/^      off:/,/^        enabled: always/d' schema/rl.yaml
nsteps=4
migrate_step "one dropped" "$RULES" "$R_LOG2
$(echo "$R_DEL" | sed 's/no ""del/no ""delete/')
$R_V"
like "$(cat "$T/step4.sql")" 'DROP RULE off ON rl\.t;' "DROP RULE"

# ---- downgrade ----
run downgrade -1
is_rc 0 "downgrade -1" || diag "$ERR"
is "$(q "$RULES")" "$R_LOG2
$(echo "$R_DEL" | sed 's/no ""del/no ""delete/')
$R_OFF2
$R_V" "downgraded: the dropped rule is back, enabled always"
run downgrade -2
is_rc 0 "downgrade -2" || diag "$ERR"
is "$(q "$RULES")" "$R_LOG
$R_DEL
$R_OFF
$R_V" "downgraded: back to the first step"
run upgrade head
is_rc 0 "upgrade again" || diag "$ERR"

# ---- dump: a fixed point, no _RETURN ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
unlike "$(cat "$T/dump/rl.yaml")" "_RETURN" "a view's own rule is not listed"
like "$(cat "$T/dump/rl.yaml")" "rules:" "the dump has the rules"
cp "$T/dump/rl.yaml" schema/rl.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped models match the database"

# ---- load errors ----
cat >schema/bad.yaml <<'EOF'
schema: rl2
tables:
  x:
    columns:
      id: {type: int}
    rules:
      r1: {event: select}
      r2: {instead: true}
      r3: {event: insert, actions: ["DROP TABLE x"]}
      r4: {event: insert, actions: ["NOTIFY a; NOTIFY b"]}
      r5: {event: insert, where: "id >"}
EOF
run diff
is "$RC" 2 "bad rules: exit 2"
is "$ERR" 'schema/bad.yaml:7:19: error: "event" must be insert, update or delete, found "select"
schema/bad.yaml:8:7: error: missing key "event" in rule "r2" of table "x"
  hint: event: insert, update or delete
schema/bad.yaml:9:38: error: action of rule "r3" of table "x": syntax error at or near "DROP"
schema/bad.yaml:10:38: error: action of rule "r4" of table "x" contains more than one statement
schema/bad.yaml:11:39: error: "where" of rule "r5" of table "x": syntax error at end of input' "each error at its line and column"
rm schema/bad.yaml

done_testing
