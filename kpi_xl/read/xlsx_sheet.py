"""One worksheet part streamed through expat, cell by cell, as openpyxl's ``WorkSheetParser``
(data only, in read-only mode) reads it; and the expat parser every part is read with.

The element handlers run for every element of a sheet (a 3,000-indicator workbook has
about a million), so they are closures over local state rather than methods: this is
the hot loop of reading a workbook. A sheet's plain rows are read by ``xlsx_plain``
instead (an expat event per element cost more than the rest of reading a cell), and
each cell goes through the same ``cell`` conversion.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from xml.parsers import expat

from .excel_values import (cast_number, column_index_from_string, coordinate_to_tuple, from_excel, from_iso8601,
                           merged_range)
from .xlsx_plain import PlainRows, plain_sheet_data

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "  # expat names are "namespace local"
LINKED = re.compile(r"\[\d+\][^\[\]()+*/,&=<>^;]*!")  # [1]Sheet1!A1: a cell in another workbook
_PLAIN_REF = re.compile(r"([A-Za-z]*)([0-9]+)")  # B12: letters then digits, as nearly every cell
ROW, CELL_VALUE, FORMULA, INLINE, MERGE_CELLS, SHEET_DATA = (MAIN + tag for tag in ("row", "v", "f", "is", "mergeCells",
                                                                                     "sheetData"))


class UnsafeXml(Exception):
    """A part declares a DOCTYPE or entities (billion laughs, external entities)."""


def _refuse_declarations(*_args) -> None:
    raise UnsafeXml("XML entity definitions")


def new_parser() -> expat.XMLParserType:
    """An expat parser that names elements "namespace local" and refuses any DOCTYPE or
    entity declaration anywhere in the part, as defusedxml did for openpyxl."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse_declarations
    parser.ExternalEntityRefHandler = _refuse_declarations
    return parser


def local_name(name: str) -> str:
    """``row`` for an expat name "namespace row": openpyxl matches a string's children and
    a few lists' items by it, in whatever namespace."""
    return name.rpartition(" ")[2]


class RichText:
    """The text of a shared string (``<si>``) or an inline string (``<is>``) as openpyxl's
    ``Text.content``: the plain ``<t>``, then each run's ``<t>``; phonetic runs left out."""

    def __init__(self, depth: int):
        self.depth = depth  # of the <si> or <is> element
        self.plain: list[str] | None = None
        self.runs: list[list[str] | None] = []
        self.in_run = False

    def start(self, name: str, depth: int) -> list[str] | None:
        """An element inside has started: the list to collect its text in, if it is a kept <t>."""
        below = depth - self.depth
        if below == 1:
            self.in_run = local_name(name) == "r"
            if self.in_run:
                self.runs.append(None)
            elif local_name(name) == "t":
                self.plain = []
                return self.plain
        elif below == 2 and self.in_run and local_name(name) == "t":
            self.runs[-1] = []
            return self.runs[-1]
        return None

    def content(self) -> str:
        return "".join(["".join(self.plain or ()), *("".join(run) for run in self.runs if run)])


@dataclass
class Sheet:
    """What a worksheet holds besides its cells (those go to ``on_row`` as they are read)."""

    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    merged: list[str] = field(default_factory=list)  # "A5:A7", as openpyxl names them
    uncalculated: set[tuple[int, int]] = field(default_factory=set)  # 0-based: formulas with no saved result
    linked: dict[tuple[int, int], str] = field(default_factory=dict)  # 0-based: formulas reading another workbook


WHOLE_PART_BYTES = 64 * 1024 * 1024  # a worksheet part up to this size is read whole, for its plain rows


class _NotPlain(Exception):
    """The plain rows cannot be read after all: the sheet is read with expat alone (nothing read yet)."""


def _well_formed(data: bytes) -> bool:
    """Whether expat reads the whole part without an error (in C: no Python handlers)."""
    try:
        new_parser().Parse(data, True)
    except (expat.ExpatError, UnsafeXml):
        return False
    return True


def read_sheet(zf: zipfile.ZipFile, part: str, book, on_row, skip: AbstractSet[str] | None = None) -> Sheet:
    """Stream one worksheet part. ``on_row`` gets each row's cells as a list of (row,
    column, value, style), 1-based, value None for an empty cell; ``book`` gives the shared
    strings, the epoch and which styles are dates and durations (``xlsx_stream.Book``).
    ``skip``: cells (A1 references) the caller has no use for: a plain row whose cells are
    all in it is not read (its list is empty); any other cell is read as ever.

    A part of a usual size is read whole and its plain rows are read by ``xlsx_plain``
    (several times faster than an expat event per element), the rest by expat, with the
    same conversions; a damaged or unusual part is read by expat alone, as it always was."""
    if zf.getinfo(part).file_size > WHOLE_PART_BYTES:
        with zf.open(part) as source:
            return _read(book, on_row, source)
    data = zf.read(part)
    sheet_data = plain_sheet_data(data)
    if sheet_data is not None and _well_formed(data):
        try:
            return _read(book, on_row, data, sheet_data, skip)
        except _NotPlain:
            pass
    return _read(book, on_row, data)


def _read(book, on_row, source, sheet_data: tuple[int, int, int] | None = None,  # noqa: C901, PLR0915
          skip: AbstractSet[str] | None = None) -> Sheet:
    """One worksheet from ``source`` (its bytes or a file), with ``sheet_data`` (where
    ``plain_sheet_data`` found its tag and rows) the plain rows read by ``xlsx_plain``.
    The element handlers are the hot loop of reading a workbook."""
    sheet = Sheet()
    strings, epoch = book.strings, book.epoch
    date_styles, timedelta_styles = book.date_styles, book.timedelta_styles
    hidden_rows, uncalculated, linked = sheet.hidden_rows, sheet.uncalculated, sheet.linked
    linked_shared: dict[str, str] = {}  # shared formula id -> the linked formula
    dates: dict[tuple[object, bool], object] = {}  # (serial, duration?) -> the date, time or timedelta
    depth = row_depth = cell_depth = merge_depth = 0
    row_number = column_number = 0  # openpyxl's counters, for rows and cells without a reference
    capture = attrs_now = value = formula = formula_text = inline = None
    cells: list = []
    merging: list = []

    def start(name, attrs):
        nonlocal depth, capture, cell_depth, row_depth, merge_depth, attrs_now, value, formula
        nonlocal formula_text, inline, cells, merging, row_number, column_number
        depth += 1
        capture = None  # an element's text stops at its first child
        if cell_depth:
            if depth == cell_depth + 1:
                if name == CELL_VALUE:
                    if value is None:
                        value = capture = []
                elif name == FORMULA:
                    if formula is None:
                        formula, formula_text = attrs, []
                        capture = formula_text
                elif name == INLINE and inline is None:
                    inline = RichText(depth)
            elif inline is not None and depth > inline.depth:
                capture = inline.start(name, depth)
        elif row_depth:
            if depth == row_depth + 1:
                cell_depth, attrs_now = depth, attrs
                value = formula = formula_text = inline = None
        elif name == ROW:
            row_depth = depth
            begin_row(attrs)
        elif merge_depth:
            if depth == merge_depth + 1 and local_name(name) == "mergeCell":
                merging.append(attrs.get("ref"))
        elif name == MERGE_CELLS:
            merge_depth, merging = depth, []

    def end(name):
        nonlocal depth, capture, cell_depth, row_depth, merge_depth
        capture = None
        if depth == cell_depth:
            cell_depth = 0
            attrs = attrs_now
            cell(attrs.get("r"), attrs.get("s"), attrs.get("t"), None if value is None else "".join(value), formula,
                 "" if formula_text is None else "".join(formula_text), None if inline is None else inline.content())
        elif depth == row_depth:
            row_depth = 0
            on_row(cells)
        elif depth == merge_depth:
            merge_depth = 0
            sheet.merged = [merged_range(ref) for ref in merging]
        depth -= 1

    def text(data):
        if capture is not None:
            capture.append(data)

    def begin_row(attrs) -> None:
        nonlocal cells, row_number, column_number
        cells = []
        number = attrs.get("r")
        if number is not None:
            try:
                row_number = int(number)
            except ValueError:
                as_float = float(number)
                if not as_float.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                row_number = int(as_float)
        else:
            row_number += 1
        column_number = 0
        if attrs.get("hidden") in ("1", "true"):
            hidden_rows.add(row_number - 1)

    def read_plain_rows(rows: PlainRows) -> None:
        """The rows ``xlsx_plain`` reads, through the same conversions as expat's events."""
        for attrs, row in rows:
            begin_row(attrs)
            if not skip or not skip.issuperset([plain_cell[0] for plain_cell in row]):
                for plain_cell in row:
                    cell(*plain_cell)
            on_row(cells)

    def cell(coordinate: str | None, style: str | None, data_type: str | None, value: str | None,
             formula: dict | None, formula_text: str, inline: str | None) -> None:
        """A cell (its attributes r, s and t, the text of its <v>, its <f> and the text of
        its <is>), converted as openpyxl's ``parse_cell`` converts it; a value it cannot
        read (NaN) is kept as NaN, for the reader to name the cell."""
        nonlocal column_number
        try:
            if data_type is None:
                data_type = "n"
            if style is None:
                style = 0
            elif style:
                style = int(style)
            converted = None if data_type == "inlineStr" or value is None else value or None
            if coordinate:
                simple = _PLAIN_REF.fullmatch(coordinate)
                row, column = ((int(simple[2]), column_index_from_string(simple[1])) if simple
                               else coordinate_to_tuple(coordinate))
                column_number = column
            else:
                column_number += 1
                row, column = row_number, column_number
            if converted is not None:
                if data_type == "n":
                    converted = cast_number(converted)
                    if style in date_styles:
                        key = (converted, style in timedelta_styles)
                        if key not in dates:  # the same few months, row after row
                            try:
                                dates[key] = from_excel(converted, epoch, timedelta=key[1])
                            except (OverflowError, ValueError):
                                dates[key] = "#VALUE!"  # a date out of range: openpyxl's error value
                        converted = dates[key]
                elif data_type == "s":
                    converted = strings[int(converted)]
                elif data_type == "b":
                    converted = bool(int(converted))
                elif data_type == "d":
                    converted = from_iso8601(converted)
            elif data_type == "inlineStr" and inline is not None:
                converted = inline
        except ValueError:
            row, column = coordinate_to_tuple(coordinate) if coordinate else (row_number, column_number + 1)
            column_number = column
            cells.append((row, column, float("nan"), 0))
            return
        if formula is not None:
            note_formula(row - 1, column - 1, converted, data_type, value is None, formula, formula_text)
        cells.append((row, column, converted, style))

    def note_formula(row: int, column: int, converted, data_type: str, unsaved: bool, formula: dict,
                     formula_text: str) -> None:
        if unsaved or (converted is None and data_type != "str"):
            uncalculated.add((row, column))  # ("str" with an empty result is a formula giving "")
            return
        own = formula_text or None
        found = own or linked_shared.get(formula.get("si", ""), "")
        if LINKED.search(found):
            linked[(row, column)] = "=" + found
            if formula.get("t") == "shared" and own:
                linked_shared[formula.get("si", "")] = found

    sheet_data_seen = False

    def start_before_rows(name, attrs):
        """``start``, checking that the tag ``plain_sheet_data`` found is the main <sheetData>."""
        nonlocal sheet_data_seen
        start(name, attrs)
        if parser.CurrentByteIndex == sheet_data[0]:
            if name != SHEET_DATA or row_depth or cell_depth or merge_depth:
                raise _NotPlain  # another namespace, or inside a merged range: read by expat alone
            sheet_data_seen = True

    parser = new_parser()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    if sheet_data is None:
        if isinstance(source, bytes):
            parser.Parse(source, True)
        else:
            parser.ParseFile(source)
        return sheet
    _, rows_start, rows_end = sheet_data
    if hasattr(parser, "SetReparseDeferralEnabled"):  # expat 2.6: report <sheetData> as soon as it is fed
        parser.SetReparseDeferralEnabled(False)
    parser.StartElementHandler = start_before_rows
    parser.Parse(source[:rows_start], False)  # up to <sheetData>: no row, no merged range before it
    if not sheet_data_seen:
        raise _NotPlain
    parser.StartElementHandler = start
    plain = PlainRows(source, rows_start, rows_end)
    read_plain_rows(plain)
    parser.Parse(source[plain.end:], True)  # from the first row that is not plain, or </sheetData>
    return sheet
