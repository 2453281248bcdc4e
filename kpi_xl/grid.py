"""A worksheet as plain rows of values: what the reader needs, whoever opened the file.

Two sources fill it: openpyxl for a file on disk (``grids_from_file``) and xlwings for
the workbook open in Excel (``kpi_xl.scripts``). The reader only ever sees ``Grid``.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from .errors import CannotRun, InputError, Problem

MAX_XLSX_BYTES = 100 * 1024 * 1024  # a raw workbook is a few MB at most
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # uncompressed size of any one part of the zip
MAX_RATIO = 200  # compression ratio beyond which a part is a zip bomb, not a workbook


@dataclass
class Grid:
    name: str
    rows: list[list[object]]
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    merged: list[str] = field(default_factory=list)  # "A5:A7"
    hidden: bool = False

    def ref(self, row: int, col: int) -> str:
        """``Data!C14`` for 0-based (row, col); quotes sheet names with spaces."""
        name = f"'{self.name}'" if " " in self.name else self.name
        return f"{name}!{get_column_letter(col + 1)}{row + 1}"

    def value(self, row: int, col: int):
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def number_format(self, row: int, col: int) -> str:
        return self.number_formats.get((row, col), "General")


def _check_container(path: Path) -> None:
    """Refuse what is not a plain, sane xlsx before openpyxl parses any XML."""
    name = path.name
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror}). Check the path and that you may open it.") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(Problem(name, "is password-protected or an old .xls workbook.",
                                 "Open it in Excel, remove the password (File > Info > Protect Workbook) "
                                 "and save it as an Excel Workbook (.xlsx)."))
    if not head.startswith(b"PK"):
        raise InputError(Problem(name, "is not an Excel workbook (.xlsx).",
                                 "Save it from Excel as 'Excel Workbook (*.xlsx)' and try again."))
    if path.stat().st_size > MAX_XLSX_BYTES:
        raise InputError(Problem(name, f"is larger than {MAX_XLSX_BYTES // 2**20} MB, far more than a raw "
                                 "indicator workbook needs.", "Remove pictures or unrelated sheets."))
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad:
                raise zipfile.BadZipFile(bad)
            for info in zf.infolist():
                if info.file_size > MAX_MEMBER_BYTES or (
                        info.compress_size and info.file_size / info.compress_size > MAX_RATIO
                        and info.file_size > 10 * 2**20):
                    raise InputError(Problem(name, f"contains an oversized part ({info.filename}) and was "
                                             "refused as unsafe.", "Save a fresh copy from Excel."))
            if "xl/workbook.xml" not in zf.namelist():
                raise InputError(Problem(name, "is a zip file but not an Excel workbook.",
                                         "Save it from Excel as 'Excel Workbook (*.xlsx)'."))
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
        raise InputError(Problem(name, "is damaged or incomplete (perhaps copied while still being saved).",
                                 "Open it in Excel to repair it, or restore the last good copy.")) from exc


def grids_from_file(path: str | Path) -> dict[str, Grid]:
    """Every worksheet of an xlsx as a ``Grid`` (cached values of formulas, not formulas)."""
    path = Path(path)
    if not path.exists():
        raise CannotRun(f"{path}: no such file. Check the path (kpi-xl init {path.name} writes a new one).")
    _check_container(path)
    import openpyxl  # noqa: PLC0415  (openpyxl parses with defusedxml when it is installed)

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        raise InputError(Problem(path.name, f"could not be read as a workbook ({type(exc).__name__}: {exc}).",
                                 "Open it in Excel and save it again as .xlsx.")) from exc
    grids: dict[str, Grid] = {}
    for ws in book.worksheets:
        rows, formats = [], {}
        for r, row in enumerate(ws.iter_rows()):
            values = []
            for c, cell in enumerate(row):
                values.append(cell.value)
                if cell.value is not None and cell.number_format != "General":
                    formats[(r, c)] = cell.number_format
            rows.append(values)
        hidden = {i - 1 for i, dim in ws.row_dimensions.items() if dim.hidden}
        grids[ws.title] = Grid(ws.title, rows, formats, hidden,
                               [str(m) for m in ws.merged_cells.ranges],
                               hidden=ws.sheet_state != "visible")
    return grids
