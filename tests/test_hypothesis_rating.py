"""Property tests for the rating rules: random values, targets and settings never crash,
always give exactly one rating, and agree with the rules stated at displayed precision.

Values stay within +/- 1e9 (far beyond any council figure): ``rules.shown`` quantizes with
Decimal's default 28-digit context, so a figure near 1e24 or more raises InvalidOperation.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_xl.errors import InputError
from kpi_xl.rate.evaluate import evaluate, evaluate_indicator, rated_period
from kpi_xl.model import (Figure, Frequency, Indicator, Polarity, RagBasis, Rating, RawWorkbook,
                          ReportSettings, ToleranceType, Unit, YtdMethod)
from kpi_xl.periods import Month
from kpi_xl.rate.rules import ARROWS, amber_band, direction_of_travel, rag, shown, ytd

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANK = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2}

fractions = st.integers(-100, 1500).map(lambda n: n / 1000)  # 0.745, 0.005 ...: the half-way cases
whole_percents = st.integers(0, 100).map(float) | st.floats(0, 100, allow_nan=False)
plain = (st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
         | st.integers(-1000, 100_000).map(float) | st.integers(0, 100_000).map(lambda n: n / 100))
decimals = st.integers(0, 4)
tolerances = st.integers(0, 20).map(float) | st.floats(0, 50, allow_nan=False)


@st.composite
def numbers(draw, percent: bool, optional: bool = True):
    strategy = (fractions | whole_percents) if percent else plain
    if optional:
        strategy = st.none() | strategy
    return draw(strategy)


@st.composite
def rating_case(draw, rated: bool = False):
    """A figure, target and settings; ``rated``: a figure against a target with a High or
    Low polarity (drawn so, rather than filtered: filtering most cases out is slow and
    fails Hypothesis' health check)."""
    percent = draw(st.booleans())
    return dict(
        value=draw(numbers(percent, optional=not rated)), target=draw(numbers(percent, optional=not rated)),
        polarity=draw(st.sampled_from([Polarity.HIGH, Polarity.LOW] if rated else list(Polarity))),
        tolerance=draw(tolerances),
        tolerance_type=draw(st.sampled_from(list(ToleranceType))),
        target_upper=draw(numbers(percent)), percent=percent, decimals=draw(decimals))


def exact_shortfall(value, target, polarity, target_upper, percent, dp) -> Decimal:
    """The shortfall in displayed units, in exact decimal arithmetic."""
    v, t = Decimal(repr(shown(value, dp, percent))), Decimal(repr(shown(target, dp, percent)))
    if polarity is Polarity.HIGH:
        return t - v
    if polarity is Polarity.LOW:
        return v - t
    u = Decimal(repr(shown(target_upper, dp, percent))) if target_upper is not None else t
    lo, hi = min(t, u), max(t, u)
    return lo - v if v < lo else (v - hi if v > hi else Decimal(0))


def call_rag(c: dict):
    return rag(c["value"], c["target"], c["polarity"], c["tolerance"], c["tolerance_type"], c["target_upper"],
               percent=c["percent"], decimals=c["decimals"])


@SETTINGS
@given(rating_case())
def test_rag_one_rating_and_green_iff_no_shortfall_at_displayed_precision(c):
    result = call_rag(c)
    assert isinstance(result.rating, Rating)
    assert result.reason and str(result) == result.rating.value
    if c["polarity"] is Polarity.NONE or c["target"] is None:
        assert result.rating is Rating.GREY
        return
    if c["value"] is None:
        assert result.rating is Rating.NO_DATA
        return
    short = exact_shortfall(c["value"], c["target"], c["polarity"], c["target_upper"], c["percent"], c["decimals"])
    assert (result.rating is Rating.GREEN) == (short <= 0), (short, result)
    if short > 0:
        t = shown(c["target"], c["decimals"], c["percent"])
        band = Decimal(repr(amber_band(t, c["tolerance"], c["tolerance_type"])))
        expected = Rating.AMBER if short < band else Rating.RED
        assert result.rating is expected, (short, band, result)
        assert ("within the Amber band" in result.reason) == (expected is Rating.AMBER)
    else:
        assert "meets the target" in result.reason


@SETTINGS
@given(rating_case(rated=True), st.data())
def test_rag_never_worse_for_a_better_figure(c, data):
    other = data.draw(numbers(c["percent"], optional=False))
    low, high = sorted([c["value"], other])
    worse, better = (low, high) if c["polarity"] is Polarity.HIGH else (high, low)
    r_worse, r_better = call_rag({**c, "value": worse}), call_rag({**c, "value": better})
    assert RANK[r_better.rating] >= RANK[r_worse.rating], (worse, better, r_worse, r_better)


@SETTINGS
@given(percent=st.booleans(), dp=decimals, polarity=st.sampled_from(list(Polarity)), data=st.data())
def test_direction_of_travel_text_agrees_with_direction(percent, dp, polarity, data):
    value, previous = data.draw(numbers(percent)), data.draw(numbers(percent))
    target, upper = data.draw(numbers(percent)), data.draw(numbers(percent))
    travel = direction_of_travel(value, previous, polarity, target=target, target_upper=upper,
                                 percent=percent, decimals=dp)
    if value is None or previous is None:
        assert (travel.direction, travel.improvement, travel.change, travel.text) == (None, None, None, "")
        assert travel.arrow == "" and travel.alt_text == ""
        return
    exact = Decimal(repr(shown(value, dp, percent))) - Decimal(repr(shown(previous, dp, percent)))
    assert Decimal(repr(travel.change)) == exact
    direction = "same" if exact == 0 else ("up" if exact > 0 else "down")
    assert travel.direction == direction
    assert travel.arrow == ARROWS[direction]
    if direction == "same":
        assert travel.text == "No change" and travel.improvement == "same"
        assert travel.alt_text == "No change"
        return
    word, amount = travel.text.split(" ", 1)
    assert word == ("Up" if direction == "up" else "Down")
    assert travel.alt_text.startswith(word)
    assert amount.endswith("pp") == percent
    assert Decimal(amount.removesuffix("pp").replace(",", "")) == abs(exact)
    expected = {
        Polarity.HIGH: "better" if direction == "up" else "worse",
        Polarity.LOW: "better" if direction == "down" else "worse",
        Polarity.NONE: "neutral",
    }.get(polarity)
    if polarity is Polarity.TARGET:
        if target is None:
            expected = "neutral"
        else:
            now = exact_shortfall(value, target, Polarity.TARGET, upper, percent, dp)
            before = exact_shortfall(previous, target, Polarity.TARGET, upper, percent, dp)
            expected = "same" if now == before else ("better" if now < before else "worse")
    assert travel.improvement == expected


@SETTINGS
@given(values=st.lists(st.none() | plain, max_size=12), method=st.sampled_from(list(YtdMethod)),
       pairs=st.lists(st.tuples(st.none() | st.integers(0, 500).map(float),
                                st.none() | st.integers(0, 500).map(float)), max_size=12))
def test_ytd_never_counts_a_missing_month_as_zero(values, method, pairs):
    numerators, denominators = [n for n, _ in pairs], [d for _, d in pairs]
    result = ytd(values, method, numerators, denominators)
    numbers_ = [v for v in values if v is not None]
    if method is YtdMethod.NONE:
        assert result is None
    elif method is YtdMethod.RATIO:
        complete = [(n, d) for n, d in pairs if n is not None and d is not None]
        total = sum(d for _, d in complete)
        assert result == (sum(n for n, _ in complete) / total if complete and total else None)
    elif not numbers_:
        assert result is None
    elif method is YtdMethod.SUM:
        assert result == float(sum(numbers_))
    elif method is YtdMethod.LATEST:
        assert result == numbers_[-1]
    else:  # Mean: within the months' range, however many are missing
        assert min(numbers_) - 1e-6 * (1 + abs(min(numbers_))) <= result <= max(numbers_) + 1e-6 * (
            1 + abs(max(numbers_)))


@st.composite
def indicator_and_series(draw, ind_id: str = "PI 1"):
    unit = draw(st.sampled_from(list(Unit)))
    percent = unit is Unit.PERCENT
    ind = Indicator(
        id=ind_id, title=f"indicator {ind_id}", unit=unit, polarity=draw(st.sampled_from(list(Polarity))),
        target=draw(numbers(percent)), target_upper=draw(numbers(percent)), tolerance=draw(tolerances),
        tolerance_type=draw(st.sampled_from(list(ToleranceType))), rag_basis=draw(st.sampled_from(list(RagBasis))),
        ytd_method=draw(st.sampled_from(list(YtdMethod))), frequency=draw(st.sampled_from(list(Frequency))),
        arrears=draw(st.integers(0, 3)), decimals=draw(decimals))
    first = Month(2018, 1)
    months = draw(st.lists(st.integers(0, 35), max_size=24, unique=True))
    series = {}
    for offset in months:
        value = draw(numbers(percent))
        text = draw(st.none() | st.sampled_from(["-", "n/a", "2 Missing 3 Absent"])) if value is None else None
        num, den = draw(st.none() | st.tuples(st.integers(0, 300).map(float), st.integers(0, 300).map(float))) \
            or (None, None)
        series[first + offset] = Figure(value=value, text=text, numerator=num, denominator=den)
    return ind, series


def assert_rating_follows_its_definition(ind, value, rating) -> None:
    """The rating, checked against what the key says it means rather than by rating again:
    Grey without a target or judgement, No data without a figure, Green when the target is
    met and not Green when it is missed (by more than the figure's displayed precision)."""
    if ind.polarity is Polarity.NONE or ind.target is None:
        assert rating is Rating.GREY
        return
    if value is None:
        assert rating is Rating.NO_DATA
        return
    step = 10 ** -ind.decimals / (100 if ind.is_percent else 1)  # one unit of the shown figure
    upper = ind.target if ind.polarity is not Polarity.TARGET or ind.target_upper is None else ind.target_upper
    low, high = min(ind.target, upper), max(ind.target, upper)
    met = {Polarity.HIGH: value >= high + step, Polarity.LOW: value <= low - step,
           Polarity.TARGET: low + step <= value <= high - step}[ind.polarity]
    missed = {Polarity.HIGH: value <= low - step, Polarity.LOW: value >= high + step,
              Polarity.TARGET: value <= low - step or value >= high + step}[ind.polarity]
    if met:
        assert rating is Rating.GREEN
    if missed:
        assert rating in (Rating.AMBER, Rating.RED)


@SETTINGS
@given(indicator_and_series(), st.integers(0, 40), st.sampled_from([1, 4, 7]))
def test_evaluate_indicator_rates_once_and_consistently(case, report_offset, fy_start):
    ind, series = case
    report = Month(2018, 1) + report_offset
    res = evaluate_indicator(ind, series, report, fy_start)
    assert isinstance(res.rag.rating, Rating)
    assert res.period == rated_period(ind, report, fy_start) <= report
    assert res.figure is series.get(res.period)
    expected_rated = res.ytd if ind.rag_basis is RagBasis.YTD else (res.figure.value if res.figure else None)
    assert res.rated_value == expected_rated
    assert_rating_follows_its_definition(ind, res.rated_value, res.rag.rating)
    if res.value is None or res.previous_value is None:
        assert res.travel.text == ""
    else:
        assert res.travel.text.startswith({"up": "Up", "down": "Down", "same": "No change"}[res.travel.direction])
    assert res.show(res.value)  # printable, "-" when there is none
    assert res.show_figure(res.figure, res.period)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(indicator_and_series(), min_size=1, max_size=5), st.integers(0, 40))
def test_every_indicator_rated_exactly_once_in_sheet_order(cases, report_offset):
    indicators, figures = [], {}
    for n, (ind, series) in enumerate(cases):
        ind = Indicator(**{**ind.__dict__, "id": f"PI {n}"})
        indicators.append(ind)
        figures[ind.id] = series
    raw = RawWorkbook("raw.xlsx", indicators, figures, ReportSettings())
    report = Month(2018, 1) + report_offset
    shown = [evaluate_indicator(ind, figures[ind.id], report).figure for ind in indicators]
    shown += [series.get(report) for series in figures.values()]
    if not any(fig and fig.has_data for fig in shown):  # a scorecard of "No data" only is refused
        with pytest.raises(InputError, match="no figures"):
            evaluate(raw, report)
        return
    evaluation = evaluate(raw, report)
    assert [r.indicator.id for r in evaluation.results] == [i.id for i in indicators]
    counts = evaluation.counts()
    assert sum(counts.values()) == len(indicators)
    assert set(counts) == {r.value for r in Rating}
