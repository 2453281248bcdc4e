"""Unit tests for kpi_xl.periods: months, financial years and typed periods."""
import datetime as dt

import pytest

from kpi_xl.periods import (
    DATE_NUMBERS,
    PLAUSIBLE_YEARS,
    Month,
    date_from_number,
    excel_date_number,
    financial_year_label,
    financial_year_start,
    is_plausible,
    month_name,
    parse_month_name,
    parse_period,
    quarter_end,
    quarter_label,
)

JAN_20 = Month(2020, 1)


@pytest.mark.parametrize("typed,expected", [
    (dt.datetime(2020, 1, 31, 0, 0), JAN_20),
    (dt.datetime(2020, 1, 1), JAN_20),
    (dt.date(2020, 1, 15), JAN_20),
    (JAN_20, JAN_20),
    ("Jan-20", JAN_20),
    ("Jan 20", JAN_20),
    ("jan20", JAN_20),
    ("JAN-2020", JAN_20),
    ("Jan. 2020", JAN_20),
    ("January 2020", JAN_20),
    ("  january 2020  ", JAN_20),
    ("Jan/20", JAN_20),
    ("Sep-13", Month(2013, 9)),
    ("Sept 2019", Month(2019, 9)),
    ("Sep'19", Month(2019, 9)),
    ("Nov 19", Month(2019, 11)),
    ("December 2019", Month(2019, 12)),
    ("Feb-14", Month(2014, 2)),
    ("2020-01", JAN_20),
    ("2020-1", JAN_20),
    ("2020/01", JAN_20),
    ("2020-01-31", JAN_20),
    ("2020-01-31 00:00:00", JAN_20),
    ("2020-01-31T00:00:00", JAN_20),
    ("01/2020", JAN_20),
    ("1/2020", JAN_20),
    ("31/01/2020", JAN_20),
    ("Q3 2013/14", Month(2013, 12)),
    ("Q1 2019/20", Month(2019, 6)),
    ("Q2 2013/14", Month(2013, 9)),
    ("Q4 2013/14", Month(2014, 3)),
    ("q4 2013-2014", Month(2014, 3)),
    ("Q3 FY 2013/14", Month(2013, 12)),
    ("Q3 2013\u201314", Month(2013, 12)),  # en dash, as Word/Excel autocorrect types it
])
def test_parse_period_accepts(typed, expected):
    assert parse_period(typed) == expected


@pytest.mark.parametrize("typed", [
    "garbage", "13/2020", "00/2020", "2020-13", "2020-00", "", "   ", None, 43831, 2020.0,
    "Smarch 2020", "Jan", "2020", "Q5 2013/14", "Q0 2013/14", "31/13/2020", True,
])
def test_parse_period_rejects(typed):
    assert parse_period(typed) is None


@pytest.mark.parametrize("typed,start_month,expected", [
    ("Q1 2019/20", 7, Month(2019, 9)),
    ("Q3 2013/14", 7, Month(2014, 3)),
    ("Jan-20", 7, JAN_20),  # a month is a month whatever the year start
])
def test_parse_period_quarters_follow_the_financial_year_start(typed, start_month, expected):
    assert parse_period(typed, start_month) == expected


def test_month_rejects_bad_month_numbers():
    with pytest.raises(ValueError):
        Month(2020, 13)
    with pytest.raises(ValueError):
        Month(2020, 0)


@pytest.mark.parametrize("month,delta,expected", [
    (JAN_20, 1, Month(2020, 2)), (JAN_20, -1, Month(2019, 12)), (JAN_20, 12, Month(2021, 1)),
    (Month(2019, 12), 1, JAN_20), (JAN_20, -13, Month(2018, 12)), (JAN_20, 0, JAN_20),
])
def test_month_add(month, delta, expected):
    assert month + delta == expected


def test_month_subtract():
    assert JAN_20 - 2 == Month(2019, 11)
    assert JAN_20 - Month(2019, 11) == 2
    assert Month(2019, 11) - JAN_20 == -2
    assert Month(2014, 2) - Month(2013, 4) == 10
    assert Month.from_index(JAN_20.index) == JAN_20


def test_month_order_and_hash():
    assert Month(2019, 12) < JAN_20 < Month(2020, 2)
    assert max([Month(2019, 11), JAN_20, Month(2019, 12)]) == JAN_20
    assert {JAN_20: 1}[Month(2020, 1)] == 1


@pytest.mark.parametrize("month,label,short,long,iso", [
    (JAN_20, "Jan-20", "Jan 20", "January 2020", "2020-01"),
    (Month(2019, 11), "Nov-19", "Nov 19", "November 2019", "2019-11"),
    (Month(2013, 9), "Sep-13", "Sep 13", "September 2013", "2013-09"),
    (Month(2005, 5), "May-05", "May 05", "May 2005", "2005-05"),
])
def test_month_labels(month, label, short, long, iso):
    assert (month.label, month.short_label, month.long_label, month.iso(), str(month)) == (
        label, short, long, iso, label)


def test_month_to_date():
    assert JAN_20.to_date() == dt.date(2020, 1, 1)


@pytest.mark.parametrize("month,start_month,first,label", [
    (Month(2014, 2), 4, Month(2013, 4), "2013/14"),
    (Month(2013, 4), 4, Month(2013, 4), "2013/14"),
    (Month(2014, 3), 4, Month(2013, 4), "2013/14"),
    (Month(2014, 4), 4, Month(2014, 4), "2014/15"),
    (JAN_20, 4, Month(2019, 4), "2019/20"),
    (Month(1999, 6), 4, Month(1999, 4), "1999/00"),
    (JAN_20, 1, JAN_20, "2020"),
    (Month(2020, 12), 1, JAN_20, "2020"),
    (Month(2020, 8), 9, Month(2019, 9), "2019/20"),
])
def test_financial_year(month, start_month, first, label):
    assert financial_year_start(month, start_month) == first
    assert financial_year_label(month, start_month) == label


@pytest.mark.parametrize("month,start_month,label,end", [
    (Month(2013, 4), 4, "Q1 2013/14", Month(2013, 6)),
    (Month(2013, 9), 4, "Q2 2013/14", Month(2013, 9)),
    (Month(2013, 10), 4, "Q3 2013/14", Month(2013, 12)),
    (Month(2013, 12), 4, "Q3 2013/14", Month(2013, 12)),
    (Month(2014, 2), 4, "Q4 2013/14", Month(2014, 3)),
    (Month(2014, 3), 4, "Q4 2013/14", Month(2014, 3)),
    (Month(2020, 2), 1, "Q1 2020", Month(2020, 3)),
    (Month(2019, 9), 7, "Q1 2019/20", Month(2019, 9)),
])
def test_quarters(month, start_month, label, end):
    assert quarter_label(month, start_month) == label
    assert quarter_end(month, start_month) == end


def test_quarter_label_round_trips_through_parse_period():
    for m in (Month(2013, 6), Month(2013, 12), Month(2014, 3)):
        assert parse_period(quarter_label(m)) == quarter_end(m)


@pytest.mark.parametrize("typed,expected", [
    ("April", 4), ("apr", 4), (" APRIL ", 4), ("Sept", 9), ("September", 9), ("January", 1),
    (4, 4), (4.0, 4), ("4", 4), ("12", 12), (1, 1),
    (13, None), (0, None), (4.5, None), ("13", None), ("Smarch", None), ("", None), (None, None),
])
def test_parse_month_name(typed, expected):
    assert parse_month_name(typed) == expected


@pytest.mark.parametrize("number,expected", [
    (43831, dt.date(2020, 1, 1)),  # a date column formatted General shows 43831 for 1 January 2020
    (43862.0, dt.date(2020, 2, 1)),  # the Excel add-in sends the same cell as a float
    (43861, dt.date(2020, 1, 31)),
    (41670, dt.date(2014, 1, 31)),
    (18264, dt.date(1950, 1, 1)),  # the first of PLAUSIBLE_YEARS
    (73050, dt.date(2099, 12, 31)),  # the last
])
def test_date_numbers_are_read_as_their_dates(number, expected):
    assert date_from_number(number) == expected
    assert excel_date_number(expected) == int(number)


@pytest.mark.parametrize("number", [
    18263, 73051,  # just outside PLAUSIBLE_YEARS
    2019, 4, 60, 0, -43831, 202001,  # a year, a month number, Excel's 29 Feb 1900, yyyymm: not dates
    43831.5, float("nan"), float("inf"),  # only whole numbers
    True, "43831", None, dt.date(2020, 1, 1),  # only numbers
])
def test_other_values_are_not_date_numbers(number):
    assert date_from_number(number) is None


def test_one_plausible_year_range_decides_which_numbers_are_dates():
    assert DATE_NUMBERS == range(18264, 73051)
    assert is_plausible(Month(PLAUSIBLE_YEARS.start, 1)) and is_plausible(Month(PLAUSIBLE_YEARS.stop - 1, 12))
    assert not is_plausible(Month(1850, 1)) and not is_plausible(Month(1, 1))
    assert not is_plausible(Month(PLAUSIBLE_YEARS.stop, 1))


def test_month_names_are_the_english_ones_the_key_sheet_showed():
    """The Key sheet's "Financial years run April to March" (it used calendar.month_name,
    which is English unless a program sets its locale, and kpi_xl never does)."""
    import calendar

    assert [month_name(m) for m in range(1, 13)] == list(calendar.month_name)[1:]
    assert all(parse_month_name(month_name(m)) == m for m in range(1, 13))
