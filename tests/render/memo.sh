#!/bin/sh
# The paragraph memo (text.c: measures and lines kept for the passes that lay
# a paragraph out again) changes no output: every sample, golden layout and
# bad input renders to the same bytes, messages and exit status as with the
# program built without it (NOMEMO_BIN, make test builds it). Needs ROOT,
# BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
[ -n "$NOMEMO_BIN" ] && [ -x "$NOMEMO_BIN" ] && [ -z "$VG" ] || exit 0
W="$WORK/memo"
mkdir -p "$W/a" "$W/b"
# render NAME EXT ARGS...: both programs, to one path (the messages name
# it); each output, messages and status then go to its side's folder.
render() {
    name=$1 ext=$2; shift 2
    for side in a b; do
        prog=$BIN; [ $side = b ] && prog=$NOMEMO_BIN
        rm -f "$W/out.$ext"
        (cd "$ROOT" && "$prog" "$@" -o "$W/out.$ext") > /dev/null 2> "$W/$side/$name.err"
        echo "exit $?" >> "$W/$side/$name.err"
        [ -f "$W/out.$ext" ] && mv "$W/out.$ext" "$W/$side/$name.$ext"
    done
}
n=0
for f in "$ROOT"/data/*.xml "$ROOT"/tests/errors/*.xml; do
    name=$(basename "$(dirname "$f")")-$(basename "$f" .xml)
    [ -f "${f%.xml}.args" ] && continue
    render "$name" pdf render "${f#"$ROOT"/}"
    n=$((n + 1))
done
for f in "$ROOT"/tests/golden/*.xml; do
    render "golden-$(basename "$f" .xml)" trace render "${f#"$ROOT"/}" --root tests --format trace
    n=$((n + 1))
done
differ=$(diff -r "$W/a" "$W/b" 2>&1 | head -20)
[ -z "$differ" ] && [ "$n" -gt 100 ]
check "$n documents render to the same bytes, messages and status with and without the paragraph memo" $? "$differ"
