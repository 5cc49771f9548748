#!/bin/sh
# Every sample in data/ (and every state card): check says only what
# tests/render/samples.expect lists (the seeds' own slips, as the README's
# table explains), and each renders to a PDF that qpdf passes without a
# warning, that poppler reads without a word on stderr, whose fonts are
# embedded subsets with a ToUnicode and names of their own, and whose words stay
# on the page, inside its margins and off each other (pdf-layout-check).
TOOLS="$ROOT/../shared/tools"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
out=$(cd "$ROOT" && $VG "$BIN" check data/*.xml data/states/*.xml 2>&1)
[ "$out" = "$(cat "$ROOT/tests/render/samples.expect")" ]
check "check data/*.xml data/states/*.xml: only the seeds' own slips" $? "$(printf '%s\n' "$out" | diff "$ROOT/tests/render/samples.expect" - | head -20)"
n=0
for f in "$ROOT"/data/*.xml; do
    b=$(basename "$f" .xml)
    n=$((n + 1))
    pdf="$WORK/sample-$b.pdf"
    out=$(cd "$ROOT" && $VG "$BIN" render "data/$b.xml" -o "$pdf" 2>&1 >/dev/null); rc=$?
    [ $rc = 0 ] || { check "$b: renders" 1 "$out"; continue; }
    out=$(qpdf --check "$pdf" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -qi warning && rc=1
    check "$b: qpdf --check clean" $rc "$out"
    err=$(pdftotext "$pdf" /dev/null 2>&1); [ -z "$err" ]
    check "$b: pdftotext says nothing on stderr" $? "$err"
    # Our fonts: each a CID TrueType with Identity-H, embedded, subset, with a
    # ToUnicode, named ABCDEF+PostScriptName, and no two with one name.
    fonts=$(pdffonts "$pdf" 2>&1 | tail -n +3)
    bad=$(printf '%s\n' "$fonts" | grep . | grep -Ev '^[A-Z]{6}\+[^ ]+ +CID TrueType +Identity-H +yes yes yes ')
    dup=$(printf '%s\n' "$fonts" | awk '{print $1}' | sort | uniq -d)
    [ -z "$bad" ] && [ -z "$dup" ]
    check "$b: every font embedded, subset, with a ToUnicode, under a name of its own" $? "$fonts"
    if [ -x "$TOOLS/pdf-layout-check" ]; then
        out=$("$TOOLS/pdf-layout-check" "$pdf" 2>&1)
        printf '%s\n' "$out" | tail -1 | grep -q ' 0 off-page, 0 margin, 0 overlap, 0 empty$'
        check "$b: pdf-layout-check finds nothing" $? "$out"
    fi
done
# The family samples the kinds are designed for: at least twelve documents.
[ "$n" -ge 12 ]; check "data/ holds at least 12 sample documents (got $n)" $?
