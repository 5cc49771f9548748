#!/bin/sh
# Font files are read when a document first uses a face, once per process:
# themes and documents share them. Counted with strace: a font is loaded by
# reading its first page (offset 0), then its tables, then the outlines of
# the glyphs shown, a page at a time. Needs ROOT, BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
W="$WORK/fonts"
mkdir -p "$W"

# One thread: a call strace sees two threads make at once is printed in
# two pieces, the file's name in one and what was read in the other.
trace() {
    (cd "$ROOT" && env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" REPORTGEN_THREADS=1 strace -f -y -e trace=read,pread64 -o "$W/strace" "$BIN" "$@" >/dev/null 2>&1)
}
# How many times a command loads each font file, one "COUNT fonts/FILE" line each.
font_reads() {
    trace "$@"
    grep -E 'fonts/[A-Za-z-]*\.ttf>, .*, 0\) = ' "$W/strace" | grep -o 'fonts/[A-Za-z-]*\.ttf' | sort | uniq -c | sed 's/^ *//'
}
# The bytes a command reads of font files, and their sizes.
font_bytes() {
    trace "$@"
    grep 'fonts/[A-Za-z-]*\.ttf>' "$W/strace" | sed -n 's/.* = \([0-9]*\)$/\1/p' | awk '{s += $1} END {print s + 0}'
}

# ---- a card reads the tables of its three faces and the outlines it shows:
# under a third of the files (they are 2.0 MB, 72% glyph outlines)
bytes=$(font_bytes render data/ct-2021-card.xml -o "$W/card-bytes.pdf")
files=$(cat "$ROOT/fonts/Lato-Regular.ttf" "$ROOT/fonts/Lato-Bold.ttf" "$ROOT/fonts/Lato-Black.ttf" | wc -c)
[ "$bytes" -gt 100000 ] && [ $((bytes * 3)) -lt "$files" ]
check "a card reads $bytes of its fonts' $files bytes (under a third)" $? "$(grep ttf "$W/strace" | cut -c1-120 | head -20)"

# ---- the annual report's theme extends neutral, whose Lato it never shows
reads=$(font_reads render data/tip-2021-annual.xml -o "$W/annual.pdf")
echo "$reads" | grep -q 'LiberationSerif-Regular' && ! echo "$reads" | grep -q 'Lato'
check "the annual report reads its Liberation Serif files and none of its base theme's Lato" $? "$reads"

# ---- a batch: the card (sharedhope) and a release (neutral) share Lato's files
printf '%s\n' data/ct-2021-card.xml data/sample-release-agency.xml data/tx-2025-card.xml > "$W/list"
reads=$(font_reads batch "$W/list" -o "$W/batch" -j 1)
[ -n "$reads" ] && ! echo "$reads" | grep -qv '^1 ' && echo "$reads" | grep -q '^1 fonts/Lato-Regular.ttf'
check "a batch worker reads each font file once for three documents in two themes" $? "$reads"
echo "$reads" | grep -q 'Lato-Italic' && ! echo "$reads" | grep -q 'Lato-BoldItalic'
check "... and only the faces they show (Lato Bold Italic is declared, never used)" $? "$reads"

# ---- a broken font file that no text uses is never read; one that is, is
# the theme's error at its line
D="$W/dd"
mkdir -p "$D/fonts"
cp -R "$ROOT/templates" "$D/"
cp "$ROOT"/fonts/*.ttf "$D/fonts/"
echo "not a font" > "$D/fonts/Lato-Italic.ttf"
echo "not a font" > "$D/fonts/Lato-BoldItalic.ttf"
(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$W/card-good.pdf") &&
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$D" "$BIN" render data/ct-2021-card.xml -o "$W/card.pdf" 2>&1) &&
    cmp -s "$W/card-good.pdf" "$W/card.pdf"
check "the card renders, the same bytes, when the theme's italic files (unused) are broken" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$D" "$BIN" render data/sample-release-agency.xml -o "$W/release.pdf" 2>&1)
rc=$?
line=$(grep -n 'italic="fonts/Lato-Italic.ttf"' "$D/templates/themes/neutral.xml" | cut -d: -f1)
[ $rc = 1 ] && [ ! -e "$W/release.pdf" ] &&
    [ "$out" = "$D/templates/themes/neutral.xml:$line:1: error: font 'fonts/Lato-Italic.ttf': not a TrueType font" ]
check "a document in italics: exit 1 at the theme's <font> line, nothing written" $? "$rc $out"
