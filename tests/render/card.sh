#!/bin/sh
# End-to-end checks of the Connecticut card with real tools. One "ok"/"not ok"
# line per check. Needs ROOT, BIN, WORK (from tests/run.sh).
SEED="$ROOT/../shared/seeds/001_09f5130a62ad111b.txt"
TOOLS="$ROOT/../shared/tools"
DATA="$ROOT/data/ct-2021-card.xml"
PDF="$WORK/card.pdf"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }

out=$(cd "$ROOT" && $VG "$BIN" render "$DATA" -o "$PDF" 2>&1); check "card renders" $? "$out"
[ -f "$PDF" ] || { echo "not ok - no PDF to check"; exit 0; }
out=$(qpdf --check "$PDF" 2>&1); rc=$?
echo "$out" | grep -qi warning && rc=1
check "qpdf --check without warnings" $rc "$out"
pages=$(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages:/{print $2}')
[ "$pages" = 1 ]; check "card is one page (got $pages)" $?
err=$(pdftotext "$PDF" /dev/null 2>&1); [ -z "$err" ]; check "pdftotext prints nothing on stderr" $? "$err"
err=$(pdfinfo "$PDF" 2>&1 >/dev/null); [ -z "$err" ]; check "pdfinfo prints nothing on stderr" $? "$err"
fonts=$(pdffonts "$PDF" 2>&1)
notemb=$(printf '%s\n' "$fonts" | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }')
n=$(printf '%s\n' "$fonts" | tail -n +3 | grep -c .)
[ -z "$notemb" ] && [ "$n" -ge 1 ]; check "every font embedded ($n fonts)" $? "$fonts"
title=$(pdfinfo "$PDF" | sed -n 's/^Title: *//p')
[ "$title" = "Connecticut 2021 Report Card on Child & Youth Sex Trafficking" ]; check "PDF title set" $? "$title"
links=$(python3 - "$PDF" <<'PY'
import re, subprocess, sys
# Every object in plain sight: the file packs them into object streams.
data = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', sys.argv[1], '-'],
                      capture_output=True).stdout
print(len(re.findall(rb'/URI', data)))
PY
)
[ "$links" -ge 4 ]; check "learn-more links are clickable ($links URI annotations)" $?
if [ -x "$TOOLS/text-recall" ] && [ -f "$SEED" ]; then
    out=$("$TOOLS/text-recall" "$SEED" "$PDF" --min 0.99 2>&1); check "text-recall bag >= 0.99: $(echo "$out" | grep '^bag')" $? "$out"
    out=$("$TOOLS/text-recall" "$SEED" "$PDF" --order --min 0.96 2>&1); check "text-recall order >= 0.96" $? "$out"
else
    echo "ok - text-recall skipped: ../shared not present"
fi
if [ -x "$TOOLS/pdf-layout-check" ]; then
    out=$("$TOOLS/pdf-layout-check" "$PDF" 2>&1); check "pdf-layout-check finds nothing" $? "$out"
fi
cp "$PDF" "$WORK/card1.pdf"
(cd "$ROOT" && "$BIN" render "$DATA" -o "$WORK/card2.pdf" 2>/dev/null)
cmp -s "$WORK/card1.pdf" "$WORK/card2.pdf"; check "rendering twice gives identical bytes" $?
(cd "$ROOT" && SOURCE_DATE_EPOCH=1700000000 "$BIN" render "$DATA" -o "$WORK/card3.pdf" 2>/dev/null)
d=$(pdfinfo "$WORK/card3.pdf" | sed -n 's/^CreationDate: *//p')
d1=$(pdfinfo "$WORK/card1.pdf" | sed -n 's/^CreationDate: *//p')
[ -n "$d" ] && [ "$d" != "$d1" ]; check "SOURCE_DATE_EPOCH sets the creation date ($d)" $?
out=$(cd "$ROOT" && $VG "$BIN" check "$DATA" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]; check "check on the Connecticut data: no findings" $? "$out"
sed 's/score="4" max="15"/score="16" max="15"/' "$DATA" > "$WORK/over.xml"
out=$(cd "$ROOT" && $VG "$BIN" render "$WORK/over.xml" -o "$WORK/over.pdf" 2>&1); rc=$?
line=$(grep -n 'score="16"' "$WORK/over.xml" | cut -d: -f1)
[ $rc = 1 ] && [ ! -e "$WORK/over.pdf" ] && echo "$out" | grep -q "over.xml:$line:[0-9]*: error: issue 3: score 16 exceeds its maximum 15"
check "a score over its maximum: exit 1, line $line named, no PDF" $? "$out"
out=$(cd "$ROOT" && $VG "$BIN" check "$WORK/over.xml" "$DATA" 2>&1); rc=$?
[ $rc = 1 ]; check "check over several files exits 1 when one is bad" $? "$out"
# Grades computed when the data leaves them out.
sed -e 's/ grade="[A-F]"//g' -e 's/<overall[^>]*\/>//' "$DATA" > "$WORK/nogrades.xml"
out=$(cd "$ROOT" && "$BIN" render "$WORK/nogrades.xml" --format trace -o - 2>&1); rc=$?
grades=$(printf '%s\n' "$out" | grep 'font=Lato-Black size=24' | sed 's/.*"\(.*\)"/\1/' | tr -d '\n')
[ $rc = 0 ] && [ "$grades" = "FFFDFF" ]; check "grades computed from the scale: $grades" $? "$(printf '%s\n' "$out" | head -5)"
printf '%s\n' "$out" | grep -q '"43.5"'; check "overall score computed: 43.5" $?
# Text that does not fit shrinks by steps (and fails past the floor: tests/errors/text-too-long).
python3 - "$DATA" "$WORK/long.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
m = re.search(r'(<highlights>)(.*?)(</highlights>)', s, re.S)
open(sys.argv[2], 'w').write(s.replace(m.group(0), m.group(1) + ' '.join([m.group(2)] * 3) + m.group(3), 1))
PY
out=$(cd "$ROOT" && "$BIN" render "$WORK/long.xml" --format trace -o - 2>&1); rc=$?
pages=$(printf '%s\n' "$out" | grep -c '^page ')
size=$(printf '%s\n' "$out" | grep -m1 'role=th "Issue"' | sed 's/.*size=\([0-9.]*\).*/\1/')
[ $rc = 0 ] && [ "$pages" = 1 ] && [ "$size" != "9.000" ]; check "longer text shrinks to fit one page (header size $size)" $? "$(printf '%s\n' "$out" | head -3)"
# Fonts parsed once per process must not change the bytes: the card from a
# batch (one worker, after other cards) equals the card rendered alone.
mkdir -p "$WORK/bsame/in"
cp "$DATA" "$WORK/bsame/in/a.xml"; cp "$DATA" "$WORK/bsame/in/b.xml"; cp "$DATA" "$WORK/bsame/in/c.xml"
(cd "$ROOT" && "$BIN" batch "$WORK/bsame/in" -o "$WORK/bsame/out" -j 1 >/dev/null 2>&1)
cmp -s "$WORK/bsame/out/c.pdf" "$WORK/card1.pdf"; check "the third card of a batch worker is byte-identical to a single render" $?
# Tagged PDF: headings, paragraphs and reading order for screen readers.
pdfinfo "$PDF" | grep -q "^Tagged: *yes"; check "the card is a tagged PDF" $?
st=$(pdfinfo -struct-text "$PDF" 2>&1)
printf '%s\n' "$st" | grep -A1 "^  H1" | grep -q '"CONNECTICUT"'; check "the state name is the H1 of the structure tree" $? "$(printf '%s\n' "$st" | head -5)"
printf '%s\n' "$st" | grep -q "Policy goals accomplished in areas related to buyer"; check "justified words keep their spaces in the structure text" $? "$(printf '%s\n' "$st" | grep -m1 Policy)"
! printf '%s\n' "$st" | grep -q "Shared Hope International\"$"; check "the footer is an artifact, not in the structure" $?
# The command line.
out=$("$BIN" --help); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "reportgen render IN.xml"; check "--help exits 0 and shows usage" $?
out=$("$BIN" --version); [ $? = 0 ] && echo "$out" | grep -q '^reportgen [0-9]'; check "--version" $?
"$BIN" frobnicate >/dev/null 2>&1; [ $? = 2 ]; check "unknown command: exit 2" $?
"$BIN" render >/dev/null 2>&1; [ $? = 2 ]; check "render without input: exit 2" $?
"$BIN" render a.xml b.xml >/dev/null 2>&1; [ $? = 2 ]; check "render with two inputs: exit 2" $?
"$BIN" render "$DATA" --bogus >/dev/null 2>&1; [ $? = 2 ]; check "unknown option: exit 2" $?
(cd "$WORK" && "$BIN" render "$DATA" >/dev/null 2>&1) && [ -f "$WORK/ct-2021-card.pdf" ]; check "default output: IN's name with .pdf in the current folder" $?
exit 0
