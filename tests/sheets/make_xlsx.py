#!/usr/bin/env python3
"""Writes an XLSX workbook from a CSV sheet, by hand (zipfile and the
sheet's XML written out), so the file is the same bytes on every run:

    python3 tests/sheets/make_xlsx.py IN.csv OUT.xlsx [--sheet NAME] [--first NAME]
           [--cell A1=TEXT]... [--bomb PART] [--edit PART OLD NEW]... [--utf16 PART]
           [--part NAME TEXT]... [--fill PART OLD TEXT N]

Numbers ("9.5", "2021") become number cells written as in the CSV; other
text goes to the shared strings, two runs for text with a space (rich text,
as Excel writes a cell with two fonts), except the highlights columns,
which are inline strings. --sheet names the sheet (default Sheet1);
--first adds an empty sheet of that name before it; --cell replaces a
cell's text (A1 addressing, after reading the CSV); --bomb PART makes that
part unpack to 40 MiB of spaces (a zip bomb); --edit replaces the first
OLD in PART's text with NEW (a damaged or hostile part); --utf16 writes
PART in UTF-16 with a byte-order mark; --part adds a part of that text; --fill puts TEXT N times before the first
OLD in PART (a part of many small elements)."""
import csv
import re
import sys
import zipfile

NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
STAMP = (2021, 11, 1, 0, 0, 0)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def t(s):
    space = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
    return "<t%s>%s</t>" % (space, esc(s))


def main(argv):
    args = argv[1:]
    opts = {"--sheet": "Sheet1", "--first": None, "--bomb": None}
    cells = {}
    edits = []
    extra = {}
    utf16 = set()
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts:
            opts[args[i]] = args[i + 1]
            i += 2
        elif args[i] == "--edit":
            edits.append((args[i + 1], args[i + 2], args[i + 3]))
            i += 4
        elif args[i] == "--fill":
            part, old, text, n = args[i + 1:i + 5]
            edits.append((part, old, text * int(n) + old))
            i += 5
        elif args[i] == "--part":
            extra[args[i + 1]] = args[i + 2]
            i += 3
        elif args[i] == "--utf16":
            utf16.add(args[i + 1])
            i += 2
        elif args[i] == "--cell":
            ref, _, text = args[i + 1].partition("=")
            cells[ref] = text
            i += 2
        else:
            pos.append(args[i])
            i += 1
    src, dst = pos
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    for ref, text in cells.items():
        m = re.match(r"^([A-Z]+)([0-9]+)$", ref)
        c = 0
        for ch in m.group(1):
            c = c * 26 + ord(ch) - 64
        r = int(m.group(2))
        while len(rows) < r:
            rows.append([])
        while len(rows[r - 1]) < c:
            rows[r - 1].append("")
        rows[r - 1][c - 1] = text
    header = rows[0] if rows else []
    inline_cols = {k for k, h in enumerate(header) if h.lower().endswith("highlights")}
    shared, index = [], {}
    out_rows = []
    for r, row in enumerate(rows, 1):
        cs = []
        for k, v in enumerate(row):
            if v == "":
                continue
            ref = "%s%d" % (col_name(k), r)
            if r > 1 and NUMBER.match(v):
                cs.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif r > 1 and k in inline_cols:
                cs.append('<c r="%s" t="inlineStr"><is>%s</is></c>' % (ref, t(v)))
            else:
                if v not in index:
                    index[v] = len(shared)
                    shared.append(v)
                cs.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
        out_rows.append('<row r="%d">%s</row>' % (r, "".join(cs)))
    sis = []
    for s in shared:
        a, sp, b = s.partition(" ")
        if sp and a and b:
            sis.append('<si><r>%s</r><r><rPr><b/></rPr>%s</r></si>' % (t(a + " "), t(b)))
        else:
            sis.append("<si>%s</si>" % t(s))
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    names = ([opts["--first"]] if opts["--first"] else []) + [opts["--sheet"]]
    sheets_xml = "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (esc(n), k + 1, k + 1)
                         for k, n in enumerate(names))
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (k + 1) for k in range(len(names)))
            + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="%s" xmlns:r="%s"><sheets>%s</sheets></workbook>' % (main_ns, rel_ns, sheets_xml),
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (k + 1, k + 1) for k in range(len(names)))
            + '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' % (len(names) + 1)
            + '</Relationships>',
        "xl/sharedStrings.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (main_ns, len(shared), len(shared), "".join(sis)),
    }
    for k, n in enumerate(names):
        data = "".join(out_rows) if n == opts["--sheet"] else ""
        parts["xl/worksheets/sheet%d.xml" % (k + 1)] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="%s" xmlns:r="%s"><sheetData>%s</sheetData></worksheet>' % (main_ns, rel_ns, data))
    if opts["--bomb"]:
        parts[opts["--bomb"]] = parts[opts["--bomb"]] + " " * (40 << 20)
    parts.update(extra)
    for part, old, new in edits:
        if old not in parts[part]:
            sys.exit("make_xlsx.py: no %r in %s" % (old, part))
        parts[part] = parts[part].replace(old, new, 1)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if name in utf16:
                text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
            z.writestr(info, text.encode("utf-16") if name in utf16 else text.encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv)
