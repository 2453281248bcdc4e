"""Every problem in a raw workbook, without raising: the reader's, and when the sheets
read cleanly, the one rating would find. (What ``kpi-xl validate`` and the ribbon's
Check data list.)"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import InputError, Problem
from ..read.grid import Grid, grids_from_file
from ..read.reader import Reader
from .evaluate import evaluate


def check_grids(grids: dict[str, Grid], source: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem (errors and warnings) in the grids, without raising; when the sheets
    read cleanly, also the one rating would find (a report month with no figures)."""
    raw = Reader(grids, source, today).read()
    if any(p.severity == "error" for p in raw.problems):
        return raw.problems
    try:
        evaluate(raw)
    except InputError as exc:
        return raw.problems + exc.problems
    return raw.problems


def validate_workbook(path, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the workbook at ``path``, without raising for the user's input:
    a file that is not a readable, safe xlsx gives its one problem too. (A missing or
    unreadable file still raises ``CannotRun``.)"""
    try:
        grids = grids_from_file(path)
    except InputError as exc:
        return list(exc.problems)
    return check_grids(grids, Path(path).name, today)
