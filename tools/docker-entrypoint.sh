#!/bin/sh
# SPDX-License-Identifier: MIT
# docker-entrypoint.sh - the container's entrypoint (t3870 runs it outside
# one).  The project is the working folder (/work: mount it there).
#
#   docker run IMAGE upgrade head          schemagen upgrade head
#   docker run IMAGE schemagen check       the same, the name spelt out
#   docker run IMAGE --url URL current     options first work too
#   docker run IMAGE                       schemagen --help
#   docker run IMAGE sh -c '...'           anything else runs as given
#
# DATABASE_URL_FILE (say /run/secrets/database_url) is read into
# DATABASE_URL when that is not set, as official images read *_FILE
# secrets; SCHEMAGEN_DEV_URL_FILE likewise.  Exit status: schemagen's.
set -eu
SCHEMAGEN=${SCHEMAGEN_BIN:-schemagen}

from_file() {
	eval "_set=\${$1:-} _file=\${$1_FILE:-}"
	if [ -n "$_file" ]; then
		if [ -n "$_set" ]; then
			echo "docker-entrypoint.sh: both $1 and $1_FILE are set: give one" >&2
			exit 2
		fi
		if [ ! -r "$_file" ]; then
			echo "docker-entrypoint.sh: $1_FILE: cannot read $_file" >&2
			exit 2
		fi
		# the file's first line, without its newline
		_val=$(head -n 1 "$_file")
		export "$1=$_val"
		unset "$1_FILE"
	fi
}
from_file DATABASE_URL
from_file SCHEMAGEN_DEV_URL

[ $# -gt 0 ] || set -- --help
[ "$1" = schemagen ] && shift && [ $# -eq 0 ] && set -- --help
case $1 in
-*|help) exec "$SCHEMAGEN" "$@" ;;
esac
# a schemagen command (the binary's own list), else a program
if "$SCHEMAGEN" __complete commands | cut -f1 | grep -qx -- "$1"; then
	exec "$SCHEMAGEN" "$@"
fi
exec "$@"
