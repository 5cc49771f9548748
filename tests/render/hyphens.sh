#!/bin/sh
# Words hyphenated at a line's end read whole in poppler (pdftotext), MuPDF
# (mutool draw -F txt), Ghostscript (txtwrite) and pdf.js (getTextContent,
# through tests/pdfjs/read.mjs),
# also when the word goes on over a page break. One "ok"/"not ok" line per
# check; a reader that is not installed is reported as skipped. Needs ROOT,
# BIN, WORK (from tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
H="$WORK/hyphens"
mkdir -p "$H"

# The text a reader extracts from $2, whitespace squeezed to single spaces.
extract() {
    case $1 in
    poppler) pdftotext "$2" - ;;
    mupdf) mutool draw -q -F txt -o - "$2" 2>/dev/null ;;
    ghostscript) gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile=- "$2" ;;
    pdf.js) node "$ROOT/tests/pdfjs/read.mjs" "$2" --text ;;
    esac | tr -s ' \n\r\f\t' '     ' | sed 's/^ //; s/ $//'
}
have() {
    case $1 in
    poppler) command -v pdftotext ;;
    mupdf) command -v mutool ;;
    ghostscript) command -v gs ;;
    pdf.js) [ -f "$ROOT/out/npm/node_modules/pdfjs-dist/legacy/build/pdf.mjs" ] && command -v node ;;
    esac >/dev/null 2>&1
}

# Three times a paragraph of long words, justified and hyphenated in a
# narrow column whose first page ends in the middle of "account-ability".
P="Accountability and responsibility are international considerations; extraordinary administrative accountability demands transparency, institutional responsibility and understanding among organizations, governments and communities everywhere."
cat > "$H/doc.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<document theme="neutral" title="Hyphens" lang="en-US" created="2021-01-01">
  <page-style name="body" size="letter" margin="630pt 230pt 60pt 230pt"/>
  <section page-style="body">
    <p style="highlight">$P $P $P</p>
  </section>
</document>
EOF
trace=$(cd "$ROOT" && $VG "$BIN" render "$H/doc.xml" --root "$H" --format trace -o - 2>&1)
n=$(printf '%s\n' "$trace" | grep -c -- '-"$')
first=$(printf '%s\n' "$trace" | awk '/^page 2/{print prev; exit} /^  text/{prev=$NF}')
[ "$n" -ge 5 ] && [ "$first" = '"account-"' ]
check "the test column hyphenates $n words, one over the page break (page 1 ends $first)" $? "$trace"
out=$(cd "$ROOT" && $VG "$BIN" render "$H/doc.xml" --root "$H" -o "$H/doc.pdf" 2>&1); check "hyphenated column renders" $? "$out"
for r in poppler mupdf ghostscript pdf.js; do
    if ! have $r; then
        echo "ok - $r skipped: not installed"
        continue
    fi
    # Word for word, in any order (poppler reads a short last line before
    # the justified one above it): no part of a word, no word missing.
    extract $r "$H/doc.pdf" | tr ' ' '\n' | sort > "$H/got"
    echo "$P $P $P" | tr ' ' '\n' | sort > "$H/want"
    out=$(diff "$H/want" "$H/got")
    check "$r reads every hyphenated word whole, across the page break too" $? "$out"
done

# A column so narrow that words go over three lines ("Interna-", "tionaliza-", "tion").
W3="Internationalization counterrevolutionaries"
cat > "$H/narrow.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<document theme="neutral" title="Narrow" lang="en-US" created="2021-01-01">
  <page-style name="body" size="letter" margin="60pt 512pt 60pt 60pt"/>
  <section page-style="body"><p style="highlight">$W3</p></section>
</document>
EOF
trace=$(cd "$ROOT" && "$BIN" render "$H/narrow.xml" --root "$H" --format trace -o - 2>&1)
printf '%s\n' "$trace" | grep -q '"tionaliza-"$'; check "words over three lines in the narrow column" $? "$trace"
out=$(cd "$ROOT" && $VG "$BIN" render "$H/narrow.xml" --root "$H" -o "$H/narrow.pdf" 2>&1); check "narrow column renders" $? "$out"
for r in poppler mupdf ghostscript pdf.js; do
    have $r || { echo "ok - $r skipped: not installed"; continue; }
    got=$(extract $r "$H/narrow.pdf")
    [ "$got" = "$W3" ]; check "$r reads words over three lines whole" $? "got: $got"
done

# The card: "ac-countability", "fi-nancial" and "na-tional" in its grade table.
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$H/card.pdf" 2>&1); check "card renders" $? "$out"
for r in poppler mupdf ghostscript pdf.js; do
    have $r || { echo "ok - $r skipped: not installed"; continue; }
    words=$(extract $r "$H/card.pdf" | tr ' ' '\n' | tr -d '.,;:')
    miss=""
    for w in accountability financial national; do
        printf '%s\n' "$words" | grep -qx "$w" || miss="$miss $w"
    done
    frag=$(printf '%s\n' "$words" | grep -x -E 'ac-|countability|fi-|nancial|na-|tional' | tr '\n' ' ')
    [ -z "$miss$frag" ]; check "$r: the card's hyphenated words whole" $? "missing:$miss; parts: $frag"
done
