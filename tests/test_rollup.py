"""kpi-xl rollup: one corporate scorecard from the directorates' corporate plan indicators."""
from __future__ import annotations

import openpyxl
import pytest

from kpi_xl import api
from kpi_xl.cli import main
from kpi_xl.layout.cells import note_name

from make_split_workbook import one_value_workbook, write_split_workbook

CONFIG = """\
title = "Corporate plan scorecard"
organisation = "Anytown Council"
template = "kpi-scorecard"

[[directorate]]
name = "Children's services"
raw = "children.xlsx"
scorecard = "children scorecard.xlsx"

[[directorate]]
name = "Adult social care"
raw = "adults.xlsx"

[[directorate]]
name = "Housing"
raw = "housing.xlsx"
"""


@pytest.fixture()
def directorates(tmp_path):
    teams = tmp_path / "teams.xlsx"
    write_split_workbook(teams)
    one_value_workbook(teams, "Total", tmp_path / "children.xlsx", "CSC", "Children's services")
    one_value_workbook(teams, "East", tmp_path / "adults.xlsx", "ASC", "Adult social care")
    (tmp_path / "corporate.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def rows_of(path, sheet):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return [list(r) for r in book[sheet].iter_rows(values_only=True)]


def test_two_directorates_with_one_missing(directorates, capsys):
    children_card = directorates / "children scorecard.xlsx"
    assert main(["build", str(directorates / "children.xlsx"), "-o", str(children_card), "-q"]) == 0
    book = openpyxl.load_workbook(children_card)
    sheet, ref = next(iter(book.defined_names[note_name(("section", "child protection"), "why")].destinations))
    book[sheet][ref.replace("$", "")] = "Visits slipped over Christmas; a duty rota now covers the holidays."
    book.save(children_card)

    out = directorates / "corporate.xlsx"
    assert main(["rollup", str(directorates / "corporate.toml"), "-o", str(out)]) == 1  # Housing is missing
    err = capsys.readouterr().err
    assert "missing: Housing: housing.xlsx: no such file" in err

    table = rows_of(out, "KPI table")
    ids = [r[0] for r in table if r and isinstance(r[0], str)]
    section_rows = {r[0]: i for i, r in enumerate(table) if r and r[0] in ("CHILDREN'S SERVICES", "ADULT SOCIAL CARE",
                                                                           "Children's services", "Adult social care")}
    assert len(section_rows) == 2
    # every corporate plan indicator of each readable directorate, none of the others
    for prefix, raw in (("CSC", "children.xlsx"), ("ASC", "adults.xlsx")):
        own = api.evaluate_file(directorates / raw)
        corporate = [r for r in own.results if r.indicator.corporate_plan]
        assert corporate and all(r.indicator.id in ids for r in corporate)
        assert not any(r.indicator.id in ids for r in own.results if not r.indicator.corporate_plan)
        # under its directorate's heading, with the same rating as the directorate's own scorecard
        heading = next(i for name, i in section_rows.items() if name.lower().startswith(prefix[0].lower()))
        for res in corporate:
            row = next(i for i, r in enumerate(table) if r and r[0] == res.indicator.id)
            assert row > heading and res.rag.rating.value in table[row]
    assert "Not in this report: Housing (housing.xlsx: no such file" in " ".join(
        str(v) for r in table for v in r if v)
    commentary = " ".join(str(v) for r in rows_of(out, "Service commentary") for v in r if v)
    assert "Child protection: Visits slipped over Christmas" in commentary  # typed into the directorate's scorecard
    assert "Assessment: Two social workers left in the autumn." in commentary  # from its raw Commentary sheet


def test_a_problem_in_one_source_names_file_sheet_and_cell(directorates, capsys):
    book = openpyxl.load_workbook(directorates / "adults.xlsx")
    book["Data"]["C5"] = "lots"
    book["Data"]["B6"] = "Smarch 2019"
    book.save(directorates / "adults.xlsx")
    out = directorates / "corporate.xlsx"
    assert main(["rollup", str(directorates / "corporate.toml"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "missing: Adult social care: adults.xlsx: Data!B6: period 'Smarch 2019'" in err
    assert out.is_file()  # Children's services is still reported


def test_no_directorate_readable_writes_nothing(directorates, capsys):
    (directorates / "children.xlsx").unlink()
    (directorates / "adults.xlsx").unlink()
    out = directorates / "corporate.xlsx"
    assert main(["rollup", str(directorates / "corporate.toml"), "-o", str(out)]) == 1
    assert "no directorate could be read" in capsys.readouterr().err
    assert not out.exists()


def test_the_output_may_not_be_a_source(directorates, capsys):
    before = (directorates / "adults.xlsx").read_bytes()
    assert main(["rollup", str(directorates / "corporate.toml"), "-o", str(directorates / "adults.xlsx")]) == 1
    assert "the raw workbook of Adult social care" in capsys.readouterr().err
    assert (directorates / "adults.xlsx").read_bytes() == before


def test_config_errors_name_the_key(directorates, capsys):
    bad = directorates / "bad.toml"
    bad.write_text('title = "x"\ncolour = "red"\n[[directorate]]\nraw = "a.xlsx"\n', encoding="utf-8")
    assert main(["rollup", str(bad), "-o", str(directorates / "c.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "bad.toml: colour: is not a setting" in err and "directorate[1].name: is missing" in err
    assert main(["rollup", "--example"]) == 0


def test_same_inputs_same_bytes(directorates):
    first, second = directorates / "first.xlsx", directorates / "second.xlsx"
    assert main(["rollup", str(directorates / "corporate.toml"), "-o", str(first)]) == 1
    assert main(["rollup", str(directorates / "corporate.toml"), "-o", str(second)]) == 1
    assert first.read_bytes() == second.read_bytes()
