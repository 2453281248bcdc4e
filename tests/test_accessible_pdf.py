"""The directors' PDF (``kpi-xl export --pdf``) can be published: tagged, titled in the
window title, in British English, a bookmark per sheet, selectable text on every page; the
chart data sheet prints as its explanation, never as an unreadable page. Read with pypdf."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from kpi_xl.cli import main
from kpi_xl.layout.sheets.chart_data import CHART_DATA_NOTE
from kpi_xl.run.pdf_check import check_pdf
from kpi_xl.write import render

ROOT = Path(__file__).resolve().parent.parent
needs_libreoffice = pytest.mark.skipif(
    not os.environ.get("CI") and not (render.find_soffice() and shutil.which("pdftotext")),
    reason="LibreOffice not installed (apt-get install libreoffice-calc-nogui poppler-utils)")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, PdfReader]:
    out = tmp_path_factory.mktemp("pdf") / "Scorecard (directors).xlsx"
    assert main(["export", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out), "--pdf",
                 "-q"]) == 0
    return out, PdfReader(out.with_suffix(".pdf"))


@needs_libreoffice
def test_the_pdf_is_tagged_with_a_structure_tree(exported):
    root = exported[1].trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/K"]  # the structure has content: the tagged tables and text


@needs_libreoffice
def test_the_pdf_shows_its_title_in_the_window_and_is_in_british_english(exported):
    import openpyxl

    xlsx, reader = exported
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == openpyxl.load_workbook(xlsx).properties.title
    assert reader.metadata.title.endswith("January 2020")


@needs_libreoffice
def test_the_pdf_has_a_bookmark_for_each_sheet(exported):
    import openpyxl

    xlsx, reader = exported
    assert [item.title for item in reader.outline] == openpyxl.load_workbook(xlsx).sheetnames


@needs_libreoffice
def test_the_pdf_text_is_selectable_on_every_page(exported):
    reader = exported[1]
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) > 10 and all(t.strip() for t in texts)
    assert "Key Performance Indicators" in texts[1] or "KPI" in "".join(texts[:3])


@needs_libreoffice
def test_the_chart_data_sheet_prints_as_its_explanation_not_an_unreadable_table(exported):
    reader = exported[1]
    chart_data = next(item for item in reader.outline if item.title == "Chart data")
    page = reader.pages[reader.get_destination_page_number(chart_data)]
    text = " ".join(page.extract_text().split())
    assert " ".join(CHART_DATA_NOTE.split()[:8]) in text
    assert "Target Jan-20" not in text and len(text.split()) < 120


@needs_libreoffice
def test_each_chart_in_the_pdf_carries_its_alt_text_on_the_page_that_draws_it(exported):
    from kpi_xl.api import evaluate_file
    from kpi_xl.write.render import figure_tags

    reader = exported[1]
    ids = [r.indicator.id for r in evaluate_file(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx").results]
    page_of = {page.indirect_reference.idnum: page for page in reader.pages}
    figures = figure_tags(reader.trailer["/Root"])
    assert len(figures) >= 40
    for figure in figures:
        alt = str(figure["/Alt"])
        ind_id = next(i for i in ids if alt.startswith((f"Line chart of {i} ", f"SPC chart of {i} ")))
        assert "Latest figure" in alt
        assert f"{ind_id}:" in page_of[figure.raw_get("/Pg").idnum].extract_text()  # the chart's own title


@needs_libreoffice
def test_the_pdf_passes_the_pdf_check(exported):
    import openpyxl

    xlsx, _ = exported
    assert check_pdf(xlsx.with_suffix(".pdf"), openpyxl.load_workbook(xlsx).sheetnames) == []


def test_an_untagged_untitled_pdf_of_pictures_is_reported_with_every_problem(tmp_path, capsys):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "scan.pdf"
    writer.write(path)
    problems = [str(p) for p in check_pdf(path, ["KPI table"])]
    for words in ("is not tagged", "language is not set", "has no title", "shows its file name",
                  "has no bookmarks", "page 1: has no text that can be selected"):
        assert any(words in p for p in problems), (words, problems)
    assert main(["check-accessibility", str(path)]) == 1
    assert "scan.pdf: is not tagged" in capsys.readouterr().out


def test_a_chart_figure_without_alt_text_is_reported(tmp_path):
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    figure = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Figure")})
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                             NameObject("/K"): ArrayObject([writer._add_object(figure)])})
    writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(tree)
    writer.write(tmp_path / "f.pdf")
    assert any("1 chart(s) or picture(s) have no alternative text" in str(p) for p in check_pdf(tmp_path / "f.pdf"))


def test_a_pdf_marked_untagged_is_reported(tmp_path):
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(False)})
    writer.create_viewer_preferences().display_doctitle = False
    writer.write(tmp_path / "x.pdf")
    problems = [str(p) for p in check_pdf(tmp_path / "x.pdf")]
    assert any("is not tagged" in p for p in problems) and any("shows its file name" in p for p in problems)


def test_the_libreoffice_filter_asks_for_a_tagged_pdf_with_bookmarks():
    import json

    name, options = render.pdf_filter().split(":", 2)[::2]
    assert name == "pdf"
    options = json.loads(options)
    assert options["UseTaggedPDF"] == {"type": "boolean", "value": "true"}
    assert options["ExportBookmarks"]["value"] == "true"
