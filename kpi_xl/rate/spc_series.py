"""SPC for one indicator: its figures up to the month rated, cut at its rebases, by the
Report sheet's SPC settings (``kpi_xl.rate.spc`` holds the rules themselves).

Months with text or no figure are left out of the series (never counted as zero); the
figures are used as stored, at full precision (not rounded to the displayed decimals as
the RAG is)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..model import Figure, Frequency, Indicator, Polarity, Rebase, ReportSettings
from ..periods import Month
from .spc import Assurance, Direction, PointType, Spc, spc

DIRECTIONS = {Polarity.HIGH: Direction.INCREASE, Polarity.LOW: Direction.DECREASE,
              Polarity.TARGET: Direction.NEUTRAL, Polarity.NONE: Direction.NEUTRAL}

#: the words shown beside each icon, as Making Data Count names them
VARIATION_WORDS = {(PointType.COMMON_CAUSE, False): "Common cause", (PointType.COMMON_CAUSE, True): "Common cause",
                   (PointType.IMPROVEMENT, True): "Improving (high)", (PointType.IMPROVEMENT, False): "Improving (low)",
                   (PointType.CONCERN, True): "Concern (high)", (PointType.CONCERN, False): "Concern (low)",
                   (PointType.NEUTRAL_HIGH, True): "Unusual (high)", (PointType.NEUTRAL_LOW, False): "Unusual (low)"}
ASSURANCE_WORDS = {Assurance.PASS: "Will pass", Assurance.FAIL: "Will fail", Assurance.HIT_AND_MISS: "Hit and miss"}


def indicator_spc(ind: Indicator, series: dict[Month, Figure], period: Month, rebases: Iterable[Rebase] = (),
                  settings: ReportSettings | None = None) -> Spc:
    """SPC of ``ind``'s figures up to ``period`` (the month rated), oldest first."""
    settings = settings or ReportSettings()
    last = period.index  # months compared as numbers: this runs for every figure of every indicator
    figures = sorted((m.year * 12 + m.month - 1, m, f.value) for m, f in series.items()
                     if f.value is not None and m.year * 12 + m.month - 1 <= last)
    months = [m for _, m, _ in figures]
    starts = sorted(r.period.index for r in rebases if r.indicator_id == ind.id)
    breaks = [next((i for i, (index, _, _) in enumerate(figures) if index >= start), len(figures))
              for start in starts]
    target = ind.target if ind.target_upper is None else None  # a band has no single line to compare
    unit = "quarter" if ind.frequency is Frequency.QUARTERLY else "month"
    result = spc([value for _, _, value in figures], DIRECTIONS[ind.polarity], target, periods=months,
                 rebases=breaks, baseline=ind.spc_baseline or settings.spc_baseline, screen=settings.spc_screen,
                 minimum_points=settings.spc_minimum_points, unit=unit)
    if months and months[-1] != period and result.variation is not None:  # the month rated has text or nothing
        return replace(result, reason=f"{result.reason} (the latest figure, for {months[-1].long_label})")
    return result


def variation_words(result: Spc | None) -> str:
    """``Improving (high)``, ``Concern (low)``, ``Common cause``; empty without limits."""
    if result is None or result.variation is None:
        return ""
    return VARIATION_WORDS[(result.variation, result.latest.high)]


def assurance_words(result: Spc | None) -> str:
    """``Will pass``, ``Will fail``, ``Hit and miss``; empty without a target or limits."""
    return ASSURANCE_WORDS[result.assurance] if result is not None and result.assurance else ""


def rebase_reasons(ind: Indicator, rebases: Iterable[Rebase]) -> list[Rebase]:
    return sorted((r for r in rebases if r.indicator_id == ind.id), key=lambda r: r.period)
