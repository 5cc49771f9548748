"""Reads a PDF's structure tree as a screen reader's source would and checks
it holds together (tests/render/structure.sh):

  structure.py check PDF...    every element's /P is the element holding it;
                               every marked content is claimed by exactly the
                               element the ParentTree names for it; every
                               annotation has /StructParent (naming the Link
                               that holds its OBJR) and /Contents; no array
                               passes libharu's limit (8191 entries)
  structure.py dump PDF        one line per element: depth, type, its
                               attributes (Scope, ColSpan, Alt, ActualText)
Prints "ok"/"not ok" lines for check, the tree for dump. Runs under Debian's
python3, which has pikepdf."""
import re
import sys

import pikepdf

LIMIT = 8191


def number_tree(node, out, depth=0):
    """The (key, value) pairs of a number tree, checking each /Limits."""
    errs = []
    if "/Nums" in node:
        out.setdefault("leaves", 0)
        out["leaves"] += 1
        nums = node.Nums
        if len(nums) > LIMIT:
            errs.append("a ParentTree /Nums holds %d entries" % len(nums))
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        for i in range(0, len(nums), 2):
            out[int(nums[i])] = nums[i + 1]
        if depth and "/Limits" in node and keys and [int(x) for x in node.Limits] != [min(keys), max(keys)]:
            errs.append("/Limits %s do not hold keys %d-%d" % (list(node.Limits), min(keys), max(keys)))
    for kid in node.get("/Kids", []):
        if "/Limits" not in kid:
            errs.append("a ParentTree kid has no /Limits")
        errs += number_tree(kid, out, depth + 1)
    return errs


def walk(pdf):
    """Every element with its parent, and which element claims each (page, MCID)."""
    root = pdf.Root.StructTreeRoot
    elems, claims, objrs, errs = [], {}, {}, []
    stack = [(root.K, root, 0)]
    while stack:
        e, parent, depth = stack.pop()
        if isinstance(e, pikepdf.Array):
            for x in reversed(list(e)):
                stack.append((x, parent, depth))
            continue
        elems.append((e, depth))
        if e.get("/P") is None or e.P.objgen != parent.objgen:
            errs.append("%s's /P is not the element holding it" % e.get("/S"))
        kids = e.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        if len(kids) > LIMIT:
            errs.append("%s has %d kids" % (e.S, len(kids)))
        for k in reversed(kids):
            if isinstance(k, int):
                if "/Pg" not in e:
                    errs.append("%s holds MCID %d without /Pg" % (e.S, k))
                    continue
                claims.setdefault((e.Pg.objgen, int(k)), []).append(e.objgen)
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
                claims.setdefault((k.Pg.objgen, int(k.MCID)), []).append(e.objgen)
                objrs["mcrs"] = objrs.get("mcrs", 0) + 1
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR":
                objrs[k.Obj.objgen] = e
            elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
                stack.append((k, e, depth + 1))
            else:
                errs.append("%s holds something that is no element, MCID, MCR or OBJR" % e.S)
    return elems, claims, objrs, errs


def content_mcids(page):
    ops = pikepdf.parse_content_stream(page)
    return [int(o[0][1].MCID) for o in ops
            if str(o[1]) == "BDC" and isinstance(o[0][1], pikepdf.Dictionary) and "/MCID" in o[0][1]]


def check(path):
    pdf = pikepdf.open(path)
    errs = []
    tree = {}
    errs += number_tree(pdf.Root.StructTreeRoot.ParentTree, tree)
    elems, claims, objrs, e2 = walk(pdf)
    errs += e2
    nannots = 0
    for page in pdf.pages:
        pg = page.obj
        if "/StructParents" not in pg:
            errs.append("a page has no /StructParents")
            continue
        arr = tree.get(int(pg.StructParents))
        mcids = content_mcids(page)
        if arr is None:
            errs.append("page's key %d is not in the ParentTree" % int(pg.StructParents))
            continue
        if len(arr) > LIMIT:
            errs.append("a page's ParentTree array holds %d entries" % len(arr))
        for m in mcids:
            owners = claims.get((pg.objgen, m), [])
            if len(owners) != 1:
                errs.append("MCID %d of a page is claimed by %d elements" % (m, len(owners)))
            elif m >= len(arr) or arr[m].objgen != owners[0]:
                errs.append("the ParentTree names another element for MCID %d" % m)
        for a in pg.get("/Annots", []):
            nannots += 1
            if "/StructParent" not in a or "/Contents" not in a:
                errs.append("an annotation without /StructParent or /Contents")
                continue
            link = tree.get(int(a.StructParent))
            if link is None or link.get("/S") != "/Link" or a.objgen not in objrs or \
                    objrs[a.objgen].objgen != link.objgen:
                errs.append("annotation's StructParent is not the Link that holds its OBJR")
            if page.obj.get("/Tabs") != "/S":
                errs.append("a page with annotations has no /Tabs /S")
    ok = not errs
    print("%s - %s: %d elements, %d marked contents (%d on a later page than their element's first), "
          "%d annotations, %d ParentTree leaves: %s" % (
        "ok" if ok else "not ok", path.split("/")[-1], len(elems), len(claims), objrs.get("mcrs", 0), nannots,
        tree.get("leaves", 0),
        "tree consistent" if ok else "\n    " + "\n    ".join(sorted(set(errs))[:8])))


def text(v):
    return str(v)


def dump(path):
    pdf = pikepdf.open(path)
    elems, _, _, _ = walk(pdf)
    for e, depth in elems:
        attrs = []
        a = e.get("/A")
        if a is not None:
            for k in ("/Scope", "/ColSpan"):
                if k in a:
                    attrs.append("%s=%s" % (k[1:], str(a[k]).lstrip("/")))
        for k in ("/Alt", "/ActualText"):
            if k in e:
                attrs.append("%s=%r" % (k[1:], text(e[k])))
        print(("%s%s %s" % ("  " * depth, str(e.S)[1:], " ".join(attrs))).rstrip())


if __name__ == "__main__":
    if sys.argv[1] == "check":
        for p in sys.argv[2:]:
            check(p)
    else:
        dump(sys.argv[2])
