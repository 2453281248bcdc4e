"""A raw sheet is one reader: each module in kpi_xl/read/sheets/ is given its sheet and what
it depends on, and returns what it read and its own problems; the Reader only gathers them
in order (and counts what it does not list)."""
from __future__ import annotations

import ast
import datetime as dt
import importlib
from pathlib import Path

from kpi_xl.model import Indicator, OverviewItem, Unit
from kpi_xl.periods import Month
from kpi_xl.read.checks import MAX_PROBLEMS, Checks
from kpi_xl.read.grid import Grid
from kpi_xl.read.reader import INPUT_SHEETS, Reader
from kpi_xl.read.sheets import commentary, data, distributions, indicators, overview, report
from kpi_xl.read.sheets.data import read_data
from kpi_xl.read.sheets.overview import read_overview

SHEETS = Path(__file__).resolve().parent.parent / "kpi_xl" / "read" / "sheets"
TODAY = dt.date(2020, 2, 15)


def test_a_sheet_is_read_alone_from_its_grid():
    grid = Grid("Overview", [["List", "Text", "ID"], ["ones to watch", "Fewer missed bins", "W1"],
                             ["Headlines", "Something", None]])
    items, check = read_overview(grid)
    assert items == [OverviewItem("Ones to watch", "Fewer missed bins", "W1", "Overview!B2")]
    assert [(p.where, p.severity) for p in check.problems] == [("Overview!A3", "error")]
    assert "list 'Headlines' is not one of the overview lists" in check.problems[0].message


def test_a_missing_optional_sheet_reads_as_nothing_with_no_problems():
    for read in (overview.read_overview, distributions.read_distributions, report.read_report):
        found, check = read(None)
        assert check.problems == [] and check.found == {}
    assert commentary.read_commentary(None, [])[0] == []


def test_the_data_sheet_is_given_the_indicators_it_checks_ids_against():
    grid = Grid("Data", [["ID", "Period", "Value"], ["W1", "Jan 2020", 12], ["W2", "Jan 2020", 3],
                         ["W1", "Mar 2020", 4]])
    wanted = [Indicator("W1", "Bins", "Waste", Unit.NUMBER)]
    figures, check = read_data(grid, wanted, report.read_report(None)[0], today=TODAY)
    assert list(figures) == ["W1"] and list(figures["W1"]) == [Month(2020, 1)]
    assert [p.where for p in check.problems] == ["Data!B4", "Data!A3"]  # March is in the future; W2 unknown
    # the Indicators sheet could not be read: unknown IDs are not told again
    _, check = read_data(grid, [], report.read_report(None)[0], indicators_read=False, today=TODAY)
    assert [p.where for p in check.problems] == ["Data!B4"]


def test_the_reader_gathers_each_sheets_problems_in_order_and_counts_past_the_limit():
    rows = [["ID", "Indicator", "Unit"]] + [[f"K{i}", f"KPI {i}", "Litres"] for i in range(150)]
    grids = {"Indicators": Grid("Indicators", rows),
             "Data": Grid("Data", [["ID", "Period", "Value"]] + [[f"K{i}", "Jan 2020", "#REF!"] for i in range(150)])}
    problems = Reader(grids, "raw.xlsx", TODAY).read().problems
    listed = [p for p in problems if p.count == 1]
    assert len(listed) == MAX_PROBLEMS
    assert [p.sheet for p in listed] == ["Indicators"] * 150 + ["Data"] * 50
    assert (problems[-1].where, problems[-1].count) == ("raw.xlsx", 100)


def test_checks_extend_keeps_the_count_of_what_a_sheet_did_not_list():
    sheet = Checks()
    for i in range(MAX_PROBLEMS + 5):
        sheet.warn(f"Data!A{i + 2}", "odd.")
    book = Checks()
    book.error("raw.xlsx", "first.")
    book.extend(sheet)
    book.count_unlisted("raw.xlsx")
    assert [p.where for p in book.problems[:2]] == ["raw.xlsx", "Data!A2"]
    assert (book.problems[-1].severity, book.problems[-1].count) == ("warning", 5)


def test_no_sheet_reader_imports_another_or_the_reader():
    """Adding a raw sheet touches its own module, not the others'."""
    allowed = {"model", "periods", "errors", "checks", "grid", "table"}
    for path in sorted(SHEETS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert node.module in allowed, f"{path.name} imports {node.module}"


def test_every_sheet_reader_names_its_sheet_among_the_input_sheets():
    """Each module in read/sheets/ declares the sheet it reads, and the Reader treats every
    one as an input sheet (its formulas checked, never replaced by the ribbon)."""
    modules = [importlib.import_module(f"kpi_xl.read.sheets.{p.stem}") for p in sorted(SHEETS.glob("*.py"))
               if p.name != "__init__.py"]
    assert {report, indicators, data, commentary, overview, distributions} <= set(modules)
    assert sorted(m.SHEET for m in modules) == sorted(INPUT_SHEETS)
