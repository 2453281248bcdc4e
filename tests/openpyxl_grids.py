"""The raw workbook read the way kpi_xl read it before ``xlsx_stream`` (openpyxl 3.1 in
read-only mode, with a subclassed ``WorkSheetParser``), kept here only as the reference
the streaming reader is compared with (tests/test_xlsx_stream.py)."""
from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from kpi_xl.read.grid import _EMPTY_ROW, MAX_COLUMNS, MAX_ROWS, Grid, SparseRow, _row

_LINKED = re.compile(r"\[\d+\][^\[\]()+*/,&=<>^;]*!")


class SheetParser(WorkSheetParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden_rows: set[int] = set()
        self.uncalculated: set[tuple[int, int]] = set()
        self.linked: dict[tuple[int, int], str] = {}
        self._linked_shared: dict[str, str] = {}

    def parse_row(self, row):
        number, cells = super().parse_row(row)
        settings = self.row_dimensions.pop(str(number), None)
        if settings and settings.get("hidden") in ("1", "true"):
            self.hidden_rows.add(number - 1)
        return number, cells

    def parse_cell(self, element):
        try:
            cell = super().parse_cell(element)
        except ValueError:
            ref = element.get("r")
            row, column = coordinate_to_tuple(ref) if ref else (self.row_counter, self.col_counter + 1)
            self.col_counter = column
            return {"row": row, "column": column, "value": float("nan"), "data_type": "n", "style_id": 0}
        formula = element.find(FORMULA_TAG)
        if formula is None:
            return cell
        where = (cell["row"] - 1, cell["column"] - 1)
        saved = element.find(VALUE_TAG)
        if saved is None or (cell["value"] is None and element.get("t") != "str"):
            self.uncalculated.add(where)
            return cell
        text = formula.text or self._linked_shared.get(formula.get("si", ""), "")
        if _LINKED.search(text):
            self.linked[where] = "=" + text
            if formula.get("t") == "shared" and formula.text:
                self._linked_shared[formula.get("si", "")] = text
        return cell


def _read_sheet(ws) -> Grid:
    book = ws.parent
    rows: list[Sequence] = []
    formats: dict[tuple[int, int], str] = {}
    format_of_style: dict[int, str] = {}
    with ws._get_source() as source:  # noqa: SLF001
        parser = SheetParser(source, ws._shared_strings, data_only=True, epoch=book.epoch,  # noqa: SLF001
                             date_formats=book._date_formats,  # noqa: SLF001
                             timedelta_formats=book._timedelta_formats)  # noqa: SLF001
        for _, cells in parser.parse():
            found: dict[int, dict[int, object]] = {}
            for cell in cells:
                value, r, c = cell["value"], cell["row"] - 1, cell["column"] - 1
                if value is None:
                    continue
                if not (0 <= r < MAX_ROWS and 0 <= c < MAX_COLUMNS):
                    raise ValueError(f"sheet {ws.title} has a cell beyond Excel's last row or column")
                found.setdefault(r, {})[c] = value
                style = cell["style_id"]
                if style:
                    if style not in format_of_style:
                        format_of_style[style] = ReadOnlyCell(ws, 1, 1, None, "n", style).number_format
                    if format_of_style[style] != "General":
                        formats[(r, c)] = format_of_style[style]
            for r, values in found.items():
                if r >= len(rows):
                    rows.extend([_EMPTY_ROW] * (r - len(rows)))
                    rows.append(_row(values))
                else:
                    before = rows[r].values if isinstance(rows[r], SparseRow) else dict(enumerate(rows[r]))
                    rows[r] = _row({**before, **values})
    merged = [str(ref) for m in (parser.merged_cells.mergeCell if parser.merged_cells else []) if (ref := m.ref)]
    return Grid(ws.title, rows, formats, parser.hidden_rows, merged, hidden=ws.sheet_state != "visible",
                uncalculated=parser.uncalculated, linked=parser.linked)


def openpyxl_grids(path: str | Path) -> dict[str, Grid]:
    """Every worksheet as the openpyxl route made it (raises whatever openpyxl raises)."""
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            return {ws.title: _read_sheet(ws) for ws in book.worksheets}
        finally:
            book.close()
