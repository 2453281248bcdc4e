"""The ribbon buttons: one plain function per button, each taking the open ``xw.Book``.

The functions do not care which xlwings engine runs them: desktop Excel through the
``kpi_xl.xlam`` add-in (``RunPython`` -> ``run_caller("build_scorecard")``) or Excel for
Windows, Mac and the web through xlwings Server (``kpi-xl serve``, which registers them as
scripts). They read the raw sheets from the open book, including edits not yet saved,
and draw the scorecard into it with ``kpi_xl.write.xlwings_writer`` from the same layout the
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
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, KpiError, Problem, TargetLocked, tally
from ..read.grid import Grid
from ..layout.cells import ORPHANS_HEADING, text_height
from ..layout.types import Layout, SheetLayout, Style

log = logging.getLogger("kpi_xl")

TITLE = "kpi_xl"
DATA_CHECK = "Data check"
#: Sheets the reader reads from the raw workbook (kpi_xl.read.reader): never replaced, and a
#: scorecard sheet of the same name is drawn as "Scorecard <name>" instead.
INPUT_SHEETS = ("Indicators", "Data", "Commentary", "Report", "Overview", "Distributions", "Targets", "Benchmarks")
OUTPUT_DIR_ENV = "KPI_XL_OUTPUT_DIR"
BUTTONS = ("build_scorecard", "refresh_ratings", "check_data", "directors_copy", "new_raw_sheets")
MAX_ALERT_PROBLEMS = 5
MAX_ALERT_CHARS = 900  # xlwings Server shows alerts in a dialog opened with the text in its URL
#: How long a button waits for another save of the same scorecard file (another person's
#: click, on this server or another, or the scheduled job) before saying so.
SAVE_WAIT_SECONDS = 60

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
    from ..write.xlwings_writer import recorded_sheets  # noqa: PLC0415

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
    carried: object = None  # kpi_xl.run.carry.Carried: commentary kept from the scorecard sheets in the book
    template: object = None  # kpi_xl.layout.templates.Template the layout was made with


def book_sheet_name(name: str) -> str:
    """The name a scorecard sheet takes in the raw workbook: ``Scorecard commentary`` for
    ``Commentary``, which is also the name of an input sheet."""
    if name.casefold() in {n.casefold() for n in INPUT_SHEETS}:
        return f"Scorecard {name.lower()}"[:31]
    return name


def previous_in_book(book):
    """The scorecard kpi_xl drew into this book earlier (``kpi_xl.run.carry.Previous``): its
    sheets' values and the book's defined names, read as the file route reads a file."""
    from ..run.carry import previous_from  # noqa: PLC0415
    from ..write.xlwings_writer import recorded_sheets  # noqa: PLC0415

    own = {n.casefold() for n in recorded_sheets(book)}
    sheets = {s.name: _sheet_rows(s) for s in book.sheets if s.name.casefold() in own}
    names = {n.name.split("!")[-1]: str(n.refers_to) for n in book.names}
    return previous_from(sheets, names)


def rate(book) -> Rated:
    """Read the open book's raw sheets, rate, and lay out with the commentary typed on the
    scorecard sheets already in the book carried over (``kpi_xl.run.carry``: the same rules as
    the scheduled job). Raises ``InputError`` listing the problems when the sheets cannot
    be rated."""
    from ..run.carry import carry_over  # noqa: PLC0415
    from ..rate.evaluate import evaluate  # noqa: PLC0415
    from ..layout.builder import build_layout  # noqa: PLC0415
    from ..read.reader import read_grids  # noqa: PLC0415
    from ..layout.templates import load_workbook_template  # noqa: PLC0415
    from ..write.xlwings_writer import renamed  # noqa: PLC0415

    raw = read_grids(grids_from_book(book), book.name)
    evaluation = evaluate(raw)
    carried = carry_over(evaluation, previous_in_book(book))
    template = load_workbook_template(raw.settings.template, raw.settings.template_where, template_folder(book),
                                      book.name)
    layout = build_layout(evaluation, template, notes=carried.notes, orphans=carried.orphans)
    mapping = {s.name: book_sheet_name(s.name) for s in layout.sheets if book_sheet_name(s.name) != s.name}
    return Rated(evaluation, layout, renamed(layout, mapping), carried, template)


def carried_message(carried) -> str:
    """What the alert says about commentary kept from the scorecard sheets."""
    text = ""
    if carried.kept:
        text += f" {carried.kept} commentary answer{'s' if carried.kept != 1 else ''} typed on the scorecard kept."
    if carried.warnings:
        n = len(carried.warnings)
        text += (f" {n} note{'s' if n != 1 else ''} moved to '{ORPHANS_HEADING}' "
                 f"(typed outside an answer box, or for an earlier month): "
                 + ", ".join(p.where for p in carried.warnings[:MAX_ALERT_PROBLEMS])
                 + (", ..." if n > MAX_ALERT_PROBLEMS else "") + ".")
    return text


def _counts(evaluation) -> str:
    return ", ".join(f"{n} {name}" for name, n in evaluation.counts().items() if n)


# -- the scorecard file -----------------------------------------------------------------------


def _remote(book) -> bool:
    """Whether ``book`` came through xlwings Server (Excel on Windows, Mac or the web)."""
    return getattr(getattr(book.app, "engine", None), "name", "") == "remote"


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
    from ..layout.templates import TEMPLATE_DIR_ENV  # noqa: PLC0415

    configured = os.environ.get(TEMPLATE_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else book_folder(book)


def book_folder(book) -> Path | None:
    """The open workbook's folder on the desktop; ``None`` on the web or the server."""
    if _remote(book):
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


def save_scorecard_file(layout: Layout, evaluation, target: Path, check=None, carry: Rated | None = None) -> Path:
    """Write the scorecard file all or nothing (``api.save_layout``); beside ``target`` if
    that is open in Excel. ``check(path) -> [problems]`` can refuse the new file. With
    ``carry`` (the ``Rated`` book the layout was made from), the commentary typed into the
    file being replaced is carried into the new one beside the book's, as ``kpi-xl build``
    carries it; where both have an answer for a box, the book's wins.

    Saves of the same file take turns: one at a time in this process, and under the run
    lock (``<file>.kpi-xl.lock``) between processes, waiting up to ``SAVE_WAIT_SECONDS``
    for another save to finish, so clicks from different people never fail each other.
    """
    from ..api import claimed, save_layout  # noqa: PLC0415

    if not target.parent.is_dir():
        raise KpiError(f"The scorecard folder {target.parent} does not exist. Create it, or set "
                       f"{OUTPUT_DIR_ENV} to a folder that does.")
    deadline = time.monotonic() + SAVE_WAIT_SECONDS
    turn = _saving(target)
    if not turn.acquire(timeout=SAVE_WAIT_SECONDS):
        raise TargetLocked(f"{target.name}: another click on this server was still saving it after "
                           f"{SAVE_WAIT_SECONDS} seconds. Try again in a minute.")
    try:
        while True:
            try:
                with claimed(target):  # the old file's commentary is read under the lock it is replaced under
                    new = _carried(layout, evaluation, target, carry) if carry is not None else layout
                    return save_layout(new, evaluation, target, check=check, locked=True)[0]
            except TargetLocked:  # another process is saving it: wait for its turn to end
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        turn.release()


_turns: dict[Path, threading.Lock] = {}
_turns_lock = threading.Lock()


def _saving(target: Path) -> threading.Lock:
    """The lock saves of ``target`` in this process take turns on."""
    with _turns_lock:
        return _turns.setdefault(target.resolve(), threading.Lock())


def _carried(layout: Layout, evaluation, target: Path, rated: Rated) -> Layout:
    """``layout`` with the commentary typed into the scorecard file at ``target`` carried
    over (``kpi_xl.run.carry``, as ``api.prepare(carry_from=...)`` does for the command line),
    beside the commentary ``rated`` already carried from the book's scorecard sheets."""
    from ..api import Prepared  # noqa: PLC0415
    from ..run.carry import carry_over, read_previous  # noqa: PLC0415

    in_file = carry_over(evaluation, read_previous(target))
    if not in_file.notes and not in_file.orphans:
        return layout
    in_book = rated.carried
    notes = {**in_file.notes, **in_book.notes}
    orphans = in_book.orphans + [n for n in in_file.orphans if n not in in_book.orphans]
    return Prepared(evaluation, rated.template, {}, notes, orphans).layout()


def _file_copy(book, rated: Rated, suffix: str = "scorecard") -> tuple[Path | None, str]:
    """Save the scorecard file beside the drawing, carrying the commentary typed into the
    previous one. The drawing stands if the file cannot be saved: the message says why."""
    folder = output_folder(book)
    if folder is None:
        return None, (f"No file copy was saved: this workbook has no folder here. The scorecard file is "
                      f"produced by the scheduled job or 'kpi-xl build' (or set {OUTPUT_DIR_ENV} on the server).")
    try:
        path = save_scorecard_file(rated.layout, rated.evaluation,
                                   inside(folder, scorecard_file_name(book, rated.evaluation, suffix)),
                                   carry=rated)
    except KpiError as exc:
        log.warning("file copy for %s not saved: %s", getattr(book, "name", "?"), exc)
        return None, f"No file copy was saved: {exc}"
    return path, f"File copy saved as {path}."


# -- the decorator ----------------------------------------------------------------------------


def alert(book, message: str) -> None:
    if len(message) > MAX_ALERT_CHARS:
        message = message[:MAX_ALERT_CHARS - 3].rstrip() + "..."
    if _remote(book):
        # xlwings' remote App.alert adds the alert to the book opened last, which on a
        # server running buttons side by side is another person's: add it to this book.
        book.impl.append_json_action(func="alert", args=[message, TITLE, "ok", "", ""])
    else:
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
    """Rate the raw sheets, draw the scorecard into the book keeping the commentary typed on it
    (exactly as Refresh ratings does), and save the scorecard file."""
    rated, drawn = draw_scorecard(book)
    log.info("build_scorecard: %d engine calls for %s", drawn.calls, book.name)
    _, where = _file_copy(book, rated)
    alert(book, f"Scorecard for {rated.evaluation.period.long_label} drawn on {len(drawn.sheets)} sheets "
                f"({_counts(rated.evaluation)}).{carried_message(rated.carried)} {where}")


@button("refresh the ratings")
def refresh_ratings(book) -> None:
    """Rate again and redraw the scorecard sheets, keeping commentary typed into them."""
    rated, _ = draw_scorecard(book)
    alert(book, f"Ratings refreshed for {rated.evaluation.period.long_label} ({_counts(rated.evaluation)})."
                f"{carried_message(rated.carried)}")


def draw_scorecard(book):
    """What Build scorecard and Refresh ratings share: rate, carry the commentary typed on
    the scorecard sheets over, and redraw them. Returns (``Rated``, ``BookWrite``)."""
    from ..write.xlwings_writer import write_book  # noqa: PLC0415

    rated = rate(book)
    return rated, write_book(rated.book_layout, book, protect=_input_names(book))


@button("check the data")
def check_data(book) -> None:
    """List every problem on a 'Data check' sheet, each with a link to its cell."""
    from ..rate.validate import check_grids  # noqa: PLC0415
    from ..write.xlwings_writer import write_book  # noqa: PLC0415

    problems = check_grids(grids_from_book(book), book.name)
    write_book(data_check_layout(problems, book.name, [s.name for s in book.sheets]), book,
               protect=_input_names(book), record=False)
    errors, warnings = tally(problems)
    if not problems:
        alert(book, "No problems found: the workbook is ready for Build scorecard.")
    else:
        alert(book, f"{errors:,} error{'s' if errors != 1 else ''} and {warnings:,} warning"
                    f"{'s' if warnings != 1 else ''}: see the '{DATA_CHECK}' sheet, where each links to its cell."
                    + (" Errors must be fixed before Build scorecard." if errors else ""))


@button("make the directors' copy")
def directors_copy(book) -> None:
    """Save the file handed to directors: the scorecard with no personal metadata, checked
    clean by ``kpi_xl.run.export`` (no macros, links out, hidden or raw-data sheets)."""
    rated = rate(book)
    folder = output_folder(book)
    if folder is None:
        raise KpiError(f"this workbook has no folder here, so the copy cannot be saved from Excel. Set "
                       f"{OUTPUT_DIR_ENV} on the server, or run 'kpi-xl export' on the shared drive.")
    from ..run.export import check_directors_copy, directors_properties  # noqa: PLC0415

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
    from ..run.starter import SHEETS  # noqa: PLC0415
    from ..write.xlwings_writer import write_book  # noqa: PLC0415

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
    """What the desktop add-in's buttons call: ``RunPython "import kpi_xl.excel.scripts as s;
    s.run_caller('build_scorecard')"``. Runs the button on the workbook that was active."""
    import xlwings as xw  # noqa: PLC0415

    if name not in BUTTONS:
        raise ValueError(f"{name} is not a kpi_xl button ({', '.join(BUTTONS)})")
    globals()[name](xw.Book.caller())
