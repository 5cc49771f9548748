#!/bin/sh
# reportgen watch: a new PDF for each save, whether the file is rewritten in
# place or a new one renamed over it (as editors save), with each render's
# findings; a save with an error keeps the last good PDF byte for byte; a
# theme file saved renders again; SIGINT ends it with status 0 and nothing
# left behind.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
W="${WORK:?}/watch"
rm -rf "$W"; mkdir -p "$W"
cp "$ROOT/data/ct-2021-card.xml" "$W/card.xml"
cp "$ROOT/templates/themes/sharedhope.xml" "$W/brand.xml"
LOG="$W/log"
# Under valgrind a render takes seconds, not milliseconds.
if [ -n "$VG" ]; then tries=1200; else tries=200; fi

# Waits (0.05 s steps) until the log holds at least $2 lines matching $1.
wait_lines() {
    n=0
    while c=$(grep -c -- "$1" "$LOG" 2>/dev/null); [ "${c:-0}" -lt "$2" ]; do
        n=$((n + 1))
        [ $n -ge $tries ] && return 1
        sleep 0.05
    done
    return 0
}
inode() { stat -c %i "$1" 2>/dev/null; }
# Is $pid still running (not ended, nor a zombie waiting to be reaped)?
running() { st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1); [ -n "$st" ] && [ "$st" != Z ]; }
# Sends signal $1 to $pid and waits for it to end, a few seconds at most:
# rc is then its exit status, or says that it did not end (it is killed).
stop() {
    kill -"$1" "$pid"
    n=0
    while running && [ $n -lt $tries ]; do sleep 0.05; n=$((n + 1)); done
    if running; then
        kill -KILL "$pid"; wait "$pid"; rc="still running after SIG$1"
    else
        wait "$pid"; rc=$?
    fi
}
# Milliseconds from the data file's last change (the save) to the PDF's
# (its rename into place).
latency() { awk -v a="$(stat -c %.9Z "$W/card.xml")" -v b="$(stat -c %.9Z "$W/card.pdf")" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

(cd "$ROOT" && exec $VG "$BIN" watch "$W/card.xml" -o "$W/card.pdf" --theme "$W/brand.xml" > "$LOG" 2>&1) &
pid=$!
wait_lines '^watching ' 1 && wait_lines '^[0-9:]* rendered ' 1 && qpdf --check "$W/card.pdf" >/dev/null 2>&1
check "watch renders once and says it is watching" $? "$(cat "$LOG")"
grep -q "^watching $W/card.xml and [1-9][0-9]* other files it was made from" "$LOG"
check "the first line counts the files watched" $? "$(cat "$LOG")"

# 1. Saved in place (truncated and rewritten), with an area's name changed:
#    a warning at its line.
i0=$(inode "$W/card.pdf")
sed 's|<name>Continuum of Care</name>|<name>Continuum of Cure</name>|' "$ROOT/data/ct-2021-card.xml" > "$W/card.xml"
wait_lines '^[0-9:]* rendered ' 2
i1=$(inode "$W/card.pdf")
ms1=$(latency)
[ "$i1" != "$i0" ] && qpdf --check "$W/card.pdf" >/dev/null 2>&1 &&
    grep -q "card.xml:20:7: warning: .*'Continuum of Cure'" "$LOG" &&
    grep -q ' rendered .*card.pdf (1 page, [0-9]* ms), 1 warning$' "$LOG"
check "a save in place: a new PDF and its warning, file:line:col ($ms1 ms from the save to the PDF's rename)" $? "$(cat "$LOG")"

# 2. Saved as editors do: a new file written beside it and renamed over it.
#    The other area's name changed: the new warning, and not the first.
sed 's|<name>Prevention and Training</name>|<name>Prevention and Trainings</name>|' "$ROOT/data/ct-2021-card.xml" > "$W/.card.xml.swp"
mv "$W/.card.xml.swp" "$W/card.xml"
wait_lines '^[0-9:]* rendered ' 3
i2=$(inode "$W/card.pdf")
ms2=$(latency)
[ "$i2" != "$i1" ] && qpdf --check "$W/card.pdf" >/dev/null 2>&1 &&
    grep -q "card.xml:32:7: warning: .*'Prevention and Trainings'" "$LOG" &&
    [ "$(grep -c "Continuum of Cure" "$LOG")" = 1 ]
check "a save by rename: a new PDF and its own warning ($ms2 ms from the save to the PDF's rename)" $? "$(cat "$LOG")"
if [ -z "$VG" ]; then
    [ "$ms1" -lt 2000 ] && [ "$ms2" -lt 2000 ]
    check "each render followed its save within 2 s ($ms1 ms, $ms2 ms)" $?
fi

# Saves of the data alone render with the context kept from the render
# before: ten more by rename, the 5th and 10th with an error; each other
# one a new PDF (the inode of an earlier data file, freed and given to the
# new PDF, is not taken for an input and the next render refused).
k=1; fails=""
while [ $k -le 10 ]; do
    if [ $((k % 5)) = 0 ]; then
        sed 's|score="4" max="15"|score="four" max="15"|' "$ROOT/data/ct-2021-card.xml" > "$W/.card.xml.swp"
    else
        sed "s|and appropriations|and appropriations ($k)|" "$ROOT/data/ct-2021-card.xml" > "$W/.card.xml.swp"
    fi
    mv "$W/.card.xml.swp" "$W/card.xml"
    wait_lines '^[0-9:]* \(not \)\?rendered ' $((k + 3)) || fails="$fails $k"
    k=$((k + 1))
done
cp "$ROOT/data/ct-2021-card.xml" "$W/card.xml"
wait_lines '^[0-9:]* rendered ' 12 || fails="$fails fixed"
i2=$(inode "$W/card.pdf")
[ -z "$fails" ] && [ "$(grep -c ' not rendered ' "$LOG")" = 2 ] && qpdf --check "$W/card.pdf" >/dev/null 2>&1
check "ten saves of the data by rename, two with an error: nine new PDFs" $? "$fails $(tail -4 "$LOG")"

# 3. A save with an error: said with file:line:col, the last good PDF kept.
cp "$W/card.pdf" "$W/good.pdf.keep"
sed 's|score="4" max="15"|score="four" max="15"|' "$ROOT/data/ct-2021-card.xml" > "$W/.card.xml.new"
mv "$W/.card.xml.new" "$W/card.xml"
wait_lines ' not rendered ' 3
sleep 0.2 # time to do wrong, if it would
grep -q "card.xml:19:23: error: .*'four'" "$LOG" &&
    grep -q " not rendered (1 error): $W/card.pdf is still the one rendered at " "$LOG" &&
    cmp -s "$W/good.pdf.keep" "$W/card.pdf" && [ "$(inode "$W/card.pdf")" = "$i2" ]
check "a save with an error: the error with file:line:col, the last good PDF unchanged byte for byte" $? "$(cat "$LOG")"

# 4. The fix renders again; so does a save of the theme file alone.
cp "$ROOT/data/ct-2021-card.xml" "$W/card.xml"
wait_lines '^[0-9:]* rendered ' 13
i4=$(inode "$W/card.pdf")
[ "$i4" != "$i2" ] && qpdf --check "$W/card.pdf" >/dev/null 2>&1
check "the error fixed: a new PDF" $? "$(cat "$LOG")"
sed 's|#|#|' "$W/brand.xml" > "$W/brand.xml.tmp" && mv "$W/brand.xml.tmp" "$W/brand.xml"
wait_lines '^[0-9:]* rendered ' 14
[ "$(inode "$W/card.pdf")" != "$i4" ]
check "the theme file saved: a new PDF" $? "$(cat "$LOG")"
# A file beside it that no render read (and the PDF's own writes) start nothing.
echo x > "$W/notes.txt"
sleep 0.3
[ "$(grep -c '^[0-9:]* rendered ' "$LOG")" = 14 ]
check "a file that no render read, saved: no render" $? "$(cat "$LOG")"

# 5. SIGINT: exit 0, nothing left but what was there.
stop INT
left=$(ls -A "$W" | grep -v -x -e card.xml -e card.pdf -e brand.xml -e log -e good.pdf.keep -e notes.txt)
[ "$rc" = 0 ] && [ -z "$left" ]
check "SIGINT: exit 0 (exit $rc), no temporary file left" $? "$left
$(tail -3 "$LOG")"

# Watched through a symbolic link in another folder, the data saved where
# the link leads: a render. A theme saved into a REPORTGEN_PATH folder,
# where the base one was read so far, takes its place: a render. SIGTERM
# ends the watch as SIGINT does.
mkdir -p "$W/user/templates/themes" "$W/links"
ln -s ../card.xml "$W/links/card.xml"
LOG="$W/log2" # a log of its own: the first one's lines are not this one's
: > "$LOG"
(cd "$ROOT" && REPORTGEN_PATH="$W/user" exec "$BIN" watch "$W/links/card.xml" -o "$W/card.pdf" > "$LOG" 2>&1) &
pid=$!
wait_lines '^watching ' 1
i5=$(inode "$W/card.pdf")
sed 's|Continuum of Care|Continuum of Cure|' "$ROOT/data/ct-2021-card.xml" > "$W/.card.xml.swp"
mv "$W/.card.xml.swp" "$W/card.xml"
wait_lines '^[0-9:]* rendered ' 2
i6=$(inode "$W/card.pdf")
[ "$i6" != "$i5" ] && grep -q "links/card.xml:20:7: warning: .*Cure" "$LOG"
check "the data watched through a link, saved where it leads: a new PDF" $? "$(cat "$LOG")"
sed 's|#|#|' "$ROOT/templates/themes/sharedhope.xml" > "$W/user/templates/themes/sharedhope.xml"
wait_lines '^[0-9:]* rendered ' 3
[ "$(inode "$W/card.pdf")" != "$i6" ]
check "a theme saved into a REPORTGEN_PATH folder searched first: a new PDF" $? "$(cat "$LOG")"
stop TERM
[ "$rc" = 0 ]; check "SIGTERM: exit 0 (exit $rc)" $?
# A file looked for and not there (a theme's logo): the render fails, and
# the file's arrival renders again.
mkdir -p "$W/rel"
cp "$ROOT/data/sample-release-agency.xml" "$W/rel/release.xml"
sed 's|src="logos/harbor-light.png"|src="seal.png"|' "$ROOT/templates/themes/harbor-light.xml" > "$W/rel/brand.xml"
LOG="$W/rel/log"
: > "$LOG"
(cd "$ROOT" && exec "$BIN" watch "$W/rel/release.xml" -o "$W/rel/release.pdf" --theme "$W/rel/brand.xml" > "$LOG" 2>&1) &
pid=$!
wait_lines '^watching ' 1
cp "$ROOT/tests/images/logo.png" "$W/rel/seal.png"
wait_lines '^[0-9:]* rendered ' 1
grep -q "rel/brand.xml:10:[0-9]*: error: .*cannot open image '.*seal.png'" "$LOG" && grep -q ' not rendered (1 error)' "$LOG" &&
    qpdf --check "$W/rel/release.pdf" >/dev/null 2>&1
check "a theme's logo missing, then saved: the error, then a PDF" $? "$(cat "$LOG")"
# The PDF deleted, then a save with an error: no claim that it is still there.
rm "$W/rel/release.pdf"
printf '<press-release>\n' > "$W/rel/release.xml"
wait_lines ' not rendered ' 2
[ "$(grep ' not rendered ' "$LOG" | tail -n 1 | sed 's/^[0-9:]* //')" = "not rendered (1 error)" ]
check "the PDF deleted, then a save with an error: 'not rendered', no word of a PDF left" $? "$(cat "$LOG")"
stop INT

# SIGINT at once after a save, while the save settles or the annual report
# renders (some 40 ms): exit 0, the PDF whole, no temporary file left.
mkdir -p "$W/int"
cp "$ROOT/data/tip-2021-annual.xml" "$W/int/a.xml"
bad=""
for delay in 0 0.01 0.02 0.03 0.04 0.05 0.07 0.1; do
    LOG="$W/int/log"
    : > "$LOG"
    (cd "$ROOT" && exec "$BIN" watch "$W/int/a.xml" -o "$W/int/a.pdf" > "$LOG" 2>&1) &
    pid=$!
    wait_lines '^watching ' 1
    cp "$ROOT/data/tip-2021-annual.xml" "$W/int/a.xml"
    sleep $delay
    stop INT
    left=$(ls -A "$W/int" | grep -v -x -e a.xml -e a.pdf -e log)
    { [ "$rc" = 0 ] && [ -z "$left" ] && qpdf --check "$W/int/a.pdf" >/dev/null 2>&1; } || bad="$bad $delay s: exit $rc $left;"
done
[ -z "$bad" ]; check "SIGINT 0 to 0.1 s after a save: exit 0, the PDF whole, nothing left" $? "$bad"

out=$("$BIN" watch 2>&1); [ $? = 2 ] && echo "$out" | grep -q "watch needs an input file"
check "watch without a file: exit 2" $? "$out"
out=$("$BIN" watch "$W/card.xml" -o - 2>&1); [ $? = 2 ]; check "watch -o -: exit 2" $? "$out"
cp "$W/card.xml" "$W/card.xml.keep"
out=$(cd "$ROOT" && timeout 20 "$BIN" watch "$W/card.xml" -o "$W/card.xml" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$W/card.xml" "$W/card.xml.keep"
check "watch with the data file as its output: exit 2, the file untouched" $? "$out"
out=$("$BIN" watch --help); [ $? = 0 ] && echo "$out" | grep -q "^usage: reportgen watch"
check "watch --help: exit 0, its usage" $? "$out"
