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
from dataclasses import dataclass, replace

from ..errors import InputError, KpiError, Problem, tally
from ..layout.cells import ORPHANS_HEADING, text_height
from ..layout.types import Layout, SheetLayout, Style
from .book import (DATA_CHECK, book_sheet_name, grids_from_book, input_names, is_remote, previous_in_book,
                   template_folder)
from .scorecard_file import (OUTPUT_DIR_ENV, inside, output_folder, save_file_copy, save_scorecard_file,
                             scorecard_file_name)

log = logging.getLogger("kpi_xl")

TITLE = "kpi_xl"
BUTTONS = ("build_scorecard", "refresh_ratings", "check_data", "directors_copy", "new_raw_sheets")
MAX_ALERT_PROBLEMS = 5
MAX_ALERT_CHARS = 900  # xlwings Server shows alerts in a dialog opened with the text in its URL


# -- rating -----------------------------------------------------------------------------------


@dataclass
class Rated:
    evaluation: object
    layout: Layout  # as the scorecard file has it
    book_layout: Layout  # as drawn into the open book (input-sheet names avoided)
    carried: object = None  # kpi_xl.run.carry.Carried: commentary kept from the scorecard sheets in the book
    template: object = None  # kpi_xl.layout.templates.Template the layout was made with
    not_drawn: tuple[str, ...] = ()  # the template's columns the book cannot show, each a sentence


def rate(book) -> Rated:
    """Read the open book's raw sheets, rate, and lay out with the commentary typed on the
    scorecard sheets already in the book carried over (``kpi_xl.run.carry``: the same rules as
    the scheduled job). Raises ``InputError`` listing the problems when the sheets cannot
    be rated."""
    from ..run.carry import carry_over  # noqa: PLC0415
    from ..rate.evaluate import evaluate  # noqa: PLC0415
    from ..layout.builder import build_layout  # noqa: PLC0415
    from ..layout.columns import BOOK, not_drawn  # noqa: PLC0415
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
    return Rated(evaluation, layout, renamed(layout, mapping), carried, template,
                 tuple(not_drawn(template.sheets, BOOK)))


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


def not_drawn_message(rated: Rated) -> str:
    """What the alert says about the template's columns this workbook cannot show
    (``kpi_xl.layout.columns``: which writers draw each column)."""
    return "".join(f" {sentence}" for sentence in rated.not_drawn)


def _counts(evaluation) -> str:
    return ", ".join(f"{n} {name}" for name, n in evaluation.counts().items() if n)


# -- the decorator ----------------------------------------------------------------------------


def alert(book, message: str) -> None:
    if len(message) > MAX_ALERT_CHARS:
        message = message[:MAX_ALERT_CHARS - 3].rstrip() + "..."
    if is_remote(book):
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
    _, where = save_file_copy(book, rated)
    alert(book, f"Scorecard for {rated.evaluation.period.long_label} drawn on {len(drawn.sheets)} sheets "
                f"({_counts(rated.evaluation)}).{carried_message(rated.carried)}{not_drawn_message(rated)} {where}")


@button("refresh the ratings")
def refresh_ratings(book) -> None:
    """Rate again and redraw the scorecard sheets, keeping commentary typed into them."""
    rated, _ = draw_scorecard(book)
    alert(book, f"Ratings refreshed for {rated.evaluation.period.long_label} ({_counts(rated.evaluation)})."
                f"{carried_message(rated.carried)}{not_drawn_message(rated)}")


def draw_scorecard(book):
    """What Build scorecard and Refresh ratings share: rate, carry the commentary typed on
    the scorecard sheets over, and redraw them. Returns (``Rated``, ``BookWrite``)."""
    from ..write.xlwings_writer import write_book  # noqa: PLC0415

    rated = rate(book)
    return rated, write_book(rated.book_layout, book, protect=input_names(book))


@button("check the data")
def check_data(book) -> None:
    """List every problem on a 'Data check' sheet, each with a link to its cell."""
    from ..rate.validate import check_grids  # noqa: PLC0415
    from ..write.xlwings_writer import write_book  # noqa: PLC0415

    problems = check_grids(grids_from_book(book), book.name)
    write_book(data_check_layout(problems, book.name, [s.name for s in book.sheets]), book,
               protect=input_names(book), record=False)
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
    from ..run.accessibility import check_accessibility  # noqa: PLC0415  (the same checks as kpi-xl export)

    problems = check_accessibility(path)
    access = (f" Accessibility: {len(problems)} problem(s) to fix before publishing (kpi-xl check-accessibility "
              f"lists them all), first: {problems[0]}" if problems else " Accessibility checked: no problems found.")
    alert(book, f"Directors' copy for {rated.evaluation.period.long_label} saved as {path}: values, "
                "ratings and charts, with no macros, links to other files or raw-data sheets." + access)


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
