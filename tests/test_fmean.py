"""``rules.fmean`` (used so a run need not import statistics) gives exactly the float
``statistics.fmean`` gives, on any values: the ratings and SPC limits are unchanged."""
from __future__ import annotations

import math
import random
import re
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_xl.rate.rules import fmean

EDGES = [[0.0], [-0.0], [-0.0, -0.0], [1e308, 1e308, -1e308], [1e-320, 5e-324], [0.1] * 10, [1, 2], [True, 2.5],
         [math.inf], [math.inf, -math.inf], [math.nan, 1.0], [2**60, 1.0, -(2**60)], [1e16, 1.0, -1e16],
         [0.1, 0.2, 0.3], [3], [-7.25, 7.25], [float(i) for i in range(1000)]]


def same(values):
    try:
        expected = statistics.fmean(values)
    except (OverflowError, ValueError) as exc:  # fsum's: too large, or inf - inf
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            fmean(values)
        return
    got = fmean(values)
    assert type(got) is type(expected) and (got == expected or (math.isnan(got) and math.isnan(expected)))
    assert math.copysign(1, got) == math.copysign(1, expected), values


@pytest.mark.parametrize("values", EDGES)
def test_the_edges_give_the_same_float(values):
    same(values)


def test_many_random_lists_give_the_same_float():
    rng = random.Random(11)
    for _ in range(20_000):
        n = rng.randint(1, 40)
        scale = 10 ** rng.randint(-12, 12)
        same([rng.uniform(-scale, scale) if rng.random() < 0.8 else rng.randint(-10**6, 10**6) for _ in range(n)])


@settings(max_examples=500)
@given(st.lists(st.one_of(st.floats(), st.integers(-(2**70), 2**70)), min_size=1, max_size=50))
def test_any_values_give_the_same_float(values):
    same(values)


def test_no_values_is_an_error_as_before():
    with pytest.raises(ValueError):
        statistics.fmean([])
    with pytest.raises(ValueError):
        fmean([])
