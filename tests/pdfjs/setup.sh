#!/bin/sh
# Installs pdf.js (npm pdfjs-dist, its legacy build runs in Node) under
# out/npm for the tests that read our PDFs as a browser does. Does nothing
# when it is there already; says what is wrong and fails when it cannot.
#   tests/pdfjs/setup.sh            prints nothing on success
VERSION=4.10.38
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST="$ROOT/out/npm"
STAMP="$DEST/pdfjs-$VERSION.stamp"
[ -f "$STAMP" ] && exit 0
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "tests/pdfjs/setup.sh: node and npm (Node 18 or later) are needed to read PDFs with pdf.js;" >&2
    echo "  install them from nodejs.org or your distribution, then run the tests again" >&2
    exit 1
fi
mkdir -p "$DEST" || exit 1
# Optional dependencies are a canvas for drawing pages: reading text and
# structure does not need them.
if ! log=$(npm install --prefix "$DEST" "pdfjs-dist@$VERSION" --omit=optional \
        --no-audit --no-fund --no-update-notifier --silent 2>&1); then
    echo "tests/pdfjs/setup.sh: npm install pdfjs-dist@$VERSION failed:" >&2
    printf '%s\n' "$log" | tail -20 >&2
    exit 1
fi
[ -f "$DEST/node_modules/pdfjs-dist/legacy/build/pdf.mjs" ] || {
    echo "tests/pdfjs/setup.sh: npm said nothing, but pdfjs-dist is not in $DEST" >&2; exit 1; }
: > "$STAMP"
