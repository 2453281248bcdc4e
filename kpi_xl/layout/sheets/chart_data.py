"""The chart data sheet: the last 12 months of each indicator, its target and last year's average,
as the sparklines and charts use them (not printed)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...read.excel_values import get_column_letter

from ...rate.benchmarks import latest_benchmark
from ...rate.evaluate import SPARKLINE_MONTHS
from ...rate.trajectory import target_for
from ...model import ENGLAND, NEIGHBOURS, REGIONS
from ..cells import number_format, text_height
from ..templates import SheetSpec
from ..types import SheetLayout

if TYPE_CHECKING:
    from ..builder import LayoutBuilder


FIRST_MONTH_COL = 4  # the months' figures start after ID, Indicator, Target and last year's average
CHART_DATA_NOTE = (f"The last {SPARKLINE_MONTHS} months of each indicator, its target and last year's average, as used by the "
                   "sparklines and charts (blank means no figure). The table is for the charts and is not printed: "
                   "open the workbook to see it.")


def comparator_lines(b: LayoutBuilder) -> list[str]:
    """The comparators drawn as lines on the charts: England, the region and the statistical
    neighbours, where the Benchmarks sheet has them (named councils are in the tables only)."""
    given = {row.comparator for row in b.ev.raw.benchmarks}
    region = next((row.comparator for row in b.ev.raw.benchmarks if row.comparator in REGIONS), None)
    return [name for name in (ENGLAND, region, NEIGHBOURS) if name in given]


def comparator_col(b: LayoutBuilder, k: int) -> int:
    """The first column of the ``k``-th comparator line's months."""
    return FIRST_MONTH_COL + len(b.history) + (2 + k) * len(b.trend)


def chart_data(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="chart_data")
    sheet.put(0, 0, "Figures behind the trend lines and charts", b.s["title"])
    head = 3
    trend_first = FIRST_MONTH_COL + len(b.history)
    headers = ["ID", "Indicator", "Target", f"{b.ev.prior_fy_label} average"]
    headers += [m.label for m in b.history]
    headers += [f"Target {m.label}" for m in b.trend] + [f"{b.ev.prior_fy_label} avg {m.label}"
                                                            for m in b.trend]
    lines = comparator_lines(b)
    headers += [f"{name} {m.label}" for name in lines for m in b.trend]
    for col, text in enumerate(headers):
        sheet.put(head, col, text, b.s["header"])
    row = head + 1
    by_line: dict[tuple[str, str], list] = {}  # the Benchmarks sheet's rows of each indicator and comparator, in order
    for x in b.ev.raw.benchmarks:
        by_line.setdefault((x.indicator_id, x.comparator), []).append(x)
    for res in b.ev.results:
        ind = res.indicator
        fmt = b.s["cell"].but(num_format=number_format(ind))
        sheet.put(row, 0, ind.id, b.s["text"])
        sheet.put(row, 1, ind.title, b.s["text"].but(wrap=False))
        sheet.put(row, 2, ind.target if ind.target is not None else "", fmt)
        sheet.put(row, 3, res.prior_year_mean if res.prior_year_mean is not None else "", fmt)
        series = b.ev.raw.figures.get(ind.id, {})
        for i, month in enumerate(b.history):
            fig = series.get(month)
            shown = fig is not None and fig.value is not None and not b.suppressed(ind, fig.value)
            sheet.put(row, FIRST_MONTH_COL + i, fig.value if shown else "", fmt)
        trajectory = b.ev.raw.targets.get(ind.id)
        for i, month in enumerate(b.trend):
            point = target_for(trajectory, month, b.settings.fy_start) if trajectory else None
            if point is not None:  # the month's target from the trajectory
                sheet.put(row, trend_first + i, point.value, fmt)
            elif ind.target is not None:
                sheet.put(row, trend_first + i, ind.target, fmt, formula=f"=$C{row + 1}")
            if res.prior_year_mean is not None:
                sheet.put(row, trend_first + len(b.trend) + i, res.prior_year_mean, fmt,
                          formula=f"=$D{row + 1}")
        for k, name in enumerate(lines):  # each comparator's latest figure for each month
            rows = by_line.get((ind.id, name), [])
            for i, month in enumerate(b.trend):
                chosen = latest_benchmark(rows, month)
                figure = None if chosen is None else (chosen.value if chosen.value is not None else chosen.median)
                if figure is not None:
                    sheet.put(row, comparator_col(b, k) + i, figure, fmt)
        b.chart_rows[ind.id] = row
        row += 1
    sheet.freeze = (head + 1, 2)
    sheet.names.append(("Chart_data", f"$A${head + 1}:${get_column_letter(len(headers))}${row}"))
    b.size_columns(sheet, maximum=50)
    # the table is for the charts, and too wide to read on paper: only the note is printed
    sheet.put(1, 0, CHART_DATA_NOTE, b.s["note"], merge_to=(1, 3))
    sheet.heights[1] = text_height(CHART_DATA_NOTE, sum(sheet.widths.get(c, 8.43) for c in range(4)))
    sheet.print_setup = b.print_setup(area=(0, 0, 1, 3))
    return sheet
