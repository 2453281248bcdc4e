"""A streaming xlsx reader on the standard library (``zipfile`` + ``xml.parsers.expat``).

It reads what kpi_xl needs of a workbook (the worksheets' saved values with their number
formats, hidden rows, merged ranges, formulas with no saved result or reading another
workbook; the sheets' names, order and state; the defined names) and turns each value
into the same Python value openpyxl's read-only mode gives (``excel_values``), several
times faster and without importing openpyxl. ``tests/test_xlsx_stream.py`` reads every
workbook of the project both ways and compares.

Every XML part is parsed by expat with a handler that refuses a DOCTYPE or an entity
declaration anywhere (``UnsafeXml``), as defusedxml did for openpyxl. A damaged part
raises what expat or the conversion raises (``ExpatError``, ``ValueError``, ``KeyError``,
``IndexError``); ``grid.grids_from_file`` turns either into a refusal naming the file.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from xml.parsers import expat

from .excel_values import (BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE, MAC_EPOCH,
                           WINDOWS_EPOCH, cast_number, column_index_from_string, coordinate_to_tuple, from_excel,
                           from_iso8601, get_column_letter, is_date_format, is_timedelta_format, merged_range)

__all__ = ["Book", "UnsafeXml", "get_column_letter"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "  # expat names are "namespace local"
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
_WORKBOOK_TYPES = ("application/vnd.ms-excel.template.macroEnabled.main+xml",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                   "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
LINKED = re.compile(r"\[\d+\][^\[\]()+*/,&=<>^;]*!")  # [1]Sheet1!A1: a cell in another workbook
_PLAIN_REF = re.compile(r"([A-Za-z]*)([0-9]+)")
ROW, CELL_VALUE, FORMULA, INLINE, MERGE_CELLS = (MAIN + tag for tag in ("row", "v", "f", "is", "mergeCells"))


class UnsafeXml(Exception):
    """A part declares a DOCTYPE or entities (billion laughs, external entities)."""


def _refuse_declarations(*_args) -> None:
    raise UnsafeXml("XML entity definitions")


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _Part:
    """One XML part parsed by expat: subclasses handle ``start``/``end``; the text of the
    element being captured (up to its first child, as ElementTree's ``.text``) is kept."""

    def __init__(self):
        self.depth = 0
        self.capture: list[str] | None = None

    def parse(self, zf: zipfile.ZipFile, name: str) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse_declarations
        parser.ExternalEntityRefHandler = _refuse_declarations
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        with zf.open(name) as source:
            parser.ParseFile(source)

    def _start(self, name, attrs):
        self.depth += 1
        self.capture = None  # an element's text stops at its first child
        self.start(name, attrs)

    def _end(self, name):
        self.end(name)
        self.capture = None
        self.depth -= 1

    def _text(self, data):
        if self.capture is not None:
            self.capture.append(data)

    def start(self, name, attrs):
        pass

    def end(self, name):
        pass


class _RichText:
    """The text of a shared string (``<si>``) or an inline string (``<is>``) as openpyxl's
    ``Text.content``: the plain ``<t>``, then each run's ``<t>``; phonetic runs left out."""

    def __init__(self, part: _Part):
        self.part, self.depth = part, part.depth
        self.plain: list[str] | None = None
        self.runs: list[list[str] | None] = []
        self.in_run = False

    def start(self, name):
        local, below = _local(name), self.part.depth - self.depth
        if below == 1:
            self.in_run = local == "r"
            if local == "t":
                self.plain = self.part.capture = []
            elif self.in_run:
                self.runs.append(None)
        elif below == 2 and self.in_run and local == "t":
            self.runs[-1] = self.part.capture = []

    def content(self) -> str:
        return "".join(["".join(self.plain or ()), *("".join(run) for run in self.runs if run)])


class _Listing(_Part):
    """The children of a part's top element: ``(local name, attributes, text, children)``
    for the small parts (content types, relationships, workbook, styles)."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple[str, dict, list, list]] = []

    def start(self, name, attrs):
        if self.depth == 2:
            self.items.append((_local(name), attrs, [], []))
            self.capture = self.items[-1][2]
        elif self.depth == 3:
            self.items[-1][3].append((_local(name), attrs, []))
            self.capture = self.items[-1][3][-1][2]


def _listing(zf: zipfile.ZipFile, name: str) -> list[tuple[str, dict, list, list]]:
    part = _Listing()
    part.parse(zf, name)
    return part.items


class _SharedStrings(_Part):
    def __init__(self):
        super().__init__()
        self.strings: list[str] = []
        self.text: _RichText | None = None

    def start(self, name, attrs):
        if self.text is not None:
            self.text.start(name)
        elif name == MAIN + "si":
            self.text = _RichText(self)

    def end(self, name):
        if self.text is not None and self.depth == self.text.depth:
            self.strings.append(self.text.content().replace("x005F_", ""))
            self.text = None


class Book:
    """An xlsx opened for reading: its sheets in order, defined names, shared strings and
    number formats. Use as a context manager (it holds the zip open)."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        names = set(self.zip.namelist())
        manifest = _listing(self.zip, "[Content_Types].xml")
        overrides = [attrs for local, attrs, _, _ in manifest if local == "Override"]
        defaults = {attrs.get("ContentType") for local, attrs, _, _ in manifest if local == "Default"}
        part = next((o.get("PartName") for kind in _WORKBOOK_TYPES for o in overrides if o.get("ContentType") == kind),
                    "/xl/workbook.xml" if defaults & set(_WORKBOOK_TYPES) else None)
        if part is None:
            raise ValueError("File contains no valid workbook part")
        workbook = part[1:]
        self.epoch = WINDOWS_EPOCH
        self.defined_names: dict[str, str] = {}  # workbook-level names -> what they refer to
        self.sheets: list[tuple[str, str, str]] = []  # (name, part, state) of each worksheet
        rels = None
        for local, attrs, _, children in _listing(self.zip, workbook):
            if local == "workbookPr":
                date1904 = attrs.get("date1904")
                if date1904 is not None and date1904 not in ("false", "f", "0") and bool(date1904):
                    self.epoch = MAC_EPOCH
            elif local == "definedNames":
                for _, name_attrs, text in children:
                    name = name_attrs.get("name")
                    if name_attrs.get("localSheetId") is None and name not in (
                            "_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase"):
                        self.defined_names[name] = "".join(text) or None
            elif local == "sheets":
                for _, sheet, _ in children:
                    if not sheet.get(RELATIONSHIP_ID):
                        continue  # openpyxl drops it too, with a warning
                    rels = self._relationships(workbook) if rels is None else rels
                    kind, target = rels[sheet[RELATIONSHIP_ID]]
                    if target in names and "chartsheet" not in kind:
                        self.sheets.append((sheet.get("name"), target, sheet.get("state") or "visible"))
        strings = next((o.get("PartName") for o in overrides if o.get("ContentType") == _SHARED_STRINGS_TYPE), None)
        self.strings: list[str] = []
        if strings is not None:
            reader = _SharedStrings()
            reader.parse(self.zip, strings[1:])
            self.strings = reader.strings
        self._styles(names)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *_exc) -> None:
        self.zip.close()

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, target part) from the part's .rels, targets resolved as openpyxl does."""
        folder, name = posixpath.split(part)
        parent = posixpath.split(posixpath.join(folder, "_rels"))[0]
        found = {}
        for local, attrs, _, _ in _listing(self.zip, posixpath.join(folder, "_rels", f"{name}.rels")):
            if local != "Relationship":
                continue
            target = attrs.get("Target")
            if attrs.get("TargetMode") != "External":
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
            found[attrs.get("Id")] = (attrs.get("Type"), target)
        return found

    def _styles(self, names: set[str]) -> None:
        """Each cell style's number format, and which styles make dates and durations."""
        self.style_formats: list[int] = [0]  # numFmtId of each cell style (xf), as openpyxl renumbers them
        self.custom_formats: list[str] = []  # formats numbered from 164
        self.date_styles: set[int] = set()
        self.timedelta_styles: set[int] = set()
        if "xl/styles.xml" not in names:
            return
        custom, xfs = {}, []
        for local, _, _, children in _listing(self.zip, "xl/styles.xml"):
            if local == "numFmts":
                custom = {int(a["numFmtId"]): a.get("formatCode") for tag, a, _ in children if tag == "numFmt"}
            elif local == "cellXfs":
                xfs = [int(a.get("numFmtId", 0)) for tag, a, _ in children if tag == "xf"]
        if not xfs:
            return
        self.style_formats = []
        for index, number in enumerate(xfs):
            if number in custom:
                fmt = custom[number]
                if fmt in BUILTIN_FORMATS_REVERSE:
                    number = BUILTIN_FORMATS_REVERSE[fmt]
                else:
                    if fmt not in self.custom_formats:
                        self.custom_formats.append(fmt)
                    number = self.custom_formats.index(fmt) + BUILTIN_FORMATS_MAX_SIZE
            else:
                fmt = BUILTIN_FORMATS.get(number)
            self.style_formats.append(number)
            if is_date_format(fmt):
                self.date_styles.add(index)
            if is_timedelta_format(fmt):
                self.timedelta_styles.add(index)

    def number_format(self, style: int) -> str:
        """The number format of a cell style, named as openpyxl names it."""
        number = self.style_formats[style]
        if number < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(number, "General")
        return self.custom_formats[number - BUILTIN_FORMATS_MAX_SIZE]

    def read_sheet(self, part: str, on_row: Callable[[list[tuple[int, int, object, int]]], None]) -> Sheet:
        """Stream one worksheet: ``on_row`` gets each row's cells as (row, column, value,
        style), 1-based, value None for an empty cell; the rest is on the returned ``Sheet``."""
        sheet = Sheet(self, on_row)
        sheet.parse(self.zip, part)
        return sheet


class Sheet(_Part):
    """One worksheet's cells, as openpyxl's ``WorkSheetParser`` (data only) reads them."""

    def __init__(self, book: Book, on_row):
        super().__init__()
        self.book, self.on_row = book, on_row
        self.hidden_rows: set[int] = set()  # 0-based
        self.merged: list[str] = []
        self.uncalculated: set[tuple[int, int]] = set()  # 0-based (row, col): formulas with no saved result
        self.linked: dict[tuple[int, int], str] = {}  # 0-based: formulas reading another workbook
        self._linked_shared: dict[str, str] = {}  # shared formula id -> the linked formula
        self.row = self.column = 0  # openpyxl's counters, for rows and cells without a reference
        self.row_depth = self.cell_depth = self.merge_depth = 0
        self.cells: list = []
        self._merging: list = []

    # the two handlers below run for every element of the sheet: kept flat, as the parser's own
    # (``_Part._start``/``_end`` do the same for the other parts)

    def _start(self, name, attrs):
        depth = self.depth = self.depth + 1
        self.capture = None  # an element's text stops at its first child
        if self.cell_depth:
            if depth == self.cell_depth + 1:
                if name == CELL_VALUE:
                    if self.value is None:
                        self.value = self.capture = []
                elif name == FORMULA:
                    if self.formula is None:
                        self.formula = attrs
                        self.formula_text = self.capture = []
                elif name == INLINE and self.inline is None:
                    self.inline = _RichText(self)
            elif self.inline is not None and self.inline.depth < depth:
                self.inline.start(name)
        elif self.row_depth:
            if depth == self.row_depth + 1:
                self.cell_depth, self.attrs = depth, attrs
                self.value = self.formula = self.formula_text = self.inline = None
        elif name == ROW:
            self.row_depth = depth
            self._start_row(attrs)
        elif self.merge_depth:
            if depth == self.merge_depth + 1 and _local(name) == "mergeCell":
                self._merging.append(attrs.get("ref"))
        elif name == MERGE_CELLS:
            self.merge_depth, self._merging = depth, []

    def _end(self, name):
        depth = self.depth
        self.depth = depth - 1
        self.capture = None
        if depth == self.cell_depth:
            self.cell_depth = 0
            self._cell()
        elif depth == self.row_depth:
            self.row_depth = 0
            self.on_row(self.cells)
        elif depth == self.merge_depth:
            self.merge_depth = 0
            self.merged = [merged_range(ref) for ref in self._merging]

    def _start_row(self, attrs):
        number = attrs.get("r")
        if number is not None:
            try:
                self.row = int(number)
            except ValueError:
                as_float = float(number)
                if not as_float.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row = int(as_float)
        else:
            self.row += 1
        self.column = 0
        if attrs.get("hidden") in ("1", "true"):
            self.hidden_rows.add(self.row - 1)
        self.cells = []

    def _cell(self):
        """The cell just read, converted as openpyxl's ``parse_cell`` converts it; a value
        it cannot read (NaN) is kept as NaN, for the reader to name the cell."""
        attrs, book = self.attrs, self.book
        try:
            data_type = attrs.get("t", "n")
            style = attrs.get("s", 0)
            if style:
                style = int(style)
            value = None if data_type == "inlineStr" or self.value is None else "".join(self.value) or None
            coordinate = attrs.get("r")
            if coordinate:
                plain = _PLAIN_REF.fullmatch(coordinate)  # B12: letters then digits, most cells
                row, column = ((int(plain[2]), column_index_from_string(plain[1])) if plain
                               else coordinate_to_tuple(coordinate))
                self.column = column
            else:
                self.column += 1
                row, column = self.row, self.column
            if value is not None:
                if data_type == "n":
                    value = cast_number(value)
                    if style in book.date_styles:
                        try:
                            value = from_excel(value, book.epoch, timedelta=style in book.timedelta_styles)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"  # a date out of range: openpyxl's error value
                elif data_type == "s":
                    value = book.strings[int(value)]
                elif data_type == "b":
                    value = bool(int(value))
                elif data_type == "d":
                    value = from_iso8601(value)
            elif data_type == "inlineStr" and self.inline is not None:
                value = self.inline.content()
        except ValueError:
            coordinate = attrs.get("r")
            row, column = coordinate_to_tuple(coordinate) if coordinate else (self.row, self.column + 1)
            self.column = column
            self.cells.append((row, column, float("nan"), 0))
            return
        if self.formula is not None:
            self._note_formula(row - 1, column - 1, value, data_type)
        self.cells.append((row, column, value, style))

    def _note_formula(self, row: int, column: int, value, data_type: str) -> None:
        if self.value is None or (value is None and data_type != "str"):
            self.uncalculated.add((row, column))  # ("str" with an empty result is a formula giving "")
            return
        own = "".join(self.formula_text) or None
        text = own or self._linked_shared.get(self.formula.get("si", ""), "")
        if LINKED.search(text):
            self.linked[(row, column)] = "=" + text
            if self.formula.get("t") == "shared" and own:
                self._linked_shared[self.formula.get("si", "")] = text
