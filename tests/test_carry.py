"""Regeneration never erases commentary typed into the previous scorecard."""
from __future__ import annotations

import openpyxl

from kpi_xl.carry import merge_text
from kpi_xl.cli import main
from kpi_xl.layout import note_name, parse_note_name
from kpi_xl.starter import write_starter_workbook


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
        # the raw workbook said "Ongoing"; the typed text is kept beside it
        assert notes[("section", "child protection", "when")] == "Ongoing\n\nBy 31 March"
        assert main(["build", str(raw), "-o", str(out), "--template", template, "-q"]) == 0
        assert notes_in(out)[("section", "child protection", "when")] == "Ongoing\n\nBy 31 March"


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
