"""Make the corpus of broken raw workbooks, each with the problems it must produce.

Run it to (re)write the files::

    python tests/make_bad_inputs.py            # into tests/data/bad/
    python tests/make_bad_inputs.py OUT_DIR

or import it: ``build_all(out_dir) -> list[Case]``. Every case starts from the same small
valid workbook (3 indicators, 8 months, April to November 2025) and has one fault. The
expected problems are ``(where, part of the message)``; ``where`` is exact. Validate with
``today=TODAY`` so "the future" does not move.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl
from openpyxl.workbook import Workbook

TODAY = dt.date(2026, 1, 15)
MONTHS = ["Apr-25", "May-25", "Jun-25", "Jul-25", "Aug-25", "Sep-25", "Oct-25", "Nov-25"]
INDICATORS = [
    # ID, Indicator, Section, Unit, Polarity, Target
    ("CP1", "Child protection plans reviewed on time", "Child protection", "%", "High", 0.9),
    ("CIN2", "Children in need at month end", "Children in need", "count", "None", None),
    ("LAC3", "Average days from entering care to moving in with adopters", "Children looked after",
     "days", "Low", 426),
]
VALUES = {
    "CP1": [0.82, 0.85, 0.88, 0.90, 0.87, 0.91, 0.93, 0.89],
    "CIN2": [1510, 1532, 1498, 1555, 1583, 1570, 1602, 1588],
    "LAC3": [455, 448, 430, 441, 420, 433, 415, 409],
}
# Data rows: CP1 on rows 2-9, CIN2 on 10-17, LAC3 on 18-25 (ID in A, Period in B, Value in C).
# Indicators rows: CP1 on row 2, CIN2 on 3, LAC3 on 4; Unit in D, Polarity in E, Target in F.


@dataclass
class Case:
    file: str
    fault: str
    exit_code: int  # 1: the input has problems (nothing is written); 0: warnings only
    errors: list[tuple[str, str]] = field(default_factory=list)  # (where, part of the message)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.file.removesuffix(".xlsx")


def base_workbook() -> Workbook:
    """The small valid raw workbook every case starts from."""
    wb = openpyxl.Workbook()
    ind = wb.active
    ind.title = "Indicators"
    ind.append(["ID", "Indicator", "Section", "Unit", "Polarity", "Target"])
    for row in INDICATORS:
        ind.append(list(row))
    data = wb.create_sheet("Data")
    data.append(["ID", "Period", "Value"])
    for ind_id, values in VALUES.items():
        for month, value in zip(MONTHS, values):
            data.append([ind_id, month, value])
    com = wb.create_sheet("Commentary")
    com.append(["Section", "Why", "What", "When"])
    com.append(["Child protection", "Two reviews slipped when a chair was off sick.",
                "Cover arranged from the QA team.", "December 2025"])
    return wb


def base_bytes() -> bytes:
    buffer = io.BytesIO()
    base_workbook().save(buffer)
    return buffer.getvalue()


def as_text(cell, value: str) -> None:
    """Store ``value`` as a text cell even when it starts with '=' (openpyxl would make it a formula)."""
    cell.value = value
    cell.data_type = "s"


def as_error(cell, code: str) -> None:
    """Store a formula error as Excel caches it: ``<c t="e"><v>#DIV/0!</v></c>``."""
    cell.value = code
    cell.data_type = "e"


# -- the faults, each a change to the base workbook ------------------------------------

def missing_indicators_sheet(wb):
    del wb["Indicators"]


def missing_data_sheet(wb):
    del wb["Data"]


def missing_id_column(wb):
    wb["Indicators"]["A1"] = "Code"


def missing_indicator_column(wb):
    wb["Indicators"]["B1"] = "Description"


def duplicate_ids(wb):
    wb["Indicators"].append(["CP1", "Child protection plans lasting two years or more", "Child protection",
                             "%", "Low", 0.05])


def unknown_id(wb):
    wb["Data"].append(["CP 1", "Nov-25", 0.9])


def bad_period(wb):
    wb["Data"]["B7"] = "Smarch 2025"


def future_period(wb):
    wb["Data"]["B9"] = "Jan 2099"


def text_target(wb):
    wb["Indicators"]["F2"] = "ninety"


def bad_polarity(wb):
    wb["Indicators"]["E4"] = "Smaller"


def percent_both_ways(wb):
    wb["Data"]["C5"] = 85  # CP1 Jul-25; the other CP1 figures are fractions


def percent_target_typed_85(wb):
    wb["Indicators"]["F2"] = 85


def error_cells_data(wb):
    as_error(wb["Data"]["C4"], "#DIV/0!")
    as_error(wb["Data"]["C12"], "#REF!")


def error_cells_indicators(wb):
    as_error(wb["Indicators"]["B3"], "#REF!")
    as_error(wb["Indicators"]["F4"], "#N/A")


def merged_data(wb):
    data = wb["Data"]
    for r in range(3, 10):
        data.cell(r, 1).value = None
    data.merge_cells("A2:A9")  # CP1 typed once beside its eight months


def hidden_row(wb):
    wb["Data"].row_dimensions[7].hidden = True


def empty_workbook(wb):
    for ws in list(wb.worksheets)[1:]:
        del wb[ws.title]
    ws = wb.worksheets[0]
    wb.remove(ws)
    wb.create_sheet("Sheet1")


def empty_data_sheet(wb):
    del wb["Data"]
    wb.create_sheet("Data", 1)


def title_banner(wb):
    """Not a fault: a merged banner above the header row is fine."""
    ind = wb["Indicators"]
    ind.insert_rows(1)
    ind["A1"] = "Children's services indicators 2025/26"
    ind.merge_cells("A1:F1")


def hostile_text(wb):
    """Not a fault: text that looks like a formula is read as plain text."""
    as_text(wb["Indicators"]["B2"], '=HYPERLINK("http://example.invalid","Click")')
    as_text(wb["Indicators"]["B3"], "+44 children in need")
    as_text(wb["Indicators"]["B4"], "-Average days to adoption")
    com = wb["Commentary"]
    as_text(com["B2"], "@SUM(A1:A9)")
    as_text(com["C2"], "=cmd|' /C calc'!A0")
    as_text(com["D2"], "-")


def huge_figure(wb):
    wb["Data"]["C3"] = 1e308  # CP1 May-25


def huge_target(wb):
    wb["Indicators"]["F4"] = 1e308


def too_early_periods(wb):
    wb["Data"]["B3"] = "Apr 1850"
    wb["Data"]["B4"] = "0001-05"


def uncalculated_formula(wb):
    wb["Data"]["C5"] = "=0.45*2"  # openpyxl saves formulas with no result, as any non-Excel writer may


def all_uncalculated(wb):
    data = wb["Data"]
    for r in range(2, data.max_row + 1):
        data.cell(r, 3).value = f"={data.cell(r, 3).value}*1"


def negative_denominator(wb):
    data = wb["Data"]
    data["D1"], data["E1"] = "Numerator", "Denominator"
    for r, (num, den) in enumerate([(41, 50), (34, 40), (44, 50), (-45, -50), (87, 100)], start=2):
        data.cell(r, 4).value, data.cell(r, 5).value = num, den
    data["C5"] = None  # the value comes from the numerator and denominator


def tiny_denominator(wb):
    """A denominator worked out as 1 - 0.99999993: shown as 0, its pair made a YTD ratio of millions of %."""
    data = wb["Data"]
    data["D1"], data["E1"] = "Numerator", "Denominator"
    for r, (num, den) in enumerate([(41, 50), (34, 40), (1, 1 - 0.99999993)], start=2):
        data.cell(r, 4).value, data.cell(r, 5).value = num, den


def invisible_in_data_name(wb):
    wb["Data"].title = "Data\u200b"


def nbsp_in_data_name(wb):
    """Not a fault: 'Data' + a no-break space is read as Data, with a warning."""
    wb["Data"].title = "Data\u00a0"


LONG_TEXT = "Two reviews slipped. " * 1999 + "Two reviews slipped."  # 41,999 characters: more than a cell holds




def styled_last_cell(wb):
    """Not a fault: one formatted, empty cell at XFD1048576 (Ctrl+End jumps there)."""
    from openpyxl.styles import Font
    wb["Data"]["XFD1048576"].font = Font(bold=True)


def many_bad_rows(wb):
    """50,000 Data rows with a period nobody can read: 50,000 problems, 200 listed."""
    data = wb["Data"]
    for _ in range(BAD_ROWS):
        data.append(["CP1", "Smarch 2025", 0.9])


BAD_ROWS = 50_000


def save(wb: Workbook, path: Path) -> None:
    wb.save(path)


# -- files that are not workbooks at all -----------------------------------------------

def write_not_xlsx(path: Path) -> None:
    path.write_text("ID,Indicator,Period,Value\nCP1,Child protection plans reviewed on time,Apr-25,0.82\n",
                    encoding="utf-8")


def write_password_protected(path: Path) -> None:
    """What Excel saves for an encrypted workbook: an OLE compound file (not a zip)
    whose directory holds EncryptionInfo and EncryptedPackage streams."""
    data = bytearray(4096)
    data[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    data[0x18:0x1A] = b"\x3e\x00"  # minor version
    data[0x1A:0x1C] = b"\x03\x00"  # major version 3
    data[0x1C:0x1E] = b"\xfe\xff"  # byte order
    for offset, name in ((0x400, "Root Entry"), (0x480, "EncryptionInfo"), (0x500, "EncryptedPackage")):
        encoded = name.encode("utf-16-le")
        data[offset:offset + len(encoded)] = encoded
    path.write_bytes(bytes(data))


def write_truncated(path: Path) -> None:
    whole = base_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def _rezip(path: Path, replace: dict[str, Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]]) -> None:
    """Copy the base workbook into ``path``, writing the named members with a function."""
    with zipfile.ZipFile(io.BytesIO(base_bytes())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename in replace:
                replace[info.filename](out, info)
            else:
                out.writestr(info, src.read(info.filename))


def _rewrite(path: Path, part: str, edit: Callable[[str], str], wb: Workbook | None = None) -> None:
    """Save ``wb`` (default: the base workbook) into ``path`` with one XML part edited as text."""
    buffer = io.BytesIO()
    (wb or base_workbook()).save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, edit(data.decode("utf-8")) if info.filename == part else data)


def _set_value_xml(ref: str, xml: str, attributes: str = "") -> Callable[[str], str]:
    """An edit that replaces cell ``ref`` with one holding raw XML (and ``attributes``)."""
    def edit(text: str) -> str:
        start = text.index(f'<c r="{ref}"')
        end = text.index("</c>", start) + len("</c>")
        return text[:start] + f'<c r="{ref}"{attributes}>{xml}</c>' + text[end:]
    return edit


DATA_PART = "xl/worksheets/sheet2.xml"


def write_infinite_figure(path: Path) -> None:
    """1E+999 overflows to infinity when read."""
    _rewrite(path, DATA_PART, _set_value_xml("C4", "<v>1E+999</v>"))


def write_nan_figure(path: Path) -> None:
    _rewrite(path, DATA_PART, _set_value_xml("C5", "<v>NaN</v>"))


def write_linked_formula(path: Path) -> None:
    """Data!C6 is a formula reading another workbook; its saved value may be stale."""
    _rewrite(path, DATA_PART, _set_value_xml("C6", "<f>[1]Sheet1!B4</f><v>0.87</v>"))


def write_merged_to_last_cell(path: Path) -> None:
    """Not a fault: a spare sheet whose every cell is merged (A1:XFD1048576)."""
    wb = base_workbook()
    wb.create_sheet("Spare")["A1"] = "spare"
    _rewrite(path, "xl/worksheets/sheet4.xml",
             lambda xml: xml.replace("</sheetData>", '</sheetData><mergeCells count="1">'
                                     '<mergeCell ref="A1:XFD1048576"/></mergeCells>'), wb)


def write_merged_data_to_last_cell(path: Path) -> None:
    _rewrite(path, DATA_PART, lambda xml: xml.replace("</sheetData>", '</sheetData><mergeCells count="1">'
                                                       '<mergeCell ref="A30:XFD1048576"/></mergeCells>'))


def write_long_commentary(path: Path) -> None:
    """Commentary!B2 longer than a cell holds (openpyxl would cut it, so the XML is edited)."""
    _rewrite(path, "xl/worksheets/sheet3.xml",
             lambda xml: xml.replace("Two reviews slipped when a chair was off sick.", LONG_TEXT))


STRICT = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
              "http://purl.oclc.org/ooxml/officeDocument/relationships"}


def write_strict_ooxml(path: Path) -> None:
    """What Excel saves as 'Strict Open XML Spreadsheet': the same parts, other namespaces."""
    with zipfile.ZipFile(io.BytesIO(base_bytes())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            text = src.read(info.filename).decode("utf-8")
            for transitional, strict in STRICT.items():
                text = text.replace(transitional, strict)
            out.writestr(info, text)


BOMB_MB = 300


def write_zip_bomb(path: Path) -> None:
    """sheet1.xml unpacks to 300 MB (mostly spaces) but is a few hundred KB on disk."""

    def bomb(out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        member.compress_type = zipfile.ZIP_DEFLATED
        chunk = b" " * (1 << 20)
        with out.open(member, "w", force_zip64=True) as handle:
            handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(BOMB_MB):
                handle.write(chunk)
            handle.write(b"<sheetData/></worksheet>")

    _rezip(path, {"xl/worksheets/sheet1.xml": bomb})


ENTITY_BOMB = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE worksheet [\n'
    ' <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    '</sheetData></worksheet>'
)


def write_entity_bomb(path: Path) -> None:
    """Billion laughs: sheet1.xml defines nested entities that expand to 10^9 'lol's."""

    def bomb(out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        out.writestr(info, ENTITY_BOMB)

    _rezip(path, {"xl/worksheets/sheet1.xml": bomb})


# -- the corpus --------------------------------------------------------------------------

IMPORTANT = "and was refused as unsafe"

CASES: list[tuple[Case, Callable]] = [
    (Case("missing_indicators_sheet.xlsx", "no Indicators sheet", 1,
          [("missing_indicators_sheet.xlsx", "has no 'Indicators' sheet (found: Data, Commentary)")]),
     missing_indicators_sheet),
    (Case("missing_data_sheet.xlsx", "no Data sheet", 1,
          [("missing_data_sheet.xlsx", "has no 'Data' sheet (found: Indicators, Commentary)")]),
     missing_data_sheet),
    (Case("missing_id_column.xlsx", "Indicators header 'ID' typed as 'Code'", 1,
          [("Indicators!A1:F1", "has no 'ID' column (the header row has: Code, Indicator,")]),
     missing_id_column),
    (Case("missing_indicator_column.xlsx", "Indicators header 'Indicator' typed as 'Description'", 1,
          [("Indicators!A1:F1", "has no 'Indicator' column (the header row has: ID, Description,")]),
     missing_indicator_column),
    (Case("duplicate_ids.xlsx", "a second indicator with ID CP1", 1,
          [("Indicators!A5", "ID 'CP1' is used twice (also at Indicators!A2)")]),
     duplicate_ids),
    (Case("unknown_id.xlsx", "a Data row for ID 'CP 1', which is not on the Indicators sheet", 1,
          [("Data!A26", "ID 'CP 1' is not on the Indicators sheet")]),
     unknown_id),
    (Case("bad_period.xlsx", "Period 'Smarch 2025'", 1,
          [("Data!B7", "period 'Smarch 2025' is not a month kpi_xl can read")]),
     bad_period),
    (Case("future_period.xlsx", "Period Jan 2099", 1,
          [("Data!B9", "period January 2099 is in the future")]),
     future_period),
    (Case("text_target.xlsx", "Target typed as the word 'ninety'", 1,
          [("Indicators!F2", "Target 'ninety' is not a number")]),
     text_target),
    (Case("bad_polarity.xlsx", "Polarity 'Smaller'", 1,
          [("Indicators!E4", "Polarity 'Smaller' is not recognised")]),
     bad_polarity),
    (Case("percent_both_ways.xlsx", "one CP1 figure typed 85 among fractions", 0, [],
          [("Data!C5", "CP1 value 85 was read as 85% (0.85)")]),
     percent_both_ways),
    (Case("percent_target_typed_85.xlsx", "a % target typed 85", 0, [],
          [("Indicators!F2", "Target 85 was read as 85% (0.85)")]),
     percent_target_typed_85),
    (Case("error_cells_data.xlsx", "#DIV/0! and #REF! cached in Data values", 1,
          [("Data!C4", "shows the error #DIV/0!"), ("Data!C12", "shows the error #REF!")]),
     error_cells_data),
    (Case("error_cells_indicators.xlsx", "#REF! as a title and #N/A as a target", 1,
          [("Indicators!B3", "shows the error #REF!"), ("Indicators!F4", "shows the error #N/A")]),
     error_cells_indicators),
    (Case("merged_data.xlsx", "Data!A2:A9 merged (CP1 typed once)", 1,
          [("Data!A2:A9", "cells A2:A9 are merged, so rows 3-9 have no ID of their own")]),
     merged_data),
    (Case("hidden_row.xlsx", "Data row 7 hidden", 0, [],
          [("Data!A7", "row 7 is hidden; its figure for CP1 Sep-25 was used")]),
     hidden_row),
    (Case("empty_workbook.xlsx", "one blank sheet", 1,
          [("empty_workbook.xlsx", "is empty (its only sheet, Sheet1, is blank)")]),
     empty_workbook),
    (Case("empty_data_sheet.xlsx", "a Data sheet with nothing on it", 1,
          [("Data!A1", "the sheet is empty")]),
     empty_data_sheet),
    (Case("title_banner.xlsx", "not a fault: a merged title banner above the Indicators header", 0),
     title_banner),
    (Case("hostile_text.xlsx", "not a fault: titles and commentary starting with = + - @", 0),
     hostile_text),
    (Case("huge_figure.xlsx", "a Data value of 1e308", 1,
          [("Data!C3", "1e+308 is not a figure kpi_xl can rate")]),
     huge_figure),
    (Case("infinite_figure.xlsx", "a Data value stored as 1E+999 (infinity)", 1,
          [("Data!C4", "inf is not a figure kpi_xl can rate")]),
     write_infinite_figure),
    (Case("nan_figure.xlsx", "a Data value stored as NaN", 1,
          [("Data!C5", "nan is not a figure kpi_xl can rate")]),
     write_nan_figure),
    (Case("huge_target.xlsx", "a target of 1e308", 1,
          [("Indicators!F4", "Target 1e+308 is not a figure kpi_xl can rate")]),
     huge_target),
    (Case("too_early_periods.xlsx", "periods in 1850 and in year 1", 1,
          [("Data!B3", "period April 1850 is before 1950"), ("Data!B4", "period May 1 is before 1950")]),
     too_early_periods),
    (Case("uncalculated_formula.xlsx", "a Data value that is a formula with no saved result", 1,
          [("Data!C5", "holds a formula with no saved result")]),
     uncalculated_formula),
    (Case("all_uncalculated.xlsx", "every Data value a formula with no saved result", 1,
          [("Data!C2", "Data has no figures: its 24 values are formulas with no saved result")]),
     all_uncalculated),
    (Case("linked_formula.xlsx", "a Data value read from another workbook", 0, [],
          [("Data!C6", "comes from another workbook (=[1]Sheet1!B4)")]),
     write_linked_formula),
    (Case("negative_denominator.xlsx", "a numerator and denominator typed negative", 1,
          [("Data!E5", "CP1 has a negative denominator (-50)")]),
     negative_denominator),
    (Case("tiny_denominator.xlsx", "a denominator of 7e-08, shown as 0", 0, [],
          [("Data!E4", "CP1 has a denominator of 0 (in fact 7e-08, shown as 0)")]),
     tiny_denominator),
    (Case("invisible_in_data_name.xlsx", "the Data sheet named 'Data' + a zero-width space", 1,
          [("invisible_in_data_name.xlsx", "has no 'Data' sheet, but has a sheet named 'Data\\u200b', with an "
            "invisible character (U+200B ZERO WIDTH SPACE)")]),
     invisible_in_data_name),
    (Case("nbsp_in_data_name.xlsx", "the Data sheet named 'Data' + a no-break space", 0, [],
          [("nbsp_in_data_name.xlsx", "has an invisible character (U+00A0 NO-BREAK SPACE) in its name")]),
     nbsp_in_data_name),
    (Case("long_commentary.xlsx", "commentary of 41,999 characters", 0, [],
          [("Commentary!B2", "the text is 41,999 characters long")]),
     write_long_commentary),
    (Case("styled_last_cell.xlsx", "not a fault: a formatted empty cell at XFD1048576", 0),
     styled_last_cell),
    (Case("merged_to_last_cell.xlsx", "not a fault: a spare sheet merged from A1 to XFD1048576", 0),
     write_merged_to_last_cell),
    (Case("merged_data_to_last_cell.xlsx", "Data merged from A30 to XFD1048576", 1,
          [("Data!A30:XFD1048576", "cells A30:XFD1048576 are merged")]),
     write_merged_data_to_last_cell),
    (Case("strict_ooxml.xlsx", "saved as Strict Open XML", 1,
          [("strict_ooxml.xlsx", "is saved as 'Strict Open XML Spreadsheet'")]),
     write_strict_ooxml),
    (Case("not_xlsx.xlsx", "a CSV file renamed .xlsx", 1,
          [("not_xlsx.xlsx", "is a text file (perhaps CSV), not an Excel workbook")]),
     write_not_xlsx),
    (Case("password_protected.xlsx", "an encrypted (password-protected) workbook", 1,
          [("password_protected.xlsx", "is password-protected")]),
     write_password_protected),
    (Case("truncated.xlsx", "the first half of a valid xlsx", 1,
          [("truncated.xlsx", "is damaged or incomplete")]),
     write_truncated),
    (Case("zip_bomb.xlsx", f"sheet1.xml unpacks to {BOMB_MB} MB", 1,
          [("zip_bomb.xlsx", f"contains an oversized part (xl/worksheets/sheet1.xml) {IMPORTANT}")]),
     write_zip_bomb),
    (Case("entity_bomb.xlsx", "billion-laughs DOCTYPE in sheet1.xml", 1,
          [("entity_bomb.xlsx", f"contains XML entity definitions (xl/worksheets/sheet1.xml) {IMPORTANT}")]),
     write_entity_bomb),
]


def build(case: Case, make: Callable, out_dir: Path) -> Path:
    path = Path(out_dir) / case.file
    if make.__name__.startswith("write_"):
        make(path)
    else:
        wb = base_workbook()
        make(wb)
        save(wb, path)
    return path


def build_all(out_dir: Path | str) -> list[Case]:
    """Write every case into ``out_dir`` (created) plus ``expected.json``; return the cases."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = []
    for case, make in CASES:
        build(case, make, out_dir)
        cases.append(case)
    save(base_workbook(), out_dir / "valid_base.xlsx")
    (out_dir / "expected.json").write_text(
        json.dumps({"today": TODAY.isoformat(), "cases": [asdict(c) for c in cases]}, indent=1) + "\n",
        encoding="utf-8")
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data" / "bad"
    for c in build_all(target):
        print(f"{c.file:32} exit {c.exit_code}  {c.fault}")
    print(f"wrote {len(CASES) + 1} workbooks and expected.json to {target}")
