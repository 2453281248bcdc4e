"""kpi_xl.rate.evaluate: which month is rated, YTD, prior-year outturn and the printed row.

RawWorkbook objects are built directly (no files), with figures from the reference reports.
"""
import pytest

from kpi_xl.errors import InputError
from kpi_xl.rate.evaluate import COLUMNS, evaluate, evaluate_indicator, rated_period, result_row
from kpi_xl.model import (Figure, Frequency, Indicator, Polarity, RagBasis, RawWorkbook, Rating,
                          ReportSettings, ToleranceType, Unit, YtdMethod)
from kpi_xl.periods import Month

PTS, REL = ToleranceType.POINTS, ToleranceType.PERCENT
FEB14, JAN20 = Month(2014, 2), Month(2020, 1)


def series(start: Month, values, **extra):
    """{month: Figure} for consecutive months from ``start``; None skips a month; str is text."""
    out = {}
    for i, v in enumerate(values):
        if v is None:
            continue
        out[start + i] = Figure(text=v, **extra) if isinstance(v, str) else Figure(value=v, **extra)
    return out


def raw_of(pairs, period=None, fy_start=4):
    inds = [ind for ind, _ in pairs]
    return RawWorkbook("test.xlsx", inds, {ind.id: s for ind, s in pairs},
                       ReportSettings(period=period, fy_start=fy_start))


# Croydon CLA 18 (initial health assessments), Jan-20 report, shown as "Oct 19: 90%" / "Nov 19: 73%"
CLA18 = Indicator("CLA 18", "IHA within 20 working days", "Children in care", Unit.PERCENT, Polarity.HIGH,
                  target=0.95, tolerance=10, tolerance_type=PTS, arrears=2)
CLA18_SERIES = series(Month(2019, 9), [0.80, 0.90, 0.73])  # Sep, Oct, Nov 2019


@pytest.mark.parametrize("arrears,frequency,report,rated", [
    (0, Frequency.MONTHLY, JAN20, JAN20),
    (1, Frequency.MONTHLY, JAN20, Month(2019, 12)),
    (2, Frequency.MONTHLY, JAN20, Month(2019, 11)),
    (0, Frequency.QUARTERLY, FEB14, Month(2013, 12)),  # Q3 2013/14 is the last complete quarter
    (0, Frequency.QUARTERLY, Month(2014, 1), Month(2013, 12)),
    (0, Frequency.QUARTERLY, Month(2014, 3), Month(2014, 3)),
    (0, Frequency.QUARTERLY, Month(2013, 12), Month(2013, 12)),
    (1, Frequency.QUARTERLY, Month(2014, 4), Month(2014, 3)),
    (3, Frequency.QUARTERLY, Month(2014, 3), Month(2013, 12)),
])
def test_rated_period(arrears, frequency, report, rated):
    ind = Indicator("X", "x", arrears=arrears, frequency=frequency)
    assert rated_period(ind, report) == rated


def test_arrears_rates_the_month_two_back_and_prefixes_the_month():
    res = evaluate_indicator(CLA18, CLA18_SERIES, JAN20)
    assert res.period == Month(2019, 11) and res.previous_period == Month(2019, 10)
    assert res.in_arrears
    row = result_row(res)
    assert row["period"] == "Nov-19"
    assert row["value"] == "Nov 19: 73%"
    assert row["previous"] == "Oct 19: 90%"
    assert row["change"] == "Down 17pp"
    assert row["improvement"] == "worse"
    assert row["rag"] == "Red"
    assert "2 months in arrears" in row["note"] and "November 2019" in row["note"]


def test_arrears_with_no_figure_yet_shows_a_dash_with_the_month():
    res = evaluate_indicator(CLA18, CLA18_SERIES, Month(2020, 2))  # rates Dec-19: not there yet
    assert result_row(res)["value"] == "Dec 19: -"
    assert res.rag.rating is Rating.NO_DATA


# Haringey "Children's Social Worker Vacancy Rate": Q1..Q3 2013/14 = 22%, 19%, 16.5%; target 10%
VACANCY = Indicator("OE 1", "Children's Social Worker Vacancy Rate", "Organisational effectiveness",
                    Unit.PERCENT, Polarity.LOW, target=0.10, tolerance=5, tolerance_type=REL,
                    frequency=Frequency.QUARTERLY, decimals=1)
VACANCY_SERIES = {Month(2013, 3): Figure(0.15), Month(2013, 6): Figure(0.22), Month(2013, 9): Figure(0.19),
                  Month(2013, 12): Figure(0.165)}


def test_quarterly_report_month_feb_14_rates_dec_13_against_sep_13():
    res = evaluate_indicator(VACANCY, VACANCY_SERIES, FEB14)
    assert (res.period, res.previous_period) == (Month(2013, 12), Month(2013, 9))
    assert res.value == 0.165 and res.previous_value == 0.19
    assert res.travel.text == "Down 2.5pp" and res.travel.improvement == "better"
    assert res.ytd == 0.165  # Latest within 2013/14
    assert res.prior_year == 0.15  # Q4 2012/13
    assert res.rag.rating is Rating.RED
    assert result_row(res)["value"] == "16.5%"  # not in arrears: no month prefix


# Haringey "The number of contacts received": count, summed. 2012/13 outturn 6637; 2013/14 YTD 5181.
CONTACTS = Indicator("CR 1", "The number of contacts received", "Contacts", Unit.COUNT, Polarity.NONE,
                     ytd_method=YtdMethod.SUM)
CONTACTS_SERIES = {
    Month(2012, 4): Figure(5638), Month(2013, 3): Figure(999),  # 2012/13: 6637
    Month(2013, 4): Figure(2145),  # April-August 2013, lumped
    **series(Month(2013, 9), [415, 561, 538, 464, 579, 479]),  # Sep-13 .. Feb-14
    Month(2014, 4): Figure(700),  # next year: never in the 2013/14 YTD
}


def test_ytd_sums_within_the_april_to_march_year_and_prior_year_outturn():
    res = evaluate_indicator(CONTACTS, CONTACTS_SERIES, FEB14)
    assert res.ytd == 5181
    assert res.prior_year == 6637
    assert res.prior_year_mean == pytest.approx(6637 / 2)
    assert res.rag.rating is Rating.GREY
    row = result_row(res)
    assert (row["value"], row["previous"], row["ytd"], row["prior_year"], row["change"]) == (
        "479", "579", "5,181", "6,637", "Down 100")
    assert row["improvement"] == "neutral"


@pytest.mark.parametrize("report,ytd", [
    (Month(2013, 4), 2145), (Month(2013, 9), 2560), (Month(2014, 3), 5181), (Month(2014, 4), 700),
])
def test_ytd_restarts_in_april(report, ytd):
    assert evaluate_indicator(CONTACTS, CONTACTS_SERIES, report).ytd == ytd


def test_ytd_follows_a_january_year_start():
    res = evaluate_indicator(CONTACTS, CONTACTS_SERIES, FEB14, fy_start=1)
    assert res.ytd == 579 + 479


def test_ytd_ratio_leaves_out_months_without_a_pair():
    ind = Indicator("AMT 2", "assessments", unit=Unit.PERCENT, target=0.85, ytd_method=YtdMethod.RATIO)
    s = {Month(2019, 4): Figure(0.5, numerator=50, denominator=100),
         Month(2019, 5): Figure(text="n/a"),
         Month(2019, 6): Figure(0.9, numerator=90, denominator=100),
         Month(2019, 7): Figure(0.6)}  # a value without its pair
    res = evaluate_indicator(ind, s, Month(2019, 7))
    assert res.ytd == pytest.approx(0.7)
    assert result_row(res)["ytd"] == "70%"


def test_ytd_ratio_is_a_ratio_of_sums_not_a_mean_of_ratios():
    """Months with different denominators: 9/10 and 10/100 make (9+10)/(10+100) = 17.3%, where
    the mean of the two rates (90% and 10%) would be 50%."""
    ind = Indicator("AMT 3", "assessments", unit=Unit.PERCENT, target=0.85, ytd_method=YtdMethod.RATIO, decimals=1)
    s = {Month(2019, 4): Figure(0.9, numerator=9, denominator=10),
         Month(2019, 5): Figure(0.1, numerator=10, denominator=100)}
    res = evaluate_indicator(ind, s, Month(2019, 5))
    assert res.ytd == pytest.approx(19 / 110)
    assert result_row(res)["ytd"] == "17.3%"


# Haringey "Number of adoptions": Feb-14 = 0, 2013/14 YTD = 33, year-end target 20
ADOPTIONS_SERIES = {Month(2013, 4): Figure(29), Month(2014, 1): Figure(4), FEB14: Figure(0)}


@pytest.mark.parametrize("basis,rated,rating", [(RagBasis.YTD, 33, Rating.GREEN), (RagBasis.MONTH, 0, Rating.RED)])
def test_rag_basis_ytd_or_month(basis, rated, rating):
    ind = Indicator("AD 2", "Number of adoptions", unit=Unit.COUNT, polarity=Polarity.HIGH, target=20,
                    tolerance=5, tolerance_type=REL, rag_basis=basis, ytd_method=YtdMethod.SUM)
    res = evaluate_indicator(ind, ADOPTIONS_SERIES, FEB14)
    assert res.rated_value == rated
    assert res.rag.rating is rating


def test_text_figure_is_no_data_and_shown_as_typed():
    ind = Indicator("MC 1", "missing from care", unit=Unit.COUNT, polarity=Polarity.LOW, target=5)
    res = evaluate_indicator(ind, {FEB14: Figure(text="2Missing 3 Absent 7Abscond")}, FEB14)
    row = result_row(res)
    assert row["value"] == "2Missing 3 Absent 7Abscond"
    assert row["previous"] == "-"
    assert row["rag"] == "No data" and row["change"] == ""
    assert "Figure given as text" in row["note"]


# Croydon FD 8 and W1 g, Jan-20 report
FD8 = Indicator("FD 8", "Percentage of re-referrals within 12 months", "Front door", Unit.PERCENT,
                Polarity.LOW, target=0.22, tolerance=10, tolerance_type=PTS)
W1G = Indicator("W1 g", "Average caseload per worker - adolescent teams", "Workforce", Unit.NUMBER,
                Polarity.LOW, target=16, tolerance=10, tolerance_type=PTS, decimals=1)
BAND = Indicator("B 1", "in band", unit=Unit.PERCENT, polarity=Polarity.TARGET, target=0.10, target_upper=0.20,
                 tolerance=5, tolerance_type=PTS)


def test_result_row_keys_and_croydon_values():
    res = evaluate_indicator(FD8, series(Month(2019, 12), [0.31, 0.24]), JAN20)
    row = result_row(res)
    assert tuple(row) == COLUMNS
    assert row == {
        "id": "FD 8", "section": "Front door", "indicator": "Percentage of re-referrals within 12 months",
        "period": "Jan-20", "value": "24%", "previous": "31%", "change": "Down 7pp", "direction": "\u2193",
        "improvement": "better", "ytd": "24%", "prior_year": "", "target": "22%", "rag": "Amber",
        "reason": "24% is 2pp off the target of 22%, within the Amber band (10pp)", "note": "",
        # two months are too few for SPC: no judgement, no limits
        "variation": "", "assurance": "", "spc_mean": "", "spc_lower": "", "spc_upper": "", "spc_points": "2",
    }


def test_result_row_plain_number_and_band_target():
    row = result_row(evaluate_indicator(W1G, series(Month(2019, 12), [15.4, 16.6]), JAN20))
    assert (row["value"], row["previous"], row["change"], row["target"], row["rag"]) == (
        "16.6", "15.4", "Up 1.2", "16.0", "Amber")
    row = result_row(evaluate_indicator(BAND, series(Month(2019, 12), [0.25, 0.15]), JAN20))
    assert (row["target"], row["rag"], row["improvement"]) == ("10%-20%", "Green", "better")


def test_evaluate_uses_the_report_period_else_the_latest_month():
    pairs = [(FD8, series(Month(2019, 11), [0.30, 0.31, 0.24])), (W1G, series(Month(2019, 12), [15.4]))]
    ev = evaluate(raw_of(pairs))
    assert ev.period == JAN20
    assert [r.indicator.id for r in ev.results] == ["FD 8", "W1 g"]
    assert [r.rag.rating for r in ev.results] == [Rating.AMBER, Rating.NO_DATA]
    assert ev.counts() == {"Green": 0, "Amber": 1, "Red": 0, "Grey": 0, "No data": 1}
    assert ev.fy_label == "2019/20" and ev.prior_fy_label == "2018/19"
    ev = evaluate(raw_of(pairs, period=Month(2019, 12)))
    assert ev.period == Month(2019, 12) and ev.results[0].value == 0.31
    assert evaluate(raw_of(pairs), period=Month(2019, 11)).results[0].value == 0.30
    assert ev.figure("FD 8", Month(2019, 11)).value == 0.30


def test_evaluate_without_figures_is_an_input_error():
    with pytest.raises(InputError) as info:
        evaluate(raw_of([(FD8, {})]))
    assert info.value.problems[0].where == "Data"


# ------------------------------------------------- a report month with nothing to show is refused, not all "No data"
def test_report_period_without_figures_names_its_cell_and_the_latest_month():
    raw = raw_of([(FD8, series(Month(2019, 11), [0.30, 0.31, 0.24]))])  # Nov-19 .. Jan-20
    stale = RawWorkbook(raw.source, raw.indicators, raw.figures,
                        ReportSettings(period=Month(2018, 1), period_where="Report!B4"))
    with pytest.raises(InputError) as info:
        evaluate(stale)
    (p,) = info.value.problems
    assert p.where == "Report!B4"
    assert p.message == ("Period January 2018 has no figures for any indicator; the latest month with figures "
                         "is January 2020.")
    assert "Clear the Period" in p.fix
    assert info.value.exit_code == 1 and str(info.value).startswith("test.xlsx: 1 problem to fix")


def test_period_asked_for_without_figures_names_the_option_and_the_latest_month():
    with pytest.raises(InputError) as info:
        evaluate(raw_of([(FD8, series(Month(2019, 11), [0.30, 0.31, 0.24]))]), period=Month(2030, 1))
    (p,) = info.value.problems
    assert (p.where, p.message) == ("--period", "January 2030 has no figures for any indicator; the latest month "
                                                "with figures is January 2020.")
    assert "--period 2020-01" in p.fix


def test_a_month_some_indicator_shows_is_reported():
    # only the indicator in arrears has a figure to show for Feb-20; and a typed no-data mark is a figure
    ev = evaluate(raw_of([(FD8, series(Month(2019, 11), [0.30])), (CLA18, series(Month(2019, 12), [0.9]))]),
                  period=Month(2020, 2))
    assert [r.figure is not None for r in ev.results] == [False, True]
    assert evaluate(raw_of([(FD8, series(JAN20, ["-"]))])).period == JAN20


# A quarterly indicator in a May-24 report: Q4 2023/24 (Mar-24) is rated; no quarter of 2024/25 has ended.
AUDITS = Indicator("Q 1", "case audits rated good", unit=Unit.PERCENT, polarity=Polarity.HIGH, target=0.75,
                   tolerance=5, tolerance_type=PTS, frequency=Frequency.QUARTERLY, ytd_method=YtdMethod.MEAN)
AUDITS_SERIES = {Month(2023, 6): Figure(0.74), Month(2023, 9): Figure(0.76), Month(2023, 12): Figure(0.72),
                 Month(2024, 3): Figure(0.70)}


def test_quarterly_ytd_and_outturn_are_the_report_months_financial_years():
    res = evaluate_indicator(AUDITS, AUDITS_SERIES, Month(2024, 5))
    assert (res.period, res.previous_period, res.value) == (Month(2024, 3), Month(2023, 12), 0.70)
    assert res.ytd is None  # 2024/25: its first quarter ends in June
    assert res.prior_year == pytest.approx(0.73)  # 2023/24 from its four quarters, by the YTD method (Mean)
    assert "no 2024/25 year to date yet" in res.ytd_note and "June 2024" in res.ytd_note
    assert "No 2024/25 year to date yet" in result_row(res)["note"]
    assert evaluate_indicator(AUDITS, AUDITS_SERIES, Month(2024, 3)).ytd == pytest.approx(0.73)  # in its own year


def test_a_ytd_rating_with_no_quarter_ended_yet_says_why():
    ind = Indicator("Q 1", "audits", unit=Unit.PERCENT, target=0.75, frequency=Frequency.QUARTERLY,
                    ytd_method=YtdMethod.MEAN, rag_basis=RagBasis.YTD)
    res = evaluate_indicator(ind, AUDITS_SERIES, Month(2024, 5))
    assert res.rag.rating is Rating.NO_DATA and "first quarter ends in June 2024" in result_row(res)["note"]


def test_arrears_across_the_year_end_has_no_ytd_for_the_new_year():
    res = evaluate_indicator(CLA18, series(Month(2019, 4), [0.8] * 12), Month(2020, 4))  # rates Feb-20
    assert res.period == Month(2020, 2) and res.ytd is None
    assert res.prior_year == 0.8 and "latest figure reported is for February 2020" in res.ytd_note
