#!/bin/sh
# SPDX-License-Identifier: MIT
# t4368-user-mapping-hidden.sh - user mappings read as a role that is not
# a superuser (issue 10): pg_user_mappings hides the options of a mapping
# for another role (the server's owner sees a PUBLIC mapping's and its
# own).  Hidden options are unknown: no difference for them, no ALTER, no
# DROP / CREATE, one warning naming every such mapping (names quoted for
# the terminal); the options the role can read are still compared.
. "$(dirname "$0")/lib.sh"

new_roles sg_um_app '"sg um other"'
qdb postgres "ALTER ROLE sg_um_app LOGIN" >/dev/null
new_kind_project
q "GRANT CREATE ON DATABASE $DB TO sg_um_app" >/dev/null
cat >schema/database.yaml <<'EOF'
foreign_data_wrappers:
  w: {}
servers:
  sv: {wrapper: w, owner: sg_um_app}
user_mappings:
  sv:
    sg um other: {options: {user: other, sslmode: require}}
    public: {options: {user: anyone}}
EOF
run revision --autogenerate -m mappings
is_rc 0 "autogenerate (as a superuser)" || diag "$ERR"
run upgrade head
is_rc 0 "upgrade" || diag "$ERR"

# the server's owner, not a superuser
export DATABASE_URL="$(conninfo "$DB" | sed 's/user=[^ ]*/user=sg_um_app/')"
is "$(psql -X -At -d "$DATABASE_URL" -c "SELECT usename || ':' || coalesce(umoptions::text, 'NULL') FROM pg_user_mappings ORDER BY 1")" \
'public:{user=anyone}
sg um other:NULL' "pg_user_mappings hides one mapping's options from it (not PUBLIC's)"

run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff as the server's owner: the hidden options are no difference"
is "$(printf '%s\n' "$ERR" | grep -c warning)" 1 "one warning"
like "$ERR" "warning: the options of the user mappings for \"sg um other\" on server sv are not compared: pg_user_mappings shows them only to the mapped role, to the server's owner for PUBLIC, and to superusers" \
	"it names the mapping and says why"

# the models change the hidden mapping's options and a visible one's
sed -i 's/user: other, sslmode: require/user: someone/; s/user: anyone/user: everyone/' schema/database.yaml
run diff
is_rc 0 "diff" || diag "$ERR"
is "$(printf '%s\n' "$OUT" | grep -v '^--' | grep -v '^$')" \
"ALTER USER MAPPING FOR PUBLIC SERVER sv OPTIONS (SET \"user\" 'everyone');
ALTER USER MAPPING FOR PUBLIC SERVER sv OPTIONS (SET \"user\" 'anyone');" \
	"the visible mapping's options are compared, the hidden one's not; nothing dropped or created"

done_testing
