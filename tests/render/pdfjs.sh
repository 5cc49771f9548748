#!/bin/sh
# tests/pdfjs/read.mjs shows what pdf.js (a browser's reader) makes of a PDF:
# on the conformance fixture (tests/render/conformance-fixture.py) its text
# in reading order, its structure tree (roles indented, the figure's alt
# text) and its page label; on a file that is no PDF, exit 1 and a message.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
READ="node $ROOT/tests/pdfjs/read.mjs"
PDF="$WORK/pdfjs-fixture.pdf"
out=$(/usr/bin/python3 "$ROOT/tests/render/conformance-fixture.py" good "$PDF" 2>&1)
check "pdf.js: the fixture is made" $? "$out"

out=$($READ "$PDF" --struct 2>&1)
want='page 1
  Root
    Document
      H1
        content
      P
        content
        Link
          content
          object
      H2
        content
      Figure alt="A blue rectangle, the figure of this fixture"
        content
      Table
        THead
          TR
            TH
              content
            TH
              content
        TBody
          TR
            TD
              content
            TD
              content
      L
        LI
          Lbl
            content
          LBody
            content'
printf '%s\n' "$out" > "$WORK/pdfjs-struct.txt"
[ "$out" = "$want" ]
check "pdf.js: the fixture's structure tree, Table > THead > TR > TH and L > LI > Lbl + LBody" $? "$(printf '%s\n' "$want" | diff - "$WORK/pdfjs-struct.txt")"

out=$($READ "$PDF" --labels 2>&1)
[ "$out" = 7 ]
check "pdf.js: the fixture's page label is 7" $? "$out"

out=$($READ "$PDF" --text 2>&1)
printf '%s\n' "$out" | grep -q '^Read the full statute$' && printf '%s\n' "$out" | grep -q '^1\. *First finding$'
check "pdf.js: the fixture's text, a line a block" $? "$out"

printf 'not a PDF\n' > "$WORK/pdfjs-not.pdf"
out=$($READ "$WORK/pdfjs-not.pdf" --text 2>&1); rc=$?
[ $rc = 1 ] && printf '%s\n' "$out" | grep -q 'pdfjs-not.pdf: '
check "pdf.js: a file that is no PDF is exit 1 with its name (got $rc)" $? "$out"
