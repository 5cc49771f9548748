#!/bin/sh
# make fuzz: runs each libFuzzer harness for a bounded time.
#   tests/fuzz/run.sh FUZZ_OUT SECONDS MAX_LEN HARNESS...
# Corpora live in FUZZ_OUT/corpus-NAME (seeded from data/, tests/golden/,
# tests/errors/ and tests/fuzz/regressions/; they grow from run to run);
# crashes, leaks, timeouts and OOMs go to FUZZ_OUT/artifacts-NAME/. Each
# harness first replays tests/fuzz/regressions/. Exit 1 when anything new
# was found: fix it, then copy the artifact into tests/fuzz/regressions/.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUTD=$1; SECS=$2; MAXLEN=$3; shift 3
export REPORTGEN_DATADIR="$ROOT"
unset SOURCE_DATE_EPOCH
# A leak, a huge allocation or a slow input is a finding like a crash.
# ASan keeps freed blocks in a quarantine (256 MB by default) to catch
# use-after-free; one layout run frees ~1.7 MB on average (~9.4 MB for a
# full report), so 64 MB still spans several whole runs, while the default
# quarantine alone made the layout harness's RSS ~700-840 MB (live heap
# ~7 MB). With 64 MB it stays ~350 MB, and an RSS limit of 1024 MB is
# then a real finding.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
python3 "$ROOT/tests/fuzz/mkdict.py" "$ROOT"/data/*.xml "$ROOT"/tests/golden/*.xml "$ROOT"/templates/*/*.xsd \
    "$ROOT"/templates/*/*.xsl "$ROOT"/templates/themes/*.xml > "$OUTD/xml.dict"
found=0
for h in "$@"; do
    name=$(basename "$h")
    C="$OUTD/corpus-${name#fuzz_}"
    A="$OUTD/artifacts-${name#fuzz_}"
    mkdir -p "$C" "$A"
    # Seeds: every sample and test input that fits in MAX_LEN (libFuzzer would cut the rest).
    for f in "$ROOT"/data/*.xml "$ROOT"/data/states/*.xml "$ROOT"/tests/golden/*.xml "$ROOT"/tests/errors/*.xml \
             "$ROOT"/tests/fuzz/regressions/*; do
        [ -f "$f" ] || continue
        [ "$(wc -c < "$f")" -le "$MAXLEN" ] || continue
        cp "$f" "$C/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    done
    before=$(ls "$A" | wc -l)
    if ls "$ROOT"/tests/fuzz/regressions/* >/dev/null 2>&1; then
        if ! "$h" -runs=1 "$ROOT"/tests/fuzz/regressions/* > "$OUTD/$name-regressions.log" 2>&1; then
            echo "$name: a regression file fails again (see $OUTD/$name-regressions.log)"
            found=1
        fi
    fi
    echo "$name: fuzzing for $SECS s (max_len $MAXLEN, corpus $C)"
    "$h" "$C" -max_total_time="$SECS" -max_len="$MAXLEN" -timeout=10 -rss_limit_mb=1024 \
        -dict="$OUTD/xml.dict" -artifact_prefix="$A/" -print_final_stats=1 > "$OUTD/$name.log" 2>&1
    rc=$?
    stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$OUTD/$name.log" | tail -n 1)
    execs=$(grep '^stat::number_of_executed_units' "$OUTD/$name.log" | awk '{print $2}')
    speed=$(grep '^stat::average_exec_per_sec' "$OUTD/$name.log" | awk '{print $2}')
    peak=$(grep '^stat::peak_rss_mb' "$OUTD/$name.log" | awk '{print $2}')
    after=$(ls "$A" | wc -l)
    echo "$name: exit $rc, $execs runs ($speed/s), peak RSS $peak MB, corpus $(ls "$C" | wc -l) files"
    echo "    last status: $stats"
    if [ "$after" -gt "$before" ] || [ "$rc" -ne 0 ]; then
        found=1
        echo "    FOUND: $((after - before)) new artifact(s) in $A:"
        ls -t "$A" | head -n $((after - before)) | sed 's/^/      /'
        grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ALARM|out-of-memory' "$OUTD/$name.log" | head -5 | sed 's/^/    /'
    fi
done
exit $found
