"""One raw workbook, split by a column (``Split by`` on the Report sheet: Team, Locality,
Authority): the values found, and the workbook as it reads for one value.

Every sheet with the column is cut row by row before it is read: only the rows for the
value are kept (a row whose cell is blank is shared by every value, except on Data, where
every figure must say whose it is). Sheets without the column (Indicators, Commentary
without it ...) are shared. So any sheet, Targets and Benchmarks included, works per value
with no code of its own. Rows are blanked, not removed, so every problem still names the
cell in the workbook a person typed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import InputError, Problem
from ..model import RawWorkbook, ReportSettings
from .grid import Grid, grids_from_file
from .table import _blank, _key, _listing, find_sheet

HEADER_ROWS = 10  # the header row is looked for in the first rows, as the sheet readers do
TOTAL_NAMES = {"total", "all", "overall", "whole service", "whole council", "all teams", "all areas"}
SHARED_SHEETS = {"report"}  # where the split column is named, never cut


@dataclass(frozen=True)
class SplitPlan:
    """The Report sheet's Split by: the Data column whose values each get a scorecard of their own."""

    column: str  # as typed on the Report sheet
    where: str  # the Report cell that names it
    values: tuple[str, ...]  # in the order they first appear on Data
    total: str | None = None  # the value that is the whole service, when the data has one


def _header(grid: Grid, column: str) -> tuple[int, int] | None:
    """(header row, column) of ``column`` on a sheet, or ``None`` when the sheet lacks it."""
    for r, row in enumerate(grid.rows[:HEADER_ROWS]):
        for c, text in enumerate(row):
            if not _blank(text) and _key(text) == _key(column):
                return r, c
    return None


def value_text(value) -> str:
    """A split value as a person reads it: ``North``, ``101`` (not ``101.0``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def plan(grids: dict[str, Grid], source: str, column: str | None, where: str, total: str | None = None) -> SplitPlan:
    """The values to split by, from the Data sheet; raises ``InputError`` naming the Report
    cell when the column is not there, and each Data cell left blank."""
    if not column:
        raise InputError(Problem("Report", "has no 'Split by' setting, so kpi_xl does not know what to split by.",
                                 "Add a row to the Report sheet: Split by | Team (the Data sheet's column to split "
                                 "on), or build without --split."), source)
    data = find_sheet(grids, "Data")
    found = _header(data, column) if data is not None else None
    if data is None or found is None:
        heads = [str(v).strip() for row in (data.rows[:1] if data is not None else []) for v in row if not _blank(v)]
        has = f" (its columns: {_listing(heads)})" if heads else ""
        raise InputError(Problem(where, f"Split by '{column}' is not a column of the Data sheet{has}.",
                                 f"Add a '{column}' column to Data giving each figure's {column.lower()}, "
                                 "or type the heading of the column to split by."), source)
    header_row, col = found
    values: dict[str, str] = {}  # key -> as first typed
    problems = []
    for r in range(header_row + 1, len(data.rows)):
        row = data.rows[r]
        if all(_blank(v) for v in row):
            continue
        value = row[col] if col < len(row) else None
        if _blank(value):
            problems.append(Problem(data.ref(r, col), f"this figure has no {column}.",
                                    f"Type the {column.lower()} it belongs to (for the whole service, "
                                    "type Total)."))
            continue
        values.setdefault(_key(value_text(value)), value_text(value))
    if problems:
        raise InputError(problems, source)
    if not values:
        raise InputError(Problem(data.ref(header_row, col), f"the {column} column is empty, so there is nothing "
                                 "to split by.", f"Type each figure's {column.lower()} in it."), source)
    wanted = {_key(total)} if total else TOTAL_NAMES
    whole = next((shown for key, shown in values.items() if key in wanted), None)
    if total and whole is None:
        raise InputError(Problem(where, f"Split total '{total}' is not a {column} on the Data sheet "
                                 f"(found: {_listing(list(values.values()))}).",
                                 "Type the value that holds the whole service's figures, or clear the setting."),
                         source)
    return SplitPlan(column, where, tuple(values.values()), whole)


def mixed(grids: dict[str, Grid], settings: ReportSettings) -> Problem | None:
    """The problem with building a workbook split by a column as one scorecard: its Data
    sheet holds figures for more than one value (so each month is there many times)."""
    data = find_sheet(grids, "Data")
    found = _header(data, settings.split_by) if data is not None and settings.split_by else None
    if found is None:
        return None
    header_row, col = found
    values = {_key(value_text(row[col])) for row in data.rows[header_row + 1:]
              if col < len(row) and not _blank(row[col])}
    if len(values) < 2:
        return None
    return Problem(settings.split_by_where, f"this workbook is split by {settings.split_by} ({len(values)} values on "
                   "Data), so it makes one scorecard per value, not one.",
                   "Build it with --split into a folder: kpi-xl build RAW.xlsx -o FOLDER/ --split; or clear the "
                   "Split by setting and keep one row per indicator and month.")


def only(grids: dict[str, Grid], column: str, value: str) -> dict[str, Grid]:
    """The workbook as it reads for ``value``: on every sheet with ``column`` (but the
    Report sheet), the rows of other values blanked; rows with the cell blank are shared."""
    cut = {}
    for name, grid in grids.items():
        found = None if _key(name) in SHARED_SHEETS else _header(grid, column)
        if found is None:
            cut[name] = grid
            continue
        header_row, col = found
        rows = list(grid.rows)
        for r in range(header_row + 1, len(rows)):
            cell = rows[r][col] if col < len(rows[r]) else None
            if not _blank(cell) and _key(value_text(cell)) != _key(value):
                rows[r] = ()
        cut[name] = replace(grid, rows=rows, hidden_rows=set(grid.hidden_rows))
    return cut


def titled(raw: RawWorkbook, value: str, base_title: str) -> RawWorkbook:
    """``raw`` with the value in its title: ``Children's services scorecard: North``."""
    raw.settings = replace(raw.settings, title=f"{base_title}: {value}")
    return raw


def read_split(path) -> tuple[dict[str, Grid], SplitPlan, ReportSettings]:
    """Read the workbook's sheets once, the split asked for on its Report sheet, and its settings."""
    from pathlib import Path  # noqa: PLC0415

    from .sheets.report import SHEET, read_report  # noqa: PLC0415

    grids = grids_from_file(path)
    settings, check = read_report(find_sheet(grids, SHEET))
    errors = [p for p in check.problems if p.severity == "error"]
    if errors:
        raise InputError(errors, Path(path).name)
    return grids, plan(grids, Path(path).name, settings.split_by, settings.split_by_where,
                       settings.split_total), settings
