"""KPI.SPC: the SPC rules on any range, as words (desktop KPI_SPC and server KPI.SPC)."""
from __future__ import annotations

import pytest

from kpi_xl.excel import functions as f
from kpi_xl.excel.addin import RANGE_ARGS, UDFS, udf_wrappers

REREFERRALS = [[0.25, 0.23] * 12]  # a row of 24 months around 24%: limits 18.7% .. 29.3%


@pytest.mark.parametrize("args, words", [
    ((REREFERRALS, "Low", 0.2), "Common cause; Hit and miss"),
    ((REREFERRALS, "Low", 0.15), "Common cause; Will fail"),
    ((REREFERRALS, "High", 0.15), "Common cause; Will pass"),
    ((REREFERRALS, "None", 0.15), "Common cause"),
    (([[0.25, 0.23] * 9 + [0.40]],), "Improving (high)"),
    (([[0.25, 0.23] * 9 + [0.40]], "Low"), "Concern (high)"),
    (([[0.25, 0.23] * 9 + [0.05]], "Target"), "Unusual (low)"),
    (([[v] for v in [0.25, None, "n/a", 0.23] * 6], "Low"), "Common cause"),  # a column; blanks and text left out
    (([[0.25, 0.23, 0.24]],), "3 months: SPC needs 12"),
    (([[5] * 20], "High", 6), "Common cause; Will fail"),  # constant: limits on the mean, no division by zero
])
def test_kpi_spc_words(args, words):
    assert f.kpi_spc(*args) == words
    assert f.KPI_SPC(*args) == words
    assert f.FUNCTIONS["SPC"](*args) == words


def test_kpi_spc_says_what_to_type():
    assert f.kpi_spc(REREFERRALS, "Sideways") == "#KPI! polarity must be High, Low, Target or None"
    assert f.kpi_spc(REREFERRALS, "Low", "lots") == "#KPI! target must be a number, not 'lots'"
    assert f.kpi_spc([[1.0] * 20] * 2).startswith("#KPI! values must be one row or one column")
    assert f.kpi_spc([[1.0] * (f.MAX_CELLS + 1)]).startswith("#KPI! values is too large a range")


def test_kpi_spc_is_registered_for_the_desktop_add_in():
    """The server's KPI.SPC is tested through its endpoint in tests/test_server.py."""
    assert "KPI_SPC" in UDFS and RANGE_ARGS["KPI_SPC"] == ("values",)
    assert "Function KPI_SPC(values, Optional polarity, Optional target)" in udf_wrappers()
