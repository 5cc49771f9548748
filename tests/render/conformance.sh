#!/bin/sh
# The conformance checker (tests/render/conformance.py, PDF/UA-1 by the
# Matterhorn Protocol and PDF/A-2a) passes a conforming file made with pikepdf
# (tests/render/conformance-fixture.py), and each of its checks fails on a copy
# of that file damaged in one way: the damaged copy gives the named checkpoint
# and nothing else. The samples' own results are tests/render/conformance-samples.sh.
PY=/usr/bin/python3
C="$ROOT/tests/render/conformance.py"
FIX="$ROOT/tests/render/conformance-fixture.py"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
D="$WORK/conformance"
mkdir -p "$D"
GOOD="$D/good.pdf"
out=$($PY "$FIX" good "$GOOD" 2>&1); rc=$?
check "conformance: the fixture is made" $rc "$out"
[ $rc = 0 ] || exit 0
out=$(qpdf --check "$GOOD" 2>&1); rc=$?
check "conformance: qpdf --check passes the fixture" $rc "$out"
out=$($PY "$C" "$GOOD" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ]
check "conformance: the fixture passes, as PDF/A-2a and PDF/UA-1" $? "$out"

out=$($PY "$FIX" damage-all "$GOOD" "$D" 2>&1)
check "conformance: the damaged copies are made" $? "$out"
a2=$($PY "$C" --standard a2 "$D"/*.pdf 2>&1)
none=$($PY "$C" --standard none "$D"/*.pdf 2>&1)

# NAME|STANDARD|the checkpoints its copy must give, all and only these
TABLE=$(cat <<'EOF'
figure-alt|a2|matterhorn 13-004
link-structparent|a2|matterhorn 28-011
link-objr|a2|matterhorn 28-011
link-contents|a2|matterhorn 28-012
untagged-paint|a2|matterhorn 01-005
artifact-in-tagged|a2|matterhorn 01-003
tagged-in-artifact|a2|matterhorn 01-004,matterhorn 01-005
unknown-mcid|a2|matterhorn 01-005
unbalanced|none|pdf 14.6
heading-skip|a2|matterhorn 14-003
heading-first|a2|matterhorn 14-002
heading-two-h|a2|matterhorn 14-006
heading-mixed|a2|matterhorn 14-007
nonstandard-type|a2|matterhorn 02-001
rolemap-circular|a2|matterhorn 02-003
rolemap-standard|a2|matterhorn 02-004
table-cell|a2|matterhorn 09-004
table-row|a2|matterhorn 09-004
th-scope|a2|matterhorn 15-003
list-item|a2|matterhorn 09-005
list-l|a2|matterhorn 09-005
tabs-missing|none|matterhorn 28-008
tabs-row|none|matterhorn 28-009
annot-flags|a2|pdfa 6.3.2
tounicode|none|matterhorn 31-027
font-program|none|matterhorn 31-008
cidtogidmap|a2|pdfa 6.2.11.3.2
markinfo|none|pdfua 7.1
suspects|none|matterhorn 01-007
lang|none|matterhorn 11-001
displaydoctitle-missing|none|matterhorn 07-001
displaydoctitle-false|none|matterhorn 07-002
info-title-missing|none|matterhorn 06-003
xmp-missing|none|matterhorn 06-001
xmp-broken|none|matterhorn 06-001
xmp-no-pdfua|none|matterhorn 06-002
xmp-no-title|none|matterhorn 06-003
xmp-compressed|a2|pdfa 6.6.2.1
xmp-pdfa-part|a2|pdfa 6.6.4
xmp-pdfa-conformance|a2|pdfa 6.6.4
xmp-no-extension|a2|pdfa 6.6.2.3.1
title-disagrees|a2|pdfa 6.6.2.1
producer-disagrees|a2|pdfa 6.6.2.1
date-disagrees|a2|pdfa 6.6.2.1
outputintent-missing|a2|pdfa 6.2.3
outputintent-cmyk|a2|pdfa 6.2.3
javascript|a2|pdfa 6.6.1
version|none|pdf 7.5.2
version-15|a2|pdfa 6.1.2
encrypted|a2|pdfa 6.1.3
no-accessibility|none|matterhorn 26-002
trailer-id|a2|pdfa 6.1.3
binary-comment|a2|pdfa 6.1.2
EOF
)
printf '%s\n' "$TABLE" | while IFS='|' read -r name std want; do
    [ -n "$name" ] || continue
    if [ "$std" = none ]; then all=$none; else all=$a2; fi
    out=$(printf '%s\n' "$all" | grep -F "$D/$name.pdf: ")
    got=$(printf '%s\n' "$out" | sed -n 's/^[^[]*\[\([^]]*\)\].*/\1/p' | sort -u | tr '\n' ',' | sed 's/,$//')
    [ "$got" = "$want" ]
    check "conformance: $name trips [$want] (--standard $std)" $? "got [$got]:
$out"
done
# every damage the fixture can make is in the table
names=$($PY "$FIX" names | sort)
listed=$(printf '%s\n' "$TABLE" | cut -d'|' -f1 | sort)
[ "$names" = "$listed" ]
check "conformance: every damage has its expected checkpoints" $? "made: $(echo $names)
listed: $(echo $listed)"

# --standard none leaves the archival checks out, and only them: the copies
# without /ID or OutputIntent pass, one without alt text still fails; the
# exit status says whether anything failed.
for name in trailer-id outputintent-missing xmp-pdfa-part xmp-compressed encrypted javascript version-15; do
    out=$($PY "$C" --standard none "$D/$name.pdf" 2>&1)
    check "conformance: --standard none passes $name" $? "$out"
done
$PY "$C" --standard none "$D/figure-alt.pdf" >/dev/null 2>&1
[ $? = 1 ]; check "conformance: --standard none still checks alt text, exit 1" $?
out=$($PY "$C" "$D/no-such.pdf" 2>&1); rc=$?
[ $rc = 2 ]; check "conformance: an unreadable file is exit 2 (got $rc)" $? "$out"
