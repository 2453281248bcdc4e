"""The layout's charts in an open workbook, with every line the scorecard file draws.

A chart of the layout (``Chart``) has several series: a trend chart the figures, the
target, last year's average and the comparators; an SPC chart the figures, the mean, the
process limits (a second set after a rebase, so the lines break there), the target and one
marker-only series per kind of special cause. The engines differ in what they can draw:

* **xlwings Server** (the remote engine): each chart is one entry of the sheet's
  ``runMacro("kpiFormats", ...)`` batch (``chart_action``), which the add-in's
  ``static/js/kpi-formats.js`` draws with Office.js after the sheet's formats, widths and
  heights: every series with its name, cells, months, colour, dashes, width and markers,
  the title, the legend (without the series the file leaves out of it), the value axis's
  range and number format, and months without a figure as gaps. No action of its own: the
  sheet's batch carries it. xlwings' own chart actions cannot do this there: a series is
  reachable only once Excel has counted them (xlwings Lite only), and has no dashes.
* **desktop Excel**: through xlwings' chart API. A chart whose series are consecutive rows
  over the same months (every SPC chart) is drawn from that block, one series a row, and
  each series is named and coloured with its markers (``ChartSeries.set``); on Windows the
  dashes, widths and marker-only lines are set through the series' COM object. A chart
  whose lines lie elsewhere (a trend chart's target and last-year columns) shows the
  figures only: xlwings cannot add a series to a chart.
"""
from __future__ import annotations

from ..layout.types import Chart, Series, a1
from ..read.excel_values import range_boundaries
from .xlwings_cells import split_ref

CHART_ACTION = "kpiChart"  # a chart inside a sheet's kpiFormats batch (static/js/kpi-formats.js)
#: the file's dash names (XlsxWriter) as Office.js' ChartLineStyle, which has one length of dash
LINE_STYLES = {None: "Continuous", "dash": "Dash", "long_dash": "Dash", "round_dot": "RoundDot"}
MARKERS = {"circle": "Circle", "diamond": "Diamond", "square": "Square", "triangle": "Triangle", "dash": "Dash"}
#: the same dashes as Office (msoLineDashStyle), for desktop Excel's COM
MSO_DASHES = {None: 1, "dash": 4, "long_dash": 7, "round_dot": 3}
POINTS_PER_PIXEL = 0.75


def series_look(s: Series) -> dict:
    """How one series is drawn, as in the scorecard file (xlsx_writer): the line's colour,
    dashes and width in points, or no line; the marker's shape and size, or none."""
    width = s.width or (2.25 if not s.dash else 1.5)
    marker, size = (MARKERS.get(s.marker_type, "Circle"), 5 if s.line else 8) if s.marker else ("None", None)
    if s.steps:  # a target that changes month by month: a bar across each month, joined by a faint line
        width, marker, size = 0.75, "Dash", 12
    return {"name": s.name, "colour": s.colour, "line": LINE_STYLES.get(s.dash, "Dash") if s.line else "None",
            "dash": s.dash if s.line else None, "width": width, "marker": marker, "marker_size": size}


def chart_action(chart: Chart, sheet_position: int) -> dict:
    """One chart as an entry of the sheet's kpiFormats batch: everything kpi-formats.js
    needs to draw it, its cells as (sheet, address) pairs."""
    series = []
    for i, s in enumerate(chart.series):
        series.append({**series_look(s), "values": list(split_ref(s.values)),
                       "categories": list(split_ref(s.categories)), "in_legend": i not in chart.unlisted})
    return {"func": CHART_ACTION, "sheet_position": sheet_position, "args": [{
        "title": chart.title, "row": chart.row, "column": chart.col,
        "width": chart.width * POINTS_PER_PIXEL, "height": chart.height * POINTS_PER_PIXEL,
        "number_format": chart.number_format, "axis": list(chart.y_range) if chart.y_range else None,
        "blanks": "Interplotted" if chart.blanks == "span" else "NotPlotted",
        "legend": len(chart.series) > 1, "series": series}]}


def one_block(chart: Chart) -> tuple[str, str] | None:
    """The chart's series as one block of cells, a series a row (sheet, address), when they
    are consecutive rows over the same columns of one sheet (an SPC chart's table); else None."""
    refs = [split_ref(s.values) for s in chart.series]
    bounds = [range_boundaries(address.replace("$", "")) for _, address in refs]  # (col0, row0, col1, row1)
    first_row = bounds[0][1]
    if (len({sheet for sheet, _ in refs}) != 1 or len({(c0, c1) for c0, _, c1, _ in bounds}) != 1
            or [(r0, r1) for _, r0, _, r1 in bounds] != [(first_row + i, first_row + i) for i in range(len(refs))]):
        return None
    c0, r0, c1, r1 = bounds[0][0], first_row, bounds[0][2], bounds[-1][3]
    return refs[0][0], f"{a1(r0 - 1, c0 - 1, True)}:{a1(r1 - 1, c1 - 1, True)}"


def draw_desktop_chart(painter, sheet, chart: Chart) -> None:
    """The chart through xlwings' chart API on desktop Excel (see the module's note)."""
    first = chart.series[0]
    block = one_block(chart) if len(chart.series) > 1 else None
    src_sheet, src_ref = block or split_ref(first.values)
    cat_sheet, cat_ref = split_ref(first.categories)
    book = painter.book
    try:
        xl_chart = sheet.charts.add(width=chart.width * POINTS_PER_PIXEL, height=chart.height * POINTS_PER_PIXEL,
                                    chart_type="line_markers", anchor=painter.rng(sheet, chart.row, chart.col))
        xl_chart.set_source_data(book.sheets[src_sheet].range(src_ref), plot_by="rows")
        xl_chart.set_x_axis_values(book.sheets[cat_sheet].range(cat_ref))
        xl_chart.title = chart.title
        painter.tally("chart", 4)
    except (NotImplementedError, AttributeError, ValueError, TypeError) as exc:
        painter.report.note(f"Charts were not drawn in the workbook ({type(exc).__name__}: {exc}); "
                            "they are in the scorecard file.")
        return
    drawn = chart.series if block else chart.series[:1]
    try:
        if len(drawn) > 1:
            xl_chart.legend.position = "bottom"
        else:
            xl_chart.legend.visible = False  # one series; the title names the indicator
        if chart.y_range:
            xl_chart.value_axis.set(minimum_scale=chart.y_range[0], maximum_scale=chart.y_range[1],
                                    number_format=chart.number_format)
        else:
            xl_chart.value_axis.number_format = chart.number_format
        painter.tally("chart: legend and axis", 2)
        for i, s in enumerate(drawn):
            _style_desktop_series(painter, xl_chart.series[i], s)
    except (NotImplementedError, AttributeError, ValueError, TypeError, KeyError, IndexError):
        painter.report.note("The charts' colours and markers could not be set on this Excel; the scorecard "
                            "file has them.")
    if len(drawn) < len(chart.series):
        painter.report.note("Trend charts in the workbook show each indicator's figures; the target, last-year "
                            "and comparator lines are drawn only in the scorecard file (on desktop Excel).")


def _style_desktop_series(painter, xl_series, s: Series) -> None:
    look = series_look(s)
    marker = look["marker"].lower()
    xl_series.set(name=s.name, line_color=s.colour, marker_style=marker,
                  **({"marker_size": look["marker_size"], "marker_foreground_color": s.colour,
                      "marker_background_color": s.colour} if marker != "none" else {}))
    painter.tally("chart: series")
    try:  # Windows: the line's dashes, width and visibility through the series' COM object
        line = xl_series.api.Format.Line
        if look["line"] == "None":
            line.Visible = False
        else:
            line.DashStyle = MSO_DASHES.get(look["dash"], 4)
            line.Weight = look["width"]
        painter.tally("chart: series line")
    except Exception:  # noqa: BLE001  (macOS: appscript has no Format.Line)
        painter.report.note("On this Excel the charts' lines are all solid: the process limits' and the "
                            "target's dashes are drawn only in the scorecard file.")
