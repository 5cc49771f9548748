#!/bin/sh
# The file's form, read by qpdf: a PDF 1.7 header; no cross-reference table
# but a cross-reference stream; every object that is not a stream packed in
# an object stream, object numbers without gaps; a trailer /ID of two equal
# 16-byte strings, the MD5 of the bytes before the cross-reference stream:
# the same for the same input, another one for another input.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
O="$WORK/objects"
mkdir -p "$O"

# form PDF: prints "ok", or what is wrong, and the /ID as hex on the last line.
form() {
    python3 - "$1" <<'PY'
import hashlib, json, re, subprocess, sys
path = sys.argv[1]
data = open(path, 'rb').read()
bad = []
def run(*args):
    return subprocess.run(['qpdf'] + list(args) + [path], capture_output=True, text=True).stdout
if not data.startswith(b'%PDF-1.7\n'):
    bad.append('header %r, not %%PDF-1.7' % data[:9])
if re.search(rb'(^|[\r\n])(xref|trailer)[\r\n]', data):
    bad.append('a cross-reference table or a trailer dictionary')
q = json.loads(run('--json=2', '--json-key=qpdf'))['qpdf'][1]
trailer = q['trailer']['value']
if trailer.get('/Type') != '/XRef':
    bad.append('the trailer is no cross-reference stream: %s' % sorted(trailer))
streams = {int(k.split()[0][4:]) for k, v in q.items() if k.startswith('obj:') and 'stream' in v}
allobj = {int(k.split()[0][4:]) for k in q if k.startswith('obj:')}
loose, packed = set(), set()
for line in run('--show-xref').splitlines():
    m = re.match(r'(\d+)/0: (uncompressed|compressed)', line)
    if m:
        (loose if m.group(2) == 'uncompressed' else packed).add(int(m.group(1)))
if not packed:
    bad.append('no object is in an object stream')
if loose != streams:
    bad.append('objects outside object streams that are not streams: %s' % sorted(loose - streams)[:10])
if allobj != set(range(1, trailer.get('/Size', 0))) or allobj != loose | packed:
    bad.append('object numbers with gaps or objects the cross-reference stream misses')
ids = trailer.get('/ID', [])
start = int(re.search(rb'startxref\s+(\d+)\s+%%EOF\s*$', data).group(1))
want = hashlib.md5(data[:start]).hexdigest()
if len(ids) != 2 or ids[0] != ids[1] or ids[0] != 'b:' + want:
    bad.append('/ID %s is not twice the MD5 of the bytes before the cross-reference stream (%s)' % (ids, want))
print('\n'.join(bad) or 'ok')
print(ids[0] if ids else '-')
PY
}

for doc in ct-2021-card tip-2021-annual; do
    (cd "$ROOT" && "$BIN" render "data/$doc.xml" -o "$O/$doc.pdf" 2>/dev/null)
    out=$(form "$O/$doc.pdf" 2>&1)
    [ "$(printf '%s\n' "$out" | head -n 1)" = ok ]
    check "$doc: PDF 1.7, objects packed in object streams, a cross-reference stream, /ID from the content" $? "$out"
done
id1=$(form "$O/ct-2021-card.pdf" | tail -n 1)
(cd "$ROOT" && "$BIN" render data/ct-2021-card.xml -o "$O/again.pdf" 2>/dev/null)
id2=$(form "$O/again.pdf" | tail -n 1)
[ "$id1" != - ] && [ "$id1" = "$id2" ]; check "the card's /ID is the same on a second run ($id2)" $?
sed 's/Policy goals accomplished/Policy goals achieved/' "$ROOT/data/ct-2021-card.xml" > "$O/changed.xml"
(cd "$ROOT" && "$BIN" render "$O/changed.xml" -o "$O/changed.pdf" 2>/dev/null)
id3=$(form "$O/changed.pdf" | tail -n 1)
[ "$id3" != - ] && [ "$id3" != "$id1" ]; check "a card with one word changed has another /ID ($id3)" $?
# Streams of every kind written beside the packed objects: PNG, JPEG.
(cd "$ROOT" && REPORTGEN_DATADIR="$ROOT" "$BIN" render tests/images/images.xml --root tests -o "$O/images.pdf" 2>/dev/null)
out=$(form "$O/images.pdf" 2>&1; qpdf --check "$O/images.pdf" 2>&1)
n=$(pdfimages -list "$O/images.pdf" 2>/dev/null | grep -c ' image \| jpeg ')
printf '%s\n' "$out" | head -n 1 | grep -qx ok && printf '%s\n' "$out" | grep -q 'No syntax or stream encoding errors' \
    && ! printf '%s\n' "$out" | grep -qi warning && [ "$n" = 3 ]
check "a document with a PNG and a JPEG: the same form, qpdf --check clean, 3 images drawn ($n)" $? "$out"
exit 0
