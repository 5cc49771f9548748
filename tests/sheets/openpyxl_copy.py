#!/usr/bin/python3
"""Writes a CSV sheet as an XLSX workbook through openpyxl, a writer other
than ours: numbers as numbers, dates ("2021-11-01") as date cells, the rest
as text, on a sheet called Cards after an empty one.

    /usr/bin/python3 tests/sheets/openpyxl_copy.py IN.csv OUT.xlsx"""
import csv
import datetime
import re
import sys

import openpyxl

src, dst = sys.argv[1:3]
with open(src, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
wb = openpyxl.Workbook()
wb.active.title = "Notes"
ws = wb.create_sheet("Cards")
for r, row in enumerate(rows, 1):
    for c, v in enumerate(row, 1):
        if r > 1 and re.match(r"^[0-9]+$", v):
            v = int(v)
        elif r > 1 and re.match(r"^[0-9]+\.[0-9]+$", v):
            v = float(v)
        elif r > 1 and re.match(r"^\d{4}-\d{2}-\d{2}$", v):
            v = datetime.date.fromisoformat(v)
        elif v == "":
            continue
        ws.cell(row=r, column=c, value=v)
wb.save(dst)
