# SPDX-License-Identifier: MIT
# zcomplete.zsh DIR LINE: what zsh's own completion system (compinit, with
# the completion functions of DIR first in $fpath) offers for the last word
# of LINE, one per line.  An interactive zsh on a pseudo-terminal (zsh/zpty)
# is sent LINE and a TAB; compadd is wrapped to print the matches it adds.
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "PROMPT= ; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "compadd() { local -a h; builtin compadd -O h \"\$@\"; print -rl -- '' '<<' \$h '>>'; builtin compadd \"\$@\"; }"
zpty -w z "sg_end() { print -r -- '<<END>>'; }; comppostfuncs=(sg_end)"
zpty -w z "zstyle ':completion:*' insert-tab false; bindkey '^I' complete-word"
zpty -w z "print -r -- '<<'READY'>>'"
zpty -r z out '*<<READY>>*' || exit 2
zpty -w z "$2"$'\t'
zpty -r z out '*<<END>>*' || exit 2
zpty -d z
on=0
for line in "${(@f)out}"; do
	line=${line//$'\r'/}
	case $line in
	'<<END>>'*) break ;;
	'<<') on=1 ;;
	'>>') on=0 ;;
	*) (( on )) && print -r -- $line ;;
	esac
done
return 0
