"""The accessibility checker (kpi_xl.run.accessibility, ``kpi-xl check-accessibility``):
a deliberately inaccessible workbook is reported with every problem, each naming its sheet
and cell; the scorecards kpi_xl writes (both templates, both samples) are reported clean."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from kpi_xl.cli import main
from kpi_xl.run.accessibility import check_accessibility

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("kpi_scorecard_jan2020", "monthly_monitoring_feb2014")
TEMPLATES = ("kpi-scorecard", "monthly-monitoring")


def inaccessible_workbook(path: Path) -> Path:
    """Everything the checker is for, wrong once: a merged header, a chart without alt text,
    red text on amber, a blank spacing row, a default sheet name, no title in A1, a hidden
    sheet, a colour-only conditional format, an arrow with no word, a coloured empty cell,
    an unnamed table, and no document title, subject, language or organisation."""
    wb = openpyxl.Workbook()
    ws = wb.active  # "Sheet": says nothing about what it holds
    ws["A2"] = "Performance"  # A1 left empty
    ws.append([])
    ws["A3"], ws["B3"] = "Indicator", "Figures"
    ws.merge_cells("B3:C3")  # a merged header over two columns
    ws["D3"] = "RAG"
    rows = [("Visits on time", 0.81, 0.9, "Amber"), ("Re-referrals", 0.22, 0.2, "Red"), None,
            ("Assessments", 0.95, 0.9, "")]
    for i, values in enumerate(rows, start=4):
        if values:
            for col, value in enumerate(values, start=1):
                ws.cell(i, col, value if value != "" else None)
    ws["D4"].font = Font(color="FFFF0000")  # red text on amber
    ws["D4"].fill = PatternFill("solid", fgColor="FFFFC000")
    ws["D7"].fill = PatternFill("solid", fgColor="FF00B050")  # a green cell with no word
    ws["E4"] = "\u25B2"
    ws["E4"].font = Font(color="FF00853E")  # an arrow that says "better" by colour only
    ws.conditional_formatting.add("B4:B7", CellIsRule(operator="lessThan", formula=["0.9"],
                                                      fill=PatternFill("solid", bgColor="FFC00000")))
    wb.defined_names["Indicators_table"] = DefinedName("Indicators_table", attr_text="Sheet!$A$3:$D$7")
    chart = LineChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=7), titles_from_data=True)
    ws.add_chart(chart, "G3")
    for r, values in enumerate([("Month", "Visits", "Target"), ("Jan", 1, 2), ("Feb", 3, 4)], start=10):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)  # a grid of figures no table name covers
    hidden = wb.create_sheet("Workings")
    hidden["A1"] = "Workings"
    hidden.sheet_state = "hidden"
    wb.properties.title = None
    wb.properties.subject = None
    wb.properties.creator = None
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    return inaccessible_workbook(tmp_path_factory.mktemp("bad") / "inaccessible.xlsx")


@pytest.fixture(scope="module")
def bad_problems(bad) -> list[str]:
    return [str(p) for p in check_accessibility(bad)]


def found(problems: list[str], where: str, *words: str) -> bool:
    return any(p.startswith(where + ":") and all(w in p for w in words) for p in problems)


@pytest.mark.parametrize("where,words", [
    ("Document properties", ("no title",)),
    ("Document properties", ("no subject",)),
    ("Document properties", ("language", "en-GB")),
    ("Document properties", ("author organisation",)),
    ("Sheet", ("does not say what the sheet holds", "name it")),
    ("Sheet!A1", ("title",)),
    ("Workings", ("hidden", "Delete it")),
    ("Sheet!G3", ("chart", "no alternative text", "Edit Alt Text")),
    ("Sheet!B3:C3", ("merged", "inside the table 'Indicators_table'", "Center Across Selection")),
    ("Sheet!A6", ("row 6", "blank", "Delete the row")),
    ("Sheet!D4", ("#FF0000 on fill #FFC000", "4.5:1")),
    ("Sheet!D7", ("coloured #00B050 with no words",)),
    ("Sheet!E4", ("arrow", "colour alone", "better")),
    ("Sheet!B4:B7", ("conditional format", "only sign")),
    ("Sheet!A10", ("no name", "Insert > Table")),
])
def test_the_inaccessible_workbook_is_reported_with_every_problem(bad_problems, where, words):
    assert found(bad_problems, where, *words), "\n".join(bad_problems)


def test_a_merged_header_outside_any_named_table_is_still_reported(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KPI table"
    ws.append(["KPI table"])
    ws.append(["Indicator", "Figures", None, "RAG"])
    ws.merge_cells("B2:C2")
    ws.append(["Visits", 1, 2, "Green"])
    wb.save(tmp_path / "t.xlsx")
    problems = [str(p) for p in check_accessibility(tmp_path / "t.xlsx")]
    assert found(problems, "'KPI table'!B2:C2", "shares its row with other cells"), problems


def test_generic_alt_text_is_reported(tmp_path):
    import xlsxwriter

    path = tmp_path / "chart.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Trends")
    ws.write_column("A1", ["Trends", 1, 2, 3])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "=Trends!$A$2:$A$4"})
    ws.insert_chart("C2", chart, {"description": "Chart 1"})
    book.close()
    problems = [str(p) for p in check_accessibility(path)]
    assert found(problems, "Trends!C2", "'Chart 1', which does not say what it shows"), problems


def test_the_command_lists_every_problem_and_exits_1(bad, capsys):
    assert main(["check-accessibility", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(check_accessibility(bad)) >= 15
    assert all(line.startswith("error: ") for line in out.splitlines())
    assert "accessibility problem(s)" in err


def test_the_command_names_a_missing_file_and_exits_2(tmp_path, capsys):
    assert main(["check-accessibility", str(tmp_path / "none.xlsx")]) == 2
    assert "none.xlsx: no such file" in capsys.readouterr().err


def test_the_command_refuses_a_file_that_is_not_a_workbook(tmp_path, capsys):
    (tmp_path / "notes.xlsx").write_text("Indicator,Value\n", encoding="utf-8")
    assert main(["check-accessibility", str(tmp_path / "notes.xlsx")]) == 1
    assert "notes.xlsx" in capsys.readouterr().err
