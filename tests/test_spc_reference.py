"""Every number the published SPC worked examples assert, reproduced by ``kpi_xl.rate.spc``.

The CSVs in tests/data/spc_reference are copied from ../shared/reference/spc (its README
names each source): NHSRplotthedots (R) and its Python port nhspy-plotthedots. A blank
expected cell means the source asserts nothing about it. The sources' dates do not matter;
each row is one point, in order.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kpi_xl.rate.spc import Direction, PointType, signals, spc, xmr_limits

DATA = Path(__file__).parent / "data" / "spc_reference"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def values(table) -> list[float]:
    return [float(r["y"]) for r in table]


@pytest.mark.parametrize("name, screen", [("v1_r_deviations_vignette_screen_false.csv", False),
                                          ("v1_r_deviations_vignette_screen_true.csv", True)])
def test_r_vignette_limits_and_point_types(name, screen):
    """Rounded to 2 dp by the source: compared to +/-0.005. Point 5 is an improvement (the
    vignette's improvement direction is 'increase', kpi_xl's polarity High)."""
    table = rows(name)
    result = spc(values(table), Direction.INCREASE, screen=screen, minimum_points=12)
    lim = result.limits
    for r in table:
        assert lim.mean == pytest.approx(float(r["expected_mean"]), abs=0.005)
        assert lim.lower == pytest.approx(float(r["expected_lpl"]), abs=0.005)
        assert lim.upper == pytest.approx(float(r["expected_upl"]), abs=0.005)
    assert [p.type.value for p in result.points] == [r["expected_point_type"] for r in table]


def test_r_two_points_near_opposite_limits_are_not_two_in_three():
    table = rows("v3_r_test_two_in_three_opposite_sides.csv")
    result = spc(values(table), Direction.INCREASE, minimum_points=12)
    for point, r in zip(result.points, table):
        if r["expected_point_type"]:
            assert point.type.value == r["expected_point_type"]
    # the two last points are beyond opposite near limits (so the test tests what it says)
    lim = result.limits
    assert result.points[-2].value > lim.near_upper and result.points[-1].value < lim.near_lower


@pytest.mark.parametrize("name, fix_after", [("v4a_py_sample1_fix_after_3.csv", 3),
                                             ("v4b_py_sample2_fix_after_11.csv", 11),
                                             ("v4c_py_sample3.csv", None),
                                             ("v4d_py_special_cause_zero_amr.csv", None)])
def test_python_port_limits_and_flags(name, fix_after):
    """The port always screens moving ranges and sets no minimum; its flags are: outside the
    process limits, side of the mean (0 on it), beyond a near limit but inside the process
    limit, and any special cause."""
    table = rows(name)
    xs = values(table)
    result = spc(xs, Direction.INCREASE, baseline=fix_after, screen=True, minimum_points=1)
    lim = result.limits
    found = signals(xs, lim)
    for i, (point, r) in enumerate(zip(result.points, table)):
        assert lim.mean == pytest.approx(float(r["expected_mean"]), rel=1e-12)
        assert lim.lower == pytest.approx(float(r["expected_lpl"]), rel=1e-12)
        assert lim.upper == pytest.approx(float(r["expected_upl"]), rel=1e-12)
        outside = point.value > lim.upper or point.value < lim.lower
        assert outside == (r["expected_outside_limits"] == "True"), f"point {i + 1}"
        side = (point.value > lim.mean) - (point.value < lim.mean)
        assert side == float(r["expected_relative_to_mean"]), f"point {i + 1}"
        close = not outside and (point.value > lim.near_upper or point.value < lim.near_lower)
        assert close == (r["expected_close_to_limits"] == "True"), f"point {i + 1}"
        assert (found[i] is not None) == (r["expected_special_cause_flag"] == "True"), f"point {i + 1}"
        assert (point.type is not PointType.COMMON_CAUSE) == (r["expected_special_cause_flag"] == "True")


def _case_values(text: str) -> list[float]:
    if text.startswith("0 1 2 ... 19"):
        return [float(v) for v in range(20)]
    return [float(v) for v in text.split()]


@pytest.mark.parametrize("case", rows("v4e_py_limits_calculations.csv"), ids=lambda r: r["case"])
def test_python_port_limit_calculations(case):
    lim = xmr_limits(_case_values(case["values_space_separated"]), screen=True)
    for got, key in ((lim.mean, "expected_mean"), (lim.lower, "expected_lpl"), (lim.upper, "expected_upl"),
                     (lim.near_lower, "expected_nlpl"), (lim.near_upper, "expected_nupl")):
        assert got == pytest.approx(float(case[key]), rel=1e-12, abs=1e-12), key


def test_every_reference_file_is_checked():
    """A file added to the reference folder must gain a test here."""
    checked = {"v1_r_deviations_vignette_screen_false.csv", "v1_r_deviations_vignette_screen_true.csv",
               "v3_r_test_two_in_three_opposite_sides.csv", "v4a_py_sample1_fix_after_3.csv",
               "v4b_py_sample2_fix_after_11.csv", "v4c_py_sample3.csv", "v4d_py_special_cause_zero_amr.csv",
               "v4e_py_limits_calculations.csv"}
    assert {p.name for p in DATA.glob("*.csv")} == checked
