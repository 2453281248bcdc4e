"""The cell borders of a sheet as few (range, sides) strokes as Excel's add-in interface allows.

Every boxed cell of a layout (a merged range counts as one cell) has a thin line on its
four sides. xlwings Server sends one action per side, per range and per attribute (colour,
line style), so a border costs 2 actions a side whatever the range's size. Drawing each
rectangle of boxed cells with its own edges repeats the lines two neighbouring boxes share,
and cannot join boxes that are not side by side.

So the lines are worked out first, as unit segments:

* a horizontal segment ``(y, c)`` lies on the top edge of row ``y`` at column ``c``;
* a vertical segment ``(r, x)`` lies on the left edge of column ``x`` at row ``r``;

and then covered with strokes: a run of columns on consecutive row edges is one range's
top edge, inside horizontal lines and bottom edge (three sides, however many rows);
likewise for columns. Segments inside a merged range are never shown by Excel, so a stroke
may cross them; no stroke draws a segment that is neither wanted nor hidden that way.
"""
from __future__ import annotations

from collections import defaultdict

Rect = tuple[int, int, int, int]  # r0, c0, r1, c1 (inclusive)
Stroke = tuple[Rect, tuple[str, ...]]


def wanted_segments(boxes: list[Rect], merges: list[Rect]):
    """The horizontal and vertical segments boxed cells ``boxes`` show, and those hidden
    inside the merged ranges ``merges`` (which a stroke may cross)."""
    horizontal: set[tuple[int, int]] = set()
    vertical: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in boxes:
        for c in range(c0, c1 + 1):
            horizontal |= {(r0, c), (r1 + 1, c)}
        for r in range(r0, r1 + 1):
            vertical |= {(r, c0), (r, c1 + 1)}
    hidden_h = {(y, c) for r0, c0, r1, c1 in merges for y in range(r0 + 1, r1 + 1) for c in range(c0, c1 + 1)}
    hidden_v = {(r, x) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for x in range(c0 + 1, c1 + 1)}
    return horizontal, vertical, hidden_h - horizontal, hidden_v - vertical


def _pieces(wanted: set[tuple[int, int]], hidden: set[tuple[int, int]]):
    """Per line (the first index), the runs along it (second index) of wanted or hidden
    segments, trimmed to start and end on a wanted one: ``{line: [(a0, a1)]}``."""
    along: dict[int, set[int]] = defaultdict(set)
    for line, at in wanted | hidden:
        along[line].add(at)
    found: dict[int, list[tuple[int, int]]] = {}
    for line in sorted(along):
        spots = sorted(along[line])
        runs, start = [], spots[0]
        for prev, at in zip(spots, spots[1:] + [None]):
            if at is None or at != prev + 1:
                runs.append((start, prev))
                start = at
        for a0, a1 in runs:
            marks = [a for a in range(a0, a1 + 1) if (line, a) in wanted]
            if marks:
                found.setdefault(line, []).append((marks[0], marks[-1]))
    return found


def _groups(pieces: dict[int, list[tuple[int, int]]]):
    """Pieces with the same span on consecutive lines joined: ``[(line0, line1, a0, a1)]``."""
    done: list[tuple[int, int, int, int]] = []
    open_: dict[tuple[int, int], int] = {}  # span -> first line of its group, which reaches the line before
    last = None
    for line in sorted(pieces):
        if last is not None and line != last + 1:
            done.extend((first, last, *span) for span, first in open_.items())
            open_ = {}
        now = {span: open_.pop(span, line) for span in pieces[line]}
        done.extend((first, line - 1, *span) for span, first in open_.items())
        open_, last = now, line
    done.extend((first, last, *span) for span, first in open_.items())
    return sorted(done)


def border_strokes(boxes: list[Rect], merges: list[Rect]) -> list[Stroke]:
    """Strokes ``((r0, c0, r1, c1), sides)`` that draw exactly the lines of ``boxes``
    (each a boxed cell or merged range) on a sheet with the merged ranges ``merges``.

    Sides are xlwings' names (``edge_top`` ... ``inside_horizontal``). A single line is
    drawn as an edge of the boxed cells beside it, so it prints with them."""
    horizontal, vertical, hidden_h, hidden_v = wanted_segments(boxes, merges)
    boxed = {(r, c) for r0, c0, r1, c1 in boxes for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    strokes: list[Stroke] = []
    for y0, y1, c0, c1 in _groups(_pieces(horizontal, hidden_h)):
        if y1 > y0:
            sides = ("edge_top", "edge_bottom") + (("inside_horizontal",) if y1 - y0 > 1 else ())
            strokes.append(((y0, c0, y1 - 1, c1), sides))
        elif any((y0, c) in boxed for c in range(c0, c1 + 1)) or y0 == 0:
            strokes.append(((y0, c0, y0, c1), ("edge_top",)))
        else:
            strokes.append(((y0 - 1, c0, y0 - 1, c1), ("edge_bottom",)))
    flipped = {(x, r) for r, x in vertical}
    for x0, x1, r0, r1 in _groups(_pieces(flipped, {(x, r) for r, x in hidden_v})):
        if x1 > x0:
            sides = ("edge_left", "edge_right") + (("inside_vertical",) if x1 - x0 > 1 else ())
            strokes.append(((r0, x0, r1, x1 - 1), sides))
        elif any((r, x0) in boxed for r in range(r0, r1 + 1)) or x0 == 0:
            strokes.append(((r0, x0, r1, x0), ("edge_left",)))
        else:
            strokes.append(((r0, x0 - 1, r1, x0 - 1), ("edge_right",)))
    return strokes


def drawn_segments(strokes: list[Stroke]):
    """The horizontal and vertical segments ``strokes`` draw (for checking a cover)."""
    horizontal: set[tuple[int, int]] = set()
    vertical: set[tuple[int, int]] = set()
    for (r0, c0, r1, c1), sides in strokes:
        ys = {"edge_top": [r0], "edge_bottom": [r1 + 1], "inside_horizontal": range(r0 + 1, r1 + 1)}
        xs = {"edge_left": [c0], "edge_right": [c1 + 1], "inside_vertical": range(c0 + 1, c1 + 1)}
        for side in sides:
            horizontal |= {(y, c) for y in ys.get(side, ()) for c in range(c0, c1 + 1)}
            vertical |= {(r, x) for x in xs.get(side, ()) for r in range(r0, r1 + 1)}
    return horizontal, vertical
