"""The problems found on one raw sheet, and the checks every sheet shares to find them.

Each sheet's reader (``kpi_xl.read.sheets``) makes a ``Checks``, checks its cells with it
(``check.number``, ``check.choice``, ``check.period`` ...) and hands it back with what it
read; ``kpi_xl.read.reader`` adds each sheet's problems to the workbook's, in order.
"""
from __future__ import annotations

import datetime as dt
import math

from .excel_values import get_column_letter

from ..errors import Problem
from ..periods import ACCEPTED, PLAUSIBLE_YEARS, Month, date_from_number, parse_period
from .grid import Grid
from .table import _blank, _listing, _shown, sheet_range, to_number

EXCEL_ERRORS = {"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA"}
MAX_PROBLEMS = 200  # listed of each kind (errors, warnings); the rest are counted
MAX_FIGURE = 1e15  # Excel keeps 15 significant digits; anything larger is not a council's figure
EXCEL_TEXT_LIMIT = 32_767  # characters a cell can hold


def closest(text: str, choices: list[str], cutoff: float) -> str | None:
    """The choice nearest ``text`` (difflib's similarity at least ``cutoff``), or ``None``: for
    a "Did you mean ...?" hint. difflib is imported here, on the first hint looked for, not by
    every run."""
    import difflib  # noqa: PLC0415

    close = difflib.get_close_matches(text, choices, n=1, cutoff=cutoff)
    return close[0] if close else None


def plain_number(value) -> float | None:
    """``value`` as a float when it is a number every check of a figure passes (an int or a
    float, not a bool, finite and below ``MAX_FIGURE``), else None: the usual cell, taken
    without naming its cell (a check names it only when it tells a problem)."""
    if type(value) is float or type(value) is int:  # (not a bool: its type is bool)
        if -MAX_FIGURE < value < MAX_FIGURE:  # (False for NaN and infinity)
            return float(value)
    return None


def is_excel_error(value) -> bool:
    """Whether a cell shows an Excel error (#REF!, #N/A ...)."""
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


class Checks:
    """Problems found, in the order found: the first ``MAX_PROBLEMS`` errors and warnings
    are listed, the rest counted (a sheet of a million bad rows is one mistake repeated,
    not a million lines to read)."""

    def __init__(self, today: dt.date | None = None):
        self.today = today or dt.date.today()
        self.problems: list[Problem] = []
        self.found: dict[str, int] = {}  # severity -> problems found (more than are listed)
        self.date_numbers: dict[str, list[tuple[str, object, Month]]] = {}  # sheet -> periods typed as numbers
        self.choices_read: dict[tuple, object] = {}  # (enum, type, value typed) -> its member, or None

    def error(self, where: str, message: str, fix: str = "") -> None:
        self.add(Problem(where, message, fix))

    def warn(self, where: str, message: str, fix: str = "") -> None:
        self.add(Problem(where, message, fix, severity="warning"))

    def add(self, problem: Problem) -> None:
        self.found[problem.severity] = self.found.get(problem.severity, 0) + 1
        if self.found[problem.severity] <= MAX_PROBLEMS:
            self.problems.append(problem)

    def extend(self, sheet: Checks) -> None:
        """Add another sheet's problems after these (its unlisted ones stay counted)."""
        for problem in sheet.problems:
            self.add(problem)
        for severity, found in sheet.found.items():
            listed = sum(1 for p in sheet.problems if p.severity == severity)
            self.found[severity] = self.found.get(severity, 0) + found - listed
        for name, cells in sheet.date_numbers.items():
            self.date_numbers.setdefault(name, []).extend(cells)

    def count_unlisted(self, source: str) -> None:
        for severity, found in self.found.items():
            n = found - MAX_PROBLEMS
            if n <= 0:
                continue
            self.problems.append(Problem(source, f"... and {n:,} more {severity}{'s' if n != 1 else ''} like "
                                         "these, not listed.", "Fix the ones listed and run again to see the rest.",
                                         severity, count=n))

    def has_errors(self) -> bool:
        return self.found.get("error", 0) > 0

    # -- cells -------------------------------------------------------------------------
    def cell_error(self, where: str, value, fix: str = "") -> bool:
        if is_excel_error(value):
            self.error(where, f"shows the error {value.strip()}.",
                       fix or "Fix the formula or type the figure; type - if there is no figure.")
            return True
        return False

    def text_error(self, where: str, value, label: str) -> bool:
        """An Excel error (#REF!, #N/A ...) where text such as a title belongs."""
        return self.cell_error(where, value, f"Fix the formula, or type the {label} itself.")

    def clear_errors(self, table, r: int, rec: dict, labels: dict[str, str]) -> dict:
        """Report Excel errors in the text fields of a record (of a ``Table``) and blank them."""
        for field_name, label in labels.items():
            if field_name in table.col and self.text_error(table.ref(r, field_name), rec.get(field_name), label):
                rec[field_name] = None
        return rec

    def empty_required(self, grid: Grid, header: str, rows: str) -> bool:
        if not grid.is_blank():
            return False
        self.error(grid.ref(0, 0), "the sheet is empty.",
                   f"Type the header row ({header}) in row 1, then {rows}; kpi-xl init writes an example.")
        return True

    def merged(self, grid: Grid, header_row: int, labels: dict[int, str]) -> None:
        """Merged cells under the header row hide values from every row but the first."""
        for text, r0, c0, r1, c1 in grid.merged_bounds():
            if r1 <= header_row:
                continue  # a banner or heading above the records: harmless
            where = sheet_range(grid, text)
            label = labels.get(c0) or f"value in column {get_column_letter(c0 + 1)}"
            unmerge = "Unmerge them (Home > Merge & Center > Unmerge Cells) and "
            if r1 > r0:
                rows = f"row {r0 + 2} has" if r1 == r0 + 1 else f"rows {r0 + 2}-{r1 + 1} have"
                own = "its" if r1 == r0 + 1 else "their"
                self.error(where, f"cells {text} are merged, so {rows} no {label} of {own} own.",
                           f"{unmerge}type the {label} on every row.")
            else:
                self.error(where, f"cells {text} are merged, so only {get_column_letter(c0 + 1)}{r0 + 1} "
                           "holds a value.", f"{unmerge}type each value in its own cell.")

    def choice(self, enum, value, where: str, label: str, default):
        if _blank(value):
            return default
        if is_excel_error(value):  # (the choices are listed only for a problem: listing them takes a while)
            self.cell_error(where, value, f"Fix the formula, or type one of: {enum.allowed()}.")
            return default
        key = (enum, type(value), value)  # (1, 1.0 and True are one key, but read differently)
        parsed = self.choices_read.get(key)
        if parsed is None:  # the same few words on every row: each is looked up once
            parsed = self.choices_read[key] = enum.parse(value)
        if parsed is None:
            self.error(where, f"{label} '{value}' is not recognised.", f"Type one of: {enum.allowed()}.")
            return default
        return parsed

    def number(self, value, where: str, label: str, *, integer=False, minimum=None, maximum=None):
        if _blank(value):
            return None
        if self.cell_error(where, value, f"Fix the formula, or type the {label} as a number, or leave it blank."):
            return None
        number = to_number(value)
        if number is None or isinstance(value, bool):
            self.error(where, f"{label} '{value}' is not a number.", f"Type a number{' (whole)' if integer else ''}, "
                       "or leave it blank.")
            return None
        if self.unratable(number, where, label):
            return None
        if integer and not float(number).is_integer():
            self.error(where, f"{label} {value} is not a whole number.", f"Type a whole number such as {round(number)}.")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(where, f"{label} {value} is out of range.", f"Type a number from {minimum} to {maximum}.")
            return None
        return int(number) if integer else number

    def length(self, value, where: str) -> None:
        """Text longer than a cell can hold is cut when the scorecard is written: say so."""
        length = len(value.strip().encode("utf-16-le")) // 2 if isinstance(value, str) else 0  # as Excel counts
        if length > EXCEL_TEXT_LIMIT:
            self.warn(where, f"the text is {length:,} characters long; a cell holds at most "
                      f"{EXCEL_TEXT_LIMIT:,}, so the scorecard shows only the first {EXCEL_TEXT_LIMIT:,}.",
                      "Shorten the text, or put the detail in a linked document.")

    def unratable(self, number: float, where: str, label: str = "") -> bool:
        """Infinity, NaN or a number beyond ``MAX_FIGURE``: reported, never rated (or rounded)."""
        if math.isfinite(number) and abs(number) < MAX_FIGURE:
            return False
        self.error(where, f"{f'{label} ' if label else ''}{number:g} is not a figure kpi_xl can rate.",
                   f"Type the figure (a number below {MAX_FIGURE:,.0f}), or - if there is no figure.")
        return True

    def percent(self, value: float, where: str, is_formatted_percent: bool, label: str) -> float:
        """Apply the one rule for % figures: fractions; a plain number above 1 is a whole %."""
        if is_formatted_percent or abs(value) <= 1:
            return value
        self.warn(where, f"{label} {value:g} was read as {value:g}% ({value / 100:g}).",
                  f"Type {value / 100:g} or {value:g}% to confirm, so the two forms are not mixed.")
        return value / 100

    # -- periods -----------------------------------------------------------------------
    def parse_period(self, value, where: str, start_month: int) -> Month | None:
        """``parse_period``, also reading a date number (a date cell formatted General, as
        the Excel add-in receives it) as its date; each is told in one warning per sheet."""
        day = date_from_number(value)
        if day is None:
            return parse_period(value, start_month)
        month = Month(day.year, day.month)
        self.date_numbers.setdefault(where.rsplit("!", 1)[0], []).append((where, value, month))
        return month

    def tell_date_numbers(self) -> None:
        for cells in self.date_numbers.values():
            where, value, month = cells[0]
            if len(cells) == 1:
                what = f"period {_shown(value)} is a date number, not a date; it was read as {month.long_label}."
            else:
                others = [w.rsplit("!", 1)[1] for w, _, _ in cells[1:]]
                what = (f"{len(cells)} periods are date numbers, not dates (this cell and {_listing(others, 5)}); "
                        f"each was read as the month it stands for ({_shown(value)} as {month.long_label}).")
            self.warn(where, what, "Format the cells as dates (Home > Number Format > Short Date) so they show "
                                   "as months, and check they are the months you meant.")

    def not_a_month(self, where: str, value, label: str = "period") -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.error(where, f"{label} {_shown(value)} is a number, not a month.",
                       f"Format the cell as a date (Home > Number Format > Short Date) and check it shows the "
                       f"month you meant, or type {ACCEPTED}.")
        else:
            self.error(where, f"{label} {_shown(value)} is not a month kpi_xl can read.", f"Type {ACCEPTED}.")

    def unknown_id(self, where: str, raw_id: str, ids: list[str]) -> None:
        """An ID that is not on the Indicators sheet (whose IDs are ``ids``), the nearest suggested."""
        close = closest(raw_id, ids, 0.6)
        hint = f"Did you mean '{close}'? " if close is not None else ""
        self.error(where, f"ID '{raw_id}' is not on the Indicators sheet.",
                   f"{hint}Correct the ID (the Indicators sheet has {_listing(ids, 6)}), or add the indicator there.")

    def future(self, month: Month, where: str) -> bool:
        if month > Month(self.today.year, self.today.month):
            self.error(where, f"period {month.long_label} is in the future.",
                       "Check the year; figures can only be for months that have started.")
            return True
        return False

    def too_early(self, month: Month, where: str) -> bool:
        if month.year < PLAUSIBLE_YEARS.start:  # a mistyped year (1850, year 1)
            self.error(where, f"period {month.long_label} is before {PLAUSIBLE_YEARS.start}, so it is not a month "
                       "kpi_xl can report.", f"Check the year; type {ACCEPTED}.")
            return True
        return False

    def period(self, value, where: str, start_month: int = 4) -> Month | None:
        if _blank(value):
            self.error(where, "has no period.", f"Type the month: {ACCEPTED}.")
            return None
        if self.cell_error(where, value, f"Fix the formula, or type the month: {ACCEPTED}."):
            return None
        month = self.parse_period(value, where, start_month)
        if month is None:
            self.not_a_month(where, value)
            return None
        return None if self.future(month, where) or self.too_early(month, where) else month
