"""SPC in a raw workbook: the Report sheet's settings, the Rebase sheet, and what
``kpi-xl evaluate`` prints (CSV columns and the JSON ``spc`` object)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from kpi_xl.cli import main
from kpi_xl.errors import InputError
from kpi_xl.periods import Month
from kpi_xl.rate.evaluate import evaluate
from kpi_xl.read.reader import read_workbook
from tests.test_reader import TODAY, write_book

INDICATORS = [["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Decimals"],
              ["V 1", "Visits on time", "Visits", "%", "High", 0.9, 0],
              ["R 1", "Re-referrals", "Front door", "%", "Low", 0.15, 0],
              ["N 1", "Contacts", "Front door", "count", "None", None, 0]]
MONTHS = [Month(2018, 1) + i for i in range(24)]
VISITS = [0.80, 0.82] * 9 + [0.95, 0.96, 0.97, 0.98, 0.99, 0.995]  # a step up in the last six months
REREFERRALS = [0.25, 0.23] * 12
CONTACTS = [500.0, 520.0] * 12


def data_rows(text_month: int | None = None):
    rows = [["ID", "Period", "Value"]]
    for ind, values in (("V 1", VISITS), ("R 1", REREFERRALS), ("N 1", CONTACTS)):
        for i, (month, value) in enumerate(zip(MONTHS, values)):
            rows.append([ind, month.label, "n/a" if (ind == "V 1" and i == text_month) else value])
    return rows


def book(tmp_path, report=None, rebase=None, text_month=None):
    sheets = {"Indicators": INDICATORS, "Data": data_rows(text_month)}
    if report:
        sheets["Report"] = [["Setting", "Value"], *report]
    if rebase:
        sheets["Rebase"] = [["ID", "Period", "Reason"], *rebase]
    return write_book(tmp_path / "raw.xlsx", sheets)


def spc_of(path, ind_id):
    ev = evaluate(read_workbook(path, TODAY))
    return next(r for r in ev.results if r.indicator.id == ind_id).spc


def test_every_indicator_gets_spc_from_its_figures(tmp_path):
    path = book(tmp_path)
    visits = spc_of(path, "V 1")
    assert len(visits.points) == 24 and visits.variation.value == "special_cause_improvement"
    rereferrals = spc_of(path, "R 1")
    assert rereferrals.variation.value == "common_cause" and rereferrals.assurance.value == "consistent_fail"
    assert rereferrals.limits.mean == pytest.approx(0.24)


def test_a_month_given_as_text_is_left_out_not_zero(tmp_path):
    visits = spc_of(book(tmp_path, text_month=3), "V 1")
    assert len(visits.points) == 23 and Month(2018, 4) not in [p.period for p in visits.points]
    assert min(p.value for p in visits.points) == 0.80
    latest_as_text = spc_of(book(tmp_path, text_month=23), "V 1")  # the month rated: the latest figure is older
    assert latest_as_text.points[-1].period == MONTHS[22]
    assert latest_as_text.reason.endswith("(the latest figure, for November 2019)")


def test_report_sheet_settings(tmp_path):
    path = book(tmp_path, report=[["SPC baseline", 12], ["SPC screen outliers", "Yes"], ["SPC minimum points", 30]])
    settings = read_workbook(path, TODAY).settings
    assert (settings.spc_baseline, settings.spc_screen, settings.spc_minimum_points) == (12, True, 30)
    assert spc_of(path, "V 1").reason == "24 months: SPC needs 30"
    baseline = book(tmp_path, report=[["SPC baseline", 12]])
    assert spc_of(baseline, "V 1").limits.mean == pytest.approx(0.81)  # the first 12 months only
    defaults = read_workbook(book(tmp_path), TODAY).settings
    assert (defaults.spc_baseline, defaults.spc_screen, defaults.spc_minimum_points) == (None, False, 12)


def test_an_indicator_may_set_its_own_baseline(tmp_path):
    """The Indicators sheet's optional SPC baseline column wins over the Report sheet's."""
    indicators = [row + [value] for row, value in zip(INDICATORS, ["SPC baseline", 12, None, None])]
    path = write_book(tmp_path / "own.xlsx", {"Indicators": indicators, "Data": data_rows(),
                                              "Report": [["Setting", "Value"], ["SPC baseline", 6]]})
    raw = read_workbook(path, TODAY)
    assert [i.spc_baseline for i in raw.indicators] == [12, None, None]
    assert spc_of(path, "V 1").limits.mean == pytest.approx(0.81)  # its own: the first 12 months
    assert spc_of(path, "R 1").limits.mean == pytest.approx(0.24)  # the Report sheet's 6 (0.25, 0.23 ...)
    with pytest.raises(InputError) as info:
        bad = [row + [value] for row, value in zip(INDICATORS, ["SPC baseline", "a year", None, None])]
        read_workbook(write_book(tmp_path / "bad.xlsx", {"Indicators": bad, "Data": data_rows()}), TODAY)
    assert info.value.problems[0].where == "Indicators!H2"


@pytest.mark.parametrize("setting, value, where, says", [
    ("SPC screen outliers", "Maybe", "Report!B2", "Type Yes or No"),
    ("SPC minimum points", 1, "Report!B2", "Type a number from 2 to 1000"),
    ("SPC baseline", "twelve", "Report!B2", "Type a number"),
])
def test_report_sheet_mistakes_name_the_cell(tmp_path, setting, value, where, says):
    with pytest.raises(InputError) as info:
        read_workbook(book(tmp_path, report=[[setting, value]]), TODAY)
    problem = info.value.problems[0]
    assert problem.where == where and says in problem.fix


def test_a_rebase_starts_new_limits_from_its_month(tmp_path):
    path = book(tmp_path, report=[["SPC minimum points", 6]],
                rebase=[["V 1", MONTHS[18].label, "New visiting model from July"]])
    raw = read_workbook(path, TODAY)
    assert [(r.indicator_id, r.period, r.reason) for r in raw.rebases] == [
        ("V 1", MONTHS[18], "New visiting model from July")]
    visits = spc_of(path, "V 1")
    assert [g.start for g in visits.groups] == [0, 18]
    assert visits.limits.mean == pytest.approx(sum(VISITS[18:]) / 6)
    assert len(visits.latest_points) == 6


@pytest.mark.parametrize("row, where, says", [
    (["X 9", "Jan-18", "typo"], "Rebase!A2", "is not on the Indicators sheet"),
    (["V 1", "Smarch", ""], "Rebase!B2", "is not a month"),
    ([None, "Jan-18", "no id"], "Rebase!A2", "no indicator ID"),
])
def test_rebase_sheet_mistakes_name_the_cell(tmp_path, row, where, says):
    with pytest.raises(InputError) as info:
        read_workbook(book(tmp_path, rebase=[row]), TODAY)
    problem = info.value.problems[0]
    assert problem.where == where and says in problem.message


def run_evaluate(capsys, path, *args) -> str:
    assert main(["evaluate", str(path), *args]) == 0
    return capsys.readouterr().out


def test_evaluate_csv_has_the_spc_columns(tmp_path, capsys):
    rows = list(csv.DictReader(io.StringIO(run_evaluate(capsys, book(tmp_path)))))
    visits, rereferrals, contacts = rows
    assert visits["variation"] == "special_cause_improvement" and visits["spc_points"] == "24"
    assert rereferrals["assurance"] == "consistent_fail"
    assert float(rereferrals["spc_mean"]) == pytest.approx(0.24)
    lower, upper = float(rereferrals["spc_lower"]), float(rereferrals["spc_upper"])
    assert upper - 0.24 == pytest.approx(0.24 - lower) == pytest.approx(2.66 * 0.02)
    assert contacts["variation"] == "common_cause" and contacts["assurance"] == ""


def test_evaluate_json_has_an_spc_object_with_every_point_of_the_latest_group(tmp_path, capsys):
    path = book(tmp_path, report=[["SPC minimum points", 6]], rebase=[["V 1", MONTHS[18].label, "New model"]])
    out = json.loads(run_evaluate(capsys, path, "--format", "json"))
    visits = out["indicators"][0]["spc"]
    assert [p["period"] for p in visits["points"]] == [m.iso() for m in MONTHS[18:]]
    assert [p["value"] for p in visits["points"]] == VISITS[18:]
    assert visits["mean"] == pytest.approx(sum(VISITS[18:]) / 6) and isinstance(visits["upper"], float)
    assert {"mean", "lower", "upper", "variation", "assurance", "reason", "points"} <= set(visits)
    few = json.loads(run_evaluate(capsys, book(tmp_path, report=[["SPC minimum points", 30]]), "--format", "json"))
    none = few["indicators"][0]["spc"]
    assert none["mean"] is None and none["variation"] is None and none["reason"] == "24 months: SPC needs 30"
    assert all(p["type"] is None for p in none["points"])
