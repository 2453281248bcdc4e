"""The columns a template can name in an indicator table, each declared once.

A ``Column`` says its header, its width when fixed (else the column is sized to its
content), how it fills its cell from a rated indicator, and which writers can draw it
(and what the others show instead: ``not_drawn`` says it to the person). ``SHEET_COLUMNS`` says which
columns each kind of sheet offers, in the order a template that names none gets them;
``kpi_xl.layout.templates`` checks a template's columns against it. Adding a column is
one ``Column`` here and its name in the kinds that offer it (docs/extending.md).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Frequency
from ..periods import Month, quarter_end
from ..rate.evaluate import SPARKLINE_MONTHS
from . import benchmark_cells
from .spc_cells import assurance_cell, variation_cell
from .types import quote

if TYPE_CHECKING:
    from ..rate.evaluate import Result
    from .builder import LayoutBuilder
    from .types import SheetLayout

# the writers that draw a layout: the scorecard file (kpi_xl.write.xlsx_writer, XlsxWriter)
# and the workbook open in Excel (kpi_xl.write.xlwings_writer: the ribbon's buttons)
FILE, BOOK = "file", "book"
WRITERS = (FILE, BOOK)
MONTH_KEY = "month:"  # "months" is shown as one column a month, keyed month:<month index>
INDICATOR_WIDTH = 62  # characters: an indicator's title in the KPI table and front page


@dataclass(slots=True)  # not frozen: one is made for every cell of a table, and frozen ones are slow to make
class Place:
    """Where one indicator's cell goes: the sheet, row and column, and the keys of the row's columns."""
    sheet: SheetLayout
    row: int
    col: int
    key: str
    keys: list[str]


@dataclass(frozen=True)
class Column:
    """A column an indicator table can show: its heading, how each row's cell is filled, and its width."""

    name: str
    header: Callable[[LayoutBuilder, str, str, list[str]], str]  # (builder, key, sheet kind, all keys)
    fill: Callable[[LayoutBuilder, Place, Result], None]
    width: float | None = None  # fixed width in an indicator table; None: sized to its content
    drawn_by: tuple[str, ...] = WRITERS  # the writers that can draw it
    instead: str = ""  # what the other writers show instead, and why (told to the person)


def month_of(key: str) -> Month:
    return Month.from_index(int(key[len(MONTH_KEY):]))


def rated_column(keys: list[str], res: Result) -> int | None:
    """The column holding the figure the indicator is rated on, if the row shows it."""
    if res.indicator.rag_basis.value == "YTD":
        key = "ytd"
    else:
        key = f"{MONTH_KEY}{res.period.index}" if f"{MONTH_KEY}{res.period.index}" in keys else "this_month"
    return keys.index(key) if key in keys else None


def _text(attribute: str):
    def fill(b: LayoutBuilder, p: Place, res: Result) -> None:
        p.sheet.put(p.row, p.col, getattr(res.indicator, attribute), b.style_for(res.indicator, b.s["text"]))
    return fill


def _page(b: LayoutBuilder, p: Place, res: Result) -> None:
    section = res.indicator.section
    target = b.section_sheets.get(section)
    number = b.section_numbers[section] if target else ""
    p.sheet.put(p.row, p.col, number, b.s["link"], link=f"internal:{quote(target)}!A1" if target else None)


def _this_month(b: LayoutBuilder, p: Place, res: Result) -> None:
    b.figure_cell(p.sheet, p.row, p.col, res, res.figure, res.period, b.s["cell"])


def _previous(b: LayoutBuilder, p: Place, res: Result) -> None:
    b.figure_cell(p.sheet, p.row, p.col, res, res.previous, res.previous_period, b.s["cell"])


def _month(b: LayoutBuilder, p: Place, res: Result) -> None:
    ind, month = res.indicator, month_of(p.key)
    series = b.ev.raw.figures.get(ind.id, {})
    quarterly = ind.frequency is Frequency.QUARTERLY
    if quarterly and month != quarter_end(month, b.settings.fy_start) and month not in series:
        p.sheet.put(p.row, p.col, "", b.style_for(ind, b.s["cell"]))  # no quarter ends this month
        return
    b.figure_cell(p.sheet, p.row, p.col, res, series.get(month), month if res.in_arrears else None, b.s["cell"])


def _number(attribute: str):
    def fill(b: LayoutBuilder, p: Place, res: Result) -> None:
        b.number_cell(p.sheet, p.row, p.col, res, getattr(res, attribute), b.s["cell"])
    return fill


def _target(b: LayoutBuilder, p: Place, res: Result) -> None:
    b.target_cell(p.sheet, p.row, p.col, res, b.s["cell"])


def _change(b: LayoutBuilder, p: Place, res: Result) -> None:
    small = b.suppressed(res.indicator, res.value) or b.suppressed(res.indicator, res.previous_value)
    p.sheet.put(p.row, p.col, "" if small else res.travel.text, b.s["centre"])


def _arrow(b: LayoutBuilder, p: Place, res: Result) -> None:
    b.arrow_cell(p.sheet, p.row, p.col, res)


def _rag(b: LayoutBuilder, p: Place, res: Result) -> None:
    b.rag_cell(p.sheet, p.row, p.col, res, rated_column(p.keys, res), target_column(p.keys, res))


def target_column(keys: list[str], res: Result) -> int | None:
    """The column holding the target the indicator is rated against, if the row shows it:
    the period's target (a trajectory's), else the year-end target when that is the one used."""
    used = res.target_used
    if used is not None and (used.value, used.upper) != (res.indicator.target, res.indicator.target_upper):
        key = "period_target"
    else:
        key = "target"
    return keys.index(key) if key in keys else None


def _period_target(b: LayoutBuilder, p: Place, res: Result) -> None:
    used = res.target_used
    if used is None or used.value is None:
        p.sheet.put(p.row, p.col, "", b.style_for(res.indicator, b.s["cell"]))
        return
    b.target_cell(p.sheet, p.row, p.col, res, b.s["cell"], used.value, used.upper)


def _trend(b: LayoutBuilder, p: Place, res: Result) -> None:
    b.sparkline(p.sheet, p.row, p.col, res)


def _fixed(text: str):
    return lambda b, key, kind, keys: text


COLUMNS = {c.name: c for c in (
    Column("id", _fixed("ID"), _text("id")),
    Column("indicator", _fixed("Indicator"), _text("title"), width=INDICATOR_WIDTH),
    Column("page", _fixed("Page"), _page, width=6),
    Column("previous", lambda b, key, kind, keys: (b.month - 1).label, _previous),
    Column("this_month", lambda b, key, kind, keys: b.month.label if "previous" in keys else "This month", _this_month),
    Column("months", lambda b, key, kind, keys: month_of(key).label, _month),  # one a month: month:<index>
    Column("ytd", lambda b, key, kind, keys: f"{b.ev.fy_label} YTD", _number("ytd")),
    Column("prior_year", lambda b, key, kind, keys: f"{b.ev.prior_fy_label} outturn", _number("prior_year")),
    Column("target", lambda b, key, kind, keys: "Year-end target" if "period_target" in keys else "Target", _target),
    Column("change", _fixed("Change"), _change),
    Column("arrow", _fixed("Direction of travel"), _arrow, width=11),
    Column("rag", lambda b, key, kind, keys: "RAG" if kind == "kpi_table" else "Traffic light", _rag),
    Column("trend", _fixed(f"Last {SPARKLINE_MONTHS} months"), _trend, width=16, drawn_by=(FILE,),  # a sparkline
           instead=f"the Last {SPARKLINE_MONTHS} months column is left empty: Excel's add-in interfaces cannot "
                   "create sparklines, so only the scorecard file has them"),
    Column("period_target", lambda b, key, kind, keys: f"Target {b.month.label}", _period_target),
    *(Column(key, benchmark_cells.header, benchmark_cells.bench) for key in benchmark_cells.BENCHMARK_KEYS),
    *(Column(key, benchmark_cells.header, benchmark_cells.bench_gap) for key in benchmark_cells.GAP_KEYS),
    Column("band", _fixed("Band"), benchmark_cells.band, width=6),
    Column("variation", _fixed("Variation (SPC)"), variation_cell, width=17),
    Column("assurance", _fixed("Assurance (SPC)"), assurance_cell, width=15),
)}
BENCHMARK_COLUMNS = (*benchmark_cells.BENCHMARK_KEYS, *benchmark_cells.GAP_KEYS, "band")

# which columns each kind of sheet offers, in the order a template that names none gets them
SHEET_COLUMNS = {
    "kpi_table": ("id", "indicator", "previous", "this_month", "target", "change", "arrow", "rag", "trend",
                  "ytd", "prior_year", "months", "period_target", "variation", "assurance", *BENCHMARK_COLUMNS),
    "front_page": ("page", "id", "indicator", "this_month", "arrow", "ytd", "target", "rag", "trend",
                   "previous", "change", "prior_year", "period_target", "variation", "assurance", *BENCHMARK_COLUMNS),
    "sections": ("id", "indicator", "prior_year", "months", "ytd", "target", "rag", "arrow", "change",
                 "period_target", "variation", "assurance", *BENCHMARK_COLUMNS),
}


def column(key: str) -> Column:
    """The column under ``key``: a name from ``COLUMNS`` or ``month:<index>``."""
    return COLUMNS["months"] if key.startswith(MONTH_KEY) else COLUMNS[key]


def not_drawn(sheets, writer: str) -> list[str]:
    """A sentence for each column that ``sheets`` (a template's ``SheetSpec``s) name and
    ``writer`` cannot draw: on which sheets, and what is shown instead."""
    where: dict[str, list[str]] = {}
    for spec in sheets:
        for key in spec.columns:
            if writer not in COLUMNS[key].drawn_by:
                where.setdefault(key, []).append("the section sheets" if spec.kind == "sections"
                                                 else f"the '{spec.name}' sheet")
    return [f"On {' and '.join(names)}, {COLUMNS[key].instead}." for key, names in where.items()]
