#!/bin/sh
# The annual report's navigation, checked in the PDF itself (qpdf's JSON and
# pdftotext): "Page X of Y" on every page after the cover; each contents entry
# names the page its heading is printed on and links there; the bookmarks hold
# every heading of the layout, nested by level, each pointing at its page.
PDF="$WORK/nav.pdf"
(cd "$ROOT" && "$BIN" render data/tip-2021-annual.xml -o "$PDF" 2>/dev/null) || { echo "not ok - annual report renders for the navigation checks"; exit 0; }
(cd "$ROOT" && "$BIN" render data/tip-2021-annual.xml --format trace -o "$WORK/nav.trace" 2>/dev/null)
qpdf --json=2 "$PDF" > "$WORK/nav.json" 2>/dev/null
st=$(pdfinfo -struct-text "$PDF" 2>&1)
n=$(printf '%s\n' "$st" | grep -c "^  Figure")
[ "$n" -ge 8 ] && printf '%s\n' "$st" | grep -q "^  H2"; if [ $? = 0 ]; then echo "ok - annual: tagged, with headings and $n charts as figures"; else echo "not ok - annual: tagged, with headings and figures ($n figures)"; fi
python3 - "$PDF" "$WORK/nav.json" "$WORK/nav.trace" <<'PY'
import json, re, subprocess, sys
pdf, js, trace = sys.argv[1:4]
j = json.load(open(js))
objs = j["qpdf"][1]
pages = [p["object"] for p in j["pages"]]
n = len(pages)
def text(i):
    return subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), pdf, "-"],
                          capture_output=True, text=True).stdout
def norm(s):
    return re.sub(r"\s+", " ", s).strip()
texts = [text(i + 1) for i in range(n)]
def check(ok, what, detail=""):
    print(("ok - " if ok else "not ok - ") + what)
    if not ok and detail:
        print("    " + detail)
# 1. page numbers
bad = [i + 1 for i in range(1, n) if "Page %d of %d" % (i, n - 1) not in texts[i]]
check(not bad and "Page" not in texts[0], "every page after the cover reads 'Page X of %d', the cover none" % (n - 1),
      "pages without the right footer: %s" % bad)
# 2. contents entries: 'title . . . N' on the contents page(s)
entries = []
for i in range(n):
    if "Contents" in texts[i]:
        for line in texts[i].splitlines():
            m = re.match(r"\s*(.+?)\s*(?:\.\s*)+\s*(\d+)\s*$", line)
            if m:
                entries.append((norm(m.group(1)), int(m.group(2)), i))
        break
wrong = []
for title, num, _ in entries:
    page = texts[num] if 0 < num < n else ""   # printed page num is physical page num+1
    if title.split()[0] not in page or norm(title)[:30] not in norm(page):
        wrong.append("%s -> %d" % (title, num))
check(len(entries) >= 10 and not wrong, "each of %d contents entries names the page its heading is on" % len(entries),
      "; ".join(wrong[:5]))
# 3. contents links go to those pages, in order from the top
def page_of(ref):
    return pages.index(ref) if ref in pages else -1
def dest_page(d):
    if isinstance(d, str) and d.endswith(" R"):
        d = objs["obj:" + d]["value"]
    return page_of(d[0]) if isinstance(d, list) else -1
toc_page = entries[0][2] if entries else 0
annots = objs["obj:" + pages[toc_page]]["value"].get("/Annots", [])
links = []
for a in annots:
    v = objs["obj:" + a]["value"]
    if v.get("/Subtype") == "/Link" and "/Dest" in v:
        links.append((-v["/Rect"][3], dest_page(v["/Dest"])))
links.sort()
targets = [p for _, p in links]
want = [num for _, num, _ in entries]
check(targets == want, "contents links go to the entries' pages (%d links)" % len(targets),
      "links %s, entries %s" % (targets[:12], want[:12]))
# 4. bookmarks: every heading of the layout, nested by level, at its page
heads = []
for line in open(trace):
    m = re.match(r'bookmark level=(\d) page=(\d+) y=\S+ "(.*)"', line)
    if m:
        heads.append((int(m.group(1)), int(m.group(2)) - 1, m.group(3)))
flat = []
def walk(items, depth):
    for o in items:
        flat.append((depth, o.get("destpageposfrom1", 0) - 1, o.get("title", "")))
        walk(o.get("kids", []), depth + 1)
walk(j.get("outlines", []), 1)
mism = [(h, f) for h, f in zip(heads, flat) if h[2] != f[2] or h[1] != f[1] or (h[0] > 1) != (f[0] > 1)]
check(len(heads) > 10 and len(heads) == len(flat) and not mism,
      "%d bookmarks: every heading, at its page, nested by level" % len(flat),
      "layout %d, PDF %d; first difference %s" % (len(heads), len(flat), mism[:1]))
# 5. no page of the report ends with a heading
pages_t, cur = [], None
for line in open(trace):
    if line.startswith("page "):
        cur = []
        pages_t.append(cur)
    m = re.match(r'\s+text x=\S+ y=(\S+) .* role=(\w+) "', line)
    if m and cur is not None and m.group(2) not in ("artifact", "figure"):
        cur.append((float(m.group(1)), m.group(2)))
ends = [i + 1 for i, pg in enumerate(pages_t[:-1]) if pg and max(pg)[1].startswith("h")]
check(not ends, "no page of the annual report ends with a heading", "pages %s" % ends)
PY
