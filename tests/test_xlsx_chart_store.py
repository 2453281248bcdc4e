"""Charts are kept packed until their part is written, and their cached figures are looked up
only then (write/xlsx_chart_store, write/xlsx_package): the same bytes as XlsxWriter's
in-memory mode, without every chart's settings and figures alive at once."""
from __future__ import annotations

import datetime as dt
import inspect

import pytest
import xlsxwriter
from golden import as_xlsxwriter_writes_it
from xlsxwriter.chart import Chart

from kpi_xl.write.xlsx_chart_store import PackedChart
from kpi_xl.write.xlsx_package import StreamingWorkbook

CHARTS = 12


def fill(book, seen: list | None = None) -> None:
    """Two sheets of figures and a trend chart per row, the way the scorecard draws them;
    ``seen`` collects, as each chart is added, how many charts added before it are unpacked."""
    book.set_properties({"title": "Trends", "created": dt.datetime(2020, 2, 1)})
    data = book.add_worksheet("Chart data")
    data.write_row(0, 1, ["Apr", "May", "Jun", "Jul"])
    for row in range(1, CHARTS + 1):
        data.write_string(row, 0, f"PI {row}")
        data.write_row(row, 1, [row, row * 2, None, row / 3])
    sheet = book.add_worksheet("Trends")
    first = None
    for i in range(CHARTS):
        chart = book.add_chart({"type": "line"})
        if seen is not None:
            seen.append(sum(1 for c in book.charts[:-1] if "series" in vars(c)))
        chart.add_series({"name": f"PI {i + 1}", "categories": "='Chart data'!$B$1:$E$1",
                          "values": f"='Chart data'!$B${i + 2}:$E${i + 2}",
                          "line": {"color": "#1F4E79", "width": 2.25}, "marker": {"type": "circle", "size": 5}})
        chart.add_series({"name": "Target", "categories": "='Chart data'!$B$1:$E$1",
                          "values": f"='Chart data'!$B${i + 2}:$E${i + 2}", "line": {"dash_type": "dash"}})
        chart.set_title({"name": f"PI {i + 1}", "name_font": {"size": 10, "bold": True}})
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 400, "height": 220})
        chart.show_blanks_as("span")
        sheet.insert_chart(i * 12, 0, chart, {"x_offset": 5, "y_offset": 5, "description": f"PI {i + 1} by month"})
        first = first or chart
    first.set_title({"name": "Changed after the next chart was added"})  # a packed chart is still a whole chart


def test_the_file_is_byte_for_byte_what_xlsxwriter_writes(tmp_path):
    plain = xlsxwriter.Workbook(str(tmp_path / "plain.xlsx"), {"in_memory": True})
    fill(plain)
    plain.close()
    streamed = StreamingWorkbook(tmp_path / "streamed.xlsx")
    fill(streamed)
    streamed.close()
    assert as_xlsxwriter_writes_it(tmp_path / "streamed.xlsx") == (tmp_path / "plain.xlsx").read_bytes()


def test_only_the_chart_being_drawn_is_unpacked(tmp_path):
    seen: list[int] = []
    book = StreamingWorkbook(tmp_path / "streamed.xlsx")
    fill(book, seen)
    assert seen == [0] * CHARTS  # each chart packed when the next was added
    # (the first was changed after it was packed, so unpacked again; the last is packed on closing)
    assert all(isinstance(c, PackedChart) for c in book.charts[1:-1])
    book.close()


def test_each_charts_figures_are_looked_up_as_its_part_is_written(tmp_path, monkeypatch):
    """Not every chart's cached figures held at once: when a chart's part is written it has its
    figures, the charts written before it have let theirs (and their settings) go, and those
    after it have none yet."""
    book = StreamingWorkbook(tmp_path / "streamed.xlsx")
    fill(book)
    written = []
    real = Chart._assemble_xml_file

    def assemble(chart):
        holding = [c for c in book.charts if any(vars(c).get("formula_data") or ())]  # (None: not looked up)
        # (the first chart was changed after it was packed, so it stays unpacked until written)
        unpacked = [c for c in book.charts if "series" in vars(c) and c not in (chart, book.charts[0])]
        written.append((holding == [chart], unpacked))
        real(chart)

    monkeypatch.setattr(Chart, "_assemble_xml_file", assemble)
    book.close()
    assert written == [(True, [])] * CHARTS
    with pytest.raises(AttributeError, match="let go"):
        book.charts[0].series


def test_a_build_lets_the_layouts_cells_go_as_each_sheet_is_written(tmp_path, monkeypatch):
    """XlsxWriter keeps its own copy of every cell and chart until the file is closed: a build
    takes each sheet's cells out of the layout as it writes the sheet, letting each cell go as
    XlsxWriter takes it, and writes the same bytes as a write that keeps them."""
    from dataclasses import replace
    from pathlib import Path

    from kpi_xl import api
    from kpi_xl.write import xlsx_writer

    raw = Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    layouts, lists, held, left = [], [], [], []
    real_layout, real_write_sheet = api.Prepared.layout, xlsx_writer._write_sheet

    def layout(self, *args):
        layouts.append(real_layout(self, *args))
        lists[:] = [sheet.cells for sheet in layouts[-1].sheets]
        return layouts[-1]

    def write_sheet(workbook, ws, sheet, formats, *drawing):
        i = [s.name for s in layouts[-1].sheets].index(sheet.name)
        held.append([bool(s.cells or s.charts) for s in layouts[-1].sheets[:i + 1]])
        total = len(lists[i])

        def watched(cells):
            for n, cell in enumerate(cells, 1):
                left.append(len(lists[i]) == total - n)  # the layout's list no longer holds it
                yield cell
        real_write_sheet(workbook, ws, replace(sheet, cells=watched(sheet.cells)), formats, *drawing)

    monkeypatch.setattr(api.Prepared, "layout", layout)
    monkeypatch.setattr(xlsx_writer, "_write_sheet", write_sheet)
    result = api.build(raw, tmp_path / "built.xlsx")
    assert len(held) == len(result.layout.sheets) and not any(any(h) for h in held)
    assert len(left) > 1000 and all(left)
    assert all(sheet.cells == [] and sheet.charts == [] for sheet in result.layout.sheets)
    monkeypatch.undo()
    kept = api.prepare(raw).layout()
    xlsx_writer.write_xlsx(kept, tmp_path / "kept.xlsx", api.document_date(result.evaluation))
    assert all(sheet.cells for sheet in kept.sheets)
    assert (tmp_path / "built.xlsx").read_bytes() == (tmp_path / "kept.xlsx").read_bytes()


def test_a_packed_chart_keeps_its_quick_writers_bound_to_itself(tmp_path):
    """xlsx_charts binds quicker writers to each chart (partials holding the chart): packing
    must leave them as they are, not pickle them with a copy of the chart to write into."""
    from kpi_xl.layout.types import Chart as LayoutChart, Series
    from kpi_xl.write.xlsx_charts import Drawing

    book = StreamingWorkbook(tmp_path / "streamed.xlsx")
    data = book.add_worksheet("Chart data")
    data.write_row(0, 0, [1, 2, 3])
    drawing = Drawing(book)
    line = LayoutChart("PI 1", 2, 0, 400, 220, (Series("PI 1", "='Chart data'!$A$1:$C$1",
                                                       "='Chart data'!$A$1:$C$1", "#1F4E79"),), "0", "gap")
    for _ in range(2):
        drawing.add_chart(data, line)
    packed = book.charts[0]
    assert isinstance(packed, PackedChart)
    held = [arg.__self__ if inspect.ismethod(arg) else arg
            for value in list(vars(packed).values()) if callable(value) for arg in value.args]
    charts = [arg for arg in held if isinstance(arg, Chart)]
    assert len(charts) >= 6 and all(chart is packed for chart in charts)  # six writers, one chart
    book.close()
