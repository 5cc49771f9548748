#!/bin/sh
# Report cards under their frameworks (templates/report-card/frameworks): the
# samples of the three shipped frameworks check clean and render as their
# framework says (tiers, rank, plus and minus grades); a fourth framework
# added in a data folder of its own, with no change to C or to a shipped
# file, renders a card and checks a stated "B+" against its own scale; the
# data reference names every element and attribute of the schema. One
# "ok"/"not ok" line per check. Needs ROOT, BIN, WORK (from tests/run.sh).
TOOLS="$ROOT/../shared/tools"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }

# 1. The samples: no findings, one clean page each, the framework's marks.
for s in ct-2021-card ct-2014-pic-card tx-2025-card; do
    out=$(cd "$ROOT" && $VG "$BIN" check --strict "data/$s.xml" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "$s: check --strict finds nothing" $? "$out"
    pdf="$WORK/fw-$s.pdf"
    out=$(cd "$ROOT" && $VG "$BIN" render "data/$s.xml" -o "$pdf" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "$s: renders" $? "$out"
    out=$(qpdf --check "$pdf" 2>&1); rc=$?
    echo "$out" | grep -qi warning && rc=1
    check "$s: qpdf --check without warnings" $rc "$out"
    err=$(pdftotext "$pdf" /dev/null 2>&1); [ -z "$err" ]; check "$s: pdftotext prints nothing on stderr" $? "$err"
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    [ "$pages" = 1 ]; check "$s: one page (got $pages)" $?
    if [ -x "$TOOLS/pdf-layout-check" ]; then
        out=$("$TOOLS/pdf-layout-check" "$pdf" 2>&1); rc=$?
        [ $rc = 0 ] && echo "$out" | grep -q ' 0 off-page, 0 margin, 0 overlap, 0 empty'
        check "$s: pdf-layout-check finds nothing" $? "$out"
    fi
    pdftotext -layout "$pdf" "$WORK/fw-$s.txt" 2>/dev/null
done
t="$WORK/fw-ct-2014-pic-card.txt"
! grep -qi 'tier' "$t" && grep -q 'FINAL GRADE' "$t" && grep -q 'Section' "$t" && ! grep -q 'Grade *Score' "$t"
check "Protected Innocence card: no tier, no grade column, 'FINAL GRADE'" $? "$(head -20 "$t")"
grep -q '16.5 / 25' "$t" && grep -q '20.5 / 27.5' "$t" && grep -Eq '^ *79 *$|  79( |$)' "$t"
check "Protected Innocence card: section scores over maxima adding up to 102.5, final score 79" $? "$(grep -n '/' "$t" | head)"
t="$WORK/fw-tx-2025-card.txt"
grep -q 'Tier 2' "$t" && ! grep -q 'TIER' "$t" && grep -q 'NATIONAL RANK 12' "$t" && grep -q 'B-' "$t" && grep -q '10. Training for' "$t"
check "2025 card: 'Tier 2', 'NATIONAL RANK 12', a 'B-', ten points" $? "$(head -40 "$t")"
t="$WORK/fw-ct-2021-card.txt"
[ "$(grep -c 'TIER II' "$t")" = 2 ]; check "2021 card: 'TIER II' in the band and the grade box" $?

# 2. A fourth framework in a user folder of its own (REPORTGEN_PATH): the
#    folder holds that one file; everything else comes from the shipped tree.
D="$WORK/fw-data"
mkdir -p "$D/templates/report-card/frameworks"
before=$(cd "$ROOT" && find templates -type f | sort | xargs cat | cksum)
cat > "$D/templates/report-card/frameworks/scorecard-2030.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<framework id="scorecard-2030" name="Four-Area Scorecard" area-label="Area" area-grades="yes" overall-label="SCORECARD GRADE">
  <total out-of="100"/>
  <areas>
    <area number="1" name="Accountability" max="40"/>
    <area number="2" name="Protection" max="30"/>
    <area number="3" name="Services" max="20"/>
    <area number="4" name="Prevention" max="10"/>
  </areas>
  <extra-credit allowed="no"/>
  <tiers/>
  <rank shown="no"/>
  <grades>
    <grade letter="A" min="90"/>
    <grade letter="B+" min="87"/>
    <grade letter="B" min="80"/>
    <grade letter="C" min="70"/>
    <grade letter="F" min="0"/>
  </grades>
</framework>
XML
card() { # $1 the area 4 score, $2 the stated overall grade
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- SAMPLE DATA for a test: a card under a framework added in a data folder. -->
<report-card framework="scorecard-2030" year="2030" published="2030-10-01" sample="yes">
  <state name="Oregon" slug="oregon"/>
  <title>2030 Scorecard</title>
  <organization>Test Organization</organization>
  <issues>
    <issue number="1" score="36" max="40" grade="A"><name>Accountability</name><highlights>Sample text.</highlights></issue>
    <issue number="2" score="27" max="30" grade="A"><name>Protection</name><highlights>Sample text.</highlights></issue>
    <issue number="3" score="16" max="20" grade="B"><name>Services</name><highlights>Sample text.</highlights></issue>
    <issue number="4" score="$1" max="10"><name>Prevention</name><highlights>Sample text.</highlights></issue>
  </issues>
  <overall grade="$2"/>
  <learn-more>
    <entry label="MORE" label-as="run-in">See <link href="https://example.org/scorecard">example.org/scorecard</link>.</entry>
  </learn-more>
</report-card>
XML
}
card 9 B+ > "$WORK/fw-good.xml"    # 36+27+16+9 = 88: a B+
card 7 B+ > "$WORK/fw-bad.xml"     # 86: a B on this scale, not a B+
out=$(cd "$ROOT" && REPORTGEN_PATH="$D" $VG "$BIN" render "$WORK/fw-good.xml" -o "$WORK/fw-good.pdf" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ] && qpdf --check "$WORK/fw-good.pdf" >/dev/null 2>&1
check "a fourth framework alone in a REPORTGEN_PATH folder: its card renders" $? "$out"
txt=$(pdftotext -layout "$WORK/fw-good.pdf" - 2>/dev/null)
printf '%s\n' "$txt" | grep -q 'SCORECARD GRADE' && printf '%s\n' "$txt" | grep -q 'B+' && printf '%s\n' "$txt" | grep -q '4. Prevention' && ! printf '%s\n' "$txt" | grep -qi 'tier'
check "the fourth framework's card: its label, a B+, four areas, no tier" $? "$txt"
out=$(cd "$ROOT" && REPORTGEN_PATH="$D" $VG "$BIN" check "$WORK/fw-bad.xml" 2>&1); rc=$?
line=$(grep -n '<overall' "$WORK/fw-bad.xml" | cut -d: -f1)
[ $rc = 1 ] && [ "$out" = "$WORK/fw-bad.xml:$line:12: error: overall: stated grade 'B+' but the total 86 of 100 is a 'B' (leave the grade out and it is computed)" ]
check "the fourth framework's own scale catches a wrong 'B+' (86 is a B)" $? "$out"
out=$(cd "$ROOT" && $VG "$BIN" check "$WORK/fw-good.xml" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "unknown framework 'scorecard-2030'"
check "without that data folder the framework is unknown" $? "$out"
after=$(cd "$ROOT" && find templates -type f | sort | xargs cat | cksum)
[ "$before" = "$after" ]; check "no shipped template changed" $?

# 3. An overview of Protected Innocence cards: no tier column, out of 102.5.
mkdir -p "$WORK/fw-pic"
cp "$ROOT/data/ct-2014-pic-card.xml" "$WORK/fw-pic/ct.xml"
out=$(cd "$ROOT" && $VG "$BIN" overview "$WORK/fw-pic" -o "$WORK/fw-pic.pdf" 2>&1); rc=$?
txt=$(pdftotext -layout "$WORK/fw-pic.pdf" - 2>/dev/null)
[ $rc = 0 ] && printf '%s\n' "$txt" | grep -q 'Score out of 102.5' && ! printf '%s\n' "$txt" | grep -q 'Tier'
check "an overview of Protected Innocence cards: scores out of 102.5, no tier column" $? "$out$(printf '%s\n' "$txt" | tail -5)"

# 4. The data reference names every element and attribute of the schema.
missing=""
for n in $(grep -o 'xs:\(element\|attribute\) name="[^"]*"' "$ROOT/templates/report-card/schema.xsd" | sed 's/.*name="\([^"]*\)"/\1/' | sort -u); do
    grep -q "\`$n\`" "$ROOT/templates/report-card/README.md" 2>/dev/null || missing="$missing $n"
done
for n in $(cat "$ROOT"/templates/report-card/frameworks/*.xml | grep -v '^ *<!--\|^<?xml' | grep -o '<[a-z-]*\| [a-z-]*=' | tr -d '<= ' | sort -u); do
    grep -q "\`$n\`" "$ROOT/templates/report-card/README.md" 2>/dev/null || missing="$missing $n"
done
[ -z "$missing" ]; check "templates/report-card/README.md names every element and attribute (schema and frameworks)" $? "missing:$missing"
missing=""
for n in $(grep -o 'xs:\(element\|attribute\) name="[^"]*"' "$ROOT/templates/overview/schema.xsd" | sed 's/.*name="\([^"]*\)"/\1/' | sort -u); do
    grep -q "\`$n\`" "$ROOT/templates/overview/README.md" 2>/dev/null || missing="$missing $n"
done
[ -z "$missing" ]; check "templates/overview/README.md names every element and attribute of its schema" $? "missing:$missing"
exit 0
