# bash completion for reportgen(1): commands, each command's options, the
# kinds and frameworks of "new", theme names, and .xml, .pdf, .csv and .xlsx
# files and folders.
# The commands and options are read from "reportgen --help" and
# "reportgen COMMAND --help", so this file follows the program.

_reportgen_files()
{
    # files ending in each of the extensions given (xml, pdf), and folders to go into
    local IFS=$'\n' ext
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -d -- "$cur"))
    for ext; do
        COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
    done
}

_reportgen_dirs()
{
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -d -- "$cur"))
}

_reportgen_themes()
{
    local base dir names=
    base=$(command -v "${COMP_WORDS[0]}" 2>/dev/null)
    for dir in ${REPORTGEN_PATH//:/ } ${REPORTGEN_DATADIR:-${base%/bin/*}/share/reportgen}; do
        [ -d "$dir/templates/themes" ] || continue
        names="$names $(cd "$dir/templates/themes" && ls *.xml 2>/dev/null | sed 's/\.xml$//')"
    done
    COMPREPLY+=($(compgen -W "$names" -- "$cur"))
    [[ $cur == */* || $cur == .* ]] && _reportgen_files xml
}

_reportgen_frameworks()
{
    # templates/KIND/frameworks/*.xml of the kind named after "new"
    local base dir names= kind=${COMP_WORDS[2]}
    base=$(command -v "${COMP_WORDS[0]}" 2>/dev/null)
    for dir in ${REPORTGEN_PATH//:/ } ${REPORTGEN_DATADIR:-${base%/bin/*}/share/reportgen}; do
        [ -d "$dir/templates/$kind/frameworks" ] || continue
        names="$names $(cd "$dir/templates/$kind/frameworks" && ls *.xml 2>/dev/null | sed 's/\.xml$//')"
    done
    COMPREPLY+=($(compgen -W "$names" -- "$cur"))
}

_reportgen()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local prog=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} i
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        local cmds
        cmds=$("$prog" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
        COMPREPLY=($(compgen -W "$cmds help --help --version" -- "$cur"))
        return
    fi
    case $prev in
        -o|--output)
            case $cmd in
                batch|import) _reportgen_dirs ;;
                new) _reportgen_files xml ;;
                export) _reportgen_files csv ;;
                *) _reportgen_files pdf ;;
            esac
            return ;;
        --template) _reportgen_files xml; return ;;
        --theme) _reportgen_themes; return ;;
        --format) COMPREPLY=($(compgen -W "pdf trace" -- "$cur")); return ;;
        --root) _reportgen_dirs; return ;;
        --framework) _reportgen_frameworks; return ;;
        -j|--jobs|--timeout|--year|--state|--sheet) return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$("$prog" "$cmd" --help 2>/dev/null | sed -n 's/^  \(-[^ ,]*\)\(, \(-[^ ]*\)\)\{0,1\}.*/\1 \3/p')
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
        new)
            # the kind, once
            for ((i = 2; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                    -o|--output|--state|--year|--framework) ((i++)) ;;
                    -*) ;;
                    *) return ;;
                esac
            done
            COMPREPLY=($(compgen -W "$("$prog" new --list 2>/dev/null)" -- "$cur")) ;;
        help)
            [ "$COMP_CWORD" -eq 2 ] &&
                COMPREPLY=($(compgen -W "$("$prog" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')" -- "$cur")) ;;
        overview|export) _reportgen_dirs ;;
        batch|import) _reportgen_files csv xlsx ;;
        *) _reportgen_files xml ;;
    esac
}
complete -F _reportgen reportgen
