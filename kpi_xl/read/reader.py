"""Read and check the raw workbook: sheets of ``Grid`` -> ``RawWorkbook``.

Every problem names its sheet and cell and says what to type instead. Nothing typed
is dropped: text where a number belongs is kept on the ``Figure`` and shown.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import replace

from openpyxl.utils import get_column_letter

from ..errors import InputError, Problem
from .grid import Grid, grids_from_file
from ..model import (Commentary, Distribution, Figure, Frequency, Indicator, OverviewItem,
                    Polarity, RagBasis, RawWorkbook, ReportSettings, ToleranceType, Unit,
                    YtdMethod, note_text)
from ..periods import ACCEPTED, PLAUSIBLE_YEARS, Month, date_from_number, parse_month_name, parse_period

REQUIRED_SHEETS = ("Indicators", "Data")
INPUT_SHEETS = ("Indicators", "Data", "Report", "Commentary", "Overview", "Distributions")
EMPTY_MARKS = {"-", "\u2013", "\u2014", "n/a", "na", "n.a.", "nd", "no data", "..", "x", "*"}
EXCEL_ERRORS = {"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA"}
OVERVIEW_LISTS = ("Going well or better", "Ones to watch", "Things to do better")
MAX_PROBLEMS = 200  # listed of each kind (errors, warnings); the rest are counted
MAX_FIGURE = 1e15  # Excel keeps 15 significant digits; anything larger is not a council's figure
EXCEL_TEXT_LIMIT = 32_767  # characters a cell can hold
SMALLEST_DENOMINATOR = 1e-6  # below this a denominator is 0 plus rounding noise (=A1-B1), not a count

INDICATOR_COLUMNS = {
    "id": ("id", "pi", "kpi", "ref"),
    "title": ("indicator", "title", "indicator title", "name"),
    "section": ("section",),
    "unit": ("unit",),
    "polarity": ("polarity",),
    "target": ("target",),
    "target_upper": ("target upper", "upper target"),
    "tolerance": ("tolerance",),
    "tolerance_type": ("tolerance type",),
    "rag_basis": ("rag basis",),
    "ytd": ("ytd", "ytd method"),
    "frequency": ("frequency",),
    "arrears": ("arrears",),
    "corporate_plan": ("corporate plan",),
    "decimals": ("decimals",),
}


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
                 problems: list[Problem], first_column: str):
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
            problems.append(Problem(sheet_range(grid, self._header_ref(header)), f"has no '{wanted}' column{has}.",
                                    f"Add a column headed '{wanted}' to the header row (row {self.header_row + 1})."))

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
        settings = self.read_settings()
        indicators = self.read_indicators(settings)
        figures = self.read_data(indicators, settings)
        indicators = [self._ratio_default(ind, figures.get(ind.id, {})) for ind in indicators]
        commentary = self.read_commentary(indicators)
        overview = self.read_overview(indicators)
        distributions = self.read_distributions()
        if settings.period is not None:
            figures_months = [m for s in figures.values() for m in s]
            if figures_months and settings.period > max(figures_months):
                self.warn("Report", f"Period {settings.period.label} is later than the latest figure "
                          f"({max(figures_months).label}).", "Check the Period setting.")
        self._tell_date_numbers()
        self._check_formulas(figures)
        self._count_unlisted()
        return RawWorkbook(self.source, indicators, figures, settings, commentary, overview,
                           distributions, self.problems)

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

    def read_settings(self) -> ReportSettings:
        grid = find_sheet(self.grids, "Report")
        settings = ReportSettings()
        if grid is None or grid.is_blank():
            return settings
        table = Table(grid, {"setting": ("setting",), "value": ("value",)}, ("setting", "value"),
                      self.problems, "setting")
        if table.missing:
            return settings
        changes = {}
        period_cell = None
        for r, rec in table.records():
            name, value, where = _key(rec["setting"]), rec["value"], table.ref(r, "value")
            if self._text_error(table.ref(r, "setting"), rec["setting"], "setting name"):
                continue
            if _blank(value) or self._cell_error(where, value, "Fix the formula, or type the setting's value."):
                continue
            if name == "title":
                changes["title"] = str(value).strip()
            elif name == "organisation" or name == "organization":
                changes["organisation"] = str(value).strip()
            elif name in ("period", "reporting period", "month"):
                period_cell = (value, where)  # read after the loop: a quarter depends on the year start
            elif name == "financial year start":
                month = parse_month_name(value)
                if month is None:
                    self.error(where, f"Financial year start '{value}' is not a month.", "Type a month name such as April.")
                else:
                    changes["fy_start"] = month
            elif name == "months shown":
                n = self._number(value, where, "Months shown", integer=True, minimum=1, maximum=24)
                if n is not None:
                    changes["months_shown"] = n
            elif name == "template":
                changes["template"], changes["template_where"] = str(value).strip(), where
            elif name == "tolerance":
                n = self._number(value, where, "Tolerance", minimum=0, maximum=1000)
                if n is not None:
                    changes["tolerance"] = n
            elif name == "tolerance type":
                changes["tolerance_type"] = self._choice(ToleranceType, value, where, "Tolerance type",
                                                         ToleranceType.PERCENT)
            elif name == "rag basis":
                changes["rag_basis"] = self._choice(RagBasis, value, where, "RAG basis", RagBasis.MONTH)
            elif name == "refresh note":
                changes["refresh_note"] = str(value).strip()
            else:
                self.warn(table.ref(r, "setting"), f"setting '{rec['setting']}' is not one kpi_xl uses; it was ignored.",
                          "Known settings: Title, Organisation, Period, Financial year start, Months shown, "
                          "Template, Tolerance, Tolerance type, RAG basis, Refresh note.")
        if period_cell is not None:
            value, where = period_cell
            month = self._parse_period(value, where, changes.get("fy_start", 4))
            if month is None:
                self._not_a_month(where, value, "Period")
            elif not self._too_early(month, where):
                changes["period"], changes["period_where"] = month, where
        return replace(settings, **changes)

    def read_indicators(self, settings: ReportSettings) -> list[Indicator]:
        grid = find_sheet(self.grids, "Indicators")
        if grid is None or self._empty_required(grid, "ID, Indicator, Section, Unit, Polarity, Target",
                                                  "one row per indicator"):
            self.indicators_ok = False
            return []
        table = Table(grid, INDICATOR_COLUMNS, ("id", "title"), self.problems, "id")
        if table.missing:
            self.indicators_ok = False
            return []
        self._check_merged(grid, table.header_row, table.labels())
        indicators: list[Indicator] = []
        seen: dict[str, str] = {}
        for r, rec in table.records():
            ref = lambda f: table.ref(r, f)  # noqa: E731
            raw_id = rec.get("id")
            if _blank(raw_id):
                if not grid.covered(r, table.col["id"]):  # merged cells were reported above
                    self.error(ref("id"), "has an indicator with no ID.", "Type a short unique ID such as 'CP 12'.")
                continue
            if self._text_error(ref("id"), raw_id, "indicator's ID"):
                continue
            ind_id = str(raw_id).strip()
            if ind_id.lower() in seen:
                self.error(ref("id"), f"ID '{ind_id}' is used twice (also at {seen[ind_id.lower()]}).",
                           "Give each indicator its own ID.")
                continue
            seen[ind_id.lower()] = ref("id")
            title = rec.get("title")
            if self._text_error(ref("title"), title, "indicator's title"):
                title = ind_id
            elif _blank(title):
                if not grid.covered(r, table.col["title"]):
                    self.error(ref("title"), f"indicator '{ind_id}' has no title.", "Type the indicator's title.")
                title = ind_id
            self._check_length(title, ref("title"))
            section = rec.get("section")
            if self._text_error(ref("section"), section, "section name"):
                section = None
            unit = self._choice(Unit, rec.get("unit"), ref("unit"), "Unit", Unit.NUMBER)
            percent = unit is Unit.PERCENT
            polarity = self._choice(Polarity, rec.get("polarity"), ref("polarity"), "Polarity", Polarity.HIGH)
            target = self._number(rec.get("target"), ref("target"), "Target")
            upper = self._number(rec.get("target_upper"), ref("target_upper"), "Target upper")
            tformat = table.grid.number_format(r, table.col.get("target", 0))
            if percent and target is not None:
                target = self._percent(target, ref("target"), "%" in tformat, "Target")
            if percent and upper is not None:
                upper = self._percent(upper, ref("target_upper"), "%" in table.grid.number_format(
                    r, table.col.get("target_upper", 0)), "Target upper")
            if upper is not None and polarity is not Polarity.TARGET:
                self.warn(ref("target_upper"), f"Target upper is only used with polarity Target ('{ind_id}' is {polarity}).",
                          "Set Polarity to Target for a band, or clear Target upper.")
            if polarity is Polarity.TARGET and target is None:
                self.error(ref("target"), f"'{ind_id}' has polarity Target but no target.",
                           "Type the target (and Target upper for a band), or change the polarity.")
            tolerance = self._number(rec.get("tolerance"), ref("tolerance"), "Tolerance", minimum=0, maximum=1000)
            ytd_default = YtdMethod.SUM if unit is Unit.COUNT else YtdMethod.LATEST
            if _blank(rec.get("ytd")):
                self.ytd_defaulted.add(ind_id)
            decimals = self._number(rec.get("decimals"), ref("decimals"), "Decimals", integer=True, minimum=0, maximum=4)
            arrears = self._number(rec.get("arrears"), ref("arrears"), "Arrears", integer=True, minimum=0, maximum=24)
            corp = rec.get("corporate_plan")
            if self._cell_error(ref("corporate_plan"), corp, "Fix the formula, or type Y (or leave it blank)."):
                corp = None
            elif not _blank(corp) and _key(corp) not in ("y", "yes", "n", "no", "true", "false", "1", "0"):
                self.error(ref("corporate_plan"), f"Corporate plan '{corp}' is not Y or blank.", "Type Y, or leave it blank.")
            indicators.append(Indicator(
                id=ind_id, title=str(title).strip(), section=str(section).strip()
                if not _blank(section) else "Other",
                unit=unit, polarity=polarity, target=target, target_upper=upper,
                tolerance=settings.tolerance if tolerance is None else tolerance,
                tolerance_type=self._choice(ToleranceType, rec.get("tolerance_type"), ref("tolerance_type"),
                                            "Tolerance type", settings.tolerance_type),
                rag_basis=self._choice(RagBasis, rec.get("rag_basis"), ref("rag_basis"), "RAG basis", settings.rag_basis),
                ytd_method=self._choice(YtdMethod, rec.get("ytd"), ref("ytd"), "YTD", None) or ytd_default,
                frequency=self._choice(Frequency, rec.get("frequency"), ref("frequency"), "Frequency", Frequency.MONTHLY),
                arrears=arrears or 0,
                corporate_plan=_key(corp) in ("y", "yes", "true", "1"),
                decimals=decimals if decimals is not None else (0 if unit in (Unit.PERCENT, Unit.COUNT) else 1),
                where=ref("id"),
            ))
        if not indicators and not table.missing:
            self.error(f"{grid.name}!A{table.header_row + 2}", "lists no indicators.",
                       "Add one row per indicator under the header (ID, Indicator, Section, ...).")
        return indicators

    def read_data(self, indicators: list[Indicator], settings: ReportSettings) -> dict[str, dict[Month, Figure]]:
        grid = find_sheet(self.grids, "Data")
        figures: dict[str, dict[Month, Figure]] = {i.id: {} for i in indicators}
        if grid is None or self._empty_required(
                grid, "ID, Period, Value", "one row per indicator and month"):
            return figures
        by_key = {i.id.lower(): i for i in indicators}
        header_row = next((r for r, row in enumerate(grid.rows[:10]) if any(_key(v) == "id" for v in row)), None)
        if header_row is None:
            first = [str(v).strip() for v in (grid.rows[0] if grid.rows else []) if not _blank(v)]
            has = f" (row 1 has: {_listing(first)})" if first else ""
            self.error(grid.ref(0, 0), f"has no 'ID' column{has}.",
                       "Head the first column 'ID', then Period and Value (see kpi-xl init).")
            return figures
        self._check_merged(grid, header_row, {c: str(v).strip() for c, v in enumerate(grid.rows[header_row])
                                              if not _blank(v)})
        header = [_key(v) for v in grid.rows[header_row]]
        long_shape = "period" in header and "value" in header
        cells: list[tuple[str, int, Month, int, dict]] = []  # (id, row, month, value col, extras)
        id_col = header.index("id")

        def row_id(r: int, has_figures: bool) -> str | None:
            """The row's ID, or None (reporting why) when it has none."""
            raw_id = grid.value(r, id_col)
            if _blank(raw_id):
                if has_figures and not grid.covered(r, id_col):  # merged cells are reported once, above
                    self.error(grid.ref(r, id_col), "has a figure with no ID.", "Type the indicator's ID.")
                return None
            if self._text_error(grid.ref(r, id_col), raw_id, "indicator's ID"):
                return None
            return str(raw_id).strip()

        if long_shape:
            pcol, vcol = header.index("period"), header.index("value")
            extra_cols = {n: header.index(n) for n in ("numerator", "denominator", "note") if n in header}
            for r in range(header_row + 1, len(grid.rows)):
                raw_period = grid.value(r, pcol)
                extras = {n: grid.value(r, c) for n, c in extra_cols.items()}
                if _blank(grid.value(r, id_col)) and _blank(raw_period) and _blank(grid.value(r, vcol)) and all(
                        _blank(v) for v in extras.values()):
                    continue
                if _blank(raw_period) and grid.covered(r, pcol):
                    month = None  # merged: reported once, above
                else:
                    month = self._period(raw_period, grid.ref(r, pcol), settings.fy_start)
                ind_id = row_id(r, True)
                if ind_id is not None and month is not None:
                    cells.append((ind_id, r, month, vcol, {n: (grid.value(r, c), grid.ref(r, c))
                                                           for n, c in extra_cols.items()}))
        else:
            months: dict[int, Month] = {}
            for c, text in enumerate(grid.rows[header_row]):
                if c == id_col or _blank(text):
                    continue
                if self._cell_error(grid.ref(header_row, c), text, f"Type the month as {ACCEPTED}."):
                    continue
                month = self._parse_period(text, grid.ref(header_row, c), settings.fy_start)
                if month is None:
                    if isinstance(text, (dt.date, dt.datetime)) or re.search(r"\d", str(text)):
                        self.error(grid.ref(header_row, c), f"column heading {_shown(text)} is not a month.",
                                   f"Head month columns with {ACCEPTED}.")
                    continue  # a text heading such as "Indicator" is an extra column
                if self._future(month, grid.ref(header_row, c)) or self._too_early(month, grid.ref(header_row, c)):
                    continue
                months[c] = month
            if not months:
                self.error(grid.ref(header_row, 0), "has neither Period/Value columns nor month headings.",
                           "Use columns ID, Period, Value (one row per figure), or ID then one column per month.")
            for r in range(header_row + 1, len(grid.rows)):
                filled = [c for c in months if not _blank(grid.value(r, c))]
                ind_id = row_id(r, bool(filled))
                if ind_id is None:
                    continue
                for c in filled:
                    cells.append((ind_id, r, months[c], c, {}))
        seen: dict[tuple[str, Month], str] = {}
        unknown: dict[str, tuple[str, list[int]]] = {}
        hidden_told: set[int] = set()
        for raw_id, r, month, vcol, extras in cells:
            ind = by_key.get(raw_id.lower())
            where = grid.ref(r, vcol)
            if ind is None:
                unknown.setdefault(raw_id.lower(), (raw_id, []))[1].append(r)
                continue
            if r in grid.hidden_rows and r not in hidden_told:
                hidden_told.add(r)
                what = f"figure for {ind.id} {month.label} was" if long_shape else f"figures for {ind.id} were"
                self.warn(grid.ref(r, id_col), f"row {r + 1} is hidden; its {what} used.",
                          "Unhide the row (right-click the row number > Unhide), or delete it if the figure is wrong.")
            if (ind.id, month) in seen:
                self.error(where, f"{ind.id} has a second figure for {month.label} (first at {seen[(ind.id, month)]}).",
                           "Keep one row per indicator and month.")
                continue
            seen[(ind.id, month)] = where
            figure = self._figure(ind, grid, r, vcol, extras)
            if figure is not None:
                figures[ind.id][month] = figure
        if self.indicators_ok:  # otherwise every ID is unknown: the Indicators problem says it all
            for raw_id, rows in unknown.values():
                also = f" (also on row{'s' if len(rows) > 2 else ''} {_rows_text([x + 1 for x in rows[1:]])})" \
                    if len(rows) > 1 else ""
                close = difflib.get_close_matches(raw_id, [i.id for i in indicators], n=1, cutoff=0.6)
                hint = f"Did you mean '{close[0]}'? " if close else ""
                self.error(grid.ref(rows[0], id_col), f"ID '{raw_id}' is not on the Indicators sheet{also}.",
                           f"{hint}Correct the ID, or add the indicator to the Indicators sheet.")
        # (a sheet of uncalculated formulas is told as that by _check_formulas)
        data_errors = grid.uncalculated or any(p.severity == "error" and p.sheet == grid.name for p in self.problems)
        if self.indicators_ok and not data_errors and not any(f.has_data for s in figures.values() for f in s.values()):
            self.error(grid.ref(header_row + 1, id_col), f"{grid.name} has no figures: no row under the header "
                       "has a value.", "Type one row per indicator and month (ID, Period, Value), as kpi-xl init "
                       "shows." if long_shape else "Type each indicator's figures under its month columns.")
        return figures

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

    def _figure(self, ind: Indicator, grid: Grid, r: int, c: int, extras: dict) -> Figure | None:
        where = grid.ref(r, c)
        raw = grid.value(r, c)
        value, text = None, None
        if self._cell_error(where, raw):
            return None
        if not _blank(raw):
            number = None if isinstance(raw, bool) else to_number(raw)
            if number is None:
                text = str(raw).strip()
                self._check_length(text, where)
            elif self._unratable(number, where):
                return None
            else:
                typed_percent = "%" in grid.number_format(r, c) or (isinstance(raw, str) and raw.strip().endswith("%"))
                value = self._percent(number, where, typed_percent, f"{ind.id} value") if ind.is_percent else number
        parts = {}
        for name in ("numerator", "denominator"):
            raw_part, part_where = extras.get(name, (None, ""))
            if _blank(raw_part):
                continue
            number = self._number(raw_part, part_where, name.title())
            if number is not None:
                parts[name] = number
        if "denominator" in parts and abs(parts["denominator"]) < SMALLEST_DENOMINATOR:
            shown = "" if parts["denominator"] == 0 else f" (in fact {parts['denominator']:g}, shown as 0)"
            self.warn(extras["denominator"][1], f"{ind.id} has a denominator of 0{shown}; the pair was left out of "
                      "the YTD ratio.", "Type the real denominator, or clear both numerator and denominator.")
            parts.clear()
        if parts.get("denominator", 0) < 0:
            self.error(extras["denominator"][1], f"{ind.id} has a negative denominator ({parts['denominator']:g}).",
                       "Type the real denominator (the number of cases, above 0), or clear both numerator and "
                       "denominator.")
            parts.clear()
        if len(parts) == 2 and self._unratable(parts["numerator"] / parts["denominator"], extras["denominator"][1],
                                               f"{ind.id} Numerator/Denominator"):
            parts.clear()
        if value is None and text is None and len(parts) == 2:
            value = parts["numerator"] / parts["denominator"]
        elif value is not None and len(parts) == 2 and ind.is_percent:
            implied = parts["numerator"] / parts["denominator"]
            if abs(implied - value) > 0.0051:
                self.warn(where, f"{ind.id} value {value:.1%} does not match Numerator/Denominator "
                          f"({parts['numerator']:g}/{parts['denominator']:g} = {implied:.1%}).",
                          "Correct the value or the numerator and denominator.")
        note_raw = extras.get("note", (None, ""))[0]
        self._check_length(note_raw, extras.get("note", (None, ""))[1])
        note = None if _blank(note_raw) else str(note_raw).strip()
        if value is None and text is None and note is None and not parts:
            return None
        return Figure(value=value, text=text, numerator=parts.get("numerator"),
                      denominator=parts.get("denominator"), note=note, where=where)

    def read_commentary(self, indicators: list[Indicator]) -> list[Commentary]:
        grid = find_sheet(self.grids, "Commentary")
        if grid is None or grid.is_blank():
            return []
        cols = {"section": ("section",), "id": ("id",), "why": ("why", "why does the data look the way it does?"),
                "what": ("what", "what are you going to do about it?"),
                "when": ("when", "when are you going to do it by?")}
        table = Table(grid, cols, (), self.problems, "section")
        if "section" not in table.col and "id" not in table.col:
            self.error(f"{grid.name}!A1", "has neither a 'Section' nor an 'ID' column.",
                       "Head the first column 'Section' (or 'ID'), then Why, What, When.")
            return []
        sections = {_key(i.section) for i in indicators}
        ids = {_key(i.id) for i in indicators}
        result = []
        for r, rec in table.records():
            self._clear_errors(table, r, rec, {"section": "section name", "id": "indicator's ID", "why": "text",
                                               "what": "text", "when": "text"})
            for k in ("why", "what", "when"):
                self._check_length(rec.get(k), table.ref(r, k))
            text = {k: ("" if _blank(rec.get(k)) else note_text(rec.get(k))) for k in ("why", "what", "when")}
            ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
            section = None if _blank(rec.get("section")) else str(rec["section"]).strip()
            where = table.ref(r, "id" if ind_id else "section")
            if not self.indicators_ok:
                pass  # nothing to match against: the Indicators problem says it all
            elif ind_id is None and section is None:
                self.warn(grid.ref(r, 0), "has commentary with neither Section nor ID; it is shown under "
                          "'Other commentary'.", "Type the section (or indicator ID) it belongs to.")
            elif ind_id and _key(ind_id) not in ids:
                self.warn(where, f"commentary for ID '{ind_id}', which is not on the Indicators sheet; it is shown "
                          "under 'Other commentary'.", "Correct the ID.")
            elif not ind_id and _key(section) not in sections:
                self.warn(where, f"commentary for section '{section}', which no indicator is in; it is shown under "
                          "'Other commentary'.", "Correct the section name to match the Indicators sheet.")
            result.append(Commentary(section, ind_id, text["why"], text["what"], text["when"], where))
        return result

    def read_overview(self, indicators: list[Indicator]) -> list[OverviewItem]:
        grid = find_sheet(self.grids, "Overview")
        if grid is None or grid.is_blank():
            return []
        table = Table(grid, {"list": ("list",), "text": ("text",), "id": ("id",)}, ("list", "text"),
                      self.problems, "list")
        if table.missing:
            return []
        items = []
        for r, rec in table.records():
            if self._text_error(table.ref(r, "list"), rec["list"], "list name"):
                continue
            self._clear_errors(table, r, rec, {"text": "text", "id": "indicator's ID"})
            name = next((n for n in OVERVIEW_LISTS if _key(n) == _key(rec["list"])), None)
            if name is None:
                self.error(table.ref(r, "list"), f"list '{rec['list']}' is not one of the overview lists.",
                           f"Type one of: {', '.join(OVERVIEW_LISTS)}.")
                continue
            if _blank(rec["text"]):
                continue
            self._check_length(rec["text"], table.ref(r, "text"))
            ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
            items.append(OverviewItem(name, str(rec["text"]).strip(), ind_id, table.ref(r, "text")))
        return items

    def read_distributions(self) -> list[Distribution]:
        grid = find_sheet(self.grids, "Distributions")
        if grid is None or grid.is_blank():
            return []
        cols = {"section": ("section",), "title": ("title",), "row": ("row",), "unit": ("unit",)}
        table = Table(grid, cols, ("section", "title", "row"), self.problems, "section")
        if table.missing:
            return []
        header = grid.rows[table.header_row]
        band_cols = [c for c, v in enumerate(header) if c not in table.col.values() and not _blank(v)]
        tables: dict[tuple[str, str], dict] = {}
        for r, rec in table.records():
            self._clear_errors(table, r, rec, {"section": "section name", "title": "table title", "row": "row label"})
            if any(_blank(rec.get(f)) for f in ("section", "title", "row")):
                continue
            unit = self._choice(Unit, rec.get("unit"), table.ref(r, "unit"), "Unit", Unit.PERCENT)
            values = []
            for c in band_cols:
                v = grid.value(r, c)
                if self._cell_error(grid.ref(r, c), v):
                    v = None
                number = to_number(v) if not _blank(v) else None
                if number is not None and unit is Unit.PERCENT:
                    number = self._percent(number, grid.ref(r, c), "%" in grid.number_format(r, c), "Band value")
                values.append(number if number is not None else (None if _blank(v) else str(v)))
            key = (str(rec["section"]).strip(), str(rec["title"]).strip())
            entry = tables.setdefault(key, {"unit": unit, "rows": []})
            entry["rows"].append((str(rec["row"]).strip(), tuple(values)))
        return [Distribution(s, t, tuple(str(header[c]) for c in band_cols), tuple(e["rows"]), e["unit"])
                for (s, t), e in tables.items()]


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


def read_grids(grids: dict[str, Grid], source: str, today: dt.date | None = None) -> RawWorkbook:
    """Check and read grids; raise ``InputError`` listing every error found."""
    raw = Reader(grids, source, today).read()
    if any(p.severity == "error" for p in raw.problems):
        raise InputError(raw.problems, source)
    return raw


def read_workbook(path, today: dt.date | None = None) -> RawWorkbook:
    from pathlib import Path
    return read_grids(grids_from_file(path), Path(path).name, today)
