"""The trends sheet: a line chart per indicator with a figure in the months shown."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ...rate.evaluate import Result
from ...rate.trajectory import target_for
from ...model import ENGLAND, NEIGHBOURS
from ..cells import TARGET_MET, figure_label, number_format
from ..templates import SheetSpec
from ..types import Chart, SheetLayout, Series, a1, quote
from .chart_data import FIRST_MONTH_COL, comparator_col, comparator_lines
from .spc_charts import spc_charts

if TYPE_CHECKING:
    from ..builder import LayoutBuilder

CHART_COLUMNS, CHART_ROWS = 8, 13  # the cells one chart covers
COLUMN_PIXELS, ROW_PIXELS = 64, 20  # a default column's width and a row's height, in pixels
CHART_GAP = 10  # pixels between neighbouring charts


def comparator_series(b: LayoutBuilder, res, data_row: int, cats: str) -> list[Series]:
    """A dotted line for each comparator with a figure in the months shown, named with the
    period(s) its figures are for (``England 2018/19``)."""
    ds = quote(b.chart_sheet)
    found = []
    lines = comparator_lines(b)
    for k, name in enumerate(lines):
        c = next((c for c in res.comparisons if c.comparator == name), None)
        if c is None:
            continue
        first = comparator_col(b, k)
        colour = b.tpl.colours[{ENGLAND: "england_line", NEIGHBOURS: "neighbours_line"}.get(name, "region_line")]
        found.append(Series(f"{name} {c.benchmark.period.label}", cats,
                            f"={ds}!{a1(data_row, first, True)}:{a1(data_row, first + len(b.trend) - 1, True)}",
                            colour, dash="round_dot"))
    return found


def trends(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    if spec.charts == "spc":
        return spc_charts(b, spec)
    sheet = SheetLayout(spec.name, kind="trends")
    row = b.title_block(sheet, f"{len(b.trend)} month trends")
    note = ("Blue line: the figure each month. Red dashed line: the target. Grey line: last "
            f"year's ({b.ev.prior_fy_label}) average.")
    if b.ev.raw.targets:
        note += " Red bars: each month's target, where the target follows a trajectory (the Targets sheet)."
    if b.ev.raw.benchmarks:
        note += " Dotted lines: comparators (England, region, statistical neighbours), named with their year."
    sheet.put(row - 1, 0, note, b.s["note"].but(wrap=False))
    per_row = spec.charts_per_row
    chart_cols, chart_rows = CHART_COLUMNS, CHART_ROWS
    width, height = COLUMN_PIXELS * chart_cols - CHART_GAP, ROW_PIXELS * chart_rows - CHART_GAP
    charts = [r for r in b.ev.results if any(
        (f := b.ev.raw.figures.get(r.indicator.id, {}).get(m)) is not None and f.value is not None
        for m in b.trend)]
    breaks = []
    start_row = row
    rows_per_page = 2
    for i, res in enumerate(charts):
        ind = res.indicator
        grid_row, grid_col = divmod(i, per_row)
        top = start_row + grid_row * chart_rows
        if grid_col == 0 and grid_row and grid_row % rows_per_page == 0:
            breaks.append(top)
        data_row = b.chart_rows[ind.id]
        first = FIRST_MONTH_COL + len(b.history) - len(b.trend)
        last = FIRST_MONTH_COL + len(b.history) - 1
        ds = quote(b.chart_sheet)
        cats = f"={ds}!{a1(3, first, True)}:{a1(3, last, True)}"
        series = [Series(f"{ind.id}", cats, f"={ds}!{a1(data_row, first, True)}:{a1(data_row, last, True)}",
                         b.tpl.colours["series_line"], marker=True)]
        tfirst = FIRST_MONTH_COL + len(b.history)
        trajectory = b.ev.raw.targets.get(ind.id)
        steps = bool(trajectory) and any(target_for(trajectory, m, b.settings.fy_start) for m in b.trend)
        if ind.target is not None or steps:
            series.append(Series("Target (trajectory)" if steps else "Target", cats,
                                 f"={ds}!{a1(data_row, tfirst, True)}:{a1(data_row, tfirst + len(b.trend) - 1, True)}",
                                 b.tpl.colours["target_line"], dash="dash", steps=steps))
        if res.prior_year_mean is not None:
            pfirst = tfirst + len(b.trend)
            series.append(Series(f"{b.ev.prior_fy_label} average", cats,
                                 f"={ds}!{a1(data_row, pfirst, True)}:{a1(data_row, pfirst + len(b.trend) - 1, True)}",
                                 b.tpl.colours["prior_year_line"]))
        series += comparator_series(b, res, data_row, cats)
        title = f"{ind.id}: {ind.title}"
        if len(title) > 70:
            title = title[:67].rstrip() + "..."
        sheet.charts.append(Chart(title, top, grid_col * chart_cols, width, height, tuple(series),
                                  number_format(ind), b.blanks(res), chart_alt_text(b, res)))
    last_row = start_row + math.ceil(len(charts) / per_row) * chart_rows
    sheet.put(last_row, 0, "")
    sheet.print_setup = b.print_setup(breaks=breaks, area=(0, 0, last_row, per_row * chart_cols - 1))
    return sheet


def chart_alt_text(b: LayoutBuilder, res: Result) -> str:
    """What a chart shows, in words, for a screen reader: the indicator, the months covered,
    the latest figure and its movement, and the target and whether it is met."""
    ind = res.indicator
    text = f"Line chart of {ind.id} {ind.title}, {b.trend[0].long_label} to {b.trend[-1].long_label}."
    hidden = b.suppressed(ind, res.value)
    when = figure_label(res, res.period, b.settings.fy_start) or res.period.short_label
    text += f" Latest figure {b.marker if hidden else res.show_figure(res.figure)} for {when}"
    if res.travel.text and not (hidden or b.suppressed(ind, res.previous_value)):
        previous = figure_label(res, res.previous_period, b.settings.fy_start) or res.previous_period.short_label
        movement = "no change" if res.travel.text == "No change" else res.travel.text.lower()
        judged = f", {res.travel.improvement}" if res.travel.improvement in ("better", "worse") else ""
        text += f", {movement} on {previous}{judged}"
    text += "."
    if ind.target is not None:
        band = f" to {res.show(ind.target_upper)}" if ind.target_upper is not None else ""
        basis = f" on the {b.ev.fy_label} year to date ({res.show(res.ytd)})" if res.rated_on_ytd else ""
        text += f" Target {res.show(ind.target)}{band}: {TARGET_MET[res.rag.rating]}{basis}."
        text += " The dashed line is the target."
    else:
        text += " No target."
    if res.prior_year_mean is not None:
        text += f" The grey line is the {b.ev.prior_fy_label} average, {res.show(res.prior_year_mean)}."
    return text
