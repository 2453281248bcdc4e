"""Check a PDF for what a published copy needs (``kpi-xl check-accessibility FILE.pdf``, and the
directors' copy's ``--pdf``): tagged (a structure tree a screen reader follows), its title shown
in the window title, its language set, a bookmark for each sheet, and text that can be
selected on every page (not pictures of text). Read with pypdf."""
from __future__ import annotations

from pathlib import Path

from ..errors import CannotRun, InputError, Problem

LANGUAGE = "en-GB"
REMAKE = "Make it again with 'kpi-xl export --pdf'"


def check_pdf(path: str | Path, sheets: list[str] | None = None) -> list[Problem]:
    """Every accessibility problem of the PDF at ``path``; ``sheets``: the sheet names that
    should each have a bookmark."""
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    path = Path(path)
    if not path.is_file():
        raise CannotRun(f"{path}: no such file. Check the path.")
    try:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        pages = list(reader.pages)
    except (PdfReadError, KeyError, ValueError) as exc:
        raise InputError(Problem(path.name, f"is not a PDF that can be read ({exc}).",
                                 "Save it again as PDF, or make it with kpi-xl export --pdf.")) from exc
    name = path.name
    found = []
    marked = _true(root.get("/MarkInfo", {}).get("/Marked"))
    if "/StructTreeRoot" not in root or not marked:
        found.append(Problem(name, "is not tagged, so a screen reader cannot follow its headings and tables.",
                             f"{REMAKE}, or in Excel tick Options > 'Document structure tags for accessibility' "
                             "when saving as PDF."))
    language = str(root.get("/Lang", ""))
    if language.lower() != LANGUAGE.lower():
        found.append(Problem(name, f"its language is {language or 'not set'}, not {LANGUAGE}.", f"{REMAKE}."))
    title = (reader.metadata.title if reader.metadata else None) or ""
    if not title.strip():
        found.append(Problem(name, "has no title.", "Set the workbook's title (File > Info > Properties) and "
                             "make the PDF again."))
    preferences = root.get("/ViewerPreferences", {})
    if not _true(preferences.get("/DisplayDocTitle") if preferences else None):
        found.append(Problem(name, "shows its file name, not its title, in the window title.", f"{REMAKE}."))
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    if not bookmarks:
        found.append(Problem(name, "has no bookmarks, so a reader cannot jump to a sheet.",
                             f"{REMAKE} (in Excel, tick 'Create bookmarks' when saving as PDF)."))
    for sheet in sheets or []:
        if bookmarks and sheet not in bookmarks:
            found.append(Problem(name, f"has no bookmark for the sheet '{sheet}'.", f"{REMAKE}."))
    from ..write.render import figure_tags  # noqa: PLC0415

    bare = [figure for figure in figure_tags(root) if not str(figure.get("/Alt", "")).strip()]
    if bare:
        found.append(Problem(name, f"{len(bare)} chart(s) or picture(s) have no alternative text.",
                             "Give each chart alt text in the workbook (Right-click > Edit Alt Text) and "
                             f"{REMAKE[0].lower()}{REMAKE[1:]}."))
    for number, page in enumerate(pages, 1):
        if not page.extract_text().strip():
            found.append(Problem(f"{name} page {number}", "has no text that can be selected (a picture of text?), "
                                 "so a screen reader reads nothing.", f"{REMAKE} from the workbook, not a scan."))
    return found


def _true(value) -> bool:
    """Whether a PDF boolean is true (pypdf's BooleanObject(False) is truthy as a Python object)."""
    return value is not None and value == True  # noqa: E712
