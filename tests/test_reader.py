"""Reader happy paths (and a few exact error locations), on small xlsx files built with openpyxl.

Figures are Croydon's (Jan 2020 KPI report): FD 8, AMT 2, W 1, MC 1c and CLA 18 in arrears.
"""
import datetime as dt

import openpyxl
import pytest

from kpi_xl.errors import InputError
from kpi_xl.model import (Frequency, Polarity, RagBasis, ToleranceType, Unit, YtdMethod)
from kpi_xl.periods import Month
from kpi_xl.rate.validate import validate_workbook
from kpi_xl.read.reader import read_workbook

TODAY = dt.date(2026, 11, 22)
OCT19, NOV19, DEC19, JAN20 = Month(2019, 10), Month(2019, 11), Month(2019, 12), Month(2020, 1)


def write_book(path, sheets, formats=None):
    """Save ``{sheet: [rows]}`` as an xlsx; ``formats`` maps (sheet, 'C3') to a number format."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    for (sheet, cell), fmt in (formats or {}).items():
        wb[sheet][cell].number_format = fmt
    wb.save(path)
    return path


INDICATORS = [
    ["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance", "Tolerance type",
     "RAG basis", "YTD", "Frequency", "Arrears", "Corporate plan", "Decimals"],
    ["FD 8", "Percentage of re-referrals within 12 months", "Front door", "%", "Low", 0.22, 10, "points",
     "Month", None, None, None, None, None],
    ["AMT 2", "Percentage of C&F assessments completed within 45 working days", "Assessment", "%", "High",
     0.85, 10, "points", "Month", None, None, None, "Y", None],
    ["W 1", "Average caseload per social worker", "Workforce", "number", "Low", 17, 10, "points", None,
     "Mean", None, None, None, None],
    ["MC 1c", "Number of children with three or more missing episodes", "Missing", "count", "None", None,
     None, None, None, None, None, None, None, None],
    ["CLA 18", "Percentage of CLA with an IHA within 20 working days", "Children in care", "%", "High",
     0.95, 10, "points", None, None, "Monthly", 1, None, None],
]

LONG_DATA = [
    ["ID", "Period", "Value"],
    ["FD 8", "Dec-19", 0.31], ["FD 8", "Jan-20", 0.24],
    ["AMT 2", "Dec-19", 0.76], ["AMT 2", "Jan-20", 0.77],
    ["W 1", "Dec-19", 16.6], ["W 1", "Jan-20", 14.4],
    ["MC 1c", "Nov-19", "2 Missing 3 Absent"], ["MC 1c", "Dec-19", 36], ["MC 1c", "Jan-20", 41],
    ["CLA 18", "Oct-19", 0.90], ["CLA 18", "Nov-19", 0.73],
]

WIDE_ROWS = [
    ["FD 8", "re-referrals", None, None, 0.31, 0.24],
    ["AMT 2", "assessments", None, None, 0.76, 0.77],
    ["W 1", "caseload", None, None, 16.6, 14.4],
    ["MC 1c", "missing", None, "2 Missing 3 Absent", 36, 41],
    ["CLA 18", "IHA", 0.90, 0.73, None, None],
]

EXPECTED = {
    "FD 8": {DEC19: (0.31, None), JAN20: (0.24, None)},
    "AMT 2": {DEC19: (0.76, None), JAN20: (0.77, None)},
    "W 1": {DEC19: (16.6, None), JAN20: (14.4, None)},
    "MC 1c": {NOV19: (None, "2 Missing 3 Absent"), DEC19: (36.0, None), JAN20: (41.0, None)},
    "CLA 18": {OCT19: (0.90, None), NOV19: (0.73, None)},
}


def figures_of(raw):
    return {i: {m: (f.value, f.text) for m, f in series.items()} for i, series in raw.figures.items()}


def wide(headers):
    return [["ID", "Indicator", *headers], *WIDE_ROWS]


@pytest.mark.parametrize("data", [
    pytest.param(LONG_DATA, id="long"),
    pytest.param(wide([dt.datetime(2019, 10, 1), dt.datetime(2019, 11, 30), dt.date(2019, 12, 1),
                       dt.datetime(2020, 1, 31)]), id="wide-date-headers"),
    pytest.param(wide(["Oct-19", "Nov 19", "December 2019", "2020-01"]), id="wide-text-headers"),
    pytest.param(wide(["Oct-19", "Nov-19", "Dec-19", "Jan-20"]), id="wide-short-headers"),
])
def test_both_data_shapes_give_the_same_figures(tmp_path, data):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {"Indicators": INDICATORS, "Data": data}),
                        today=TODAY)
    assert figures_of(raw) == EXPECTED
    assert raw.latest_month() == JAN20
    assert not raw.problems
    assert raw.source == "raw.xlsx"


def test_indicator_columns_are_read(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {"Indicators": INDICATORS, "Data": LONG_DATA}),
                        today=TODAY)
    fd8, amt2, w1, mc1c, cla18 = raw.indicators
    assert [i.id for i in raw.indicators] == ["FD 8", "AMT 2", "W 1", "MC 1c", "CLA 18"]
    assert (fd8.unit, fd8.polarity, fd8.target, fd8.tolerance, fd8.tolerance_type, fd8.rag_basis) == (
        Unit.PERCENT, Polarity.LOW, 0.22, 10, ToleranceType.POINTS, RagBasis.MONTH)
    assert fd8.section == "Front door" and fd8.decimals == 0 and fd8.where == "Indicators!A2"
    assert amt2.corporate_plan and not fd8.corporate_plan
    assert (w1.unit, w1.ytd_method, w1.decimals) == (Unit.NUMBER, YtdMethod.MEAN, 1)
    assert (mc1c.polarity, mc1c.target, mc1c.ytd_method, mc1c.decimals) == (Polarity.NONE, None, YtdMethod.SUM, 0)
    assert (cla18.arrears, cla18.frequency, cla18.ytd_method) == (1, Frequency.MONTHLY, YtdMethod.LATEST)
    assert raw.sections == ["Front door", "Assessment", "Workforce", "Missing", "Children in care"]


def test_minimal_indicator_gets_the_documented_defaults(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator"], ["X 1", "Something"]],
        "Data": [["ID", "Period", "Value"], ["X 1", "Jan-20", 3]]}), today=TODAY)
    (ind,) = raw.indicators
    assert (ind.section, ind.unit, ind.polarity, ind.target, ind.tolerance, ind.tolerance_type,
            ind.rag_basis, ind.ytd_method, ind.frequency, ind.arrears, ind.corporate_plan, ind.decimals) == (
        "Other", Unit.NUMBER, Polarity.HIGH, None, 5, ToleranceType.PERCENT, RagBasis.MONTH,
        YtdMethod.LATEST, Frequency.MONTHLY, 0, False, 1)


def test_names_match_ignoring_case_and_spaces_and_extras_are_ignored(tmp_path):
    path = write_book(tmp_path / "raw.xlsx", {
        "Notes": [["anything", "at all"], [1, 2]],
        "INDICATORS": [["  id ", "INDICATOR", "Owner", " unit", "POLARITY  ", "target"],
                       ["FD 8", "re-referrals", "Jo", "%", "low", 0.22]],
        " data ": [["Id", " PERIOD", "Comments", "value "],
                   ["fd 8", "Jan-20", "checked", 0.24]],
        "Lookups": [["ID", "Period", "Value"], ["ZZ", "Jan-20", 1]],
    })
    raw = read_workbook(path, today=TODAY)
    (ind,) = raw.indicators
    assert (ind.id, ind.unit, ind.polarity, ind.target) == ("FD 8", Unit.PERCENT, Polarity.LOW, 0.22)
    assert figures_of(raw) == {"FD 8": {JAN20: (0.24, None)}}
    assert not raw.problems


def test_title_rows_above_the_headers(tmp_path):
    path = write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["Children's services KPIs 2019/20"], [], ["ID", "Indicator", "Unit"],
                       ["FD 8", "re-referrals", "%"]],
        "Data": [["Figures from the case system"], ["ID", "Period", "Value"], ["FD 8", "Jan-20", 0.24]],
    })
    raw = read_workbook(path, today=TODAY)
    assert raw.indicators[0].where == "Indicators!A4"
    assert raw.figures["FD 8"][JAN20].where == "Data!C3"
    assert figures_of(raw) == {"FD 8": {JAN20: (0.24, None)}}


def test_report_sheet_defaults_fill_blank_cells_only(tmp_path):
    path = write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Tolerance", "Tolerance type", "RAG basis"],
                       ["A", "uses the defaults", None, None, None],
                       ["B", "says its own", 3, "percent", "Month"]],
        "Data": [["ID", "Period", "Value"], ["A", "Jan-20", 1], ["B", "Jan-20", 2]],
        "Report": [["Setting", "Value"], ["Title", "EH & CSC KPI report"], ["Organisation", "Croydon"],
                   ["Period", "Jan-20"], ["Financial year start", "April"], ["Months shown", 6],
                   ["Tolerance", 10], ["Tolerance type", "points"], ["RAG basis", "YTD"]],
    })
    raw = read_workbook(path, today=TODAY)
    a, b = raw.indicators
    assert (a.tolerance, a.tolerance_type, a.rag_basis) == (10, ToleranceType.POINTS, RagBasis.YTD)
    assert (b.tolerance, b.tolerance_type, b.rag_basis) == (3, ToleranceType.PERCENT, RagBasis.MONTH)
    s = raw.settings
    assert (s.title, s.organisation, s.period, s.fy_start, s.months_shown) == (
        "EH & CSC KPI report", "Croydon", JAN20, 4, 6)


# ------------------------------------------------------------------ the % rule
def pct_book(tmp_path, value, fmt=None, target=0.85):
    path = write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Unit", "Target"], ["AMT 2", "assessments", "%", target]],
        "Data": [["ID", "Period", "Value"], ["AMT 2", "Dec-19", 0.76], ["AMT 2", "Jan-20", value]],
    }, {("Data", "C3"): fmt} if fmt else None)
    return read_workbook(path, today=TODAY)


def test_percent_fraction_stays(tmp_path):
    raw = pct_book(tmp_path, 0.85)
    assert raw.figures["AMT 2"][JAN20].value == 0.85
    assert raw.warnings == []


def test_percent_whole_number_is_read_as_percent_with_a_warning_naming_the_cell(tmp_path):
    raw = pct_book(tmp_path, 85)
    assert raw.figures["AMT 2"][JAN20].value == pytest.approx(0.85)
    (warning,) = raw.warnings
    assert warning.where == "Data!C3"
    assert "85" in warning.message and "0.85" in warning.message
    assert warning.severity == "warning"


@pytest.mark.parametrize("value", [0.85, 1.2, 1])
def test_percent_formatted_cell_never_warns(tmp_path, value):
    raw = pct_book(tmp_path, value, fmt="0%")
    assert raw.figures["AMT 2"][JAN20].value == value
    assert raw.warnings == []


def test_percent_typed_as_text_with_a_percent_sign(tmp_path):
    raw = pct_book(tmp_path, "85%")
    assert raw.figures["AMT 2"][JAN20].value == pytest.approx(0.85)
    assert raw.warnings == []


def test_percent_target_follows_the_same_rule(tmp_path):
    raw = pct_book(tmp_path, 0.77, target=85)
    assert raw.indicators[0].target == pytest.approx(0.85)
    (warning,) = raw.warnings
    assert warning.where == "Indicators!D2"


def test_non_percent_values_are_never_scaled(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Unit"], ["MC 1c", "missing", "count"]],
        "Data": [["ID", "Period", "Value"], ["MC 1c", "Jan-20", 41]]}), today=TODAY)
    assert raw.figures["MC 1c"][JAN20].value == 41
    assert raw.warnings == []


# --------------------------------------------------------- text, numerators, notes
@pytest.mark.parametrize("typed", ["2 Missing 3 Absent", "-", "n/a", "2Missing 3 Absent 7Abscond"])
@pytest.mark.parametrize("shape", ["long", "wide"])
def test_text_values_are_kept_never_zero(tmp_path, typed, shape):
    data = ([["ID", "Period", "Value"], ["MC 1c", "Jan-20", typed]] if shape == "long"
            else [["ID", "Jan-20"], ["MC 1c", typed]])
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Unit"], ["MC 1c", "missing", "count"]], "Data": data}), today=TODAY)
    fig = raw.figures["MC 1c"][JAN20]
    assert fig.value is None and fig.text == typed and not fig.has_value


def test_blank_values_make_no_figure(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator"], ["A", "a"]],
        "Data": [["ID", "Dec-19", "Jan-20"], ["A", None, 5]]}), today=TODAY)
    assert list(raw.figures["A"]) == [JAN20]


def test_numerator_denominator_with_blank_value_computes_the_value(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Unit", "YTD"], ["AMT 2", "assessments", "%", "Ratio"]],
        "Data": [["ID", "Period", "Value", "Numerator", "Denominator", "Note"],
                 ["AMT 2", "Dec-19", None, 76, 100, None],
                 ["AMT 2", "Jan-20", 0.77, 77, 100, "refreshed"]]}), today=TODAY)
    dec, jan = raw.figures["AMT 2"][DEC19], raw.figures["AMT 2"][JAN20]
    assert (dec.value, dec.numerator, dec.denominator) == (pytest.approx(0.76), 76, 100)
    assert (jan.value, jan.note) == (0.77, "refreshed")
    assert raw.indicators[0].ytd_method is YtdMethod.RATIO
    assert raw.warnings == []


def test_ytd_default_is_ratio_for_a_percent_with_numerators(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Unit"], ["AMT 2", "assessments", "%"]],
        "Data": [["ID", "Period", "Value", "Numerator", "Denominator"],
                 ["AMT 2", "Dec-19", None, 76, 100], ["AMT 2", "Jan-20", None, 77, 100]]}), today=TODAY)
    assert raw.indicators[0].ytd_method is YtdMethod.RATIO


def test_quarter_periods_follow_financial_year_start_in_both_shapes(tmp_path):
    def read(data):
        return read_workbook(write_book(tmp_path / "raw.xlsx", {
            "Indicators": [["ID", "Indicator", "Frequency"], ["V", "vacancy", "Quarterly"]], "Data": data,
            "Report": [["Setting", "Value"], ["Financial year start", "July"]]}), today=TODAY)

    wide_raw = read([["ID", "Q1 2019/20"], ["V", 5]])
    long_raw = read([["ID", "Period", "Value"], ["V", "Q1 2019/20", 5]])
    assert list(wide_raw.figures["V"]) == [Month(2019, 9)]
    assert list(long_raw.figures["V"]) == [Month(2019, 9)]


# ------------------------------------------------- commentary, overview, distributions
def full_book(tmp_path):
    return write_book(tmp_path / "raw.xlsx", {
        "Indicators": INDICATORS, "Data": LONG_DATA,
        "Commentary": [["Section", "ID", "Why", "What", "When"],
                       ["Assessment", None, "Repeat assessments on open cases", "Weekly monitoring", "Ongoing"],
                       [None, "CLA 18", "Late notifications", "Work with frontline SWs", "April 2020"]],
        "Overview": [["List", "Text", "ID"],
                     ["Going well or better", "Caseloads remain below target (14.4)", "W 1"],
                     ["ones to watch", "Timeliness of assessments remains inconsistent", None],
                     ["Things to do better", None, None]],
        "Distributions": [["Section", "Title", "Row", "<10", "10-15", "16-25", "66+"],
                          ["Assessment", "Distribution of days", "2013/14", 0.11, 0.07, 0.10, 0.10]],
    })


def test_commentary_by_section_and_by_id(tmp_path):
    raw = read_workbook(full_book(tmp_path), today=TODAY)
    by_section, by_id = raw.commentary
    assert (by_section.section, by_section.indicator_id, by_section.why, by_section.what, by_section.when) == (
        "Assessment", None, "Repeat assessments on open cases", "Weekly monitoring", "Ongoing")
    assert by_section.key == ("section", "assessment") and by_section.where == "Commentary!A2"
    assert (by_id.indicator_id, by_id.why, by_id.when) == ("CLA 18", "Late notifications", "April 2020")
    assert by_id.key == ("indicator", "cla 18") and by_id.where == "Commentary!B3"
    assert not raw.problems


def test_commentary_headed_with_the_full_questions(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": INDICATORS, "Data": LONG_DATA,
        "Commentary": [["Section", "Why does the data look the way it does?",
                        "What are you going to do about it?", "When are you going to do it by?"],
                       ["Front door", "w", "x", "y"]]}), today=TODAY)
    (c,) = raw.commentary
    assert (c.section, c.why, c.what, c.when) == ("Front door", "w", "x", "y")


def test_a_date_typed_in_the_commentary_reads_as_a_person_sees_it(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": INDICATORS, "Data": LONG_DATA,
        "Commentary": [["Section", "Why", "What", "When"],
                       ["Front door", "w", "x", dt.datetime(2020, 3, 31)]]}), today=TODAY)
    (c,) = raw.commentary
    assert c.when == "31 Mar 2020"  # not 2020-03-31 00:00:00


def test_overview_lists(tmp_path):
    raw = read_workbook(full_book(tmp_path), today=TODAY)
    assert [(o.list_name, o.text, o.indicator_id, o.where) for o in raw.overview] == [
        ("Going well or better", "Caseloads remain below target (14.4)", "W 1", "Overview!B2"),
        ("Ones to watch", "Timeliness of assessments remains inconsistent", None, "Overview!B3"),
    ]


def test_distributions(tmp_path):
    raw = read_workbook(full_book(tmp_path), today=TODAY)
    (d,) = raw.distributions
    assert (d.section, d.title, d.bands, d.unit) == ("Assessment", "Distribution of days",
                                                     ("<10", "10-15", "16-25", "66+"), Unit.PERCENT)
    assert d.rows == (("2013/14", (0.11, 0.07, 0.10, 0.10)),)


def test_distribution_whole_percentages_warn_and_counts_do_not(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": INDICATORS, "Data": LONG_DATA,
        "Distributions": [["Section", "Title", "Row", "Unit", "<10", "10-15"],
                          ["Assessment", "Days (%)", "2013/14", "%", 11, 7],
                          ["Assessment", "Days (n)", "2013/14", "count", 110, 70]]}), today=TODAY)
    pct, counts = raw.distributions
    assert pct.rows[0][1] == (pytest.approx(0.11), pytest.approx(0.07))
    assert counts.unit is Unit.COUNT and counts.rows[0][1] == (110, 70)
    assert [w.where for w in raw.warnings] == ["Distributions!E2", "Distributions!F2"]


# ------------------------------------------------------------------- error cases
def problems_for(tmp_path, sheets, formats=None):
    return validate_workbook(write_book(tmp_path / "raw.xlsx", sheets, formats), today=TODAY)


def only_errors(problems):
    return [p for p in problems if p.severity == "error"]


def test_duplicate_id_names_both_cells(tmp_path):
    problems = problems_for(tmp_path, {
        "Indicators": [["ID", "Indicator"], ["FD 8", "a"], ["AMT 2", "b"], ["fd 8", "c"]],
        "Data": [["ID", "Period", "Value"], ["FD 8", "Jan-20", 1]]})
    (p,) = only_errors(problems)
    assert p.where == "Indicators!A4"
    assert "Indicators!A2" in p.message


def test_bad_polarity_lists_the_allowed_words(tmp_path):
    problems = problems_for(tmp_path, {
        "Indicators": [["ID", "Indicator", "Polarity"], ["FD 8", "a", "Sideways"]],
        "Data": [["ID", "Period", "Value"], ["FD 8", "Jan-20", 1]]})
    (p,) = only_errors(problems)
    assert p.where == "Indicators!C2"
    assert "Sideways" in p.message
    assert "High, Low, Target, None" in str(p)


def test_read_workbook_raises_input_error_with_every_problem(tmp_path):
    path = write_book(tmp_path / "raw.xlsx", {
        "Indicators": [["ID", "Indicator", "Polarity", "Unit"], ["FD 8", "a", "Sideways", "%"],
                       ["FD 8", "b", "High", "%"]],
        "Data": [["ID", "Period", "Value"], ["FD 8", "Jan-20", 85], ["ZZ 1", "Jan-20", 1]]})
    with pytest.raises(InputError) as info:
        read_workbook(path, today=TODAY)
    wheres = {p.where for p in info.value.problems}
    assert {"Indicators!C2", "Indicators!A3", "Data!A3", "Data!C2"} <= wheres
    assert info.value.exit_code == 1
    assert "raw.xlsx" in str(info.value)


@pytest.mark.parametrize("period,error_where", [("Nov-26", None), ("Dec-26", "Data!B2"), ("2027-01", "Data!B2")])
def test_future_periods_are_errors(tmp_path, period, error_where):
    problems = only_errors(problems_for(tmp_path, {
        "Indicators": [["ID", "Indicator"], ["A", "a"]], "Data": [["ID", "Period", "Value"], ["A", period, 1]]}))
    assert [p.where for p in problems] == ([error_where] if error_where else [])
    if error_where:
        assert "future" in problems[0].message


def test_future_month_heading_in_wide_shape(tmp_path):
    problems = only_errors(problems_for(tmp_path, {
        "Indicators": [["ID", "Indicator"], ["A", "a"]], "Data": [["ID", "Nov-26", "Dec-26"], ["A", 1, 2]]}))
    assert [p.where for p in problems] == ["Data!C1"]


@pytest.mark.parametrize("data,where,words", [
    ([["ID", "Period", "Value"], ["A", "Smarch 20", 1]], "Data!B2", "Smarch 20"),
    ([["ID", "Period", "Value"], ["A", None, 1]], "Data!B2", "no period"),
    ([["ID", "Period", "Value"], ["A", "Jan-20", "#DIV/0!"]], "Data!C2", "#DIV/0!"),
    ([["ID", "Period", "Value"], ["B", "Jan-20", 1]], "Data!A2", "'B'"),
    ([["ID", "Period", "Value"], ["A", "Jan-20", 1], ["a", "2020-01", 2]], "Data!C3", "Data!C2"),
    ([["ID", "Jan-20", "Feb 2020x"], ["A", 1, 2]], "Data!C1", "Feb 2020x"),
])
def test_data_errors_name_the_cell(tmp_path, data, where, words):
    (p,) = only_errors(problems_for(tmp_path, {"Indicators": [["ID", "Indicator"], ["A", "a"]], "Data": data}))
    assert p.where == where
    assert words in p.message


def test_missing_required_sheet(tmp_path):
    (p,) = only_errors(problems_for(tmp_path, {"Indicators": [["ID", "Indicator"], ["A", "a"]]}))
    assert p.where == "raw.xlsx" and "'Data'" in p.message


def test_missing_column_points_at_the_header_row_under_a_title(tmp_path):
    problems = only_errors(problems_for(tmp_path, {
        "Indicators": [["My KPIs"], ["ID", "Unit"], ["A", "%"]],
        "Data": [["ID", "Period", "Value"], ["A", "Jan-20", 1]]}))
    missing = [p for p in problems if "'Indicator' column" in p.message]
    assert [p.where for p in missing] == ["Indicators!A2:B2"]


# --------------------------------------------- periods typed as date numbers (a date column formatted General)
def warnings_of(problems):
    return [p for p in problems if p.severity == "warning"]


def test_period_date_numbers_are_read_as_dates_with_one_warning(tmp_path):
    # 43831 and 43862 are 1 January and 1 February 2020, as a date column formatted General shows them
    data = [["ID", "Period", "Value"], ["A", 43831, 1], ["A", 43862, 2], ["A", "Mar-20", 3]]
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {"Indicators": [["ID", "Indicator"], ["A", "a"]],
                                                           "Data": data}), today=TODAY)
    assert {m: f.value for m, f in raw.figures["A"].items()} == {JAN20: 1, Month(2020, 2): 2, Month(2020, 3): 3}
    (warning,) = raw.warnings
    assert warning.where == "Data!B2"
    assert "2 periods are date numbers" in warning.message and "B3" in warning.message
    assert "43831 as January 2020" in warning.message and "Short Date" in warning.fix


def test_wide_headings_and_report_period_as_date_numbers(tmp_path):
    raw = read_workbook(write_book(tmp_path / "raw.xlsx", {
        "Indicators": INDICATORS, "Data": wide([43739, 43770, 43800, 43831]),  # Oct-19 .. Jan-20
        "Report": [["Setting", "Value"], ["Title", "KPIs"], ["Period", 43800]]}), today=TODAY)
    assert figures_of(raw) == EXPECTED
    assert (raw.settings.period, raw.settings.period_where) == (DEC19, "Report!B3")
    by_where = {p.where: p.message for p in raw.warnings}
    assert by_where.keys() == {"Data!C1", "Report!B3"}
    assert "4 periods are date numbers" in by_where["Data!C1"] and "F1" in by_where["Data!C1"]
    assert by_where["Report!B3"].startswith("period 43800 is a date number") and "December 2019" in by_where[
        "Report!B3"]


@pytest.mark.parametrize("typed", [2019, 4, 202001, 43831.5])
def test_other_numbers_in_a_period_cell_are_errors_naming_the_cell(tmp_path, typed):
    (p,) = only_errors(problems_for(tmp_path, {"Indicators": [["ID", "Indicator"], ["A", "a"]],
                                               "Data": [["ID", "Period", "Value"], ["A", typed, 1]]}))
    assert p.where == "Data!B2"
    assert f"period {typed} is a number, not a month" in p.message and "Short Date" in p.fix


def test_future_date_number_is_a_future_period(tmp_path):
    (p,) = only_errors(problems_for(tmp_path, {"Indicators": [["ID", "Indicator"], ["A", "a"]],
                                               "Data": [["ID", "Period", "Value"], ["A", 46388, 1]]}))  # Jan-27
    assert p.where == "Data!B2" and "January 2027 is in the future" in p.message


# ------------------------------------------------------------------------------ a Data sheet with no figures
@pytest.mark.parametrize("data,where", [
    ([["ID", "Period", "Value"]], "Data!A2"),  # the header only
    ([["ID", "Period", "Value"], ["A", "Jan-20", None]], "Data!A2"),  # rows, but no values
    ([["Monthly figures"], ["ID", "Jan-20", "Feb-20"]], "Data!A3"),  # wide, under a title
])
def test_data_sheet_without_figures_is_an_error(tmp_path, data, where):
    (p,) = only_errors(problems_for(tmp_path, {"Indicators": [["ID", "Indicator"], ["A", "a"]], "Data": data}))
    assert p.where == where
    assert "Data has no figures" in p.message


def test_no_figures_is_not_added_to_other_data_errors(tmp_path):
    problems = only_errors(problems_for(tmp_path, {"Indicators": [["ID", "Indicator"], ["A", "a"]],
                                                   "Data": [["ID", "Period", "Value"], ["B", "Jan-20", 1]]}))
    assert [p.where for p in problems] == ["Data!A2"] and "'B'" in problems[0].message
