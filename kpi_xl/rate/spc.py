"""Statistical process control: XmR process limits, variation and assurance, by the rules of
NHS England's *Making Data Count* (as NHSRplotthedots implements them).

Pure functions of a series of figures, oldest first: no workbook, no I/O. The series is
cut into *groups* at each rebase; limits and rules never cross a group.

- Limits: the mean of the baseline (the group, or its first ``baseline`` points) and the
  mean of its moving ranges, mR-bar; process limits mean +/- 2.66 mR-bar, near (2 sigma)
  limits mean +/- (2 x 2.66 / 3) mR-bar. Screening (off by default) drops moving ranges of
  3.267 mR-bar or more and works mR-bar out once more; the mean is never screened.
- Each point takes the first special-cause rule that applies: 1 outside the process
  limits; 2 a trend of 7 points each higher (or lower) than the one before; 3 two of three
  points beyond the same near limit (a point beyond the process limit counts), all three on
  the same side of the mean; 4 a shift of 7 points on one side of the mean. A tie breaks a
  trend; a point exactly on the mean breaks a shift.
- Nothing is ever divided by mR-bar: a constant series (mR-bar 0) has its limits on the
  mean, and as no point is above or below it, every point is common cause.
"""
from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from enum import Enum
from itertools import pairwise
from typing import NamedTuple

from .rules import fmean

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
NEAR_FACTOR = 2 * LIMIT_FACTOR / 3  # two sigma
SCREEN_FACTOR = 3.267  # D4: a moving range this many times mR-bar is an outlier
RUN = 7  # points in a trend or a shift
MINIMUM_POINTS = 12  # Making Data Count: limits from fewer points are not reliable

RULES = {1: "outside the process limits", 2: "part of a trend: 7 points each higher (or lower) than the one before",
         3: "one of two of three points beyond the near (2 sigma) limit",
         4: "part of a shift: 7 points on one side of the mean"}


class Direction(str, Enum):
    """Which way is better: from the indicator's polarity (High: increase, Low: decrease)."""
    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class PointType(str, Enum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "special_cause_improvement"
    CONCERN = "special_cause_concern"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"

    def __str__(self) -> str:
        return self.value


class Assurance(str, Enum):
    PASS = "consistent_pass"
    FAIL = "consistent_fail"
    HIT_AND_MISS = "inconsistent"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Limits:
    """The mean and process limits of one run of an SPC chart."""

    mean: float
    mr_bar: float  # mean moving range (after screening, when screened)
    lower: float
    upper: float
    near_lower: float
    near_upper: float


class Point(NamedTuple):
    """One figure of the series, with its type."""
    period: Hashable  # the month, or the position when no periods were given
    value: float
    group: int  # 0 for the first group, 1 after the first rebase ...
    type: PointType | None  # None when the group has too few points for limits
    rule: int | None = None  # the special-cause rule that applies (1-4), None for common cause
    high: bool = False  # the special cause is upwards (above the mean, or a rising trend)


class Group(NamedTuple):
    start: int  # index of its first point
    end: int  # index after its last point
    limits: Limits | None  # None when the group has too few points


@dataclass(frozen=True)
class Spc:
    """The SPC of a series. The figures' signals are kept as found, and each ``Point`` is
    made when first asked for: most indicators only need the latest."""
    periods: tuple[Hashable, ...]
    values: tuple[float, ...]
    found: tuple[tuple[int, int] | None, ...]  # per point: (rule, side) of a special cause, else None
    groups: tuple[Group, ...]
    direction: Direction
    variation: PointType | None  # the type of the latest point
    assurance: Assurance | None
    reason: str  # why: the rule the latest point meets, or why there are no limits

    @property
    def latest_group(self) -> Group | None:
        return self.groups[-1] if self.groups else None

    @property
    def limits(self) -> Limits | None:
        return self.groups[-1].limits if self.groups else None

    @cached_property
    def points(self) -> tuple[Point, ...]:
        return tuple(self._point(i, g) for g, group in enumerate(self.groups) for i in range(group.start, group.end))

    @property
    def latest_points(self) -> tuple[Point, ...]:
        group = self.latest_group
        return self.points[group.start:group.end] if group else ()

    @property
    def latest(self) -> Point | None:
        return self._point(len(self.values) - 1, len(self.groups) - 1) if self.values else None

    def _point(self, i: int, group: int) -> Point:
        period, value, found = self.periods[i], self.values[i], self.found[i]
        if self.groups[group].limits is None:
            return Point(period, value, group, None)
        if found is None:
            return Point(period, value, group, PointType.COMMON_CAUSE)
        rule, side = found
        return Point(period, value, group, point_type(side, self.direction), rule, side > 0)


def xmr_limits(values: Sequence[float], screen: bool = False) -> Limits:
    """The mean and limits of a baseline (at least one value)."""
    mean = fmean(values)
    ranges = [abs(b - a) for a, b in pairwise(values)]
    mr_bar = fmean(ranges) if ranges else 0.0
    if screen and mr_bar > 0:
        kept = [r for r in ranges if r < SCREEN_FACTOR * mr_bar]
        mr_bar = fmean(kept) if kept else 0.0
    spread, near = LIMIT_FACTOR * mr_bar, NEAR_FACTOR * mr_bar
    return Limits(mean, mr_bar, mean - spread, mean + spread, mean - near, mean + near)


def _runs(signs: Sequence[int], minimum: int):
    """(start, end, sign) of each run of at least ``minimum`` equal non-zero signs, end
    exclusive (found by a regular expression over the signs as letters: it is fast)."""
    text = "".join(["0ud"[sign] for sign in signs])  # 1 -> u, -1 -> d, 0 -> 0
    for found in re.finditer(f"u{{{minimum},}}|d{{{minimum},}}", text):
        yield found.start(), found.end(), 1 if text[found.start()] == "u" else -1


def signals(values: Sequence[float], lim: Limits) -> list[tuple[int, int] | None]:
    """Per point, the first special-cause rule that applies and its side (+1 up, -1 down).
    (Written as plain loops: it runs for every indicator of every scorecard.)"""
    n = len(values)
    found: list[tuple[int, int] | None] = [None] * n
    for i, x in enumerate(values):
        if x > lim.upper:
            found[i] = (1, 1)
        elif x < lim.lower:
            found[i] = (1, -1)
    steps = [(b > a) - (b < a) for a, b in pairwise(values)]
    for start, end, side in _runs(steps, RUN - 1):  # k rising steps join k + 1 points
        for i in range(start, end + 1):
            found[i] = found[i] or (2, side)
    mean, near_upper, near_lower = lim.mean, lim.near_upper, lim.near_lower
    sides = [(x > mean) - (x < mean) for x in values]
    beyond = [1 if x > near_upper else -1 if x < near_lower else 0 for x in values]
    for i in range(n - 2):
        side = sides[i]
        if side and sides[i + 1] == side and sides[i + 2] == side and (
                (beyond[i] == side) + (beyond[i + 1] == side) + (beyond[i + 2] == side)) >= 2:
            for j in (i, i + 1, i + 2):
                if beyond[j] == side:
                    found[j] = found[j] or (3, side)
    for start, end, side in _runs(sides, RUN):
        for i in range(start, end):
            found[i] = found[i] or (4, side)
    return found


def point_type(side: int, direction: Direction) -> PointType:
    if direction is Direction.NEUTRAL:
        return PointType.NEUTRAL_HIGH if side > 0 else PointType.NEUTRAL_LOW
    better = side > 0 if direction is Direction.INCREASE else side < 0
    return PointType.IMPROVEMENT if better else PointType.CONCERN


def assurance(target: float | None, lim: Limits | None, direction: Direction) -> Assurance | None:
    """Will the target be met: ``consistent_pass``/``consistent_fail`` when it lies beyond the
    process limits, ``inconsistent`` (hit and miss) between them."""
    if target is None or lim is None or direction is Direction.NEUTRAL:
        return None
    if target > lim.upper:
        return Assurance.FAIL if direction is Direction.INCREASE else Assurance.PASS
    if target < lim.lower:
        return Assurance.PASS if direction is Direction.INCREASE else Assurance.FAIL
    return Assurance.HIT_AND_MISS


def too_few(count: int, minimum: int, unit: str = "month") -> str:
    """``9 months: SPC needs 12``."""
    return f"{count} {unit}{'s' if count != 1 else ''}: SPC needs {minimum}"


def spc(values: Sequence[float], direction: Direction = Direction.INCREASE, target: float | None = None, *,
        periods: Sequence[Hashable] | None = None, rebases: Sequence[int] = (), baseline: int | None = None,
        screen: bool = False, minimum_points: int = MINIMUM_POINTS, unit: str = "month") -> Spc:
    """SPC for ``values`` (oldest first, numbers only). ``rebases``: the positions at which a
    new group starts. ``baseline``: limits from the first n points of each group (all when
    ``None``). A group of fewer than ``minimum_points`` gets no limits and no point types."""
    values = tuple(values)
    periods = tuple(periods) if periods is not None else tuple(range(len(values)))
    starts = sorted({0, *(i for i in rebases if 0 < i < len(values))})
    bounds = list(zip(starts, [*starts[1:], len(values)])) if values else []
    found: list[tuple[int, int] | None] = []
    groups: list[Group] = []
    for start, end in bounds:
        xs = values[start:end]
        if len(xs) < max(minimum_points, 1):
            groups.append(Group(start, end, None))
            found.extend([None] * len(xs))
            continue
        lim = xmr_limits(xs[:baseline] if baseline else xs, screen)
        groups.append(Group(start, end, lim))
        found.extend(signals(xs, lim))
    lim = groups[-1].limits if groups else None
    result = Spc(periods, values, tuple(found), tuple(groups), direction, None, None, "")
    if lim is None:
        count = groups[-1].end - groups[-1].start if groups else 0
        return replace(result, reason=too_few(count, minimum_points, unit))
    latest = result.latest
    if latest.rule is None:
        reason = "common cause: the latest point is within the process limits, with no trend, shift or two-in-three"
    else:
        reason = f"special cause: the latest point is {RULES[latest.rule]}"
    return replace(result, variation=latest.type, assurance=assurance(target, lim, direction), reason=reason)
