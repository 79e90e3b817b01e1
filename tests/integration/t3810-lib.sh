#!/bin/sh
# SPDX-License-Identifier: MIT
# t3810-lib.sh - libschemagen (issue 13): `meson install --destdir` puts
# the library, include/schemagen.h and libschemagen.pc into a temporary
# prefix; tests/lib/startup.c is compiled against that prefix only,
# through `pkg-config --cflags --libs libschemagen`, and migrates a real
# database: current, pending, upgrade head, check; then a failing
# revision comes back as error values with file, line and column, and the
# library printed nothing of its own.
. "$(dirname "$0")/lib.sh"

command -v pkg-config >/dev/null || BAIL_OUT "pkg-config is required"
CC=${CC:-cc}

# ---- install into a temporary prefix ----
D=$T/dest
meson install -C "$SG_BUILD_ROOT" --no-rebuild --destdir "$D" >"$T/install.log" 2>&1
is "$?" 0 "meson install --destdir" || diag "$(tail -20 "$T/install.log")"
PC=$(find "$D" -name libschemagen.pc | head -1)
ok "libschemagen.pc installed" test -n "$PC"
PREFIX=$(sed -n 's/^prefix=//p' "$PC")
ok "schemagen.h installed" test -f "$D$PREFIX/include/schemagen.h"
ok "the binary installed" test -x "$D$PREFIX/bin/schemagen"
export PKG_CONFIG_PATH=$(dirname "$PC")
FLAGS=$(pkg-config --define-variable=prefix="$D$PREFIX" --cflags --libs libschemagen)
is "$?" 0 "pkg-config --cflags --libs libschemagen"
like "$FLAGS" "-L$D$PREFIX/" "the flags point into the installed prefix"
unlike "$FLAGS" "$SG_SOURCE_ROOT|$SG_BUILD_ROOT" "and not into the source or build tree"
LIBDIR=$(pkg-config --define-variable=prefix="$D$PREFIX" --variable=libdir libschemagen)

# only the public header: the stage headers are not installed
ok "no stage headers installed" test ! -e "$D$PREFIX/include/schemagen/diag.h"

# a sanitizer build's library needs the program linked with the runtimes
SAN=
nm -D "$LIBDIR/libschemagen.so" | grep -q __asan_init && SAN="-fsanitize=address,undefined"
# shellcheck disable=SC2086
$CC -std=c11 -Wall -Werror $SAN -o "$T/startup" "$SG_SOURCE_ROOT/tests/lib/startup.c" $FLAGS \
	>"$T/cc.log" 2>&1
is "$?" 0 "startup.c compiles and links through pkg-config" || diag "$(cat "$T/cc.log")"
EXPORTS=$(nm -D --defined-only "$LIBDIR/libschemagen.so" | awk '$2 == "T" { print $3 }' |
	sed 's/@.*//' | sort | tr '\n' ' ')
is "$EXPORTS" "schemagen_check schemagen_close schemagen_current schemagen_error_count schemagen_error_get schemagen_open schemagen_pending schemagen_upgrade schemagen_version " \
	"the library exports schemagen_* only"

# ---- a project, migrated by the program ----
DB=$(new_db main)
URL=$(conninfo "$DB")
cd "$P" || BAIL_OUT "no project dir"
run_ok "init" init
cat >schema/public.yaml <<'YAML'
schema: public
tables:
  items:
    columns:
      id: {type: bigint}
      name: {type: text, nullable: false}
    primary_key: [id]
YAML
DATABASE_URL=$URL run_ok "revision 1" revision --autogenerate -m "create items"
R1=$(ls migrations | sed 's/_.*//')
cd / || BAIL_OUT "cd /"

startup() {
	LD_LIBRARY_PATH=$LIBDIR "$T/startup" "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

startup "$P" "$URL"
is "$RC" 0 "the program migrates: exit 0"
is "$OUT" "libschemagen 0.1.0
current: (none)
pending: $R1
upgrade: 1 applied
current: $R1
check: in sync
check json in_sync: true" "current, pending, upgrade, current, check"
is "$ERR" "" "the library printed nothing on stderr"
is "$(q "SELECT version_num FROM public.schemagen_version")" "$R1" "the version table says $R1"
is "$(q "SELECT count(*) FROM public.items")" "0" "the table exists"

startup "$P" "$URL"
is "$OUT" "libschemagen 0.1.0
current: $R1
pending: (none)
upgrade: 0 applied
current: $R1
check: in sync
check json in_sync: true" "a second start: nothing to do"

# ---- a failing revision: errors as values ----
cd "$P" || BAIL_OUT "cd"
DATABASE_URL=$URL run_ok "revision 2" revision -m "broken"
F2=$(ls migrations/*_broken.sql)
awk '{ print } /^-- \+upgrade/ { print "INSERT INTO items (id) VALUES (1);" }' "$F2" >"$T/f2" &&
	cp "$T/f2" "$F2"
L=$(grep -n 'INSERT INTO items' "$F2" | cut -d: -f1)
R2=$(basename "$F2" | sed "s/_.*//")
cd / || BAIL_OUT "cd /"
startup "$P" "$URL"
is "$RC" 2 "a failing upgrade: exit 2"
is "$OUT" "libschemagen 0.1.0
current: $R1
pending: $R2
upgrade: 0 applied
upgrade failed:
  $P/$F2:$L:1: null value in column \"name\" of relation \"items\" violates not-null constraint" \
	"the failing statement as an error value: file, line, column, message" ||
	diag "stderr: $ERR"
is "$ERR" "" "nothing printed by the library"
is "$(q "SELECT version_num FROM public.schemagen_version")" "$R1" "the database stayed at $R1"

# ---- no project ----
startup "$T/nowhere" "$URL"
is "$RC" 2 "a folder without schemagen.yaml: exit 2"
like "$OUT" "cannot read config file $T/nowhere/schemagen.yaml" "reported as an error value"

done_testing
