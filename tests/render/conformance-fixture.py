#!/usr/bin/python3
"""A small PDF that is PDF/UA-1 and PDF/A-2a as far as conformance.py can
tell, and copies of it each damaged in one way, for tests/render/conformance.sh.

    conformance-fixture.py good OUT.pdf          the conforming file
    conformance-fixture.py damage NAME IN OUT    IN with one thing broken
    conformance-fixture.py damage-all IN DIR     every damage, as DIR/NAME.pdf
    conformance-fixture.py names                 the damages, one a line

The good file is built here with pikepdf, not by reportgen, so the checker is
known to pass a file that has everything: a heading H1 then H2, a paragraph
with a link (Link element, OBJR, /StructParent, /Contents), a figure with
alternate text, a table (THead and TBody, TH with /Scope), a list (LI with
Lbl and LBody), an artifact, a Lato subset (Type0, Identity-H, ToUnicode),
a page label (7), XMP with PDF/A and PDF/UA identification that agrees with the Info
dictionary, and an sRGB output intent (its profile made by LittleCMS through
Pillow). Run with /usr/bin/python3 (Debian's, with pikepdf).
"""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FONT = os.path.join(ROOT, "fonts", "Lato-Regular.ttf")
TITLE = "Conformance fixture"
PRODUCER = "conformance-fixture.py"
TEXT = {
    0: "Annual report",                  # H1
    1: "Read the ",                      # P
    2: "full statute",                   # Link inside the P
    3: "Arrests by year",                # H2
    5: "Year", 6: "Arrests",             # TH TH
    7: "2014", 8: "21",                  # TD TD
    9: "1.", 10: "First finding",        # Lbl LBody
}


# ---- the font: glyph ids and advances from Lato's cmap and hmtx -------------

def tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag.decode()] = data[off:off + length]
    return out


def cmap4(cmap):
    """{code point: glyph id} from the Windows Unicode BMP subtable (format 4)."""
    n = struct.unpack(">H", cmap[2:4])[0]
    for i in range(n):
        plat, enc, off = struct.unpack(">HHI", cmap[4 + 8 * i:12 + 8 * i])
        if (plat, enc) == (3, 1):
            t = cmap[off:]
            segs = struct.unpack(">H", t[6:8])[0] // 2
            end = struct.unpack(f">{segs}H", t[14:14 + 2 * segs])
            base = 16 + 2 * segs
            start = struct.unpack(f">{segs}H", t[base:base + 2 * segs])
            delta = struct.unpack(f">{segs}h", t[base + 2 * segs:base + 4 * segs])
            ro_at = base + 4 * segs
            ro = struct.unpack(f">{segs}H", t[ro_at:ro_at + 2 * segs])
            m = {}
            for s in range(segs):
                for c in range(start[s], end[s] + 1):
                    if c == 0xFFFF:
                        continue
                    if ro[s] == 0:
                        g = (c + delta[s]) & 0xFFFF
                    else:
                        at = ro_at + 2 * s + ro[s] + 2 * (c - start[s])
                        g = struct.unpack(">H", t[at:at + 2])[0]
                        g = (g + delta[s]) & 0xFFFF if g else 0
                    m[c] = g
            return m
    raise SystemExit("conformance-fixture.py: Lato has no Windows Unicode cmap")


def font_objects(pdf):
    data = open(FONT, "rb").read()
    t = tables(data)
    upem = struct.unpack(">H", t["head"][18:20])[0]
    nmetrics = struct.unpack(">H", t["hhea"][34:36])[0]
    hmtx = t["hmtx"]
    cmap = cmap4(t["cmap"])
    chars = sorted(set("".join(TEXT.values())))

    def advance(g):
        g = min(g, nmetrics - 1)
        return struct.unpack(">H", hmtx[4 * g:4 * g + 2])[0] * 1000 // upem

    gids = {c: cmap[ord(c)] for c in chars}
    # hb-subset keeps the glyph ids, so codes stay glyph ids; without it the
    # whole font is embedded.
    program = data
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "sub.ttf")
        r = subprocess.run(["hb-subset", FONT, "".join(chars), "--retain-gids", "--no-hinting",
                            "-o", out], capture_output=True)
        if r.returncode == 0 and os.path.getsize(out) > 0:
            program = open(out, "rb").read()
    ff = pikepdf.Stream(pdf, zlib.compress(program))
    ff.Filter = Name.FlateDecode
    ff.Length1 = len(program)
    desc = pdf.make_indirect(Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/ABCDEF+Lato-Regular"), Flags=4,
        FontBBox=Array([-150, -250, 1100, 1000]), ItalicAngle=0, Ascent=987, Descent=-213,
        CapHeight=723, StemV=87, FontFile2=ff))
    w = Array()
    for c in chars:
        w.extend([gids[c], Array([advance(gids[c])])])
    cid = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/ABCDEF+Lato-Regular"),
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        FontDescriptor=desc, W=w, CIDToGIDMap=Name.Identity, DW=500))
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
             f"{len(chars)} beginbfchar"]
    lines += [f"<{gids[c]:04X}> <{ord(c):04X}>" for c in chars]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    tu = pikepdf.Stream(pdf, "\n".join(lines).encode())
    font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/ABCDEF+Lato-Regular"),
        Encoding=Name("/Identity-H"), DescendantFonts=Array([cid]), ToUnicode=tu))
    return font, lambda s: "".join(f"{gids[c]:04X}" for c in s)


# ---- the document -----------------------------------------------------------

def xmp(title=TITLE, producer=PRODUCER, created="2021-11-01T00:00:00Z", ua=True, dc_title=True,
        part="2", conformance="A", extension=True):
    ext = """
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>""" if extension else ""
    t = f"""
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>""" \
        if dc_title else ""
    u = "\n   <pdfuaid:part>1</pdfuaid:part>" if ua else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">{t}
   <dc:language><rdf:Bag><rdf:li>en-US</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdfaid:part>{part}</pdfaid:part>
   <pdfaid:conformance>{conformance}</pdfaid:conformance>{u}{ext}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def set_xmp(pdf, data, compress=False):
    s = pikepdf.Stream(pdf, zlib.compress(data) if compress else data)
    if compress:
        # qpdf writes a stream of /Type /Metadata uncompressed, whatever it
        # was: without the type it stays as it is
        s.Filter = Name.FlateDecode
    else:
        s.Type = Name.Metadata
        s.Subtype = Name.XML
    pdf.Root.Metadata = pdf.make_indirect(s)


def srgb_profile():
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def good(path):
    pdf = pikepdf.new()
    font, enc = font_objects(pdf)
    page = pdf.add_blank_page(page_size=(612, 792))
    p = page.obj
    p.Resources = Dictionary(Font=Dictionary(F1=font))

    def text(mcid, tag, x, y, size):
        return (f"/{tag} <</MCID {mcid}>> BDC BT /F1 {size} Tf {x} {y} Td <{enc(TEXT[mcid])}> Tj ET EMC\n")
    content = ("/Artifact BMC 0.5 0.5 0.5 RG 72 760 m 540 760 l S EMC\n"
               + text(0, "H1", 72, 720, 24) + text(1, "P", 72, 690, 12) + text(2, "Link", 130, 690, 12)
               + text(3, "H2", 72, 650, 16)
               + "/Figure <</MCID 4>> BDC 0 0 1 rg 72 560 100 60 re f EMC\n"
               + text(5, "TH", 72, 520, 12) + text(6, "TH", 200, 520, 12)
               + text(7, "TD", 72, 500, 12) + text(8, "TD", 200, 500, 12)
               + text(9, "Lbl", 72, 460, 12) + text(10, "LBody", 90, 460, 12))
    p.Contents = pdf.make_stream(content.encode())
    p.StructParents = 0
    p.Tabs = Name.S

    def elem(s, parent, k, **extra):
        e = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + s), P=parent, Pg=p,
                                         K=k, **extra))
        return e
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    doc = elem("Document", root, Array())
    root.K = Array([doc])
    by_mcid = {}

    def leaf(s, parent, mcid, **extra):
        e = elem(s, parent, Array([mcid]), **extra)
        by_mcid[mcid] = e
        parent.K.append(e)
        return e
    leaf("H1", doc, 0)
    para = leaf("P", doc, 1)
    annot = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([130, 686, 200, 702]), Border=Array([0, 0, 0]),
        F=4, Contents=String("Read the full statute"), StructParent=1,
        A=Dictionary(S=Name.URI, URI=String("https://example.org/statute"))))
    link = leaf("Link", para, 2)
    link.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=p))
    leaf("H2", doc, 3)
    leaf("Figure", doc, 4, Alt=String("A blue rectangle, the figure of this fixture"))
    table = elem("Table", doc, Array())
    doc.K.append(table)
    thead = elem("THead", table, Array())
    tbody = elem("TBody", table, Array())
    table.K.extend([thead, tbody])
    tr1 = elem("TR", thead, Array())
    tr2 = elem("TR", tbody, Array())
    thead.K.append(tr1)
    tbody.K.append(tr2)
    scope = Dictionary(O=Name.Table, Scope=Name.Column)
    leaf("TH", tr1, 5, A=scope)
    leaf("TH", tr1, 6, A=Dictionary(O=Name.Table, Scope=Name.Column))
    leaf("TD", tr2, 7)
    leaf("TD", tr2, 8)
    lst = elem("L", doc, Array())
    doc.K.append(lst)
    li = elem("LI", lst, Array())
    lst.K.append(li)
    leaf("Lbl", li, 9)
    leaf("LBody", li, 10)
    root.ParentTree = Dictionary(Nums=Array([0, Array([by_mcid[i] for i in range(11)]), 1, link]))
    root.ParentTreeNextKey = 2
    p.Annots = Array([annot])

    cat = pdf.Root
    cat.StructTreeRoot = root
    cat.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, St=7)]))
    cat.MarkInfo = Dictionary(Marked=True)
    cat.Lang = String("en-US")
    cat.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    icc = pikepdf.Stream(pdf, srgb_profile())
    icc.N = 3
    cat.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
        Info=String("sRGB IEC61966-2.1"), DestOutputProfile=pdf.make_indirect(icc))])
    set_xmp(pdf, xmp())
    pdf.trailer.Info = pdf.make_indirect(Dictionary(
        Title=String(TITLE), Producer=String(PRODUCER), CreationDate=String("D:20211101000000Z")))
    save(pdf, path)


def save(pdf, path, version="1.7", **kw):
    # fix_metadata_version off: pikepdf would rewrite the XMP itself
    pdf.save(path, force_version=version, static_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             compress_streams=True, fix_metadata_version=False, **kw)


# ---- damages --------------------------------------------------------------
# Each takes the open good file and breaks one thing; one returning bytes
# patches the saved file instead (what qpdf would not write).

def find(pdf, s):
    for e in walk(pdf.Root.StructTreeRoot.K):
        if e.S == Name("/" + s):
            return e
    raise KeyError(s)


def walk(k):
    if isinstance(k, Array):
        for x in k:
            yield from walk(x)
    elif isinstance(k, Dictionary) and "/S" in k:
        yield k
        yield from walk(k.get("/K"))


def annot(pdf):
    return pdf.pages[0].obj.Annots[0]


def content(pdf, change):
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(change(page.Contents.read_bytes().decode()).encode())


def font(pdf):
    return pdf.pages[0].obj.Resources.Font.F1


def info(pdf, k, v):
    pdf.trailer.Info[k] = String(v)


DAMAGES = {
    "figure-alt": lambda pdf: find(pdf, "Figure").__delitem__("/Alt"),
    "link-structparent": lambda pdf: annot(pdf).__delitem__("/StructParent"),
    "link-objr": lambda pdf: find(pdf, "Link").__setitem__("/K", Array([2])),
    "link-contents": lambda pdf: annot(pdf).__delitem__("/Contents"),
    "untagged-paint": lambda pdf: content(pdf, lambda c: c + "0 0 0 rg 10 10 5 5 re f\n"),
    "artifact-in-tagged": lambda pdf: content(pdf, lambda c: c.replace(
        "0 0 1 rg 72 560 100 60 re f", "0 0 1 rg 72 560 100 60 re f /Artifact BMC 80 560 m 90 570 l S EMC")),
    "tagged-in-artifact": lambda pdf: content(pdf, lambda c: c.replace(
        "/Artifact BMC 0.5 0.5 0.5 RG 72 760 m 540 760 l S EMC",
        "/Artifact BMC 0.5 0.5 0.5 RG 72 760 m 540 760 l S /P <</MCID 11>> BDC 1 1 m 2 2 l S EMC EMC")),
    "unknown-mcid": lambda pdf: content(pdf, lambda c: c + "/P <</MCID 12>> BDC 1 1 m 2 2 l S EMC\n"),
    "unbalanced": lambda pdf: content(pdf, lambda c: c + "/Artifact BMC\n"),
    "heading-skip": lambda pdf: find(pdf, "H2").__setitem__("/S", Name.H3),
    "heading-first": lambda pdf: find(pdf, "H1").__setitem__("/S", Name.H2),
    "heading-two-h": lambda pdf: (find(pdf, "H1").__setitem__("/S", Name.H),
                                  find(pdf, "H2").__setitem__("/S", Name.H)),
    "heading-mixed": lambda pdf: find(pdf, "H2").__setitem__("/S", Name.H),
    "nonstandard-type": lambda pdf: find(pdf, "Figure").__setitem__("/S", Name.Chart),
    "rolemap-circular": lambda pdf: (
        pdf.Root.StructTreeRoot.__setitem__("/RoleMap", Dictionary(Chart=Name.Graph, Graph=Name.Chart)),
        find(pdf, "Figure").__setitem__("/S", Name.Chart)),
    "rolemap-standard": lambda pdf: pdf.Root.StructTreeRoot.__setitem__(
        "/RoleMap", Dictionary(P=Name.Span)),
    "table-cell": lambda pdf: find(pdf, "TD").__setitem__("/S", Name.P),
    "table-row": lambda pdf: find(pdf, "TR").__setitem__("/S", Name.Div),
    "th-scope": lambda pdf: find(pdf, "TH").__delitem__("/A"),
    "list-item": lambda pdf: find(pdf, "Lbl").__setitem__("/S", Name.P),
    "list-l": lambda pdf: find(pdf, "LI").__setitem__("/S", Name.Div),
    "tabs-missing": lambda pdf: pdf.pages[0].obj.__delitem__("/Tabs"),
    "tabs-row": lambda pdf: pdf.pages[0].obj.__setitem__("/Tabs", Name.R),
    "annot-flags": lambda pdf: annot(pdf).__setitem__("/F", 0),
    "tounicode": lambda pdf: font(pdf).__delitem__("/ToUnicode"),
    "font-program": lambda pdf: font(pdf).DescendantFonts[0].FontDescriptor.__delitem__("/FontFile2"),
    "cidtogidmap": lambda pdf: font(pdf).DescendantFonts[0].__delitem__("/CIDToGIDMap"),
    "markinfo": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "suspects": lambda pdf: pdf.Root.MarkInfo.__setitem__("/Suspects", True),
    "lang": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "displaydoctitle-missing": lambda pdf: pdf.Root.__delitem__("/ViewerPreferences"),
    "displaydoctitle-false": lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False),
    "info-title-missing": lambda pdf: pdf.trailer.Info.__delitem__("/Title"),
    "xmp-missing": lambda pdf: pdf.Root.__delitem__("/Metadata"),
    "xmp-broken": lambda pdf: set_xmp(pdf, b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><unclosed>"),
    "xmp-no-pdfua": lambda pdf: set_xmp(pdf, xmp(ua=False, extension=False)),
    "xmp-no-title": lambda pdf: set_xmp(pdf, xmp(dc_title=False)),
    "xmp-compressed": lambda pdf: set_xmp(pdf, xmp(), compress=True),
    "xmp-pdfa-part": lambda pdf: set_xmp(pdf, xmp(part="1")),
    "xmp-pdfa-conformance": lambda pdf: set_xmp(pdf, xmp(conformance="B")),
    "xmp-no-extension": lambda pdf: set_xmp(pdf, xmp(extension=False)),
    "title-disagrees": lambda pdf: info(pdf, "/Title", "Another title"),
    "producer-disagrees": lambda pdf: info(pdf, "/Producer", "Another producer"),
    "date-disagrees": lambda pdf: info(pdf, "/CreationDate", "D:20211102000000Z"),
    "outputintent-missing": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
    "outputintent-cmyk": lambda pdf: pdf.Root.OutputIntents[0].DestOutputProfile.__setitem__("/N", 4),
    "javascript": lambda pdf: pdf.Root.__setitem__("/OpenAction", Dictionary(
        S=Name.JavaScript, JS=String("app.alert(1)"))),
    "version": "1.3",
    "version-15": "1.5",
    "encrypted": "encrypt",
    "no-accessibility": "encrypt-deny",
    "trailer-id": b"/ID",
    "binary-comment": b"%\xbf",
}


def damage(name, src, dst):
    what = DAMAGES[name]
    with pikepdf.open(src) as pdf:
        if callable(what):
            what(pdf)
            save(pdf, dst)
        elif what == "encrypt":
            save(pdf, dst, encryption=pikepdf.Encryption(owner="owner", user="", R=4, metadata=False))
        elif what == "encrypt-deny":
            # qpdf lets accessibility be denied with revision 3 only
            save(pdf, dst, encryption=pikepdf.Encryption(
                owner="owner", user="", R=3, aes=False, metadata=False,
                allow=pikepdf.Permissions(accessibility=False, extract=False)))
        elif isinstance(what, str):
            save(pdf, dst, version=what)
        else:
            save(pdf, dst)
    if isinstance(what, bytes):
        # qpdf always writes these: blank them in place, offsets unchanged
        data = open(dst, "rb").read()
        if what == b"/ID":
            at = data.rindex(b"/ID")
            end = data.index(b"]", at) + 1
        else:
            at = data.index(what)
            end = data.index(b"\n", at)
        data = data[:at] + b" " * (end - at) + data[end:]
        if what != b"/ID":
            data = data[:at] + b"%" + data[at + 1:]
        open(dst, "wb").write(data)


def main(argv):
    if argv[:1] == ["good"] and len(argv) == 2:
        good(argv[1])
    elif argv[:1] == ["damage"] and len(argv) == 4:
        damage(argv[1], argv[2], argv[3])
    elif argv[:1] == ["damage-all"] and len(argv) == 3:
        for name in DAMAGES:
            damage(name, argv[1], os.path.join(argv[2], name + ".pdf"))
    elif argv == ["names"]:
        print("\n".join(DAMAGES))
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
