"""Benchmarks: quartile bands for High and Low polarity at the boundaries, gaps in the
indicator's unit, the latest comparator figure (annual-only, labelled with its year), a
comparator as the target (Target source), and the Benchmarks sheet read and checked."""
import datetime as dt

import pytest

from kpi_xl.model import (Benchmark, BenchmarkPeriod, Figure, Indicator, Polarity, RagBasis, Rating, ToleranceType,
                          Unit)
from kpi_xl.periods import Month
from kpi_xl.rate.benchmarks import band, compare, gap, latest_benchmark, quartile_band
from kpi_xl.rate.evaluate import comparators, evaluate, evaluate_columns, evaluate_indicator, evaluate_row
from kpi_xl.read.grid import Grid
from kpi_xl.read.reader import Reader

JAN20 = Month(2020, 1)
H, L = Polarity.HIGH, Polarity.LOW


def year(label: str, first_year: int) -> BenchmarkPeriod:
    return BenchmarkPeriod(label, Month(first_year, 4), Month(first_year + 1, 3))


# England's 2018/19 quartiles for assessments within 45 working days (High): 78, 84, 90 (illustrative)
@pytest.mark.parametrize("value,polarity,expected", [
    (0.90, H, "A"), (0.899, H, "A"),  # 89.9% is shown as 90%: on Quartile 3, the better band
    (0.894, H, "B"), (0.84, H, "B"), (0.835, H, "B"), (0.834, H, "C"), (0.78, H, "C"), (0.77, H, "D"),
    (0.78, L, "A"), (0.785, L, "B"), (0.84, L, "B"), (0.85, L, "C"), (0.90, L, "C"), (0.91, L, "D"),
    (0.50, Polarity.TARGET, ""), (0.50, Polarity.NONE, ""), (None, H, ""),
])
def test_band_respects_polarity_and_a_boundary_takes_the_better_band(value, polarity, expected):
    assert band(value, 0.78, 0.84, 0.90, polarity, percent=True) == expected


def test_band_needs_all_three_quartiles():
    assert band(0.8, None, 0.84, 0.9, H, percent=True) == ""


@pytest.mark.parametrize("value,comparator,percent,decimals,expected", [
    (0.24, 0.226, True, 0, (1.0, "+1pp")),  # 24% against 23%
    (0.77, 0.827, True, 1, (-5.7, "-5.7pp")),
    (14.4, 16.6, False, 1, (-2.2, "-2.2")),
    (523, 523, False, 0, (0.0, "0")),
    (None, 17, False, 0, (None, "")),
])
def test_gap_is_in_the_indicators_unit_pp_for_a_percentage(value, comparator, percent, decimals, expected):
    assert gap(value, comparator, percent=percent, decimals=decimals) == expected


ENGLAND_1819 = Benchmark("AMT 2", "England", year("2018/19", 2018), 0.827, 0.78, 0.84, 0.90, "DfE CIN census")
ENGLAND_1718 = Benchmark("AMT 2", "England", year("2017/18", 2017), 0.823)
ENGLAND_1920 = Benchmark("AMT 2", "England", year("2019/20", 2019), 0.84)
ENGLAND_DEC19 = Benchmark("AMT 2", "England", BenchmarkPeriod("Dec-19", Month(2019, 12), Month(2019, 12)), 0.85)


def test_an_annual_only_benchmark_is_the_latest_year_before_the_month():
    assert latest_benchmark([ENGLAND_1718, ENGLAND_1819], JAN20) is ENGLAND_1819
    assert latest_benchmark([ENGLAND_1718, ENGLAND_1819], Month(2018, 6)) is ENGLAND_1819  # 2018/19 covers June
    assert latest_benchmark([ENGLAND_1819], Month(2018, 3)) is None  # nothing published for it yet


def test_the_narrowest_period_covering_the_month_wins():
    assert latest_benchmark([ENGLAND_1920, ENGLAND_1819], JAN20) is ENGLAND_1920
    chosen = latest_benchmark([ENGLAND_1920, ENGLAND_DEC19, ENGLAND_1819], Month(2019, 12))
    assert chosen is ENGLAND_DEC19


AMT2 = Indicator("AMT 2", "C&F assessments completed within 45 working days", "Assessment", Unit.PERCENT, H,
                 target=0.85, tolerance=10, tolerance_type=ToleranceType.POINTS)
AMT2_FIGURES = {Month(2019, 12): Figure(0.81), JAN20: Figure(0.77)}
NEIGHBOURS_1819 = Benchmark("AMT 2", "Statistical neighbours", year("2018/19", 2018), 0.80, 0.74, 0.79, 0.86)


def test_comparisons_are_labelled_with_their_year_and_the_band_uses_englands_quartiles():
    res = evaluate_indicator(AMT2, AMT2_FIGURES, JAN20, benchmarks=[NEIGHBOURS_1819, ENGLAND_1819, ENGLAND_1718])
    assert [(c.comparator, c.label, c.gap_text) for c in res.comparisons] == [
        ("Statistical neighbours", "2018/19", "-3pp"), ("England", "2018/19", "-6pp")]
    assert res.band.letter == "D" and res.band.comparator == "England"  # 77% is below England's Quartile 1
    row = evaluate_row(res, ["England", "Statistical neighbours"])
    assert (row["bench_england"], row["gap_england"]) == ("2018/19: 83%", "-6pp")
    assert (row["bench_statistical_neighbours"], row["band"]) == ("2018/19: 80%", "D")


def test_a_monthly_benchmark_for_the_month_rated_has_no_label():
    jan = Benchmark("AMT 2", "London", BenchmarkPeriod("Jan-20", JAN20, JAN20), 0.80)
    (c,) = compare(AMT2, [jan], JAN20, 0.77)
    assert (c.label, c.gap_text) == ("", "-3pp")


def test_band_falls_back_to_another_comparators_quartiles():
    (c,) = compare(AMT2, [NEIGHBOURS_1819], JAN20, 0.77)
    assert quartile_band(AMT2, (c,), 0.77).letter == "C"  # 77% is between the neighbours' 74% and 79%


def test_target_source_rates_against_the_comparators_median_and_says_so():
    ind = Indicator("CP 2", "CP plans per 10,000", "Child Protection", Unit.RATE, L, target=43, tolerance=5,
                    rag_basis=RagBasis.MONTH, decimals=0, target_source="Statistical neighbours")
    neighbours = Benchmark("CP 2", "Statistical neighbours", year("2012/13", 2012), 41.2, 35.0, 40.0, 46.0)
    res = evaluate_indicator(ind, {Month(2014, 2): Figure(33)}, Month(2014, 2), benchmarks=[neighbours])
    assert res.target_used.value == 40.0 and res.rag.rating is Rating.GREEN
    assert res.rag.reason == ("33 meets the target of 40 (target: the Statistical neighbours median for 2012/13, 40, "
                              "as the Target source says)")
    assert evaluate_row(res)["target_this_period"] == "40" and evaluate_row(res)["target_year_end"] == "43"


# -- the sheet ---------------------------------------------------------------------------------------
INDICATORS = [["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance", "Tolerance type"],
              ["AMT 2", "Assessments within 45 days", "Assessment", "%", "High", 0.85, 10, "points"],
              ["W 1", "Average caseload", "Workforce", "number", "Low", 17, 10, "points"]]
DATA = [["ID", "Period", "Value"], ["AMT 2", "Dec-19", 0.81], ["AMT 2", "Jan-20", 0.77], ["W 1", "Jan-20", 14.4]]
TODAY = dt.date(2020, 2, 10)
HEADER = ["ID", "Comparator", "Period", "Value", "Quartile 1", "Median", "Quartile 3", "Source"]


def read(rows):
    grids = {"Indicators": Grid("Indicators", INDICATORS), "Data": Grid("Data", DATA),
             "Benchmarks": Grid("Benchmarks", [HEADER] + rows)}
    return Reader(grids, "raw.xlsx", TODAY).read()


def test_the_sheet_reads_years_quarters_months_aliases_and_percentages_typed_both_ways():
    raw = read([["AMT 2", "England", "2018/19", 0.827, 0.78, 0.84, 0.90, "DfE"],
                ["AMT 2", "stat neighbours", "2018-19", 80, None, None, None, None],
                ["W 1", "England", 2019, 16.1, None, None, None, "DfE workforce census"],
                ["W 1", "Barnet", "Q3 2019/20", 15.2, None, None, None, None]])
    assert [p for p in raw.problems if p.severity == "error"] == []
    assert [(b.comparator, b.period.label, b.value) for b in raw.benchmarks] == [
        ("England", "2018/19", 0.827), ("Statistical neighbours", "2018/19", 0.8), ("England", "2019", 16.1),
        ("Barnet", "Q3 2019/20", 15.2)]
    assert raw.benchmarks[3].period.first == Month(2019, 10)
    assert [p.where for p in raw.warnings] == ["Benchmarks!D3"]  # 80 read as 80%
    ev = evaluate(raw, JAN20)
    assert comparators(ev) == ["England", "Statistical neighbours", "Barnet"]
    assert evaluate_columns(ev)[-7:] == ("band", "bench_england", "gap_england", "bench_statistical_neighbours",
                                         "gap_statistical_neighbours", "bench_barnet", "gap_barnet")
    w1 = evaluate_row(ev.results[1], comparators(ev))
    assert (w1["bench_england"], w1["gap_england"], w1["bench_barnet"], w1["gap_barnet"]) == (
        "2019: 16.1", "-1.7", "Q3 2019/20: 15.2", "-0.8")


@pytest.mark.parametrize("row,severity,where,part", [
    (["AMT 9", "England", "2018/19", 0.8], "error", "Benchmarks!A2", "ID 'AMT 9' is not on the Indicators sheet"),
    (["AMT 2", "Englnad", "2018/19", 0.8], "error", "Benchmarks!B2", "comparator 'Englnad' is not recognised"),
    (["AMT 2", "England", "2018/91", 0.8], "error", "Benchmarks!C2", "is not a year, quarter or month"),
    (["AMT 2", "England", "2019/20", 0.8], "warning", "Benchmarks!C2", "ends after the report month"),
    (["AMT 2", "England", "2018/19", 0.8, 0.9, 0.84, 0.78], "error", "Benchmarks!G2", "quartiles are out of order"),
    (["AMT 2", "England", "2018/19", None], "error", "Benchmarks!D2", "has no value"),
    (["AMT 2", "England", "2018/19", "about 80%"], "error", "Benchmarks!D2", "is not a number"),
])
def test_sheet_problems_name_their_cell(row, severity, where, part):
    found = [p for p in read([row]).problems if p.severity == severity]
    assert [p.where for p in found] == [where], found
    assert part in found[0].message and found[0].fix


def test_a_mistyped_comparator_suggests_the_right_one():
    (problem,) = [p for p in read([["AMT 2", "Statistical neighbors", "2018/19", 0.8]]).problems]
    assert "Did you mean 'Statistical neighbours'?" in problem.fix


def test_target_source_without_figures_names_its_cell():
    indicators = [INDICATORS[0] + ["Target source"], INDICATORS[1] + ["London"], INDICATORS[2] + [None]]
    grids = {"Indicators": Grid("Indicators", indicators), "Data": Grid("Data", DATA),
             "Benchmarks": Grid("Benchmarks", [HEADER, ["AMT 2", "England", "2018/19", 0.827]])}
    errors = [p for p in Reader(grids, "raw.xlsx", TODAY).read().problems if p.severity == "error"]
    assert [p.where for p in errors] == ["Indicators!I2"]
    assert "Target source 'London' has no figures for AMT 2" in errors[0].message


def test_kpi_xl_evaluate_prints_targets_band_and_each_comparator(capsys):
    import csv
    import io
    import json
    from pathlib import Path

    from kpi_xl.cli import main

    sample = Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    assert main(["evaluate", str(sample)]) == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    amt2 = rows["AMT 2"]  # 77% against the sample's illustrative 2018/19 figures
    assert (amt2["target_this_period"], amt2["target_year_end"], amt2["band"]) == ("85%", "85%", "C")
    assert (amt2["bench_england"], amt2["gap_england"]) == ("2018/19: 83%", "-6pp")
    assert (amt2["bench_london"], amt2["bench_statistical_neighbours"]) == ("2018/19: 84%", "2018/19: 80%")
    assert rows["FD 7"]["bench_england"] == "" and rows["FD 7"]["band"] == ""
    assert main(["evaluate", str(sample), "--format", "json"]) == 0
    indicators = json.loads(capsys.readouterr().out)["indicators"]
    # the JSON has the CSV's columns, with the SPC figures as one object (issue 12)
    assert set(indicators[0]) == {k for k in rows["FD 7"] if not k.startswith("spc_")} | {"spc"}
