"""Golden scorecards: each template on each sample, compared cell by cell, rule by rule.

The expected descriptions live in tests/golden/*.json (values, number formats, fonts,
fills, conditional-format rules and ranges, charts and their series, sparklines, print
setup, defined names, document properties). On a difference the actual workbook is kept
in tests/output/ to open. After a deliberate layout change, regenerate with
KPI_XL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py and review the diff.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from golden import check_golden, describe_xlsx
from kpi_xl.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = [("kpi_scorecard_jan2020", "kpi-scorecard"), ("kpi_scorecard_jan2020", "monthly-monitoring"),
         ("monthly_monitoring_feb2014", "monthly-monitoring"), ("monthly_monitoring_feb2014", "kpi-scorecard")]


@pytest.mark.parametrize("sample,template", CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_golden_scorecard(tmp_path, sample, template):
    out = tmp_path / f"{sample}-{template}.xlsx"
    assert main(["build", str(ROOT / "workbooks" / f"{sample}.xlsx"), "-o", str(out),
                 "--template", template, "-q"]) == 0
    check_golden(out, f"{sample}-{template}")


def test_golden_description_sees_what_matters(tmp_path):
    """The description itself: conditional formats, charts, sparklines and print setup are in it."""
    out = tmp_path / "s.xlsx"
    assert main(["build", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out), "-q"]) == 0
    d = describe_xlsx(out)
    table = d["sheets"]["KPI table"]
    assert {cf["formula"][0] for cf in table["conditional_formats"]} >= {'$H5="Green"', '$H5="Red"'}
    assert table["print"]["orientation"] == "landscape" and table["print"]["paper"] == 9
    assert table["print"]["fit_to_page"] and table["print"]["fit_width"] in (None, 1)  # 1 is the default
    assert table["print"]["fit_height"] == 0 and table["print"]["title_rows"] == "$4:$4"
    # 46 trend charts and, since issue 12, 46 SPC charts (every indicator has 22 months: enough for limits)
    assert len(d["charts"]) == 92 and any(s["dash"] == "dash" for c in d["charts"] for s in c["series"])
    assert len(d["sparklines"]["KPI table"]) == 46
    assert d["properties"]["created"].startswith("2020-02-01")
