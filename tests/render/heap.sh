#!/bin/sh
# A render asks the kernel for the heap it will grow into in one step
# (main.c warm_heap: MADV_POPULATE_WRITE) instead of a page fault per page.
# Needs ROOT, BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
W="$WORK/heap"
mkdir -p "$W"
[ -z "$VG" ] || exit 0 # valgrind's allocator is not the C library's
out=$(cd "$ROOT" && env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -e trace=madvise "$BIN" render data/ct-2021-card.xml -o "$W/card.pdf" 2>&1)
bytes=$(printf '%s\n' "$out" | sed -n 's/^madvise(0x[0-9a-f]*, \([0-9]*\), MADV_POPULATE_WRITE) = .*/\1/p' | head -1)
[ -n "$bytes" ] && [ "$bytes" -ge 4000000 ] && [ -s "$W/card.pdf" ]
check "a card render makes ${bytes:-no} bytes of heap ready at once" $? "$out"
