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
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "a85c86036f6cc3fd263357a4bb5297b2adcc518c38a343c61e8fcbe860fb7df8",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "b5dc7d687d904408ac6f016b49516ac635c4299571fa16526e6d3e054ff4136f",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "8c9fb656298d78d7e995947c209740d4c77d77f8c68be96adc34f6b652d4e5d7",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "8e4dba641633539c0134f9b1f07de3ba980cab28dbce0ac523484a941a4ee1fb",
}
EXPORT = "6bbcb11f2ddb8684e598eafcb4d490f53862ed6e40c9715f235d5240c553f2e9"

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
