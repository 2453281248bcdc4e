"""The scorecard layout: one frozen description of every sheet, cell, rule and chart.

``build_layout(evaluation, template)`` decides *what* goes *where*; the writers
(``xlsx_writer`` for a new file, ``xlwings_writer`` for the open workbook) only render
it, so the ribbon and the scheduled job can never draw two different reports.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace

from openpyxl.utils import get_column_letter

from ..rate.evaluate import Evaluation, Result
from ..rate.formulas import rag_formula
from ..model import Commentary, Figure, Frequency, Indicator, Polarity, Rating, ToleranceType, Unit, YtdMethod
from ..periods import Month, quarter_label
from ..rate.rules import ARROWS, format_number
from .columns import INDICATOR_WIDTH, MONTH_KEY, Place, column
from .sheetnames import safe_sheet_name
from .templates import PAPERS, SheetSpec, Template

# -- primitives -------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    size: float | None = None
    colour: str | None = None  # font colour
    fill: str | None = None
    num_format: str | None = None
    align: str | None = None  # left | center | right
    valign: str = "top"
    wrap: bool = False
    border: bool = False
    indent: int = 0

    def but(self, **changes) -> "Style":
        return replace(self, **changes)


PLAIN = Style()


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    value: object = None  # text or number; for a formula, its computed result
    style: Style = PLAIN
    formula: str | None = None
    link: str | None = None  # "internal:'Sheet'!A1"
    merge_to: tuple[int, int] | None = None  # bottom-right (row, col) of a merged range


@dataclass(frozen=True)
class CondFormat:
    """A formula-type conditional format over a block; the formula is written for its top-left cell."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    formula: str
    style: Style

    @property
    def ref(self) -> str:
        return f"{a1(self.first_row, self.first_col)}:{a1(self.last_row, self.last_col)}"


@dataclass(frozen=True)
class Series:
    name: str
    categories: str  # "='Chart data'!$E$3:$J$3"
    values: str
    colour: str
    dash: str | None = None  # "dash" for the target
    marker: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    row: int
    col: int
    width: int  # pixels
    height: int
    series: tuple[Series, ...]
    number_format: str = "General"
    blanks: str = "gap"  # months without a figure: "gap", or "span" to join a quarterly series' points


@dataclass(frozen=True)
class Sparkline:
    row: int
    col: int
    source: str  # "'Chart data'!E5:P5"
    colour: str
    blanks: str = "gap"  # as Chart.blanks


@dataclass(frozen=True)
class PrintSetup:
    landscape: bool = True
    paper: int = 9  # A4
    fit_width: int = 1
    fit_height: int = 0  # 0: as many pages as needed
    repeat_rows: tuple[int, int] | None = None
    header: str = ""
    footer: str = ""
    breaks: tuple[int, ...] = ()
    print_area: tuple[int, int, int, int] | None = None


@dataclass
class SheetLayout:
    name: str
    cells: list[Cell] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None
    cond_formats: list[CondFormat] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    sparklines: list[Sparkline] = field(default_factory=list)
    print_setup: PrintSetup = field(default_factory=PrintSetup)
    names: list[tuple[str, str]] = field(default_factory=list)  # (defined name, "$A$4:$I$40")
    kind: str = ""

    def put(self, row: int, col: int, value=None, style: Style = PLAIN, **kw) -> None:
        self.cells.append(Cell(row, col, value, style, **kw))

    @property
    def last_row(self) -> int:
        return max((c.merge_to[0] if c.merge_to else c.row for c in self.cells), default=0)

    @property
    def last_col(self) -> int:
        return max((c.merge_to[1] if c.merge_to else c.col for c in self.cells), default=0)


@dataclass
class Layout:
    sheets: list[SheetLayout]
    properties: dict[str, object]
    font: str = "Calibri"
    font_size: float = 10
    protect: bool = False  # protect every sheet against accidental edits (no password)
    #: what the next run needs to tell typed text from kpi_xl's own: the report month and,
    #: per answer box, a fingerprint of the raw workbook's text shown in it (``kpi_xl.run.carry``)
    record: dict = field(default_factory=dict)

    def sheet(self, name: str) -> SheetLayout:
        return next(s for s in self.sheets if s.name == name)


def a1(row: int, col: int, absolute: bool = False) -> str:
    if absolute:
        return f"${get_column_letter(col + 1)}${row + 1}"
    return f"{get_column_letter(col + 1)}{row + 1}"


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# -- number formats and text ----------------------------------------------------


def number_format(ind: Indicator, prefix: str = "") -> str:
    decimals = "." + "0" * ind.decimals if ind.decimals else ""
    body = f"0{decimals}%" if ind.is_percent else f"#,##0{decimals}"
    if prefix:
        return f'"{prefix}"{body}'
    return body


RAG_ORDER = (Rating.GREEN, Rating.AMBER, Rating.RED, Rating.GREY, Rating.NO_DATA)
OVERVIEW_LISTS = ("Going well or better", "Ones to watch", "Things to do better")
ORPHANS_HEADING = "Orphaned notes from the previous scorecard"  # the list of notes that have no box
QUESTIONS = (("why", "Why does the data look the way it does?"),
             ("what", "What are you going to do about it?"),
             ("when", "When are you going to do it by?"))


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


def figure_label(res: Result, month: Month | None, fy_start: int = 4) -> str:
    """What a figure shown outside its own month's column is labelled with: its quarter
    (``Q4 23/24``) for a quarterly indicator, its month (``Nov 19``) for one in arrears."""
    if month is None:
        return ""
    if res.indicator.frequency is Frequency.QUARTERLY:
        quarter, year = quarter_label(month, fy_start).split(" ")
        return f"{quarter} {year[2:] if '/' in year else year}"
    return month.short_label if res.in_arrears else ""


CHART_DATA_NOTE = ("The last 12 months of each indicator, its target and last year's average, as used by the "
                   "sparklines and charts (blank means no figure). The table is for the charts and is not printed: "
                   "open the workbook to see it.")

BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def text_trend(values: list[float | None]) -> str:
    """A sparkline in text (``▁▃▅▇``), a space for a month with no figure."""
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    return "".join(" " if v is None else BARS[round((v - low) / span * 7) if high != low else 3] for v in values)


def text_height(text: str, width_chars: float, line_height: float = 13.5) -> float:
    """Row height (points) that shows ``text`` wrapped in a cell ``width_chars`` wide."""
    lines = 0
    for para in (text or "").split("\n"):
        lines += max(1, math.ceil(len(para) * 0.95 / max(width_chars, 10)))
    return min(409, max(15, lines * line_height + 3))


# -- the builder -----------------------------------------------------------------


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
        self.chart_rows: dict[str, int] = {}  # indicator id -> row on the chart data sheet
        self.chart_sheet = next((s.name for s in template.sheets if s.kind == "chart_data"), None)
        self.history = [self.month - i for i in range(11, -1, -1)]  # 12 months to the report month
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

    def title_block(self, sheet: SheetLayout, subtitle: str, width: int) -> int:
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

    def target_cell(self, sheet, row, col, res: Result, style: Style) -> None:
        ind = res.indicator
        style = self.style_for(ind, style)
        if ind.target is None:
            sheet.put(row, col, "", style)
        elif ind.target_upper is not None:  # a band: the lower bound is the target cell, the band is shown
            band = f'"–{format_number(ind.target_upper, ind.decimals, ind.is_percent)}"'
            sheet.put(row, col, ind.target, style.but(num_format=number_format(ind) + band))
        else:
            sheet.put(row, col, ind.target, style.but(num_format=number_format(ind)))

    def rag_cell(self, sheet, row, col, res: Result, value_col: int | None, target_col: int | None) -> None:
        """The RAG word; a live formula when the rated figure and the target are on this row."""
        word = res.rag.rating.value
        formula = None
        hidden = self.suppressed(res.indicator, res.value) or self.suppressed(res.indicator, res.ytd)
        if value_col is not None and target_col is not None and res.indicator.target is not None and not hidden:
            upper = repr(res.indicator.target_upper) if res.indicator.target_upper is not None else None
            formula = rag_formula(a1(row, value_col), a1(row, target_col), res.indicator, upper)
        sheet.put(row, col, word, self.s["rag"], formula=formula)

    def rag_formats(self, sheet: SheetLayout, first_row: int, last_row: int, col: int) -> None:
        if last_row < first_row:
            return
        c = self.tpl.colours
        for rating, fill, font in ((Rating.GREEN, c["green"], "#000000"), (Rating.AMBER, c["amber"], "#000000"),
                                   (Rating.RED, c["red"], "#FFFFFF"), (Rating.GREY, c["grey"], "#000000"),
                                   (Rating.NO_DATA, c["no_data"], "#404040")):
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
        first, last = 4, 4 + len(self.history) - 1
        source = f"{quote(self.chart_sheet)}!{a1(data_row, first)}:{a1(data_row, last)}"
        sheet.sparklines.append(Sparkline(row, col, source, self.tpl.colours["series_line"], self.blanks(res)))

    def size_columns(self, sheet: SheetLayout, minimum: float = 6, maximum: float = 60,
                     fixed: dict[int, float] | None = None, from_row: int = 3) -> None:
        """Columns sized to their content below the title rows (``fixed`` widths win)."""
        widths: dict[int, float] = {}
        for cell in sheet.cells:
            if cell.merge_to or cell.value is None or cell.row < from_row or not cell.style.border:
                continue
            if isinstance(cell.value, float) and cell.style.num_format:
                text = format_number(cell.value, 1, "%" in cell.style.num_format) + "   "
                if '"' in cell.style.num_format:
                    text += cell.style.num_format.split('"')[1]
            else:
                text = str(cell.value)
            longest = max((len(part) for part in text.split("\n")), default=0)
            if cell.style.bold:
                longest *= 1.1
            width = min(maximum, longest + 2)
            if isinstance(cell.value, float) and '"' in (cell.style.num_format or ""):
                # a labelled number ("Q3 13/14: 16.5%") cannot wrap: give it the width it needs, or Excel shows ###
                label, body = cell.style.num_format[1:].rsplit('"', 1)
                width = max(width, len(label + format_number(cell.value, body.count("0") - 1, "%" in body)) + 2)
            widths[cell.col] = max(widths.get(cell.col, minimum), width)
        widths.update(fixed or {})
        sheet.widths.update(widths)

    # sheets -------------------------------------------------------------------
    def build(self) -> Layout:
        self.restatements: list[str] = []
        sheets: list[SheetLayout] = []
        specs = list(self.tpl.sheets)
        if any(s.kind == "sections" for s in specs):
            taken = {s.name.lower() for s in specs if s.kind != "sections"}
            for section in self.ev.raw.sections:
                name = safe_sheet_name(section, taken)
                taken.add(name.lower())
                self.section_sheets[section] = name
        # the chart data sheet's rows are needed by sparklines on earlier sheets
        chart_spec = next((s for s in specs if s.kind == "chart_data"), None)
        chart_sheet = self.chart_data(chart_spec) if chart_spec else None
        for spec in specs:
            if spec.kind == "sections":
                sheets.extend(self.section_sheet(section, name, spec) for section, name in self.section_sheets.items())
            elif spec.kind == "chart_data":
                sheets.append(chart_sheet)
            else:
                sheets.append(getattr(self, spec.kind)(spec))
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
                 "comments": f"Produced by kpi_xl from {self.ev.raw.source} with the {self.tpl.name} template."}
        return Layout(sheets, props, self.tpl.font, self.tpl.font_size,
                      record={"period": self.month.iso(), "raw": self.raw_prints})

    def chart_data(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="chart_data")
        sheet.put(0, 0, "Figures behind the trend lines and charts", self.s["title"])
        head = 3
        trend_first = 4 + len(self.history)
        headers = ["ID", "Indicator", "Target", f"{self.ev.prior_fy_label} average"]
        headers += [m.label for m in self.history]
        headers += [f"Target {m.label}" for m in self.trend] + [f"{self.ev.prior_fy_label} avg {m.label}"
                                                                for m in self.trend]
        for col, text in enumerate(headers):
            sheet.put(head, col, text, self.s["header"])
        row = head + 1
        for res in self.ev.results:
            ind = res.indicator
            fmt = self.s["cell"].but(num_format=number_format(ind))
            sheet.put(row, 0, ind.id, self.s["text"])
            sheet.put(row, 1, ind.title, self.s["text"].but(wrap=False))
            sheet.put(row, 2, ind.target if ind.target is not None else "", fmt)
            sheet.put(row, 3, res.prior_year_mean if res.prior_year_mean is not None else "", fmt)
            series = self.ev.raw.figures.get(ind.id, {})
            for i, month in enumerate(self.history):
                fig = series.get(month)
                shown = fig is not None and fig.value is not None and not self.suppressed(ind, fig.value)
                sheet.put(row, 4 + i, fig.value if shown else "", fmt)
            for i in range(len(self.trend)):
                if ind.target is not None:
                    sheet.put(row, trend_first + i, ind.target, fmt, formula=f"=$C{row + 1}")
                if res.prior_year_mean is not None:
                    sheet.put(row, trend_first + len(self.trend) + i, res.prior_year_mean, fmt,
                              formula=f"=$D{row + 1}")
            self.chart_rows[ind.id] = row
            row += 1
        sheet.freeze = (head + 1, 2)
        sheet.names.append(("Chart_data", f"$A${head + 1}:${get_column_letter(len(headers))}${row}"))
        self.size_columns(sheet, maximum=50)
        # the table is for the charts, and too wide to read on paper: only the note is printed
        sheet.put(1, 0, CHART_DATA_NOTE, self.s["note"], merge_to=(1, 3))
        sheet.heights[1] = text_height(CHART_DATA_NOTE, sum(sheet.widths.get(c, 8.43) for c in range(4)))
        sheet.print_setup = self.print_setup(area=(0, 0, 1, 3))
        return sheet

    def kpi_table(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="kpi_table")
        row = self.title_block(sheet, "Key Performance Indicators", len(spec.columns))
        return self.indicator_table(sheet, spec, row, name="KPI_table")

    def front_page(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="front_page")
        row = self.title_block(sheet, "", len(spec.columns))
        sheet.put(row - 1, 0, self.tpl.corporate_plan_note, self.s["note"].but(italic=True, wrap=False))
        return self.indicator_table(sheet, spec, row, name="Front_page")

    def with_rated_figure(self, cols: list[str], results) -> list[str]:
        """``cols``, with the year to date added before the target when the table shows a RAG
        but not the YTD, and an indicator in it is rated on the YTD: a director sees the
        figure each rating is based on beside it."""
        if "rag" in cols and "ytd" not in cols and any(r.rated_on_ytd for r in results):
            at = cols.index("target") if "target" in cols else cols.index("rag")
            return cols[:at] + ["ytd"] + cols[at:]
        return cols

    def indicator_table(self, sheet: SheetLayout, spec: SheetSpec, row: int, name: str) -> SheetLayout:
        cols = self.with_rated_figure(list(spec.columns), self.ev.results)
        if "months" in cols:
            i = cols.index("months")
            cols[i:i + 1] = [f"{MONTH_KEY}{m.index}" for m in self.trend]
        header_row = row
        for col, key in enumerate(cols):
            sheet.put(row, col, column(key).header(self, key, spec.kind, cols),
                      self.s["header_left"] if key == "indicator" else self.s["header"])
        sheet.heights[row] = 30
        row += 1
        first_data = row
        rag_col = cols.index("rag") if "rag" in cols else None
        rag_rows: list[int] = []
        section_rows: list[tuple[int, int]] = []  # (first, last) row of each section block
        for section in self.ev.raw.sections:
            start = row
            label = section.upper() if spec.kind == "kpi_table" else section
            sheet.put(row, 0, label, self.s["section"], merge_to=(row, len(cols) - 1))
            if spec.kind == "front_page" and section in self.section_sheets:
                sheet.cells[-1] = replace(sheet.cells[-1],
                                          link=f"internal:{quote(self.section_sheets[section])}!A1")
            sheet.heights[row] = 18
            row += 1
            for res in (r for r in self.ev.results if r.indicator.section == section):
                self.indicator_row(sheet, row, cols, res, spec)
                rag_rows.append(row)
                row += 1
            section_rows.append((start, row - 1))
        if rag_col is not None and rag_rows:
            self.rag_formats(sheet, first_data, row - 1, rag_col)
        fixed = {cols.index(key): column(key).width for key in cols if column(key).width}
        self.size_columns(sheet, minimum=8, maximum=14, fixed=fixed)
        sheet.freeze = (header_row + 1, cols.index("indicator") + 1 if "indicator" in cols else 0)
        sheet.names.append((name, f"$A${header_row + 1}:${get_column_letter(len(cols))}${row}"))
        self.key_note(sheet, row + 1, self.ev.results, len(cols) - 1)
        self.ytd_notes(sheet, sheet.last_row + 1, self.ev.results if "ytd" in cols else [], len(cols) - 1)
        if self.refresh_note and spec.kind == "kpi_table":  # under the title
            self.note_line(sheet, header_row - 1, self.refresh_note, len(cols) - 1)
        elif self.refresh_note:  # at the foot
            self.note_line(sheet, sheet.last_row + 1, self.refresh_note, len(cols) - 1)
        first_page = sum(sheet.heights.get(r, 15) for r in range(header_row))
        if section_rows:  # the notes under the table stay with its last section
            section_rows[-1] = (section_rows[-1][0], sheet.last_row)
        breaks = section_breaks(section_rows, sheet.heights, sheet.heights.get(header_row, 15), first_page,
                                self.page_points(sheet))
        sheet.print_setup = self.print_setup(repeat=(header_row, header_row), breaks=breaks)
        return sheet

    def indicator_row(self, sheet: SheetLayout, row: int, cols: list[str], res: Result, spec: SheetSpec) -> None:
        sheet.heights[row] = max(text_height(res.indicator.title, INDICATOR_WIDTH), 18)
        self.row_cells(sheet, row, cols, res)

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

    def section_sheet(self, section: str, name: str, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(name, kind="section")
        front = next((s.name for s in self.tpl.sheets if s.kind in ("front_page", "kpi_table", "overview")), None)
        sheet.put(0, 0, section, self.s["title"])
        sheet.heights[0] = 28
        sheet.put(1, 0, f"{self.title} | {self.month.long_label}", self.s["subtitle"])
        if front:
            sheet.put(0, 6, "\u25C4 Back to the " + front.lower(), self.s["back"], link=f"internal:{quote(front)}!A1")
        results = [r for r in self.ev.results if r.indicator.section == section]
        if any(r.indicator.corporate_plan for r in results):
            sheet.put(2, 0, self.tpl.corporate_plan_note, self.s["note"].but(wrap=False))
        row = 4
        monthly = [r for r in results if r.indicator.frequency is Frequency.MONTHLY]
        quarterly = [r for r in results if r.indicator.frequency is Frequency.QUARTERLY]
        cols = self.with_rated_figure(list(spec.columns), results)
        last_col = len(cols) - 2 + len(self.trend)  # the months take len(self.trend) columns
        header_row = row
        if monthly:
            row = self.section_block(sheet, row, cols, monthly, [(m, m.label) for m in self.trend])
        if quarterly:
            if monthly:
                row += 1
            ends = sorted({r.period for r in quarterly})
            last = ends[-1]
            quarters = [last - 3 * i for i in range(len(self.trend) - 1, -1, -1)]
            row = self.section_block(sheet, row, cols, quarterly,
                                     [(q, quarter_label(q, self.settings.fy_start)) for q in quarters])
        for dist in (d for d in self.ev.raw.distributions if d.section.lower() == section.lower()):
            row += 1
            sheet.put(row, 0, dist.title, self.s["header_left"])
            for i, band in enumerate(dist.bands):
                sheet.put(row, 1 + i, band, self.s["header"])
            row += 1
            for label, values in dist.rows:
                sheet.put(row, 0, label, self.s["text"])
                for i, value in enumerate(values):
                    if isinstance(value, float):
                        fmt = "0%" if dist.unit.value == "%" else "#,##0"
                        sheet.put(row, 1 + i, value, self.s["cell"].but(num_format=fmt))
                    else:
                        sheet.put(row, 1 + i, "-" if value is None else value, self.s["cell"])
                row += 1
        starts = [header_row + 1]  # the tables, then each commentary item
        row = self.commentary_block(sheet, row + 1, last_col, self.section_commentary(section, results),
                                    starts=starts)
        if section == self.ev.raw.sections[-1] and not any(s.kind == "commentary" for s in self.tpl.sheets):
            row = self.other_commentary(sheet, row + 1, self.unmatched_commentary(), starts)
        widths = {0: 55}
        sheet.freeze = (header_row + 1, 1)
        self.size_columns(sheet, minimum=9, maximum=14, fixed=widths)
        sheet.print_setup = self.print_setup(repeat=(header_row, header_row),
                                             breaks=self.keep_together(sheet, starts, header_row))
        return sheet

    def section_block(self, sheet, row, cols, results: list[Result], periods: list[tuple[Month, str]]) -> int:
        expanded = []
        for key in cols:
            expanded += [f"{MONTH_KEY}{m.index}" for m, _ in periods] if key == "months" else [key]
        labels = dict((f"{MONTH_KEY}{m.index}", label) for m, label in periods)
        for col, key in enumerate(expanded):
            sheet.put(row, col, labels.get(key) or column(key).header(self, key, "sections", expanded),
                      self.s["header_left"] if key == "indicator" else self.s["header"])
        sheet.heights[row] = 30
        row += 1
        first = row
        for res in results:
            sheet.heights[row] = max(18, text_height(res.indicator.title, 55))
            self.row_cells(sheet, row, expanded, res)
            row += 1
        if "rag" in expanded:
            self.rag_formats(sheet, first, row - 1, expanded.index("rag"))
        return self.ytd_notes(sheet, row, results) if "ytd" in expanded else row

    def section_commentary(self, section: str, results: list[Result],
                           always: bool = True) -> list[tuple[str, tuple[str, str], Commentary]]:
        """(heading, key, commentary) for a section and its indicators; an empty block for
        the section itself when ``always`` so there is somewhere to type."""
        found = [("", ("section", section.strip().lower()), com) for com in self.ev.raw.commentary
                 if com.indicator_id is None and (com.section or "").strip().lower() == section.strip().lower()]
        if not found and (always or any(k[:2] == ("section", section.strip().lower()) for k in self.notes)):
            found.append(("", ("section", section.strip().lower()), Commentary(section, None)))
        for res in results:
            ind = res.indicator
            key = ("indicator", ind.id.lower())
            coms = [c for c in self.ev.raw.commentary if c.indicator_id and c.indicator_id.strip().lower() == key[1]]
            if not coms and any(k[:2] == key for k in self.notes):
                coms = [Commentary(None, ind.id)]
            found += [(f"{ind.id} {ind.title}", key, com) for com in coms]
        return found

    def commentary_block(self, sheet: SheetLayout, row: int, last_col: int,
                         items: list[tuple[str, tuple[str, str], Commentary]],
                         heading: str = "Service analysis", starts: list[int] | None = None) -> int:
        """The three questions and their answers; each answer cell is named after its
        section or indicator so the next run can carry typed text over. The first row of
        each item (the heading with the first) is added to ``starts``, to keep it on one page."""
        width_chars = 55 + 11 * last_col
        sheet.put(row, 0, heading, self.s["subtitle"])
        if starts is not None:
            starts.append(row)
        row += 1
        for i, (title, key, com) in enumerate(items):
            if starts is not None and i:
                starts.append(row)
            if title:
                sheet.put(row, 0, title, self.s["bold"])
                row += 1
            for field_name, question in QUESTIONS:
                sheet.put(row, 0, question, self.s["question"])
                row += 1
                raw = getattr(com, field_name)
                answer = self.notes.get((key[0], key[1], field_name), raw)
                self.answer_box(sheet, row, last_col, answer, note_name(key, field_name), width_chars, raw)
                row += 1
        return row

    def answer_box(self, sheet: SheetLayout, row: int, last_col: int, text: str, name: str,
                   width_chars: float, raw: str = "") -> None:
        """A merged, wrapped box for typed commentary, named so the next run can carry it over;
        ``raw`` is the raw workbook's text for it, fingerprinted so the next run can tell
        whether a person changed the box."""
        sheet.put(row, 0, text, self.s["answer"], merge_to=(row, last_col))
        sheet.heights[row] = text_height(text, width_chars) if text else 30
        if name not in self.named:
            self.named.add(name)
            sheet.names.append((name, f"$A${row + 1}"))
            if raw:
                self.raw_prints[fingerprint(name)] = fingerprint(raw)

    def overview_line(self, res: Result) -> str:
        """One line of an overview list: the figure rated (labelled with its quarter, its month
        in arrears, or as the year to date), the target and the change."""
        ind = res.indicator
        label = figure_label(res, res.period, self.settings.fy_start)
        hidden = self.suppressed(ind, res.value)
        figure = self.marker if hidden else res.show_figure(res.figure)
        figure = f"{label}: {figure}" if label else figure
        if res.rated_on_ytd:
            ytd = self.marker if self.suppressed(ind, res.ytd) else res.show(res.ytd)
            text = f"{ind.id} {ind.title}: {self.ev.fy_label} YTD {ytd}"
        else:
            text = f"{ind.id} {ind.title}: {figure}"
        if ind.target is not None:
            text += f" against a target of {res.show(ind.target)}"
        if res.rated_on_ytd:
            text += f"; {figure}" if label else f"; this month {figure}"
        if res.travel.text and not hidden:
            previous = figure_label(res, res.previous_period, self.settings.fy_start) or res.previous_period.short_label
            text += f" ({res.travel.text.lower() if res.travel.text != 'No change' else 'no change'} on {previous})"
        return text

    @property
    def refresh_note(self) -> str:
        """The Report sheet's *Refresh note* (else a template's ``refresh_note``), as printed."""
        text = self.settings.refresh_note or self.tpl.refresh_note
        return f"Note: {text}" if text else ""

    def overview(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="overview")
        row = self.title_block(sheet, "Overview of performance", 4)
        for col in range(5):
            sheet.widths[col] = 24
        if self.refresh_note:
            self.note_line(sheet, row - 1, self.refresh_note, 4)
        counts = self.ev.counts()
        sheet.put(row, 0, "Ratings this month", self.s["bold"])
        for i, rating in enumerate(RAG_ORDER):
            sheet.put(row + 1, i, f"{rating.value}: {counts[rating.value]}", self.s["rag"].but(
                fill=self.tpl.colours[{"No data": "no_data"}.get(rating.value, rating.value.lower())],
                colour="#FFFFFF" if rating is Rating.RED else "#000000"))
        row += 3
        overrides: dict[str, list[str]] = {}
        for item in self.ev.raw.overview:
            overrides.setdefault(item.list_name, []).append(item.text)
        proposed: dict[str, list[str]] = {name: [] for name in OVERVIEW_LISTS}
        for res in self.ev.results:
            name = propose_list(res)
            if name:
                proposed[name].append(self.overview_line(res))
        fills = {"Going well or better": self.tpl.colours["green"], "Ones to watch": self.tpl.colours["amber"],
                 "Things to do better": self.tpl.colours["red"]}
        starts: list[int] = []  # each list kept on one page where it fits
        for name in OVERVIEW_LISTS:
            starts.append(row)
            items = overrides.get(name, proposed[name])
            source = "from the raw workbook's Overview sheet" if name in overrides else "proposed from the ratings"
            sheet.put(row, 0, f"{name.upper()} ({source})", self.s["header_left"].but(
                fill=fills[name], colour="#FFFFFF" if name == "Things to do better" else "#000000"),
                merge_to=(row, 4))
            sheet.heights[row] = 20
            row += 1
            for text in items or ["(none this month)"]:
                sheet.put(row, 0, "\u2022 " + text, self.s["answer"].but(border=False), merge_to=(row, 4))
                sheet.heights[row] = text_height(text, 140)  # 10pt text in five 24-wide columns
                row += 1
            row += 1
        sheet.put(row, 0, OVERVIEW_RULE, self.s["note"], merge_to=(row, 4))
        sheet.heights[row] = text_height(OVERVIEW_RULE, 110)
        # one page wide at full size (never shrunk to one page), as many pages long as the lists need
        sheet.print_setup = self.print_setup(breaks=self.keep_together(sheet, starts))
        return sheet

    def trends(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="trends")
        row = self.title_block(sheet, f"{len(self.trend)} month trends", 8)
        sheet.put(row - 1, 0, "Blue line: the figure each month. Red dashed line: the target. Grey line: last "
                              f"year's ({self.ev.prior_fy_label}) average.", self.s["note"].but(wrap=False))
        per_row = spec.charts_per_row
        chart_cols, chart_rows = 8, 13
        width, height = 64 * chart_cols - 10, 20 * chart_rows - 10
        charts = [r for r in self.ev.results if any(
            (f := self.ev.raw.figures.get(r.indicator.id, {}).get(m)) is not None and f.value is not None
            for m in self.trend)]
        breaks = []
        start_row = row
        rows_per_page = 2
        for i, res in enumerate(charts):
            ind = res.indicator
            grid_row, grid_col = divmod(i, per_row)
            top = start_row + grid_row * chart_rows
            if grid_col == 0 and grid_row and grid_row % rows_per_page == 0:
                breaks.append(top)
            data_row = self.chart_rows[ind.id]
            first = 4 + len(self.history) - len(self.trend)
            last = 4 + len(self.history) - 1
            ds = quote(self.chart_sheet)
            cats = f"={ds}!{a1(3, first, True)}:{a1(3, last, True)}"
            series = [Series(f"{ind.id}", cats, f"={ds}!{a1(data_row, first, True)}:{a1(data_row, last, True)}",
                             self.tpl.colours["series_line"], marker=True)]
            tfirst = 4 + len(self.history)
            if ind.target is not None:
                series.append(Series("Target", cats, f"={ds}!{a1(data_row, tfirst, True)}:"
                                                     f"{a1(data_row, tfirst + len(self.trend) - 1, True)}",
                                     self.tpl.colours["target_line"], dash="dash"))
            if res.prior_year_mean is not None:
                pfirst = tfirst + len(self.trend)
                series.append(Series(f"{self.ev.prior_fy_label} average", cats,
                                     f"={ds}!{a1(data_row, pfirst, True)}:{a1(data_row, pfirst + len(self.trend) - 1, True)}",
                                     self.tpl.colours["prior_year_line"]))
            title = f"{ind.id}: {ind.title}"
            if len(title) > 70:
                title = title[:67].rstrip() + "..."
            sheet.charts.append(Chart(title, top, grid_col * chart_cols, width, height, tuple(series),
                                      number_format(ind), self.blanks(res)))
        last_row = start_row + math.ceil(len(charts) / per_row) * chart_rows
        sheet.put(last_row, 0, "")
        sheet.print_setup = self.print_setup(breaks=breaks, area=(0, 0, last_row, per_row * chart_cols - 1))
        return sheet

    def commentary(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="commentary")
        row = self.title_block(sheet, "Commentary", 6)
        starts: list[int] = []
        for section in self.ev.raw.sections:
            results = [r for r in self.ev.results if r.indicator.section == section]
            items = self.section_commentary(section, results)
            if not items:
                continue
            row = self.commentary_block(sheet, row, 5, items, heading=section, starts=starts)
            row += 1
        row = self.other_commentary(sheet, row, self.unmatched_commentary(), starts)
        for col in range(6):
            sheet.widths[col] = 55 if col == 0 else 20
        sheet.print_setup = self.print_setup(breaks=self.keep_together(sheet, starts))
        return sheet

    def unmatched_commentary(self) -> list[Commentary]:
        """Commentary rows whose section or indicator is not in the report."""
        sections = {s.strip().lower() for s in self.ev.raw.sections}
        ids = {r.indicator.id.lower() for r in self.ev.results}
        return [c for c in self.ev.raw.commentary
                if not ((c.indicator_id and c.indicator_id.strip().lower() in ids)
                        or (not c.indicator_id and (c.section or "").strip().lower() in sections))]

    def other_commentary(self, sheet, row, orphans: list[Commentary], starts: list[int] | None = None) -> int:
        """Commentary typed for a section or indicator that is not in the report, and notes
        carried from the previous scorecard whose section or indicator has gone: kept, never dropped."""
        if orphans:
            items = [(f"{c.indicator_id or c.section or '(no section)'} (typed at {c.where})",
                      ("other", c.where), c) for c in orphans]
            row = self.commentary_block(sheet, row, 5, items, heading="Other commentary", starts=starts)
        if self.orphans:
            row += 1
            if starts is not None:
                starts.append(row)
            sheet.put(row, 0, ORPHANS_HEADING, self.s["subtitle"])
            text = ("Notes carried over: typed outside an answer box, for a section or indicator no longer in the "
                    "report, or for an earlier month's report. Move any still needed to an answer box or the raw "
                    "workbook's Commentary sheet; delete a note here once dealt with.")
            sheet.put(row + 1, 0, text, self.s["note"], merge_to=(row + 1, 5))
            sheet.heights[row + 1] = text_height(text, 120)
            row += 2
            for i, note in enumerate(self.orphans):
                if starts is not None and i:
                    starts.append(row)
                sheet.put(row, 0, note.title, self.s["bold"])
                self.answer_box(sheet, row + 1, 5, note.text, note_name(("other", note.where), note.question), 120)
                row += 2
        return row

    def key(self, spec: SheetSpec) -> SheetLayout:
        sheet = SheetLayout(spec.name, kind="key")
        sheet.put(0, 0, "Key", self.s["title"])
        c = self.tpl.colours
        row = 2
        sheet.put(row, 0, "Rating", self.s["header_left"])
        sheet.put(row, 1, "Meaning", self.s["header_left"])
        meanings = [
            (Rating.GREEN, c["green"], "The target is met."),
            (Rating.AMBER, c["amber"], "Short of the target by less than the tolerance."),
            (Rating.RED, c["red"], "Short of the target by the tolerance or more."),
            (Rating.GREY, c["grey"], "No target, or an activity measure that is not judged."),
            (Rating.NO_DATA, c["no_data"], "No figure for the period rated."),
        ]
        for rating, fill, text in meanings:
            row += 1
            sheet.put(row, 0, rating.value, self.s["rag"].but(fill=fill, colour="#FFFFFF" if rating is Rating.RED
                                                                else "#000000"))
            sheet.put(row, 1, text, self.s["text"])
        row += 2
        sheet.put(row, 0, "Arrow", self.s["header_left"])
        sheet.put(row, 1, "Meaning", self.s["header_left"])
        for arrow, colour, text in ((ARROWS["up"] + " better", c["better"], "Up since the previous period, which is an improvement."),
                                    (ARROWS["down"] + " worse", c["worse"], "Down since the previous period, which is worse (for example fewer visits on time)."),
                                    (ARROWS["up"] + " worse", c["worse"], "Up, which is worse where lower is better (for example re-referrals)."),
                                    (ARROWS["same"] + " same", c["neutral"], "No change at the figure's displayed precision."),
                                    (ARROWS["up"], c["neutral"], "Up or down, with no judgement: an activity measure.")):
            row += 1
            sheet.put(row, 0, arrow, self.s["centre"].but(colour=colour, bold=True))
            sheet.put(row, 1, text, self.s["text"])
            sheet.heights[row] = text_height(text, 50)
        row += 2
        s = self.settings
        unit = "percentage points (for a %) or the indicator's own unit" if s.tolerance_type is ToleranceType.POINTS \
            else "per cent of the target"
        for text in (
            f"Ratings are worked out at the figure's displayed precision: a figure shown 10pp short is exactly 10pp short.",
            f"Report default: rated on the {'year to date' if s.rag_basis.value == 'YTD' else 'month'}; Amber band "
            f"{s.tolerance:g} {unit}.",
            "Percentages are stored as fractions (85% is 0.85). Financial years run April to March.",
            "YTD: a sum for counts, numerators over denominators for ratios, the latest figure for snapshots, "
            "a mean for averages.",
            "Indicators in italics are in the corporate plan.",
        ):
            sheet.put(row, 0, text, self.s["note"].but(italic=False, wrap=False))
            row += 1
        row += 1
        heads = ["ID", "Indicator", "Unit", "Polarity", "Target", "Tolerance", "Rated on", "YTD", "Why this rating"]
        for col, text in enumerate(heads):
            sheet.put(row, col, text, self.s["header_left"])
        row += 1
        for res in self.ev.results:
            ind = res.indicator
            tol = (f"{ind.tolerance:g}{'pp' if ind.is_percent else ''}" if ind.tolerance_type is ToleranceType.POINTS
                   else f"{ind.tolerance:g}% of target")
            target = "" if ind.target is None else res.show(ind.target) + (
                f"-{res.show(ind.target_upper)}" if ind.target_upper is not None else "")
            values = [ind.id, ind.title, ind.unit.value, ind.polarity.value, target,
                      tol if ind.target is not None and ind.polarity is not Polarity.NONE else "",
                      ind.rag_basis.value, ind.ytd_method.value if ind.ytd_method is not YtdMethod.NONE else "",
                      f"{res.rag.rating.value}: {res.rag.reason}"]
            for col, value in enumerate(values):
                sheet.put(row, col, value, self.style_for(ind, self.s["text"]))
            sheet.heights[row] = max(text_height(ind.title, 50), text_height(values[-1], 60))
            row += 1
        for col, width in enumerate([12, 50, 8, 9, 9, 14, 9, 8, 60]):
            sheet.widths[col] = width
        sheet.print_setup = self.print_setup()
        return sheet


PAGE_POINTS = 500  # rows' height that fits on an A4 landscape page at 100% scale, header and footer aside


def section_breaks(blocks: list[tuple[int, int]], heights: dict[int, float], header: float,
                   first_page: float = 0, page: float = PAGE_POINTS) -> list[int]:
    """Page breaks before a section that would otherwise start near the foot of a page and
    run on to the next (a section longer than a page simply continues)."""
    breaks, used = [], first_page + header
    for first, last in blocks:
        size = sum(heights.get(r, 15) for r in range(first, last + 1))
        if used + size > page and used > header + first_page * (not breaks) and size <= page - header:
            breaks.append(first)
            used = header
        used += size
        while used > page:  # a block running over pages
            used -= page - header
    return breaks


def note_name(key: tuple[str, str], question: str) -> str:
    """The defined name of an answer cell: ``KPI_why_s_<hex of the section name>``."""
    return f"KPI_{question}_{key[0][0]}_{key[1].encode('utf-8').hex()}"


def fingerprint(text: str) -> str:
    """A short fingerprint of a text (line endings and surrounding spaces ignored)."""
    clean = "\n".join(line.rstrip() for line in str(text or "").replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()[:10]


def parse_note_name(name: str) -> tuple[str, str, str] | None:
    """(kind, key, question) from a name made by ``note_name``; ``None`` for other names."""
    parts = name.split("_", 3)
    kinds = {"s": "section", "i": "indicator", "o": "other"}
    if len(parts) != 4 or parts[0] != "KPI" or parts[2] not in kinds:
        return None
    try:
        return kinds[parts[2]], bytes.fromhex(parts[3]).decode("utf-8"), parts[1]
    except ValueError:
        return None


def build_layout(evaluation: Evaluation, template: Template, restated: dict | None = None,
                 notes: dict | None = None, orphans: list | None = None,
                 suppress_below: int | None = None, trend_text: bool = False) -> Layout:
    return LayoutBuilder(evaluation, template, restated, notes, orphans, suppress_below, trend_text).build()
