"""The key sheet: what each rating and arrow means, the report's settings, and each indicator's
target, tolerance and why it has its rating."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Polarity, Rating, ToleranceType, YtdMethod
from ...periods import month_name
from ...rate.rules import ARROWS
from ..benchmark_cells import band_key_rows
from ..cells import text_height
from ..contrast import text_on
from ..spc_cells import spc_key, spc_why
from ..templates import SheetSpec
from ..types import SheetLayout, a1

if TYPE_CHECKING:
    from ..builder import LayoutBuilder

# the table of indicators at the foot of the key: each column's heading and width (characters)
KEY_COLUMNS = (("ID", 12), ("Indicator", 50), ("Unit", 8), ("Polarity", 9), ("Target", 9), ("Tolerance", 14),
               ("Rated on", 9), ("YTD", 8), ("Why this rating", 60))
TITLE_WIDTH, REASON_WIDTH = KEY_COLUMNS[1][1], KEY_COLUMNS[-1][1]


def benchmark_key(b: LayoutBuilder, sheet: SheetLayout, row: int) -> int:
    """What the quartile bands mean, the comparators' sources, and how trajectories are rated
    (only when the raw workbook has Benchmarks or Targets). Returns the last row used."""
    if b.ev.raw.benchmarks:
        row += 2
        sheet.put(row, 0, "Band", b.s["header_left"])
        sheet.put(row, 1, "Meaning", b.s["header_left"])
        for letter, fill, meaning in band_key_rows():
            row += 1
            sheet.put(row, 0, letter, b.s["rag"].but(fill=fill))
            sheet.put(row, 1, f"The figure is {meaning}.", b.s["text"])
        sources = sorted({f"{x.comparator}: {x.source}" for x in b.ev.raw.benchmarks if x.source})
        for text in ("Bands are quartiles of the councils a comparator summarises (England's, where given).",
                     "A is always the best quarter: the top where higher is better, the bottom where lower is better "
                     "(as in the DfE's LAIT); a figure on a boundary takes the better band.",
                     "Comparator columns show the latest published figure for the period rated; a figure for "
                     "another period is labelled with it (18/19: 83%).",
                     "Gaps are in the indicator's unit (percentage points for a %).",
                     *(f"Source, {s}" for s in sources)):
            row += 1
            sheet.put(row, 0, text, b.s["note"].but(italic=False, wrap=False))
    if b.ev.raw.targets:
        row += 2
        sheet.put(row, 0, "Targets that change through the year (the Targets sheet): a month is rated against its "
                          "own target; a year to date against the targets of the same months (added up for counts, "
                          "weighted by denominators for ratios, the latest month's for snapshots, averaged for "
                          "means). A month with no such target is rated against the year-end target, and the "
                          "rating's reason says so.", b.s["note"].but(italic=False, wrap=False))
    return row


def key(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="key")
    sheet.put(0, 0, "Key", b.s["title"])
    c = b.tpl.colours
    row = 2
    sheet.names.append(("Key_ratings", f"$A${row + 1}:$B${row + 6}"))  # each table named, for screen readers
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
        sheet.put(row, 0, rating.value, b.s["rag"].but(fill=fill, colour=text_on(fill)))
        sheet.put(row, 1, text, b.s["text"])
    row += 2
    sheet.names.append(("Key_arrows", f"$A${row + 1}:$B${row + 6}"))
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
    row = benchmark_key(b, sheet, row)
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
        f"{month_name(s.fy_start)} to {month_name((s.fy_start - 2) % 12 + 1)}.",
        "YTD: a sum for counts, numerators over denominators for ratios, the latest figure for snapshots, "
        "a mean for averages.",
        "Indicators in italics are in the corporate plan.",
    ):
        sheet.put(row, 0, text, b.s["note"].but(italic=False, wrap=False))
        row += 1
    row += 1
    header_row = row
    columns = KEY_COLUMNS + ((("SPC: why", REASON_WIDTH),) if spc else ())
    sheet.names.append(("Key_indicators", f"$A${row + 1}:{a1(row + len(b.ev.results), len(columns) - 1, True)}"))
    for col, (text, width) in enumerate(columns):
        sheet.put(row, col, text, b.s["header_left"])
        sheet.widths[col] = width
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
        sheet.heights[row] = max(text_height(ind.title, TITLE_WIDTH),
                                 *(text_height(v, REASON_WIDTH) for v in values[len(KEY_COLUMNS) - 1:]))
        row += 1
    sheet.print_setup = b.print_setup(repeat=(header_row, header_row))
    return sheet
