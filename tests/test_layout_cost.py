"""What keeps laying out a large scorecard cheap, pinned by behaviour (the speed itself is
measured in benchmarks/bench_build.py, never timed here)."""
from __future__ import annotations

from dataclasses import replace

from kpi_xl.layout.types import PLAIN, Cell, SheetLayout, Style


def test_a_style_with_the_same_changes_is_made_once():
    base = Style(border=True, align="right")
    first = base.but(num_format="0.0%")
    assert first is base.but(num_format="0.0%")  # one object: made once, and the writer finds its format by identity
    assert first == Style(border=True, align="right", num_format="0.0%")
    assert base.but(num_format="0.0") is not first
    assert base.num_format is None  # the base is unchanged


def test_equal_styles_and_changes_of_another_type_stay_apart():
    """12 and 12.0 are equal, but a writer may print them differently: each keeps its own."""
    assert type(PLAIN.but(size=12).size) is int and type(PLAIN.but(size=12.0).size) is float
    whole, point = Style(size=12), Style(size=12.0)
    assert whole == point
    assert type(whole.but(bold=True).size) is int and type(point.but(bold=True).size) is float
    assert PLAIN.but(bold=True, italic=True) == PLAIN.but(italic=True, bold=True)


def test_a_cell_is_put_with_its_fields_and_copied_with_replace():
    sheet = SheetLayout("Sheet")
    sheet.put(2, 3, 1.5, PLAIN, formula="=B1", merge_to=(2, 4))
    cell = sheet.cells[0]
    assert (cell.row, cell.col, cell.value, cell.style, cell.formula, cell.link, cell.merge_to) == \
        (2, 3, 1.5, PLAIN, "=B1", None, (2, 4))
    assert replace(cell, link="internal:'Key'!A1") == Cell(2, 3, 1.5, PLAIN, "=B1", "internal:'Key'!A1", (2, 4))
