"""Worksheet cells written to an xlsx by XlsxWriter: the same bytes in less time.

A scorecard of 1,000 indicators has about 190,000 cells (131,000 of them figures in the
table behind the SPC charts). XlsxWriter's public ``write_*`` methods and its cell XML are
general: each call first checks whether the cell was given as ``"A1"`` text, each cell's
XML goes through a loop escaping its attributes, and each row tries every column of the
sheet. Only that work is skipped here:

- ``write_cells`` stores each layout cell with XlsxWriter's undecorated writers
  (``_write_number``, ``_write_string``, ...: what the public ones call once the row and
  column are numbers, which ours always are).
- ``CellsWorksheet`` (an XlsxWriter ``Worksheet``) prepares each distinct formula once (the
  chart data repeats them) and runs XlsxWriter's thirty expressions once a function name
  rather than once a formula (``_left_alone``), takes each row's cells in column order,
  and writes the XML of a formatted number, shared string, blank or formula cell in one
  piece, each distinct number's text made once (the SPC limits repeat month after month).
  Anything else (a cell without a format, a boolean, an array formula, comments,
  constant-memory mode) is left to XlsxWriter's own methods.

The XML is XlsxWriter's: its cell and row XML and its formula preparing are alike in 3.1,
3.2 and 3.3 (read, not assumed), and tests/test_xlsx_cells.py compares every part of files
written both ways, on awkward values and the sample scorecards, and the formulas prepared
both ways, with whichever XlsxWriter is installed (run with 3.1.0, 3.1.9, 3.2.0, 3.3.1).
"""
from __future__ import annotations

import re

from xlsxwriter import worksheet as worksheet_module
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..layout.types import Cell

#: each name written before a "(" in a formula (all the letters, digits, "_" and "." before it)
_CALLED = re.compile(r"([A-Za-z0-9_.]*)\(")
#: the values XlsxWriter gives a formula's result type ``t="e"`` (its ``_write_cell``)
ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))


class CellsWorksheet(Worksheet):
    """An XlsxWriter worksheet whose common cells' XML is written without its general loop."""

    def __init__(self):
        super().__init__()
        self._prepared: dict[tuple[str, bool], str] = {}  # formula -> as XlsxWriter stores it
        self._columns: dict[int, str] = {}  # column number -> its letters
        self._numbers: dict[float, str] = {}  # number -> its text in the XML
        self._indexes: dict[object, str] = {}  # format -> its index attribute
        self._names: dict[str, bool] = {}  # function name -> whether XlsxWriter leaves it alone

    def _prepare_formula(self, formula, expand_future_functions=False):
        # a formula's preparing (the leading "=" off, newer functions prefixed "_xlfn.") runs
        # some thirty regular expressions over it, and depends only on the formula and the
        # sheet's settings: a chart's formulas repeat, so each distinct one is prepared once
        key = (formula, expand_future_functions)
        prepared = self._prepared.get(key)
        if prepared is None:
            if self._left_alone(formula, expand_future_functions or self.use_future_functions):
                prepared = formula[1:]
            else:  # (XlsxWriter before 3.1.9 takes the formula alone)
                prepared = (super()._prepare_formula(formula, True) if expand_future_functions
                            else super()._prepare_formula(formula))
            self._prepared[key] = prepared
        return prepared

    def _left_alone(self, formula: str, future: bool) -> bool:
        """Whether XlsxWriter's preparing would only take the leading "=" off ``formula``.

        Each of its expressions, future functions' too, ends with "(" (3.1 to 3.3, read, and
        tests/test_xlsx_cells.py checks the installed one): a formula without a "(" is left
        alone. That is every conditional format's (``=$I5="Green"``), which XlsxWriter
        prepares with its future functions: so a build never compiles their expressions
        (over a hundred: 8 ms of every run).

        Without future functions, each of its expressions (3.1 to 3.3, read) is a function's
        name and "(": ``\\bNAME\\(``, or ``\\SINGLE\\(`` (any character but a space, then
        INGLE). A match ends at a "(" and lies within the name written before it, but for the
        one character before the name that ``\\b`` or ``\\S`` looks at; asking XlsxWriter to
        prepare ``=+NAME(`` puts a "+" there (the "=" is taken off first), which both accept,
        so the question finds every match the name could have in any formula. If no name before a "(" is changed (each
        asked once), the formula is not: a KPI table's formulas call IF, NOT, ISNUMBER, ROUND
        and ABS over and over."""
        if not formula.startswith("=") or formula.endswith("}"):  # (braces are taken off too)
            return False
        if "(" not in formula:
            return True
        if future:  # (a future function's name may hold a ".", which matches any character)
            return False
        for name in set(_CALLED.findall(formula)):
            alone = self._names.get(name)
            if alone is None:
                alone = self._names[name] = super()._prepare_formula(f"=+{name}(") == f"+{name}("
            if not alone:
                return False
        return True

    def _write_rows(self):
        # XlsxWriter's rows, each row's cells taken in column order rather than by trying
        # every column of the sheet in every row (the table behind the SPC charts is wide),
        # and a row's common cells written in one piece
        if self.comments or self.constant_memory:
            return super()._write_rows()
        # the <row> settings from set_row: row_info from XlsxWriter 3.3, set_rows before
        settings = self.row_info if hasattr(self, "row_info") else self.set_rows
        self._calculate_spans()
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table[row]  # (XlsxWriter's table adds the row if missing, so the same here)
            if not cells and row not in settings:
                continue
            span = self.row_spans.get(row // 16)
            if not cells:
                self._write_empty_row(row, span, settings[row])
                continue
            self._write_row(row, span, settings.get(row))
            number = str(row + 1)
            pieces = []
            for col in sorted(cells):  # (every cell XlsxWriter stores is within its dimensions)
                cell = cells[col]
                xml = self._cell_xml(number, col, cell)
                if xml is None:  # XlsxWriter's own, after the cells before it
                    self.fh.write("".join(pieces))
                    pieces.clear()
                    self._write_cell(row, col, cell)
                else:
                    pieces.append(xml)
            pieces.append("</row>")
            self.fh.write("".join(pieces))

    def _cell_xml(self, row_number: str, col: int, cell) -> str | None:
        """The XML XlsxWriter's ``_write_cell`` writes for a number, shared string, blank or
        formula cell with a format; None for any other cell. Its attributes (the reference
        and the format's index) never need escaping."""
        fmt = cell.format
        if fmt is None:
            return None
        letters = self._columns.get(col)
        if letters is None:
            letters = self._columns[col] = xl_col_to_name(col)
        index = self._indexes.get(fmt)  # (a format's index never changes once it is given)
        if index is None:
            index = self._indexes[fmt] = f'" s="{fmt._get_xf_index()}"'
        start = f'<c r="{letters}{row_number}{index}'
        kind = cell.__class__.__name__
        if kind == "Number":
            number = cell.number
            if number.__class__ is not float and number.__class__ is not int:
                return None  # (a Fraction or Decimal equals a float but may be written otherwise)
            text = self._numbers.get(number) if number else None  # (0 and -0.0 are equal, not the same text)
            if text is None:
                text = f"{number:.16G}"
                if number:
                    self._numbers[number] = text
            return f"{start}><v>{text}</v></c>"
        if kind == "String":  # the shared string's index
            return f'{start} t="s"><v>{cell.string}</v></c>'
        if kind == "Blank":
            return f"{start}/>"
        if kind == "Formula":
            return (f"{start}{_result_type(cell.value)}><f>{self._escape_data(cell.formula)}</f>"
                    f"<v>{self._escape_data(_result(cell.value))}</v></c>")
        return None

    def _calculate_spans(self):
        # XlsxWriter's spans (the first:last column of each block of 16 rows), from each
        # row's columns rather than by trying every column of the sheet in every row
        if self.comments:
            return super()._calculate_spans()
        spans = {}
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row)
            if cells:
                block = row // 16
                first, last = min(cells), max(cells)
                if block in spans:
                    first, last = min(first, spans[block][0]), max(last, spans[block][1])
                spans[block] = (first, last)
        self.row_spans = {block: f"{first + 1}:{last + 1}" for block, (first, last) in spans.items()}


def _result_type(value) -> str:
    """The ``t`` attribute XlsxWriter gives a formula's cached result."""
    if isinstance(value, bool):
        return ' t="b"'
    if isinstance(value, str) and value:
        return ' t="e"' if value in ERROR_CODES else ' t="str"'
    return ""


def _result(value):
    if isinstance(value, bool):
        return int(value)
    return value


#: XlsxWriter's cell of a number (``CellNumberTuple`` from 3.3, ``cell_number_tuple`` before)
NUMBER = getattr(worksheet_module, "CellNumberTuple", None) or getattr(worksheet_module, "cell_number_tuple", None)


def write_cells(ws: Worksheet, cells: list[Cell], format_of) -> None:
    """Store ``cells`` in ``ws``, each with the format ``format_of(style)``, as the public
    ``write_*`` methods would (a merged range's top-left cell is written over its blank).

    A finite number within the sheet's limits (every figure) goes straight into the table
    as ``_write_number`` stores it, and the sheet's extent takes the figures' highest and
    lowest rows and columns at the end, as ``_write_number`` would have taken them one by
    one (a sixth of the time of writing a scorecard's cells); any other, and every cell of a
    sheet in constant-memory mode, through XlsxWriter's own writer."""
    write_number, write_string, write_blank = ws._write_number, ws._write_string, ws._write_blank
    table, rows, cols = ws.table, ws.xls_rowmax, ws.xls_colmax
    direct = NUMBER is not None and not ws.constant_memory
    low_row = low_col = high_row = high_col = None
    style = fmt = None
    for cell in cells:
        row, col, value = cell.row, cell.col, cell.value
        if cell.style is not style:  # (a row of a table shares one style)
            style = cell.style
            fmt = format_of(style)
        if cell.merge_to:
            # merge_range writes the value as text or number; write the real cell after it
            ws.merge_range(row, col, cell.merge_to[0], cell.merge_to[1], "", fmt)
        kind = value.__class__
        if cell.link:
            ws._write_url(row, col, cell.link, fmt, str(value) if value not in (None, "") else None)
        elif cell.formula:
            ws._write_formula(row, col, cell.formula, fmt, value if value is not None else "")
        elif kind is float or kind is int:  # the common cases first: a figure
            if direct and value - value == 0 and 0 <= row < rows and 0 <= col < cols:  # (inf - inf, nan - nan: nan)
                table[row][col] = NUMBER(value, fmt)
                if low_row is None:
                    low_row = high_row = row
                    low_col = high_col = col
                if row < low_row:
                    low_row = row
                elif row > high_row:
                    high_row = row
                if col < low_col:
                    low_col = col
                elif col > high_col:
                    high_col = col
            else:
                write_number(row, col, value, fmt)
        elif kind is str and value:
            write_string(row, col, value, fmt)  # never a formula, whatever it starts with
        elif value is None or value == "":
            write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws._write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)):
            write_number(row, col, value, fmt)
        else:
            write_string(row, col, str(value), fmt)
    if low_row is not None:
        ws._check_dimensions(low_row, low_col)
        ws._check_dimensions(high_row, high_col)
