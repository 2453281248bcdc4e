"""A section sheet: the section's indicators month by month (monthly and quarterly blocks),
its distributions, and the commentary boxes."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Frequency
from ...periods import Month, quarter_label
from ...rate.evaluate import Result
from ...rate.trajectory import target_for
from ..cells import FIRST_COLUMN_WIDTH, text_height
from ..columns import MONTH_KEY, column, month_of
from ..templates import SPC_COLUMNS, SheetSpec
from ..types import SheetLayout, a1, quote
from .commentary import commentary_block, other_commentary, section_commentary, unmatched_commentary

if TYPE_CHECKING:
    from ..builder import LayoutBuilder


def section_sheet(b: LayoutBuilder, section: str, name: str, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(name, kind="section")
    front = next((s.name for s in b.tpl.sheets if s.kind in ("front_page", "kpi_table", "overview")), None)
    sheet.put(0, 0, section, b.s["title"])
    sheet.heights[0] = 28
    sheet.put(1, 0, f"{b.title} | {b.month.long_label}", b.s["subtitle"])
    if front:
        sheet.put(0, 6, "\u25C4 Back to the " + front.lower(), b.s["back"], link=f"internal:{quote(front)}!A1")
    results = b.results_in.get(section, [])
    if any(r.indicator.corporate_plan for r in results):
        sheet.put(2, 0, b.tpl.corporate_plan_note, b.s["note"].but(wrap=False))
    row = 4
    monthly = [r for r in results if r.indicator.frequency is Frequency.MONTHLY]
    quarterly = [r for r in results if r.indicator.frequency is Frequency.QUARTERLY]
    cols = b.with_rated_figure(list(spec.table_columns), results)
    last_col = len(cols) - 2 + len(b.trend)  # the months take len(b.trend) columns
    header_row = row
    table = f"Section_{b.section_numbers[section]}"  # each table named, for screen readers
    if monthly:
        row = section_block(b, sheet, row, cols, monthly, [(m, m.label) for m in b.trend], f"{table}_monthly")
    if quarterly:
        if monthly:
            row += 1
        ends = sorted({r.period for r in quarterly})
        last = ends[-1]
        quarters = [last - 3 * i for i in range(len(b.trend) - 1, -1, -1)]
        row = section_block(b, sheet, row, cols, quarterly,
                            [(q, quarter_label(q, b.settings.fy_start)) for q in quarters], f"{table}_quarterly")
    for number, dist in enumerate((d for d in b.ev.raw.distributions if d.section.lower() == section.lower()), 1):
        row += 1
        top = row
        sheet.put(row, 0, dist.title, b.s["header_left"])
        for i, band in enumerate(dist.bands):
            sheet.put(row, 1 + i, band, b.s["header"])
        row += 1
        for label, values in dist.rows:
            sheet.put(row, 0, label, b.s["text"])
            for i, value in enumerate(values):
                if isinstance(value, float):
                    fmt = "0%" if dist.unit.value == "%" else "#,##0"
                    sheet.put(row, 1 + i, value, b.s["cell"].but(num_format=fmt))
                else:
                    sheet.put(row, 1 + i, "-" if value is None else value, b.s["cell"])
            row += 1
        sheet.names.append((f"{table}_distribution_{number}", f"$A${top + 1}:{a1(row - 1, len(dist.bands), True)}"))
    starts = [header_row + 1]  # the tables, then each commentary item
    row = commentary_block(b, sheet, row + 1, last_col, section_commentary(b, section, results),
                                starts=starts)
    if section == b.sections[-1] and not any(s.kind == "commentary" for s in b.tpl.sheets):
        row = other_commentary(b, sheet, row + 1, unmatched_commentary(b), starts)
    widths = {0: FIRST_COLUMN_WIDTH}
    sheet.freeze = (header_row + 1, 1)
    b.size_columns(sheet, minimum=9, maximum=14, fixed=widths)
    keys = [k for key in cols for k in ([key] * len(b.trend) if key == "months" else [key])]
    sheet.widths.update({c: column(k).width for c, k in enumerate(keys) if k in SPC_COLUMNS})
    sheet.print_setup = b.print_setup(repeat=(header_row, header_row),
                                      breaks=b.keep_together(sheet, starts, header_row))
    return sheet


def trajectory_row(b: LayoutBuilder, sheet, row: int, keys: list[str], res: Result) -> int:
    """Under an indicator with a trajectory, its ``Target`` row: each month's target under
    the month (as the 2014 report's "Haringey Target" row). Returns the next row."""
    trajectory = b.ev.raw.targets.get(res.indicator.id)
    months = {key: month_of(key) for key in keys if key.startswith(MONTH_KEY)}
    points = {key: target_for(trajectory, m, b.settings.fy_start) for key, m in months.items()} if trajectory else {}
    if not any(points.values()):
        return row
    for col, key in enumerate(keys):
        point = points.get(key)
        if key == "indicator" or (col == 0 and "indicator" not in keys):
            sheet.put(row, col, "Target", b.s["text"].but(italic=True, indent=1))
        elif point is not None:
            b.target_cell(sheet, row, col, res, b.s["cell"].but(italic=True), point.value, point.upper)
        else:
            sheet.put(row, col, "", b.s["cell"])
    sheet.heights[row] = 15
    return row + 1


def section_block(b: LayoutBuilder, sheet, row, cols, results: list[Result], periods: list[tuple[Month, str]],
                  name: str) -> int:
    expanded = []
    for key in cols:
        expanded += [f"{MONTH_KEY}{m.index}" for m, _ in periods] if key == "months" else [key]
    labels = dict((f"{MONTH_KEY}{m.index}", label) for m, label in periods)
    for col, key in enumerate(expanded):
        sheet.put(row, col, labels.get(key) or column(key).header(b, key, "sections", expanded),
                  b.s["header_left"] if key == "indicator" else b.s["header"])
    sheet.heights[row] = 30
    row += 1
    first = row
    for res in results:
        sheet.heights[row] = max(18, text_height(res.indicator.title, FIRST_COLUMN_WIDTH))
        b.row_cells(sheet, row, expanded, res)
        row += 1
        row = trajectory_row(b, sheet, row, expanded, res)
    sheet.names.append((name, f"$A${first}:{a1(row - 1, len(expanded) - 1, True)}"))
    if "rag" in expanded:
        b.rag_formats(sheet, first, row - 1, expanded.index("rag"))
    return b.ytd_notes(sheet, row, results) if "ytd" in expanded else row
