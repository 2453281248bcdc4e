"""End to end: raw workbook -> kpi-xl build -> scorecard opened with openpyxl."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.run.starter import write_starter_workbook


@pytest.fixture()
def raw(tmp_path):
    path = tmp_path / "raw.xlsx"
    write_starter_workbook(path)
    book = openpyxl.load_workbook(path)
    data = book["Data"]
    # December figures so there is a change to show, and a hostile commentary line
    for row in (["CP 12", dt.date(2019, 12, 1), 0.90, 180, 200, None],
                ["CP 1", dt.date(2019, 12, 1), 360, None, None, None],
                ["W 1", dt.date(2019, 12, 1), 16.6, None, None, None]):
        data.append(row)
    book["Commentary"].append(["Workforce", None, "=HYPERLINK(\"http://evil\")", "+1 more hires", "@once"])
    book["Commentary"]["C3"].data_type = "s"  # typed as text (Excel: a leading apostrophe)
    book.save(path)
    return path


def test_build_writes_rated_scorecard(raw, tmp_path, capsys):
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(out), "--template", "kpi-scorecard"]) == 0
    book = openpyxl.load_workbook(out)
    ws = book["KPI table"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    header = [c.value for c in ws[rows["ID"]]]
    assert header[:11] == ["ID", "Indicator", "Dec-19", "Jan-20", "Target", "Change", "Direction of travel",
                           "RAG", "Variation (SPC)", "Assurance (SPC)", "Last 12 months"]  # SPC columns: issue 12
    r = rows["CP 12"]
    assert ws.cell(r, 3).value == pytest.approx(0.90) and ws.cell(r, 4).value == pytest.approx(0.99)
    assert ws.cell(r, 4).number_format == "0%"
    assert ws.cell(r, 5).value == pytest.approx(0.95)
    assert ws.cell(r, 6).value == "Up 9pp"
    assert ws.cell(r, 7).value == "\u2191 better"
    # the RAG cell is a live formula over this month's value and the target, with the result cached
    assert ws.cell(r, 8).value.startswith("=IF(NOT(ISNUMBER(E")
    assert "ROUND(D" in ws.cell(r, 8).value
    cached = openpyxl.load_workbook(out, data_only=True)["KPI table"]
    assert cached.cell(r, 8).value == "Green"
    assert cached.cell(rows["W 1"], 8).value == "Green"
    assert cached.cell(rows["CP 1"], 8).value == "Grey"
    assert ws.cell(rows["W 1"], 6).value == "Down 2.2"
    assert ws.cell(rows["W 1"], 7).value == "\u2193 better"
    # conditional formats keyed on the RAG word over the whole RAG column of the table
    rules = {(str(rng.sqref), rule.formula[0]) for rng, rs in ws.conditional_formatting._cf_rules.items()
             for rule in rs}
    first, last = rows["ID"] + 1, max(rows[k] for k in ("CP 12", "CP 1", "W 1"))
    for word in ("Green", "Amber", "Red", "Grey", "No data"):
        assert (f"H{first}:H{last}", f'$H{first}="{word}"') in rules
    assert "KPI_table" in book.defined_names
    assert book.properties.title.endswith("January 2020")


def test_hostile_text_is_written_as_text(raw, tmp_path):
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(out), "-q"]) == 0
    ws = openpyxl.load_workbook(out)["Service commentary"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("http://evil")' in texts and "+1 more hires" in texts and "@once" in texts
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == '=HYPERLINK("http://evil")':
                assert cell.data_type == "s"


def test_evaluate_json_and_csv(raw, capsys):
    assert main(["evaluate", str(raw), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2020-01"
    row = {r["id"]: r for r in data["indicators"]}["CP 12"]
    assert (row["value"], row["previous"], row["change"], row["rag"], row["target"]) == ("99%", "90%", "Up 9pp",
                                                                                     "Green", "95%")
    assert main(["evaluate", str(raw)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,section,indicator,period,value,previous,change")
    assert len(lines) == 4


def test_period_option_and_bad_period(raw, tmp_path, capsys):
    assert main(["evaluate", str(raw), "--period", "Dec-19", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"] == "2019-12"
    assert main(["build", str(raw), "-o", str(tmp_path / "x.xlsx"), "--period", "Smarch"]) == 1
    assert "--period: 'Smarch' is not a month" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_validate_exit_codes(raw, tmp_path, capsys):
    assert main(["validate", str(raw)]) == 0
    book = openpyxl.load_workbook(raw)
    book["Indicators"]["E2"] = "Higher-ish"
    book.save(raw)
    assert main(["validate", str(raw)]) == 1
    out = capsys.readouterr().out
    assert "Indicators!E2: Polarity 'Higher-ish' is not recognised. Type one of: High, Low, Target, None." in out
    assert main(["validate", str(tmp_path / "missing.xlsx")]) == 2


def test_failed_build_leaves_previous_output(raw, tmp_path):
    out = tmp_path / "scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    book = openpyxl.load_workbook(raw)
    book["Data"]["A2"] = "NOPE 1"
    book.save(raw)
    assert main(["build", str(raw), "-o", str(out), "-q"]) == 1
    assert out.read_bytes() == before


def test_same_input_same_bytes(raw, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["build", str(raw), "-o", str(a), "-q"]) == 0
    assert main(["build", str(raw), "-o", str(b), "-q"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_init_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "new.xlsx"
    assert main(["init", str(path)]) == 0
    assert main(["init", str(path)]) == 2
    assert "never overwrites" in capsys.readouterr().err
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Indicators", "Data", "Commentary", "Report", "Targets", "Benchmarks"]  # issue 13
    assert book["Indicators"]["A1"].comment is not None


def test_command_is_installed(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kpi_xl.cli", "templates"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "kpi-scorecard" in result.stdout and "monthly-monitoring" in result.stdout


def test_restated_figures_are_marked(raw, tmp_path, capsys):
    last_month = tmp_path / "last.xlsx"
    assert main(["build", str(raw), "-o", str(last_month), "-q"]) == 0
    book = openpyxl.load_workbook(raw)
    data = book["Data"]
    for row in data.iter_rows(min_row=2):
        if row[0].value == "CP 12" and row[1].value.month == 12:
            row[2].value, row[3].value = 0.93, 186  # December's figure updated since last month
    book.save(raw)
    out = tmp_path / "now.xlsx"
    assert main(["build", str(raw), "-o", str(out), "--previous", str(last_month)]) == 0
    assert "1 restated figure(s)" in capsys.readouterr().err
    ws = openpyxl.load_workbook(out)["KPI table"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    dec = ws.cell(rows["CP 12"], 3)
    assert dec.value == pytest.approx(0.93) and dec.number_format.startswith('"\u2020"')
    assert dec.fill.fgColor.rgb.endswith("FFF2CC")
    assert ws.cell(rows["CP 1"], 3).number_format == "#,##0"  # unchanged figures are not marked
    overview = [c.value for row in openpyxl.load_workbook(out)["Overview of performance"].iter_rows() for c in row]
    assert "CP 12 Dec-19: now 93%, previously 90%" in overview


def test_evaluation_as_a_dataframe(raw):
    from kpi_xl.api import evaluate_file, to_dataframe

    frame = to_dataframe(evaluate_file(raw))
    assert list(frame.index) == ["CP 12", "CP 1", "W 1"]
    assert frame.loc["CP 12", "rag"] == "Green" and frame.loc["CP 12", "value_number"] == pytest.approx(0.99)
    assert frame.loc["W 1", "change_number"] == pytest.approx(-2.2)
