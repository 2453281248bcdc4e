"""Render a ``Layout`` into a workbook open in Excel, through xlwings.

The same ``Layout`` the file writer (``xlsx_writer``) renders, drawn into an ``xw.Book``
whichever engine runs it: desktop Excel (Windows/macOS) or xlwings Server's remote engine
(Office.js). Only the sheets the layout names, and the ones an earlier run recorded as
its own, are deleted and drawn again; nothing else in the book is touched.

Everything is worked out first and then written in blocks, so a sample build costs a
few hundred engine calls, not one per cell:

* values: one ``.value =`` per band of consecutive non-empty rows;
* formulas (the live RAG formulas, chart-data targets, internal links as ``HYPERLINK``):
  one ``.formula =`` per rectangle of formula cells;
* formats: one call per formatting property and value (bold, a fill colour, a number
  format ...) per rectangle of cells sharing it;
* widths and heights: one call per run of columns or rows of the same size;
* conditional formats: one per rule, with the layout's formula and range.

``write_book`` returns a ``BookWrite`` whose ``calls`` is the number of engine calls (on
the remote engine, exactly the number of actions sent back to Excel) and whose ``notes``
say what this engine could not draw (sparklines, print settings, part of the charts).

Text typed by a person is never turned into a formula: a string Excel would parse
(one starting ``= + - @ #`` or ``'``, or one that holds a digit or reads TRUE/FALSE and
could become a number or a date) is written with a leading apostrophe, which Excel,
desktop and Office.js alike, takes as "this is text" and does not show.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from ..layout.types import Cell, Layout, SheetLayout, Style, a1, quote

BORDER_COLOUR = "#A6A6A6"
MARKER_NAME = "kpi_xl_sheets"  # defined names kpi_xl_sheets_1, _2 ... list the sheets drawn
MARKER_CHUNK = 240  # a string constant in a formula holds at most 255 characters
TEMP_SHEET = "kpi_xl working"
RECORD_NAME = "kpi_xl_record"  # names kpi_xl_record_1, _2 ... hold kpi_xl.run.carry's record of what was written
_ALIGN = {"left": "left", "center": "center", "centre": "center", "right": "right"}
_VALIGN = {"top": "top", "vcenter": "center", "center": "center", "bottom": "bottom"}
_VISIBLE_WHEN_EMPTY = ("fill", "border")


# -- the record kpi_xl keeps in every scorecard (read back by run.carry) ------------------


def record_names(layout: Layout) -> list[tuple[str, str]]:
    """(defined name, formula) pairs holding ``layout.record`` and the cells each sheet
    fills with a value; written by both writers. Empty for layouts that are not scorecards."""
    if not layout.record:
        return []
    cells = {}
    for sheet in layout.sheets:
        filled = {(c.row, c.col) for c in sheet.cells if c.value not in (None, "")}
        cells[sheet.name] = ",".join(a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"
                                     for r0, c0, r1, c1 in rectangles(filled))
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
    done: list[tuple[int, int, int, int]] = []
    active: dict[tuple[int, int], tuple[int, int]] = {}  # (c0, c1) -> (r0, r1)
    for r in sorted(by_row):
        cols = sorted(by_row[r])
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


# -- the report -----------------------------------------------------------------------------


@dataclass
class BookWrite:
    """What ``write_book`` did: engine calls by kind, sheets drawn, what was skipped."""

    engine: str
    sheets: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(self.by_kind.values())

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


class _Painter:
    """Issues the engine calls for one book and counts them."""

    def __init__(self, book, report: BookWrite):
        self.book = book
        self.report = report
        self.remote = report.engine == "remote"

    def tally(self, kind: str, n: int = 1) -> None:
        self.report.by_kind[kind] += n

    @staticmethod
    def rng(sheet, r0, c0, r1=None, c1=None):
        if r1 is None:
            return sheet.range((r0 + 1, c0 + 1))
        return sheet.range((r0 + 1, c0 + 1), (r1 + 1, c1 + 1))

    # sheets ------------------------------------------------------------------------------
    def draw(self, sheet, layout: SheetLayout, font: str, font_size: float) -> None:
        cells = layout.cells
        if not cells and not layout.charts:
            return
        merged: dict[tuple[int, int], Cell] = {}
        for cell in cells:
            if cell.merge_to:
                for r in range(cell.row, cell.merge_to[0] + 1):
                    for c in range(cell.col, cell.merge_to[1] + 1):
                        merged[(r, c)] = cell
        last_row, last_col = layout.last_row, layout.last_col
        # base font over the drawn area
        area = self.rng(sheet, 0, 0, last_row, last_col)
        area.font.name = font
        area.font.size = font_size
        self.tally("font", 2)
        self.values(sheet, cells)
        self.formulas(sheet, cells)
        self.formats(sheet, cells, merged, font_size, (last_row, last_col))
        for cell in cells:
            if cell.merge_to:
                self.rng(sheet, cell.row, cell.col, *cell.merge_to).merge()
                self.tally("merge")
        for c0, c1, width in runs(layout.widths):
            self.rng(sheet, 0, c0, 0, c1).column_width = chars_to_points(width) if self.remote else width
            self.tally("column width")
        for r0, r1, height in runs(layout.heights):
            self.rng(sheet, r0, 0, r1, 0).row_height = height
            self.tally("row height")
        for cf in layout.cond_formats:
            style = cf.style
            self.rng(sheet, cf.first_row, cf.first_col, cf.last_row, cf.last_col).conditional_formats.add_custom(
                cf.formula, fill_color=style.fill, font_color=style.colour,
                font_bold=True if style.bold else None, font_italic=True if style.italic else None)
            self.tally("conditional format")
        for chart in layout.charts:
            self.chart(sheet, chart)
        if layout.sparklines:
            self.report.note("Sparklines are drawn only in the scorecard file: Excel's add-in interfaces "
                             "cannot create them.")
        if layout.freeze:
            self.freeze(sheet, *layout.freeze)
        self.show_gridlines(sheet)
        self.page_setup(sheet, layout.print_setup)

    def values(self, sheet, cells: list[Cell]) -> None:
        grid: dict[int, dict[int, object]] = defaultdict(dict)
        for cell in cells:
            if cell.formula or cell.link or cell.value is None or cell.value == "":
                continue
            value = cell.value
            if isinstance(value, str):
                value = excel_text(value)
            grid[cell.row][cell.col] = value
        rows = sorted(grid)
        bands: list[list[int]] = []
        for r in rows:
            if bands and bands[-1][-1] == r - 1:
                bands[-1].append(r)
            else:
                bands.append([r])
        for band in bands:
            c0 = min(min(grid[r]) for r in band)
            c1 = max(max(grid[r]) for r in band)
            block = [[grid[r].get(c) for c in range(c0, c1 + 1)] for r in band]
            self.rng(sheet, band[0], c0, band[-1], c1).value = block
            self.tally("values")

    def formulas(self, sheet, cells: list[Cell]) -> None:
        formulas: dict[tuple[int, int], str] = {}
        for cell in cells:
            if cell.link:
                formulas[(cell.row, cell.col)] = hyperlink_formula(cell.link, cell.value)
            elif cell.formula:
                formulas[(cell.row, cell.col)] = cell.formula
        for r0, c0, r1, c1 in rectangles(formulas):
            block = [[formulas[(r, c)] for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
            self.rng(sheet, r0, c0, r1, c1).formula = block
            self.tally("formulas")

    def formats(self, sheet, cells: list[Cell], merged: dict, base_size: float, area: tuple[int, int]) -> None:
        """One call per (property, value) per rectangle of cells sharing it.

        Font, alignment, wrap and number format are invisible on a cell with nothing in
        it (and on the hidden part of a merged range), so those cells may join any
        rectangle: fewer, larger rectangles. Fills and borders show everywhere, so they
        cover exactly their cells. The commonest vertical alignment goes on the whole
        area first, then the others on top."""
        groups: dict[tuple[str, object], set[tuple[int, int]]] = defaultdict(set)
        filled: set[tuple[int, int]] = set()
        for cell in cells:
            spots = ([(r, c) for (r, c), owner in merged.items() if owner is cell]
                     if cell.merge_to else [(cell.row, cell.col)])
            has_text = cell.formula is not None or cell.link is not None or cell.value not in (None, "")
            if has_text:
                filled.add((cell.row, cell.col))
            for key in _style_keys(cell.style, base_size):
                if key[0] in _VISIBLE_WHEN_EMPTY:
                    groups[key].update(spots)
                elif has_text:
                    groups[key].add((cell.row, cell.col))
        merges = {(c.row, c.col, *c.merge_to) for c in cells if c.merge_to}
        rows, cols = area
        free = {(r, c) for r in range(rows + 1) for c in range(cols + 1)} - filled
        valigns = Counter({key: len(spots) for key, spots in groups.items() if key[0] == "valign"})
        if valigns:
            base = valigns.most_common(1)[0][0]
            self.apply(self.rng(sheet, 0, 0, rows, cols), *base, (rows + 1, cols + 1))
            groups.pop(base)
        for (prop, value), spots in sorted(groups.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            if prop in _VISIBLE_WHEN_EMPTY:
                rects = rectangles(spots)
            else:
                rects = [rect for rect in rectangles(spots | free)
                         if any((r, c) in spots for r in range(rect[0], rect[2] + 1)
                                for c in range(rect[1], rect[3] + 1))]
            for r0, c0, r1, c1 in rects:
                # a merged range shows as one cell: its edges only
                shape = (1, 1) if (r0, c0, r1, c1) in merges else (r1 - r0 + 1, c1 - c0 + 1)
                self.apply(self.rng(sheet, r0, c0, r1, c1), prop, value, shape)

    def apply(self, rng, prop: str, value, shape: tuple[int, int] = (1, 1)) -> None:
        if prop == "bold":
            rng.font.bold = True
        elif prop == "italic":
            rng.font.italic = True
        elif prop == "size":
            rng.font.size = value
        elif prop == "colour":
            rng.font.color = value
        elif prop == "fill":
            rng.color = value
        elif prop == "num_format":
            rng.number_format = value
        elif prop == "align":
            rng.horizontal_alignment = value
        elif prop == "valign":
            rng.vertical_alignment = value
        elif prop == "wrap":
            rng.wrap_text = True
        elif prop == "indent":
            rng.adjust_indent(value)
        elif prop == "border":  # every cell boxed: the edges, and the inside lines a block has
            sides = ["edge_top", "edge_bottom", "edge_left", "edge_right"]
            if shape[1] > 1:
                sides.append("inside_vertical")
            if shape[0] > 1:
                sides.append("inside_horizontal")
            rng.borders.set(sides, line_style="continuous", color=BORDER_COLOUR)
            self.tally("format: border", 2 * len(sides) - 1)  # per side: colour, line style
        self.tally(f"format: {prop}")

    # pieces the engines differ on ----------------------------------------------------------
    def chart(self, sheet, chart) -> None:
        """A line chart of the indicator's own figures. xlwings builds a chart from one
        source range and cannot reach its series on the remote engine, so the target and
        last-year lines (other cells of the chart data row) and the series colours are
        drawn only in the scorecard file."""
        first = chart.series[0]
        try:
            src_sheet, src_ref = split_ref(first.values)
            cat_sheet, cat_ref = split_ref(first.categories)
            source = self.book.sheets[src_sheet].range(src_ref)
            xl_chart = sheet.charts.add(width=chart.width * 0.75, height=chart.height * 0.75,
                                        chart_type="line_markers",
                                        anchor=self.rng(sheet, chart.row, chart.col))
            xl_chart.set_source_data(source, plot_by="rows")
            xl_chart.set_x_axis_values(self.book.sheets[cat_sheet].range(cat_ref))
            xl_chart.title = chart.title
            xl_chart.legend.visible = False  # one series; the title names the indicator
            self.tally("chart", 4)
        except (NotImplementedError, AttributeError, ValueError, TypeError) as exc:
            self.report.note(f"Charts were not drawn in the workbook ({type(exc).__name__}: {exc}); "
                             "they are in the scorecard file.")
            return
        if len(chart.series) > 1:
            self.report.note("Charts in the workbook show each indicator's figures; the target and "
                             "last-year lines are drawn only in the scorecard file.")

    def page_setup(self, sheet, ps) -> None:
        """The layout's print area on every engine; on desktop Excel for Windows also the
        paper, orientation, fit to pages and repeated title rows (through COM). Headers,
        footers and page breaks are set only in the scorecard file."""
        if ps.print_area:
            r0, c0, r1, c1 = ps.print_area
            try:
                sheet.page_setup.print_area = f"{a1(r0, c0)}:{a1(r1, c1)}"
                self.tally("print area")
            except (NotImplementedError, AttributeError):
                pass
        if not self.remote:
            try:
                setup = sheet.api.PageSetup
                setup.Zoom = False
                setup.FitToPagesWide = ps.fit_width or False  # False: as many pages as needed
                setup.FitToPagesTall = ps.fit_height or False
                setup.Orientation = 2 if ps.landscape else 1  # xlLandscape, xlPortrait
                setup.PaperSize = ps.paper  # Excel's own paper numbers, as in the file
                if ps.repeat_rows:
                    setup.PrintTitleRows = f"${ps.repeat_rows[0] + 1}:${ps.repeat_rows[1] + 1}"
                self.tally("page setup", 6)
                self.report.note("Headers, footers and page breaks are set only in the scorecard file.")
                return
            except Exception:  # noqa: BLE001  (macOS, or no printer)
                pass
        self.report.note("Page setup (A4 landscape, fit to the page width, headers and footers, page breaks) "
                         "is set only in the scorecard file.")

    def freeze(self, sheet, rows: int, cols: int) -> None:
        if rows == 0 and cols == 0:
            return
        if self.remote:
            # Office.js freezes the range given: the top rows and left columns
            if cols == 0:
                frozen = f"1:{rows}"
            elif rows == 0:
                frozen = f"A:{a1(0, cols - 1)[:-1]}"
            else:
                frozen = f"A1:{a1(rows - 1, cols - 1)}"
            sheet.freeze_panes.freeze_at(frozen)
            self.tally("freeze panes")
            return
        try:  # desktop Excel: xlwings has no freeze panes there, so use the window (Windows COM)
            sheet.activate()
            window = self.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = rows, cols
            window.FreezePanes = True
            self.tally("freeze panes", 5)
        except Exception:  # noqa: BLE001  (macOS, or no window)
            self.report.note("Panes could not be frozen on this Excel; they are frozen in the scorecard file.")

    def show_gridlines(self, sheet) -> None:
        try:
            sheet.show_gridlines = False
            self.tally("gridlines")
        except (NotImplementedError, AttributeError):
            pass


def _style_keys(style: Style, base_size: float) -> list[tuple[str, object]]:
    keys: list[tuple[str, object]] = []
    if style.bold:
        keys.append(("bold", True))
    if style.italic:
        keys.append(("italic", True))
    if style.size and style.size != base_size:
        keys.append(("size", style.size))
    if style.colour:
        keys.append(("colour", style.colour))
    if style.fill:
        keys.append(("fill", style.fill))
    if style.num_format:
        keys.append(("num_format", style.num_format))
    if style.align in _ALIGN:
        keys.append(("align", _ALIGN[style.align]))
    keys.append(("valign", _VALIGN.get(style.valign, "bottom")))
    if style.wrap:
        keys.append(("wrap", True))
    if style.border:
        keys.append(("border", True))
    if style.indent:
        keys.append(("indent", style.indent))
    return keys


def renamed(layout: Layout, mapping: dict[str, str]) -> Layout:
    """A copy of ``layout`` with sheets renamed (``{old: new}``) and every reference to
    them (links, formulas, chart series, sparklines, conditional formats) following."""
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
                       cells=[replace(c, formula=fix(c.formula), link=fix(c.link)) for c in sheet.cells],
                       cond_formats=[replace(cf, formula=fix(cf.formula)) for cf in sheet.cond_formats],
                       charts=[replace(ch, series=tuple(replace(se, categories=fix(se.categories),
                                                                 values=fix(se.values)) for se in ch.series))
                               for ch in sheet.charts],
                       sparklines=[replace(sp, source=fix(sp.source)) for sp in sheet.sparklines])
        sheets.append(copy)
    return replace(layout, sheets=sheets)


# -- the book --------------------------------------------------------------------------------


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


def write_book(layout: Layout, book, replace: bool = True, protect=(), record: bool = True) -> BookWrite:
    """Draw every sheet of ``layout`` into the open ``book``.

    With ``replace`` (the default), the book's sheets of the same names, and those an
    earlier run recorded as its own, are deleted first; the new sheets go where the first
    of them was (else at the end). Sheets named in ``protect`` (the raw input sheets) are
    never deleted: a layout sheet of such a name is refused with ``ValueError``.
    Without ``replace``, a sheet of the same name is refused too. With ``record`` (the
    default) the sheets drawn are listed in the book's ``kpi_xl_sheets_N`` names, so the
    next run also removes any of them the new layout no longer has (a section dropped).
    Returns a ``BookWrite`` with the number of engine calls.
    """

    engine = getattr(getattr(book.app, "engine", None), "name", "excel")
    report = BookWrite(engine=engine)
    painter = _Painter(book, report)
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
    doomed = [n for n in existing if n.casefold() in doomed_keys and n.casefold() not in protected] \
        if replace else []
    position = next((i for i, n in enumerate(existing) if n in doomed), None)
    temp = None
    if doomed and len(doomed) == len(existing):  # a book must keep one sheet at all times
        temp = book.sheets.add(TEMP_SHEET, after=book.sheets[len(book.sheets) - 1])
        report.by_kind["sheets"] += 1
    for name in doomed:
        book.sheets[name].delete()
        report.by_kind["sheets"] += 1
        report.deleted.append(name)
    _delete_names(book, report, {n for s in layout.sheets for n, _ in s.names}, markers=record)
    # add every sheet before drawing any, so formulas and links between them resolve
    remaining = [s.name for s in book.sheets]
    if position is not None:
        position = sum(1 for n in existing[:position] if n in remaining)
    added = []
    for spec in layout.sheets:
        if added:
            sheet = book.sheets.add(spec.name, after=added[-1])
        elif position is not None and position < len(book.sheets) and book.sheets[position].name != TEMP_SHEET:
            sheet = book.sheets.add(spec.name, before=book.sheets[position])
        else:
            sheet = book.sheets.add(spec.name, after=book.sheets[len(book.sheets) - 1])
        added.append(sheet)
        report.by_kind["sheets"] += 1
    for sheet, spec in zip(added, layout.sheets):
        painter.draw(sheet, spec, layout.font, layout.font_size)
        report.sheets.append(spec.name)
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
    if temp is not None:
        book.sheets[TEMP_SHEET].delete()
        report.by_kind["sheets"] += 1
    if added:
        added[0].activate()
        report.by_kind["activate"] += 1
    return report
