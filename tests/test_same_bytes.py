"""The scorecards are the same bytes, build after build and refactor after refactor.

XlsxWriter writes in memory with a fixed document date, so a build is deterministic. These
hashes were recorded before the package was reshaped into stage folders (issue 10); a change
to the code's shape must leave them alone. They depend on the XlsxWriter version (its XML
writer), so with another version the test skips; the golden JSON tests (test_golden.py)
check the same workbooks cell by cell independently of the version.

Issue 12 changed the bundled templates deliberately (judgement = "both": the variation and
assurance columns, and a sheet of SPC charts), so ``BUILDS`` and ``EXPORT`` were recorded
again. The hashes from before are kept in ``BEFORE_SPC``: the templates as they were
(tests/data/templates_before_spc, which say no judgement, so "rag") must still give those
bytes, so the SPC work changed nothing for a template that does not ask for it.
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
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "f266c8147d0dc67b3aca7b666c253b5a2cbba4db90bb42369f9aa1213453bcd7",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "ba1a600ebcf9befe4fcd2e40c2d7f14a13c8356c04949e25a4cd0ec41d7ae1fa",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "877da13708577a2bd627c645466793fa1c943cdb3c14ddd36d1cd60c0bd67ab6",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "155911760a97fbb4b220e6c0711d6c0df370f3ef7599beb925924bfaf75db65c",
}
EXPORT = "df4d403dc84eb3d71936c369acea4a15a8ec0ca529fbcfdf0a2f6b462f89cf1e"
BEFORE_SPC = {  # the bundled templates before issue 12, recorded before the package was reshaped (issue 10)
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "a85c86036f6cc3fd263357a4bb5297b2adcc518c38a343c61e8fcbe860fb7df8",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "b5dc7d687d904408ac6f016b49516ac635c4299571fa16526e6d3e054ff4136f",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "3f7e467bc002957d543645755dc94ad02988cfcd660e1d206e22738a94352486",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "1a0392ca72c4bbd72d75cb05b6ed1ea1b1aa398d326d67aa6dcf6eace6b9bd35",
}

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
@pytest.mark.parametrize("sample,template", list(BEFORE_SPC), ids=[f"{s}-{t}" for s, t in BEFORE_SPC])
def test_a_template_without_spc_is_the_bytes_recorded_before_spc(tmp_path, sample, template):
    out = tmp_path / "scorecard.xlsx"
    path = ROOT / "tests" / "data" / "templates_before_spc" / f"{template}.toml"
    assert main(["build", str(ROOT / "workbooks" / f"{sample}.xlsx"), "-o", str(out),
                 "--template", str(path), "-q"]) == 0
    assert sha256(out) == BEFORE_SPC[sample, template]


@needs_recorded_xlsxwriter
def test_export_is_the_recorded_bytes(tmp_path):
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out), "-q"]) == 0
    assert sha256(out) == EXPORT
