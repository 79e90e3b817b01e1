#!/bin/sh
# SPDX-License-Identifier: MIT
# t4368-user-mapping-hidden.sh - user mappings read as a role that is not
# a superuser (issue 10): pg_user_mappings hides the options of a mapping
# for another role (the server's owner sees a PUBLIC mapping's and its
# own).  Hidden options are unknown: no difference for them, no ALTER, no
# DROP / CREATE, one warning naming every such mapping (names quoted for
# the terminal); the options the role can read are still compared.  dump
# writes them as options_hidden: true, not as none, with one warning.
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

# dump as that role: the hidden options are unknown, not none: written
# as options_hidden: true (never compared), one warning naming them; the
# dumped models read back without differences, as that role and as a
# superuser
sed -i 's/user: someone/user: other, sslmode: require/; s/user: everyone/user: anyone/' schema/database.yaml
mkdir "$T/dumped"
run dump --owners -o "$T/dumped"
is_rc 0 "dump --owners as the server's owner" || diag "$ERR"
is "$(sed -n '/^user_mappings:/,$p' "$T/dumped/database.yaml")" 'user_mappings:
  sv:
    public: {options: {user: anyone}}
    sg um other: {options_hidden: true}' "the hidden mapping's options: options_hidden: true, not none"
is "$(printf '%s\n' "$ERR" | grep -c warning)" 1 "one warning"
like "$ERR" "warning: the options of the user mappings for \"sg um other\" on server sv are not written \\(options_hidden: true\\): pg_user_mappings shows them only to the mapped role, to the server's owner for PUBLIC, and to superusers; dump as one of them to write them" \
	"it names the mapping and says what to do"
cp -r schema "$T/schema.models" && rm -rf schema && cp -r "$T/dumped" schema
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped models, as the server's owner: no differences"
export DATABASE_URL="$(conninfo "$DB")"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "as a superuser too: the options the models do not manage are not compared"

# options_hidden with options: refused at its place
cat >>schema/database.yaml <<'EOF'
  sv2:
    public: {options: {user: x}, options_hidden: true}
EOF
sed -i 's/^servers:/servers:\n  sv2: {wrapper: w}/' schema/database.yaml
run diff
is "$RC:$ERR" "2:schema/database.yaml:16:50: error: user mapping FOR PUBLIC SERVER sv2 gives options and options_hidden: true
  hint: options_hidden: true says the models do not manage its options: leave out one of them" \
	"options and options_hidden: true together: refused at its place"

done_testing
