#!/bin/sh
# Runs every suite and prints one total: "N passed, N failed".
#   tests/run.sh BIN UNIT_TEST_BIN...
# RG_VALGRIND=1 runs our binaries under valgrind (make leakcheck).
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT BIN
export REPORTGEN_DATADIR="$ROOT"
# Everything freed before exit, for valgrind and LeakSanitizer to check
# (cli.sh also runs without: the process's end frees it).
export REPORTGEN_FREE_AT_EXIT=1
unset SOURCE_DATE_EPOCH
VG=""
if [ -n "$RG_VALGRIND" ]; then
    VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
fi
export VG
pass=0
fail=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/reportgen-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

ok() { pass=$((pass + 1)); [ -n "$VERBOSE" ] && echo "ok - $1"; return 0; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/    /'; return 0; }

# pdf.js, for the tests that read our PDFs as a browser does: installed under
# out/npm on the first run (npm registry), a failure of its own if it cannot be.
setup=$(sh "$ROOT/tests/pdfjs/setup.sh" 2>&1) || bad "pdf.js: tests/pdfjs/setup.sh" "$setup"

# 1. Unit suites (cmocka, TAP output: one "ok"/"not ok" line per test).
for t in "$@"; do
    name=$(basename "$t")
    out=$(CMOCKA_MESSAGE_OUTPUT=TAP $VG "$t" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    pass=$((pass + p))
    fail=$((fail + f))
    if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
        [ "$f" -eq 0 ] && fail=$((fail + 1))
        echo "FAIL - unit $name (exit $rc)"
        printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/    /' | head -40
    fi
done

# 2. Bad inputs: each tests/errors/NAME.xml (or NAME.args) with NAME.expect:
#    line 1 the exit status, then the exact messages on stderr. An earlier
#    file at the output path must be left byte for byte, and nothing else
#    may appear beside it.
for exp in "$ROOT"/tests/errors/*.expect; do
    name=$(basename "$exp" .expect)
    dir="$ROOT/tests/errors"
    T="$WORK/err-$name"
    mkdir -p "$T/out"
    OUT="$T/out/report.pdf"
    printf 'an earlier PDF\n' > "$OUT"
    export T
    if [ -f "$dir/$name.setup" ]; then
        (cd "$ROOT" && . "$dir/$name.setup") > "$T/setup.log" 2>&1 || { bad "errors/$name: setup failed" "$(cat "$T/setup.log")"; continue; }
    fi
    if [ -f "$dir/$name.args" ]; then
        args=$(sed -e "s|{FILE}|tests/errors/$name.xml|g" -e "s|{OUT}|$OUT|g" -e "s|{TMP}|$T|g" "$dir/$name.args")
    else
        args="render tests/errors/$name.xml -o $OUT"
    fi
    envs=""
    [ -f "$dir/$name.env" ] && envs=$(sed -e "s|{TMP}|$T|g" "$dir/$name.env")
    # shellcheck disable=SC2086
    (cd "$ROOT" && env $envs $VG "$BIN" $args) > "$T/stdout" 2> "$T/stderr"
    rc=$?
    want_rc=$(head -n 1 "$exp")
    tail -n +2 "$exp" | sed -e "s|{FILE}|tests/errors/$name.xml|g" -e "s|{OUT}|$OUT|g" -e "s|{TMP}|$T|g" > "$T/want"
    problems=""
    [ "$rc" = "$want_rc" ] || problems="exit status $rc, expected $want_rc"
    if ! cmp -s "$T/want" "$T/stderr"; then
        problems="$problems
stderr differs:
$(diff "$T/want" "$T/stderr" | head -20)"
    fi
    if ! printf 'an earlier PDF\n' | cmp -s - "$OUT"; then
        problems="$problems
the earlier file at the output path was changed"
    fi
    extra=$(ls -A "$T/out" | grep -v '^report.pdf$')
    [ -z "$extra" ] || problems="$problems
files left beside the output: $extra"
    if [ -n "$RG_ACCEPT" ] && [ -n "$problems" ]; then
        # make accept-errors: record what the program says now (review the diff!)
        { echo "$rc"; sed -e "s|$T|{TMP}|g" -e "s|tests/errors/$name.xml|{FILE}|g" "$T/stderr"; } > "$exp"
        problems=""
    fi
    if [ -z "$problems" ]; then ok "errors/$name"; else bad "errors/$name" "$problems"; fi
done

# 3. Golden layout traces: tests/golden/NAME.xml must lay out to NAME.trace.
for g in "$ROOT"/tests/golden/*.xml; do
    [ -f "$g" ] || continue
    name=$(basename "$g" .xml)
    (cd "$ROOT" && $VG "$BIN" render "tests/golden/$name.xml" --root tests --format trace -o -) > "$WORK/$name.trace" 2> "$WORK/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "golden/$name: exit $rc" "$(cat "$WORK/$name.err")"
    elif ! cmp -s "$ROOT/tests/golden/$name.trace" "$WORK/$name.trace"; then
        bad "golden/$name: trace differs (to accept: make golden)" "$(diff "$ROOT/tests/golden/$name.trace" "$WORK/$name.trace" | head -20)"
    else
        ok "golden/$name"
    fi
done

# 4. End to end: real PDFs checked with real tools.
for s in "$ROOT"/tests/render/*.sh; do
    [ -f "$s" ] || continue
    res=$(WORK="$WORK" sh "$s" 2>&1)
    p=$(printf '%s\n' "$res" | grep -c '^ok ')
    f=$(printf '%s\n' "$res" | grep -c '^not ok ')
    pass=$((pass + p))
    fail=$((fail + f))
    printf '%s\n' "$res" | grep -v '^ok ' | sed '/^$/d'
    [ -n "$VERBOSE" ] && printf '%s\n' "$res" | grep '^ok '
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
