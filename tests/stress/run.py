#!/usr/bin/env python3
"""reportgen batch under stress (make stress; not part of make test).

    tests/stress/run.py BIN [--docs 1000] [--jobs 8] [--rounds 40] [--outdir out/stress]

1. A folder of DOCS documents: the 51 state cards of data/states repeated
   under other names, ten broken files from tests/errors, and one document
   that makes its worker crash (the REPORTGEN_TEST_CRASH hook of cli_batch.c).
2. One full batch with -j JOBS: the summary's counts, the exit status, a PDF
   for every good document and none for a bad one, nothing else in the
   folder, every PDF through qpdf --check; the time taken and the peak RSS of
   the parent and of each worker (VmHWM from /proc, sampled every 20 ms, and
   wait4's rusage as /usr/bin/time reports it).
3. Growth: one worker (-j 1) over the first 100 documents and over all of
   them: its peak RSS must not grow with the number of documents.
4. ROUNDS interrupted batches into one output folder (so complete PDFs get
   replaced): after a random delay, SIGINT or SIGTERM to the batch, SIGTERM
   to its whole process group, or SIGKILL to a random worker (then, half the
   time, SIGINT to the batch too). After each: the exit status, no process
   left, no temporary file (.NAME.pdf.XXXXXX), and every PDF written or
   replaced in the round (and a sample of the others) passes qpdf --check.
Exit status 0 when every check passed.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

BROKEN = ["malformed-xml", "invalid-utf8", "billion-laughs", "external-entity", "deep-nesting",
          "score-nan", "missing-required-field", "nul-byte", "utf16", "doctype"]
CRASH = "crash-me.xml"

failures = []


def check(ok, what, detail=""):
    print("%s - %s" % ("ok" if ok else "not ok", what))
    if not ok:
        failures.append(what)
        if detail:
            print("    " + str(detail).replace("\n", "\n    ")[:2000])
    sys.stdout.flush()
    return ok


def prepare(root, indir, ndocs):
    shutil.rmtree(indir, ignore_errors=True)
    os.makedirs(indir)
    states = sorted(f for f in os.listdir(os.path.join(root, "data", "states")) if f.endswith(".xml"))
    good = ndocs - len(BROKEN) - 1
    names = []
    for i in range(good):
        st = states[i % len(states)]
        name = "%s-%03d.xml" % (st[:-4], i // len(states))
        shutil.copy(os.path.join(root, "data", "states", st), os.path.join(indir, name))
        names.append(name)
    for b in BROKEN:
        shutil.copy(os.path.join(root, "tests", "errors", b + ".xml"), os.path.join(indir, "broken-" + b + ".xml"))
    shutil.copy(os.path.join(root, "data", "states", states[0]), os.path.join(indir, CRASH))
    return names


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def kb(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Peak RSS (VmHWM) of the batch and of each worker it starts, and the
    RSS each worker had when first seen."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = False
        self.parent = 0
        self.workers = {}
        self.first = {}

    def run(self):
        while not self.stop:
            self.parent = max(self.parent, kb(self.pid, "VmHWM"))
            for c in children(self.pid):
                h = kb(c, "VmHWM")
                if h:
                    self.workers[c] = max(self.workers.get(c, 0), h)
                    self.first.setdefault(c, kb(c, "VmRSS"))
            time.sleep(0.02)


def start_batch(args, indir, outdir, jobs):
    env = dict(os.environ, REPORTGEN_DATADIR=args.root, REPORTGEN_TEST_CRASH=CRASH, REPORTGEN_NO_PROGRESS="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.Popen([args.bin, "batch", indir, "-o", outdir, "-j", str(jobs)], cwd=args.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def finish(p, timeout):
    """Waits like /usr/bin/time does (wait4), with a timeout; returns
    (status, stdout, stderr, rusage) and status 'hang' on timeout."""
    out, err = [], []
    t1 = threading.Thread(target=lambda: out.append(p.stdout.read()))
    t2 = threading.Thread(target=lambda: err.append(p.stderr.read()))
    t1.start()
    t2.start()
    deadline = time.monotonic() + timeout
    while True:
        if p.returncode is not None:  # already reaped by a poll(): the batch ended before the signal
            status, ru = p.returncode << 8 if p.returncode >= 0 else -p.returncode, None
            break
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(p.pid, signal.SIGKILL)
            pid, status, ru = os.wait4(p.pid, 0)
            status = None
            break
        time.sleep(0.01)
    p.returncode = 0 if status is None else os.waitstatus_to_exitcode(status)
    t1.join()
    t2.join()
    rc = "hang" if status is None else p.returncode
    return rc, out[0].decode("utf-8", "replace"), err[0].decode("utf-8", "replace"), ru


def qpdf_all(paths):
    def one(p):
        r = subprocess.run(["qpdf", "--check", p], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return p, r.returncode, r.stdout.decode("utf-8", "replace")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        return [r for r in ex.map(one, paths) if r[1] not in (0, 3)]  # 3: warnings only


def temps(outdir):
    return sorted(f for f in os.listdir(outdir) if not f.endswith(".pdf"))


def group_alive(pgid):
    r = subprocess.run(["pgrep", "-g", str(pgid)], stdout=subprocess.PIPE)
    return r.stdout.decode().split()


def full_run(args, indir, names):
    outdir = os.path.join(args.outdir, "out")
    shutil.rmtree(outdir, ignore_errors=True)
    t0 = time.monotonic()
    p = start_batch(args, indir, outdir, args.jobs)
    s = Sampler(p.pid)
    s.start()
    rc, out, err, ru = finish(p, 1800)
    secs = time.monotonic() - t0
    s.stop = True
    s.join()
    good = len(names)
    bad = len(BROKEN) + 1
    summary = [l for l in out.splitlines() if re.match(r"^\d+ rendered", l)]
    print("# %d documents, -j %d on %d cores: %.1f s (%.1f documents/s); exit %s" % (
        args.docs, args.jobs, os.cpu_count(), secs, args.docs / secs, rc))
    print("# peak RSS: batch parent %.1f MB, workers %s MB (max %.1f MB, %d workers seen); "
          "wait4 ru_maxrss %.1f MB" % (
              s.parent / 1024, ", ".join("%.1f" % (v / 1024) for v in sorted(s.workers.values())),
              max(s.workers.values() or [0]) / 1024, len(s.workers), ru.ru_maxrss / 1024))
    check(rc == 1, "full batch: exit 1 (some documents failed), got %s" % rc, err[-2000:])
    check(summary and summary[0].startswith("%d rendered, %d failed, 0 skipped, 0 not attempted in" % (good, bad)),
          "full batch: summary reads '%d rendered, %d failed, 0 skipped'" % (good, bad), summary or out[-500:])
    pdfs = sorted(f for f in os.listdir(outdir) if f.endswith(".pdf"))
    want = sorted(n[:-4] + ".pdf" for n in names)
    check(pdfs == want, "full batch: a PDF for each of the %d good documents and for nothing else (%d PDFs)"
          % (good, len(pdfs)), set(pdfs) ^ set(want))
    check(not temps(outdir), "full batch: no temporary or other file left", temps(outdir))
    for b in BROKEN:
        check(("broken-%s.xml" % b) in err, "full batch: the summary names broken-%s.xml" % b)
    check("%s: error: the worker rendering it crashed" % CRASH in err, "full batch: the crashed document is named")
    bad_pdfs = qpdf_all([os.path.join(outdir, f) for f in pdfs])
    check(not bad_pdfs, "full batch: all %d PDFs pass qpdf --check" % len(pdfs), bad_pdfs[:3])
    check(not group_alive(p.pid), "full batch: no process left behind")
    limit = args.worker_mb * 1024
    check(max(s.workers.values() or [0]) < limit and s.parent < args.parent_mb * 1024,
          "full batch: memory bounded (workers < %d MB, parent < %d MB)" % (args.worker_mb, args.parent_mb))
    return secs


def growth(args, indir, names):
    """One worker over 100 documents, then over all: its peak RSS."""
    res = []
    for n in (100, args.docs):
        sub = os.path.join(args.outdir, "in-%d" % n)
        shutil.rmtree(sub, ignore_errors=True)
        os.makedirs(sub)
        for name in names[:n]:
            os.link(os.path.join(indir, name), os.path.join(sub, name))
        outdir = os.path.join(args.outdir, "out-j1-%d" % n)
        shutil.rmtree(outdir, ignore_errors=True)
        t0 = time.monotonic()
        p = start_batch(args, sub, outdir, 1)
        s = Sampler(p.pid)
        s.start()
        rc, out, err, ru = finish(p, 1800)
        s.stop = True
        s.join()
        res.append((n, max(s.workers.values() or [0]), time.monotonic() - t0, rc))
    (n1, m1, t1, rc1), (n2, m2, t2, rc2) = res
    print("# one worker: %d documents peak RSS %.1f MB (%.1f s); %d documents %.1f MB (%.1f s)" % (
        n1, m1 / 1024, t1, n2, m2 / 1024, t2))
    check(rc1 == 0 and rc2 == 0, "growth runs: exit 0 (got %s, %s)" % (rc1, rc2))
    check(m2 - m1 < 8 * 1024, "a worker's peak RSS does not grow with the documents it renders "
          "(+%.1f MB from %d to %d)" % ((m2 - m1) / 1024, n1, n2))


def interrupts(args, indir, names, est):
    outdir = os.path.join(args.outdir, "int-out")
    shutil.rmtree(outdir, ignore_errors=True)
    rnd = random.Random(args.seed)
    tried = {}
    checked = 0
    for r in range(args.rounds):
        action = rnd.choice(["INT", "TERM", "TERM-group", "KILL-worker", "KILL-worker+INT"])
        delay = rnd.uniform(0.05, est * 0.9)
        t0 = time.time()
        time.sleep(0.01)  # mtimes of this round are after t0
        p = start_batch(args, indir, outdir, args.jobs)
        time.sleep(delay)
        killed = None
        if p.poll() is None:
            if action == "INT":
                os.kill(p.pid, signal.SIGINT)
            elif action == "TERM":
                os.kill(p.pid, signal.SIGTERM)
            elif action == "TERM-group":
                os.killpg(p.pid, signal.SIGTERM)
            else:
                ws = children(p.pid)
                if ws:
                    killed = rnd.choice(ws)
                    os.kill(killed, signal.SIGKILL)
                if action == "KILL-worker+INT":
                    time.sleep(rnd.uniform(0, 0.5))
                    os.kill(p.pid, signal.SIGINT)
        rc, out, err, ru = finish(p, 600)
        tried[action] = tried.get(action, 0) + 1
        what = "round %d: %s after %.2f s" % (r + 1, action, delay)
        if action in ("INT", "TERM", "TERM-group", "KILL-worker+INT"):
            ok_rc = rc in (130, 1, 0)  # 0 or 1 when the batch had finished before the signal
        else:
            ok_rc = rc in (1,)
        summary = [l for l in out.splitlines() if re.match(r"^\d+ rendered", l)]
        check(ok_rc and summary, "%s: exit %s with a summary (%s)" % (what, rc, summary[0] if summary else "none"),
              err[-1500:])
        if killed and rc != "hang":
            check(("signal 9" in err) or ("Killed" in err) or rc == 130 or "0 failed" not in out,
                  "%s: the killed worker's document is reported" % what, err[-800:])
        left = temps(outdir)
        check(not left, "%s: no temporary file left" % what, left)
        alive = group_alive(p.pid)
        check(not alive, "%s: no process left behind" % what, alive)
        pdfs = [os.path.join(outdir, f) for f in os.listdir(outdir) if f.endswith(".pdf")]
        fresh = [f for f in pdfs if os.stat(f).st_mtime >= t0]
        old = [f for f in pdfs if f not in fresh]
        sample = fresh + rnd.sample(old, min(10, len(old)))
        bad = qpdf_all(sample)
        checked += len(sample)
        check(not bad, "%s: %d PDFs written in the round and %d others pass qpdf --check" % (
            what, len(fresh), len(sample) - len(fresh)), bad[:3])
    print("# interrupts tried: %d (%s); PDFs checked with qpdf: %d" % (
        args.rounds, ", ".join("%s %d" % kv for kv in sorted(tried.items())), checked))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--worker-mb", type=int, default=150, help="bound on a worker's peak RSS")
    ap.add_argument("--parent-mb", type=int, default=50, help="bound on the batch parent's peak RSS")
    ap.add_argument("--outdir", default="out/stress")
    ap.add_argument("--root", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)
    args.outdir = os.path.abspath(args.outdir)
    os.makedirs(args.outdir, exist_ok=True)
    print("# seed %d" % args.seed)
    indir = os.path.join(args.outdir, "in")
    names = prepare(args.root, indir, args.docs)
    est = full_run(args, indir, names)
    growth(args, indir, names)
    if args.rounds:
        interrupts(args, indir, names, est)
    print("stress: %d failed checks" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
