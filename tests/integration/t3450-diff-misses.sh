#!/bin/sh
# SPDX-License-Identifier: MIT
# t3450-diff-misses.sh - the diff misses of issue 14, each as a before/after
# pair of SQL schemas the way tools/corpus.sh runs them: models dumped from
# the "after" database, `revision --autogenerate` against the "before" one,
# upgrade, the same catalog as "after", `check` clean, `downgrade -1`, the
# same catalog as "before" -- or, for a downgrade that cannot restore a
# step, the reason in the file, on stderr at generation, and a refusal
# before anything runs (exit 2, file:line:col) unless --force-irreversible.
#  1. columns retyped from one enum to another (arrays, domains over enums,
#     defaults naming the old type): converted through text;
#  2. a column an INHERITS parent drops while the child keeps it: ALTER
#     TABLE ONLY, the child's copy kept with its data;
#  3. a partitioned index that a partition's own primary key is attached to,
#     undone: the partition detached around the index's drop;
#  4. irreversible downgrades: an extension with no update path back, enum
#     values removed again, a column narrowed back.
. "$(dirname "$0")/lib.sh"

# pair NAME OLD_SQL NEW_SQL: $DB built from OLD_SQL (and ${NAME}ref, a copy),
# models dumped from a database built from NEW_SQL, a revision generated
# (its file: $REV; stderr of the generation: $GEN_ERR), upgraded, compared,
# check run.
pair() {
	DB=$(new_db "$1") REF=$(new_db "${1}ref") NEW=$(new_db "${1}new")
	for _d in "$DB:$2" "$REF:$2" "$NEW:$3"; do
		psql -X -q -v ON_ERROR_STOP=1 -d "${_d%%:*}" -c "${_d#*:}" >/dev/null ||
			BAIL_OUT "cannot load $1"
	done
	export DATABASE_URL="$(conninfo "$DB")"
	rm -rf "$P" && mkdir -p "$P/schema" "$P/migrations" && cd "$P" || BAIL_OUT "no project"
	run dump --url "$(conninfo "$NEW")" -o schema
	is_rc 0 "$1: dump" || diag "$ERR"
	run revision --autogenerate -m "$1"
	is_rc 0 "$1: autogenerate" || diag "$ERR"
	GEN_ERR=$ERR
	REV=$(ls migrations/*.sql | head -n 1)
	run upgrade head
	is_rc 0 "$1: upgrade" || diag "$ERR" "$(cat "$REV")"
	same_schema "$1: upgraded as the new schema" "$DB" "$NEW"
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"$1: check is clean"
}

# ---- 1. enum to enum ----

pair enum "CREATE SCHEMA other;
CREATE TYPE other.enum1 AS ENUM ('a', 'b');
CREATE TYPE other.enum2 AS ENUM ('a', 'b');
CREATE DOMAIN other.d1 AS other.enum1;
CREATE DOMAIN other.d2 AS other.enum2;
CREATE TABLE other.t (c other.enum1 DEFAULT 'a', arr other.enum1[] DEFAULT '{a}', d other.d1);
INSERT INTO other.t VALUES ('b', '{a,b}', 'b');" "CREATE SCHEMA other;
CREATE TYPE other.enum1 AS ENUM ('a', 'b');
CREATE TYPE other.enum2 AS ENUM ('a', 'b');
CREATE DOMAIN other.d1 AS other.enum1;
CREATE DOMAIN other.d2 AS other.enum2;
CREATE TABLE other.t (c other.enum2 DEFAULT 'a', arr other.enum2[] DEFAULT '{a}', d other.d2);
INSERT INTO other.t VALUES ('b', '{a,b}', 'b');"
like "$(cat "$REV")" '^    ALTER COLUMN c TYPE other\.enum2 USING c::text::other\.enum2,$' \
	"enum: through text"
like "$(cat "$REV")" '^    ALTER COLUMN arr TYPE other\.enum2\[\] USING arr::text\[\]::other\.enum2\[\],$' \
	"enum: arrays through text[]"
like "$(cat "$REV")" '^    ALTER COLUMN d TYPE other\.d2 USING d::text::other\.d2;$' \
	"enum: domains over enums through text"
is "$(q "SELECT c, arr, d FROM other.t")" "b|{a,b}|b" "enum: the values kept"
run downgrade -1
is_rc 0 "enum: downgrade" || diag "$ERR"
same_schema "enum: downgraded as the old schema" "$DB" "$REF"
is "$(q "SELECT c, arr, d, pg_typeof(c) FROM other.t")" "b|{a,b}|b|other.enum1" \
	"enum: the values kept back"

# ---- 2. a column the parent drops and the child keeps ----

pair inherit "CREATE TABLE parent (id int, c text);
CREATE TABLE child (x int) INHERITS (parent);
INSERT INTO child VALUES (1, 'kept', 2);" "CREATE TABLE parent (id int);
CREATE TABLE child (c text, x int) INHERITS (parent);
INSERT INTO child VALUES (1, 'kept', 2);"
like "$(cat "$REV")" '^ALTER TABLE ONLY public\.parent DROP COLUMN c;$' "inherit: ONLY the parent's"
is "$(q "SELECT c, attislocal, attinhcount FROM child, pg_attribute WHERE attrelid = 'child'::regclass AND attname = 'c'")" \
	"kept|t|0" "inherit: the child's column kept, its own, with its data"
run downgrade -1
is_rc 0 "inherit: downgrade" || diag "$ERR"
# PostgreSQL merges the parent's column with the child's: the child's stays
# its own too (attislocal), which pg_dump shows and the catalog does not
"$CATALOG_DIFF" "$(conninfo "$DB")" "$(conninfo "$REF")" >"$T/cd" 2>&1
is "$?:$(cat "$T/cd")" "0:" "inherit: downgraded as the old schema (catalog)"
is "$(q "SELECT p.c, c.c, a.attinhcount FROM parent p, child c, pg_attribute a WHERE a.attrelid = 'child'::regclass AND a.attname = 'c'")" \
	"kept|kept|1" "inherit: the column inherited again, the data kept"
run upgrade head
is_rc 0 "inherit: upgraded again" || diag "$ERR"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"inherit: check is clean again"

# ---- 3. a partitioned index that a partition's own key is attached to ----

pair pidx "CREATE TABLE m (id int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100);
ALTER TABLE m1 ADD CONSTRAINT m1_pkey PRIMARY KEY (id);" "CREATE TABLE m (id int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100);
ALTER TABLE m1 ADD CONSTRAINT m1_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX m_id_idx ON m (id);"
is "$(sed -n '/^-- +downgrade/,$p' "$REV" | grep -E '^(ALTER|DROP)' | sed 's/ .*PARTITION/ ... PARTITION/')" \
	"ALTER ... PARTITION public.m1;
ALTER TABLE public.m1 DROP CONSTRAINT m1_pkey;
DROP INDEX public.m_id_idx;
ALTER TABLE public.m1 ADD CONSTRAINT m1_pkey PRIMARY KEY (id);
ALTER ... PARTITION public.m1 FOR VALUES FROM (0) TO (100);" \
	"pidx: the downgrade detaches the partition around the parent index's drop"
run downgrade -1
is_rc 0 "pidx: downgrade" || diag "$ERR"
same_schema "pidx: downgraded as the old schema" "$DB" "$REF"

# ---- 4. irreversible downgrades ----

pair narrow "CREATE TABLE t (a varchar(10), b int);" "CREATE TABLE t (a varchar(100), b bigint);"
like "$GEN_ERR" '^irreversible downgrade: column public\.t\.a is narrowed from character varying\(100\) back to character varying\(10\), which values written since the upgrade may not fit$' \
	"narrow: said at generation"
like "$(cat "$REV")" '^-- irreversible: column public\.t\.b is narrowed from bigint back to integer, which values written since the upgrade may not fit$' \
	"narrow: said in the downgrade section"
line=$(grep -n '^    ALTER COLUMN a TYPE character varying(10);' "$REV" | cut -d: -f1)
line=$((line - 1))
q "INSERT INTO t VALUES ('much longer than ten', 3000000000)"
snap_db "$DB" >"$T/before"
run downgrade -1
is "$RC" 2 "narrow: downgrade refused"
like "$ERR" "^$REV:$line:1: error: the downgrade of revision [0-9a-f]* cannot restore this step: column public\\.t\\.a is narrowed" \
	"narrow: at the step, with the reason"
like "$ERR" '^  hint: nothing was run; `--force-irreversible` runs the downgrade anyway' "narrow: the hint"
snap_db "$DB" >"$T/after"
is_file "$T/after" "$T/before" "narrow: nothing touched"
run downgrade -1 --force-irreversible
is "$RC" 2 "narrow: forced, PostgreSQL refuses the data"
like "$ERR" 'value too long for type character varying\(10\)' "narrow: with its message"
q "DELETE FROM t"
run downgrade -1 --force-irreversible
is_rc 0 "narrow: forced, with data that fits, the downgrade runs" || diag "$ERR"
same_schema "narrow: downgraded as the old schema" "$DB" "$REF"
run upgrade head --force-irreversible
is "$RC" 2 "--force-irreversible is for downgrade"

pair enumadd "CREATE TYPE e AS ENUM ('a', 'b'); CREATE TABLE te (c e);" \
	"CREATE TYPE e AS ENUM ('a', 'b', 'c'); CREATE TABLE te (c e);"
is "$GEN_ERR" "irreversible downgrade: PostgreSQL cannot remove values from an enum: type public.e is made again without 'c', which rows written since the upgrade may hold" \
	"enum values: said at generation"
like "$(cat "$REV")" "^-- irreversible: PostgreSQL cannot remove values from an enum: type public.e is made again without 'c'" \
	"enum values: said in the downgrade section"
run downgrade -1
is "$RC" 2 "enum values: downgrade refused"
run downgrade -1 --force-irreversible
is_rc 0 "enum values: forced, without rows holding 'c'" || diag "$ERR"
same_schema "enum values: downgraded as the old schema" "$DB" "$REF"

pair widen "CREATE TABLE w (a varchar(100), n numeric(14,2));" "CREATE TABLE w (a varchar(10), n numeric(12,2));"
unlike "$GEN_ERR" "^irreversible" "a narrowing upgrade: its downgrade is not irreversible"
like "$GEN_ERR" "^hazards: 2 data-loss, " "a narrowing upgrade: its data loss is a hazard"
run downgrade -1
is_rc 0 "a narrowing upgrade: downgrade" || diag "$ERR"

done_testing
