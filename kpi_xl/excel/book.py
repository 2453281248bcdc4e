"""The workbook open in Excel, as the ribbon buttons see it: its raw sheets as ``Grid``s
(the values Excel sends, dates as ISO strings turned back into dates), the scorecard
sheets kpi_xl drew into it earlier, and where it lives.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from ..read.grid import Grid
from ..read.reader import INPUT_SHEETS

DATA_CHECK = "Data check"

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z?$")


def _cell(value):
    """A value as the reader expects it: Office.js sends date-formatted numbers as ISO
    strings (``2024-04-30T00:00:00.000Z``); they become datetimes again."""
    if isinstance(value, str):
        m = _ISO_DATE.match(value)
        if m:
            y, mo, d, h, mi, s, frac = m.groups()
            try:
                return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                                   int((frac or "0").ljust(6, "0")))
            except ValueError:
                return value
    return value


def _sheet_rows(sheet) -> list[list[object]]:
    """The sheet's values from A1 to the bottom-right of its used range."""
    last = sheet.used_range.last_cell
    rows = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value or []
    return [[_cell(v) for v in row] for row in rows]


def _own_sheets(book) -> set[str]:
    """Sheets kpi_xl drew into this book (the scorecard and the data check), casefolded."""
    from ..write.xlwings_writer import recorded_sheets  # noqa: PLC0415

    return {n.casefold() for n in recorded_sheets(book)} | {DATA_CHECK.casefold()}


def grids_from_book(book) -> dict[str, Grid]:
    """Every sheet of the open book as a ``Grid``, except the ones kpi_xl drew.

    Only values are read (the add-in interfaces cannot read formats in bulk), so a
    percentage above 100% typed with a % format reads as a whole percentage, with the
    reader's warning, where the file route would see the format.
    """
    own = _own_sheets(book)
    grids: dict[str, Grid] = {}
    for sheet in book.sheets:
        if sheet.name.casefold() in own:
            continue
        grids[sheet.name] = Grid(sheet.name, _sheet_rows(sheet))
    return grids


def input_names(book) -> list[str]:
    keys = {n.casefold() for n in INPUT_SHEETS}
    return [s.name for s in book.sheets if s.name.casefold() in keys]


def book_sheet_name(name: str) -> str:
    """The name a scorecard sheet takes in the raw workbook: ``Scorecard commentary`` for
    ``Commentary``, which is also the name of an input sheet."""
    if name.casefold() in {n.casefold() for n in INPUT_SHEETS}:
        return f"Scorecard {name.lower()}"[:31]
    return name


def previous_in_book(book):
    """The scorecard kpi_xl drew into this book earlier (``kpi_xl.run.carry.Previous``): its
    sheets' values and the book's defined names, read as the file route reads a file."""
    from ..run.carry import previous_from  # noqa: PLC0415
    from ..write.xlwings_writer import recorded_sheets  # noqa: PLC0415

    own = {n.casefold() for n in recorded_sheets(book)}
    sheets = {s.name: _sheet_rows(s) for s in book.sheets if s.name.casefold() in own}
    names = {n.name.split("!")[-1]: str(n.refers_to) for n in book.names}
    return previous_from(sheets, names)


def is_remote(book) -> bool:
    """Whether ``book`` came through xlwings Server (Excel on Windows, Mac or the web)."""
    return getattr(getattr(book.app, "engine", None), "name", "") == "remote"


def template_folder(book) -> Path | None:
    """Where the book's Template setting may name a .toml file: ``KPI_XL_TEMPLATE_DIR`` if
    set, else the raw workbook's folder on the desktop; ``None`` (bundled templates only)
    on xlwings Server without ``KPI_XL_TEMPLATE_DIR``."""
    from ..layout.templates import TEMPLATE_DIR_ENV  # noqa: PLC0415

    configured = os.environ.get(TEMPLATE_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else book_folder(book)


def book_folder(book) -> Path | None:
    """The open workbook's folder on the desktop; ``None`` on the web or the server."""
    if is_remote(book):
        return None
    fullname = str(book.fullname or "")
    if "://" in fullname:  # OneDrive / SharePoint: a URL, not a folder
        return None
    path = Path(fullname)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None
