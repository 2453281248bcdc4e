"""Which month is reported, through every route (kpi-xl build / evaluate / export / validate and
the ribbon), and periods as the Excel add-in sends them (date cells formatted General: numbers).

A month with no figures for any indicator is refused (exit 1) naming the month, where it came
from and the latest month with figures, never written as a scorecard of "No data" only.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import openpyxl  # noqa: E402
import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from xlwings_body import book_body, book_json  # noqa: E402

from kpi_xl.excel import scripts  # noqa: E402
from kpi_xl.cli import main  # noqa: E402
from kpi_xl.periods import Month  # noqa: E402
from kpi_xl.read.reader import read_grids  # noqa: E402
from kpi_xl.run.starter import SHEETS, write_starter_workbook  # noqa: E402


@pytest.fixture
def starter(tmp_path) -> Path:
    return write_starter_workbook(tmp_path / "raw.xlsx")


def set_report_period(path: Path, value) -> None:
    book = openpyxl.load_workbook(path)
    report = book["Report"]
    row = next(r for r in range(1, report.max_row + 1) if report.cell(r, 1).value == "Period")
    report.cell(row, 2).value = value
    book.save(path)


def ribbon_alert(path: Path) -> str:
    book = xw.Book(json=book_body(path))
    scripts.build_scorecard(book)
    (alert,) = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    return alert


def test_init_leaves_the_period_blank_and_builds_the_latest_month(starter, tmp_path, capsys):
    report = openpyxl.load_workbook(starter)["Report"]
    settings = {report.cell(r, 1).value: report.cell(r, 2).value for r in range(2, report.max_row + 1)}
    assert "Period" in settings and settings["Period"] is None
    assert "blank = the latest month with figures" in report["A1"].comment.text
    assert "blank = the latest month" in SHEETS["Report"]["columns"][0][1]
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(starter), "-o", str(out)]) == 0
    assert "Rated 3 indicators for January 2020" in capsys.readouterr().err


def test_stale_report_period_is_refused_naming_its_cell_and_the_latest_month(starter, tmp_path, capsys):
    set_report_period(starter, dt.date(2019, 1, 1))  # the example's month long gone: nothing typed for it
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(starter), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert ("Report!B4: Period January 2019 has no figures for any indicator; the latest month with figures is "
            "January 2020.") in err
    assert "Clear the Period" in err and "Traceback" not in err
    assert not out.exists()
    alert = ribbon_alert(starter)  # the ribbon's buttons rate through the same evaluate
    assert "Report!B4: Period January 2019 has no figures" in alert and "January 2020" in alert


@pytest.mark.parametrize("command", ["build", "evaluate", "export"])
def test_period_in_the_future_is_refused_naming_the_latest_month(starter, tmp_path, capsys, command):
    out = tmp_path / "scorecard.xlsx"
    args = [command, str(starter), "--period", "2030-01"] + (["-o", str(out)] if command != "evaluate" else [])
    assert main(args) == 1
    captured = capsys.readouterr()
    assert ("--period: January 2030 has no figures for any indicator; the latest month with figures is "
            "January 2020.") in captured.err
    assert "--period 2020-01" in captured.err
    assert captured.out == "" and not out.exists()


def test_header_only_data_sheet_is_an_error_at_data(starter, tmp_path, capsys):
    book = openpyxl.load_workbook(starter)
    book["Data"].delete_rows(2, book["Data"].max_row)
    book.save(starter)
    set_report_period(starter, dt.date(2020, 1, 1))  # a Period set does not hide it
    assert main(["validate", str(starter)]) == 1
    assert "Data!A2: Data has no figures" in capsys.readouterr().out
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(starter), "-o", str(out)]) == 1
    assert "Data!A2: Data has no figures" in capsys.readouterr().err
    assert not out.exists()
    assert "Data!A2: Data has no figures" in ribbon_alert(starter)


def test_date_numbers_from_the_excel_add_in_are_read_as_dates():
    # Office.js sends a date cell formatted General as its number, which Python receives as a float
    body = book_json("raw.xlsx", {
        "Indicators": [["ID", "Indicator"], ["A", "a"]],
        "Data": [["ID", "Period", "Value"], ["A", 43831.0, 1], ["A", 43862.0, 2]],
        "Report": [["Setting", "Value"], ["Period", 43862.0]]})
    raw = read_grids(scripts.grids_from_book(xw.Book(json=body)), "raw.xlsx", today=dt.date(2026, 11, 22))
    assert {m: f.value for m, f in raw.figures["A"].items()} == {Month(2020, 1): 1, Month(2020, 2): 2}
    assert raw.settings.period == Month(2020, 2)
    assert {p.where for p in raw.warnings} == {"Data!B2", "Report!B2"}


def test_validate_and_check_data_report_a_stale_period_too(starter, capsys):
    set_report_period(starter, dt.date(2019, 1, 1))
    assert main(["validate", str(starter)]) == 1
    assert "error: Report!B4: Period January 2019 has no figures for any indicator" in capsys.readouterr().out
    book = xw.Book(json=book_body(starter))
    scripts.check_data(book)
    (alert,) = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert alert.startswith("1 error and")
