#!/bin/sh
# Installs the Debian packages the build and tests need, when they are missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "installing:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || {
        echo "apt-get install failed for:$missing" >&2; exit 1; }
else
    echo "missing Debian packages; run this, then 'make demo' again:" >&2
    echo "  sudo apt-get install$missing" >&2
    exit 1
fi
