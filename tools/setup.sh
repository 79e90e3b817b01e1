#!/bin/sh
# setup.sh - installs what schemagen needs to build and test on Debian or
# Ubuntu, when it is missing (apt-get update first).  Runs apt-get directly
# as root, through sudo otherwise.
set -eu
pkgs="gcc pkg-config meson ninja-build libpq-dev libyaml-dev libpg-query-dev
      libprotobuf-c-dev postgresql postgresql-client"
[ "${1:-}" = "--test" ] && pkgs="$pkgs valgrind"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# the server is only needed as binaries: don't leave a cluster running
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
