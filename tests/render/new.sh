#!/bin/sh
# reportgen new: for every kind with a starter (templates/*/starter.xsl) the
# file it writes renders, check lists each placeholder once (as many
# warnings as "[TODO:" and "<?todo" marks), check --strict refuses it, and
# an existing file is never replaced. Then the card filled in checks clean.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
D="$WORK/new"
mkdir -p "$D"
kinds=$(cd "$ROOT/templates" && ls -d */starter.xsl | sed 's|/starter.xsl||')
n=$(printf '%s\n' $kinds | wc -l)
[ "$n" -ge 5 ]; check "starters for $n kinds: $(echo $kinds)" $?
for k in $kinds; do
    for st in "" "New Mexico"; do
        f="$D/$k${st:+-nm}.xml"
        out=$($VG "$BIN" new "$k" ${st:+--state "$st"} --year 2026 -o "$f" 2>&1); rc=$?
        [ $rc = 0 ] && [ -s "$f" ]; check "new $k${st:+ --state '$st'}: writes $f" $? "$out"
        out=$($VG "$BIN" render "$f" -o "$D/$k.pdf" 2>&1); rc=$?
        [ $rc = 0 ] && qpdf --check "$D/$k.pdf" >/dev/null 2>&1
        check "new $k${st:+ --state '$st'}: the draft renders" $? "$out"
        marks=$(grep -o '\[TODO:\|<?todo' "$f" | wc -l)
        out=$($VG "$BIN" check "$f" 2>&1); rc=$?
        warned=$(printf '%s\n' "$out" | grep -c ': warning: placeholder left: ')
        others=$(printf '%s\n' "$out" | grep -v ': warning: placeholder left: ' | grep -c .)
        [ $rc = 0 ] && [ "$marks" -gt 0 ] && [ "$warned" = "$marks" ] && [ "$others" = 0 ]
        check "new $k${st:+ --state '$st'}: check warns once per placeholder ($warned of $marks), nothing else" $? "$out"
        $VG "$BIN" check --strict "$f" >/dev/null 2>&1; rc=$?
        [ $rc = 1 ]; check "new $k${st:+ --state '$st'}: check --strict refuses the draft (exit $rc)" $?
    done
done

# Every framework of the report card: its areas and tiers make the starter.
for fw in $(cd "$ROOT/templates/report-card/frameworks" && ls *.xml | sed 's/\.xml$//'); do
    f="$D/card-$fw.xml"
    out=$($VG "$BIN" new report-card --framework "$fw" --state Ohio --year 2025 -o "$f" 2>&1 &&
          $VG "$BIN" render "$f" -o "$D/card-$fw.pdf" 2>&1); rc=$?
    areas=$(grep -c '<area ' "$ROOT/templates/report-card/frameworks/$fw.xml")
    [ $rc = 0 ] && [ "$(grep -c '<issue ' "$f")" = "$areas" ]
    check "new report-card --framework $fw: $areas areas, the draft renders" $? "$out"
    out=$("$BIN" check "$f" 2>&1)
    others=$(printf '%s\n' "$out" | grep -v ': warning: placeholder left: ' | grep -c .)
    "$BIN" check --strict "$f" >/dev/null 2>&1; rc=$?
    [ "$others" = 0 ] && [ $rc = 1 ]; check "new report-card --framework $fw: only placeholders, --strict refuses it" $? "$out"
done

# Never replaced: exit 2, the file as it was.
f="$D/kept.xml"
printf 'mine\n' > "$f"
out=$("$BIN" new press-release -o "$f" 2>&1); rc=$?
[ $rc = 2 ] && [ "$(cat "$f")" = mine ] && [ "$(ls -A "$D" | grep -c '^\.')" = 0 ]
check "new over an existing file: exit 2, the file left as it was, no temporary file ($out)" $?

# The card filled in: each score written, each mark gone, checks clean.
f="$D/report-card-nm.xml"
sed -e '/<?todo/d' -e 's/\[TODO: the highlights of issue area \([0-9]\)[^]]*\]/Highlights of area \1./' \
    -e 's/score="0"/score="5"/' "$f" > "$D/filled.xml"
out=$("$BIN" check --strict "$D/filled.xml" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]; check "the new card filled in checks clean under --strict" $? "$out"
# default name and year
mkdir -p "$D/default"
out=$(cd "$D/default" && SOURCE_DATE_EPOCH=1767225600 "$BIN" new report-card 2>&1); rc=$?
[ $rc = 0 ] && grep -q 'year="2026"' "$D/default/report-card.xml"
check "new report-card: writes report-card.xml, the year from SOURCE_DATE_EPOCH" $? "$out"
