"""The comparison workbook of a split scorecard: one row per indicator, one column per team
or area, each cell the figure rated and its RAG, coloured as a heat map; the whole
service's column last, set apart. A director scans it for the column full of red.

``comparison_layout`` decides what goes where; ``write.xlsx_writer`` writes it like any
scorecard layout.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Frequency, Rating
from ..rate.evaluate import Evaluation, Result
from ..rate.spc_series import variation_words
from .cells import figure_label, number_format, text_height
from .spc_cells import VARIATION, labelled
from .templates import PAPERS, Template
from .types import Layout, PrintSetup, SheetLayout, Style

SHEET = "Comparison"
HEADER_ROW = 4
FIRST_PART_COL = 3  # ID, Indicator, Target, then one column per value
PART_WIDTH = 14
TITLE_WIDTH = 56
RATING_ROWS = (Rating.RED, Rating.AMBER, Rating.GREEN)


@dataclass(frozen=True)
class Part:
    """One team or area of the split, rated."""

    name: str
    evaluation: Evaluation
    total: bool = False  # the whole service's figures


def spc_text(res: Result) -> str:
    """The SPC variation with its icon (``▲ Improving (high)``), or "" for an indicator with
    too few figures for SPC limits."""
    spc = getattr(res, "spc", None)  # a result read back without SPC has none
    if spc is None or spc.variation is None:
        return ""
    return labelled(variation_words(spc), VARIATION)


def rated_label(res: Result, fy_start: int) -> str:
    """What the figure rated is, when not the report month's: ``YTD``, ``Nov 19``, ``Q3 19/20``."""
    if res.rated_on_ytd:
        return "YTD"
    if res.in_arrears or res.indicator.frequency is Frequency.QUARTERLY:
        return figure_label(res, res.period, fy_start)
    return ""


class ComparisonBuilder:
    def __init__(self, parts: list[Part], column: str, title: str, template: Template,
                 missing: list[tuple[str, str]] | None = None):
        self.missing = missing or []  # (value, why): values whose scorecard could not be built
        self.parts = [p for p in parts if not p.total] + [p for p in parts if p.total]
        self.column, self.title, self.tpl = column, title, template
        first = self.parts[0].evaluation
        self.month, self.settings = first.period, first.raw.settings
        c = template.colours
        self.fills = {Rating.GREEN: (c["green"], "#000000"), Rating.AMBER: (c["amber"], "#000000"),
                      Rating.RED: (c["red"], "#FFFFFF"), Rating.GREY: (c["grey"], "#000000"),
                      Rating.NO_DATA: (c["no_data"], "#404040")}
        base = Style(valign="vcenter")
        self.s = {
            "title": base.but(bold=True, size=16, colour=c["heading"]),
            "subtitle": base.but(bold=True, size=12, colour=c["heading"]),
            "note": base.but(italic=True, colour="#404040"),
            "header": base.but(bold=True, fill=c["heading"], colour=c["heading_text"], wrap=True, align="center",
                               border=True),
            "header_left": base.but(bold=True, fill=c["heading"], colour=c["heading_text"], wrap=True, border=True),
            "section": base.but(bold=True, fill=c["section"], border=True),
            "text": base.but(wrap=True, border=True),
            "cell": base.but(border=True, align="right"),
            "figure": base.but(border=True, align="center", bold=True),
        }
        # the total's column is set apart by an empty, narrow column
        self.cols = {}
        col = FIRST_PART_COL
        for part in self.parts:
            if part.total and col > FIRST_PART_COL:
                col += 1
            self.cols[part.name] = col
            col += 1
        self.last_col = col - 1

    def results(self, part: Part) -> dict[str, Result]:
        return {r.indicator.id: r for r in part.evaluation.results}

    def figure_cell(self, sheet: SheetLayout, row: int, col: int, res: Result | None) -> None:
        """The figure rated and its RAG word in one cell (the number stays a number), filled
        in the RAG's colour; the SPC variation after it where the rating has one."""
        if res is None:
            sheet.put(row, col, "not reported", self.s["figure"].but(**self.colour(Rating.NO_DATA), bold=False))
            return
        rating = res.rag.rating
        words = " ".join(w for w in (rating.value, spc_text(res)) if w)
        style = self.s["figure"].but(**self.colour(rating))
        if res.rated_value is not None:
            label = '"  ' + words.replace('"', "'") + '"'
            sheet.put(row, col, res.rated_value, style.but(num_format=number_format(res.indicator) + label))
        else:
            shown = res.figure.text if res.figure is not None and res.figure.text else "-"
            sheet.put(row, col, f"{shown}  {words}" if rating is not Rating.NO_DATA or shown != "-" else words,
                      style)

    def colour(self, rating: Rating) -> dict:
        fill, font = self.fills[rating]
        return {"fill": fill, "colour": font}

    def build(self) -> Layout:
        sheet = SheetLayout(SHEET, kind="comparison")
        sheet.put(0, 0, f"{self.title}: comparison by {self.column.lower()}", self.s["title"])
        line = self.month.long_label + (f" | {self.settings.organisation}" if self.settings.organisation else "")
        sheet.put(1, 0, f"{line} | each cell: the figure rated and its RAG", self.s["subtitle"])
        sheet.heights[0] = 28
        sheet.put(2, 0, "A column with more red than the others is the one to ask about first; each cell "
                        "gives the rating as a word as well as a colour.", self.s["note"])
        if self.missing:  # said where it cannot be missed, not at the foot
            text = "Not in this comparison (no scorecard could be built): " + "; ".join(
                f"{value} ({why})" for value, why in self.missing)
            sheet.put(3, 0, text, self.s["note"].but(italic=False, bold=True, colour=self.fills[Rating.RED][0]))
        heads = ["ID", "Indicator", "Target"]
        for col, text in enumerate(heads):
            sheet.put(HEADER_ROW, col, text, self.s["header_left"] if col < 2 else self.s["header"])
        for part in self.parts:
            sheet.put(HEADER_ROW, self.cols[part.name], part.name, self.s["header"])
        sheet.heights[HEADER_ROW] = 30
        row = HEADER_ROW + 1
        row = self.rating_counts(sheet, row)
        row = self.indicator_rows(sheet, row + 1)
        self.notes(sheet, row + 1)
        sheet.widths.update({0: 9, 1: TITLE_WIDTH, 2: 10})
        for part in self.parts:
            sheet.widths[self.cols[part.name]] = PART_WIDTH
        for col in range(FIRST_PART_COL, self.last_col + 1):
            sheet.widths.setdefault(col, 2)
        sheet.freeze = (HEADER_ROW + 1, FIRST_PART_COL)
        sheet.print_setup = PrintSetup(landscape=True, paper=PAPERS[self.tpl.paper],
                                       repeat_rows=(HEADER_ROW, HEADER_ROW),
                                       footer="&L" + self.title.replace("&", "&&") + "&RPage &P of &N")
        props = {"title": f"{self.title}: comparison by {self.column.lower()} - {self.month.long_label}",
                 "subject": f"Comparison by {self.column.lower()} for {self.month.long_label}",
                 "author": self.settings.organisation or "kpi_xl", "company": self.settings.organisation,
                 "keywords": "performance, scorecard, RAG, comparison",
                 "comments": f"Produced by kpi_xl from {self.parts[0].evaluation.raw.source}, split by "
                             f"{self.column}."}
        return Layout([sheet], props, self.tpl.font, self.tpl.font_size)

    def rating_counts(self, sheet: SheetLayout, row: int) -> int:
        """A row per rating counting each column's indicators: the worst column's red count in bold."""
        for rating in RATING_ROWS:
            sheet.put(row, 0, "", self.s["text"])
            sheet.put(row, 1, f"Indicators rated {rating.value}", self.s["text"].but(bold=True))
            sheet.put(row, 2, "", self.s["text"])
            counts = {p.name: p.evaluation.counts().get(rating.value, 0) for p in self.parts}
            worst = max((n for name, n in counts.items() if not self._is_total(name)), default=0)
            for part in self.parts:
                n = counts[part.name]
                style = self.s["figure"] if n else self.s["cell"].but(align="center")
                if n and rating is Rating.RED:
                    style = style.but(**self.colour(rating), size=12 if n == worst else None)
                elif n:
                    style = style.but(**self.colour(rating), bold=False)
                sheet.put(row, self.cols[part.name], n, style)
            row += 1
        return row

    def _is_total(self, name: str) -> bool:
        return any(p.total and p.name == name for p in self.parts)

    def indicator_rows(self, sheet: SheetLayout, row: int) -> int:
        by_part = {p.name: self.results(p) for p in self.parts}
        indicators = []  # every indicator once, in the order of the first part that has it
        seen = set()
        for part in self.parts:
            for res in part.evaluation.results:
                if res.indicator.id not in seen:
                    seen.add(res.indicator.id)
                    indicators.append(res)
        sections: dict[str, list[Result]] = {}
        for res in indicators:
            sections.setdefault(res.indicator.section, []).append(res)
        for section, results in sections.items():
            sheet.put(row, 0, section, self.s["section"], merge_to=(row, self.last_col))
            row += 1
            for res in results:
                ind = res.indicator
                label = rated_label(res, self.settings.fy_start)
                title = ind.title + (f" ({label})" if label else "")
                sheet.put(row, 0, ind.id, self.s["text"])
                sheet.put(row, 1, title, self.s["text"].but(italic=ind.corporate_plan))
                if ind.target is None:
                    sheet.put(row, 2, "", self.s["cell"])
                else:
                    sheet.put(row, 2, ind.target, self.s["cell"].but(num_format=number_format(ind)))
                for part in self.parts:
                    self.figure_cell(sheet, row, self.cols[part.name], by_part[part.name].get(ind.id))
                sheet.heights[row] = text_height(title, TITLE_WIDTH, 13)
                row += 1
        return row

    def notes(self, sheet: SheetLayout, row: int) -> None:
        total = next((p.name for p in self.parts if p.total), None)
        lines = ["Each cell shows the figure the RAG is worked out on (the year to date where the indicator is "
                 "rated on it, marked YTD; the latest month or quarter where it is reported in arrears), and the "
                 "RAG as a word and a colour. Green = target met; Amber = short by less than the tolerance; "
                 "Red = further off; Grey = no target; No data = no figure.",
                 f"Each {self.column.lower()} has its own scorecard, with the trends and commentary, in the same "
                 "folder as this file."]
        if total:
            lines.append(f"{total}: the whole service's figures, as given in the raw workbook.")
        for text in lines:
            sheet.put(row, 0, text, self.s["note"].but(wrap=True, valign="top"), merge_to=(row, self.last_col))
            sheet.heights[row] = text_height(text, 9 + TITLE_WIDTH + 10 + PART_WIDTH * len(self.parts))
            row += 1


def comparison_layout(parts: list[Part], column: str, title: str, template: Template,
                      missing: list[tuple[str, str]] | None = None) -> Layout:
    return ComparisonBuilder(parts, column, title, template, missing).build()
