"""``kpi-xl build "raw/*.xlsx" -o out/ --split``: every raw workbook of a folder or pattern
split by its Report sheet's ``Split by`` column (a regional analyst's one workbook per
region, each split by Authority), each into its own subfolder of ``out/`` named from the
file (made safe), several workbooks at once in the batch's pool of processes.

One ``summary.csv`` in ``out/`` lists every scorecard: the file, the split value, period,
counts, seconds and outcome; a workbook that cannot be split at all (damaged, no Split by)
is one failed row. As with a batch, one bad workbook never stops or spoils the others.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import EXIT_INPUT
from .batch import SUMMARY, Outcome, failure, outcome_of, run_tasks, write_summary
from .split import safe_file_name

Split = tuple[str, list[Outcome], str]  # (raw workbook, its scorecards' outcomes, its comparison workbook or "")


def split_folders(raws: list[Path], folder: Path) -> list[tuple[Path, Path]]:
    """Each raw workbook and the subfolder of ``folder`` its scorecards go in: its file name
    made safe, unique ignoring case (``North.xlsx`` -> ``North/``, ``north.xlsx`` -> ``north (2)/``)."""
    taken = {Path(SUMMARY).stem.lower()}
    return [(raw, folder / safe_file_name(raw.stem, taken)) for raw in raws]


def split_one(raw: Path, folder: Path, options: dict) -> Split:
    """In a worker: split one raw workbook into ``folder`` (made for it, and removed again
    if nothing could be written there); every failure becomes an ``Outcome``."""
    from .. import api  # noqa: PLC0415
    from .split import split_build  # noqa: PLC0415

    started = time.perf_counter()
    made = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
        result = split_build(raw, folder, period=api.parse_cli_period(options.get("period")),
                             template=options.get("template"), keep=options.get("keep", 0))
    except Exception as exc:  # noqa: BLE001  (one workbook's surprise must not stop the others)
        if made and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        return str(raw), [failure(raw, exc, started)], ""
    built, failed = dict(result.built), dict(result.failed)
    outcomes = [outcome_of(raw, result.targets[value], built[value], value) if value in built else
                Outcome(str(raw), value, outcome="failed", exit_code=EXIT_INPUT, problem=failed[value])
                for value in result.plan.values if value in built or value in failed]
    return str(raw), outcomes, str(result.comparison or "")


def run_split_batch(raws: list[Path], folder: Path, options: dict, jobs: int | None = None,
                    bar: Callable | None = None, summary: Path | None = None) -> tuple[list[Outcome], list[Path]]:
    """Split every raw workbook into its own subfolder of ``folder``; returns every
    scorecard's outcome (by file, then in the order of the values) and the comparison
    workbooks written. ``bar``: the batch's ``ProgressBar``, advanced once per workbook;
    ``summary``: where the summary goes (default ``summary.csv`` in ``folder``)."""
    splits: list[Split] = []

    def record(found: Split | Outcome) -> None:
        if isinstance(found, Outcome):  # its worker died, twice
            found = (found.file, [found], "")
        splits.append(found)
        if bar:
            for outcome in found[1]:
                bar.tell(outcome)
            bar.advance()

    run_tasks(split_folders(raws, folder), options, max(1, jobs or os.cpu_count() or 1), record, split_one)
    splits.sort(key=lambda split: split[0])
    outcomes = [outcome for _, found, _ in splits for outcome in found]
    write_summary(summary or folder / SUMMARY, outcomes)
    return outcomes, [Path(comparison) for _, _, comparison in splits if comparison]
