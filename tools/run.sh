#!/bin/sh
# run.sh - the main job.  Installs what is missing (Debian/Ubuntu), builds
# schemagen, and runs the example project at the repository root on the
# embedded PostgreSQL that schemagen starts itself:
#   1. the project as it is: upgrade head, current, history, autogenerate
#      (finds nothing: models and migrations agree), check;
#   2. a change, in a copy of the project on a database of its own: a new
#      column in the models, autogenerate writes the migration, upgrade,
#      check, downgrade -1, check again (which now reports the difference).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/setup.sh
tools/build.sh build
sg=$root/build/schemagen
# the demo runs on the embedded server, whatever the environment says
unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGSERVICE PGDATABASE PGUSER SCHEMAGEN_DEV_URL || true

step() {
	printf '\n$ schemagen %s\n' "$*"
	"$sg" "$@"
}

echo "== the example project (schema/, migrations/) on the embedded PostgreSQL"
step embedded start
step upgrade head
step current
step history
step revision --autogenerate -m "nothing to do"
step check

echo
echo "== a change, in a copy of the project (database schemagen_demo)"
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
cp -r schemagen.yaml schema migrations "$demo"/
url=$("$sg" embedded url)
PGOPTIONS="-c client_min_messages=warning" psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS schemagen_demo" \
	-c "CREATE DATABASE schemagen_demo" >/dev/null
export DATABASE_URL=$(printf '%s\n' "$url" | sed "s/dbname=[^ ]*/dbname=schemagen_demo/")
cd "$demo"
step upgrade head
sed -i 's/^      full_name:  {type: varchar(200), nullable: false}$/&\n      phone:      {type: text, comment: Optional phone number}/' schema/public.yaml
printf '\n(schema/public.yaml: customers gets a column `phone text`)\n'
step check || true
step revision --autogenerate -m "add customer phone"
cat migrations/*_add_customer_phone.sql
step upgrade head
step check
step downgrade -1
step check || echo "(exit $? : the database is one revision behind the models, as expected)"
step embedded status
