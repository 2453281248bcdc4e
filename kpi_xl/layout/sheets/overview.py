"""The overview sheet: the count of each rating and the three lists a director reads first."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import OVERVIEW_LISTS, Rating
from ...rate.evaluate import Result
from ..cells import figure_label, text_height
from ..contrast import text_on
from ..spc_cells import SPC_LIST_RULE, propose_from_spc, spc_words
from ..templates import SheetSpec
from ..types import SheetLayout

if TYPE_CHECKING:
    from ..builder import LayoutBuilder


LIST_WIDTH = 24  # characters: each of the overview's five columns
RAG_ORDER = (Rating.GREEN, Rating.AMBER, Rating.RED, Rating.GREY, Rating.NO_DATA)


def propose_list(res: Result) -> str | None:
    """The overview list an indicator is proposed for (the rule printed on the sheet)."""
    rating, improvement = res.rag.rating, res.travel.improvement
    if rating is Rating.RED:
        return "Things to do better"
    if rating is Rating.AMBER or (rating is Rating.GREEN and improvement == "worse"):
        return "Ones to watch"
    if rating is Rating.GREEN:
        return "Going well or better"
    return None


OVERVIEW_RULE = ("Proposed by kpi_xl from the ratings: Going well or better = Green and not getting worse; "
                 "Ones to watch = Amber, or Green but getting worse; Things to do better = Red. "
                 "Indicators without a target are not listed. Replace a list by filling the Overview "
                 "sheet of the raw workbook.")


def overview(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="overview")
    row = b.title_block(sheet, "Overview of performance")
    for col in range(5):
        sheet.widths[col] = LIST_WIDTH
    if b.refresh_note:
        b.note_line(sheet, row - 1, b.refresh_note, 4)
    counts = b.ev.counts()
    sheet.put(row, 0, "Ratings this month", b.s["bold"])
    for i, rating in enumerate(RAG_ORDER):
        fill = b.tpl.colours[{"No data": "no_data"}.get(rating.value, rating.value.lower())]
        sheet.put(row + 1, i, f"{rating.value}: {counts[rating.value]}",
                  b.s["rag"].but(fill=fill, colour=text_on(fill)))
    row += 3
    overrides: dict[str, list[str]] = {}
    for item in b.ev.raw.overview:
        overrides.setdefault(item.list_name, []).append(item.text)
    proposed: dict[str, list[str]] = {name: [] for name in OVERVIEW_LISTS}
    from_spc = spec.lists_from == "spc"
    for res in b.ev.results:
        name = propose_from_spc(res) if from_spc else propose_list(res)
        if name:
            proposed[name].append(overview_line(b, res) + (f" - {spc_words(res)}" if from_spc else ""))
    fills = {"Going well or better": b.tpl.colours["green"], "Ones to watch": b.tpl.colours["amber"],
             "Things to do better": b.tpl.colours["red"]}
    starts: list[int] = []  # each list kept on one page where it fits
    for name in OVERVIEW_LISTS:
        starts.append(row)
        items = overrides.get(name, proposed[name])
        source = ("from the raw workbook's Overview sheet" if name in overrides
                  else "proposed from SPC" if from_spc else "proposed from the ratings")
        sheet.put(row, 0, f"{name.upper()} ({source})", b.s["header_left"].but(
            fill=fills[name], colour=text_on(fills[name])),
            merge_to=(row, 4))
        sheet.heights[row] = 20
        row += 1
        for text in items or ["(none this month)"]:
            sheet.put(row, 0, "\u2022 " + text, b.s["answer"].but(border=False), merge_to=(row, 4))
            sheet.heights[row] = text_height(text, 140)  # 10pt text in five 24-wide columns
            row += 1
        row += 1
    rule = SPC_LIST_RULE if from_spc else OVERVIEW_RULE
    sheet.put(row, 0, rule, b.s["note"], merge_to=(row, 4))
    sheet.heights[row] = text_height(rule, 110)
    # one page wide at full size (never shrunk to one page), as many pages long as the lists need
    sheet.print_setup = b.print_setup(breaks=b.keep_together(sheet, starts))
    return sheet


def overview_line(b: LayoutBuilder, res: Result) -> str:
    """One line of an overview list: the figure rated (labelled with its quarter, its month
    in arrears, or as the year to date), the target and the change."""
    ind = res.indicator
    label = figure_label(res, res.period, b.settings.fy_start)
    hidden = b.suppressed(ind, res.value)
    figure = b.marker if hidden else res.show_figure(res.figure)
    figure = f"{label}: {figure}" if label else figure
    if res.rated_on_ytd:
        ytd = b.marker if b.suppressed(ind, res.ytd) else res.show(res.ytd)
        text = f"{ind.id} {ind.title}: {b.ev.fy_label} YTD {ytd}"
    else:
        text = f"{ind.id} {ind.title}: {figure}"
    if ind.target is not None:
        text += f" against a target of {res.show(ind.target)}"
    if res.rated_on_ytd:
        text += f"; {figure}" if label else f"; this month {figure}"
    if res.travel.text and not hidden:
        previous = figure_label(res, res.previous_period, b.settings.fy_start) or res.previous_period.short_label
        text += f" ({res.travel.text.lower() if res.travel.text != 'No change' else 'no change'} on {previous})"
    return text
