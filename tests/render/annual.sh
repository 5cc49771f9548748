#!/bin/sh
# End-to-end checks of the TIP Council annual report (seed 004) with real
# tools, and of its check rules on small clean documents. One "ok"/"not ok"
# line per check. Needs ROOT, BIN, WORK (from tests/run.sh).
SEED="$ROOT/../shared/seeds/004_fc7fee8adaa929bf.txt"
TOOLS="$ROOT/../shared/tools"
DATA="$ROOT/data/tip-2021-annual.xml"
PDF="$WORK/annual.pdf"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }

# ---- the check rules on the real data: the seed's own slips, as warnings
out=$(cd "$ROOT" && $VG "$BIN" check "$DATA" 2>&1); rc=$?
want_name=$(grep -n 'last="Gilcrest"' "$DATA" | cut -d: -f1)
want_cover=$(grep -n 'last="Gilchrest"' "$DATA" | cut -d: -f1)
want_stat=$(grep -n 'number="53a-90a"' "$DATA" | cut -d: -f1)
n=$(printf '%s\n' "$out" | grep -c .)
[ $rc = 0 ] && [ "$n" = 2 ] \
  && printf '%s\n' "$out" | grep -q "tip-2021-annual.xml:$want_name:[0-9]*: warning: chair named 'Gilcrest' here but 'Gilchrest' on line $want_cover\$" \
  && printf '%s\n' "$out" | grep -q "tip-2021-annual.xml:$want_stat:[0-9]*: warning: Sec. 53a-90a: 1 conviction but 0 arrests over 2011-2021\$"
check "check on the annual report: the Gilchrest/Gilcrest and 53a-90a warnings, exit 0" $? "$out"
out=$(cd "$ROOT" && "$BIN" check --strict "$DATA" 2>&1); rc=$?
[ $rc = 1 ]; check "check --strict on the annual report exits 1 (got $rc)" $? "$out"

# ---- each rule stays quiet on a document without its fault: the faulty
# case of tests/errors with the fault mended (sed), checked strictly.
clean() {
    name=$1; what=$2; shift 2
    src="$ROOT/tests/errors/$name.xml"
    dst="$WORK/clean-$name-$#.xml"
    sed "$@" "$src" > "$dst"
    if cmp -s "$src" "$dst"; then check "clean $name: the fault was mended" 1 "the sed expression changed nothing"; return; fi
    out=$(cd "$ROOT" && $VG "$BIN" check --strict "$dst" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "check --strict exits 0 and says nothing: $what" $? "$out"
}
clean annual-name-spelt-twice "the chair spelt the same on the cover and in the list" \
    -e 's/last="Gilcrest"/last="Gilchrest"/'
clean annual-member-named-twice "two members with different names" \
    -e 's/last="Hamliton" first="Susan I."/last="Del Prete Sullivan" first="Deborah"/'
clean annual-percent-sum "referral sources adding up to 100%" \
    -e 's/percent="29">Other/percent="32">Other/'
clean annual-percent-sum "referral sources adding up to 99% (rounding)" \
    -e 's/percent="29">Other/percent="31">Other/' -e 's/Other/Other (rounded)/'
clean annual-stated-total "23 clients stated, 20 + 1 + 1 + 1 in the groups" \
    -e 's|\(<group count="1"><label>Sex and labor Trafficking</label></group>\)|\1<group count="1"><label>Unknown/ Not reported</label></group>|'
clean annual-org-not-on-council "every dissenting organization has a member" \
    -e 's|<org ref="sde">Department of Education|<org ref="ocpd">Office of Chief Public Defender|'
clean annual-convictions-over-arrests "as many convictions as arrests" \
    -e 's/year="2012" arrests="0"/year="2012" arrests="1"/'
clean annual-seat-named-twice "a designee holding a seat spelt as the member" \
    -e 's/last="Whitcomb" role/last="Whitcombe" role/'
clean annual-seat-chair-spelt-twice "the chair spelt the same on the cover and in her seat" \
    -e 's/last="Kilbridge"/last="Kilbride"/'
clean annual-seat-org-not-on-council "the abstaining organization holds a seat" \
    -e 's|<seat org="dph"><office>Department of Public Health|<seat org="sp"><office>State Police|'

# ---- the report itself
out=$(cd "$ROOT" && $VG "$BIN" render "$DATA" -o "$PDF" 2>&1); rc=$?
[ $rc = 0 ]; check "annual report renders" $? "$out"
[ -f "$PDF" ] || { echo "not ok - no annual PDF to check"; exit 0; }
out=$(qpdf --check "$PDF" 2>&1); rc=$?
echo "$out" | grep -qi warning && rc=1
check "annual: qpdf --check without warnings" $rc "$out"
err=$(pdftotext "$PDF" /dev/null 2>&1); [ -z "$err" ]; check "annual: pdftotext prints nothing on stderr" $? "$err"
err=$(pdfinfo "$PDF" 2>&1 >/dev/null); [ -z "$err" ]; check "annual: pdfinfo prints nothing on stderr" $? "$err"
fonts=$(pdffonts "$PDF" 2>&1)
notemb=$(printf '%s\n' "$fonts" | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }')
n=$(printf '%s\n' "$fonts" | tail -n +3 | grep -c .)
[ -z "$notemb" ] && [ "$n" -ge 1 ]; check "annual: every font embedded ($n fonts)" $? "$fonts"
title=$(pdfinfo "$PDF" | sed -n 's/^Title: *//p')
[ "$title" = "Trafficking in Persons Council 2020/2021 Annual Report" ]; check "annual: PDF title set" $? "$title"
pages=$(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages:/{print $2}')
[ "${pages:-0}" -ge 8 ]; check "annual: a multi-page report ($pages pages)" $?
# the cover is neither numbered nor counted: the next page is "Page 1 of pages-1"
p1=$(pdftotext -f 1 -l 1 "$PDF" - 2>/dev/null)
p2=$(pdftotext -f 2 -l 2 "$PDF" - 2>/dev/null)
! printf '%s\n' "$p1" | grep -q 'Page [0-9]' && printf '%s\n' "$p2" | grep -q "Page 1 of $((pages - 1))"
check "annual: no footer on the cover; the next page reads 'Page 1 of $((pages - 1))'" $? "$(printf '%s\n' "$p2" | tail -3)"
printf '%s\n' "$p2" | grep -q '^Contents' && printf '%s\n' "$p2" | grep -q 'Connecticut Specific Data[ .]*[0-9]'
check "annual: contents after the cover, with page numbers" $?
all=$(pdftotext "$PDF" - 2>/dev/null)
n=$(printf '%s\n' "$all" | grep -c '^Total$')
[ "$n" = 9 ]; check "annual: nine statute tables with a Total column ($n)" $?
printf '%s\n' "$all" | grep -q '^294$'; check "annual: totals computed (53a-196b: 294 arrests)" $?
marks=$(python3 - "$PDF" <<'PY'
import re, subprocess, sys
# Every object in plain sight: the file packs them into object streams.
data = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', sys.argv[1], '-'],
                      capture_output=True).stdout
print(len(re.findall(rb'/Outlines', data)))
PY
)
[ "$marks" -ge 1 ]; check "annual: the PDF has bookmarks" $?
if [ -x "$TOOLS/text-recall" ] && [ -f "$SEED" ]; then
    out=$("$TOOLS/text-recall" "$SEED" "$PDF" --min 0.99 2>&1); check "annual: text-recall bag >= 0.99: $(echo "$out" | grep '^bag')" $? "$out"
    out=$("$TOOLS/text-recall" "$SEED" "$PDF" --order --min 0.98 2>&1); check "annual: text-recall order >= 0.98" $? "$out"
else
    echo "ok - annual: text-recall skipped: ../shared not present"
fi
if [ -x "$TOOLS/pdf-layout-check" ]; then
    out=$("$TOOLS/pdf-layout-check" "$PDF" 2>&1); check "annual: pdf-layout-check finds nothing" $? "$out"
fi
cp "$PDF" "$WORK/annual1.pdf"
(cd "$ROOT" && "$BIN" render "$DATA" -o "$WORK/annual2.pdf" 2>/dev/null)
cmp -s "$WORK/annual1.pdf" "$WORK/annual2.pdf"; check "annual: rendering twice gives identical bytes" $?
exit 0
