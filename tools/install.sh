#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh - the install steps of the Dockerfile, which t3870 runs too.
#
#   tools/install.sh build [--builddir DIR] [--destdir DIR] [PREFIX]
#       configures (once; PREFIX, default /usr/local, release build) and
#       builds in DIR (default build-install), then `meson install`s into
#       DESTDIR/PREFIX (DESTDIR default: none, the real PREFIX).  An
#       existing DIR keeps its configuration (its own prefix).
#   tools/install.sh runtime-packages BINARY
#       the Debian packages BINARY needs to run (those of the shared
#       libraries it links, from its NEEDED entries) and the PostgreSQL
#       server programs `check` and `diff` start (postgresql-N, N the
#       version of the libpq it was built against), one a line.
#   tools/install.sh runtime-deps FILE
#       apt-get installs the packages FILE lists (runtime-packages' output;
#       the runtime image's only step that is not a copy), with no
#       recommended ones, and empties apt's lists afterwards.
set -eu
cd "$(dirname "$0")/.."

usage() {
	echo "usage: tools/install.sh build [--builddir DIR] [--destdir DIR] [PREFIX]" >&2
	echo "       tools/install.sh runtime-packages BINARY" >&2
	echo "       tools/install.sh runtime-deps FILE" >&2
	exit 2
}

# the package of a file, with Debian's merged /usr (/lib is /usr/lib)
package_of() {
	dpkg -S "$1" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null || dpkg -S "${1#/usr}" 2>/dev/null
}

runtime_packages() {
	bin=$1
	[ -x "$bin" ] || { echo "install.sh: $bin is not an executable" >&2; exit 2; }
	needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
	for lib in $needed; do
		path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
		[ -n "$path" ] || { echo "install.sh: $lib is not found" >&2; exit 2; }
		pkg=$(package_of "$(readlink -f "$path")" | head -1 | cut -d: -f1)
		[ -n "$pkg" ] || { echo "install.sh: no package holds $path" >&2; exit 2; }
		echo "$pkg"
	done | sort -u
	# the scratch server: the major version of the client library
	major=$(pg_config --version 2>/dev/null | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
	[ -n "$major" ] || { echo "install.sh: pg_config is missing (libpq-dev)" >&2; exit 2; }
	echo "postgresql-$major"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
build)
	builddir=build-install destdir="" prefix=/usr/local
	while [ $# -gt 0 ]; do
		case $1 in
		--builddir) builddir=$2; shift 2 ;;
		--destdir) destdir=$2; shift 2 ;;
		-*) usage ;;
		*) prefix=$1; shift ;;
		esac
	done
	if [ ! -f "$builddir/build.ninja" ]; then
		meson setup "$builddir" --prefix="$prefix" --buildtype=release \
			-Dintegration_tests=disabled >/dev/null
	fi
	ninja -C "$builddir" >/dev/null
	if [ -n "$destdir" ]; then
		meson install -C "$builddir" --no-rebuild --quiet --destdir "$destdir"
	else
		meson install -C "$builddir" --no-rebuild --quiet
	fi
	;;
runtime-packages)
	[ $# -eq 1 ] || usage
	runtime_packages "$1"
	;;
runtime-deps)
	[ $# -eq 1 ] || usage
	pkgs=$(grep -v '^#' "$1")
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
	$sudo rm -rf /var/lib/apt/lists/*
	;;
*)
	usage
	;;
esac
