#!/bin/sh
# Pagination rules checked on documents built to break them: many variants of
# filler length put headings and paragraph ends at every spot near a page's
# foot. Checks on each layout trace: no page ends with a heading, and no
# paragraph leaves a single line alone at the top or bottom of a page.
python3 - "$BIN" "$WORK" <<'PY'
import re, subprocess, sys, os
binp, work = sys.argv[1], sys.argv[2]
def doc(seed):
    out = ['<document theme="sharedhope" title="widows" lang="en">',
           '<page-style name="b" size="a4" margin="250pt 72pt 250pt 72pt"><footer><p>Page <page-number/></p></footer></page-style>',
           '<section page-style="b">']
    k = 0
    for i in range(14):
        n = 3 + (seed * 7 + i * 5) % 40          # words
        if (seed + i) % 3 == 0:
            out.append('<h level="2" weight="bold">h%d heading words here</h>' % i)
        k += 1
        out.append('<p space-after="4pt">%s</p>' % ' '.join(['p%d' % k] * (n * 3)))
    out.append('</section></document>')
    return '\n'.join(out)
bad = 0
checked = 0
for seed in range(40):
    path = os.path.join(work, 'wid%d.xml' % seed)
    open(path, 'w').write(doc(seed))
    r = subprocess.run([binp, 'render', path, '--format', 'trace', '-o', '-'], capture_output=True, text=True)
    if r.returncode != 0:
        print('not ok - variant %d renders: %s' % (seed, r.stderr.strip())); bad += 1; continue
    pages = []
    for line in r.stdout.splitlines():
        if line.startswith('page '):
            pages.append([])
        m = re.match(r'\s+text x=\S+ y=(\S+) .* role=(\w+) "(.*)"', line)
        if m and m.group(2) != 'artifact':
            y, role, t = float(m.group(1)), m.group(2), m.group(3)
            if not pages[-1] or abs(pages[-1][-1][0] - y) > 0.01:
                pages[-1].append([y, role, t.split()[0]])
    lines_of = {}
    for pg in pages:
        for ln in pg:
            lines_of[ln[2]] = lines_of.get(ln[2], 0) + 1
    for pn, pg in enumerate(pages[:-1]):
        if not pg:
            continue
        last = pg[-1]
        checked += 1
        if last[1].startswith('h'):
            print('not ok - variant %d: page %d ends with a heading' % (seed, pn + 1)); bad += 1
        tag = last[2]
        on_page = sum(1 for l in pg if l[2] == tag)
        if tag.startswith('p') and on_page == 1 and lines_of[tag] > 1:
            print('not ok - variant %d: page %d ends with an orphan line of %s' % (seed, pn + 1, tag)); bad += 1
        nxt = pages[pn + 1]
        if nxt and nxt[0][2] == tag and tag.startswith('p'):
            if sum(1 for l in nxt if l[2] == tag) == 1:
                print('not ok - variant %d: page %d starts with a widow line of %s' % (seed, pn + 2, tag)); bad += 1
if bad == 0:
    print('ok - 40 variants, %d page breaks: no heading ends a page, no widow, no orphan' % checked)
PY
