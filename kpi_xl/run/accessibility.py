"""Check any scorecard (or any xlsx) for what a published copy must meet: WCAG 2.2 AA as
the public sector accessibility regulations ask, for screen readers, colour-blind readers
and print.

``check_accessibility(path)`` lists every problem with its sheet and cell and what to do
(``kpi-xl check-accessibility FILE.xlsx``, the directors' copy and the ribbon's *Directors'
copy* run it). The rules, each a function below:

* document: a title, a subject, the language (en-GB) and the author organisation;
* sheets: a name that says what the sheet is (not ``Sheet1``), its title in A1, no hidden sheets;
* charts and pictures: alternative text that says what they show;
* tables (Excel tables, and defined names over a block of cells): one header row with a
  header over every column, no blank rows or columns inside, the header repeated on each
  printed page (print titles) when the table is long; a grid of figures with no name is reported;
* merged cells: only titles and notes alone on their row, never inside a table or across rows;
* colour: text on every fill (conditional formats included) at least 4.5:1; no conditional
  colour on cells without words; no coloured arrow without a word; no coloured empty cell in a table.

What a machine cannot judge (whether the commentary is meaningful, whether a title is
helpful) is listed in the README under *Accessible copies*.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import CannotRun, Problem

LANGUAGE = "en-GB"
LONG_TABLE_ROWS = 20  # a table longer than this prints on more than one page: its header must repeat
DEFAULT_SHEET_NAME = re.compile(r"(sheet|chart|feuil|tabelle|hoja|foglio|blad|ark)\s*\d*", re.IGNORECASE)
GENERIC_ALT_TEXT = re.compile(r"(chart|graph|image|picture|diagram)\s*\d*", re.IGNORECASE)
NS = {"r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
      "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
ALT_TEXT_FIX = ("Right-click it > Edit Alt Text, and say in words what it shows: the indicator, the months covered, "
                "the latest figure and its change, and the target and whether it is met.")


@dataclass(frozen=True)
class Table:
    name: str
    first_row: int  # 1-based, as openpyxl counts
    first_col: int
    last_row: int
    last_col: int

    def covers(self, row: int, col: int) -> bool:
        return self.first_row <= row <= self.last_row and self.first_col <= col <= self.last_col


def check_accessibility(path: str | Path) -> list[Problem]:
    """Every accessibility problem in the workbook at ``path``; empty when there is none."""
    from ..read.grid import _check_container  # noqa: PLC0415  (refuses what is not a sane xlsx)
    from .colour_check import colour_problems  # noqa: PLC0415

    path = Path(path)
    if not path.is_file():
        raise CannotRun(f"{path}: no such file. Check the path.")
    _check_container(path)
    import warnings  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415

    with warnings.catch_warnings():  # openpyxl warns of the sparklines it cannot keep; they are not checked
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, data_only=True)  # formulas' saved results: what a reader sees
    with zipfile.ZipFile(path) as zf:
        problems = document_problems(zf)
        drawings = drawing_objects(zf)
    for ws in book.worksheets + book.chartsheets:
        problems += sheet_problems(ws)
        problems += alt_text_problems(ws.title, drawings.get(ws.title, []))
        if ws in book.chartsheets:
            continue
        tables = find_tables(book, ws)
        problems += table_problems(ws, tables)
        problems += merge_problems(ws, tables)
        problems += colour_problems(ws, tables)
    return problems


def where(sheet: str, cell: str = "") -> str:
    name = f"'{sheet}'" if re.search(r"[^A-Za-z0-9_]", sheet) else sheet
    return f"{name}!{cell}" if cell else name


# document -------------------------------------------------------------------------------
def _text_of(xml: str, tag: str) -> str:
    found = re.search(rf"<{tag}(?:\s[^>]*)?>([^<]*)</{tag}>", xml)
    return found.group(1).strip() if found else ""


def document_problems(zf: zipfile.ZipFile) -> list[Problem]:
    names = set(zf.namelist())
    core = zf.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in names else ""
    app = zf.read("docProps/app.xml").decode("utf-8") if "docProps/app.xml" in names else ""
    props = "Document properties"
    found = []
    if not _text_of(core, "dc:title"):
        found.append(Problem(props, "the workbook has no title, so screen readers and the PDF's window show the "
                             "file name.", "File > Info > Properties > Title: type the report's title and month."))
    if not _text_of(core, "dc:subject"):
        found.append(Problem(props, "the workbook has no subject.",
                             "File > Info > Properties > Show All Properties > Subject: say what it reports."))
    language = _text_of(core, "dc:language")
    if language.lower() != LANGUAGE.lower():
        found.append(Problem(props, f"the document language is {language or 'not set'}, not {LANGUAGE}, so a "
                             "screen reader may read it with the wrong voice.",
                             f"Save it again with kpi-xl export, which sets {LANGUAGE} (Excel has no box for it)."))
    if not (_text_of(core, "dc:creator") or _text_of(app, "Company")):
        found.append(Problem(props, "no author organisation is recorded.",
                             "File > Info > Properties > Show All Properties > Company: type the council's name."))
    return found


# sheets ---------------------------------------------------------------------------------
def sheet_problems(ws) -> list[Problem]:
    found = []
    if DEFAULT_SHEET_NAME.fullmatch(ws.title.strip()):
        found.append(Problem(where(ws.title), f"the sheet name '{ws.title}' does not say what the sheet holds.",
                             "Double-click the tab and name it for its contents, e.g. 'KPI table'."))
    if ws.sheet_state != "visible":
        found.append(Problem(where(ws.title), f"the sheet is {ws.sheet_state}: a screen reader skips it and a "
                             "reader cannot tell it is there.",
                             "Delete it from the published copy, or unhide it and say in A1 what it is for."))
    if hasattr(ws, "cell"):
        title = ws["A1"].value
        if not isinstance(title, str) or not title.strip():
            found.append(Problem(where(ws.title, "A1"), "the first cell does not hold the sheet's title, where a "
                                 "screen reader starts.", "Type the sheet's title in A1 (move the contents down "
                                 "a row if needed)."))
    return found


# charts and pictures ----------------------------------------------------------------------
@dataclass(frozen=True)
class Drawn:
    kind: str  # "chart" or "picture"
    name: str
    description: str
    decorative: bool
    cell: str


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part of ``part``."""
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    if rels not in zf.namelist():
        return {}
    from defusedxml import ElementTree  # noqa: PLC0415

    root = ElementTree.fromstring(zf.read(rels))
    return {r.get("Id"): posixpath.normpath(posixpath.join(folder, r.get("Target"))).lstrip("/")
            for r in root.findall("rel:Relationship", NS) if r.get("TargetMode") != "External"}


def drawing_objects(zf: zipfile.ZipFile) -> dict[str, list[Drawn]]:
    """Sheet name -> the charts and pictures drawn on it, with their alternative text."""
    from defusedxml import ElementTree  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    book_rels = _rels(zf, "xl/workbook.xml")
    found: dict[str, list[Drawn]] = {}
    for sheet in book.iter(f"{{{NS['main']}}}sheet"):
        part = book_rels.get(sheet.get(f"{{{NS['r']}}}id"), "")
        for target in _rels(zf, part).values():
            if not target.startswith("xl/drawings/drawing") or target not in zf.namelist():
                continue
            drawing = ElementTree.fromstring(zf.read(target))
            for anchor in drawing:
                start = anchor.find("xdr:from", NS)
                cell = (f"{get_column_letter(int(start.findtext('xdr:col', '0', NS)) + 1)}"
                        f"{int(start.findtext('xdr:row', '0', NS)) + 1}") if start is not None else "A1"
                for kind, path in (("chart", "xdr:graphicFrame/xdr:nvGraphicFramePr/xdr:cNvPr"),
                                   ("picture", "xdr:pic/xdr:nvPicPr/xdr:cNvPr")):
                    props = anchor.find(path, NS)
                    if props is None:
                        continue
                    decorative = any(el.tag.endswith("}decorative") and el.get("val") in ("1", "true")
                                     for el in props.iter())
                    found.setdefault(sheet.get("name"), []).append(
                        Drawn(kind, props.get("name", ""), (props.get("descr") or "").strip(), decorative, cell))
    return found


def alt_text_problems(sheet: str, drawn: list[Drawn]) -> list[Problem]:
    found = []
    for item in drawn:
        if item.decorative:
            continue
        if not item.description:
            found.append(Problem(where(sheet, item.cell), f"the {item.kind} '{item.name}' has no alternative text, "
                                 "so a screen reader cannot say what it shows.", ALT_TEXT_FIX))
        elif GENERIC_ALT_TEXT.fullmatch(item.description) or len(item.description.split()) < 4:
            found.append(Problem(where(sheet, item.cell), f"the {item.kind} '{item.name}' has the alternative text "
                                 f"'{item.description}', which does not say what it shows.", ALT_TEXT_FIX))
    return found


# tables ---------------------------------------------------------------------------------
def find_tables(book, ws) -> list[Table]:
    """The sheet's Excel tables, and its defined names over a block of two or more rows and columns."""
    from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415

    blocks = [(t.displayName, t.ref) for t in ws.tables.values()]
    names = list(book.defined_names.values()) + list(ws.defined_names.values())
    for name in names:
        if name.name.startswith("_xlnm") or name.is_reserved:
            continue
        try:
            destinations = list(name.destinations)
        except (AttributeError, ValueError, TypeError):
            continue
        blocks += [(name.name, ref.replace("$", "")) for title, ref in destinations if title == ws.title]
    tables = []
    for name, ref in blocks:
        try:
            first_col, first_row, last_col, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None not in (first_col, first_row) and last_row > first_row and last_col > first_col:
            tables.append(Table(name, first_row, first_col, last_row, last_col))
    return tables


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def table_problems(ws, tables: list[Table]) -> list[Problem]:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    found = []
    values = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if not is_blank(c.value)}
    for t in tables:
        label = label_of(t)
        for col in range(t.first_col, t.last_col + 1):
            if (t.first_row, col) not in values:
                found.append(Problem(where(ws.title, f"{get_column_letter(col)}{t.first_row}"),
                                     f"{label} has no header over this column, so a screen reader announces nothing.",
                                     "Type a header here: the table's first row must name every column."))
        for row in range(t.first_row + 1, t.last_row + 1):
            if not any((row, col) in values for col in range(t.first_col, t.last_col + 1)):
                found.append(Problem(where(ws.title, f"{get_column_letter(t.first_col)}{row}"),
                                     f"row {row} of {label} is blank (spacing), so a screen reader announces an "
                                     "empty row.", "Delete the row; use row height for spacing."))
        for col in range(t.first_col, t.last_col + 1):
            if not any((row, col) in values for row in range(t.first_row, t.last_row + 1)):
                found.append(Problem(where(ws.title, f"{get_column_letter(col)}{t.first_row}"),
                                     f"column {get_column_letter(col)} of {label} is blank (spacing).",
                                     "Delete the column; use column width for spacing."))
    long_tables = [t for t in tables if t.last_row - t.first_row > LONG_TABLE_ROWS and _printed(ws, t)]
    titles = ws.print_title_rows or ""
    repeated = re.fullmatch(r"\$?(\d+):\$?(\d+)", titles)
    if long_tables and not (repeated and int(repeated.group(1)) <= long_tables[0].first_row <= int(repeated.group(2))):
        t = long_tables[0]
        found.append(Problem(where(ws.title, f"A{t.first_row}"),
                             f"the header row of {label_of(t)} is not repeated on each printed page.",
                             f"Page Layout > Print Titles > Rows to repeat at top: ${t.first_row}:${t.first_row}."))
    found += unnamed_grid_problems(ws, tables, values)
    return found


def label_of(table: Table) -> str:
    return f"the table '{table.name}'"


def _printed(ws, table: Table) -> bool:
    """Whether the table is inside the sheet's print area (all of the sheet when none is set)."""
    from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415

    areas = ws.print_area
    if not areas:
        return True
    for area in (areas if isinstance(areas, list) else areas.split(",")):
        first_col, first_row, last_col, last_row = range_boundaries(area.split("!")[-1].replace("$", ""))
        if first_row <= table.first_row <= last_row:
            return True
    return False


def unnamed_grid_problems(ws, tables: list[Table], values: dict) -> list[Problem]:
    """A block of figures under headers (two or more rows of three or more values) no table covers."""
    rows: dict[int, list[int]] = defaultdict(list)
    for (row, col) in values:
        if not any(t.covers(row, col) for t in tables):
            rows[row].append(col)
    grid_rows = sorted(r for r, cols in rows.items() if len(cols) >= 3)
    runs = [r for r in grid_rows if r + 1 in grid_rows]
    if not runs:
        return []
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    first = runs[0]
    return [Problem(where(ws.title, f"{get_column_letter(min(rows[first]))}{first}"),
                    "this table has no name, so a screen reader cannot find it or announce its headers.",
                    "Select the table with its header row and Insert > Table (tick 'My table has headers'), "
                    "or Formulas > Define Name.")]


# merged cells ---------------------------------------------------------------------------
def merge_problems(ws, tables: list[Table]) -> list[Problem]:
    found = []
    filled_rows: dict[int, set[int]] = defaultdict(set)
    for row in ws.iter_rows():
        for c in row:
            if not is_blank(c.value):
                filled_rows[c.row].add(c.column)
    for merged in ws.merged_cells.ranges:
        ref = merged.coord
        inside = next((t for t in tables if not (merged.max_row < t.first_row or merged.min_row > t.last_row
                                                 or merged.max_col < t.first_col or merged.min_col > t.last_col)),
                      None)
        others = {col for col in filled_rows.get(merged.min_row, set())
                  if not merged.min_col <= col <= merged.max_col}
        if inside is not None:
            why = f"is inside {label_of(inside)}, so a screen reader loses its place among the columns"
        elif merged.max_row > merged.min_row:
            why = "spans rows, so a screen reader reads the sheet out of order"
        elif others:
            why = "shares its row with other cells (a merged header?), so the columns under it have no header"
        else:
            continue  # a title or note alone on its row
        found.append(Problem(where(ws.title, ref), f"merged cells {ref} {why}.",
                             "Unmerge them (Home > Merge & Center > Unmerge Cells); to centre a title use Format "
                             "Cells > Alignment > Center Across Selection, and give each column its own header."))
    return found
