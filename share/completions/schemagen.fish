# fish completion for schemagen
# SPDX-License-Identifier: MIT
# The words come from schemagen itself (`schemagen __complete ...`).

function __schemagen_cmd
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case --url -c --config
                set skip 1
            case '-*'
            case '*'
                echo $w
                return 0
        end
    end
    return 1
end

function __schemagen_no_cmd
    not __schemagen_cmd >/dev/null
end

function __schemagen_cmd_in
    set -l c (__schemagen_cmd); or return 1
    contains -- $c $argv
end

function __schemagen_options
    set -l c (__schemagen_cmd)
    for o in (schemagen __complete options $c 2>/dev/null)
        echo $o
    end
end

function __schemagen_revisions
    schemagen __complete revisions 2>/dev/null
    printf '%s\n' head heads base current
end

complete -c schemagen -f
complete -c schemagen -n __schemagen_no_cmd -a '(schemagen __complete commands 2>/dev/null)'
complete -c schemagen -n __schemagen_no_cmd -a help -d 'help on a command'
complete -c schemagen -n '__schemagen_cmd_in help' -a '(schemagen __complete commands 2>/dev/null)'
complete -c schemagen -n 'string match -q -- "-*" (commandline -ct)' -a '(__schemagen_options)'
complete -c schemagen -n '__schemagen_cmd_in upgrade downgrade stamp show merge' -a '(__schemagen_revisions)'
complete -c schemagen -n '__schemagen_cmd_in embedded' -a 'start stop status url'
complete -c schemagen -n '__schemagen_cmd_in init dump lint' -F
