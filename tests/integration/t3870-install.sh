#!/bin/sh
# SPDX-License-Identifier: MIT
# t3870-install: what `meson install` gives, through tools/install.sh (the
# Dockerfile's steps), into a temporary root; the container's entrypoint,
# run outside a container; the CI example and its problem matcher.
#
#  - tools/install.sh build --destdir: the binary, every man page, the
#    bash/zsh/fish completions, the JSON Schemas where the binary's
#    yaml-language-server line says; the installed binary migrates a
#    database; man finds the pages; the installed bash completion works;
#  - tools/install.sh runtime-packages: libpq, libyaml, libpg_query and
#    the server programs;
#  - tools/docker-entrypoint.sh: commands, options, `schemagen CMD`,
#    no argument, other programs, exit codes, DATABASE_URL_FILE;
#  - the Dockerfile names only scripts that exist; the workflow's
#    schemagen commands exist;
#  - docs/ci/schemagen-matcher.json's patterns, applied to schemagen's real
#    output (a model error, a failing migration, lint's hazards), give each
#    error's file, line, column and message, and match nothing else.
. "$(dirname "$0")/lib.sh"

ROOT="$T/root"
SRC=$SG_SOURCE_ROOT
"$SRC/tools/install.sh" build --builddir "$SG_BUILD_ROOT" --destdir "$ROOT" >"$T/inst.out" 2>&1
is "$?" 0 "tools/install.sh build --destdir" || diag "$(tail -20 "$T/inst.out")"
schema_dir=$(sed -n 's/^#define SG_SCHEMA_DIR "\(.*\)"$/\1/p' "$SG_BUILD_ROOT/sg-config.h")
prefix=${schema_dir%/share/schemagen/schema}
P="$ROOT$prefix"
BIN="$P/bin/schemagen"

ok "the binary is installed in PREFIX/bin" test -x "$BIN"
is "$("$BIN" --version)" "$("$SCHEMAGEN" --version)" "the installed binary runs: --version"
"$BIN" --help >"$T/help.installed" 2>&1
"$SCHEMAGEN" --help >"$T/help.built" 2>&1
is_file "$T/help.installed" "$T/help.built" "--help"

# man pages: one per command, schemagen(1), the two of section 5
pages=$("$BIN" __man)
missing=""
for p in $pages; do
	[ -s "$P/share/man/man1/$p.1" ] || missing="$missing $p.1"
done
for p in schemagen.yaml schemagen-models; do
	[ -s "$P/share/man/man5/$p.5" ] || missing="$missing $p.5"
done
is "$missing" "" "every man page is installed ($(echo "$pages" | wc -l) in section 1, 2 in 5)"
is_file "$P/share/man/man1/schemagen-upgrade.1" "$SG_BUILD_ROOT/docs/schemagen-upgrade.1" "the pages are those built"
if command -v man >/dev/null 2>&1; then
	is "$(man -M "$P/share/man" -w schemagen-upgrade 2>&1)" "$P/share/man/man1/schemagen-upgrade.1" \
		"man -M PREFIX/share/man finds schemagen-upgrade(1)"
	is "$(man -M "$P/share/man" -w 5 schemagen.yaml 2>&1)" "$P/share/man/man5/schemagen.yaml.5" \
		"... and schemagen.yaml(5)"
else
	skip 2 "man is not installed"
fi

# completions
ok "bash completion in share/bash-completion/completions" test -s "$P/share/bash-completion/completions/schemagen"
ok "zsh completion in share/zsh/site-functions" test -s "$P/share/zsh/site-functions/_schemagen"
ok "fish completion in share/fish/vendor_completions.d" test -s "$P/share/fish/vendor_completions.d/schemagen.fish"
if command -v bash >/dev/null 2>&1; then
	is "$(cd "$T" && bash -c '. "$1"; COMP_WORDS=("$2" "upgrade" "--sq"); COMP_CWORD=2; _schemagen;
		echo "${COMPREPLY[@]}"' sh "$P/share/bash-completion/completions/schemagen" "$BIN")" "--sql" \
		"the installed bash completion completes with the installed binary"
else
	skip 1 "bash is not installed"
fi

# the JSON Schemas, where the yaml-language-server line says
for s in model config; do
	is_file "$ROOT$schema_dir/$s.schema.json" "$SRC/share/schema/$s.schema.json" \
		"$s.schema.json is installed where init and dump name it"
done

# the installed tool migrates a database
DB=$(new_db main)
export DATABASE_URL
DATABASE_URL=$(conninfo "$DB")
cd "$T" || exit 1
"$BIN" init proj >/dev/null 2>&1
is "$(head -1 proj/schema/public.yaml)" "# yaml-language-server: \$schema=$schema_dir/model.schema.json" \
	"the installed init names the installed schema"
cd proj || exit 1
cat >>schema/public.yaml <<'EOF'
tables:
  t:
    columns:
      id: {type: bigint, identity: always}
    primary_key: [id]
EOF
"$BIN" revision --autogenerate -m create >"$T/o" 2>&1
is "$?" 0 "installed: revision --autogenerate" || diag "$(cat "$T/o")"
"$BIN" upgrade head >"$T/o" 2>&1
is "$?" 0 "installed: upgrade head" || diag "$(cat "$T/o")"
is "$(q "SELECT count(*) FROM public.t")" 0 "the table exists"

# ---- runtime packages ----
if command -v dpkg >/dev/null 2>&1 && command -v objdump >/dev/null 2>&1; then
	pk=$("$SRC/tools/install.sh" runtime-packages "$BIN" 2>&1)
	is "$?" 0 "tools/install.sh runtime-packages" || diag "$pk"
	for want in '^libpq5$' '^libyaml-0-2$' '^libpg-query' '^postgresql-[0-9]+$'; do
		like "$pk" "$want" "the runtime image gets $want"
	done
else
	skip 5 "dpkg or objdump is not installed"
fi

# ---- the entrypoint, outside a container ----
EP="$SRC/tools/docker-entrypoint.sh"
ep() {
	SCHEMAGEN_BIN="$BIN" "$EP" "$@" >"$T/ep.out" 2>"$T/ep.err"
	echo $?
}
# the same, through env (which cannot call a function)
SHELL_EP="$T/ep.sh"
printf '#!/bin/sh\nSCHEMAGEN_BIN="%s" "%s" "$@" >"%s" 2>"%s"\necho $?\n' \
	"$BIN" "$EP" "$T/ep.out" "$T/ep.err" >"$SHELL_EP"
chmod +x "$SHELL_EP"
is "$(ep)" 0 "entrypoint, no argument: exit 0"
is_file "$T/ep.out" "$T/help.built" "... schemagen --help"
is "$(ep schemagen)" 0 "entrypoint schemagen: exit 0"
is_file "$T/ep.out" "$T/help.built" "... schemagen --help"
is "$(ep current)" 0 "entrypoint current: schemagen current"
like "$(cat "$T/ep.out")" "^[0-9a-f]{12} \\(head\\)$" "... the database is at the head"
is "$(ep schemagen heads)" 0 "entrypoint schemagen heads"
is "$(ep --version)" 0 "entrypoint --version"
is "$(cat "$T/ep.out")" "$("$SCHEMAGEN" --version)" "... options go to schemagen"
is "$(ep help upgrade)" 0 "entrypoint help upgrade"
like "$(cat "$T/ep.out")" "^usage: schemagen upgrade" "... schemagen help upgrade"
is "$(ep sh -c 'echo from sh; exit 3')" 3 "another program runs as given, its exit status kept"
is "$(cat "$T/ep.out")" "from sh" "... its output"
is "$(ep nosuchcommand)" 127 "an unknown program: the shell's 127"
# check exits 1 on a difference: the status passes through
q "CREATE TABLE public.extra (id int)" >/dev/null
is "$(ep check)" 1 "entrypoint check: exit 1 on a difference"
q "DROP TABLE public.extra" >/dev/null
# DATABASE_URL_FILE: the secret's first line
printf '%s\n' "$DATABASE_URL" >"$T/secret"
saved=$DATABASE_URL
unset DATABASE_URL
is "$(DATABASE_URL_FILE="$T/secret" ep upgrade head)" 0 "DATABASE_URL_FILE: upgrade head"
like "$(cat "$T/ep.err")" "^target: .*/$DB as " "... on the secret's database"
is "$(DATABASE_URL_FILE="$T/secret" DATABASE_URL=x ep current)" 2 "DATABASE_URL and DATABASE_URL_FILE both: exit 2"
is "$(cat "$T/ep.err")" "docker-entrypoint.sh: both DATABASE_URL and DATABASE_URL_FILE are set: give one" "... saying so"
is "$(DATABASE_URL_FILE="$T/nofile" ep current)" 2 "an unreadable DATABASE_URL_FILE: exit 2"
is "$(env -u PGHOST -u PGPORT -u PGDATABASE -u PGSERVICE -u PGHOSTADDR "$SHELL_EP" upgrade head)" 2 "no database at all: upgrade refuses (exit 2), as schemagen does"
DATABASE_URL=$saved

# ---- the Dockerfile and the workflow ----
missing=""
for s in $(grep -oE 'tools/[a-z-]+\.sh' "$SRC/Dockerfile" | sort -u); do
	[ -x "$SRC/$s" ] || missing="$missing $s"
done
is "$missing" "" "the Dockerfile's scripts exist ($(grep -oE 'tools/[a-z-]+\.sh' "$SRC/Dockerfile" | sort -u | tr '\n' ' '))"
like "$(cat "$SRC/Dockerfile")" '^ENTRYPOINT \["docker-entrypoint.sh"\]$' "its entrypoint is tools/docker-entrypoint.sh"
cmds=$("$SCHEMAGEN" __complete commands | cut -f1)
used=$(grep -oE '"\$SCHEMAGEN_IMAGE" [a-z]+' "$SRC/docs/ci/github-actions.yml" | awk '{ print $2 }' | sort -u)
is "$(echo "$used" | tr '\n' ' ')" "check lint upgrade " "the workflow runs check, lint and upgrade"
missing=""
for c in $used; do echo "$cmds" | grep -qx "$c" || missing="$missing $c"; done
is "$missing" "" "... which are schemagen commands"

# ---- the problem matcher, on real output ----
cd "$T" || exit 1
"$SCHEMAGEN" init pm >/dev/null 2>&1
cd pm || exit 1
cat >schema/public.yaml <<'EOF'
tables:
  t:
    colums:
      id: bigint
EOF
"$SCHEMAGEN" diff --url "$DATABASE_URL" >"$T/pm1.out" 2>"$T/pm1.err"
is "$?" 2 "a model error (exit 2)"
printf 'tables:\n  t:\n    columns:\n      id: bigint\n' >schema/public.yaml
mkdir -p migrations
cat >migrations/0000000000aa_bad.sql <<'EOF'
-- schemagen revision: 0000000000aa
-- parents:
-- message: bad
-- created: 2026-01-01T00:00:00Z

-- +upgrade
CREATE TABLE public.t (id bigint);
ALTER TABLE public.t ADD COLUMN x int NOT NULL DEFAULT 1/0;
DROP TABLE public.legacy;

-- +downgrade
DROP TABLE public.t;
EOF
DB2=$(new_db pm)
"$SCHEMAGEN" upgrade head --url "$(conninfo "$DB2")" >"$T/pm2.out" 2>"$T/pm2.err"
is "$?" 2 "a failing migration (exit 2)"
"$SCHEMAGEN" lint migrations/0000000000aa_bad.sql >"$T/pm3.out" 2>"$T/pm3.err"
is "$?" 1 "lint: a hazard (exit 1)"
cat "$T/pm1.err" "$T/pm2.err" "$T/pm3.out" "$T/pm3.err" >"$T/all"
python3 - "$SRC/docs/ci/schemagen-matcher.json" "$T/all" >"$T/pm.got" <<'EOF'
import json, re, sys
m = json.load(open(sys.argv[1]))
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.rstrip("\n")
    for pm in m["problemMatcher"]:
        p = pm["pattern"][0]
        g = re.match(p["regexp"], line)
        if g:
            f = lambda k: g.group(p[k]) if k in p else ""
            print("%s|%s|%s|%s|%s|%s" % (pm["owner"], f("file"), f("line"), f("column"),
                                      f("severity") or pm.get("severity", ""), f("message")))
EOF
# what schemagen printed as file:line[:col]: error|hazard, taken apart by sed
{
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning): ' "$T/all" |
		sed -E 's/^([^:]+):([0-9]+):([0-9]+): (error|warning): (.*)$/schemagen|\1|\2|\3|\4|\5/'
	grep -E '^[^ ]+:[0-9]+: hazard ' "$T/all" |
		sed -E 's/^([^:]+):([0-9]+): (hazard .*)$/schemagen-hazard|\1|\2||warning|\3/'
} >"$T/pm.want"
is_file "$T/pm.got" "$T/pm.want" "the matcher takes each error and hazard apart, and matches nothing else"
like "$(cat "$T/pm.got")" '^schemagen\|schema/public\.yaml\|3\|5\|error\|unknown key "colums" in table "t"$' \
	"a model error: file, line, column, message"
like "$(cat "$T/pm.got")" '^schemagen\|migrations/0000000000aa_bad\.sql\|8\|[0-9]+\|error\|division by zero' \
	"a failing statement: the migration's file and line"
like "$(cat "$T/pm.got")" '^schemagen-hazard\|migrations/0000000000aa_bad\.sql\|9\|\|warning\|hazard ' \
	"a hazard: a warning at the statement's line"
for f in $(cut -d'|' -f2 "$T/pm.got" | sort -u); do
	ok "$f: the path is relative to the project, as the checkout has it" test -f "$f"
done
ok "the output has hint lines" grep -q '^  hint: ' "$T/all"
ok "... which the matcher leaves alone" sh -c '! grep -q "hint:" "$1"' sh "$T/pm.got"

done_testing
