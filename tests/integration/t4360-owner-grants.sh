#!/bin/sh
# SPDX-License-Identifier: MIT
# t4360-owner-grants.sh - owners and grants changed in one step (issue
# 10): ALTER ... OWNER TO rewrites the ACL (the old owner's entries become
# the new owner's, a grant to the new owner merges into its rights), so
# grants are emitted after the owner change, on every kind with both
# (schema, table and its column, an owned sequence, view, sequence,
# function, enum, wrapper, server, language).  Scenarios: a grant to the
# new owner and to the old owner with the change to it, grants by the old
# owner carried over, an owner changed from X to Y with grants to both;
# each upgraded, checked clean, downgraded and checked clean against the
# previous models.
. "$(dirname "$0")/lib.sh"

new_roles sg_og_a sg_og_x sg_og_y sg_og_z
# a wrapper's owner must be a superuser
for r in sg_og_a sg_og_x sg_og_y; do qdb postgres "ALTER ROLE $r SUPERUSER" >/dev/null; done
new_kind_project

# model OWNER GRANTEE...: every kind owned by OWNER, granted to each GRANTEE
model() {
	_own=$1
	shift
	g() {
		_g=""
		for _r in $ROLES; do
			_g="$_g${_g:+, }$_r: [$1]"
		done
		echo "{$_g}"
	}
	ROLES="$*"
	cat >schema/og.yaml <<EOF
schema: og
owner: $_own
grants: $(g usage)
enums:
  e: {values: [a], owner: $_own, grants: $(g usage)}
sequences:
  q: {owner: $_own, grants: $(g usage)}
  tq: {owned_by: t.id, grants: $(g usage)}
tables:
  t:
    owner: $_own
    columns:
      id: {type: int}
      n: {type: int, grants: $(g update)}
    grants: $(g select)
views:
  v: {query: SELECT id FROM og.t, owner: $_own, grants: $(g select)}
functions:
  f: {returns: int, language: sql, body: SELECT 1, owner: $_own, grants: $(g execute)}
EOF
	cat >schema/database.yaml <<EOF
languages:
  plog: {handler: plpgsql_call_handler, trusted: true, owner: $_own, grants: $(g usage)}
foreign_data_wrappers:
  w: {owner: $_own, grants: $(g usage)}
servers:
  sv: {wrapper: w, owner: $_own, grants: $(g usage)}
EOF
}

# every object's owner and ACL (the owner's own entry left out; grantors kept)
ACL="(SELECT coalesce(string_agg(a::text, ' ' ORDER BY a::text), '') FROM unnest(%s) a
  WHERE a::text NOT LIKE %s::regrole::text || '=%%')"
STATE="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'schema ' || nspowner::regrole || ' ' || $(printf "$ACL" nspacl nspowner) AS x FROM pg_namespace WHERE nspname = 'og'
  UNION ALL SELECT relname || ' ' || relowner::regrole || ' ' || $(printf "$ACL" relacl relowner)
   FROM pg_class WHERE relnamespace = 'og'::regnamespace AND relkind IN ('r', 'v', 'S')
  UNION ALL SELECT 'column ' || attname || ' ' || $(printf "$ACL" attacl relowner)
   FROM pg_attribute JOIN pg_class ON attrelid = pg_class.oid WHERE attrelid = 'og.t'::regclass AND attname = 'n'
  UNION ALL SELECT 'function ' || proname || ' ' || proowner::regrole || ' ' || $(printf "$ACL" proacl proowner)
   FROM pg_proc WHERE pronamespace = 'og'::regnamespace
  UNION ALL SELECT 'type ' || typname || ' ' || typowner::regrole || ' ' || $(printf "$ACL" typacl typowner)
   FROM pg_type WHERE typnamespace = 'og'::regnamespace AND typtype = 'e'
  UNION ALL SELECT 'language ' || lanname || ' ' || lanowner::regrole || ' ' || $(printf "$ACL" lanacl lanowner)
   FROM pg_language WHERE lanname = 'plog'
  UNION ALL SELECT 'wrapper ' || fdwname || ' ' || fdwowner::regrole || ' ' || $(printf "$ACL" fdwacl fdwowner)
   FROM pg_foreign_data_wrapper WHERE fdwname = 'w'
  UNION ALL SELECT 'server ' || srvname || ' ' || srvowner::regrole || ' ' || $(printf "$ACL" srvacl srvowner)
   FROM pg_foreign_server WHERE srvname = 'sv') s"

# expected OWNER GRANTS: the state when every object is owned by OWNER and
# GRANTS (aclitems without their privilege letters, "role=/grantor") holds
expected() {
	_own=$1 _acl=$2
	for k in "column n" "e" "f" "language plog" "q" "schema" "server sv" "t" "tq" "v" "wrapper w"; do
		case $k in
		"column n") _l=w ;; e|schema|q|tq|"language plog"|"server sv"|"wrapper w") _l=U ;;
		f) _l=X ;; t|v) _l=r ;;
		esac
		case $k in q|tq) _l=U ;; esac
		_a=$(echo "$_acl" | sed "s|=/|=$_l/|g")
		case $k in
		"column n") echo "column n $_a" ;;
		e) echo "type e $_own $_a" ;;
		f) echo "function f $_own $_a" ;;
		*) echo "$k $_own $_a" ;;
		esac
	done | sed 's/ $//' | sort
}

# scenario DESC OWNER GRANTEES -- ACL: the models changed, upgraded,
# checked; downgraded, the previous models and database checked clean;
# upgraded again
prev_owner= prev_roles= prev_acl=
scenario() {
	_d=$1 _o=$2 _roles=$3 _acl=$4
	model "$_o" $_roles
	nsteps=$((nsteps + 1))
	migrate_step "$_d" "$STATE" "$(expected "$_o" "$_acl")" || return
	[ -n "$prev_owner" ] || return
	run downgrade -1
	is_rc 0 "$_d: downgrade" || diag "$ERR"
	_held=$(ls -t migrations/*.sql | head -n 1)
	mv "$_held" "$T/held.sql"
	model "$prev_owner" $prev_roles
	run check
	is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
		"$_d: after the downgrade, check against the previous models is clean" || diag "$ERR"
	is "$(q "$STATE")" "$(expected "$prev_owner" "$prev_acl")" "$_d: the downgrade restores owners and grants"
	mv "$T/held.sql" "$_held"
	model "$_o" $_roles
	run upgrade head
	is_rc 0 "$_d: upgrade again" || diag "$ERR"
}
done_scenario() {
	prev_owner=$1 prev_roles=$2 prev_acl=$3
}

scenario "owned by a, granted to z" sg_og_a "sg_og_z" "sg_og_z=/sg_og_a"
done_scenario sg_og_a "sg_og_z" "sg_og_z=/sg_og_a"

# the owner becomes x; granted to x (the new owner: merged into its
# rights), to a (the old owner: after the change, or a's rights go to x),
# to z (granted by a: now by x)
scenario "owner a -> x, grants to x and a" sg_og_x "sg_og_a sg_og_x sg_og_z" \
	"sg_og_a=/sg_og_x sg_og_z=/sg_og_x"
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step2.sql" | grep -E '(TABLE|SEQUENCE) og.(t|tq)( |;)')" \
'ALTER TABLE og.t OWNER TO sg_og_x;
GRANT USAGE ON SEQUENCE og.tq TO sg_og_a;
GRANT SELECT ON TABLE og.t TO sg_og_a;
GRANT UPDATE (n) ON TABLE og.t TO sg_og_a;' "the owner first, then the grants (the owned sequence's and the column's too); none to the new owner"
is "$(sed -n '/^-- +downgrade/,$p' "$T/step2.sql" | grep -E '(TABLE|SEQUENCE) og.(t|tq)( |;)')" \
'ALTER TABLE og.t OWNER TO sg_og_a;' "the downgrade: the owner only (the grant to a merges into its rights as owner)"
done_scenario sg_og_x "sg_og_a sg_og_x sg_og_z" "sg_og_a=/sg_og_x sg_og_z=/sg_og_x"

# x -> y with grants to both, before and after
scenario "owner x -> y, grants to both" sg_og_y "sg_og_x sg_og_y sg_og_z" \
	"sg_og_x=/sg_og_y sg_og_z=/sg_og_y"

run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff: nothing left"

done_testing
