"""The streaming reader (``read.xlsx_stream``) gives exactly the Grids the openpyxl route gave.

Every workbook of the project is read both ways and compared: the samples, the test
fixtures, the workbooks the tests make (openpyxl-written, XlsxWriter-written scorecards,
the starter workbook, the benchmark's and the split sample's), and hand-made files with
what Excel and other programs write but those do not (1904 dates, rich text and phonetic
runs, inline strings, booleans, errors, dates, times and durations under custom formats,
ISO dates, shared formulas reading another workbook, hidden rows and sheets, merged
ranges, rows out of order, cells and rows with no reference, namespace prefixes).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl_grids import openpyxl_grids

import make_bad_inputs as corpus
from kpi_xl.errors import InputError
from kpi_xl.read import grid as grid_module
from kpi_xl.read.grid import SparseRow, grids_from_file
from kpi_xl.run.carry import read_previous

ROOT = Path(__file__).resolve().parent.parent
ON_DISK = sorted([*ROOT.glob("workbooks/*.xlsx"), *ROOT.glob("tests/**/*.xlsx")])
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def described(grids) -> list:
    """A Grid as comparable data: every value with its type (NaN named, as NaN != NaN)."""
    def value(v):
        return ("NaN",) if isinstance(v, float) and math.isnan(v) else (type(v).__name__, v)
    return [(name, g.name, [(type(row) is SparseRow, [value(v) for v in row]) for row in g.rows],
             g.number_formats, g.hidden_rows, g.merged, g.hidden, g.uncalculated, g.linked)
            for name, g in grids.items()]


def assert_same_grids(path: Path) -> None:
    try:
        grid_module._check_container(path)  # noqa: SLF001
    except InputError:
        return  # refused before any XML is read, by either route (a zip bomb, Strict OOXML ...)
    try:
        before = openpyxl_grids(path)
    except Exception:  # noqa: BLE001  (openpyxl refused it: so must the streaming reader)
        with pytest.raises(InputError):
            grids_from_file(path)
        return
    assert described(grids_from_file(path)) == described(before)


@pytest.mark.parametrize("path", ON_DISK, ids=[str(p.relative_to(ROOT)) for p in ON_DISK])
def test_every_workbook_on_disk_reads_the_same(path):
    assert_same_grids(path)


def test_the_workbooks_the_tests_make_read_the_same(tmp_path):
    from make_split_workbook import write_split_workbook
    from test_reader import INDICATORS, write_book

    from kpi_xl import api
    from kpi_xl.run.starter import write_starter_workbook

    made = []
    wb = corpus.base_workbook()
    corpus.many_bad_rows(wb)
    wb.save(made_path := tmp_path / "many.xlsx")
    made.append(made_path)
    wb = corpus.base_workbook()
    for r in range(2, 26):
        wb["Data"].cell(r, 16_384).value = "stray"
    wb.save(made_path := tmp_path / "stray.xlsx")
    made.append(made_path)
    corpus._rewrite(made_path := tmp_path / "blank.xlsx", corpus.DATA_PART,  # noqa: SLF001
                    corpus._set_value_xml("C5", '<f>""</f><v></v>', ' t="str"'))  # noqa: SLF001
    made.append(made_path)
    made.append(write_book(tmp_path / "formats.xlsx", {"Indicators": INDICATORS, "Data": [
        ["ID", "Period", "Value"], ["FD 8", dt.datetime(2020, 1, 1), 0.5], ["FD 8", dt.date(2019, 12, 1), 12],
        ["FD 8", dt.time(12, 30), dt.timedelta(hours=30)]]},
        {("Data", "C2"): "0.0%", ("Data", "B3"): "mmm yy", ("Data", "C4"): "[h]:mm"}))
    write_starter_workbook(made_path := tmp_path / "starter.xlsx")
    made.append(made_path)
    write_split_workbook(made_path := tmp_path / "teams.xlsx")
    made.append(made_path)
    for make_big in [p / "shared" / "bench" / "make_big.py" for p in ROOT.parents][:3]:
        if make_big.exists():  # the benchmark's input (the issue's ../shared/bench), where this checkout has it
            subprocess.run([sys.executable, str(make_big), "60", "24", str(tmp_path / "big.xlsx")], check=True)
            made.append(tmp_path / "big.xlsx")
            break
    api.build(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx", made_path := tmp_path / "scorecard.xlsx")
    made.append(made_path)
    for path in made:
        assert_same_grids(path)


# -- hand-made workbooks -------------------------------------------------------------------------

STYLES = f"""<styleSheet xmlns="{MAIN}"><numFmts count="9">
<numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/>
<numFmt numFmtId="166" formatCode="&quot;Week &quot;0"/><numFmt numFmtId="167" formatCode="0.0%"/>
<numFmt numFmtId="168" formatCode="mm-dd-yy"/><numFmt numFmtId="169" formatCode="[Red]0.00;[Blue]-0.00"/>
<numFmt numFmtId="170" formatCode="h:mm:ss AM/PM"/><numFmt numFmtId="171" formatCode="mm:ss.0"/>
<numFmt numFmtId="172" formatCode="[$-809]d mmmm yyyy;@"/></numFmts>
<cellXfs count="13"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>
<xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="169"/><xf numFmtId="20"/>
<xf numFmtId="46"/><xf numFmtId="49"/><xf numFmtId="171"/><xf numFmtId="172"/></cellXfs></styleSheet>"""

STRINGS = f"""<sst xmlns="{MAIN}" count="8" uniqueCount="8"><si><t>plain</t></si>
<si><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space="preserve"> and plain</t></r></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>line_x005F_x000D_break &amp; &lt;tag&gt;&#10;next</t></si>
<si><t xml:space="preserve">  spaced  </t></si><si/><si><t>cr
lf</t></si><si><t>first</t><r><t>, run</t></r></si></sst>"""


def cell(ref: str | None, value: str | None = None, t: str | None = None, s: int | None = None,
         inner: str = "") -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in (("r", ref), ("t", t), ("s", s)) if v is not None)
    return f"<c{attrs}>{inner}{'' if value is None else f'<v>{value}</v>'}</c>"


EXTERNAL_PATH = r"<f>'C:\folder\[Other.xlsx]Sheet 1'!$B$2</f>"  # a path, not [n]: not counted as linked
VALUES_SHEET = f"""<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData>
<row r="1">{cell("A1", "0", "s")}{cell("B1", "1", "s")}{cell("C1", "2", "s")}{cell("D1", "3", "s")}
{cell("E1", "4", "s")}{cell("F1", "5", "s")}{cell("G1", "6", "s")}{cell("H1", "7", "s")}</row>
<row r="2">{cell("A2", "42")}{cell("B2", "4.5")}{cell("C2", "1E3")}{cell("D2", "-0")}{cell("E2", "1", "b")}
{cell("F2", "0", "b")}{cell("G2", "#N/A", "e")}{cell("H2", "#DIV/0!", "e")}{cell("I2", "text", "str", inner="<f>A1</f>")}</row>
<row r="3" hidden="1">{cell("A3", "43831", s=1)}{cell("B3", "43831.75", s=2)}{cell("C3", "1.25", s=3)}
{cell("D3", "12", s=4)}{cell("E3", "0.123", s=5)}{cell("F3", "60", s=6)}{cell("G3", "-1.5", s=7)}
{cell("H3", "0.5", s=8)}{cell("I3", "30.5", s=9)}{cell("J3", "007", s=10)}{cell("K3", "0.0001", s=11)}
{cell("L3", "43890", s=12)}{cell("M3", "59", s=1)}{cell("N3", "61", s=1)}{cell("O3", "0", s=1)}</row>
<row r="4" hidden="true">{cell("A4", "1e12", s=1)}{cell("B4", "-700000", s=1)}{cell("C4", "NaN")}
{cell("D4", "abc")}{cell("E4", "2020-01-31T00:00:00", "d")}{cell("F4", "2020-01-31", "d")}
{cell("G4", "12:30:00", "d")}{cell("H4", "", "str", inner="<f>&quot;&quot;</f>")}{cell("I4", None, "str", inner="<f>X</f>")}
{cell("J4", t="inlineStr", inner="<is><t>inline</t></is>")}
{cell("K4", t="inlineStr", inner="<is><r><t>rich</t></r><r><rPr><i/></rPr><t> inline</t></r><rPh sb='0' eb='1'><t>x</t></rPh></is>")}
{cell("L4", "9", "inlineStr", inner="<is><t>kept, not 9</t></is>")}{cell("M4", "x", "b")}{cell("N4", "1", "s", s="x")}</row>
<row r="5" hidden="0">{cell(None, "1")}{cell(None, "2")}{cell("E5", "5")}{cell(None, "6")}</row>
<row>{cell(None, "row six")}{cell("C6", "7")}</row>
<row r="10">{cell("A10", "ten")}{cell("B11", "eleven, in row ten")}</row>
<row r="8">{cell("A8", "eight, written after ten")}</row>
<row r="10">{cell("C10", "ten again")}</row>
<row r="12">{cell("A12", "near")}{cell("XFD12", "far")}</row>
<row r="20">{cell("A20", "x", "str", inner='<f t="shared" ref="A20:A23" si="0">[1]Budget!A1</f>')}
{cell("A21", "2", inner='<f t="shared" si="0"/>')}{cell("A22", None, inner='<f t="shared" si="0"/>')}
{cell("A23", "3", inner='<f t="shared" si="0"/>')}{cell("B20", "4", inner="<f>SUM(A1:A3)</f>")}
{cell("C20", "5", inner=EXTERNAL_PATH)}
{cell("D20", None, inner="<f>A1*2</f>")}{cell("E20", "6", inner='<f t="array" ref="E20">[2]Data!C3</f>')}
{cell("F20", "7", inner='<f t="shared" ref="F20:F21" si="1">B2+1</f>')}{cell("F21", "8", inner='<f t="shared" si="1"/>')}</row>
</sheetData><mergeCells count="4"><mergeCell ref="$C$30:$D$31"/><mergeCell ref="E30:E30"/>
<mergeCell ref="f30:g32"/><mergeCell ref="A40:B1048576"/></mergeCells></worksheet>"""

PREFIXED_SHEET = f"""<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row x:spans="1:2" r="1">
<x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c><x:c r="B1" s="1"><x:v>1.5</x:v></x:c></x:row>
<x:row r="2"><x:c r="A2"><x:v>0.25</x:v></x:c><x:c r="B2" s="1"><x:v>0</x:v></x:c></x:row></x:sheetData>
<x:mergeCells><x:mergeCell ref="C1:D2"/></x:mergeCells></x:worksheet>"""

SMALL_SHEET = f"""<worksheet xmlns="{MAIN}"><sheetData><row r="1">{cell("A1", "hidden sheet")}</row></sheetData></worksheet>"""


def write_xlsx(path: Path, sheets: list[tuple[str, str, str | None]], *, styles: str | None = STYLES,
               strings: str | None = STRINGS, workbook_pr: str = "", chart_sheet: bool = False,
               absolute: bool = False) -> Path:
    """A workbook zipped by hand: ``sheets`` as (name, worksheet XML, state)."""
    overrides = ['<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.sheet.main+xml"/>']
    sheet_list, rels = [], []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, (name, xml, state) in enumerate(sheets, 1):
            zf.writestr(f"xl/worksheets/sheet{n}.xml", xml)
            overrides.append(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                             'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
            sheet_list.append(f'<sheet name="{name}" sheetId="{n}"{f" state={chr(34)}{state}{chr(34)}" if state else ""}'
                              f' r:id="rId{n}"/>')
            target = f"/xl/worksheets/sheet{n}.xml" if absolute and n % 2 else f"worksheets/sheet{n}.xml"
            rels.append(f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="{target}"/>')
        if chart_sheet:
            zf.writestr("xl/chartsheets/sheet1.xml", f'<chartsheet xmlns="{MAIN}"/>')
            zf.writestr("xl/chartsheets/_rels/sheet1.xml.rels", '<Relationships xmlns="http://schemas.'
                        'openxmlformats.org/package/2006/relationships"/>')
            sheet_list.insert(1, f'<sheet name="Chart1" sheetId="99" r:id="rId99"/>')
            rels.append(f'<Relationship Id="rId99" Type="{REL}/chartsheet" Target="chartsheets/sheet1.xml"/>')
        if styles is not None:
            zf.writestr("xl/styles.xml", styles)
            rels.append(f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>')
        if strings is not None:
            zf.writestr("xl/sharedStrings.xml", strings)
            overrides.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                             'officedocument.spreadsheetml.sharedStrings+xml"/>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}'
                                       f'<sheets>{"".join(sheet_list)}</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships">{"".join(rels)}</Relationships>')
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"><Default Extension="xml" ContentType="application/xml"/>'
                    f'{"".join(overrides)}</Types>')
    return path


def test_odd_values_read_the_same(tmp_path):
    path = write_xlsx(tmp_path / "odd.xlsx", [("Values", VALUES_SHEET, None), ("Hidden", SMALL_SHEET, "hidden"),
                                              ("Very hidden", SMALL_SHEET, "veryHidden"), ("Prefixed", PREFIXED_SHEET, None)],
                      chart_sheet=True, absolute=True)
    assert_same_grids(path)
    grids = grids_from_file(path)
    values = grids["Values"]
    # the file holds what the comparison is meant to cover
    assert list(grids) == ["Values", "Hidden", "Very hidden", "Prefixed"]
    assert [g.hidden for g in grids.values()] == [False, True, True, False]
    assert values.rows[0][:3] == ["plain", "bold and plain", "東京"] and values.rows[0][5] == ""
    assert values.value(1, 4) is True and values.value(1, 6) == "#N/A" and math.isnan(values.value(3, 2))
    assert values.value(2, 0) == dt.datetime(2020, 1, 1) and values.value(2, 2) == dt.timedelta(hours=30)
    assert values.value(2, 7) == dt.time(12) and values.value(3, 4) == dt.datetime(2020, 1, 31)
    assert values.value(3, 0) == "#VALUE!" and values.value(3, 10) == "rich inline"
    assert values.hidden_rows == {2, 3} and isinstance(values.rows[11], SparseRow)
    assert values.merged == ["C30:D31", "E30", "F30:G32", "A40:B1048576"]
    assert values.linked == {(19, 0): "=[1]Budget!A1", (20, 0): "=[1]Budget!A1", (22, 0): "=[1]Budget!A1",
                             (19, 4): "=[2]Data!C3"}
    assert values.uncalculated == {(21, 0), (19, 3), (3, 8)}
    assert values.number_formats[(2, 3)] == '"Week "0' and values.number_formats[(2, 5)] == "mm-dd-yy"


@pytest.mark.parametrize(("date1904", "mac"), [("1", True), ("true", True), ("false", False), ("0", False)])
def test_the_1904_calendar_reads_the_same(tmp_path, date1904, mac):
    path = write_xlsx(tmp_path / "mac.xlsx", [("Values", VALUES_SHEET, None)],
                      workbook_pr=f'<workbookPr date1904="{date1904}"/>')
    assert_same_grids(path)
    assert grids_from_file(path)["Values"].value(2, 0) == (dt.datetime(2024, 1, 2) if mac else dt.datetime(2020, 1, 1))


def test_no_styles_or_shared_strings_read_the_same(tmp_path):
    sheet = VALUES_SHEET.replace(cell("N4", "1", "s", s="x"), "")
    for styles in (None, f'<styleSheet xmlns="{MAIN}"/>'):
        path = write_xlsx(tmp_path / "plain.xlsx", [("Prefixed", PREFIXED_SHEET, None)], styles=styles, strings=None)
        assert_same_grids(path)
    path = write_xlsx(tmp_path / "no styles.xlsx", [("Values", sheet, None)], styles=None)
    assert_same_grids(path)


def test_a_cell_beyond_the_last_column_is_refused(tmp_path):
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{cell("XFE1", "1")}</row></sheetData></worksheet>'
    path = write_xlsx(tmp_path / "wide.xlsx", [("Data", sheet, None)])
    with pytest.raises(InputError, match="sheet Data has a cell beyond Excel's last row or column"):
        grids_from_file(path)


@pytest.mark.parametrize("xml", [VALUES_SHEET.replace("</sheetData>", "<row r='x'/></sheetData>"),
                                 VALUES_SHEET.replace("<row r=\"8\">", "<row r=\"8\"><c r=\"A8\">"),
                                 VALUES_SHEET.replace('ref="E30:E30"', 'ref="E30:D30"')])
def test_damaged_xml_is_refused_naming_the_file(tmp_path, xml):
    path = write_xlsx(tmp_path / "damaged.xlsx", [("Values", xml, None)])
    with pytest.raises(InputError) as info:
        grids_from_file(path)
    [problem] = info.value.problems
    assert problem.where == "damaged.xlsx" and problem.message.startswith("could not be read as a workbook (")
    with pytest.raises(Exception):  # noqa: B017  (openpyxl refused it too)
        openpyxl_grids(path)


@pytest.mark.parametrize("declaration", ['<!DOCTYPE sst [<!ENTITY a "aaaa">]>', '<!DOCTYPE sst SYSTEM "x.dtd">',
                                         '<!DOCTYPE sst>'])
def test_a_doctype_anywhere_is_refused_by_the_parser(tmp_path, monkeypatch, declaration):
    """Past the pre-scan's 64 KB (a long comment first): the parser itself refuses it."""
    strings = f'<?xml version="1.0"?><!-- {"x" * grid_module.PROLOG_BYTES} -->{declaration}{STRINGS}'
    path = write_xlsx(tmp_path / "dtd.xlsx", [("Values", SMALL_SHEET, None)], strings=strings)
    with pytest.raises(InputError) as info:
        grids_from_file(path)
    assert [p.message for p in info.value.problems] == ["contains XML entity definitions and was refused as unsafe."]


def test_the_previous_scorecard_reads_the_same(tmp_path):
    """carry.read_previous streams last month's scorecard: the same values and defined names
    as openpyxl's read-only load gave."""
    from kpi_xl import api

    path = tmp_path / "scorecard.xlsx"
    api.build(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx", path)
    previous = read_previous(path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        expected = {ws.title: {(r, c): v for r, row in enumerate(ws.iter_rows(values_only=True))
                               for c, v in enumerate(row) if v is not None} for ws in book.worksheets}
        names = {name: defined.attr_text for name, defined in book.defined_names.items()}
    finally:
        book.close()
    from kpi_xl.read.xlsx_stream import Book
    from kpi_xl.run.carry import _values, previous_from

    with Book(path) as streamed:
        sheets = {name: _values(streamed, part) for name, part, _ in streamed.sheets}
    got = {name: {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None}
           for name, rows in sheets.items()}
    assert got == expected and previous.record is not None and previous.answers
    assert json.loads(json.dumps(previous.record)) == previous.record
    assert previous_from(sheets, names) == previous


@pytest.mark.parametrize("command", ["validate", "evaluate", "build"])
def test_the_commands_import_no_heavy_library(tmp_path, command):
    """build (a new file, then replacing it: last month's commentary is read back), evaluate
    and validate read with the standard library: openpyxl (0.2 s to import), numpy, pandas
    and xlwings stay out of the process."""
    raw = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    args = [command, str(raw)] + (["-o", str(tmp_path / "out.xlsx"), "-q"] if command == "build" else [])
    script = ("import sys\nfrom kpi_xl.cli import main\n"
              f"code = main({args!r}) or main({args!r}) if {command == 'build'} else main({args!r})\n"
              "heavy = sorted(m for m in ('openpyxl', 'numpy', 'pandas', 'xlwings') if m in sys.modules)\n"
              "print('HEAVY', heavy, file=sys.stderr)\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
