#!/bin/sh
# End-to-end checks of the progress brief (seed 000), the press release
# (seed 002) and the analysis (seed 003) with real tools, and of their check
# rules on the seeds' data and on clean documents. One "ok"/"not ok" line per
# check. Needs ROOT, BIN, WORK (from tests/run.sh).
SEEDS="$ROOT/../shared/seeds"
TOOLS="$ROOT/../shared/tools"
BRIEF="$ROOT/data/ct-progress-brief.xml"
RELEASE="$ROOT/data/ct-press-release.xml"
ANALYSIS="$ROOT/data/ct-analysis.xml"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/{print $2}'; }
render() { (cd "$ROOT" && $VG "$BIN" render "$1" -o "$2" 2>&1); }

# ---- every document: renders, and real tools find nothing wrong with it
pdf_checks() {
    what=$1; data=$2; seed=$3; pdf="$WORK/$what.pdf"
    out=$(render "$data" "$pdf"); rc=$?
    [ $rc = 0 ] && [ -f "$pdf" ]; check "$what renders" $? "$out"
    [ -f "$pdf" ] || return 1
    out=$(qpdf --check "$pdf" 2>&1); rc=$?
    echo "$out" | grep -qi warning && rc=1
    check "$what: qpdf --check without warnings" $rc "$out"
    err=$(pdftotext "$pdf" /dev/null 2>&1); [ -z "$err" ]; check "$what: pdftotext prints nothing on stderr" $? "$err"
    err=$(pdfinfo "$pdf" 2>&1 >/dev/null); [ -z "$err" ]; check "$what: pdfinfo prints nothing on stderr" $? "$err"
    fonts=$(pdffonts "$pdf" 2>&1)
    notemb=$(printf '%s\n' "$fonts" | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }')
    n=$(printf '%s\n' "$fonts" | tail -n +3 | grep -c .)
    [ -z "$notemb" ] && [ "$n" -ge 1 ]; check "$what: every font embedded ($n fonts)" $? "$fonts"
    if [ -x "$TOOLS/pdf-layout-check" ]; then
        out=$("$TOOLS/pdf-layout-check" "$pdf" 2>&1); check "$what: pdf-layout-check finds nothing" $? "$out"
    fi
    if [ -x "$TOOLS/text-recall" ] && [ -f "$SEEDS/$seed" ]; then
        out=$("$TOOLS/text-recall" "$SEEDS/$seed" "$pdf" --min 0.98 2>&1)
        check "$what: text-recall bag >= 0.98: $(echo "$out" | grep '^bag')" $? "$out"
    else
        echo "ok - $what: text-recall skipped: ../shared not present"
    fi
    (cd "$ROOT" && "$BIN" render "$data" -o "$WORK/$what-again.pdf" 2>/dev/null)
    cmp -s "$pdf" "$WORK/$what-again.pdf"; check "$what: rendering twice gives identical bytes" $?
    return 0
}

# ==== the press release ====
if pdf_checks release "$RELEASE" 002_d319a3e395cc8362.txt; then
    pdf="$WORK/release.pdf"
    n=$(pages "$pdf")
    txt=$(pdftotext "$pdf" - 2>/dev/null)
    if [ "$n" = 1 ]; then
        ! printf '%s\n' "$txt" | grep -q -- '-more-'; check "release: one page, without -more-" $? "$txt"
    else
        [ "$n" = 2 ] && pdftotext -f 1 -l 1 "$pdf" - | grep -q -- '-more-' && ! pdftotext -f 2 -l 2 "$pdf" - | grep -q -- '-more-'
        check "release: $n pages, -more- at the foot of the first only" $?
    fi
    printf '%s\n' "$txt" | grep -q '^FOR IMMEDIATE RELEASE' && printf '%s\n' "$txt" | grep -q '^###$' \
        && printf '%s\n' "$txt" | tr '\n' ' ' | grep -q 'CONNECTICUT WORKS TO CLOSE LEGAL GAPS TO FIGHT CHILD SEX TRAFFICKING'
    check "release: FOR IMMEDIATE RELEASE, the headline in capitals and the end mark ###" $?
    printf '%s\n' "$txt" | grep -q '^MEDIA CONTACT:' && printf '%s\n' "$txt" | grep -q 'SHI founder Linda Smith'
    check "release: the media contact and the pull quote's attribution" $?
    uris=$(python3 - "$pdf" <<'PY'
import re, subprocess, sys
# Every object in plain sight: the file packs them into object streams.
data = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', sys.argv[1], '-'],
                      capture_output=True).stdout
print(" ".join(u.decode() for u in re.findall(rb'/URI \(([^)]*)\)', data)))
PY
)
    rc=0
    case " $uris " in *" # "*) rc=1 ;; esac
    echo "$uris" | grep -q 'https://www.sharedhope.org/press' && echo "$uris" | grep -q 'https://vimeo.com/user12564384/videos' || rc=1
    check "release: good links clickable (a bare domain made https://), '#' links plain text: $uris" $rc
fi
# A long release: two pages, "-more-" at the foot of the first, not of the last.
python3 - "$RELEASE" "$WORK/long-release.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
body = re.search(r'<body>(.*)</body>', s, re.S).group(1)
open(sys.argv[2], 'w').write(s.replace(body, body + body.replace('Utah', 'the State'), 1))
PY
out=$(render "$WORK/long-release.xml" "$WORK/long-release.pdf"); rc=$?
n=$(pages "$WORK/long-release.pdf")
p1=$(pdftotext -f 1 -l 1 "$WORK/long-release.pdf" - 2>/dev/null)
p2=$(pdftotext -f 2 -l 2 "$WORK/long-release.pdf" - 2>/dev/null)
[ $rc = 0 ] && [ "$n" = 2 ] && printf '%s\n' "$p1" | grep -q -- '^-more-$' && ! printf '%s\n' "$p2" | grep -q -- '-more-' \
    && printf '%s\n' "$p2" | grep -q '^###$'
check "a release twice as long: 2 pages ($n), -more- on the first only, ### on the last" $? "$out"
# A release date, when the data has one: after FOR IMMEDIATE RELEASE and in the dateline.
sed 's/<press-release>/<press-release released="2016-06-06">/' "$RELEASE" > "$WORK/dated.xml"
render "$WORK/dated.xml" "$WORK/dated.pdf" >/dev/null
txt=$(pdftotext "$WORK/dated.pdf" - 2>/dev/null)
[ "$(printf '%s\n' "$txt" | grep -c 'June 6, 2016$')" -ge 1 ] && printf '%s\n' "$txt" | grep -q 'WASHINGTON, D.C., June 6, 2016'
check "release date printed with FOR IMMEDIATE RELEASE and in the dateline" $? "$(printf '%s\n' "$txt" | head -8)"

# check on the release: Utah with its line, the three "#" links; exit 0, 1 with --strict
out=$(cd "$ROOT" && $VG "$BIN" check "$RELEASE" 2>&1); rc=$?
utah=$(grep -n 'Utah faces' "$RELEASE" | cut -d: -f1)
utah_item=$(awk -v u="$utah" 'NR <= u && /<item>/ { l = NR } END { print l }' "$RELEASE")
hashes=$(grep -c 'href="#"' "$RELEASE")
nhash=$(printf '%s\n' "$out" | grep -c "goes nowhere: its address is the placeholder '#'")
[ $rc = 0 ] && [ "$nhash" = 3 ] && [ "$hashes" = 3 ] \
    && printf '%s\n' "$out" | grep -q "ct-press-release.xml:$utah_item:[0-9]*: warning: state 'Utah' named in a release about Connecticut"
check "check on the release: 'Utah' (line $utah_item) and the 3 '#' links, exit 0" $? "$out"
lines=$(grep -n 'href="#"' "$RELEASE" | cut -d: -f1 | tr '\n' ' ')
rc=0
for l in $lines; do
    printf '%s\n' "$out" | grep -q "ct-press-release.xml:$l:[0-9]*: warning: link" || rc=1
done
check "check names each '#' link with its line ($lines)" $rc "$out"
out=$(cd "$ROOT" && "$BIN" check --strict "$RELEASE" 2>&1); rc=$?
[ $rc = 1 ]; check "check --strict on the release exits 1 (got $rc)" $? "$out"

# ==== the progress brief ====
if pdf_checks brief "$BRIEF" 000_88a50f646dfea254.txt; then
    pdf="$WORK/brief.pdf"
    n=$(pages "$pdf")
    [ "$n" = 2 ]; check "brief: front and back, 2 pages (got $n)" $?
    ok=0
    for p in 1 2; do
        pdftotext -f $p -l $p "$pdf" - 2>/dev/null | grep -q 'act.sharedhope.org/reportcards' || ok=1
    done
    check "brief: the calls to action at the foot of both pages" $ok
    txt=$(pdftotext "$pdf" - 2>/dev/null)
    printf '%s\n' "$txt" | grep -q 'As of August 1, 2019, CONNECTICUT HAD RAISED ITS GRADE FROM F TO C:'
    check "brief: the answer written from the history: raised its grade from F to C" $? "$(printf '%s\n' "$txt" | grep -i 'grade from')"
fi
! grep -q 'grade=' "$BRIEF"; check "brief data states no grade" $?
# The sentence follows the data: 2011 at 65 points (a D) ...
sed -e 's/<year value="2011" score="47.5">/<year value="2011" score="65">/' \
    -e '/<year value="2011"/,/<\/year>/s/<score section="2" value="6.5"\/>/<score section="2" value="24"\/>/' \
    "$BRIEF" > "$WORK/brief-d.xml"
out=$(render "$WORK/brief-d.xml" "$WORK/brief-d.pdf"); rc=$?
txt=$(pdftotext "$WORK/brief-d.pdf" - 2>/dev/null)
[ $rc = 0 ] && printf '%s\n' "$txt" | grep -q 'CONNECTICUT HAD RAISED ITS GRADE FROM D TO C:' \
    && ! printf '%s\n' "$txt" | grep -q 'FROM F TO C'
check "2011 edited to 65 points: 'raised its grade from D to C'" $? "$out$(printf '%s\n' "$txt" | grep -i 'grade from')"
# ... at 85 (a B): lowered; both years a C: kept
sed -e 's/<year value="2011" score="47.5">/<year value="2011" score="85">/' \
    -e '/<year value="2011"/,/<\/year>/s/<score section="2" value="6.5"\/>/<score section="2" value="25"\/>/' \
    -e '/<year value="2011"/,/<\/year>/s/<score section="5" value="14.5"\/>/<score section="5" value="27.5"\/>/' \
    -e '/<year value="2011"/,/<\/year>/s/<score section="6" value="3.5"\/>/<score section="6" value="9.5"\/>/' \
    "$BRIEF" > "$WORK/brief-b.xml"
txt=$(cd "$ROOT" && "$BIN" render "$WORK/brief-b.xml" -o "$WORK/brief-b.pdf" 2>&1 && pdftotext "$WORK/brief-b.pdf" - 2>/dev/null)
printf '%s\n' "$txt" | grep -q 'CONNECTICUT HAD LOWERED ITS GRADE FROM B TO C:'
check "2011 edited to 85 points: 'lowered its grade from B to C'" $? "$(printf '%s\n' "$txt" | grep -i 'grade')"
out=$(cd "$ROOT" && "$BIN" check --strict "$WORK/brief-b.xml" 2>&1 | grep -v "placeholder '#'")
[ -z "$out" ]; check "the edited history is consistent (sections add up to 85)" $? "$out"
sed -e 's/<year value="2011" score="47.5">/<year value="2011" score="72.5">/' \
    -e '/<year value="2011"/,/<\/year>/s/<score section="2" value="6.5"\/>/<score section="2" value="22"\/>/' \
    -e '/<year value="2011"/,/<\/year>/s/<score section="6" value="3.5"\/>/<score section="6" value="13"\/>/' \
    "$BRIEF" > "$WORK/brief-c.xml"
txt=$(cd "$ROOT" && "$BIN" render "$WORK/brief-c.xml" -o "$WORK/brief-c.pdf" 2>&1 && pdftotext "$WORK/brief-c.pdf" - 2>/dev/null)
printf '%s\n' "$txt" | grep -q 'CONNECTICUT HAD KEPT ITS GRADE AT C SINCE 2011:'
check "2011 edited to 72.5 points: 'kept its grade at C since 2011'" $? "$(printf '%s\n' "$txt" | grep -i 'grade')"
# check on the brief: its one '#' link
out=$(cd "$ROOT" && $VG "$BIN" check "$BRIEF" 2>&1); rc=$?
l=$(grep -n 'href="#"' "$BRIEF" | cut -d: -f1)
[ $rc = 0 ] && [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] \
    && printf '%s\n' "$out" | grep -q "ct-progress-brief.xml:$l:[0-9]*: warning: link 'here' goes nowhere"
check "check on the brief: the '#' technical assistance link (line $l), exit 0" $? "$out"

# ==== the analysis ====
if pdf_checks analysis "$ANALYSIS" 003_8801f7837835e1ca.txt; then
    pdf="$WORK/analysis.pdf"
    n=$(pages "$pdf")
    [ "${n:-0}" -ge 2 ]; check "analysis: several pages ($n)" $?
    p1=$(pdftotext -f 1 -l 1 "$pdf" - 2>/dev/null)
    pn=$(pdftotext -f "$n" -l "$n" "$pdf" - 2>/dev/null)
    printf '%s\n' "$p1" | grep -q "^Page 1 of $n\$" && printf '%s\n' "$pn" | grep -q "^Page $n of $n\$"
    check "analysis: 'Page X of Y' on every page" $?
    ! printf '%s\n' "$p1" | grep -q 'Report Card · Connecticut' \
        && printf '%s\n' "$pn" | grep -q 'Protected Innocence Challenge Report Card · Connecticut'
    check "analysis: the running header from the second page on" $?
    printf '%s\n' "$p1" | grep -q '^FINAL GRADE' && printf '%s\n' "$p1" | grep -q '^C$' && printf '%s\n' "$p1" | grep -q '^79'
    check "analysis: final grade C and score 79 on the first page" $?
    marks=$(python3 - "$pdf" <<'PY'
import re, subprocess, sys
# Every object in plain sight: the file packs them into object streams.
data = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', sys.argv[1], '-'],
                      capture_output=True).stdout
print(len(re.findall(rb'/Title', data)) - 1 if b'/Outlines' in data else 0)
PY
)
    [ "$marks" -ge 7 ]; check "analysis: bookmarks for the scores and the six sections ($marks)" $?
fi
out=$(cd "$ROOT" && $VG "$BIN" check --strict "$ANALYSIS" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]; check "check --strict on the analysis: nothing to report" $? "$out"
# the final score and grade computed when the data leaves them out
sed 's|<final score="79" grade="C"/>||' "$ANALYSIS" > "$WORK/nofinal.xml"
txt=$(cd "$ROOT" && "$BIN" render "$WORK/nofinal.xml" -o "$WORK/nofinal.pdf" 2>&1 && pdftotext -f 1 -l 1 "$WORK/nofinal.pdf" - 2>/dev/null)
printf '%s\n' "$txt" | grep -q '^C$' && printf '%s\n' "$txt" | grep -q '^79'
check "analysis without a stated final: 79 and C computed" $? "$(printf '%s\n' "$txt" | head -12)"

# ==== each check rule stays quiet on a document without its fault: the
# faulty case of tests/errors mended (sed), checked strictly.
clean() {
    name=$1; what=$2; shift 2
    src="$ROOT/tests/errors/$name.xml"
    dst="$WORK/clean-$name.xml"
    sed "$@" "$src" > "$dst"
    if cmp -s "$src" "$dst"; then check "clean $name: the fault was mended" 1 "the sed expression changed nothing"; return; fi
    out=$(cd "$ROOT" && $VG "$BIN" check --strict "$dst" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ]; check "check --strict exits 0 and says nothing: $what" $? "$out"
}
clean release-other-state "Connecticut's gaps name Connecticut; DC only in the dateline" \
    -e 's/Utah faces/Connecticut faces/' -e 's/ with an office in Washington, D.C.,//'
clean release-link-nowhere "every link goes somewhere" \
    -e 's|href="#"|href="https://reportcards.sharedhope.org"|' -e 's|href=""|href="https://sharedhope.org"|' \
    -e 's|ftp://|https://|' -e 's|https://sharedhope"|https://sharedhope.org"|' -e 's|report cards|reportcards|' \
    -e 's|web="sharedhope"|web="sharedhope.org"|'
clean analysis-score-over-max "section 3 within its maximum" \
    -e 's/score="16.5" max="15"/score="14.5" max="15"/' -e 's/<final score="81" grade="B"/<final score="79" grade="C"/'
clean analysis-final-score-sum "the final score the sum of the sections" -e 's/<final score="80"/<final score="79"/'
clean analysis-maxima-total "maxima adding up to 102.5" -e 's/score="20.5" max="25"/score="20.5" max="27.5"/'
clean analysis-grade-band "79 points stated as a C" -e 's/<final score="79" grade="B"/<final score="79" grade="C"/'
clean analysis-other-state "New Hampshire marked as a comparison" \
    -e 's|Victims in New Hampshire may vacate convictions;|<comparison>Victims in New Hampshire may vacate convictions</comparison>;|'
clean brief-grade-change-claim "a grade change claimed as the scores give it" \
    -e 's/has gone up from an F to a B/has gone up from an F to a C/' -e 's/from="2016" to="2019">has kept its B since 2016/from="2011" to="2019">went from an F to a C/'
clean brief-year-score-sum "2011 stated as the sum of its sections" -e 's/<year value="2011" score="50">/<year value="2011" score="47.5">/'
clean brief-score-over-max "section 3 within its maximum" -e 's/<score section="3" value="27"\/>/<score section="3" value="14.5"\/>/'
clean brief-missing-section "every section scored" -e 's|<score section="5" value="14.5"/>|<score section="4" value="4.5"/><score section="5" value="14.5"/>|'
clean brief-maxima-total "maxima adding up to 102.5" -e 's/<section number="2" max="20"/<section number="2" max="25"/'
clean brief-other-state "the other states marked as comparisons" \
    -e 's|Massachusetts has done the same;|<comparison>Massachusetts has done the same</comparison>;|' \
    -e 's|Visit us in Washington, D.C. ||'

# ==== no kind-specific C: the kinds are templates only
hits=$(grep -rn -i -e 'progress-brief' -e 'press-release' -e 'progress brief' -e 'press release' \
       -e '"analysis"' "$ROOT/src" "$ROOT/include" 2>/dev/null)
[ -z "$hits" ]; check "no kind-specific C: src/ does not name the brief, release or analysis kinds" $? "$hits"
exit 0
