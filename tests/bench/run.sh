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

# Per process: what a user running the command pays.
python3 - "$BIN" "$TMP" "$N" "$card" "$annual" <<'PY'
import statistics, subprocess, sys, time, os
binp, tmp, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name, doc in (("card", sys.argv[4]), ("annual", sys.argv[5])):
    if not os.path.exists(doc):
        continue
    out = os.path.join(tmp, "p.pdf")
    ts = []
    for i in range(n):
        t = time.perf_counter()
        subprocess.run([binp, "render", doc, "-o", out], check=True, stderr=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    r = subprocess.run(["/usr/bin/time", "-f", "%M", binp, "render", doc, "-o", out],
                       capture_output=True, text=True, check=True)
    rss = r.stderr.strip().splitlines()[-1]
    print("%-28s %10.2f %10.2f %8s %10d" % (name + " (per process)", statistics.median(ts), min(ts), rss,
                                            os.path.getsize(out)))
    with open(os.path.join(tmp, "perproc"), "a") as f:
        f.write("%s %f\n" % (name, statistics.median(ts)))
PY

# The 51-card batch: wall time of `reportgen batch` (workers = cores), median of 5.
python3 - "$BIN" "$ROOT/data/states" "$TMP" >> "$TMP/perproc" <<'PY'
import os, shutil, statistics, subprocess, sys, time
binp, states, tmp = sys.argv[1:4]
if os.path.isdir(states):
    ts = []
    for i in range(5):
        out = os.path.join(tmp, "b51")
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([binp, "batch", states, "-o", out], check=True, stdout=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    r = subprocess.run(["/usr/bin/time", "-f", "%M", binp, "batch", states, "-o", out, "-j", "1"],
                       capture_output=True, text=True)
    rss = r.stderr.strip().splitlines()[-1]
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print("card51 %f" % statistics.median(ts))
    sys.stderr.write("%-28s %10.2f %10.2f %8s %10d  51 PDFs, %d workers\n" % ("card51 (batch)", statistics.median(ts),
                     min(ts), rss, size, os.cpu_count()))
PY

# Peers: Typst measured now when it is set up; the others' recorded medians.
if [ -d "$PEERS" ]; then
    live=""
    if [ -d /opt/typst-peer/node_modules ]; then
        live=$(cd "$PEERS" && PEERS_TOOLS=typst PEERS_OUT="$TMP/peers" ./run.sh 2>/dev/null)
    fi
    echo
    echo "ours over theirs (per process; < 1 means we are faster):"
    printf '%s\n' "$live" > "$TMP/live"
    python3 - "$PEERS/results/medians.txt" "$TMP/perproc" "$TMP/inproc" "$TMP/live" <<'PY'
import sys
rec = {}
for line in open(sys.argv[1]).read().splitlines()[1:]:
    f = line.split()
    if len(f) >= 3:
        rec[(f[0], f[1])] = float(f[2]) * 1000
live = {}
for line in open(sys.argv[4]).read().splitlines():
    f = line.split()
    if len(f) >= 3 and f[0] == "typst":
        try: live[("typst", f[1])] = float(f[2]) * 1000
        except ValueError: pass
ours = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[2]) if l.strip()}
inproc = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[3]) if l.strip()}
for doc in ("card", "annual", "card51"):
    if doc not in ours:
        continue
    for tool in ("fop", "weasyprint", "latex", "typst"):
        key = (tool, doc)
        t, src = (live[key], "measured now") if key in live else (rec.get(key), "recorded")
        if t is None:
            continue
        line = "  %-7s %-10s %8.0f ms (%-12s)  ours %7.2f ms = %.3f" % (doc, tool, t, src, ours[doc], ours[doc] / t)
        if doc in inproc:
            line += "   in-process %7.2f ms = %.3f" % (inproc[doc], inproc[doc] / t)
        print(line)
if not live:
    print("  (Typst is measured in the same run once set up: cd ../shared/peers && sudo PEERS_TOOLS=typst ./setup.sh)")
PY
fi
