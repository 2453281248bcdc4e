"""The directors' copy and the scheduled job."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.run.export import check_directors_copy
from kpi_xl.layout.cells import note_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
HAVE_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))


@pytest.fixture(autouse=True)
def restore_logging():
    """The scheduled job sets up the kpi_xl logger; put it back for the other tests."""
    logger = logging.getLogger("kpi_xl")
    handlers, propagate, level = list(logger.handlers), logger.propagate, logger.level
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.propagate, logger.level = propagate, level


def cells(path, sheet):
    return [c for row in openpyxl.load_workbook(path)[sheet].iter_rows() for c in row]


def test_directors_copy_is_clean_and_protected(tmp_path):
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(SAMPLE), "-o", str(out), "--protect", "-q"]) == 0
    assert check_directors_copy(out) == []
    book = openpyxl.load_workbook(out)
    assert not {"Indicators", "Data", "Report"} & set(book.sheetnames)
    assert all(ws.sheet_state == "visible" for ws in book.worksheets)
    assert all(ws.protection.sheet for ws in book.worksheets)
    assert book.properties.creator in (None, "")
    rules = [r for rng, rs in book["KPI table"].conditional_formatting._cf_rules.items() for r in rs]
    assert len(rules) == 5


def test_check_directors_copy_finds_problems(tmp_path):
    import xlsxwriter
    path = tmp_path / "bad.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"author": "Jane Smith"})
    ws = wb.add_worksheet("Data")
    wb.add_worksheet("Secret").hide()
    ws.write_formula("A1", "=[budget.xlsx]Sheet1!A1")
    wb.close()
    found = check_directors_copy(path)
    assert any("Jane Smith" in f for f in found)
    assert any("hidden sheet" in f for f in found)
    assert any("raw-data sheet 'Data'" in f for f in found)
    assert any("reaches outside" in f for f in found)


def test_small_counts_are_suppressed(tmp_path):
    out = tmp_path / "outside.xlsx"
    assert main(["export", str(SAMPLE), "-o", str(out), "--suppress-below", "40", "-q"]) == 0
    ws = openpyxl.load_workbook(out)["KPI table"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    # MC 12 (count of CLA with 3+ missing episodes) was 32 then 36: both below 40
    assert ws.cell(rows["MC 12"], 3).value == "<40" and ws.cell(rows["MC 12"], 4).value == "<40"
    assert ws.cell(rows["MC 12"], 6).value in (None, "")  # no change text that would reveal them
    assert ws.cell(rows["MC 1c"], 4).value == 41  # 41 is not below the threshold
    assert isinstance(ws.cell(rows["FD 7"], 4).value, float)  # percentages are never suppressed
    chart = openpyxl.load_workbook(out)["Chart data"]
    mc12 = next(r for r in chart.iter_rows(values_only=True) if r[0] == "MC 12")
    assert all(v is None or v >= 40 for v in mc12[4:16])


@pytest.mark.skipif(not HAVE_SOFFICE and not os.environ.get("CI"), reason="LibreOffice not installed")
def test_directors_copy_pdf(tmp_path):
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(SAMPLE), "-o", str(out), "--pdf", "-q"]) == 0
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_without_libreoffice_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("kpi_xl.write.render.find_soffice", lambda: None)
    assert main(["export", str(SAMPLE), "-o", str(tmp_path / "d.xlsx"), "--pdf"]) == 2
    assert "apt-get install libreoffice-calc-nogui" in capsys.readouterr().err
    assert not (tmp_path / "d.xlsx").exists()


def write_config(tmp_path, extra=""):
    """A copy of the sample, a share folder and a config for one job; returns (raw, config)."""
    raw = tmp_path / SAMPLE.name
    shutil.copyfile(SAMPLE, raw)
    (tmp_path / "share").mkdir()
    config = tmp_path / "kpi-xl.toml"
    config.write_text(f'log = "logs/kpi-xl.log"\n\n[[job]]\nraw = "{raw.name}"\noutput = "share/Scorecard.xlsx"\n'
                      f'template = "monthly-monitoring"\nkeep = 2\n{extra}', encoding="utf-8")
    return raw, config


def test_schedule_regenerates_keeps_versions_and_commentary(tmp_path):
    raw, config = write_config(tmp_path, '\n[job.directors_copy]\noutput = "share/Directors.xlsx"\nprotect = true\n')
    out = tmp_path / "share" / "Scorecard.xlsx"
    assert main(["schedule", str(config)]) == 0
    first = out.read_bytes()
    assert main(["schedule", str(config)]) == 0
    assert out.read_bytes() == first  # same inputs, same bytes
    # someone types into the shared scorecard; the next night's run keeps it
    book = openpyxl.load_workbook(out)
    sheet, ref = next(iter(book.defined_names[note_name(("section", "front door"), "when")].destinations))
    book[sheet][ref.replace("$", "")] = "Review at March DMT"
    book.save(out)
    assert main(["schedule", str(config)]) == 0
    assert "Review at March DMT" in [c.value for c in cells(out, sheet)]
    assert "Review at March DMT" in [c.value for c in cells(tmp_path / "share" / "Directors.xlsx", sheet)]
    # the unchanged second run kept no copy (issue 9); the third kept the file as the person left it
    kept = list((tmp_path / "share" / "versions").glob("Scorecard.*.xlsx"))
    assert len(kept) == 1 and "Review at March DMT" in [c.value for c in cells(kept[0], sheet)]
    log = (tmp_path / "logs" / "kpi-xl.log").read_text(encoding="utf-8")
    assert "built: period January 2020, 46 indicators (11 Green, 18 Amber, 12 Red, 5 Grey)" in log
    assert "directors' copy" in log


def test_schedule_failure_keeps_previous_output_and_exit_code(tmp_path):
    raw, config = write_config(tmp_path)
    assert main(["schedule", str(config)]) == 0
    out = tmp_path / "share" / "Scorecard.xlsx"
    before = out.read_bytes()
    book = openpyxl.load_workbook(raw)
    book["Indicators"]["E2"] = "Upwards"
    book.save(raw)
    assert main(["schedule", str(config)]) == 1
    assert out.read_bytes() == before
    log = (tmp_path / "logs" / "kpi-xl.log").read_text(encoding="utf-8")
    assert "failed (exit 1), previous output left as it was" in log and "Indicators!E2" in log


def test_schedule_writes_beside_a_scorecard_open_in_excel(tmp_path):
    raw, config = write_config(tmp_path)
    assert main(["schedule", str(config)]) == 0
    out = tmp_path / "share" / "Scorecard.xlsx"
    before = out.read_bytes()
    (tmp_path / "share" / "~$Scorecard.xlsx").write_bytes(b"\x08jsmith" + b" " * 50)
    assert main(["schedule", str(config)]) == 3
    assert out.read_bytes() == before
    beside = [p for p in (tmp_path / "share").glob("Scorecard (regenerated *).xlsx")]
    assert len(beside) == 1


def test_schedule_config_errors_name_the_key(tmp_path, capsys):
    config = tmp_path / "kpi-xl.toml"
    config.write_text('[[job]]\nraw = "a.xlsx"\noutptu = "b.xlsx"\n', encoding="utf-8")
    assert main(["schedule", str(config)]) == 1
    err = capsys.readouterr().err
    assert "job[1].outptu: is not a setting" in err and "job[1].output: is missing" in err
    assert main(["schedule", "--example"]) == 0


def test_schedule_missing_directors_folder_is_named_without_a_traceback(tmp_path, capsys):
    raw, config = write_config(tmp_path, '\n[job.directors_copy]\noutput = "share/Directors/Copy.xlsx"\n')
    assert main(["schedule", str(config)]) == 2
    assert (tmp_path / "share" / "Scorecard.xlsx").exists()  # the shared scorecard was still regenerated
    log = (tmp_path / "logs" / "kpi-xl.log").read_text(encoding="utf-8")
    assert f"{tmp_path / 'share' / 'Directors'}: no such folder" in log and "Create the folder" in log
    assert "Traceback" not in log and "Traceback" not in capsys.readouterr().err
