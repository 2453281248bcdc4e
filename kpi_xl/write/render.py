"""Render workbooks through LibreOffice headless, so tests can look at them.

Standard library only. External tools:

* ``soffice`` / ``libreoffice`` (LibreOffice Calc) to turn an ``.xlsx`` into a PDF;
* ``pdftoppm`` and ``pdftotext`` (poppler-utils) to rasterise the PDF and to
  find where words landed on the page.

Typical use in a test::

    pdf = to_pdf(xlsx, tmp_path)
    images = PageImages(pdf)                   # renders each page at most once
    for w in words(pdf):
        if w.text == "Green":
            fill = dominant_fill(images.colours_around(w))

Coordinates of :class:`Word` are PDF points (1/72 inch) with the origin at the
top-left of the page, exactly as ``pdftotext -bbox`` reports them.
"""

from __future__ import annotations

import collections
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "RenderUnavailable",
    "RenderError",
    "Word",
    "PageImages",
    "find_soffice",
    "find_poppler",
    "to_pdf",
    "to_png",
    "words",
    "pixel_colours_around",
    "dominant_fill",
    "colour_close",
]

SOFFICE_TIMEOUT = 120  # seconds
POPPLER_TIMEOUT = 60  # seconds

_INSTALL_HINT = (
    "Install them with:\n"
    "  Debian/Ubuntu: apt-get install libreoffice-calc-nogui poppler-utils\n"
    "  Windows:       LibreOffice from https://www.libreoffice.org/download/ "
    "and poppler (e.g. 'conda install poppler' or a poppler-windows build), "
    "then put pdftoppm/pdftotext on PATH\n"
    "  macOS:         brew install --cask libreoffice && brew install poppler"
)

# Usual install locations when soffice is not on PATH.
_SOFFICE_CANDIDATES: tuple[str, ...] = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)
_SOFFICE_GLOBS: tuple[str, ...] = ("/opt/libreoffice*/program/soffice",)

# Private-profile settings: recalculate formulas on load. LibreOffice's default
# for .xlsx is "never recalculate", which would show XlsxWriter's cached 0 for
# every formula cell (Excel recalculates them on open).
_REGISTRY_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class RenderUnavailable(Exception):
    """LibreOffice or poppler-utils is not installed (or not on PATH)."""

    def __init__(self, missing: str):
        self.missing = missing
        super().__init__(
            f"Cannot render workbooks: {missing} not found.\n{_INSTALL_HINT}"
        )


class RenderError(RuntimeError):
    """A rendering tool ran but did not produce what was expected."""


# --------------------------------------------------------------------------
# Finding tools
# --------------------------------------------------------------------------


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None.

    Looks on PATH for ``soffice`` then ``libreoffice``, then in the usual
    Windows, macOS and Linux install directories.
    """
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for cand in _SOFFICE_CANDIDATES:
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    for pattern in _SOFFICE_GLOBS:
        for cand in sorted(glob.glob(pattern), reverse=True):
            if os.path.isfile(cand) and os.access(cand, os.X_OK):
                return cand
    return None


def find_poppler(tool: str) -> str | None:
    """Path of a poppler-utils tool (``pdftoppm``, ``pdftotext``), or None."""
    return shutil.which(tool)


def _require_soffice() -> str:
    exe = find_soffice()
    if not exe:
        raise RenderUnavailable("LibreOffice ('soffice' or 'libreoffice')")
    return exe


def _require_poppler(tool: str) -> str:
    exe = find_poppler(tool)
    if not exe:
        raise RenderUnavailable(f"'{tool}' (from poppler-utils)")
    return exe


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run cmd, killing its whole process group on timeout (POSIX)."""
    kwargs: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    if os.name == "posix":
        kwargs["start_new_session"] = True
    proc = subprocess.Popen(cmd, **kwargs)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            proc.kill()
        out, err = proc.communicate()
        raise RenderError(
            f"{Path(cmd[0]).name} timed out after {timeout} s: {' '.join(cmd)}\n"
            f"stderr:\n{err.decode(errors='replace')}"
        ) from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


# --------------------------------------------------------------------------
# xlsx -> pdf -> png
# --------------------------------------------------------------------------


def to_pdf(
    xlsx_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    timeout: float = SOFFICE_TIMEOUT,
    target: str = "pdf",
) -> Path:
    """Convert a workbook to ``out_dir/<stem>.pdf`` with LibreOffice headless.

    Uses a private, temporary LibreOffice profile (so it works while another
    LibreOffice is running, in parallel, and as root on CI) configured to
    recalculate formulas on load. All sheets become pages. Raises
    :class:`RenderUnavailable` if LibreOffice is missing and
    :class:`RenderError` (with LibreOffice's output) if no PDF appears.
    """
    soffice = _require_soffice()
    src = Path(xlsx_path).resolve()
    if not src.is_file():
        raise FileNotFoundError(src)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / (src.stem + "." + target.split(":")[0])
    if pdf.exists():
        pdf.unlink()

    with tempfile.TemporaryDirectory(prefix="kpi_xl_lo_") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_REGISTRY_XCU, encoding="utf-8")
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(src),
        ]
        res = _run(cmd, timeout)

    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RenderError(
            f"LibreOffice did not produce {pdf} (exit code {res.returncode}).\n"
            f"command: {' '.join(cmd)}\n"
            f"stdout:\n{res.stdout.decode(errors='replace')}\n"
            f"stderr:\n{res.stderr.decode(errors='replace')}"
        )
    return pdf


def to_csv(xlsx_path: str | os.PathLike, out_dir: str | os.PathLike, *,
           timeout: float = SOFFICE_TIMEOUT) -> Path:
    """The first sheet's values as LibreOffice computes them (formulas recalculated), as UTF-8 CSV."""
    return to_pdf(xlsx_path, out_dir, timeout=timeout, target="csv:Text - txt - csv (StarCalc):44,34,76")


def to_png(
    pdf_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    dpi: int = 100,
    first_page: int | None = None,
    last_page: int | None = None,
) -> list[Path]:
    """Rasterise PDF pages to ``out_dir/<stem>-<page>.png``; returns them in page order."""
    pdftoppm = _require_poppler("pdftoppm")
    pdf = Path(pdf_path).resolve()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    prefix = pdf.stem
    pat = re.compile(re.escape(prefix) + r"-(\d+)\.png$")

    def existing() -> dict[int, Path]:
        found = {}
        for p in out.iterdir():
            m = pat.fullmatch(p.name)
            if m:
                found[int(m.group(1))] = p
        return found

    for stale in existing().values():
        stale.unlink()

    cmd = [pdftoppm, "-png", "-r", str(dpi)]
    if first_page is not None:
        cmd += ["-f", str(first_page)]
    if last_page is not None:
        cmd += ["-l", str(last_page)]
    cmd += [str(pdf), str(out / prefix)]
    res = _run(cmd, POPPLER_TIMEOUT)
    pages = existing()
    if res.returncode != 0 or not pages:
        raise RenderError(
            f"pdftoppm failed (exit code {res.returncode}): {' '.join(cmd)}\n"
            f"stderr:\n{res.stderr.decode(errors='replace')}"
        )
    return [pages[k] for k in sorted(pages)]


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


if __name__ == "__main__":  # pragma: no cover - manual helper
    # python -m kpi_xl.write.render book.xlsx [out_dir]  -> PDF + PNGs
    if len(sys.argv) < 2:
        print("usage: python -m kpi_xl.write.render BOOK.xlsx [OUT_DIR]", file=sys.stderr)
        sys.exit(2)
    dest = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(sys.argv[1]).parent
    made = to_pdf(sys.argv[1], dest)
    print(made)
    for png in to_png(made, dest):
        print(png)
