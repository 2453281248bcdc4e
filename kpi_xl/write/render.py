"""Render workbooks through LibreOffice headless: the directors' PDF, and pictures for tests.

External tools:

* ``soffice`` / ``libreoffice`` (LibreOffice Calc) to turn an ``.xlsx`` into a PDF, tagged
  (a structure tree for screen readers), in the document's language, with a bookmark per sheet;
* ``pdftoppm`` (poppler-utils) to rasterise a PDF; reading words and pixels back is in
  ``pdf_pages``.

``accessible_pdf`` finishes a PDF for publishing with pypdf (the title in the window title,
which LibreOffice 7.4 does not set).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = [
    "RenderUnavailable",
    "RenderError",
    "find_soffice",
    "find_poppler",
    "to_pdf",
    "to_csv",
    "to_png",
    "accessible_pdf",
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
<item oor:path="/org.openoffice.Setup/L10N">\
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{language}</value></prop></item>
</oor:items>
"""
#: The document language LibreOffice gives the PDF (its ``/Lang``): the scorecards are in British English.
LANGUAGE = "en-GB"
#: LibreOffice's PDF export options (calc_pdf_Export), for a PDF a screen reader can follow:
#: tagged (a structure tree), a bookmark per sheet, the title rather than the file name shown.
PDF_OPTIONS = {"UseTaggedPDF": True, "ExportBookmarks": True, "DisplayPDFDocumentTitle": True}


def pdf_filter() -> str:
    """The ``--convert-to`` argument with the PDF options, in the JSON form LibreOffice 7.4+ reads."""
    options = {name: {"type": "boolean", "value": str(value).lower()} for name, value in PDF_OPTIONS.items()}
    return "pdf:calc_pdf_Export:" + json.dumps(options, separators=(",", ":"))


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
    recalculate formulas on load. All sheets become pages; a PDF is tagged, in British
    English, with a bookmark per sheet (``PDF_OPTIONS``). Raises
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
        (user / "registrymodifications.xcu").write_text(_REGISTRY_XCU.format(language=LANGUAGE), encoding="utf-8")
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            pdf_filter() if target == "pdf" else target,
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


def accessible_pdf(pdf_path: str | os.PathLike, alt_texts: list[str] | None = None) -> Path:
    """Finish a LibreOffice PDF for publishing: the viewer shows the document's title in its
    window title (``/DisplayDocTitle``; LibreOffice 7.4 ignores its own option for it), and each
    chart's figure tag carries the chart's alternative text (``alt_texts``, the charts in the
    order they are drawn; LibreOffice 7.4 tags charts as figures but leaves their text out).
    The structure tree, language, bookmarks and text are kept as LibreOffice wrote them."""
    from pypdf import PdfWriter  # noqa: PLC0415
    from pypdf.generic import NameObject, TextStringObject  # noqa: PLC0415

    path = Path(pdf_path)
    writer = PdfWriter(clone_from=path)
    writer.create_viewer_preferences().display_doctitle = True
    figures = figure_tags(writer._root_object)
    if alt_texts and len(figures) == len(alt_texts):  # else the check lists the figures left without text
        for figure, text in zip(figures, alt_texts):
            figure[NameObject("/Alt")] = TextStringObject(text)
    finished = path.with_name(f".{path.stem}.finishing.pdf")
    try:
        writer.write(finished)
        os.replace(finished, path)
    finally:
        finished.unlink(missing_ok=True)
    return path


def figure_tags(root) -> list:
    """The ``/Figure`` elements of a PDF's structure tree (``root``: its catalog), in reading order."""
    found, seen = [], set()

    def walk(node) -> None:
        ref = getattr(node, "idnum", None)
        node = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(node, dict) or (ref is not None and ref in seen):
            return
        if ref is not None:
            seen.add(ref)
        if node.get("/S") == "/Figure":
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    return found


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


# The PDF-reading helpers (words, pixels) live in pdf_pages; ``render.words`` and the rest
# still work for the tests and tools that import them from here.
_MOVED = {"Word", "PageImages", "words", "pixel_colours_around", "dominant_fill", "colour_close", "_parse_ppm"}


def __getattr__(name: str):
    if name in _MOVED:
        from . import pdf_pages  # noqa: PLC0415

        return getattr(pdf_pages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
