#!/bin/sh
# make bench: our figures, and ratios against the peer renderers measured in
# the same run when they are set up (../shared/peers). Figures, not pass/fail.
BIN=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/out/build/bench"
PEERS="$ROOT/../shared/peers"
export REPORTGEN_DATADIR="$ROOT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=${BENCH_N:-30}
card="$ROOT/data/ct-2021-card.xml"

echo "reportgen $("$BIN" --version | cut -d' ' -f2), $(nproc) cores, $N runs per row"
printf '%-28s %10s %10s %8s %10s\n' row median_ms min_ms rss_kb bytes

row() { # name file
    res=$("$BENCH" "$2" "$TMP/b.pdf" "$N") || { echo "$1: render failed"; return; }
    med=$(echo "$res" | sed 's/.*median_ms=\([0-9.]*\).*/\1/')
    min=$(echo "$res" | sed 's/.*min_ms=\([0-9.]*\).*/\1/')
    first=$(echo "$res" | sed 's/.*first_ms=\([0-9.]*\).*/\1/')
    rss=$(echo "$res" | sed 's/.*peak_rss_kb=\([0-9]*\).*/\1/')
    pages=$(pdfinfo "$TMP/b.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    printf '%-28s %10s %10s %8s %10s  %s pages, first render %s ms\n' "$1 (in-process)" "$med" "$min" "$rss" \
        "$(stat -c %s "$TMP/b.pdf")" "$pages" "$first"
    echo "$1 $med" >> "$TMP/inproc"
}

# In-process: one context, the same document again and again (what a batch
# pays per document; the first render also compiles schema and templates).
row card "$card"
annual="$ROOT/data/tip-2021-annual.xml"
[ -f "$annual" ] && row annual "$annual"

# Per process, and the 51-card batch with 2 workers: ours and Typst's runs
# alternate (A B A B ...) so a busy machine moves both sides alike.
TYPST_JS=""
if [ -d /opt/typst-peer/node_modules ] && [ -f "$PEERS/typst/render.js" ] && command -v node >/dev/null; then
    TYPST_JS="$PEERS/typst/render.js"
fi
echo
python3 "$ROOT/tests/bench/pairs.py" "$BIN" "$ROOT" "$TMP" --pairs "${BENCH_PAIRS:-9}" \
    ${TYPST_JS:+--typst "$TYPST_JS"} || echo "per-process figures failed"

# The other peers' recorded medians (../shared/peers/results): they take
# seconds per document, so they are not run here.
if [ -d "$PEERS" ]; then
    echo
    echo "ours over the recorded medians of the other peers (< 1 means we are faster):"
    python3 - "$PEERS/results/medians.txt" "$TMP/perproc" "$TMP/inproc" <<'PY'
import sys
rec = {}
for line in open(sys.argv[1]).read().splitlines()[1:]:
    f = line.split()
    if len(f) >= 3:
        rec[(f[0], f[1])] = float(f[2]) * 1000
ours = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[2]) if l.strip()}
inproc = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[3]) if l.strip()}
for doc in ("card", "annual", "card51"):
    if doc not in ours:
        continue
    for tool in ("fop", "weasyprint", "latex"):
        t = rec.get((tool, doc))
        if t is None:
            continue
        line = "  %-7s %-10s %8.0f ms  ours %7.2f ms = %.3f" % (doc, tool, t, ours[doc], ours[doc] / t)
        if doc in inproc:
            line += "   in-process %7.2f ms = %.3f" % (inproc[doc], inproc[doc] / t)
        print(line)
PY
fi
if [ -z "$TYPST_JS" ]; then
    echo "(Typst is measured in pairs with ours once set up: cd ../shared/peers && sudo PEERS_TOOLS=typst ./setup.sh)"
fi
