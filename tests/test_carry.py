"""Regeneration never erases commentary typed into the previous scorecard."""
from __future__ import annotations

import openpyxl
import pytest

from kpi_xl.run.carry import merge_text
from kpi_xl.cli import main
from kpi_xl.layout.cells import note_name, parse_note_name
from kpi_xl.run.starter import write_starter_workbook


def type_into(scorecard, name, text):
    """Type text into a named answer cell, as a person would in Excel."""
    book = openpyxl.load_workbook(scorecard)
    sheet, ref = next(iter(book.defined_names[name].destinations))
    book[sheet][ref.replace("$", "")] = text
    book.save(scorecard)


def notes_in(scorecard):
    book = openpyxl.load_workbook(scorecard)
    found = {}
    for name, dn in book.defined_names.items():
        if parse_note_name(name):
            sheet, ref = next(iter(dn.destinations))
            found[parse_note_name(name)] = book[sheet][ref.replace("$", "")].value
    return found


def test_note_names_round_trip():
    for key in (("section", "child protection"), ("indicator", "cp 12"), ("other", "Commentary!A7: x")):
        assert parse_note_name(note_name(key, "why")) == (key[0], key[1], "why")
    assert parse_note_name("KPI_table") is None


def test_merge_text_keeps_both_and_is_stable():
    assert merge_text("", "typed") == "typed"
    assert merge_text("raw", "") == "raw"
    assert merge_text("raw", "raw") == "raw"
    once = merge_text("raw", "typed in the scorecard")
    assert once == "raw\n\ntyped in the scorecard"
    assert merge_text("raw", once) == once  # next month: nothing appended twice


def test_typed_commentary_survives_regeneration(tmp_path):
    raw, out = tmp_path / "raw.xlsx", tmp_path / "scorecard.xlsx"
    write_starter_workbook(raw)
    for template in ("kpi-scorecard", "monthly-monitoring"):
        out.unlink(missing_ok=True)
        assert main(["build", str(raw), "-o", str(out), "--template", template, "-q"]) == 0
        type_into(out, note_name(("section", "workforce"), "what"), "Recruit two seniors by March")
        type_into(out, note_name(("section", "child protection"), "when"), "By 31 March")
        assert main(["build", str(raw), "-o", str(out), "--template", template, "-q"]) == 0
        notes = notes_in(out)
        assert notes[("section", "workforce", "what")] == "Recruit two seniors by March"
        # the raw workbook said "Ongoing" and the person typed over it: the box as they left it
        # wins for the same month (issue 9: raw text a person deleted must not come back)
        assert notes[("section", "child protection", "when")] == "By 31 March"
        assert main(["build", str(raw), "-o", str(out), "--template", template, "-q"]) == 0
        assert notes_in(out)[("section", "child protection", "when")] == "By 31 March"


def test_notes_of_a_removed_section_are_kept_as_orphans(tmp_path):
    raw, out = tmp_path / "raw.xlsx", tmp_path / "scorecard.xlsx"
    write_starter_workbook(raw)
    assert main(["build", str(raw), "-o", str(out), "-q"]) == 0
    type_into(out, note_name(("section", "workforce"), "why"), "Caseloads fell after recruitment")
    book = openpyxl.load_workbook(raw)
    book["Indicators"]["C4"] = "Staffing"  # the Workforce section is renamed
    book.save(raw)
    assert main(["build", str(raw), "-o", str(out), "-q"]) == 0
    texts = [c.value for row in openpyxl.load_workbook(out)["Service commentary"].iter_rows() for c in row]
    assert "Orphaned notes from the previous scorecard" in texts
    assert "Caseloads fell after recruitment" in texts
    assert "Section 'workforce': Why does the data look the way it does?" in texts
    # and they stay on the next run too
    assert main(["build", str(raw), "-o", str(out), "-q"]) == 0
    texts = [c.value for row in openpyxl.load_workbook(out)["Service commentary"].iter_rows() for c in row]
    assert texts.count("Caseloads fell after recruitment") == 1


# -- issue 9: what people type is never lost, and never altered ---------------------------------

import datetime as dt  # noqa: E402

CP = ("section", "child protection")
WORKFORCE = ("section", "workforce")


def build(raw, out):
    """Build as the command line does; the warnings it prints, one a line."""
    from kpi_xl import api

    return "\n".join(f"warning: {p}" for p in api.build(raw, out).warnings)


def type_at(scorecard, sheet, ref, value):
    """Type into any cell of the scorecard, as a person would in Excel."""
    book = openpyxl.load_workbook(scorecard)
    book[sheet][ref] = value
    book.save(scorecard)


def listed_notes(scorecard):
    """The titles and texts on the 'Orphaned notes from the previous scorecard' list."""
    book = openpyxl.load_workbook(scorecard)
    for ws in book.worksheets:
        col_a = [row[0].value for row in ws.iter_rows()]
        if "Orphaned notes from the previous scorecard" in col_a:
            start = col_a.index("Orphaned notes from the previous scorecard") + 2
            items = [v for v in col_a[start:] if v not in (None, "")]
            return list(zip(items[::2], items[1::2]))
    return []


def set_raw(raw, sheet, ref, value):
    book = openpyxl.load_workbook(raw)
    book[sheet][ref] = value
    book.save(raw)


def next_month(raw, figures=(0.97, 340, 15.1)):
    """The raw workbook a month on: February's figures, and the Report sheet's period moved."""
    book = openpyxl.load_workbook(raw)
    data = book["Data"]
    for ind, value in zip(("CP 12", "CP 1", "W 1"), figures):
        data.append([ind, dt.datetime(2020, 2, 1), value])
    report = book["Report"]
    row = next(r for r in report.iter_rows() if r[0].value == "Period")
    row[1].value = dt.datetime(2020, 2, 1)
    book.save(raw)


@pytest.fixture
def starter(tmp_path):
    raw, out = tmp_path / "raw.xlsx", tmp_path / "scorecard.xlsx"
    write_starter_workbook(raw)
    return raw, out


def test_a_date_typed_in_a_when_box_stays_a_date_as_people_read_it(starter):
    raw, out = starter
    build(raw, out)
    type_into(out, note_name(WORKFORCE, "when"), dt.datetime(2020, 3, 31))
    build(raw, out)
    assert notes_in(out)[(*WORKFORCE, "when")] == "31 Mar 2020"
    build(raw, out)
    assert notes_in(out)[(*WORKFORCE, "when")] == "31 Mar 2020"


def test_raw_text_deleted_in_the_scorecard_stays_deleted(starter):
    raw, out = starter
    build(raw, out)
    assert notes_in(out)[(*CP, "why")] == "Reviews held on time stayed above target."
    type_into(out, note_name(CP, "why"), None)  # the person deletes the raw workbook's answer
    for _ in range(2):
        build(raw, out)
        assert notes_in(out)[(*CP, "why")] in (None, "")
    # the raw workbook's text changes: that is new text, and it is shown
    set_raw(raw, "Commentary", "C2", "Reviews slipped in December.")
    build(raw, out)
    assert notes_in(out)[(*CP, "why")] == "Reviews slipped in December."


def test_typed_and_raw_text_both_changed_keep_both(starter):
    raw, out = starter
    build(raw, out)
    type_into(out, note_name(CP, "what"), "Keep weekly tracking. Audit ten cases.")
    set_raw(raw, "Commentary", "D2", "Weekly tracking moved to the panel.")
    build(raw, out)
    expected = "Weekly tracking moved to the panel.\n\nKeep weekly tracking. Audit ten cases."
    assert notes_in(out)[(*CP, "what")] == expected
    build(raw, out)
    assert notes_in(out)[(*CP, "what")] == expected  # nothing appended twice


def test_last_months_raw_commentary_does_not_stay_in_this_months_box(starter):
    raw, out = starter
    build(raw, out)
    assert notes_in(out)[(*CP, "why")] == "Reviews held on time stayed above target."
    next_month(raw)
    set_raw(raw, "Commentary", "C2", "February: two reviews were late.")
    set_raw(raw, "Commentary", "D2", None)  # and February's raw sheet has no 'what'
    build(raw, out)
    notes = notes_in(out)
    assert notes[(*CP, "why")] == "February: two reviews were late."
    assert notes[(*CP, "what")] in (None, "")
    assert listed_notes(out) == []  # raw text is not a person's note


def test_text_typed_for_last_month_is_listed_not_carried_into_this_months_box(starter):
    raw, out = starter
    build(raw, out)
    type_into(out, note_name(WORKFORCE, "what"), "Recruit two seniors by March")
    next_month(raw)
    err = build(raw, out)
    assert notes_in(out)[(*WORKFORCE, "what")] in (None, "")
    assert listed_notes(out) == [("January 2020 report, Section 'workforce': What are you going to do about it?",
                                  "Recruit two seniors by March")]
    assert "warning: Service commentary!A16: the commentary typed here for the January 2020 report" in err
    build(raw, out)  # and it stays on the list, once
    assert [text for _, text in listed_notes(out)] == ["Recruit two seniors by March"]


def test_generated_figures_that_changed_since_last_month_are_not_notes(starter):
    raw, out = starter
    build(raw, out)
    next_month(raw, figures=(0.5, 12345, 99.9))  # every figure changes, and a new month column appears
    err = build(raw, out)
    assert "outside the answer boxes" not in err and listed_notes(out) == []
    # an indicator leaves the report: the cells of its row last month were kpi_xl's, not notes
    book = openpyxl.load_workbook(raw)
    book["Indicators"].delete_rows(3)
    for row in reversed(range(2, book["Data"].max_row + 1)):
        if book["Data"].cell(row, 1).value == "CP 1":
            book["Data"].delete_rows(row)
    book.save(raw)
    err = build(raw, out)
    assert "outside the answer boxes" not in err and listed_notes(out) == []


def test_notes_typed_in_spare_cells_are_kept_and_warned(starter):
    raw, out = starter
    build(raw, out)
    type_at(out, "KPI table", "M14", "Check W 1 with finance")  # beside the table
    type_at(out, "KPI table", "E7", 120)  # CP 1 has no target: kpi_xl left the cell empty
    type_at(out, "Chart data", "B12", dt.datetime(2020, 4, 30))
    err = build(raw, out)
    for where in ("KPI table!M14", "KPI table!E7", "Chart data!B12"):
        assert f"warning: {where}: a note typed outside the answer boxes" in err
    assert sorted(listed_notes(out)) == [("Chart data!B12", "30 Apr 2020"), ("KPI table!E7", "120"),
                                         ("KPI table!M14", "Check W 1 with finance")]
    err = build(raw, out)  # kept, once, run after run, with no second warning
    assert "outside the answer boxes" not in err
    assert len(listed_notes(out)) == 3
    # a person deletes a note from the list once dealt with: it goes
    book = openpyxl.load_workbook(out)
    name = note_name(("other", "KPI table!M14"), "note")
    sheet, ref = next(iter(book.defined_names[name].destinations))
    book[sheet][ref.replace("$", "")] = None
    book.save(out)
    build(raw, out)
    assert sorted(where for where, _ in listed_notes(out)) == ["Chart data!B12", "KPI table!E7"]


def test_a_scorecard_made_before_the_record_loses_nothing(starter):
    """Scorecards written before kpi_xl kept its record: both texts kept, as before."""
    raw, out = starter
    build(raw, out)
    book = openpyxl.load_workbook(out)
    for name in [n for n in book.defined_names if n.startswith("kpi_xl_record_")]:
        del book.defined_names[name]
    book.save(out)
    type_into(out, note_name(CP, "when"), "By 31 March")
    build(raw, out)
    assert notes_in(out)[(*CP, "when")] == "Ongoing\n\nBy 31 March"
    assert any(n.startswith("kpi_xl_record_") for n in openpyxl.load_workbook(out).defined_names)


def test_monitoring_template_keeps_notes_from_its_section_sheets(starter):
    raw, out = starter
    assert main(["build", str(raw), "-o", str(out), "--template", "monthly-monitoring", "-q"]) == 0
    type_at(out, "Child protection", "Z3", "Ask the IRO service about December")
    assert main(["build", str(raw), "-o", str(out), "--template", "monthly-monitoring", "-q"]) == 0
    assert listed_notes(out) == [("Child protection!Z3", "Ask the IRO service about December")]


def test_the_cells_kpi_xl_filled_are_not_read_and_nothing_typed_is_missed(starter):
    """Last month's scorecard is read without the rows of cells kpi_xl filled (its record),
    answer boxes apart: the same answers and notes as reading every cell, in fewer cells."""
    from kpi_xl.read.xlsx_stream import Book
    from kpi_xl.run import carry

    raw, out = starter
    build(raw, out)
    type_into(out, note_name(WORKFORCE, "when"), "End of March")
    type_at(out, "KPI table", "M14", "Check W 1 with finance")
    type_at(out, "KPI table", "E7", 120)
    type_at(out, "Chart data", "B12", dt.datetime(2020, 4, 30))
    with Book(out) as book:
        names = dict(book.defined_names)
        every_cell = {name: carry._values(book, part) for name, part, _ in book.sheets}
        unread = carry._not_looked_at(*carry._named(names), [name for name, _, _ in book.sheets])
        fewer = {name: carry._values(book, part, unread.get(name)) for name, part, _ in book.sheets}
    assert carry.read_previous(out) == carry.previous_from(every_cell, names)
    assert sum(v is not None for rows in fewer.values() for row in rows for v in row) < \
        sum(v is not None for rows in every_cell.values() for row in rows for v in row) / 2
    previous = carry.read_previous(out)
    assert sorted(where for where, _ in previous.strays) == ["Chart data!B12", "KPI table!E7", "KPI table!M14"]
    assert "End of March" in [text for text, _ in previous.answers.values()]


def rewritten(scorecard, part, change):
    """The scorecard's zip written again entry by entry, its comment kept, with ``part``'s
    text changed by ``change``: as a tool that edits one part in place would leave it."""
    import zipfile

    with zipfile.ZipFile(scorecard) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
        comment = book.comment
    with zipfile.ZipFile(scorecard, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in entries:
            book.writestr(info, change(data.decode("utf-8")).encode("utf-8") if info.filename == part else data)
        book.comment = comment


def sheet_part(scorecard, sheet):
    from kpi_xl.read.xlsx_stream import Book

    with Book(scorecard) as book:
        return next(part for name, part, _ in book.sheets if name == sheet)


def test_a_scorecard_nothing_has_changed_since_is_read_by_its_answer_boxes_alone(starter, monkeypatch):
    """A scorecard as kpi_xl wrote it (a person's text carried into a box, notes on the list)
    holds nothing outside its boxes: only the sheets holding boxes are read, with the same
    answers and notes as reading every sheet, and nothing is lost from run to run."""
    import zipfile

    from kpi_xl.read.as_written import as_written
    from kpi_xl.read.xlsx_stream import Book
    from kpi_xl.run import carry

    raw, out = starter
    build(raw, out)
    type_into(out, note_name(WORKFORCE, "when"), "End of March")
    type_at(out, "KPI table", "M14", "Check W 1 with finance")
    with zipfile.ZipFile(out) as book:
        assert not as_written(book)  # saved by another program (openpyxl here, Excel in use)
    assert "warning: KPI table!M14" in build(raw, out)
    with zipfile.ZipFile(out) as book:
        assert as_written(book)
    with Book(out) as book:
        names = dict(book.defined_names)
        every_sheet = {name: carry._values(book, part) for name, part, _ in book.sheets}
        holding_boxes = {sheet for sheet, _ in carry._named(names)[1].values()}
    assert set(every_sheet) - holding_boxes  # (sheets that hold no box: not read)
    read = []
    values = carry._values
    monkeypatch.setattr(carry, "_values", lambda book, part, unread=None: read.append(part) or
                        values(book, part, unread))
    assert carry.read_previous(out) == carry.previous_from(every_sheet, names)
    assert len(read) == len(holding_boxes) < len(every_sheet)
    monkeypatch.undo()
    assert build(raw, out) == ""
    assert notes_in(out)[(*WORKFORCE, "when")] == "End of March"
    assert listed_notes(out) == [("KPI table!M14", "Check W 1 with finance")]


def test_a_part_changed_since_kpi_xl_wrote_it_is_read_in_full(starter):
    """A note put into a sheet with no answer box by a tool that keeps the zip's comment is
    found as ever: the part's checksum no longer matches kpi_xl's listing."""
    import zipfile

    from kpi_xl.read.as_written import as_written

    raw, out = starter
    build(raw, out)
    row = '<row r="300"><c r="A300" t="inlineStr"><is><t>Typed in place</t></is></c></row></sheetData>'
    rewritten(out, sheet_part(out, "Chart data"), lambda xml: xml.replace("</sheetData>", row))
    with zipfile.ZipFile(out) as book:
        assert book.comment.startswith(b"kpi_xl parts ") and not as_written(book)
    assert "warning: Chart data!A300: a note typed outside the answer boxes" in build(raw, out)
    assert listed_notes(out) == [("Chart data!A300", "Typed in place")]
