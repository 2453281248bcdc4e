"""Which writers can draw each column is declared in the column registry (layout/columns.py),
checked against what the writers really do, and said by the ribbon when a template names a
column the open workbook cannot show."""
from __future__ import annotations

import copy
import dataclasses
import os
import sys
import zipfile
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from xlwings_body import book_body  # noqa: E402

from kpi_xl import api  # noqa: E402
from kpi_xl.excel import scripts  # noqa: E402
from kpi_xl.layout import columns, templates  # noqa: E402
from kpi_xl.layout.builder import build_layout  # noqa: E402
from kpi_xl.layout.columns import BOOK, FILE, not_drawn  # noqa: E402
from kpi_xl.layout.templates import parse_template  # noqa: E402
from kpi_xl.write.xlsx_writer import write_xlsx  # noqa: E402
from kpi_xl.write.xlwings_writer import write_book  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"


@pytest.fixture(scope="module")
def evaluation():
    return api.evaluate_file(SAMPLE)


def one_column(kind: str, key: str):
    """A template whose one indicator table (of ``kind``) shows the indicator and ``key``."""
    keys = [key] if key == "indicator" else ["indicator", key]
    return parse_template({"name": "one", "sheets": [{"kind": kind, "name": "Table", "columns": keys},
                                                     {"kind": "chart_data", "name": "Chart data"}]}, "one.toml")


def needs_more_than_cells(evaluation, kind: str, key: str) -> bool:
    """Whether the column draws anything but cells (a sparkline, a chart) on its sheet."""
    layout = build_layout(evaluation, one_column(kind, key))
    return any(sheet.sparklines or sheet.charts for sheet in layout.sheets if sheet.name != "Chart data")


def test_every_column_the_book_cannot_draw_is_declared_so(evaluation):
    """The open-workbook writer draws cells (values, formulas, formats), and charts with
    their figures; it cannot create sparklines. A column whose cells need more than that is
    declared as not drawn by the book, with what is shown instead; the others are drawn by both."""
    needs_more = {key for kind, keys in columns.SHEET_COLUMNS.items() for key in keys
                  if needs_more_than_cells(evaluation, kind, key)}
    assert needs_more == {"trend"}
    assert {c.name for c in columns.COLUMNS.values() if BOOK not in c.drawn_by} == needs_more
    assert all(FILE in c.drawn_by for c in columns.COLUMNS.values())  # the scorecard file draws every column
    assert all(c.instead for c in columns.COLUMNS.values() if set(c.drawn_by) != set(columns.WRITERS))


def test_the_writers_do_what_the_trend_column_declares(evaluation, tmp_path):
    """The scorecard file has the trend column's sparklines; the open workbook leaves the
    cells empty and its writer says it could not draw them."""
    layout = build_layout(evaluation, one_column("kpi_table", "trend"))
    table = layout.sheet("Table")
    assert table.sparklines
    path = tmp_path / "one.xlsx"
    write_xlsx(layout, path)
    with zipfile.ZipFile(path) as z:
        sheet_xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet1"))
    assert sheet_xml.count("<x14:sparkline>") == len(table.sparklines)
    book = xw.Book(json=book_body(SAMPLE))
    report = write_book(layout, book)
    assert any("Sparklines are drawn only in the scorecard file" in n for n in report.notes)
    assert not any("sparkline" in a["func"].lower() for a in book.json()["actions"])
    spots = {(s.row, s.col) for s in table.sparklines}
    assert all(c.value in (None, "") for c in table.cells if (c.row, c.col) in spots)


def test_not_drawn_names_the_sheets_and_says_what_is_shown_instead():
    tpl = templates.load_template("monthly-monitoring")
    assert not_drawn(tpl.sheets, FILE) == []
    [sentence] = not_drawn(tpl.sheets, BOOK)
    assert sentence.startswith("On the 'Front page' sheet, the Last 12 months column is left empty")
    assert "sparklines" in sentence and sentence.endswith(".")


def run(script, body: dict) -> str:
    book = xw.Book(json=copy.deepcopy(body))
    script(book)
    return next(a["args"][0] for a in book.json()["actions"] if a["func"] == "alert")


@pytest.mark.parametrize("script", [scripts.build_scorecard, scripts.refresh_ratings])
def test_the_ribbon_says_which_columns_it_cannot_draw(script):
    text = run(script, book_body(SAMPLE))
    assert "On the 'KPI table' sheet, the Last 12 months column is left empty: Excel's add-in interfaces " \
           "cannot create sparklines, so only the scorecard file has them." in text


def test_the_ribbon_says_nothing_of_columns_a_template_does_not_name(monkeypatch):
    real = templates.load_template

    def without_trend(name=None):
        tpl = real(name)
        return dataclasses.replace(tpl, sheets=tuple(dataclasses.replace(s, columns=tuple(
            c for c in s.columns if c != "trend")) for s in tpl.sheets))
    monkeypatch.setattr(templates, "load_template", without_trend)
    text = run(scripts.build_scorecard, book_body(SAMPLE))
    assert text.startswith("Scorecard for January 2020") and "sparklines" not in text
