#!/bin/sh
# SPDX-License-Identifier: MIT
# t3855-completion: share/completions/schemagen.bash, sourced in bash,
# completes what schemagen has: commands, each command's options, revision
# ids, prefixes and branch labels of the project in the working folder (or
# of -c FILE's), TARGET keywords, help's commands; nothing from a folder
# that is no project; and every option it offers is one the command takes.
# The zsh and fish scripts give the same answers through those shells' own
# completion systems (tools/setup.sh --test installs zsh and fish).
SG_NO_SERVER=1
. "$(dirname "$0")/lib.sh"

command -v bash >/dev/null 2>&1 || skip_all "bash is not installed"
COMP="$SG_SOURCE_ROOT/share/completions/schemagen.bash"
export HOME="$T/home" SCHEMAGEN_HOME="$T/sghome"
unset PGHOST PGPORT PGDATABASE PGSERVICE PGHOSTADDR
mkdir -p "$HOME"

# comp WORDS...: what bash completes for the last word (one per line, sorted)
comp() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_schemagen
		printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$COMP" "$SCHEMAGEN" "$@"
}

cd "$T" || exit 1
run init p
is_rc 0 "init a project"
cd p || exit 1
run revision -m first
is_rc 0 "a first revision"
R1=$(basename "$OUT" | cut -d_ -f1)
run revision -m second --branch-label side
is_rc 0 "a second revision, with a branch label"
R2=$(basename "$OUT" | cut -d_ -f1)
name_rev "$R1" R1
name_rev "$R2" R2

is "$(comp up)" "upgrade" "a command"
is "$(comp "")" "$( ("$SCHEMAGEN" __complete commands | cut -f1; echo help) | sort)" \
	"every command, and help"
is "$(comp d)" "diff
downgrade
dump" "commands by prefix"
is "$(comp upgrade --lock-)" "--lock-timeout
--lock-wait" "upgrade's options by prefix"
is "$(comp downgrade --fo)" "--force-irreversible
--format" "downgrade's own option, and the global --format"
like "$(comp downgrade --)" "^--statement-timeout$" "downgrade has upgrade's options too"
is "$(comp revision --a)" "--allow-empty
--allow-version-mismatch
--autogenerate" "revision's options and a global one"
like "$(comp check --)" "^--roundtrip$" "check's options"
like "$(comp check --)" "^--url$" "global options with every command"
is "$(comp --v)" "--verbose" "global options before the command"
is "$(comp upgrade "" | norm_rev | sort)" "$( (echo R1; echo R2; printf '%s\n' base current head heads side) | sort)" \
	"upgrade: revision ids, the branch label, the keywords"
is "$(comp upgrade "$(echo "$R2" | cut -c1-3)" | norm_rev | sort)" "R2" "a revision by prefix"
is "$(comp show si)" "side" "show: a branch label"
is "$(comp revision --head "" | norm_rev | sort | tr '\n' ' ')" \
	"$( (echo R1; echo R2; printf '%s\n' base current head heads side) | sort | tr '\n' ' ')" \
	"revision --head: revisions"
is "$(comp help rev)" "revision" "help: commands"
is "$(comp embedded st)" "start
status
stop" "embedded: its subcommands"
is "$(comp -c "$T/p/schemagen.yaml" current --e)" "--embedded" "options after -c FILE"

cd "$T" || exit 1
mkdir empty
is "$(cd empty && comp upgrade "" | tr '\n' ' ')" "base current head heads " \
	"no project: only the keywords, no error"
is "$(cd empty && comp -c "$T/p/schemagen.yaml" stamp "" | norm_rev | sort | tr '\n' ' ')" \
	"$( (echo R1; echo R2; printf '%s\n' base current head heads side) | sort | tr '\n' ' ')" \
	"-c FILE: that project's revisions"

# every option offered is one the command takes: with a value where it
# needs one, it gets past option parsing (to the missing config file)
bad=""
for c in $("$SCHEMAGEN" __complete commands | cut -f1); do
	for o in $(comp "$c" -); do
		case $o in -h|--help) continue ;; esac
		(cd empty && "$SCHEMAGEN" "$c" "$o" 1 -c "$T/none/schemagen.yaml" >"$T/o.out" 2>"$T/o.err")
		grep -q "unknown option or missing argument" "$T/o.err" && bad="$bad $c:$o"
	done
done
is "$bad" "" "every option completed is taken by its command"
ok "an unknown option is reported so (the check above can fail)" \
	sh -c '"$1" upgrade --nonsense 2>&1 | grep -q "unknown option or missing argument"' sh "$SCHEMAGEN"

# zsh and fish: the same answers from their own completion systems (zsh's
# compinit on a pseudo-terminal, fish's `complete -C`), schemagen on PATH
export PATH="$(dirname "$SCHEMAGEN"):$PATH"
zcomp() { # LINE
	zsh -f "$SG_SOURCE_ROOT/tests/integration/zcomplete.zsh" \
		"$SG_SOURCE_ROOT/share/completions" "$1" | sort -u
}
fcomp() { # LINE
	fish -c 'source $argv[1]; complete -C $argv[2]' \
		"$SG_SOURCE_ROOT/share/completions/schemagen.fish" "$1" | cut -f1 | sort -u
}
for sh in zsh fish; do
	if ! command -v $sh >/dev/null 2>&1; then
		skip 11 "$sh is not installed (tools/setup.sh --test installs it)"
		continue
	fi
	c=zcomp
	[ $sh = fish ] && c=fcomp
	cd "$T/p" || exit 1
	is "$($c "schemagen up")" "upgrade" "$sh: a command"
	is "$($c "schemagen d")" "diff
downgrade
dump" "$sh: commands by prefix"
	is "$($c "schemagen upgrade --lock-")" "--lock-timeout
--lock-wait" "$sh: upgrade's options by prefix"
	like "$($c "schemagen check --")" "^--roundtrip$" "$sh: check's options"
	like "$($c "schemagen check --")" "^--url$" "$sh: global options with every command"
	is "$($c "schemagen upgrade " | norm_rev | sort | tr '\n' ' ')" \
		"$( (echo R1; echo R2; printf '%s\n' base current head heads side) | sort | tr '\n' ' ')" \
		"$sh: upgrade: revision ids, the branch label, the keywords"
	is "$($c "schemagen upgrade $(echo "$R2" | cut -c1-3)" | norm_rev)" "R2" "$sh: a revision by prefix"
	is "$($c "schemagen help rev")" "revision" "$sh: help: commands"
	is "$($c "schemagen embedded st")" "start
status
stop" "$sh: embedded: its subcommands"
	is "$($c "schemagen -c $T/p/schemagen.yaml current --e")" "--embedded" "$sh: options after -c FILE"
	is "$(cd "$T/empty" && $c "schemagen upgrade " | tr '\n' ' ')" "base current head heads " \
		"$sh: no project: only the keywords, no error"
done
cd "$T" || exit 1
ok "schemagen.bash: bash -n" bash -n "$COMP"

done_testing
