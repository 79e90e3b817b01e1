#!/bin/sh
# SPDX-License-Identifier: MIT
# t4445-seq-narrow.sh - narrowed sequence bounds (corpus case "alter all
# identity properties", new -> old): PostgreSQL checks the sequence's
# current value against a lowered MAXVALUE / raised MINVALUE.  A sequence
# never used holds its old START: when that lies outside the new bounds,
# the migration first moves it (only while unused: setval ... WHERE
# pg_sequence_last_value IS NULL), for identity columns and sequences,
# and sets the new START after when it lay outside the old bounds; the
# ALTER carries a may-fail hazard (a used sequence must lie within the
# bounds: no silent RESTART).  Applies, hands out the new START, check
# clean, downgrade restores.
. "$(dirname "$0")/lib.sh"

new_kind_project
KIND_FILE=public.yaml
kind_step "wide" "SELECT 1" "1" <<'YAML'
tables:
  foobar:
    columns:
      ident: {type: bigint, identity: {generated: by default, min: 1, max: 90, start: 30, increment: 40, cache: 50, cycle: true}}
sequences:
  s1: {min: 1, max: 90, start: 30}
  s2: {min: 1, max: 90, start: 30}
YAML
kind_step "narrowed" "INSERT INTO foobar DEFAULT VALUES RETURNING ident;
SELECT nextval('s1'), last_value, pg_sequence_last_value('s2') IS NULL FROM s2" "3
3|150|t" <<'YAML'
tables:
  foobar:
    columns:
      ident: {type: bigint, identity: {generated: always, min: 2, max: 9, start: 3, increment: 4, cache: 5}}
sequences:
  s1: {min: 2, max: 9, start: 3}
  s2: {min: 50, max: 200, start: 150}
YAML
cat >"$T/want" <<'SQL'
SELECT pg_catalog.setval('public.s1'::pg_catalog.regclass, 3, false) WHERE pg_catalog.pg_sequence_last_value('public.s1'::pg_catalog.regclass) IS NULL;
-- hazard: may-fail: the current value of sequence public.s1 must lie within its new bounds 2..9, or PostgreSQL refuses the change (a RESTART would hand out numbers already used)
ALTER SEQUENCE public.s1 MINVALUE 2 MAXVALUE 9 START WITH 3;
SELECT pg_catalog.setval('public.s2'::pg_catalog.regclass, 90, false) WHERE pg_catalog.pg_sequence_last_value('public.s2'::pg_catalog.regclass) IS NULL;
-- hazard: may-fail: the current value of sequence public.s2 must lie within its new bounds 50..200, or PostgreSQL refuses the change (a RESTART would hand out numbers already used)
ALTER SEQUENCE public.s2 MINVALUE 50 MAXVALUE 200 START WITH 150;
SELECT pg_catalog.setval('public.s2'::pg_catalog.regclass, 150, false) WHERE pg_catalog.pg_sequence_last_value('public.s2'::pg_catalog.regclass) IS NULL;
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.foobar', 'ident')::pg_catalog.regclass, 3, false) WHERE pg_catalog.pg_sequence_last_value(pg_catalog.pg_get_serial_sequence('public.foobar', 'ident')::pg_catalog.regclass) IS NULL;
-- hazard: may-fail: the current value of the identity sequence of column public.foobar.ident must lie within its new bounds 2..9, or PostgreSQL refuses the change (a RESTART would hand out numbers already used)
-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on public.foobar: its reads and writes wait until the transaction ends
ALTER TABLE public.foobar
    ALTER COLUMN ident SET GENERATED ALWAYS,
    ALTER COLUMN ident SET INCREMENT BY 4 SET MINVALUE 2 SET MAXVALUE 9 SET START WITH 3 SET CACHE 5 SET NO CYCLE;
SQL
step_up >"$T/got"
is_file "$T/got" "$T/want" "unused sequences moved into the new bounds first (s2: START after, outside the old bounds), the ALTERs marked may-fail"
# the downgrade widens s1 and the identity (no setval) and narrows s2 again
is "$(step_down | grep -c 'setval')" 2 "the downgrade moves unused s2 back the same way"
undo_steps
done_testing
