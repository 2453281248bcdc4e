"""The plain rows of a sheet (``read.xlsx_plain``) read exactly as expat's events read them.

Every sheet is read twice: as kpi_xl reads it (plain rows by regular expressions, the rest
by expat) and by expat alone; each row given to the reader and what the sheet holds besides
(hidden rows, merged ranges, formulas with no saved result or reading another workbook)
must be the same. The odd-but-plain things a sheet may hold are read as plain rows; what is
not plain is handed to expat at the row where it starts, or the whole sheet is.
"""
from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest
from test_xlsx_stream import MAIN, ON_DISK, PREFIXED_SHEET, ROOT, VALUES_SHEET, assert_same_grids, cell, write_xlsx

from kpi_xl.read import xlsx_plain, xlsx_sheet
from kpi_xl.read.xlsx_stream import Book


def _described(value):
    return ("NaN",) if isinstance(value, float) and math.isnan(value) else (type(value).__name__, value)


def read_both_ways(path: Path, monkeypatch) -> list:
    """Each sheet's rows and the rest, read as kpi_xl reads it; asserted the same as expat alone reads it."""
    def read(plain: bool):
        with monkeypatch.context() as patch:
            if not plain:
                patch.setattr(xlsx_sheet, "plain_sheet_data", lambda data: None)
            found = []
            with Book(path) as book:
                for name, part, _ in book.sheets:
                    rows = []
                    sheet = book.read_sheet(part, lambda cells: rows.append([(*c[:2], _described(c[2]), c[3])
                                                                              for c in cells]))
                    found.append((name, rows, sheet))
            return found

    got = read(True)
    assert got == read(False)
    return got


def plain_share(path: Path) -> list[float]:
    """How much of each sheet's <sheetData> is read as plain rows (0 to 1; None: none of it may be)."""
    shares = []
    with zipfile.ZipFile(path) as zf, Book(path) as book:
        for _, part, _ in book.sheets:
            data = zf.read(part)
            where = xlsx_plain.plain_sheet_data(data)
            if where is None:
                shares.append(None)
                continue
            rows = xlsx_plain.PlainRows(data, where[1], where[2])
            for _ in rows:
                pass
            shares.append((rows.end - where[1]) / (where[2] - where[1]))
    return shares


@pytest.mark.parametrize("path", ON_DISK, ids=[str(p.relative_to(ROOT)) for p in ON_DISK])
def test_every_workbook_on_disk_reads_the_same_both_ways(path, monkeypatch):
    try:
        read_both_ways(path, monkeypatch)
    except Exception as exc:  # noqa: BLE001  (a damaged fixture: expat alone refuses it the same way)
        monkeypatch.setattr(xlsx_sheet, "plain_sheet_data", lambda data: None)
        with pytest.raises(type(exc)):
            read_both_ways(path, monkeypatch)


def test_a_scorecard_is_read_as_plain_rows(tmp_path, monkeypatch):
    """What kpi_xl writes (XlsxWriter: shared strings, numbers, formulas) is all plain."""
    from kpi_xl import api

    path = tmp_path / "scorecard.xlsx"
    api.build(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx", path)
    read_both_ways(path, monkeypatch)
    shares = plain_share(path)
    assert set(shares) <= {1.0, None} and shares.count(1.0) >= 5  # None: a sheet with no rows


ODD_BUT_PLAIN = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:x14ac="urn:x14ac"><dimension ref="A1:K9"/><sheetData>
  <row r="1" spans="1:11" x14ac:dyDescent="0.25">
    {cell("A1", "1 &amp; 2 &lt;3&gt; &quot;q&quot; &apos;a&apos; &#65;&#x42;&#x1F600;", "str",
          inner="<f>A2&amp;&quot;x&quot;</f>")}
    {cell("B1", t="inlineStr", inner="<is><t>Tom &amp; Jerry</t></is>")}
    {cell("C1", t="inlineStr", inner='<is><t xml:space="preserve">  spaced  </t></is>')}
    {cell("D1", t="inlineStr", inner="<is/>")}{cell("E1", t="inlineStr", inner="<is><t/></is>")}
    {cell("F1", t="inlineStr", inner="<is></is>")}{cell("G1", "東京", "str", inner="<f>H1</f>")}
    <c r='H1' t = 'n' s ="1"><v >43831</v ></c><c r="I1" s="1" t="n" cm="1"><v>43832</v></c>
    <c r="J1"><v/></c><c r="K1"><v></v></c>
  </row>
  <row r="2">{cell("A2", None, inner="<f>A1*2</f>")}{cell("B2", "", inner="<f>A1*2</f>")}
    {cell("C2", "", "str", inner="<f>&quot;&quot;</f>")}{cell("D2", None, "str", inner="<f/>")}
    <c r="E2"><f>[1]Budget!A1</f><v>5</v></c><c r="F2"><v>6</v><f>[2]Data!C3</f></c>
    <c r="G2"><f t="shared" ref="G2:G3" si="0">[1]Budget!B1</f><v>7</v></c><c r="H2" s=""><v>8</v></c>
    <c r="I2"><v>9</v><v>10</v></c><c r="J2" t="inlineStr"><v>11</v><is><t>kept</t></is></c></row>
  <row r="3" hidden="1"><c r="G3"><f t="shared" si="0"/><v>8</v></c><c><v>no reference</v></c>
    <c r="A3" t="e"><v>#N/A</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="d"><v>2020-01-31</v></c>
    <c r="D3" t="s"><v>0</v></c><c r="E3"><v>NaN</v></c><c r="F3" t="b"><v>x</v></c></row>
  <row spans="1:2"><c><v>row four</v></c><c r="C4"><v>1E3</v></c></row>
  <row r="6"/>
  <row r="5" hidden="true"><c r="A5" s="2"><v>0.5</v></c><c r="B5" s="3"><v>1.25</v></c></row>
  <row r="7" spans="1:1"></row>
  <row r="9"><c r="A9" s="1"/><c r="B9" s="1"></c><c r="C9" s="1">  </c><c r="XFD9" t="str"><v>far</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="C30:D31"/></mergeCells>
<rowBreaks count="1"><brk id="5" max="16383" man="1"/></rowBreaks></worksheet>"""


def test_odd_but_plain_rows_are_read_as_plain_rows(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "odd.xlsx", [("Odd", ODD_BUT_PLAIN, None)])
    read = []

    class Recorded(xlsx_plain.PlainRows):
        def __iter__(self):
            yield from super().__iter__()
            read.append(self.end - self.start)

    monkeypatch.setattr(xlsx_sheet, "PlainRows", Recorded)
    [(_, rows, sheet)] = read_both_ways(path, monkeypatch)
    data = ODD_BUT_PLAIN.encode()
    assert plain_share(path) == [1.0] and read == [data.index(b"</sheetData>") - data.index(b"<sheetData>") - 11]
    assert_same_grids(path)
    values = {(r, c): v for row in rows for r, c, v, _ in row}
    assert values[(1, 1)] == ("str", "1 & 2 <3> \"q\" 'a' AB\U0001F600")
    assert values[(1, 2)] == ("str", "Tom & Jerry") and values[(1, 3)] == ("str", "  spaced  ")
    assert values[(1, 4)] == values[(1, 5)] == values[(1, 6)] == ("str", "")
    assert values[(2, 10)] == ("str", "kept") and values[(2, 9)] == ("int", 9)
    assert sheet.uncalculated == {(1, 0), (1, 1), (1, 3)}
    assert sheet.linked == {(1, 4): "=[1]Budget!A1", (1, 5): "=[2]Data!C3", (1, 6): "=[1]Budget!B1",
                            (2, 6): "=[1]Budget!B1"}
    assert sheet.hidden_rows == {2, 4} and sheet.merged == ["C30:D31"]


def _sheet(rows: str, before: str = "", declaration: str = "", namespace: str = MAIN) -> str:
    return f'{declaration}<worksheet xmlns="{namespace}">{before}<sheetData>{rows}</sheetData></worksheet>'


PLAIN_ROWS = "".join(f'<row r="{r}">{cell(f"A{r}", str(r))}{cell(f"B{r}", "text", "str", inner="<f>A1</f>")}</row>'
                     for r in range(1, 30))
NOT_PLAIN_FROM_ROW_30 = {
    "a comment": "<!-- a note --><row r='31'><c r='A31'><v>1</v></c></row>",
    "a rich text": f'<row r="30">{cell("A30", t="inlineStr", inner="<is><r><t>rich</t></r></is>")}</row>',
    "a carriage return": '<row r="30"><c r="A30" t="inlineStr"><is><t>one\r\ntwo\rthree</t></is></c></row>',
    "a prefixed element": f'<row r="30"><x:c xmlns:x="{MAIN}" r="A30"><x:v>1</x:v></x:c></row>',
    "an unknown element": '<row r="30"><c r="A30"><v>1</v><extLst/></c></row>',
    "a line break in an attribute": '<row r="30"\n spans="1:2"><c r="A30" s="1\n"><v>1</v></c></row>',
    "an entity in an attribute": '<row r="30"><c r="A&#51;0"><v>1</v></c></row>',
    "a cell outside a row": '<c r="A30"><v>1</v></c><row r="31"/>',
    "text in a row": '<row r="30">text<c r="A30"><v>1</v></c></row>',
    "a namespace declared": '<row r="30" xmlns:y="urn:y"><c r="A30"><v>1</v></c></row>',
}


@pytest.mark.parametrize("odd", list(NOT_PLAIN_FROM_ROW_30), ids=list(NOT_PLAIN_FROM_ROW_30))
@pytest.mark.parametrize("piece", [xlsx_plain.SLICE_BYTES, 100])
def test_what_is_not_plain_is_read_by_expat_from_its_row(tmp_path, monkeypatch, odd, piece):
    monkeypatch.setattr(xlsx_plain, "SLICE_BYTES", piece)
    rows = PLAIN_ROWS + NOT_PLAIN_FROM_ROW_30[odd] + '<row r="40"><c r="A40"><v>40</v></c></row>'
    path = write_xlsx(tmp_path / "odd.xlsx", [("Odd", _sheet(rows), None)])
    [(_, read, _)] = read_both_ways(path, monkeypatch)
    [share] = plain_share(path)
    assert share == len(PLAIN_ROWS.encode()) / len(rows.encode())  # the 29 plain rows, then expat
    assert read[28][0][:3] == (29, 1, ("int", 29)) and read[-1] == [(40, 1, ("int", 40), 0)]
    assert_same_grids(path)


NOT_PLAIN_AT_ALL = {
    "merged ranges first": _sheet(PLAIN_ROWS, before='<mergeCells><mergeCell ref="A1:B2"/></mergeCells>'),
    "a comment first": _sheet(PLAIN_ROWS, before="<!-- sheetData -->"),
    "a row first": _sheet(PLAIN_ROWS, before='<extLst><row r="1"><c r="Z1"><v>1</v></c></row></extLst>'),
    "another encoding": _sheet(PLAIN_ROWS.replace("text", "caf\xe9"),
                               declaration='<?xml version="1.0" encoding="ISO-8859-1"?>'),
    "another namespace": _sheet(PLAIN_ROWS, namespace="urn:not-a-worksheet"),
    "no sheet data": f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>',
    "prefixed": PREFIXED_SHEET,
}


@pytest.mark.parametrize("xml", list(NOT_PLAIN_AT_ALL.values()), ids=list(NOT_PLAIN_AT_ALL))
def test_a_sheet_that_is_not_plain_before_its_rows_is_read_by_expat_alone(tmp_path, monkeypatch, xml):
    data = xml.encode("latin-1") if "ISO-8859-1" in xml else xml.encode()  # in its own encoding
    path = write_xlsx(tmp_path / "odd.xlsx", [("Odd", data, None)])
    [(_, rows, _)] = read_both_ways(path, monkeypatch)
    if "ISO-8859-1" in xml:
        assert rows[0][1][2] == ("str", "caf\xe9")
    if "urn:not-a-worksheet" in xml:
        assert rows == []  # not a worksheet's rows, as before
    if "mergeCells" in xml:
        assert_same_grids(path)


def test_damaged_xml_among_plain_rows_is_refused_as_expat_refuses_it(tmp_path, monkeypatch):
    """expat checks the whole part first: a part it refuses is read by expat alone, which raises as before."""
    for damaged in (PLAIN_ROWS + "<row r='30'><c r='A30'><v>1</c></row>", PLAIN_ROWS + "<row r='30'>&nbsp;</row>",
                    PLAIN_ROWS.replace("<v>3</v>", "<v>\x01</v>")):
        path = write_xlsx(tmp_path / "damaged.xlsx", [("Damaged", _sheet(damaged), None)])
        with pytest.raises(xlsx_sheet.expat.ExpatError) as plain:
            read_both_ways(path, monkeypatch)
        monkeypatch.setattr(xlsx_sheet, "plain_sheet_data", lambda data: None)
        with pytest.raises(xlsx_sheet.expat.ExpatError) as alone:
            read_both_ways(path, monkeypatch)
        monkeypatch.undo()
        assert str(plain.value) == str(alone.value)


def test_the_values_sheet_reads_the_same_in_small_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_plain, "SLICE_BYTES", 40)
    path = write_xlsx(tmp_path / "odd.xlsx", [("Values", VALUES_SHEET, None), ("Odd", ODD_BUT_PLAIN, None)])
    read_both_ways(path, monkeypatch)
    assert_same_grids(path)


@pytest.mark.parametrize("bad", ['<row r="x"/>', '<row r="30"><c r="A30" t="s"><v>99</v></c></row>',
                                 '<row r="30"><c r="A30" t="b"><v>x</v></c><c r="1A"><v>1</v></c></row>'])
def test_a_value_that_cannot_be_read_in_a_plain_row_raises_as_before(tmp_path, monkeypatch, bad):
    """A row number that is not one, a shared string that is not there, a reference that is not one:
    raised (or kept as NaN) as expat's events raised them."""
    path = write_xlsx(tmp_path / "bad.xlsx", [("Bad", _sheet(PLAIN_ROWS + bad), None)], strings=None)
    results = []
    for plain in (True, False):
        with monkeypatch.context() as patch:
            if not plain:
                patch.setattr(xlsx_sheet, "plain_sheet_data", lambda data: None)
            try:
                with Book(path) as book:
                    results.append(book.read_sheet(book.sheets[0][1], lambda cells: None))
            except (ValueError, IndexError) as exc:
                results.append((type(exc), str(exc)))
    assert results[0] == results[1] and isinstance(results[0], tuple)
    assert plain_share(path) == [1.0]
