"""Section sheets get names Excel accepts, whatever the sections are called: emoji,
apostrophes, 31+ characters, Excel's reserved "History", duplicates after cutting, blank."""
from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

import make_bad_inputs as corpus
from kpi_xl import api
from kpi_xl.layout.sheetnames import MAX_LENGTH, is_valid_sheet_name, safe_sheet_name, utf16_length

AWKWARD = [
    ("Children's services – a very long section name 🙂", "Children's services – a very lo"),
    ("'Quoted'", "Quoted"),
    ("History", "History (2)"),
    ("HISTORY", "HISTORY (2)"),
    ("A/B: [x]*?\\", "A B x"),
    ("Care\nleavers", "Care leavers"),
    ("🙂" * 20, "🙂" * 15),  # 30 UTF-16 units: a 16th emoji would make 32
    ("", "Section"),
    ("   ", "Section"),
    ("'''", "Section"),
    ("x" * 40, "x" * 31),
    ("👨\u200d👩\u200d👧 family support in the borough", "👨\u200d👩\u200d👧 family support in the"),
]


@pytest.mark.parametrize("name,expected", AWKWARD)
def test_awkward_section_names(name, expected):
    made = safe_sheet_name(name, set())
    assert made == expected and is_valid_sheet_name(made)


def test_names_stay_unique_after_cutting_ignoring_case():
    taken = {"kpi table"}
    made = []
    for name in ["x" * 40, "x" * 35, "X" * 40, "KPI table", "kpi TABLE", "History", "history"]:
        made.append(safe_sheet_name(name, taken))
        taken.add(made[-1])
    assert made == ["x" * 31, "x" * 27 + " (2)", "X" * 27 + " (3)", "KPI table (2)", "kpi TABLE (3)",
                    "History (2)", "history (3)"]
    assert len({m.casefold() for m in made}) == len(made)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=45) | st.sampled_from(["History", "'", "🙂" * 16, "[]", "a" * 31]),
                max_size=12))
def test_any_names_become_valid_and_unique(names):
    taken: set[str] = set()
    for name in names:
        made = safe_sheet_name(name, taken)
        assert is_valid_sheet_name(made) and utf16_length(made) <= MAX_LENGTH, repr(made)
        assert made.casefold() not in {t.casefold() for t in taken}
        taken.add(made)


SECTIONS = ["Children's services – a very long section name 🙂", "History", "Children's services – a very long one"]


def test_a_scorecard_with_awkward_section_names_opens_and_renders(tmp_path):
    wb = corpus.base_workbook()
    for row, section in zip((2, 3, 4), SECTIONS):
        wb["Indicators"].cell(row, 3).value = section
    raw = tmp_path / "raw.xlsx"
    wb.save(raw)
    out = tmp_path / "awkward.xlsx"
    api.build(raw, out, template="monthly-monitoring", today=corpus.TODAY)
    book = openpyxl.load_workbook(out)
    names = book.sheetnames
    assert {"Children's services – a very lo", "History (2)", "Children's services – a ver (2)"} <= set(names)
    links = [cell.hyperlink.location for ws in book.worksheets for row in ws.iter_rows() for cell in row
             if cell.hyperlink is not None and cell.hyperlink.location]
    targets = {loc.rsplit("!", 1)[0] for loc in links}
    assert "'Children''s services – a very lo'" in targets  # the apostrophe doubled inside quotes
    for target in targets:
        assert target.strip("'").replace("''", "'") in names, target
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "awkward.pdf").stat().st_size > 10_000
