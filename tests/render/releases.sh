#!/bin/sh
# The press release as a family: the three sample releases (subheadline and
# headings; a quote split by its attribution ending in "?", a theme with a
# logo; an agency release in the neutral theme) pass check without findings
# and render clean; quotes keep their own punctuation (the data reference:
# tests/render/reference.sh). Needs ROOT, BIN, WORK.
TOOLS="$ROOT/../shared/tools"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
run() { (cd "$ROOT" && $VG "$BIN" "$@" 2>&1); }

for s in sample-release-headings sample-release-split-quote sample-release-agency; do
    out=$(run check --strict "data/$s.xml"); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "$s: check --strict finds nothing" $? "$out"
    pdf="$WORK/$s.pdf"
    out=$(run render "data/$s.xml" -o "$pdf"); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "$s renders without a message" $? "$out"
    out=$(qpdf --check "$pdf" 2>&1); rc=$?
    echo "$out" | grep -qi warning && rc=1
    check "$s: qpdf --check without warnings" $rc "$out"
    err=$(pdftotext "$pdf" /dev/null 2>&1); [ -z "$err" ]; check "$s: pdftotext prints nothing on stderr" $? "$err"
    if [ -x "$TOOLS/pdf-layout-check" ]; then
        out=$("$TOOLS/pdf-layout-check" "$pdf" 2>&1); check "$s: pdf-layout-check finds nothing" $? "$out"
    fi
    pdftotext "$pdf" - 2>/dev/null | grep -q '^Sample data: an invented release'
    check "$s: says it is sample data" $?
done

# subheadline, headings (bookmarks), a quote ending in "!" without a stray period
txt=$(pdftotext -layout "$WORK/sample-release-headings.pdf" - 2>/dev/null | tr -s ' ')
echo "$txt" | grep -q 'Sample release: the invented Senate Bill 999' \
    && echo "$txt" | grep -q 'those children need!”' && ! echo "$txt" | grep -q '!\.”'
check "headings sample: the subheadline, and a quote ending in '!' keeps it (no '!.”')" $? "$txt"
out=$(pdfinfo -struct-text "$WORK/sample-release-headings.pdf" 2>/dev/null | grep -c 'H2')
[ "$out" -ge 3 ]; check "headings sample: the three body headings are H2 in the structure tree ($out)" $?

# a split quote: "...," said X. "...?" with no stray period
txt=$(pdftotext "$WORK/sample-release-split-quote.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
echo "$txt" | grep -q 'anyone else in the building,” said the coalition.s sample director Maya Okafor\. “If we can teach' \
    && echo "$txt" | grep -q 'hand out the room keys?”' && ! echo "$txt" | grep -q '?\.”'
check "split quote: “...,” said X. “...?” and no stray period" $? "$txt"
imgs=$(pdfimages -list "$WORK/sample-release-split-quote.pdf" 2>&1 | tail -n +3 | grep -c .)
[ "$imgs" = 1 ]; check "split-quote sample: the theme's logo in the letterhead ($imgs image)" $?
echo "$txt" | grep -q 'ABOUT THE COALITION' && echo "$txt" | grep -q 'MEDIA MATERIALS:' && ! echo "$txt" | grep -q 'MEDIA CONTACT:'
check "split-quote sample: the boilerplate's own heading, materials without a contact" $? "$txt"

# the agency: no theme in the data gives the neutral theme; no boilerplate
tr=$(run render data/sample-release-agency.xml --format trace -o -)
echo "$tr" | sed -n 3p | grep -q 'fill=#2e3338' && ! echo "$tr" | grep -q '"ABOUT '
check "agency sample: the neutral theme's band, no About paragraph" $? "$(echo "$tr" | head -5)"
tr=$(run render data/ct-press-release.xml --format trace -o -)
echo "$tr" | sed -n 3p | grep -q 'fill=#14365d'; check "the seed names no theme: its organisation's brand (brands.xml), sharedhope's navy band" $?

# quotes: spaces inside the marks are dropped; words without punctuation get
# a period, a first part a comma
cat > "$WORK/quotes.xml" <<'XML'
<press-release>
  <organization>Harbor Light Coalition</organization>
  <headline>Quotes</headline>
  <body>
    <quote by="A">
      Words on their own lines
    </quote>
    <quote by="B"><part> First part </part><part>  Second part, asked? </part></quote>
    <quote by="C" verb="added"><part>First, with a comma,</part><part>and the <em>end</em></part></quote>
  </body>
</press-release>
XML
txt=$(run render "$WORK/quotes.xml" -o "$WORK/quotes.pdf" && pdftotext "$WORK/quotes.pdf" - | tr '\n' ' ' | tr -s ' ')
echo "$txt" | grep -q '“Words on their own lines\.”' && echo "$txt" | grep -q '“First part,” said B\. “Second part, asked?”' \
    && echo "$txt" | grep -q '“First, with a comma,” added C\. “and the end\.”'
check "quotes: no space inside the marks, a period or a comma where the words have none, the quote's verb" $? "$txt"

# A release that runs on: the slug line of the pages after the first stays
# clear of the page's edge (pdf-layout-check's 18 pt).
python3 - "$ROOT/data/sample-release-headings.xml" "$WORK/long-sample.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
body = re.search(r'<body>(.*)</body>', s, re.S).group(1)
open(sys.argv[2], 'w').write(s.replace(body, body + body, 1))
PY
out=$(run render "$WORK/long-sample.xml" -o "$WORK/long-sample.pdf"); rc=$?
n=$(pdfinfo "$WORK/long-sample.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
[ $rc = 0 ] && [ "$n" = 2 ]; check "a release twice as long renders on 2 pages ($n)" $? "$out"
if [ -x "$TOOLS/pdf-layout-check" ]; then
    out=$("$TOOLS/pdf-layout-check" "$WORK/long-sample.pdf" 2>&1)
    check "a release twice as long: pdf-layout-check finds nothing (the slug line of page 2 included)" $? "$out"
fi
