#!/bin/sh
# SPDX-License-Identifier: MIT
# t2700-renames.sh - `renamed_from` on views, materialized views, functions
# and procedures.  A declared rename is ALTER ... RENAME TO and nothing
# else (pinned): the materialized view keeps its rows without a REFRESH, a
# view over the renamed view, the grants and a trigger on the renamed
# trigger function keep working, since PostgreSQL tracks them by oid; one
# overload of a function is renamed and the other stays.  A rename together
# with a change of definition is the rename, then the change on the new
# name.  Once applied, `renamed_from` has no effect.  Each step: check is
# clean after upgrade; then every step is undone with `downgrade -1`, which
# renames back and gives the database of the step before (pg_dump).
. "$(dirname "$0")/lib.sh"

new_kind_project

# step DESC SQL EXPECTED MIGRATION < MODEL: as in t2100-views.sh.
step() {
	nsteps=$((nsteps + 1))
	cat >schema/model.yaml
	run revision --autogenerate -m "step $nsteps"
	if ! is_rc 0 "$1: autogenerate"; then
		diag "$ERR"
		return
	fi
	_rev=$(ls -t migrations/*.sql | head -n 1)
	cp "$_rev" "$T/step$nsteps.sql"
	is "$(sed -n '/^-- +upgrade$/,$p' "$_rev")" "$4" "$1: the migration"
	run upgrade head
	is_rc 0 "$1: upgrade" || diag "$ERR"
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"$1: check is clean"
	is "$(q "$2" 2>&1)" "$3" "$1: in the database"
	schema_dump "$DB" >"$T/snap$nsteps"
}

q "CREATE ROLE sg_t2700_reader" >/dev/null 2>&1

TABLES='tables:
  items:
    columns:
      id: {type: integer, nullable: false}
      price: {type: numeric, nullable: false}
      touched: boolean
    primary_key: [id]
    triggers:
      items_touch:
        timing: before
        events: [update]
        for_each: row
        function: TOUCH'

model() {
	# model VIEW MATVIEW TOUCH PLUS ARCHIVE [EXTRA LINES OF EACH]: PLUS is
	# the integer overload's name, a list item with the text one when it
	# is "plus"
	PLUS_INT="arguments: [a integer, b integer]
    returns: integer
    body: SELECT a + b${9:-}"
	PLUS_TEXT='arguments: [a text, b text]
    returns: text
    body: SELECT a || b'
	if [ "$4" = plus ]; then
		PLUS="  plus:
    - $(printf '%s\n' "$PLUS_INT" | sed '2,$s/^/  /')
    - $(printf '%s\n' "$PLUS_TEXT" | sed '2,$s/^/  /')"
	else
		PLUS="  $4:
    $PLUS_INT
  plus:
    $PLUS_TEXT"
	fi
	printf '%s\n' "$TABLES" | sed "s/TOUCH/$3/"
	cat <<EOF
views:
  $1:
    query: SELECT id, price FROM items WHERE price < 10
    grants: {sg_t2700_reader: [select]}${6:-}
  cheap_ids: SELECT id FROM $1
materialized_views:
  $2:
    query: SELECT count(*) AS n, sum(price) AS total FROM items${7:-}
functions:
  $3:
    returns: trigger
    language: plpgsql
    body: "BEGIN NEW.touched := true; RETURN NEW; END"${8:-}
$PLUS
procedures:
  $5:
    arguments: [n integer]
    body: SELECT n${10:-}
EOF
}

model cheap totals touch plus archive >"$T/model"
step "the objects" \
	"INSERT INTO items VALUES (1, 5), (2, 20); REFRESH MATERIALIZED VIEW totals; SELECT n, total FROM totals" \
	"2|25" "$(cat <<'EOF'
-- +upgrade
SET check_function_bodies = off;
CREATE OR REPLACE PROCEDURE public.archive(IN n integer)
 LANGUAGE sql
AS $procedure$SELECT n$procedure$;
CREATE OR REPLACE FUNCTION public.plus(a integer, b integer)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a + b$function$;
CREATE OR REPLACE FUNCTION public.plus(a text, b text)
 RETURNS text
 LANGUAGE sql
AS $function$SELECT a || b$function$;
CREATE OR REPLACE FUNCTION public.touch()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN NEW.touched := true; RETURN NEW; END$function$;
CREATE TABLE public.items (
    id integer NOT NULL,
    price numeric NOT NULL,
    touched boolean,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);
CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE VIEW public.cheap AS
 SELECT items.id,
    items.price
   FROM public.items
  WHERE (items.price < (10)::numeric);
GRANT SELECT ON TABLE public.cheap TO sg_t2700_reader;
CREATE VIEW public.cheap_ids AS
 SELECT cheap.id
   FROM public.cheap;
CREATE MATERIALIZED VIEW public.totals AS
 SELECT count(*) AS n,
    sum(items.price) AS total
   FROM public.items;

-- +downgrade
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap_ids: its reads and writes wait until the transaction ends
DROP VIEW public.cheap_ids;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
DROP VIEW public.cheap;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
DROP MATERIALIZED VIEW public.totals;
-- WARNING: drops table public.items and the data in it
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.items: its reads and writes wait until the transaction ends
-- hazard: data-loss: drops table public.items and the data in it
DROP TABLE public.items;
DROP PROCEDURE public.archive(integer);
DROP FUNCTION public.plus(integer, integer);
DROP FUNCTION public.plus(text, text);
DROP FUNCTION public.touch();
EOF
)" <"$T/model"

R='
    renamed_from'
model bargains item_totals touch_row add_ints archive_items \
	"$R: cheap" "$R: totals" "$R: touch" "$R: plus" "$R: archive" >"$T/model"
step "each kind renamed: the RENAME alone" \
	"SELECT n, total FROM item_totals; SELECT string_agg(id::text, ',') FROM cheap_ids; UPDATE items SET price = 4 WHERE id = 2; SELECT string_agg(id || ':' || touched, ',' ORDER BY id) FROM items; SELECT has_table_privilege('sg_t2700_reader', 'bargains', 'SELECT'), add_ints(1, 2), plus('a', 'b'); CALL archive_items(1)" \
	"2|25
1
2:true
t|3|ab" "$(cat <<'EOF'
-- +upgrade
ALTER FUNCTION public.plus(integer, integer) RENAME TO add_ints;
ALTER PROCEDURE public.archive(integer) RENAME TO archive_items;
ALTER FUNCTION public.touch() RENAME TO touch_row;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.cheap: its reads and writes wait until the transaction ends
ALTER VIEW public.cheap RENAME TO bargains;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.totals: its reads and writes wait until the transaction ends
ALTER MATERIALIZED VIEW public.totals RENAME TO item_totals;

-- +downgrade
ALTER PROCEDURE public.archive_items(integer) RENAME TO archive;
ALTER FUNCTION public.add_ints(integer, integer) RENAME TO plus;
ALTER FUNCTION public.touch_row() RENAME TO touch;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.bargains: its reads and writes wait until the transaction ends
ALTER VIEW public.bargains RENAME TO cheap;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.item_totals: its reads and writes wait until the transaction ends
ALTER MATERIALIZED VIEW public.item_totals RENAME TO totals;
EOF
)" <"$T/model"

# applied: the same models with renamed_from find nothing
run revision --autogenerate -m "nothing"
is "$RC:$OUT:$ERR" "0::No changes in schema detected; no revision written." \
	"renamed_from once applied: no effect"

model deals item_totals touch_row add_two archive_items "$R: bargains" "" "" "$R: add_ints
    comment: Adds, and ten" |
	sed -e 's/WHERE price < 10$/WHERE price < 100/' -e 's/body: SELECT a + b$/body: SELECT a + b + 10/' >"$T/model"
step "renamed and changed: the rename, then the change on the new name" \
	"SELECT string_agg(id::text, ',') FROM cheap_ids; SELECT add_two(1, 2), obj_description('add_two(integer,integer)'::regprocedure); SELECT has_table_privilege('sg_t2700_reader', 'deals', 'SELECT')" \
	"1,2
13|Adds, and ten
t" "$(cat <<'EOF'
-- +upgrade
ALTER FUNCTION public.add_ints(integer, integer) RENAME TO add_two;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.bargains: its reads and writes wait until the transaction ends
ALTER VIEW public.bargains RENAME TO deals;
SET check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.add_two(a integer, b integer)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a + b + 10$function$;
COMMENT ON FUNCTION public.add_two(integer, integer) IS 'Adds, and ten';
CREATE OR REPLACE VIEW public.deals AS
 SELECT items.id,
    items.price
   FROM public.items
  WHERE (items.price < (100)::numeric);

-- +downgrade
ALTER FUNCTION public.add_two(integer, integer) RENAME TO add_ints;
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.deals: its reads and writes wait until the transaction ends
ALTER VIEW public.deals RENAME TO bargains;
SET check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.add_ints(a integer, b integer)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a + b$function$;
COMMENT ON FUNCTION public.add_ints(integer, integer) IS NULL;
CREATE OR REPLACE VIEW public.bargains AS
 SELECT items.id,
    items.price
   FROM public.items
  WHERE (items.price < (10)::numeric);
EOF
)" <"$T/model"

# ---- downgrades: each step undone, renamed back ----

n=$nsteps
while [ "$n" -gt 0 ]; do
	n=$((n - 1))
	run downgrade -1
	is_rc 0 "undo step $((n + 1))" || diag "$ERR"
	if [ "$n" -gt 0 ]; then
		schema_dump "$DB" >"$T/now"
		is_file "$T/now" "$T/snap$n" "after undoing step $((n + 1)): the database of step $n"
	fi
done
is "$(q "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE 'schemagen%'")" \
	"0" "all undone"

q "DROP ROLE sg_t2700_reader" >/dev/null 2>&1
done_testing
