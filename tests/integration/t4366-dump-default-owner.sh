#!/bin/sh
# SPDX-License-Identifier: MIT
# t4366-dump-default-owner.sh - dump --owners into the project's schema
# folder (issue 10): the owner most objects have is written once, as
# default_owner in schemagen.yaml (a name YAML must quote, quoted), and
# `owner:` only where another role owns the object; the models then match
# the database; a second dump keeps the configured default_owner; -o
# another folder writes every owner.
. "$(dirname "$0")/lib.sh"

new_roles '"sg_od: a"' sg_od_b
new_kind_project
q 'CREATE SCHEMA od AUTHORIZATION "sg_od: a";
CREATE TABLE od.t (id int); ALTER TABLE od.t OWNER TO "sg_od: a";
CREATE TABLE od.u (id int); ALTER TABLE od.u OWNER TO sg_od_b;
CREATE VIEW od.v AS SELECT id FROM od.t; ALTER VIEW od.v OWNER TO "sg_od: a";
CREATE SEQUENCE od.s; ALTER SEQUENCE od.s OWNER TO "sg_od: a"'

run dump --owners
is_rc 0 "dump --owners into the project" || diag "$ERR"
like "$OUT" "Wrote default_owner: sg_od: a to .*schemagen.yaml" "it says so"
is "$(grep owner schemagen.yaml)" "default_owner: 'sg_od: a'" "default_owner written once, quoted"
is "$(grep 'owner' schema/od.yaml)" "    owner: sg_od_b" "owner: only where another role owns the object"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the models and default_owner match the database"

run dump --owners --force
is_rc 0 "dump --owners again" || diag "$ERR"
is "$(grep -c owner schemagen.yaml)" 1 "the configured default_owner is kept, not written twice"
is "$(grep 'owner' schema/od.yaml)" "    owner: sg_od_b" "and left out of the models"

run dump --owners -o "$T/elsewhere"
is_rc 0 "dump --owners -o another folder" || diag "$ERR"
is "$(grep -c 'owner:' "$T/elsewhere/od.yaml")" 5 "elsewhere, every owner is written"

done_testing
