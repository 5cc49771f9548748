#!/bin/sh
# Standard ligatures, a theme's switch per <font> (off by default): "ffi",
# "fl", "ff" drawn as the font's ligature glyphs, whose ToUnicode entries
# give all their letters, so the text still extracts as typed; the layout
# measures the ligatures it draws. Needs ROOT, BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
W="$WORK/ligatures"
mkdir -p "$W"
for v in on off; do
    cat > "$W/lig-$v.xml" <<XML
<theme name="lig-$v" extends="neutral">
  <font family="Lato" regular="$ROOT/fonts/Lato-Regular.ttf" bold="$ROOT/fonts/Lato-Bold.ttf" ligatures="$v"/>
</theme>
XML
done
cat > "$W/doc.xml" <<'XML'
<document theme="neutral" title="Ligatures" lang="en-US" created="2024-01-02">
  <page-style name="p" size="letter" margin="54pt"/>
  <section page-style="p">
    <p>office fluffy</p>
    <p align="right">office fluffy</p>
  </section>
</document>
XML
for v in on off; do
    (cd "$ROOT" && "$BIN" render "$W/doc.xml" --theme "$W/lig-$v.xml" -o "$W/$v.pdf") > "$W/$v.log" 2>&1 &&
        qpdf --qdf --object-streams=disable "$W/$v.pdf" "$W/$v.qdf" >/dev/null 2>&1
    [ $? = 0 ] || check "renders with ligatures=\"$v\"" 1 "$(cat "$W/$v.log")"
done

# The glyphs of the TJ arrays: four hex digits each.
glyphs() { grep -a ' TJ$' "$1" | grep -o '<[0-9A-Fa-f]*>' | tr -d '<>' | fold -w4 | tr a-f A-F; }
on=$(glyphs "$W/on.qdf" | wc -l)
off=$(glyphs "$W/off.qdf" | wc -l)
[ "$off" = 26 ] && [ "$on" = 18 ]
check "ligatures on: 18 glyphs for two 'office fluffy' (ffi, fl, ff; off: 26, one a character)" $? "on $on, off $off"

# HarfBuzz's own ligature glyph for "ffi" in Lato is in the page, and its
# ToUnicode entry says f, f, i.
ffi=$(hb-shape --no-glyph-names --no-positions --no-clusters "$ROOT/fonts/Lato-Regular.ttf" "ffi" | tr -d '[]')
hex=$(printf '%04X' "$ffi")
glyphs "$W/on.qdf" | grep -qx "$hex" && grep -aq "^<$hex> <006600660069>$" "$W/on.qdf" &&
    ! glyphs "$W/off.qdf" | grep -qx "$hex"
check "the ffi ligature (glyph $ffi, as hb-shape gives it) is drawn, its ToUnicode 'ffi'; not with ligatures off" $? \
    "$(grep -a -A12 beginbfchar "$W/on.qdf")"

for v in on off; do
    p=$(pdftotext "$W/$v.pdf" - 2>&1 | tr -s '[:space:]' ' ' | sed 's/ $//')
    m=$(mutool draw -q -F txt -o - "$W/$v.pdf" 2>/dev/null | tr -s '[:space:]' ' ' | sed 's/ $//')
    [ "$p" = "office fluffy office fluffy" ] && [ "$m" = "office fluffy office fluffy" ]
    check "ligatures $v: poppler and MuPDF extract 'office fluffy' as typed" $? "poppler: $p
mupdf: $m"
done

# Right-aligned: the line ends at the right margin (558pt) as drawn, so the
# layout measured the ligatures' advances, not the letters'.
end=$(pdftotext -bbox "$W/on.pdf" - 2>/dev/null | grep '>fluffy<' | tail -n 1 | sed 's/.*xMax="\([0-9.]*\)".*/\1/')
awk -v e="$end" 'BEGIN { d = e - 558; exit !(e != "" && d < 0.01 && d > -0.01) }'
check "a right-aligned line with ligatures ends at the margin as drawn (xMax $end)" $?

# Hyphenated and justified (neutral's "highlight"): no line ends inside a
# ligature ("of-|fice" would split ffi), and every line but the last ends
# at the margin as drawn (the last one, and the right-aligned line after it, aside).
words="officially difficult sufficient affluent effluent offering"
text=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do text="$text $words"; done
sed "s|<p>office fluffy</p>|<p style=\"highlight\">$text</p>|" "$W/doc.xml" > "$W/hy.xml"
(cd "$ROOT" && "$BIN" render "$W/hy.xml" --theme "$W/lig-on.xml" -o "$W/hy.pdf") > "$W/hy.log" 2>&1
# The layout trace has each line's text as laid out: the first part of a
# hyphenated word ends its line with "-" (the PDF draws that part as shapes
# and gives the text the whole word, so extraction no longer shows it).
(cd "$ROOT" && "$BIN" render "$W/hy.xml" --theme "$W/lig-on.xml" --format trace -o -) > "$W/hy.trace" 2>/dev/null
lines=$(sed -n 's/^  text .* y=\([0-9.]*\) .*"\(.*\)"$/\1 \2/p' "$W/hy.trace" |
    awk '$1 != y { if (y != "") print t; y = $1; t = "" } { sub(/^[0-9.]* /, ""); t = t $0 } END { print t }')
split=$(printf '%s\n' "$lines" | awk 'prev ~ /f-$/ && $0 ~ /^[fil]/ { print prev " | " $0 } { prev = $0 }')
hyph=$(printf '%s\n' "$lines" | grep -c -- '-$')
[ -s "$W/hy.pdf" ] && [ "$hyph" -gt 0 ] && [ -z "$split" ]
check "hyphenation with ligatures: $hyph words split, none inside ffi, ff or fl" $? "$split$(cat "$W/hy.log")"
# Lines that end in a hyphenated word's first part end in shapes, not
# text: they are left out (their baselines are in the trace).
hys=$(awk '/^  text / && /-"$/ { for (i = 1; i <= NF; i++) if ($i ~ /^y=/) print substr($i, 3) }' "$W/hy.trace" | tr '\n' ' ')
ends=$(pdftotext -bbox-layout "$W/hy.pdf" - 2>/dev/null | grep '<line ' |
    sed 's/.*yMin="\([0-9.]*\)".*xMax="\([0-9.]*\)".*yMax="\([0-9.]*\)".*/\1 \2 \3/' |
    awk -v hys="$hys" 'BEGIN { n = split(hys, h, " ") }
        { skip = 0; for (i = 1; i <= n; i++) if (h[i] + 0 >= $1 && h[i] + 0 <= $3) skip = 1; if (!skip) print $2 }')
off=$(printf '%s\n' "$ends" | sed '$d' | sed '$d' | awk '{ d = $1 - 558; if (d > 0.01 || d < -0.01) print }' | head -3)
[ "$(printf '%s\n' "$ends" | wc -l)" -gt 3 ] && [ -z "$off" ]
check "justified lines with ligatures end at the margin as drawn" $? "$off"
