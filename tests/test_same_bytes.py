"""The scorecards are the same bytes, build after build and refactor after refactor.

XlsxWriter writes in memory with a fixed document date, so a build is deterministic. These
hashes were recorded before the package was reshaped into stage folders (issue 10); a change
to the code's shape must leave them alone. Recorded again for issue 15 (accessible copies:
chart alt text, section bands unmerged, every table named, the Key's header repeated on
printed pages, the document language en-GB), a deliberate change of the output. They depend on the XlsxWriter version (its XML
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
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "974317bd1ba3125ee81fb3872fda914e2fec3c2d3f93b97bfe6583476fdf876c",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "fbd91922bef90efacd6331e195a40d85c28c4bd58c30b423fbf5d4fda8eb1881",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "ea18fcd0f7cf2853f9cfe2cadfaa883145d5f0103f5a8f75e784a398d06433b4",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "95e1a4668c5cafb7df200f330365c7c7a5f1ff6f694e422b48334e5e58cebd30",
}
EXPORT = "850087488c9857d630280c490509b559ef388550e579a748e6ae12380c7561f6"

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
