#!/bin/sh
# The command line: --help on every command, the manual page true to it,
# bash completion, check over folders, a PDF's name, make install.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
C="$WORK/cli"
mkdir -p "$C"
cmds=$("$BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo $cmds | wc -w)" -ge 5 ]; check "reportgen --help lists the commands: $(echo $cmds)" $?

# ---- --help, -h and help COMMAND: the command's own help, exit 0
for c in $cmds; do
    out=$($VG "$BIN" "$c" --help 2>&1); rc=$?
    [ $rc = 0 ] && printf '%s\n' "$out" | head -1 | grep -q "^usage: reportgen $c " && printf '%s\n' "$out" | grep -q '^Options:'
    check "reportgen $c --help: its usage and options, exit 0" $? "$rc $out"
    [ "$("$BIN" "$c" -h 2>&1)" = "$out" ] && [ "$("$BIN" help "$c" 2>&1)" = "$out" ] &&
        [ "$("$BIN" "$c" some.xml --help 2>&1)" = "$out" ]
    check "reportgen $c -h, reportgen help $c and --help after an argument say the same" $?
done
out=$("$BIN" render --bogus 2>&1); rc=$?
[ $rc = 2 ] && printf '%s\n' "$out" | grep -q "^Run 'reportgen render --help'"
check "a usage error shows the command's usage and where its help is (exit $rc)" $? "$out"

# ---- the manual page: it renders, and holds every command and option of the help
MAN="$ROOT/man/reportgen.1"
warn=$(MANWIDTH=100 man --warnings -l "$MAN" 2>&1 >/dev/null)
page=$(MANWIDTH=100 man -l "$MAN" 2>/dev/null | sed 's/.\x08//g')
[ -z "$warn" ] && printf '%s\n' "$page" | grep -q '^NAME'
check "man -l man/reportgen.1 renders without warnings" $? "$warn"
missing=""
for c in $cmds help; do
    printf '%s\n' "$page" | grep -q "reportgen $c\b" || missing="$missing $c"
done
for c in "" $cmds; do
    for o in $("$BIN" $c --help | sed -n 's/^  \(-[^ ,]*\)\(, \(-[^ ]*\)\)\{0,1\}.*/\1 \3/p'); do
        printf '%s\n' "$page" | grep -q -- "$o\b" || missing="$missing ${c:-reportgen}:$o"
    done
done
[ -z "$missing" ]; check "every command and option of --help is in the manual page" $? "missing:$missing"
# and the test itself sees a gap: a page without --changed
sed 's/changed/chnged/g' "$MAN" > "$C/broken.1"
MANWIDTH=100 man -l "$C/broken.1" 2>/dev/null | sed 's/.\x08//g' | grep -q -- '--changed\b'
[ $? != 0 ]; check "a manual page that lost --changed is caught" $?

# ---- bash completion
if command -v bash >/dev/null; then
    comp() { PATH="$(dirname "$BIN"):$PATH" bash -c '. "$1/completion/reportgen.bash"; shift
             COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _reportgen; echo "${COMPREPLY[*]}"' _ "$ROOT" "$@"; }
    [ "$(comp reportgen ren)" = render ]; check "completion: a command" $?
    got=$(comp reportgen new ''); [ "$got" = "$("$BIN" new --list | tr '\n' ' ' | sed 's/ $//')" ]
    check "completion: the kinds of new ($got)" $?
    got=$(comp reportgen render --f); [ "$got" = --format ]; check "completion: render's options ($got)" $?
    got=$(comp reportgen batch --ch); [ "$got" = --changed ]; check "completion: batch's options ($got)" $?
    got=$(cd "$ROOT" && comp reportgen render data/ct-2021-c); [ "$got" = data/ct-2021-card.xml ]
    check "completion: .xml files ($got)" $?
    got=$(comp reportgen render x.xml --format ''); [ "$got" = "pdf trace" ]; check "completion: formats ($got)" $?
    got=$(comp reportgen render x.xml --theme neu); [ "$got" = neutral ]; check "completion: theme names ($got)" $?
    got=$(cd "$ROOT" && comp reportgen import data/sheets/cards-2021.x); [ "$got" = data/sheets/cards-2021.xlsx ]
    check "completion: a sheet to import ($got)" $?
    got=$(comp reportgen new report-card --framework agen); [ "$got" = agenda-2025 ]
    check "completion: a kind's frameworks ($got)" $?
fi

# ---- check takes folders, as batch and overview do
out=$(cd "$ROOT" && $VG "$BIN" check data/states 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]; check "check data/states: every card checks clean" $? "$out"
mkdir -p "$C/cards"
cp "$ROOT/data/states/alabama.xml" "$ROOT/data/states/alaska.xml" "$C/cards/"
sed 's/score="[0-9.]*"/score="9%"/' "$ROOT/data/states/arizona.xml" > "$C/cards/arizona.xml"
out=$($VG "$BIN" check "$C/cards" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(printf '%s\n' "$out" | grep -c "^$C/cards/arizona.xml:.*9%")" -ge 1 ] &&
    ! printf '%s\n' "$out" | grep -q alabama
check "check DIR: each .xml in it, the bad one named (exit $rc)" $? "$out"
out=$("$BIN" check "$C/cards/alabama.xml" "$C/cards" 2>&1 >/dev/null | grep -c arizona); [ "$out" -ge 1 ]
check "check FILE DIR: files and folders together" $?

# ---- a PDF's name ends in .pdf
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$C/tx.docx" 2>&1); rc=$?
[ $rc = 2 ] && [ ! -e "$C/tx.docx" ] && printf '%s\n' "$out" | grep -q "name it '$C/tx.pdf'"
check "render -o tx.docx: exit 2, nothing written, the right name given" $? "$out"
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$C/TX.PDF" 2>&1); rc=$?
[ $rc = 0 ] && [ -s "$C/TX.PDF" ]; check "render -o TX.PDF: written" $? "$out"
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml --format trace -o "$C/card.txt" 2>&1); rc=$?
[ $rc = 0 ] && [ -s "$C/card.txt" ]; check "a trace may have any name" $? "$out"
out=$(cd "$ROOT" && "$BIN" overview data/states -o "$C/overview.png" 2>&1); rc=$?
[ $rc = 2 ] && [ ! -e "$C/overview.png" ]; check "overview -o overview.png: exit 2" $? "$out"

# ---- REPORTGEN_THREADS: a number from 1 to 1024, else a usage error;
# one thread writes the same bytes as the default
for bad in 0 two 2000 -1; do
    out=$(cd "$ROOT" && REPORTGEN_THREADS=$bad "$BIN" render data/ct-2021-card.xml -o "$C/threads.pdf" 2>&1); rc=$?
    [ $rc = 2 ] && [ ! -e "$C/threads.pdf" ] &&
        [ "$(printf '%s\n' "$out" | head -1)" = "reportgen: REPORTGEN_THREADS '$bad' is not a number from 1 to 1024" ]
    check "REPORTGEN_THREADS=$bad: exit 2, said, nothing written" $? "$out"
done
out=$(cd "$ROOT" && REPORTGEN_THREADS=x "$BIN" batch data/states -o "$C/tb" 2>&1); rc=$?
[ $rc = 2 ] && [ ! -e "$C/tb" ]; check "batch with REPORTGEN_THREADS=x: exit 2, no folder made" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_THREADS=1 "$BIN" render data/ct-analysis.xml -o "$C/one.pdf" 2>&1) &&
    (cd "$ROOT" && REPORTGEN_THREADS=2 "$BIN" render data/ct-analysis.xml -o "$C/two.pdf") && cmp -s "$C/one.pdf" "$C/two.pdf"
check "REPORTGEN_THREADS=1: the same bytes as two threads (the analysis: 10 kB of data)" $? "$out"

# ---- Without REPORTGEN_FREE_AT_EXIT the process's end frees what a command
# held: the same bytes, words and status as with it, for a document with
# warnings, a bad one and a batch (LeakSanitizer told not to look then)
for doc in data/tip-2021-annual.xml tests/errors/brief-footer-overflow.xml; do
    [ -f "$ROOT/$doc" ] || { check "$doc exists" 1; continue; }
    b=$(basename "$doc" .xml)
    (cd "$ROOT" && "$BIN" render "$doc" -o "$C/$b-freed.pdf" >"$C/$b-freed.out" 2>&1); rc1=$?
    (cd "$ROOT" && env -u REPORTGEN_FREE_AT_EXIT ASAN_OPTIONS=detect_leaks=0 "$BIN" render "$doc" -o "$C/$b-kept.pdf" \
        >"$C/$b-kept.out" 2>&1); rc2=$?
    [ $rc1 = $rc2 ] && cmp -s "$C/$b-freed.out" "$C/$b-kept.out" &&
        { [ ! -e "$C/$b-freed.pdf" ] && [ ! -e "$C/$b-kept.pdf" ] || cmp -s "$C/$b-freed.pdf" "$C/$b-kept.pdf"; }
    check "$doc without REPORTGEN_FREE_AT_EXIT: status $rc2, the same words and bytes" $? "$(cat "$C/$b-kept.out")"
done
out=$(cd "$ROOT" && env -u REPORTGEN_FREE_AT_EXIT ASAN_OPTIONS=detect_leaks=0 "$BIN" batch data/states -o "$C/kept" 2>&1) &&
    [ "$(ls "$C/kept" | wc -l)" = "$(ls "$ROOT"/data/states/*.xml | wc -l)" ]
check "batch without REPORTGEN_FREE_AT_EXIT: every card written" $? "$out"

# ---- make install into a DESTDIR, then make uninstall
if [ -z "$RG_SKIP_INSTALL" ]; then
    I="$C/root"
    log=$(cd "$ROOT" && env -u MAKEFLAGS -u MAKELEVEL -u OUT -u OPT -u LDFLAGS make --no-print-directory install DESTDIR="$I" PREFIX=/usr/local 2>&1)
    rc=$?
    P="$I/usr/local"
    [ $rc = 0 ] && [ -x "$P/bin/reportgen" ] && [ -f "$P/share/reportgen/templates/report-card/starter.xsl" ] &&
        [ -f "$P/share/man/man1/reportgen.1" ] && [ -f "$P/share/bash-completion/completions/reportgen" ]
    check "make install DESTDIR=...: the program, templates, fonts, man page and completion" $? "$log"
    MANWIDTH=100 man -l "$P/share/man/man1/reportgen.1" 2>/dev/null | sed 's/.\x08//g' | grep -q 'reportgen render'
    check "man -l shows the installed page" $?
    out=$(cd "$C" && REPORTGEN_DATADIR="$P/share/reportgen" "$P/bin/reportgen" new report-card --year 2026 -o inst.xml &&
          REPORTGEN_DATADIR="$P/share/reportgen" "$P/bin/reportgen" render inst.xml -o inst.pdf 2>&1)
    [ $? = 0 ] && [ -s "$C/inst.pdf" ]; check "the installed program writes a starter and renders it" $? "$out"
    log=$(cd "$ROOT" && env -u MAKEFLAGS -u MAKELEVEL -u OUT -u OPT -u LDFLAGS make --no-print-directory uninstall DESTDIR="$I" PREFIX=/usr/local 2>&1)
    left=$(find "$I" -type f)
    [ -z "$left" ]; check "make uninstall removes every file it installed" $? "$left"
fi

# ---- the README's table of the warnings make demo prints: as many rows' warnings as check
# prints, each warning's sample, line and subject in the table
warnings=$(cd "$ROOT" && "$BIN" check data/*.xml 2>&1 | grep ': warning: ')
table=$(sed -n '/^## The warnings `make demo` prints/,/^## /p' "$ROOT/README.md" | grep '^| `')
missing=""
n=0
for w in $(printf '%s\n' "$warnings" | sed 's/^data\/\([^:]*\):\([0-9]*\):.*/\1:\2/'); do
    n=$((n + 1))
    f=${w%%:*}; l=${w##*:}
    printf '%s\n' "$table" | grep -q -e "\`$f:$l\`" -e "\`$f:[0-9]*\`.*\`:$l\`" || missing="$missing $w"
done
stated=$(sed -n '/^## The warnings `make demo` prints/,/^## /p' "$ROOT/README.md" | tr '\n' ' ' | grep -o 'prints these [a-z]* warnings' | awk '{print $3}')
words="zero one two three four five six seven eight nine ten"
want=$(echo $words | cut -d' ' -f$((n + 1)))
[ -z "$missing" ] && [ "$stated" = "$want" ]
check "README's table holds each of the $n warnings check prints for data/ (says '$stated')" $? "not in the table:$missing"
