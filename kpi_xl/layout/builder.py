"""The scorecard layout: one frozen description of every sheet, cell, rule and chart.

``build_layout(evaluation, template)`` decides *what* goes *where*; the writers
(``xlsx_writer`` for a new file, ``xlwings_writer`` for the open workbook) only render
it, so the ribbon and the scheduled job can never draw two different reports.

Each kind of sheet is a module in ``layout/sheets``; the ``LayoutBuilder`` holds what they
share (the settings, styles, the cell helpers) and puts the sheets in the template's order.
"""
from __future__ import annotations

from ..read.excel_values import get_column_letter

from ..model import Figure, Frequency, Indicator, Rating, Unit
from ..periods import Month
from ..rate.evaluate import SPARKLINE_MONTHS, Evaluation, Result
from ..rate.formulas import rag_formula
from ..rate.rules import format_number
from .cells import PAGE_POINTS, content_width, figure_label, number_format, section_breaks, text_height, text_trend
from .benchmark_cells import shown_columns
from .columns import Place, column, target_column
from .contrast import BLACK, text_on
from ..paused import collector_paused
from .sheetnames import safe_sheet_name
from .sheets import chart_data, commentary, indicator_table, overview, sections, trends
from .sheets import key as key_sheet
from .sheets.chart_data import FIRST_MONTH_COL
from .templates import PAPERS, Template
from .types import CondFormat, Layout, PrintSetup, SheetLayout, Sparkline, Style, a1, quote

SHEET_KINDS = {"overview": overview.overview, "kpi_table": indicator_table.kpi_table,
               "front_page": indicator_table.front_page, "trends": trends.trends,
               "commentary": commentary.commentary, "key": key_sheet.key}  # sections and chart_data: see build()


class LayoutBuilder:
    def __init__(self, evaluation: Evaluation, template: Template, restated: dict | None = None,
                 notes: dict | None = None, orphans: list | None = None, suppress_below: int | None = None,
                 trend_text: bool = False):
        self.ev = evaluation
        self.tpl = template
        self.notes = notes or {}  # (kind, key, question) -> text carried over from the previous scorecard
        self.orphans = orphans or []  # carry.CarriedNote: notes kept from the previous scorecard with no box
        self.raw_prints: dict[str, str] = {}  # answer box name -> fingerprint of the raw text shown in it
        self.suppress_below = suppress_below
        self.trend_text = trend_text  # draw trends as text bars (for PDF through LibreOffice, which drops sparklines)
        self.named: set[str] = set()
        self.settings = evaluation.raw.settings
        self.months_shown = self.settings.months_shown or template.months
        self.title = (self.settings.title if self.settings.title != "Performance scorecard" else template.title)
        self.month = evaluation.period
        self.restated = restated or {}  # (id, Month) -> previous value
        self.restatements: list[str] = []  # the restated figures shown, listed under the first sheet
        c = template.colours
        base = Style()
        self.s = {
            "title": base.but(bold=True, size=16, colour=c["heading"]),
            "subtitle": base.but(bold=True, size=12, colour=c["heading"]),
            "note": base.but(italic=True, colour="#404040", wrap=True),
            "header": base.but(bold=True, fill=c["heading"], colour=c["heading_text"], wrap=True,
                               align="center", valign="vcenter", border=True),
            "header_left": base.but(bold=True, fill=c["heading"], colour=c["heading_text"], wrap=True,
                                    valign="vcenter", border=True),
            "section": base.but(bold=True, fill=c["section"], border=True, valign="vcenter"),
            "text": base.but(wrap=True, border=True, valign="vcenter"),
            "cell": base.but(border=True, align="right", valign="vcenter"),
            "centre": base.but(border=True, align="center", valign="vcenter"),
            "rag": base.but(bold=True, border=True, align="center", valign="vcenter"),
            "link": base.but(colour="#0563C1", border=True, align="center", valign="vcenter"),
            "back": base.but(colour="#0563C1"),
            "question": base.but(bold=True, colour=c["heading"]),
            "answer": base.but(wrap=True, border=True),
            "bold": base.but(bold=True),
        }
        self.section_sheets: dict[str, str] = {}
        self.section_numbers: dict[str, int] = {}  # section -> its sheet's place among the section sheets, from 1
        # each list grouped once, so no sheet scans them all per section or per indicator
        self.sections = evaluation.raw.sections  # (RawWorkbook.sections works them out on each call)
        self.results_in: dict[str, list[Result]] = {}  # section -> its indicators' results, in order
        for res in evaluation.results:
            self.results_in.setdefault(res.indicator.section, []).append(res)
        self.any_band = any(res.band for res in evaluation.results)  # a band column is shown only then
        self.commentary_on: dict[tuple[str, str], list] = {}  # ("section" | "indicator", key) -> its rows
        for com in evaluation.raw.commentary:
            if com.indicator_id is None:
                self.commentary_on.setdefault(("section", (com.section or "").strip().lower()), []).append(com)
            elif com.indicator_id:
                self.commentary_on.setdefault(("indicator", com.indicator_id.strip().lower()), []).append(com)
        self.noted = {k[:2] for k in self.notes}  # (kind, key) of every box with carried text
        self.chart_rows: dict[str, int] = {}  # indicator id -> row on the chart data sheet
        self.chart_sheet = next((s.name for s in template.sheets if s.kind == "chart_data"), None)
        self.history = [self.month - i for i in range(SPARKLINE_MONTHS - 1, -1, -1)]  # 12 months to the report month
        self.trend = self.history[-self.months_shown:]

    # helpers ------------------------------------------------------------------
    def header_footer(self, text: str) -> str:
        return (text.replace("{title}", self.title.replace("&", "&&"))
                .replace("{organisation}", self.settings.organisation.replace("&", "&&"))
                .replace("{month}", self.month.long_label))

    def print_setup(self, repeat: tuple[int, int] | None = None, breaks=(), area=None) -> PrintSetup:
        return PrintSetup(landscape=self.tpl.orientation == "landscape", paper=PAPERS[self.tpl.paper],
                          repeat_rows=repeat, header=self.header_footer(self.tpl.header),
                          footer=self.header_footer(self.tpl.footer), breaks=tuple(breaks), print_area=area)

    def style_for(self, ind: Indicator, base: Style) -> Style:
        return base.but(italic=True) if ind.corporate_plan else base

    def title_block(self, sheet: SheetLayout, subtitle: str) -> int:
        sheet.put(0, 0, self.title, self.s["title"])
        line = self.month.long_label + (f" | {self.settings.organisation}" if self.settings.organisation else "")
        sheet.put(1, 0, f"{subtitle} | {line}" if subtitle else line, self.s["subtitle"])
        sheet.heights[0] = 28
        return 3

    def figure_cell(self, sheet: SheetLayout, row: int, col: int, res: Result, figure: Figure | None,
                    month: Month | None, style: Style) -> None:
        """A figure: a number formatted by unit, or its text; labelled with its period
        (``Nov 19:`` in arrears, ``Q4 23/24:`` for a quarter) when ``month`` is given."""
        ind = res.indicator
        style = self.style_for(ind, style)
        label = figure_label(res, month, self.settings.fy_start)
        prefix = f"{label}: " if label else ""
        if figure is not None and self.suppressed(ind, figure.value):
            sheet.put(row, col, prefix + self.marker, style.but(align="right"))
        elif figure is not None and figure.value is not None:
            fmt = number_format(ind, prefix)
            if month is not None and (ind.id, month) in self.restated:
                before = self.restated[(ind.id, month)]
                fmt = f'"\u2020"{fmt}'
                style = style.but(fill="#FFF2CC")
                self.restatements.append(f"{ind.id} {month.label}: now {res.show(figure.value)}, "
                                         f"previously {res.show(before) if isinstance(before, float) else before}")
            sheet.put(row, col, figure.value, style.but(num_format=fmt))
        else:
            text = figure.text if figure is not None and figure.text else "-"
            sheet.put(row, col, prefix + text, style.but(wrap=len(text) > 8))
            if len(text) > 10:
                sheet.heights[row] = max(sheet.heights.get(row, 15), text_height(text, 12))

    @property
    def marker(self) -> str:
        return f"<{self.suppress_below}"

    def suppressed(self, ind: Indicator, value: float | None) -> bool:
        """A small count hidden for a copy that goes outside the council (``--suppress-below``)."""
        return (self.suppress_below is not None and value is not None and ind.unit is Unit.COUNT
                and 0 < value < self.suppress_below)

    def number_cell(self, sheet, row, col, res: Result, value: float | None, style: Style) -> None:
        style = self.style_for(res.indicator, style)
        if self.suppressed(res.indicator, value):
            sheet.put(row, col, self.marker, style)
        elif value is None:
            sheet.put(row, col, "-", style)
        else:
            sheet.put(row, col, value, style.but(num_format=number_format(res.indicator)))

    def target_cell(self, sheet, row, col, res: Result, style: Style, target: float | None = None,
                    upper: float | None = None) -> None:
        """A target (the year-end target unless ``target`` is given, e.g. a month's from a trajectory)."""
        ind = res.indicator
        style = self.style_for(ind, style)
        if target is None:
            target, upper = ind.target, ind.target_upper
        if target is None:
            sheet.put(row, col, "", style)
        elif upper is not None:  # a band: the lower bound is the target cell, the band is shown
            band = f'"–{format_number(upper, ind.decimals, ind.is_percent)}"'
            sheet.put(row, col, target, style.but(num_format=number_format(ind) + band))
        else:
            sheet.put(row, col, target, style.but(num_format=number_format(ind)))

    def rag_cell(self, sheet, row, col, res: Result, value_col: int | None, target_col: int | None) -> None:
        """The RAG word; a live formula when the rated figure and the target are on this row."""
        word = res.rag.rating.value
        formula = None
        hidden = self.suppressed(res.indicator, res.value) or self.suppressed(res.indicator, res.ytd)
        used = res.target_used
        target, upper = (used.value, used.upper) if used else (res.indicator.target, res.indicator.target_upper)
        if value_col is not None and target_col is not None and target is not None and not hidden:
            upper = repr(upper) if upper is not None else None
            formula = rag_formula(a1(row, value_col), a1(row, target_col), res.indicator, upper)
        sheet.put(row, col, word, self.s["rag"], formula=formula)

    def rag_formats(self, sheet: SheetLayout, first_row: int, last_row: int, col: int) -> None:
        if last_row < first_row:
            return
        c = self.tpl.colours
        for rating, key in ((Rating.GREEN, "green"), (Rating.AMBER, "amber"), (Rating.RED, "red"),
                            (Rating.GREY, "grey"), (Rating.NO_DATA, "no_data")):
            fill = c[key]
            font = text_on(fill)  # black or white, whichever reads on the fill; "No data" a softer dark grey
            font = "#404040" if rating is Rating.NO_DATA and font == BLACK else font
            formula = f'=${get_column_letter(col + 1)}{first_row + 1}="{rating.value}"'
            sheet.cond_formats.append(CondFormat(first_row, col, last_row, col, formula,
                                                 Style(fill=fill, colour=font, bold=True)))

    def arrow_cell(self, sheet, row, col, res: Result) -> None:
        travel = res.travel
        c = self.tpl.colours
        if travel.direction is None:
            sheet.put(row, col, "", self.s["centre"])
            return
        colour = {"better": c["better"], "worse": c["worse"]}.get(travel.improvement or "", c["neutral"])
        word = {"better": " better", "worse": " worse", "same": " same"}.get(travel.improvement or "", "")
        sheet.put(row, col, f"{travel.arrow}{word}", self.s["centre"].but(colour=colour, bold=True))

    @staticmethod
    def blanks(res: Result) -> str:
        """How a trend line crosses months without a figure: a quarterly indicator's points
        (one a quarter) are joined; a monthly indicator's missing month stays a gap."""
        return "span" if res.indicator.frequency is Frequency.QUARTERLY else "gap"

    def sparkline(self, sheet, row, col, res: Result) -> None:
        data_row = self.chart_rows.get(res.indicator.id)
        if self.trend_text:
            series = self.ev.raw.figures.get(res.indicator.id, {})
            values = [None if (f := series.get(m)) is None or self.suppressed(res.indicator, f.value) else f.value
                      for m in self.history]
            sheet.put(row, col, text_trend(values), self.s["centre"].but(colour=self.tpl.colours["series_line"]))
            return
        sheet.put(row, col, "", self.s["centre"])
        if data_row is None or self.chart_sheet is None:
            return
        first, last = FIRST_MONTH_COL, FIRST_MONTH_COL + len(self.history) - 1
        source = f"{quote(self.chart_sheet)}!{a1(data_row, first)}:{a1(data_row, last)}"
        sheet.sparklines.append(Sparkline(row, col, source, self.tpl.colours["series_line"], self.blanks(res)))

    def size_columns(self, sheet: SheetLayout, minimum: float = 6, maximum: float = 60,
                     fixed: dict[int, float] | None = None, from_row: int = 3) -> None:
        """Columns sized to their content below the title rows (``fixed`` widths win)."""
        widths: dict[int, float] = {}
        # a table repeats its values (a target in every month's column, the same texts): each
        # distinct value and look measured once
        measured: dict[tuple, float] = {}
        for cell in sheet.cells:
            style = cell.style
            if cell.merge_to or cell.value is None or cell.row < from_row or not style.border:
                continue
            look = (cell.value, type(cell.value), style.num_format, style.bold)
            width = measured.get(look)
            if width is None:
                width = measured[look] = content_width(cell.value, style, maximum)
            widths[cell.col] = max(widths.get(cell.col, minimum), width)
        widths.update(fixed or {})
        sheet.widths.update(widths)

    # sheets -------------------------------------------------------------------
    def build(self) -> Layout:
        sheets: list[SheetLayout] = []
        specs = list(self.tpl.sheets)
        if any(s.kind == "sections" for s in specs):
            taken = {s.name.lower() for s in specs if s.kind != "sections"}
            for section in self.ev.raw.sections:
                name = safe_sheet_name(section, taken)
                taken.add(name.lower())
                self.section_sheets[section] = name
            self.section_numbers = {section: n for n, section in enumerate(self.section_sheets, 1)}
        # the chart data sheet's rows are needed by sparklines on earlier sheets
        chart_spec = next((s for s in specs if s.kind == "chart_data"), None)
        chart_sheet = chart_data.chart_data(self, chart_spec) if chart_spec else None
        for spec in specs:
            if spec.kind == "sections":
                sheets.extend(sections.section_sheet(self, section, name, spec)
                              for section, name in self.section_sheets.items())
            elif spec.kind == "chart_data":
                sheets.append(chart_sheet)
            else:
                sheets.append(SHEET_KINDS[spec.kind](self, spec))
        if self.restatements:
            first = sheets[0]
            row = first.last_row + 2
            first.put(row, 0, "\u2020 Restated figures: these months changed since the previous scorecard "
                              "(records were updated).", self.s["bold"])
            for i, text in enumerate(self.restatements, 1):
                first.put(row + i, 0, text, self.s["note"].but(wrap=False))
        props = {"title": f"{self.title} - {self.month.long_label}",
                 "subject": f"Performance scorecard for {self.month.long_label}",
                 "author": self.settings.organisation or "kpi_xl",
                 "company": self.settings.organisation,
                 "keywords": "performance, scorecard, RAG",
                 "language": "en-GB",  # for screen readers and the PDF (written by xlsx_writer.with_language)
                 "comments": f"Produced by kpi_xl from {self.ev.raw.source} with the {self.tpl.name} template."}
        return Layout(sheets, props, self.tpl.font, self.tpl.font_size,
                      record={"period": self.month.iso(), "raw": self.raw_prints})

    def with_rated_figure(self, cols: list[str], results) -> list[str]:
        """``cols``, with the year to date added before the target when the table shows a RAG
        but not the YTD, and an indicator in it is rated on the YTD: a director sees the
        figure each rating is based on beside it."""
        cols = list(cols)
        if "rag" in cols and "ytd" not in cols and any(r.rated_on_ytd for r in results):
            at = cols.index("target") if "target" in cols else cols.index("rag")
            cols = cols[:at] + ["ytd"] + cols[at:]
        return with_period_target(shown_columns(self, cols), results)

    def row_cells(self, sheet: SheetLayout, row: int, keys: list[str], res: Result) -> None:
        """One indicator's cells under the column keys (``month:<index>`` for a month column)."""
        for col, key in enumerate(keys):
            column(key).fill(self, Place(sheet, row, col, key, keys), res)

    def key_note(self, sheet: SheetLayout, row: int, results, last_col: int) -> None:
        key = next((s.name for s in self.tpl.sheets if s.kind == "key"), None)
        text = ("RAG: Green = target met; Amber = short of target by less than the tolerance; Red = further off; "
                "Grey = no target. Arrows show the change since the previous period, coloured green when better, "
                "red when worse.")
        if any(r.rated_on_ytd for r in results):
            text += " Indicators rated on the year to date are rated on the YTD figure, not the month's."
        if self.tpl.judgement != "rag":
            text += (" Variation and assurance come from statistical process control (SPC): each is an icon and "
                     "words; the key explains them.")
        self.note_line(sheet, row, text, last_col)
        if key:
            sheet.put(row + 1, 0, f"See the {key} sheet for the full key and each indicator's tolerance.",
                      self.s["back"], link=f"internal:{quote(key)}!A1")

    @staticmethod
    def page_points(sheet: SheetLayout) -> float:
        """Rows' height that fits on a page: fit to one page wide shrinks a wide sheet, and
        then more rows fit on a page."""
        width_points = sum(sheet.widths.get(c, 8.43) for c in range(sheet.last_col + 1)) * 5.6
        return PAGE_POINTS * max(1.0, width_points / 780)

    def keep_together(self, sheet: SheetLayout, starts: list[int], header_row: int | None = None) -> list[int]:
        """Page breaks so that each block (from one of ``starts`` to the next) is not split
        across pages when it fits on one: a question is never parted from its answer box."""
        if not starts:
            return []
        blocks = list(zip(starts, [s - 1 for s in starts[1:]] + [sheet.last_row]))
        header = sheet.heights.get(header_row, 15) if header_row is not None else 0
        above = sum(sheet.heights.get(r, 15) for r in range(starts[0])) - header
        return section_breaks(blocks, sheet.heights, header, above, self.page_points(sheet))

    def note_line(self, sheet: SheetLayout, row: int, text: str, last_col: int | None = None) -> None:
        """A note in italics; wrapped across columns 0..``last_col`` when given, so a long
        note never runs past the table and makes fit-to-width shrink the whole page."""
        if last_col is None:
            sheet.put(row, 0, text, self.s["note"].but(wrap=False))
            return
        sheet.put(row, 0, text, self.s["note"], merge_to=(row, last_col))
        sheet.heights[row] = text_height(text, 1.1 * sum(sheet.widths.get(c, 8.43) for c in range(last_col + 1)))

    def ytd_notes(self, sheet: SheetLayout, row: int, results, last_col: int | None = None) -> int:
        """Why a YTD shows ``-`` although figures exist (no quarter of the year has ended yet)."""
        for res in (r for r in results if r.ytd_note):
            self.note_line(sheet, row, f"{self.ev.fy_label} YTD for {res.indicator.id}: {res.ytd_note}.", last_col)
            row += 1
        return row

    @property
    def refresh_note(self) -> str:
        """The Report sheet's *Refresh note* (else a template's ``refresh_note``), as printed."""
        text = self.settings.refresh_note or self.tpl.refresh_note
        return f"Note: {text}" if text else ""


def with_period_target(cols: list[str], results) -> list[str]:
    """``cols``, with the period's target added before the year-end target when the table
    rates an indicator against another target (a trajectory's, a comparator's): both stay
    visible. Where every rating uses the year-end target the column would repeat it: left out."""
    needed = any(target_column(["target", "period_target"], r) == 1 for r in results)
    if not needed:
        return [key for key in cols if key != "period_target"]
    if "rag" in cols and "target" in cols and "period_target" not in cols:
        at = cols.index("target")
        return cols[:at] + ["period_target"] + cols[at:]
    return cols


def build_layout(evaluation: Evaluation, template: Template, restated: dict | None = None,
                 notes: dict | None = None, orphans: list | None = None,
                 suppress_below: int | None = None, trend_text: bool = False) -> Layout:
    with collector_paused():
        return LayoutBuilder(evaluation, template, restated, notes, orphans, suppress_below, trend_text).build()
