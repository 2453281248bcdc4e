"""The Benchmarks sheet (optional): comparators' published figures for an indicator.

One row per indicator, comparator and period: ``ID, Comparator, Period, Value`` and optionally
``Quartile 1, Median, Quartile 3`` (the distribution of the councils the comparator
summarises, for the quartile band) and ``Source``. A comparator is ``England``, a region
(``London`` ...), ``Statistical neighbours`` or a named council. A period is a financial or
calendar year (``2018/19``, ``2019``), as annual benchmarks are published, or a month or
quarter typed as on the Data sheet.
"""
from __future__ import annotations

import re

from ...model import COMPARATORS, ENGLAND, NEIGHBOURS, Benchmark, BenchmarkPeriod, Indicator, ReportSettings
from ...periods import ACCEPTED, Month, financial_year_label, quarter_label
from ..checks import Checks, closest
from ..grid import Grid
from ..table import QUARTER, Table, _blank, _key, _shown, to_number

SHEET = "Benchmarks"

ALIASES = {"national": ENGLAND, "england average": ENGLAND, "national average": ENGLAND,
           "stat neighbours": NEIGHBOURS, "statistical neighbour": NEIGHBOURS, "stat neighbour": NEIGHBOURS,
           "statistical neighbours average": NEIGHBOURS, "statistical neighbour average": NEIGHBOURS,
           "sn": NEIGHBOURS, "sn average": NEIGHBOURS}
BENCHMARK_COLUMNS = {
    "id": ("id",), "comparator": ("comparator",), "period": ("period", "year"), "value": ("value",),
    "q1": ("quartile 1", "q1", "lower quartile"), "median": ("median",),
    "q3": ("quartile 3", "q3", "upper quartile"), "source": ("source",),
}
YEARS = "a year such as 2018/19 (financial) or 2019 (calendar)"


def canonical(text: str) -> str | None:
    """``England``, a region, ``Statistical neighbours`` (any case, or a usual short form), or
    ``None`` when ``text`` looks like a mistyped one; anything else is a named council."""
    key = _key(text)
    for name in COMPARATORS:
        if key == name.lower():
            return name
    if key in ALIASES:
        return ALIASES[key]
    if closest(key, [c.lower() for c in COMPARATORS] + list(ALIASES), 0.8) is not None:
        return None
    return str(text).strip()


def read_benchmarks(grid: Grid | None, indicators: list[Indicator], settings: ReportSettings,
                    report_month: Month | None, indicators_read: bool = True) -> tuple[list[Benchmark], Checks]:
    """The comparators' figures, and the sheet's problems (an indicator whose ``Target source``
    has no figures here among them); ``indicators_read`` False: no ID is called unknown."""
    check = Checks()
    if grid is None or grid.is_blank():
        _check_target_sources(check, indicators, [])
        return [], check
    table = Table(grid, BENCHMARK_COLUMNS, ("id", "comparator", "period", "value"), check, "id")
    if table.missing:
        return [], check
    by_key = {i.id.lower(): i for i in indicators}
    found: list[Benchmark] = []
    seen: dict[tuple[str, str, str], str] = {}
    for r, rec in table.records():
        ind = _indicator(check, table, r, rec, by_key, indicators, indicators_read)
        comparator = _comparator(check, table.ref(r, "comparator"), rec.get("comparator"))
        period = _period(check, table.ref(r, "period"), rec.get("period"), settings.fy_start)
        if ind is None or comparator is None or period is None:
            continue
        numbers = {f: _figure(check, table, r, f, ind) for f in ("value", "q1", "median", "q3")}
        if numbers["value"] is None and numbers["median"] is None:
            if not _blank(rec.get("value")):
                continue  # the figure typed is not a number: told above
            check.error(table.ref(r, "value"), f"{ind.id} {comparator} {period.label} has no value.",
                        "Type the comparator's figure (or its median), or delete the row.")
            continue
        quartiles = [(f, numbers[f]) for f in ("q1", "median", "q3") if numbers[f] is not None]
        if any(a[1] > b[1] for a, b in zip(quartiles, quartiles[1:])):
            shown = ", ".join(f"{n:g}" for _, n in quartiles)
            check.error(table.ref(r, quartiles[-1][0]), f"{ind.id} {comparator} {period.label} quartiles are out "
                        f"of order ({shown}).", "Type Quartile 1, Median and Quartile 3 from lowest to highest.")
            continue
        key = (ind.id, comparator, period.label)
        if key in seen:
            check.error(table.ref(r, "value"), f"{ind.id} has a second {comparator} figure for {period.label} "
                        f"(first at {seen[key]}).", "Keep one row per indicator, comparator and period.")
            continue
        seen[key] = table.ref(r, "value")
        if report_month is not None and period.last > report_month:
            check.warn(table.ref(r, "period"), f"{ind.id} {comparator} figure is for {period.label}, which ends "
                       f"after the report month ({report_month.long_label}); a published figure cannot be for "
                       "a period that has not ended.", "Check the period (the year the figure was published for).")
        source = rec.get("source")
        found.append(Benchmark(ind.id, comparator, period, numbers["value"], numbers["q1"], numbers["median"],
                               numbers["q3"], "" if _blank(source) else str(source).strip(), table.ref(r, "value")))
    _check_target_sources(check, indicators, found)
    return found, check


def _indicator(check: Checks, table: Table, r: int, rec: dict, by_key: dict, indicators: list[Indicator],
               indicators_read: bool):
    raw_id = rec.get("id")
    where = table.ref(r, "id")
    if _blank(raw_id):
        check.error(where, "has a benchmark with no ID.", "Type the indicator's ID.")
        return None
    if check.text_error(where, raw_id, "indicator's ID"):
        return None
    ind = by_key.get(str(raw_id).strip().lower())
    if ind is None and indicators_read:
        check.unknown_id(where, str(raw_id).strip(), [i.id for i in indicators])
    return ind


def _comparator(check: Checks, where: str, value) -> str | None:
    fix = f"Type {ENGLAND}, a region such as London, {NEIGHBOURS}, or the name of a council."
    if _blank(value):
        check.error(where, "has no comparator.", fix)
        return None
    if check.text_error(where, value, "comparator"):
        return None
    name = canonical(str(value))
    if name is None or isinstance(value, (int, float)):
        close = closest(_key(value), [c.lower() for c in COMPARATORS] + list(ALIASES), 0.8)
        meant = canonical(close) if close is not None else None
        hint = f"Did you mean '{meant}'? " if meant else ""
        check.error(where, f"comparator '{value}' is not recognised.", hint + fix)
        return None
    return name


def _period(check: Checks, where: str, value, fy_start: int) -> BenchmarkPeriod | None:
    """A financial year (``2018/19``), a calendar year (``2019``), a quarter or a month."""
    fix = f"Type {YEARS}, or {ACCEPTED}."
    if _blank(value):
        check.error(where, "has no period.", fix)
        return None
    if check.cell_error(where, value, f"Fix the formula, or type {YEARS}."):
        return None
    text = str(value).strip()
    fy = re.fullmatch(r"(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})", text, re.IGNORECASE)
    if fy and int(fy.group(2)) % 100 == (int(fy.group(1)) + 1) % 100:
        first = Month(int(fy.group(1)), fy_start)
        return BenchmarkPeriod(financial_year_label(first, fy_start), first, first + 11)
    number = to_number(value) if isinstance(value, (int, float)) else None
    if re.fullmatch(r"\d{4}", text) or (number is not None and number.is_integer() and 1950 <= number < 2100):
        year = int(number if number is not None else text)
        return BenchmarkPeriod(str(year), Month(year, 1), Month(year, 12))
    month = check.parse_period(value, where, fy_start)
    if month is None:
        check.error(where, f"period {_shown(value)} is not a year, quarter or month kpi_xl can read.", fix)
        return None
    if check.too_early(month, where):
        return None
    if QUARTER.match(text):
        return BenchmarkPeriod(quarter_label(month, fy_start), month - 2, month)
    return BenchmarkPeriod(month.label, month, month)


def _figure(check: Checks, table: Table, r: int, field: str, ind: Indicator) -> float | None:
    if field not in table.col:
        return None
    label = {"value": "Value", "q1": "Quartile 1", "median": "Median", "q3": "Quartile 3"}[field]
    where = table.ref(r, field)
    number = check.number(table.grid.value(r, table.col[field]), where, f"{ind.id} {label}")
    if number is not None and ind.is_percent:
        number = check.percent(number, where, "%" in table.grid.number_format(r, table.col[field]),
                                 f"{ind.id} {label}")
    return number


def _check_target_sources(check: Checks, indicators: list[Indicator], found: list[Benchmark]) -> None:
    """An indicator rated against a comparator (``Target source``) needs that comparator's figures."""
    for ind in (i for i in indicators if i.target_source):
        name = canonical(ind.target_source)
        has = {b.comparator for b in found if b.indicator_id == ind.id}
        if name is not None and name in has:
            continue
        listed = ", ".join(sorted(has)) or "none"
        check.error(ind.target_source_where, f"Target source '{ind.target_source}' has no figures for {ind.id} on "
                    f"the Benchmarks sheet (its comparators there: {listed}).",
                    "Type a comparator the Benchmarks sheet has for this indicator, add its figures there, or "
                    "clear the Target source to rate against the Target.")
