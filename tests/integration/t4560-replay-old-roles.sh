#!/bin/sh
# SPDX-License-Identifier: MIT
# t4560-replay-old-roles.sh - `check` without a database replays the
# migrations; a role only an older migration names (the owner of, or a
# grantee on, an object a later migration drops) is in no model.
. "$(dirname "$0")/lib.sh"

own_embedded

cd "$P" || BAIL_OUT "no project"
printf 'schema_dir: schema\nmigrations_dir: migrations\n' >schemagen.yaml
mkdir -p schema migrations
cat >schema/public.yaml <<'EOF2'
schema: public
tables:
  t:
    columns:
      id: {type: integer}
EOF2
cat >migrations/aaaa00000001_old.sql <<'EOF2'
-- schemagen revision: aaaa00000001
-- parents:
-- message: old
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.t (id integer);
CREATE TABLE public.old (id integer);
ALTER TABLE public.old OWNER TO sg_old_owner;
GRANT SELECT ON TABLE public.old TO sg_old_reader;

-- +downgrade
DROP TABLE public.old;
DROP TABLE public.t;
EOF2
cat >migrations/aaaa00000002_drop.sql <<'EOF2'
-- schemagen revision: aaaa00000002
-- parents: aaaa00000001
-- message: drop
-- created: 2026-01-02T00:00:00Z

-- +upgrade
DROP TABLE public.old;

-- +downgrade
CREATE TABLE public.old (id integer);
ALTER TABLE public.old OWNER TO sg_old_owner;
GRANT SELECT ON TABLE public.old TO sg_old_reader;
EOF2

run -v check
is "$RC:$(printf '%s\n' "$OUT" | tail -n 1)" \
	"0:No differences: the migrations, replayed into a scratch database, match the models." \
	"check without a database: the replay finds the roles older migrations name" || diag "$ERR"
like "$ERR" "created role sg_old_owner \\(NOLOGIN\\) in the embedded PostgreSQL" "the old owner was created for the replay"
like "$ERR" "created role sg_old_reader \\(NOLOGIN\\) in the embedded PostgreSQL" "the old grantee too"
"$SCHEMAGEN" embedded stop >/dev/null 2>&1

# a dev_url server that lacks them: the error at the first statement naming
# each, with the way out; no migration runs
SCHEMAGEN_DEV_URL=$DEV run check
is "$RC:$ERR" "2:migrations/aaaa00000001_old.sql:9:33: error: role sg_old_owner does not exist on the scratch server (dev_url or SCHEMAGEN_DEV_URL)
  hint: create it there (CREATE ROLE sg_old_owner NOLOGIN), or unset dev_url to use the embedded server, which creates the roles the models and the migrations name
migrations/aaaa00000001_old.sql:10:37: error: role sg_old_reader does not exist on the scratch server (dev_url or SCHEMAGEN_DEV_URL)
  hint: create it there (CREATE ROLE sg_old_reader NOLOGIN), or unset dev_url to use the embedded server, which creates the roles the models and the migrations name" \
	"dev_url without the roles: an error at the migration naming each"

# a migration whose body does not split: its error is said (the roles
# are looked for before the replay, which would get the result without it)
cat >migrations/aaaa00000003_bad.sql <<'EOF2'
-- schemagen revision: aaaa00000003
-- parents: aaaa00000002
-- message: bad
-- created: 2026-01-03T00:00:00Z

-- +upgrade
CREATE TABLE public.x (id integer;

-- +downgrade
DROP TABLE public.x;
EOF2
run check
is "$RC:$ERR" "2:migrations/aaaa00000003_bad.sql:7:34: error: syntax error at or near \";\"" "a migration that does not parse: its error at its place"

done_testing
