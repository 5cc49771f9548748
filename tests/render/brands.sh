#!/bin/sh
# The theme of a document that names none: its organisation's brand from
# templates/common/brands.xml, else neutral; the data's theme wins over both.
# Shown by layout traces: a render equals the one with that --theme.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
trace() { (cd "$ROOT" && $VG "$BIN" render "$@" --format trace -o - 2>/dev/null); }
same() { # $1 label, $2 data file, $3 the theme it must be set in
    a=$(trace "$2"); b=$(trace "$2" --theme "$3")
    [ -n "$a" ] && [ "$a" = "$b" ]; check "$1: set in '$3'" $?
}
sed 's|<organization>Shared Hope International</organization>|<organization>Northfield Youth Alliance</organization>|' \
    "$ROOT/data/tx-2025-card.xml" > "$WORK/brand-card.xml"
sed 's|<report-card |<report-card theme="neutral" |' "$ROOT/data/tx-2025-card.xml" > "$WORK/brand-card-themed.xml"
same "a Shared Hope card" data/tx-2025-card.xml sharedhope
same "a card of an organisation brands.xml does not list" "$WORK/brand-card.xml" neutral
same "a card whose data names a theme" "$WORK/brand-card-themed.xml" neutral
same "the Connecticut annual report (its commission's assembly)" data/tip-2021-annual.xml general-assembly
same "an agency's annual report" data/northfield-fy2021-annual.xml neutral
a=$(trace data/tx-2025-card.xml); b=$(trace "$WORK/brand-card.xml")
[ "$a" != "$b" ]; check "the two cards differ only by organisation yet are set differently" $?
