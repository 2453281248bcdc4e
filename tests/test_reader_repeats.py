"""The Data and Indicators readers take a value typed before from what reading it gave then
(a period, an ID, a Unit ...) and a plain number without the checks (issue 11): these pin
that a value repeated is still told on every row it is wrong on, and that the short cuts
read exactly what the checks read."""
from __future__ import annotations

import datetime as dt
import math

from kpi_xl.model import Indicator, Polarity, Unit
from kpi_xl.periods import Month
from kpi_xl.read.checks import MAX_FIGURE, Checks, plain_number
from kpi_xl.read.grid import Grid
from kpi_xl.read.sheets import report
from kpi_xl.read.sheets.data import read_data

TODAY = dt.date(2020, 2, 15)
W1 = Indicator("W1", "Bins", "Waste", Unit.NUMBER)


def _read(rows, wanted=(W1,)):
    return read_data(Grid("Data", rows), list(wanted), report.read_report(None)[0], today=TODAY)


def test_a_wrong_period_or_id_typed_twice_is_told_on_both_rows():
    rows = [["ID", "Period", "Value"], ["W1", "Jan 2020", 1], ["W1", "Smarch 20", 2], ["W1", "Smarch 20", 3],
            ["#REF!", "Dec 2019", 4], ["#REF!", "Nov 2019", 5], ["W1", "Jan 2030", 6], ["W1", "Jan 2030", 7]]
    figures, check = _read(rows)
    assert list(figures["W1"]) == [Month(2020, 1)]
    assert [p.where for p in check.problems] == ["Data!B3", "Data!B4", "Data!A5", "Data!A6", "Data!B7", "Data!B8"]


def test_a_period_typed_as_a_date_number_is_told_with_each_cell():
    rows = [["ID", "Period", "Value"], ["W1", 43831, 1], ["W1", 43831, 2], ["W1", dt.datetime(2019, 12, 1), 3],
            ["W1", dt.datetime(2019, 12, 1), 4]]
    figures, check = _read(rows)
    assert check.date_numbers["Data"] == [("Data!B2", 43831, Month(2020, 1)), ("Data!B3", 43831, Month(2020, 1))]
    # the same month twice is told on the second row, whichever way it was typed
    assert [p.where for p in check.problems] == ["Data!C3", "Data!C5"]
    assert figures["W1"][Month(2020, 1)].where == "Data!C2" and figures["W1"][Month(2019, 12)].where == "Data!C4"


def test_ids_typed_alike_read_as_the_checks_read_them():
    rows = [["ID", "Period", "Value"], [" W1 ", "Jan 2020", 1], ["w1", "Dec 2019", 2], [1, "Nov 2019", 3],
            [1.0, "Oct 2019", 4], [True, "Sep 2019", 5]]
    figures, check = _read(rows, [W1, Indicator("1", "Ones", "Waste", Unit.NUMBER)])
    assert list(figures["W1"]) == [Month(2020, 1), Month(2019, 12)]
    assert list(figures["1"]) == [Month(2019, 11)]
    assert [(p.where, p.message) for p in check.problems] == [
        ("Data!A5", "ID '1.0' is not on the Indicators sheet."), ("Data!A6", "ID 'True' is not on the Indicators sheet.")]


def test_a_plain_number_is_what_the_number_check_reads_and_anything_else_is_left_to_it():
    for value in (0, -3, 12, 2.5, -0.0, 10**14, MAX_FIGURE - 1, -(MAX_FIGURE - 1)):
        check = Checks(TODAY)
        assert plain_number(value) == check.number(value, "Data!C2", "Value") and check.problems == []
        assert type(plain_number(value)) is float
    for value in (MAX_FIGURE, -MAX_FIGURE, 10**20, math.inf, -math.inf, math.nan, True, False, "12", None, ""):
        assert plain_number(value) is None


def test_figures_with_and_without_numerator_and_denominator_read_as_typed():
    pct = Indicator("P1", "Share", "Waste", Unit.PERCENT, Polarity.HIGH)
    rows = [["ID", "Period", "Value", "Numerator", "Denominator", "Note"],
            ["P1", "Jan 2020", None, 3, 4, None], ["P1", "Dec 2019", 0.5, None, None, "  "],
            ["P1", "Nov 2019", 0.5, "3", 0, None], ["P1", "Oct 2019", None, None, None, "only a note"],
            ["P1", "Sep 2019", 0.9, 1, 2, None]]
    figures, check = _read(rows, [pct])
    got = {m.label: (f.value, f.numerator, f.denominator, f.note, f.where) for m, f in figures["P1"].items()}
    assert got == {"Jan-20": (0.75, 3.0, 4.0, None, "Data!C2"), "Dec-19": (0.5, None, None, None, "Data!C3"),
                   "Nov-19": (0.5, None, None, None, "Data!C4"), "Oct-19": (None, None, None, "only a note", "Data!C5"),
                   "Sep-19": (0.9, 1.0, 2.0, None, "Data!C6")}
    assert [(p.where, p.severity) for p in check.problems] == [("Data!E4", "warning"), ("Data!C6", "warning")]


def test_a_choice_typed_alike_reads_as_typed():
    check = Checks(TODAY)
    read = [check.choice(Polarity, value, f"Indicators!E{n}", "Polarity", None)
            for n, value in enumerate(["High", " high ", "LOW", 1, 1.0, True, "High"], start=2)]
    assert read == [Polarity.HIGH, Polarity.HIGH, Polarity.LOW, None, None, None, Polarity.HIGH]
    assert [(p.where, p.message) for p in check.problems] == [
        ("Indicators!E5", "Polarity '1' is not recognised."), ("Indicators!E6", "Polarity '1.0' is not recognised."),
        ("Indicators!E7", "Polarity 'True' is not recognised.")]
