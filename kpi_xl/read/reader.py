"""Read and check the raw workbook: sheets of ``Grid`` -> ``RawWorkbook``.

Each raw sheet is read by its own module in ``kpi_xl.read.sheets``, which hands back what
it read and the problems it found (``kpi_xl.read.checks.Checks``); the ``Reader`` reads
them in order, adds their problems to the workbook's, and checks what no one sheet can
(the sheets' names, the reporting period against the figures, formulas with no result).

Every problem names its sheet and cell and says what to type instead. Nothing typed
is dropped: text where a number belongs is kept on the ``Figure`` and shown.
"""
from __future__ import annotations

import datetime as dt
from typing import TypeVar

from ..errors import InputError
from ..model import RawWorkbook, ReportSettings
from . import split
from .checks import EXCEL_ERRORS, MAX_PROBLEMS, Checks  # noqa: F401  (EXCEL_ERRORS, MAX_PROBLEMS: as before)
from .grid import Grid, grids_from_file
from .sheets import (benchmarks, commentary, data, distributions, indicators, overview, rebase, report, sources,
                     targets)
from .table import _invisible, _key, _listing, _visible, find_sheet

REQUIRED_SHEETS = (indicators.SHEET, data.SHEET)
INPUT_SHEETS = (indicators.SHEET, data.SHEET, report.SHEET, commentary.SHEET, overview.SHEET, distributions.SHEET,
                targets.SHEET, benchmarks.SHEET, rebase.SHEET, sources.SHEET)
EMPTY_MARKS = {"-", "\u2013", "\u2014", "n/a", "na", "n.a.", "nd", "no data", "..", "x", "*"}

T = TypeVar("T")


class Reader:
    def __init__(self, grids: dict[str, Grid], source: str, today: dt.date | None = None):
        self.grids = grids
        self.source = source
        self.today = today or dt.date.today()
        self.check = Checks(self.today)  # the workbook's problems: its own, then each sheet's in turn

    def sheet(self, name: str) -> Grid | None:
        return find_sheet(self.grids, name)

    def add(self, read: tuple[T, Checks]) -> T:
        """What a sheet's reader read; its problems join the workbook's."""
        found, sheet_check = read
        self.check.extend(sheet_check)
        return found

    # -- sheets ------------------------------------------------------------------
    def read(self) -> RawWorkbook:
        if not self.grids:
            self.check.error(self.source, "has no worksheets.", "Run kpi-xl init to start a raw workbook.")
        elif all(grid.is_blank() for grid in self.grids.values()):
            names = list(self.grids)
            what = (f"its only sheet, {names[0]}, is blank" if len(names) == 1
                    else f"its sheets {_listing(names)} are all blank")
            self.check.error(self.source, f"is empty ({what}).",
                             "Start from the layout kpi-xl init writes: an Indicators sheet (ID, Indicator, "
                             "Section, Unit, Polarity, Target) and a Data sheet (ID, Period, Value).")
            return RawWorkbook(self.source, [], {}, ReportSettings(), problems=self.check.problems)
        if self.grids:
            for name in REQUIRED_SHEETS:
                self._check_sheet_name(name)
        settings = self.add(report.read_report(self.sheet(report.SHEET)))
        if (problem := split.mixed(self.grids, settings)) is not None:
            self.check.add(problem)
            return RawWorkbook(self.source, [], {}, settings, problems=self.check.problems)
        listed = self.add(indicators.read_indicators(self.sheet(indicators.SHEET), settings))
        figures = self.add(data.read_data(self.sheet(data.SHEET), listed.indicators, settings,
                                          indicators_read=listed.read, today=self.today))
        kpis = listed.with_ratio_ytd(figures)  # with the Ratio YTD default, now the figures are known
        notes = self.add(commentary.read_commentary(self.sheet(commentary.SHEET), kpis, listed.read))
        chosen = self.add(overview.read_overview(self.sheet(overview.SHEET)))
        tables = self.add(distributions.read_distributions(self.sheet(distributions.SHEET)))
        goals = self.add(targets.read_targets(self.sheet(targets.SHEET), kpis, settings, listed.read))
        latest = max((m for s in figures.values() for m, f in s.items() if f.has_data), default=None)
        comparators = self.add(benchmarks.read_benchmarks(self.sheet(benchmarks.SHEET), kpis, settings,
                                                         settings.period or latest, listed.read))
        rebases = self.add(rebase.read_rebases(self.sheet(rebase.SHEET), kpis, settings, listed.read))
        if settings.period is not None:
            figures_months = [m for s in figures.values() for m in s]
            if figures_months and settings.period > max(figures_months):
                self.check.warn("Report", f"Period {settings.period.label} is later than the latest figure "
                                f"({max(figures_months).label}).", "Check the Period setting.")
        self.check.tell_date_numbers()
        self._check_formulas(figures)
        self.check.count_unlisted(self.source)
        return RawWorkbook(self.source, kpis, figures, settings, commentary=notes, overview=chosen,
                           distributions=tables, problems=self.check.problems, targets=goals,
                           benchmarks=comparators, rebases=rebases)

    def _check_formulas(self, figures: dict) -> None:
        """Formulas whose value kpi_xl cannot trust: no saved result (the file was written by a
        program that does not calculate), or read from another workbook (the saved value may
        be stale). Each named, on the sheets kpi_xl reads."""
        check = self.check
        calculate = "Open and save the workbook in Excel so its formulas are calculated, then run again."
        for name in INPUT_SHEETS:
            grid = find_sheet(self.grids, name)
            if grid is None:
                continue
            cells = sorted(grid.uncalculated)
            if cells and name == data.SHEET and not any(figures.values()):
                what = f"{len(cells):,} values are formulas" if len(cells) != 1 else "value is a formula"
                check.error(grid.ref(*cells[0]), f"Data has no figures: its {what} with no saved result.", calculate)
                cells = []
            for r, c in cells:
                check.error(grid.ref(r, c), "holds a formula with no saved result, so its value is unknown.", calculate)
            for (r, c), formula in sorted(grid.linked.items()):
                check.warn(grid.ref(r, c), f"the value {grid.value(r, c)!r} comes from another workbook ({formula}); "
                           "it is the value saved when this file was last calculated, which may be out of date.",
                           "Open both workbooks in Excel and save this one, or type the figure itself.")

    def _check_sheet_name(self, name: str) -> None:
        """A required sheet that is missing, or whose name hides an invisible character
        ('Data' + zero-width space or no-break space): the near match is pointed out."""
        check = self.check
        grid = find_sheet(self.grids, name)
        if grid is not None:
            odd = _invisible(grid.name)
            if odd:
                check.warn(self.source, f"the sheet {grid.name!r} has an invisible character ({odd}) in its name; "
                           f"it was read as {name}.", f"Rename the sheet to {name}.")
            return
        near = next((title for title in self.grids if _invisible(title) and _key(_visible(title)) == _key(name)), None)
        if near is not None:
            check.error(self.source, f"has no '{name}' sheet, but has a sheet named {near!r}, with an invisible "
                        f"character ({_invisible(near)}).", f"Rename that sheet to {name}.")
        else:
            check.error(self.source, f"has no '{name}' sheet (found: {', '.join(self.grids) or 'none'}).",
                        f"Add a sheet named '{name}' (kpi-xl init writes one with the right columns).")


def read_grids(grids: dict[str, Grid], source: str, today: dt.date | None = None) -> RawWorkbook:
    """Check and read grids; raise ``InputError`` listing every error found."""
    raw = Reader(grids, source, today).read()
    if any(p.severity == "error" for p in raw.problems):
        raise InputError(raw.problems, source)
    return raw


def read_workbook(path, today: dt.date | None = None) -> RawWorkbook:
    from pathlib import Path
    return read_grids(grids_from_file(path), Path(path).name, today)
