#!/bin/sh
# make bench's per-process rows (tests/bench/pairs.py): ours and the peer's
# runs alternate, and each row shows both sides' bytes. A stand-in peer
# (a Node script that copies a known file) and a wrapper around our binary
# log the order of the runs.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
command -v node >/dev/null || { echo "ok - bench pairs: skipped, no node"; exit 0; }
B="$WORK/bench-pairs"
mkdir -p "$B/typst" "$B/data" "$B/tmp"
printf 'x%.0s' $(seq 1 777) > "$B/peer.pdf"
cat > "$B/typst/render.js" <<JS
const fs = require('fs');
const [mode, a, b] = process.argv.slice(2);
fs.appendFileSync('$B/order', 'T');
if (mode === 'batch') { fs.mkdirSync(b, { recursive: true }); fs.copyFileSync('$B/peer.pdf', b + '/one.pdf'); }
else fs.copyFileSync('$B/peer.pdf', a);
JS
cat > "$B/ours" <<SH
#!/bin/sh
printf O >> "$B/order"
exec "$BIN" "\$@"
SH
chmod +x "$B/ours"
out=$(cd "$ROOT" && python3 tests/bench/pairs.py "$B/ours" "$ROOT" "$B/tmp" --pairs 2 --typst "$B/typst/render.js" 2>&1); rc=$?
order=$(cat "$B/order" 2>/dev/null)
# per row: one warm-up each, then O T O T, then one more of ours for the peak RSS
[ $rc = 0 ] && [ "$order" = "OTOTOTOOTOTOTOOTOTOTO" ]
check "bench: ours and the peer's runs alternate in every row (order $order)" $? "$out"
card=$(printf '%s\n' "$out" | awk '$1 == "card"')
set -- $card
[ "$#" = 8 ] && [ "$7" = "$(stat -c %s "$B/tmp/ours-card.pdf")" ] && [ "$8" = 777 ]
check "bench: the card's row gives our bytes and the peer's ($card)" $? "$out"
out=$(cd "$ROOT" && python3 tests/bench/pairs.py "$BIN" "$ROOT" "$B/tmp" --pairs 0 2>&1); rc=$?
[ $rc != 0 ] && printf '%s\n' "$out" | grep -q 'at least 1'
check "bench: --pairs 0 is refused" $? "$out"
