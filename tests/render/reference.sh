#!/bin/sh
# Each document kind's data reference (templates/KIND/README.md) names every
# element and attribute its schema declares, so a person can write a document
# without reading the XSD. The checker itself must notice a missing name.
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
for xsd in "$ROOT"/templates/*/schema.xsd; do
    kind=$(basename "$(dirname "$xsd")")
    out=$(python3 "$ROOT/tests/render/reference.py" "$xsd" "$ROOT/templates/$kind/README.md" 2>&1)
    check "templates/$kind/README.md describes every element and attribute of its schema" $? "$out"
done
# A reference that leaves out one attribute and one element is caught.
cat > "$WORK/ref.xsd" <<'X'
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="memo"><xs:complexType><xs:sequence>
    <xs:element name="to" type="xs:string"/></xs:sequence>
    <xs:attribute name="date" type="xs:date"/></xs:complexType></xs:element>
</xs:schema>
X
printf '# memo\n`memo` holds a `<to>` line.\n' > "$WORK/ref-ok.md"
printf '# memo\n`memo` holds a to line.\n' > "$WORK/ref-bad.md"
out=$(python3 "$ROOT/tests/render/reference.py" "$WORK/ref.xsd" "$WORK/ref-bad.md" 2>&1); rc=$?
[ $rc = 1 ] && printf '%s\n' "$out" | grep -q "element 'to'" && printf '%s\n' "$out" | grep -q "attribute 'date'"
check "a reference missing an element and an attribute fails, naming both" $? "$out"
# a name shown only in an example (a fenced code block) is not described
printf '```xml\n<memo date="2021-11-01"/>\n```\n' >> "$WORK/ref-ok.md"
out=$(python3 "$ROOT/tests/render/reference.py" "$WORK/ref.xsd" "$WORK/ref-ok.md" 2>&1); rc=$?
[ $rc = 1 ] && printf '%s\n' "$out" | grep -q "attribute 'date'"
check "a name only in an example's code block does not count" $? "$out"
printf ' `date="2021-11-01"`\n' >> "$WORK/ref-ok.md"
out=$(python3 "$ROOT/tests/render/reference.py" "$WORK/ref.xsd" "$WORK/ref-ok.md" 2>&1)
check "a complete reference passes" $? "$out"
