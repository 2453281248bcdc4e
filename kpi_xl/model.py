"""The plain data that flows between the steps: read -> rate -> lay out -> write."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from .errors import Problem
from .periods import Month


def note_text(value) -> str:
    """A cell's value as text, as a person in the UK sees it: dates ``31 Mar 2020``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        shown = f"{value.day} {value:%b %Y}"
        return shown + (f" {value:%H:%M}" if value.time() != dt.time() else "")
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Choice(str, Enum):
    """An enum whose values are the words people type in the workbook."""

    @classmethod
    def parse(cls, text):
        """The member whose word matches ``text`` (any case), else ``None``."""
        if text is None:
            return None
        key = str(text).strip().lower()
        for member in cls:
            if member.value.lower() == key or key in member.aliases():
                return member
        return None

    @classmethod
    def allowed(cls) -> str:
        return ", ".join(m.value for m in cls)

    def aliases(self) -> tuple[str, ...]:
        return ()

    def __str__(self) -> str:
        return self.value


class Unit(Choice):
    PERCENT = "%"
    COUNT = "count"
    RATE = "rate"
    DAYS = "days"
    NUMBER = "number"

    def aliases(self):
        return {"%": ("percent", "percentage", "pct"), "count": ("number of", "n"),
                "days": ("day",)}.get(self.value, ())


class Polarity(Choice):
    HIGH = "High"
    LOW = "Low"
    TARGET = "Target"
    NONE = "None"

    def aliases(self):
        return {"High": ("higher", "higher is better", "up"),
                "Low": ("lower", "lower is better", "down"),
                "Target": ("band", "closest", "on target"),
                "None": ("n/a", "-", "neutral", "activity")}[self.value]


class ToleranceType(Choice):
    POINTS = "points"
    PERCENT = "percent"

    def aliases(self):
        return {"points": ("absolute", "pp", "point", "percentage points"),
                "percent": ("relative", "%", "percentage")}[self.value]


class RagBasis(Choice):
    MONTH = "Month"
    YTD = "YTD"

    def aliases(self):
        return {"Month": ("this month", "monthly", "period"), "YTD": ("year to date",)}[self.value]


class YtdMethod(Choice):
    SUM = "Sum"
    RATIO = "Ratio"
    LATEST = "Latest"
    MEAN = "Mean"
    NONE = "None"

    def aliases(self):
        return {"Sum": ("total",), "Ratio": ("rate",), "Latest": ("snapshot", "last"),
                "Mean": ("average", "avg"), "None": ("n/a", "-")}[self.value]


class Frequency(Choice):
    MONTHLY = "Monthly"
    QUARTERLY = "Quarterly"

    def aliases(self):
        return {"Monthly": ("month", "m"), "Quarterly": ("quarter", "q")}[self.value]

    @property
    def step(self) -> int:
        return 3 if self is Frequency.QUARTERLY else 1


class Rating(str, Enum):
    """The traffic light. Always shown as the word as well as the colour."""

    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    GREY = "Grey"
    NO_DATA = "No data"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Indicator:
    """One row of the Indicators sheet: what is measured, how it is rated and shown."""

    id: str
    title: str
    section: str = "Other"
    unit: Unit = Unit.NUMBER
    polarity: Polarity = Polarity.HIGH
    target: float | None = None
    target_upper: float | None = None
    tolerance: float = 5.0
    tolerance_type: ToleranceType = ToleranceType.PERCENT
    rag_basis: RagBasis = RagBasis.MONTH
    ytd_method: YtdMethod = YtdMethod.LATEST
    frequency: Frequency = Frequency.MONTHLY
    arrears: int = 0
    corporate_plan: bool = False
    decimals: int = 0
    where: str = ""  # the row on the Indicators sheet, e.g. "Indicators!A7"
    target_source: str = ""  # a comparator (e.g. "Statistical neighbours") whose median is the target
    target_source_where: str = ""  # the cell it was typed in
    spc_baseline: int | None = None  # SPC limits from the first n figures (None: the Report sheet's SPC baseline)

    @property
    def is_percent(self) -> bool:
        return self.unit is Unit.PERCENT


@dataclass(frozen=True)
class Figure:
    """One indicator's figure for one month, exactly as typed.

    ``value`` is the number (a fraction for %); ``text`` keeps whatever was typed
    where a number was expected (``2 Missing 3 Absent``, ``-``, ``n/a``).
    """

    value: float | None = None
    text: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    where: str = ""

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def has_data(self) -> bool:
        """A number, or text typed for the month (``2 Missing 3 Absent``, ``-``): not a note alone."""
        return self.value is not None or bool(self.text)


@dataclass(frozen=True)
class Commentary:
    """One row of the Commentary sheet: the why / what / when for a section or an indicator."""

    section: str | None  # section name, or None when keyed by indicator
    indicator_id: str | None
    why: str = ""
    what: str = ""
    when: str = ""
    where: str = ""

    @property
    def key(self) -> tuple[str, str]:
        if self.indicator_id:
            return ("indicator", self.indicator_id.strip().lower())
        return ("section", (self.section or "").strip().lower())


#: The overview's three lists, in the order shown (the raw Overview sheet names them too).
OVERVIEW_LISTS = ("Going well or better", "Ones to watch", "Things to do better")


@dataclass(frozen=True)
class OverviewItem:
    """One line of the Overview sheet's lists (going well, ones to watch, to do better)."""

    list_name: str
    text: str
    indicator_id: str | None = None
    where: str = ""


@dataclass(frozen=True)
class Rebase:
    """A row of the Rebase sheet: from ``period`` the indicator's SPC limits start again."""
    indicator_id: str
    period: Month
    reason: str = ""  # a new service model, a change of definition ...
    where: str = ""


@dataclass(frozen=True)
class Distribution:
    """A small table of bands from the Distributions sheet (waiting times, say), shown on a section sheet."""

    section: str
    title: str
    bands: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | str | None, ...]], ...]
    unit: Unit = Unit.PERCENT


@dataclass(frozen=True)
class PeriodTarget:
    """One month's (or quarter's) target from the Targets sheet: a point on a trajectory."""

    value: float
    upper: float | None = None  # the top of a band, for polarity Target
    quarter: bool = False  # typed as a quarter (Q3 2013/14): the target of each of its months
    where: str = ""


# The comparators a Benchmarks sheet names besides councils (read.sheets.benchmarks reads
# them as typed; the layout gives each its column and line)
ENGLAND = "England"
NEIGHBOURS = "Statistical neighbours"
REGIONS = ("London", "Inner London", "Outer London", "North East", "North West", "Yorkshire and the Humber",
           "East Midlands", "West Midlands", "East of England", "South East", "South West")
COMPARATORS = (ENGLAND, *REGIONS, NEIGHBOURS)


@dataclass(frozen=True)
class BenchmarkPeriod:
    """The period a published comparator figure covers: a year (``2018/19``, ``2019``), a quarter or a month."""

    label: str
    first: Month
    last: Month

    def covers(self, month: Month) -> bool:
        return self.first <= month <= self.last


@dataclass(frozen=True)
class Benchmark:
    """One comparator's figure for an indicator, from the Benchmarks sheet, with its
    distribution (the quartiles of the councils it summarises) when given."""

    indicator_id: str
    comparator: str  # England, London, Statistical neighbours, or a named council
    period: BenchmarkPeriod
    value: float | None
    quartile_1: float | None = None
    median: float | None = None
    quartile_3: float | None = None
    source: str = ""
    where: str = ""


@dataclass(frozen=True)
class ReportSettings:
    """The Report sheet's settings: title, organisation, period, financial year, template and SPC choices."""

    title: str = "Performance scorecard"
    organisation: str = ""
    period: Month | None = None
    period_where: str = ""  # the cell the period was typed in, e.g. Report!B4
    fy_start: int = 4
    months_shown: int = 6
    template: str | None = None
    template_where: str = ""  # the cell the Template setting was typed in
    tolerance: float = 5.0
    tolerance_type: ToleranceType = ToleranceType.PERCENT
    rag_basis: RagBasis = RagBasis.MONTH
    refresh_note: str = ""  # printed on the first sheets, e.g. "figures for earlier months may differ ..."
    split_by: str = ""  # the Data column that ``build --split`` makes one scorecard per value of (Team, Locality)
    split_by_where: str = ""  # the cell it was typed in
    split_total: str = ""  # the value of that column holding the whole service's figures, if not "Total"
    spc_baseline: int | None = None  # SPC limits from the first n points of each group (None: all of them)
    spc_screen: bool = False  # drop moving ranges of 3.267 mR-bar or more (Making Data Count's Excel tool: No)
    spc_minimum_points: int = 12  # fewer points than this: no SPC limits


@dataclass
class RawWorkbook:
    """Everything read from the user's raw workbook, checked."""

    source: str
    indicators: list[Indicator]
    figures: dict[str, dict[Month, Figure]]
    settings: ReportSettings
    commentary: list[Commentary] = field(default_factory=list)
    overview: list[OverviewItem] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    targets: dict[str, dict[Month, PeriodTarget]] = field(default_factory=dict)  # the Targets sheet, by ID
    benchmarks: list[Benchmark] = field(default_factory=list)  # the Benchmarks sheet
    rebases: list[Rebase] = field(default_factory=list)  # the Rebase sheet: where SPC limits start again

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def latest_month(self) -> Month | None:
        months = [m for series in self.figures.values() for m, f in series.items() if f.has_data]
        return max(months) if months else None

    @property
    def sections(self) -> list[str]:
        seen: dict[str, None] = {}
        for ind in self.indicators:
            seen.setdefault(ind.section, None)
        return list(seen)
