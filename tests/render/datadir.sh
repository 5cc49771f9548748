#!/bin/sh
# Files and folders: a data folder whose path a URI must escape (a space, a
# percent sign), where the templates' xsl:import and document() still find
# their files; the mode of the PDF written.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
D="$WORK/data dir 100%"
mkdir -p "$D" && cp -R "$ROOT/templates" "$ROOT/fonts" "$D/"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$D" $VG "$BIN" render data/ct-progress-brief.xml -o "$WORK/brief sp.pdf" 2>&1); rc=$?
[ $rc = 0 ] && qpdf --check "$WORK/brief sp.pdf" >/dev/null 2>&1
check "a data folder named 'data dir 100%': the brief (xsl:import, document()) renders" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$D" $VG "$BIN" overview data/states -o "$WORK/overview sp.pdf" 2>&1); rc=$?
[ $rc = 0 ] && qpdf --check "$WORK/overview sp.pdf" >/dev/null 2>&1
check "the same folder: the overview (document('') and its framework file) renders" $? "$out"

# The PDF's mode is 0666 less the umask, like any file a program makes.
for um in 022 027 077; do
    rm -f "$WORK/mode.pdf"
    out=$(cd "$ROOT" && umask $um && "$BIN" render data/ct-2021-card.xml -o "$WORK/mode.pdf" 2>&1)
    mode=$(stat -c %a "$WORK/mode.pdf" 2>/dev/null)
    want=$(printf '%o' $((0666 & ~0$um)))
    [ "$mode" = "$want" ]; check "umask $um: the PDF's mode is $want (got ${mode:-none})" $? "$out"
done
