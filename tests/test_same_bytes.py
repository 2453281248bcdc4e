"""The scorecards are the same bytes, build after build and refactor after refactor.

XlsxWriter writes with a fixed document date, and every zip entry is dated 1 January 1980
(write/xlsx_package), so a build is deterministic; a change to the code's shape must leave
these hashes alone. They were recorded again, each
time for a deliberate change of the output: issue 15 (accessible copies: chart alt text,
section bands unmerged, every table named, the Key's header repeated on printed pages, the
document language en-GB), issue 13 (the samples' Targets and Benchmarks sheets: the
trajectory row, the comparator columns and lines), issue 12 (the bundled templates say
judgement = "both": the variation and assurance columns and a sheet of SPC charts) and
issue 12 again (the 2020 sample's Rebase sheet: QA 1's figures step up at the supervision
policy of December 2018, and its SPC limits start again there; the 2014 sample is unchanged).
``python tests/test_same_bytes.py`` prints the hashes the current code gives, to record.
The hashes are of the bytes XlsxWriter writes: the zip's comment kpi_xl adds, its listing of
the parts as written (``as_written.written_mark``), is checked and taken off first, so
adding it changed none of them.

``WITHOUT_SPC`` builds the templates as they were before issue 12
(tests/data/templates_before_spc, which say no judgement, so "rag"): recorded when the SPC
work was merged, they show it changes nothing for a template that does not ask for it
(recorded again with the Rebase sample: QA 1's figures changed, not the code's output).
The hashes depend on the XlsxWriter version (its XML writer), so with another version the
test skips; the golden JSON tests (test_golden.py) check the same workbooks cell by cell
independently of the version.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import xlsxwriter
from golden import as_xlsxwriter_writes_it

from kpi_xl.cli import main

ROOT = Path(__file__).resolve().parent.parent
RECORDED_WITH = "3.3.1"
BUILDS = {
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "0d11cf034257287f52f39d89430963aef13f9ad79f65125a9ce64800febc7253",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "f6523182ba97c79ad5391bfa27a28a0be64ad3d6dd6196a32403f9e1b4775816",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "d4488533efdbdbbcdc6ced5ea9facd7bb14a8afcbec645d911e9e8af084da2dd",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "2db4aebfb5e0ec9b337b4bb5bf18b27d245f546b4d6e3a6116039732ab900bfd",
}
EXPORT = "40d72fcb805ff3521625b3fd5891ed026d2813dad550649e5ab1d7853b60e9fa"
WITHOUT_SPC = {  # the bundled templates as they were before issue 12
    ("kpi_scorecard_jan2020", "kpi-scorecard"): "a66d6f13f75ba8aa0b3f33c30742fd8e5a76e214e7ed15ae9f955dc9992d5383",
    ("kpi_scorecard_jan2020", "monthly-monitoring"): "22ca45292fe0b68f4f0ca77696b0d13919ee42f526542d166df09e418ba3e69d",
    ("monthly_monitoring_feb2014", "kpi-scorecard"): "76baa3528de07ff39eb4dec5a0e5463f0a26b899f91093bc129df4c3815e8b2a",
    ("monthly_monitoring_feb2014", "monthly-monitoring"): "ce2ee26e4d66f567c1b0ce8486045ef5d225514336b180787db148bc95a7611a",
}

needs_recorded_xlsxwriter = pytest.mark.skipif(
    xlsxwriter.__version__ != RECORDED_WITH,
    reason=f"hashes recorded with XlsxWriter {RECORDED_WITH}, this is {xlsxwriter.__version__} "
           "(test_golden.py still checks the content)")


def sha256(path: Path) -> str:
    return hashlib.sha256(as_xlsxwriter_writes_it(path)).hexdigest()


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


if __name__ == "__main__":  # python tests/test_same_bytes.py: the hashes of the current code, to record
    import contextlib
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        def built(*args: str) -> str:
            out = Path(tmp) / "out.xlsx"
            with contextlib.redirect_stdout(io.StringIO()):  # the path written
                assert main([*args, "-o", str(out), "-q"]) == 0, args
            return sha256(out)

        before_spc = ROOT / "tests" / "data" / "templates_before_spc"
        for name, folder in (("BUILDS", None), ("WITHOUT_SPC", before_spc)):
            print(f"{name} = {{")
            for sample, template in BUILDS:
                path = str(folder / f"{template}.toml") if folder else template
                digest = built("build", str(ROOT / "workbooks" / f"{sample}.xlsx"), "--template", path)
                print(f'    ("{sample}", "{template}"): "{digest}",')
            print("}")
        print(f'EXPORT = "{built("export", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"))}"')
