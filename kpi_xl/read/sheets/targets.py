"""The Targets sheet (optional): a target per month or quarter for an indicator, a trajectory.

Long (``ID, Period, Target[, Target upper]``, one row per period) or wide (``ID`` then one
column per month, as the Data sheet). Periods are read as on the Data sheet (``Jan-20``,
a date, ``Q3 2013/14``...), and may be later than today: a trajectory runs to the year end.
A target typed for a quarter is the target of each of its months. The ``Target`` column of
the Indicators sheet stays the year-end target.
"""
from __future__ import annotations

import re

from ...model import Indicator, PeriodTarget, ReportSettings
from ...periods import ACCEPTED, Month
from ..checks import Checks
from ..grid import Grid
from ..table import QUARTER, _blank, _key, _shown

SHEET = "Targets"



def read_targets(grid: Grid | None, indicators: list[Indicator], settings: ReportSettings,
                 indicators_read: bool = True) -> tuple[dict[str, dict[Month, PeriodTarget]], Checks]:
    """Each indicator's targets by month (a quarter's under its last month), and the sheet's
    problems; ``indicators_read`` False: the Indicators sheet could not be read, so no ID is
    called unknown."""
    check = Checks()
    if grid is None or grid.is_blank():
        return {}, check
    header_row = next((r for r, row in enumerate(grid.rows[:10]) if any(_key(v) == "id" for v in row)), None)
    if header_row is None:
        check.error(grid.ref(0, 0), "has no 'ID' column.",
                    "Head the first column 'ID', then Period and Target (one row per month), or ID then one "
                    "column per month.")
        return {}, check
    header = [_key(v) for v in grid.rows[header_row]]
    id_col = header.index("id")
    if "period" in header and "target" in header:
        cells = _long(check, grid, header_row, header, id_col, settings)
    else:
        cells = _wide(check, grid, header_row, id_col, settings)
    return _keep(check, grid, cells, indicators, id_col, indicators_read), check


def period_of(check: Checks, value, where: str, start_month: int, label: str = "period") -> Month | None:
    """A period typed on an optional sheet, read as the Data sheet reads one; a later month
    than today is allowed (targets and published figures look ahead)."""
    if _blank(value):
        check.error(where, f"has no {label}.", f"Type the month: {ACCEPTED}.")
        return None
    if check.cell_error(where, value, f"Fix the formula, or type the month: {ACCEPTED}."):
        return None
    month = check.parse_period(value, where, start_month)
    if month is None:
        check.not_a_month(where, value, label)
        return None
    return None if check.too_early(month, where) else month


def _long(check: Checks, grid: Grid, header_row: int, header: list[str], id_col: int, settings: ReportSettings):
    pcol, tcol = header.index("period"), header.index("target")
    ucol = header.index("target upper") if "target upper" in header else None
    cells = []
    for r in range(header_row + 1, len(grid.rows)):
        raw_id, raw_period, raw_target = grid.value(r, id_col), grid.value(r, pcol), grid.value(r, tcol)
        if all(_blank(v) for v in (raw_id, raw_period, raw_target)):
            continue
        month = period_of(check, raw_period, grid.ref(r, pcol), settings.fy_start)
        if _blank(raw_id):
            check.error(grid.ref(r, id_col), "has a target with no ID.", "Type the indicator's ID.")
            continue
        if month is not None and not check.text_error(grid.ref(r, id_col), raw_id, "indicator's ID"):
            quarter = isinstance(raw_period, str) and bool(QUARTER.match(raw_period))
            cells.append((str(raw_id).strip(), r, month, tcol, ucol, quarter))
    return cells


def _wide(check: Checks, grid: Grid, header_row: int, id_col: int, settings: ReportSettings):
    months: dict[int, tuple[Month, bool]] = {}
    for c, text in enumerate(grid.rows[header_row]):
        if c == id_col or _blank(text):
            continue
        where = grid.ref(header_row, c)
        month = check.parse_period(text, where, settings.fy_start)
        if month is None:
            if re.search(r"\d", str(text)):
                check.error(where, f"column heading {_shown(text)} is not a month.", f"Head month columns with {ACCEPTED}.")
            continue  # a text heading such as "Indicator" is an extra column
        if not check.too_early(month, where):
            months[c] = (month, isinstance(text, str) and bool(QUARTER.match(text)))
    if not months:
        check.error(grid.ref(header_row, 0), "has neither Period/Target columns nor month headings.",
                    "Use columns ID, Period, Target (one row per month), or ID then one column per month.")
    cells = []
    for r in range(header_row + 1, len(grid.rows)):
        raw_id = grid.value(r, id_col)
        filled = [c for c in months if not _blank(grid.value(r, c))]
        if _blank(raw_id):
            if filled:
                check.error(grid.ref(r, id_col), "has targets with no ID.", "Type the indicator's ID.")
            continue
        if not check.text_error(grid.ref(r, id_col), raw_id, "indicator's ID"):
            cells += [(str(raw_id).strip(), r, months[c][0], c, None, months[c][1]) for c in filled]
    return cells


def _keep(check: Checks, grid: Grid, cells, indicators: list[Indicator], id_col: int, indicators_read: bool):
    by_key = {i.id.lower(): i for i in indicators}
    targets: dict[str, dict[Month, PeriodTarget]] = {}
    for raw_id, r, month, tcol, ucol, quarter in cells:
        ind = by_key.get(raw_id.lower())
        if ind is None:
            if indicators_read:
                check.unknown_id(grid.ref(r, id_col), raw_id, [i.id for i in indicators])
            continue
        where = grid.ref(r, tcol)
        value = _target_number(check, grid, r, tcol, ind, "Target")
        upper = _target_number(check, grid, r, ucol, ind, "Target upper") if ucol is not None else None
        if value is None:
            continue
        series = targets.setdefault(ind.id, {})
        if month in series:
            check.error(where, f"{ind.id} has a second target for {month.label} (first at {series[month].where}).",
                        "Keep one target per indicator and period.")
            continue
        series[month] = PeriodTarget(value, upper, quarter, where)
    return targets


def _target_number(check: Checks, grid: Grid, r: int, c: int, ind: Indicator, label: str) -> float | None:
    where = grid.ref(r, c)
    number = check.number(grid.value(r, c), where, f"{ind.id} {label}")
    if number is not None and ind.is_percent:
        number = check.percent(number, where, "%" in grid.number_format(r, c), f"{ind.id} {label}")
    return number
