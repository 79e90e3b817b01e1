#!/bin/sh
# SPDX-License-Identifier: MIT
# t3850-help-man: the help texts and the man pages say the same.
#
#  - for every command: `schemagen help X`, `schemagen X --help` and the
#    text of the man page schemagen-X(1) built by meson are the same text;
#    the pages are those `schemagen __man` lists, and their roff is clean;
#  - every option a command parses (its longopts in src/cli/X.c) is in its
#    help (so in its page and in the completions);
#  - the top-level help (--help, help, schemagen(1)) lists every command
#    with one line, names every environment variable the code reads, and
#    gives the order the database is chosen in, which is the order the
#    code follows (checked with four sources that each name another
#    socket folder);
#  - schemagen.yaml(5) describes every key of schemagen.yaml, and
#    schemagen-models(5) every section of docs/models.md.
SG_NO_SERVER=1
. "$(dirname "$0")/lib.sh"

MAN="$SG_BUILD_ROOT/docs"
cd "$T" || exit 1

# the text of a page's no-fill block, as roff shows it (the reverse of
# help.c's roff_text)
man_text() {
	sed -n '/^\.nf$/,/^\.fi$/p' "$1" | sed -e '1d' -e '$d' \
		-e 's/^\\&//' -e 's/\\e/\\/g'
}

cmds=$("$SCHEMAGEN" __complete commands | cut -f1)
ok "the command list ($(echo $cmds))" test "$(echo "$cmds" | wc -l)" -ge 16
is "$("$SCHEMAGEN" __man)" "schemagen
$(echo "$cmds" | sed 's/^/schemagen-/')" "__man lists schemagen and one page per command"
is "$(cd "$MAN" && ls *.1 | sort)" "$( (echo schemagen.1; echo "$cmds" | sed 's/^\(.*\)$/schemagen-\1.1/') | sort)" \
	"meson built exactly those pages (tools/md2man.py --commands reads the same table)"

# ---- each command ----
for c in $cmds; do
	"$SCHEMAGEN" help "$c" >"$T/help" 2>&1
	is "$?" 0 "help $c: exit 0"
	"$SCHEMAGEN" "$c" --help >"$T/dashhelp" 2>&1
	is "$?" 0 "$c --help: exit 0"
	is_file "$T/dashhelp" "$T/help" "$c --help is help $c"
	man_text "$MAN/schemagen-$c.1" >"$T/man"
	is_file "$T/man" "$T/help" "schemagen-$c(1) says what help $c says"
	like "$(sed -n 1p "$T/help")" "^usage: schemagen $c" "help $c starts with its usage"
	brief=$("$SCHEMAGEN" __complete commands | awk -F '\t' -v c="$c" '$1 == c { print $2 }')
	is "$(sed -n '/^\.SH NAME$/{n;p;}' "$MAN/schemagen-$c.1")" "schemagen-$c \\- $brief" \
		"schemagen-$c(1): NAME is its line of the top-level help"

	# every option the command parses is in its help
	src="$SG_SOURCE_ROOT/src/cli/$c.c"
	[ "$c" = downgrade ] && src="$SG_SOURCE_ROOT/src/cli/upgrade.c"   # shares upgrade's
	opts=$(grep -oE '\{ "[a-z][a-z-]*", (no|required|optional)_argument' "$src" 2>/dev/null |
		sed -E 's/\{ "([^"]*)".*/--\1/' | sort -u)
	# upgrade.c parses --force-irreversible for downgrade and refuses it
	[ "$c" = upgrade ] && opts=$(echo "$opts" | grep -vx -e --force-irreversible)
	# "Options as for upgrade." (downgrade): upgrade's help says them
	as=$(tr '\n' ' ' <"$T/help" | sed -n 's/.*Options as for \([a-z]*\)\..*/\1/p')
	[ -n "$as" ] && "$SCHEMAGEN" help "$as" >>"$T/help"
	completed=$("$SCHEMAGEN" __complete options "$c")
	missing=""
	for o in $opts; do
		grep -q -- "$o\\b" "$T/help" && echo "$completed" | grep -qx -- "$o" || missing="$missing $o"
	done
	is "$missing" "" "$c: each option src/cli/$(basename "$src") parses is in its help and completed"
done

# ---- the top level ----
"$SCHEMAGEN" --help >"$T/top" 2>&1
is "$?" 0 "--help: exit 0"
"$SCHEMAGEN" help >"$T/top2" 2>&1
is_file "$T/top2" "$T/top" "help is --help"
man_text "$MAN/schemagen.1" >"$T/man"
is_file "$T/man" "$T/top" "schemagen(1) says what --help says"
sed -n '/^commands:$/,/^$/p' "$T/top" | sed -e '1d' -e '$d' >"$T/listed"
is "$(awk '{ print $1 }' "$T/listed")" "$cmds" "every command is listed, in the table's order"
is "$(grep -cvE '^  [a-z]+ +[a-z].{10,}$' "$T/listed")" 0 "each with one line saying what it does"
run help nonsense
is "$RC:$ERR" "2:schemagen: error: 'nonsense' is not a schemagen command
  hint: \`schemagen --help\` lists the commands" "help of an unknown command: an error"

# the global options (common.c's global_longopts): in the help, the
# commands' help and the completions
globals=$(sed -n '/global_longopts\[\] = {/,/};/p' "$SG_SOURCE_ROOT/src/cli/common.c" |
	grep -oE '\{ "[a-z][a-z-]*"' | sed -E 's/\{ "(.*)"/--\1/')
ok "the global options ($(echo $globals))" test "$(echo "$globals" | wc -l)" -ge 6
"$SCHEMAGEN" help current >"$T/help"
missing=""
for o in $globals; do
	grep -q -- "$o\b" "$T/top" || missing="$missing top:$o"
	grep -q -- "$o\b" "$T/help" || missing="$missing current:$o"
	"$SCHEMAGEN" __complete options current | grep -qx -- "$o" || missing="$missing completion:$o"
done
is "$missing" "" "each global option is in the help, a command's help and the completions"

# every environment variable the code reads is named (PATH and HOME
# are everybody's), libpq's that name a server too
vars=$(cat "$SG_SOURCE_ROOT"/src/*/*.c | grep -oE 'getenv\("[A-Z_]+"' | sed -E 's/getenv\("(.*)"/\1/' | sort -u |
	grep -vx -e PATH -e HOME)
vars="$vars SCHEMAGEN_PG_BINDIR_<N> $(sed -n '/libpq_env_set/,/};/p' "$SG_SOURCE_ROOT/src/cli/common.c" |
	grep -oE '"PG[A-Z]+"' | tr -d '"' | tr '\n' ' ')"
ok "the variables read: $(echo $vars)" \
	sh -c 'echo "$1" | grep -q DATABASE_URL && echo "$1" | grep -q PGHOST' sh "$vars"
missing=""
for v in $vars; do
	sed -n '/^environment:$/,/^$/p' "$T/top" | grep -q -- "$v" || missing="$missing $v"
done
is "$missing" "" "the help's environment section names each of them"

# the order, as the help says it ...
is "$(sed -n '/^the database/,/^$/p' "$T/top" | grep -oE '^  [0-9]\. (--url|DATABASE_URL|database_url:|libpq|none)')" \
"  1. --url
  2. DATABASE_URL
  3. database_url:
  4. libpq
  5. none" "the help gives the order: --url, DATABASE_URL, database_url:, libpq's environment, none"
# ... is the order the code follows: each source names another folder
mkdir "$T/order" && cd "$T/order" || exit 1
echo "database_url: host=$T/from-config" >schemagen.yaml
mkdir migrations
order_run() {
	"$SCHEMAGEN" "$@" current >"$T/o.out" 2>"$T/o.err"
	grep -oE "$T/from-[a-z]+" "$T/o.err" | head -1 | sed 's/.*from-//'
}
export DATABASE_URL="host=$T/from-env" PGHOST="$T/from-libpq"
is "$(order_run --url "host=$T/from-url")" url "--url wins over everything"
is "$(order_run)" env "then DATABASE_URL"
unset DATABASE_URL
is "$(order_run)" config "then database_url: in schemagen.yaml"
: >schemagen.yaml
is "$(order_run)" libpq "then libpq's environment"
unset PGHOST
env -u PGHOSTADDR -u PGSERVICE -u PGDATABASE -u PGPORT "$SCHEMAGEN" upgrade head >"$T/o.out" 2>"$T/o.err"
like "$?:$(cat "$T/o.err")" "^2:schemagen: error: upgrade writes to a database, and none is configured" \
	"then none: upgrade refuses"
cd "$T" || exit 1

# ---- section 5 ----
keys=$(sed -n '/config_keys\[\] = {/,/};/p' "$SG_SOURCE_ROOT/src/yaml/config.c" | grep -oE '"[a-z_]+"' | tr -d '"')
ok "the keys of schemagen.yaml ($(echo $keys | wc -w))" test "$(echo "$keys" | wc -l)" -ge 15
missing=""
for k in $keys; do
	grep -q "^\\\\fB$k\\\\fR" "$MAN/schemagen.yaml.5" || missing="$missing $k"
done
is "$missing" "" "schemagen.yaml(5) describes each key of schemagen.yaml"
missing=""
grep '^## ' "$SG_SOURCE_ROOT/docs/models.md" | sed 's/^## //; s/`//g' >"$T/sections"
while IFS= read -r s; do
	up=$(echo "$s" | tr '[:lower:]' '[:upper:]' | tr '"' "'")
	grep -qF ".SH \"$up\"" "$MAN/schemagen-models.5" || missing="$missing [$s]"
done <"$T/sections"
is "$missing" "" "schemagen-models(5) has each section of docs/models.md"
for p in "$MAN"/*.1 "$MAN"/*.5; do
	is "$(head -c 4 "$p")" ".TH " "$(basename "$p") starts with .TH"
done
if command -v groff >/dev/null 2>&1; then
	for p in "$MAN"/*.1 "$MAN"/*.5; do
		is "$(groff -man -Tutf8 -ww -z "$p" 2>&1)" "" "$(basename "$p"): groff has no warning"
	done
else
	skip 1 "groff is not installed"
fi

done_testing
