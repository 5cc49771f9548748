#!/usr/bin/python3
"""The machine-checkable failure conditions of PDF/UA-1 (Matterhorn Protocol
1.1) and of PDF/A-2a (ISO 19005-2), checked on finished PDFs.

    conformance.py [--standard a2|none] FILE.pdf...

Each failure is one line, `FILE: [matterhorn 14-003] text (where)` or
`FILE: [pdfa 6.1.3] ...`, where is a page, an object or an operator of a
page's content. Exit 1 when anything fails, 2 when a file cannot be read.
`--standard none` leaves out what only PDF/A asks (XMP identification and
its agreement with the Info dictionary, the OutputIntent, the trailer /ID,
encryption, JavaScript, the header's version above 1.4).

veraPDF, the reference validator, is not installable here; these checks are
written from the published protocol and standards. They read the file with
pikepdf (qpdf), so run this with Debian's /usr/bin/python3.
"""
import datetime
import re
import sys
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# ISO 32000-1 14.8.4: the standard structure types.
STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead
TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
Warichu WT WP Figure Formula Form""".split())

# Operators that put marks on the page (ISO 32000-1 8.2, 9.4.3, 8.8, 8.9.7).
PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*",
         "sh", "Do", "INLINE IMAGE", "BI"}

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


class Report:
    def __init__(self, name):
        self.name = name
        self.failures = []

    def fail(self, rule, text, where=None):
        line = f"{self.name}: [{rule}] {text}"
        if where:
            line += f" ({where})"
        self.failures.append(line)


def objname(o):
    """`object 12 0` for an indirect object, or None for a direct one."""
    try:
        if o.is_indirect:
            return f"object {o.objgen[0]} {o.objgen[1]}"
    except AttributeError:
        pass
    return None


def key(o):
    """An identity for a PDF object that survives pikepdf's re-wrapping."""
    try:
        if o.is_indirect:
            return ("i",) + tuple(o.objgen)
    except AttributeError:
        pass
    return ("d", id(o))


def text_of(s):
    try:
        return str(s)
    except Exception:
        return ""


def number_tree(node, out, seen=None):
    """Flattens a number tree (ISO 32000-1 7.9.7) into {int: value}."""
    seen = seen if seen is not None else set()
    if node is None or key(node) in seen:
        return out
    seen.add(key(node))
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        number_tree(kid, out, seen)
    return out


# ---- structure tree -------------------------------------------------------

class Struct:
    """The structure tree read once: every element reachable from the root in
    document order, its standard type after role mapping, its parent."""

    def __init__(self, pdf, rep):
        self.rep = rep
        self.root = pdf.Root.get("/StructTreeRoot")
        self.rolemap = {}
        self.elems = []          # (elem, std type or None, parent elem or None)
        self.by_key = {}         # key -> (elem, std, parent)
        self.mcids = {}          # (page key, mcid) -> elem
        self.objrs = {}          # annotation key -> elem
        if self.root is None:
            return
        rm = self.root.get("/RoleMap")
        if isinstance(rm, Dictionary):
            for k in rm.keys():
                self.rolemap[k[1:]] = rm[k]
        self.check_rolemap()
        self.walk(self.root.get("/K"), None, None, set())
        self.parent_tree = number_tree(self.root.get("/ParentTree"), {})

    def check_rolemap(self):
        cycles = set()
        for src in sorted(self.rolemap):
            if src in STANDARD:
                self.rep.fail("matterhorn 02-004", f"the standard type /{src} is role-mapped to "
                              f"{self.rolemap[src]}", "RoleMap")
            else:
                self.std(src, cycles)

    def std(self, s, cycles=None):
        """The standard type s maps to, or None (circular or unmapped); with
        cycles (a set of the cycles said already), says why."""
        report = cycles is not None
        seen = []
        while s not in STANDARD:
            if s in seen:
                cycle = frozenset(seen[seen.index(s):])
                if report and cycle not in cycles:
                    cycles.add(cycle)
                    self.rep.fail("matterhorn 02-003", "circular role mapping: "
                                  + " -> ".join("/" + x for x in seen + [s]), "RoleMap")
                return None
            seen.append(s)
            nxt = self.rolemap.get(s)
            if not isinstance(nxt, Name):
                if report:
                    self.rep.fail("matterhorn 02-001", f"/{seen[0]} is mapped to no standard type",
                                  "RoleMap")
                return None
            s = str(nxt)[1:]
        return s

    def walk(self, k, parent, page, seen):
        if k is None:
            return
        if isinstance(k, Array):
            for kid in k:
                self.walk(kid, parent, page, seen)
            return
        if isinstance(k, int):
            if page is not None and parent is not None:
                self.mcids[(key(page), k)] = parent
            return
        if not isinstance(k, Dictionary):
            return
        t = k.get("/Type")
        if t == Name.MCR:
            pg = k.get("/Pg", page)
            if pg is not None and "/MCID" in k:
                self.mcids[(key(pg), int(k.MCID))] = parent
            return
        if t == Name.OBJR:
            if "/Obj" in k:
                self.objrs[key(k.Obj)] = parent
            return
        if "/S" not in k:
            return
        if key(k) in seen:
            return
        seen.add(key(k))
        s = str(k.S)[1:]
        std = s if s in STANDARD else self.std(s)
        if std is None and s not in self.rolemap:
            self.rep.fail("matterhorn 02-001", f"structure type /{s} is neither standard nor "
                          "role-mapped", objname(k))
        entry = (k, std, parent)
        self.elems.append(entry)
        self.by_key[key(k)] = entry
        self.walk(k.get("/K"), k, k.get("/Pg", page), seen)

    def std_of(self, elem):
        e = self.by_key.get(key(elem)) if elem is not None else None
        return e[1] if e else None


def attr(elem, owner, name):
    """An attribute of elem from its /A dictionaries of the given owner."""
    a = elem.get("/A")
    if a is None:
        return None
    for d in (a if isinstance(a, Array) else [a]):
        if isinstance(d, Dictionary) and d.get("/O") == owner and name in d:
            return d[name]
    return None


def check_structure(st, rep):
    kids = {}
    for elem, std, parent in st.elems:
        kids.setdefault(key(parent) if parent is not None else None, []).append((elem, std))

    def children(elem):
        return kids.get(key(elem), [])

    def where(elem, std):
        # the element's type and object: `TH object 31 0`
        return f"{std or elem.S} {objname(elem) or ''}".strip()

    headings = []
    plain_h = numbered_h = False
    uses_headers = any(attr(e, Name.Table, "/Headers") is not None
                       for e, s, _ in st.elems if s in ("TD", "TH"))
    for elem, std, parent in st.elems:
        pstd = st.std_of(parent) if parent is not None else None
        kstd = [s for _, s in children(elem)]
        if std and re.fullmatch(r"H[1-6]", std):
            numbered_h = True
            headings.append((int(std[1]), elem))
        elif std == "H":
            plain_h = True
        if std in ("Figure", "Formula"):
            alt = text_of(elem.get("/Alt", "")) or text_of(elem.get("/ActualText", ""))
            if not alt.strip():
                rule = "matterhorn 13-004" if std == "Figure" else "matterhorn 17-002"
                rep.fail(rule, f"{std} has no alternate text (/Alt)", where(elem, std))
        # ISO 32000-1 Table 337 (tables), 336 (lists), 333 (TOC)
        if std == "Table":
            for s in kstd:
                if s not in ("TR", "THead", "TBody", "TFoot", "Caption"):
                    rep.fail("matterhorn 09-004", f"Table holds {s}, not TR, THead, TBody, TFoot "
                             "or Caption", where(elem, std))
            if not kstd:
                rep.fail("matterhorn 09-004", "Table has no rows", where(elem, std))
        if std in ("THead", "TBody", "TFoot"):
            if pstd != "Table":
                rep.fail("matterhorn 09-004", f"{std} is inside {pstd}, not Table", where(elem, std))
            for s in kstd:
                if s != "TR":
                    rep.fail("matterhorn 09-004", f"{std} holds {s}, not TR", where(elem, std))
        if std == "TR":
            if pstd not in ("Table", "THead", "TBody", "TFoot"):
                rep.fail("matterhorn 09-004", f"TR is inside {pstd}, not a table", where(elem, std))
            for s in kstd:
                if s not in ("TH", "TD"):
                    rep.fail("matterhorn 09-004", f"TR holds {s}, not TH or TD", where(elem, std))
        if std in ("TH", "TD") and pstd != "TR":
            rep.fail("matterhorn 09-004", f"{std} is inside {pstd}, not TR", where(elem, std))
        scope = attr(elem, Name.Table, "/Scope") if std == "TH" else None
        if std == "TH" and not uses_headers and scope not in (Name.Row, Name.Column, Name.Both):
            rep.fail("matterhorn 15-003", f"TH has no /Scope Row, Column or Both (it says {scope}), "
                     "and no cell has /Headers", where(elem, std))
        if std == "L":
            for s in kstd:
                if s not in ("LI", "L", "Caption"):
                    rep.fail("matterhorn 09-005", f"L holds {s}, not LI", where(elem, std))
        if std == "LI":
            if pstd != "L":
                rep.fail("matterhorn 09-005", f"LI is inside {pstd}, not L", where(elem, std))
            for s in kstd:
                if s not in ("Lbl", "LBody"):
                    rep.fail("matterhorn 09-005", f"LI holds {s}, not Lbl or LBody", where(elem, std))
        if std == "LBody" and pstd != "LI":
            rep.fail("matterhorn 09-005", f"LBody is inside {pstd}, not LI", where(elem, std))
        if std == "TOC":
            for s in kstd:
                if s not in ("TOCI", "TOC", "Caption"):
                    rep.fail("matterhorn 09-006", f"TOC holds {s}, not TOCI", where(elem, std))
        if std == "TOCI":
            if pstd != "TOC":
                rep.fail("matterhorn 09-006", f"TOCI is inside {pstd}, not TOC", where(elem, std))
            for s in kstd:
                if s not in ("Lbl", "Reference", "NonStruct", "P", "TOC", "Link"):
                    rep.fail("matterhorn 09-006", f"TOCI holds {s}", where(elem, std))
        if kstd.count("H") > 1:
            rep.fail("matterhorn 14-006", f"{std} holds {kstd.count('H')} H elements", where(elem, std))
    if plain_h and numbered_h:
        rep.fail("matterhorn 14-007", "both H and H1-H6 are used")
    prev = 0
    for level, elem in headings:
        if prev == 0 and level != 1:
            rep.fail("matterhorn 14-002", f"the first heading is H{level}, not H1", objname(elem))
        elif level > prev + 1 and prev:
            rep.fail("matterhorn 14-003", f"H{level} follows H{prev}: a level skipped", objname(elem))
        prev = level


# ---- content --------------------------------------------------------------

def check_content(pdf, st, rep):
    pages = pdf.pages
    for n, page in enumerate(pages, 1):
        sp = page.obj.get("/StructParents")
        tree_entry = st.parent_tree.get(int(sp)) if sp is not None and st.root is not None else None
        try:
            ops = pikepdf.parse_content_stream(page)
        except pikepdf.PdfError as e:
            rep.fail("pdf 7.8.2", f"content stream unreadable: {e}", f"page {n}")
            continue
        stack = []   # ("artifact" | "tagged" | "other", mcid)
        counts = {}
        for i, (operands, op) in enumerate(ops):
            op = str(op)
            if op in ("BMC", "BDC"):
                tag = str(operands[0]) if operands else ""
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, Name):
                    props = page.obj.get("/Resources", {}).get("/Properties", {}).get(props)
                mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
                kinds = [k for k, _ in stack]
                if tag == "/Artifact":
                    if "tagged" in kinds:
                        counts.setdefault("01-003", i)
                    stack.append(("artifact", None))
                elif mcid is not None:
                    if "artifact" in kinds:
                        counts.setdefault("01-004", i)
                    mcid = int(mcid)
                    elem = st.mcids.get((key(page.obj), mcid))
                    mapped = None
                    if isinstance(tree_entry, Array) and mcid < len(tree_entry):
                        mapped = tree_entry[mcid]
                    if elem is None or mapped is None or key(mapped) != key(elem):
                        # not reachable: a reader finds no element for it
                        counts.setdefault(f"mcid {mcid}", i)
                        stack.append(("orphan", mcid))
                    else:
                        stack.append(("tagged", mcid))
                else:
                    stack.append(("other", None))
            elif op == "EMC":
                if not stack:
                    rep.fail("pdf 14.6", "EMC without BMC or BDC", f"page {n}, operator {i}")
                else:
                    stack.pop()
            elif op in PAINT:
                kinds = [k for k, _ in stack]
                if "artifact" not in kinds and "tagged" not in kinds:
                    counts.setdefault("01-005", (i, op))
                    counts["01-005 n"] = counts.get("01-005 n", 0) + 1
        if stack:
            rep.fail("pdf 14.6", f"{len(stack)} marked-content sequences left open", f"page {n}")
        if "01-003" in counts:
            rep.fail("matterhorn 01-003", "an artifact inside tagged content",
                     f"page {n}, operator {counts['01-003']}")
        if "01-004" in counts:
            rep.fail("matterhorn 01-004", "tagged content inside an artifact",
                     f"page {n}, operator {counts['01-004']}")
        orphans = sorted(k for k in counts if k.startswith("mcid "))
        if orphans:
            rep.fail("matterhorn 01-005", f"{len(orphans)} marked-content sequences with an MCID no "
                     "structure element reachable through the ParentTree holds, first "
                     + orphans[0].replace("mcid", "MCID"), f"page {n}, operator {counts[orphans[0]]}")
        if "01-005" in counts:
            i, op = counts["01-005"]
            rep.fail("matterhorn 01-005", f"{counts['01-005 n']} painting operators neither tagged nor "
                     f"artifact, first '{op}'", f"page {n}, operator {i}")


# ---- annotations ------------------------------------------------------------

def check_annotations(pdf, st, rep):
    for n, page in enumerate(pdf.pages, 1):
        annots = page.obj.get("/Annots")
        if not annots:
            continue
        tabs = page.obj.get("/Tabs")
        if tabs is None:
            rep.fail("matterhorn 28-008", "a page with annotations has no /Tabs", f"page {n}")
        elif tabs != Name.S:
            rep.fail("matterhorn 28-009", f"/Tabs is {tabs}, not /S", f"page {n}")
        sp_missing = no_contents = 0
        first = {}
        for a in annots:
            sub = a.get("/Subtype")
            if sub == Name.Popup:
                continue
            where = f"page {n}, {objname(a) or 'annotation'}"
            f = int(a.get("/F", 0))
            if f & 4 == 0 or f & (1 | 2 | 32 | 256):
                first.setdefault("6.3.2", where)
            sp = a.get("/StructParent")
            elem = st.parent_tree.get(int(sp)) if sp is not None else None
            if sub == Name.Link:
                if elem is None or st.std_of(elem) != "Link" or st.objrs.get(key(a)) is None \
                        or key(st.objrs[key(a)]) != key(elem):
                    sp_missing += 1
                    first.setdefault("28-011", where)
                if not text_of(a.get("/Contents", "")).strip():
                    no_contents += 1
                    first.setdefault("28-012", where)
            elif sub not in (Name.Widget, Name.PrinterMark, Name.TrapNet):
                if elem is None or st.std_of(elem) != "Annot":
                    first.setdefault("28-002", where)
                alt = text_of(elem.get("/Alt", "")) if elem is not None else ""
                if not text_of(a.get("/Contents", "")).strip() and not alt:
                    first.setdefault("28-004", where)
        if "28-011" in first:
            rep.fail("matterhorn 28-011", f"{sp_missing} link annotations not in a Link element "
                     "(its /StructParent and an OBJR)", first["28-011"])
        if "28-012" in first:
            rep.fail("matterhorn 28-012", f"{no_contents} link annotations without /Contents",
                     first["28-012"])
        if "28-002" in first:
            rep.fail("matterhorn 28-002", "an annotation not in an Annot element", first["28-002"])
        if "28-004" in first:
            rep.fail("matterhorn 28-004", "an annotation without /Contents or alternate text",
                     first["28-004"])
        if "6.3.2" in first and rep.archival:
            rep.fail("pdfa 6.3.2", "an annotation whose /F does not say Print (or hides it)",
                     first["6.3.2"])


# ---- fonts ----------------------------------------------------------------

SIMPLE_ENCODINGS = {Name.WinAnsiEncoding, Name.MacRomanEncoding, Name.StandardEncoding}


def fonts_of(res, out, seen):
    """Every font reachable from a resource dictionary, forms and Type 3 included."""
    if not isinstance(res, Dictionary) or key(res) in seen:
        return
    seen.add(key(res))
    for _, f in (res.get("/Font") or {}).items():
        if key(f) not in out:
            out[key(f)] = f
            if f.get("/Subtype") == Name.Type3:
                fonts_of(f.get("/Resources"), out, seen)
    for _, x in (res.get("/XObject") or {}).items():
        if isinstance(x, Stream) and x.get("/Subtype") == Name.Form:
            fonts_of(x.get("/Resources"), out, seen)


def check_fonts(pdf, rep):
    fonts, seen = {}, set()
    for page in pdf.pages:
        fonts_of(page.obj.get("/Resources"), fonts, seen)
    for f in fonts.values():
        name = str(f.get("/BaseFont", "(no name)"))[1:]
        where = f"font {name}, {objname(f) or 'direct'}"
        sub = f.get("/Subtype")
        desc_font = f
        if sub == Name.Type0:
            d = f.get("/DescendantFonts")
            desc_font = d[0] if d else Dictionary()
        if sub != Name.Type3:
            fd = desc_font.get("/FontDescriptor")
            if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                rep.fail("matterhorn 31-008", "the font program is not embedded", where)
            if sub == Name.Type0 and desc_font.get("/Subtype") == Name.CIDFontType2 \
                    and "/CIDToGIDMap" not in desc_font and rep.archival:
                rep.fail("pdfa 6.2.11.3.2", "a CIDFontType2 without /CIDToGIDMap", where)
        if "/ToUnicode" in f:
            continue
        enc = f.get("/Encoding")
        if isinstance(enc, Dictionary):
            enc = enc.get("/BaseEncoding")
        symbolic = False
        fd = desc_font.get("/FontDescriptor")
        if fd is not None:
            symbolic = bool(int(fd.get("/Flags", 0)) & 4)
        if sub in (Name.Type1, Name.TrueType, Name.MMType1) and (enc in SIMPLE_ENCODINGS
                                                                   or (sub == Name.TrueType and symbolic)):
            continue
        rep.fail("matterhorn 31-027", "no /ToUnicode, and the encoding does not give the characters",
                 where)


# ---- document level ---------------------------------------------------------

def pdf_date(s):
    """A PDF date string (D:YYYYMMDDHHmmSSOHH'mm) as a datetime, or None."""
    m = re.match(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?([Zz+-])?(\d\d)?'?(\d\d)?", s)
    if not m:
        return None
    y, mo, d, h, mi, se, o, oh, om = m.groups()
    tz = None
    if o in ("Z", "z"):
        tz = datetime.timezone.utc
    elif o:
        delta = datetime.timedelta(hours=int(oh or 0), minutes=int(om or 0))
        tz = datetime.timezone(delta if o == "+" else -delta)
    return datetime.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0),
                             int(se or 0), tzinfo=tz)


def xmp_date(s):
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?"
                 r"(Z|[+-]\d\d:\d\d)?)?)?)?$", s.strip())
    if not m:
        return None
    y, mo, d, h, mi, se, z = m.groups()
    tz = None
    if z == "Z":
        tz = datetime.timezone.utc
    elif z:
        delta = datetime.timedelta(hours=int(z[1:3]), minutes=int(z[4:6]))
        tz = datetime.timezone(delta if z[0] == "+" else -delta)
    return datetime.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0),
                             int(se or 0), tzinfo=tz)


def same_instant(a, b):
    if a is None or b is None:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None):
        return a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return a == b


class XMP:
    """The properties of an XMP packet: simple values, the x-default (or first)
    entry of an Alt, the entries of a Seq or Bag joined by '; '."""

    def __init__(self, data):
        self.root = ET.fromstring(data)
        self.props = {}
        R = "{%s}" % NS["rdf"]
        for desc in self.root.iter(R + "Description"):
            for k, v in desc.attrib.items():
                if not k.startswith(R):
                    self.props.setdefault(k, v)
            for child in desc:
                self.props.setdefault(child.tag, self.value(child))

    def value(self, el):
        R = "{%s}" % NS["rdf"]
        for kind in ("Alt", "Seq", "Bag"):
            box = el.find(R + kind)
            if box is not None:
                items = box.findall(R + "li")
                if kind == "Alt":
                    for li in items:
                        if li.get("{%s}lang" % NS["xml"]) == "x-default":
                            return li.text or ""
                    return items[0].text or "" if items else ""
                return "; ".join(li.text or "" for li in items)
        return el.text or ""

    def get(self, prefix, name):
        return self.props.get("{%s}%s" % (NS[prefix], name))

    def has_extension(self, uri):
        for el in self.root.iter("{%s}namespaceURI" % NS["pdfaSchema"]):
            if (el.text or "").strip() == uri:
                return True
        R = "{%s}" % NS["rdf"]
        for desc in self.root.iter(R + "Description"):
            if desc.get("{%s}namespaceURI" % NS["pdfaSchema"]) == uri:
                return True
        return False


def check_document(pdf, raw, rep):
    root = pdf.Root
    info = pdf.trailer.get("/Info")
    mi = root.get("/MarkInfo")
    if mi is None or mi.get("/Marked") is not True:
        rep.fail("pdfua 7.1", "the catalog's /MarkInfo does not say /Marked true", "catalog")
    elif mi.get("/Suspects") is True:
        rep.fail("matterhorn 01-007", "/MarkInfo says /Suspects true", "catalog")
    if root.get("/StructTreeRoot") is None:
        rep.fail("pdfua 7.1", "no /StructTreeRoot: the document is not tagged", "catalog")
    if not text_of(root.get("/Lang", "")).strip():
        rep.fail("matterhorn 11-001", "the catalog has no /Lang: no language for the text", "catalog")
    vp = root.get("/ViewerPreferences")
    if vp is None or "/DisplayDocTitle" not in vp:
        rep.fail("matterhorn 07-001", "/ViewerPreferences has no /DisplayDocTitle", "catalog")
    elif vp.DisplayDocTitle is not True:
        rep.fail("matterhorn 07-002", "/DisplayDocTitle is false", "catalog")
    title = text_of(info.get("/Title", "")) if info is not None else ""
    if not title.strip():
        rep.fail("matterhorn 06-003", "the Info dictionary has no /Title", "Info")
    if pdf.is_encrypted and not pdf.allow.accessibility:
        rep.fail("matterhorn 26-002", "encryption denies accessibility (bit 10 of /P)", "trailer")

    version = pdf.pdf_version
    want = "1.7" if rep.archival else "1.4"
    if tuple(map(int, version.split("."))) < tuple(map(int, want.split("."))):
        rep.fail("pdfa 6.1.2" if rep.archival else "pdf 7.5.2",
                 f"the header says %PDF-{version}; this claim needs %PDF-{want} or later", "header")

    # XMP
    md = root.get("/Metadata")
    xmp = None
    if md is None:
        rep.fail("matterhorn 06-001", "no XMP metadata stream on the catalog", "catalog")
    else:
        if "/Filter" in md and rep.archival:
            rep.fail("pdfa 6.6.2.1", "the metadata stream is compressed (/Filter)", objname(md))
        try:
            xmp = XMP(md.read_bytes())
        except (pikepdf.PdfError, ET.ParseError) as e:
            rep.fail("matterhorn 06-001", f"the XMP metadata does not parse: {e}", objname(md))
    if xmp is not None:
        if text_of(xmp.get("pdfuaid", "part")).strip() != "1":
            rep.fail("matterhorn 06-002", "the XMP has no pdfuaid:part 1", objname(md))
        dc_title = xmp.get("dc", "title")
        if not (dc_title or "").strip():
            rep.fail("matterhorn 06-003", "the XMP has no dc:title", objname(md))
    if not rep.archival:
        return
    if raw[:20].find(b"\n") < 0 or not re.match(rb"%PDF-1\.\d\r?\n?\r?%[\x80-\xff]{4}", raw[:40]):
        rep.fail("pdfa 6.1.2", "the header line is not followed by a comment of four bytes "
                 "above 127", "header")
    if "/ID" not in pdf.trailer:
        rep.fail("pdfa 6.1.3", "the trailer has no /ID", "trailer")
    if pdf.is_encrypted:
        rep.fail("pdfa 6.1.3", "the file is encrypted", "trailer")
    if xmp is not None:
        if text_of(xmp.get("pdfaid", "part")).strip() != "2":
            rep.fail("pdfa 6.6.4", f"the XMP says pdfaid:part {xmp.get('pdfaid', 'part')}, not 2",
                     objname(md))
        conf = xmp.get("pdfaid", "conformance")
        if (conf or "").strip() != "A":
            rep.fail("pdfa 6.6.4", f"the XMP says pdfaid:conformance {conf}, not A", objname(md))
        if xmp.get("pdfuaid", "part") is not None and not xmp.has_extension(NS["pdfuaid"]):
            rep.fail("pdfa 6.6.2.3.1", "pdfuaid is used without a pdfaExtension schema for it",
                     objname(md))
        pairs = [("/Title", "dc", "title"), ("/Author", "dc", "creator"),
                 ("/Subject", "dc", "description"), ("/Keywords", "pdf", "Keywords"),
                 ("/Creator", "xmp", "CreatorTool"), ("/Producer", "pdf", "Producer")]
        for k, prefix, prop in pairs:
            if info is not None and k in info:
                v = xmp.get(prefix, prop)
                if v is None or v != text_of(info[k]):
                    rep.fail("pdfa 6.6.2.1", f"Info {k} is {text_of(info[k])!r} but XMP {prefix}:{prop} "
                             f"is {v!r}", objname(md))
        for k, prop in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
            if info is not None and k in info:
                v = xmp.get("xmp", prop)
                if v is None or not same_instant(pdf_date(text_of(info[k])), xmp_date(v)):
                    rep.fail("pdfa 6.6.2.1", f"Info {k} is {text_of(info[k])} but XMP xmp:{prop} is {v}",
                             objname(md))
    ois = root.get("/OutputIntents")
    good = False
    for oi in (ois or []):
        if oi.get("/S") != Name.GTS_PDFA1:
            continue
        prof = oi.get("/DestOutputProfile")
        if isinstance(prof, Stream):
            try:
                data = prof.read_bytes()
            except pikepdf.PdfError:
                data = b""
            if int(prof.get("/N", 0)) == 3 and data[36:40] == b"acsp" and data[16:20] == b"RGB ":
                good = True
            else:
                rep.fail("pdfa 6.2.3", "the GTS_PDFA1 output intent's profile is not an RGB ICC "
                         "profile with /N 3", objname(prof))
                good = True
    if not good:
        rep.fail("pdfa 6.2.3", "no /OutputIntents with a GTS_PDFA1 intent and its ICC profile",
                 "catalog")
    js = javascript(pdf)
    if js:
        rep.fail("pdfa 6.6.1", "JavaScript in the file", js)


def javascript(pdf):
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        return "catalog /Names"
    for o in pdf.objects:
        if isinstance(o, Dictionary) or isinstance(o, Stream):
            found = js_in(o, 0)
            if found:
                return objname(o)
    return None


def js_in(d, depth):
    if depth > 8:
        return False
    if isinstance(d, (Dictionary, Stream)):
        if d.get("/S") == Name.JavaScript or "/JS" in d:
            return True
        return any(js_in(v, depth + 1) for k, v in d.items()
                   if not getattr(v, "is_indirect", False) and k not in ("/Parent", "/P"))
    if isinstance(d, Array):
        return any(js_in(v, depth + 1) for v in d if not getattr(v, "is_indirect", False))
    return False


def check(path, archival):
    rep = Report(path)
    rep.archival = archival
    try:
        with open(path, "rb") as f:
            raw = f.read()
        pdf = pikepdf.open(path)
    except (OSError, pikepdf.PdfError) as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        return None
    with pdf:
        st = Struct(pdf, rep)
        check_document(pdf, raw, rep)
        check_structure(st, rep)
        check_content(pdf, st, rep)
        check_annotations(pdf, st, rep)
        check_fonts(pdf, rep)
    return rep


def main(argv):
    archival = True
    files = []
    args = iter(argv)
    for a in args:
        if a == "--standard":
            v = next(args, None)
            if v not in ("a2", "none"):
                print("conformance.py: --standard takes a2 or none", file=sys.stderr)
                return 2
            archival = v == "a2"
        elif a.startswith("--standard="):
            archival = a.split("=", 1)[1] != "none"
        else:
            files.append(a)
    if not files:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    status = 0
    for path in files:
        rep = check(path, archival)
        if rep is None:
            status = 2
            continue
        for line in rep.failures:
            print(line)
        if rep.failures and status == 0:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
