"""The key sheet: what each rating and arrow means, the report's settings, and each indicator's
target, tolerance and why it has its rating."""
from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

from ...model import Polarity, Rating, ToleranceType, YtdMethod
from ...rate.rules import ARROWS
from ..cells import text_height
from ..spc_cells import spc_key, spc_why
from ..templates import SheetSpec
from ..types import SheetLayout

if TYPE_CHECKING:
    from ..builder import LayoutBuilder


def key(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="key")
    sheet.put(0, 0, "Key", b.s["title"])
    c = b.tpl.colours
    row = 2
    sheet.put(row, 0, "Rating", b.s["header_left"])
    sheet.put(row, 1, "Meaning", b.s["header_left"])
    meanings = [
        (Rating.GREEN, c["green"], "The target is met."),
        (Rating.AMBER, c["amber"], "Short of the target by less than the tolerance."),
        (Rating.RED, c["red"], "Short of the target by the tolerance or more."),
        (Rating.GREY, c["grey"], "No target, or an activity measure that is not judged."),
        (Rating.NO_DATA, c["no_data"], "No figure for the period rated."),
    ]
    for rating, fill, text in meanings:
        row += 1
        sheet.put(row, 0, rating.value, b.s["rag"].but(fill=fill, colour="#FFFFFF" if rating is Rating.RED
                                                            else "#000000"))
        sheet.put(row, 1, text, b.s["text"])
    row += 2
    sheet.put(row, 0, "Arrow", b.s["header_left"])
    sheet.put(row, 1, "Meaning", b.s["header_left"])
    for arrow, colour, text in ((ARROWS["up"] + " better", c["better"], "Up since the previous period, which is an improvement."),
                                (ARROWS["down"] + " worse", c["worse"], "Down since the previous period, which is worse (for example fewer visits on time)."),
                                (ARROWS["up"] + " worse", c["worse"], "Up, which is worse where lower is better (for example re-referrals)."),
                                (ARROWS["same"] + " same", c["neutral"], "No change at the figure's displayed precision."),
                                (ARROWS["up"], c["neutral"], "Up or down, with no judgement: an activity measure.")):
        row += 1
        sheet.put(row, 0, arrow, b.s["centre"].but(colour=colour, bold=True))
        sheet.put(row, 1, text, b.s["text"])
        sheet.heights[row] = text_height(text, 50)
    row += 2
    spc = b.tpl.judgement != "rag"
    if spc:
        row = spc_key(b, sheet, row)
    s = b.settings
    unit = "percentage points (for a %) or the indicator's own unit" if s.tolerance_type is ToleranceType.POINTS \
        else "per cent of the target"
    for text in (
        "Ratings are worked out at the figure's displayed precision: a figure shown 10pp short is exactly 10pp short.",
        f"Report default: rated on the {'year to date' if s.rag_basis.value == 'YTD' else 'month'}; Amber band "
        f"{s.tolerance:g} {unit}.",
        "Percentages are stored as fractions (85% is 0.85). Financial years run "
        f"{calendar.month_name[s.fy_start]} to {calendar.month_name[(s.fy_start - 2) % 12 + 1]}.",
        "YTD: a sum for counts, numerators over denominators for ratios, the latest figure for snapshots, "
        "a mean for averages.",
        "Indicators in italics are in the corporate plan.",
    ):
        sheet.put(row, 0, text, b.s["note"].but(italic=False, wrap=False))
        row += 1
    row += 1
    heads = ["ID", "Indicator", "Unit", "Polarity", "Target", "Tolerance", "Rated on", "YTD", "Why this rating"]
    heads += ["SPC: why"] if spc else []
    for col, text in enumerate(heads):
        sheet.put(row, col, text, b.s["header_left"])
    row += 1
    for res in b.ev.results:
        ind = res.indicator
        tol = (f"{ind.tolerance:g}{'pp' if ind.is_percent else ''}" if ind.tolerance_type is ToleranceType.POINTS
               else f"{ind.tolerance:g}% of target")
        target = "" if ind.target is None else res.show(ind.target) + (
            f"-{res.show(ind.target_upper)}" if ind.target_upper is not None else "")
        values = [ind.id, ind.title, ind.unit.value, ind.polarity.value, target,
                  tol if ind.target is not None and ind.polarity is not Polarity.NONE else "",
                  ind.rag_basis.value, ind.ytd_method.value if ind.ytd_method is not YtdMethod.NONE else "",
                  f"{res.rag.rating.value}: {res.rag.reason}"] + ([spc_why(res)] if spc else [])
        for col, value in enumerate(values):
            sheet.put(row, col, value, b.style_for(ind, b.s["text"]))
        sheet.heights[row] = max(text_height(ind.title, 50), *(text_height(v, 60) for v in values[8:]))
        row += 1
    for col, width in enumerate([12, 50, 8, 9, 9, 14, 9, 8, 60] + ([60] if spc else [])):
        sheet.widths[col] = width
    sheet.print_setup = b.print_setup()
    return sheet
