"""Rows of a sheet formatted exactly like rows above them: drawn once, then copied.

A scorecard repeats itself: every indicator on the commentary sheet has the same boxes,
every row of a table the same fonts and lines. On xlwings Server's remote engine each
format is an action (a border two per side), while one ``Range.copy_from(...,
"Formats")`` (Office.js ``Range.copyFrom``, copy type ``Formats``) copies every format of
a block of rows at once: number formats, fonts, fills, alignment, wrap and borders.

``stamps`` finds blocks of rows whose formats, as the layout wants them, equal those of
an earlier block of the same sheet or of a sheet drawn before it: per cell, whether it
holds anything, its style (for an empty cell only what shows without text: fill and box),
where a merged range starts, and the lines on the row's edges and between its cells. Merges, heights and values are not
copied by Excel's format copy and are drawn for every row; a row crossed by a merged range
of several rows is never copied. A format copy also copies conditional formats, so those
are added once every sheet is formatted. Pure: the painter draws the plan.
"""
from __future__ import annotations

from collections import defaultdict

from ..layout.types import SheetLayout
from .xlwings_borders import wanted_segments

# sheet copied from (None: this one), its first row, the first row copied to, rows
Stamp = tuple[object, int, int, int]
_NOTHING = ((),) + (frozenset(),) * 6  # the signature of a row with no cell and no line
_TRIED = 12  # sources tried for a block: the latest rows that look like its first


def row_signatures(layout: SheetLayout) -> list[object]:
    """For each row 0 .. last_row, what its formats must be; rows that can never be
    copied (a merged range of several rows crosses them) get a signature of their own."""
    merges = [(c.row, c.col, *c.merge_to) for c in layout.cells if c.merge_to]
    boxes = [(c.row, c.col, *(c.merge_to or (c.row, c.col))) for c in layout.cells if c.style.border]
    horizontal, vertical, hidden_h, hidden_v = wanted_segments(boxes, merges)
    row_cells: dict[int, list] = defaultdict(list)
    for cell in layout.cells:
        has_text = cell.formula is not None or cell.link is not None or cell.value not in (None, "")
        look = cell.style if has_text else (cell.style.fill, cell.style.border)
        span = (cell.merge_to[0] - cell.row, cell.merge_to[1] - cell.col) if cell.merge_to else None
        row_cells[cell.row].append((cell.col, has_text, look, span))
    lines: dict[tuple[str, int], set] = defaultdict(set)
    for kind, found in (("h", horizontal), ("hh", hidden_h), ("v", vertical), ("hv", hidden_v)):
        for line, at in found:
            lines[(kind, line)].add(at)
    tall = {r for r0, _, r1, _ in merges if r1 > r0 for r in range(r0, r1 + 1)}
    signatures: list[object] = []
    for r in range(layout.last_row + 1):
        if r in tall:
            signatures.append(object())  # equal to nothing
            continue
        signatures.append((tuple(sorted(row_cells[r], key=lambda item: item[0])),
                           frozenset(lines[("h", r)]), frozenset(lines[("h", r + 1)]),
                           frozenset(lines[("hh", r)]), frozenset(lines[("hh", r + 1)]),
                           frozenset(lines[("v", r)]), frozenset(lines[("hv", r)])))
    return signatures


def stamps(layout: SheetLayout, shortest: int = 1, drawn: dict | None = None) -> list[Stamp]:
    """Blocks of rows to copy, top to bottom, each from rows that must look the same: above
    it on this sheet (drawn, or copied by an earlier stamp), or on a sheet already drawn
    (``drawn``: its key -> its ``row_signatures``). Blocks start on a row with something to
    draw and are at least ``shortest`` rows long; each is ``(sheet key or None for this
    sheet, first row copied from, first row copied to, rows)``. The last few rows that look
    alike are tried as sources, the longest match kept."""
    ids: dict[object, int] = {_NOTHING: 0}  # signatures as small numbers, quick to compare
    number = lambda rows: [ids.setdefault(sig, len(ids)) for sig in rows]  # noqa: E731
    signatures = number(row_signatures(layout))
    others = {key: number(rows) for key, rows in (drawn or {}).items()}
    seen: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for key, rows in others.items():
        for i, sig in enumerate(rows):
            seen[sig].append((key, i))
    plan: list[Stamp] = []
    r, last = 0, len(signatures)
    while r < last:
        best_rows, best_from = 0, None
        for key, p in (seen.get(signatures[r], [])[-_TRIED:] if signatures[r] else ()):
            rows = signatures if key is None else others[key]
            n = 0
            # on this sheet the source rows, and the row below them (whose top line is
            # their bottom line), must be final: above the rows copied to
            while (r + n < last and p + n < len(rows) and (key is not None or p + n + 1 < r)
                   and rows[p + n] == signatures[r + n]):
                n += 1
            if n > best_rows:
                best_rows, best_from = n, (key, p)
        if best_rows >= shortest:
            plan.append((*best_from, r, best_rows))
            for i in range(r, r + best_rows):
                seen[signatures[i]].append((None, i))
            r += best_rows
        else:
            seen[signatures[r]].append((None, r))
            r += 1
    return plan
