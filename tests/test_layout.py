"""Layout rules, tested as plain values, and on a raw workbook made here: every figure under its
own period, every RAG beside the figure it rates, pages that print readably."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from kpi_xl import api
from kpi_xl.layout.cells import number_format, section_breaks, text_trend
from kpi_xl.layout.types import SheetLayout
from kpi_xl.model import Indicator, Unit
from kpi_xl.rate.rules import format_number


def test_section_breaks_keep_sections_whole():
    heights = {}  # every row 15pt
    blocks = [(0, 9), (10, 19), (20, 29), (30, 39)]  # four sections of 150pt
    # a 400pt page with a 30pt repeated header: two sections fit, the third would split
    assert section_breaks(blocks, heights, 30, page=400) == [20]
    assert section_breaks(blocks, heights, 30, page=1000) == []
    # a section taller than a page just continues: no break is forced before it
    assert section_breaks([(0, 9), (10, 60)], heights, 30, page=400) == []


def test_number_formats_follow_unit_and_decimals():
    assert number_format(Indicator("a", "a", unit=Unit.PERCENT)) == "0%"
    assert number_format(Indicator("a", "a", unit=Unit.PERCENT, decimals=1)) == "0.0%"
    assert number_format(Indicator("a", "a", unit=Unit.COUNT)) == "#,##0"
    assert number_format(Indicator("a", "a", decimals=1), prefix="Nov 19: ") == '"Nov 19: "#,##0.0'


def test_text_trend():
    assert text_trend([1, 2, 3, None, 8]) == "\u2581\u2582\u2583 \u2588"
    assert text_trend([5, 5]) == "\u2584\u2584"
    assert text_trend([None, None]) == ""


# -- every figure under its own period, every RAG beside the figure it rates ---------------------
#
# A raw workbook made here: a quarterly indicator whose latest quarters are Dec-23 (72%) and
# Mar-24 (70%), reported in May-24 (no quarter of 2024/25 has ended); an indicator rated on the
# year to date (May-24 85%, YTD 88%: Amber on the YTD, Red on the month); a monthly count.


QUARTERS_2023 = {dt.date(2023, 6, 1): 0.74, dt.date(2023, 9, 1): 0.76, dt.date(2023, 12, 1): 0.72,
                 dt.date(2024, 3, 1): 0.70}
MONTHS = [dt.date(2023 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(6, 18)]  # Jun-23 .. May-24


def write_raw(path, refresh_note=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("Indicators")
    ws.append(["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance", "Tolerance type",
               "RAG basis", "YTD", "Frequency"])
    ws.append(["Q 1", "Percentage of case audits rated good", "Quality", "%", "High", 0.75, 5, "points",
               "Month", "Mean", "Quarterly"])
    ws.append(["Y 1", "Percentage of assessments on time", "Assessment", "%", "High", 0.90, 5, "points",
               "YTD", "Ratio", "Monthly"])
    ws.append(["M 1", "Number of contacts", "Assessment", "count", "None", None, None, None,
               "Month", "Sum", "Monthly"])
    ws = wb.create_sheet("Data")
    ws.append(["ID", "Period", "Value", "Numerator", "Denominator"])
    for month, value in QUARTERS_2023.items():
        ws.append(["Q 1", month, value])
    for month in MONTHS:
        on_time = {dt.date(2024, 4, 1): 91, dt.date(2024, 5, 1): 85}.get(month, 80)
        ws.append(["Y 1", month, on_time / 100, on_time, 100])
        ws.append(["M 1", month, 400 + month.month])
    ws = wb.create_sheet("Report")
    ws.append(["Setting", "Value"])
    ws.append(["Period", dt.date(2024, 5, 1)])
    if refresh_note:
        ws.append(["Refresh note", refresh_note])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    return write_raw(tmp_path_factory.mktemp("raw") / "raw.xlsx")


def shown(cell) -> str:
    """A cell as a reader sees it: a number through its format's quoted label and digits."""
    value, fmt = cell.value, cell.style.num_format or ""
    if isinstance(value, (int, float)) and fmt:
        label = m.group(1) if (m := re.match(r'"([^"]*)"', fmt)) else ""
        body = re.sub(r'"[^"]*"', "", fmt)
        decimals = len(body.split(".")[1].rstrip("%")) if "." in body else 0
        return label + format_number(value, decimals, "%" in body)
    return "" if value is None else str(value)


TITLES = {"Percentage of case audits rated good": "Q 1", "Percentage of assessments on time": "Y 1",
          "Number of contacts": "M 1"}


def table(sheet: SheetLayout, header: str, after: int = -1) -> dict[str, dict[str, str]]:
    """{indicator ID: {column heading: shown text, "rated": heading of the column its RAG
    formula rates}} for the first table below row ``after`` whose heading row holds ``header``."""
    cells = {(c.row, c.col): c for c in sheet.cells}
    head_row = min(c.row for c in sheet.cells if c.value == header and c.row > after)
    heads = {c.col: str(c.value) for c in sheet.cells if c.row == head_row}
    rows: dict[str, dict[str, str]] = {}
    for r in range(head_row + 1, sheet.last_row + 1):
        row = {heads[c]: shown(cells[(r, c)]) for c in heads if (r, c) in cells}
        key = row.get("ID") or TITLES.get(row.get("Indicator"))
        if key in TITLES.values():
            rag = next((cells[(r, c)] for c in heads if heads[c] in ("RAG", "Traffic light")), None)
            if rag is not None and rag.formula:
                letters = set(re.findall(r"\b([A-Z]{1,2})" + str(r + 1) + r"\b", rag.formula)) - {"ROUND"}
                row["rated"] = [heads[column_index_from_string(x) - 1] for x in sorted(letters)]
            rows[key] = row
        elif rows and not any(row.values()):
            break
    return rows


def layout_of(raw, template, **kw):
    return api.render_layout(raw, template=template, today=dt.date(2026, 1, 1), **kw)[1]


def test_quarterly_figures_in_the_kpi_table_carry_their_quarter(raw):
    rows = table(layout_of(raw, "kpi-scorecard").sheet("KPI table"), "ID")
    # the columns are Apr-24 and May-24: a quarter's figure under them says which quarter it is
    assert rows["Q 1"]["Apr-24"] == "Q3 23/24: 72%" and rows["Q 1"]["May-24"] == "Q4 23/24: 70%"
    assert rows["Q 1"]["rated"] == ["May-24", "Target"]  # the RAG rates the figure labelled Q4
    assert (rows["M 1"]["Apr-24"], rows["M 1"]["May-24"]) == ("404", "405")


def test_quarterly_figures_in_month_columns_sit_under_the_quarters_last_month(raw, tmp_path):
    text = (Path(__file__).parent.parent / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    text = text.replace('"previous", "this_month", "target"', '"months", "ytd", "prior_year", "target"')
    custom = tmp_path / "months.toml"
    custom.write_text(text, encoding="utf-8")
    rows = table(layout_of(raw, str(custom)).sheet("KPI table"), "ID")
    q = rows["Q 1"]
    assert (q["Dec-23"], q["Mar-24"]) == ("72%", "70%")
    assert q["Jan-24"] == q["Feb-24"] == q["Apr-24"] == q["May-24"] == ""
    assert q["2024/25 YTD"] == "-" and q["2023/24 outturn"] == "73%"  # the mean of its four quarters
    assert q["rated"] == ["Mar-24", "Target"]


def test_quarterly_ytd_and_outturn_follow_the_financial_year(raw):
    layout = layout_of(raw, "monthly-monitoring")
    front = layout.sheet("Front page")
    rows = table(front, "Indicator")
    assert rows["Q 1"]["This month"] == "Q4 23/24: 70%"
    assert rows["Q 1"]["2024/25 YTD"] == "-"
    notes = [c.value for c in front.cells if isinstance(c.value, str) and c.value.startswith("2024/25 YTD for Q 1")]
    assert notes and "first quarter ends in June 2024" in notes[0]
    quality = table(layout.sheet("Quality"), "Indicator")["Q 1"]
    assert [quality[q] for q in ("Q1 2023/24", "Q2 2023/24", "Q3 2023/24", "Q4 2023/24")] == [
        "74%", "76%", "72%", "70%"]
    assert quality["2023/24 outturn"] == "73%" and quality["2024/25 YTD"] == "-"
    assert quality["rated"] == ["Q4 2023/24", "Target"]


def test_quarterly_trends_chart_data_and_sparklines(raw):
    layout = layout_of(raw, "kpi-scorecard")
    data = table(layout.sheet("Chart data"), "ID")["Q 1"]
    assert [data[m] for m in ("Jun-23", "Sep-23", "Dec-23", "Mar-24")] == ["74%", "76%", "72%", "70%"]
    assert all(data[m] == "" for m in ("Jul-23", "Aug-23", "Oct-23", "Jan-24", "Apr-24", "May-24"))
    chart = next(c for c in layout.sheet("Trends").charts if c.title.startswith("Q 1"))
    assert chart.blanks == "span"  # its points, one a quarter, are joined
    assert [s.blanks for s in layout.sheet("KPI table").sparklines] == ["span", "gap", "gap"]
    assert next(c for c in layout.sheet("Trends").charts if c.title.startswith("M 1")).blanks == "gap"
    printable = layout_of(raw, "kpi-scorecard", trend_text=True)
    bars = table(printable.sheet("KPI table"), "ID")["Q 1"]["Last 12 months"]
    assert len(bars) == 12 and [i for i, ch in enumerate(bars) if ch != " "] == [0, 3, 6, 9]


def test_overview_lines_name_the_figure_rated(raw):
    sheet = layout_of(raw, "kpi-scorecard").sheet("Overview of performance")
    lines = [c.value for c in sheet.cells if isinstance(c.value, str) and c.value.startswith("\u2022 ")]
    q1 = next(t for t in lines if t.startswith("\u2022 Q 1"))
    assert q1.endswith(": Q4 23/24: 70% against a target of 75% (down 2pp on Q3 23/24)")
    y1 = next(t for t in lines if t.startswith("\u2022 Y 1"))
    assert y1.endswith(": 2024/25 YTD 88% against a target of 90%; this month 85% (down 6pp on Apr 24)")


@pytest.mark.parametrize("template,sheet,header", [("kpi-scorecard", "KPI table", "ID"),
                                                    ("monthly-monitoring", "Front page", "Indicator"),
                                                    ("monthly-monitoring", "Assessment", "Indicator")])
def test_a_ytd_rating_sits_beside_the_ytd_it_rates(raw, template, sheet, header):
    layout = layout_of(raw, template)
    row = table(layout.sheet(sheet), header)["Y 1"]
    assert row["2024/25 YTD"] == "88%" and row["rated"] == ["2024/25 YTD", "Target"]
    assert (row.get("RAG") or row.get("Traffic light")) == "Amber"  # 88% is 2pp short; the month's 85% would be Red
    assert "85%" in row.values()  # the month's figure is still shown, under its month


def notes_on(layout) -> dict[str, list[str]]:
    return {s.name: [c.value for c in s.cells if isinstance(c.value, str) and "records are updated" in c.value]
            for s in layout.sheets}


def test_the_refresh_note_is_the_report_sheets_not_the_templates(raw, tmp_path):
    for template in ("kpi-scorecard", "monthly-monitoring"):
        assert not any(notes_on(layout_of(raw, template)).values())  # about no service unless it says so
    said = "Figures for earlier months may differ from previous reports as records are updated."
    with_note = write_raw(tmp_path / "noted.xlsx", refresh_note=said)
    for template, sheets in (("kpi-scorecard", {"Overview of performance", "KPI table"}),
                             ("monthly-monitoring", {"Front page"})):
        found = notes_on(layout_of(with_note, template))
        assert {name for name, texts in found.items() if texts} == sheets
        assert all(texts == [f"Note: {said}"] for texts in found.values() if texts)


def test_a_labelled_figure_gets_the_width_it_needs(raw):
    sheet = layout_of(raw, "monthly-monitoring").sheet("Front page")
    cell = next(c for c in sheet.cells if c.style.num_format and c.style.num_format.startswith('"Q4 23/24: "'))
    assert sheet.widths[cell.col] >= len("Q4 23/24: 70%") + 2  # a number cannot wrap: too narrow shows ###


def test_print_pages_readable(raw, tmp_path):
    said = "Figures for earlier months may differ from previous reports as records are updated, " * 2
    layout = layout_of(write_raw(tmp_path / "noted.xlsx", refresh_note=said.strip()), "kpi-scorecard")
    overview = layout.sheet("Overview of performance")
    assert overview.print_setup.fit_height == 0  # never shrunk to one page: as many pages as the lists need
    assert overview.last_col == 4  # nothing (such as "proposed from the ratings") beyond the printed width
    assert any("(proposed from the ratings)" in str(c.value) for c in overview.cells)
    chart_data = layout.sheet("Chart data")
    assert chart_data.print_setup.print_area == (0, 0, 1, 3)  # its title and note; the table is not printed
    assert "not printed" in next(c.value for c in chart_data.cells if (c.row, c.col) == (1, 0))
    for name in ("KPI table", "Overview of performance"):
        sheet = layout.sheet(name)
        last = max(c.merge_to[1] if c.merge_to else c.col for c in sheet.cells if c.style.border)
        notes = [c for c in sheet.cells if c.style.italic and isinstance(c.value, str) and len(c.value) > 150]
        assert notes and all(c.style.wrap and c.merge_to and c.merge_to[1] <= last for c in notes), name


def test_the_excel_add_in_draws_the_same_print_area(raw):
    """The open-workbook writer (xlwings, here its remote engine) sets the layout's print areas too."""
    import os
    import sys
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    sys.path.insert(0, str(Path(__file__).parent))
    from xlwings_body import book_body
    from kpi_xl.write.xlwings_writer import write_book

    layout = layout_of(raw, "kpi-scorecard")
    book = xw.Book(json=book_body(raw))
    report = write_book(layout, book)
    areas = [a["args"][0] for a in book.json()["actions"] if a["func"] == "setPrintArea"]
    assert "A1:D2" in areas and report.by_kind["print area"] == len(areas)
    assert any("set only in the scorecard file" in n for n in report.notes)


@pytest.mark.parametrize("fy_start,says", [(4, "Financial years run April to March."),
                                            (1, "Financial years run January to December."),
                                            (7, "Financial years run July to June.")])
def test_the_key_says_when_the_financial_year_runs_from_the_report_settings(fy_start, says):
    """The key's line about financial years follows the Report sheet's Financial year start."""
    from dataclasses import replace

    from kpi_xl.layout.builder import build_layout
    from kpi_xl.layout.templates import load_template
    from kpi_xl.rate.evaluate import evaluate
    from kpi_xl.read.reader import read_workbook

    raw = read_workbook(Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx")
    raw = replace(raw, settings=replace(raw.settings, fy_start=fy_start))
    layout = build_layout(evaluate(raw), load_template("kpi-scorecard"))
    texts = [c.value for c in layout.sheet("Key").cells if isinstance(c.value, str)]
    assert any(text.endswith(says) for text in texts), [t for t in texts if "Financial" in t]
