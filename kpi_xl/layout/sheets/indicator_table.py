"""The KPI table and the front page: one row per indicator under the template's columns,
grouped by section."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...rate.evaluate import Result
from ..cells import section_breaks, text_height
from ..columns import INDICATOR_WIDTH, MONTH_KEY, column
from ..templates import SheetSpec
from ..types import SheetLayout, get_column_letter, quote

if TYPE_CHECKING:
    from ..builder import LayoutBuilder


def kpi_table(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="kpi_table")
    row = b.title_block(sheet, "Key Performance Indicators")
    return indicator_table(b, sheet, spec, row, name="KPI_table")


def front_page(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="front_page")
    row = b.title_block(sheet, "")
    sheet.put(row - 1, 0, b.tpl.corporate_plan_note, b.s["note"].but(italic=True, wrap=False))
    return indicator_table(b, sheet, spec, row, name="Front_page")


def indicator_table(b: LayoutBuilder, sheet: SheetLayout, spec: SheetSpec, row: int, name: str) -> SheetLayout:
    cols = b.with_rated_figure(list(spec.table_columns), b.ev.results)
    if "months" in cols:
        i = cols.index("months")
        cols[i:i + 1] = [f"{MONTH_KEY}{m.index}" for m in b.trend]
    header_row = row
    for col, key in enumerate(cols):
        sheet.put(row, col, column(key).header(b, key, spec.kind, cols),
                  b.s["header_left"] if key == "indicator" else b.s["header"])
    sheet.heights[row] = 30
    row += 1
    first_data = row
    rag_col = cols.index("rag") if "rag" in cols else None
    rag_rows: list[int] = []
    section_rows: list[tuple[int, int]] = []  # (first, last) row of each section block
    for section in b.ev.raw.sections:
        start = row
        label = section.upper() if spec.kind == "kpi_table" else section
        # a band across the table, not merged (a screen reader keeps its place among the columns);
        # no borders, so the label reads on across the empty cells
        band = b.s["section"].but(border=False)
        link = (f"internal:{quote(b.section_sheets[section])}!A1"
                if spec.kind == "front_page" and section in b.section_sheets else None)
        sheet.put(row, 0, label, band, link=link)
        for col in range(1, len(cols)):
            sheet.put(row, col, None, band)
        sheet.heights[row] = 18
        row += 1
        for res in b.results_in.get(section, []):
            indicator_row(b, sheet, row, cols, res)
            rag_rows.append(row)
            row += 1
        section_rows.append((start, row - 1))
    if rag_col is not None and rag_rows:
        b.rag_formats(sheet, first_data, row - 1, rag_col)
    fixed = {cols.index(key): column(key).width for key in cols if column(key).width}
    b.size_columns(sheet, minimum=8, maximum=14, fixed=fixed)
    sheet.freeze = (header_row + 1, cols.index("indicator") + 1 if "indicator" in cols else 0)
    sheet.names.append((name, f"$A${header_row + 1}:${get_column_letter(len(cols))}${row}"))
    b.key_note(sheet, row + 1, b.ev.results, len(cols) - 1)
    b.ytd_notes(sheet, sheet.last_row + 1, b.ev.results if "ytd" in cols else [], len(cols) - 1)
    if b.refresh_note and spec.kind == "kpi_table":  # under the title
        b.note_line(sheet, header_row - 1, b.refresh_note, len(cols) - 1)
    elif b.refresh_note:  # at the foot
        b.note_line(sheet, sheet.last_row + 1, b.refresh_note, len(cols) - 1)
    first_page = sum(sheet.heights.get(r, 15) for r in range(header_row))
    if section_rows:  # the notes under the table stay with its last section
        section_rows[-1] = (section_rows[-1][0], sheet.last_row)
    breaks = section_breaks(section_rows, sheet.heights, sheet.heights.get(header_row, 15), first_page,
                            b.page_points(sheet))
    sheet.print_setup = b.print_setup(repeat=(header_row, header_row), breaks=breaks)
    return sheet


def indicator_row(b: LayoutBuilder, sheet: SheetLayout, row: int, cols: list[str], res: Result) -> None:
    sheet.heights[row] = max(text_height(res.indicator.title, INDICATOR_WIDTH), 18)
    b.row_cells(sheet, row, cols, res)
