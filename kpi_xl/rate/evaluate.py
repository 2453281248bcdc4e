"""Rate every indicator for the reporting period: ``RawWorkbook`` -> ``Evaluation``."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..model import (COMPARATORS, Figure, Frequency, Indicator, Polarity, RagBasis, RawWorkbook, Rating, ReportSettings,
                     YtdMethod)
from ..periods import Month, financial_year_label, financial_year_start, quarter_end, quarter_label
from .benchmarks import Band, Comparison, comparator_target, compare, quartile_band, slug
from .rules import Rag, Travel, direction_of_travel, fmean, format_number, rag, ytd
from .spc import Spc
from .spc_series import assurance_words, indicator_spc, variation_words
from .trajectory import RatedTarget, rated_target, with_source, year_end

SPARKLINE_MONTHS = 12


@dataclass(frozen=True)
class Result:
    """One indicator, rated."""

    indicator: Indicator
    period: Month  # the month rated (earlier than the report month when in arrears)
    figure: Figure | None
    previous_period: Month
    previous: Figure | None
    travel: Travel
    ytd: float | None
    prior_year: float | None  # last financial year's outturn
    prior_year_mean: float | None  # mean of last financial year's figures (chart line)
    rated_value: float | None  # the month figure or the YTD, per the RAG basis
    rag: Rag
    ytd_note: str = ""  # why there is no year to date yet, e.g. no quarter of the year has ended
    target_used: RatedTarget | None = None  # the target rated against (a trajectory's, or the year-end target)
    comparisons: tuple[Comparison, ...] = ()  # each comparator's figure for the period, and the gap to it
    band: Band | None = None  # the quartile band A-D
    spc: Spc | None = None  # statistical process control of the figures up to the month rated

    @property
    def rated_on_ytd(self) -> bool:
        return self.indicator.rag_basis is RagBasis.YTD

    @property
    def value(self) -> float | None:
        return self.figure.value if self.figure else None

    @property
    def previous_value(self) -> float | None:
        return self.previous.value if self.previous else None

    @property
    def in_arrears(self) -> bool:
        return self.indicator.arrears > 0

    def show(self, number: float | None) -> str:
        """A figure as the report prints it: ``74%``, ``14.4``, ``1,583``; ``-`` for none."""
        if number is None:
            return "-"
        return format_number(number, self.indicator.decimals, self.indicator.is_percent)

    def show_figure(self, figure: Figure | None, month: Month | None = None) -> str:
        """The figure, its text when no number was typed, ``-`` when there is nothing;
        prefixed ``Nov 19: `` for indicators in arrears."""
        if figure is None or (figure.value is None and not figure.text):
            text = "-"
        elif figure.value is None:
            text = figure.text
        else:
            text = self.show(figure.value)
        if self.in_arrears and month is not None:
            return f"{month.short_label}: {text}"
        return text

    @property
    def note(self) -> str:
        parts = []
        if self.figure and self.figure.note:
            parts.append(self.figure.note)
        if self.figure and self.figure.value is None and self.figure.text:
            parts.append(f"Figure given as text: {self.figure.text}")
        if self.ytd_note:
            parts.append(self.ytd_note[0].upper() + self.ytd_note[1:])
        if self.in_arrears:
            parts.append(f"Reported {self.indicator.arrears} month{'s' if self.indicator.arrears > 1 else ''} "
                         f"in arrears: {self.period.long_label} is the latest figure")
        return "; ".join(parts)


@dataclass(frozen=True)
class Evaluation:
    """Every indicator rated for one report month, with the raw workbook it came from."""

    raw: RawWorkbook
    period: Month
    results: tuple[Result, ...]

    @property
    def fy_label(self) -> str:
        return financial_year_label(self.period, self.raw.settings.fy_start)

    @property
    def prior_fy_label(self) -> str:
        return financial_year_label(financial_year_start(self.period, self.raw.settings.fy_start) - 12,
                                    self.raw.settings.fy_start)

    def counts(self) -> dict[str, int]:
        counts = {r.value: 0 for r in Rating}
        for res in self.results:
            counts[res.rag.rating.value] += 1
        return counts

    def figure(self, indicator_id: str, month: Month) -> Figure | None:
        return self.raw.figures.get(indicator_id, {}).get(month)


def is_free_text(figure: Figure) -> bool:
    """Text typed where a number belongs, other than a no-data mark such as ``-`` or ``n/a``."""
    if figure.value is not None or not figure.text:
        return False
    from ..read.reader import EMPTY_MARKS  # noqa: PLC0415
    return figure.text.strip().lower() not in EMPTY_MARKS


def rated_period(indicator: Indicator, report_month: Month, fy_start: int = 4) -> Month:
    """The month whose figure is rated: back by the arrears, then to a quarter end."""
    month = report_month - indicator.arrears
    if indicator.frequency is Frequency.QUARTERLY:
        end = quarter_end(month, fy_start)
        month = end if end == month else end - 3
    return month


def no_ytd_yet(ind: Indicator, period: Month, fy_first: Month, fy_start: int = 4) -> str:
    """Why an indicator has no year to date in the report's financial year (which starts
    ``fy_first``) when the figure rated, for ``period``, is from the year before."""
    year = financial_year_label(fy_first, fy_start)
    if ind.frequency is Frequency.QUARTERLY:
        return (f"no {year} year to date yet: the year's first quarter ends in {(fy_first + 2).long_label} "
                f"({quarter_label(period, fy_start)} is the latest quarter reported)")
    return f"no {year} year to date yet: the latest figure reported is for {period.long_label}"


def evaluate_indicator(ind: Indicator, series: dict[Month, Figure], report_month: Month,
                       fy_start: int = 4, trajectory: dict | None = None, benchmarks: list | None = None,
                       settings: ReportSettings | None = None, rebases=()) -> Result:
    """Rate ``ind`` for ``report_month``. The year to date and the prior-year outturn are
    those of the report month's financial year (the columns say so), also when the figure
    rated is from an earlier year: a quarterly indicator in May, or one in arrears in April."""
    period = rated_period(ind, report_month, fy_start)
    previous_period = period - ind.frequency.step
    figure, previous = series.get(period), series.get(previous_period)
    opts = dict(percent=ind.is_percent, decimals=ind.decimals)
    travel = direction_of_travel(figure.value if figure else None, previous.value if previous else None,
                                 ind.polarity, target=ind.target, target_upper=ind.target_upper, **opts)
    fy_first = financial_year_start(report_month, fy_start)
    months = sorted(series)

    def between(first: Month, last: Month) -> list[Month]:
        """The months with figures from ``first`` to ``last``, oldest first."""
        return months[bisect_left(months, first):bisect_right(months, last)]

    def year(first: Month, last: Month):
        figs = [series[m] for m in between(first, last)]
        return ([f.value for f in figs], [f.numerator for f in figs], [f.denominator for f in figs])

    values, nums, dens = year(fy_first, period)
    ytd_value = ytd(values, ind.ytd_method, nums, dens)
    if any(is_free_text(series[m]) for m in between(fy_first, period)):
        ytd_value = None  # a month given as text (e.g. "2 Missing 3 Absent") cannot be added up
    prior_values, prior_nums, prior_dens = year(fy_first - 12, fy_first - 1)
    prior = ytd(prior_values, ind.ytd_method, prior_nums, prior_dens)
    prior_numbers = [v for v in prior_values if v is not None]
    prior_mean = fmean(prior_numbers) if prior_numbers else None
    ytd_note = no_ytd_yet(ind, period, fy_first, fy_start) if (
        period < fy_first and ind.ytd_method is not YtdMethod.NONE) else ""
    rated = ytd_value if ind.rag_basis is RagBasis.YTD else (figure.value if figure else None)
    target = rated_target(ind, trajectory, period, [(m, series[m]) for m in between(fy_first, period)], fy_start)
    comparisons = compare(ind, benchmarks, period, rated) if benchmarks else ()
    if ind.target_source:
        from ..read.sheets.benchmarks import canonical  # noqa: PLC0415
        target = comparator_target(ind, comparisons, canonical(ind.target_source) or ind.target_source,
                                   lambda v: format_number(v, ind.decimals, ind.is_percent))
    rating = rate_against(ind, rated, target)
    return Result(ind, period, figure, previous_period, previous, travel, ytd_value, prior,
                  prior_mean, rated, rating, ytd_note, target, comparisons, quartile_band(ind, comparisons, rated),
                  indicator_spc(ind, series, period, rebases, settings))


def rate_against(ind: Indicator, rated: float | None, target: RatedTarget) -> Rag:
    """The RAG of ``rated`` against ``target``; the reason names the target when it is not
    simply the year-end target (a trajectory's, a comparator's, or a fall-back)."""
    rating = rag(rated, target.value, ind.polarity, ind.tolerance, ind.tolerance_type, target.upper,
                 percent=ind.is_percent, decimals=ind.decimals)
    if rating.rating in (Rating.GREEN, Rating.AMBER, Rating.RED) or (target.source and rating.rating is Rating.GREY
                                                                    and ind.polarity is not Polarity.NONE):
        return Rag(rating.rating, with_source(rating.reason, target))
    return rating


def evaluate(raw: RawWorkbook, period: Month | None = None) -> Evaluation:
    """Rate every indicator, once, in the order of the Indicators sheet, for ``period``
    (``--period``), else the Report sheet's Period, else the latest month with figures.

    Raises ``InputError`` when there are no figures, or none to show for the month."""
    latest = raw.latest_month()
    if latest is None:
        raise InputError(Problem("Data", "has no figures, so there is no month to report.",
                                 "Add figures to the Data sheet: one row per indicator and month."), raw.source)
    report_month = period or raw.settings.period or latest
    benchmarks: dict[str, list] = {}
    for row in raw.benchmarks:
        benchmarks.setdefault(row.indicator_id, []).append(row)
    results = tuple(evaluate_indicator(ind, raw.figures.get(ind.id, {}), report_month, raw.settings.fy_start,
                                       raw.targets.get(ind.id), benchmarks.get(ind.id), raw.settings,
                                       raw.rebases)
                    for ind in raw.indicators)
    if not any(res.figure and res.figure.has_data for res in results) and not any(
            fig.has_data for series in raw.figures.values() if (fig := series.get(report_month))):
        raise InputError(_month_without_figures(report_month, latest, raw.settings.period_where
                                                if period is None else "--period"), raw.source)
    return Evaluation(raw, report_month, results)


def _month_without_figures(month: Month, latest: Month, where: str) -> Problem:
    """A report month for which the scorecard would say "No data" on every row."""
    said = f"{month.long_label} has no figures for any indicator; the latest month with figures is {latest.long_label}."
    if where == "--period":
        return Problem(where, said, f"Give --period {latest.iso()}, or leave --period out to report the latest month "
                                    "with figures.")
    return Problem(where or "Report", f"Period {said}", f"Clear the Period (blank means the latest month with "
                                                        f"figures), or type the month to report, e.g. {latest.label}.")


COLUMNS = ("id", "section", "indicator", "period", "value", "previous", "change", "direction",
           "improvement", "ytd", "prior_year", "target", "rag", "reason", "note",
           "variation", "assurance", "spc_mean", "spc_lower", "spc_upper", "spc_points")
#: what ``kpi-xl evaluate`` prints after ``COLUMNS``: the target rated against and the year-end target
TARGET_COLUMNS = ("target_this_period", "target_year_end")


def target_text(res: Result, target: float | None, upper: float | None = None) -> str:
    """A target as the report prints it: ``95%``, a band ``10-20``; empty for none."""
    if target is None:
        return ""
    return f"{res.show(target)}-{res.show(upper)}" if upper is not None else res.show(target)


def result_row(res: Result) -> dict[str, str]:
    """One indicator as the ``evaluate`` command prints it (text as the report shows it)."""
    ind = res.indicator
    return {
        "id": ind.id, "section": ind.section, "indicator": ind.title, "period": res.period.label,
        "value": res.show_figure(res.figure, res.period),
        "previous": res.show_figure(res.previous, res.previous_period),
        "change": res.travel.text, "direction": res.travel.arrow,
        "improvement": res.travel.improvement or "",
        "ytd": res.show(res.ytd) if res.ytd is not None else "",
        "prior_year": res.show(res.prior_year) if res.prior_year is not None else "",
        "target": target_text(res, ind.target, ind.target_upper), "rag": res.rag.rating.value,
        "reason": res.rag.reason, "note": res.note, **spc_row(res),
    }


def comparators(evaluation: Evaluation) -> list[str]:
    """The comparators on the Benchmarks sheet: England, the regions, statistical neighbours,
    then named councils in the order first given."""
    names = list(dict.fromkeys(b.comparator for b in evaluation.raw.benchmarks))
    return sorted(names, key=lambda n: (COMPARATORS.index(n) if n in COMPARATORS else len(COMPARATORS)))


def evaluate_columns(evaluation: Evaluation) -> tuple[str, ...]:
    """The columns ``kpi-xl evaluate`` prints: ``COLUMNS``, the targets, the band, and
    ``bench_<name>`` and ``gap_<name>`` for each comparator on the Benchmarks sheet."""
    per_comparator = tuple(f"{kind}_{slug(name)}" for name in comparators(evaluation) for kind in ("bench", "gap"))
    return COLUMNS + TARGET_COLUMNS + ("band",) + per_comparator


def evaluate_row(res: Result, names=()) -> dict[str, str]:
    """One indicator as ``kpi-xl evaluate`` prints it: ``result_row``, the targets, the band,
    and the figure of (and gap to) each comparator in ``names`` (``2018/19: 21%``, ``+3pp``)."""
    used = res.target_used or year_end(res.indicator)
    row = {**result_row(res), "target_this_period": target_text(res, used.value, used.upper),
           "target_year_end": target_text(res, res.indicator.target, res.indicator.target_upper),
           "band": res.band.letter if res.band else ""}
    found = {c.comparator: c for c in res.comparisons}
    for name in names:
        c = found.get(name)
        row[f"bench_{slug(name)}"] = "" if c is None or c.value is None else (
            f"{c.label}: {res.show(c.value)}" if c.label else res.show(c.value))
        row[f"gap_{slug(name)}"] = c.gap_text if c else ""
    return row


def spc_row(res: Result) -> dict[str, str]:
    """The SPC columns of ``evaluate``: the words, and the latest group's mean, limits and
    number of points at full precision (``repr``), so other tools can check them."""
    lim = res.spc.limits if res.spc else None
    return {"variation": res.spc.variation.value if res.spc and res.spc.variation else "",
            "assurance": res.spc.assurance.value if res.spc and res.spc.assurance else "",
            "spc_mean": repr(lim.mean) if lim else "", "spc_lower": repr(lim.lower) if lim else "",
            "spc_upper": repr(lim.upper) if lim else "",
            "spc_points": str(res.spc.latest_group.end - res.spc.latest_group.start) if res.spc and res.spc.groups
            else "0"}


def spc_json(res: Result) -> dict:
    """The ``spc`` object of ``evaluate --format json``: numbers at full precision, and every
    point of the latest group with its type."""
    found = res.spc
    lim = found.limits if found else None
    return {"mean": lim.mean if lim else None, "lower": lim.lower if lim else None,
            "upper": lim.upper if lim else None,
            "variation": found.variation.value if found and found.variation else None,
            "assurance": found.assurance.value if found and found.assurance else None,
            "variation_words": variation_words(found), "assurance_words": assurance_words(found),
            "reason": found.reason if found else "",
            "points": [{"period": p.period.iso(), "value": p.value, "type": p.type.value if p.type else None}
                       for p in (found.latest_points if found else ())]}
