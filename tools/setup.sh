#!/bin/sh
# setup.sh [--test] [--fuzz] - installs what schemagen needs to build and
# test on Debian or Ubuntu, when it is missing (apt-get update first).
# --test adds valgrind, python3-jsonschema and python3-yaml (t3860), zsh and fish (t3855) and the fuzzing tools; --fuzz only the latter
# (clang and its libFuzzer runtime, libclang-rt-N-dev).  Runs apt-get
# directly as root, through sudo otherwise.
set -eu
pkgs="gcc pkg-config meson ninja-build libpq-dev libyaml-dev libpg-query-dev
      libprotobuf-c-dev postgresql postgresql-client"
fuzz=false
for arg in "$@"; do
	case $arg in
	--test) pkgs="$pkgs valgrind clang python3-jsonschema python3-yaml zsh fish"; fuzz=true ;;
	--fuzz) pkgs="$pkgs clang"; fuzz=true ;;
	*) echo "usage: tools/setup.sh [--test] [--fuzz]" >&2; exit 2 ;;
	esac
done
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
updated=false

install_missing() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	if ! $updated; then
		$sudo apt-get update -qq
		updated=true
	fi
	# the server is only needed as binaries: don't leave a cluster running
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_missing $pkgs
if $fuzz; then
	# libFuzzer's runtime comes with the clang version `clang` is
	v=$(clang --version | sed -n 's/.*clang version \([0-9]*\)\..*/\1/p' | head -1)
	install_missing "libclang-rt-$v-dev"
fi
