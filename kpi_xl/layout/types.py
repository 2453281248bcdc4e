"""The layout types: a scorecard as sheets of cells, rules, charts and print setup (not changed once made).

Everything a writer draws (``kpi_xl.write``) is described here; nothing here does I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..read.excel_values import get_column_letter


@dataclass(frozen=True)
class Style:
    """A cell's look: font, fill, number format, alignment and borders."""

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
        """This style with ``changes``: the same object each time for the same changes, so a
        style made for every cell (``b.s["cell"].but(num_format=...)``) is made only once.
        Looked up by this style's identity and the changes' types as well as values: a style
        equal to another but for 12 against 12.0 stays its own, as it was without the lookup."""
        key = (id(self), tuple(changes.items()), tuple(map(type, changes.values())))
        made = _CHANGED.get(key)
        if made is None:
            if len(_CHANGED) >= 4096:  # a long-running server makes new styles for each scorecard
                _CHANGED.clear()
            made = _CHANGED[key] = (self, replace(self, **changes))  # self kept: its id is not reused meanwhile
        return made[1]


_CHANGED: dict[tuple, tuple[Style, Style]] = {}


PLAIN = Style()


# Not frozen, though nothing changes a cell once it is put (make a changed copy with
# ``dataclasses.replace``): a frozen dataclass sets each field through object.__setattr__,
# which made creating the 190,000 cells of a 1,000-indicator scorecard five times slower.
@dataclass(slots=True)  # slots: a scorecard of 3,000 indicators has over half a million cells
class Cell:
    """A cell of a sheet: its place, value and look, and any formula, link or merged range."""

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
    """One line of a chart: its name, the cells of its months and values, and how it is drawn."""

    name: str
    categories: str  # "='Chart data'!$E$3:$J$3"
    values: str
    colour: str
    dash: str | None = None  # "dash" for the target
    marker: bool = False
    steps: bool = False  # a target that changes month by month: one level per month, drawn as steps
    marker_type: str = "circle"  # an SPC chart's special-cause points: "diamond", "square", "triangle"
    line: bool = True  # False: points only (an SPC chart's special causes)
    width: float | None = None  # line width in points; None: 2.25, or 1.5 when dashed


@dataclass(frozen=True)
class Chart:
    """A line chart placed on a sheet (at a cell, in pixels), with its series."""

    title: str
    row: int
    col: int
    width: int  # pixels
    height: int
    series: tuple[Series, ...]
    number_format: str = "General"
    blanks: str = "gap"  # months without a figure: "gap", or "span" to join a quarterly series' points
    description: str = ""  # the alternative text a screen reader reads: what the chart shows, in words
    unlisted: tuple[int, ...] = ()  # series left out of the legend (an SPC chart's second set of limits)
    y_range: tuple[float, float] | None = None  # the value axis from..to; None: the charting program chooses


@dataclass(frozen=True)
class Sparkline:
    """A sparkline in a cell, drawn from a row of the chart data sheet."""

    row: int
    col: int
    source: str  # "'Chart data'!E5:P5"
    colour: str
    blanks: str = "gap"  # as Chart.blanks


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints: orientation, paper, fit, repeated rows, header, footer and page breaks."""

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
    """One sheet of the scorecard as every writer draws it: cells, sizes, formats, charts and print set-up."""

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
    """The whole scorecard, sheet by sheet, ready for a writer (xlsx file, open workbook or PDF pages)."""

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
