#!/bin/sh
# SPDX-License-Identifier: MIT
# t3350-hazards.sh - hazards (issue 9, items 3 and 4):
#  - a generated migration carries `-- hazard: NAME: ...` lines on exactly
#    the statements that have that hazard (a change of each kind made
#    through models), revision / diff / check print the summary;
#  - lint reads generated and hand-written files (plain SQL too), prints
#    FILE:LINE: hazard NAME: ..., exits 1 while one is not allowed, 0 when
#    `-- schemagen: allow` comments (above a statement, or in the header)
#    accept them all, 2 on errors; check --lint and `lint: true`.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project dir"
run_ok "init" init

# which hazards each statement of a section carries: "NAMES | first line"
hazards_of() {
	awk -v sec="$2" '
		/^-- \+/ { on = ($0 == "-- +" sec); next }
		!on { next }
		/^-- hazard: / { split($0, a, ": "); h = h (h ? "," : "") a[2]; next }
		/^--/ { next }
		/^[A-Z]/ { print (h ? h : "-") " | " $0; h = "" }' "$1"
}

cat >schema/public.yaml <<'EOF'
schema: public
tables:
  a:
    columns:
      id: {type: integer, nullable: false}
      name: varchar(10)
      note: text
      n: integer
      old: text
    primary_key: [id]
  b:
    columns:
      id: {type: integer, nullable: false}
      a_id: integer
      v: integer
    primary_key: [id]
  z:
    columns:
      id: integer
EOF
run_ok "revision: the first" revision --autogenerate -m one
is "$ERR" "" "a revision that only creates: no hazards, nothing on stderr"
R1=$(ls migrations/*_one.sql)
is "$(hazards_of "$R1" upgrade | grep -vc '^- ')" 0 "no hazard on its upgrade: what it locks and indexes is new"
is "$(hazards_of "$R1" downgrade)" "lock-access-exclusive,data-loss | DROP TABLE public.a;
lock-access-exclusive,data-loss | DROP TABLE public.b;
lock-access-exclusive,data-loss | DROP TABLE public.z;" "its downgrade drops, with their data"
run_ok "upgrade" upgrade head
q "INSERT INTO a VALUES (1, 'x', 'y', 1, 'o'); INSERT INTO b VALUES (1, 1, 1)" >/dev/null

# one change of each kind
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  a:
    columns:
      id: {type: integer, nullable: false}
      name: {type: varchar(20), nullable: false}
      note: varchar(5)
      n: bigint
      req: {type: integer, nullable: false}
      d: {type: integer, nullable: false, default: "0"}
    primary_key: [id]
    indexes:
      - {name: a_name_idx, columns: [name]}
  b:
    columns:
      id: {type: integer, nullable: false}
      a_id: integer
      v: integer
    primary_key: [id]
    foreign_keys:
      - {name: b_a_fk, columns: [a_id], references: a(id)}
    unique:
      - {name: b_v_key, columns: [v]}
    checks:
      - {name: b_v_check, expression: "v > 0"}
  c:
    columns:
      id: integer
    indexes:
      - {name: c_id_idx, columns: [id]}
EOF
SUMMARY='hazards: 3 data-loss, 6 may-fail, 2 table-rewrite, 3 table-scan, 2 index-build-blocks-writes, 9 lock-access-exclusive, 2 lock-share-row-exclusive, 1 lock-share'
IRREV='irreversible downgrade: column public.a.name is narrowed from character varying(20) back to character varying(10), which values written since the upgrade may not fit
irreversible downgrade: column public.a.n is narrowed from bigint back to integer, which values written since the upgrade may not fit'
run_ok "diff" diff
is "$ERR" "$IRREV
$SUMMARY (see the \`-- hazard:\` lines above)" "diff: the summary on stderr, after the irreversible downgrades"
run_ok "revision: the second" revision --autogenerate -m two
R2=$(ls migrations/*_two.sql)
is "$ERR" "$IRREV
$SUMMARY (see $R2)" "revision: the summary names the file"
is "$(hazards_of "$R2" upgrade)" "lock-access-exclusive,data-loss | ALTER TABLE public.a DROP COLUMN old;
lock-access-exclusive,data-loss | DROP TABLE public.z;
lock-access-exclusive,table-rewrite | ALTER TABLE public.a
lock-access-exclusive,may-fail,table-scan | ALTER TABLE public.a
lock-access-exclusive,table-rewrite,may-fail,data-loss | ALTER TABLE public.a
lock-access-exclusive,may-fail | ALTER TABLE public.a ADD COLUMN req integer NOT NULL;
lock-access-exclusive | ALTER TABLE public.a ADD COLUMN d integer DEFAULT 0 NOT NULL;
lock-share,index-build-blocks-writes | CREATE INDEX a_name_idx ON public.a USING btree (name);
lock-share-row-exclusive,lock-share-row-exclusive,table-scan,may-fail | ALTER TABLE public.b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES public.a(id);
lock-access-exclusive,table-scan,may-fail | ALTER TABLE public.b ADD CONSTRAINT b_v_check CHECK ((v > 0));
lock-access-exclusive,index-build-blocks-writes,may-fail | ALTER TABLE public.b ADD CONSTRAINT b_v_key UNIQUE (v);
- | CREATE TABLE public.c (
- | CREATE INDEX c_id_idx ON public.c USING btree (id);" \
	"each upgrade statement carries exactly its hazards"
like "$(grep -A2 'n TYPE bigint' "$R2"; grep -B3 'n TYPE bigint' "$R2")" 'table-rewrite' \
	"integer -> bigint rewrites"
is "$(grep -B3 -A1 'name TYPE character varying(20)' "$R2" | grep -c 'table-rewrite\|convert')" 0 \
	"varchar(10) -> varchar(20) neither rewrites nor can fail to convert"
is "$(hazards_of "$R2" downgrade | grep -c data-loss)" 5 "the downgrade: five statements lose data"
like "$(cat "$R2")" '^-- hazard: may-fail: fails if public\.a has rows: the new column req is NOT NULL without a default$' \
	"a hazard line says what it does"

run check
is_rc 1 "check: a pending revision and differences"
like "$ERR" "^$SUMMARY \\(see \`schemagen diff\`\\)\$" "check: the summary of the changes it lists"

# the hazard is real: the NOT NULL column without a default fails on rows
run upgrade head
is_rc 2 "upgrade fails where may-fail said"
like "$ERR" 'column "req" of relation "a" contains null values' "the server says why"

# ---- lint: the pending revision ----
# run_nodb ARGS...: run with no database configured (scratch databases
# still on SCHEMAGEN_DEV_URL)
run_nodb() {
	(unset PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL
	 sg "$@" >"$T/out" 2>"$T/err" </dev/null; echo $? >"$T/rc")
	RC=$(cat "$T/rc") OUT=$(cat "$T/out") ERR=$(cat "$T/err")
}

run lint
is_rc 1 "lint: hazards not allowed"
is "$(printf '%s\n' "$OUT" | wc -l)" 28 "lint: a line per hazard of the upgrade"
like "$OUT" "^$R2:17: hazard table-rewrite: rewrites public\\.a and its indexes to change the type of n " \
	"lint: FILE:LINE: hazard NAME: what"
unlike "$OUT" 'type of name' "lint: the generator's word on varchar(20) stands"
is "$(printf '%s\n' "$ERR" | head -1)" "lint: 28 hazards, 28 not allowed" "lint: the count on stderr"

# allowed in the header for the whole file
sed '2a -- schemagen: allow data-loss, may-fail,table-rewrite\n-- schemagen: allow table-scan index-build-blocks-writes lock-access-exclusive lock-share-row-exclusive lock-share' \
	"$R2" >"$T/r2" && cp "$T/r2" "$R2"
run lint
is_rc 0 "lint: everything allowed in the header"
is "$ERR" "lint: 28 hazards, all allowed" "lint: says so"
like "$OUT" "^$R2:12: hazard data-loss: drops column public\\.a\\.old and the data in it \\(allowed for the file\\)\$" \
	"lint: allowed for the file"

# ---- lint: hand-written SQL ----

cat >"$T/hand.sql" <<'EOF'
-- a hand-written script
CREATE TABLE t (id int);
CREATE INDEX t_i ON t (id);
-- schemagen: allow lock-share,index-build-blocks-writes
CREATE INDEX u_i ON u (x);
CREATE INDEX CONCURRENTLY u_j ON u (y);
ALTER TABLE u ADD COLUMN e uuid DEFAULT gen_random_uuid();
ALTER TABLE u ADD COLUMN f timestamptz DEFAULT now();
ALTER TABLE u ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES v (id) NOT VALID;
-- schemagen: allow table-scan
ALTER TABLE u VALIDATE CONSTRAINT fk;
TRUNCATE u;
EOF
run lint "$T/hand.sql"
is_rc 1 "lint FILE: plain SQL with hazards not allowed"
is "$OUT" "$T/hand.sql:5: hazard lock-share: takes a SHARE lock on u: its writes wait until the transaction ends (allowed on line 4)
$T/hand.sql:5: hazard index-build-blocks-writes: builds an index on u while its writes wait (CONCURRENTLY would not block them) (allowed on line 4)
$T/hand.sql:6: hazard no-transaction: cannot run inside a transaction block: the revision runs outside one, and a failure part-way is not rolled back
$T/hand.sql:7: hazard lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on u: its reads and writes wait until the transaction ends
$T/hand.sql:7: hazard table-rewrite: rewrites u to fill the new column e with gen_random_uuid (a volatile default)
$T/hand.sql:8: hazard lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on u: its reads and writes wait until the transaction ends
$T/hand.sql:9: hazard lock-share-row-exclusive: takes a SHARE ROW EXCLUSIVE lock on u: its writes wait until the transaction ends
$T/hand.sql:9: hazard lock-share-row-exclusive: takes a SHARE ROW EXCLUSIVE lock on v: its writes wait until the transaction ends
$T/hand.sql:11: hazard table-scan: reads all of u to validate constraint fk (reads and writes go on) (allowed on line 10)
$T/hand.sql:11: hazard may-fail: fails if a row of u violates constraint fk
$T/hand.sql:12: hazard lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on u: its reads and writes wait until the transaction ends
$T/hand.sql:12: hazard data-loss: deletes every row of u" \
	"lint FILE: each hazard at its line; the new table and its index have none"
is "$(printf '%s\n' "$ERR" | head -1)" "lint: 12 hazards, 9 not allowed" "lint FILE: the count"

# a hand-written revision: allowed above each statement
run_ok "revision -m" revision -m three
R3=$(ls migrations/*_three.sql)
sed -i 's/^-- +upgrade$/-- +upgrade\n-- schemagen: allow lock-access-exclusive,data-loss\nALTER TABLE public.b DROP COLUMN v;/
	s/^-- +downgrade$/-- +downgrade\nALTER TABLE public.b ADD COLUMN v integer;/' "$R3"
run lint "$R3"
like "$OUT" "^$R3:[0-9]+: hazard data-loss: drops column v of public\\.b and its values \\(allowed on line [0-9]+\\)\$" \
	"lint: a hand-written revision, allowed above the statement"
is "$(printf '%s\n' "$ERR" | head -1)" "lint: 2 hazards, all allowed" "lint: hand-written revision accepted"
is_rc 0 "lint: exit 0"

# errors: exit 2, at the place
printf 'CREATE TABLE x (a int);\n-- schemagen: allow data-los\nDROP TABLE y;\n' >"$T/typo.sql"
run lint "$T/typo.sql"
is_rc 2 "lint: an unknown hazard name is an error"
is "$ERR" "$T/typo.sql:2:21: error: unknown hazard \`data-los\`
  hint: did you mean \`data-loss\`?" "lint: the error points at the name"
printf 'ALTER TABLE x ADD COLUMN;\n' >"$T/bad.sql"
run lint "$T/bad.sql"
is_rc 2 "lint: SQL that does not parse is an error"
run lint "$T/none.sql"
is_rc 2 "lint: a missing file is an error"

# ---- check --lint, lint: true ----

rm "$R3"
# no database: check replays the revisions and lints them all
cp "$R2" "$T/r2.allowed"
sed -i '/^-- schemagen: allow/d' "$R2"
run_nodb check
is_rc 0 "check without --lint: the migrations match the models"
run_nodb check --lint
is_rc 1 "check --lint: an unaccepted hazard fails check"
like "$OUT" "^$R2:[0-9]+: hazard data-loss: drops table public\\.z and the data in it\$" "check --lint lists them"
echo "lint: true" >>schemagen.yaml
run_nodb check
is_rc 1 "lint: true in schemagen.yaml: the same"
cp "$T/r2.allowed" "$R2"
run_nodb check
is_rc 0 "all accepted: check passes"

done_testing
