"""KPI.BAND(value, q1, median, q3, polarity): the quartile band as a worksheet function, the
same rule as the scorecard's Band column, directly and through xlwings Server."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_functions import srv  # noqa: E402,F401  (the running server fixture)

from kpi_xl.excel import functions as f  # noqa: E402
from kpi_xl.excel.addin import UDFS  # noqa: E402


@pytest.mark.parametrize("args,expected", [
    ((0.90, 0.78, 0.84, 0.90, "High"), "A"),   # on Quartile 3: the better band
    ((0.899, 0.78, 0.84, 0.90, "High"), "A"),  # shown as 90%
    ((0.84, 0.78, 0.84, 0.90), "B"),           # High by default
    ((0.80, 0.78, 0.84, 0.90, "High"), "C"),
    ((0.70, 0.78, 0.84, 0.90, "High"), "D"),
    ((0.78, 0.78, 0.84, 0.90, "Low"), "A"),    # lower is better: A is the bottom quarter
    ((0.84, 0.78, 0.84, 0.90, "Low"), "B"),
    ((0.88, 0.78, 0.84, 0.90, "Low"), "C"),
    ((95, 78, 84, 90, "Low"), "D"),            # whole percentages read as %
    ((14.4, 14.5, 16.5, 18.5, "Low", "number"), "A"),
    ((None, 0.78, 0.84, 0.90, "High"), ""),
    (("n/a", 0.78, 0.84, 0.90, "High"), ""),
])
def test_band(args, expected):
    assert f.kpi_band(*args) == expected


@pytest.mark.parametrize("args,message", [
    ((0.8, 0.9, 0.84, 0.78, "High"), "the quartiles must be in order"),
    ((0.8, 0.78, 0.84, 0.90, "Target"), "polarity must be High or Low"),
    ((0.8, None, 0.84, 0.90, "High"), "q1 is required"),
    ((0.8, 0.78, "middle", 0.90, "High"), "median must be a number"),
])
def test_band_bad_arguments(args, message):
    assert f.kpi_band(*args).startswith(f"{f.ERROR} {message}")


def test_band_is_registered_for_the_desktop_add_in_and_the_server():
    assert f.FUNCTIONS["BAND"] is f.kpi_band and "KPI_BAND" in UDFS
    assert f.KPI_BAND(0.84, 0.78, 0.84, 0.90) == "B"


def test_band_through_the_server(srv):  # noqa: F811
    from xlwings_body import function_call

    response = srv.post("/xlwings/custom-functions-call",
                        function_call("kpi_band", 0.77, 0.77, 0.85, 0.92, "High", None, None))
    assert response.status_code == 200, response.text
    assert response.json()["result"][0][0] == "C"
