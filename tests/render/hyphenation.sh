#!/bin/sh
# The hyphenation patterns (106 KB, more to parse than a card is to render)
# are read only when a line needs a word hyphenated: a theme that turns
# hyphenation on costs nothing to a document whose lines fit. Counted with
# strace. Needs ROOT, BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
W="$WORK/hyphenation"
mkdir -p "$W"

# Renders a layout document in neutral (hyphenation on, style "highlight"
# hyphenates) with paragraph text $2; prints how often the patterns were opened.
opens() {
    cat > "$W/$1.xml" <<XML
<document theme="neutral" title="Hyphenation" lang="en-US" created="2024-01-02">
  <page-style name="p" size="letter" margin="54pt"/>
  <section page-style="p">
    <p style="highlight">$2</p>
  </section>
</document>
XML
    (cd "$ROOT" && env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -e trace=openat,open -o "$W/$1.strace" "$BIN" render "$W/$1.xml" -o "$W/$1.pdf") >"$W/$1.log" 2>&1 || echo "exit $?"
    grep -c 'hyphen/hyph_' "$W/$1.strace"
}

n=$(opens short "Accountability and transparency fit on one line.")
[ "$n" = 0 ] && [ -s "$W/short.pdf" ]
check "a hyphenated style whose lines fit: the patterns are not read ($n)" $? "$(cat "$W/short.log")"

words="accountability transparency organizational responsibilities implementation extraordinary"
text=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do text="$text $words"; done
n=$(opens long "$text")
# (the layout trace shows the line ends: the PDF gives readers whole words)
ends=$(cd "$ROOT" && "$BIN" render "$W/long.xml" --format trace -o - 2>/dev/null | grep -c '[a-z]-"$')
[ "$n" = 1 ] && [ "$ends" -gt 0 ]
check "a paragraph whose words cross the line ends: read once, words hyphenated ($n, $ends lines)" $? "$(cat "$W/long.log")"
