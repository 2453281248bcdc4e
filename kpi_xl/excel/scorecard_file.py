"""The scorecard file a ribbon button saves beside what it draws: in which folder, under
which name, one save of a file at a time, with the commentary typed into the file it
replaces carried over (as ``kpi-xl build`` carries it).
"""
from __future__ import annotations

import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KpiError, TargetLocked
from ..layout.types import Layout
from .book import book_folder

if TYPE_CHECKING:
    from .scripts import Rated

log = logging.getLogger("kpi_xl")

OUTPUT_DIR_ENV = "KPI_XL_OUTPUT_DIR"
#: How long a button waits for another save of the same scorecard file (another person's
#: click, on this server or another, or the scheduled job) before saying so.
SAVE_WAIT_SECONDS = 60


def output_folder(book) -> Path | None:
    """Where the scorecard file goes: ``KPI_XL_OUTPUT_DIR`` if set, else the raw
    workbook's folder on the desktop; ``None`` when there is no folder (a workbook on
    the web, or xlwings Server without ``KPI_XL_OUTPUT_DIR``)."""
    configured = os.environ.get(OUTPUT_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return book_folder(book)


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


def save_file_copy(book, rated: Rated, suffix: str = "scorecard") -> tuple[Path | None, str]:
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
