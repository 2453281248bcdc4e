"""The SPC rules (kpi_xl.rate.spc): each rule, its precedence, the edge cases, and properties."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_xl.rate.spc import Assurance, Direction, PointType, spc, xmr_limits

FLAT = [12.0, 10.0] * 8  # mean 11, mR-bar 2: limits 5.68 .. 16.32, near 7.45 .. 14.55


def after_flat(tail, direction=Direction.INCREASE, **kw):
    """SPC of ``FLAT`` then ``tail``, with the limits from ``FLAT`` alone."""
    return spc(FLAT + tail, direction, baseline=len(FLAT), **kw)


def types(result):
    return [p.type for p in result.points]


def test_a_point_outside_the_limits_is_rule_1_and_its_side_gives_improvement_or_concern():
    high = after_flat([30.0])
    assert high.points[-1].rule == 1 and high.variation is PointType.IMPROVEMENT
    assert after_flat([30.0], Direction.DECREASE).variation is PointType.CONCERN
    assert after_flat([30.0], Direction.NEUTRAL).variation is PointType.NEUTRAL_HIGH
    assert after_flat([-9.0], Direction.NEUTRAL).variation is PointType.NEUTRAL_LOW


def test_a_trend_needs_seven_points_each_higher_and_a_tie_breaks_it():
    result = after_flat([10.2, 10.5, 10.8, 11.2, 11.5, 11.8])  # 10 and six rises: 7 points
    assert [p.rule for p in result.points[-8:]] == [None] + [2] * 7
    six = after_flat([10.2, 10.5, 10.8, 11.2, 11.5])
    assert six.variation is PointType.COMMON_CAUSE
    tied = after_flat([10.2, 10.5, 10.8, 10.8, 11.2, 11.5, 11.8])
    assert tied.variation is PointType.COMMON_CAUSE
    falling = after_flat([11.8, 11.7, 11.6, 11.5, 11.4, 11.3, 11.2])
    assert falling.variation is PointType.CONCERN and falling.points[-1].rule == 2


def test_two_of_three_beyond_a_near_limit_flags_the_two_and_counts_a_point_beyond_the_process_limit():
    result = after_flat([15.0, 12.0, 15.5])
    assert [p.rule for p in result.points[-3:]] == [3, None, 3]
    assert result.variation is PointType.IMPROVEMENT
    beyond = after_flat([15.0, 12.0, 17.0])  # 17 is outside: rule 1 first
    assert [p.rule for p in beyond.points[-3:]] == [3, None, 1]
    one_below_mean = after_flat([15.0, 10.5, 15.5])  # not all three on one side
    assert [p.rule for p in one_below_mean.points[-3:]] == [None, None, None]


def test_a_shift_is_seven_points_on_one_side_and_a_point_on_the_mean_breaks_it():
    result = after_flat([11.5] * 7)
    assert [p.rule for p in result.points[-7:]] == [4] * 7
    assert after_flat([11.5] * 6).variation is PointType.COMMON_CAUSE
    broken = after_flat([11.5, 11.5, 11.5, 11.0, 11.5, 11.5, 11.5])  # 11.0 sits on the mean
    assert broken.variation is PointType.COMMON_CAUSE and broken.points[-4].value == broken.limits.mean


def test_the_first_rule_that_applies_labels_a_point():
    result = after_flat([11.5, 11.6, 11.7, 11.8, 11.9, 12.0, 20.0])  # a trend and a shift, ending outside
    assert [p.rule for p in result.points[-7:]] == [2, 2, 2, 2, 2, 2, 1]


def test_assurance_compares_the_target_with_the_limits():
    assert spc(FLAT, Direction.INCREASE, target=20).assurance is Assurance.FAIL
    assert spc(FLAT, Direction.DECREASE, target=20).assurance is Assurance.PASS
    assert spc(FLAT, Direction.INCREASE, target=2).assurance is Assurance.PASS
    assert spc(FLAT, Direction.DECREASE, target=2).assurance is Assurance.FAIL
    assert spc(FLAT, Direction.INCREASE, target=11).assurance is Assurance.HIT_AND_MISS
    assert spc(FLAT, Direction.INCREASE).assurance is None
    assert spc(FLAT, Direction.NEUTRAL, target=20).assurance is None


def test_too_few_points_give_no_limits_and_the_reason():
    result = spc([1.0] * 9, Direction.INCREASE, target=2)
    assert result.limits is None and result.variation is None and result.assurance is None
    assert result.reason == "9 months: SPC needs 12"
    assert all(p.type is None for p in result.points)
    assert spc([1.0] * 4, unit="quarter", minimum_points=8).reason == "4 quarters: SPC needs 8"
    assert spc([]).reason == "0 months: SPC needs 12"


def test_a_constant_series_has_limits_on_the_mean_and_only_common_cause():
    result = spc([5.0] * 20, Direction.INCREASE, target=6, screen=True)
    assert (result.limits.lower, result.limits.mean, result.limits.upper) == (5.0, 5.0, 5.0)
    assert set(types(result)) == {PointType.COMMON_CAUSE}
    assert result.assurance is Assurance.FAIL  # every month 5, target 6: it will not be met as things are


def test_a_rebase_starts_a_new_group_whose_limits_ignore_the_old_one():
    before, after = [10.0, 12.0] * 7, [50.0, 52.0] * 7
    result = spc(before + after, Direction.INCREASE, rebases=[14])
    assert [g.limits.mean for g in result.groups] == [11.0, 51.0]
    assert set(types(result)) == {PointType.COMMON_CAUSE}
    assert [p.group for p in result.latest_points] == [1] * 14
    unbased = spc(before + after, Direction.INCREASE)
    assert unbased.variation is not PointType.COMMON_CAUSE  # one group: a shift upwards
    short = spc(before + after[:5], Direction.INCREASE, rebases=[14])
    assert short.limits is None and short.reason == "5 months: SPC needs 12"
    assert short.groups[0].limits is not None


numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
series = st.lists(numbers, min_size=12, max_size=40)


@given(series, st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_shifting_every_value_shifts_the_mean_and_limits_by_the_same(xs, shift):
    a = xmr_limits(xs)
    b = xmr_limits([x + shift for x in xs])
    tolerance = 1e-6 * (1 + max(abs(x) for x in xs) + abs(shift))
    for got, want in ((b.mean, a.mean), (b.lower, a.lower), (b.upper, a.upper), (b.near_upper, a.near_upper)):
        assert got == pytest.approx(want + shift, abs=tolerance)
    assert b.mr_bar == pytest.approx(a.mr_bar, abs=tolerance)


@given(series, st.lists(numbers, min_size=0, max_size=20), st.lists(numbers, min_size=0, max_size=20),
       st.booleans())
def test_limits_do_not_depend_on_the_values_after_the_baseline(base, rest_a, rest_b, screen):
    a = spc(base + rest_a, baseline=len(base), screen=screen)
    b = spc(base + rest_b, baseline=len(base), screen=screen)
    assert a.limits == b.limits


@given(st.lists(numbers, min_size=0, max_size=40), st.sampled_from(list(Direction)),
       st.none() | numbers, st.booleans())
def test_every_point_gets_a_type_or_none_and_nothing_crashes(xs, direction, target, screen):
    result = spc(xs, direction, target, screen=screen)
    assert len(result.points) == len(xs)
    if len(xs) >= 12:
        assert all(p.type is not None for p in result.points)
        assert result.variation is result.points[-1].type
    else:
        assert result.variation is None
