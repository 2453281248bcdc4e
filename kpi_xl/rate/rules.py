"""The rating rules: RAG, direction of travel, change text and year to date.

Pure functions of values: no workbook, no I/O. Every comparison is made at the
indicator's displayed precision, so a shortfall shown as "10pp" is exactly 10.
Percentages come in as fractions (0.85) and are compared in percentage points.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import fsum

from ..model import Polarity, Rating, ToleranceType, YtdMethod

ARROWS = {"up": "\u2191", "down": "\u2193", "same": "\u2192"}


def fmean(values: Sequence[float]) -> float:
    """The mean of one or more values, as ``statistics.fmean`` works it out (``fsum`` over the
    count, in Python 3.11 to 3.13): the same float, without importing statistics (and fractions
    and random with it) on every run."""
    if not values:
        raise ValueError("the mean of no values")
    return fsum(values) / len(values)


def shown(value: float, decimals: int, percent: bool = False) -> float:
    """The number a reader sees: ``0.745`` with 0 decimals as a % is ``75.0`` (half up, as Excel)."""
    scaled = Decimal(repr(value)) * (100 if percent else 1)
    return float(scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def format_number(value: float, decimals: int, percent: bool = False) -> str:
    """``74%``, ``14.4``, ``1,583``: how a figure is printed in text."""
    text = f"{shown(value, decimals, percent):,.{decimals}f}"
    return text + "%" if percent else text


def _trim(number: float, decimals: int, signed: bool = False) -> str:
    text = f"{(number if signed else abs(number)):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class Rag:
    """A red / amber / green (or grey, no data) rating and the reason for it, in words."""

    rating: Rating
    reason: str

    def __str__(self) -> str:
        return self.rating.value


def amber_band(target_shown: float, tolerance: float, tolerance_type: ToleranceType) -> float:
    """Width of the Amber band in displayed units (points, or a % of the target)."""
    if tolerance_type is ToleranceType.PERCENT:
        return round(abs(target_shown) * tolerance / 100, 9)
    return tolerance


def rag(value: float | None, target: float | None, polarity: Polarity,
        tolerance: float, tolerance_type: ToleranceType,
        target_upper: float | None = None, *, percent: bool = False,
        decimals: int = 0) -> Rag:
    """Rate ``value`` against ``target``.

    Green when the target is met; Amber when short by less than the tolerance; Red
    otherwise; Grey with no target or polarity None; No data when the figure is missing.
    With polarity Target, the band ``target``..``target_upper`` (or the target itself)
    is Green and the distance outside it is the shortfall.
    """
    if polarity is Polarity.NONE:
        return Rag(Rating.GREY, "no judgement: activity measure (polarity None)")
    if target is None:
        return Rag(Rating.GREY, "no target")
    if value is None:
        return Rag(Rating.NO_DATA, "no figure for the period rated")
    v, t = shown(value, decimals, percent), shown(target, decimals, percent)
    unit = "pp" if percent else ""
    if polarity is Polarity.HIGH:
        shortfall = t - v
    elif polarity is Polarity.LOW:
        shortfall = v - t
    else:
        upper = shown(target_upper, decimals, percent) if target_upper is not None else t
        lo, hi = min(t, upper), max(t, upper)
        shortfall = lo - v if v < lo else (v - hi if v > hi else 0.0)
    shortfall = round(shortfall, decimals)
    band = amber_band(t, tolerance, tolerance_type)
    pct = "%" if percent else ""
    target_text = f"{_trim(t, decimals, True)}{pct}"
    if polarity is Polarity.TARGET and target_upper is not None:
        target_text = f"{_trim(lo, decimals, True)}{pct} to {_trim(hi, decimals, True)}{pct}"
    band_text = (f"{_trim(band, decimals + 2)}{unit}" if tolerance_type is ToleranceType.POINTS
                 else f"{_trim(tolerance, 2)}% of target = {_trim(band, decimals + 2)}{unit}")
    if shortfall <= 0:
        return Rag(Rating.GREEN, f"{_trim(v, decimals, True)}{pct} meets the target of {target_text}")
    short = f"{_trim(v, decimals, True)}{pct} is {_trim(shortfall, decimals)}{unit} off the target of {target_text}"
    if shortfall < band:
        return Rag(Rating.AMBER, f"{short}, within the Amber band ({band_text})")
    return Rag(Rating.RED, f"{short}, outside the Amber band ({band_text})")


@dataclass(frozen=True)
class Travel:
    """Direction of travel: the raw movement and whether it is an improvement."""

    direction: str | None  # "up", "down", "same"; None when either figure is missing
    improvement: str | None  # "better", "worse", "same", "neutral"
    change: float | None  # in displayed units (points for %)
    text: str  # "Up 7pp", "Down 2.2", "No change", "" when not comparable

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction or "", "")

    @property
    def alt_text(self) -> str:
        """The arrow in words, for readers who cannot see the glyph or its colour."""
        if self.direction is None:
            return ""
        moved = {"up": "Up", "down": "Down", "same": "No change"}[self.direction]
        return moved if self.improvement in (None, "neutral", "same") else f"{moved} ({self.improvement})"


def change_text(change: float, decimals: int, percent: bool = False) -> str:
    """``Up 7pp``, ``Down 2.2``, ``Down 1``, ``No change`` (trailing zeros dropped, as printed)."""
    if change == 0:
        return "No change"
    return f"{'Up' if change > 0 else 'Down'} {_trim(change, decimals)}{'pp' if percent else ''}"


def direction_of_travel(value: float | None, previous: float | None, polarity: Polarity,
                        *, target: float | None = None, target_upper: float | None = None,
                        percent: bool = False, decimals: int = 0) -> Travel:
    """Compare ``value`` with ``previous`` at displayed precision."""
    if value is None or previous is None:
        return Travel(None, None, None, "")
    v, p = shown(value, decimals, percent), shown(previous, decimals, percent)
    change = round(v - p, decimals)
    direction = "same" if change == 0 else ("up" if change > 0 else "down")
    if direction == "same":
        improvement = "same"
    elif polarity is Polarity.HIGH:
        improvement = "better" if change > 0 else "worse"
    elif polarity is Polarity.LOW:
        improvement = "better" if change < 0 else "worse"
    elif polarity is Polarity.TARGET and target is not None:
        t = shown(target, decimals, percent)
        u = shown(target_upper, decimals, percent) if target_upper is not None else t
        lo, hi = min(t, u), max(t, u)

        def distance(x):
            return lo - x if x < lo else (x - hi if x > hi else 0.0)

        dv, dp = distance(v), distance(p)
        improvement = "same" if dv == dp else ("better" if dv < dp else "worse")
    else:
        improvement = "neutral"
    return Travel(direction, improvement, change, change_text(change, decimals, percent))


def ytd(values: list[float | None], method: YtdMethod,
        numerators: list[float | None] | None = None,
        denominators: list[float | None] | None = None) -> float | None:
    """Year to date from the months of the financial year so far, oldest first.

    Sum for counts; sum of numerators / sum of denominators for Ratio; the latest
    figure for snapshots; the mean of the months for averages. Missing months are
    left out, never counted as zero. ``None`` when there is nothing to work from.
    """
    numbers = [v for v in values if v is not None]
    if method is YtdMethod.NONE:
        return None
    if method is YtdMethod.RATIO:
        pairs = [(n, d) for n, d in zip(numerators or [], denominators or [])
                 if n is not None and d is not None]
        total = sum(d for _, d in pairs)
        return sum(n for n, _ in pairs) / total if pairs and total else None
    if not numbers:
        return None
    if method is YtdMethod.SUM:
        return float(sum(numbers))
    if method is YtdMethod.MEAN:
        return fmean(numbers)
    return numbers[-1]  # Latest
