"""Render a ``Layout`` into a workbook open in Excel, through xlwings.

The same ``Layout`` the file writer (``xlsx_writer``) renders, drawn into an ``xw.Book``
whichever engine runs it: desktop Excel (Windows/macOS) or xlwings Server's remote engine
(Office.js). Only the sheets the layout names, and the ones an earlier run recorded as
its own, are replaced; nothing else in the book is touched.

A redraw never leaves half a scorecard over the last good one: the new sheets are drawn
under temporary names (hidden, on the remote engine) beside the old ones, and only when
every one is drawn are the old sheets deleted and the new ones renamed (Excel rewrites
the formulas, conditional formats and charts that refer to them). If Excel refuses an
action halfway, the old scorecard is still there: desktop Excel's error reaches Python and
the half-drawn sheets are deleted at once; on the remote engine the actions stop at the
failing one, and the next click deletes the hidden leftovers.

``write_book`` returns a ``BookWrite`` whose ``calls`` is the number of engine calls (on
the remote engine, exactly the number of actions sent back to Excel) and whose ``notes``
say what this engine could not draw (sparklines, print settings, on desktop Excel part of
the charts).
How each sheet is drawn: ``xlwings_painter``; text, geometry and the record:
``xlwings_cells``.

Text typed by a person is never turned into a formula: a string Excel would parse
(one starting ``= + - @ #`` or ``'``, or one that holds a digit or reads TRUE/FALSE and
could become a number or a date) is written with a leading apostrophe, which Excel,
desktop and Office.js alike, takes as "this is text" and does not show.
"""
from __future__ import annotations

import re

from ..layout.types import Layout, quote
from .xlwings_cells import (MARKER_CHUNK, MARKER_NAME, RECORD_NAME, excel_text, formula_string,  # noqa: F401
                            hyperlink_formula, record_names, rectangles, renamed, runs, split_ref)
from .xlwings_painter import BookWrite, Painter

DRAFT_PREFIX = "kpi_xl draft "  # the new sheets' names until they replace the old ones
_DRAFT = re.compile(re.escape(DRAFT_PREFIX) + r"\d+", re.IGNORECASE)


def recorded_sheets(book) -> list[str]:
    """The sheets an earlier ``write_book`` drew, from its ``kpi_xl_sheets_N`` names."""
    parts = []
    for name in book.names:
        m = re.fullmatch(MARKER_NAME + r"_(\d+)", name.name.split("!")[-1])
        if m:
            text = str(name.refers_to).lstrip("=").strip()
            if len(text) >= 2 and text[0] == text[-1] == '"':
                parts.append((int(m.group(1)), text[1:-1].replace('""', '"')))
    joined = "".join(text for _, text in sorted(parts))
    return [s for s in joined.split("|") if s]


def _delete_names(book, report: BookWrite, wanted, markers: bool) -> None:
    for name in list(book.names):
        short = name.name.split("!")[-1]
        if short in wanted or (markers and re.fullmatch(rf"(?:{MARKER_NAME}|{RECORD_NAME})_\d+", short)):
            name.delete()
            report.by_kind["names"] += 1


def draft_names(wanted: list[str], existing: list[str]) -> dict[str, str]:
    """A temporary name for each sheet of the layout, free in the book."""
    taken = {n.casefold() for n in existing}
    found, i = {}, 0
    for name in wanted:
        i += 1
        while f"{DRAFT_PREFIX}{i}".casefold() in taken:
            i += 1
        found[name] = f"{DRAFT_PREFIX}{i}"
    return found


def write_book(layout: Layout, book, replace: bool = True, protect=(), record: bool = True) -> BookWrite:
    """Draw every sheet of ``layout`` into the open ``book``.

    With ``replace`` (the default), the book's sheets of the same names, those an earlier
    run recorded as its own, and drafts an interrupted run left, are replaced; the new
    sheets go where the first of them was (else at the end). Sheets named in ``protect``
    (the raw input sheets) are never deleted: a layout sheet of such a name is refused with
    ``ValueError``. Without ``replace``, a sheet of the same name is refused too. With
    ``record`` (the default) the sheets drawn are listed in the book's ``kpi_xl_sheets_N``
    names, so the next run also removes any of them the new layout no longer has (a section
    dropped). Returns a ``BookWrite`` with the number of engine calls.
    """
    engine = getattr(getattr(book.app, "engine", None), "name", "excel")
    report = BookWrite(engine=engine)
    painter = Painter(book, report)
    protected = {p.casefold() for p in protect}
    wanted = [s.name for s in layout.sheets]
    clash = [n for n in wanted if n.casefold() in protected]
    if clash:
        raise ValueError(f"the scorecard would replace the input sheet(s) {', '.join(clash)}")
    existing = [s.name for s in book.sheets]
    if not replace and any(n.casefold() in {e.casefold() for e in existing} for n in wanted):
        raise ValueError("the workbook already has sheets of these names: "
                         + ", ".join(n for n in wanted if n.casefold() in {e.casefold() for e in existing}))
    doomed_keys = {n.casefold() for n in wanted}
    if record:
        doomed_keys |= {n.casefold() for n in recorded_sheets(book)}
    doomed = [n for n in existing if (n.casefold() in doomed_keys or _DRAFT.fullmatch(n))
              and n.casefold() not in protected] if replace else []
    # new sheets only (not ``replace``): nothing to keep safe, so they are drawn as they are named
    drafts = draft_names(wanted, existing) if replace else {}
    hidden = bool(drafts) and painter.remote
    added = _draw_drafts(layout, book, painter, drafts, hidden,
                         before=next((n for n in existing if n in doomed), None))
    # every sheet is drawn: swap them in
    if hidden:
        for sheet in added:
            sheet.visible = True
            report.by_kind["sheets"] += 1
    for name in doomed:
        book.sheets[name].delete()
        report.by_kind["sheets"] += 1
        report.deleted.append(name)
    _delete_names(book, report, {n for s in layout.sheets for n, _ in s.names}, markers=record)
    for sheet, name in zip(added, wanted):
        if drafts:
            sheet.name = name
            report.by_kind["sheets"] += 1
        report.sheets.append(name)
    for spec in layout.sheets:
        for name, ref in spec.names:
            book.names.add(name, f"={quote(spec.name)}!{ref}")
            report.by_kind["names"] += 1
    for name, formula in record_names(layout) if record else []:
        book.names.add(name, formula)
        report.by_kind["names"] += 1
    text = "|".join(wanted) if record else ""
    for i in range(0, len(text), MARKER_CHUNK):
        book.names.add(f"{MARKER_NAME}_{i // MARKER_CHUNK + 1}", "=" + formula_string(text[i:i + MARKER_CHUNK]))
        report.by_kind["names"] += 1
    if added:
        added[0].activate()
        report.by_kind["activate"] += 1
    return report


def _draw_drafts(layout: Layout, book, painter: Painter, drafts: dict[str, str], hidden: bool,
                 before: str | None) -> list:
    """Add every sheet of ``layout`` under its draft name (before the sheet ``before``, else
    at the end; ``hidden`` if asked) and draw them all, references between them
    following the draft names. If the engine fails halfway (desktop Excel raises at once),
    the drafts are deleted again and the error passes on."""
    report = painter.report
    draft = renamed(layout, drafts, links=False)
    added = []
    try:
        # add every sheet before drawing any, so formulas and links between them resolve
        for spec in draft.sheets:
            if added:
                sheet = book.sheets.add(spec.name, after=added[-1])
            elif before is not None:
                sheet = book.sheets.add(spec.name, before=book.sheets[before])
            else:
                sheet = book.sheets.add(spec.name, after=book.sheets[len(book.sheets) - 1])
            added.append(sheet)
            report.by_kind["sheets"] += 1
            if hidden:
                sheet.visible = False  # a click that fails halfway leaves nothing to see
                report.by_kind["sheets"] += 1
        for sheet, spec in zip(added, draft.sheets):
            painter.draw(sheet, spec, layout.font, layout.font_size)
        for sheet, spec in zip(added, draft.sheets):
            painter.conditional_formats(sheet, spec)
    except Exception:
        for sheet in reversed(added):
            try:
                sheet.delete()
            except Exception:  # noqa: BLE001  (Excel may be gone; the next click removes drafts)
                pass
        raise
    return added
