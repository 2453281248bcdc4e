"""The engine calls that draw one sheet of a ``Layout`` into an open workbook (xlwings).

Everything is worked out first and then written in blocks, so a sample build costs a
few hundred engine calls, not one per cell:

* values: one ``.value =`` per band of consecutive non-empty rows;
* formulas (the live RAG formulas, chart-data targets, internal links as ``HYPERLINK``):
  one ``.formula =`` per rectangle of formula cells;
* formats: one call per formatting property and value (bold, a fill colour, a number
  format ...) per rectangle of cells sharing it;
* borders: the lines of every boxed cell, drawn as few range edges as cover them
  (``xlwings_borders``);
* widths and heights: the commonest size over each run of sized rows (or columns), then
  one call per run of another size;
* rows formatted like rows above them, or like rows of a sheet drawn before, are copied
  (``xlwings_stamps``) on the remote engine, where that costs fewer actions;
* conditional formats: one per rule, with the layout's formula and range, once every
  sheet is formatted.

On xlwings Server the format calls of a sheet (all but values, formulas, panes, print area
and rules), then its charts (``xlwings_charts``: every line the file draws, coloured), are
sent as one action, ``runMacro("kpiFormats", [...])``, which the add-in's
``static/js/kpi-formats.js`` applies in one batch (``send_formats``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..layout.types import Cell, SheetLayout, Style, a1
from .xlwings_borders import border_strokes
from .xlwings_charts import chart_action, draw_desktop_chart
from .xlwings_cells import chars_to_points, excel_text, hyperlink_formula, layered_runs, merge_blocks, rectangles
from .xlwings_stamps import row_signatures, stamps

BORDER_COLOUR = "#A6A6A6"
FORMATS_CALLBACK = "kpiFormats"  # kpi_xl's add-in callback (static/js/kpi-formats.js) for a sheet's formats
_ALIGN = {"left": "left", "center": "center", "centre": "center", "right": "right"}
_VALIGN = {"top": "top", "vcenter": "center", "center": "center", "bottom": "bottom"}
_VISIBLE_WHEN_EMPTY = ("fill", "border")
_LAYERED = {"align": "general", "num_format": "General", "bold": False, "italic": False,
            "wrap": False}  # property: Excel's value where none is set


@dataclass
class BookWrite:
    """What ``write_book`` did: engine calls by kind, sheets drawn, what was skipped."""

    engine: str
    sheets: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    batched: int = 0  # calls (counted by kind too) sent inside a sheet's batch of formats

    @property
    def calls(self) -> int:
        """Engine calls made: on the remote engine, actions sent (a batch is one)."""
        return sum(self.by_kind.values()) - self.batched

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


class Painter:
    """Issues the engine calls for one book and counts them."""

    def __init__(self, book, report: BookWrite):
        self.book = book
        self.report = report
        self.remote = report.engine == "remote"
        self.drawn: dict[int, tuple] = {}  # sheets formatted so far: (sheet, row signatures, last column)

    def tally(self, kind: str, n: int = 1) -> None:
        self.report.by_kind[kind] += n

    @staticmethod
    def rng(sheet, r0, c0, r1=None, c1=None):
        if r1 is None:
            return sheet.range((r0 + 1, c0 + 1))
        return sheet.range((r0 + 1, c0 + 1), (r1 + 1, c1 + 1))

    # sheets ------------------------------------------------------------------------------
    def draw(self, sheet, layout: SheetLayout, font: str, font_size: float) -> None:
        cells = layout.cells
        if not cells and not layout.charts:
            return
        merged: dict[tuple[int, int], Cell] = {}
        for cell in cells:
            if cell.merge_to:
                for r in range(cell.row, cell.merge_to[0] + 1):
                    for c in range(cell.col, cell.merge_to[1] + 1):
                        merged[(r, c)] = cell
        last_row, last_col = layout.last_row, layout.last_col
        self.values(sheet, cells)
        self.formulas(sheet, cells)
        queued = len(self.book.json()["actions"]) if self.remote else 0
        # base font over the drawn area
        area = self.rng(sheet, 0, 0, last_row, last_col)
        area.font.name = font
        area.font.size = font_size
        self.tally("font", 2)
        plan = self.stamp_plan(layout, merged, font_size) if self.remote else []
        copied = {r for _, _, first, n in plan for r in range(first, first + n)}
        self.formats(sheet, [c for c in cells if c.row not in copied], merged, font_size, (last_row, last_col))
        for key, source, first, n in plan:  # Office.js Range.copyFrom(source, "Formats")
            from_sheet, _, from_last_col = self.drawn[key] if key is not None else (sheet, None, last_col)
            width = min(last_col, from_last_col)  # the rows' cells all lie in both
            self.rng(sheet, first, 0, first + n - 1, width).copy_from(
                self.rng(from_sheet, source, 0, source + n - 1, width), "Formats")
            self.tally("format: rows copied")
        if self.remote:
            self.drawn[len(self.drawn)] = (sheet, row_signatures(layout), last_col)
        for r0, c0, r1, c1, across in merge_blocks((c.row, c.col, *c.merge_to) for c in cells if c.merge_to):
            self.rng(sheet, r0, c0, r1, c1).merge(across)
            self.tally("merge")
        for c0, c1, width in layered_runs(layout.widths):
            self.rng(sheet, 0, c0, 0, c1).column_width = chars_to_points(width) if self.remote else width
            self.tally("column width")
        for r0, r1, height in layered_runs(layout.heights):
            self.rng(sheet, r0, 0, r1, 0).row_height = height
            self.tally("row height")
        if self.remote:  # the charts go in the batch, after the widths and heights they sit on
            self.send_formats(queued, [chart_action(chart, sheet.index - 1) for chart in layout.charts])
            self.tally("chart", len(layout.charts))
        else:
            for chart in layout.charts:
                draw_desktop_chart(self, sheet, chart)
        if layout.sparklines:
            self.report.note("Sparklines are drawn only in the scorecard file: Excel's add-in interfaces "
                             "cannot create them.")
        if layout.freeze:
            self.freeze(sheet, *layout.freeze)
        self.show_gridlines(sheet)
        self.page_setup(sheet, layout.print_setup)

    def send_formats(self, first: int, charts: list[dict] = ()) -> None:
        """The format actions queued since action ``first``, then the sheet's ``charts``
        (``xlwings_charts.chart_action``), go as one runMacro action that kpi_xl's add-in
        (static/js/kpi-formats.js) applies in one batch: one action and two round trips for
        the sheet's formats and charts instead of one action and a round trip each."""
        actions = self.book.json()["actions"]
        batch = [{key: value for key, value in action.items() if value is not None} for action in actions[first:]]
        batch += charts
        del actions[first:]
        if batch:
            self.book.app.macro(FORMATS_CALLBACK)(batch)
            self.tally("format: sheet batch")
            self.report.batched += len(batch)

    def conditional_formats(self, sheet, layout: SheetLayout) -> None:
        """The layout's rules, once every sheet is formatted: Excel's format copy would copy
        a rule along with the cells."""
        for cf in layout.cond_formats:
            style = cf.style
            self.rng(sheet, cf.first_row, cf.first_col, cf.last_row, cf.last_col).conditional_formats.add_custom(
                cf.formula, fill_color=style.fill, font_color=style.colour,
                font_bold=True if style.bold else None, font_italic=True if style.italic else None)
            self.tally("conditional format")

    def values(self, sheet, cells: list[Cell]) -> None:
        grid: dict[int, dict[int, object]] = defaultdict(dict)
        for cell in cells:
            if cell.formula or cell.link or cell.value is None or cell.value == "":
                continue
            value = cell.value
            if isinstance(value, str):
                value = excel_text(value)
            grid[cell.row][cell.col] = value
        rows = sorted(grid)
        bands: list[list[int]] = []
        for r in rows:
            if bands and bands[-1][-1] == r - 1:
                bands[-1].append(r)
            else:
                bands.append([r])
        for band in bands:
            c0 = min(min(grid[r]) for r in band)
            c1 = max(max(grid[r]) for r in band)
            block = [[grid[r].get(c) for c in range(c0, c1 + 1)] for r in band]
            self.rng(sheet, band[0], c0, band[-1], c1).value = block
            self.tally("values")

    def formulas(self, sheet, cells: list[Cell]) -> None:
        formulas: dict[tuple[int, int], str] = {}
        for cell in cells:
            if cell.link:
                formulas[(cell.row, cell.col)] = hyperlink_formula(cell.link, cell.value)
            elif cell.formula:
                formulas[(cell.row, cell.col)] = cell.formula
        for r0, c0, r1, c1 in rectangles(formulas):
            block = [[formulas[(r, c)] for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
            self.rng(sheet, r0, c0, r1, c1).formula = block
            self.tally("formulas")

    def stamp_plan(self, layout: SheetLayout, merged: dict, font_size: float) -> list:
        """The cheapest way to format the sheet: every row drawn, or the rows ``stamps``
        finds (blocks of one or of two rows at least) copied from rows above or from a
        sheet drawn before; each counted by drawing into nothing."""
        best, best_cost = [], None
        for shortest in (None, 1, 2):
            plan = stamps(layout, shortest, {k: sigs for k, (_, sigs, _) in self.drawn.items()}) if shortest else []
            copied = {r for _, _, first, n in plan for r in range(first, first + n)}
            counter = Painter(self.book, BookWrite(engine=self.report.engine))
            counter.formats(_Nothing(), [c for c in layout.cells if c.row not in copied], merged, font_size,
                            (layout.last_row, layout.last_col))
            cost = counter.report.calls + len(plan)
            if best_cost is None or cost < best_cost:
                best, best_cost = plan, cost
        return best

    def formats(self, sheet, cells: list[Cell], merged: dict, base_size: float, area: tuple[int, int]) -> None:
        """One call per (property, value) per rectangle of cells sharing it.

        Font, alignment, wrap and number format are invisible on a cell with nothing in
        it (and on the hidden part of a merged range), so those cells may join any
        rectangle: fewer, larger rectangles. Fills and borders show everywhere, so they
        cover exactly their cells. The commonest vertical alignment goes on the whole
        area first, then the others on top."""
        groups: dict[tuple[str, object], set[tuple[int, int]]] = defaultdict(set)
        filled: set[tuple[int, int]] = set()
        for cell in cells:
            spots = ([(r, c) for (r, c), owner in merged.items() if owner is cell]
                     if cell.merge_to else [(cell.row, cell.col)])
            has_text = cell.formula is not None or cell.link is not None or cell.value not in (None, "")
            if has_text:
                filled.add((cell.row, cell.col))
            for key in _style_keys(cell.style, base_size):
                if key[0] in _VISIBLE_WHEN_EMPTY:
                    groups[key].update(spots)
                elif has_text:
                    groups[key].add((cell.row, cell.col))
        merges = [(c.row, c.col, *c.merge_to) for c in cells if c.merge_to]
        boxes = [(c.row, c.col, *(c.merge_to or (c.row, c.col))) for c in cells if c.style.border]
        for (r0, c0, r1, c1), sides in border_strokes(boxes, merges):
            self.rng(sheet, r0, c0, r1, c1).borders.set(list(sides), line_style="continuous", color=BORDER_COLOUR)
            self.tally("format: border", 2 * len(sides))  # per side: colour, line style
        groups.pop(("border", True), None)
        rows, cols = area
        free = {(r, c) for r in range(rows + 1) for c in range(cols + 1)} - filled
        whole = self.rng(sheet, 0, 0, rows, cols)
        valigns = Counter({key: len(spots) for key, spots in groups.items() if key[0] == "valign"})
        if valigns:
            base = valigns.most_common(1)[0][0]
            self.apply(whole, *base)
            groups.pop(base)
        for prop, default in _LAYERED.items():  # a base value over the whole area, when that is fewer calls
            plain = {key: spots for key, spots in groups.items() if key[0] == prop}
            unset = filled - set().union(*plain.values()) if plain else set()
            layered = {**plain, (prop, default): unset} if unset else dict(plain)
            counts = {key: len(_rects(spots, free, prop)) for key, spots in layered.items()}
            base = max(layered, key=lambda key: counts[key], default=None)
            if base is None or sum(counts.values()) - counts[base] + 1 >= sum(counts[key] for key in plain):
                continue
            self.apply(whole, *base)
            groups.update(layered)
            groups.pop(base)
        for (prop, value), spots in sorted(groups.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            for r0, c0, r1, c1 in _rects(spots, free, prop):
                self.apply(self.rng(sheet, r0, c0, r1, c1), prop, value)

    def apply(self, rng, prop: str, value) -> None:
        if prop == "bold":
            rng.font.bold = value
        elif prop == "italic":
            rng.font.italic = value
        elif prop == "size":
            rng.font.size = value
        elif prop == "colour":
            rng.font.color = value
        elif prop == "fill":
            rng.color = value
        elif prop == "num_format":
            rng.number_format = value
        elif prop == "align":
            rng.horizontal_alignment = value
        elif prop == "valign":
            rng.vertical_alignment = value
        elif prop == "wrap":
            rng.wrap_text = value
        elif prop == "indent":
            rng.adjust_indent(value)
        self.tally(f"format: {prop}")

    # pieces the engines differ on ----------------------------------------------------------
    def page_setup(self, sheet, ps) -> None:
        """The layout's print area on every engine; on desktop Excel for Windows also the
        paper, orientation, fit to pages and repeated title rows (through COM). Headers,
        footers and page breaks are set only in the scorecard file."""
        if ps.print_area:
            r0, c0, r1, c1 = ps.print_area
            try:
                sheet.page_setup.print_area = f"{a1(r0, c0)}:{a1(r1, c1)}"
                self.tally("print area")
            except (NotImplementedError, AttributeError):
                pass
        if not self.remote:
            try:
                setup = sheet.api.PageSetup
                setup.Zoom = False
                setup.FitToPagesWide = ps.fit_width or False  # False: as many pages as needed
                setup.FitToPagesTall = ps.fit_height or False
                setup.Orientation = 2 if ps.landscape else 1  # xlLandscape, xlPortrait
                setup.PaperSize = ps.paper  # Excel's own paper numbers, as in the file
                if ps.repeat_rows:
                    setup.PrintTitleRows = f"${ps.repeat_rows[0] + 1}:${ps.repeat_rows[1] + 1}"
                self.tally("page setup", 6)
                self.report.note("Headers, footers and page breaks are set only in the scorecard file.")
                return
            except Exception:  # noqa: BLE001  (macOS, or no printer)
                pass
        self.report.note("Page setup (A4 landscape, fit to the page width, headers and footers, page breaks) "
                         "is set only in the scorecard file.")

    def freeze(self, sheet, rows: int, cols: int) -> None:
        if rows == 0 and cols == 0:
            return
        if self.remote:
            # Office.js freezes the range given: the top rows and left columns
            if cols == 0:
                frozen = f"1:{rows}"
            elif rows == 0:
                frozen = f"A:{a1(0, cols - 1)[:-1]}"
            else:
                frozen = f"A1:{a1(rows - 1, cols - 1)}"
            sheet.freeze_panes.freeze_at(frozen)
            self.tally("freeze panes")
            return
        try:  # desktop Excel: xlwings has no freeze panes there, so use the window (Windows COM)
            sheet.activate()
            window = self.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = rows, cols
            window.FreezePanes = True
            self.tally("freeze panes", 5)
        except Exception:  # noqa: BLE001  (macOS, or no window)
            self.report.note("Panes could not be frozen on this Excel; they are frozen in the scorecard file.")

    def show_gridlines(self, sheet) -> None:
        try:
            sheet.show_gridlines = False
            self.tally("gridlines")
        except (NotImplementedError, AttributeError):
            pass


def _rects(spots: set, free: set, prop: str) -> list[tuple[int, int, int, int]]:
    """Rectangles that give ``spots`` a property: exactly them for fills and borders, else
    with any empty cells (``free``) that join them into fewer rectangles."""
    if prop in _VISIBLE_WHEN_EMPTY:
        return rectangles(spots)
    return [rect for rect in rectangles(spots | free)
            if any((r, c) in spots for r in range(rect[0], rect[2] + 1) for c in range(rect[1], rect[3] + 1))]


def _style_keys(style: Style, base_size: float) -> list[tuple[str, object]]:
    keys: list[tuple[str, object]] = []
    if style.bold:
        keys.append(("bold", True))
    if style.italic:
        keys.append(("italic", True))
    if style.size and style.size != base_size:
        keys.append(("size", style.size))
    if style.colour:
        keys.append(("colour", style.colour))
    if style.fill:
        keys.append(("fill", style.fill))
    if style.num_format:
        keys.append(("num_format", style.num_format))
    if style.align in _ALIGN:
        keys.append(("align", _ALIGN[style.align]))
    keys.append(("valign", _VALIGN.get(style.valign, "bottom")))
    if style.wrap:
        keys.append(("wrap", True))
    if style.border:
        keys.append(("border", True))
    if style.indent:
        keys.append(("indent", style.indent))
    return keys


class _Nothing:
    """A sheet (and range, font, borders ...) that takes every call and does nothing: the
    painter draws into it to count what a plan would cost."""

    def __getattr__(self, name):
        return self

    def __setattr__(self, name, value):
        pass

    def __call__(self, *args, **kwargs):
        return self
