"""Read and check the raw workbook: sheets of ``Grid`` -> ``RawWorkbook``.

Every problem names its sheet and cell and says what to type instead. Nothing typed
is dropped: text where a number belongs is kept on the ``Figure`` and shown.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from openpyxl.utils import get_column_letter

from ..errors import InputError, Problem
from ..model import Indicator, RawWorkbook, ReportSettings, YtdMethod
from ..periods import ACCEPTED, PLAUSIBLE_YEARS, Month, date_from_number, parse_period
from .grid import Grid, grids_from_file
from .sheets import commentary as commentary_sheet
from .sheets import data, report
from .sheets import distributions as distributions_sheet
from .sheets import indicators as indicators_sheet
from .sheets import overview as overview_sheet
from .sheets import rebase as rebase_sheet
from .table import Table, _blank, _invisible, _key, _listing, _shown, _visible, find_sheet, sheet_range, to_number

REQUIRED_SHEETS = ("Indicators", "Data")
INPUT_SHEETS = ("Indicators", "Data", "Report", "Commentary", "Overview", "Distributions", "Rebase")
EMPTY_MARKS = {"-", "\u2013", "\u2014", "n/a", "na", "n.a.", "nd", "no data", "..", "x", "*"}
EXCEL_ERRORS = {"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA"}
MAX_PROBLEMS = 200  # listed of each kind (errors, warnings); the rest are counted
MAX_FIGURE = 1e15  # Excel keeps 15 significant digits; anything larger is not a council's figure
EXCEL_TEXT_LIMIT = 32_767  # characters a cell can hold


class Reader:
    def __init__(self, grids: dict[str, Grid], source: str, today: dt.date | None = None):
        self.grids = grids
        self.source = source
        self.today = today or dt.date.today()
        self.problems: list[Problem] = []
        self.found: dict[str, int] = {}  # severity -> problems found (more than are listed)
        self.ytd_defaulted: set[str] = set()
        self.indicators_ok = True  # False when the Indicators sheet could not be read at all
        self.date_numbers: dict[str, list[tuple[str, object, Month]]] = {}  # sheet -> periods typed as numbers

    # -- helpers -----------------------------------------------------------------
    def error(self, where: str, message: str, fix: str = "") -> None:
        self._add(Problem(where, message, fix))

    def warn(self, where: str, message: str, fix: str = "") -> None:
        self._add(Problem(where, message, fix, severity="warning"))

    def _add(self, problem: Problem) -> None:
        """List the first ``MAX_PROBLEMS`` errors and warnings; count the rest (a sheet of a
        million bad rows is one mistake repeated, not a million lines to read)."""
        self.found[problem.severity] = self.found.get(problem.severity, 0) + 1
        if self.found[problem.severity] <= MAX_PROBLEMS:
            self.problems.append(problem)

    def _count_unlisted(self) -> None:
        for severity, found in self.found.items():
            n = found - MAX_PROBLEMS
            if n <= 0:
                continue
            self.problems.append(Problem(self.source, f"... and {n:,} more {severity}{'s' if n != 1 else ''} like "
                                         "these, not listed.", "Fix the ones listed and run again to see the rest.",
                                         severity, count=n))

    def _cell_error(self, where: str, value, fix: str = "") -> bool:
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            self.error(where, f"shows the error {value.strip()}.",
                       fix or "Fix the formula or type the figure; type - if there is no figure.")
            return True
        return False

    def _text_error(self, where: str, value, label: str) -> bool:
        """An Excel error (#REF!, #N/A ...) where text such as a title belongs."""
        return self._cell_error(where, value, f"Fix the formula, or type the {label} itself.")

    def _clear_errors(self, table: "Table", r: int, rec: dict, labels: dict[str, str]) -> dict:
        """Report Excel errors in the text fields of a record and blank them."""
        for field_name, label in labels.items():
            if field_name in table.col and self._text_error(table.ref(r, field_name), rec.get(field_name), label):
                rec[field_name] = None
        return rec

    def _empty_required(self, grid: Grid, header: str, rows: str) -> bool:
        if not grid.is_blank():
            return False
        self.error(grid.ref(0, 0), "the sheet is empty.",
                   f"Type the header row ({header}) in row 1, then {rows}; kpi-xl init writes an example.")
        return True

    def _check_merged(self, grid: Grid, header_row: int, labels: dict[int, str]) -> None:
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

    def _choice(self, enum, value, where: str, label: str, default):
        if _blank(value):
            return default
        if self._cell_error(where, value, f"Fix the formula, or type one of: {enum.allowed()}."):
            return default
        parsed = enum.parse(value)
        if parsed is None:
            self.error(where, f"{label} '{value}' is not recognised.", f"Type one of: {enum.allowed()}.")
            return default
        return parsed

    def _number(self, value, where: str, label: str, *, integer=False, minimum=None, maximum=None):
        if _blank(value):
            return None
        if self._cell_error(where, value, f"Fix the formula, or type the {label} as a number, or leave it blank."):
            return None
        number = to_number(value)
        if number is None or isinstance(value, bool):
            self.error(where, f"{label} '{value}' is not a number.", f"Type a number{' (whole)' if integer else ''}, "
                       "or leave it blank.")
            return None
        if self._unratable(number, where, label):
            return None
        if integer and not float(number).is_integer():
            self.error(where, f"{label} {value} is not a whole number.", f"Type a whole number such as {round(number)}.")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(where, f"{label} {value} is out of range.", f"Type a number from {minimum} to {maximum}.")
            return None
        return int(number) if integer else number

    def _check_length(self, value, where: str) -> None:
        """Text longer than a cell can hold is cut when the scorecard is written: say so."""
        length = len(value.strip().encode("utf-16-le")) // 2 if isinstance(value, str) else 0  # as Excel counts
        if length > EXCEL_TEXT_LIMIT:
            self.warn(where, f"the text is {length:,} characters long; a cell holds at most "
                      f"{EXCEL_TEXT_LIMIT:,}, so the scorecard shows only the first {EXCEL_TEXT_LIMIT:,}.",
                      "Shorten the text, or put the detail in a linked document.")

    def _unratable(self, number: float, where: str, label: str = "") -> bool:
        """Infinity, NaN or a number beyond ``MAX_FIGURE``: reported, never rated (or rounded)."""
        if math.isfinite(number) and abs(number) < MAX_FIGURE:
            return False
        self.error(where, f"{f'{label} ' if label else ''}{number:g} is not a figure kpi_xl can rate.",
                   f"Type the figure (a number below {MAX_FIGURE:,.0f}), or - if there is no figure.")
        return True

    def _percent(self, value: float, where: str, is_formatted_percent: bool, label: str) -> float:
        """Apply the one rule for % figures: fractions; a plain number above 1 is a whole %."""
        if is_formatted_percent or abs(value) <= 1:
            return value
        self.warn(where, f"{label} {value:g} was read as {value:g}% ({value / 100:g}).",
                  f"Type {value / 100:g} or {value:g}% to confirm, so the two forms are not mixed.")
        return value / 100

    def _ratio_default(self, ind: Indicator, series: dict) -> Indicator:
        """A % indicator with no YTD method and numerators/denominators: YTD by Ratio."""
        if ind.id in self.ytd_defaulted and ind.is_percent and any(
                f.numerator is not None and f.denominator is not None for f in series.values()):
            return replace(ind, ytd_method=YtdMethod.RATIO)
        return ind

    def _parse_period(self, value, where: str, start_month: int) -> Month | None:
        """``parse_period``, also reading a date number (a date cell formatted General, as
        the Excel add-in receives it) as its date; each is told in one warning per sheet."""
        day = date_from_number(value)
        if day is None:
            return parse_period(value, start_month)
        month = Month(day.year, day.month)
        self.date_numbers.setdefault(where.rsplit("!", 1)[0], []).append((where, value, month))
        return month

    def _tell_date_numbers(self) -> None:
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

    def _not_a_month(self, where: str, value, label: str = "period") -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.error(where, f"{label} {_shown(value)} is a number, not a month.",
                       f"Format the cell as a date (Home > Number Format > Short Date) and check it shows the "
                       f"month you meant, or type {ACCEPTED}.")
        else:
            self.error(where, f"{label} {_shown(value)} is not a month kpi_xl can read.", f"Type {ACCEPTED}.")

    # -- sheets ------------------------------------------------------------------
    def read(self) -> RawWorkbook:
        if not self.grids:
            self.error(self.source, "has no worksheets.", "Run kpi-xl init to start a raw workbook.")
        elif all(grid.is_blank() for grid in self.grids.values()):
            names = list(self.grids)
            what = (f"its only sheet, {names[0]}, is blank" if len(names) == 1
                    else f"its sheets {_listing(names)} are all blank")
            self.error(self.source, f"is empty ({what}).",
                       "Start from the layout kpi-xl init writes: an Indicators sheet (ID, Indicator, Section, "
                       "Unit, Polarity, Target) and a Data sheet (ID, Period, Value).")
            return RawWorkbook(self.source, [], {}, ReportSettings(), problems=self.problems)
        if self.grids:
            for name in REQUIRED_SHEETS:
                self._check_sheet_name(name)
        settings = report.read_report(self)
        indicators = indicators_sheet.read_indicators(self, settings)
        figures = data.read_data(self, indicators, settings)
        indicators = [self._ratio_default(ind, figures.get(ind.id, {})) for ind in indicators]
        commentary = commentary_sheet.read_commentary(self, indicators)
        overview = overview_sheet.read_overview(self, indicators)
        distributions = distributions_sheet.read_distributions(self)
        rebases = rebase_sheet.read_rebases(self, indicators, settings)
        if settings.period is not None:
            figures_months = [m for s in figures.values() for m in s]
            if figures_months and settings.period > max(figures_months):
                self.warn("Report", f"Period {settings.period.label} is later than the latest figure "
                          f"({max(figures_months).label}).", "Check the Period setting.")
        self._tell_date_numbers()
        self._check_formulas(figures)
        self._count_unlisted()
        return RawWorkbook(self.source, indicators, figures, settings, commentary, overview,
                           distributions, self.problems, rebases=rebases)

    def _check_formulas(self, figures: dict) -> None:
        """Formulas whose value kpi_xl cannot trust: no saved result (the file was written by a
        program that does not calculate), or read from another workbook (the saved value may
        be stale). Each named, on the sheets kpi_xl reads."""
        calculate = "Open and save the workbook in Excel so its formulas are calculated, then run again."
        for name in INPUT_SHEETS:
            grid = find_sheet(self.grids, name)
            if grid is None:
                continue
            cells = sorted(grid.uncalculated)
            if cells and name == "Data" and not any(figures.values()):
                what = f"{len(cells):,} values are formulas" if len(cells) != 1 else "value is a formula"
                self.error(grid.ref(*cells[0]), f"Data has no figures: its {what} with no saved result.", calculate)
                cells = []
            for r, c in cells:
                self.error(grid.ref(r, c), "holds a formula with no saved result, so its value is unknown.", calculate)
            for (r, c), formula in sorted(grid.linked.items()):
                self.warn(grid.ref(r, c), f"the value {grid.value(r, c)!r} comes from another workbook ({formula}); "
                          "it is the value saved when this file was last calculated, which may be out of date.",
                          "Open both workbooks in Excel and save this one, or type the figure itself.")

    def _check_sheet_name(self, name: str) -> None:
        """A required sheet that is missing, or whose name hides an invisible character
        ('Data' + zero-width space or no-break space): the near match is pointed out."""
        grid = find_sheet(self.grids, name)
        if grid is not None:
            odd = _invisible(grid.name)
            if odd:
                self.warn(self.source, f"the sheet {grid.name!r} has an invisible character ({odd}) in its name; "
                          f"it was read as {name}.", f"Rename the sheet to {name}.")
            return
        near = next((title for title in self.grids if _invisible(title) and _key(_visible(title)) == _key(name)), None)
        if near is not None:
            self.error(self.source, f"has no '{name}' sheet, but has a sheet named {near!r}, with an invisible "
                       f"character ({_invisible(near)}).", f"Rename that sheet to {name}.")
        else:
            self.error(self.source, f"has no '{name}' sheet (found: {', '.join(self.grids) or 'none'}).",
                       f"Add a sheet named '{name}' (kpi-xl init writes one with the right columns).")

    def _future(self, month: Month, where: str) -> bool:
        if month > Month(self.today.year, self.today.month):
            self.error(where, f"period {month.long_label} is in the future.",
                       "Check the year; figures can only be for months that have started.")
            return True
        return False

    def _too_early(self, month: Month, where: str) -> bool:
        if month.year < PLAUSIBLE_YEARS.start:  # a mistyped year (1850, year 1)
            self.error(where, f"period {month.long_label} is before {PLAUSIBLE_YEARS.start}, so it is not a month "
                       "kpi_xl can report.", f"Check the year; type {ACCEPTED}.")
            return True
        return False

    def _period(self, value, where: str, start_month: int = 4) -> Month | None:
        if _blank(value):
            self.error(where, "has no period.", f"Type the month: {ACCEPTED}.")
            return None
        if self._cell_error(where, value, f"Fix the formula, or type the month: {ACCEPTED}."):
            return None
        month = self._parse_period(value, where, start_month)
        if month is None:
            self._not_a_month(where, value)
            return None
        return None if self._future(month, where) or self._too_early(month, where) else month


def read_grids(grids: dict[str, Grid], source: str, today: dt.date | None = None) -> RawWorkbook:
    """Check and read grids; raise ``InputError`` listing every error found."""
    raw = Reader(grids, source, today).read()
    if any(p.severity == "error" for p in raw.problems):
        raise InputError(raw.problems, source)
    return raw


def read_workbook(path, today: dt.date | None = None) -> RawWorkbook:
    from pathlib import Path
    return read_grids(grids_from_file(path), Path(path).name, today)
