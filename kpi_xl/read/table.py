"""Shared pieces of every raw-sheet reader: finding a sheet, its header row and records
(``Table``), and how a cell's text is compared, shown and turned into a number."""
from __future__ import annotations

import re
import unicodedata

from typing import TYPE_CHECKING, NamedTuple

from .excel_values import get_column_letter

from .grid import Grid

if TYPE_CHECKING:
    from .checks import Checks

QUARTER = re.compile(r"\s*q[1-4]\b", re.IGNORECASE)  # a period typed as a quarter: Q3 2019/20


def _key(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower() if text is not None else ""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    """A cell's value as a message quotes it: ``43831`` (not ``43831.0``), ``'Smarch 20'``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, (int, float)) else f"'{value}'"


def _listing(items: list[str], limit: int = 8) -> str:
    return ", ".join(items[:limit]) + (", ..." if len(items) > limit else "")


def sheet_range(grid: Grid, cells: str) -> str:
    """``Data!A2:A9`` (the sheet name quoted when it has spaces, as ``Grid.ref`` does)."""
    return f"{grid.ref(0, 0).rsplit('!', 1)[0]}!{cells}"


def _rows_text(rows: list[int], limit: int = 6) -> str:
    """``27``, ``27-33`` or ``12, 19, 40`` for 1-based row numbers."""
    rows = sorted(set(rows))
    if len(rows) > 2 and rows == list(range(rows[0], rows[-1] + 1)):
        return f"{rows[0]}-{rows[-1]}"
    text = ", ".join(str(r) for r in rows[:limit])
    return text + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def _visible(text: str) -> str:
    """``text`` without invisible characters (zero-width spaces, joiners, marks)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _invisible(name: str) -> str:
    """The first character in a sheet name that cannot be seen or looks like a plain space
    (``U+200B ZERO WIDTH SPACE``), or ``""``."""
    for ch in name:
        if unicodedata.category(ch) in ("Cf", "Zs", "Cc") and ch != " ":
            return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"
    return ""


def find_sheet(grids: dict[str, Grid], name: str) -> Grid | None:
    for title, grid in grids.items():
        if _key(title) == _key(name):
            return grid
    return None


class Table:
    """A sheet read as a header row plus records, columns found by name."""

    def __init__(self, grid: Grid, columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                 check: Checks, first_column: str):
        self.grid = grid
        self.col: dict[str, int] = {}
        self.header_row = 0
        for r, row in enumerate(grid.rows[:10]):  # allow title rows above the header
            if any(_key(v) in columns[first_column] for v in row):
                self.header_row = r
                break
        header = grid.rows[self.header_row] if grid.rows else []
        for c, text in enumerate(header):
            for field_name, names in columns.items():
                if _key(text) in names and field_name not in self.col:
                    self.col[field_name] = c
        self.missing = [f for f in required if f not in self.col]
        found = [str(v).strip() for v in header if not _blank(v)]
        for f in self.missing:
            wanted = columns[f][0]
            wanted = "ID" if wanted == "id" else wanted[:1].upper() + wanted[1:]
            has = f" (the header row has: {_listing(found)})" if found else " (its header row is blank)"
            check.error(sheet_range(grid, self._header_ref(header)), f"has no '{wanted}' column{has}.",
                        f"Add a column headed '{wanted}' to the header row (row {self.header_row + 1}).")

    def _header_ref(self, header) -> str:
        row = self.header_row + 1
        last = max((c for c, v in enumerate(header) if not _blank(v)), default=None)
        return f"{row}:{row}" if last is None else f"A{row}:{get_column_letter(last + 1)}{row}"

    def labels(self) -> dict[int, str]:
        """Header text by column, for messages."""
        header = self.grid.rows[self.header_row] if self.grid.rows else []
        return {c: str(v).strip() for c, v in enumerate(header) if not _blank(v)}

    def records(self):
        """(row index, {field: value}) for each non-blank row under the header."""
        for r in range(self.header_row + 1, len(self.grid.rows)):
            row = self.grid.rows[r]
            values = {f: (row[c] if c < len(row) else None) for f, c in self.col.items()}
            if all(_blank(v) for v in values.values()):
                continue
            yield r, values

    def ref(self, r: int, field_name: str) -> str:
        return self.grid.ref(r, self.col.get(field_name, 0))


def to_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u00a3", "")
        percent = text.endswith("%")
        text = text.rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            return None
        if number != number or number in (float("inf"), float("-inf")):
            return None
        return number / 100 if percent else number
    return None


class Setting(NamedTuple):
    """One row of a Setting | Value sheet (the Report sheet's layout)."""

    name: str  # as a key: lower case, spaces tidied ("financial year start")
    label: str  # as typed
    value: object
    where: str  # the value's cell
    name_where: str  # the name's cell


def settings(grid: Grid | None, check: Checks):
    """Each setting typed on a Setting | Value sheet, in order; a name or value that is an
    Excel error or a formula with no saved result is named in ``check`` and skipped, as is
    a blank value. Nothing when the sheet is missing, blank or has no such header."""
    if grid is None or grid.is_blank():
        return
    table = Table(grid, {"setting": ("setting",), "value": ("value",)}, ("setting", "value"), check, "setting")
    if table.missing:
        return
    for r, rec in table.records():
        name_where, where, value = table.ref(r, "setting"), table.ref(r, "value"), rec["value"]
        if check.text_error(name_where, rec["setting"], "setting name"):
            continue
        if _blank(value) or check.cell_error(where, value, "Fix the formula, or type the setting's value."):
            continue
        yield Setting(_key(rec["setting"]), rec["setting"], value, where, name_where)
