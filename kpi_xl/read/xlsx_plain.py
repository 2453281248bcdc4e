"""The rows of a plainly written worksheet, read with regular expressions instead of expat events.

A worksheet's ``<sheetData>`` is most of its bytes, and calling Python for every element
expat reports (a start, an end and the text of each ``<row>``, ``<c>``, ``<v>``) was most of
the time taken to read a workbook. What Excel, XlsxWriter and openpyxl write there is a
plain sequence ``<row ...><c ...><v>text</v></c>...</row>``, so ``xlsx_sheet`` reads that
sequence here, a row at a time, and gives each cell to the same conversion the expat
handlers use. It is only used where it is provably the same as expat:

- expat has already parsed the whole part (with no Python handlers, in C): it is
  well-formed XML with no DOCTYPE or entity declaration, so ``<`` only ever starts markup
  and every ``&`` in a text is one of the five predefined entities or a character
  reference; and it is UTF-8 (``plain_sheet_data`` checks the XML declaration);
- before ``<sheetData>`` there is no comment, CDATA section, processing instruction, or
  element whose name ends in ``row`` or ``mergeCell(s)``: so ``<sheetData`` is the
  element's own start tag, unprefixed, and nothing before it reads a row or a merged
  range (``xlsx_sheet`` checks that expat names it in the main namespace);
- a row is read here only if all of it matches what ``_TOKEN`` reads: ``<row>`` with
  ``<c>`` cells holding only ``<v>``, ``<f>`` and at most one ``<is>`` (with at most one
  ``<t>``); no prefixed elements, comments or ``xmlns`` declarations; attribute values
  with no entity, tab or line break (which expat would decode or turn into spaces); no
  carriage return (which expat turns into a line break). At the first row that does not,
  ``end`` is set to where it starts and expat reads the rest as it always did.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

_WS = "[ \t\r\n]"  # XML's whitespace (Python's \s would take more)
_NAME = "[^ \t\r\n=/<>\"']+"
_VALUE = "[^\"<&\t\n\r]"  # an attribute value's character, as expat gives it unchanged
_ATTR = f"{_WS}+(?!xmlns){_NAME}{_WS}*={_WS}*(?:\"{_VALUE}*\"|'[^'<&\t\n\r]*')"
_ATTRS = f"(?:{_ATTR})*{_WS}*"
_TEXT = "[^<]*"


def _leaf(tag: str, text: str = _TEXT) -> str:
    """``<tag .../>`` or ``<tag ...>text</tag>``."""
    return f"<{tag}{_ATTRS}(?:/>|>{text}</{tag}{_WS}*>)"


_VALUE_OR_FORMULA = f"(?:{_WS}*(?:{_leaf('v')}|{_leaf('f')}))*"
_INLINE = _leaf("is", f"{_WS}*(?:{_leaf('t')}{_WS}*)?")  # at most one <t>: its text is the cell's
_CELL_BODY = f"{_VALUE_OR_FORMULA}(?:{_WS}*{_INLINE}{_VALUE_OR_FORMULA})?{_WS}*"  # at most one <is>

# What a row holds, as one token each (whitespace between them is skipped, as expat's handlers skip it):
_TOKEN = re.compile(
    # 1-7: a cell as nearly all are written: <c r="B2" s="3" t="s"><v>12</v></c>, or with no value
    # (an empty <v> or none are the same for a cell with no formula), or a non-empty inline string,
    # or a formula with no attributes and its saved result
    f'<c r="({_VALUE}+)"(?: s="({_VALUE}+)")?(?: t="({_VALUE}+)")?'
    f"(?:/>|>(?:<v>([^<]*)</v>|<is><t>([^<]+)</t></is>|<f>([^<]+)</f><v>([^<]*)</v>)?</c>)"
    # 8-10: any other cell: its attributes and what it holds (read by _cell, if it holds only what _CELL_BODY may)
    f"|(<c)((?:{_ATTR})*){_WS}*(?:/>|>(.*?)</c{_WS}*>)"
    # 11-13: a row's start (13 is "/" if it closes at once); 14: a row's end
    f"|(<row)((?:{_ATTR})*){_WS}*(/?)>|(</row){_WS}*>"
    # 15: anything else (a comment, an element of another name, text ...): the row is left to expat
    "|([^ \t\r\n])", re.DOTALL)
_NO_ATTRIBUTES: dict = {}  # of a <f> written with none (only ever read)
_PART = (f"<v{_ATTRS}(?:/>|>({_TEXT})</v{_WS}*>)|<f((?:{_ATTR})*){_WS}*(?:/>|>({_TEXT})</f{_WS}*>)"
         f"|<is{_ATTRS}(?:/>|>{_WS}*(?:<t{_ATTRS}(?:/>|>({_TEXT})</t{_WS}*>){_WS}*)?</is{_WS}*>)")


@functools.cache
def _cell_patterns() -> tuple[re.Pattern, re.Pattern]:
    """What an unusual cell may hold, and each of its parts: compiled when first needed (they
    take a hundredth of a second to compile, and a sheet XlsxWriter wrote needs neither)."""
    return re.compile(_CELL_BODY), re.compile(_PART)
_ATTR_PARTS = re.compile(f"({_NAME}){_WS}*={_WS}*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile("&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}

_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml[ \t\r\n][^>]*\?>)?")
_ENCODING = re.compile(rb"encoding[ \t\r\n]*=[ \t\r\n]*[\"']([^\"']*)[\"']")
_SHEET_DATA = re.compile(rb"<sheetData(?:[ \t\r\n][^>]*)?>")
_NOT_PLAIN_BEFORE = re.compile(rb"<[!?]|<[^ \t\r\n/>]*(?:row|mergeCells?)[ \t\r\n/>]")
SLICE_BYTES = 1 << 20  # rows are decoded and read about this much at a time

Cell = tuple  # (r, s, t: the attributes or None, <v> text or None, <f> attributes or None, <f> text, <is> text or None)


def plain_sheet_data(data: bytes) -> tuple[int, int, int] | None:
    """Where a worksheet's ``<sheetData>`` tag starts, where its content starts and ends
    (byte offsets), if the part is one whose rows may be read here (see the module's notes)."""
    declaration = _DECLARATION.match(data)
    encoding = _ENCODING.search(declaration[0])
    if encoding and encoding[1].lower() not in (b"utf-8", b"utf8"):
        return None
    found = _SHEET_DATA.search(data, declaration.end())
    if found is None or found[0].endswith(b"/>") or _NOT_PLAIN_BEFORE.search(data, declaration.end(), found.start()):
        return None
    end = data.find(b"</sheetData", found.end())
    return None if end < 0 else (found.start(), found.end(), end)


class PlainRows:
    """The rows from ``start`` up to ``end`` of a part's bytes, each as its attributes and
    its cells (``Cell``); once they are read, ``end`` is where the rows read here stop."""

    def __init__(self, data: bytes, start: int, end: int):
        self.data, self.start, self.end = data, start, end

    def __iter__(self) -> Iterator[tuple[dict, list[Cell]]]:
        data, pos, end = self.data, self.start, self.end
        while pos < end:
            cut = data.find(b"</row", min(pos + SLICE_BYTES, end), end)
            cut = end if cut < 0 else data.find(b">", cut) + 1  # a piece ends with a row
            piece = data[pos:cut]
            carriage_return = piece.find(b"\r")  # expat makes it a line break: from its row on, expat reads
            if carriage_return >= 0:
                piece = piece[:carriage_return]
            text = piece.decode("utf-8")
            rows = yield from _rows(text)
            if rows is not None or carriage_return >= 0:  # a row that is not plain: expat reads on from it
                self.end = pos + (len(piece) if rows is None else _bytes_of_rows(text, rows))
                return
            pos = cut


def _rows(text: str) -> Iterator[tuple[dict, list[Cell]]]:
    """The rows of a piece of sheet data; returns None if all of them were plain, else how
    many were read before the first that is not."""
    row_attrs, cells, done = None, [], 0
    for (r, s, t, value, inline, formula, result, cell, attrs, body, row, row_text, closed, row_end,
         other) in _TOKEN.findall(text):
        if r and row_attrs is not None:
            if formula:
                cells.append((r, s or None, t or None, _text(result), _NO_ATTRIBUTES, _text(formula), None))
            else:
                cells.append((r, s or None, t or None, _text(value) if value else None, None, "",
                              _text(inline) if inline else None))
        elif cell and row_attrs is not None and (read := _cell(attrs, body)) is not None:
            cells.append(read)
        elif row and row_attrs is None:
            row_attrs, cells = _attributes(row_text), []
            if closed:
                yield row_attrs, cells
                row_attrs, done = None, done + 1
        elif row_end and row_attrs is not None:
            yield row_attrs, cells
            row_attrs, done = None, done + 1
        else:  # anything else, a cell outside a row or a row inside one
            return done
    return None if row_attrs is None else done


def _bytes_of_rows(text: str, rows: int) -> int:
    """How many bytes of ``text`` its first ``rows`` rows (and the whitespace before them) take."""
    at = 0
    for token in _TOKEN.finditer(text):
        if rows == 0:
            break
        if token[13] or token[14]:
            rows -= 1
            at = token.end()
    return len(text[:at].encode("utf-8"))


def _attributes(text: str) -> dict[str, str]:
    return {name: double or single for name, double, single in _ATTR_PARTS.findall(text)}


def _text(text: str) -> str:
    """A text as expat gives it: entities and character references decoded."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _NAMED.get(m[1]) or chr(int(m[1][2:], 16) if m[1][1] == "x" else int(m[1][1:])),
                       text)


def _cell(attrs: str, body: str) -> Cell | None:
    """A cell that is not written as nearly all are: each of its parts (the first of each
    kind); None if it holds something else."""
    found = _attributes(attrs)
    value = formula = inline = None
    formula_text = ""
    if not body:
        return found.get("r"), found.get("s"), found.get("t"), value, formula, formula_text, inline
    plain_body, parts = _cell_patterns()
    if plain_body.fullmatch(body) is None:
        return None
    for part in parts.finditer(body):
        kind = part[0][1]
        if kind == "v":
            if value is None:
                value = _text(part[1] or "")
        elif kind == "f":
            if formula is None:
                formula, formula_text = _attributes(part[2]), _text(part[3] or "")
        elif inline is None:
            inline = _text(part[4] or "")
    return found.get("r"), found.get("s"), found.get("t"), value, formula, formula_text, inline
