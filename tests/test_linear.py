"""Work that must grow in step with the input, never with its square: checked by counting
what is looked at (never by timing; the timings are in benchmarks/bench_build.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kpi_xl.layout.builder import LayoutBuilder, build_layout
from kpi_xl.layout.templates import load_template
from kpi_xl.rate.evaluate import evaluate
from kpi_xl.read import grid as grid_module
from kpi_xl.read.grid import Grid
from kpi_xl.read.reader import MAX_PROBLEMS, Reader, read_grids
from kpi_xl.read.sheets import data as data_sheet

MONTHS = [dt.datetime(2019, 4 + m, 1) if m < 9 else dt.datetime(2020, m - 8, 1) for m in range(12)]


class Counting(list):
    """A list that counts how often it is gone through from the start."""

    def __init__(self, items, counter: dict, name: str):
        super().__init__(items)
        self.counter, self.name = counter, name

    def __iter__(self):
        self.counter[self.name] = self.counter.get(self.name, 0) + 1
        return super().__iter__()


class CountingDict(dict):
    def __init__(self, counter: dict, name: str):
        super().__init__()
        self.counter, self.name = counter, name

    def __iter__(self):
        self.counter[self.name] = self.counter.get(self.name, 0) + 1
        return super().__iter__()


def grids(sections: int, per_section: int = 2, commentary: bool = True, unknown: int = 0,
          merged_ids: bool = False) -> dict[str, Grid]:
    """A raw workbook in memory: ``sections`` sections of ``per_section`` indicators, a
    year of figures each, a Commentary row per section and per indicator."""
    ind = [["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance"]]
    data = [["ID", "Period", "Value"]]
    com = [["Section", "ID", "Why", "What", "When"]]
    merged = []
    for s in range(sections):
        com.append([f"Section {s + 1}", None, f"Why {s}", "What", "When"])
        for i in range(per_section):
            pid = f"PI {s * per_section + i + 1}"
            ind.append([pid, f"Indicator {pid}", f"Section {s + 1}", "count", "High", 100, 5])
            com.append([None, pid, f"Why {pid}", "What", "When"])
            first = len(data)
            for m, month in enumerate(MONTHS):
                data.append([pid if m == 0 or not merged_ids else None, month, 90 + m])
            if merged_ids:
                merged.append(f"A{first + 1}:A{len(data)}")
    for u in range(unknown):
        data.append([f"PJ {u + 1}", MONTHS[0], 1])
    found = {"Indicators": Grid("Indicators", ind), "Data": Grid("Data", data, merged=merged)}
    if commentary:
        found["Commentary"] = Grid("Commentary", com)
    return found


def layout_reads(sections: int, template: str) -> dict[str, int]:
    """How often laying out the scorecard goes through the whole list of results, of
    commentary rows and of section sheets."""
    counter: dict[str, int] = {}
    evaluation = evaluate(read_grids(grids(sections), "raw.xlsx", dt.date(2020, 6, 1)))
    evaluation = dataclasses.replace(evaluation, results=Counting(evaluation.results, counter, "results"))
    evaluation.raw.commentary = Counting(evaluation.raw.commentary, counter, "commentary")
    original = LayoutBuilder.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.section_sheets = CountingDict(counter, "section sheets")

    LayoutBuilder.__init__ = init
    try:
        layout = build_layout(evaluation, load_template(template))
    finally:
        LayoutBuilder.__init__ = original
    assert len([s for s in layout.sheets if s.kind == "section"]) == (sections if template == "monthly-monitoring"
                                                                      else 0)
    return counter


@pytest.mark.parametrize("template", ["kpi-scorecard", "monthly-monitoring"])
def test_the_layout_goes_through_each_list_as_often_for_40_sections_as_for_4(template):
    """Grouped once: no sheet scans every result per section, every commentary row per
    indicator, or the list of section sheets per row (the page number)."""
    few, many = layout_reads(4, template), layout_reads(40, template)
    assert many == few


def test_section_page_numbers_follow_the_section_sheets():
    evaluation = evaluate(read_grids(grids(3), "raw.xlsx", dt.date(2020, 6, 1)))
    layout = build_layout(evaluation, load_template("monthly-monitoring"))
    front = next(s for s in layout.sheets if s.kind == "front_page")
    pages = [c.value for c in front.cells if isinstance(c.value, int) and c.link and "Section" in c.link]
    assert pages == [1, 1, 2, 2, 3, 3]  # two indicators in each of three sections


def test_covered_looks_only_at_the_merged_ranges_on_its_row(monkeypatch):
    """A Data sheet with each ID merged down its rows: asking about every cell must not go
    through every merged range each time."""
    grid = grids(50, merged_ids=True)["Data"]
    assert grid.covered(2, 0) and not grid.covered(1, 0) and not grid.covered(2, 1)
    counter: dict[str, int] = {}
    grid.__dict__["_merged_bounds"] = Counting(grid.merged_bounds(), counter, "merged")
    covered = [r for r in range(len(grid.rows)) if grid.covered(r, 0)]
    assert len(covered) == 100 * 11  # every row of an ID but its first
    assert counter.get("merged", 0) == 0


def test_covered_sees_a_range_taller_than_the_row_index():
    tall = grid_module.TALL_MERGE + 5
    grid = Grid("Data", [["ID"], ["x"]], merged=[f"B2:C{tall + 2}", "A5:A6"])
    assert grid.covered(tall, 1) and grid.covered(1, 2) and not grid.covered(1, 1)
    assert grid.covered(5, 0) and not grid.covered(4, 0) and not grid.covered(tall + 2, 1)


def test_merged_ids_are_still_reported_once_each():
    reader = Reader(grids(3, merged_ids=True), "raw.xlsx", dt.date(2020, 6, 1))
    reader.read()
    merged = [p for p in reader.check.problems if "are merged" in p.message]
    assert len(merged) == 6 and all(p.severity == "error" for p in merged)
    assert not any("has a figure with no ID" in p.message for p in reader.check.problems)


def test_unknown_ids_look_for_a_near_match_a_bounded_number_of_times(monkeypatch):
    """Each look compares an unknown ID with every ID: for hundreds of unknown IDs only the
    first few are looked up, and every one is still reported."""
    calls = []
    import difflib

    real = difflib.get_close_matches

    def counted(word, possibilities, *args, **kwargs):
        calls.append(word)
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    reader = Reader(grids(5, unknown=300), "raw.xlsx", dt.date(2020, 6, 1))
    reader.read()
    unknown = [p for p in reader.check.problems if "is not on the Indicators sheet" in p.message]
    assert len(unknown) == MAX_PROBLEMS and reader.check.found["error"] == 300  # the rest are counted
    assert len(calls) == data_sheet.CLOSE_MATCH_HINTS
    assert "Did you mean 'PI 1'?" in next(p.fix for p in unknown if "'PJ 1'" in p.message)


def spc_chart_work(sections: int, monkeypatch) -> dict[str, int]:
    """How often the SPC charts sheet goes through the Rebase sheet's rows and compares two
    indicators' results, for ``sections`` sections of two indicators."""
    from kpi_xl.rate.evaluate import Result

    counter: dict[str, int] = {}
    evaluation = evaluate(read_grids(grids(sections), "raw.xlsx", dt.date(2020, 6, 1)))
    evaluation.raw.rebases = Counting(evaluation.raw.rebases, counter, "rebases")
    real_eq = Result.__eq__

    def compared(self, other):
        counter["results compared"] = counter.get("results compared", 0) + 1
        return real_eq(self, other)

    monkeypatch.setattr(Result, "__eq__", compared)
    layout = build_layout(evaluation, load_template("kpi-scorecard"))
    charts = next(s for s in layout.sheets if s.name == "SPC charts").charts
    assert len(charts) == 2 * sections  # a chart for every indicator
    return counter


def test_the_spc_charts_go_through_the_rebases_and_results_as_often_for_80_indicators_as_for_8(monkeypatch):
    """The rebases are grouped by indicator once and the indicators without a chart found
    by a set: not the whole Rebase sheet per chart, nor every chart per indicator."""
    assert spc_chart_work(40, monkeypatch) == spc_chart_work(4, monkeypatch)
