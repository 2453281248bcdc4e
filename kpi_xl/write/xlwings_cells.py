"""What the open-workbook writer works out before drawing: the text Excel must keep as
text, formula literals and links, rectangles and runs of cells, sheet references, the
record every scorecard carries, and a layout with its sheets renamed.

Pure functions of the layout; ``xlwings_writer`` and its painter draw with them.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import replace

from ..layout.types import Layout, a1, quote

MARKER_NAME = "kpi_xl_sheets"  # defined names kpi_xl_sheets_1, _2 ... list the sheets drawn
MARKER_CHUNK = 240  # a string constant in a formula holds at most 255 characters
RECORD_NAME = "kpi_xl_record"  # names kpi_xl_record_1, _2 ... hold kpi_xl.run.carry's record of what was written


# -- the record kpi_xl keeps in every scorecard (read back by run.carry) ------------------


def record_names(layout: Layout) -> list[tuple[str, str]]:
    """(defined name, formula) pairs holding ``layout.record`` and the cells each sheet
    fills with a value; written by both writers. Empty for layouts that are not scorecards."""
    if not layout.record:
        return []
    cells = {}
    for sheet in layout.sheets:
        filled = defaultdict(list)  # row -> columns: no (row, col) tuple for each of a large sheet's cells
        for c in sheet.cells:
            if c.value not in (None, ""):
                filled[c.row].append(c.col)
        cells[sheet.name] = ",".join(a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"
                                     for r0, c0, r1, c1 in row_rectangles(filled))
    text = json.dumps({**layout.record, "cells": cells}, separators=(",", ":"), sort_keys=True)
    return [(f"{RECORD_NAME}_{i // MARKER_CHUNK + 1}", "=" + formula_string(text[i:i + MARKER_CHUNK]))
            for i in range(0, len(text), MARKER_CHUNK)]


# -- text that must stay text ----------------------------------------------------------------

_RISKY_START = tuple("=+-@#'")


def excel_text(text: str) -> str:
    """``text`` as it must be written so Excel keeps it as the same text.

    Excel parses what is written to ``Range.value`` (desktop) or ``range.values``
    (Office.js) as if typed: ``=...`` becomes a formula, ``Jan 20`` a date, ``1,5`` a
    number. A leading apostrophe says "text"; Excel stores the rest and shows no apostrophe.
    """
    if not text:
        return text
    if (text.startswith(_RISKY_START) or any(ch.isdigit() for ch in text)
            or text.strip().upper() in ("TRUE", "FALSE")):
        return "'" + text
    return text


def formula_string(text: str) -> str:
    """``text`` as a string literal inside a formula, its double quotes doubled."""
    return '"' + str(text).replace('"', '""') + '"'


def hyperlink_formula(link: str, text) -> str:
    """An internal link (``internal:'Sheet'!A1``) as a ``HYPERLINK`` formula, which every
    Excel (desktop, Mac, web) follows; a URL is linked the same way."""
    target = "#" + link[len("internal:"):] if link.startswith("internal:") else link
    shown = "" if text is None else text
    if isinstance(shown, (int, float)) and not isinstance(shown, bool):
        return f"=HYPERLINK({formula_string(target)},{shown:g})"
    return f"=HYPERLINK({formula_string(target)},{formula_string(shown)})"


# -- geometry --------------------------------------------------------------------------------


def rectangles(cells) -> list[tuple[int, int, int, int]]:
    """Cover a set of (row, col) with few rectangles ``(r0, c0, r1, c1)``: runs along each
    row, then runs spanning the same columns on consecutive rows joined into one."""
    by_row: dict[int, set[int]] = defaultdict(set)
    for r, c in cells:
        by_row[r].add(c)
    return row_rectangles(by_row)


def row_rectangles(by_row: dict) -> list[tuple[int, int, int, int]]:
    """``rectangles`` of the cells given as row -> its columns (in any order, perhaps repeated)."""
    done: list[tuple[int, int, int, int]] = []
    active: dict[tuple[int, int], tuple[int, int]] = {}  # (c0, c1) -> (r0, r1)
    for r in sorted(by_row):
        cols = sorted(set(by_row[r]))
        row_runs, start = [], cols[0]
        for prev, col in zip(cols, cols[1:] + [None]):
            if col is None or col != prev + 1:
                row_runs.append((start, prev))
                start = col
        now = {}
        for run in row_runs:
            old = active.get(run)
            now[run] = (old[0], r) if old is not None and old[1] == r - 1 else (r, r)
        for run, (r0, r1) in active.items():
            if run not in now or now[run][0] != r0:
                done.append((r0, run[0], r1, run[1]))
        active = now
    done.extend((r0, run[0], r1, run[1]) for run, (r0, r1) in active.items())
    return sorted(done)


def runs(values: dict[int, float]) -> list[tuple[int, int, float]]:
    """Consecutive indexes with the same value: ``[(first, last, value), ...]``."""
    found: list[tuple[int, int, float]] = []
    for i in sorted(values):
        if found and found[-1][1] == i - 1 and found[-1][2] == values[i]:
            found[-1] = (found[-1][0], i, values[i])
        else:
            found.append((i, i, values[i]))
    return found


def layered_runs(values: dict[int, float]) -> list[tuple[int, int, float]]:
    """Runs ``(first, last, size)`` that give each index of ``values`` its size, fewest
    first: either one run per stretch of equal sizes, or the commonest size over each
    stretch of consecutive indexes and then the runs of other sizes on top of it."""
    plain = runs(values)
    if not plain:
        return plain
    common = Counter(size for _, _, size in plain).most_common(1)[0][0]
    stretches = runs({i: 0 for i in values})
    layered = [(i0, i1, common) for i0, i1, _ in stretches] + [run for run in plain if run[2] != common]
    return layered if len(layered) < len(plain) else plain


def merge_blocks(merges) -> list[tuple[int, int, int, int, bool]]:
    """The merged ranges ``(r0, c0, r1, c1)`` as few merge calls as make them:
    ``(r0, c0, r1, c1, across)``, where one-row ranges over the same columns on
    consecutive rows become one block merged row by row (Excel's *Merge Across*)."""
    rows: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    blocks: list[tuple[int, int, int, int, bool]] = []
    for r0, c0, r1, c1 in merges:
        if r0 == r1:
            rows[(c0, c1)][r0] = 0
        else:
            blocks.append((r0, c0, r1, c1, False))
    for (c0, c1), at in rows.items():
        blocks.extend((first, c0, last, c1, first != last) for first, last, _ in runs(at))
    return sorted(blocks)


def chars_to_points(width: float) -> float:
    """A column width in characters (as XlsxWriter and desktop Excel take it) in points
    (as Office.js takes it): Excel's own rule for the default font, 7 px a character plus
    5 px padding, 0.75 pt a pixel."""
    return round((width * 7 + 5) * 0.75, 2) if width > 0 else 0


_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$")


def split_ref(ref: str) -> tuple[str, str]:
    """``='Chart data'!$E$5:$P$5`` -> (``Chart data``, ``$E$5:$P$5``)."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"not a sheet reference: {ref}")
    return (m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)), m.group(3)


def renamed(layout: Layout, mapping: dict[str, str], links: bool = True) -> Layout:
    """A copy of ``layout`` with sheets renamed (``{old: new}``) and every reference to
    them (links, formulas, chart series, sparklines, conditional formats) following.
    With ``links=False`` links keep their targets: a ``HYPERLINK`` target is text, which
    Excel does not rewrite when a sheet is renamed, so a sheet drawn under a temporary name
    links to the names it will have."""
    if not mapping:
        return layout
    pairs = [(quote(old) + "!", quote(new) + "!") for old, new in mapping.items()]

    def fix(text):
        if not isinstance(text, str):
            return text
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    sheets = []
    for sheet in layout.sheets:
        copy = replace(sheet, name=mapping.get(sheet.name, sheet.name),
                       cells=[replace(c, formula=fix(c.formula), link=fix(c.link) if links else c.link)
                              for c in sheet.cells],
                       cond_formats=[replace(cf, formula=fix(cf.formula)) for cf in sheet.cond_formats],
                       charts=[replace(ch, series=tuple(replace(se, categories=fix(se.categories),
                                                                 values=fix(se.values)) for se in ch.series))
                               for ch in sheet.charts],
                       sparklines=[replace(sp, source=fix(sp.source)) for sp in sheet.sparklines])
        sheets.append(copy)
    return replace(layout, sheets=sheets)
