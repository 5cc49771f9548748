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

# In-process: one context, the same document again and again.
res=$("$BENCH" "$card" "$TMP/card.pdf" "$N")
med=$(echo "$res" | sed 's/.*median_ms=\([0-9.]*\).*/\1/')
min=$(echo "$res" | sed 's/.*min_ms=\([0-9.]*\).*/\1/')
first=$(echo "$res" | sed 's/.*first_ms=\([0-9.]*\).*/\1/')
rss=$(echo "$res" | sed 's/.*peak_rss_kb=\([0-9]*\).*/\1/')
printf '%-28s %10s %10s %8s %10s\n' "card (in-process)" "$med" "$min" "$rss" "$(stat -c %s "$TMP/card.pdf")"
echo "  first render in a process (compiles schema, templates, parses fonts): ${first} ms"

# Per process: what a user running the command pays.
python3 - "$BIN" "$card" "$TMP" "$N" <<'PY'
import statistics, subprocess, sys, time, os
binp, card, tmp, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ts = []
for i in range(n):
    t = time.perf_counter()
    subprocess.run([binp, "render", card, "-o", os.path.join(tmp, "p.pdf")], check=True)
    ts.append((time.perf_counter() - t) * 1000)
r = subprocess.run(["/usr/bin/time", "-f", "%M", binp, "render", card, "-o", os.path.join(tmp, "p.pdf")],
                   capture_output=True, text=True, check=True)
rss = r.stderr.strip().splitlines()[-1]
size = os.path.getsize(os.path.join(tmp, "p.pdf"))
print("%-28s %10.2f %10.2f %8s %10d" % ("card (per process)", statistics.median(ts), min(ts), rss, size))
open(os.path.join(tmp, "ours"), "w").write("%f\n" % statistics.median(ts))
PY

# Peers: Typst measured now when it is set up; the others' recorded medians.
if [ -d "$PEERS" ]; then
    ours=$(cat "$TMP/ours")
    if [ -d /opt/typst-peer/node_modules ]; then
        live=$(cd "$PEERS" && PEERS_TOOLS=typst PEERS_OUT="$TMP/peers" ./run.sh 2>/dev/null | awk '$2=="card"{print $3}')
    fi
    echo
    echo "per-process card against the peers (ours ${ours} ms):"
    awk -v ours="$ours" -v live="${live:-}" 'NR > 1 && $2 == "card" {
        t = $3; src = "recorded"
        if ($1 == "typst" && live != "") { t = live; src = "measured now" }
        printf "  %-10s %7.0f ms (%s)   ours/theirs = %.3f\n", $1, t * 1000, src, ours / (t * 1000) }' \
        "$PEERS/results/medians.txt"
    [ -n "${live:-}" ] || echo "  (set up Typst once with: cd ../shared/peers && sudo PEERS_TOOLS=typst ./setup.sh, to measure it in the same run)"
fi
