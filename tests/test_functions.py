"""The worksheet functions KPI.RAG, KPI.CHANGE, KPI.DOT, KPI.YTD: as functions, against the
scorecard's own ratings, and through xlwings Server's custom-function endpoint."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from kpi_xl.excel import functions as f  # noqa: E402
from kpi_xl.rate.evaluate import evaluate  # noqa: E402
from kpi_xl.model import Polarity, RagBasis  # noqa: E402
from kpi_xl.read.reader import read_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args,expected", [
    ((0.83, 0.85, "High", 5, "points"), "Amber"),          # 2pp short, band 5pp
    ((0.79, 0.85, "High", 5, "points"), "Red"),            # 6pp short
    ((0.85, 0.85, "High", 5, "points"), "Green"),
    ((0.845, 0.85, "High", 1, "points"), "Green"),         # shown as 85%: rated as shown
    ((83, 85, "High", 1, "points"), "Red"),                # whole percentages read as %
    ((0.83, 0.85), "Amber"),                               # defaults: High, 5% of target (4.25pp)
    ((0.70, 0.85), "Red"),
    ((14.4, 17, "Low", 10, "points", None, "number"), "Green"),
    ((18.0, 17, "Low", 10, "percent", None, "number"), "Amber"),  # 1 over, band 1.7
    ((19.0, 17, "Low", 10, "percent", None, "number"), "Red"),
    ((0.12, 0.10, "Target", 3, "points", 0.11), "Amber"),  # 1pp above the 10-11% band
    ((0.105, 0.10, "Target", 3, "points", 0.11), "Green"),
    ((352, None, "None", None, None, None, "count"), "Grey"),
    ((352, 300, "None", None, None, None, "count"), "Grey"),
    ((None, 0.85, "High"), "No data"),
    (("n/a", 0.85, "High"), "No data"),
    (("-", 0.85, "High"), "No data"),
    ((0.9, None, "High"), "Grey"),
    ((0.9, "", "High"), "Grey"),
    (([[0.9]], [[0.85]], [["high"]]), "Green"),            # one-cell ranges, any case
    ((0.9, "85%", "higher is better"), "Green"),           # aliases as on the Indicators sheet
])
def test_rag(args, expected):
    assert f.kpi_rag(*args) == expected


@pytest.mark.parametrize("args,message", [
    ((0.9, 0.85, "Sideways"), "#KPI! polarity must be High, Low, Target or None"),
    ((0.9, 0.85, "High", 5, "pp-ish"), "#KPI! tolerance_type must be points or percent"),
    ((0.9, 0.85, "High", -1), "#KPI! tolerance must be 0 or more"),
    ((0.9, "ninety", "High"), "#KPI! target must be a number, not 'ninety'"),
    ((0.9, 0.85, "High", 5, "points", 0.95), "#KPI! target_upper is only for polarity Target"),
    ((0.9, 0.85, "High", 5, "points", None, "furlongs"), "#KPI! unit must be %, count, rate, days or number"),
    ((0.9, 0.85, "High", 5, "points", None, "%", 1.5), "#KPI! decimals must be a whole number from 0 to 4"),
    (([[0.9, 0.8]], 0.85), "#KPI! expects one cell, not a range"),
])
def test_rag_bad_arguments(args, message):
    assert f.kpi_rag(*args).startswith(message)


@pytest.mark.parametrize("args,expected", [
    ((0.85, 0.78), "Up 7pp"),
    ((0.78, 0.85), "Down 7pp"),
    ((0.851, 0.849), "No change"),                         # both shown as 85%
    ((14.4, 16.6, "number"), "Down 2.2"),
    ((352, 340, "count"), "Up 12"),
    ((None, 0.8), ""),
    (("n/a", 0.8), ""),
])
def test_change(args, expected):
    assert f.kpi_change(*args) == expected


@pytest.mark.parametrize("args,expected", [
    ((0.85, 0.78, "High"), "\u2191 better"),
    ((0.78, 0.85, "High"), "\u2193 worse"),
    ((20, 18, "Low", None, None, "count"), "\u2191 worse"),
    ((16, 18, "Low", None, None, "count"), "\u2193 better"),
    ((5, 4, "None", None, None, "count"), "\u2191"),
    ((0.80, 0.80, "High"), "\u2192 same"),
    ((0.12, 0.14, "Target", 0.10), "\u2193 better"),       # closer to the 10% target
    ((None, 0.8, "High"), ""),
    ((0.12, 0.14, "Target"), "#KPI! polarity Target needs the target (4th argument)"),
])
def test_dot(args, expected):
    assert f.kpi_dot(*args) == expected


@pytest.mark.parametrize("args,expected", [
    (([[1], [2], [None], ["n/a"], [4]], "Mean"), 7 / 3),   # blanks and text left out, never zero
    (([[1, 2, 3, 4]],), 10.0),
    (([1, 2, 3], "Sum"), 6.0),
    (([1, None, 3, None], "Latest"), 3),
    (([0.9, 0.8], "Ratio", [[9, 16]], [[10, 20]]), 25 / 30),
    (([None, None], "Sum"), ""),
    (([1, 2], "total"), 3.0),                              # alias
])
def test_ytd(args, expected):
    result = f.kpi_ytd(*args)
    assert result == pytest.approx(expected) if isinstance(expected, float) else result == expected


@pytest.mark.parametrize("args,message", [
    (([1], "Ratio"), "#KPI! method Ratio needs the numerators and denominators ranges"),
    (([1, 2], "Ratio", [1, 2], [3]), "#KPI! numerators (2 cells) and denominators (1 cells) must be the same size"),
    (([1], "Median"), "#KPI! method must be Sum, Ratio, Latest, Mean or None"),
])
def test_ytd_bad_arguments(args, message):
    assert f.kpi_ytd(*args) == message


def test_ytd_refuses_a_range_too_large():
    whole_block = [[1.0] * 1000 for _ in range(1000)]
    assert f.kpi_ytd(whole_block) == (f"#KPI! values is too large a range (1,000,000 cells): at most "
                                      f"{f.MAX_CELLS:,} cells. Give just the months of the year so far")
    assert f.kpi_ytd([[1.0] * f.MAX_CELLS]) == f.MAX_CELLS  # the most it takes
    assert f.kpi_ytd([[1.0] * (f.MAX_CELLS + 1)]).startswith("#KPI! values is too large a range (10,001 cells)")
    too_many = [[1.0]] * (f.MAX_CELLS + 1)
    assert f.kpi_ytd([[0.9]], "Ratio", too_many, too_many).startswith("#KPI! numerators is too large a range")


def test_ytd_takes_one_row_or_one_column():
    assert f.kpi_ytd([[1], [2], [3]]) == 6 and f.kpi_ytd([[1, 2, 3]]) == 6
    assert f.kpi_ytd([[1, 2], [3, 4]]) == ("#KPI! values must be one row or one column (the months, oldest "
                                           "first), not 2 rows by 2 columns")


def test_functions_agree_with_the_scorecard():
    """KPI.RAG and KPI.DOT give what the scorecard printed, indicator by indicator."""
    sample = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    if not sample.exists():
        pytest.skip("workbooks/make_samples.py has not written the sample yet")
    evaluation = evaluate(read_workbook(sample))
    checked = 0
    for res in evaluation.results:
        ind = res.indicator
        if ind.rag_basis is not RagBasis.MONTH:
            continue
        unit = ind.unit.value
        assert f.kpi_rag(res.value, ind.target, ind.polarity.value, ind.tolerance, ind.tolerance_type.value,
                         ind.target_upper, unit, ind.decimals) == res.rag.rating.value, ind.id
        dot = f.kpi_dot(res.value, res.previous_value, ind.polarity.value, ind.target, ind.target_upper,
                        unit, ind.decimals)
        if res.travel.direction is not None:
            assert dot.startswith(res.travel.arrow), ind.id
            assert f.kpi_change(res.value, res.previous_value, unit, ind.decimals) == res.travel.text, ind.id
        checked += 1
    assert checked >= 10
    assert any(r.indicator.polarity is Polarity.LOW for r in evaluation.results)


# -- through xlwings Server's custom-function endpoint ------------------------------------------


@pytest.fixture(scope="module")
def srv():
    from kpi_xl.excel import server

    if not server.server_installed():
        if os.environ.get("CI"):
            pytest.fail("xlwings-server is not installed on CI: pip install -e '.[test,server]'")
        pytest.skip("xlwings-server is not installed (pip install 'kpi_xl[server]')")
    from xlwings_body import RunningServer

    running = RunningServer()
    yield running
    running.stop()


@pytest.mark.parametrize("func,args,expected", [
    ("kpi_rag", (0.83, 0.85, "High", 5, "points", None, None, None), "Amber"),
    ("kpi_rag", (0.9, 0.85, "Sideways", None, None, None, None, None),
     "#KPI! polarity must be High, Low, Target or None"),
    ("kpi_change", (0.85, 0.78, None, None), "Up 7pp"),
    ("kpi_dot", (20, 18, "Low", None, None, "count", None), "\u2191 worse"),
    ("kpi_ytd", ([[1], [2], [None], ["n/a"], [4]], "Mean", None, None), 7 / 3),
    ("kpi_ytd", ([[0.9, 0.8]], "Ratio", [[9, 16]], [[10, 20]]), 25 / 30),
])
def test_through_the_server(srv, func, args, expected):
    from xlwings_body import function_call

    response = srv.post("/xlwings/custom-functions-call", function_call(func, *args))
    assert response.status_code == 200, response.text
    result = response.json()["result"][0][0]
    assert result == pytest.approx(expected) if isinstance(expected, float) else result == expected


@pytest.mark.parametrize("func,args,expected", [
    ("kpi_ytd", ([[1.0] * 1000] * 1000, "Sum", None, None), "#KPI! values is too large a range (1,000,000 cells)"),
    ("kpi_rag", ([[0.9] * 1000] * 1000, 0.85, None, None, None, None, None, None), "#KPI! expects one cell"),
])
def test_a_huge_range_is_refused_before_the_server_converts_it(srv, func, args, expected):
    """xlwings' own conversion of a 1000 x 1000 range takes minutes on the event loop;
    the arguments reach kpi_xl unconverted and the size is checked first."""
    from xlwings_body import function_call

    response = srv.post("/xlwings/custom-functions-call", function_call(func, *args))
    assert response.status_code == 200, response.text
    assert response.json()["result"][0][0].startswith(expected)
