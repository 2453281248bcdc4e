"""A worksheet as plain rows of values: what the reader needs, whoever opened the file.

Two sources fill it: openpyxl for a file on disk (``grids_from_file``) and xlwings for
the workbook open in Excel (``kpi_xl.scripts``). The reader only ever sees ``Grid``.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries

from .errors import CannotRun, InputError, Problem

MAX_XLSX_BYTES = 100 * 1024 * 1024  # a raw workbook is a few MB at most
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # uncompressed size of any one part of the zip
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # uncompressed size of all parts together
MAX_MEMBERS = 10_000  # parts in the zip
MAX_RATIO = 200  # compression ratio beyond which a part is a zip bomb, not a workbook
PROLOG_BYTES = 64 * 1024  # how much of each XML part is searched for a DOCTYPE

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD_MARKS = tuple(mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY")
                   for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_UNSAFE_FIX = "Save a fresh copy from Excel (File > Save As > Excel Workbook); if you did not make this file, do not open it."


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

    def merged_bounds(self) -> list[tuple[str, int, int, int, int]]:
        """Each merged range as ``(text, first row, first col, last row, last col)``, 0-based."""
        bounds = []
        for text in self.merged:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(text)
            except (ValueError, TypeError):
                continue
            if None in (min_col, min_row, max_col, max_row):
                continue
            bounds.append((text, min_row - 1, min_col - 1, max_row - 1, max_col - 1))
        return bounds

    def covered(self, row: int, col: int) -> bool:
        """Whether (row, col) lies inside a merged range but is not its top-left cell
        (such a cell is blank, whatever the merged cell shows)."""
        return any(r0 <= row <= r1 and c0 <= col <= c1 and (row, col) != (r0, c0)
                   for _, r0, c0, r1, c1 in self.merged_bounds())

    def is_blank(self) -> bool:
        """Nothing typed anywhere on the sheet."""
        return all(v is None or (isinstance(v, str) and not v.strip()) for row in self.rows for v in row)


def _refuse(name: str, message: str, fix: str) -> InputError:
    return InputError(Problem(name, message, fix))


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text.lstrip("\ufeff"))


def _check_container(path: Path) -> None:
    """Refuse what is not a plain, sane xlsx before openpyxl parses any XML.

    Raises ``InputError`` (exit code 1) naming the file and what to do: not a workbook,
    a text file, password-protected, an old .xls, damaged, oversized parts (zip bombs)
    or XML with entity definitions (billion laughs)."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(PROLOG_BYTES)
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror}). Check the path and that you may open it.") from exc
    if not head:
        raise _refuse(name, "is an empty file (0 bytes), not an Excel workbook.",
                      "Save the workbook again from Excel, or restore the last good copy.")
    if head.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in head:
            raise _refuse(name, "is password-protected, so kpi_xl cannot read it.",
                          "Open it in Excel, clear the password (File > Info > Protect Workbook > "
                          "Encrypt with Password, delete it) and save; or save an unprotected copy for kpi_xl.")
        raise _refuse(name, "is an old-style .xls workbook (or password-protected), not an .xlsx.",
                      "Open it in Excel and save it as 'Excel Workbook (*.xlsx)', with no password.")
    if not head.startswith(b"PK"):
        if _looks_like_text(head[:4096]):
            raise _refuse(name, "is a text file (perhaps CSV), not an Excel workbook, although its name ends .xlsx.",
                          "Open it in Excel and save it as 'Excel Workbook (*.xlsx)'.")
        raise _refuse(name, "is not an Excel workbook (.xlsx).",
                      "Save it from Excel as 'Excel Workbook (*.xlsx)' and try again.")
    if path.stat().st_size > MAX_XLSX_BYTES:
        raise _refuse(name, f"is larger than {MAX_XLSX_BYTES // 2**20} MB, far more than a raw "
                      "indicator workbook needs.", "Remove pictures or unrelated sheets, and save it again.")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                raise _refuse(name, "is a zip file but not an Excel workbook.",
                              "Save it from Excel as 'Excel Workbook (*.xlsx)'.")
            # Sizes first, from the zip's directory, before anything is decompressed
            # (zipfile never inflates a part beyond its stated size).
            if len(infos) > MAX_MEMBERS:
                raise _refuse(name, f"has {len(infos)} parts inside and was refused as unsafe.", _UNSAFE_FIX)
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / info.compress_size if info.compress_size else float(info.file_size > 0)
                if info.file_size > MAX_MEMBER_BYTES or (ratio > MAX_RATIO and info.file_size > 10 * 2**20):
                    raise _refuse(name, f"contains an oversized part ({info.filename}) and was refused as unsafe.",
                                  _UNSAFE_FIX)
            if total > MAX_TOTAL_BYTES:
                raise _refuse(name, f"unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB and was refused as unsafe.",
                              _UNSAFE_FIX)
            bad = zf.testzip()
            if bad:
                raise zipfile.BadZipFile(bad)
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as member:
                        prolog = member.read(PROLOG_BYTES)
                    if any(mark in prolog for mark in _DTD_MARKS):
                        raise _refuse(name, f"contains XML entity definitions ({info.filename}) and was refused "
                                      "as unsafe.", _UNSAFE_FIX)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError) as exc:
        raise _refuse(name, "is damaged or incomplete (perhaps copied while still being saved).",
                      "Open it in Excel to repair it, or restore the last good copy.") from exc


def _unsafe_xml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused a part (entity definitions, external references)."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def grids_from_file(path: str | Path) -> dict[str, Grid]:
    """Every worksheet of an xlsx as a ``Grid`` (cached values of formulas, not formulas)."""
    path = Path(path)
    if not path.exists():
        raise CannotRun(f"{path}: no such file. Check the path (kpi-xl init {path.name} writes a new one).")
    _check_container(path)
    import warnings  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415  (openpyxl parses with defusedxml when it is installed)

    try:
        with path.open("rb") as handle, warnings.catch_warnings():
            # a file object: openpyxl then goes by the content, not the name's extension
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" etc.
            book = openpyxl.load_workbook(handle, data_only=True)
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror}). Check the path and that you may open it.") from exc
    except Exception as exc:  # openpyxl raises many types for damaged parts
        if _unsafe_xml(exc):
            raise _refuse(path.name, "contains XML entity definitions and was refused as unsafe.",
                          _UNSAFE_FIX) from exc
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _refuse(path.name, f"could not be read as a workbook ({detail.rstrip('.')}).",
                      "Open it in Excel and save it again as 'Excel Workbook (*.xlsx)'.") from exc
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
