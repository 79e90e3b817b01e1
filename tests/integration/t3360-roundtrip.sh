#!/bin/sh
# SPDX-License-Identifier: MIT
# t3360-roundtrip.sh - check --roundtrip (issue 9, item 6): a chain whose
# downgrades restore the schema passes; a hand-broken downgrade is
# reported at its revision with the difference.
. "$(dirname "$0")/lib.sh"

cd "$P" || BAIL_OUT "no project dir"
run_ok "init" init
GEN=$(new_db gen)
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  a:
    columns:
      id: {type: integer, nullable: false}
      name: text
    primary_key: [id]
EOF
run_ok "revision one" revision --autogenerate -m one --url "$(conninfo "$GEN")"
run_ok "upgrade a database to one" upgrade head --url "$(conninfo "$GEN")"
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  a:
    columns:
      id: {type: integer, nullable: false}
      name: varchar(40)
      n: {type: bigint, nullable: false, default: "0"}
    primary_key: [id]
    indexes:
      - {name: a_n_idx, columns: [n]}
  b:
    columns:
      a_id: integer
EOF
run_ok "revision two" revision --autogenerate -m two --url "$(conninfo "$GEN")"
R2=$(ls migrations/*_two.sql)
ID2=$(rev_of "$R2")

# no database configured: the round trip needs only a scratch database
# (SCHEMAGEN_DEV_URL)
run_nodb() {
	(unset PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL
	 sg "$@" >"$T/out" 2>"$T/err" </dev/null; echo $? >"$T/rc")
	RC=$(cat "$T/rc") OUT=$(cat "$T/out") ERR=$(cat "$T/err")
}
run_nodb check --roundtrip
is_rc 0 "a generated chain round-trips"
is "$OUT" 'Round trip: each of the 2 revisions upgrades, downgrades to the schema before it and upgrades again.
No differences: the migrations, replayed into a scratch database, match the models.' \
	"check --roundtrip says so, then checks as always"

# a downgrade that forgets the index and the new column
cp "$R2" "$T/r2"
sed -i '/^-- +downgrade$/,$ { /^DROP INDEX public.a_n_idx;/d; /DROP COLUMN n;/d; }' "$R2"
run_nodb check --roundtrip
is_rc 1 "a broken downgrade fails the round trip"
is "$(printf '%s\n' "$OUT" | sed -n 1,3p)" "revision $ID2 ($R2): the downgrade does not restore the schema before it; restoring it would take:
  - column public.a.n
  - index public.a_n_idx" "reported at its revision, with the difference"

# a downgrade that leaves a table behind
cp "$T/r2" "$R2"
sed -i '/^-- +downgrade$/,$ { /^DROP TABLE public.b;/d; }' "$R2"
run_nodb check --roundtrip
is_rc 1 "a downgrade that leaves a table fails"
like "$OUT" "^revision $ID2 \\($R2\\): the downgrade does not restore the schema before it" "at its revision"
like "$OUT" '^  - table public\.b$' "the table left behind"

cp "$T/r2" "$R2"
run_nodb check --roundtrip
is_rc 0 "restored: passes again"

# a downgrade that says it cannot restore a step is irreversible, not broken
sed -i '/^-- +downgrade$/,$ { /^DROP TABLE public.b;/d; }' "$R2"
sed -i 's/^-- +downgrade$/&\n-- irreversible: table public.b keeps rows written since the upgrade/' "$R2"
run_nodb check --roundtrip
is_rc 0 "an irreversible revision does not fail the round trip"
is "$(printf '%s\n' "$OUT" | sed -n 1,2p)" "revision $ID2 ($R2): irreversible, not reverted: table public.b keeps rows written since the upgrade
Round trip: each of the 1 other revision upgrades, downgrades to the schema before it and upgrades again; 1 is irreversible." \
	"reported as irreversible, with the reason"
cp "$T/r2" "$R2"

done_testing
