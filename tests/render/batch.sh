#!/bin/sh
# reportgen batch: isolation of bad and crashing documents, no partial files
# after an interrupt, --changed as make does it.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
B="$WORK/batch"
rm -rf "$B"; mkdir -p "$B/in"
for i in $(seq -w 1 12); do cp "$ROOT/data/ct-2021-card.xml" "$B/in/card$i.xml"; done
cp "$ROOT/tests/errors/malformed-xml.xml" "$B/in/broken.xml"
out=$(cd "$ROOT" && REPORTGEN_TEST_CRASH=card05.xml $VG "$BIN" batch "$B/in" -o "$B/out" -j 3 2>&1); rc=$?
n=$(ls "$B/out" | grep -c '\.pdf$')
[ $rc = 1 ] && [ "$n" = 11 ]; check "a broken and a crashing document: the other 11 render, exit 1 (exit $rc, $n PDFs)" $? "$out"
echo "$out" | grep -q "broken.xml:14:13: error: opening and ending tag mismatch"; check "the summary names the broken file with its first error" $? "$out"
echo "$out" | grep -q "card05.xml: error: the worker rendering it crashed (signal 11"; check "the summary names the crashed document" $? "$out"
echo "$out" | grep -q "^11 rendered, 2 failed, 0 skipped"; check "summary counts" $? "$out"
left=$(ls -A "$B/out" | grep -v '\.pdf$')
[ -z "$left" ] && [ ! -e "$B/out/card05.pdf" ] && [ ! -e "$B/out/broken.pdf" ]; check "no partial or temporary file left" $? "$left"
bad=0; for f in "$B"/out/*.pdf; do qpdf --check "$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
[ $bad = 0 ]; check "every PDF written passes qpdf --check" $?

# --changed: nothing to do on an unchanged tree; a touched file alone is redone.
rm -f "$B/in/broken.xml"
(cd "$ROOT" && "$BIN" batch "$B/in" -o "$B/out" >/dev/null 2>&1)
out=$(cd "$ROOT" && "$BIN" batch "$B/in" -o "$B/out" --changed 2>&1); rc=$?
echo "$out" | grep -q "^0 rendered, 0 failed, 12 skipped"; check "--changed on an unchanged tree renders nothing" $? "$out"
touch "$B/in/card07.xml"
out=$(cd "$ROOT" && "$BIN" batch "$B/in" -o "$B/out" --changed 2>&1); rc=$?
echo "$out" | grep -q "^1 rendered, 0 failed, 11 skipped" && echo "$out" | grep -q "card07.xml"
check "--changed after touching one data file renders just that one" $? "$out"
# A file of a REPORTGEN_PATH folder, or a theme given by path, counts as a template.
mkdir -p "$B/user/templates/themes" "$B/brand"
cp "$ROOT/templates/themes/sharedhope.xml" "$B/brand/brand.xml"
(cd "$ROOT" && REPORTGEN_PATH="$B/user" "$BIN" batch "$B/in" -o "$B/out" >/dev/null 2>&1)
touch "$B/user/templates/themes/unused.xml"
out=$(cd "$ROOT" && REPORTGEN_PATH="$B/user" "$BIN" batch "$B/in" -o "$B/out" --changed 2>&1)
echo "$out" | grep -q "^12 rendered, 0 failed, 0 skipped"
check "--changed after touching a file of a REPORTGEN_PATH folder renders everything" $? "$out"
touch "$B/brand/brand.xml"
out=$(cd "$ROOT" && "$BIN" batch "$B/in" -o "$B/out" --changed --theme "$B/brand/brand.xml" 2>&1)
echo "$out" | grep -q "^12 rendered, 0 failed, 0 skipped"
check "--changed with --theme FILE newer than the PDFs renders everything" $? "$out"
out=$(cd "$ROOT" && "$BIN" batch "$B/in" -o "$B/out" --changed --theme "$B/brand/brand.xml" 2>&1)
echo "$out" | grep -q "^0 rendered, 0 failed, 12 skipped"; check "--changed with --theme FILE, nothing changed: nothing rendered" $? "$out"

# Interrupted: SIGINT midway leaves only complete PDFs.
mkdir -p "$B/many"
for i in $(seq -w 1 300); do cp "$ROOT/data/ct-2021-card.xml" "$B/many/c$i.xml"; done
(cd "$ROOT" && exec "$BIN" batch "$B/many" -o "$B/mout" -j 2 > "$B/int.log" 2>&1) &
pid=$!
sleep 0.4
kill -INT $pid
wait $pid; rc=$?
n=$(ls "$B/mout" 2>/dev/null | grep -c '\.pdf$')
tmp=$(ls -A "$B/mout" 2>/dev/null | grep -v '\.pdf$')
bad=0; for f in "$B"/mout/*.pdf; do [ -f "$f" ] || continue; qpdf --check "$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
[ $rc = 130 ] && [ -z "$tmp" ] && [ $bad = 0 ] && [ "$n" -lt 300 ]
check "SIGINT midway: exit 130, $n complete PDFs, none broken, no temporary file" $? "$(tail -3 "$B/int.log") $tmp"

# The 51 sample states in one go; then with one broken and one crashing.
if [ -d "$ROOT/data/states" ]; then
    out=$(cd "$ROOT" && $VG "$BIN" batch data/states -o "$B/states" 2>&1); rc=$?
    n=$(ls "$B/states" | grep -c '\.pdf$')
    [ $rc = 0 ] && [ "$n" = 51 ] && echo "$out" | grep -q "^51 rendered, 0 failed, 0 skipped"
    check "batch over data/states: 51 PDFs, exit 0" $? "$(echo "$out" | tail -3)"
    mkdir -p "$B/s51"
    cp "$ROOT"/data/states/*.xml "$B/s51/"
    printf '<report-card year="2021">\n  <state name="Ohio"\n</report-card>\n' > "$B/s51/ohio.xml"
    mkdir -p "$B/s51out"
    printf 'last year\n' > "$B/s51out/ohio.pdf"
    out=$(cd "$ROOT" && REPORTGEN_TEST_CRASH=texas.xml "$BIN" batch "$B/s51" -o "$B/s51out" 2>&1); rc=$?
    n=$(ls "$B/s51out" | grep -c '\.pdf$')
    [ $rc = 1 ] && echo "$out" | grep -q "^49 rendered, 2 failed, 0 skipped" &&
        echo "$out" | grep -q "s51/ohio.xml:3:1: error:" && echo "$out" | grep -q "texas.xml: error: the worker rendering it crashed" &&
        [ ! -e "$B/s51out/texas.pdf" ] && [ "$(cat "$B/s51out/ohio.pdf")" = "last year" ] &&
        [ -z "$(ls -A "$B/s51out" | grep -v '\.pdf$')" ]
    check "51 states, one broken and one crashing: 49 render, both named, exit 1, last year's PDF kept" $? "$(echo "$out" | tail -4)"
fi
out=$("$BIN" batch "$B/in" 2>&1); [ $? = 2 ]; check "batch without -o: exit 2" $? "$out"
out=$("$BIN" batch "$B/in" -o "$B/o2" -j 0 2>&1); [ $? = 2 ]; check "batch -j 0: exit 2" $? "$out"
printf '%s\n' "$B/in/card01.xml" "# a comment" "" "$B/in/card02.xml" > "$B/list.txt"
out=$(cd "$ROOT" && "$BIN" batch "$B/list.txt" -o "$B/lout" 2>&1); rc=$?
[ $rc = 0 ] && [ -f "$B/lout/card01.pdf" ] && [ -f "$B/lout/card02.pdf" ]; check "batch from a list file" $? "$out"

# ---- each PDF is synced before it is renamed into place; the output folder
# once, by the batch at its end (a single render syncs it after its PDF)
if command -v strace >/dev/null && [ -z "$VG" ]; then
    printf '%s\n' data/ct-2021-card.xml data/tx-2025-card.xml data/sample-release-agency.xml > "$B/sync.list"
    rm -rf "$B/sync"
    (cd "$ROOT" && env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -y -e trace=fsync -o "$B/sync.strace" "$BIN" batch "$B/sync.list" -o "$B/sync" -j 2 >/dev/null 2>&1)
    # (the call's start: two workers' calls at once are printed "<unfinished ...>")
    files=$(grep -c 'fsync([0-9]*</[^>]*/\.[^/>]*\.pdf\.[A-Za-z0-9]*>' "$B/sync.strace")
    folder=$(grep -c "fsync([0-9]*<$B/sync>" "$B/sync.strace")
    [ "$files" = 3 ] && [ "$folder" = 1 ]
    check "a batch of 3 syncs each PDF before its rename ($files) and the folder once ($folder)" $? "$(cat "$B/sync.strace")"
    (cd "$ROOT" && env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -y -e trace=fsync -o "$B/one.strace" "$BIN" render data/ct-2021-card.xml -o "$B/sync/one.pdf" >/dev/null 2>&1)
    folder=$(grep -c "fsync([0-9]*<$B/sync>" "$B/one.strace")
    [ "$folder" = 1 ]
    check "a render syncs its PDF's folder after the rename" $? "$(cat "$B/one.strace")"
fi
exit 0
