"""Benchmarks: an indicator's figure against comparators (England, a region, statistical
neighbours, a named council), the gap to each, the quartile band, and a comparator as the target.

Pure functions of values, at the displayed precision as every rule is.

- **Which figure**: a comparator's figure for the period rated (the narrowest period that
  covers it: a month before a quarter before a year), else its latest figure before it
  (published benchmarks are annual and a year behind), labelled with its period
  (``2018/19: 21%``) whenever that is not the month rated.
- **Gap**: the figure rated (the month's, or the YTD for indicators rated on the YTD) minus
  the comparator's, in the indicator's unit (percentage points for a %): ``+3pp``, ``-2.2``.
- **Band** A-D, from a comparator's quartiles (England's when given, else the first
  comparator with all three): A is always the best quarter under the polarity, as in the
  DfE's LAIT. Higher is better: A at or above Quartile 3, B at or above the median, C at or
  above Quartile 1, D below. Lower is better: A at or below Quartile 1, B at or below the
  median, C at or below Quartile 3, D above. A figure on a boundary takes the better band.
  No band for polarity Target or None.
- **Target source**: an indicator whose ``Target source`` names a comparator is rated against
  that comparator's median (its figure when no median is given) for the period, as the 2014
  report's targets were "set in line with the mid range for our statistical neighbours".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Benchmark, Indicator, Polarity
from ..periods import Month
from .rules import _trim, shown
from .trajectory import RatedTarget

BANDS = ("A", "B", "C", "D")
BAND_MEANINGS = {"A": "in the best quarter of councils", "B": "better than the median, not in the best quarter",
                 "C": "worse than the median, not in the worst quarter", "D": "in the worst quarter of councils"}


@dataclass(frozen=True)
class Comparison:
    """One comparator's figure for an indicator, and the gap from the figure rated."""

    benchmark: Benchmark
    label: str  # the period shown with the figure ("2018/19"), or "" for the month rated
    gap: float | None  # figure rated - comparator, in displayed units (points for %)
    gap_text: str  # "+3pp", "-2.2", "0"; "" with no figure to compare

    @property
    def comparator(self) -> str:
        return self.benchmark.comparator

    @property
    def value(self) -> float | None:
        return self.benchmark.value if self.benchmark.value is not None else self.benchmark.median


@dataclass(frozen=True)
class Band:
    """The quartile band (A best to D worst) of a figure among a comparator's councils."""

    letter: str  # A-D
    comparator: str  # whose quartiles
    label: str  # their period, e.g. "2018/19"

    @property
    def reason(self) -> str:
        return f"{BAND_MEANINGS[self.letter]} ({self.comparator} quartiles, {self.label})"


def latest_benchmark(rows: list[Benchmark], period: Month) -> Benchmark | None:
    """The figure for ``period``: the narrowest period covering it, else the latest before it."""
    covering = [b for b in rows if b.period.covers(period)]
    if covering:
        return min(covering, key=lambda b: (b.period.last - b.period.first, -b.period.last.index))
    before = [b for b in rows if b.period.last < period]
    return max(before, key=lambda b: (b.period.last, b.period.first), default=None)


def gap(value: float | None, comparator: float | None, *, percent: bool = False,
        decimals: int = 0) -> tuple[float | None, str]:
    """``value - comparator`` as shown: ``(3.0, "+3pp")``; ``(None, "")`` when either is missing."""
    if value is None or comparator is None:
        return None, ""
    difference = round(shown(value, decimals, percent) - shown(comparator, decimals, percent), decimals)
    sign = "+" if difference > 0 else ("-" if difference < 0 else "")
    return difference, f"{sign}{_trim(difference, decimals)}{'pp' if percent else ''}"


def band(value: float | None, q1: float | None, median: float | None, q3: float | None, polarity: Polarity,
         *, percent: bool = False, decimals: int = 0) -> str:
    """The quartile band A-D (A best under the polarity); ``""`` when it cannot be given."""
    if value is None or None in (q1, median, q3) or polarity not in (Polarity.HIGH, Polarity.LOW):
        return ""
    v = shown(value, decimals, percent)
    edges = [shown(x, decimals, percent) for x in (q1, median, q3)]
    if polarity is Polarity.HIGH:
        passed = sum(v >= edge for edge in edges)  # 3: at or above Quartile 3
        return BANDS[3 - passed]
    passed = sum(v <= edge for edge in edges)  # 3: at or below Quartile 1
    return BANDS[3 - passed]


def compare(ind: Indicator, rows: list[Benchmark], period: Month, rated: float | None) -> tuple[Comparison, ...]:
    """Each comparator's figure for ``period`` (in the order first given), with its gap."""
    comparisons = []
    for name in dict.fromkeys(b.comparator for b in rows):
        chosen = latest_benchmark([b for b in rows if b.comparator == name], period)
        if chosen is None:
            continue
        label = "" if chosen.period.first == chosen.period.last == period else chosen.period.label
        figure = chosen.value if chosen.value is not None else chosen.median
        difference, text = gap(rated, figure, percent=ind.is_percent, decimals=ind.decimals)
        comparisons.append(Comparison(chosen, label, difference, text))
    return tuple(comparisons)


def quartile_band(ind: Indicator, comparisons: tuple[Comparison, ...], rated: float | None,
                  first_choice: str = "England") -> Band | None:
    """The band from England's quartiles when given, else the first comparator with all three."""
    with_quartiles = [c for c in comparisons if None not in (c.benchmark.quartile_1, c.benchmark.median,
                                                             c.benchmark.quartile_3)]
    with_quartiles.sort(key=lambda c: c.comparator != first_choice)
    for c in with_quartiles[:1]:
        b = c.benchmark
        letter = band(rated, b.quartile_1, b.median, b.quartile_3, ind.polarity, percent=ind.is_percent,
                      decimals=ind.decimals)
        if letter:
            return Band(letter, c.comparator, b.period.label)
    return None


def comparator_target(ind: Indicator, comparisons: tuple[Comparison, ...], comparator: str,
                      show) -> RatedTarget:
    """The target from a comparator (``Target source``): its median, else its figure."""
    chosen = next((c for c in comparisons if c.comparator == comparator), None)
    if chosen is None:
        return RatedTarget(ind.target, ind.target_upper, None, ind.target,
                           f"no {comparator} figure for the period, so rated against the year-end target")
    b = chosen.benchmark
    value, what = (b.median, "median") if b.median is not None else (b.value, "figure")
    return RatedTarget(value, None, value, ind.target,
                       f"target: the {comparator} {what} for {b.period.label}, {show(value)}, as the Target source says")


def slug(comparator: str) -> str:
    """``Statistical neighbours`` -> ``statistical_neighbours`` (for ``bench_<name>`` columns)."""
    return re.sub(r"[^a-z0-9]+", "_", comparator.lower()).strip("_")
