"""The bad-input corpus (tests/make_bad_inputs.py): each broken raw workbook gives exactly
its expected problems, each naming the sheet and cell and saying what to do, the right
exit code, and no change to the previous output."""
from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import make_bad_inputs as corpus
from kpi_xl.read import grid as grid_module
from kpi_xl.errors import EXIT_INPUT, EXIT_OK, InputError
from kpi_xl.rate.validate import validate_workbook
from kpi_xl.read.reader import read_workbook
from kpi_xl.run.safety import atomic_write

CASES = [case for case, _ in corpus.CASES]
TODAY = corpus.TODAY


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bad")
    built = corpus.build_all(out)
    assert [c.file for c in built] == [c.file for c in CASES]
    return out


def split(problems):
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    return errors, warnings


def assert_matches(found, expected, kind):
    """``found`` Problems are exactly ``expected`` (where, part of the message), in order."""
    assert [p.where for p in found] == [w for w, _ in expected], \
        f"{kind}: {[str(p) for p in found]}"
    for problem, (_, part) in zip(found, expected):
        assert part in problem.message, f"{kind} at {problem.where}: {problem.message!r} lacks {part!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_exact_problems(bad_dir, case):
    problems = validate_workbook(bad_dir / case.file, today=TODAY)
    errors, warnings = split(problems)
    assert_matches(errors, case.errors, "errors")
    assert_matches(warnings, case.warnings, "warnings")
    assert case.exit_code == (EXIT_INPUT if errors else EXIT_OK)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_message_names_where_and_says_what_to_do(bad_dir, case):
    for p in validate_workbook(bad_dir / case.file, today=TODAY):
        assert p.where and p.message and p.fix, str(p)
        assert p.message.endswith((".", "?")), p.message
        assert p.fix.endswith((".", "?")), p.fix
        assert str(p) == f"{p.where}: {p.message} {p.fix}"
        assert "\n" not in str(p) and "Traceback" not in str(p)
        sheet_cell = "!" in p.where
        assert sheet_cell or p.where == case.file, f"{p.where} is neither Sheet!Cell nor the file"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_read_workbook_exit_code(bad_dir, case):
    path = bad_dir / case.file
    if case.exit_code == EXIT_INPUT:
        with pytest.raises(InputError) as info:
            read_workbook(path, today=TODAY)
        assert info.value.exit_code == EXIT_INPUT
        assert all(f"{w}: " in str(info.value) for w, _ in case.errors)
    else:
        raw = read_workbook(path, today=TODAY)
        assert [i.id for i in raw.indicators] == ["CP1", "CIN2", "LAC3"]
        assert len(raw.figures["CP1"]) == 8


@pytest.mark.parametrize("case", [c for c in CASES if c.exit_code == EXIT_INPUT], ids=lambda c: c.name)
def test_bad_input_leaves_previous_output_alone(bad_dir, tmp_path, case):
    previous = tmp_path / "Scorecard.xlsx"
    previous.write_bytes(b"last month's scorecard")

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"PK a new scorecard would start here")
        read_workbook(bad_dir / case.file, today=TODAY)  # raises: the input has problems

    with pytest.raises(InputError):
        atomic_write(previous, write, keep=3)
    assert previous.read_bytes() == b"last month's scorecard"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Scorecard.xlsx"]


def test_cli_exit_codes_and_previous_output(bad_dir, tmp_path):
    """End to end through ``kpi-xl build`` (the lead's CLI): exit 1 leaves the old file."""
    from kpi_xl.cli import main

    first = tmp_path / "first.xlsx"
    assert main(["build", str(bad_dir / "valid_base.xlsx"), "-o", str(first), "-q"]) == EXIT_OK
    previous = first.read_bytes()
    for case in CASES:
        out = tmp_path / f"{case.name}.scorecard.xlsx"
        out.write_bytes(previous)
        code = main(["build", str(bad_dir / case.file), "-o", str(out), "-q"])
        assert code == case.exit_code, case.file
        if code == EXIT_INPUT:
            assert out.read_bytes() == previous, case.file
        else:
            assert zipfile.is_zipfile(out), case.file
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith((".~", "~$")) or p.suffix == ".lock"]
    assert leftovers == []


def test_expected_json_lists_the_workbooks_written(bad_dir):
    """expected.json (for people and other tools) lists exactly the workbooks on disk, and
    says for each case with an error that it stops the build (exit code 1)."""
    saved = json.loads((bad_dir / "expected.json").read_text(encoding="utf-8"))
    assert saved["today"] == TODAY.isoformat()
    listed = {c["file"] for c in saved["cases"]}
    on_disk = {p.name for p in bad_dir.iterdir() if p.suffix == ".xlsx"} - {"valid_base.xlsx"}
    assert listed == on_disk
    assert all(c["exit_code"] == EXIT_INPUT for c in saved["cases"] if c["errors"])


def test_base_workbook_is_valid(bad_dir):
    assert validate_workbook(bad_dir / "valid_base.xlsx", today=TODAY) == []


# -- how the faults are stored -----------------------------------------------------

def test_error_cells_are_stored_as_excel_errors(bad_dir):
    xml = zipfile.ZipFile(bad_dir / "error_cells_data.xlsx").read("xl/worksheets/sheet2.xml").decode()
    assert '<c r="C4" t="e"><v>#DIV/0!</v></c>' in xml
    assert '<c r="C12" t="e"><v>#REF!</v></c>' in xml
    cell = openpyxl.load_workbook(bad_dir / "error_cells_data.xlsx", data_only=True)["Data"]["C4"]
    assert (cell.value, cell.data_type) == ("#DIV/0!", "e")


def test_zip_bomb_is_small_on_disk_and_refused_before_parsing(bad_dir):
    path = bad_dir / "zip_bomb.xlsx"
    assert path.stat().st_size < 2 * 2**20
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > corpus.BOMB_MB * 2**20
    started = time.perf_counter()
    problems = validate_workbook(path, today=TODAY)
    assert time.perf_counter() - started < 1.0  # refused from the zip directory, nothing inflated
    assert "refused as unsafe" in problems[0].message


def test_entity_bomb_refused_by_defusedxml_too(bad_dir, monkeypatch):
    """Without our DOCTYPE pre-scan, the streaming reader's parser still refuses it (expat
    with a handler that raises on any DOCTYPE or entity declaration, as defusedxml did for
    openpyxl), and the message stays clear."""
    monkeypatch.setattr(grid_module, "_DTD_MARKS", ())
    problems = validate_workbook(bad_dir / "entity_bomb.xlsx", today=TODAY)
    assert [(p.where, p.message) for p in problems] == [
        ("entity_bomb.xlsx", "contains XML entity definitions and was refused as unsafe.")]
    assert problems[0].fix


def test_a_workbook_named_xls_is_read_by_content(bad_dir, tmp_path):
    renamed = tmp_path / "raw figures.xls"
    renamed.write_bytes((bad_dir / "valid_base.xlsx").read_bytes())
    assert validate_workbook(renamed, today=TODAY) == []


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "raw.xlsx"
    empty.write_bytes(b"")
    [problem] = validate_workbook(empty, today=TODAY)
    assert problem.where == "raw.xlsx" and "empty file" in problem.message and problem.fix


# -- hostile text ------------------------------------------------------------------

HOSTILE = {
    "titles": ['=HYPERLINK("http://example.invalid","Click")', "+44 children in need", "-Average days to adoption"],
    "why": "@SUM(A1:A9)",
    "what": "=cmd|' /C calc'!A0",
}


def test_formula_like_text_is_read_as_plain_text(bad_dir):
    raw = read_workbook(bad_dir / "hostile_text.xlsx", today=TODAY)
    assert [i.title for i in raw.indicators] == HOSTILE["titles"]
    [note] = raw.commentary
    assert (note.why, note.what, note.when) == (HOSTILE["why"], HOSTILE["what"], "-")
    assert raw.problems == []


def test_formula_like_text_is_written_as_text(bad_dir, tmp_path):
    """The writer is the lead's: this checks its output keeps the text as text, never a formula."""
    from kpi_xl.cli import main

    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(bad_dir / "hostile_text.xlsx"), "-o", str(out), "-q"]) == 0
    wanted = set(HOSTILE["titles"]) | {HOSTILE["why"], HOSTILE["what"]}
    found = {}
    for ws in openpyxl.load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in wanted:
                    found.setdefault(cell.value, set()).add(cell.data_type)
                assert not (cell.data_type == "f" and any(h.lstrip("=+-@")[:8] in str(cell.value)
                                                          for h in wanted)), cell.coordinate
    assert set(found) == wanted
    assert all(types == {"s"} for types in found.values()), found


# -- workbooks that claim to be huge ----------------------------------------------------

@pytest.mark.parametrize("name", ["styled_last_cell.xlsx", "merged_to_last_cell.xlsx", "merged_data_to_last_cell.xlsx"])
def test_memory_follows_the_cells_with_values_not_the_claimed_size(bad_dir, name):
    """A formatted cell at XFD1048576, or a merge to it, once made the reader allocate 7 GB."""
    import tracemalloc

    tracemalloc.start()
    try:
        validate_workbook(bad_dir / name, today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MB"


def test_a_sparse_far_right_value_costs_one_entry(tmp_path):
    wb = corpus.base_workbook()
    for r in range(2, 26):
        wb["Data"].cell(r, 16_384).value = "stray"
    wb.save(tmp_path / "stray.xlsx")
    grids = grid_module.grids_from_file(tmp_path / "stray.xlsx")
    row = grids["Data"].rows[1]
    assert isinstance(row, grid_module.SparseRow) and len(row) == 16_384
    assert (row[0], row[2], row[16_383], row[-1], row[100]) == ("CP1", 0.82, "stray", "stray", None)
    assert list(row[:3]) == ["CP1", "Apr-25", 0.82]


def test_problems_are_capped_with_a_count(tmp_path, capsys):
    """50,000 bad rows: the first 200 are listed, then one line counting the rest."""
    from kpi_xl.cli import main
    from kpi_xl.read.reader import MAX_PROBLEMS

    wb = corpus.base_workbook()
    corpus.many_bad_rows(wb)
    path = tmp_path / "many.xlsx"
    wb.save(path)
    problems = validate_workbook(path, today=TODAY)
    assert len(problems) == MAX_PROBLEMS + 1
    assert all(p.where.startswith("Data!B") for p in problems[:-1])
    more = problems[-1]
    assert (more.where, more.severity, more.count) == ("many.xlsx", "error", corpus.BAD_ROWS - MAX_PROBLEMS)
    assert more.message == f"... and {corpus.BAD_ROWS - MAX_PROBLEMS:,} more errors like these, not listed."
    with pytest.raises(InputError) as info:
        read_workbook(path, today=TODAY)
    lines = str(info.value).splitlines()
    assert lines[0] == f"many.xlsx: {corpus.BAD_ROWS:,} problems to fix:"
    assert len(lines) == MAX_PROBLEMS + 2 and "49,800 more errors" in lines[-1]
    assert main(["validate", str(path)]) == EXIT_INPUT
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == MAX_PROBLEMS + 1
    assert f"{corpus.BAD_ROWS} error(s)" in err


def test_every_uncalculated_figure_says_open_and_save_in_excel(bad_dir):
    [problem] = validate_workbook(bad_dir / "all_uncalculated.xlsx", today=TODAY)
    assert problem.fix == "Open and save the workbook in Excel so its formulas are calculated, then run again."


def test_a_formula_giving_empty_text_is_not_uncalculated(tmp_path):
    """``=IF(..., "", ...)`` saved by Excel caches an empty string (t="str"): a blank, not a fault."""
    path = tmp_path / "blank.xlsx"
    corpus._rewrite(path, corpus.DATA_PART, corpus._set_value_xml("C5", '<f>""</f><v></v>', ' t="str"'))
    grids = grid_module.grids_from_file(path)
    assert grids["Data"].uncalculated == set()
