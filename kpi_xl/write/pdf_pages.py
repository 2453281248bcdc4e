"""Read a rendered PDF back, so tests can look at it: where words landed (``pdftotext
-bbox``) and the colours of the pixels around them (``pdftoppm``).

Coordinates of :class:`Word` are PDF points (1/72 inch) with the origin at the
top-left of the page, exactly as ``pdftotext -bbox`` reports them. Typical use::

    pdf = to_pdf(xlsx, tmp_path)
    images = PageImages(pdf)                   # renders each page at most once
    for w in words(pdf):
        if w.text == "Green":
            fill = dominant_fill(images.colours_around(w))
"""

from __future__ import annotations

import collections
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .render import POPPLER_TIMEOUT, RenderError, _require_poppler, _run

__all__ = ["Word", "PageImages", "words", "pixel_colours_around", "dominant_fill", "colour_close"]


# --------------------------------------------------------------------------
# Words and their boxes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One word from ``pdftotext -bbox``; box in PDF points, origin top-left."""

    page: int  # 1-based
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    page_width: float
    page_height: float

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x_min + self.x_max) / 2, (self.y_min + self.y_max) / 2)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def words(pdf_path: str | os.PathLike) -> list[Word]:
    """All words of the PDF, in reading order, with their bounding boxes."""
    pdftotext = _require_poppler("pdftotext")
    cmd = [pdftotext, "-bbox", str(Path(pdf_path)), "-"]
    res = _run(cmd, POPPLER_TIMEOUT)
    if res.returncode != 0:
        raise RenderError(
            f"pdftotext failed (exit code {res.returncode}): {' '.join(cmd)}\n"
            f"stderr:\n{res.stderr.decode(errors='replace')}"
        )
    try:
        root = ET.fromstring(res.stdout)
    except ET.ParseError as exc:
        raise RenderError(f"cannot parse pdftotext -bbox output: {exc}") from exc

    result: list[Word] = []
    page_no = 0
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "page":
            page_no += 1
            pw = float(el.get("width", "0"))
            ph = float(el.get("height", "0"))
            for w in el:
                if _local(w.tag) != "word":
                    continue
                result.append(
                    Word(
                        page=page_no,
                        text=w.text or "",
                        x_min=float(w.get("xMin")),
                        y_min=float(w.get("yMin")),
                        x_max=float(w.get("xMax")),
                        y_max=float(w.get("yMax")),
                        page_width=pw,
                        page_height=ph,
                    )
                )
    return result


# --------------------------------------------------------------------------
# Pixels
# --------------------------------------------------------------------------


def _parse_ppm(data: bytes) -> tuple[int, int, bytes]:
    """Parse a binary PPM (P6). Returns (width, height, 8-bit RGB bytes)."""
    if data[:2] != b"P6":
        raise RenderError(f"not a binary PPM (P6); starts with {data[:2]!r}")
    pos = 2
    fields: list[int] = []
    n = len(data)
    while len(fields) < 3:
        # skip whitespace and comments
        while pos < n and (data[pos : pos + 1].isspace() or data[pos : pos + 1] == b"#"):
            if data[pos : pos + 1] == b"#":
                while pos < n and data[pos : pos + 1] not in (b"\n", b"\r"):
                    pos += 1
            else:
                pos += 1
        start = pos
        while pos < n and data[pos : pos + 1].isdigit():
            pos += 1
        if start == pos:
            raise RenderError("malformed PPM header")
        fields.append(int(data[start:pos]))
    pos += 1  # exactly one whitespace byte before the raster
    width, height, maxval = fields
    if maxval < 256:
        need = width * height * 3
        raster = data[pos : pos + need]
        if len(raster) != need:
            raise RenderError(f"truncated PPM: {len(raster)} of {need} bytes")
        if maxval != 255:
            raster = bytes(v * 255 // maxval for v in raster)
        return width, height, raster
    need = width * height * 6
    raw = data[pos : pos + need]
    if len(raw) != need:
        raise RenderError(f"truncated PPM: {len(raw)} of {need} bytes")
    raster = bytes(
        ((raw[i] << 8) | raw[i + 1]) * 255 // maxval for i in range(0, need, 2)
    )
    return width, height, raster


class PageImages:
    """Rasterised pages of one PDF at one dpi, each rendered at most once.

    ``page(n)`` returns ``(width_px, height_px, rgb_bytes)``.
    """

    def __init__(self, pdf_path: str | os.PathLike, dpi: int = 100):
        self.pdf_path = Path(pdf_path)
        self.dpi = dpi
        self._pages: dict[int, tuple[int, int, bytes]] = {}

    def page(self, page: int) -> tuple[int, int, bytes]:
        if page not in self._pages:
            pdftoppm = _require_poppler("pdftoppm")
            cmd = [pdftoppm, "-r", str(self.dpi), "-f", str(page), "-l", str(page),
                   str(self.pdf_path)]  # no output root: PPM (P6) on stdout
            res = _run(cmd, POPPLER_TIMEOUT)
            if res.returncode != 0 or not res.stdout:
                raise RenderError(
                    f"pdftoppm failed (exit code {res.returncode}): {' '.join(cmd)}\n"
                    f"stderr:\n{res.stderr.decode(errors='replace')}"
                )
            self._pages[page] = _parse_ppm(res.stdout)
        return self._pages[page]

    def colours_around(self, word: Word, pad: float = 0.0) -> collections.Counter:
        """Counter of (r, g, b) for every pixel inside the word's box.

        ``pad`` (points) grows the box on every side; negative shrinks it.
        Scaling uses the rendered image size / page size, so rounding matches.
        """
        width, height, rgb = self.page(word.page)
        sx = width / word.page_width if word.page_width else self.dpi / 72
        sy = height / word.page_height if word.page_height else self.dpi / 72
        x0 = max(0, int((word.x_min - pad) * sx))
        x1 = min(width, int(round((word.x_max + pad) * sx)))
        y0 = max(0, int((word.y_min - pad) * sy))
        y1 = min(height, int(round((word.y_max + pad) * sy)))
        counts: collections.Counter = collections.Counter()
        for y in range(y0, y1):
            row = rgb[(y * width + x0) * 3 : (y * width + x1) * 3]
            counts.update(zip(row[0::3], row[1::3], row[2::3]))
        return counts


def pixel_colours_around(
    pdf_path: str | os.PathLike,
    word: Word,
    dpi: int = 100,
    *,
    images: PageImages | None = None,
    pad: float = 0.0,
) -> collections.Counter:
    """Counter of RGB tuples inside ``word``'s box on its page.

    Pass a shared :class:`PageImages` as ``images`` when checking many words so
    each page is rendered once; without it the page is rendered for this call.
    """
    if images is None:
        images = PageImages(pdf_path, dpi)
    return images.colours_around(word, pad=pad)


def dominant_fill(counter: collections.Counter) -> tuple[int, int, int]:
    """The most common colour in ``counter``.

    Inside a filled cell the fill outnumbers the (dark, thin) text pixels, so
    this is the cell's fill; for an unfilled cell it is the page white
    (255, 255, 255). No filtering of white or dark pixels is done.
    """
    if not counter:
        raise ValueError("no pixels sampled (empty box?)")
    return counter.most_common(1)[0][0]


def colour_close(a, b, tol: int = 30) -> bool:
    """True if every channel of RGB ``a`` and ``b`` differs by at most ``tol``.

    ``b`` may be ``"#RRGGBB"``.
    """
    if isinstance(b, str):
        h = b.lstrip("#")
        b = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
    if isinstance(a, str):
        h = a.lstrip("#")
        a = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
    return all(abs(int(x) - int(y)) <= tol for x, y in zip(a, b))
