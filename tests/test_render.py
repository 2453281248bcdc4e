"""Tests for kpi_xl.write.render: xlsx -> PDF via LibreOffice, words and pixel colours.

Tests that need LibreOffice/poppler are skipped when those are missing, but
never on CI (CI env var set): there they must run.
"""

import os
import shutil

import pytest
import xlsxwriter

from kpi_xl.write import render
from kpi_xl.write.render import (
    PageImages,
    RenderUnavailable,
    colour_close,
    dominant_fill,
    pixel_colours_around,
    to_pdf,
    to_png,
    words,
)

GREEN = "#00B050"
RED = "#FF0000"

_have_tools = bool(
    render.find_soffice() and shutil.which("pdftoppm") and shutil.which("pdftotext")
)
needs_libreoffice = pytest.mark.skipif(
    not os.environ.get("CI") and not _have_tools,
    reason="LibreOffice/poppler-utils not installed "
    "(apt-get install libreoffice-calc-nogui poppler-utils)",
)


def _rgb(hex_colour):
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))


def _make_rag_workbook(path):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Scorecard")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 20)
    for row in range(3):
        ws.set_row(row, 24)
    ws.write(0, 0, "Green")
    ws.write(1, 0, "Red")
    ws.write(2, 0, "Green")
    ws.write(0, 1, "Revenue")
    ws.write(1, 1, "Churn")
    ws.write_formula(2, 1, '=IF(1>0,"Formula","Zero")')
    green = wb.add_format({"bg_color": GREEN, "pattern": 1})
    red = wb.add_format({"bg_color": RED, "pattern": 1})
    ws.conditional_format(
        "A1:A3", {"type": "formula", "criteria": '=$A1="Green"', "format": green}
    )
    ws.conditional_format(
        "A1:A3", {"type": "formula", "criteria": '=$A1="Red"', "format": red}
    )
    wb.close()
    return path


@pytest.fixture(scope="module")
def rag_pdf(tmp_path_factory):
    d = tmp_path_factory.mktemp("render")
    return to_pdf(_make_rag_workbook(d / "rag.xlsx"), d / "out")


@needs_libreoffice
def test_words_contain_expected_texts(rag_pdf):
    ws = words(rag_pdf)
    texts = [w.text for w in ws]
    assert texts.count("Green") == 2
    assert texts.count("Red") == 1
    assert "Revenue" in texts and "Churn" in texts
    # formulas are recalculated on load (XlsxWriter stores 0 as cached value)
    assert "Formula" in texts
    for w in ws:
        assert w.page == 1
        assert 0 <= w.x_min < w.x_max <= w.page_width
        assert 0 <= w.y_min < w.y_max <= w.page_height


@needs_libreoffice
def test_rag_fill_colours(rag_pdf):
    images = PageImages(rag_pdf, dpi=100)
    found = {"Green": 0, "Red": 0}
    for w in words(rag_pdf):
        if w.text in found:
            fill = dominant_fill(images.colours_around(w))
            expected = _rgb(GREEN if w.text == "Green" else RED)
            assert colour_close(fill, expected, tol=30), (w, fill, expected)
            found[w.text] += 1
        elif w.text in ("Revenue", "Churn"):
            assert dominant_fill(images.colours_around(w)) == (255, 255, 255)
    assert found == {"Green": 2, "Red": 1}
    # one render for the single page, however many words were checked
    assert list(images._pages) == [1]


@needs_libreoffice
def test_pixel_colours_around_without_cache(rag_pdf):
    red = next(w for w in words(rag_pdf) if w.text == "Red")
    counts = pixel_colours_around(rag_pdf, red, dpi=72)
    assert sum(counts.values()) > 0
    assert colour_close(dominant_fill(counts), RED)


@needs_libreoffice
def test_to_png(rag_pdf, tmp_path):
    pngs = to_png(rag_pdf, tmp_path, dpi=50, first_page=1, last_page=1)
    assert [p.name for p in pngs] == ["rag-1.png"]
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_libreoffice
def test_to_pdf_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        to_pdf(tmp_path / "nope.xlsx", tmp_path)


def test_render_unavailable_when_no_soffice(monkeypatch, tmp_path):
    monkeypatch.setattr(render.shutil, "which", lambda name, *a, **k: None)
    monkeypatch.setattr(render, "_SOFFICE_CANDIDATES", ())
    monkeypatch.setattr(render, "_SOFFICE_GLOBS", ())
    assert render.find_soffice() is None
    xlsx = tmp_path / "x.xlsx"
    xlsx.write_bytes(b"")
    with pytest.raises(RenderUnavailable) as exc:
        to_pdf(xlsx, tmp_path)
    msg = str(exc.value)
    assert "apt-get install libreoffice-calc-nogui poppler-utils" in msg
    assert "libreoffice.org" in msg


def test_render_unavailable_when_no_poppler(monkeypatch, tmp_path):
    monkeypatch.setattr(render.shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(RenderUnavailable, match="pdftotext.*poppler-utils"):
        words(tmp_path / "x.pdf")


def test_parse_ppm_handles_comments_and_16bit():
    w, h, rgb = render._parse_ppm(b"P6\n# c\n2 1\n255\n" + bytes([1, 2, 3, 4, 5, 6]))
    assert (w, h, rgb) == (2, 1, bytes([1, 2, 3, 4, 5, 6]))
    w, h, rgb = render._parse_ppm(b"P6 1 1 65535\n" + bytes([255, 255, 0, 0, 128, 0]))
    assert (w, h) == (1, 1) and rgb[0] == 255 and rgb[1] == 0 and rgb[2] == 127


def test_dominant_fill_is_most_common():
    from collections import Counter

    c = Counter({(255, 255, 255): 10, (0, 176, 80): 50, (0, 0, 0): 5})
    assert dominant_fill(c) == (0, 176, 80)
    with pytest.raises(ValueError):
        dominant_fill(Counter())
