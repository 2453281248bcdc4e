"""Read and check the raw workbook: sheets of ``Grid`` -> ``RawWorkbook``.

Every problem names its sheet and cell and says what to type instead. Nothing typed
is dropped: text where a number belongs is kept on the ``Figure`` and shown.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .errors import InputError, Problem
from .grid import Grid, grids_from_file
from .model import (Commentary, Distribution, Figure, Frequency, Indicator, OverviewItem,
                    Polarity, RagBasis, RawWorkbook, ReportSettings, ToleranceType, Unit,
                    YtdMethod)
from .periods import ACCEPTED, Month, parse_month_name, parse_period

REQUIRED_SHEETS = ("Indicators", "Data")
EMPTY_MARKS = {"-", "\u2013", "\u2014", "n/a", "na", "n.a.", "nd", "no data", "..", "x", "*"}
EXCEL_ERRORS = {"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA"}
OVERVIEW_LISTS = ("Going well or better", "Ones to watch", "Things to do better")

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
        for f in self.missing:
            wanted = columns[f][0]
            problems.append(Problem(f"{grid.name}!{self._header_ref(header)}",
                                    f"has no '{wanted.title() if wanted != 'id' else 'ID'}' column.",
                                    f"Add a column headed '{wanted.title() if wanted != 'id' else 'ID'}' "
                                    f"to the header row (row {self.header_row + 1})."))

    @staticmethod
    def _header_ref(header) -> str:
        return "1:1" if not header else f"A1:{chr(64 + min(len(header), 26))}1"

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

    # -- helpers -----------------------------------------------------------------
    def error(self, where: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(where, message, fix))

    def warn(self, where: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(where, message, fix, severity="warning"))

    def _cell_error(self, where: str, value) -> bool:
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            self.error(where, f"shows the error {value.strip()}.",
                       "Fix the formula or type the figure; type - if there is no figure.")
            return True
        return False

    def _choice(self, enum, value, where: str, label: str, default):
        if _blank(value):
            return default
        if self._cell_error(where, value):
            return default
        parsed = enum.parse(value)
        if parsed is None:
            self.error(where, f"{label} '{value}' is not recognised.", f"Type one of: {enum.allowed()}.")
            return default
        return parsed

    def _number(self, value, where: str, label: str, *, integer=False, minimum=None, maximum=None):
        if _blank(value):
            return None
        if self._cell_error(where, value):
            return None
        number = _to_number(value)
        if number is None or isinstance(value, bool):
            self.error(where, f"{label} '{value}' is not a number.", f"Type a number{' (whole)' if integer else ''}, "
                       "or leave it blank.")
            return None
        if integer and not float(number).is_integer():
            self.error(where, f"{label} {value} is not a whole number.", f"Type a whole number such as {round(number)}.")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(where, f"{label} {value} is out of range.", f"Type a number from {minimum} to {maximum}.")
            return None
        return int(number) if integer else number

    def _percent(self, value: float, where: str, is_formatted_percent: bool, label: str) -> float:
        """Apply the one rule for % figures: fractions; a plain number above 1 is a whole %."""
        if is_formatted_percent or abs(value) <= 1:
            return value
        self.warn(where, f"{label} {value:g} was read as {value:g}% ({value / 100:g}).",
                  f"Type {value / 100:g} or {value:g}% to confirm, so the two forms are not mixed.")
        return value / 100

    # -- sheets ------------------------------------------------------------------
    def read(self) -> RawWorkbook:
        if not self.grids:
            self.error(self.source, "has no worksheets.", "Run kpi-xl init to start a raw workbook.")
        for name in REQUIRED_SHEETS:
            if self.grids and find_sheet(self.grids, name) is None:
                self.error(self.source, f"has no '{name}' sheet (found: {', '.join(self.grids) or 'none'}).",
                           f"Add a sheet named '{name}' (kpi-xl init writes one with the right columns).")
        settings = self.read_settings()
        indicators = self.read_indicators(settings)
        figures = self.read_data(indicators, settings)
        commentary = self.read_commentary(indicators)
        overview = self.read_overview(indicators)
        distributions = self.read_distributions()
        if settings.period is not None:
            figures_months = [m for s in figures.values() for m in s]
            if figures_months and settings.period > max(figures_months):
                self.warn("Report", f"Period {settings.period.label} is later than the latest figure "
                          f"({max(figures_months).label}).", "Check the Period setting.")
        return RawWorkbook(self.source, indicators, figures, settings, commentary, overview,
                           distributions, self.problems)

    def read_settings(self) -> ReportSettings:
        grid = find_sheet(self.grids, "Report")
        settings = ReportSettings()
        if grid is None:
            return settings
        table = Table(grid, {"setting": ("setting",), "value": ("value",)}, ("setting", "value"),
                      self.problems, "setting")
        if table.missing:
            return settings
        changes = {}
        for r, rec in table.records():
            name, value, where = _key(rec["setting"]), rec["value"], table.ref(r, "value")
            if _blank(value):
                continue
            if name == "title":
                changes["title"] = str(value).strip()
            elif name == "organisation" or name == "organization":
                changes["organisation"] = str(value).strip()
            elif name in ("period", "reporting period", "month"):
                month = parse_period(value)
                if month is None:
                    self.error(where, f"Period '{value}' is not a month kpi_xl can read.", f"Type {ACCEPTED}.")
                else:
                    changes["period"] = month
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
                changes["template"] = str(value).strip()
            elif name == "tolerance":
                n = self._number(value, where, "Tolerance", minimum=0, maximum=1000)
                if n is not None:
                    changes["tolerance"] = n
            elif name == "tolerance type":
                changes["tolerance_type"] = self._choice(ToleranceType, value, where, "Tolerance type",
                                                         ToleranceType.PERCENT)
            elif name == "rag basis":
                changes["rag_basis"] = self._choice(RagBasis, value, where, "RAG basis", RagBasis.MONTH)
            else:
                self.warn(table.ref(r, "setting"), f"setting '{rec['setting']}' is not one kpi_xl uses; it was ignored.",
                          "Known settings: Title, Organisation, Period, Financial year start, Months shown, "
                          "Template, Tolerance, Tolerance type, RAG basis.")
        return replace(settings, **changes)

    def read_indicators(self, settings: ReportSettings) -> list[Indicator]:
        grid = find_sheet(self.grids, "Indicators")
        if grid is None:
            return []
        table = Table(grid, INDICATOR_COLUMNS, ("id", "title"), self.problems, "id")
        if table.missing:
            return []
        indicators: list[Indicator] = []
        seen: dict[str, str] = {}
        for r, rec in table.records():
            ref = lambda f: table.ref(r, f)  # noqa: E731
            raw_id = rec.get("id")
            if _blank(raw_id):
                self.error(ref("id"), "has an indicator with no ID.", "Type a short unique ID such as 'CP 12'.")
                continue
            ind_id = str(raw_id).strip()
            if ind_id.lower() in seen:
                self.error(ref("id"), f"ID '{ind_id}' is used twice (also at {seen[ind_id.lower()]}).",
                           "Give each indicator its own ID.")
                continue
            seen[ind_id.lower()] = ref("id")
            title = rec.get("title")
            if _blank(title):
                self.error(ref("title"), f"indicator '{ind_id}' has no title.", "Type the indicator's title.")
                title = ind_id
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
            decimals = self._number(rec.get("decimals"), ref("decimals"), "Decimals", integer=True, minimum=0, maximum=4)
            arrears = self._number(rec.get("arrears"), ref("arrears"), "Arrears", integer=True, minimum=0, maximum=24)
            corp = rec.get("corporate_plan")
            if not _blank(corp) and _key(corp) not in ("y", "yes", "n", "no", "true", "false", "1", "0"):
                self.error(ref("corporate_plan"), f"Corporate plan '{corp}' is not Y or blank.", "Type Y, or leave it blank.")
            indicators.append(Indicator(
                id=ind_id, title=str(title).strip(), section=str(rec.get("section")).strip()
                if not _blank(rec.get("section")) else "Other",
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
        if grid is None:
            return figures
        by_key = {i.id.lower(): i for i in indicators}
        for merged in grid.merged:
            self.error(f"{grid.name}!{merged}", "is a merged range.",
                       "Unmerge it (Home > Merge & Center) so every row has its own ID and figure.")
        header_row = next((r for r, row in enumerate(grid.rows[:10]) if any(_key(v) == "id" for v in row)), None)
        if header_row is None:
            self.error(f"{grid.name}!A1", "has no 'ID' column.", "Head the first column 'ID' (see kpi-xl init).")
            return figures
        header = [_key(v) for v in grid.rows[header_row]]
        long_shape = "period" in header and "value" in header
        cells: list[tuple[str, int, Month, int, dict]] = []  # (id, row, month, value col, extras)
        id_col = header.index("id")
        if long_shape:
            pcol, vcol = header.index("period"), header.index("value")
            extra_cols = {n: header.index(n) for n in ("numerator", "denominator", "note") if n in header}
            for r in range(header_row + 1, len(grid.rows)):
                raw_id, raw_period = grid.value(r, id_col), grid.value(r, pcol)
                extras = {n: grid.value(r, c) for n, c in extra_cols.items()}
                if _blank(raw_id) and _blank(raw_period) and _blank(grid.value(r, vcol)) and all(
                        _blank(v) for v in extras.values()):
                    continue
                month = self._period(raw_period, grid.ref(r, pcol))
                if _blank(raw_id):
                    self.error(grid.ref(r, id_col), "has a figure with no ID.", "Type the indicator's ID.")
                    continue
                if month is not None:
                    cells.append((str(raw_id).strip(), r, month, vcol, {n: (grid.value(r, c), grid.ref(r, c))
                                                                         for n, c in extra_cols.items()}))
        else:
            months: dict[int, Month] = {}
            for c, text in enumerate(grid.rows[header_row]):
                if c == id_col or _blank(text):
                    continue
                month = parse_period(text, settings.fy_start)
                if month is None:
                    if isinstance(text, (dt.date, dt.datetime)) or re.search(r"\d", str(text)):
                        self.error(grid.ref(header_row, c), f"column heading '{text}' is not a month.",
                                   f"Head month columns with {ACCEPTED}.")
                    continue  # a text heading such as "Indicator" is an extra column
                if self._future(month, grid.ref(header_row, c)):
                    continue
                months[c] = month
            if not months:
                self.error(grid.ref(header_row, 0), "has neither Period/Value columns nor month headings.",
                           "Use columns ID, Period, Value (one row per figure), or ID then one column per month.")
            for r in range(header_row + 1, len(grid.rows)):
                raw_id = grid.value(r, id_col)
                row_values = [grid.value(r, c) for c in months]
                if _blank(raw_id):
                    if any(not _blank(v) for v in row_values):
                        self.error(grid.ref(r, id_col), "has figures with no ID.", "Type the indicator's ID.")
                    continue
                for c, month in months.items():
                    if not _blank(grid.value(r, c)):
                        cells.append((str(raw_id).strip(), r, month, c, {}))
        seen: dict[tuple[str, Month], str] = {}
        for raw_id, r, month, vcol, extras in cells:
            ind = by_key.get(raw_id.lower())
            where = grid.ref(r, vcol)
            if ind is None:
                self.error(grid.ref(r, id_col), f"ID '{raw_id}' is not on the Indicators sheet.",
                           "Correct the ID, or add the indicator to the Indicators sheet.")
                continue
            if r in grid.hidden_rows:
                self.warn(f"{grid.name}!{r + 1}:{r + 1}", f"row {r + 1} is hidden; its figure for {ind.id} "
                          f"{month.label} was used.", "Unhide the row, or delete it if the figure is wrong.")
            if (ind.id, month) in seen:
                self.error(where, f"{ind.id} has a second figure for {month.label} (first at {seen[(ind.id, month)]}).",
                           "Keep one row per indicator and month.")
                continue
            seen[(ind.id, month)] = where
            figure = self._figure(ind, grid, r, vcol, extras)
            if figure is not None:
                figures[ind.id][month] = figure
        return figures

    def _future(self, month: Month, where: str) -> bool:
        if month > Month(self.today.year, self.today.month):
            self.error(where, f"period {month.label} is in the future.",
                       "Check the year; figures can only be for months that have started.")
            return True
        return False

    def _period(self, value, where: str) -> Month | None:
        if _blank(value):
            self.error(where, "has no period.", f"Type the month: {ACCEPTED}.")
            return None
        if self._cell_error(where, value):
            return None
        month = parse_period(value)
        if month is None:
            self.error(where, f"period '{value}' is not a month kpi_xl can read.", f"Type {ACCEPTED}.")
            return None
        return None if self._future(month, where) else month

    def _figure(self, ind: Indicator, grid: Grid, r: int, c: int, extras: dict) -> Figure | None:
        where = grid.ref(r, c)
        raw = grid.value(r, c)
        value, text = None, None
        if self._cell_error(where, raw):
            return None
        if not _blank(raw):
            number = None if isinstance(raw, bool) else _to_number(raw)
            if number is None:
                text = str(raw).strip()
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
        if "denominator" in parts and parts["denominator"] == 0:
            self.warn(extras["denominator"][1], f"{ind.id} has a denominator of 0; the pair was left out of the YTD ratio.",
                      "Type the real denominator, or clear both numerator and denominator.")
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
        note = None if _blank(note_raw) else str(note_raw).strip()
        if value is None and text is None and note is None and not parts:
            return None
        return Figure(value=value, text=text, numerator=parts.get("numerator"),
                      denominator=parts.get("denominator"), note=note, where=where)

    def read_commentary(self, indicators: list[Indicator]) -> list[Commentary]:
        grid = find_sheet(self.grids, "Commentary")
        if grid is None:
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
            text = {k: ("" if _blank(rec.get(k)) else str(rec.get(k)).strip()) for k in ("why", "what", "when")}
            ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
            section = None if _blank(rec.get("section")) else str(rec["section"]).strip()
            where = table.ref(r, "id" if ind_id else "section")
            if ind_id is None and section is None:
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
        if grid is None:
            return []
        table = Table(grid, {"list": ("list",), "text": ("text",), "id": ("id",)}, ("list", "text"),
                      self.problems, "list")
        if table.missing:
            return []
        items = []
        for r, rec in table.records():
            name = next((n for n in OVERVIEW_LISTS if _key(n) == _key(rec["list"])), None)
            if name is None:
                self.error(table.ref(r, "list"), f"list '{rec['list']}' is not one of the overview lists.",
                           f"Type one of: {', '.join(OVERVIEW_LISTS)}.")
                continue
            if _blank(rec["text"]):
                continue
            ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
            items.append(OverviewItem(name, str(rec["text"]).strip(), ind_id, table.ref(r, "text")))
        return items

    def read_distributions(self) -> list[Distribution]:
        grid = find_sheet(self.grids, "Distributions")
        if grid is None:
            return []
        cols = {"section": ("section",), "title": ("title",), "row": ("row",), "unit": ("unit",)}
        table = Table(grid, cols, ("section", "title", "row"), self.problems, "section")
        if table.missing:
            return []
        header = grid.rows[table.header_row]
        band_cols = [c for c, v in enumerate(header) if c not in table.col.values() and not _blank(v)]
        tables: dict[tuple[str, str], dict] = {}
        for r, rec in table.records():
            unit = self._choice(Unit, rec.get("unit"), table.ref(r, "unit"), "Unit", Unit.PERCENT)
            values = []
            for c in band_cols:
                v = grid.value(r, c)
                if self._cell_error(grid.ref(r, c), v):
                    v = None
                number = _to_number(v) if not _blank(v) else None
                if number is not None and unit is Unit.PERCENT:
                    number = self._percent(number, grid.ref(r, c), "%" in grid.number_format(r, c), "Band value")
                values.append(number if number is not None else (None if _blank(v) else str(v)))
            key = (str(rec["section"]).strip(), str(rec["title"]).strip())
            entry = tables.setdefault(key, {"unit": unit, "rows": []})
            entry["rows"].append((str(rec["row"]).strip(), tuple(values)))
        return [Distribution(s, t, tuple(str(header[c]) for c in band_cols), tuple(e["rows"]), e["unit"])
                for (s, t), e in tables.items()]


def _to_number(value) -> float | None:
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


def check_grids(grids: dict[str, Grid], source: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem (errors and warnings) in the grids, without raising."""
    return Reader(grids, source, today).read().problems


def read_workbook(path, today: dt.date | None = None) -> RawWorkbook:
    from pathlib import Path
    return read_grids(grids_from_file(path), Path(path).name, today)


def validate_workbook(path, today: dt.date | None = None) -> list[Problem]:
    from pathlib import Path
    return check_grids(grids_from_file(path), Path(path).name, today)
