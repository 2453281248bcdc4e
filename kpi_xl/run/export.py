"""The directors' copy: the scorecard as a self-contained file to hand over.

No raw-data sheets, no formulas reaching outside the file, no macros, no hidden sheets,
no personal metadata; values and conditional formats intact. Optionally protected,
optionally with small counts suppressed (for copies going outside the council), and
optionally with a PDF rendered through LibreOffice.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CannotRun
from ..periods import Month



@dataclass
class ExportResult:
    xlsx: Path
    pdf: Path | None
    checks: list[str]
    accessibility: list = field(default_factory=list)  # Problems: what stops it being published accessibly


def check_directors_copy(path: str | Path) -> list[str]:
    """What would make ``path`` unfit to hand over; empty when it is clean."""
    found = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            found.append("contains macros (vbaProject.bin)")
        if any(n.startswith("xl/externalLinks/") for n in names):
            found.append("links to other workbooks (xl/externalLinks)")
        workbook = zf.read("xl/workbook.xml").decode("utf-8")
        for state in re.findall(r'<sheet [^>]*state="(hidden|veryHidden)"', workbook):
            found.append(f"has a {state} sheet")
        for sheet in re.findall(r'<sheet [^>]*name="([^"]+)"', workbook):
            if sheet.lower() in {"indicators", "data", "report"}:
                found.append(f"has the raw-data sheet '{sheet}'")
        for name in (n for n in names if n.startswith("xl/worksheets/sheet")):
            xml = zf.read(name).decode("utf-8")
            for formula in re.findall(r"<f>([^<]*)</f>", xml):
                if "[" in formula or re.search(r"https?:|\\\\", formula):
                    found.append(f"{name}: formula reaches outside the file: {formula[:60]}")
        core = zf.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in names else ""
        for tag in ("dc:creator", "cp:lastModifiedBy"):
            person = re.search(rf"<{tag}>([^<]+)</{tag}>", core)
            if person and person.group(1).strip():
                found.append(f"records a person's name ({tag}: {person.group(1).strip()})")
    return found


def directors_properties(layout, organisation: str, suppress_below: int | None = None) -> None:
    """Document properties fit to hand over: the organisation, never a person's name."""
    layout.properties.update(author="", company=organisation, comments="Directors' copy produced by kpi_xl.")
    if suppress_below:
        layout.properties["comments"] += f" Counts below {suppress_below} are shown as <{suppress_below}."


def export_directors_copy(raw_path: str | Path, output: str | Path, *, period: Month | None = None,
                          template: str | None = None, commentary_from: str | Path | None = None,
                          protect: bool = False, pdf: bool = False, suppress_below: int | None = None,
                          today: dt.date | None = None, progress=None) -> ExportResult:
    """Write the directors' copy of the scorecard (and its PDF when asked)."""
    from . import safety  # noqa: PLC0415
    from ..api import claimed, document_date, prepare, save_layout  # noqa: PLC0415
    from ..write.xlsx_writer import write_xlsx  # noqa: PLC0415

    step = progress or (lambda text: None)
    output = Path(output)
    if pdf:
        from ..write.render import find_soffice  # noqa: PLC0415
        if find_soffice() is None:
            raise CannotRun("A PDF was asked for but LibreOffice is not installed. Install it "
                            "(Debian/Ubuntu: apt-get install libreoffice-calc-nogui; Windows: libreoffice.org) "
                            "or leave out --pdf. Nothing was written.")
    readers = {"the raw workbook": raw_path, "the scorecard the commentary is read from": commentary_from}
    with claimed(output, readers, what="directors' copy"):
        step(f"Reading {Path(raw_path).name}")
        prepared = prepare(raw_path, period=period, template=template, carry_from=commentary_from, today=today)
        evaluation = prepared.evaluation
        layout = prepared.layout(suppress_below)
        layout.protect = protect
        directors_properties(layout, evaluation.raw.settings.organisation, suppress_below)
        step(f"Writing {output.name}")
        save_layout(layout, evaluation, output, check=check_directors_copy, beside_if_open=False, locked=True)
        pdf_path = None
        if pdf:
            from ..write.render import RenderError, RenderUnavailable, accessible_pdf, to_pdf  # noqa: PLC0415
            step("Rendering the PDF with LibreOffice")
            # LibreOffice does not draw Excel sparklines, so the PDF is made from the same
            # layout with the trends drawn as text bars.
            printable = prepared.layout(suppress_below, trend_text=True)
            directors_properties(printable, evaluation.raw.settings.organisation, suppress_below)
            pdf_path = output.with_suffix(".pdf")
            safety.clean_stale_temps(pdf_path)
            with tempfile.TemporaryDirectory() as tmp:
                with safety.failures_named(Path(tmp) / output.name):
                    source = write_xlsx(printable, Path(tmp) / output.name, document_date(evaluation))
                try:
                    charts = [chart.description for sheet in printable.sheets for chart in sheet.charts]
                    made = accessible_pdf(to_pdf(source, Path(tmp) / "pdf"), charts)  # tagged, titled, bookmarked
                except (RenderError, RenderUnavailable) as exc:
                    raise CannotRun(f"{pdf_path.name}: LibreOffice could not render the PDF ({exc}). "
                                    f"The xlsx {output.name} was written.") from exc
                safety.atomic_write(pdf_path, lambda target: shutil.copyfile(made, target))
    from .accessibility import check_accessibility  # noqa: PLC0415
    from .pdf_check import check_pdf  # noqa: PLC0415

    problems = check_accessibility(output)
    if pdf_path:
        problems += check_pdf(pdf_path, [sheet.name for sheet in layout.sheets])
    return ExportResult(output, pdf_path, check_directors_copy(output), problems)
