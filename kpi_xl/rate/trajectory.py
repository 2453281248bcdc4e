"""Which target a figure is rated against: a month's target from a trajectory, or the year-end target.

Pure functions of values. A trajectory is the Targets sheet's targets for one indicator, by
month (a target typed for a quarter is the target of each of its months).

- **Month**: the figure is rated against the target for its own month (or quarter).
- **Year to date**, against the trajectory to date, by the indicator's YTD method, over the
  same months the YTD is made of (the months of the year so far that have a figure):

  | YTD    | the target to date is                                                          |
  | ------ | ------------------------------------------------------------------------------ |
  | Sum    | the months' targets added up                                                   |
  | Ratio  | the months' targets weighted by each month's denominator (a plain mean without) |
  | Latest | the target for the latest month with a figure                                  |
  | Mean   | the mean of the months' targets                                                |

- A month with no trajectory target falls back to the year-end target (the Indicators
  sheet's ``Target``), and the reason says so.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Figure, Indicator, PeriodTarget, RagBasis, YtdMethod
from ..periods import Month, quarter_end
from .rules import fmean


@dataclass(frozen=True)
class RatedTarget:
    """The target a rating used, and where it came from (said in the rating's reason)."""

    value: float | None
    upper: float | None  # the top of a band (polarity Target)
    this_period: float | None  # the trajectory's target for the period rated, if it has one
    year_end: float | None  # the Indicators sheet's Target
    source: str = ""  # "" for the year-end target with no trajectory; else told in the reason


def target_for(trajectory: dict[Month, PeriodTarget], month: Month, fy_start: int = 4) -> PeriodTarget | None:
    """The trajectory's target for ``month``: its own, else its quarter's (typed as a quarter)."""
    own = trajectory.get(month)
    if own is not None:
        return own
    quarter = trajectory.get(quarter_end(month, fy_start))
    return quarter if quarter is not None and quarter.quarter else None


def year_end(ind: Indicator, this_period: float | None = None, source: str = "") -> RatedTarget:
    return RatedTarget(ind.target, ind.target_upper, this_period, ind.target, source)


def rated_target(ind: Indicator, trajectory: dict[Month, PeriodTarget] | None, period: Month,
                 year_months: list[tuple[Month, Figure]], fy_start: int = 4) -> RatedTarget:
    """The target ``ind`` is rated against for ``period``. ``year_months`` are the months of
    the financial year so far with their figures (oldest first), as the YTD uses them."""
    if not trajectory:
        return year_end(ind)
    own = target_for(trajectory, period, fy_start)
    this_period = own.value if own else None
    if ind.rag_basis is RagBasis.MONTH:
        if own is None:
            return year_end(ind, None, f"no trajectory target for {period.label}, so rated against the year-end "
                                       "target")
        return RatedTarget(own.value, own.upper, own.value, ind.target, f"{period.label} trajectory target")
    return _to_date(ind, trajectory, year_months, this_period, fy_start)


def _to_date(ind: Indicator, trajectory: dict[Month, PeriodTarget], year_months: list[tuple[Month, Figure]],
             this_period: float | None, fy_start: int) -> RatedTarget:
    """The target for the year to date: the trajectory over the months the YTD is made of."""
    method = ind.ytd_method
    if method is YtdMethod.RATIO:
        months = [(m, f) for m, f in year_months if f.numerator is not None and f.denominator is not None]
    else:
        months = [(m, f) for m, f in year_months if f.value is not None]
    if method is YtdMethod.LATEST:
        months = months[-1:]
    if not months or method is YtdMethod.NONE:
        return year_end(ind, this_period)
    points = [(m, f, target_for(trajectory, m, fy_start)) for m, f in months]
    missing = [m.label for m, _, t in points if t is None]
    if missing:
        return year_end(ind, this_period, f"no trajectory target for {', '.join(missing)}, so the year to date is "
                                          "rated against the year-end target")
    value = combine(method, [t.value for _, _, t in points], [f.denominator for _, f, _ in points])
    uppers = [t.upper for _, _, t in points]
    upper = combine(method, uppers, [f.denominator for _, f, _ in points]) if None not in uppers else None
    first, last = months[0][0], months[-1][0]
    span = last.label if first == last else f"{first.label} to {last.label}"
    how = {YtdMethod.SUM: "added up", YtdMethod.RATIO: "weighted by the months' denominators",
           YtdMethod.LATEST: "the latest month's", YtdMethod.MEAN: "averaged"}[method]
    return RatedTarget(value, upper, this_period, ind.target, f"trajectory target to date ({span}, {how})"
                       if first != last or method is not YtdMethod.LATEST else f"{last.label} trajectory target")


def combine(method: YtdMethod, targets: list[float], denominators: list[float | None]) -> float:
    """The months' targets as one target to date, by the YTD method (see the module's table)."""
    if method is YtdMethod.SUM:
        return float(sum(targets))
    if method is YtdMethod.LATEST:
        return targets[-1]
    if method is YtdMethod.RATIO and all(d is not None for d in denominators) and sum(denominators):
        return sum(t * d for t, d in zip(targets, denominators)) / sum(denominators)
    return fmean(targets)


def with_source(reason: str, target: RatedTarget) -> str:
    """A rating's reason, saying which target was used when it was not simply the year-end target."""
    return f"{reason} ({target.source})" if target.source else reason
