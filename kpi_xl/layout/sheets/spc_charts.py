"""A trends sheet of SPC charts (``charts = "spc"``): per indicator with process limits, a
line chart of its figures with the mean, the process limits, the target and its special-cause
points (improvement blue, concern orange, neither purple), over the last three years.

Each chart's lines are drawn from a table under the charts on the same sheet (not printed).
The limits start again at each rebase: the groups alternate between two sets of mean and
limit lines, so the lines break where a new group starts."""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ...periods import Month
from ...rate.spc import PointType
from ..cells import TARGET_MET, number_format
from ..spc_cells import spc_words
from ..templates import SheetSpec
from ..types import Chart, Series, SheetLayout, a1, quote

if TYPE_CHECKING:
    from ...rate.evaluate import Result
    from ..builder import LayoutBuilder

SPC_CHART_MONTHS = 36  # three years: enough for limits from 12 points and to see a shift
FIRST_DATA_COL = 2  # the table: ID, line, then one column a month
SPC_CHART_LEAD = "How to read these charts: the note under them; what the words mean: the key sheet."
SPC_CHART_NOTE = ("Dark blue line: the figure each month. Grey line: the mean; grey dashes: the process limits (the "
                  "usual range). Red dashes: the target. Blue diamond: special cause, improvement; orange square: "
                  "special cause, concern; purple triangle: special cause, neither. The mean and limits break "
                  "where they start again (a rebase). The key sheet explains variation and assurance.")
SPECIAL = ((PointType.IMPROVEMENT, "Improvement", "spc_improvement", "diamond"),
           (PointType.CONCERN, "Concern", "spc_concern", "square"),
           ((PointType.NEUTRAL_HIGH, PointType.NEUTRAL_LOW), "Neither", "spc_neutral", "triangle"))


def spc_charts(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="trends")
    row = b.title_block(sheet, "SPC charts")
    # 14 rows a chart: two rows of charts, the title and a one-line note fit an A4 landscape page
    per_row, chart_cols, chart_rows = spec.charts_per_row, 8, 14
    b.note_line(sheet, row - 1, SPC_CHART_LEAD)
    window = [b.month - i for i in range(SPC_CHART_MONTHS - 1, -1, -1)]
    charted = [r for r in b.ev.results if r.spc and r.spc.limits and r.spc.points[-1].period >= window[0]]
    start_row = row
    grouped = rebases_by_indicator(b)
    notes = _notes(b, charted, grouped)
    notes_row = start_row + math.ceil(len(charted) / per_row) * chart_rows
    for i, text in enumerate(notes):
        b.note_line(sheet, notes_row + i, text, per_row * chart_cols - 1)
    last_printed = notes_row + len(notes)
    table_row = last_printed + 3
    sheet.put(table_row - 1, 0, "Figures behind the SPC charts (not printed)", b.s["bold"])
    for col, text in enumerate(["ID", "Line"] + [m.label for m in window]):
        sheet.put(table_row, col, text, b.s["header"])
    data_row = table_row + 1
    first_data_row = data_row
    breaks = []
    columns = {month: FIRST_DATA_COL + i for i, month in enumerate(window)}  # the table's column of each month
    for i, res in enumerate(charted):
        grid_row, grid_col = divmod(i, per_row)
        top = start_row + grid_row * chart_rows
        if grid_col == 0 and grid_row and grid_row % 2 == 0:
            breaks.append(top)
        series, unlisted, data_row = _chart_lines(b, sheet, res, window, columns, data_row, table_row)
        title = f"{res.indicator.id}: {res.indicator.title}"
        if len(title) > 60:
            title = title[:57].rstrip() + "..."
        title += "\n" + spc_words(res)
        restarts = [(m, why) for m, why in rebases(res, grouped) if m >= window[0]]
        if restarts:  # the latest rebase on the chart itself: a director sees why the limits break there
            month, why = restarts[-1]
            line = f"Limits from {month.label}{': ' + why if why else ''}"  # one line: the note has it all
            title += "\n" + (line if len(line) <= 70 else line[:67].rstrip() + "...")
        description = spc_alt_text(res, window) + "".join(
            f" The limits start again from {m.long_label}{': ' + why if why else ''}." for m, why in restarts)
        sheet.charts.append(Chart(title, top, grid_col * chart_cols, 64 * chart_cols - 10, 20 * chart_rows - 10,
                                  tuple(series), number_format(res.indicator), b.blanks(res),
                                  description=description, unlisted=tuple(unlisted),
                                  y_range=axis_range(res, window[0])))
    if data_row > first_data_row:  # the table named, so a screen reader can find it and announce its headers
        sheet.names.append(("Figures_" + re.sub(r"[^A-Za-z0-9_]", "_", spec.name),
                            f"$A${table_row + 1}:{a1(data_row - 1, FIRST_DATA_COL + len(window) - 1, True)}"))
    sheet.print_setup = b.print_setup(breaks=breaks, area=(0, 0, last_printed, per_row * chart_cols - 1))
    return sheet


def spc_alt_text(res: Result, window: list[Month]) -> str:
    """What an SPC chart shows, in words, for a screen reader: the indicator, the months
    covered, the mean and process limits, the latest figure and the judgements."""
    ind, found = res.indicator, res.spc
    shown = [p for p in found.points if p.period >= window[0]]
    lim = found.limits
    text = (f"SPC chart of {ind.id} {ind.title}, {shown[0].period.long_label} to {shown[-1].period.long_label}: "
            f"the figure each month, its mean {res.show(lim.mean)} and process limits {res.show(lim.lower)} to "
            f"{res.show(lim.upper)} (the usual range). Latest figure {res.show(shown[-1].value)} for "
            f"{shown[-1].period.long_label}. {spc_words(res)}.")
    if ind.target is not None:
        text += f" Target {res.show(ind.target)}: {TARGET_MET[res.rag.rating]}."
    return text


def axis_range(res: Result, since: Month) -> tuple[float, float]:
    """The value axis of an SPC chart: the figures, limits and target with a margin, on round
    numbers, so the limits are not squeezed against a zero line far below them. Not below
    zero when no figure is."""
    found, target = res.spc, res.indicator.target
    values = [p.value for p in found.points if p.period >= since]
    shown = values + [v for g in found.groups if g.limits for v in (g.limits.lower, g.limits.upper)]
    shown += [target] if target is not None else []
    low, high = min(shown), max(shown)
    span = (high - low) or abs(high) or 1.0
    rough = span / 5  # about five gridlines: a step of 1, 2 or 5 times a power of ten
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    low, high = math.floor((low - span * 0.05) / step) * step, math.ceil((high + span * 0.05) / step) * step
    if min(values) >= 0:
        low = max(low, 0.0)
    return round(low, 12), round(high, 12)


def rebases_by_indicator(b: LayoutBuilder) -> dict[str, list]:
    """The Rebase sheet's rows under each indicator, oldest first: grouped once, not the
    whole sheet looked through for every chart."""
    grouped: dict[str, list] = {}
    for rebase in sorted(b.ev.raw.rebases, key=lambda r: r.period):
        grouped.setdefault(rebase.indicator_id, []).append(rebase)
    return grouped


def rebases(res: Result, grouped: dict[str, list]) -> list[tuple[Month, str]]:
    """(the first month of the new group, the reason) of each of the indicator's rebases,
    oldest first; a rebase after its last figure starts no group and is left out.
    ``grouped``: from ``rebases_by_indicator``."""
    starts = [res.spc.points[g.start].period for g in res.spc.groups[1:]]
    found = []
    for rebase in grouped.get(res.indicator.id, ()):
        first = next((m for m in starts if m >= rebase.period), None)
        if first is not None:
            found.append((first, rebase.reason))
    return found


def _notes(b: LayoutBuilder, charted: list[Result], grouped: dict[str, list]) -> list[str]:
    """Under the charts: how to read them, each rebase with its reason, and the indicators
    without a chart."""
    notes = [SPC_CHART_NOTE]
    for res in charted:
        notes += [f"{res.indicator.id}: limits start again from {first.long_label}{': ' + why if why else ''}."
                  for first, why in rebases(res, grouped)]
    has_chart = {id(r) for r in charted}
    without = [r for r in b.ev.results if id(r) not in has_chart and r.spc is not None]
    if without:
        notes.append("No SPC chart (too few figures): " + "; ".join(
            f"{r.indicator.id} ({r.spc.reason})" for r in without[:40]) + ("; ..." if len(without) > 40 else "."))
    return notes


def _chart_lines(b: LayoutBuilder, sheet: SheetLayout, res: Result, window: list[Month], columns: dict[Month, int],
                 row: int, header_row: int) -> tuple[list[Series], list[int], int]:
    """The table rows of one chart (from ``row``) and its series; returns the next free row.
    ``columns``: the table's column of each month of the ``window``.

    Each line's values are keyed by their table column (an int), not by month: a month is a
    dataclass whose hash and comparisons run in Python, and this table has over a hundred
    thousand cells at 1,000 indicators."""
    ind, found, c = res.indicator, res.spc, b.tpl.colours
    since = window[0]
    points = {columns[p.period]: p for p in found.points if p.period >= since}
    first_col = min(points)
    last_col = FIRST_DATA_COL + len(window) - 1
    sheet_ref = quote(sheet.name)
    categories = f"={sheet_ref}!{a1(header_row, first_col, True)}:{a1(header_row, last_col, True)}"
    fmt = b.s["cell"].but(num_format=number_format(ind))
    text = b.s["text"]
    series: list[Series] = []
    unlisted: list[int] = []

    def line(label: str, values: dict[int, float], colour: str, listed: bool = True, **style) -> None:
        nonlocal row
        if not values:
            return
        sheet.put(row, 0, ind.id, text)
        sheet.put(row, 1, label, text)
        for col, value in values.items():
            sheet.put(row, col, value, fmt)
        if not listed:
            unlisted.append(len(series))
        series.append(Series(label, categories, f"={sheet_ref}!{a1(row, first_col, True)}:{a1(row, last_col, True)}",
                             colour, **style))
        row += 1

    def window_columns(first: Month, last: Month) -> range:
        """The table columns of the window's months from ``first`` to ``last``."""
        start = FIRST_DATA_COL + max(first - since, 0)
        return range(start, min(FIRST_DATA_COL + (last - since), last_col) + 1)

    line(ind.id, {col: p.value for col, p in points.items()}, c["series_line"], marker=True, width=1.75)
    # the legend names the mean and limits once: from the first group drawn (a group of too
    # few points before a rebase draws none)
    drawn = [n for n, g in enumerate(found.groups) if g.limits and found.points[g.end - 1].period >= since]
    for parity in (0, 1):
        spans = [(g.limits, found.points[g.start].period, found.points[g.end - 1].period)
                 for n, g in enumerate(found.groups) if n % 2 == parity and g.limits]
        limits = {col: lim for lim, first, last in spans for col in window_columns(first, last)}
        listed = parity == (drawn[0] % 2 if drawn else 0)
        line("Mean", {col: lim.mean for col, lim in limits.items()}, c["spc_limits"], listed, width=1.25)
        line("Process limits", {col: lim.upper for col, lim in limits.items()}, c["spc_limits"], listed,
             dash="dash", width=1)
        line("Lower process limit", {col: lim.lower for col, lim in limits.items()}, c["spc_limits"], False,
             dash="dash", width=1)
    if ind.target is not None and ind.target_upper is None:
        line("Target", dict.fromkeys(range(first_col, last_col + 1), ind.target), c["target_line"],
             dash="long_dash", width=1.5)
    for types, label, colour, marker in SPECIAL:
        wanted = types if isinstance(types, tuple) else (types,)
        line(label, {col: p.value for col, p in points.items() if p.type in wanted}, c[colour], marker=True,
             marker_type=marker, line=False)
    return series, unlisted, row
