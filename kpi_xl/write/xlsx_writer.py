"""Render a ``Layout`` as a new xlsx file with XlsxWriter."""
from __future__ import annotations

import datetime as dt
import gc
import io
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..paused import collector_paused
from ..layout.types import Layout, SheetLayout, Style
from .xlwings_cells import record_names

if TYPE_CHECKING:
    from .xlsx_charts import Drawing

BORDER_COLOUR = "#A6A6A6"
#: XlsxWriter's settings for every scorecard: each cell as the layout gives it, never read as a formula, link or number
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
#: The document date of a file written with none given: a constant, so the same input gives the same bytes.
FIXED_DOCUMENT_DATE = dt.datetime(2000, 1, 1)


class _Formats:
    """One XlsxWriter format per distinct ``Style`` (XlsxWriter wants them shared)."""

    def __init__(self, workbook, font: str, size: float):
        self.workbook, self.font, self.size = workbook, font, size
        self.cache: dict[Style, object] = {}
        #: id(style) -> (style, format): a cell's style is looked up by identity first (most
        #: cells share their style object), which is cheaper than hashing its eleven fields;
        #: the style is kept so its id is never reused for another
        self.seen: dict[int, tuple[Style, object]] = {}

    def props(self, style: Style, conditional: bool = False) -> dict:
        props: dict = {}
        if not conditional:
            props.update(font_name=self.font, font_size=style.size or self.size, valign=style.valign)
        if style.bold:
            props["bold"] = True
        if style.italic:
            props["italic"] = True
        if style.colour:
            props["font_color"] = style.colour
        if style.fill:
            props["bg_color"] = style.fill
            if not conditional:
                props["pattern"] = 1
        if style.num_format:
            props["num_format"] = style.num_format
        if style.align:
            props["align"] = style.align
        if style.wrap:
            props["text_wrap"] = True
        if style.border:
            props.update(border=1, border_color=BORDER_COLOUR)
        if style.indent:
            props["indent"] = style.indent
        return props

    def get(self, style: Style):
        seen = self.seen.get(id(style))
        if seen is not None:
            return seen[1]
        if style not in self.cache:
            self.cache[style] = self.workbook.add_format(self.props(style))
        self.seen[id(style)] = (style, self.cache[style])
        return self.cache[style]


def write_xlsx(layout: Layout, path: str | Path, created: dt.datetime | None = None, *,
               release: bool = False, standby=None, parsed: set[str] | None = None) -> Path:
    """Write ``layout`` to ``path``. ``created`` fixes the document date (same input, same bytes).

    ``release``: let each sheet's cells and charts go once XlsxWriter has them (the layout is
    left with empty ``cells`` and ``charts``), for a caller done with the layout: XlsxWriter
    keeps its own copy of every cell until the file is closed, and at 3,000 indicators the
    layout's are 60 MB more.

    ``standby``: a second process to write the last charts' parts (``xlsx_package.chart_standby``).
    ``parsed``: given a set, the names of the parts that process also checked to be well-formed
    XML are added to it (for ``run.safety.verify_xlsx``, which need not parse them again)."""
    with collector_paused():
        written = _write(layout, Path(path), created, release, standby, parsed)
    # The workbook XlsxWriter built (its sheets, formats and charts hold each other: reference
    # cycles) freed now, before the new file is read back to check it, not at some later
    # collection: 16 MiB less at the peak at 3,000 indicators, for 1% more time.
    gc.collect()
    return written


def _write(layout: Layout, path: Path, created: dt.datetime | None, release: bool = False,
           standby=None, parsed: set[str] | None = None) -> Path:
    from .xlsx_cells import CellsWorksheet  # noqa: PLC0415  (these import XlsxWriter: only when writing)
    from .xlsx_charts import Drawing  # noqa: PLC0415
    from .xlsx_package import FEW_CHARTS, StreamingWorkbook  # noqa: PLC0415

    language = layout.properties.get("language")
    charts = sum(len(sheet.charts) for sheet in layout.sheets)
    # each part is compressed into the file as it is written (xlsx_package): no temporary
    # files to leave behind when a run is killed, and not every part in memory at once
    workbook = StreamingWorkbook(path, WORKBOOK_OPTIONS,
                                 {"docProps/core.xml": with_language(str(language))} if language else {},
                                 standby, pack_charts=charts > FEW_CHARTS)
    try:
        drawing = Drawing(workbook)
        if charts <= FEW_CHARTS:  # the last charts drawn by a second process: only placed here
            drawing.drawn = range(workbook.draw_apart(charts, partial(_charts_apart, layout, charts),
                                                      drawing.draw_placed))
        props = dict(layout.properties)
        props["created"] = created or FIXED_DOCUMENT_DATE
        workbook.set_properties(props)
        workbook.set_calc_mode("auto")
        formats = _Formats(workbook, layout.font, layout.font_size)
        record = record_names(layout)  # (before the cells it lists are let go)
        for sheet in layout.sheets:
            ws = workbook.add_worksheet(sheet.name, worksheet_class=CellsWorksheet)
            _write_sheet(workbook, ws, _released(sheet) if release else sheet, formats, drawing)
            if layout.protect:
                ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                                "select_unlocked_cells": True})
        formats = None  # (its styles, once the released cells' own, go before XlsxWriter writes the file)
        for sheet in layout.sheets:
            for name, ref in sheet.names:
                workbook.define_name(name, f"='{sheet.name}'!{ref}")
        for name, formula in record:
            workbook.define_name(name, formula)
    finally:
        workbook.close()
    if parsed is not None:
        parsed.update(workbook.packager.parsed)
    return path


def _charts_apart(layout: Layout, count: int, first: int) -> list[tuple[str, int, int, bytes, bool]]:
    """The parts of ``layout``'s charts from index ``first`` on (``xlsx_package._parts``),
    drawn in a workbook of their own by the second process ``draw_apart`` forks as ``_write``
    starts: the same charts, numbered as in the whole workbook, with the same cached figures.

    A range's figures depend on more than its cells: a row with no cell reads differently
    whether or not it is in the sheet's table (``xlsx_package.rows_as_written``), and blank
    cells are stored only with a format. So the rows the ranges cross get every cell (each
    with a format: which one does not matter here), and the sheet the extent of the whole
    sheet, its rows as writing it leaves them. Nothing else of the workbook is written."""
    from xlsxwriter import Workbook  # noqa: PLC0415

    from .xlsx_cells import CellsWorksheet, write_cells  # noqa: PLC0415
    from .xlsx_charts import Drawing  # noqa: PLC0415
    from .xlsx_package import _parts, rows_as_written  # noqa: PLC0415

    workbook = Workbook(io.BytesIO(), {**WORKBOOK_OPTIONS, "in_memory": True})  # never closed: nothing is saved
    drawing = Drawing(workbook, range(first, count))  # (the first charts only placed: they are written there)
    sheets = []
    for sheet in layout.sheets:
        ws = workbook.add_worksheet(sheet.name, worksheet_class=CellsWorksheet)
        for chart in sheet.charts:
            drawing.add_chart(ws, chart)
        sheets.append((ws, sheet))
    workbook._prepare_drawings()  # the charts numbered (their axes' ids) as closing the whole workbook numbers them
    charts = workbook.charts[first:]
    crossed: dict[str, set[int]] = {}
    for chart in charts:
        for formula in chart.formula_ids:
            name, ends = workbook._get_chart_range(formula)
            if name is not None:
                crossed.setdefault(name, set()).update(range(ends[0], ends[2] + 1))
    some_format = workbook.add_format()
    for ws, sheet in sheets:
        rows = crossed.get(sheet.name)
        if not rows or not sheet.cells:
            continue
        write_cells(ws, [cell for cell in sheet.cells if cell.row in rows or (
            cell.merge_to and not rows.isdisjoint(range(cell.row, cell.merge_to[0] + 1)))], lambda style: some_format)
        # the whole sheet's extent (its cells', merged ranges' and rows' with a height), not
        # only that of the cells written here, with its rows as writing the sheet leaves them
        ws.dim_rowmin = min([cell.row for cell in sheet.cells] + list(sheet.heights))
        ws.dim_rowmax = max([sheet.last_row, *sheet.heights])
        rows_as_written(ws)
    workbook._prepare_sst_string_data()
    workbook.charts = charts
    workbook._add_chart_data()
    return _parts(enumerate(charts, first + 1))


def _released(sheet: SheetLayout) -> SheetLayout:
    """A copy of ``sheet`` to write, its cells and charts taken out of ``sheet``; each cell is
    let go as XlsxWriter takes it, so a large sheet's cells are never held twice."""
    cells, charts = sheet.cells, sheet.charts
    sheet.cells, sheet.charts = [], []

    def one_by_one():
        cells.reverse()  # taken from the end: a list pops from its end at no cost
        while cells:
            yield cells.pop()
    return replace(sheet, cells=one_by_one(), charts=charts)


def with_language(language: str):
    """An edit of the core properties part recording the document's language
    (``dc:language``, e.g. en-GB), for screen readers and PDFs: XlsxWriter has no setting for it."""
    text = language.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # (xml.sax.saxutils.escape
    # would import urllib.request: 40 ms of every build)

    def edit(core: str) -> str:
        if "<dc:language>" in core:
            return core
        return core.replace("</cp:coreProperties>", f"<dc:language>{text}</dc:language></cp:coreProperties>")
    return edit


def _write_sheet(workbook, ws, sheet: SheetLayout, formats: _Formats, drawing: Drawing) -> None:
    ws.hide_gridlines(2)
    for col, width in sheet.widths.items():
        ws.set_column(col, col, width)
    for row, height in sheet.heights.items():
        ws.set_row(row, height)
    from .xlsx_cells import write_cells  # noqa: PLC0415  (imports XlsxWriter: only when writing)

    write_cells(ws, sheet.cells, formats.get)
    for cf in sheet.cond_formats:
        ws.conditional_format(cf.ref, {"type": "formula", "criteria": cf.formula,
                                       "format": workbook.add_format(formats.props(cf.style, conditional=True))})
    for chart in sheet.charts:
        drawing.add_chart(ws, chart)
    for spark in sheet.sparklines:
        drawing.add_sparkline(ws, spark)
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    ps = sheet.print_setup
    if ps.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(ps.paper)
    ws.fit_to_pages(ps.fit_width, ps.fit_height)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if ps.repeat_rows:
        ws.repeat_rows(*ps.repeat_rows)
    if ps.header:
        ws.set_header(ps.header)
    if ps.footer:
        ws.set_footer(ps.footer)
    if ps.breaks:
        ws.set_h_pagebreaks(list(ps.breaks))
    if ps.print_area:
        ws.print_area(*ps.print_area)
