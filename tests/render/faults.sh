#!/bin/sh
# Fault injection, sampled: every 97th allocation and every file call of a
# card render made to fail (the whole sweep is make faultcheck). Each run must
# end with its error message and exit 1 or 3, or exit 0 with the clean run's
# bytes; no crash, no leak, no file left, the earlier PDF untouched, whoever's
# code met the failure (--strict: libraries included).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
# Needs the fault build (make test makes it; not under sanitizers or valgrind,
# which bring allocators of their own).
[ -n "$FAULT_BIN" ] && [ -x "$FAULT_BIN" ] && [ -z "$VG" ] || exit 0
F="$WORK/faults"
mkdir -p "$F"
sweep() { # what document kinds [run.py options]
    what=$1 doc=$2 kinds=$3; shift 3
    out=$(cd "$ROOT" && python3 tests/fault/run.py "$FAULT_BIN" "$doc" --kinds "$kinds" ${STRICT---strict} \
          --outdir "$F" "$@" 2>&1); rc=$?
    runs=$(printf '%s\n' "$out" | sed -n 's/^faultcheck: [0-9]* calls counted, \([0-9]*\) runs.*/\1/p')
    [ $rc = 0 ] && [ "${runs:-0}" -gt 0 ]
    check "$what, $kinds faults: ${runs:-no} runs, every one a clean error or the clean result" $? "$out"
}
for kind in alloc write read; do
    sweep card data/ct-2021-card.xml $kind --stride 97
done
# The same with the checks and the compression on a second thread
# (REPORTGEN_THREADS=2; the card's 4.7 kB of data render on one, so the
# analysis, 10 kB): the Nth call is then not the same call from run to run,
# but each run must still end clean in our code. The libraries are judged
# by the one-thread sweeps, where a failure is the same call every time:
# here libxml2 2.9 once left a 40-byte mutex behind when an allocation of
# its own failed while the other thread ran (1 run in 11,820, not found
# again in 336 runs around it; the whole one-thread sweep of the analysis,
# 24,213 runs, is clean), which a run cannot be made to repeat.
STRICT=
for kind in alloc read; do
    sweep "analysis, two threads" data/ct-analysis.xml $kind --stride 89 --threads 2
done
unset STRICT
# Every read of the progress brief: its templates import shared rules and
# read the list of states with document().
sweep "progress brief" data/ct-progress-brief.xml read
# Importing a sheet: a CSV one (every 97th allocation, every write and read)
# and an XLSX one (every write and read; libzip 1.7.3 itself leaks when one
# of its own allocations fails, which --strict would count).
for kind in alloc write read; do
    sweep "sheet import (CSV)" tests/errors/sheet-base.csv $kind --stride 97
done
# Exporting a card: a value whose copy failed was written as an empty cell
# with exit 0 (21 of these 58 runs); every 7th allocation from where the
# card is read.
mkdir -p "$F/export"
cp "$ROOT/data/states/wyoming.xml" "$F/export/"
sweep "export" "$F/export" alloc --from 26200 --stride 7
/usr/bin/python3 "$ROOT/tests/sheets/make_xlsx.py" "$ROOT/tests/errors/sheet-base.csv" "$F/sheet.xlsx"
for kind in write read; do
    sweep "sheet import (XLSX)" "$F/sheet.xlsx" $kind
done
