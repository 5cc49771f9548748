#!/usr/bin/env python3
"""Per-process figures of make bench, ours and Typst's measured in pairs.

    pairs.py BIN ROOT TMP [--pairs N] [--typst RENDER_JS]

For each document (card, annual report, the 51-card batch) the two commands
run in turn, A B A B ..., N pairs, so a busy machine slows both sides alike.
Prints per row: our median, Typst's median, the ratio of the medians and the
median of the pair-by-pair ratios (theirs / ours: how many times faster we
are), and the bytes each writes. Without Typst only our side is measured.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def run(cmd, out):
    """Wall milliseconds of one run; output removed first so both sides
    create their files from nothing."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    elif os.path.exists(out):
        os.unlink(out)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def size(out):
    if os.path.isdir(out):
        return sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.endswith(".pdf"))
    return os.path.getsize(out)


def peak_rss(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, check=True)
    return int(r.stderr.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("root")
    ap.add_argument("tmp")
    ap.add_argument("--pairs", type=int, default=9)
    ap.add_argument("--typst", default=None, help="the peers' typst/render.js, when Typst is set up")
    a = ap.parse_args()
    if a.pairs < 1:
        sys.exit("pairs.py: --pairs must be at least 1")
    data = os.path.join(a.root, "data")
    peers = os.path.join(os.path.dirname(a.typst), "..", "data") if a.typst else None
    rows = [
        ("card", [a.bin, "render", os.path.join(data, "ct-2021-card.xml"), "-o", "{out}"],
         ["node", a.typst or "", "card", "{out}"], ".pdf"),
        ("annual", [a.bin, "render", os.path.join(data, "tip-2021-annual.xml"), "-o", "{out}"],
         ["node", a.typst or "", "annual", "{out}"], ".pdf"),
        ("card51 -j 2", [a.bin, "batch", os.path.join(data, "states"), "-o", "{out}", "-j", "2"],
         ["node", a.typst or "", "batch", os.path.join(peers or "", "states.txt"), "{out}"], ""),
    ]
    print("per process, %d pairs (ours and Typst's alternating)%s" %
          (a.pairs, "" if a.typst else "; Typst not set up, ours only"))
    print("%-12s %9s %9s %8s %10s %9s %9s %10s" %
          ("doc", "ours_ms", "typst_ms", "ratio", "pair_ratio", "rss_kb", "bytes", "typst_bytes"))
    for name, ours, theirs, ext in rows:
        if not os.path.exists(ours[2]):
            continue
        o_out = os.path.join(a.tmp, "ours-" + name.split()[0] + ext)
        t_out = os.path.join(a.tmp, "typst-" + name.split()[0] + ext)
        oc = [x.replace("{out}", o_out) for x in ours]
        tc = [x.replace("{out}", t_out) for x in theirs]
        run(oc, o_out)  # warm the page cache for both before timing
        if a.typst:
            run(tc, t_out)
        o_ts, t_ts = [], []
        for _ in range(a.pairs):
            o_ts.append(run(oc, o_out))
            if a.typst:
                t_ts.append(run(tc, t_out))
        om = statistics.median(o_ts)
        rss = peak_rss(oc) if ext else peak_rss(oc[:-2] + ["-j", "1"])
        line = "%-12s %9.2f" % (name, om)
        if a.typst:
            tm = statistics.median(t_ts)
            pr = statistics.median(t / o for o, t in zip(o_ts, t_ts))
            line += " %9.2f %7.1fx %9.1fx" % (tm, tm / om, pr)
        else:
            line += " %9s %8s %10s" % ("-", "-", "-")
        line += " %9d %9d" % (rss, size(o_out))
        line += " %10d" % size(t_out) if a.typst else " %10s" % "-"
        print(line)
        with open(os.path.join(a.tmp, "perproc"), "a") as f:
            f.write("%s %f\n" % (name.split()[0], om))


if __name__ == "__main__":
    main()
