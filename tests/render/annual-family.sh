#!/bin/sh
# End-to-end checks of the annual report samples beyond the seed: each
# passes check --strict and renders clean; the 40-seat member list flows
# over at least two pages with no entry split between columns or pages and
# its last page balanced; the 30-year statute table keeps every year and
# every figure whole, in stacked blocks. Needs ROOT, BIN, WORK (from tests/run.sh).
TOOLS="$ROOT/../shared/tools"
COVER="$ROOT/data/northfield-fy2021-annual.xml"
LONG="$ROOT/data/northfield-2021-council-annual.xml"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }

for data in "$COVER" "$LONG"; do
    name=$(basename "$data" .xml)
    pdf="$WORK/$name.pdf"
    out=$(cd "$ROOT" && $VG "$BIN" check --strict "$data" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "$name: check --strict finds nothing" $? "$out"
    out=$(cd "$ROOT" && $VG "$BIN" render "$data" -o "$pdf" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "$name: renders" $? "$out"
    [ -f "$pdf" ] || continue
    out=$(qpdf --check "$pdf" 2>&1); rc=$?
    echo "$out" | grep -qi warning && rc=1
    check "$name: qpdf --check without warnings" $rc "$out"
    err=$(pdftotext "$pdf" /dev/null 2>&1); [ -z "$err" ]; check "$name: pdftotext prints nothing on stderr" $? "$err"
    if [ -x "$TOOLS/pdf-layout-check" ]; then
        out=$("$TOOLS/pdf-layout-check" "$pdf" 2>&1); check "$name: pdf-layout-check finds nothing" $? "$out"
    fi
    txt=$(pdftotext "$pdf" - 2>/dev/null | tr -s ' \n' '  ')
    case "$txt" in
        *"Sample data, not a published report."*) rc=0 ;;
        *) rc=1 ;;
    esac
    check "$name: the cover says it is sample data" $rc
done

# ---- the cover's optional parts, printed as the data writes them
pdf="$WORK/northfield-fy2021-annual.pdf"
if [ -f "$pdf" ]; then
    p1=$(pdftotext -f 1 -l 1 "$pdf" - 2>/dev/null | tr -s ' \n' '  ')
    missing=""
    for want in "Office of the Attorney General" "Prevention, Protection and Prosecution of Human Trafficking" \
                "FISCAL YEAR 2021" "Report prepared by the Victim Services Unit of the Office of the Attorney General" \
                "REPORT HUMAN TRAFFICKING" "In an emergency, call 9-1-1." "September 2021"; do
        case "$p1" in *"$want"*) ;; *) missing="$missing
$want" ;; esac
    done
    case "$p1" in *SUBMITTED*) missing="$missing
(an invented SUBMITTED TO line)" ;; esac
    [ -z "$missing" ]; check "cover: agency, subtitle, period, prepared by and notice; no submitted-to line" $? "$missing$p1"
    # the body in the data's order: the summary comes before the members
    all=$(pdftotext "$pdf" - 2>/dev/null)
    s=$(printf '%s\n' "$all" | grep -n '^Executive Summary$' | tail -1 | cut -d: -f1)
    m=$(printf '%s\n' "$all" | grep -n '^Council Members$' | tail -1 | cut -d: -f1)
    [ -n "$s" ] && [ -n "$m" ] && [ "$s" -lt "$m" ]; check "body in the data's order: the summary ($s) before the members ($m)" $?
fi

# ---- the member list: word positions from pdftotext -bbox
pdf="$WORK/northfield-2021-council-annual.pdf"
[ -f "$pdf" ] || { echo "not ok - no long annual PDF to check"; exit 0; }
pdftotext -bbox -raw "$pdf" "$WORK/long-bbox.html" 2>/dev/null
out=$(python3 - "$LONG" "$WORK/long-bbox.html" <<'PY'
import re, sys, html
import xml.etree.ElementTree as ET
data, bbox = sys.argv[1], sys.argv[2]
root = ET.parse(data).getroot()
members = root.find('members')

def words(s):
    return ' '.join(s.split()).split(' ')

# the entries in order: a group's heading, then each seat or member; an
# entry's text is its words as the layout prints them (office or name first)
marks = []   # (kind, label, first words)
for el in members:
    if el.tag == 'group':
        marks.append(('group', el.find('title').text, words(el.find('title').text)))
        kids = list(el)[1:]
    elif el.tag in ('seat', 'member'):
        kids = [el]
    else:
        continue
    for k in kids:
        if k.tag == 'seat':
            marks.append(('entry', k.find('office').text, words(k.find('office').text)))
        elif k.tag == 'member':
            n = k.find('name')
            marks.append(('entry', n.get('last'), words(n.get('last') + ', ' + n.get('first'))))

# the words of the PDF in content order, with page and box
ws = []
pages = re.split(r'<page ', open(bbox, encoding='utf-8').read())[1:]
for pno, p in enumerate(pages, 1):
    width = float(re.search(r'width="([0-9.]+)"', p).group(1))
    for m in re.finditer(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>', p):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        ws.append((pno, x0, y0, x1, y1, html.unescape(m.group(5)), width))

def find(seq, start):
    for i in range(start, len(ws) - len(seq) + 1):
        if all(ws[i + j][5] == seq[j] for j in range(len(seq))):
            return i
    return -1

title = words(members.find('title').text)
at = find(title, 0)
if at < 0:
    print('FAIL the member list title is not in the PDF'); sys.exit(1)
at += len(title)
starts = []
for kind, label, seq in marks:
    i = find(seq, at)
    if i < 0:
        print('FAIL %s %r not found after word %d' % (kind, label, at)); sys.exit(1)
    starts.append(i)
    at = i + len(seq)
# the list ends at the next heading of the report
nxt = find(words(root.find('statutes').find('title').text), at)
starts.append(nxt if nxt > 0 else len(ws))
fails = []
spans = []
pages_used = set()
for k, (kind, label, seq) in enumerate(marks):
    span = ws[starts[k]:starts[k + 1]]
    # header and footer words of the page are not the entry's
    span = [w for w in span if 60 < w[2] < 720]
    where = {(w[0], 0 if w[1] < w[6] / 2 else 1) for w in span}
    pages_used |= {w[0] for w in span}
    if len(where) != 1:
        fails.append('%s %r is split: %s' % (kind, label, sorted(where)))
    if kind == 'entry' and span:
        spans.append((span[0][0], 0 if span[0][1] < span[0][6] / 2 else 1,
                      min(w[2] for w in span), max(w[4] for w in span)))
n = sum(1 for m in marks if m[0] == 'entry')
print('entries %d, pages %s' % (n, sorted(pages_used)))
if n != 40:
    fails.append('%d entries, not 40' % n)
if len(pages_used) < 2:
    fails.append('the list is on %d page' % len(pages_used))
# the last page balanced: its columns end within one entry's height
last = max(s[0] for s in spans)
ends = [max([s[3] for s in spans if s[0] == last and s[1] == c] or [0]) for c in (0, 1)]
tallest = max(s[3] - s[2] for s in spans)
if abs(ends[0] - ends[1]) > tallest + 12:
    fails.append('last page unbalanced: columns end at %.1f and %.1f' % tuple(ends))
for f in fails:
    print('FAIL ' + f)
sys.exit(1 if fails else 0)
PY
)
rc=$?
check "40 seats: at least two pages, no entry split between columns or pages, last page balanced ($(printf '%s\n' "$out" | head -1))" $rc "$out"

# ---- the 30-year statute: each block's years and figures as whole words, in order
cat > "$WORK/statute.py" <<'PY'
# statute.py DATA PDF PER: the first statute's records in blocks of PER
# years, each block a header row of years and the rows "Arrests ..." and
# "Convictions ..." as whole words of pdftotext -raw; Total in the last.
import subprocess, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
recs = root.find('statutes').find('statute').findall('record')
per = int(sys.argv[3])
text = subprocess.run(['pdftotext', '-raw', sys.argv[2], '-'], capture_output=True, text=True).stdout
toks = text.split()
def has(seq):
    n = len(seq)
    return any(toks[i:i + n] == seq for i in range(len(toks) - n + 1))
fails = []
for r in recs:
    for w in (r.get('year'), r.get('arrests'), r.get('convictions')):
        if w not in toks:
            fails.append('%r is not a word of the text' % w)
blocks = [recs[i:i + per] for i in range(0, len(recs), per)]
for k, blk in enumerate(blocks):
    last = k == len(blocks) - 1
    years = [r.get('year') for r in blk] + (['Total'] if last else [])
    arr = ['Arrests'] + [r.get('arrests') for r in blk] + ([str(sum(int(r.get('arrests')) for r in recs))] if last else [])
    con = ['Convictions'] + [r.get('convictions') for r in blk] + ([str(sum(int(r.get('convictions')) for r in recs))] if last else [])
    for row in (years, arr, con):
        if not has(row):
            fails.append('block %d: no row %s' % (k + 1, ' '.join(row)))
print('%d years in %d blocks of %d' % (len(recs), len(blocks), per))
for f in fails:
    print('FAIL ' + f)
sys.exit(1 if fails else 0)
PY
out=$(python3 "$WORK/statute.py" "$LONG" "$pdf" 10); rc=$?
n=$(grep -c '<record ' "$LONG")
[ "$n" = 30 ] || { rc=1; out="$out
$n records, not 30"; }
check "30-year statute: every year and figure one word, $(printf '%s\n' "$out" | head -1), totals in the last" $rc "$out"

# ---- wider figures make smaller blocks: seven digits, 7 years fit, so
# 30 years are 5 blocks of 6
big="$WORK/long-big.xml"
sed -e 's/arrests="1204"/arrests="1234567"/' -e 's/arrests="987" /arrests="98765" /' "$LONG" > "$big"
out=$(cd "$ROOT" && "$BIN" render "$big" -o "$WORK/long-big.pdf" 2>&1); rc=$?
if [ $rc = 0 ]; then
    out=$(python3 "$WORK/statute.py" "$big" "$WORK/long-big.pdf" 6); rc=$?
fi
check "30-year statute with a seven-digit figure: $(printf '%s\n' "$out" | head -1), every year and figure one word" $rc "$out"

# Headings in the structure tree go down one level at a time: the member
# groups are H2 under the list's H1, though they look like H3.
out=$(/usr/bin/python3 "$ROOT/tests/render/conformance.py" --standard none "$pdf" 2>&1 | grep 'matterhorn 14-')
[ -z "$out" ] && pdfinfo -struct "$pdf" | grep -q '^  H2'
check "40 members: the group headings are H2 under the H1, no level skipped" $? "$out"

# (the data reference is checked for every kind by tests/render/reference.sh)
exit 0
