#!/usr/bin/env python3
"""A libFuzzer dictionary of the XML vocabulary in use: every element and
attribute name in the given files (data, layout documents, schemas,
templates), with the markup around them, and a few XML tokens.
    mkdict.py FILE... > out.dict"""
import re
import sys

names, attrs, values = set(), set(), set()
for path in sys.argv[1:]:
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        continue
    names.update(re.findall(r"<([A-Za-z][\w.-]*)", text))
    attrs.update(re.findall(r"\s([A-Za-z][\w.-]*)=\"", text))
    # names a schema or a template declares: element and attribute names
    names.update(re.findall(r'<xs:element[^>]*\sname="([\w.-]+)"', text))
    attrs.update(re.findall(r'<xs:attribute[^>]*\sname="([\w.-]+)"', text))
    names.update(re.findall(r'<xsl:element[^>]*\sname="([\w.-]+)"', text))
    attrs.update(re.findall(r'<xsl:attribute[^>]*\sname="([\w.-]+)"', text))
    for v in re.findall(r'="([^"{}$]{1,24})"', text):
        values.add(v)

def q(s):
    """libFuzzer's dictionary syntax: printable ASCII, the rest as \\xHH."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\x%02X" % b)
    return '"' + "".join(out) + '"'

out = []
for n in sorted(names):
    if ":" in n:
        continue
    out += [q("<%s>" % n), q("</%s>" % n), q("<%s " % n)]
for a in sorted(attrs):
    if ":" not in a:
        out.append(q(' %s="' % a))
for v in sorted(values)[:400]:
    if all(32 <= ord(c) < 127 for c in v):
        out.append(q(v))
out += [q(t) for t in ('<?xml version="1.0" encoding="UTF-8"?>', "<!--", "-->", "<![CDATA[", "]]>",
                        "&amp;", "&lt;", "&#x", "&#", "/>", "xmlns=\"", "\u00a0", "pt", "mm", "%",
                        "#ff0000", "yes", "no", "1e400", "NaN", "-0", "\u00e9", "\u2014", "\U0001F600")]
seen = set()
for line in out:
    if line not in seen:
        seen.add(line)
        print(line)
