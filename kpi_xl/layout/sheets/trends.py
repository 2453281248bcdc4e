"""The trends sheet: a line chart per indicator with a figure in the months shown."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..cells import number_format
from ..templates import SheetSpec
from ..types import Chart, SheetLayout, Series, a1, quote
from .chart_data import FIRST_MONTH_COL
from .spc_charts import spc_charts

if TYPE_CHECKING:
    from ..builder import LayoutBuilder


def trends(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    if spec.charts == "spc":
        return spc_charts(b, spec)
    sheet = SheetLayout(spec.name, kind="trends")
    row = b.title_block(sheet, f"{len(b.trend)} month trends")
    sheet.put(row - 1, 0, "Blue line: the figure each month. Red dashed line: the target. Grey line: last "
                          f"year's ({b.ev.prior_fy_label}) average.", b.s["note"].but(wrap=False))
    per_row = spec.charts_per_row
    chart_cols, chart_rows = 8, 13
    width, height = 64 * chart_cols - 10, 20 * chart_rows - 10
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
        if ind.target is not None:
            series.append(Series("Target", cats, f"={ds}!{a1(data_row, tfirst, True)}:"
                                                 f"{a1(data_row, tfirst + len(b.trend) - 1, True)}",
                                 b.tpl.colours["target_line"], dash="dash"))
        if res.prior_year_mean is not None:
            pfirst = tfirst + len(b.trend)
            series.append(Series(f"{b.ev.prior_fy_label} average", cats,
                                 f"={ds}!{a1(data_row, pfirst, True)}:{a1(data_row, pfirst + len(b.trend) - 1, True)}",
                                 b.tpl.colours["prior_year_line"]))
        title = f"{ind.id}: {ind.title}"
        if len(title) > 70:
            title = title[:67].rstrip() + "..."
        sheet.charts.append(Chart(title, top, grid_col * chart_cols, width, height, tuple(series),
                                  number_format(ind), b.blanks(res)))
    last_row = start_row + math.ceil(len(charts) / per_row) * chart_rows
    sheet.put(last_row, 0, "")
    sheet.print_setup = b.print_setup(breaks=breaks, area=(0, 0, last_row, per_row * chart_cols - 1))
    return sheet
