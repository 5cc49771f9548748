#!/bin/sh
# The national overview of data/states (reportgen overview DIR): a valid PDF
# with a vector tile-grid map of the 51 jurisdictions, the national average
# and a ranking whose order is the one the scores in the data give. One
# "ok"/"not ok" line per check. Needs ROOT, BIN, WORK (from tests/run.sh).
TOOLS="$ROOT/../shared/tools"
DIR="$ROOT/data/states"
PDF="$WORK/overview.pdf"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }

out=$(cd "$ROOT" && $VG "$BIN" overview data/states -o "$PDF" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]; check "overview renders" $? "$out"
[ -f "$PDF" ] || { echo "not ok - no overview PDF to check"; exit 0; }
out=$(qpdf --check "$PDF" 2>&1); rc=$?
echo "$out" | grep -qi warning && rc=1
check "qpdf --check without warnings" $rc "$out"
if [ -x "$TOOLS/pdf-layout-check" ]; then
    out=$("$TOOLS/pdf-layout-check" "$PDF" 2>&1); rc=$?
    [ $rc = 0 ] && echo "$out" | grep -q ' 0 off-page, 0 margin, 0 overlap, 0 empty'
    check "pdf-layout-check: 0 findings" $? "$out"
else
    echo "ok - pdf-layout-check skipped: ../shared not present"
fi
err=$(pdftotext "$PDF" /dev/null 2>&1); [ -z "$err" ]; check "pdftotext prints nothing on stderr" $? "$err"
title=$(pdfinfo "$PDF" | sed -n 's/^Title: *//p')
[ "$title" = "2021 Report Card on Child & Youth Sex Trafficking: National Overview" ]; check "PDF title set ($title)" $?
pages=$(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages:/{print $2}')
[ "$pages" -ge 2 ] 2>/dev/null; check "map first, then the ranking ($pages pages)" $?

# Page 1: the map is vector, one filled tile per jurisdiction with its code.
(cd "$ROOT" && "$BIN" overview data/states --format trace -o -) > "$WORK/overview.trace" 2>&1
p1=$(awk '/^page /{n++} n==1' "$WORK/overview.trace")
codes="AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
missing=""
for c in $codes; do
    printf '%s\n' "$p1" | grep -q "color=#ffffff role=p \"$c\"" || missing="$missing $c"
done
[ -z "$missing" ]; check "the map has the 51 postal codes in white" $? "missing:$missing"
tiles=$(printf '%s\n' "$p1" | grep '^  rect ' | grep -c ' w=38.000 h=[0-9.]* fill=#\(1e7b34\|4a7a12\|8f6200\|b45309\|c62828\)$')
[ "$tiles" = 51 ]; check "51 tiles filled with grade colours, as vector rectangles ($tiles)" $?
for g in "#1e7b34" "#4a7a12" "#8f6200" "#b45309" "#c62828"; do
    printf '%s\n' "$p1" | grep -q "^  rect .* w=10.000 .*fill=$g" || { missing="$missing legend:$g"; }
done
[ -z "$missing" ]; check "a legend with a swatch per grade" $? "$missing"

# The national average and the grade counts, computed here from the XML
# (the average with rg:avg's rounding: half away from zero).
figures=$(python3 - "$DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
from decimal import Decimal, ROUND_HALF_UP
def grade(s):
    for letter, low in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        if s >= low:
            return letter
    return "F"
s = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.xml"))):
    r = ET.parse(f).getroot()
    s.append(sum(Decimal(i.get("score")) for i in r.iter("issue")) + sum(Decimal(i.get("points")) for i in r.iter("item")))
print((sum(s) / len(s)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), *[sum(1 for v in s if grade(v) == g) for g in "ABCDF"])
PY
)
expect=${figures%% *}
counts=${figures#* }
# the bar chart: a bar label per grade and a value label per count above zero
bars=""
for g in A B C D F; do printf '%s\n' "$p1" | grep -q "role=figure \"$g\"$" || bars="$bars no-label:$g"; done
for k in $counts; do [ "$k" = 0 ] || printf '%s\n' "$p1" | grep -q "role=figure \"$k\"$" || bars="$bars no-value:$k"; done
[ -z "$bars" ]; check "page 1 has the grade distribution chart, A-F: $counts" $? "$bars"
txt=$(pdftotext -layout "$PDF" - 2>/dev/null)
[ "$expect" = 47.9 ] && printf '%s\n' "$txt" | grep -q "average 47\.9 out of 100" && printf '%s\n' "$txt" | grep -q '^ *47\.9\( \|$\)'
check "the national average printed is 47.9 (computed from the data: $expect)" $?
printf '%s\n' "$txt" | grep -qF "Sample data, not an official grade"; check "the sample notice is on the overview" $?

# The ranking: its order in the PDF's text is the data's scores, descending,
# ties by name; rank, score and grade as computed here.
rank_check() { # PDF DATA-DIR -> "ok" or what differs
    pdftotext -layout "$1" - 2>/dev/null | python3 -c '
import glob, os, re, sys
import xml.etree.ElementTree as ET
from decimal import Decimal
def grade(s):
    for letter, low in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        if s >= low:
            return letter
    return "F"
cards = {}
for f in glob.glob(os.path.join(sys.argv[1], "*.xml")):
    r = ET.parse(f).getroot()
    total = sum(Decimal(i.get("score")) for i in r.iter("issue")) + \
            sum(Decimal(i.get("points")) for i in r.iter("item"))
    cards[" ".join(r.find("state").get("name").split())] = (total, r.get("tier"))
want = sorted(cards, key=lambda n: (-cards[n][0], n))
names = "|".join(re.escape(n) for n in sorted(cards, key=len, reverse=True))
row = re.compile(r"^\s*(\d+)\s+(%s)\s+(\d+(?:\.\d+)?)\s+([ABCDF])\s+(I{1,3})\s*$" % names)
got = [m.groups() for m in map(row.match, sys.stdin.read().splitlines()) if m]
problems = []
if [g[1] for g in got] != want:
    problems.append("order: got %s" % [g[1] for g in got][:60])
for rank, name, score, letter, tier in got:
    total, t = cards[name]
    r = 1 + sum(1 for v, _ in cards.values() if v > total)
    if Decimal(score) != total or letter != grade(total) or int(rank) != r or tier != t:
        problems.append("%s: rank %s score %s grade %s tier %s; expected %d %s %s %s" % (name, rank, score, letter, tier, r, total, grade(total), t))
print("ok %d rows" % len(got) if not problems else "\n".join(problems[:12]))
' "$2"
}
res=$(rank_check "$PDF" "$DIR")
[ "$res" = "ok 51 rows" ]; check "ranking: 51 rows in score order (ties by name), with rank, score, grade and tier from the data" $? "$res"
hdr=$(printf '%s\n' "$txt" | grep -c '^ *Rank  *State  *Score')
[ "$hdr" -ge 1 ]; check "the ranking has its header row" $?

# Cards that state no overall score: scores and the average come from the areas.
N="$WORK/overview-computed"
mkdir -p "$N"
for f in "$DIR"/*.xml; do sed 's/<overall [^>]*\/>//' "$f" > "$N/$(basename "$f")"; done
out=$(cd "$ROOT" && "$BIN" overview "$N" -o "$WORK/overview-computed.pdf" 2>&1); rc=$?
res=$(rank_check "$WORK/overview-computed.pdf" "$N")
[ $rc = 0 ] && [ "$res" = "ok 51 rows" ] && pdftotext "$WORK/overview-computed.pdf" - | grep -qx '47\.9'
check "without stated overall scores: the same ranking and average from the areas" $? "$out$res"

# One broken card (bad XML): exit 1, that file's line and column, no PDF.
B="$WORK/overview-broken"
mkdir -p "$B/cards" "$B/out"
cp "$DIR"/*.xml "$B/cards/"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<report-card year="2021" tier="II"\n  <state name="Idaho"/>\n' > "$B/cards/idaho.xml"
out=$(cd "$ROOT" && $VG "$BIN" overview "$B/cards" -o "$B/out/overview.pdf" 2>&1); rc=$?
left=$(ls -A "$B/out")
[ $rc = 1 ] && [ -z "$left" ] && printf '%s\n' "$out" | grep -q "^$B/cards/idaho.xml:[0-9][0-9]*:[0-9][0-9]*: error: "
check "a card with bad XML: exit 1, its file:line:col named, no PDF written" $? "exit $rc; left: $left
$out"
exit 0
