#!/bin/sh
# Every PDF that `make demo` writes (each data/*.xml, the data/states batch,
# the overview) passes the PDF/UA-1 and PDF/A-2a checks of
# tests/render/conformance.py: one line per file, then how many failures of
# each checkpoint there are over all of them.
#   make conformance          (or: sh tests/render/conformance-samples.sh)
# Among make test's suites: every sample passes.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$ROOT/out/bin/reportgen}
own=""
if [ -z "$WORK" ]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/reportgen-conformance.XXXXXX") || exit 1
    own=1
fi
trap '[ -n "$own" ] && rm -rf "$WORK"' EXIT INT TERM
export REPORTGEN_DATADIR="${REPORTGEN_DATADIR:-$ROOT}"
PY=/usr/bin/python3
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
D="$WORK/conformance-samples"
mkdir -p "$D/states"
for f in "$ROOT"/data/*.xml; do
    b=$(basename "$f" .xml)
    out=$(cd "$ROOT" && $VG "$BIN" render "data/$b.xml" -o "$D/$b.pdf" 2>&1 >/dev/null) || check "$b: renders" 1 "$out"
done
out=$(cd "$ROOT" && $VG "$BIN" batch data/states -o "$D/states" 2>&1 >/dev/null) || check "data/states: the batch renders" 1 "$out"
out=$(cd "$ROOT" && $VG "$BIN" overview data/states -o "$D/overview.pdf" 2>&1 >/dev/null) || check "overview: renders" 1 "$out"
all=$($PY "$ROOT/tests/render/conformance.py" "$D"/*.pdf "$D"/states/*.pdf 2>&1)
for pdf in "$D"/*.pdf "$D"/states/*.pdf; do
    name=${pdf#"$D"/}
    out=$(printf '%s\n' "$all" | grep -F "$pdf: " | sed "s|^$D/||")
    [ -z "$out" ]
    check "$name: PDF/UA-1 and PDF/A-2a (tests/render/conformance.py)" $? "$out"
done
# what is left, by checkpoint: failures (files)
printf '%s\n' "$all" | grep . | sed -n 's/^\([^:]*\): \[\([^]]*\)\].*/\2|\1/p' | sort |
    awk -F'|' '{ n[$1]++; if (!seen[$0]++) f[$1]++ } END { for (r in n) printf "    [%s] %d failures in %d files\n", r, n[r], f[r] }' | sort
[ -z "$(printf '%s' "$all" | grep .)" ]
