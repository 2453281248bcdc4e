"""The scorecards as a real spreadsheet program shows them.

Each sample scorecard is rendered by LibreOffice headless (which recalculates every
formula on load), then the RAG words are found in the PDF with `pdftotext -bbox` and the
pixels around them sampled: each word must be the rating kpi_xl computed (so the Excel
formula agrees with the Python rule) and its cell must have that rating's colour (so the
conditional formatting works, not just exists).
"""
from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kpi_xl import api
from kpi_xl.write.render import PageImages, colour_close, dominant_fill, to_pdf, words
from kpi_xl.layout.templates import load_template
from kpi_xl.write.xlsx_writer import write_xlsx

ROOT = Path(__file__).resolve().parent.parent
HAVE_TOOLS = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not HAVE_TOOLS and not os.environ.get("CI"),
                                reason="LibreOffice is not installed (CI always installs it)")

CASES = [("kpi_scorecard_jan2020", "kpi-scorecard", "KPI table", "RAG"),
         ("monthly_monitoring_feb2014", "monthly-monitoring", "Front page", "Traffic"),
         ("kpi_scorecard_jan2020", "monthly-monitoring", "Front page", "Traffic"),
         ("monthly_monitoring_feb2014", "kpi-scorecard", "KPI table", "RAG")]


@pytest.mark.parametrize("sample,template,sheet,header", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rag_cells_render_in_their_colours(tmp_path, sample, template, sheet, header):
    evaluation, layout, _ = api.render_layout(ROOT / "workbooks" / f"{sample}.xlsx", template=template)
    layout.sheets = [s for s in layout.sheets if s.name in (sheet, "Chart data")]
    layout.sheets.sort(key=lambda s: s.name != sheet)  # the table first, so its pages come first
    xlsx = write_xlsx(layout, tmp_path / "scorecard.xlsx")
    pdf = to_pdf(xlsx, tmp_path)
    found = words(pdf)
    colours = load_template(template).colours
    expected_fill = {"Green": colours["green"], "Amber": colours["amber"], "Red": colours["red"],
                     "Grey": colours["grey"]}
    images = PageImages(pdf, dpi=100)
    seen: Counter = Counter()
    for page in sorted({w.page for w in found}):
        heads = [w for w in found if w.page == page and w.text == header]
        if not heads:
            continue
        column = heads[0]
        for w in found:
            if w.page != page or w.text not in expected_fill or w.y_min <= column.y_max:
                continue
            if abs(w.center[0] - column.center[0]) > 25:
                continue
            fill = dominant_fill(images.colours_around(w))
            assert colour_close(fill, expected_fill[w.text]), (page, w.text, fill, expected_fill[w.text])
            seen[w.text] += 1
    computed = Counter(r.rag.rating.value for r in evaluation.results)
    assert seen == +Counter({k: v for k, v in computed.items() if k in expected_fill}), (seen, computed)


def test_arrows_and_words_render(tmp_path):
    _, layout, _ = api.render_layout(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx")
    layout.sheets = [s for s in layout.sheets if s.name in ("KPI table", "Chart data")]
    pdf = to_pdf(write_xlsx(layout, tmp_path / "s.xlsx"), tmp_path)
    texts = [w.text for w in words(pdf)]
    assert "\u2191" in texts and "\u2193" in texts and "better" in texts and "worse" in texts
    assert "Up" in texts and "7pp" in texts  # FD 7: Up 7pp
    assert "Nov" in texts and "73%" in texts  # CLA 18 in arrears: Nov 19: 73%


def rendered(sample: str, template: str, keep, tmp_path):
    """The PDF of the sheets of ``sample`` built with ``template`` for which ``keep(sheet)`` holds."""
    _, layout, _ = api.render_layout(ROOT / "workbooks" / f"{sample}.xlsx", template=template)
    layout.sheets = [s for s in layout.sheets if keep(s)]
    return to_pdf(write_xlsx(layout, tmp_path / f"{sample}-{template}.xlsx"), tmp_path)


def page_texts(pdf) -> dict[int, str]:
    """Each page's words in reading order, as one line of text."""
    pages: dict[int, list] = {}
    for w in words(pdf):
        pages.setdefault(w.page, []).append(w)
    return {p: " ".join(w.text for w in sorted(ws, key=lambda w: (round(w.y_min), w.x_min)))
            for p, ws in sorted(pages.items())}


QUESTIONS = ("Why does the data look the way it does?", "What are you going to do about it?",
             "When are you going to do it by?")


@pytest.mark.parametrize("template,kind", [("kpi-scorecard", "commentary"), ("monthly-monitoring", "section")])
def test_no_answer_box_is_printed_apart_from_its_question(tmp_path, template, kind):
    """Every printed page of commentary starts its questions with "Why ...": no page holds only
    the end of an item (an empty box, or an answer whose question is on the page before)."""
    pdf = rendered("kpi_scorecard_jan2020", template, lambda s: s.kind == kind, tmp_path)
    for page, text in page_texts(pdf).items():
        found = sorted((text.find(q), q) for q in QUESTIONS if q in text)
        assert found and found[0][1] == QUESTIONS[0], (page, text[:300])


def test_overview_prints_its_lists_at_full_size(tmp_path):
    pdf = rendered("monthly_monitoring_feb2014", "kpi-scorecard", lambda s: s.kind == "overview", tmp_path)
    found = words(pdf)
    bullets = [w for w in found if w.text == "\u2022"]
    # 10pt text printed at 100% gives 13pt word boxes; fitted to one page the lists were 8pt boxes
    assert bullets and min(w.y_max - w.y_min for w in bullets) > 12
    assert sum(w.text == "(proposed" for w in found) == 3  # each list says where it came from, on the page


def test_chart_data_prints_only_its_title_and_note(tmp_path):
    pdf = rendered("kpi_scorecard_jan2020", "kpi-scorecard", lambda s: s.kind == "chart_data", tmp_path)
    pages = page_texts(pdf)
    assert len(pages) == 1 and "not printed" in pages[1] and "FD 7" not in pages[1]
