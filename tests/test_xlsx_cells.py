"""The scorecard's cells written the quick way (write/xlsx_cells) are the same bytes as
XlsxWriter's public ``write_*`` methods and its own worksheet XML give, for awkward values
and for the sample scorecards. This pins the XlsxWriter internals xlsx_cells relies on: it
runs with whichever XlsxWriter is installed (pyproject allows 3.1 to 3.x)."""
from __future__ import annotations

import datetime as dt
import decimal
import inspect
import io
import math
import re
import zipfile
from pathlib import Path

import pytest
from xlsxwriter.worksheet import Worksheet

from kpi_xl.api import render_layout
from kpi_xl.layout.types import PLAIN, Cell, CondFormat, Layout, SheetLayout, Style
from kpi_xl.write import xlsx_cells
from kpi_xl.write.xlsx_writer import write_xlsx

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks"
DATE = dt.datetime(2020, 2, 1)


def public_write_cells(ws, cells, format_of) -> None:
    """How kpi_xl wrote cells before xlsx_cells: XlsxWriter's public methods, a call a cell."""
    for cell in cells:
        fmt = format_of(cell.style)
        if cell.merge_to:
            ws.merge_range(cell.row, cell.col, cell.merge_to[0], cell.merge_to[1], "", fmt)
        value = cell.value
        if cell.link:
            ws.write_url(cell.row, cell.col, cell.link, fmt, string=str(value) if value not in (None, "") else None)
        elif cell.formula:
            ws.write_formula(cell.row, cell.col, cell.formula, fmt, value if value is not None else "")
        elif value is None or value == "":
            ws.write_blank(cell.row, cell.col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(cell.row, cell.col, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(cell.row, cell.col, value, fmt)
        else:
            ws.write_string(cell.row, cell.col, str(value), fmt)


def write_both(layout: Layout, folder: Path, monkeypatch) -> tuple[bytes, bytes]:
    """``layout`` written as kpi_xl writes it, and with plain XlsxWriter (its own Worksheet
    class and public methods)."""
    quick = write_xlsx(layout, folder / "quick.xlsx", DATE).read_bytes()
    with monkeypatch.context() as plain:
        plain.setattr(xlsx_cells, "CellsWorksheet", Worksheet)
        plain.setattr(xlsx_cells, "write_cells", public_write_cells)
        reference = write_xlsx(layout, folder / "plain.xlsx", DATE).read_bytes()
    return quick, reference


def assert_same_parts(quick: bytes, reference: bytes) -> None:
    """Every part the same (named, so a difference says which sheet), then the whole file."""
    with zipfile.ZipFile(io.BytesIO(quick)) as a, zipfile.ZipFile(io.BytesIO(reference)) as b:
        assert a.namelist() == b.namelist()
        for name in b.namelist():
            assert a.read(name) == b.read(name), name
    assert quick == reference


AWKWARD_TEXT = [
    "a & b < c > d", 'the "quoted" word', "it's", "two\nlines", "tab\there", "\x01bell\x07 and \x1f",
    "_x0041_ looks escaped", "_x00e9_ and \x02", "  leading", "trailing  ", " ", "café, naïve, 😀 (not BMP)",
    "=1+1", "+3", "-2", "@name", "'apostrophe", "#N/A", "TRUE", "\ufffe and \uffff", "x" * 40_000, "ﬀ" * 20_000,
]
AWKWARD_NUMBERS = [
    0, 0.0, -0.0, 0.0, -0.0, 1, -1, 1.5, 1.5, 1 / 3, 2 / 3, 1e-300, 5e-324, 1e300, 1.7976931348623157e308,
    -1.7976931348623157e308, 123456789012345678, 2 ** 53 + 1, 10 ** 20, 1e16, 1e15, 12345678901234567.0, 0.1 + 0.2,
    100.0, 100, 99.99999999999999, 1e-05, 0.0001,
]
AWKWARD_OTHER = [True, False, None, "", decimal.Decimal("1.50"), dt.date(2020, 1, 31)]


def awkward_layout() -> Layout:
    bold = Style(bold=True, fill="#DDEBF7", border=True)
    pct = Style(num_format="0.0%", align="right")
    wrap = Style(wrap=True, italic=True, colour="#C00000")
    values = SheetLayout("Values & <such>")
    values.widths.update({0: 30, 30: 12})
    values.heights.update({0: 30, 3: 20, 17: 40, 200: 15})  # row 17 has no cells: an empty <row>
    for col, text in enumerate(AWKWARD_TEXT):
        values.put(1, col, text, wrap if col % 2 else PLAIN)
    for col, number in enumerate(AWKWARD_NUMBERS):
        values.put(2, col + 3, number, pct)  # from column D to past Z
        values.put(40, 50 - col, number, bold)  # written right to left
    for col, other in enumerate(AWKWARD_OTHER):
        values.put(3, col, other, bold)
    for row in range(5, 60, 3):  # sparse rows over several blocks of 16
        values.put(row, row % 40, row * 1.25, pct)
    values.put(0, 0, "Merged title", bold, merge_to=(0, 5))
    values.put(0, 8, None, bold, merge_to=(1, 9))  # blank merged block across two rows
    values.put(70, 2, 42.5, pct, merge_to=(70, 4))
    values.cond_formats.append(CondFormat(2, 3, 2, 30, "D3>0.5", Style(fill="#FFC7CE")))

    formulas = SheetLayout("Formulas")
    results = [3.25, 0, -0.0, "Green", "", None, "#N/A", "#DIV/0!", "#BOGUS", True, False, 'a "b" & <c>', 1e300]
    for row, result in enumerate(results):
        formulas.put(row, 0, result, bold, formula=f"=IF(B{row + 1}>0,\"a & <b>\",C{row + 1})")
        formulas.put(row, 1, result, PLAIN, formula="=SUM(Values!D3:Z3)")  # the same formula again and again
    formulas.put(20, 0, 1, bold, formula="=ROWS(FILTER(Values!D3:Z3,Values!D3:Z3>0))")  # a dynamic array
    formulas.put(21, 0, 6, bold, formula="{=SUM(Values!D3:F3*2)}")  # an array formula
    formulas.put(22, 0, 1, bold, formula="=_xlfn.XLOOKUP(1,Values!D3:Z3,Values!D3:Z3)")
    formulas.put(23, 0, "x", bold, formula="=CONCAT(\"x\",\"\")")  # a future function, not expanded
    formulas.put(25, 0, "Back to values", wrap, link="internal:'Values & <such>'!A1")
    formulas.put(26, 0, 12.5, wrap, link="internal:'Values & <such>'!B2")
    formulas.put(27, 0, None, wrap, link="internal:Formulas!A1")
    formulas.put(28, 0, "Site", wrap, link="https://example.org/a?b=1&c=<2>")
    formulas.put(29, 0, None, wrap, link="mailto:performance@example.org")
    formulas.put(30, 0, "x" * 300, wrap, link="https://example.org/" + "y" * 300)  # over Excel's URL limit: dropped

    empty = SheetLayout("Empty")  # no cells at all
    only_heights = SheetLayout("Heights only")
    only_heights.heights.update({2: 25, 40: 10})
    return Layout([values, formulas, empty, only_heights], {"title": "Awkward", "language": "en-GB"})


@pytest.mark.filterwarnings("ignore:Ignoring URL")
def test_awkward_cells_are_the_bytes_plain_xlsxwriter_writes(tmp_path, monkeypatch):
    quick_cells = []
    cell_xml = xlsx_cells.CellsWorksheet._cell_xml

    def counted(self, row_number, col, cell):
        xml = cell_xml(self, row_number, col, cell)
        if xml is not None:
            quick_cells.append(cell)
        return xml

    monkeypatch.setattr(xlsx_cells.CellsWorksheet, "_cell_xml", counted)
    quick, reference = write_both(awkward_layout(), tmp_path, monkeypatch)
    assert_same_parts(quick, reference)
    # the quick way wrote all but five cells itself (so the comparison above tested it):
    # XlsxWriter wrote True and False, and the three array formulas (XLOOKUP's is one too)
    with zipfile.ZipFile(io.BytesIO(quick)) as book:
        cells = sum(book.read(name).count(b"<c ") for name in book.namelist() if name.startswith("xl/worksheets/"))
    assert len(quick_cells) == cells - 5
    assert {cell.__class__.__name__ for cell in quick_cells} == {"Number", "String", "Blank", "Formula"}


def test_figures_are_stored_and_the_extent_kept_as_xlsx_writer_keeps_them(tmp_path):
    """Figures go straight into the sheet's table and the extent is taken once at the end:
    the same table and extent as XlsxWriter's writer gives cell by cell, figures beyond the
    sheet's limits (or before its start) left out as it leaves them out."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "unused.xlsx"), {"in_memory": True})
    fmt = book.add_format({"bold": True})
    cells = [Cell(row, col, value) for row, col, value in [
        (5, 3, 1.5), (2, 7, 4), (9, 1, -0.0), (5, 3, 2.5), (1_048_576, 0, 1.0), (0, 16_384, 2.0), (-1, 2, 3.0),
        (3, 2, "text"), (12, 2, None), (4, 9, 10 ** 20), (30, 4, 7.0), (1, 11, 0.5), (8, 0, 3)]]  # (the extremes: figures)
    quick, plain = (book.add_worksheet(name, worksheet_class=xlsx_cells.CellsWorksheet) for name in ("a", "b"))
    xlsx_cells.write_cells(quick, cells, lambda style: fmt)
    public_write_cells(plain, cells, lambda style: fmt)
    assert quick.table == plain.table and 1_048_576 not in quick.table and -1 not in quick.table
    extent = ("dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax")
    assert [getattr(quick, name) for name in extent] == [getattr(plain, name) for name in extent] == [1, 30, 0, 11]
    assert type(quick.table[5][3]) is xlsx_cells.NUMBER and quick.table[5][3].number == 2.5


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_figure_that_is_not_a_number_fails_the_same_way(tmp_path, monkeypatch, number):
    """XlsxWriter refuses NaN and infinity (kpi_xl never asks it for errors instead): so does
    the quick way, with the same error."""
    sheet = SheetLayout("Values")
    sheet.put(0, 0, number)
    layout = Layout([sheet], {"title": "NaN"})
    with pytest.raises(TypeError) as quick:
        write_xlsx(layout, tmp_path / "quick.xlsx", DATE)
    with monkeypatch.context() as plain, pytest.raises(TypeError) as reference:
        plain.setattr(xlsx_cells, "CellsWorksheet", Worksheet)
        plain.setattr(xlsx_cells, "write_cells", public_write_cells)
        write_xlsx(layout, tmp_path / "plain.xlsx", DATE)
    assert str(quick.value) == str(reference.value)


@pytest.mark.parametrize("sample", ["kpi_scorecard_jan2020", "monthly_monitoring_feb2014"])
def test_the_sample_scorecards_are_the_bytes_plain_xlsxwriter_writes(tmp_path, monkeypatch, sample):
    _, layout, _ = render_layout(SAMPLES / f"{sample}.xlsx")
    assert_same_parts(*write_both(layout, tmp_path, monkeypatch))


FORMULAS = [
    "=IF(NOT(ISNUMBER(F6)),\"Grey\",IF(ROUND(ABS(ROUND(E9,0)-ROUND(F9,0)),0)<=0,\"Green\",\"Red\"))", "=$C5", "=1+2",
    "=SORT(A1:A3)", "=sort(A1:A3)", "=X.SORT(A1)", "=XSORT(A1)", "=SORTBY(A1:A3,B1:B3)", "=((1+2))*-(3)",
    "=SINGLE(A1)", "=1+INGLE(2)", "= INGLE(2)", "=éSORT(1)", "=éSINGLE(1)", "=LET(x,1,x)", "=LAMBDA(x,x)(1)",
    "=XLOOKUP(1,A1:A3,B1:B3)", "=_xlfn.XLOOKUP(1,A1:A3,B1:B3)+IF(1,2)", "=IF(1,_xlfn.SORT(A1))",
    "=STDEV.S(A1:A3)", "=CONCAT(\"a\",\"(b\")", "=\"SORT(\"&A1", "=IFS(A1>1,1,TRUE,0)", "=BETA.DIST(1,2,3,TRUE)",
    "=BETA DIST(1)", "=FILTER(A1:A3,B1:B3>0)", "=HYPERLINK(\"#'Key'!A1\",\"Key\")", "=ROUND(A1,0)}", "{=SUM(A1:A3)}",
    "={1,2}", "SUM(A1)", "=", "=SUM(\nA1)", "=ISOMITTED(x)", "=T.DIST.2T(1,2)", "=LOG10(100)",
    # without a call (a conditional format's): left alone, with future functions too
    '=$I5="Green"', '=$I5="No data"', "=A1", "=BETA.DIST", "=_xlfn.A1", "{=A1}", "=A1}", "A1", "=F+DIST",
]


@pytest.mark.parametrize("future", [False, True])
def test_a_formula_is_prepared_as_xlsxwriter_prepares_it(future):
    """The quick preparing (each distinct formula once, most of them seen to be left alone)
    gives what XlsxWriter's own gives, with and without its future functions."""
    import xlsxwriter

    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True, "use_future_functions": future})
    quick, plain = book.add_worksheet("quick", worksheet_class=xlsx_cells.CellsWorksheet), book.add_worksheet("plain")
    # (conditional formats ask for future functions too, from XlsxWriter 3.1.9)
    expanding = "expand_future_functions" in inspect.signature(Worksheet._prepare_formula).parameters
    for expand in (False, True) if expanding else (False,):
        for formula in FORMULAS + FORMULAS:  # the second time from what the sheet kept
            asked = (formula, True) if expand else (formula,)
            assert quick._prepare_formula(*asked) == plain._prepare_formula(*asked), formula


def test_each_expression_xlsxwriter_prepares_a_formula_with_ends_at_a_call():
    """Why a formula without a "(" is left alone (``CellsWorksheet._left_alone``): each
    expression the installed XlsxWriter runs over a formula, future functions' too, ends
    with "(" (read from its source)."""
    source = inspect.getsource(Worksheet._prepare_formula)
    patterns = re.findall(r're\.sub\(\s*r?"([^"]*)"', source)
    assert len(patterns) == source.count("re.sub(") > 100
    assert all(p.endswith(r"\(") for p in patterns)


def test_a_conditional_formats_formula_is_not_handed_to_xlsxwriter(monkeypatch):
    """A rating's conditional format (``=$I5="Green"``) is prepared without running
    XlsxWriter's expressions (over a hundred to compile on each run, with future functions)."""
    import xlsxwriter

    asked = []
    monkeypatch.setattr(Worksheet, "_prepare_formula", lambda self, formula, *a: asked.append(formula) or formula)
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet("quick", worksheet_class=xlsx_cells.CellsWorksheet)
    assert sheet._prepare_formula('=$I5="Green"', True) == '$I5="Green"'
    assert sheet._prepare_formula("=$C5") == "$C5"
    assert asked == []
    sheet._prepare_formula("=SORT(A1)", True)
    assert asked == ["=SORT(A1)"]
