#!/usr/bin/env python3
"""Every element and attribute a kind's schema declares is described in the
kind's data reference (templates/KIND/README.md), written in backticks.

    reference.py SCHEMA.xsd README.md   -> prints each missing name, exit 1 if any
"""
import re
import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"


def declared(schema):
    names = set()
    for tag in ("element", "attribute"):
        for el in ET.parse(schema).getroot().iter(XS + tag):
            if el.get("name"):
                names.add((tag, el.get("name")))
    return names


def main():
    schema, readme = sys.argv[1], sys.argv[2]
    try:
        with open(readme, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"{readme}: cannot read the data reference: {e.strerror}")
        return 1
    # Fenced code blocks are examples, not descriptions: they do not count.
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    # `name`, `<name>`, `name="..."` and `@name` all count as naming it.
    quoted = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        for word in re.findall(r"[A-Za-z_][A-Za-z0-9_.:-]*", span):
            quoted.add(word)
    missing = sorted(f"{tag} '{name}'" for tag, name in declared(schema) if name not in quoted)
    for m in missing:
        print(f"{readme}: {m} of {schema} is not described")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
