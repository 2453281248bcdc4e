"""The scorecards are the same bytes, build after build and refactor after refactor.

XlsxWriter writes with a fixed document date, and every zip entry is dated 1 January 1980
(write/xlsx_package), so a build is deterministic; a change to the code's shape must leave
these hashes alone. They were recorded again, each
time for a deliberate change of the output: issue 15 (accessible copies: chart alt text,
section bands unmerged, every table named, the Key's header repeated on printed pages, the
document language en-GB), issue 13 (the samples' Targets and Benchmarks sheets: the
trajectory row, the comparator columns and lines) and issue 12 (the bundled templates say
judgement = "both": the variation and assurance columns and a sheet of SPC charts).

``WITHOUT_SPC`` builds the templates as they were before issue 12
(tests/data/templates_before_spc, which say no judgement, so "rag"): recorded when the SPC
work was merged, they show it changes nothing for a template that does not ask for it.
The hashes depend on the XlsxWriter version (its XML writer), so with another version the
test skips; the golden JSON tests (test_golden.py) check the same workbooks cell by cell
independently of the version.
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
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "6a16e27d5e2d1e408aa2efad0e238b5345df127ab5c8d0e6547ef842021e9d9a",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "05549130bc0feaf7c6d89d3b8865f4a22314f233dc59b2bae164ba5213c6dbb8",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "d4488533efdbdbbcdc6ced5ea9facd7bb14a8afcbec645d911e9e8af084da2dd",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "2db4aebfb5e0ec9b337b4bb5bf18b27d245f546b4d6e3a6116039732ab900bfd",
}
EXPORT = "c9286051212ba037365ee037f7accc38366fb586c75b6d9140d43c76d2abd046"
WITHOUT_SPC = {  # the bundled templates as they were before issue 12
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "25f7c995f5d5a0bb02537a111d74ef1c6e9315a4f17bbc17e091e645c20cac9b",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "c8d7470a236a6c4b365795758e521a4dbd50f372bb5f9187b4c66f9a63cfe6a3",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "76baa3528de07ff39eb4dec5a0e5463f0a26b899f91093bc129df4c3815e8b2a",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "ce2ee26e4d66f567c1b0ce8486045ef5d225514336b180787db148bc95a7611a",
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
@pytest.mark.parametrize("sample,template", list(WITHOUT_SPC), ids=[f"{s}-{t}" for s, t in WITHOUT_SPC])
def test_a_template_without_spc_is_the_recorded_bytes(tmp_path, sample, template):
    out = tmp_path / "scorecard.xlsx"
    path = ROOT / "tests" / "data" / "templates_before_spc" / f"{template}.toml"
    assert main(["build", str(ROOT / "workbooks" / f"{sample}.xlsx"), "-o", str(out),
                 "--template", str(path), "-q"]) == 0
    assert sha256(out) == WITHOUT_SPC[sample, template]


@needs_recorded_xlsxwriter
def test_export_is_the_recorded_bytes(tmp_path):
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out), "-q"]) == 0
    assert sha256(out) == EXPORT
