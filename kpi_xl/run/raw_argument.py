"""Whether the raw workbook argument names one workbook or many.

Every build asks this first, so it is kept apart from ``run.batch``: building one scorecard
does not load the batch's pool, summary and progress bar."""
from __future__ import annotations

from pathlib import Path

GLOB_MARKS = set("*?[")


def is_batch(raw: str) -> bool:
    """Whether the raw argument names many workbooks: a folder, or a pattern such as raw/*.xlsx
    (not a file whose name has a bracket in it, such as ``Raw [v2].xlsx``)."""
    return Path(raw).is_dir() or (bool(GLOB_MARKS & set(raw)) and not Path(raw).is_file())
