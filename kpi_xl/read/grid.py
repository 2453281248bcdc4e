"""A worksheet as plain rows of values: what the reader needs, whoever opened the file.

Two sources fill it: ``xlsx_stream`` for a file on disk (``grids_from_file``) and xlwings for
the workbook open in Excel (``kpi_xl.excel.scripts``). The reader only ever sees ``Grid``.
"""
from __future__ import annotations

import functools
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CannotRun, InputError, Problem
from ..paused import collector_paused
from .excel_values import get_column_letter, range_boundaries
from .xlsx_stream import Book, UnsafeXml

MAX_XLSX_BYTES = 100 * 1024 * 1024  # a raw workbook is a few MB at most
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # uncompressed size of any one part of the zip
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # uncompressed size of all parts together
MAX_MEMBERS = 10_000  # parts in the zip
MAX_RATIO = 200  # compression ratio beyond which a part is a zip bomb, not a workbook
PROLOG_BYTES = 64 * 1024  # how much of each XML part is searched for a DOCTYPE
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's last row and column
TALL_MERGE = 1_000  # rows: a merged range this tall is not indexed row by row (see Grid.covered)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD_MARKS = tuple(mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY")
                   for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_UNSAFE_FIX = "Save a fresh copy from Excel (File > Save As > Excel Workbook); if you did not make this file, do not open it."


@dataclass
class Grid:
    """A worksheet's values as read, row by row, with what else the reader checks: number formats, hidden rows,
    merged ranges, formulas."""

    name: str
    rows: list[Sequence[object]]  # each row up to its last value
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    merged: list[str] = field(default_factory=list)  # "A5:A7"
    hidden: bool = False
    uncalculated: set[tuple[int, int]] = field(default_factory=set)  # formulas with no saved result
    linked: dict[tuple[int, int], str] = field(default_factory=dict)  # formulas reading another workbook

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
        return self._merged_bounds

    @functools.cached_property
    def _merged_bounds(self) -> list[tuple[str, int, int, int, int]]:
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
        (such a cell is blank, whatever the merged cell shows). Only the ranges on that
        row are looked at, so asking for every cell of a sheet stays linear."""
        by_row, tall = self._merged_by_row
        return any(r0 <= row <= r1 and c0 <= col <= c1 and (row, col) != (r0, c0)
                   for _, r0, c0, r1, c1 in (*by_row.get(row, ()), *tall))

    @functools.cached_property
    def _merged_by_row(self) -> tuple[dict[int, list], list]:
        """The merged ranges under each row they span; a range taller than ``TALL_MERGE``
        rows (a whole column merged, say) is kept once, in the second list, and checked
        for every row (a sheet has few: merged ranges never overlap)."""
        by_row: dict[int, list] = {}
        tall = []
        for bounds in self.merged_bounds():
            _, r0, _, r1, _ = bounds
            if r1 - r0 >= TALL_MERGE:
                tall.append(bounds)
                continue
            for r in range(r0, r1 + 1):
                by_row.setdefault(r, []).append(bounds)
        return by_row, tall

    def is_blank(self) -> bool:
        """Nothing typed anywhere on the sheet."""
        return all(v is None or (isinstance(v, str) and not v.strip()) for row in self.rows
                   for v in (row.values.values() if isinstance(row, SparseRow) else row))


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
    """Refuse what is not a plain, sane xlsx before any XML is parsed.

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
            with zf.open("xl/workbook.xml") as part:
                if _STRICT_NAMESPACE in part.read(PROLOG_BYTES):
                    raise _refuse(name, "is saved as 'Strict Open XML Spreadsheet', which kpi_xl cannot read.",
                                  "In Excel: File > Save As > Excel Workbook (*.xlsx), then run again.")
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


def grids_from_file(path: str | Path) -> dict[str, Grid]:
    """Every worksheet of an xlsx as a ``Grid`` (cached values of formulas, not formulas).

    The sheets are streamed cell by cell (``xlsx_stream``), so memory follows the cells that
    hold values, never the size a file claims (a styled cell at XFD1048576, or a merge to
    it, costs nothing); formulas with no saved result, or reading another workbook, are noted."""
    path = Path(path)
    if not path.exists():
        raise CannotRun(f"{path}: no such file. Check the path (kpi-xl init {path.name} writes a new one).")
    _check_container(path)
    try:
        with Book(path) as book, collector_paused():
            return {name: _read_sheet(book, name, part, state, path.name) for name, part, state in book.sheets}
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror}). Check the path and that you may open it.") from exc
    except InputError:
        raise
    except UnsafeXml as exc:
        raise _refuse(path.name, "contains XML entity definitions and was refused as unsafe.", _UNSAFE_FIX) from exc
    except Exception as exc:  # a damaged part: expat, or a value that is not what its type says
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _refuse(path.name, f"could not be read as a workbook ({detail.rstrip('.')}).",
                      "Open it in Excel and save it again as 'Excel Workbook (*.xlsx)'.") from exc


_EMPTY_ROW: tuple = ()  # every row with no values shares this one


class SparseRow(Sequence):
    """A row whose few values lie far apart (A5 and XFD5): kept by column and read as a
    list padded with None, so a stray value in the last column costs one entry, not 16,384."""

    __slots__ = ("values", "_width")

    def __init__(self, values: dict[int, object]):
        self.values = values
        self._width = max(values) + 1

    def __len__(self) -> int:
        return self._width

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._width))]
        if index < 0:
            index += self._width
        if not 0 <= index < self._width:
            raise IndexError(index)
        return self.values.get(index)


def _row(values: dict[int, object]) -> Sequence:
    """A list when the row is mostly filled (the usual case), else a ``SparseRow``."""
    width = max(values) + 1
    if width <= 64 or width <= 4 * len(values):
        return list(map(values.get, range(width)))
    return SparseRow(values)


def _read_sheet(book: Book, name: str, part: str, state: str, file_name: str) -> Grid:
    """One worksheet as a ``Grid``: only the cells that hold values, each row trimmed after
    its last value, merged ranges kept as text."""
    rows: list[Sequence] = []
    formats: dict[tuple[int, int], str] = {}
    format_of_style: dict[int, str] = {}

    def add_row(cells: list[tuple[int, int, object, int]]) -> None:
        found: dict[int, dict[int, object]] = {}  # row -> {column: value}; one row unless the file is odd
        r_now, values = -1, {}  # the row being filled: a row's cells come together (this runs once per cell)
        for row, column, value, style in cells:
            if value is None:
                continue
            r, c = row - 1, column - 1
            if not (0 <= r < MAX_ROWS and 0 <= c < MAX_COLUMNS):
                raise _refuse(file_name, f"is damaged: sheet {name} has a cell beyond Excel's last "
                              "row or column.", "Open it in Excel to repair it, or restore the last good copy.")
            if r != r_now:
                r_now, values = r, found.setdefault(r, {})
            values[c] = value
            if style:
                number_format = format_of_style.get(style)
                if number_format is None:
                    number_format = format_of_style[style] = book.number_format(style)
                if number_format != "General":
                    formats[(r, c)] = number_format
        for r, values in found.items():
            if r >= len(rows):
                rows.extend([_EMPTY_ROW] * (r - len(rows)))
                rows.append(_row(values))
            else:  # a row written out of order, or twice
                before = rows[r].values if isinstance(rows[r], SparseRow) else dict(enumerate(rows[r]))
                rows[r] = _row({**before, **values})

    sheet = book.read_sheet(part, add_row)
    return Grid(name, rows, formats, sheet.hidden_rows, sheet.merged, hidden=state != "visible",
                uncalculated=sheet.uncalculated, linked=sheet.linked)
