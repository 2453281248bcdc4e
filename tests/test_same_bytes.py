"""The scorecards are the same bytes, build after build and refactor after refactor.

XlsxWriter writes in memory with a fixed document date, so a build is deterministic. These
hashes were recorded before the package was reshaped into stage folders (issue 10); a change
to the code's shape must leave them alone. They depend on the XlsxWriter version (its XML
writer), so with another version the test skips; the golden JSON tests (test_golden.py)
check the same workbooks cell by cell independently of the version.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import xlsxwriter

from kpi_xl.cli import main

ROOT = Path(__file__).resolve().parent.parent
RECORDED_WITH = "3.3.1"
BUILDS = {
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "c5c9ab6f7bf7adf9734b0448979334bf8b456c69bb6c333595be0cd805f2b4d5",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "0381effd05ceed07de49812eb53d39f20eb5c8e9bab12254dbd16afe857ac248",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "759a5e03cc8fab32ef1e88b9dbd3d814f0965147e7a277a641a2eb9be01e2d78",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "da69a338594ea0b8c9ffbc688e7b691a2585a49c85ce9cbbd0775e0f15421467",
}
EXPORT = "6b376ec6a88e509a7ee90415b327e56e79cf1cad98207dd946a9cc72255c30d4"

needs_recorded_xlsxwriter = pytest.mark.skipif(
    xlsxwriter.__version__ != RECORDED_WITH,
    reason=f"hashes recorded with XlsxWriter {RECORDED_WITH}, this is {xlsxwriter.__version__} "
           "(test_golden.py still checks the content)")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_recorded_xlsxwriter
@pytest.mark.parametrize("sample,template", list(BUILDS), ids=[f"{s}-{t}" for s, t in BUILDS])
def test_build_is_the_recorded_bytes(tmp_path, sample, template):
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(ROOT / "workbooks" / f"{sample}.xlsx"), "-o", str(out),
                 "--template", template, "-q"]) == 0
    assert sha256(out) == BUILDS[sample, template]


@needs_recorded_xlsxwriter
def test_export_is_the_recorded_bytes(tmp_path):
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out), "-q"]) == 0
    assert sha256(out) == EXPORT
