"""A streaming xlsx reader on the standard library (``zipfile`` + ``xml.parsers.expat``).

It reads what kpi_xl needs of a workbook (the worksheets' saved values with their number
formats, hidden rows, merged ranges, formulas with no saved result or reading another
workbook; the sheets' names, order and state; the defined names) and turns each value
into the same Python value openpyxl's read-only mode gives (``excel_values``), about
twice as fast and without importing openpyxl. ``tests/test_xlsx_stream.py`` reads every
workbook of the project both ways and compares.

Every XML part is parsed by expat with a handler that refuses a DOCTYPE or an entity
declaration anywhere (``UnsafeXml``), as defusedxml did for openpyxl. A damaged part
raises what expat or the conversion raises (``ExpatError``, ``ValueError``, ``KeyError``,
``IndexError``); ``grid.grids_from_file`` turns either into a refusal naming the file.
"""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from collections.abc import Set as AbstractSet

from .excel_values import (BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE, MAC_EPOCH,
                           WINDOWS_EPOCH, get_column_letter, is_date_format, is_timedelta_format)
from .xlsx_sheet import MAIN, RichText, Sheet, UnsafeXml, local_name, new_parser, read_sheet

__all__ = ["Book", "Sheet", "UnsafeXml", "get_column_letter"]

RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
_WORKBOOK_TYPES = ("application/vnd.ms-excel.template.macroEnabled.main+xml",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                   "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


class _Part:
    """One XML part parsed by expat: subclasses handle ``start``/``end``; the text of the
    element being captured (up to its first child, as ElementTree's ``.text``) is kept."""

    def __init__(self):
        self.depth = 0
        self.capture: list[str] | None = None

    def parse(self, zf: zipfile.ZipFile, name: str) -> None:
        parser = new_parser()
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


class _Listing(_Part):
    """The children of a part's top element: ``(local name, attributes, text, children)``
    for the small parts (content types, relationships, workbook, styles)."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple[str, dict, list, list]] = []

    def start(self, name, attrs):
        if self.depth == 2:
            self.items.append((local_name(name), attrs, [], []))
            self.capture = self.items[-1][2]
        elif self.depth == 3:
            self.items[-1][3].append((local_name(name), attrs, []))
            self.capture = self.items[-1][3][-1][2]


def _listing(zf: zipfile.ZipFile, name: str) -> list[tuple[str, dict, list, list]]:
    part = _Listing()
    part.parse(zf, name)
    return part.items


class _SharedStrings(_Part):
    def __init__(self):
        super().__init__()
        self.strings: list[str] = []
        self.text: RichText | None = None

    def start(self, name, attrs):
        if self.text is not None:
            self.capture = self.text.start(name, self.depth)
        elif name == MAIN + "si":
            self.text = RichText(self.depth)

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

    def read_sheet(self, part: str, on_row: Callable[[list[tuple[int, int, object, int]]], None],
                   skip: AbstractSet[str] | None = None) -> Sheet:
        """Stream one worksheet: ``on_row`` gets each row's cells as (row, column, value,
        style), 1-based, value None for an empty cell; the rest is on the returned ``Sheet``.
        ``skip``: cells (A1 references) not wanted: a row of them alone is not read."""
        return read_sheet(self.zip, part, self, on_row, skip)
