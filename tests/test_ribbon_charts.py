"""The ribbon's charts carry every line of the scorecard file's charts, coloured as there.

On xlwings Server each chart is an entry of its sheet's kpiFormats batch, drawn by the
add-in's static/js/kpi-formats.js (tests/js runs that script on a mock Excel); here, the
entries are checked against the layout the file is written from. On desktop Excel the
charts go through xlwings' chart API, checked on a recording stand-in for it.
"""
from __future__ import annotations

import os
from dataclasses import replace
import sys
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_scripts import SAMPLE_NAMES, file_layout, run  # noqa: E402
from xlwings_body import book_body  # noqa: E402

from kpi_xl import api  # noqa: E402
from kpi_xl.excel import scripts  # noqa: E402
from kpi_xl.layout.builder import build_layout  # noqa: E402
from kpi_xl.model import Rebase  # noqa: E402
from kpi_xl.periods import Month  # noqa: E402
from kpi_xl.rate.evaluate import evaluate  # noqa: E402
from kpi_xl.write.xlwings_writer import write_book  # noqa: E402
from kpi_xl.layout.templates import DEFAULT_COLOURS, load_template  # noqa: E402
from kpi_xl.write.xlwings_cells import split_ref  # noqa: E402
from kpi_xl.write.xlwings_charts import CHART_ACTION, draw_desktop_chart, one_block  # noqa: E402
from kpi_xl.write.xlwings_painter import FORMATS_CALLBACK, BookWrite, Painter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPECIAL = {"Improvement": (DEFAULT_COLOURS["spc_improvement"], "Diamond"),
           "Concern": (DEFAULT_COLOURS["spc_concern"], "Square"),
           "Neither": (DEFAULT_COLOURS["spc_neutral"], "Triangle")}


def batches(actions: list[dict]) -> list[list[dict]]:
    """Each sheet's batch of formats and charts, in the order the sheets are drawn."""
    return [a["args"][1] for a in actions if a["func"] == "runMacro" and a["args"][0] == FORMATS_CALLBACK]


def batched_charts(actions: list[dict]) -> dict[int, list[dict]]:
    """Each sheet's charts (by the order its batch was sent), as the batches carry them."""
    return {i: [inner for inner in batch if inner["func"] == CHART_ACTION] for i, batch in enumerate(batches(actions))}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_chart_goes_with_every_series_of_the_file(name):
    path = ROOT / "workbooks" / name
    actions = run(scripts.build_scorecard, book_body(path))
    layout = file_layout(path)
    drafts = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    final = dict(zip(drafts, (s.name for s in layout.sheets)))  # drafts are added in the layout's order
    for spec, batch in zip(layout.sheets, batches(actions), strict=True):
        sent = [inner for inner in batch if inner["func"] == CHART_ACTION]
        assert len(sent) == len(spec.charts), spec.name
        assert batch[len(batch) - len(sent):] == sent  # after every format, width and height of the sheet
        for chart, entry in zip(spec.charts, sent):
            got = entry["args"][0]
            assert (got["title"], got["row"], got["column"]) == (chart.title, chart.row, chart.col)
            assert got["axis"] == (list(chart.y_range) if chart.y_range else None)
            assert got["number_format"] == chart.number_format
            assert [(final.get(s["values"][0], s["values"][0]), s["values"][1]) for s in got["series"]] == \
                [split_ref(s.values) for s in chart.series]
            assert [(final.get(s["categories"][0]), s["categories"][1]) for s in got["series"]] == \
                [split_ref(s.categories) for s in chart.series]
            assert [(s["name"], s["colour"]) for s in got["series"]] == [(s.name, s.colour) for s in chart.series]
            assert [s["in_legend"] for s in got["series"]] == [k not in chart.unlisted for k in range(len(chart.series))]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_spc_charts_have_the_mean_limits_target_and_coloured_special_causes(name):
    """As the file draws them: the mean solid, the limits dashed, the target dashed red, each
    kind of special cause as points only (no line) in Making Data Count's colour and shape."""
    path = ROOT / "workbooks" / name
    actions = run(scripts.build_scorecard, book_body(path))
    layout = file_layout(path)
    position = next(i for i, s in enumerate(layout.sheets) if s.name == "SPC charts")
    sent = [entry["args"][0] for entry in batched_charts(actions)[position]]
    assert len(sent) > 10
    kinds = set()
    for chart in sent:
        by_name = {s["name"]: s for s in chart["series"]}
        figure = chart["series"][0]
        assert (figure["line"], figure["colour"], figure["marker"]) == ("Continuous", DEFAULT_COLOURS["series_line"],
                                                                       "Circle")
        assert (by_name["Mean"]["line"], by_name["Mean"]["colour"]) == ("Continuous", DEFAULT_COLOURS["spc_limits"])
        for limit in ("Process limits", "Lower process limit"):
            assert (by_name[limit]["line"], by_name[limit]["colour"]) == ("Dash", DEFAULT_COLOURS["spc_limits"])
        if "Target" in by_name:
            assert (by_name["Target"]["line"], by_name["Target"]["colour"]) == ("Dash", DEFAULT_COLOURS["target_line"])
        for kind, (colour, marker) in SPECIAL.items():
            if kind in by_name:
                kinds.add(kind)
                assert (by_name[kind]["line"], by_name[kind]["colour"], by_name[kind]["marker"]) == \
                    ("None", colour, marker)
        assert chart["blanks"] == "NotPlotted" and chart["legend"]
    assert kinds  # the samples have special causes


def test_a_rebase_breaks_the_mean_and_limits():
    """After a rebase the second group's mean and limits are other series, whose cells are
    blank before it (and the first's after it), so the lines break there as in the file; the
    second set is left out of the legend."""
    jan20 = api.evaluate_file(ROOT / "workbooks" / SAMPLE_NAMES[0])
    raw = jan20.raw
    rebased = replace(raw, rebases=[Rebase("EH 9", Month(2019, 1), "New early help model")],
                      settings=replace(raw.settings, spc_minimum_points=6))
    layout = build_layout(evaluate(rebased), load_template("kpi-scorecard"))
    book = xw.Book(json=book_body(ROOT / "workbooks" / SAMPLE_NAMES[0]))
    write_book(layout, book)
    position = next(i for i, s in enumerate(layout.sheets) if s.name == "SPC charts")
    [chart] = [e["args"][0] for e in batched_charts(book.json()["actions"])[position]
               if e["args"][0]["title"].startswith("EH 9")]
    means = [s for s in chart["series"] if s["name"] == "Mean"]
    assert [s["in_legend"] for s in means] == [True, False]
    spc = layout.sheet("SPC charts")
    filled = [{c.col for c in spc.cells if c.row + 1 == int(s["values"][1].split(":")[0].lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
               and isinstance(c.value, float)} for s in means]
    assert filled[0] and filled[1] and not filled[0] & filled[1]  # each group's months only: a gap between
    assert max(filled[0]) < min(filled[1])


# -- desktop Excel, through xlwings' chart API ---------------------------------------------------


class Recorder:
    """Stands in for an xlwings object: records what is set and called, under its path."""

    def __init__(self, log, path="book"):
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name):
        return Recorder(self._log, f"{self._path}.{name}")

    def __setattr__(self, name, value):
        self._log.append((f"{self._path}.{name}", value))

    def __getitem__(self, key):
        return Recorder(self._log, f"{self._path}[{key}]")

    def __call__(self, *args, **kwargs):
        self._log.append((f"{self._path}()", (args, kwargs)))
        return Recorder(self._log, f"{self._path}()")


def test_desktop_spc_chart_is_drawn_from_its_table_with_each_series_coloured():
    layout = file_layout(ROOT / "workbooks" / SAMPLE_NAMES[0])
    spc = next(s for s in layout.sheets if s.name == "SPC charts")
    chart = next(c for c in spc.charts if any(s.name == "Concern" for s in c.series))
    log: list = []
    painter = Painter(Recorder(log), BookWrite(engine="excel"))
    draw_desktop_chart(painter, Recorder(log, "sheet"), chart)
    sheet, block = one_block(chart)
    assert ("book.sheets[SPC charts].range()", ((block,), {})) in log  # every series: one row of the block
    assert block.split(":")[0] == split_ref(chart.series[0].values)[1].split(":")[0]
    sets = [kwargs for path, (args, kwargs) in ((p, v) for p, v in log if p.endswith(".set()"))
            if "line_color" in kwargs]
    assert [(k["name"], k["line_color"]) for k in sets] == [(s.name, s.colour) for s in chart.series]
    concern = next(k for k in sets if k["name"] == "Concern")
    assert (concern["marker_style"], concern["marker_background_color"]) == ("square", DEFAULT_COLOURS["spc_concern"])
    dashes = [v for p, v in log if p.endswith("Format.Line.DashStyle")]
    assert dashes.count(4) == sum(1 for s in chart.series if s.dash == "dash")  # the limits: msoLineDash
    assert sum(1 for p, v in log if p.endswith("Format.Line.Visible") and v is False) == \
        sum(1 for s in chart.series if not s.line)  # special causes: points only
    assert not painter.report.notes


def test_desktop_trend_chart_says_its_other_lines_are_in_the_file():
    layout = file_layout(ROOT / "workbooks" / SAMPLE_NAMES[0])
    chart = next(c for c in layout.sheet("Trends").charts if len(c.series) > 1)
    assert one_block(chart) is None  # the target and last year's lines are other columns
    painter = Painter(Recorder([]), BookWrite(engine="excel"))
    draw_desktop_chart(painter, Recorder([], "sheet"), chart)
    assert any("drawn only in the scorecard file" in n for n in painter.report.notes)
