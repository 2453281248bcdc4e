"""Templates: readable TOML, checked when loaded, errors naming the file, key and allowed values."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.errors import InputError
from kpi_xl.layout.templates import available_templates, load_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"


def test_bundled_templates_load():
    assert set(available_templates()) == {"kpi-scorecard", "monthly-monitoring"}
    kpi = load_template("kpi-scorecard")
    # issue 12: both bundled templates show the RAG and SPC ("both"), with a sheet of SPC charts
    assert [s.kind for s in kpi.sheets] == ["overview", "kpi_table", "trends", "trends", "commentary", "key",
                                            "chart_data"]
    assert [s.charts for s in kpi.sheets if s.kind == "trends"] == ["trend", "spc"]
    assert kpi.judgement == "both"
    assert kpi.sheet("kpi_table").columns == ("id", "indicator", "previous", "this_month", "target", "change",
                                              "arrow", "rag", "variation", "assurance", "trend")
    mm = load_template("monthly-monitoring")
    assert mm.sheet("sections").columns == ("indicator", "prior_year", "months", "ytd", "target", "rag",
                                            "variation", "assurance", "arrow")


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
                        '"variation", "assurance", "trend"]', 'columns = ["id", "indicator", "this_month", "ytd", "target", "rag"]')
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


# -- a workbook's Template setting comes from anyone: it may not name any file on the machine --

BUNDLED_FIX = "Type one of: kpi-scorecard, monthly-monitoring"


def raw_with_template(folder: Path, setting: str) -> Path:
    """The bad-input corpus's valid workbook with ``Template`` typed in Report!B2."""
    import make_bad_inputs

    folder.mkdir(parents=True, exist_ok=True)
    wb = make_bad_inputs.base_workbook()
    report = wb.create_sheet("Report")
    report.append(["Setting", "Value"])
    report.append(["Template", setting])
    path = folder / "raw.xlsx"
    wb.save(path)
    return path


def template_problem(raw: Path, tmp_path: Path):
    from kpi_xl import api

    with pytest.raises(InputError) as info:
        api.build(raw, tmp_path / "out.xlsx", today=make_today())
    (problem,) = info.value.problems
    assert problem.where == "Report!B2" and str(info.value).startswith("raw.xlsx: 1 problem to fix:")
    return problem


def make_today():
    import make_bad_inputs
    return make_bad_inputs.TODAY


@pytest.mark.parametrize("setting", ["/dev/zero", "/etc/passwd", "/etc/no-such-file", "../other/ours.toml",
                                     "OTHER_ABSOLUTE"])
def test_a_workbook_may_not_name_a_template_outside_its_folder(tmp_path, setting):
    other = tmp_path / "other" / "ours.toml"
    other.parent.mkdir()
    shutil.copyfile(ROOT / "templates" / "kpi-scorecard.toml", other)
    setting = str(other) if setting == "OTHER_ABSOLUTE" else setting
    raw = raw_with_template(tmp_path / "team", setting)
    problem = template_problem(raw, tmp_path)
    assert f"Template '{setting}' is" in problem.message
    assert problem.fix.startswith(BUNDLED_FIX) and str(raw.parent) in problem.fix
    # whether the file exists is not revealed: only the name differs
    if setting in ("/etc/passwd", "/etc/no-such-file"):
        assert problem.message == f"Template '{setting}' is not a bundled template."


def test_a_workbook_may_name_a_template_in_its_own_folder(tmp_path):
    raw = raw_with_template(tmp_path / "team", "layouts/ours.toml")
    (raw.parent / "layouts").mkdir()
    shutil.copyfile(ROOT / "templates" / "monthly-monitoring.toml", raw.parent / "layouts" / "ours.toml")
    from kpi_xl import api

    result = api.build(raw, tmp_path / "out.xlsx", today=make_today())
    assert "Front page" in openpyxl.load_workbook(result.output, read_only=True).sheetnames


def test_on_the_server_a_workbook_names_bundled_templates_only(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from kpi_xl.excel import scripts
    from kpi_xl.layout.templates import TEMPLATE_DIR_ENV, find_workbook_template

    remote = SimpleNamespace(app=SimpleNamespace(engine=SimpleNamespace(name="remote")), fullname="raw.xlsx")
    monkeypatch.delenv(TEMPLATE_DIR_ENV, raising=False)
    assert scripts.template_folder(remote) is None
    with pytest.raises(InputError) as info:
        find_workbook_template("ours.toml", "Report!B2", None)
    (problem,) = info.value.problems
    assert problem.where == "Report!B2" and TEMPLATE_DIR_ENV in problem.fix and problem.fix.startswith(BUNDLED_FIX)
    assert find_workbook_template("monthly-monitoring", "Report!B2", None).name == "monthly-monitoring.toml"
    monkeypatch.setenv(TEMPLATE_DIR_ENV, str(tmp_path))
    assert scripts.template_folder(remote) == tmp_path
    shutil.copyfile(ROOT / "templates" / "kpi-scorecard.toml", tmp_path / "ours.toml")
    assert find_workbook_template("ours.toml", "Report!B2", scripts.template_folder(remote)) == tmp_path / "ours.toml"


def test_template_on_the_command_line_is_a_regular_file_of_sensible_size(tmp_path, capsys):
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "x.xlsx"), "--template", "/dev/zero", "-q"]) == 1
    assert "/dev/zero: is not a template file (it is a device, folder or pipe)." in capsys.readouterr().err
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 30_000, encoding="utf-8")
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "x.xlsx"), "--template", str(big), "-q"]) == 1
    assert f"{big}: is larger than 256 KB, far more than a template needs." in capsys.readouterr().err
