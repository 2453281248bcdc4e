"""The ribbon buttons: one plain function per button, each taking the open ``xw.Book``.

The functions do not care which xlwings engine runs them: desktop Excel through the
``kpi_xl.xlam`` add-in (``RunPython`` -> ``run_caller("build_scorecard")``) or Excel for
Windows, Mac and the web through xlwings Server (``kpi-xl serve``, which registers them as
scripts). They read the raw sheets from the open book, including edits not yet saved,
and draw the scorecard into it with ``kpi_xl.xlwings_writer`` from the same layout the
scorecard file is written from.

Every button reports to the person at the keyboard with ``book.app.alert``: what was
done, or what to fix. Never a traceback (that goes to the log); on the remote engine a
button that fails changes nothing in the workbook.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError, KpiError, Problem
from .grid import Grid
from .layout import QUESTIONS, Cell, Layout, SheetLayout, Style, text_height

log = logging.getLogger("kpi_xl")

TITLE = "kpi_xl"
DATA_CHECK = "Data check"
#: Sheets the reader reads from the raw workbook (kpi_xl.reader): never replaced, and a
#: scorecard sheet of the same name is drawn as "Scorecard <name>" instead.
INPUT_SHEETS = ("Indicators", "Data", "Commentary", "Report", "Overview", "Distributions")
OUTPUT_DIR_ENV = "KPI_XL_OUTPUT_DIR"
BUTTONS = ("build_scorecard", "refresh_ratings", "check_data", "directors_copy", "new_raw_sheets")
MAX_ALERT_PROBLEMS = 5
MAX_ALERT_CHARS = 900  # xlwings Server shows alerts in a dialog opened with the text in its URL

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z?$")


# -- reading the open book --------------------------------------------------------------------


def _cell(value):
    """A value as the reader expects it: Office.js sends date-formatted numbers as ISO
    strings (``2024-04-30T00:00:00.000Z``); they become datetimes again."""
    if isinstance(value, str):
        m = _ISO_DATE.match(value)
        if m:
            y, mo, d, h, mi, s, frac = m.groups()
            try:
                return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                                   int((frac or "0").ljust(6, "0")))
            except ValueError:
                return value
    return value


def _sheet_rows(sheet) -> list[list[object]]:
    """The sheet's values from A1 to the bottom-right of its used range."""
    last = sheet.used_range.last_cell
    rows = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value or []
    return [[_cell(v) for v in row] for row in rows]


def _own_sheets(book) -> set[str]:
    """Sheets kpi_xl drew into this book (the scorecard and the data check), casefolded."""
    from .xlwings_writer import recorded_sheets  # noqa: PLC0415

    return {n.casefold() for n in recorded_sheets(book)} | {DATA_CHECK.casefold()}


def grids_from_book(book) -> dict[str, Grid]:
    """Every sheet of the open book as a ``Grid``, except the ones kpi_xl drew.

    Only values are read (the add-in interfaces cannot read formats in bulk), so a
    percentage above 100% typed with a % format reads as a whole percentage, with the
    reader's warning, where the file route would see the format.
    """
    own = _own_sheets(book)
    grids: dict[str, Grid] = {}
    for sheet in book.sheets:
        if sheet.name.casefold() in own:
            continue
        grids[sheet.name] = Grid(sheet.name, _sheet_rows(sheet))
    return grids


def _input_names(book) -> list[str]:
    keys = {n.casefold() for n in INPUT_SHEETS}
    return [s.name for s in book.sheets if s.name.casefold() in keys]


# -- rating -----------------------------------------------------------------------------------


@dataclass
class Rated:
    evaluation: object
    layout: Layout  # as the scorecard file has it
    book_layout: Layout  # as drawn into the open book (input-sheet names avoided)


def book_sheet_name(name: str) -> str:
    """The name a scorecard sheet takes in the raw workbook: ``Scorecard commentary`` for
    ``Commentary``, which is also the name of an input sheet."""
    if name.casefold() in {n.casefold() for n in INPUT_SHEETS}:
        return f"Scorecard {name.lower()}"[:31]
    return name


def rate(book) -> Rated:
    """Read the open book's raw sheets, rate, lay out. Raises ``InputError`` listing the
    problems when the sheets cannot be rated."""
    from .evaluate import evaluate  # noqa: PLC0415
    from .layout import build_layout  # noqa: PLC0415
    from .reader import read_grids  # noqa: PLC0415
    from .templates import load_workbook_template  # noqa: PLC0415
    from .xlwings_writer import renamed  # noqa: PLC0415

    raw = read_grids(grids_from_book(book), book.name)
    evaluation = evaluate(raw)
    layout = build_layout(evaluation, load_workbook_template(raw.settings.template, raw.settings.template_where,
                                                             template_folder(book), book.name))
    mapping = {s.name: book_sheet_name(s.name) for s in layout.sheets if book_sheet_name(s.name) != s.name}
    return Rated(evaluation, layout, renamed(layout, mapping))


def _counts(evaluation) -> str:
    return ", ".join(f"{n} {name}" for name, n in evaluation.counts().items() if n)


# -- the scorecard file -----------------------------------------------------------------------


def output_folder(book) -> Path | None:
    """Where the scorecard file goes: ``KPI_XL_OUTPUT_DIR`` if set, else the raw
    workbook's folder on the desktop; ``None`` when there is no folder (a workbook on
    the web, or xlwings Server without ``KPI_XL_OUTPUT_DIR``)."""
    configured = os.environ.get(OUTPUT_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return book_folder(book)


def template_folder(book) -> Path | None:
    """Where the book's Template setting may name a .toml file: ``KPI_XL_TEMPLATE_DIR`` if
    set, else the raw workbook's folder on the desktop; ``None`` (bundled templates only)
    on xlwings Server without ``KPI_XL_TEMPLATE_DIR``."""
    from .templates import TEMPLATE_DIR_ENV  # noqa: PLC0415

    configured = os.environ.get(TEMPLATE_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else book_folder(book)


def book_folder(book) -> Path | None:
    """The open workbook's folder on the desktop; ``None`` on the web or the server."""
    if getattr(getattr(book.app, "engine", None), "name", "") == "remote":
        return None
    fullname = str(book.fullname or "")
    if "://" in fullname:  # OneDrive / SharePoint: a URL, not a folder
        return None
    path = Path(fullname)
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def scorecard_file_name(book, evaluation, suffix: str = "scorecard") -> str:
    stem = Path(str(book.name)).stem or "workbook"
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", stem)
    return f"{stem} {suffix} {evaluation.period.iso()}.xlsx"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name (sent by a client in server mode) that would
    leave the folder."""
    base = folder.resolve()
    path = (base / name).resolve()
    if path.parent != base:
        raise KpiError(f"Refused to write {name!r}: it would leave the scorecard folder {base}.")
    return path


def save_scorecard_file(layout: Layout, evaluation, target: Path, check=None) -> Path:
    """Write the scorecard file all or nothing (``api.save_layout``); beside ``target`` if
    that is open in Excel. ``check(path) -> [problems]`` can refuse the new file."""
    from .api import save_layout  # noqa: PLC0415

    if not target.parent.is_dir():
        raise KpiError(f"The scorecard folder {target.parent} does not exist. Create it, or set "
                       f"{OUTPUT_DIR_ENV} to a folder that does.")
    return save_layout(layout, evaluation, target, check=check)[0]


def _file_copy(book, rated: Rated, suffix: str = "scorecard") -> tuple[Path | None, str]:
    folder = output_folder(book)
    if folder is None:
        return None, (f"No file copy was saved: this workbook has no folder here. The scorecard file is "
                      f"produced by the scheduled job or 'kpi-xl build' (or set {OUTPUT_DIR_ENV} on the server).")
    path = save_scorecard_file(rated.layout, rated.evaluation,
                               inside(folder, scorecard_file_name(book, rated.evaluation, suffix)))
    return path, f"File copy saved as {path}."


# -- the decorator ----------------------------------------------------------------------------


def alert(book, message: str) -> None:
    if len(message) > MAX_ALERT_CHARS:
        message = message[:MAX_ALERT_CHARS - 3].rstrip() + "..."
    book.app.alert(message, title=TITLE)


def problems_message(exc: InputError, doing: str) -> str:
    errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
    n = len(errors)
    lines = [f"{n} problem{'s' if n != 1 else ''} to fix before kpi_xl can {doing}:"]
    lines += [f"- {p}" for p in errors[:MAX_ALERT_PROBLEMS]]
    if n > MAX_ALERT_PROBLEMS:
        lines.append(f"... and {n - MAX_ALERT_PROBLEMS} more.")
    lines.append("Click Check data for the full list, with a link to each cell.")
    return "\n".join(lines)


def _discard(book) -> bool:
    """Drop the actions a failed button queued (remote engine): nothing reaches Excel."""
    try:
        book.json()["actions"].clear()
        return True
    except Exception:  # noqa: BLE001  (desktop engines have no queue)
        return False


def button(doing: str):
    """Wrap a button: problems in the workbook and failures reach the user as one alert."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(book, *args, **kwargs):
            try:
                return fn(book, *args, **kwargs)
            except InputError as exc:
                _discard(book)
                alert(book, problems_message(exc, doing))
            except KpiError as exc:
                _discard(book)
                alert(book, f"kpi_xl could not {doing}: {exc}")
            except Exception as exc:  # noqa: BLE001  (the person gets a message, the log the traceback)
                log.exception("%s failed on %s", fn.__name__, getattr(book, "name", "?"))
                untouched = " Nothing in this workbook was changed." if _discard(book) else ""
                alert(book, f"kpi_xl could not {doing}: an unexpected error ({type(exc).__name__}).{untouched} "
                            "Please send the log to whoever looks after kpi_xl.")
            return None

        return run

    return wrap


# -- the buttons ------------------------------------------------------------------------------


@button("build the scorecard")
def build_scorecard(book) -> None:
    """Rate the raw sheets, draw the scorecard into the book, save the scorecard file."""
    from .xlwings_writer import write_book  # noqa: PLC0415

    rated = rate(book)
    drawn = write_book(rated.book_layout, book, protect=_input_names(book))
    log.info("build_scorecard: %d engine calls for %s", drawn.calls, book.name)
    _, where = _file_copy(book, rated)
    alert(book, f"Scorecard for {rated.evaluation.period.long_label} drawn on {len(drawn.sheets)} sheets "
                f"({_counts(rated.evaluation)}). {where}")


@button("refresh the ratings")
def refresh_ratings(book) -> None:
    """Rate again and redraw the scorecard sheets, keeping commentary typed into them."""
    from .xlwings_writer import write_book  # noqa: PLC0415

    rated = rate(book)
    layout, kept = keep_typed_commentary(book, rated.book_layout)
    write_book(layout, book, protect=_input_names(book))
    extra = f" {kept} commentary answer{'s' if kept != 1 else ''} typed on the scorecard kept." if kept else ""
    alert(book, f"Ratings refreshed for {rated.evaluation.period.long_label} ({_counts(rated.evaluation)}).{extra}")


@button("check the data")
def check_data(book) -> None:
    """List every problem on a 'Data check' sheet, each with a link to its cell."""
    from .reader import check_grids  # noqa: PLC0415
    from .xlwings_writer import write_book  # noqa: PLC0415

    problems = check_grids(grids_from_book(book), book.name)
    write_book(data_check_layout(problems, book.name, [s.name for s in book.sheets]), book,
               protect=_input_names(book), record=False)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        alert(book, "No problems found: the workbook is ready for Build scorecard.")
    else:
        alert(book, f"{errors} error{'s' if errors != 1 else ''} and {warnings} warning"
                    f"{'s' if warnings != 1 else ''}: see the '{DATA_CHECK}' sheet, where each links to its cell."
                    + (" Errors must be fixed before Build scorecard." if errors else ""))


@button("make the directors' copy")
def directors_copy(book) -> None:
    """Save the file handed to directors: the scorecard with no personal metadata, checked
    clean by ``kpi_xl.export`` (no macros, links out, hidden or raw-data sheets)."""
    rated = rate(book)
    folder = output_folder(book)
    if folder is None:
        raise KpiError(f"this workbook has no folder here, so the copy cannot be saved from Excel. Set "
                       f"{OUTPUT_DIR_ENV} on the server, or run 'kpi-xl export' on the shared drive.")
    from .export import check_directors_copy, directors_properties  # noqa: PLC0415

    layout = replace(rated.layout, properties=dict(rated.layout.properties))
    directors_properties(layout, rated.evaluation.raw.settings.organisation)
    path = save_scorecard_file(layout, rated.evaluation,
                               inside(folder, scorecard_file_name(book, rated.evaluation, "directors copy")),
                               check=check_directors_copy)
    alert(book, f"Directors' copy for {rated.evaluation.period.long_label} saved as {path}: values, "
                "ratings and charts, with no macros, links to other files or raw-data sheets.")


@button("add the raw workbook sheets")
def new_raw_sheets(book) -> None:
    """Add the Indicators, Data, Commentary and Report sheets that are missing, with
    headers and a note on each header. Existing sheets are never touched."""
    from .starter import SHEETS  # noqa: PLC0415
    from .xlwings_writer import write_book  # noqa: PLC0415

    have = {s.name.casefold() for s in book.sheets}
    missing = [name for name in SHEETS if name.casefold() not in have]
    if not missing:
        alert(book, "This workbook already has the Indicators, Data, Commentary and Report sheets; "
                    "nothing was changed.")
        return
    header = Style(bold=True, colour="#FFFFFF", fill="#1F3864", valign="top")
    sheets = []
    for name in missing:
        spec = SHEETS[name]
        sheet = SheetLayout(name, freeze=(1, 0))
        for col, (text, _note, width) in enumerate(spec["columns"]):
            sheet.put(0, col, text, header)
            sheet.widths[col] = width
        if name == "Report":  # the setting names are the form; their values are left to fill in
            for row, values in enumerate(spec["rows"], 1):
                sheet.put(row, 0, values[0], Style(bold=True, valign="top"))
        sheets.append(sheet)
    write_book(Layout(sheets, {}), book, replace=False, record=False)
    for name in missing:
        target = book.sheets[name]
        for col, (_text, note, _width) in enumerate(SHEETS[name]["columns"]):
            target.range((1, col + 1)).add_note(note)
        if name == "Data":
            col = [c[0] for c in SHEETS[name]["columns"]].index("Period")
            target.range((2, col + 1), (2000, col + 1)).number_format = "mmm-yy"
    book.sheets[missing[0]].activate()
    alert(book, f"Added the {', '.join(missing)} sheet{'s' if len(missing) > 1 else ''}, with a note on "
                "each header. Fill them in, then click Check data and Build scorecard.")


# -- commentary typed on the scorecard ---------------------------------------------------------

_QUESTIONS = {q for _, q in QUESTIONS}


def _answer_slots(col_a: dict[int, object]) -> dict[tuple, int]:
    """(heading or title above, question, occurrence) -> the answer's row, for column A
    given as {row: value}: the answer is the row under its question."""
    slots: dict[tuple, int] = {}
    seen: dict[tuple, int] = {}
    context, answer_rows = "", set()
    for r in sorted(col_a):
        text = col_a[r]
        text = "" if text is None else str(text).strip()
        if text in _QUESTIONS:
            key = (context, text)
            seen[key] = seen.get(key, 0) + 1
            slots[(context, text, seen[key])] = r + 1
            answer_rows.add(r + 1)
        elif text and r not in answer_rows:
            context = text
    return slots


def keep_typed_commentary(book, layout: Layout) -> tuple[Layout, int]:
    """``layout`` with the commentary answers typed on the book's scorecard sheets put
    back (found under the same heading and question). Returns it and how many were kept."""
    present = {s.name: s for s in book.sheets}
    kept = 0
    sheets = []
    for spec in layout.sheets:
        sheet = present.get(spec.name)
        if sheet is None or not any(c.col == 0 and c.value in _QUESTIONS for c in spec.cells):
            sheets.append(spec)
            continue
        rows = _sheet_rows(sheet)
        typed = {key: rows[r][0] if r < len(rows) and rows[r] else None
                 for key, r in _answer_slots({r: row[0] for r, row in enumerate(rows) if row}).items()}
        slots = _answer_slots({c.row: c.value for c in spec.cells if c.col == 0})
        by_pos = {(c.row, c.col): i for i, c in enumerate(spec.cells)}
        cells, heights = list(spec.cells), dict(spec.heights)
        for key, r in slots.items():
            text = typed.get(key)
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            i = by_pos.get((r, 0))
            if i is None or cells[i].value == text:
                continue
            old: Cell = cells[i]
            cells[i] = replace(old, value=text)
            width = 55 + 11 * max(0, (old.merge_to[1] if old.merge_to else 0))
            heights[r] = text_height(str(text), width)
            kept += 1
        sheets.append(replace(spec, cells=cells, heights=heights))
    return replace(layout, sheets=sheets), kept


# -- the data check sheet -----------------------------------------------------------------------


def data_check_layout(problems: list[Problem], source: str, sheet_names: list[str]) -> Layout:
    """The 'Data check' sheet: one row per problem, its cell a link to the cell."""
    head = Style(bold=True, colour="#FFFFFF", fill="#1F3864", border=True, wrap=True)
    text = Style(border=True, wrap=True)
    link = Style(border=True, colour="#0563C1")
    errors = sum(p.severity == "error" for p in problems)
    sheet = SheetLayout(DATA_CHECK, freeze=(4, 0))
    sheet.put(0, 0, "Data check", Style(bold=True, size=16, colour="#1F3864"))
    summary = (f"{errors} error(s) and {len(problems) - errors} warning(s) in {source}"
               if problems else f"No problems found in {source}")
    stamp = dt.datetime.now().strftime("%d %b %Y %H:%M")
    sheet.put(1, 0, f"{summary}, checked {stamp}. Errors stop the scorecard being built; warnings do not. "
                    "Click a cell reference to go to it.", Style(italic=True))
    for col, title in enumerate(("Severity", "Sheet", "Cell", "Problem", "What to do")):
        sheet.put(3, col, title, head)
    known = {n.casefold(): n for n in sheet_names}
    order = sorted(problems, key=lambda p: (p.severity != "error",))
    for row, p in enumerate(order, 4):
        sheet.put(row, 0, "Error" if p.severity == "error" else "Warning",
                  text.but(bold=True, colour="#C00000" if p.severity == "error" else "#7F6000"))
        sheet_name = known.get(p.sheet.casefold()) if "!" in p.where else None
        sheet.put(row, 1, sheet_name or p.where.split("!")[0], text)
        if sheet_name and p.cell:
            target = "'" + sheet_name.replace("'", "''") + "'!" + p.cell
            sheet.put(row, 2, p.cell, link, link=f"internal:{target}")
        else:
            sheet.put(row, 2, "", text)
        sheet.put(row, 3, p.message, text)
        sheet.put(row, 4, p.fix, text)
        sheet.heights[row] = max(text_height(p.message, 60), text_height(p.fix, 60))
    if not problems:
        sheet.put(4, 0, "None", text)
    for col, width in enumerate((9, 14, 10, 60, 60)):
        sheet.widths[col] = width
    return Layout([sheet], {})


# -- desktop: RunPython entry point ---------------------------------------------------------------


def run_caller(name: str) -> None:
    """What the desktop add-in's buttons call: ``RunPython "import kpi_xl.scripts as s;
    s.run_caller('build_scorecard')"``. Runs the button on the workbook that was active."""
    import xlwings as xw  # noqa: PLC0415

    if name not in BUTTONS:
        raise ValueError(f"{name} is not a kpi_xl button ({', '.join(BUTTONS)})")
    globals()[name](xw.Book.caller())
