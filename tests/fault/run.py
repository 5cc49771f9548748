#!/usr/bin/env python3
"""Fault injection over every allocation and file call (make faultcheck).

    tests/fault/run.py FAULT_BIN [options] DOC.xml...

A DOC ending in .csv or .xlsx is a sheet: it is imported (reportgen import
DOC -o FOLDER) instead of rendered, and its cards are the output.
A DOC that is a folder of report cards is exported (reportgen export DOC
-o SHEET.csv), and the sheet is the output.

For each document and each kind of fault (alloc, write, read) the driver
first renders the document cleanly with the fault build (tests/fault/inject.c)
to learn how many calls of that kind a render makes (its total), then renders
it once for every N = 1 .. total with REPORTGEN_FAIL_<KIND>=N, and once more
with N = total + 1, which must complete without reaching N. Every run must:

- end with exit 0, 1 or 3: no signal, no other status, no hang (--timeout);
- on exit 1 or 3, say why on standard error ("...: error: ...") and leave an
  earlier file at the output path byte for byte, with nothing beside it;
- on exit 0 (the failure was tolerated), write the very bytes of the clean run;
- leave no block allocated at exit (libxml2 and libxslt cleaned up first:
  the report of inject.c).

Each failing run is blamed on whose code it is: "ours" (reportgen's), or a
library when that library's own allocation failed and its own code then
crashed within the same call from reportgen, leaked or printed (libxml2
2.9.14, libxslt 1.1.35, libharu 2.3.0 and libzip 1.7.3 are not safe against allocation
failure: src/reserve.c gives them memory back when theirs fails, which holds
for one failed call and under a ceiling, not when every allocation fails from
then on, --persist). The exit status is 1 when any run is ours (with
--strict: any failing run at all).

Runs go in parallel (--jobs, default 2). A summary per document and kind
gives the calls counted, the runs made, the exit statuses and the messages
seen, and every failing run (with its N, to reproduce by hand:
REPORTGEN_FAIL_ALLOC=N out/fault/bin/reportgen render DOC -o x.pdf, or with
REPORTGEN_TRAP_ALLOC=N under gdb). The full list goes to OUTDIR/*.log.
Exit status 0 when every run was clean.
"""
import argparse
import collections
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

EARLIER = b"an earlier PDF\n"
KINDS = {"alloc": ("REPORTGEN_FAIL_ALLOC", "allocs", 0),
         "write": ("REPORTGEN_FAIL_WRITE", "writes", 1),
         "read": ("REPORTGEN_FAIL_READ", "reads", 2)}
POS = re.compile(r"^(\S+?):(\d+:\d+:|) ?(error|warning): ")


def parse_report(path):
    rep = {"blocks": []}
    try:
        with open(path) as f:
            for line in f:
                w = line.split()
                if not w:
                    continue
                if w[0] == "block":
                    rep["blocks"].append((int(w[1]), int(w[2]), w[3].rsplit("+", 1)[0],
                                          w[4].rsplit("+", 1)[0], w[4].rsplit("+", 1)[1]))
                elif w[0] in ("fault", "crash"):
                    rep.setdefault(w[0], []).append((w[1].rsplit("+", 1)[0], w[2].rsplit("+", 1)[0],
                                                     w[2].rsplit("+", 1)[1]))
                elif w[0] == "signal":
                    rep["signal"] = int(w[1])
                elif w[0] == "failed":
                    rep["failed"] = [int(x) for x in w[1:4]]
                elif w[0] == "live":
                    rep["live"] = (int(w[1]), int(w[2]))
                else:
                    rep[w[0]] = int(w[1])
    except FileNotFoundError:
        return None
    return rep


INTERPOSED = {"malloc", "calloc", "realloc", "free", "memalign", "aligned_alloc", "posix_memalign",
              "valloc", "pvalloc", "open", "open64", "openat", "openat64", "read", "write", "fsync",
              "fdatasync", "close", "rename", "fchmod", "mkstemp", "mkstemp64", "?"}


def lib_of(obj):
    b = os.path.basename(obj)
    for pre, name in (("libxml2", "libxml2"), ("libxslt", "libxslt"), ("libexslt", "libxslt"),
                      ("libhpdf", "libharu"), ("libz.", "zlib"), ("liblzma", "zlib"), ("libpng", "libpng"),
                      ("libhyphen", "libhyphen"), ("libunibreak", "libunibreak"), ("libc.", "libc"),
                      ("libm.", "libc"), ("libzip", "libzip")):
        if b.startswith(pre):
            return name
    return "reportgen"


_names = {}


def resolve(binary, sym, obj, off):
    """The name of a function of ours (dladdr knows only exported ones)."""
    if lib_of(obj) != "reportgen" or sym != "?":
        return sym
    if off not in _names:
        try:
            r = subprocess.run(["addr2line", "-f", "-e", binary, off], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, timeout=10).stdout.decode().split("\n")
            _names[off] = r[0] or "?"
        except Exception:
            _names[off] = "?"
    return _names[off]


def resolve_report(rep, binary):
    for key in ("fault", "crash"):
        if key in rep:
            rep[key] = [(resolve(binary, *f), f[1], f[2]) for f in rep[key]]
    rep["blocks"] = [(b[0], b[1], resolve(binary, *b[2:])) + b[3:] for b in rep["blocks"]]
    # The dynamic loader's TLS vector of a thread whose stack glibc keeps
    # for the next thread (a render may hold two at once: the checks', not
    # yet joined, and the early deflation's) lives as long as the process:
    # glibc's, not a leak. Only when every live block is listed.
    live = rep.get("live", (0, 0))
    if live[0] == len(rep["blocks"]):
        tls = [b for b in rep["blocks"] if os.path.basename(b[3]).startswith("ld-linux")]
        if tls:
            rep["blocks"] = [b for b in rep["blocks"] if b not in tls]
            rep["live"] = (live[0] - len(tls), live[1] - sum(b[1] for b in tls))


# Our pass-through allocators for libxml2 and libxslt (transform.c): a call
# through them is the library's.
XML_WRAPPERS = {"rg_lib_malloc", "rg_lib_realloc", "rg_lib_strdup", "spend_reserve", "hpdf_alloc"}


def caller_lib(sym, obj):
    return "libxml2" if lib_of(obj) == "reportgen" and sym in XML_WRAPPERS else lib_of(obj)


def owner(frames, binary):
    """Whose call it was: the first frame past the interposer and libc
    (zlib and libpng count for the library that called them)."""
    i = 0
    # the interposer's own frames: up to the interposed call (malloc, write...)
    for k, f in enumerate(frames[:4]):
        if lib_of(f[1]) == "reportgen" and f[0] in INTERPOSED and f[0] != "?":
            i = k + 1
            break
    while i < len(frames) and (lib_of(frames[i][1]) in ("libc", "zlib", "libpng") or
                               frames[i][0] in XML_WRAPPERS):
        i += 1
    if i < len(frames):
        return lib_of(frames[i][1]), i
    return "?", 0


def crash_owner(frames):
    """Where the process died: past the signal handler, libc (abort,
    malloc's consistency checks) and the interposer."""
    i = 1  # the handler
    while i < len(frames) and (lib_of(frames[i][1]) == "libc" or frames[i][0] in XML_WRAPPERS or
                               (lib_of(frames[i][1]) == "reportgen" and frames[i][0] in INTERPOSED
                                and frames[i][0] != "?")):
        i += 1
    if i < len(frames):
        return lib_of(frames[i][1]), i
    return "?", 0


def first_ours(frames, start):
    """The call from reportgen's own code into the library, seen from main:
    the last frame of ours before the first library frame, walking up from
    the bottom of the stack (so a callback of ours, such as an XPath
    extension function, counts as inside the library's call)."""
    last = None
    for sym, obj, off in reversed(frames[start:]):
        lib = lib_of(obj)
        if lib == "reportgen" and sym not in XML_WRAPPERS and sym not in INTERPOSED:
            last = off
        elif lib not in ("libc", "reportgen"):
            return last
    return last


def blame(probs, rep, base_stderr):
    """'ours' when a problem is reportgen's to fix; else the library whose own
    allocation failed and whose own code then crashed, leaked or printed."""
    if not rep or "fault" not in rep:
        return "ours"
    libs = {"libxml2", "libxslt"}
    f_owner, fi = owner(rep["fault"], None)
    who = set()
    if f_owner == "libhyphen" and "can't allocate" in rep.get("stderr", ""):
        # libhyphen's allocator prints "can't allocate N bytes" and calls exit(1).
        return "libhyphen (exits)"
    crashed = any(p.startswith("crash") for p in probs)
    for p in probs:
        if crashed and p.startswith("files left beside"):
            continue  # the temporary file of a process that died: the crash's
        if p.startswith("crash") and "crash" in rep:
            # The library's own bug when it crashed inside the very call of
            # ours in which its allocation failed; ours when we went on to
            # call it again (or crashed ourselves).
            # Or when it crashed freeing (xmlSchemaFree, ...) what it had
            # built while its allocation failed: 2.9.14 hands back such
            # objects half made.
            c_owner, ci = crash_owner(rep["crash"])
            a, b = first_ours(rep["fault"], fi), first_ours(rep["crash"], ci)
            same_call = a == b or a is None or b is None  # None: deeper than the stack kept
            freeing = any(lib_of(f[1]) == c_owner and "Free" in f[0] for f in rep["crash"][ci:ci + 8])
            lib = (c_owner in libs and f_owner in libs) or (c_owner == f_owner == "libharu")
            who.add(c_owner if lib and (same_call or freeing) else "ours")
        elif p.startswith("leak"):
            callers = [caller_lib(b[2], b[3]) for b in rep["blocks"]]
            # libzip 1.7.3 leaks a block of its own when its allocation fails
            # inside zip_fopen (1 run in 2,692 of an XLSX import).
            own = libs if f_owner in libs else {f_owner} if f_owner == "libzip" else set()
            who.add(f_owner if own and all(c in own | {"libc", "zlib"} for c in callers) else "ours")
        elif p.startswith("exit 0 but standard error differs") and f_owner in libs:
            who.add(f_owner + " (prints)")
        else:
            who.add("ours")
    if "ours" in who:
        return "ours"
    plain = sorted(w for w in who if "(" not in w)
    return plain[0] if plain else sorted(who)[0]


_lines = {}


def where(frames, binary, start, depth=7):
    """A few frames, ours resolved to function and line with addr2line."""
    out = []
    for sym, obj, off in frames[start:start + depth]:
        if lib_of(obj) == "reportgen" and binary:
            if off not in _lines:
                try:
                    r = subprocess.run(["addr2line", "-f", "-s", "-e", binary, off], stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, timeout=10).stdout.decode().split("\n")
                    _lines[off] = "%s (%s)" % (r[0], r[1])
                except Exception:
                    _lines[off] = sym
            sym = _lines[off]
        out.append("%s in %s" % (sym, os.path.basename(obj)))
    return " <- ".join(out)


def message_kind(stderr):
    """The first error line without its file and position: what a user reads."""
    for line in stderr.splitlines():
        if ": error: " in line or line.startswith("reportgen: "):
            msg = line.split(": error: ", 1)[1] if ": error: " in line else line
            msg = re.sub(r"'[^']*'", "'...'", msg)
            msg = re.sub(r"\d+", "N", msg)
            return msg[:90]
    return None


class Runner:
    def __init__(self, args):
        self.root = args.root
        self.timeout = args.timeout
        self.persist = args.persist
        self.ceiling = args.ceiling
        self.threads = args.threads
        self.tmp = tempfile.mkdtemp(prefix="faultcheck.", dir=args.outdir)
        # A copy: a rebuild during the sweep must not change the program under test.
        self.bin = os.path.join(self.tmp, "reportgen")
        shutil.copy2(args.bin, self.bin)

    def run(self, doc, kind, n, fmt="pdf"):
        """One render with the Nth call of kind failing (0: none)."""
        d = tempfile.mkdtemp(dir=self.tmp)
        try:
            out = os.path.join(d, "out")
            os.mkdir(out)
            target = os.path.join(out, "report.pdf")
            with open(target, "wb") as f:
                f.write(EARLIER)
            rep_path = os.path.join(d, "report.txt")
            env = dict(os.environ)
            for k in KINDS.values():
                env.pop(k[0], None)
            env.pop("SOURCE_DATE_EPOCH", None)
            env["REPORTGEN_DATADIR"] = self.root
            env["REPORTGEN_FAULT_REPORT"] = rep_path
            env["REPORTGEN_THREADS"] = str(self.threads)
            env["REPORTGEN_FREE_AT_EXIT"] = "1"  # the blocks left at exit are leaks
            if self.persist:
                env["REPORTGEN_FAIL_PERSIST"] = "1"
            if self.ceiling:
                env["REPORTGEN_FAIL_CEILING"] = "1"
            if n:
                env[KINDS[kind][0]] = str(n)
            cmd = [self.bin, "render", doc, "-o", target]
            if fmt == "trace":
                cmd += ["--format", "trace"]
            # A sheet is imported into a folder beside the earlier file: its
            # cards are the output (all or none of them).
            cards = os.path.join(out, "cards")
            if doc.endswith((".csv", ".xlsx")):
                cmd = [self.bin, "import", doc, "-o", cards]
            sheet = os.path.join(out, "sheet.csv")
            if os.path.isdir(os.path.join(self.root, doc)):
                cmd = [self.bin, "export", doc, "-o", sheet]
            t0 = time.monotonic()
            try:
                p = subprocess.run(cmd, cwd=self.root, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=self.timeout)
                rc, err = p.returncode, p.stderr.decode("utf-8", "replace")
            except subprocess.TimeoutExpired as e:
                rc, err = "timeout", (e.stderr or b"").decode("utf-8", "replace")
            secs = time.monotonic() - t0
            with open(target, "rb") as f:
                data = f.read()
            beside = sorted(x for x in os.listdir(out) if x != "report.pdf")
            if os.path.isfile(sheet):
                beside.remove("sheet.csv")
                data = open(sheet, "rb").read()
            if os.path.isdir(cards):
                beside.remove("cards")
                data = b"".join(open(os.path.join(cards, c), "rb").read() + c.encode()
                                for c in sorted(os.listdir(cards)))
            mode = os.stat(target).st_mode & 0o777
            rep = parse_report(rep_path)
            if rep:
                resolve_report(rep, self.bin)
                rep["stderr"] = err
            return {"n": n, "rc": rc, "stderr": err, "data": data, "beside": beside,
                    "report": rep, "secs": secs, "mode": mode}
        finally:
            shutil.rmtree(d, ignore_errors=True)


def judge(r, base, kind):
    """Problems with run r against the clean run base; [] when clean."""
    p = []
    rc = r["rc"]
    rep = r["report"]
    if rc == "timeout":
        return ["hang: no exit within the timeout"]
    if rc < 0:
        p.append("crash: signal %d" % -rc)
    elif rc not in (0, 1, 3):
        p.append("exit status %d" % rc)
    if rep is None:
        if rc in (0, 1, 3):
            p.append("no exit report: the process did not leave through exit()")
    elif rc in (0, 1, 3) and rep.get("live", (0, 0))[0] > 0:
        p.append("leak: %d blocks, %d bytes still allocated at exit, allocated by: %s" %
                 (rep["live"][0], rep["live"][1],
                  ", ".join("%s (%s)" % (b[2], os.path.basename(b[3])) for b in rep["blocks"][:6])))
    if rc == 0:
        if r["data"] != base["data"]:
            p.append("exit 0 but the PDF differs from the clean run's (%d bytes, clean %d)" %
                     (len(r["data"]), len(base["data"])))
        if r["stderr"] != base["stderr"]:
            p.append("exit 0 but standard error differs from the clean run's: %r" % r["stderr"][:300])
        if r["mode"] != base["mode"]:
            p.append("exit 0 but the file's mode is %o, clean %o" % (r["mode"], base["mode"]))
    else:
        if r["data"] != EARLIER:  # whatever the failure, a crash included
            p.append("the earlier file at the output path was changed (%d bytes now)" % len(r["data"]))
    if rc in (1, 3):
        if not message_kind(r["stderr"]):
            p.append("exit %d without an error message: %r" % (rc, r["stderr"][:300]))
    if r["beside"]:
        p.append("files left beside the output: %s" % " ".join(r["beside"]))
    return p


def sweep(runner, doc, kind, stride, jobs, log, first, last):
    base = runner.run(doc, kind, 0)
    if base["rc"] != 0 or base["report"] is None:
        print("%s: the clean run failed (exit %s): %s" % (doc, base["rc"], base["stderr"]))
        return None
    total = base["report"][KINDS[kind][1]]
    if base["report"]["live"][0]:
        print("%s: the clean run leaves %d blocks: %s" % (doc, base["report"]["live"][0],
                                                           base["report"]["blocks"][:6]))
    lo = max(1, first)
    hi = min(total, last) if last else total
    # The stride thins out allocations only: file calls are few, every one is run.
    ns = list(range(lo, hi + 1, stride if kind == "alloc" else 1))
    t0 = time.monotonic()
    stats = {"total": total, "runs": 0, "bad": 0, "rc": collections.Counter(),
             "msg": collections.Counter(), "kinds": collections.Counter(), "examples": {},
             "blame": collections.Counter()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for r in ex.map(lambda n: runner.run(doc, kind, n), ns, chunksize=16):
            stats["runs"] += 1
            stats["rc"][r["rc"]] += 1
            if r["rc"] in (1, 3):
                stats["msg"][(r["rc"], message_kind(r["stderr"]))] += 1
            probs = judge(r, base, kind)
            # With threads the total moves from run to run (by some tens of
            # calls): a fault near its end may fall past a run's last call.
            near_end = runner.threads > 1 and total - r["n"] < 200
            if r["report"] and r["report"]["failed"][KINDS[kind][2]] == 0 and not near_end:
                probs.append("the fault was never reached (the total is %d)" % total)
            if probs:
                who = blame(probs, r["report"], base["stderr"])
                stats["bad"] += 1
                stats["blame"][who] += 1
                rep = r["report"] or {}
                fault_at = crash_at = ""
                if rep.get("fault"):
                    fo, fi = owner(rep["fault"], runner.bin)
                    fault_at = where(rep["fault"], runner.bin, fi)
                if rep.get("crash"):
                    co, ci = crash_owner(rep["crash"])
                    crash_at = where(rep["crash"], runner.bin, ci)
                for pr in probs:
                    key = "%s: %s" % (who, pr.split(":")[0])
                    stats["kinds"][key] += 1
                    ex = stats["examples"].setdefault(key, [])
                    if len(ex) < 6:
                        ex.append((r["n"], pr, fault_at, crash_at))
                log.write("%s %s N=%d exit %s [%s]\n  %s\n  fault: %s\n%s  stderr: %s\n" % (
                    doc, kind, r["n"], r["rc"], who, "\n  ".join(probs), fault_at,
                    "  crash: %s\n" % crash_at if crash_at else "",
                    r["stderr"].strip().replace("\n", "\n          ")))
                log.flush()
    # N = total + 1 must pass through untouched: the count is exact. With
    # threads it is not (the C library and libxml2 allocate per thread, in
    # an order the scheduler picks): far past it, then.
    end = runner.run(doc, kind, total + 1 if runner.threads == 1 else 2 * total + 1000)
    stats["runs"] += 1
    if end["rc"] != 0 or end["report"]["failed"][KINDS[kind][2]] != 0 or end["data"] != base["data"]:
        stats["bad"] += 1
        stats["kinds"]["ours: N = total + 1 did not complete untouched"] += 1
        stats["blame"]["ours"] += 1
    stats["secs"] = time.monotonic() - t0
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin")
    ap.add_argument("docs", nargs="+")
    ap.add_argument("--kinds", default="alloc,write,read")
    ap.add_argument("--stride", type=int, default=1, help="every Kth allocation only")
    ap.add_argument("--from", dest="first", type=int, default=1)
    ap.add_argument("--to", dest="last", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--persist", action="store_true", help="every call from the Nth on fails")
    ap.add_argument("--ceiling", action="store_true",
                    help="allocations: from the Nth on, the heap may not grow past its size then")
    ap.add_argument("--strict", action="store_true",
                    help="fail on the libraries' own failures too (by default only reportgen's fail the run)")
    ap.add_argument("--threads", type=int, default=1,
                    help="REPORTGEN_THREADS of the runs: 1 (the default) makes the Nth call the same call every run")
    ap.add_argument("--outdir", default="out/fault")
    ap.add_argument("--root", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    runner = Runner(args)
    ok = True
    grand = collections.Counter()
    try:
        for doc in args.docs:
            name = os.path.splitext(os.path.basename(doc))[0]
            for kind in args.kinds.split(","):
                logp = os.path.join(args.outdir, "%s-%s%s.log" % (name, kind, "-persist" if args.persist else ""))
                with open(logp, "w") as log:
                    st = sweep(runner, doc, kind, args.stride, args.jobs, log, args.first, args.last)
                if st is None:
                    ok = False
                    continue
                grand["runs"] += st["runs"]
                grand["bad"] += st["bad"]
                grand["calls"] += st["total"]
                rcs = ", ".join("exit %s: %d" % (k, v) for k, v in sorted(st["rc"].items(), key=str))
                print("%s, %s faults%s: %d calls counted, %d runs (stride %d) in %.0f s; %s; %d failing runs%s"
                      % (doc, kind, " (persistent)" if args.persist else "", st["total"], st["runs"],
                         args.stride if kind == "alloc" else 1, st["secs"], rcs, st["bad"],
                         "" if not st["bad"] else " (" + logp + ")"))
                for (rc, msg), c in st["msg"].most_common(8):
                    print("    %6d x exit %d: %s" % (c, rc, msg))
                if st["bad"]:
                    print("    failing runs by whose code is at fault: " +
                          ", ".join("%s %d" % kv for kv in st["blame"].most_common()))
                for key, c in sorted(st["kinds"].items(), key=lambda kv: (not kv[0].startswith("ours"), -kv[1])):
                    ex = st["examples"].get(key, [])
                    print("    FAIL %d x %s, e.g. N=%s" % (c, key, ", ".join(str(e[0]) for e in ex[:6])))
                    if ex:
                        print("         " + ex[0][1][:300])
                        if ex[0][2]:
                            print("         fault: " + ex[0][2][:300])
                        if ex[0][3]:
                            print("         crash: " + ex[0][3][:300])
                for who, c in st["blame"].items():
                    grand["blame " + who] += c
                ours = st["blame"].get("ours", 0)
                ok = ok and ours == 0 and (not args.strict or st["bad"] == 0)
    finally:
        shutil.rmtree(runner.tmp, ignore_errors=True)
    libs = ", ".join("%s %d" % (k[6:], v) for k, v in sorted(grand.items()) if k.startswith("blame ") and k != "blame ours")
    print("faultcheck: %d calls counted, %d runs, %d failing: %d in reportgen's code%s" % (
        grand["calls"], grand["runs"], grand["bad"], grand["blame ours"],
        "; inside the libraries, after their own allocation failed: " + libs if libs else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
