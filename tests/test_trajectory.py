"""Trajectories (the Targets sheet): a month rated against its own target, the year to date
against the trajectory to date by each YTD method, the fall-back to the year-end target,
quarterly trajectories, and the sheet read in both shapes."""
import datetime as dt

import pytest

from kpi_xl.errors import InputError
from kpi_xl.model import (Figure, Frequency, Indicator, PeriodTarget, Polarity, RagBasis, RawWorkbook, Rating,
                          ReportSettings, ToleranceType, Unit, YtdMethod)
from kpi_xl.periods import Month
from kpi_xl.rate.evaluate import evaluate, evaluate_indicator, evaluate_row
from kpi_xl.rate.trajectory import combine, target_for
from kpi_xl.read.grid import Grid
from kpi_xl.read.reader import Reader, read_grids

FEB14 = Month(2014, 2)
APR13 = Month(2013, 4)


def months(start: Month, values, **extra):
    return {start + i: Figure(value=v, **extra) for i, v in enumerate(values) if v is not None}


def trajectory(start: Month, values, quarter=False):
    return {start + i * (3 if quarter else 1): PeriodTarget(v, quarter=quarter)
            for i, v in enumerate(values) if v is not None}


# Haringey LAC 1, Feb 2014: children in care, a snapshot (YTD Latest), rated on the YTD with a 5%
# relative band; the report's "Haringey Target" row: Sep-13 510 ... Feb-14 485; year-end target 485.
LAC1 = Indicator("LAC 1", "Children in care", "Looked after Children", Unit.COUNT, Polarity.LOW, target=485,
                 tolerance=5, tolerance_type=ToleranceType.PERCENT, rag_basis=RagBasis.YTD,
                 ytd_method=YtdMethod.LATEST)
LAC1_FIGURES = months(Month(2013, 9), [502, 510, 519, 525, 530, 523])
LAC1_TRAJECTORY = trajectory(Month(2013, 9), [510, 505, 500, 495, 490, 485])


def test_the_2014_children_in_care_trajectory_rates_february_against_its_own_target():
    res = evaluate_indicator(LAC1, LAC1_FIGURES, FEB14, trajectory=LAC1_TRAJECTORY)
    assert res.rag.rating is Rating.RED  # as published
    assert res.target_used.value == 485 and res.target_used.this_period == 485
    assert "target of 485" in res.rag.reason and "Feb-14 trajectory target" in res.rag.reason


def test_a_month_is_rated_against_that_months_target_not_the_year_end():
    # December 2013: 525 against the trajectory's 495 is 30 off; 5% of 495 is 24.75: Red.
    # Against the year-end 485 it would be Red too, so take November, 519 against 500: 19 off, Amber
    # (5% of 500 = 25), where the year-end target would make it Red (34 off, band 24.25).
    ind = Indicator("LAC 1", "Children in care", unit=Unit.COUNT, polarity=Polarity.LOW, target=485,
                    tolerance=5, rag_basis=RagBasis.MONTH)
    res = evaluate_indicator(ind, LAC1_FIGURES, Month(2013, 11), trajectory=LAC1_TRAJECTORY)
    assert res.rag.rating is Rating.AMBER
    assert res.rag.reason == ("519 is 19 off the target of 500, within the Amber band (5% of target = 25) "
                              "(Nov-13 trajectory target)")
    assert evaluate_indicator(ind, LAC1_FIGURES, Month(2013, 11)).rag.rating is Rating.RED


def test_a_month_without_a_trajectory_target_falls_back_to_the_year_end_target_and_says_so():
    ind = Indicator("LAC 1", "Children in care", unit=Unit.COUNT, polarity=Polarity.LOW, target=485,
                    tolerance=5, rag_basis=RagBasis.MONTH)
    figures = months(Month(2013, 8), [495, 502])
    res = evaluate_indicator(ind, figures, Month(2013, 8), trajectory=LAC1_TRAJECTORY)  # starts in Sep-13
    assert res.target_used.value == 485 and res.target_used.this_period is None
    assert res.rag.rating is Rating.AMBER  # 495 is 10 off 485; the band is 24.25
    assert res.rag.reason.endswith("(no trajectory target for Aug-13, so rated against the year-end target)")
    row = evaluate_row(res)
    assert row["target_this_period"] == "485" and row["target_year_end"] == "485"


# Year to date against the trajectory to date, one case per YTD method.
@pytest.mark.parametrize("method,unit,polarity,figures,targets,target_to_date,rating", [
    # Sum: 40+45+50 = 135 against 40+40+50 = 130, High: met (the year-end 600 would be far off)
    (YtdMethod.SUM, Unit.COUNT, Polarity.HIGH, [40, 45, 50], [40, 40, 50], 130, Rating.GREEN),
    # Latest: the latest month's target (Jun 50); 48 is 2 short, within 5% of 50 = 2.5
    (YtdMethod.LATEST, Unit.COUNT, Polarity.HIGH, [40, 45, 48], [40, 45, 50], 50, Rating.AMBER),
    # Mean: (20+18+16)/3 = 18 against mean(17, 16, 15) = 16, Low: 2 over, 5% of 16 = 0.8: Red
    (YtdMethod.MEAN, Unit.NUMBER, Polarity.LOW, [20, 18, 16], [17, 16, 15], 16, Rating.RED),
])
def test_ytd_is_rated_against_the_trajectory_to_date(method, unit, polarity, figures, targets, target_to_date,
                                                    rating):
    ind = Indicator("X", "x", unit=unit, polarity=polarity, target=600 if method is YtdMethod.SUM else 15,
                    tolerance=5, rag_basis=RagBasis.YTD, ytd_method=method, decimals=0)
    res = evaluate_indicator(ind, months(APR13, figures), Month(2013, 6),
                             trajectory=trajectory(APR13, targets + [60] * 9))
    assert res.target_used.value == pytest.approx(target_to_date)
    assert res.rag.rating is rating
    assert evaluate_row(res)["target_this_period"] == str(target_to_date)


def test_ratio_ytd_target_is_the_months_targets_weighted_by_their_denominators():
    # 80% of 100 in April, 90% of 300 in May: the target to date is (80 + 270) / 400 = 87.5%
    ind = Indicator("R", "reviews on time", unit=Unit.PERCENT, polarity=Polarity.HIGH, target=0.95, tolerance=5,
                    tolerance_type=ToleranceType.POINTS, rag_basis=RagBasis.YTD, ytd_method=YtdMethod.RATIO,
                    decimals=1)
    figures = {APR13: Figure(0.85, numerator=85, denominator=100), APR13 + 1: Figure(0.9, numerator=270,
                                                                                       denominator=300)}
    res = evaluate_indicator(ind, figures, APR13 + 1, trajectory=trajectory(APR13, [0.8, 0.9]))
    assert res.ytd == pytest.approx(355 / 400)
    assert res.target_used.value == pytest.approx(0.875)
    assert res.rag.rating is Rating.GREEN  # 88.8% meets 87.5% (the year-end 95% would be Red-ish Amber)
    assert "trajectory target to date (Apr-13 to May-13, weighted by the months' denominators)" in res.rag.reason


def test_ytd_falls_back_to_the_year_end_target_when_a_month_has_no_trajectory_target():
    ind = Indicator("X", "x", unit=Unit.COUNT, polarity=Polarity.HIGH, target=100, tolerance=5,
                    rag_basis=RagBasis.YTD, ytd_method=YtdMethod.SUM)
    res = evaluate_indicator(ind, months(APR13, [40, 45, 50]), Month(2013, 6),
                             trajectory=trajectory(APR13, [40, None, 50]))
    assert res.target_used.value == 100
    assert res.rag.reason.endswith("(no trajectory target for May-13, so the year to date is rated against the "
                                   "year-end target)")


def test_combine_states_each_method():
    assert combine(YtdMethod.SUM, [1, 2, 3], [None] * 3) == 6
    assert combine(YtdMethod.LATEST, [1, 2, 3], [None] * 3) == 3
    assert combine(YtdMethod.MEAN, [1, 2, 3], [None] * 3) == 2
    assert combine(YtdMethod.RATIO, [0.5, 1.0], [1, 3]) == pytest.approx(0.875)
    assert combine(YtdMethod.RATIO, [0.5, 1.0], [None, None]) == 0.75  # no denominators: a plain mean


def test_quarterly_trajectory_rates_each_quarter_against_its_target():
    # Workforce vacancy rate, quarterly, Low: Q3 2013/14 (Dec-13) 16.5% against a Q3 target of 15%
    ind = Indicator("W 2", "Vacancy rate", unit=Unit.PERCENT, polarity=Polarity.LOW, target=0.12, tolerance=5,
                    frequency=Frequency.QUARTERLY, rag_basis=RagBasis.MONTH, decimals=1)
    figures = {Month(2013, 6): Figure(0.18), Month(2013, 9): Figure(0.17), Month(2013, 12): Figure(0.155)}
    quarters = trajectory(Month(2013, 6), [0.18, 0.16, 0.15, 0.12], quarter=True)
    res = evaluate_indicator(ind, figures, FEB14, trajectory=quarters)
    assert res.period == Month(2013, 12) and res.target_used.value == 0.15
    assert res.rag.rating is Rating.AMBER  # 15.5% is 0.5pp over 15%, within 5% of 15 = 0.75


def test_a_quarters_target_is_the_target_of_each_of_its_months():
    quarters = trajectory(Month(2013, 6), [0.18, 0.16], quarter=True)
    assert target_for(quarters, Month(2013, 7)).value == 0.16  # July is in Q2, which ends in September
    assert target_for(quarters, Month(2013, 10)) is None
    typed_as_month = {Month(2013, 9): PeriodTarget(0.16)}
    assert target_for(typed_as_month, Month(2013, 7)) is None  # a month's target is for that month only


# -- the sheet ---------------------------------------------------------------------------------------
INDICATORS = [["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "RAG basis", "YTD"],
              ["LAC 1", "Children in care", "Looked after Children", "count", "Low", 485, "YTD", "Latest"],
              ["CP 5", "Plans ceasing after two years", "Child Protection", "%", "Low", 0.07, "Month", "Ratio"]]
DATA = [["ID", "Period", "Value"]] + [["LAC 1", m.label, f.value] for m, f in LAC1_FIGURES.items()] + [
    ["CP 5", "Feb-14", 0.14]]
TODAY = dt.date(2014, 3, 10)


def read(targets_rows, extra=None):
    grids = {"Indicators": Grid("Indicators", INDICATORS), "Data": Grid("Data", DATA),
             "Targets": Grid("Targets", targets_rows), **(extra or {})}
    return Reader(grids, "raw.xlsx", TODAY).read()


def test_long_targets_sheet_with_future_months_and_percentages_typed_both_ways():
    raw = read([["ID", "Period", "Target"], ["LAC 1", "Sep-13", 510], ["LAC 1", "Mar-14", 485],
                ["CP 5", "Feb-14", 8], ["CP 5", "Q4 2013/14", 0.07]])
    assert not [p for p in raw.problems if p.severity == "error"], raw.problems
    assert raw.targets["LAC 1"][Month(2014, 3)].value == 485  # after today: a trajectory looks ahead
    assert raw.targets["CP 5"][FEB14].value == 0.08
    assert raw.targets["CP 5"][Month(2014, 3)].quarter
    assert [p.where for p in raw.warnings] == ["Targets!C4"]  # 8 read as 8%, as on the Data sheet


def test_wide_targets_sheet_like_the_data_sheet():
    raw = read([["ID", "Sep-13", "Oct-13", "Nov-13", "Dec-13", "Jan-14", "Feb-14"],
                ["LAC 1", 510, 505, 500, 495, 490, 485]])
    assert [t.value for t in raw.targets["LAC 1"].values()] == [510, 505, 500, 495, 490, 485]
    ev = evaluate(raw, FEB14)
    assert "Feb-14 trajectory target" in ev.results[0].rag.reason


@pytest.mark.parametrize("rows,where,part", [
    ([["ID", "Period", "Target"], ["LAC 9", "Sep-13", 510]], "Targets!A2", "ID 'LAC 9' is not on the Indicators"),
    ([["ID", "Period", "Target"], ["LAC 1", "Smarch 13", 510]], "Targets!B2", "is not a month kpi_xl can read"),
    ([["ID", "Period", "Target"], ["LAC 1", "Sep-13", "five hundred"]], "Targets!C2", "is not a number"),
    ([["ID", "Period", "Target"], ["LAC 1", "Sep-13", 510], ["LAC 1", "Sep-13", 505]], "Targets!C3",
     "second target for Sep-13"),
    ([["ID", "Sep-13", "Octember"], ["LAC 1", 510, 505]], None, None),  # a text heading is an extra column
])
def test_targets_sheet_problems_name_their_cell(rows, where, part):
    errors = [p for p in read(rows).problems if p.severity == "error"]
    if where is None:
        assert errors == []
        return
    assert [p.where for p in errors] == [where] and part in errors[0].message and errors[0].fix


def test_no_targets_sheet_changes_nothing():
    grids = {"Indicators": Grid("Indicators", INDICATORS), "Data": Grid("Data", DATA)}
    raw = read_grids(grids, "raw.xlsx", TODAY)
    assert raw.targets == {}
    res = evaluate(raw, FEB14).results[0]
    assert res.rag.reason == "523 is 38 off the target of 485, outside the Amber band (5% of target = 24.25)"


def test_an_unknown_id_on_the_targets_sheet_stops_the_build():
    grids = {"Indicators": Grid("Indicators", INDICATORS), "Data": Grid("Data", DATA),
             "Targets": Grid("Targets", [["ID", "Period", "Target"], ["LAC1", "Sep-13", 510]])}
    with pytest.raises(InputError) as caught:
        read_grids(grids, "raw.xlsx", TODAY)
    assert "Did you mean 'LAC 1'?" in caught.value.problems[0].fix


# -- the scorecard -----------------------------------------------------------------------------------
def scorecard(targets_rows, template="kpi-scorecard", months=("Dec-19", "Jan-20")):
    from kpi_xl.layout.builder import build_layout
    from kpi_xl.layout.templates import load_template
    indicators = [["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance", "Tolerance type"],
                  ["W 1", "Average caseload", "Workforce", "number", "Low", 16, 10, "points"]]
    data = [["ID", "Period", "Value"]] + [["W 1", m, v] for m, v in zip(months, [17.9, 17.2, 16.8, 15.9, 15.2])]
    grids = {"Indicators": Grid("Indicators", indicators), "Data": Grid("Data", data),
             "Targets": Grid("Targets", targets_rows)}
    ev = evaluate(read_grids(grids, "raw.xlsx", dt.date(2020, 12, 10)))
    return ev, build_layout(ev, load_template(template))


def cells_of(sheet):
    return {(c.row, c.col): c for c in sheet.cells}


def test_the_kpi_table_shows_the_months_target_beside_the_year_end_target_and_rates_against_it():
    ev, layout = scorecard([["ID", "Dec-19", "Jan-20", "Feb-20", "Mar-20"], ["W 1", 18, 17.5, 17, 16]])
    assert ev.results[0].rag.rating is Rating.GREEN  # 17.2 meets January's 17.5 (not the year-end 16)
    table = layout.sheet("KPI table")
    cells = cells_of(table)
    header_row = next(r for (r, c), cell in cells.items() if cell.value == "ID")
    header = [cells[(header_row, c)].value for c in range(table.last_col + 1) if (header_row, c) in cells]
    assert header[3:6] == ["Jan-20", "Target Jan-20", "Year-end target"]
    row = header_row + 2  # under the section's heading
    assert (cells[(row, 4)].value, cells[(row, 5)].value) == (17.5, 16)
    rag = cells[(row, header.index("RAG"))]
    assert rag.value == "Green" and "ISNUMBER(E" in rag.formula  # the formula reads the month's target (E)


def test_without_a_trajectory_target_for_the_month_the_table_keeps_one_target_column():
    ev, layout = scorecard([["ID", "Feb-20", "Mar-20"], ["W 1", 17, 16]])
    assert ev.results[0].rag.rating is Rating.AMBER  # 17.2 against the year-end 16: 1.2 over, within the 10-point band
    assert "no trajectory target for Jan-20" in ev.results[0].rag.reason
    texts = {c.value for c in layout.sheet("KPI table").cells}
    assert "Target" in texts and "Target Jan-20" not in texts and "Year-end target" not in texts


def test_a_new_years_targets_come_from_the_same_sheet_and_last_years_months_keep_theirs():
    ev, layout = scorecard([["ID", "Feb-20", "Mar-20", "Apr-20", "May-20"], ["W 1", 17, 16, 15.5, 15]],
                           template="monthly-monitoring", months=("Feb-20", "Mar-20", "Apr-20", "May-20"))
    assert ev.period == Month(2020, 5) and ev.results[0].target_used.value == 15  # 2020/21's May target
    page = layout.sheet("Workforce")
    target = next(c for c in page.cells if c.value == "Target" and c.style.italic)
    months = {c.col: c.value for c in page.cells if c.row == target.row - 2 and isinstance(c.value, str)}
    row = {months[c.col]: c.value for c in page.cells if c.row == target.row and isinstance(c.value, (int, float))}
    assert row == {"Feb-20": 17, "Mar-20": 16, "Apr-20": 15.5, "May-20": 15}  # each month its own year's target
