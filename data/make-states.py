#!/usr/bin/env python3
"""Writes data/states/<slug>.xml: one 2021 report card for each of the 50
states and the District of Columbia, in the report-card schema.

Connecticut's card is the real one (data/ct-2021-card.xml, copied unchanged).
Every other card is SAMPLE data, marked <report-card sample="yes"> and with a
comment saying so; its layout prints "Sample data, not an official grade".

The only real 2021 figures used are the published grades and two numbers:
Florida 72.5, the only C; D for Texas, Mississippi, California, Washington,
Colorado, Kentucky, Utah, Tennessee and Louisiana; F for all others; a
national average of 47.9. The invented overall scores are chosen so that the
mean of the 51 overall scores, rounded half away from zero to one place (as
rg:avg does), is exactly 47.9. Area scores, extra credit, highlights, tiers
and learn-more entries are invented and say nothing about any state's laws.

Deterministic: every "random" choice is a hash of the state's slug, so the
same files come out on every run and every Python version.

    python3 data/make-states.py        # regenerates data/states/*.xml
"""
import hashlib
import os
import shutil
import sys
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "states")
REAL_CT = os.path.join(HERE, "ct-2021-card.xml")
# The list of jurisdictions; a copy is kept here so the script runs on a
# clone without ../shared (the two must agree when both are present).
STATES_TXT = os.path.join(ROOT, "..", "shared", "peers", "data", "states.txt")
STATES = [
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado",
    "Connecticut", "Delaware", "District of Columbia", "Florida", "Georgia",
    "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
    "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
    "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
]

YEAR = 2021
PUBLISHED = "2021-11-01"
TITLE = "2021 Report Card on Child &amp; Youth Sex Trafficking"
ORG = "Shared Hope International"

# Real 2021 figures.
REAL_CT_SCORE = Decimal("43.5")
FLORIDA = ("Florida", Decimal("72.5"))
GRADE_D = ["Texas", "Mississippi", "California", "Washington", "Colorado",
           "Kentucky", "Utah", "Tennessee", "Louisiana"]
NATIONAL_AVERAGE = Decimal("47.9")
# The sum of the 51 overall scores that the invented ones are made to reach:
# 2443 / 51 = 47.902 -> 47.9 (any sum in [2440.35, 2445.45) would do).
TARGET_SUM = Decimal("2443")

AREAS = [  # number, name, maximum (they add up to 100)
    (1, "Criminal Provisions", Decimal("17.5")),
    (2, "Identification of and Response to Victims", Decimal("27.5")),
    (3, "Continuum of Care", Decimal("15")),
    (4, "Access to Justice for Trafficking Survivors", Decimal("15")),
    (5, "Tools for a Victim-Centered Criminal Justice Response", Decimal("10")),
    (6, "Prevention and Training", Decimal("15")),
]
SCALE = [("A", 90), ("B", 80), ("C", 70), ("D", 60), ("F", 0)]  # grades.xml
HALF = Decimal("0.5")


def grade(score, maximum):
    """rg:grade: the first letter whose min satisfies score*100 >= min*max."""
    for letter, low in SCALE:
        if score * 100 >= low * maximum:
            return letter
    return SCALE[-1][0]


def avg1(values):
    """rg:avg(values, 1): the exact mean rounded half away from zero."""
    mean = sum(values) / Decimal(len(values))
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def unit(*key):
    """A number in [0, 1) that depends only on the key."""
    h = hashlib.sha256("/".join(str(k) for k in key).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0 ** 64


def pick(seq, *key):
    return seq[int(unit(*key) * len(seq))]


def slug_of(name):
    return "-".join(name.lower().split())


def fmt(d):
    """A decimal in its shortest form: 8.50 -> 8.5, 10.0 -> 10."""
    s = format(d.normalize(), "f")
    return s


def halves(lo, hi, *key):
    """A multiple of 0.5 in [lo, hi], from the key."""
    n = int((hi - lo) / HALF) + 1
    return lo + HALF * int(unit(*key) * n)


# ---------------------------------------------------------------- figures

def overall_targets(names):
    """The overall score of each jurisdiction: real where known, invented
    (within its real grade) elsewhere, adding up to TARGET_SUM."""
    t = {}
    for n in names:
        s = slug_of(n)
        if n == "Connecticut":
            t[n] = REAL_CT_SCORE
        elif n == FLORIDA[0]:
            t[n] = FLORIDA[1]
        elif n in GRADE_D:
            t[n] = halves(Decimal(60), Decimal("69.5"), s, "overall")
        else:
            t[n] = halves(Decimal(28), Decimal("59.5"), s, "overall")
    free = sorted((n for n in names if n != "Connecticut" and n != FLORIDA[0] and n not in GRADE_D),
                  key=lambda n: unit(slug_of(n), "adjust-order"))
    lo, hi = Decimal(25), Decimal("59.5")
    diff = TARGET_SUM - sum(t.values())
    i = 0
    while diff != 0:
        n = free[i % len(free)]
        step = HALF if diff > 0 else -HALF
        if lo <= t[n] + step <= hi:
            t[n] += step
            diff -= step
        i += 1
        if i > 100000:
            sys.exit("make-states: cannot reach the target sum")
    return t


EXTRA_NAMES = ["Youth", "Child Labor Trafficking", "Sample Item"]


def extra_credit(slug, total):
    """0 to 2 invented extra credit items, each 0.5 to 2 points."""
    n = int(unit(slug, "extra-count") * 3)
    items = []
    for k in range(n):
        pts = pick([HALF, Decimal(1), Decimal("1.5"), Decimal(2)], slug, "extra-points", k)
        items.append((EXTRA_NAMES[k], pts))
    while items and sum(p for _, p in items) > total / 4:
        items.pop()
    return items


def area_scores(slug, areas_total):
    """Six multiples of 0.5, each within its maximum, adding up to areas_total."""
    weights = [m * Decimal(str(0.55 + 0.9 * unit(slug, "weight", num))) for num, _, m in AREAS]
    wsum = sum(weights)
    scores = []
    for (num, _, m), w in zip(AREAS, weights):
        s = (areas_total * w / wsum / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF
        scores.append(min(max(s, Decimal(0)), m))
    order = sorted(range(6), key=lambda i: unit(slug, "fix-order", i))
    i = 0
    while sum(scores) != areas_total:
        k = order[i % 6]
        step = HALF if sum(scores) < areas_total else -HALF
        if Decimal(0) <= scores[k] + step <= AREAS[k][2]:
            scores[k] += step
        i += 1
        if i > 10000:
            sys.exit("make-states: cannot split %s over the areas for %s" % (areas_total, slug))
    return scores


def tier(total):
    """Invented tiers: a rough banding of the overall score."""
    if total >= 60:
        return "I"
    if total >= 42:
        return "II"
    return "III"


# ---------------------------------------------------------------- text

OPENINGS = [
    "Sample text, invented to test the layout; it says nothing about the laws of {state}.",
    "Placeholder highlights written by a script for a layout test; no statement about {state} is made here.",
    "Invented sample sentence in place of the published highlights; it describes no law of {state}.",
]
BY_BAND = {
    "high": "Here most policy goals of the area count as met.",
    "mid": "Here some policy goals of the area count as met and others as open.",
    "low": "Here few policy goals of the area count as met.",
}
FILLERS = [
    "The score of {score} of {max} was made up so that the national figures add up.",
    "Real highlights list the goals met and the gaps that remain.",
    "See the official report card for what the area measures.",
]


def highlights(slug, state, area, score, maximum):
    pct = score * 100 / maximum
    band = "high" if pct >= 70 else "mid" if pct >= 40 else "low"
    words = [pick(OPENINGS, slug, "open", area).format(area=area, state=state), BY_BAND[band]]
    extra = int(unit(slug, "fill-count", area) * 2)
    for k in range(extra):
        words.append(FILLERS[(k + int(unit(slug, "fill", area) * 3)) % 3].format(score=fmt(score), max=fmt(maximum)))
    return " ".join(words)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def card(state, total):
    slug = slug_of(state)
    items = extra_credit(slug, total)
    ec = sum((p for _, p in items), Decimal(0))
    scores = area_scores(slug, total - ec)
    assert sum(scores) + ec == total
    g = grade(total, Decimal(100))
    upper = esc(state.upper())
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- GENERATED SAMPLE DATA, not an official grade: written by data/make-states.py",
        "     (do not edit; run `python3 data/make-states.py`). Only the overall grade",
        "     letter is %s's real 2021 grade%s; every other" % (esc(state), " (and 72.5 its real score)" if state == FLORIDA[0] else ""),
        '     figure, text and tier is invented, and sample="yes" makes the card say so. -->',
        '<report-card year="%d" tier="%s" published="%s" sample="yes">' % (YEAR, tier(total), PUBLISHED),
        '  <state name="%s" slug="%s"/>' % (esc(state), slug),
        "  <title>%s</title>" % TITLE,
        "  <organization>%s</organization>" % ORG,
        "  <issues>",
    ]
    for (num, name, m), s in zip(AREAS, scores):
        lines += [
            '    <issue number="%d" score="%s" max="%s" grade="%s">' % (num, fmt(s), fmt(m), grade(s, m)),
            "      <name>%s</name>" % esc(name),
            "      <highlights>%s</highlights>" % esc(highlights(slug, state, name, s, m)),
            "    </issue>",
        ]
    lines.append("  </issues>")
    if items:
        lines.append("  <extra-credit>")
        for name, p in items:
            lines += [
                '    <item points="%s">' % fmt(p),
                "      <name>%s</name>" % esc(name),
                "      <text>Sample extra credit, invented for a layout test; it describes no law of %s.</text>" % esc(state),
                "    </item>",
            ]
        lines.append("  </extra-credit>")
    lines += [
        '  <overall score="%s" grade="%s"/>' % (fmt(total), g),
        "  <learn-more>",
        '    <entry label="TOOLKIT" label-as="run-in">To see how %s compares, visit '
        '<link href="https://reportcards.sharedhope.org/toolkit">reportcards.sharedhope.org/toolkit</link>.</entry>' % esc(state),
        '    <entry label="ISSUE BRIEFS" label-as="run-in">To better understand a policy goal, visit '
        '<link href="https://reportcards.sharedhope.org/issue-briefs">reportcards.sharedhope.org/issue-briefs</link>.</entry>',
        '    <entry label="%s SPECIFIC RESOURCES" label-as="heading">The official report card and analysis for %s are at '
        '<link href="https://reportcards.sharedhope.org/%s">reportcards.sharedhope.org/%s</link>; '
        'the figures on this sample card are not.</entry>' % (upper, esc(state), slug, slug),
        '    <entry label="TECHNICAL ASSISTANCE" label-as="heading">For legislators and partner non-profits that assist '
        'elected officials in creating legislation, request a consultation with our Policy Team online at '
        '<link href="https://sharedhope.org/legislative-technical-assistance">sharedhope.org/legislative-technical-assistance</link>.</entry>',
        "  </learn-more>",
        "</report-card>",
    ]
    return "\n".join(lines) + "\n", g


def main():
    names = STATES
    if os.path.exists(STATES_TXT):
        with open(STATES_TXT, encoding="utf-8") as f:
            listed = [l.strip() for l in f if l.strip()]
        if listed != names:
            sys.exit("make-states: %s differs from the list in this script" % STATES_TXT)
    assert len(names) == 51
    totals = overall_targets(names)
    os.makedirs(OUT, exist_ok=True)
    grades = {}
    for state in names:
        path = os.path.join(OUT, slug_of(state) + ".xml")
        if state == "Connecticut":
            shutil.copyfile(REAL_CT, path)  # the real card, unchanged
            grades[state] = grade(totals[state], Decimal(100))
            continue
        text, g = card(state, totals[state])
        grades[state] = g
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    # The real figures the invented ones must reproduce.
    assert avg1(list(totals.values())) == NATIONAL_AVERAGE, avg1(list(totals.values()))
    assert [n for n in names if grades[n] == "C"] == [FLORIDA[0]]
    assert sorted(n for n in names if grades[n] == "D") == sorted(GRADE_D)
    assert all(grades[n] == "F" for n in names if n != FLORIDA[0] and n not in GRADE_D)
    counts = {l: sum(1 for g in grades.values() if g == l) for l, _ in SCALE}
    print("make-states: %d cards in %s; mean %s (%s / 51); %s" % (
        len(names), os.path.relpath(OUT), avg1(list(totals.values())), fmt(sum(totals.values())),
        ", ".join("%s %d" % kv for kv in counts.items())))


if __name__ == "__main__":
    main()
