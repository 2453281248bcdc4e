"""How SPC judgements look in a scorecard: an icon and words in the judgement's colour
(never the colour alone), and what each means in plain words for the key sheet."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..rate.spc import Assurance, PointType
from ..rate.spc_series import assurance_words, variation_words
from .cells import text_height

if TYPE_CHECKING:
    from ..rate.evaluate import Result
    from .builder import LayoutBuilder
    from .columns import Place

UP, DOWN, SAME = "\u25b2", "\u25bc", "\u2248"  # ▲ ▼ ≈
PASS, FAIL, HIT_AND_MISS = "\u2713", "\u2717", "\u00b1"  # ✓ ✗ ±

#: (icon, colour name in the template, meaning) for each variation's words
VARIATION = {
    "Improving (high)": (UP, "spc_improvement", "Special cause: the figure has really gone up, and higher is better."),
    "Improving (low)": (DOWN, "spc_improvement", "Special cause: the figure has really gone down, and lower is "
                                                 "better."),
    "Concern (high)": (UP, "spc_concern", "Special cause: the figure has really gone up, and lower is better."),
    "Concern (low)": (DOWN, "spc_concern", "Special cause: the figure has really gone down, and higher is better."),
    "Unusual (high)": (UP, "spc_neutral", "Special cause: the figure has really gone up; neither better nor worse "
                                          "(an activity measure, or one aimed at a band)."),
    "Unusual (low)": (DOWN, "spc_neutral", "Special cause: the figure has really gone down; neither better nor "
                                           "worse."),
    "Common cause": (SAME, "spc_common", "Only the usual ups and downs: no sign that anything has changed."),
}
ASSURANCE = {
    "Will pass": (PASS, "spc_improvement", "The target is outside the usual range, on the good side: as things "
                                           "are, it will be met every month."),
    "Will fail": (FAIL, "spc_concern", "The target is outside the usual range, on the bad side: as things are, it "
                                       "will not be met without a change to the service."),
    "Hit and miss": (HIT_AND_MISS, "spc_common", "The target is within the usual range: it will be met in some "
                                                 "months and missed in others, by chance."),
}

TOO_FEW = "Too few months"  # for SPC limits: the key's last column says how many there are and are needed
SPC_NOTE = ("Variation and assurance come from statistical process control (NHS England's Making Data Count): "
            "the usual range is the mean of the figures plus or minus 2.66 times their average month-to-month "
            "change. A point outside it, 7 rising or falling in a row, 7 on one side of the mean, or two of three "
            "close to one edge is a special cause: something has really changed.")


def labelled(words: str, table: dict) -> str:
    """``▲ Improving (high)``: the icon, then the words."""
    return f"{table[words][0]} {words}" if words else ""


def variation_cell(b: LayoutBuilder, p: Place, res: Result) -> None:
    words = variation_words(res.spc)
    _judgement_cell(b, p, res, words, VARIATION, TOO_FEW if res.spc and res.spc.limits is None else "-")


def assurance_cell(b: LayoutBuilder, p: Place, res: Result) -> None:
    _judgement_cell(b, p, res, assurance_words(res.spc), ASSURANCE, "-")


def _judgement_cell(b: LayoutBuilder, p: Place, res: Result, words: str, table: dict, otherwise: str) -> None:
    style = b.style_for(res.indicator, b.s["centre"])
    if not words:
        p.sheet.put(p.row, p.col, otherwise, style.but(colour=b.tpl.colours["spc_common"], wrap=True))
        return
    colour = b.tpl.colours[table[words][1]]
    p.sheet.put(p.row, p.col, labelled(words, table), style.but(colour=colour, bold=True, wrap=True))


def propose_from_spc(res: Result) -> str | None:
    """The overview list an indicator is proposed for from its SPC (the rule in ``SPC_LIST_RULE``)."""
    found = res.spc
    if found is None or found.variation is None:
        return None
    variation, assurance = found.variation, found.assurance
    if variation is PointType.CONCERN or (assurance is Assurance.FAIL and variation is not PointType.IMPROVEMENT):
        return "Things to do better"
    if variation is PointType.IMPROVEMENT and assurance is Assurance.FAIL:
        return "Ones to watch"
    if variation is PointType.IMPROVEMENT or assurance is Assurance.PASS:
        return "Going well or better"
    if assurance is Assurance.HIT_AND_MISS:
        return "Ones to watch"
    return None


SPC_LIST_RULE = ("Proposed by kpi_xl from statistical process control: Things to do better = a special-cause "
                 "concern, or a target that will not be met (Will fail) without an improvement; Ones to watch = "
                 "improving but the target will still not be met, or hit and miss; Going well or better = a "
                 "special-cause improvement, or a target that will be met (Will pass). Common cause without a "
                 "target, and indicators with too few months, are not listed. Replace a list by filling the "
                 "Overview sheet of the raw workbook.")


def spc_settings_note(b: LayoutBuilder) -> str:
    s = b.settings
    baseline = f"the first {s.spc_baseline} points" if s.spc_baseline else "all the points"
    return (f"SPC settings (Report sheet): limits from {baseline} since the latest rebase; moving ranges "
            f"{'screened for outliers' if s.spc_screen else 'not screened'}; at least {s.spc_minimum_points} "
            "points needed. Figures are used as stored, not rounded; months given as text are left out.")


def spc_key(b: LayoutBuilder, sheet, row: int) -> int:
    """The key's rows for the SPC icons, each in plain words; returns the next free row."""
    for heading, table in (("Variation (SPC)", VARIATION), ("Assurance (SPC)", ASSURANCE)):
        sheet.put(row, 0, heading, b.s["header_left"])
        sheet.put(row, 1, "Meaning", b.s["header_left"])
        for words, (icon, colour, meaning) in table.items():
            row += 1
            sheet.put(row, 0, f"{icon} {words}", b.s["centre"].but(colour=b.tpl.colours[colour], bold=True,
                                                                     wrap=True))
            sheet.put(row, 1, meaning, b.s["text"])
            sheet.heights[row] = max(text_height(meaning, 50), text_height(words, 10))
        row += 1
        mark, none = ((TOO_FEW, "Fewer figures than SPC needs for its limits (the last column of the table below "
                                "says how many there are and how many it needs).") if table is VARIATION
                      else ("-", "No judgement: no target, or no better direction (an activity measure)."))
        sheet.put(row, 0, mark, b.s["centre"].but(wrap=True))
        sheet.put(row, 1, none, b.s["text"])
        sheet.heights[row] = text_height(none, 50)
        row += 2
    for text in (SPC_NOTE, spc_settings_note(b)):
        sheet.put(row, 0, text, b.s["note"].but(italic=False), merge_to=(row, 8))
        sheet.heights[row] = text_height(text, 170)
        row += 1
    return row + 1


def spc_why(res: Result) -> str:
    """The key's per-indicator SPC column: the words and why."""
    if res.spc is None:
        return ""
    words = ", ".join(w for w in (variation_words(res.spc), assurance_words(res.spc)) if w)
    if not words:
        return res.spc.reason  # "9 months: SPC needs 12"
    return f"{words}: {res.spc.reason.split(': ', 1)[-1]}"  # the reason without its "common cause: "


def spc_words(res: Result) -> str:
    """``▲ Improving (high); ✗ Will fail``: the judgements with their icons."""
    return "; ".join(w for w in (labelled(variation_words(res.spc), VARIATION),
                                 labelled(assurance_words(res.spc), ASSURANCE)) if w)
