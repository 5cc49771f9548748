#!/bin/sh
# What an unlucky user or an attacker meets: outputs that are inputs, FIFOs,
# signals and limits during the write, a batch short of file descriptors.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
R="$WORK/reliability"
# Under strace, LeakSanitizer (make check) cannot attach to the process it checks.
NOLSAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
rm -rf "$R"; mkdir -p "$R"

# An output that is one of the run's inputs is refused before any work: the data survives.
cp "$ROOT/data/ct-2021-card.xml" "$R/card.xml"
# (A trace: a PDF's name must end in .pdf, which these names would fail first.)
out=$(cd "$ROOT" && $VG "$BIN" render "$R/card.xml" --format trace -o "$R/card.xml" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/card.xml" "$ROOT/data/ct-2021-card.xml" && echo "$out" | grep -q "an input of this run"
check "render card.xml -o card.xml: exit 2, the data file kept" $? "$rc $out"
ln "$R/card.xml" "$R/link.pdf"
out=$(cd "$ROOT" && $VG "$BIN" render "$R/card.xml" -o "$R/link.pdf" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/card.xml" "$ROOT/data/ct-2021-card.xml"
check "an output hard-linked to the data file: exit 2, the data kept" $? "$rc $out"
mkdir -p "$R/cards"; cp "$ROOT/data/states/alabama.xml" "$ROOT/data/states/alaska.xml" "$R/cards/"
out=$(cd "$ROOT" && $VG "$BIN" overview "$R/cards" --format trace -o "$R/cards/alabama.xml" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/cards/alabama.xml" "$ROOT/data/states/alabama.xml" && echo "$out" | grep -q "an input of this run"
check "overview DIR -o DIR/alabama.xml: exit 2, the card kept" $? "$rc $out"

# Files that would block: a FIFO as the data file, for render and check (timeout: no hang).
mkfifo "$R/fifo.xml"
out=$(cd "$ROOT" && timeout 10 "$BIN" render "$R/fifo.xml" -o "$R/fifo.pdf" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "fifo.xml: error: not a regular file"
check "render of a FIFO: exit 1 'not a regular file', no hang" $? "$rc $out"
out=$(cd "$ROOT" && timeout 10 "$BIN" check "$R/fifo.xml" 2>&1); rc=$?
[ $rc = 1 ]; check "check of a FIFO: exit 1, no hang" $? "$rc $out"
# ... as a theme's font, and as an image a layout document names.
mkdir -p "$R/dd"; cp -R "$ROOT/templates" "$ROOT/fonts" "$R/dd/"
rm "$R/dd/fonts/Lato-Regular.ttf"; mkfifo "$R/dd/fonts/Lato-Regular.ttf"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$R/dd" timeout 10 "$BIN" render data/ct-2021-card.xml -o "$R/font.pdf" 2>&1); rc=$?
[ $rc = 1 ] || [ $rc = 3 ]; check "a theme font that is a FIFO: an error, no hang" $? "$rc $out"
mkdir -p "$R/img"; mkfifo "$R/img/logo.png"
printf '<document theme="sharedhope"><section><image src="logo.png" width="1in"/></section></document>\n' > "$R/img/doc.xml"
out=$(cd "$ROOT" && timeout 10 "$BIN" render "$R/img/doc.xml" -o "$R/img/doc.pdf" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "is not a regular file"; check "an image that is a FIFO: exit 1, no hang" $? "$rc $out"

# A signal during the write (fsync held for 5 s by strace, time enough on a
# loaded machine to see the temporary file first) leaves no temporary file.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    for sig in INT TERM HUP; do
        rm -rf "$R/sig"; mkdir -p "$R/sig/out"
        # (a background job starts with SIGINT ignored, and under nohup SIGHUP too:
        # python puts the defaults back)
        (cd "$ROOT" && exec python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); signal.signal(signal.SIGHUP, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' env "$NOLSAN" strace -ff -o "$R/sig/tr" -e trace=fsync -e inject=fsync:delay_enter=5000000 "$BIN" render data/ct-2021-card.xml -o "$R/sig/out/card.pdf") 2>/dev/null &
        n=0; while [ $n -lt 100 ] && [ -z "$(ls -A "$R/sig/out")" ]; do sleep 0.05; n=$((n + 1)); done
        pid=$(ls "$R/sig" | sed -n 's/^tr\.//p' | head -1)
        [ -n "$pid" ] && kill -$sig "$pid"
        wait
        left=$(ls -A "$R/sig/out")
        [ -n "$pid" ] && [ -z "$left" ]; check "SIG$sig during the fsync: no temporary file left" $? "pid '$pid', left: $left"
    done
else
    echo "ok - a signal during the fsync: skipped, strace cannot trace here"
fi

# ulimit -f: the write fails with EFBIG and says so, exit 3, nothing left (not killed by SIGXFSZ).
mkdir -p "$R/fsz"
out=$(cd "$ROOT" && ulimit -f 10 && "$BIN" render data/ct-2021-card.xml -o "$R/fsz/card.pdf" 2>&1); rc=$?
[ $rc = 3 ] && echo "$out" | grep -q "the file size limit was hit" && [ -z "$(ls -A "$R/fsz")" ]
check "render under ulimit -f 10: exit 3, 'the file size limit was hit', no temporary file" $? "$rc $out $(ls -A "$R/fsz")"

# Replacing a file keeps its permission bits (and, as root, its owner and group).
mkdir -p "$R/perm"; printf 'old\n' > "$R/perm/card.pdf"; chmod 600 "$R/perm/card.pdf"
[ "$(id -u)" = 0 ] && chown 65534:65534 "$R/perm/card.pdf"
before=$(stat -c '%a %u %g' "$R/perm/card.pdf")
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$R/perm/card.pdf" 2>&1); rc=$?
after=$(stat -c '%a %u %g' "$R/perm/card.pdf")
[ $rc = 0 ] && [ "$before" = "$after" ]; check "a replaced 0600 PDF stays 0600 with its owner ($before -> $after)" $? "$out"

# An output name of 255 bytes (NAME_MAX): the temporary name still fits.
long=$(printf '%0251d' 0 | tr 0 a).pdf
mkdir -p "$R/long"
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$R/long/$long" 2>&1); rc=$?
[ $rc = 0 ] && [ -f "$R/long/$long" ] && [ "$(ls -A "$R/long" | wc -l)" = 1 ]
check "an output name of 255 bytes renders" $? "$rc $out"
mkdir -p "$R/dx"; cp -R "$ROOT/templates" "$ROOT/fonts" "$R/dx/"
rm "$R/dx/templates/common/states.xml"; mkfifo "$R/dx/templates/common/states.xml"
out=$(cd "$ROOT" && REPORTGEN_DATADIR="$R/dx" timeout 10 "$BIN" check data/ct-press-release.xml 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "states.xml: error: not a regular file"
check "a template's document() that is a FIFO: exit 1, no hang" $? "$rc $out"

# The batch under a small open-files limit: -j is lowered, every card rendered.
out=$(cd "$ROOT" && ulimit -n 16 && "$BIN" batch data/states -o "$R/b16" -j 64 2>&1); rc=$?
n=$(ls "$R/b16" 2>/dev/null | grep -c '\.pdf$')
[ $rc = 0 ] && [ "$n" = 51 ] && echo "$out" | grep -q "^51 rendered, 0 failed, 0 skipped, 0 not attempted"
check "batch of 51 under ulimit -n 16 with -j 64: 51 PDFs, exit 0 ($n)" $? "$rc $(echo "$out" | tail -3)"
out=$(cd "$ROOT" && sh -c 'ulimit -n 7 && exec "$0" "$@"' "$BIN" batch data/states -o "$R/b7" 2>&1); rc=$?
[ $rc = 3 ] && echo "$out" | grep -q "open-files limit of 7 leaves no room for a worker"
check "batch under ulimit -n 7: exit 3, says why" $? "$rc $out"

# A FIFO among the data files: reported, the others rendered, no hang.
mkdir -p "$R/bf"; cp "$ROOT/data/states/alabama.xml" "$ROOT/data/states/alaska.xml" "$R/bf/"; mkfifo "$R/bf/x.xml"
(cd "$ROOT" && timeout -s KILL 10 "$BIN" batch "$R/bf" -o "$R/bfo" > "$R/bf.log" 2>&1); rc=$?; out=$(cat "$R/bf.log")
[ $rc = 1 ] && echo "$out" | grep -q "x.xml: error: not a regular file" && echo "$out" | grep -q "^2 rendered, 1 failed"
check "batch with a FIFO x.xml: exit 1, x.xml named, 2 rendered, no hang" $? "$rc $(echo "$out" | tail -3)"

mkdir -p "$R/bg"; cp "$ROOT/data/states/alabama.xml" "$ROOT/data/states/alaska.xml" "$R/bg/"

# The batch's own machinery fails (poll, fork: made to fail by strace): said, exit 3, and every
# document counted as rendered, failed or not attempted; no worker left behind.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    out=$(cd "$ROOT" && timeout -s KILL 20 env "$NOLSAN" strace -o /dev/null -e trace=poll -e inject=poll:error=EINVAL:when=3 "$BIN" batch data/states -o "$R/bp" -j 2 2>&1); rc=$?
    sum=$(echo "$out" | sed -n 's/^\([0-9]*\) rendered, \([0-9]*\) failed, 0 skipped, \([0-9]*\) not attempted.*/\1 \2 \3/p')
    set -- $sum
    [ $rc = 3 ] && echo "$out" | grep -q "error: waiting for the workers failed: Invalid argument: the batch stopped" &&
        [ $(($1 + $2 + $3)) = 51 ] && [ "$3" -gt 0 ] && [ "$(ls "$R/bp" | grep -c '\.pdf$')" = "$1" ]
    check "poll fails: exit 3, said, $1 rendered + $3 not attempted = 51, a PDF for each rendered" $? "$rc $(echo "$out" | tail -3)"
    out=$(cd "$ROOT" && timeout -s KILL 20 env "$NOLSAN" strace -o /dev/null -e trace=clone -e inject=clone:error=EAGAIN "$BIN" batch data/states -o "$R/bq" -j 2 2>&1); rc=$?
    [ $rc = 3 ] && echo "$out" | grep -q "cannot start a worker: Resource temporarily unavailable" &&
        echo "$out" | grep -q "^0 rendered, 0 failed, 0 skipped, 51 not attempted"
    check "no worker can be started: exit 3, 51 not attempted" $? "$rc $(echo "$out" | tail -3)"
else
    echo "ok - batch machinery failures: skipped, strace cannot trace here"
fi

# A stuck document is stopped at --timeout and reported; the others render.
(cd "$ROOT" && REPORTGEN_TEST_HANG=alaska.xml timeout -s KILL 10 "$BIN" batch "$R/bg" -o "$R/bto" --timeout 1 > "$R/bto.log" 2>&1); rc=$?; out=$(cat "$R/bto.log")
[ $rc = 1 ] && echo "$out" | grep -q "alaska.xml: error: rendering took longer than the time limit of 1 s" &&
    [ -f "$R/bto/alabama.pdf" ] && [ -z "$(ls -A "$R/bto" | grep -v '\.pdf$')" ]
check "a stuck worker is stopped at --timeout 1 and its document reported" $? "$rc $(echo "$out" | tail -4)"

# Ctrl-C with a stuck worker ends the batch (generous bound: 10 s).
rm -rf "$R/bio"
(cd "$ROOT" && REPORTGEN_TEST_HANG=alaska.xml exec timeout 10 "$BIN" batch "$R/bg" -o "$R/bio" -j 2 > "$R/bi.log" 2>&1) &
sleep 0.5
kill -INT $(pgrep -P $! -x reportgen) 2>/dev/null
wait $!; rc=$?
[ $rc = 130 ] && grep -q "not attempted" "$R/bi.log" && [ -z "$(ls -A "$R/bio" | grep -v '\.pdf$')" ]
check "SIGINT with a stuck worker: exit 130, the document counted not attempted" $? "$rc $(tail -3 "$R/bi.log")"

# A worker killed mid-write (fsync held by strace, --timeout 1): only its own
# temporary file is removed, by name; a user's .alabama.pdf.backup stays.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    mkdir -p "$R/bk/in" "$R/bk/out"; cp "$ROOT/data/states/alabama.xml" "$R/bk/in/"
    printf 'mine\n' > "$R/bk/out/.alabama.pdf.backup"
    out=$(cd "$ROOT" && timeout 20 env "$NOLSAN" strace -f -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=5000000 "$BIN" batch "$R/bk/in" -o "$R/bk/out" --timeout 1 2>&1); rc=$?
    [ $rc = 1 ] && [ "$(ls -A "$R/bk/out")" = ".alabama.pdf.backup" ]
    check "a worker killed mid-write: its temporary file removed, .alabama.pdf.backup kept" $? "$rc $(ls -A "$R/bk/out") $(echo "$out" | tail -2)"
else
    echo "ok - a worker killed mid-write: skipped, strace cannot trace here"
fi
mkdir -p "$R/bc/out"; printf 'mine\n' > "$R/bc/out/.texas.pdf.backup"
out=$(cd "$ROOT" && REPORTGEN_TEST_CRASH=texas.xml "$BIN" batch data/states -o "$R/bc/out" 2>&1); rc=$?
[ $rc = 1 ] && [ -f "$R/bc/out/.texas.pdf.backup" ]
check "a crashing worker: a file named like its temporary file is not deleted" $? "$rc"

# ulimit -f in a batch: the same message as render, not 'worker crashed (signal 25)'.
out=$(cd "$ROOT" && ulimit -f 10 && "$BIN" batch "$R/bg" -o "$R/bfz" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "alabama.pdf: error: cannot write: the file size limit was hit" && ! echo "$out" | grep -q "signal 25"
check "batch under ulimit -f 10: each document says the file size limit was hit" $? "$rc $(echo "$out" | tail -3)"

# A failed document is listed under its first error, not a warning before it.
mkdir -p "$R/bw/out/ct-press-release.pdf"
printf '%s\n' "$ROOT/data/ct-press-release.xml" > "$R/bw/list"
out=$(cd "$ROOT" && "$BIN" batch "$R/bw/list" -o "$R/bw/out" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "ct-press-release.pdf: error: output path is a directory" && ! echo "$out" | grep -q "warning"
check "batch: the failed document's reason is its first error" $? "$rc $(echo "$out" | tail -2)"

# The report to standard output cannot be written: the batch still renders, exit 3.
out=$(cd "$ROOT" && "$BIN" batch "$R/bg" -o "$R/bfull" > /dev/full 2>&1); rc=$?
[ $rc = 3 ] && [ -f "$R/bfull/alabama.pdf" ]; check "batch > /dev/full: PDFs written, exit 3" $? "$rc $out"
out=$(cd "$ROOT" && "$BIN" batch "$R/bg" -o "$R/bclosed" 2>&1 >&-); rc=$?
[ $rc = 3 ] && echo "$out" | grep -q "cannot write to standard output: it is closed" && [ -f "$R/bclosed/alabama.pdf" ]
check "batch with standard output closed: PDFs written, exit 3, said on stderr" $? "$rc $out"
mkdir -p "$R/bh"; for i in $(seq -w 1 40); do cp "$ROOT/data/states/alabama.xml" "$R/bh/s$i.xml"; done
{ (cd "$ROOT" && "$BIN" batch "$R/bh" -o "$R/bho" -j 1 2>"$R/bh.err"); echo $? > "$R/bh.rc"; } | head -1 > /dev/null
[ "$(cat "$R/bh.rc")" = 3 ] && [ "$(ls "$R/bho" | grep -c '\.pdf$')" = 40 ]
check "batch | head -1: all 40 rendered, exit 3" $? "$(cat "$R/bh.rc") $(tail -2 "$R/bh.err")"
# Files a document names stay inside its folder (or --root): by name and by link.
mkdir -p "$R/conf/docs" "$R/conf/other"; cp "$ROOT/tests/images/logo.png" "$R/conf/other/secret.png"
ln -s ../other/secret.png "$R/conf/docs/link.png"
printf '<document theme="sharedhope"><section><image src="link.png" width="1in"/></section></document>\n' > "$R/conf/docs/a.xml"
out=$(cd "$ROOT" && "$BIN" render "$R/conf/docs/a.xml" -o "$R/conf/a.pdf" 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "image 'link.png' is outside the folders"
check "an image linked from outside the document's folder is refused" $? "$rc $out"
printf '<document theme="sharedhope"><section><image src="../other/secret.png" width="1in"/></section></document>\n' > "$R/conf/docs/b.xml"
out=$(cd "$ROOT" && "$BIN" render "$R/conf/docs/b.xml" -o "$R/conf/b.pdf" --root "$R/conf" 2>&1); rc=$?
[ $rc = 0 ]; check "--root widens the folder images may come from" $? "$rc $out"
out=$(cd "$ROOT" && "$BIN" render "$R/conf/docs/b.xml" -o "$R/conf/b.pdf" --root "$R/conf/none" 2>&1); rc=$?
[ $rc = 2 ]; check "--root that is not a folder: exit 2" $? "$rc $out"

# A legal 10.8 MB data file (the limit is 16 MiB; each text under 64 KiB) loads:
# libxml2 needs XML_PARSE_HUGE past 10 MB ("huge input lookup").
{ printf '<document theme="sharedhope"><section>\n'
  w=$(printf 'word %.0s' $(seq 1 12000))
  for i in $(seq 1 180); do printf '<p>%s</p>\n' "$w"; done
  printf '</section></document>\n'; } > "$R/big.xml"
out=$(cd "$ROOT" && "$BIN" check "$R/big.xml" 2>&1); rc=$?
[ $rc = 0 ] && [ "$(stat -c %s "$R/big.xml")" -gt 10500000 ]; check "a 10.8 MB data file loads" $? "$rc $out"

# An image the document uses named as the output: refused, the image kept.
mkdir -p "$R/imgout"; cp "$ROOT/tests/images/logo.png" "$R/imgout/logo.png"
printf '<document theme="sharedhope"><section><image src="logo.png" width="1in"/></section></document>\n' > "$R/imgout/doc.xml"
out=$(cd "$ROOT" && "$BIN" render "$R/imgout/doc.xml" --format trace -o "$R/imgout/logo.png" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/imgout/logo.png" "$ROOT/tests/images/logo.png" && echo "$out" | grep -q "an input of this run"
check "render -o the document's own image: exit 2, the image kept" $? "$rc $out"
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml --format trace -o - 2>&1 >&-); rc=$?
[ $rc = 3 ] && echo "$out" | grep -q "standard output"; check "a trace to a closed standard output: exit 3, said" $? "$rc $out"

# An unknown --theme is a usage error, for a batch too.
out=$(cd "$ROOT" && "$BIN" batch "$R/bg" -o "$R/bth" --theme nosuch 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "unknown theme 'nosuch'"; check "batch --theme nosuch: exit 2" $? "$rc $(echo "$out" | tail -2)"
out=$(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$R/th.pdf" --theme nosuch 2>&1); rc=$?
[ $rc = 2 ]; check "render --theme nosuch: exit 2" $? "$rc $out"

out=$("$BIN" --version > /dev/full 2>&1); rc=$?
[ $rc = 3 ]; check "--version > /dev/full: exit 3" $? "$rc $out"
exit 0
