"""Many raw workbooks in one run: ``kpi-xl build "raw/*.xlsx" -o out/``.

Each workbook is built by ``api.build`` (the same output safety as one build: never over
an input, all or nothing, the run lock, commentary carried) in a pool of worker
processes, so a workbook that fails, or even kills its worker, never stops or spoils the
others. One scorecard per raw workbook, named as the raw workbook, in the output folder;
a ``summary.csv`` lists every file with its period, counts, seconds and outcome.

A batch is idempotent and shares no state between workbooks, so it can be cut into parts
and run on several machines (see the README's "Many scorecards at once").
"""
from __future__ import annotations

import csv
import glob
import io
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import EXIT_CANNOT_RUN, EXIT_INPUT, EXIT_OK, EXIT_WROTE_BESIDE, CannotRun, InputError, KpiError
from .raw_argument import GLOB_MARKS, is_batch  # noqa: F401  (as callers know them)

SUMMARY = "summary.csv"
RATINGS = ("Green", "Amber", "Red", "Grey", "No data")


@dataclass(frozen=True)
class Outcome:
    """What became of one raw workbook: a row of ``summary.csv``."""

    file: str
    split: str = ""  # the value of the Split by column this scorecard is for (kpi-xl build "raw/*.xlsx" --split)
    output: str = ""
    period: str = ""
    indicators: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    grey: int = 0
    no_data: int = 0
    warnings: int = 0
    seconds: float = 0.0
    outcome: str = "built"  # built | written beside | failed
    exit_code: int = EXIT_OK
    problem: str = ""  # the first problem, for a workbook that failed; the reason, when written beside

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


def raw_workbooks(raw: str) -> list[Path]:
    """The .xlsx files a folder holds, or a pattern matches, sorted by name: not Excel's
    ``~$`` owner files, nor kpi_xl's hidden temporary files."""
    if Path(raw).is_dir():
        found = [p for p in Path(raw).iterdir() if p.suffix.lower() == ".xlsx"]
    else:
        found = [Path(p) for p in glob.glob(raw, recursive=True)]
    found = sorted(p for p in found if p.is_file() and not p.name.startswith(("~$", ".")))
    if not found:
        where = "the folder holds no .xlsx files" if Path(raw).is_dir() else "no file matches it"
        raise CannotRun(f"{raw}: {where}. Check the folder or pattern (quote a pattern: \"raw/*.xlsx\").")
    return found


def output_folder(output: str | Path) -> Path:
    """The folder a batch writes to: made when its parent exists; never an .xlsx file."""
    folder = Path(output)
    if folder.suffix.lower() == ".xlsx" or folder.is_file():
        raise InputError(f"{output}: many scorecards need a folder to go in, not one file. "
                         f"Give a folder, such as -o {folder.with_suffix('')}/", "-o")
    if not folder.is_dir():
        if not folder.parent.is_dir():
            raise CannotRun(f"{folder.parent}: no such folder, so {folder.name}/ cannot be made there. "
                            "Create it, or choose another output folder.")
        folder.mkdir(exist_ok=True)
    return folder


def summary_path(summary: str | None, folder: Path) -> Path:
    """Where the summary goes: ``--summary`` (a .csv file in a folder that exists: each
    part of a batch spread over machines gives its own), else ``summary.csv`` in ``folder``.
    Checked before anything is built."""
    if not summary:
        return folder / SUMMARY
    path = Path(summary)
    if path.suffix.lower() != ".csv":
        raise InputError(f"--summary {summary}: the summary is a CSV file, so its name must end in .csv, such as "
                         f"{path.with_name(path.stem + '.csv')}", "--summary")
    if not path.parent.is_dir():
        raise CannotRun(f"{path.parent}: no such folder, so the summary {path.name} cannot be written there. "
                        "Create it, or choose another --summary path.")
    if path.is_dir():
        raise CannotRun(f"--summary {summary}: is a folder. Give a file name, such as {path / SUMMARY}.")
    return path


def first_problem(exc: KpiError) -> str:
    """The one line a batch shows for a workbook that failed: its first problem."""
    if isinstance(exc, InputError) and exc.problems:
        errors = [p for p in exc.problems if p.severity == "error"] or exc.problems
        extra = len(errors) - 1
        return str(errors[0]) + (f" (and {extra} more problem{'s' if extra > 1 else ''}: "
                                 "kpi-xl validate lists them)" if extra else "")
    return str(exc).splitlines()[0]


def build_one(raw: Path, output: Path, options: dict) -> Outcome:
    """Build one scorecard; every failure becomes an ``Outcome``, never an exception.
    Runs in a worker process, so it takes and returns only plain, picklable things."""
    from .. import api  # noqa: PLC0415

    started = time.perf_counter()
    try:
        result = api.build(raw, output, period=api.parse_cli_period(options.get("period")),
                           template=options.get("template"), keep=options.get("keep", 0))
    except Exception as exc:  # noqa: BLE001  (a bug or a surprise in one workbook must not stop the batch)
        return failure(raw, exc, started)
    return outcome_of(raw, output, result)


def failure(raw: Path, exc: Exception, started: float, split: str = "") -> Outcome:
    """The outcome of a build that raised ``exc``: its first problem, or, for anything but a
    ``KpiError`` (a bug or a surprise in one workbook), a request to report it."""
    seconds = round(time.perf_counter() - started, 2)
    if isinstance(exc, KpiError):
        return Outcome(str(raw), split, seconds=seconds, outcome="failed", exit_code=exc.exit_code,
                       problem=first_problem(exc))
    return Outcome(str(raw), split, seconds=seconds, outcome="failed", exit_code=EXIT_CANNOT_RUN,
                   problem=f"{raw.name}: kpi_xl could not build it ({type(exc).__name__}: {exc}); please report "
                           "this with the file.")


def outcome_of(raw: Path, output: Path, result, split: str = "") -> Outcome:
    """The outcome of the scorecard asked for as ``output`` (``result``: an ``api.BuildResult``)."""
    counts = result.evaluation.counts()
    return Outcome(str(raw), split, str(result.output), result.evaluation.period.iso(),
                   len(result.evaluation.results), *(counts.get(name, 0) for name in RATINGS),
                   warnings=len(result.warnings), seconds=round(result.seconds, 2),
                   outcome="written beside" if result.wrote_beside else "built",
                   exit_code=EXIT_WROTE_BESIDE if result.wrote_beside else EXIT_OK,
                   problem=f"{output.name} {result.beside_because}" if result.wrote_beside else "")


def crashed(raw: Path) -> Outcome:
    return Outcome(str(raw), outcome="failed", exit_code=EXIT_CANNOT_RUN,
                   problem=f"{raw.name}: the process building it stopped unexpectedly (out of memory, or killed); "
                           "the other scorecards were not affected. Run it alone to see why.")


def _watch_parent(parent: int) -> None:
    """In a worker: end when the batch that started it has gone (killed by a scheduler, or
    Ctrl+C), rather than live on as an orphan. The scorecard it was writing is left as it
    was: the temporary file and lock it leaves are cleared by the next run."""
    import threading  # noqa: PLC0415

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(EXIT_CANNOT_RUN)

    threading.Thread(target=watch, name="kpi_xl parent watch", daemon=True).start()


def _pool(tasks: list[tuple[Path, Path]], options: dict, jobs: int, done: Callable,
          work: Callable) -> list[tuple[Path, Path]]:
    """Run ``work(raw, output, options)`` for each of ``tasks`` in a pool of ``jobs``
    processes, calling ``done`` with what it returns as each finishes. Returns the tasks
    left unfinished because a worker died (the pool is then broken)."""
    # imported here, when a pool is made: the modules that use this one for a single
    # scorecard (the schedule, rollup, split) do not pay for loading multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: PLC0415
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

    left: list[tuple[Path, Path]] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(work, raw, out, options): (raw, out) for raw, out in tasks}
        for future in as_completed(futures):
            try:
                done(future.result())
            except BrokenProcessPool:
                left.append(futures[future])
    return left


def run_batch(raws: list[Path], folder: Path, options: dict, jobs: int | None = None,
              done: Callable[[Outcome], None] | None = None, summary: Path | None = None) -> list[Outcome]:
    """Build one scorecard per raw workbook into ``folder``; returns every outcome, by file,
    also written to ``summary`` (default ``summary.csv`` in ``folder``).

    ``jobs``: worker processes (default: the machine's cores). A worker that dies takes no
    other workbook with it: the workbooks it left unfinished are built again, one at a
    time, and only the one that kills its worker again is reported as failed."""
    outputs = [folder / raw.name for raw in raws]
    clash = next((raw for raw, out in zip(raws, outputs) if out.exists() and _same(raw, out)), None)
    if clash is not None:
        raise InputError(f"{folder}: the scorecards would replace the raw workbooks there ({clash.name}). "
                         "Give another output folder, such as -o scorecards/", "-o")
    jobs = max(1, jobs or os.cpu_count() or 1)
    outcomes: list[Outcome] = []

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if done:
            done(outcome)

    run_tasks(list(zip(raws, outputs)), options, jobs, record)
    outcomes.sort(key=lambda o: o.file)
    write_summary(summary or folder / SUMMARY, outcomes)
    return outcomes


def run_tasks(tasks: list[tuple[Path, Path]], options: dict, jobs: int, record: Callable,
              work: Callable | None = None) -> None:
    """``work(raw, output, options)`` (default ``build_one``) for each task, ``jobs`` at a
    time, each result passed to ``record`` as it comes; a workbook that kills its worker
    again when run alone is recorded as ``crashed``."""
    work = work or build_one
    _load_once()
    if jobs == 1 and len(tasks) == 1:
        record(work(*tasks[0], options))
        return
    for raw, out in _pool(tasks, options, min(jobs, len(tasks)), record, work):
        if _pool([(raw, out)], options, 1, record, work):  # alone, so it can only be this workbook
            record(crashed(raw))


def _load_once() -> None:
    """Import the reading and writing libraries before the workers start: where processes
    are forked (Linux), every worker then shares them rather than importing its own."""
    import xlsxwriter  # noqa: F401, PLC0415

    from ..read import grid  # noqa: F401, PLC0415
    from ..write import xlsx_writer  # noqa: F401, PLC0415
    from . import carry, safety  # noqa: F401, PLC0415


def _same(a: Path, b: Path) -> bool:
    from .safety import same_file  # noqa: PLC0415
    return same_file(a, b)


def write_summary(path: Path, outcomes: list[Outcome]) -> None:
    """``summary.csv``: one row per raw workbook, written all or nothing."""
    from .safety import atomic_write  # noqa: PLC0415

    text = io.StringIO()
    names = [f.name for f in fields(Outcome)]
    writer = csv.DictWriter(text, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for outcome in outcomes:
        writer.writerow({name: getattr(outcome, name) for name in names})
    atomic_write(path, lambda tmp: tmp.write_text(text.getvalue(), encoding="utf-8-sig"))


def exit_code(outcomes: list[Outcome]) -> int:
    """1 when any workbook failed (the rest still written), else 3 when any went beside an
    open file, else 0."""
    if any(o.failed for o in outcomes):
        return EXIT_INPUT
    return EXIT_WROTE_BESIDE if any(o.exit_code == EXIT_WROTE_BESIDE for o in outcomes) else EXIT_OK


class ProgressBar:
    """One bar for the whole batch on standard error, redrawn in place on a terminal (a line
    every tenth of the way otherwise); a failure is printed above it as one line."""

    def __init__(self, total: int, stream=None, quiet: bool = False):
        self.total, self.stream, self.quiet = total, stream or sys.stderr, quiet
        self.count = self.failed = 0
        self.started = time.perf_counter()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.shown_tenth = -1

    def line(self) -> str:
        width = 30
        filled = round(width * self.count / self.total) if self.total else width
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} done{failed} "
                f"{time.perf_counter() - self.started:.1f}s")

    def __call__(self, outcome: Outcome) -> None:
        self.tell(outcome)
        self.advance()

    def tell(self, outcome: Outcome) -> None:
        """A line for a scorecard that failed or went beside an open file."""
        if outcome.failed:
            self.failed += 1
            problem = outcome.problem.removeprefix(f"{Path(outcome.file).name}: ")
            self._print(f"failed: {outcome.file}{f' ({outcome.split})' if outcome.split else ''}: {problem}")
        elif outcome.outcome == "written beside":
            self._print(f"note: {outcome.problem}, so the new scorecard was written beside it as {outcome.output}")

    def advance(self) -> None:
        """One more of the ``total`` done: the bar redrawn."""
        self.count += 1
        if self.quiet:
            return
        if self.tty:
            print("\r" + self.line(), end="\n" if self.count == self.total else "", file=self.stream, flush=True)
        elif (tenth := self.count * 10 // self.total) != self.shown_tenth:
            self.shown_tenth = tenth
            print(self.line(), file=self.stream, flush=True)

    def _print(self, text: str) -> None:
        clear = "\r\033[K" if self.tty and not self.quiet else ""
        print(clear + text, file=self.stream, flush=True)
