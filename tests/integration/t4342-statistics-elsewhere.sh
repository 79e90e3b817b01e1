#!/bin/sh
# SPDX-License-Identifier: MIT
# t4342-statistics-elsewhere.sh - statistics objects of a materialized
# view, and of a table in another schema than the table's (`schema:`)
# (issue 10).  Created (after the other schema), altered (the target in
# place; another schema: dropped and created again), renamed, dropped,
# downgraded, dumped (a fixed point), check clean after each step; load
# errors at their line and column.
. "$(dirname "$0")/lib.sh"

new_kind_project

cat >schema/app.yaml <<'EOF'
schema: app
tables:
  t:
    columns:
      a: {type: int}
      b: {type: int}
    statistics:
      t_ab:
        schema: st
        columns: [a, b]
        comment: elsewhere
materialized_views:
  mv:
    query: SELECT a, b, a + b AS c FROM app.t
    statistics:
      mv_ab:
        kinds: [ndistinct]
        columns: [a, c]
        target: 100
EOF
cat >schema/st.yaml <<'EOF'
schema: st
EOF

STX="SELECT string_agg(pg_get_statisticsobjdef(s.oid) || ' target=' || COALESCE(s.stxstattarget::int, -1) || COALESCE(' comment=' || obj_description(s.oid, 'pg_statistic_ext'), ''), E'\n' ORDER BY stxname) FROM pg_statistic_ext s"

nsteps=1
migrate_step "created" "$STX" "CREATE STATISTICS app.mv_ab (ndistinct) ON a, c FROM app.mv target=100
CREATE STATISTICS st.t_ab ON a, b FROM app.t target=-1 comment=elsewhere"
is "$(grep -E '^CREATE (SCHEMA|STATISTICS)' "$T/step1.sql")" "CREATE SCHEMA app;
CREATE SCHEMA st;
CREATE STATISTICS st.t_ab ON a, b FROM app.t;
CREATE STATISTICS app.mv_ab (ndistinct) ON a, c FROM app.mv;" "created after the schema and the relations"

# ---- altered: the target in place, another schema: re-created ----
sed -i 's/target: 100/target: 200/; s/^        schema: st$/        schema: app/' schema/app.yaml
nsteps=2
migrate_step "target and schema changed" "$STX" "CREATE STATISTICS app.mv_ab (ndistinct) ON a, c FROM app.mv target=200
CREATE STATISTICS app.t_ab ON a, b FROM app.t target=-1 comment=elsewhere"
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step2.sql" | grep -E '^(ALTER|DROP|CREATE)')" \
"DROP STATISTICS st.t_ab;
ALTER STATISTICS app.mv_ab SET STATISTICS 200;
CREATE STATISTICS app.t_ab ON a, b FROM app.t;" "SET STATISTICS; another schema: DROP and CREATE" ||
	diag "$(cat "$T/step2.sql")"
sed -i 's/^        schema: app$/        schema: st/' schema/app.yaml

# ---- renamed ----
sed -i 's/^      mv_ab:/      mv_ab2:\n        renamed_from: mv_ab/; s/^      t_ab:/      t_ab2:\n        renamed_from: t_ab/' schema/app.yaml
nsteps=3
migrate_step "schema back, renamed" "$STX" "CREATE STATISTICS app.mv_ab2 (ndistinct) ON a, c FROM app.mv target=200
CREATE STATISTICS st.t_ab2 ON a, b FROM app.t target=-1 comment=elsewhere"
like "$(grep RENAME "$T/step3.sql")" 'ALTER STATISTICS app\.mv_ab RENAME TO mv_ab2;' "a rename"

# ---- dump: a fixed point ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
like "$(cat "$T/dump/app.yaml")" "schema: st" "the dump names the other schema"
cp schema/app.yaml "$T/app.yaml"
cp "$T/dump/app.yaml" schema/app.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped models match the database"
cp "$T/app.yaml" schema/app.yaml

# ---- dropped ----
awk '/^materialized_views:/ { mv = 1 } !(/^    statistics:/ && !mv) && !(skip && !mv) { print; next } { skip = 1 }' \
	schema/app.yaml >"$T/a.yaml" && mv "$T/a.yaml" schema/app.yaml
nsteps=4
migrate_step "one dropped" "$STX" "CREATE STATISTICS app.mv_ab2 (ndistinct) ON a, c FROM app.mv target=200"

# ---- downgrade ----
run downgrade -3
is_rc 0 "downgrade -3" || diag "$ERR"
is "$(q "$STX")" "CREATE STATISTICS app.mv_ab (ndistinct) ON a, c FROM app.mv target=100
CREATE STATISTICS st.t_ab ON a, b FROM app.t target=-1 comment=elsewhere" "downgraded to the first step"

# ---- load errors ----
cat >schema/bad.yaml <<'EOF'
schema: bad
tables:
  t:
    columns: {a: {type: int}, b: {type: int}}
    statistics:
      s: {schema: nowhere, columns: [a, b]}
views:
  v:
    query: SELECT 1 AS a
    statistics: {s: {columns: [a]}}
EOF
run diff
is "$RC" 2 "bad statistics: exit 2"
is "$ERR" 'schema/bad.yaml:6:19: error: schema of statistics nowhere.s: schema nowhere is not defined in the models
schema/bad.yaml:10:5: error: unknown key "statistics" in view "v"
  hint: only materialized views have statistics: list the view under materialized_views' "each error at its line and column"
rm schema/bad.yaml

done_testing
