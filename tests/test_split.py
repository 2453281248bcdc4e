"""kpi-xl build RAW.xlsx -o DIR/ --split: one scorecard per team, and the comparison workbook."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kpi_xl import api
from kpi_xl.cli import main
from kpi_xl.layout.templates import load_workbook_template
from kpi_xl.run.split import safe_file_name

from make_split_workbook import one_value_workbook, write_split_workbook


@pytest.fixture()
def teams(tmp_path):
    path = tmp_path / "teams.xlsx"
    write_split_workbook(path)
    return path


def comparison_cells(path):
    ws = openpyxl.load_workbook(path)["Comparison"]
    header = next(r for r in ws.iter_rows() if r[0].value == "ID")
    cols = {c.value: c.column for c in header if c.value}
    rows = {ws.cell(r, 1).value: r for r in range(header[0].row + 1, ws.max_row + 1) if ws.cell(r, 1).value}
    return ws, cols, rows


def test_three_teams_give_three_scorecards_a_total_and_a_comparison(teams, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(teams), "-o", str(out), "--split", "-q"]) == 0
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["Comparison by Team.xlsx", "East.xlsx", "North.xlsx",
                                                          "South.xlsx", "Total.xlsx"]
    for team in ("North", "South", "East"):
        first = openpyxl.load_workbook(out / f"{team}.xlsx", read_only=True).worksheets[0]
        assert next(first.values)[0] == f"Children's social care: {team}"
    ws, cols, rows = comparison_cells(out / "Comparison by Team.xlsx")
    assert [c for c in cols if c not in ("ID", "Indicator", "Target")] == ["North", "South", "East", "Total"]
    assert cols["Total"] == cols["East"] + 2, "the whole service's column is set apart"
    colours = load_workbook_template(None, "", teams.parent, teams.name).colours
    fills = {"Green": colours["green"], "Amber": colours["amber"], "Red": colours["red"], "Grey": colours["grey"]}
    reds = {}
    for team in ("North", "South", "East", "Total"):
        own = api.evaluate_file(one_value_workbook(teams, team, tmp_path / f"{team} alone.xlsx"))
        assert own.period.iso() == "2020-01"
        for res in own.results:
            cell = ws.cell(rows[res.indicator.id], cols[team])
            assert cell.value == pytest.approx(res.rated_value), (team, res.indicator.id)
            word = res.rag.rating.value
            # the RAG word, then the SPC variation where the team has enough months for it
            assert f'"  {word}' in cell.number_format, (team, res.indicator.id, cell.number_format)
            assert cell.fill.fgColor.rgb[-6:] == fills[word].lstrip("#").upper(), (team, res.indicator.id)
        reds[team] = own.counts()["Red"]
    assert max(reds, key=reds.get) == "East" and reds["East"] > reds["North"]
    label_rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    for team, n in reds.items():
        assert ws.cell(label_rows["Indicators rated Red"], cols[team]).value == n


def test_split_by_a_column_data_lacks_names_the_report_cell(teams, tmp_path, capsys):
    book = openpyxl.load_workbook(teams)
    book["Report"]["B4"] = "Locality"
    book.save(teams)
    assert main(["build", str(teams), "-o", str(tmp_path / "out"), "--split"]) == 1
    err = capsys.readouterr().err
    assert "Report!B4: Split by 'Locality' is not a column of the Data sheet" in err


def test_a_figure_with_no_team_names_its_data_cell(teams, tmp_path, capsys):
    book = openpyxl.load_workbook(teams)
    book["Data"]["B7"] = None
    book.save(teams)
    assert main(["build", str(teams), "-o", str(tmp_path / "out"), "--split"]) == 1
    assert "Data!B7: this figure has no Team." in capsys.readouterr().err
    assert not (tmp_path / "out" / "North.xlsx").exists()


def test_building_a_split_workbook_as_one_scorecard_says_how(teams, tmp_path, capsys):
    assert main(["build", str(teams), "-o", str(tmp_path / "all.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Report!B4: this workbook is split by Team (4 values on Data)" in err and "--split" in err
    assert "second figure" not in err


def test_any_sheet_with_the_column_is_split_row_by_row(teams, tmp_path):
    book = openpyxl.load_workbook(teams)
    notes = book["Commentary"]
    notes["F1"] = "Team"
    notes.append(["Front door", None, "East's duty desk was short-staffed.", "Cover from North.", "February", "East"])
    book.save(teams)
    out = tmp_path / "out"
    assert main(["build", str(teams), "-o", str(out), "--split", "-q"]) == 0

    def text(team):
        book = openpyxl.load_workbook(out / f"{team}.xlsx", read_only=True)
        return " ".join(str(v) for ws in book.worksheets for row in ws.values for v in row if v)

    assert "short-staffed" in text("East") and "short-staffed" not in text("North")
    assert "Two social workers left" in text("North") and "Two social workers left" in text("East")  # shared row


def test_same_inputs_same_bytes(teams, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["build", str(teams), "-o", str(first), "--split", "-q"]) == 0
    assert main(["build", str(teams), "-o", str(second), "--split", "-q"]) == 0
    for path in first.glob("*.xlsx"):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_file_names_from_values_are_safe_and_unique():
    taken = set()
    assert safe_file_name("North / West", taken) == "North - West"
    assert safe_file_name("north - west", taken) == "north - west (2)"
    assert safe_file_name("CON", taken) == "CON (team)"
    assert safe_file_name(' "..." ', taken) == "blank"
    assert safe_file_name("Team\x07 A?", taken) == "Team A"


def test_a_team_that_cannot_be_built_is_named_in_the_comparison(teams, tmp_path, capsys):
    book = openpyxl.load_workbook(teams)
    data = book["Data"]
    row = next(r for r in range(2, data.max_row + 1) if data.cell(r, 2).value == "South")
    data.cell(row, 3).value = "Smarch 2019"
    book.save(teams)
    out = tmp_path / "out"
    assert main(["build", str(teams), "-o", str(out), "--split", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"failed: Team South: Data!C{row}: period 'Smarch 2019'" in err
    assert not (out / "South.xlsx").exists() and (out / "East.xlsx").is_file()
    ws, cols, _ = comparison_cells(out / "Comparison by Team.xlsx")
    assert "South" not in cols
    assert f"Not in this comparison (no scorecard could be built): South (Data!C{row}: period 'Smarch 2019'" in \
        ws["A4"].value


def test_a_comparison_cell_names_the_spc_variation_where_there_is_one():
    from types import SimpleNamespace  # noqa: PLC0415

    from kpi_xl.api import evaluate_file  # noqa: PLC0415
    from kpi_xl.layout.comparison import spc_text  # noqa: PLC0415
    from kpi_xl.rate.spc_series import variation_words  # noqa: PLC0415

    sample = Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    results = evaluate_file(sample).results
    judged = [r for r in results if r.spc and r.spc.variation]
    assert judged and all(spc_text(r).endswith(variation_words(r.spc)) for r in judged)
    assert {spc_text(r) for r in judged} >= {"\u25b2 Improving (high)", "\u2248 Common cause"}
    assert all(spc_text(r) == "" for r in results if not (r.spc and r.spc.variation))
    assert spc_text(SimpleNamespace()) == ""  # a result read back without SPC
