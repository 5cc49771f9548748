#!/bin/sh
# The 51 report cards of data/states (written by data/make-states.py): every
# one checks clean and renders to one page; the invented ones say "Sample data,
# not an official grade" on the page and Connecticut's real card does not; the
# figures reproduce the real 2021 ones. One "ok"/"not ok" line per check.
# Needs ROOT, BIN, WORK (from tests/run.sh).
DIR="$ROOT/data/states"
NOTICE="Sample data, not an official grade"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }

n=$(ls "$DIR"/*.xml 2>/dev/null | wc -l)
[ "$n" = 51 ]; check "data/states holds 51 cards (got $n)" $?
[ "$n" -gt 0 ] || exit 0

out=$(cd "$ROOT" && $VG "$BIN" check data/states/*.xml 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]; check "check on all 51 cards: no findings" $? "$(printf '%s\n' "$out" | head -20)"

# One page each.
bad=""
for f in "$DIR"/*.xml; do
    t=$(cd "$ROOT" && "$BIN" render "$f" --format trace -o - 2>&1)
    pages=$(printf '%s\n' "$t" | grep -c '^page ')
    [ "$pages" = 1 ] || bad="$bad $(basename "$f" .xml)($pages)"
done
[ -z "$bad" ]; check "every card lays out on one page" $? "not one page:$bad"

# Connecticut is the real card: the same file, the same layout.
cmp -s "$DIR/connecticut.xml" "$ROOT/data/ct-2021-card.xml"; check "connecticut.xml is data/ct-2021-card.xml unchanged" $?
(cd "$ROOT" && "$BIN" render data/states/connecticut.xml --format trace -o -) > "$WORK/states-ct.trace" 2>&1
cmp -s "$WORK/states-ct.trace" "$ROOT/tests/golden/ct-2021-card.trace"; check "Connecticut's layout is the golden one" $? \
    "$(diff "$ROOT/tests/golden/ct-2021-card.trace" "$WORK/states-ct.trace" | head -10)"

# Every other card is marked as sample data, in the data and on the page.
unmarked=$(grep -L '<report-card [^>]*sample="yes"' "$DIR"/*.xml | grep -v '/connecticut.xml$' | xargs -r -n1 basename)
[ -z "$unmarked" ]; check "every invented card has sample=\"yes\"" $? "$unmarked"
nocomment=$(grep -L 'GENERATED SAMPLE DATA' "$DIR"/*.xml | grep -v '/connecticut.xml$' | xargs -r -n1 basename)
[ -z "$nocomment" ]; check "every invented card says it is generated sample data" $? "$nocomment"
for s in florida wyoming district-of-columbia; do
    out=$(cd "$ROOT" && "$BIN" render "data/states/$s.xml" -o "$WORK/states-$s.pdf" 2>&1); rc=$?
    txt=$(pdftotext "$WORK/states-$s.pdf" - 2>&1)
    pages=$(pdfinfo "$WORK/states-$s.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    [ $rc = 0 ] && [ "$pages" = 1 ] && printf '%s\n' "$txt" | grep -qF "$NOTICE"
    check "$s.pdf: one page with the sample notice in its text" $? "$out$(printf '%s\n' "$txt" | head -5)"
    if [ -x "$ROOT/../shared/tools/pdf-layout-check" ]; then
        out=$("$ROOT/../shared/tools/pdf-layout-check" "$WORK/states-$s.pdf" 2>&1)
        check "$s.pdf: pdf-layout-check finds nothing" $? "$out"
    fi
done
(cd "$ROOT" && "$BIN" render data/states/connecticut.xml -o "$WORK/states-ct.pdf" 2>/dev/null)
txt=$(pdftotext "$WORK/states-ct.pdf" - 2>&1)
[ -n "$txt" ] && ! printf '%s\n' "$txt" | grep -qi "sample"; check "connecticut.pdf has no sample notice" $?

# The real 2021 figures, computed here from the XML.
out=$(python3 - "$DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
from decimal import Decimal, ROUND_HALF_UP
def grade(s):
    for letter, low in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        if s >= low:
            return letter
    return "F"
scores, grades, problems = {}, {}, []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.xml"))):
    r = ET.parse(f).getroot()
    name = r.find("state").get("name")
    total = sum(Decimal(i.get("score")) for i in r.iter("issue")) + \
            sum(Decimal(i.get("points")) for i in r.iter("item"))
    o = r.find("overall")
    if o is not None and o.get("score") is not None and Decimal(o.get("score")) != total:
        problems.append("%s: stated %s, sum %s" % (name, o.get("score"), total))
    for i in r.iter("issue"):
        s, m = Decimal(i.get("score")), Decimal(i.get("max"))
        if s > m or (s * 2) % 1 != 0 or (i.get("grade") and i.get("grade") != grade(s * 100 / m)):
            problems.append("%s: issue %s score %s of %s, grade %s" % (name, i.get("number"), s, m, i.get("grade")))
    if r.get("year") != "2021":
        problems.append("%s: year %s" % (name, r.get("year")))
    scores[name], grades[name] = total, grade(total)
mean = (sum(scores.values()) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
d = sorted(n for n in grades if grades[n] == "D")
c = [n for n in grades if grades[n] == "C"]
want_d = sorted(["Texas", "Mississippi", "California", "Washington", "Colorado", "Kentucky", "Utah", "Tennessee", "Louisiana"])
print("mean", mean)
print("C", ",".join(c), scores.get("Florida"))
print("D", "ok" if d == want_d else ",".join(d))
print("AB", sum(1 for g in grades.values() if g in "AB"))
print("CT", scores.get("Connecticut"))
for p in problems:
    print("problem", p)
PY
)
printf '%s\n' "$out" | grep -qx 'mean 47.9'; check "mean of the 51 overall scores, rounded half away from zero: 47.9" $? "$out"
printf '%s\n' "$out" | grep -qx 'C Florida 72.5'; check "Florida, 72.5, is the only C" $? "$out"
printf '%s\n' "$out" | grep -qx 'D ok' && printf '%s\n' "$out" | grep -qx 'AB 0'
check "the nine real Ds, no A or B, all others F" $? "$out"
printf '%s\n' "$out" | grep -qx 'CT 43.5'; check "Connecticut keeps its real 43.5" $? "$out"
! printf '%s\n' "$out" | grep -q '^problem'; check "areas within their maxima, in halves, graded consistently; overall = areas + extra credit" $? "$out"

# The generator is deterministic and the committed files are what it writes.
G="$WORK/make-states/data"
mkdir -p "$G"
cp "$ROOT/data/make-states.py" "$ROOT/data/ct-2021-card.xml" "$G/"
out=$(python3 "$G/make-states.py" 2>&1); rc=$?
[ $rc = 0 ] && diff -r "$G/states" "$DIR" >/dev/null; check "data/make-states.py regenerates data/states exactly" $? "$out
$(diff -r "$G/states" "$DIR" | head -10)"
exit 0
