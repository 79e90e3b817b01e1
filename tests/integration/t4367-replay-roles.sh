#!/bin/sh
# SPDX-License-Identifier: MIT
# t4367-replay-roles.sh - `check` without a database replays the
# migrations on the scratch server, and those migrations set owners and
# grant to the roles the models name (issue 10): the replay path creates
# them first, as materialising the models does (NOLOGIN, on the embedded
# server); a dev_url server that lacks one is an error at the model line
# naming it, before any migration runs.
. "$(dirname "$0")/lib.sh"

own_embedded

cd "$P" || BAIL_OUT "no project"
printf 'schema_dir: schema\nmigrations_dir: migrations\n' >schemagen.yaml
mkdir -p schema migrations
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  t:
    owner: sg_rr_owner
    columns:
      id: {type: integer}
    grants: {sg_rr_reader: [select]}
EOF
cat >migrations/aaaa00000001_t.sql <<'EOF'
-- schemagen revision: aaaa00000001
-- parents:
-- message: t
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.t (id integer);
ALTER TABLE public.t OWNER TO sg_rr_owner;
GRANT SELECT ON TABLE public.t TO sg_rr_reader;

-- +downgrade
DROP TABLE public.t;
EOF

# the embedded server, fresh: neither role exists there yet
run -v check
is "$RC:$(printf '%s\n' "$OUT" | tail -n 1)" \
	"0:No differences: the migrations, replayed into a scratch database, match the models." \
	"check without a database: the replay finds the roles the models name" || diag "$ERR"
like "$ERR" "created role sg_rr_owner \\(NOLOGIN\\) in the embedded PostgreSQL" "the owner was created for the replay"
like "$ERR" "created role sg_rr_reader \\(NOLOGIN\\) in the embedded PostgreSQL" "the grantee too"
"$SCHEMAGEN" embedded stop >/dev/null 2>&1

# a dev_url server that lacks a role: the error names it at its line, the
# migration is not run
sed -i 's/sg_rr_owner/sg_rr_nobody_here/' schema/public.yaml migrations/aaaa00000001_t.sql
SCHEMAGEN_DEV_URL=$DEV run check
is "$RC:$(printf '%s\n' "$ERR" | head -n 1)" \
	"2:schema/public.yaml:4:12: error: role sg_rr_nobody_here does not exist on the scratch server (dev_url or SCHEMAGEN_DEV_URL)" \
	"dev_url without the role: an error at the model's line"
unlike "$ERR" "ALTER TABLE" "no migration ran"

done_testing
