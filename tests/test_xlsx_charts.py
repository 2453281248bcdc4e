"""Charts and sparklines written through write/xlsx_charts are byte for byte what plain
XlsxWriter writes: chart caches with numbers, blanks, missing cells, text needing escapes,
control characters and text in a series of numbers; sparklines copied from the first of
their look."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from golden import as_xlsxwriter_writes_it

from kpi_xl.api import render_layout
from kpi_xl.write import xlsx_charts, xlsx_tags
from kpi_xl.write.xlsx_charts import Drawing, cache_xml
from kpi_xl.write.xlsx_package import StreamingWorkbook
from kpi_xl.write.xlsx_writer import write_xlsx

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks"

#: one column each, rows 1-8 (row 0 is a header); None: no cell at all
COLUMNS = {
    "months": ["Apr 19", "May 19", "Jun 19", "Jul 19", "Aug 19", "Sep 19", "Oct 19", "Nov 19"],
    "numbers": [1, 2.5, -3.25, 1e-7, 123456789.123, 0, 1 / 3, 7],
    "gaps": [1, None, "", 4, None, 6, "", 8],  # missing cells and blank cells
    "text in numbers": ["n/a", 2, "-", 4, "12", " 7 ", "1_5", "nan"],
    'quotes & "lines" <x>\x01': ['say "hi"', "two\nlines", "tab\there", "plain", "", "1", "2", "3"],
    "numeric text": ["1", "2.5", "1e3", "-4", "0", "3", "10", "11"],
    "dates": [dt.datetime(2019, 4 + i, 1) for i in range(8)],
    "formulas": [("=1+1", 2), ("=A1", "text"), ("=1/0", None), ("=2", 3.5), ("=3", "a & b"), ("=4", 4),
                 ("=5", True), ("=6", 6)],
    "booleans": [True, False, True, None, False, True, True, False],
}
#: text XlsxWriter escapes: each in a column of its own among plain figures and text
ESCAPED = ["A & B", "<5", "x > y", "&amp;", "bell\x07", "\x00null", "vt\x0b", "cr\r", "esc\x1b", "us\x1f",
           "_x0041_ literal", "_xabcD_", "\ufffe", "\uffff end"]
#: the value axis' number format: an attribute, escaped (quotes, <, &) where needed
NUMBER_FORMATS = ['"£"#,##0;[Red]-"£"#,##0', "0.0%", '0 "<> & x"', "General"]
#: series' markers (converted once each with the fast path)
MARKERS = [{"type": "circle", "size": 5, "fill": {"color": "#1F77B4"}, "border": {"color": "#1F77B4"}},
           {"type": "none"}, None, {"type": "dash", "size": 12, "fill": {"color": "#D62728"}},
           {"type": "square", "size": 8, "border": {"color": "#1F77B4", "width": 1.5}}]
COLUMNS.update({f"escape {n}": ["Apr 19", "1", text, 4, None, "plain", text, 8] for n, text in enumerate(ESCAPED)})


def fill(book, bind=None, add_sparkline=None) -> None:
    """Data, and charts of every column against every other, drawn by XlsxWriter alone
    (``bind`` None) or with the fast caches and sparklines."""
    book.set_properties({"created": dt.datetime(2020, 1, 1)})
    ws = book.add_worksheet("Chart data")
    date_format = book.add_format({"num_format": "mmm yy"})
    for col, (name, values) in enumerate(COLUMNS.items()):
        ws.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            if name == "formulas":
                ws.write_formula(row, col, value[0], None, value[1])
            elif name == "dates":
                ws.write_datetime(row, col, value, date_format)
            elif name == "gaps" and value == "":
                ws.write_blank(row, col, None, date_format)  # a blank cell is written only with a format
            elif value is not None:
                ws.write(row, col, value)
    # the sheets' own tags are written quickly too (xlsx_package): some with text to escape
    ws.write_url(20, 0, "https://example.org/?a=1&b=<2>", string='link & "more"', tip="a < b")
    ws.conditional_format("B2:B9", {"type": "formula", "criteria": '=B2<>"x & y"', "format": date_format})
    ws.set_header('&L"Council" & <x>&RPage &P')
    ws.set_row(21, 15.75, date_format)
    ws.merge_range(22, 0, 22, 3, "merged & <done>", date_format)
    charts = book.add_worksheet("Charts")
    names = list(COLUMNS)
    for n, categories in enumerate(names):
        chart = book.add_chart({"type": "line"})
        if bind:
            bind(chart)
        for col, name in enumerate(names):
            chart.add_series({"name": name, "categories": ["Chart data", 1, n, 8, n],
                              "values": ["Chart data", 1, col, 8, col], "marker": MARKERS[col % len(MARKERS)]})
        chart.add_series({"name": "past the data", "values": "='Chart data'!$A$20:$A$24"})
        chart.add_series({"name": "two ranges", "values": "=('Chart data'!$B$2:$B$3,'Chart data'!$B$5:$B$6)"})
        chart.set_title({"name": f"{categories} & <{n}>"})
        chart.set_y_axis({"num_format": NUMBER_FORMATS[n % len(NUMBER_FORMATS)], "min": -n, "max": 10.5})
        charts.insert_chart(n * 16, 0, chart, {"description": f"{categories} & 'others' <{n}>", "x_offset": n})
    add = add_sparkline or (lambda sheet, row, col, options: sheet.add_sparkline(row, col, options))
    for row in range(1, 9):
        for look, colour in enumerate(("#1F77B4", "#D62728")):
            add(ws, row, 20 + look, {"range": f"A{row + 1}:J{row + 1}", "series_color": colour, "markers": look == 1})
        add(ws, row, 22, {"range": f"=$B${row + 1}:$J${row + 1}", "high_point": True, "weight": 1.75})
        add(charts, row, 10, {"range": f"'Chart data'!B{row + 1}:J{row + 1}", "empty_cells": "connect"})
    add(ws, 1_048_576, 23, {"range": "A2:J2"})  # outside the sheet: refused, the first of its look
    add(ws, 1_048_576, 22, {"range": "=$B$2:$J$2", "high_point": True, "weight": 1.75})  # and a later one


def written(path: Path, fast: bool) -> bytes:
    """The workbook as XlsxWriter alone writes it (in memory), or as write_xlsx does (streamed,
    the sheets' and drawings' tags written quickly as well; without the comment kpi_xl adds)."""
    if fast:
        book = StreamingWorkbook(path)
        drawing = Drawing(book)

        def bind(chart):
            drawing.caches.bind(chart)
            drawing.markers.bind(chart)
        fill(book, bind, drawing.sparklines.add)
    else:
        book = xlsxwriter.Workbook(str(path), {"in_memory": True})
        fill(book)
    book.close()
    return as_xlsxwriter_writes_it(path) if fast else path.read_bytes()


def test_charts_and_sparklines_are_the_bytes_xlsxwriter_writes(tmp_path):
    assert written(tmp_path / "fast.xlsx", fast=True) == written(tmp_path / "plain.xlsx", fast=False)


def test_the_fast_caches_are_used_with_this_xlsxwriter():
    """(so the comparison above compares something)"""
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    chart = book.add_chart({"type": "line"})
    Drawing(book).caches.bind(chart)
    assert chart._write_num_cache.func.__self__.__class__.__name__ == "CacheWriter"
    assert chart._xml_empty_tag.func is xlsx_tags.empty_tag
    assert cache_xml("num", ["1", None, "2.5"]) == ('<c:numCache><c:formatCode>General</c:formatCode>'
                                                   '<c:ptCount val="3"/><c:pt idx="0"><c:v>1</c:v></c:pt>'
                                                   '<c:pt idx="2"><c:v>2.5</c:v></c:pt></c:numCache>')
    assert cache_xml("str", ["Apr 19", "", "n/a"]) == ('<c:strCache><c:ptCount val="3"/><c:pt idx="0"><c:v>Apr 19'
                                                      '</c:v></c:pt><c:pt idx="1"><c:v></c:v></c:pt><c:pt idx="2">'
                                                      '<c:v>n/a</c:v></c:pt></c:strCache>')


@pytest.mark.parametrize("text", ["A & B", "<5", "x>y", "bell\x07", "\x00", "_x0041_", "\ufffe", "\uffff"])
def test_a_point_needing_escapes_is_left_to_xlsxwriter(text):
    assert cache_xml("str", ["Apr 19", text]) is None


def test_a_point_of_another_type_is_left_to_xlsxwriter():
    """(a formula's value can be anything; XlsxWriter 3.1 wrote it with "%s", later ones with f"")"""
    assert cache_xml("num", ["1", Decimal("2.50")]) is None
    assert cache_xml("num", ["1", 2, 3.5, True]) is not None


def test_another_xlsxwriter_version_keeps_its_own_cache_writers(monkeypatch):
    monkeypatch.setattr(xlsxwriter, "__version__", "3.4.0")
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    chart = book.add_chart({"type": "line"})
    Drawing(book).caches.bind(chart)
    assert not {"_write_num_cache", "_write_str_cache", "_xml_empty_tag", "_escape_attributes"} & set(vars(chart))


def test_a_scorecard_is_the_bytes_xlsxwriter_alone_writes(tmp_path, monkeypatch):
    """The sample's trend and SPC charts and sparklines, through write_xlsx, with and without the fast paths."""
    _, layout, _ = render_layout(SAMPLES / "kpi_scorecard_jan2020.xlsx")
    assert any(sheet.charts for sheet in layout.sheets) and any(sheet.sparklines for sheet in layout.sheets)
    write_xlsx(layout, tmp_path / "fast.xlsx")
    monkeypatch.setattr(xlsx_tags, "checked_version", lambda: False)  # no quick tags, no quick caches
    monkeypatch.setattr(xlsx_charts._Markers, "bind", lambda self, chart: None)
    monkeypatch.setattr(xlsx_charts._Sparklines, "add",
                        lambda self, ws, row, col, options: ws.add_sparkline(row, col, options))
    write_xlsx(layout, tmp_path / "plain.xlsx")
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "plain.xlsx").read_bytes()
