"""Worksheet functions: the scorecard's rules, callable from a cell.

    =KPI.RAG(C5, D5, "High", 5, "points")          -> Amber
    =KPI.CHANGE(C5, B5, "%")                        -> Up 7pp
    =KPI.DOT(C5, B5, "High")                        -> ↑ better
    =KPI.YTD(C5:H5, "Ratio", C6:H6, C7:H7)          -> 0.8571...
    =KPI.BAND(C5, 0.78, 0.84, 0.90, "High")         -> B
    =KPI.SPC(C5:Z5, "High", 0.85)                   -> Improving (high); Will fail

Each is a plain function of values calling ``kpi_xl.rate.rules`` (the same functions the
scorecard uses), so a cell and the report never disagree. A bad argument returns a
message starting ``#KPI!`` that says what to type, rather than an Excel error code.

A range argument holds at most ``MAX_CELLS`` cells (10,000): a year to date needs a year's
months (a 20-year history is 240), and a range of a million cells would keep the server
busy for minutes, so it is answered at once with ``#KPI! values is too large a range``.

Percentages follow the raw-workbook rule: fractions (85% is 0.85); a plain number above 1
for a ``%`` indicator is a whole percentage (85 is 85%). Figures are compared at their
displayed precision (``decimals``: 0 for % and counts, else 1, as on the Indicators sheet).

They reach Excel two ways: xlwings Server registers them as ``KPI.RAG`` ... (see
``kpi_xl/excel/xlwings_server_app/custom_functions``); the desktop add-in as the user-defined
functions ``KPI_RAG`` ... at the bottom of this module (Windows only: VBA names cannot hold
a dot).
"""
from __future__ import annotations

from ..model import Polarity, ToleranceType, Unit, YtdMethod
from ..read.table import to_number
from ..rate.benchmarks import band
from ..rate.rules import direction_of_travel, rag, ytd
from ..rate.spc import spc
from ..rate.spc_series import DIRECTIONS, assurance_words, variation_words

ERROR = "#KPI!"
#: The most cells one argument may hold (see the module's docstring).
MAX_CELLS = 10_000
_IMPROVEMENT_WORDS = {"better": " better", "worse": " worse", "same": " same"}


class ArgumentError(ValueError):
    """A worksheet-function argument that cannot be used; the message says what to type."""


def _scalar(value):
    """One cell: ``[[x]]`` or ``[x]`` (how ranges arrive) -> ``x``."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, (list, tuple)):
        raise ArgumentError("expects one cell, not a range")
    return value


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value, name: str, required: bool = False) -> float | None:
    value = _scalar(value)
    if _blank(value):
        if required:
            raise ArgumentError(f"{name} is required")
        return None
    if isinstance(value, bool):
        raise ArgumentError(f"{name} must be a number, not {value}")
    number = to_number(value)  # the reader's rule: 1,583 and 85% are numbers too
    if number is None:
        raise ArgumentError(f"{name} must be a number, not '{value}'")
    return number


def _figure(value) -> float | None:
    """A figure: a number, or ``None`` for a blank, a dash or any text (as the reader keeps
    text figures but does not rate them)."""
    value = _scalar(value)
    if _blank(value) or isinstance(value, bool):
        return None
    try:
        return _number(value, "value")
    except ArgumentError:
        return None


def _choice(enum, value, name: str, default):
    value = _scalar(value)
    if _blank(value):
        return default
    parsed = enum.parse(value)
    if parsed is None:
        allowed = [m.value for m in enum]
        raise ArgumentError(f"{name} must be {', '.join(allowed[:-1])} or {allowed[-1]}")
    return parsed


def _unit(value) -> Unit:
    return _choice(Unit, value, "unit", Unit.PERCENT)


def _decimals(value, unit: Unit) -> int:
    number = _number(value, "decimals")
    if number is None:
        return 0 if unit in (Unit.PERCENT, Unit.COUNT) else 1
    if not number.is_integer() or not 0 <= number <= 4:
        raise ArgumentError("decimals must be a whole number from 0 to 4")
    return int(number)


def _as_fraction(number: float | None, unit: Unit) -> float | None:
    """The one percentage rule: a plain number above 1 for a % figure is a whole %."""
    if number is None or unit is not Unit.PERCENT or abs(number) <= 1:
        return number
    return number / 100


def _guard(fn):
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ArgumentError as exc:
            return f"{ERROR} {exc}"

    run.__name__, run.__doc__, run.__wrapped__ = fn.__name__, fn.__doc__, fn
    return run


@_guard
def kpi_rag(value, target, polarity="High", tolerance=5, tolerance_type="percent", target_upper=None,
            unit="%", decimals=None) -> str:
    """Red, Amber, Green (Grey without a target or with polarity None; No data without a
    figure), exactly as the scorecard rates: at the displayed precision, Amber when short of
    the target by less than the tolerance (points, or percent of the target)."""
    unit = _unit(unit)
    places = _decimals(decimals, unit)
    pol = _choice(Polarity, polarity, "polarity", Polarity.HIGH)
    tol_type = _choice(ToleranceType, tolerance_type, "tolerance_type", ToleranceType.PERCENT)
    tol = _number(tolerance, "tolerance")
    tol = 5.0 if tol is None else tol
    if tol < 0:
        raise ArgumentError("tolerance must be 0 or more")
    goal = _as_fraction(_number(target, "target"), unit)
    upper = _as_fraction(_number(target_upper, "target_upper"), unit)
    if upper is not None and pol is not Polarity.TARGET:
        raise ArgumentError("target_upper is only for polarity Target (a band from target to target_upper)")
    figure = _as_fraction(_figure(value), unit)
    return rag(figure, goal, pol, tol, tol_type, upper, percent=unit is Unit.PERCENT,
               decimals=places).rating.value


@_guard
def kpi_change(value, previous, unit="%", decimals=None) -> str:
    """The movement since the previous figure in the indicator's unit: ``Up 7pp``,
    ``Down 2.2``, ``No change``; empty when either figure is missing."""
    unit = _unit(unit)
    places = _decimals(decimals, unit)
    travel = direction_of_travel(_as_fraction(_figure(value), unit), _as_fraction(_figure(previous), unit),
                                 Polarity.NONE, percent=unit is Unit.PERCENT, decimals=places)
    return travel.text


@_guard
def kpi_dot(value, previous, polarity="High", target=None, target_upper=None, unit="%", decimals=None) -> str:
    """Direction of travel as the scorecard prints it: the arrow, then ``better``, ``worse``
    or ``same`` (nothing after the arrow for polarity None); empty when a figure is missing.
    Polarity Target needs the target to know which way is better."""
    unit = _unit(unit)
    places = _decimals(decimals, unit)
    pol = _choice(Polarity, polarity, "polarity", Polarity.HIGH)
    goal = _as_fraction(_number(target, "target"), unit)
    upper = _as_fraction(_number(target_upper, "target_upper"), unit)
    if pol is Polarity.TARGET and goal is None:
        raise ArgumentError("polarity Target needs the target (4th argument)")
    travel = direction_of_travel(_as_fraction(_figure(value), unit), _as_fraction(_figure(previous), unit),
                                 pol, target=goal, target_upper=upper, percent=unit is Unit.PERCENT,
                                 decimals=places)
    if travel.direction is None:
        return ""
    return travel.arrow + _IMPROVEMENT_WORDS.get(travel.improvement or "", "")


def _cells(values, name: str) -> list:
    """A range argument as a list, oldest first: one row or one column of at most
    ``MAX_CELLS`` cells (checked before any cell is looked at)."""
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        return [values]
    rows = [row if isinstance(row, (list, tuple)) else [row] for row in values]
    count = sum(len(row) for row in rows)
    if count > MAX_CELLS:
        raise ArgumentError(f"{name} is too large a range ({count:,} cells): at most {MAX_CELLS:,} cells. "
                            "Give just the months of the year so far")
    columns = max((len(row) for row in rows), default=0)
    if len(rows) > 1 and columns > 1:
        raise ArgumentError(f"{name} must be one row or one column (the months, oldest first), not "
                            f"{len(rows)} rows by {columns} columns")
    return [value for row in rows for value in row]


@_guard
def kpi_ytd(values, method="Sum", numerators=None, denominators=None):
    """Year to date of the months so far (a row or column, oldest first): Sum for counts,
    Ratio (sum of numerators / sum of denominators), Latest for snapshots, Mean for
    averages. Blanks and text are left out, never counted as zero; empty when there is
    nothing to work from."""
    how = _choice(YtdMethod, method, "method", YtdMethod.SUM)
    figures = [_figure(v) for v in _cells(values, "values")]
    if how is YtdMethod.RATIO:
        nums, dens = _cells(numerators, "numerators"), _cells(denominators, "denominators")
        if not nums or not dens:
            raise ArgumentError("method Ratio needs the numerators and denominators ranges")
        if len(nums) != len(dens):
            raise ArgumentError(f"numerators ({len(nums)} cells) and denominators ({len(dens)} cells) "
                                "must be the same size")
        result = ytd(figures, how, [_figure(n) for n in nums], [_figure(d) for d in dens])
    else:
        result = ytd(figures, how)
    return "" if result is None else result


@_guard
def kpi_band(value, q1, median, q3, polarity="High", unit="%", decimals=None) -> str:
    """The quartile band A-D of a figure among councils (A always the best quarter: the top
    where higher is better, the bottom where lower is better; a figure on a boundary takes
    the better band), compared at the displayed precision; empty when the figure is missing."""
    unit = _unit(unit)
    places = _decimals(decimals, unit)
    pol = _choice(Polarity, polarity, "polarity", Polarity.HIGH)
    if pol not in (Polarity.HIGH, Polarity.LOW):
        raise ArgumentError("polarity must be High or Low: a band needs to know which way is better")
    quartiles = [_as_fraction(_number(q, name, required=True), unit)
                 for q, name in ((q1, "q1"), (median, "median"), (q3, "q3"))]
    if not quartiles[0] <= quartiles[1] <= quartiles[2]:
        raise ArgumentError("the quartiles must be in order: q1, then the median, then q3, lowest to highest")
    return band(_as_fraction(_figure(value), unit), *quartiles, pol, percent=unit is Unit.PERCENT, decimals=places)


@_guard
def kpi_spc(values, polarity="High", target=None) -> str:
    """Statistical process control of a run of figures (a row or column, oldest first), by the
    scorecard's rules and defaults (limits from every point, no screening, at least 12
    figures): the variation, and with a target the assurance, as words, e.g.
    ``Improving (high); Will fail``. Blanks and text are left out, never counted as zero."""
    figures = [f for f in (_figure(v) for v in _cells(values, "values")) if f is not None]
    result = spc(figures, DIRECTIONS[_choice(Polarity, polarity, "polarity", Polarity.HIGH)],
                 _number(target, "target"))
    if result.variation is None:
        return result.reason  # "9 months: SPC needs 12"
    return "; ".join(w for w in (variation_words(result), assurance_words(result)) if w)


FUNCTIONS = {"RAG": kpi_rag, "CHANGE": kpi_change, "DOT": kpi_dot, "YTD": kpi_ytd, "BAND": kpi_band,
             "SPC": kpi_spc}


# -- desktop add-in (Windows): user-defined functions KPI_RAG ... ------------------------------
# ``xw.func`` registers them with the xlwings COM server on Windows and does nothing
# elsewhere; the VBA wrappers are generated into kpi_xl.xlam by addin/build.py.

import xlwings as _xw  # noqa: E402


@_xw.func
def KPI_RAG(value, target, polarity="High", tolerance=5, tolerance_type="percent", target_upper=None,
            unit="%", decimals=None):
    """Red, Amber, Green, Grey or No data, as the scorecard rates."""
    return kpi_rag(value, target, polarity, tolerance, tolerance_type, target_upper, unit, decimals)


@_xw.func
def KPI_CHANGE(value, previous, unit="%", decimals=None):
    """The movement since the previous figure: Up 7pp, Down 2.2, No change."""
    return kpi_change(value, previous, unit, decimals)


@_xw.func
def KPI_DOT(value, previous, polarity="High", target=None, target_upper=None, unit="%", decimals=None):
    """Direction of travel: the arrow and better, worse or same."""
    return kpi_dot(value, previous, polarity, target, target_upper, unit, decimals)


@_xw.func
@_xw.arg("values", ndim=1)
@_xw.arg("numerators", ndim=1)
@_xw.arg("denominators", ndim=1)
def KPI_YTD(values, method="Sum", numerators=None, denominators=None):
    """Year to date: Sum, Ratio, Latest or Mean of the months so far."""
    return kpi_ytd(values, method, numerators, denominators)


@_xw.func
def KPI_BAND(value, q1, median, q3, polarity="High", unit="%", decimals=None):
    """The quartile band A-D (A best under the polarity)."""
    return kpi_band(value, q1, median, q3, polarity, unit, decimals)


@_xw.arg("values", ndim=1)
def KPI_SPC(values, polarity="High", target=None):
    """SPC variation and assurance of a run of figures: Improving (high); Will fail."""
    return kpi_spc(values, polarity, target)
