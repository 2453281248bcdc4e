"""Templates: readable TOML, checked when loaded, errors naming the file, key and allowed values."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.errors import InputError
from kpi_xl.templates import available_templates, load_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"


def test_bundled_templates_load():
    assert set(available_templates()) == {"kpi-scorecard", "monthly-monitoring"}
    kpi = load_template("kpi-scorecard")
    assert [s.kind for s in kpi.sheets] == ["overview", "kpi_table", "trends", "commentary", "key", "chart_data"]
    assert kpi.sheet("kpi_table").columns == ("id", "indicator", "previous", "this_month", "target", "change",
                                              "arrow", "rag", "trend")
    mm = load_template("monthly-monitoring")
    assert mm.sheet("sections").columns == ("indicator", "prior_year", "months", "ytd", "target", "rag", "arrow")


@pytest.mark.parametrize("change,where,allowed", [
    (('kind = "kpi_table"', 'kind = "kpi_tabel"'), "sheets[2].kind", "overview, kpi_table, front_page"),
    (('"change", "arrow"', '"change", "arow"'), "sheets[2].columns", "Use any of: id, indicator"),
    (('orientation = "landscape"', 'orientation = "sideways"'), "report.orientation", "landscape, portrait"),
    (('green = "#00B050"', 'green = "verdant"'), "colours.green", "#RRGGBB"),
    (('months = 6', 'monthz = 6'), "report.monthz", "Allowed: title, months"),
    (('paper = "A4"', 'paper = "A5"'), "report.paper", "A4, A3, Letter"),
])
def test_bad_template_entries_fail_at_load(tmp_path, change, where, allowed):
    path = tmp_path / "mine.toml"
    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_template(str(path))
    (problem,) = info.value.problems
    assert problem.where == f"{path}: {where}"
    assert allowed in problem.fix


def test_a_copied_and_edited_template_is_used(tmp_path):
    mine = tmp_path / "ours.toml"
    shutil.copyfile(ROOT / "templates" / "kpi-scorecard.toml", mine)
    text = mine.read_text(encoding="utf-8")
    text = text.replace('name = "KPI table"', 'name = "Scorecard"').replace('green = "#00B050"', 'green = "#2E7D32"')
    text = text.replace('columns = ["id", "indicator", "previous", "this_month", "target", "change", "arrow", "rag", '
                        '"trend"]', 'columns = ["id", "indicator", "this_month", "ytd", "target", "rag"]')
    mine.write_text(text, encoding="utf-8")
    out = tmp_path / "s.xlsx"
    assert main(["build", str(SAMPLE), "-o", str(out), "--template", str(mine), "-q"]) == 0
    ws = openpyxl.load_workbook(out)["Scorecard"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "ID")
    assert header[:6] == ("ID", "Indicator", "This month", "2019/20 YTD", "Target", "RAG")
    fills = {r.dxf.fill.bgColor.rgb[-6:] for rs in ws.conditional_formatting._cf_rules.values() for r in rs}
    assert "2E7D32" in fills


def test_unknown_template_name(tmp_path, capsys):
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "x.xlsx"), "--template", "glossy"]) == 1
    err = capsys.readouterr().err
    assert "template 'glossy': is not a bundled template" in err and "kpi-scorecard, monthly-monitoring" in err
