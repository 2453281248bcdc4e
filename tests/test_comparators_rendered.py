"""Trajectories and benchmarks as LibreOffice draws the sample scorecards: the 2014 section
page's Target row under the months (as the reference report's "Haringey Target" row), the
benchmark columns with their band letters in their fills, and the dotted comparator lines on
the trend charts, named in the legend and drawn in their colours."""
from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kpi_xl import api
from kpi_xl.layout.benchmark_cells import BAND_FILLS
from kpi_xl.layout.templates import load_template
from kpi_xl.write.render import PageImages, colour_close, dominant_fill, to_pdf, words
from kpi_xl.write.xlsx_writer import write_xlsx

ROOT = Path(__file__).resolve().parent.parent
HAVE_TOOLS = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not HAVE_TOOLS and not os.environ.get("CI"),
                                reason="LibreOffice is not installed (CI always installs it)")


def render(tmp_path, sample: str, template: str, sheets: tuple[str, ...]):
    evaluation, layout, _ = api.render_layout(ROOT / "workbooks" / f"{sample}.xlsx", template=template)
    layout.sheets = [s for s in layout.sheets if s.name.startswith(sheets + ("Chart data",))]
    layout.sheets.sort(key=lambda s: s.name == "Chart data")
    pdf = to_pdf(write_xlsx(layout, tmp_path / "scorecard.xlsx"), tmp_path)
    return evaluation, pdf, words(pdf)


def line_of(found, word):
    """The words on the same printed line as ``word``, left to right."""
    return sorted((w for w in found if w.page == word.page and abs(w.center[1] - word.center[1]) < 2),
                  key=lambda w: w.x_min)


def test_the_2014_section_page_shows_the_trajectory_row_and_benchmark_columns(tmp_path):
    _, pdf, found = render(tmp_path, "monthly_monitoring_feb2014", "monthly-monitoring",
                           ("Looked after Children", "Contacts, Referrals"))
    target = next(w for w in found if w.text == "Target" and any(x.text == "510" for x in line_of(found, w)))
    row = [w.text for w in line_of(found, target)]
    assert row == ["Target", "510", "505", "500", "495", "490", "485"]  # as the 2014 report's row
    heads = {w.text for w in found if w.page == target.page}
    assert {"England", "London", "Stat", "neighbours", "Band"} <= heads
    # CRA 4 (re-referrals, lower is better): 14% against England's illustrative quartiles 19/23.5/28 is band A
    images = PageImages(pdf, dpi=100)
    band_head = next(w for w in found if w.text == "Band" and w.page != target.page)
    letters = [w for w in found if w.page == band_head.page and w.text in BAND_FILLS
               and abs(w.center[0] - band_head.center[0]) < 15 and w.y_min > band_head.y_max]
    assert letters, "no band letters under the Band header"
    for w in letters:
        assert colour_close(dominant_fill(images.colours_around(w, pad=2)), BAND_FILLS[w.text]), w.text


def test_trend_charts_draw_dotted_comparator_lines_named_with_their_year(tmp_path):
    evaluation, pdf, found = render(tmp_path, "kpi_scorecard_jan2020", "kpi-scorecard", ("Trends",))
    page = next(w.page for w in found if w.text == "AMT" and any(x.text == "2:" for x in line_of(found, w)))
    legend = " ".join(w.text for w in found if w.page == page)
    assert "England 2018/19" in legend and "London 2018/19" in legend and "Statistical neighbours 2018/19" in legend
    width, height, rgb = PageImages(pdf, dpi=100).page(page)
    pixels = Counter(zip(rgb[0::3], rgb[1::3], rgb[2::3]))
    colours = load_template("kpi-scorecard").colours
    for key in ("england_line", "region_line", "neighbours_line"):
        drawn = sum(n for colour, n in pixels.items() if colour_close(colour, colours[key], 40))
        assert drawn > 50, (key, drawn)  # the line (and its legend sample) in its colour
