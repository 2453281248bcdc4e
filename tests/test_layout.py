"""Small layout rules, tested as plain values."""
from __future__ import annotations

from kpi_xl.layout import number_format, section_breaks, text_trend
from kpi_xl.model import Indicator, Unit


def test_section_breaks_keep_sections_whole():
    heights = {}  # every row 15pt
    blocks = [(0, 9), (10, 19), (20, 29), (30, 39)]  # four sections of 150pt
    # a 400pt page with a 30pt repeated header: two sections fit, the third would split
    assert section_breaks(blocks, heights, 30, page=400) == [20]
    assert section_breaks(blocks, heights, 30, page=1000) == []
    # a section taller than a page just continues: no break is forced before it
    assert section_breaks([(0, 9), (10, 60)], heights, 30, page=400) == []


def test_number_formats_follow_unit_and_decimals():
    assert number_format(Indicator("a", "a", unit=Unit.PERCENT)) == "0%"
    assert number_format(Indicator("a", "a", unit=Unit.PERCENT, decimals=1)) == "0.0%"
    assert number_format(Indicator("a", "a", unit=Unit.COUNT)) == "#,##0"
    assert number_format(Indicator("a", "a", decimals=1), prefix="Nov 19: ") == '"Nov 19: "#,##0.0'


def test_text_trend():
    assert text_trend([1, 2, 3, None, 8]) == "\u2581\u2582\u2583 \u2588"
    assert text_trend([5, 5]) == "\u2584\u2584"
    assert text_trend([None, None]) == ""
