#!/bin/sh
# SPDX-License-Identifier: MIT
# t4110-event-triggers.sh - event triggers (issue 10), database-wide:
# created after their function with their tags, comment and enabled
# state; enabled state, comment and owner altered in place; tags changed
# (dropped and created again); renamed (renamed_from); dropped.  Each step
# by `revision --autogenerate` + `upgrade` with `check` clean and the exact
# SQL; then every step undone by `downgrade -1`, each time back to the
# database of the step before (pg_dump).  Load errors at their place.
. "$(dirname "$0")/lib.sh"

new_roles sg_evt_owner
# the owner of an event trigger must be a superuser
qdb postgres "ALTER ROLE sg_evt_owner SUPERUSER" >/dev/null
new_kind_project

step() {
	nsteps=$((nsteps + 1))
	{ echo "$FUNCS"; cat; } >schema/model.yaml
	migrate_step "$@" || return
	schema_dump "$DB" >"$T/snap$nsteps"
}
upgrade_sql() {
	sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' "$T/step$nsteps.sql" | sed '1d;$d' |
		sed '/^$/d'
}
downgrade_sql() {
	sed -n '/^-- +downgrade$/,$p' "$T/step$nsteps.sql" | sed '1d' | sed '/^$/d'
}

FUNCS='schema: audit
functions:
  log_ddl:
    returns: event_trigger
    language: plpgsql
    body: "BEGIN RAISE NOTICE '"'"'ddl'"'"'; END"
  log_drop:
    returns: event_trigger
    language: plpgsql
    body: "BEGIN RAISE NOTICE '"'"'drop'"'"'; END"'
EVT="SELECT string_agg(evtname || ' ' || evtevent || ' ' || evtenabled::text || ' ' || evtfoid::regproc::text || ' ' || coalesce(evttags::text, '-') || ' ' || evtowner::regrole::text || ' ' || coalesce(obj_description(oid, 'pg_event_trigger'), '-'), '; ' ORDER BY evtname) FROM pg_event_trigger"

step <<'EOF' "event triggers created" "$EVT" \
	"ddl_log ddl_command_end O audit.log_ddl {\"ALTER TABLE\",\"CREATE TABLE\"} postgres DDL log; drops sql_drop D audit.log_drop - postgres -"
event_triggers:
  ddl_log:
    event: ddl_command_end
    tags: [CREATE TABLE, ALTER TABLE]
    function: {schema: audit, name: log_ddl}
    comment: DDL log
  drops:
    event: sql_drop
    function: {schema: audit, name: log_drop}
    enabled: false
EOF
is "$(upgrade_sql | grep -i 'event trigger')" "CREATE EVENT TRIGGER ddl_log ON ddl_command_end WHEN TAG IN ('ALTER TABLE', 'CREATE TABLE') EXECUTE FUNCTION audit.log_ddl();
COMMENT ON EVENT TRIGGER ddl_log IS 'DDL log';
CREATE EVENT TRIGGER drops ON sql_drop EXECUTE FUNCTION audit.log_drop();
ALTER EVENT TRIGGER drops DISABLE;" "created after their functions, then disabled and commented"
is "$(downgrade_sql | grep -i 'event trigger')" "DROP EVENT TRIGGER ddl_log;
DROP EVENT TRIGGER drops;" "the downgrade drops them (before their functions)"
like "$(downgrade_sql | tr '\n' ' ')" 'DROP EVENT TRIGGER ddl_log;.*DROP FUNCTION audit.log_ddl' \
	"the event trigger goes before its function"

step <<'EOF' "enabled, comment and owner altered" "$EVT" \
	"ddl_log ddl_command_end A audit.log_ddl {\"ALTER TABLE\",\"CREATE TABLE\"} sg_evt_owner logs DDL; drops sql_drop R audit.log_drop - postgres -"
event_triggers:
  ddl_log:
    event: ddl_command_end
    tags: [CREATE TABLE, ALTER TABLE]
    function: {schema: audit, name: log_ddl}
    comment: logs DDL
    enabled: always
    owner: sg_evt_owner
  drops:
    event: sql_drop
    function: {schema: audit, name: log_drop}
    enabled: replica
EOF
is "$(upgrade_sql)" "ALTER EVENT TRIGGER ddl_log ENABLE ALWAYS;
COMMENT ON EVENT TRIGGER ddl_log IS 'logs DDL';
ALTER EVENT TRIGGER ddl_log OWNER TO sg_evt_owner;
ALTER EVENT TRIGGER drops ENABLE REPLICA;" "altered in place: the upgrade"
is "$(downgrade_sql)" "ALTER EVENT TRIGGER ddl_log ENABLE;
COMMENT ON EVENT TRIGGER ddl_log IS 'DDL log';
ALTER EVENT TRIGGER ddl_log OWNER TO postgres;
ALTER EVENT TRIGGER drops DISABLE;" "and back: the downgrade"

step <<'EOF' "tags changed: re-created" "$EVT" \
	"ddl_log ddl_command_end A audit.log_ddl {\"DROP TABLE\"} sg_evt_owner logs DDL; drops sql_drop R audit.log_drop - postgres -"
event_triggers:
  ddl_log:
    event: ddl_command_end
    tags: [DROP TABLE]
    function: {schema: audit, name: log_ddl}
    comment: logs DDL
    enabled: always
    owner: sg_evt_owner
  drops:
    event: sql_drop
    function: {schema: audit, name: log_drop}
    enabled: replica
EOF
is "$(upgrade_sql)" "DROP EVENT TRIGGER ddl_log;
CREATE EVENT TRIGGER ddl_log ON ddl_command_end WHEN TAG IN ('DROP TABLE') EXECUTE FUNCTION audit.log_ddl();
ALTER EVENT TRIGGER ddl_log ENABLE ALWAYS;
COMMENT ON EVENT TRIGGER ddl_log IS 'logs DDL';
ALTER EVENT TRIGGER ddl_log OWNER TO sg_evt_owner;" "tags: dropped and created again with the rest"

step <<'EOF' "renamed" "$EVT" \
	"ddl_log ddl_command_end A audit.log_ddl {\"DROP TABLE\"} sg_evt_owner logs DDL; on_drop sql_drop R audit.log_drop - postgres -"
event_triggers:
  ddl_log:
    event: ddl_command_end
    tags: [DROP TABLE]
    function: {schema: audit, name: log_ddl}
    comment: logs DDL
    enabled: always
    owner: sg_evt_owner
  on_drop:
    event: sql_drop
    function: {schema: audit, name: log_drop}
    enabled: replica
    renamed_from: drops
EOF
is "$(upgrade_sql)" "ALTER EVENT TRIGGER drops RENAME TO on_drop;" "renamed: the upgrade"
is "$(downgrade_sql)" "ALTER EVENT TRIGGER on_drop RENAME TO drops;" "renamed: the downgrade"

# ---- dump: database.yaml, and diff against it finds nothing ----
run dump --owners -o "$T/dumped"
is_rc 0 "dump" || diag "$ERR"
is "$(grep -v '^#' "$T/dumped/database.yaml")" "
event_triggers:
  ddl_log:
    event: ddl_command_end
    tags: [DROP TABLE]
    function: {schema: audit, name: log_ddl}
    enabled: always
    comment: logs DDL
    owner: sg_evt_owner
  on_drop:
    event: sql_drop
    function: {schema: audit, name: log_drop}
    enabled: replica
    owner: $(q "SELECT current_user")" "dump writes them into database.yaml"
mv schema "$T/models" && cp -r "$T/dumped" schema
run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff against the dumped models: nothing"
rm -r schema && mv "$T/models" schema

step "dropped" "$EVT" "" </dev/null
is "$(upgrade_sql)" "DROP EVENT TRIGGER ddl_log;
DROP EVENT TRIGGER on_drop;" "dropped: the upgrade"

# ---- load errors (the models of the last step kept aside) ----
cp schema/model.yaml "$T/good.yaml"
cat >schema/model.yaml <<'EOF'
schema: audit
event_triggers:
  a: {function: f}
  b: {event: ddl_command_stat, function: f}
  c: {event: sql_drop}
  d: {event: sql_drop, function: f, tags: CREATE TABLE}
  e: {event: sql_drop, function: f, enabled: sometimes}
  f: {event: sql_drop, function: {name: f, schem: x}}
  g: {event: sql_drop, function: f, renamed_from: g}
  h: [x]
EOF
run revision --autogenerate -m bad
is "$RC:$ERR" '2:schema/model.yaml:3:6: error: missing key "event" in event trigger "a"
schema/model.yaml:4:14: error: "event" must be ddl_command_start, ddl_command_end, sql_drop, table_rewrite or login, found "ddl_command_stat"
  hint: did you mean "ddl_command_start"?
schema/model.yaml:5:6: error: missing key "function" in event trigger "c"
schema/model.yaml:6:43: error: expected a list of command tags (such as CREATE TABLE), found "CREATE TABLE"
schema/model.yaml:7:46: error: "enabled" must be origin, disabled, replica or always, found "sometimes"
schema/model.yaml:8:44: error: unknown key "schem" in "function"
  hint: did you mean "schema"?
schema/model.yaml:9:51: error: event trigger "g" is renamed from itself
  hint: remove "renamed_from" once the rename has been applied
schema/model.yaml:10:6: error: expected a mapping {event:, function:, ...}, found a list' \
	"load errors at their places"

cp "$T/good.yaml" schema/model.yaml

# ---- every step undone ----
while [ "$nsteps" -gt 1 ]; do
	run downgrade -1
	is_rc 0 "downgrade of step $nsteps" || diag "$ERR"
	nsteps=$((nsteps - 1))
	schema_dump "$DB" >"$T/now"
	is_file "$T/now" "$T/snap$nsteps" "after the downgrade, the database of step $nsteps"
	run check
	is "$RC" 1 "check sees the models ahead of the database (step $nsteps)"
done

# ---- hostile names: quoted everywhere, check clean, undone ----
run upgrade head
cat >schema/model.yaml <<'EOF'
schema: "a\"b; --"
functions:
  "f\"x":
    returns: event_trigger
    language: plpgsql
    body: "BEGIN END"
event_triggers:
  "evt \"q\"; DROP TABLE x; --\nline":
    event: sql_drop
    tags: ["DROP TABLE'); --"]
    function: {schema: "a\"b; --", name: "f\"x"}
    comment: "it's \"odd\"\n-- x"
EOF
run revision --autogenerate -m hostile
like "$RC:$ERR" "^2:schema/model.yaml:8:3: error: filter value \"DROP TABLE'); --\" not recognized for filter variable \"tag\"" \
	"a tag is a literal: PostgreSQL refuses the unknown one, at the event trigger"
sed -i "s/DROP TABLE'); --/DROP TABLE/" schema/model.yaml
run revision --autogenerate -m hostile
is_rc 0 "hostile names: autogenerate" || diag "$ERR"
run upgrade head
is_rc 0 "hostile names: upgrade" || diag "$ERR" "$(cat "$(ls -t migrations/*.sql | head -n 1)")"
is "$(q "SELECT evtname || '|' || evttags::text || '|' || evtfoid::regproc::text || '|' || obj_description(oid, 'pg_event_trigger') FROM pg_event_trigger")" \
	'evt "q"; DROP TABLE x; --
line|{"DROP TABLE"}|"a""b; --"."f""x"|it'"'"'s "odd"
-- x' "hostile names: the event trigger as named"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"hostile names: check is clean"
run downgrade -1
is "$RC:$(q "SELECT count(*) FROM pg_event_trigger")" "0:0" "hostile names: downgraded"

done_testing
