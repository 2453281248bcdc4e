"""The scorecard's line charts and sparklines, added to an XlsxWriter workbook.

XlsxWriter's own code writes them; four of its slow spots are avoided, with the same bytes
(tests/test_xlsx_charts.py compares with plain XlsxWriter):

- Each chart series carries a copy of its figures (the "cache", one ``<c:pt>`` a point;
  a scorecard of 1,000 indicators has 280,000). XlsxWriter writes a point with five method
  calls and two regular expressions; ``CacheWriter`` writes a whole cache as one string,
  and a range that several series share (the months along the bottom) once.
- Tags are written without XlsxWriter's per-attribute escape attempts (xlsx_tags).
- A series' marker options are converted once for all series with the same marker (``_Markers``).
- ``Worksheet.add_sparkline`` builds its table of 36 sparkline styles on every call;
  ``_Sparklines`` lets XlsxWriter make the first sparkline of each look and copies it.
"""
from __future__ import annotations

from functools import partial

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from ..layout.types import Chart, Sparkline
from .xlsx_tags import NEEDS_ESCAPING, PLAIN, quicken


class CacheWriter:
    """Writes the ``<c:numCache>`` and ``<c:strCache>`` of the series of every chart bound to it,
    the same text XlsxWriter's ``Chart._write_num_cache`` / ``_write_str_cache`` write.

    A cache's data is the list ``Workbook._add_chart_data`` read from the worksheet, one list per
    distinct range of the chart (xlsx_package looks them up as each chart's part is written),
    shared by every series that refers to it: the text is kept by the list's identity (the list
    with it, so its id is never another's) and written again for the chart's next series.
    """

    def __init__(self):
        self.written: dict[tuple[str, int], tuple[object, str]] = {}
        self.chart = None  # whose caches ``written`` holds: one chart's at a time (its figures go with it)

    def bind(self, chart) -> None:
        """Let ``chart`` (an XlsxWriter chart) write its caches with this writer, and its tags quickly."""
        if quicken(chart):
            chart._write_num_cache = partial(self.write, chart, "num")
            chart._write_str_cache = partial(self.write, chart, "str")

    def write(self, chart, kind: str, data) -> None:
        if chart is not self.chart:
            self.chart, self.written = chart, {}
        key = (kind, id(data))
        if key not in self.written:
            text = cache_xml(kind, data)
            if text is None:  # a point XlsxWriter escapes: its own method writes the cache
                getattr(type(chart), f"_write_{kind}_cache")(chart, data)
                return
            self.written[key] = (data, text)
        chart.fh.write(self.written[key][1])


def cache_xml(kind: str, data) -> str | None:
    """The cache of ``data`` as XlsxWriter writes it (``kind`` "num" or "str"), or None when a
    point would need escaping or is of a type XlsxWriter might write otherwise."""
    points = []
    for idx, point in enumerate(data or ()):
        if point is None:  # a missing cell: no point
            continue
        if kind == "num":
            try:
                float(point)
            except ValueError:  # as XlsxWriter: text in a series of numbers is 0
                point = 0
        if type(point) not in PLAIN:
            return None
        points.append((idx, f"{point}"))
    if NEEDS_ESCAPING.search("\n".join(text for _, text in points)):
        return None
    body = "".join([f'<c:pt idx="{idx}"><c:v>{text}</c:v></c:pt>' for idx, text in points])
    if kind == "num":
        count = len(data) if data else 0
        return (f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{count}"/>{body}'
                f"</c:numCache>")
    return f'<c:strCache><c:ptCount val="{len(data)}"/>{body}</c:strCache>'


class _Markers:
    """``Chart._get_marker_properties`` turns a series' marker options into what XlsxWriter
    writes (a deep copy, its colours parsed) for every series; the scorecard's series have a
    handful of distinct markers. Each is converted once and shared by the series that have it:
    XlsxWriter only reads it, when it writes the chart."""

    def __init__(self):
        self.converted: dict[str, dict | None] = {}

    def bind(self, chart) -> None:
        chart._get_marker_properties = partial(self.convert, chart)

    def convert(self, chart, marker: dict | None) -> dict | None:
        key = repr(marker)  # the options Drawing.add_chart makes: text and numbers
        if key not in self.converted:
            self.converted[key] = type(chart)._get_marker_properties(chart, marker)
        return self.converted[key]


class _Sparklines:
    """Adds sparklines to worksheets. ``Worksheet.add_sparkline`` turns its options into a
    dict it keeps in ``worksheet.sparklines``; sparklines with the same options but the cell and
    range differ only in those two, so XlsxWriter makes the first of each look on a sheet and
    the rest are copies of it with their own cell and range, cleaned as XlsxWriter cleans them."""

    def __init__(self):
        self.made: dict[tuple, dict] = {}

    def add(self, ws, row: int, col: int, options: dict) -> None:
        if "location" in options or not isinstance(options.get("range"), str):  # not one copied below
            ws.add_sparkline(row, col, options)
            return
        key = (ws.name, *sorted((name, value) for name, value in options.items() if name != "range"))
        first = self.made.get(key)
        if first is None:
            if ws.add_sparkline(row, col, options) == 0:
                self.made[key] = ws.sparklines[-1]
            return
        if ws._check_dimensions(row, col, True, True):  # outside the sheet: XlsxWriter refuses it
            ws.add_sparkline(row, col, options)
            return
        source = options["range"].replace("$", "").lstrip("=")
        if "!" not in source:
            source = f"{quote_sheetname(ws.name)}!{source}"
        ws.sparklines.append({**first, "locations": [xl_rowcol_to_cell(row, col)], "ranges": [source]})


class Drawing:
    """Adds the layout's charts and sparklines to one XlsxWriter workbook. ``drawn``: the charts
    (numbered from 0 as they are added) whose parts this workbook writes; the others, written
    by another process (``StreamingWorkbook.draw_apart``), are only placed: their size and place
    are all the drawing part needs, and drawing a chart's series, title and axes is two thirds
    of the cost of adding it."""

    def __init__(self, workbook, drawn: range | None = None):
        self.workbook = workbook
        self.caches = CacheWriter()
        self.markers = _Markers()
        self.sparklines = _Sparklines()
        self.drawn = drawn
        self.added = 0
        self.placed: list[tuple[object, Chart]] = []  # (XlsxWriter chart, the layout's) of each chart only placed

    def add_chart(self, ws, chart: Chart) -> None:
        xl_chart = self.workbook.add_chart({"type": "line"})
        if self.drawn is None or self.added in self.drawn:
            self.draw(xl_chart, chart)
        else:
            self.placed.append((xl_chart, chart))
        self.added += 1
        xl_chart.set_size({"width": chart.width, "height": chart.height})
        placing = {"x_offset": 5, "y_offset": 5, "object_position": 2}
        if chart.description:
            placing["description"] = chart.description  # the chart's alt text
        ws.insert_chart(chart.row, chart.col, xl_chart, placing)

    def draw_placed(self) -> None:
        """Draw the charts only placed (they are to be written here after all)."""
        for xl_chart, chart in self.placed:
            self.draw(xl_chart, chart)
        self.placed = []

    def draw(self, xl_chart, chart: Chart) -> None:
        """``chart``'s series, title, axis and legend, given to ``xl_chart``."""
        self.caches.bind(xl_chart)
        self.markers.bind(xl_chart)
        for s in chart.series:
            line = {"color": s.colour, "width": s.width or (2.25 if not s.dash else 1.5)}
            if s.dash:
                line["dash_type"] = s.dash
            series = {"name": s.name, "categories": s.categories, "values": s.values,
                      "line": line if s.line else {"none": True}}
            series["marker"] = ({"type": s.marker_type, "size": 5 if s.line else 8, "fill": {"color": s.colour},
                                 "border": {"color": s.colour}} if s.marker else {"type": "none"})
            if s.steps:  # one level a month: a bar across each month, joined by a faint line
                line.update(width=0.75, transparency=50)
                series["marker"] = {"type": "dash", "size": 12, "fill": {"color": s.colour},
                                    "border": {"color": s.colour}}
            xl_chart.add_series(series)
        xl_chart.set_title({"name": chart.title, "name_font": {"size": 10, "bold": True}})
        y_axis = {"num_format": chart.number_format, "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}}
        if chart.y_range:
            y_axis["min"], y_axis["max"] = chart.y_range
        xl_chart.set_y_axis(y_axis)
        legend = {"position": "bottom", "font": {"size": 8}}
        if chart.unlisted:
            legend["delete_series"] = list(chart.unlisted)
        xl_chart.set_legend(legend)
        xl_chart.show_blanks_as(chart.blanks)

    def add_sparkline(self, ws, spark: Sparkline) -> None:
        self.sparklines.add(ws, spark.row, spark.col, {
            "range": spark.source, "markers": False, "high_point": True, "low_point": True,
            "series_color": spark.colour, "last_point": True, "weight": 1.75,
            "empty_cells": "connect" if spark.blanks == "span" else "gaps"})
