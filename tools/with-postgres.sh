#!/bin/sh
# with-postgres.sh - runs a command with a throwaway PostgreSQL cluster.
#
#   tools/with-postgres.sh meson test -C build
#
# Creates a cluster in a temporary directory, listening on a unix socket
# only, exports PGHOST, PGPORT, PGUSER, PGDATABASE and SCHEMAGEN_DEV_URL
# (scratch databases go to the same cluster), runs the command, then stops
# the server and deletes everything, whatever the command's outcome.  Works
# as root (CI): the server then runs as the postgres user (or nobody).
# SG_PG_SERVER_OPTS adds server options ("-c max_locks_per_transaction=10").
# Server binaries: $SCHEMAGEN_PG_BINDIR, `pg_config --bindir`, or the newest
# /usr/lib/postgresql/*/bin.
set -eu

find_bindir() {
	if [ -n "${SCHEMAGEN_PG_BINDIR:-}" ] && [ -x "$SCHEMAGEN_PG_BINDIR/initdb" ]; then
		echo "$SCHEMAGEN_PG_BINDIR"; return
	fi
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
	fi
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
	if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
	echo "with-postgres.sh: no PostgreSQL server binaries found (install postgresql)" >&2
	exit 2
}

bindir=$(find_bindir)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-pg.XXXXXX")
chmod 711 "$tmp"
as_server=""
if [ "$(id -u)" = 0 ]; then
	user=postgres
	id "$user" >/dev/null 2>&1 || user=nobody
	chown "$user" "$tmp"
	as_server="setpriv --reuid=$user --regid=$(id -g "$user") --init-groups --"
fi

cleanup() {
	$as_server "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$tmp" && $as_server "$bindir/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1) || {
	cat "$tmp/initdb.log" >&2; exit 2; }
$as_server mkdir -m 700 "$tmp/run"
(cd "$tmp" && $as_server "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
	-o "-c listen_addresses='' -c unix_socket_directories='$tmp/run' -c port=5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 ${SG_PG_SERVER_OPTS:-}" \
	start >/dev/null) || { cat "$tmp/server.log" >&2; exit 2; }

export PGHOST="$tmp/run" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
export SCHEMAGEN_DEV_URL="host=$tmp/run port=5432 user=postgres dbname=postgres"
export SG_TEST_PG_BINDIR="$bindir"
unset PGSERVICE PGPASSWORD 2>/dev/null || true
set +e
"$@"
rc=$?
set -e
exit $rc
