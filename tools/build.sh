#!/bin/sh
# build.sh [DIR [MESON OPTIONS...]] - configures (once) and builds schemagen.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$@" >/dev/null
fi
# quiet, but a failure or a warning is shown
out=$(ninja -C "$dir" 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
printf '%s\n' "$out" | grep -E -A3 'warning:' >&2 || true
