"""Unit tests for kpi_xl.rate.rules: RAG, direction of travel, change text, YTD, display rounding.

Cases come from the two reference reports in /work/shared/reference:
- Croydon KPI report, January 2020: the month is rated, absolute Amber band of 10pp.
- Haringey monitoring report, February 2014: the YTD is rated, relative Amber band of 5%.
"""
import pytest

from kpi_xl.model import Polarity, Rating, ToleranceType, YtdMethod
from kpi_xl.rate.rules import (
    ARROWS,
    Rag,
    amber_band,
    change_text,
    direction_of_travel,
    format_number,
    rag,
    shown,
    ytd,
)

H, L, T, N = Polarity.HIGH, Polarity.LOW, Polarity.TARGET, Polarity.NONE
PTS, REL = ToleranceType.POINTS, ToleranceType.PERCENT
G, A, R, GREY, ND = Rating.GREEN, Rating.AMBER, Rating.RED, Rating.GREY, Rating.NO_DATA


# --------------------------------------------------------------------------- rag
# Croydon, Jan-20 column of the KPI table: (id, value, target, polarity, percent, decimals, RAG printed)
CROYDON_JAN_20 = [
    ("FD 7", 0.94, None, H, True, 0, GREY),
    ("FD 8", 0.24, 0.22, L, True, 0, A),
    ("EH 9", 0.20, 0.10, L, True, 0, R),  # exactly 10pp short is Red
    ("EH 25", 0.16, None, H, True, 0, GREY),
    ("AMT 2", 0.77, 0.85, H, True, 0, A),
    ("AMT 4", 0.46, None, H, True, 0, GREY),
    ("CIN 8", 0.90, 0.95, H, True, 0, A),
    ("CIN 4", 0.89, 0.95, H, True, 0, A),
    ("CIN 5", 0.91, 0.95, H, True, 0, A),
    ("CP 5", 0.58, 0.77, H, True, 0, R),
    ("CP 12", 0.99, 0.95, H, True, 0, G),
    ("CP 13", 0.97, 0.95, H, True, 0, G),
    ("MC 1c", 41, None, L, False, 0, GREY),
    ("MC 6", 0.61, 0.65, H, True, 0, A),
    ("MC 13", 0.84, 0.95, H, True, 0, R),
    ("MC 15", 0.46, 0.95, H, True, 0, R),
    ("CLA 10", 0.96, 0.95, H, True, 0, G),
    ("CLA 11", 0.93, 0.95, H, True, 0, A),
    ("CLA 15", 0.80, 0.95, H, True, 0, R),
    ("CLA 13", 0.84, 0.85, H, True, 0, A),
    ("CLA 18", 0.73, 0.95, H, True, 0, R),
    ("CLA 16", 0.82, 0.95, H, True, 0, R),
    ("F 4", 0.91, 0.95, H, True, 0, A),
    ("CL 1a", 0.65, 0.85, H, True, 0, R),
    ("CL 3a", 0.95, 0.90, H, True, 0, G),
    ("QA 7", 0.83, 0.95, H, True, 0, R),
    ("QA 8", 0.88, 0.95, H, True, 0, A),
    ("P1", 0.38, 0.30, L, True, 0, A),
    ("W 1", 14.4, 17, L, False, 1, G),
    ("W1 a", 16.0, 20, L, False, 1, G),
    ("W1 d", 17.6, 20, L, False, 1, G),
    ("W1 g", 16.6, 16, L, False, 1, A),
]


@pytest.mark.parametrize("pid,value,target,polarity,percent,decimals,expected", CROYDON_JAN_20,
                         ids=[c[0] for c in CROYDON_JAN_20])
def test_rag_croydon_month_absolute_10pp(pid, value, target, polarity, percent, decimals, expected):
    result = rag(value, target, polarity, 10, PTS, percent=percent, decimals=decimals)
    assert result.rating is expected, result.reason


# Haringey, Feb 2014, rated on the 2013/14 YTD column with a 5% relative band.
HARINGEY_FEB_14_YTD = [
    ("assessments in 45 days", 0.77, 0.85, H, True, 0, R),
    ("child seen in 10 days", 0.83, 0.95, H, True, 0, R),
    ("re-referrals", 0.14, 0.16, L, True, 0, G),
    ("second CP plan", 0.10, 0.10, L, True, 0, G),
    ("CP reviews", 0.90, 1.00, H, True, 0, R),
    ("CP visits", 0.96, 0.95, H, True, 0, G),
    ("CIN visits", 0.91, 0.95, H, True, 0, A),
    ("children in care", 523, 485, L, False, 0, R),
    ("CIC visits", 0.95, 0.95, H, True, 0, G),
    ("CIC reviews", 0.88, 0.92, H, True, 0, A),
    ("placement moves", 0.086, 0.10, L, True, 1, G),
    ("placed 20 miles", 0.187, 0.16, L, True, 1, R),
    ("care leavers EET", 0.46, 0.75, H, True, 0, R),
    ("adoptions", 33, 20, H, False, 0, G),
    ("SGOs", 25, 25, H, False, 0, G),
    ("A1 days to placement", 807, 639, L, False, 0, R),
    ("FOI days", 16.8, 20, L, False, 1, G),
    # printed "Unknown" in the report: 10 days against a 10-day target is met
    ("statutory complaints days", 10, 10, L, False, 0, G),
    ("vacancy rate", 0.165, 0.10, L, True, 1, R),
]


@pytest.mark.parametrize("name,value,target,polarity,percent,decimals,expected", HARINGEY_FEB_14_YTD,
                         ids=[c[0] for c in HARINGEY_FEB_14_YTD])
def test_rag_haringey_ytd_relative_5_percent(name, value, target, polarity, percent, decimals, expected):
    result = rag(value, target, polarity, 5, REL, percent=percent, decimals=decimals)
    assert result.rating is expected, result.reason


@pytest.mark.parametrize("value,target,polarity,expected", [
    (0.90, 0.85, H, G), (0.85, 0.85, H, G), (0.80, 0.85, H, A), (0.75, 0.85, H, R),
    (0.80, 0.85, L, G), (0.85, 0.85, L, G), (0.90, 0.85, L, A), (0.95, 0.85, L, R),
])
def test_rag_high_and_low_polarity(value, target, polarity, expected):
    assert rag(value, target, polarity, 10, PTS, percent=True).rating is expected


@pytest.mark.parametrize("value,expected", [
    (0.15, G), (0.10, G), (0.20, G),  # inside the band, edges included
    (0.07, A), (0.22, A),  # 3pp below, 2pp above
    (0.05, R), (0.25, R), (0.30, R),  # 5pp or more outside
])
def test_rag_target_band(value, expected):
    assert rag(value, 0.10, T, 5, PTS, target_upper=0.20, percent=True).rating is expected


def test_rag_target_band_given_upside_down_is_the_same_band():
    for v in (0.07, 0.15, 0.25):
        assert (rag(v, 0.20, T, 5, PTS, target_upper=0.10, percent=True).rating
                is rag(v, 0.10, T, 5, PTS, target_upper=0.20, percent=True).rating)


@pytest.mark.parametrize("value,expected", [(3.0, G), (3.5, A), (2.5, A), (4.0, R), (2.0, R)])
def test_rag_target_single_value(value, expected):
    assert rag(value, 3, T, 1, PTS, decimals=1).rating is expected


@pytest.mark.parametrize("value,target,polarity,expected", [
    (0.5, 0.85, N, GREY),  # activity measure: no judgement even with a target
    (None, 0.85, N, GREY),
    (0.5, None, H, GREY),  # no target
    (None, None, L, GREY),
    (None, 0.85, H, ND),  # target but no figure
    (None, 0.10, T, ND),
])
def test_rag_grey_and_no_data(value, target, polarity, expected):
    assert rag(value, target, polarity, 10, PTS, percent=True).rating is expected


def test_rag_reason_texts():
    assert "no target" in rag(0.5, None, H, 10, PTS, percent=True).reason
    assert "None" in rag(0.5, 0.8, N, 10, PTS, percent=True).reason
    assert "no figure" in rag(None, 0.8, H, 10, PTS, percent=True).reason


def test_rag_str_is_the_word():
    assert str(rag(0.77, 0.85, H, 10, PTS, percent=True)) == "Amber"
    assert isinstance(rag(0.77, 0.85, H, 10, PTS, percent=True), Rag)


@pytest.mark.parametrize("args,kwargs,parts", [
    # FD 8: absolute band in points
    ((0.24, 0.22, L, 10, PTS), dict(percent=True), ["24%", "2pp", "22%", "10pp", "within"]),
    # EH 9: exactly 10pp short
    ((0.20, 0.10, L, 10, PTS), dict(percent=True), ["20%", "10pp off", "10%", "outside"]),
    # Haringey assessments: relative band of 5% of 85 = 4.25pp
    ((0.77, 0.85, H, 5, REL), dict(percent=True), ["77%", "8pp", "85%", "5% of target", "4.25pp", "outside"]),
    # W1 g: plain numbers, no pp
    ((16.6, 16, L, 10, PTS), dict(decimals=1), ["16.6", "0.6 off", "16", "within"]),
    ((0.99, 0.95, H, 10, PTS), dict(percent=True), ["99%", "meets", "95%"]),
    ((0.15, 0.10, T, 5, PTS, 0.20), dict(percent=True), ["15%", "10% to 20%"]),
])
def test_rag_reason_mentions_the_numbers(args, kwargs, parts):
    reason = rag(*args, **kwargs).reason
    for part in parts:
        assert part in reason, (part, reason)
    if "pp" not in "".join(parts):
        assert "pp" not in reason


@pytest.mark.parametrize("value,target,polarity,tol,ttype,decimals,expected", [
    # 0.745 is shown as 75%: it meets a 75% target
    (0.745, 0.75, H, 10, PTS, 0, G),
    (0.7449, 0.75, H, 10, PTS, 0, A),
    # shown as exactly 10.0pp short: Red, at 0 and at 1 decimal
    (0.85, 0.95, H, 10, PTS, 0, R),
    (0.85, 0.95, H, 10, PTS, 1, R),
    # 84.5% shows as 85% (half up), 10pp short: Red though the raw gap is 10.5
    (0.845, 0.95, H, 10, PTS, 0, R),
    # 85.5% shows as 86%: 9pp short, Amber though the raw gap is 9.5
    (0.855, 0.95, H, 10, PTS, 0, A),
    # float noise: 0.3 - 0.2 = 0.0999..98, shown 10%; target 20% -> exactly 10pp -> Red
    (0.3 - 0.2, 0.20, H, 10, PTS, 0, R),
    # float noise: 0.95 - 0.85 = 0.0999..98 is 10%, meeting a 10% target
    (0.95 - 0.85, 0.10, H, 10, PTS, 0, G),
    (0.95 - 0.85, 0.10, L, 10, PTS, 0, G),
    # relative band: 5% of 100 = 5pp; exactly 5 short is Red, 95.5 (shown 96) is Amber
    (0.95, 1.00, H, 5, REL, 0, R),
    (0.955, 1.00, H, 5, REL, 0, A),
])
def test_rag_at_displayed_precision_percent(value, target, polarity, tol, ttype, decimals, expected):
    result = rag(value, target, polarity, tol, ttype, percent=True, decimals=decimals)
    assert result.rating is expected, result.reason


def test_rag_at_displayed_precision_plain_numbers():
    # 0.3 - 0.1 = 0.1999..98 < 0.2 in floats; shown at 1 dp the gap is exactly 0.2 -> Red
    assert rag(0.3, 0.1, L, 0.2, PTS, decimals=1).rating is R
    assert rag(0.29, 0.1, L, 0.2, PTS, decimals=2).rating is A
    # 16.6 vs 16 with a 0.6 band: exactly the band -> Red
    assert rag(16.6, 16, L, 0.6, PTS, decimals=1).rating is R
    # 16.64 shown as 16.6 at 1 dp
    assert rag(16.64, 16, L, 0.7, PTS, decimals=1).rating is A


@pytest.mark.parametrize("target,tol,ttype,band", [
    (85, 5, REL, 4.25), (92, 5, REL, 4.6), (485, 5, REL, 24.25), (100, 5, REL, 5),
    (85, 10, PTS, 10), (16, 0.5, PTS, 0.5),
])
def test_amber_band(target, tol, ttype, band):
    assert amber_band(target, tol, ttype) == band


# ------------------------------------------------------------ direction of travel
# Croydon Dec-19 -> Jan-20 pairs and their printed change text
CROYDON_CHANGES = [
    ("FD 7", 0.87, 0.94, True, 0, "Up 7pp"),
    ("FD 8", 0.31, 0.24, True, 0, "Down 7pp"),
    ("EH 25", 0.16, 0.16, True, 0, "No change"),
    ("AMT 2", 0.76, 0.77, True, 0, "Up 1pp"),
    ("CP 5", 0.81, 0.58, True, 0, "Down 23pp"),
    ("MC 1c", 36, 41, False, 0, "Up 5"),
    ("W 1", 16.6, 14.4, False, 1, "Down 2.2"),
    ("W1 a", 15.8, 16.0, False, 1, "Up 0.2"),
    ("W1 b", 13.0, 13.7, False, 1, "Up 0.7"),
    ("W1 c", 13.5, 13.0, False, 1, "Down 0.5"),
    ("W1 d", 18.6, 17.6, False, 1, "Down 1"),
    ("W1 e", 8.8, 9.3, False, 1, "Up 0.5"),
    ("W1 f", 23.7, 22.4, False, 1, "Down 1.3"),
]


@pytest.mark.parametrize("pid,previous,value,percent,decimals,text", CROYDON_CHANGES,
                         ids=[c[0] for c in CROYDON_CHANGES])
def test_change_text_croydon(pid, previous, value, percent, decimals, text):
    travel = direction_of_travel(value, previous, Polarity.HIGH, percent=percent, decimals=decimals)
    assert travel.text == text


@pytest.mark.parametrize("change,decimals,percent,text", [
    (7.0, 0, True, "Up 7pp"), (-7.0, 0, True, "Down 7pp"), (0, 0, True, "No change"),
    (0.0, 1, False, "No change"), (-0.0, 1, False, "No change"), (5, 0, False, "Up 5"),
    (-2.2, 1, False, "Down 2.2"), (-1.0, 1, False, "Down 1"), (0.2, 1, False, "Up 0.2"),
    (0.5, 1, False, "Up 0.5"), (1583, 0, False, "Up 1,583"), (-0.25, 2, True, "Down 0.25pp"),
])
def test_change_text(change, decimals, percent, text):
    assert change_text(change, decimals, percent) == text


@pytest.mark.parametrize("previous,value,polarity,direction,improvement", [
    (0.76, 0.77, H, "up", "better"),
    (0.81, 0.58, H, "down", "worse"),
    (0.31, 0.24, L, "down", "better"),  # FD 8 re-referrals falling
    (0.10, 0.20, L, "up", "worse"),  # EH 9
    (36, 41, N, "up", "neutral"),  # MC 1c, activity
    (41, 36, N, "down", "neutral"),
    (0.99, 0.99, H, "same", "same"),
    (0.16, 0.16, N, "same", "same"),
])
def test_direction_of_travel_improvement(previous, value, polarity, direction, improvement):
    percent = isinstance(value, float)
    travel = direction_of_travel(value, previous, polarity, percent=percent)
    assert (travel.direction, travel.improvement) == (direction, improvement)
    assert travel.arrow == ARROWS[direction]


@pytest.mark.parametrize("previous,value,improvement", [
    (0.30, 0.25, "better"),  # above the band, moving towards it
    (0.25, 0.30, "worse"),
    (0.05, 0.15, "better"),  # into the band
    (0.12, 0.18, "same"),  # inside the band both times
    (0.05, 0.25, "same"),  # 5pp below -> 5pp above: same distance
    (0.15, 0.35, "worse"),
])
def test_direction_of_travel_target_band(previous, value, improvement):
    travel = direction_of_travel(value, previous, T, target=0.10, target_upper=0.20, percent=True)
    assert travel.improvement == improvement


def test_direction_of_travel_target_without_target_is_neutral():
    assert direction_of_travel(5, 3, T).improvement == "neutral"


@pytest.mark.parametrize("previous,value", [(None, 0.5), (0.5, None), (None, None)])
def test_direction_of_travel_missing_values(previous, value):
    travel = direction_of_travel(value, previous, H, percent=True)
    assert travel.direction is None and travel.improvement is None and travel.change is None
    assert travel.text == "" and travel.arrow == "" and travel.alt_text == ""


def test_direction_of_travel_at_displayed_precision():
    # 0.1 + 0.2 = 0.30000000000000004 is shown as 30%: no change from 30%
    travel = direction_of_travel(0.1 + 0.2, 0.30, H, percent=True)
    assert travel.text == "No change" and travel.direction == "same"
    # 74.6% and 75.4% both show as 75%
    assert direction_of_travel(0.754, 0.746, H, percent=True).text == "No change"
    # 0.7449 shows as 74%, 0.745 as 75%
    assert direction_of_travel(0.745, 0.7449, H, percent=True).text == "Up 1pp"
    assert direction_of_travel(14.4, 16.6, L, decimals=1).change == pytest.approx(-2.2)


def test_travel_alt_text():
    assert direction_of_travel(0.77, 0.76, H, percent=True).alt_text == "Up (better)"
    assert direction_of_travel(0.24, 0.31, H, percent=True).alt_text == "Down (worse)"
    assert direction_of_travel(41, 36, N).alt_text == "Up"
    assert direction_of_travel(0.16, 0.16, H, percent=True).alt_text == "No change"


# -------------------------------------------------------------------------- YTD
@pytest.mark.parametrize("values,method,nums,dens,expected", [
    # Haringey contacts Sep-13..Feb-14 plus Apr-Aug lump: 5181
    ([2145, 415, 561, 538, 464, 579, 479], YtdMethod.SUM, None, None, 5181.0),
    ([10, None, 5], YtdMethod.SUM, None, None, 15.0),  # missing month left out
    ([0, 0], YtdMethod.SUM, None, None, 0.0),  # zeros are figures
    ([0.5, 0.9], YtdMethod.RATIO, [1, 9], [2, 10], 10 / 12),
    ([0.5, None, 0.9], YtdMethod.RATIO, [1, None, 9], [2, 7, 10], 10 / 12),  # missing numerator: pair left out
    ([0.5, 0.9], YtdMethod.RATIO, [1, 9], [2, None], 0.5),
    ([0.5, 0.9], YtdMethod.RATIO, None, None, None),  # no numerators: nothing to divide
    ([None], YtdMethod.RATIO, [0], [0], None),  # zero denominator
    ([0.5, 0.6, None], YtdMethod.LATEST, None, None, 0.6),
    ([523], YtdMethod.LATEST, None, None, 523),
    ([10, None, 20], YtdMethod.MEAN, None, None, 15.0),
    ([7.6, 8.2, 8.3, 8.6], YtdMethod.MEAN, None, None, 8.175),
    ([1, 2, 3], YtdMethod.NONE, None, None, None),
    ([], YtdMethod.SUM, None, None, None),
    ([], YtdMethod.LATEST, None, None, None),
    ([], YtdMethod.MEAN, None, None, None),
    ([], YtdMethod.RATIO, [], [], None),
    ([None, None], YtdMethod.SUM, None, None, None),  # all missing: not zero
])
def test_ytd(values, method, nums, dens, expected):
    result = ytd(values, method, nums, dens)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


# --------------------------------------------------------------- shown / format
@pytest.mark.parametrize("value,decimals,percent,expected", [
    (0.745, 0, True, 75.0), (0.7449, 0, True, 74.0), (0.85, 0, True, 85.0),
    (0.955, 0, True, 96.0), (0.1235, 1, True, 12.4), (16.65, 1, False, 16.7),
    (2.675, 2, False, 2.68), (0.5, 0, False, 1.0), (2.5, 0, False, 3.0), (-2.5, 0, False, -3.0),
    (523, 0, False, 523.0), (0.95 - 0.85, 0, True, 10.0),
])
def test_shown_rounds_half_up_like_excel(value, decimals, percent, expected):
    assert shown(value, decimals, percent) == expected


@pytest.mark.parametrize("value,decimals,percent,text", [
    (0.85, 0, True, "85%"), (0.745, 0, True, "75%"), (0.086, 1, True, "8.6%"), (1.0, 0, True, "100%"),
    (0.0, 0, True, "0%"), (14.4, 1, False, "14.4"), (16.0, 1, False, "16.0"), (1583, 0, False, "1,583"),
    (1234567.891, 1, False, "1,234,567.9"), (2.675, 2, False, "2.68"), (0.5, 0, False, "1"),
    (1.5, 0, False, "2"), (2.5, 0, False, "3"), (-7, 0, False, "-7"),
])
def test_format_number(value, decimals, percent, text):
    assert format_number(value, decimals, percent) == text
