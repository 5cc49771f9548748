#!/usr/bin/env python3
"""Checks the archival parts of a PDF as a PDF/A-2 and PDF/UA-1 validator
would, reading it through qpdf's JSON (no other package needed):

  archival.py FILE.pdf [--plain]

One "ok - CHECK" or "not ok - CHECK: why" line per check; exit 0 when all
hold. The checks: the XMP metadata stream (uncompressed, well-formed XML,
pdfaid part 2 conformance A, pdfuaid part 1 with its pdfaExtension schema,
dc:language = /Lang, every Info entry repeated with the same value), the
sRGB output intent (GTS_PDFA1, an ICC profile of 3 components that says
so in its header), annotations printed and /PageLabels. With --plain: no XMP identification and
no output intent, page labels all the same."""
import base64
import datetime
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

results = []


def check(name, ok, why=""):
    results.append((name, bool(ok), why))


class Pdf:
    def __init__(self, path):
        out = subprocess.run(["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized", path],
                             capture_output=True, check=False)
        if out.returncode not in (0, 3):
            raise SystemExit("not ok - qpdf cannot read %s: %s" % (path, out.stderr.decode(errors="replace")))
        j = json.loads(out.stdout)
        self.objs = j["qpdf"][1]
        self.trailer = self.objs["trailer"]["value"]

    def get(self, v):
        """v with an indirect reference followed: a dict, a list, a scalar, or
        {"stream": ...} for a stream."""
        while isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
            o = self.objs.get("obj:" + v)
            if o is None:
                return None
            v = o.get("value", o)
        return v


def text(v):
    """A PDF string from qpdf's JSON as Python text."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        return b[2:].decode("utf-16-be") if b[:2] == b"\xfe\xff" else b.decode("latin-1")
    return v


def pdf_date(s):
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(Z|[+-]\d\d'?\d\d'?)?.*", s or "")
    if not m:
        return None
    y, mo, d, h, mi, se = (int(g) if g else dflt for g, dflt in zip(m.groups()[:6], (0, 1, 1, 0, 0, 0)))
    tz = m.group(7) or "Z"
    off = 0
    if tz[0] in "+-":
        digits = re.sub(r"\D", "", tz)
        off = (int(digits[:2]) * 60 + int(digits[2:4] or 0)) * (1 if tz[0] == "+" else -1)
    t = datetime.datetime(y, mo, d, h, mi, se, tzinfo=datetime.timezone(datetime.timedelta(minutes=off)))
    return t.astimezone(datetime.timezone.utc)


def xmp_date(s):
    try:
        return datetime.datetime.fromisoformat((s or "").replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    except ValueError:
        return None


def xmp_values(root):
    """The XMP properties this check compares, as text (None when absent)."""
    def one(path):
        e = root.find(path, NS)
        return None if e is None else (e.text or "")

    def alt(prop):
        for li in root.findall(".//%s/rdf:Alt/rdf:li" % prop, NS):
            if li.get(XML_LANG) == "x-default":
                return li.text or ""
        return None

    creators = [li.text or "" for li in root.findall(".//dc:creator/rdf:Seq/rdf:li", NS)]
    return {
        "Title": alt("dc:title"),
        "Author": ", ".join(creators) if creators else None,
        "Subject": alt("dc:description"),
        "Keywords": one(".//pdf:Keywords"),
        "Creator": one(".//xmp:CreatorTool"),
        "Producer": one(".//pdf:Producer"),
        "CreationDate": one(".//xmp:CreateDate"),
        "ModDate": one(".//xmp:ModifyDate"),
    }


def check_xmp(pdf, cat, plain):
    meta = pdf.get(cat.get("/Metadata"))
    if plain:
        claims = b""
        if meta and "stream" in meta:
            claims = base64.b64decode(meta["stream"].get("data", ""))
        check("no PDF/A or PDF/UA claim", b"pdfaid" not in claims and b"pdfuaid" not in claims)
        return
    if not (meta and "stream" in meta):
        check("XMP metadata stream on the catalog", False, "no /Metadata stream")
        return
    d = meta["stream"]["dict"]
    check("XMP metadata stream on the catalog", d.get("/Type") == "/Metadata" and d.get("/Subtype") == "/XML",
          "/Type %s /Subtype %s" % (d.get("/Type"), d.get("/Subtype")))
    check("XMP metadata not compressed", "/Filter" not in d, "/Filter %s" % d.get("/Filter"))
    raw = base64.b64decode(meta["stream"].get("data", ""))
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        check("XMP is well-formed XML", False, str(e))
        return
    check("XMP is well-formed XML", True)
    ids = (root.findtext(".//pdfaid:part", None, NS), root.findtext(".//pdfaid:conformance", None, NS),
           root.findtext(".//pdfuaid:part", None, NS))
    check("XMP says PDF/A-2a and PDF/UA-1", ids == ("2", "A", "1"), "part, conformance, pdfuaid: %s" % (ids,))
    ext = False
    for schema in root.findall(".//pdfaExtension:schemas/rdf:Bag/rdf:li", NS):
        if (schema.findtext("pdfaSchema:namespaceURI", None, NS) == NS["pdfuaid"] and
                schema.findtext("pdfaSchema:prefix", None, NS) == "pdfuaid" and
                "part" in [p.findtext("pdfaProperty:name", None, NS)
                           for p in schema.findall("pdfaSchema:property/rdf:Seq/rdf:li", NS)]):
            ext = True
    check("pdfuaid described by a pdfaExtension schema", ext)
    langs = [li.text for li in root.findall(".//dc:language/rdf:Bag/rdf:li", NS)]
    lang = text(cat.get("/Lang"))
    check("dc:language is the catalog's /Lang", langs == [lang], "%s vs %s" % (langs, lang))
    info = pdf.get(pdf.trailer.get("/Info")) or {}
    xv = xmp_values(root)
    bad = []
    for key, xval in xv.items():
        ival = text(info.get("/" + key))
        if key.endswith("Date"):
            same = (ival is None and xval is None) or (ival is not None and pdf_date(ival) is not None and
                                                      pdf_date(ival) == xmp_date(xval))
        else:
            same = ival == xval
        if not same:
            bad.append("%s: Info %r, XMP %r" % (key, ival, xval))
    check("XMP repeats every Info entry with the same value", not bad, "; ".join(bad))


def check_output_intent(pdf, cat, plain):
    ois = pdf.get(cat.get("/OutputIntents"))
    if plain:
        check("no output intent", not ois, "%s" % ois)
        return
    ois = ois or []
    pdfa = [pdf.get(o) for o in ois if (pdf.get(o) or {}).get("/S") == "/GTS_PDFA1"]
    check("one GTS_PDFA1 output intent", len(pdfa) == 1, "%d of %d" % (len(pdfa), len(ois)))
    if len(pdfa) != 1:
        return
    oi = pdfa[0]
    check("output intent names its condition", oi.get("/Type") == "/OutputIntent" and
          text(oi.get("/OutputConditionIdentifier")) == "sRGB IEC61966-2.1", "%s" % oi)
    prof = pdf.get(oi.get("/DestOutputProfile"))
    if not (prof and "stream" in prof):
        check("ICC profile: RGB, 3 components", False, "no /DestOutputProfile stream")
        return
    b = base64.b64decode(prof["stream"].get("data", ""))
    n = prof["stream"]["dict"].get("/N")
    ok = (n == 3 and len(b) >= 128 and int.from_bytes(b[0:4], "big") == len(b) and b[36:40] == b"acsp" and
          b[16:20] == b"RGB " and b[12:16] == b"mntr" and 2 <= b[8] <= 4)
    check("ICC profile: RGB, 3 components", ok, "/N %s, header %s" % (n, b[:40].hex()))


def check_annotations(pdf, cat, plain):
    """PDF/A (ISO 19005-2, 6.3.2): every annotation printed, none hidden."""
    if plain:
        return
    bad = total = 0
    pages, todo = [], [cat.get("/Pages")]
    while todo:
        node = pdf.get(todo.pop(0)) or {}
        if node.get("/Type") == "/Pages":
            todo = list(pdf.get(node.get("/Kids")) or []) + todo
        else:
            pages.append(node)
    for page in pages:
        for a in pdf.get(page.get("/Annots")) or []:
            f = int((pdf.get(a) or {}).get("/F", 0))
            total += 1
            bad += f & 4 == 0 or f & (1 | 2 | 32) != 0
    check("annotations printed", not bad, "%d of %d without the Print flag" % (bad, total))


def labels(pdf, cat, count):
    """Each page's label from /PageLabels (PDF 1.7, 12.4.2), or None."""
    pl = pdf.get(cat.get("/PageLabels"))
    if not pl:
        return None
    nums = pdf.get(pl.get("/Nums")) or []
    ranges = [(nums[i], pdf.get(nums[i + 1])) for i in range(0, len(nums) - 1, 2)]
    out = []
    for page in range(count):
        start, r = max((x for x in ranges if x[0] <= page), key=lambda x: x[0], default=(0, {}))
        n = r.get("/St", 1) + page - start
        style = r.get("/S")
        if style == "/D":
            num = str(n)
        elif style in ("/a", "/A"):
            num = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
            num = num.upper() if style == "/A" else num
        else:
            num = ""
        out.append(text(r.get("/P", "")) + num)
    return out


def main():
    path = sys.argv[1]
    plain = "--plain" in sys.argv[2:]
    pdf = Pdf(path)
    cat = pdf.get(pdf.trailer.get("/Root")) or {}
    check_xmp(pdf, cat, plain)
    check_output_intent(pdf, cat, plain)
    check_annotations(pdf, cat, plain)
    count = pdf.get(pdf.get(cat.get("/Pages")).get("/Count"))
    lab = labels(pdf, cat, count)
    check("page labels", lab is not None and len(lab) == count, "%s" % lab)
    for name, ok, why in results:
        print(("ok - %s" % name) if ok else ("not ok - %s: %s" % (name, why)))
    if lab is not None:
        print("labels: " + " ".join(x.replace(" ", "_") for x in lab))
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
