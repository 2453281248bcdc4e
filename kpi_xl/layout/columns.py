"""The columns a template can name in an indicator table, each declared once.

A ``Column`` says its header, its width when fixed (else the column is sized to its
content) and how it fills its cell from a rated indicator. ``SHEET_COLUMNS`` says which
columns each kind of sheet offers, in the order a template that names none gets them;
``kpi_xl.layout.templates`` checks a template's columns against it. Adding a column is
one ``Column`` here and its name in the kinds that offer it (docs/adding-a-column.md).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Frequency
from ..periods import Month, quarter_end
from .spc_cells import assurance_cell, variation_cell
from .types import quote

if TYPE_CHECKING:
    from ..rate.evaluate import Result
    from .builder import LayoutBuilder
    from .types import SheetLayout

MONTH_KEY = "month:"  # "months" is shown as one column a month, keyed month:<month index>
INDICATOR_WIDTH = 62  # characters: an indicator's title in the KPI table and front page


@dataclass(frozen=True)
class Place:
    """Where one indicator's cell goes: the sheet, row and column, and the keys of the row's columns."""
    sheet: SheetLayout
    row: int
    col: int
    key: str
    keys: list[str]


@dataclass(frozen=True)
class Column:
    name: str
    header: Callable[[LayoutBuilder, str, str, list[str]], str]  # (builder, key, sheet kind, all keys)
    fill: Callable[[LayoutBuilder, Place, Result], None]
    width: float | None = None  # fixed width in an indicator table; None: sized to its content


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
    number = list(b.section_sheets).index(section) + 1 if target else ""
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
    target_col = p.keys.index("target") if "target" in p.keys else None
    b.rag_cell(p.sheet, p.row, p.col, res, rated_column(p.keys, res), target_col)


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
    Column("target", _fixed("Target"), _target),
    Column("change", _fixed("Change"), _change),
    Column("arrow", _fixed("Direction of travel"), _arrow, width=11),
    Column("rag", lambda b, key, kind, keys: "RAG" if kind == "kpi_table" else "Traffic light", _rag),
    Column("trend", _fixed("Last 12 months"), _trend, width=16),
    Column("variation", _fixed("Variation (SPC)"), variation_cell, width=17),
    Column("assurance", _fixed("Assurance (SPC)"), assurance_cell, width=15),
)}

# which columns each kind of sheet offers, in the order a template that names none gets them
SHEET_COLUMNS = {
    "kpi_table": ("id", "indicator", "previous", "this_month", "target", "change", "arrow", "rag", "trend",
                  "ytd", "prior_year", "months", "variation", "assurance"),
    "front_page": ("page", "id", "indicator", "this_month", "arrow", "ytd", "target", "rag", "trend",
                   "previous", "change", "prior_year", "variation", "assurance"),
    "sections": ("id", "indicator", "prior_year", "months", "ytd", "target", "rag", "arrow", "change",
                 "variation", "assurance"),
}


def column(key: str) -> Column:
    """The column under ``key``: a name from ``COLUMNS`` or ``month:<index>``."""
    return COLUMNS["months"] if key.startswith(MONTH_KEY) else COLUMNS[key]
