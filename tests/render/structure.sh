#!/bin/sh
# The structure tree a screen reader gets, read back from the PDFs: the
# card's grade table as Table > THead/TBody > TR > TH/TD read row by row
# (poppler), the annual report's lists as L > LI > Lbl + LBody and its
# links as Link elements, every annotation tied to its Link, the map's tiles
# and the big grade read as words, each chart's alt text naming its extremes,
# and trees past libharu's array limit split so they render and hold
# together (tests/render/structure.py, under Debian's python3 with pikepdf).
PY=/usr/bin/python3
S="$ROOT/tests/render/structure.py"
ck() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | head -20 | sed 's/^/    /'; fi; }
D="$WORK/structure"
mkdir -p "$D"
for f in ct-2021-card tip-2021-annual ct-progress-brief ct-press-release; do
    (cd "$ROOT" && "$BIN" render "data/$f.xml" -o "$D/$f.pdf" 2>/dev/null) || echo "not ok - $f renders"
done
(cd "$ROOT" && "$BIN" overview data/states -o "$D/overview.pdf" 2>/dev/null) || echo "not ok - overview renders"

# Every element's parent, marked content and annotation agree with the
# ParentTree; a paragraph that goes on over a page break is one element.
out=$($PY "$S" check "$D"/*.pdf)
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -q '^ok - tip-2021-annual.pdf: .* marked contents ([1-9][0-9]* on a later page'
ck "annual: elements that go on over a page hold their later parts as marked-content references" $?

# The card: poppler reads the table row by row, a row's cells in one TR.
st=$(pdfinfo -struct-text "$D/ct-2021-card.pdf" 2>&1)
rows=$(printf '%s\n' "$st" | awk '
    /^ *TR$/ { if (row != "") print row; row = ""; next }
    /^ *(TH|TD)/ { cell = 1; next }
    /^ *"/ && cell { sub(/^ *"/, ""); sub(/"$/, ""); row = row "|" $0; cell = 0; next }
    /^  [A-Z]/ { if (row != "") print row; row = "" }
    END { if (row != "") print row }')
printf '%s\n' "$rows" | grep -q '^|Issue|Grade|Score|Highlights$' &&
    printf '%s\n' "$rows" | grep -q '^|1\. Criminal Provisions|F|8\.5 / 17\.5|Policy goals' &&
    printf '%s\n' "$rows" | grep -q '^|4\. Access to Justice for Trafficking Survivors|D|10 / 15|'
ck "card: pdfinfo -struct-text reads the grade table row by row (header, then an issue's name, grade, score, highlights)" $? "$rows"
for t in Table THead TBody TR TH TD; do
    printf '%s\n' "$st" | grep -q "^ *$t\b" || { ck "card: the tree has $t" 1 "$st"; }
done
dump=$($PY "$S" dump "$D/ct-2021-card.pdf")
printf '%s\n' "$dump" | grep -q "TH Scope=Column" && printf '%s\n' "$dump" | grep -q "TH Scope=Row" &&
    printf '%s\n' "$dump" | grep -q "TD ColSpan=4"
ck "card: column headers /Scope /Column, each issue's name /Scope /Row, the extra-credit band /ColSpan 4" $? "$dump"
printf '%s\n' "$dump" | grep -q "ActualText='Overall grade F, score 43.5'"
ck "card: the big grade and score read 'Overall grade F, score 43.5'" $? "$(printf '%s\n' "$dump" | grep -i actual)"

# pdf.js (a browser's reader, tests/pdfjs) sees the same: the card's table
# row by row, the tiles' and the grade's words, the annual report's lists.
READ="node $ROOT/tests/pdfjs/read.mjs"
js=$($READ "$D/ct-2021-card.pdf" --struct 2>&1)
# (a cell's text is one marked-content sequence, or more where a hyphenated
# word's first part, drawn as shapes, is an artifact between two)
printf '%s\n' "$js" | tr -d '\n' | grep -qE 'Table *THead *TR *TH *content *TH *content *TH *content *TH *content *TBody *TR *TH *content *TD *content *TD *content *TD *content( *content)* *TR' &&
    printf '%s\n' "$js" | grep -q 'P alt="Overall grade F, score 43.5"'
ck "pdf.js: the card's Table > THead > TR > TH and TBody > TR > TH (the issue) + TD, the grade read as words" $? "$(printf '%s\n' "$js" | head -30)"
js=$($READ "$D/tip-2021-annual.pdf" --struct 2>&1)
printf '%s\n' "$js" | tr -d '\n' | grep -q ' L *LI *Lbl *content *LBody *content' &&
    printf '%s\n' "$js" | tr -d '\n' | grep -q 'TOC *TOCI *Link *content *content *object'
ck "pdf.js: the annual report's L > LI > Lbl + LBody, TOC > TOCI > Link (words, number, annotation)" $? "$(printf '%s\n' "$js" | grep -n -A8 ' L$' | head -20)"
js=$($READ "$D/overview.pdf" --struct 2>&1)
printf '%s\n' "$js" | grep -q 'P alt="Connecticut: F"'
ck "pdf.js: the overview's Connecticut tile reads 'Connecticut: F'" $? "$(printf '%s\n' "$js" | grep alt | head -5)"

# The annual report: lists, links, figures.
st=$(pdfinfo -struct-text "$D/tip-2021-annual.pdf" 2>&1)
printf '%s\n' "$st" | grep -A4 '^  L ' | grep -q '^    LI' && printf '%s\n' "$st" | grep -A1 '^      Lbl' | grep -q '"•"' &&
    printf '%s\n' "$st" | grep -q '^      LBody' && printf '%s\n' "$st" | grep -q '^        L (block)'
ck "annual: lists are L > LI > Lbl (the bullet) + LBody, a nested list inside its item" $? "$(printf '%s\n' "$st" | grep -n -A8 '^  L ' | head -20)"
printf '%s\n' "$st" | grep -A3 '^  TOC' | grep -q '^      Link'
ck "annual: the contents are TOC > TOCI > Link" $? "$(printf '%s\n' "$st" | grep -A3 '^  TOC')"
printf '%s\n' "$st" | grep -B1 -A3 'Trafficking in persons: Class B felony. (page "$' | grep -q 'Link (inline)'
ck "annual: a statute's '(page 9)' is a link" $? "$(printf '%s\n' "$st" | grep -A4 'Class B felony. (page')"
$PY - "$D/tip-2021-annual.pdf" <<'PY'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
bad, n = [], 0
for i, p in enumerate(pdf.pages):
    for a in p.obj.get("/Annots", []):
        c = str(a.get("/Contents", ""))
        if c.startswith("page "):
            n += 1
            d = a.Dest if "/Dest" in a else a.A.D
            # the number is the printed one: the cover is unnumbered
            if pages[d[0].objgen] != int(c[5:]):
                bad.append("%s on page %d goes to page %d" % (c, i + 1, pages[d[0].objgen] + 1))
print("%s - annual: %d in-text page references link to the page they print%s" % (
    "ok" if n >= 5 and not bad else "not ok", n, "" if not bad else "\n    " + "; ".join(bad)))
PY
dump=$($PY "$S" dump "$D/tip-2021-annual.pdf")
printf '%s\n' "$dump" | grep -q "Figure Alt='Sec. 53a-192a, arrests and convictions by year, 2011-2021: .*; most arrests: [0-9]* in 20[0-9][0-9]; most convictions: [0-9]* in 20[0-9][0-9]\.'"
ck "annual: a chart's alt text says what it shows and its extremes" $? "$(printf '%s\n' "$dump" | grep Figure | head -3)"
printf '%s\n' "$dump" | grep -q "TH Scope=Row" && printf '%s\n' "$dump" | grep -q "TH Scope=Column"
ck "annual: statute tables have year columns and row headers (Arrests, Convictions)" $?

# The overview: each tile reads "Connecticut: F" (its grade as on its card).
dump=$($PY "$S" dump "$D/overview.pdf")
n=$(printf '%s\n' "$dump" | grep -c "^  P ActualText='[A-Z][A-Za-z .]*: [A-F][+-]*'")
printf '%s\n' "$dump" | grep -q "ActualText='Connecticut: F'" && [ "$n" -ge 50 ]
ck "overview: $n map tiles read as 'Connecticut: F'" $? "$(printf '%s\n' "$dump" | grep ActualText | head -5)"

# read-as on a paragraph, a heading and a box: each one element with its words.
cat > "$D/read-as.xml" <<'X'
<document theme="neutral" title="Read as" lang="en-US"><section>
<p read-as="Grade: F">F</p><h level="1" read-as="Chapter one">1</h><p>plain</p>
<box read-as="Overall grade F, score 43.5"><p>F</p><p>43.5</p></box>
</section></document>
X
out=$(cd "$D" && "$BIN" render read-as.xml -o "$D/read-as.pdf" 2>&1 && $PY "$S" dump "$D/read-as.pdf")
[ "$out" = "Document
  P ActualText='Grade: F'
  H1 ActualText='Chapter one'
  P
  P ActualText='Overall grade F, score 43.5'" ]
ck "read-as on p, h and box: the element's /ActualText (a box of two paragraphs is one)" $? "$out"

# Trees past libharu's array limits: a table of 5,000 rows (the most a
# table may have: a header and 4,999 more) and 7 columns; 8,200 paragraphs
# (4,100 with a link) and list items: a /K of the Document and of a list
# past the limit, split into a Div and a second L, and a ParentTree of more
# keys than one leaf holds.
$PY - "$D" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/big-table.xml", "w") as f:
    f.write('<document theme="neutral" title="Big" lang="en-US"><section><table>')
    f.write('<col/>' * 7 + '<row header="yes">' + "".join("<cell>H%d</cell>" % c for c in range(7)) + "</row>")
    for r in range(4999):
        f.write("<row>" + "".join("<cell>%d</cell>" % (r * 7 + c) for c in range(7)) + "</row>")
    f.write("</table></section></document>\n")
with open(d + "/big-flow.xml", "w") as f:
    f.write('<document theme="neutral" title="Long" lang="en-US"><section>')
    f.write("".join("<p>Paragraph <a href='https://example.org/%d'>%d</a>.</p>" % (i, i) if i < 4100 else
                    "<p>Paragraph %d.</p>" % i for i in range(8200)))
    f.write('<list>' + "".join("<item>Item %d</item>" % i for i in range(8200)) + "</list>")
    f.write("</section></document>\n")
PY
for b in big-table big-flow; do
    out=$(cd "$D" && "$BIN" render "$b.xml" -o "$D/$b.pdf" 2>&1)
    ck "$b: renders (a structure tree past libharu's array limit)" $? "$out"
done
out=$($PY "$S" check "$D/big-table.pdf" "$D/big-flow.pdf")
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -q "^ok - big-flow.pdf: .* 4100 annotations, 2 ParentTree leaves"
ck "big-flow: 4,100 links and the pages' keys make a ParentTree of two leaves under /Kids, each with its /Limits" $?
# (poppler's pdfinfo reads these trees fast)
st=$(pdfinfo -struct "$D/big-table.pdf" 2>&1)
[ "$(printf '%s\n' "$st" | grep -c '^        TD$')" = 34993 ] && [ "$(printf '%s\n' "$st" | grep -c '^      TR$')" = 5000 ]
ck "big-table: 5,000 rows of 7 cells" $? "$(printf '%s\n' "$st" | sort | uniq -c | sort -rn | head)"
pages=$(pdfinfo "$D/big-table.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
[ "$(printf '%s\n' "$st" | grep -c '^        TH:$')" = 7 ] && [ "${pages:-0}" -gt 1 ]
ck "big-table: its header row is read once, its copies on the other $((${pages:-1} - 1)) pages are artifacts" $? \
    "$(printf '%s\n' "$st" | grep -c TH) header cells"
st=$(pdfinfo -struct "$D/big-flow.pdf" 2>&1)
[ "$(printf '%s\n' "$st" | grep -c ' P (block)$')" = 8200 ] && [ "$(printf '%s\n' "$st" | grep -c ' LI (block)$')" = 8200 ] &&
    [ "$(printf '%s\n' "$st" | grep -c '^    L (block)$')" = 2 ] && printf '%s\n' "$st" | grep -q '^  Div$'
ck "big-flow: 8,200 paragraphs and 8,200 items, the Document's kids split into a Div, the list into two" $? \
    "$(printf '%s\n' "$st" | sort | uniq -c | sort -rn | head)"
