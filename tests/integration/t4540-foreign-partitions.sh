#!/bin/sh
# SPDX-License-Identifier: MIT
# t4540-foreign-partitions.sh - foreign tables as partitions (partition_of,
# bounds) and INHERITS children (inherits), and the triggers and statistics
# objects of foreign tables (issue 10), on a wrapper without a handler:
# created (PARTITION OF ... FOR VALUES ... SERVER, INHERITS (...) SERVER,
# a parent's column's default and OPTIONS of their own, a clone of the
# parent's row trigger left to PostgreSQL), altered (bounds: detach and
# attach; options, column options, a trigger, a statistics object; NO
# INHERIT), swapped (a partition becomes a foreign table of its own, a
# foreign table becomes a partition, INHERIT again), dropped; `check`
# clean after each step (with a table that inherits from a foreign table
# throughout); downgraded step by step; dumped (the dump's
# models match the database); load errors at their line (a parent's
# unique key, triggers PostgreSQL refuses on a foreign table, `server:`
# under a table's partitions:, TRUNCATE triggers before PostgreSQL 16).
. "$(dirname "$0")/lib.sh"

new_kind_project
KIND_FILE=public.yaml

# the state: foreign tables with their parents, columns, triggers (clones
# marked) and statistics objects
OPTS="(SELECT coalesce(string_agg(o, ',' ORDER BY o), '') FROM unnest(%s) o)"
FT="SELECT string_agg(x, E'\n' ORDER BY x COLLATE \"C\") FROM (
  SELECT 'ft ' || c.oid::regclass || ' server=' || s.srvname
    || ' options=' || $(printf "$OPTS" ft.ftoptions)
    || coalesce(' partition of ' || (SELECT i.inhparent::regclass::text FROM pg_inherits i
         WHERE i.inhrelid = c.oid AND c.relispartition) || ' ' || pg_get_expr(c.relpartbound, c.oid), '')
    || coalesce(' inherits ' || (SELECT string_agg(i.inhparent::regclass::text, ',' ORDER BY i.inhseqno)
         FROM pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition), '')
    || coalesce(' checks=' || (SELECT string_agg(conname || CASE WHEN conislocal THEN '' ELSE '(inherited)' END, ',' ORDER BY conname)
         FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c'), '') AS x
  FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
  JOIN pg_foreign_server s ON s.oid = ft.ftserver
  UNION ALL SELECT '  ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    || CASE WHEN a.attislocal THEN '' ELSE ' (inherited)' END
    || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    || ' options=' || $(printf "$OPTS" a.attfdwoptions)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'f'
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT '  trigger ' || CASE WHEN g.tgparentid <> 0 THEN '(clone) ' ELSE '' END
    || pg_get_triggerdef(g.oid) || ' enabled=' || g.tgenabled::text
  FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid AND c.relkind = 'f'
  UNION ALL SELECT '  ' || pg_get_statisticsobjdef(s.oid)
    || ' target=' || coalesce(s.stxstattarget, -1)
  FROM pg_statistic_ext s JOIN pg_class c ON c.oid = s.stxrelid AND c.relkind = 'f') s"

cat >schema/database.yaml <<'EOF'
foreign_data_wrappers:
  w: {}
servers:
  s1: {wrapper: w}
EOF
HEAD='schema: public
functions:
  stamp:
    returns: trigger
    language: plpgsql
    body: BEGIN RETURN NEW; END
tables:
  events:
    partition_by: RANGE (id)
    columns: {id: {type: integer, nullable: false}, body: text}
    checks: [{name: id_ok, expression: id >= 0}]
    indexes: [{name: events_body, columns: [body]}]
    triggers:
      ev_row: {timing: after, events: [insert], for_each: row, function: stamp}
    partitions:
      events_new: {bounds: FOR VALUES FROM (100) TO (200)}
  vehicles:
    columns: {id: bigint, wheels: integer}
    checks: [{name: wheels_ok, expression: wheels >= 0}]'

# vans: an INHERITS child with only a parent's column's default of its own
VANS='  vans:
    server: s1
    inherits: [vehicles]
    columns:
      wheels: {default: "4"}'

# a table that inherits from a foreign table
LOCAL='  local_trucks:
    inherits: [trucks]
    columns: {cargo: text}'

# ---- created ----
kind_step "created" "$FT" \
"  CREATE STATISTICS public.events_old_st ON id, body FROM events_old target=-1
  CREATE STATISTICS public.trucks_st (ndistinct) ON wheels, payload FROM trucks target=-1
  archive.body text options=
  archive.id integer options=
  events_old.body text (inherited) default 'x'::text options=column_name=b
  events_old.id integer (inherited) options=
  trigger (clone) CREATE TRIGGER ev_row AFTER INSERT ON public.events_old FOR EACH ROW EXECUTE FUNCTION stamp() enabled=O
  trigger CREATE TRIGGER audit BEFORE INSERT OR UPDATE ON public.events_old FOR EACH ROW EXECUTE FUNCTION stamp() enabled=O
  trigger CREATE TRIGGER t_stmt AFTER DELETE ON public.trucks FOR EACH STATEMENT EXECUTE FUNCTION stamp() enabled=O
  trucks.id bigint options=
  trucks.payload integer options=
  trucks.wheels integer default 6 options=
  vans.id bigint (inherited) options=
  vans.wheels integer (inherited) default 4 options=
ft archive server=s1 options=
ft events_old server=s1 options=table_name=events_2024 partition of events FOR VALUES FROM (0) TO (100) checks=id_ok(inherited)
ft trucks server=s1 options= inherits vehicles checks=wheels_ok
ft vans server=s1 options= inherits vehicles checks=wheels_ok(inherited)" <<EOF
$HEAD
$LOCAL
foreign_tables:
  events_old:
    server: s1
    partition_of: events
    bounds: FOR VALUES FROM (0) TO (100)
    options: {table_name: events_2024}
    columns:
      body: {default: "'x'", options: {column_name: b}}
    triggers:
      audit: {timing: before, events: [insert, update], for_each: row, function: stamp}
    statistics:
      events_old_st: {columns: [id, body]}
  archive:
    server: s1
    columns: {id: integer, body: text}
  trucks:
    server: s1
    inherits: [vehicles]
    columns:
      id: bigint
      wheels: {type: integer, default: "6"}
      payload: integer
    checks: [{name: wheels_ok, expression: wheels >= 0}]
    triggers:
      t_stmt: {timing: after, events: [delete], function: stamp}
    statistics:
      trucks_st: {kinds: [ndistinct], columns: [wheels, payload]}
$VANS
EOF
is "$(step_up | grep -v -e '^--' -e '^SET ' | sed -n '/^CREATE FOREIGN TABLE/,$p')" \
"CREATE FOREIGN TABLE public.archive (
    id integer,
    body text
) SERVER s1;
CREATE TABLE public.events (
    id integer NOT NULL,
    body text,
    CONSTRAINT id_ok CHECK ((id >= 0))
) PARTITION BY RANGE (id);
CREATE FOREIGN TABLE public.events_old PARTITION OF public.events (
    body WITH OPTIONS DEFAULT 'x'::text
) FOR VALUES FROM (0) TO (100) SERVER s1 OPTIONS (table_name 'events_2024');
ALTER FOREIGN TABLE public.events_old ALTER COLUMN body OPTIONS (ADD column_name 'b');
CREATE TRIGGER audit BEFORE INSERT OR UPDATE ON public.events_old FOR EACH ROW EXECUTE FUNCTION public.stamp();
CREATE STATISTICS public.events_old_st ON id, body FROM public.events_old;
CREATE INDEX events_body ON public.events USING btree (body);
CREATE TRIGGER ev_row AFTER INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION public.stamp();
CREATE TABLE public.events_new PARTITION OF public.events FOR VALUES FROM (100) TO (200);
CREATE TABLE public.vehicles (
    id bigint,
    wheels integer,
    CONSTRAINT wheels_ok CHECK ((wheels >= 0))
);
CREATE FOREIGN TABLE public.trucks (
    id bigint,
    wheels integer DEFAULT 6,
    payload integer,
    CONSTRAINT wheels_ok CHECK ((wheels >= 0))
) INHERITS (public.vehicles) SERVER s1;
CREATE TRIGGER t_stmt AFTER DELETE ON public.trucks FOR EACH STATEMENT EXECUTE FUNCTION public.stamp();
CREATE STATISTICS public.trucks_st (ndistinct) ON wheels, payload FROM public.trucks;
CREATE FOREIGN TABLE public.vans () INHERITS (public.vehicles) SERVER s1;
ALTER FOREIGN TABLE public.vans ALTER COLUMN wheels SET DEFAULT 4;
CREATE TABLE public.local_trucks (
    cargo text
) INHERITS (public.trucks);" \
	"PARTITION OF ... FOR VALUES ... SERVER, INHERITS (...) SERVER, after their server and parents; what a parent's column sets of its own after; the parent's row trigger cloned by PostgreSQL"
like "$(step_down | tr '\n' ' ')" "DROP FOREIGN TABLE public.events_old;.*DROP TABLE public.events;" "downgrade: the foreign partition dropped before its parent"
dump_matches foreign_tables "foreign partitions, INHERITS children, their triggers and statistics"
like "$(cat "$T/dump/public.yaml")" "partition_of: events" "the dump declares the foreign partition under foreign_tables: with partition_of"

# ---- altered: bounds (detached and attached), options, a column's
# options and default, a trigger, statistics; trucks leaves vehicles ----
kind_step "altered" "$FT" \
"  CREATE STATISTICS public.events_old_st (ndistinct) ON id, body FROM events_old target=200
  CREATE STATISTICS public.trucks_st (ndistinct) ON wheels, payload FROM trucks target=-1
  archive.body text options=
  archive.id integer options=
  events_old.body text (inherited) options=column_name=bb
  events_old.id integer (inherited) options=
  trigger (clone) CREATE TRIGGER ev_row AFTER INSERT ON public.events_old FOR EACH ROW EXECUTE FUNCTION stamp() enabled=O
  trigger CREATE TRIGGER audit BEFORE INSERT ON public.events_old FOR EACH ROW EXECUTE FUNCTION stamp() enabled=D
  trigger CREATE TRIGGER t_stmt AFTER DELETE ON public.trucks FOR EACH STATEMENT EXECUTE FUNCTION stamp() enabled=O
  trucks.id bigint options=
  trucks.payload integer options=
  trucks.wheels integer default 6 options=
  vans.id bigint (inherited) options=
  vans.wheels integer (inherited) default 4 options=
ft archive server=s1 options=
ft events_old server=s1 options=table_name=events_2025 partition of events FOR VALUES FROM (0) TO (50) checks=id_ok(inherited)
ft trucks server=s1 options= checks=wheels_ok
ft vans server=s1 options= inherits vehicles checks=wheels_ok(inherited)" <<EOF
$HEAD
$LOCAL
foreign_tables:
  events_old:
    server: s1
    partition_of: events
    bounds: FOR VALUES FROM (0) TO (50)
    options: {table_name: events_2025}
    columns:
      body: {options: {column_name: bb}}
    triggers:
      audit: {timing: before, events: [insert], for_each: row, function: stamp, enabled: false}
    statistics:
      events_old_st: {kinds: [ndistinct], columns: [id, body], target: 200}
  archive:
    server: s1
    columns: {id: integer, body: text}
  trucks:
    server: s1
    columns:
      id: bigint
      wheels: {type: integer, default: "6"}
      payload: integer
    checks: [{name: wheels_ok, expression: wheels >= 0}]
    triggers:
      t_stmt: {timing: after, events: [delete], function: stamp}
    statistics:
      trucks_st: {kinds: [ndistinct], columns: [wheels, payload]}
$VANS
EOF
is "$(step_up | grep -v -e '^--' -e '^SET ')" \
"ALTER TABLE public.events DETACH PARTITION public.events_old;
DROP STATISTICS public.events_old_st;
DROP TRIGGER audit ON public.events_old;
ALTER FOREIGN TABLE public.events_old OPTIONS (SET table_name 'events_2025');
ALTER FOREIGN TABLE public.events_old
    ALTER COLUMN body DROP DEFAULT,
    ALTER COLUMN body OPTIONS (SET column_name 'bb');
ALTER TABLE public.trucks NO INHERIT public.vehicles;
CREATE TRIGGER audit BEFORE INSERT ON public.events_old FOR EACH ROW EXECUTE FUNCTION public.stamp();
ALTER FOREIGN TABLE public.events_old DISABLE TRIGGER audit;
CREATE STATISTICS public.events_old_st (ndistinct) ON id, body FROM public.events_old;
ALTER STATISTICS public.events_old_st SET STATISTICS 200;
ALTER TABLE public.events ATTACH PARTITION public.events_old FOR VALUES FROM (0) TO (50);" \
	"bounds changed: detached and attached again; options, a trigger, statistics; NO INHERIT"
is "$(step_down | grep -v -e '^--' -e '^SET ')" \
"ALTER TABLE public.events DETACH PARTITION public.events_old;
DROP STATISTICS public.events_old_st;
DROP TRIGGER audit ON public.events_old;
ALTER FOREIGN TABLE public.events_old OPTIONS (SET table_name 'events_2024');
ALTER FOREIGN TABLE public.events_old
    ALTER COLUMN body SET DEFAULT 'x'::text,
    ALTER COLUMN body OPTIONS (SET column_name 'b');
ALTER TABLE public.trucks INHERIT public.vehicles;
CREATE TRIGGER audit BEFORE INSERT OR UPDATE ON public.events_old FOR EACH ROW EXECUTE FUNCTION public.stamp();
CREATE STATISTICS public.events_old_st ON id, body FROM public.events_old;
ALTER TABLE public.events ATTACH PARTITION public.events_old FOR VALUES FROM (0) TO (100);" \
	"... and back: INHERIT again, the old bounds"

# ---- swapped: events_old becomes a foreign table of its own, archive
# a partition; trucks inherits again ----
kind_step "swapped" "$FT" \
"  archive.body text (inherited) options=
  archive.id integer (inherited) options=
  events_old.body text options=column_name=bb
  events_old.id integer options=
  trigger (clone) CREATE TRIGGER ev_row AFTER INSERT ON public.archive FOR EACH ROW EXECUTE FUNCTION stamp() enabled=O
  trigger CREATE TRIGGER t_stmt AFTER DELETE ON public.trucks FOR EACH STATEMENT EXECUTE FUNCTION stamp() enabled=O
  trucks.id bigint options=
  trucks.payload integer options=
  trucks.wheels integer default 6 options=
  vans.id bigint (inherited) options=
  vans.wheels integer (inherited) default 4 options=
ft archive server=s1 options= partition of events FOR VALUES FROM (0) TO (100) checks=id_ok(inherited)
ft events_old server=s1 options=table_name=events_2025 checks=id_ok
ft trucks server=s1 options= inherits vehicles checks=wheels_ok
ft vans server=s1 options= inherits vehicles checks=wheels_ok(inherited)" <<EOF
$HEAD
$LOCAL
foreign_tables:
  events_old:
    server: s1
    options: {table_name: events_2025}
    columns:
      id: {type: integer, nullable: false}
      body: {type: text, options: {column_name: bb}}
    checks: [{name: id_ok, expression: id >= 0}]
  archive:
    server: s1
    partition_of: events
    bounds: FOR VALUES FROM (0) TO (100)
  trucks:
    server: s1
    inherits: [vehicles]
    columns:
      payload: integer
      wheels: {default: "6"}
    triggers:
      t_stmt: {timing: after, events: [delete], function: stamp}
$VANS
EOF
is "$(step_up | grep -v -e '^--' -e '^SET ')" \
"DROP STATISTICS public.trucks_st;
ALTER FOREIGN TABLE public.archive
    ALTER COLUMN id SET NOT NULL;
ALTER TABLE public.events DETACH PARTITION public.events_old;
DROP STATISTICS public.events_old_st;
DROP TRIGGER audit ON public.events_old;
ALTER TABLE public.trucks INHERIT public.vehicles;
ALTER FOREIGN TABLE public.archive ADD CONSTRAINT id_ok CHECK ((id >= 0));
ALTER TABLE public.events ATTACH PARTITION public.archive FOR VALUES FROM (0) TO (100);" \
	"a partition detached, a foreign table given the parent's NOT NULL and check and attached, INHERIT"
like "$(grep -A3 'ATTACH PARTITION public.archive' "$T/step3.sql" | head -4)" "^-- hazard: lock-access-exclusive: .* public.events:" "attaching a foreign table: no table-scan or may-fail hazard (PostgreSQL does not scan it)"
is "$(grep -B3 'ATTACH PARTITION public.archive' "$T/step3.sql" | grep -c -e table-scan -e may-fail)" 0 "... none"
rm -rf "$T/dump"
dump_matches foreign_tables "foreign tables after the swap"

# ---- dropped ----
kind_step "dropped" "$FT" "" <<EOF
$HEAD
EOF
is "$(step_up | grep -v -e '^--' -e '^SET ')" \
"DROP TABLE public.local_trucks;
DROP FOREIGN TABLE public.archive;
DROP FOREIGN TABLE public.events_old;
DROP FOREIGN TABLE public.trucks;
DROP FOREIGN TABLE public.vans;" "dropped: the foreign partition and the child"

undo_steps

# ---- load errors ----
cat >schema/public.yaml <<EOF
$HEAD
  keyed:
    partition_by: LIST (id)
    columns: {id: integer}
    primary_key: [id]
  plain:
    partition_by: LIST (id)
    columns: {id: integer}
    partitions:
      p1: {server: s1, bounds: "FOR VALUES IN (1)"}
foreign_tables:
  keyed_remote:
    server: s1
    partition_of: keyed
    bounds: FOR VALUES IN (1)
  stray:
    server: s1
    bounds: FOR VALUES IN (2)
    columns: {id: integer}
  not_parted:
    server: s1
    partition_of: vehicles
    bounds: FOR VALUES IN (3)
  bad_triggers:
    server: s1
    columns: {id: integer}
    triggers:
      c1: {timing: after, events: [insert], for_each: row, function: stamp, constraint: true}
      i1: {timing: instead of, events: [insert], for_each: row, function: stamp}
      r1: {timing: after, events: [insert], function: stamp, referencing: {new_table: nt}}
EOF
run diff
is "$RC" 2 "bad foreign partitions and triggers: exit 2"
is "$ERR" 'schema/public.yaml:28:12: error: partition "p1" of table "plain" has "server": a foreign partition is declared under "foreign_tables:"
  hint: foreign_tables: {p1: {server: ..., partition_of: plain, bounds: ...}}
schema/public.yaml:32:19: error: foreign table public.keyed_remote cannot be a partition of table public.keyed, which has primary key "keyed_pkey": an index cannot be made on a foreign table
  hint: PostgreSQL refuses both; keep the key on the partitions that are tables, or make this partition a table
schema/public.yaml:36:13: error: foreign table "stray" has "bounds" but no "partition_of"
  hint: a foreign partition names its parent: partition_of: measurements
schema/public.yaml:40:19: error: foreign table public.not_parted is a partition of table public.vehicles, which is not partitioned
  hint: add "partition_by" to table "vehicles"
schema/public.yaml:46:7: error: trigger "c1" of foreign table public.bad_triggers cannot be a constraint trigger: PostgreSQL refuses it on a foreign table
schema/public.yaml:47:7: error: trigger "i1" of foreign table public.bad_triggers cannot be an INSTEAD OF trigger: PostgreSQL refuses it on a foreign table
schema/public.yaml:48:7: error: trigger "r1" of foreign table public.bad_triggers cannot be a trigger with transition tables (referencing): PostgreSQL refuses it on a foreign table' "each error at its line and column"

# a TRUNCATE trigger of a foreign table: PostgreSQL 16 and later
cat >schema/public.yaml <<EOF
$HEAD
foreign_tables:
  tt:
    server: s1
    columns: {id: integer}
    triggers:
      t1: {timing: after, events: [truncate], function: stamp}
EOF
run diff
if [ "$(server_version_num)" -lt 160000 ]; then
	is "$RC:$ERR" "2:schema/public.yaml:25:7: error: a TRUNCATE trigger of a foreign table needs PostgreSQL 16 (the server is $(($(server_version_num) / 10000)))" \
		"a TRUNCATE trigger of a foreign table before 16: refused at its place"
else
	like "$OUT" "CREATE TRIGGER t1 AFTER TRUNCATE ON public.tt FOR EACH STATEMENT" \
		"a TRUNCATE trigger of a foreign table on 16 and later"
fi
done_testing
