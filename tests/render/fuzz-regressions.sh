#!/bin/sh
# Inputs the fuzzers (make fuzz) once crashed or hung on, kept in
# tests/fuzz/regressions/: each must now end cleanly through the normal
# binary, as check and as a trace render (exit 0, 1 or 3, with a message
# when it fails), within 30 seconds. Needs ROOT, BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
for f in "$ROOT"/tests/fuzz/regressions/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    for mode in check trace; do
        if [ $mode = check ]; then
            (cd "$ROOT" && timeout 30 $VG "$BIN" check "$f") > "$WORK/fuzz.out" 2> "$WORK/fuzz.err"
        else
            (cd "$ROOT" && timeout 30 $VG "$BIN" render "$f" --format trace -o -) > "$WORK/fuzz.out" 2> "$WORK/fuzz.err"
        fi
        rc=$?
        ok=1
        case $rc in
            0) ok=0 ;;
            1|3) grep -q 'error: ' "$WORK/fuzz.err" && ok=0 ;;
        esac
        check "fuzz regression $name ($mode): exit $rc" $ok "$(head -5 "$WORK/fuzz.err")"
    done
done
exit 0
