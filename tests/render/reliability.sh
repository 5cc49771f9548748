#!/bin/sh
# What an unlucky user or an attacker meets: outputs that are inputs, FIFOs,
# signals and limits during the write, a batch short of file descriptors.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
R="$WORK/reliability"
rm -rf "$R"; mkdir -p "$R"

# An output that is one of the run's inputs is refused before any work: the data survives.
cp "$ROOT/data/ct-2021-card.xml" "$R/card.xml"
out=$(cd "$ROOT" && $VG "$BIN" render "$R/card.xml" -o "$R/card.xml" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/card.xml" "$ROOT/data/ct-2021-card.xml"
check "render card.xml -o card.xml: exit 2, the data file kept" $? "$rc $out"
ln "$R/card.xml" "$R/link.pdf"
out=$(cd "$ROOT" && $VG "$BIN" render "$R/card.xml" -o "$R/link.pdf" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/card.xml" "$ROOT/data/ct-2021-card.xml"
check "an output hard-linked to the data file: exit 2, the data kept" $? "$rc $out"
mkdir -p "$R/cards"; cp "$ROOT/data/states/alabama.xml" "$ROOT/data/states/alaska.xml" "$R/cards/"
out=$(cd "$ROOT" && $VG "$BIN" overview "$R/cards" -o "$R/cards/alabama.xml" 2>&1); rc=$?
[ $rc = 2 ] && cmp -s "$R/cards/alabama.xml" "$ROOT/data/states/alabama.xml"
check "overview DIR -o DIR/alabama.xml: exit 2, the card kept" $? "$rc $out"
exit 0
