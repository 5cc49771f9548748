#!/bin/sh
# A data folder whose path a URI must escape (a space, a percent sign): the
# templates' xsl:import and document() still find their files.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
D="$WORK/data dir 100%"
mkdir -p "$D" && cp -R "$ROOT/templates" "$ROOT/fonts" "$D/"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$D" $VG "$BIN" render data/ct-progress-brief.xml -o "$WORK/brief sp.pdf" 2>&1); rc=$?
[ $rc = 0 ] && qpdf --check "$WORK/brief sp.pdf" >/dev/null 2>&1
check "a data folder named 'data dir 100%': the brief (xsl:import, document()) renders" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$D" $VG "$BIN" overview data/states -o "$WORK/overview sp.pdf" 2>&1); rc=$?
[ $rc = 0 ] && qpdf --check "$WORK/overview sp.pdf" >/dev/null 2>&1
check "the same folder: the overview (document('') and grades.xml) renders" $? "$out"
