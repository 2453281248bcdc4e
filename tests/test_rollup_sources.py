"""kpi-xl rollup corporate.xlsx: the directorates listed on a workbook's Sources sheet (and
the settings on its Report sheet) instead of a TOML config, built the same way."""
from __future__ import annotations

import shutil

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.layout.templates import available_templates
from kpi_xl.read.grid import Grid
from kpi_xl.read.sheets.sources import Source, read_rollup_settings, read_sources

from make_split_workbook import one_value_workbook, write_split_workbook

SOURCES = [("Children's services", "children/children.xlsx", "children/children scorecard.xlsx"),
           ("Adult social care", "adults/adults.xlsx", None),
           ("Housing", "housing/housing.xlsx", None)]  # Housing has no raw workbook yet

TOML = """\
title = "Corporate plan scorecard"
organisation = "Anytown Council"
template = "kpi-scorecard"

[[directorate]]
name = "Children's services"
raw = "children/children.xlsx"
scorecard = "children/children scorecard.xlsx"

[[directorate]]
name = "Adult social care"
raw = "adults/adults.xlsx"

[[directorate]]
name = "Housing"
raw = "housing/housing.xlsx"
"""


@pytest.fixture()
def council(tmp_path):
    """Two directorates' raw workbooks in their own folders, and a corporate workbook made by
    kpi-xl init --rollup with its Sources rows typed in."""
    teams = tmp_path / "teams.xlsx"
    write_split_workbook(teams)
    for folder, value, prefix, name in (("children", "Total", "CSC", "Children's services"),
                                        ("adults", "East", "ASC", "Adult social care")):
        (tmp_path / folder).mkdir()
        one_value_workbook(teams, value, tmp_path / folder / f"{folder}.xlsx", prefix, name)
    corporate = tmp_path / "corporate.xlsx"
    assert main(["init", "--rollup", str(corporate)]) == 0
    book = openpyxl.load_workbook(corporate)
    report = book["Report"]
    assert [report.cell(r, 1).value for r in range(2, 8)] == ["Title", "Organisation", "Period", "Template",
                                                             "Output", "Keep"]
    report["B3"] = "Anytown Council"
    sources = book["Sources"]
    assert [c.value for c in sources[1]] == ["Directorate", "Raw workbook", "Scorecard"]
    for r, row in enumerate(SOURCES, 2):
        for c, value in enumerate(row, 1):
            sources.cell(r, c, value)
    book.save(corporate)
    return tmp_path


def edit(path, sheet, **cells):
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def test_two_directorates_with_one_missing_named_by_its_cell(council, capsys, monkeypatch):
    monkeypatch.chdir(council / "children")  # paths are the workbook's folder's, not the current folder's
    assert main(["rollup", str(council / "corporate.xlsx")]) == 1  # Housing is missing; the others written
    err = capsys.readouterr().err
    assert ("missing: Housing: housing.xlsx: no such file in " f"{council / 'housing'}; check the path in "
            "Sources!B4 of corporate.xlsx") in err
    assert ("corporate.xlsx: Sources!C2: the scorecard of Children's services, children scorecard.xlsx: no such file"
            in err)  # its commentary comes from its raw workbook, and the person is told why
    out = council / "Corporate scorecard.xlsx"  # the Report sheet's Output, beside the workbook
    book = openpyxl.load_workbook(out, read_only=True)
    cells = [str(v) for r in book["KPI table"].iter_rows(values_only=True) for v in r if v]
    assert {"CHILDREN'S SERVICES", "ADULT SOCIAL CARE"} <= {c.upper() for c in cells}
    assert any(c.startswith("CSC ") for c in cells) and any(c.startswith("ASC ") for c in cells)
    assert any("Not in this report: Housing (housing.xlsx: no such file" in c for c in cells)
    assert book.properties.description == ("Produced by kpi_xl from the corporate plan indicators of Children's "
                                           "services, Adult social care with the kpi-scorecard template.")


def test_same_bytes_as_the_same_directorates_in_a_toml_config(council):
    (council / "corporate.toml").write_text(TOML, encoding="utf-8")
    from_toml, from_sheet = council / "from toml.xlsx", council / "from sheet.xlsx"
    assert main(["rollup", str(council / "corporate.toml"), "-o", str(from_toml)]) == 1
    assert main(["rollup", str(council / "corporate.xlsx"), "-o", str(from_sheet)]) == 1
    assert from_toml.read_bytes() == from_sheet.read_bytes()


def test_bad_cells_are_named_with_what_to_type(council, capsys):
    corporate = council / "corporate.xlsx"
    edit(corporate, "Sources", B3=None, A4="children's Services", C2="#REF!")
    edit(corporate, "Report", B4="Smarch 2020", B5="corporate.toml", A8="Months shown", B8=12)
    assert main(["rollup", str(corporate), "-o", str(council / "c.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "corporate.xlsx: 5 problems to fix:" in err
    assert f"Report!B5: Template 'corporate.toml' is not in {council.resolve()}." in err
    assert "Sources!C2: shows the error #REF!. Fix the formula, or type the scorecard's path itself." in err
    assert "Sources!B3: Adult social care has no raw workbook. Type the path of its raw workbook" in err
    assert "Sources!A4: 'children's Services' is named twice (also on row 2)." in err
    assert "Report!B4: Period 'Smarch 2020' is not a month kpi_xl can read." in err
    assert not (council / "c.xlsx").exists()


def test_a_workbook_without_a_sources_sheet_says_how_to_make_one(council, capsys):
    raw = council / "adults" / "adults.xlsx"
    assert main(["rollup", str(raw), "-o", str(council / "c.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "adults.xlsx: has no 'Sources' sheet (found: Report, Indicators, Data, Commentary)." in err
    assert "kpi-xl init --rollup adults.xlsx writes a starting point" in err
    assert main(["rollup", str(council / "nowhere.xlsx")]) == 2
    assert "kpi-xl init --rollup nowhere.xlsx" in capsys.readouterr().err


def test_windows_and_quoted_paths_are_read_on_any_system(council):
    corporate = council / "corporate.xlsx"
    edit(corporate, "Sources", B2='"children\\children.xlsx"', C2=None, B4=None, A4=None)
    assert main(["rollup", str(corporate), "-o", str(council / "c.xlsx")]) == 0


def test_a_template_file_beside_the_workbook_is_used(council):
    corporate = council / "corporate.xlsx"
    shutil.copy(available_templates()["monthly-monitoring"], council / "corporate template.toml")
    edit(corporate, "Report", B5="corporate template.toml")
    edit(corporate, "Sources", B4=None, A4=None)
    assert main(["rollup", str(corporate), "-o", str(council / "c.xlsx")]) == 0
    book = openpyxl.load_workbook(council / "c.xlsx", read_only=True)
    assert "with the monthly-monitoring template" in book.properties.description  # not the default


def test_the_roll_up_never_writes_over_its_own_list(council, capsys):
    corporate = council / "corporate.xlsx"
    before = corporate.read_bytes()
    assert main(["rollup", str(corporate), "-o", str(corporate)]) == 1
    assert "that is the roll-up's list of directorates" in capsys.readouterr().err
    assert corporate.read_bytes() == before


def test_the_sources_sheet_is_read_alone_from_its_grid():
    grid = Grid("Sources", [["Corporate plan sources"], [],
                            ["Directorate", "Raw workbook", "Scorecard"],
                            ["Children's services", "children/raw.xlsx", None],
                            [None, "adults/raw.xlsx", None],
                            ["Housing", None, "housing/card.xlsx"]])
    found, check = read_sources(grid)
    assert found == [Source("Children's services", "children/raw.xlsx", "", "Sources!B4", "Sources!C4")]
    assert [(p.where, p.message) for p in check.problems] == [
        ("Sources!A5", "has no directorate name."), ("Sources!B6", "Housing has no raw workbook.")]
    _, check = read_sources(Grid("Sources", [["Name", "Path"], ["Housing", "h.xlsx"]]))
    assert check.problems[0].where == "Sources!A1:B1" and "has no 'Raw workbook' column" in check.problems[0].message
    settings, check = read_rollup_settings(Grid("Report", [["Setting", "Value"], ["Keep", 2.5], ["Output", "x.xlsx"]]))
    assert settings == {"output": "x.xlsx", "output_where": "Report!B3"}
    assert check.problems[0].where == "Report!B2" and "not a whole number" in check.problems[0].message


def test_a_toml_period_that_is_not_a_month_is_named(council, capsys):
    (council / "corporate.toml").write_text('period = "Smarch"\n' + TOML, encoding="utf-8")
    assert main(["rollup", str(council / "corporate.toml"), "-o", str(council / "c.xlsx")]) == 1
    assert "corporate.toml: period: 'Smarch' is not a month." in capsys.readouterr().err
