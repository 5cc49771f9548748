#!/bin/sh
# The archival form (PDF/A-2a and PDF/UA-1 identification, sRGB output
# intent, page labels) checked by tests/render/archival.py, damaged copies
# that each trip their check, and --pdf-standard none. One "ok"/"not ok"
# line per check. Needs ROOT, BIN, WORK (from tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
A="$WORK/archival"
mkdir -p "$A"
CHECK="python3 $ROOT/tests/render/archival.py"

render() { (cd "$ROOT" && $VG "$BIN" render "$@" 2>&1); }

# A layout document whose metadata needs escaping, with a cover of two
# pages, two numbered sections and an unnumbered page after them.
cat > "$A/meta.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<document theme="neutral" title="Tom &amp; Jerry &lt;&quot;R&amp;D&quot;&gt; — Jiří Łódź 𝐀"
          author="Ana María Núñez &amp; Co" subject="Ünïcode &lt;subject&gt;" keywords="a&amp;b, ½"
          lang="de-CH" created="2020-02-29">
  <page-style name="cover" size="letter" margin="60pt"/>
  <page-style name="body" size="letter" margin="60pt">
    <footer><p align="right">Page <page-number/> of <page-count/></p></footer>
  </page-style>
  <section page-style="cover" count="no"><p>Cover one</p><page-break/><p>Cover two</p></section>
  <section page-style="body"><p>First</p><page-break/><p>Second</p></section>
  <section page-style="body"><p>Third</p></section>
  <section page-style="cover" count="no"><p>Back</p></section>
</document>
EOF
out=$(render "$A/meta.xml" --root "$A" -o "$A/meta.pdf"); check "escaping document renders" $? "$out"
out=$($CHECK "$A/meta.pdf" 2>&1); check "archival parts of a title with & < > \" and non-ASCII" $? "$out"
labels=$(printf '%s\n' "$out" | sed -n 's/^labels: //p')
[ "$labels" = "Cover Cover_2 1 2 3 3a" ]
check "labels: cover, its second page, printed numbers, a page after 3 ($labels)" $?
title=$(pdfinfo "$A/meta.pdf" | sed -n 's/^Title: *//p')
[ "$title" = 'Tom & Jerry <"R&D"> — Jiří Łódź 𝐀' ]; check "Info title as written ($title)" $?
xmp=$(pdfinfo -meta "$A/meta.pdf")
printf '%s\n' "$xmp" | grep -q '<rdf:li xml:lang="x-default">Tom &amp; Jerry &lt;&quot;R&amp;D&quot;&gt; — Jiří Łódź 𝐀</rdf:li>'
check "XMP title escaped, non-ASCII as UTF-8" $? "$xmp"

for doc in ct-2021-card tip-2021-annual; do
    out=$(render "data/$doc.xml" -o "$A/$doc.pdf"); check "$doc renders" $? "$out"
    out=$($CHECK "$A/$doc.pdf" 2>&1); check "$doc: archival parts" $? "$out"
done
out=$(cd "$ROOT" && $VG "$BIN" overview data/states -o "$A/overview.pdf" 2>&1); check "overview renders" $? "$out"
out=$($CHECK "$A/overview.pdf" 2>&1); check "overview: archival parts" $? "$out"

# The annual report's third page prints "Page 2 of 14": its label is 2,
# and every numbered page's label is the number its footer prints.
labels=$($CHECK "$A/tip-2021-annual.pdf" | sed -n 's/^labels: //p')
bad=""
i=0
for l in $labels; do
    i=$((i + 1))
    printed=$(pdftotext -f $i -l $i "$A/tip-2021-annual.pdf" - | sed -n 's/.*Page \([0-9]*\) of [0-9]*.*/\1/p' | head -1)
    [ "$l" = "${printed:-Cover}" ] || bad="$bad page $i: label $l, printed '${printed}';"
done
third=$(echo "$labels" | cut -d' ' -f3)
[ -z "$bad" ] && [ "$third" = 2 ] && [ "$i" -ge 3 ]
check "annual report: labels are the printed numbers, page 3 is '2' ($labels)" $? "$bad"

# The profile is made, not shipped: the same bytes every time and in every document.
icc() {
    qpdf --json --json-stream-data=inline --decode-level=generalized "$1" | python3 -c '
import json, sys
o = json.load(sys.stdin)["qpdf"][1]
for k, v in o.items():
    s = v.get("stream") if isinstance(v, dict) else None
    if s and s["dict"].get("/N") == 3:
        print(s.get("data"))'
}
a=$(icc "$A/ct-2021-card.pdf"); b=$(icc "$A/tip-2021-annual.pdf")
sleep 1
render data/ct-2021-card.xml -o "$A/card2.pdf" >/dev/null
c=$(icc "$A/card2.pdf")
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; check "ICC profile bytes the same across documents and runs" $?
cmp -s "$A/ct-2021-card.pdf" "$A/card2.pdf"; check "card: same bytes a second later" $?

# Damaged copies: each edit must trip its own check (qpdf's QDF form can be
# edited as text; fix-qdf mends offsets and lengths).
qpdf --qdf --object-streams=disable "$A/ct-2021-card.pdf" "$A/qdf.pdf"
damage() { # NAME FROM TO CHECK
    python3 - "$A/qdf.pdf" "$A/bad.pdf" "$2" "$3" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
old, new = sys.argv[3].encode(), sys.argv[4].encode()
if old not in data:
    sys.exit("no %r in the file" % old)
open(sys.argv[2], "wb").write(data.replace(old, new, 1))
PY
    fix-qdf "$A/bad.pdf" > "$A/bad-fixed.pdf" 2>/dev/null
    out=$($CHECK "$A/bad-fixed.pdf" 2>&1)
    printf '%s\n' "$out" | grep -q "^not ok - $4"; check "damaged ($1) trips '$4'" $? "$out"
}
out=$($CHECK "$A/qdf.pdf" 2>&1); check "QDF copy passes before damage" $? "$out"
damage "XMP not XML" "</dc:title>" "</dc:titel>" "XMP is well-formed XML"
damage "XMP title" "Trafficking</rdf:li></rdf:Alt></dc:title>" "Traffickinh</rdf:li></rdf:Alt></dc:title>" \
    "XMP repeats every Info entry"
damage "XMP date" "<xmp:CreateDate>2021" "<xmp:CreateDate>2020" "XMP repeats every Info entry"
damage "Info producer" "/Producer (Haru" "/Producer (Hare" "XMP repeats every Info entry"
damage "PDF/A part" "<pdfaid:part>2<" "<pdfaid:part>3<" "XMP says PDF/A-2a"
damage "PDF/UA part" "<pdfuaid:part>1<" "<pdfuaid:part>2<" "XMP says PDF/A-2a and PDF/UA-1"
damage "extension schema" "<pdfaSchema:prefix>pdfuaid<" "<pdfaSchema:prefix>pdfuaix<" "pdfuaid described"
damage "language" "<rdf:li>en-US</rdf:li>" "<rdf:li>en-GB</rdf:li>" "dc:language"
damage "metadata type" "/Subtype /XML" "/Subtype /XMP" "XMP metadata stream"
damage "intent subtype" "/S /GTS_PDFA1" "/S /GTS_PDFX1" "one GTS_PDFA1 output intent"
damage "intent condition" "/OutputConditionIdentifier (sRGB" "/OutputConditionIdentifier (sRGX" \
    "output intent names"
damage "profile components" "/N 3" "/N 4" "ICC profile"
damage "page labels" "/PageLabels" "/PageLabelz" "page labels"
damage "annotation flags" "/F 4" "/F 6" "annotations printed"

# --pdf-standard none: a plain tagged PDF, page labels kept; on batch and
# overview too. A value it does not know is a usage error (tests/errors).
out=$(render data/tip-2021-annual.xml --pdf-standard none -o "$A/plain.pdf"); check "--pdf-standard none renders" $? "$out"
out=$($CHECK "$A/plain.pdf" --plain 2>&1); check "none: no XMP claim, no output intent, labels kept" $? "$out"
out=$($CHECK "$A/plain.pdf" 2>&1); [ $? = 1 ]; check "none: the archival check fails on it" $? "$out"
printf '%s\n' "$ROOT/data/ct-2021-card.xml" "$ROOT/data/tx-2025-card.xml" > "$A/list"
out=$(cd "$ROOT" && "$BIN" batch "$A/list" -o "$A/batch" -j 1 --pdf-standard none 2>&1); check "batch --pdf-standard none" $? "$out"
out=$($CHECK "$A/batch/tx-2025-card.pdf" --plain 2>&1); check "batch: plain PDFs" $? "$out"
out=$(cd "$ROOT" && "$BIN" overview data/states -o "$A/overview-plain.pdf" --pdf-standard none 2>&1)
check "overview --pdf-standard none" $? "$out"
out=$($CHECK "$A/overview-plain.pdf" --plain 2>&1); check "overview: plain PDF" $? "$out"

# pdf.js (what a browser shows) reads the labels too (tests/run.sh installs it).
got=$(node "$ROOT/tests/pdfjs/read.mjs" "$A/tip-2021-annual.pdf" --labels 2>&1 | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$(echo "$labels" | tr '_' ' ')" ]; check "pdf.js getPageLabels: $got" $? "expected $labels"
