# bash completion for schemagen                          -*- shell-script -*-
# SPDX-License-Identifier: MIT
#
# The words come from schemagen itself (`schemagen __complete commands`,
# `options CMD`, `revisions`), so a new command or option documented in
# its help is completed without changing this file; revision ids and
# branch labels are those of the project in the working folder (or -c).

_schemagen_revisions()
{
	local cfg=() i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		-c|--config) cfg=(-c "${COMP_WORDS[i+1]}") ;;
		--config=*) cfg=(-c "${COMP_WORDS[i]#--config=}") ;;
		esac
	done
	"${COMP_WORDS[0]}" "${cfg[@]}" __complete revisions 2>/dev/null
	printf '%s\n' head heads base current
}

_schemagen()
{
	local cur prev cmd="" i words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	# the command: the first word that is not an option or an option's value
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--url|-c|--config) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	case $prev in
	-c|--config)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-o|--output)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--url|-m|--message|--lock-wait|--lock-timeout|--statement-timeout|--branch-label|--rev-id)
		return ;;
	--head|--depends-on|--accept-changed|-r|--rev-range)
		COMPREPLY=($(compgen -W "$(_schemagen_revisions)" -- "$cur")); return ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			words=$("${COMP_WORDS[0]}" __complete options 2>/dev/null)
		else
			words=$("${COMP_WORDS[0]}" __complete commands 2>/dev/null | cut -f1)
			words+=$'\nhelp'
		fi
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		words=$("${COMP_WORDS[0]}" __complete options "$cmd" 2>/dev/null)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $cmd in
	help)
		words=$("${COMP_WORDS[0]}" __complete commands 2>/dev/null | cut -f1) ;;
	upgrade|downgrade|stamp|show|merge)
		words=$(_schemagen_revisions) ;;
	embedded)
		words="start stop status url" ;;
	init|dump|lint)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	*)
		return ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _schemagen schemagen
