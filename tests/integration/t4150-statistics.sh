#!/bin/sh
# SPDX-License-Identifier: MIT
# t4150-statistics.sh - statistics objects (issue 10): `statistics:` of a
# table.  Created (kinds, columns, a hostile name, a target, a comment; on
# 14+ expressions and one expression alone), altered (the target: ALTER
# STATISTICS ... SET STATISTICS both ways; the comment; kinds: dropped and
# created again), renamed (renamed_from: ALTER STATISTICS ... RENAME TO),
# dropped, downgraded, dumped (a fixed point), with check clean after each
# step; load errors at their line and column.
. "$(dirname "$0")/lib.sh"

new_kind_project
V=$(q "SHOW server_version_num")

EXPR_STX=
if [ "$V" -ge 140000 ]; then
	EXPR_STX='
      s_expr:
        columns: [a]
        expressions: ["lower(c)"]
      s_one: {expressions: ["(a + b)"]}'
fi
cat >schema/stx.yaml <<EOF
schema: stx
tables:
  t:
    columns:
      a: {type: int}
      b: {type: int}
      c: {type: text}
      we ird: {type: text}
    statistics:
      s1:
        kinds: [ndistinct, dependencies]
        columns: [a, b]
        target: 500
        comment: a and b
      'st "x':
        columns: [a, we ird]$EXPR_STX
EOF

STX="SELECT string_agg(pg_get_statisticsobjdef(s.oid) || ' target=' || COALESCE(s.stxstattarget::int, -1) || COALESCE(' comment=' || obj_description(s.oid, 'pg_statistic_ext'), ''), E'\n' ORDER BY stxname) FROM pg_statistic_ext s WHERE stxnamespace = 'stx'::regnamespace"
E1=
E2=
if [ "$V" -ge 140000 ]; then
	E1='
CREATE STATISTICS stx.s_expr ON a, lower(c) FROM stx.t target=-1
CREATE STATISTICS stx.s_one ON (a + b) FROM stx.t target=-1'
fi

nsteps=1
migrate_step "created" "$STX" "CREATE STATISTICS stx.s1 (ndistinct, dependencies) ON a, b FROM stx.t target=500 comment=a and b$E1
CREATE STATISTICS stx.\"st \"\"x\" ON a, \"we ird\" FROM stx.t target=-1"
like "$(cat "$T/step1.sql")" 'ALTER STATISTICS stx\.s1 SET STATISTICS 500;' "the target follows the CREATE"

# ---- altered: target, comment, kinds ----
sed -i 's/target: 500/target: 50/; s/comment: a and b/comment: a, then b/; s/kinds: \[ndistinct, dependencies\]/kinds: [mcv]/' schema/stx.yaml
run check
like "$OUT" "statistics stx.s1" "check names the statistics object"
nsteps=2
migrate_step "kinds, target and comment changed" "$STX" "CREATE STATISTICS stx.s1 (mcv) ON a, b FROM stx.t target=50 comment=a, then b$E1
CREATE STATISTICS stx.\"st \"\"x\" ON a, \"we ird\" FROM stx.t target=-1"
is "$(grep -c 'DROP STATISTICS stx.s1;' "$T/step2.sql")" 2 "kinds changed: dropped and created again, both ways"
sed -i 's/kinds: \[mcv\]/kinds: [ndistinct, dependencies]/' schema/stx.yaml
nsteps=3
migrate_step "kinds back" "$STX" "CREATE STATISTICS stx.s1 (ndistinct, dependencies) ON a, b FROM stx.t target=50 comment=a, then b$E1
CREATE STATISTICS stx.\"st \"\"x\" ON a, \"we ird\" FROM stx.t target=-1"
sed -i 's/target: 50$/target: 70/; s/comment: a, then b/comment: two/' schema/stx.yaml
nsteps=4
migrate_step "target and comment alone" "$STX" "CREATE STATISTICS stx.s1 (ndistinct, dependencies) ON a, b FROM stx.t target=70 comment=two$E1
CREATE STATISTICS stx.\"st \"\"x\" ON a, \"we ird\" FROM stx.t target=-1"
is "$(sed -n '/^-- +upgrade/,$p' "$T/step4.sql" | grep -v '^--' | grep -v '^$')" \
"ALTER STATISTICS stx.s1 SET STATISTICS 70;
COMMENT ON STATISTICS stx.s1 IS 'two';
ALTER STATISTICS stx.s1 SET STATISTICS 50;
COMMENT ON STATISTICS stx.s1 IS 'a, then b';" "ALTER STATISTICS and COMMENT ON, exactly, both ways"

# ---- renamed ----
sed -i 's/^      s1:/      s2:\n        renamed_from: s1/' schema/stx.yaml
nsteps=5
migrate_step "renamed" "$STX" "CREATE STATISTICS stx.s2 (ndistinct, dependencies) ON a, b FROM stx.t target=70 comment=two$E1
CREATE STATISTICS stx.\"st \"\"x\" ON a, \"we ird\" FROM stx.t target=-1"
is "$(grep 'RENAME' "$T/step5.sql")" "ALTER STATISTICS stx.s1 RENAME TO s2;
ALTER STATISTICS stx.s2 RENAME TO s1;" "a rename, both ways"
unlike "$(cat "$T/step5.sql")" "DROP STATISTICS" "a rename drops nothing"

# ---- dropped ----
sed -i '/^      .st "x.:/,/^        columns: \[a, we ird\]/d' schema/stx.yaml
nsteps=6
migrate_step "one dropped" "$STX" "CREATE STATISTICS stx.s2 (ndistinct, dependencies) ON a, b FROM stx.t target=70 comment=two$E1"
like "$(cat "$T/step6.sql")" 'DROP STATISTICS stx\."st ""x";' "DROP STATISTICS, quoted"

# ---- downgrade: the dropped one comes back, then the old name ----
run downgrade -1
is_rc 0 "downgrade -1" || diag "$ERR"
is "$(q "$STX")" "CREATE STATISTICS stx.s2 (ndistinct, dependencies) ON a, b FROM stx.t target=70 comment=two$E1
CREATE STATISTICS stx.\"st \"\"x\" ON a, \"we ird\" FROM stx.t target=-1" "downgraded: the dropped object is back"
run downgrade -1
is_rc 0 "downgrade -1 again" || diag "$ERR"
like "$(q "$STX")" "CREATE STATISTICS stx.s1 " "downgraded: the old name is back"
run upgrade head
is_rc 0 "upgrade again" || diag "$ERR"

# ---- dump: a fixed point ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
like "$(cat "$T/dump/stx.yaml")" "statistics:" "the dump has the statistics"
cp "$T/dump/stx.yaml" schema/stx.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped models match the database"

# ---- load errors ----
cat >schema/bad.yaml <<'EOF'
schema: stx2
tables:
  x:
    columns:
      id: {type: int}
    statistics:
      one: {columns: [id]}
      bad_kind: {kinds: [mvc], columns: [id, id]}
      nope: {columns: [id, missing], target: 20000}
EOF
run diff
is "$RC" 2 "bad statistics: exit 2"
is "$ERR" 'schema/bad.yaml:7:7: error: statistics "one" of table "x" needs at least two columns or expressions
  hint: PostgreSQL keeps the statistics of one column by itself (ANALYZE)
schema/bad.yaml:8:26: error: "kinds" must be ndistinct, dependencies or mcv, found "mvc"
schema/bad.yaml:8:46: error: column "id" appears twice in statistics "bad_kind" of table "x"
schema/bad.yaml:9:28: error: unknown column "missing" in statistics "nope" of table "x"
schema/bad.yaml:9:46: error: "target" must be -1 (the default) to 10000, found "20000"' "each error at its line and column"
rm schema/bad.yaml

done_testing
