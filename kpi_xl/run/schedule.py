"""The scheduled job: regenerate scorecards from a small config file, with nobody watching.

    kpi-xl schedule kpi-xl.toml

Each ``[[job]]`` names a raw workbook, the scorecard to regenerate, and optionally a
directors' copy. Every run is logged (inputs, period, counts by RAG, output, duration)
to standard error and the log file. Exit code: the worst of the jobs' codes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_OK, EXIT_WROTE_BESIDE, InputError, KpiError, Problem
from .batch import GLOB_MARKS, is_batch
from .files import read_config

JOB_KEYS = {"raw": str, "output": str, "template": str, "keep": int, "period": str, "directors_copy": dict,
            "split": bool, "jobs": int}
COPY_KEYS = {"output": str, "pdf": bool, "protect": bool, "suppress_below": int}

EXAMPLE = """\
# kpi-xl schedule config: paths are relative to this file's folder
log = "logs/kpi-xl.log"

[[job]]
raw = "//fileserver/performance/Raw indicators.xlsx"
output = "//fileserver/performance/Scorecard.xlsx"
template = "monthly-monitoring"
keep = 14                      # earlier versions kept in versions/ beside the scorecard

[job.directors_copy]           # optional
output = "//fileserver/performance/Directors/Scorecard (directors).xlsx"
pdf = true                     # needs LibreOffice
protect = true
suppress_below = 0             # e.g. 6 for copies going outside the council

[[job]]                        # every council's workbook in a folder: one scorecard each, and summary.csv
raw = "//fileserver/performance/councils/*.xlsx"
output = "//fileserver/performance/council scorecards/"
jobs = 2                       # processes (default: the machine's cores)

[[job]]                        # one scorecard per value of the Report sheet's Split by, and a comparison
raw = "//fileserver/performance/Localities.xlsx"   # or a pattern: each workbook split into its own subfolder
output = "//fileserver/performance/Locality scorecards/"
split = true
"""


@dataclass
class Job:
    raw: Path
    output: Path
    template: str | None = None
    keep: int = 0
    period: str | None = None
    copy_output: Path | None = None
    copy_pdf: bool = False
    copy_protect: bool = False
    copy_suppress_below: int | None = None
    split: bool = False  # one scorecard per value of the Split by column, into the output folder
    jobs: int | None = None  # processes for a job whose raw is a folder or pattern


def load_config(path: str | Path) -> tuple[list[Job], Path | None]:
    path = Path(path)
    data = read_config(path, EXAMPLE)
    base = path.resolve().parent
    problems: list[Problem] = []

    def check(table: dict, allowed: dict, where: str) -> None:
        for key, value in table.items():
            if key not in allowed:
                problems.append(Problem(f"{path}: {where}{key}", "is not a setting.",
                                        f"Allowed: {', '.join(allowed)}."))
            elif not isinstance(value, allowed[key]) or (allowed[key] is int and isinstance(value, bool)):
                problems.append(Problem(f"{path}: {where}{key}", f"{value!r} has the wrong type.",
                                        f"Give {allowed[key].__name__.replace('str', 'text')}."))

    check({k: v for k, v in data.items()}, {"log": str, "job": list}, "")
    jobs = []
    for i, job in enumerate(data.get("job", []), 1):
        where = f"job[{i}]."
        check(job, JOB_KEYS, where)
        for key in ("raw", "output"):
            if key not in job:
                problems.append(Problem(f"{path}: {where}{key}", "is missing.", f"Add {key} = \"...\"."))
        copy = job.get("directors_copy") or {}
        check(copy, COPY_KEYS, where + "directors_copy.")
        if copy and (job.get("split") or GLOB_MARKS & set(str(job.get("raw", "")))):
            problems.append(Problem(f"{path}: {where}directors_copy", "is for one scorecard, not many.",
                                    "Remove it from this job, or give the job one raw workbook."))
        if problems:
            continue
        jobs.append(Job(raw=base / job["raw"], output=base / job["output"], template=job.get("template"),
                        keep=job.get("keep", 0), period=job.get("period"),
                        copy_output=base / copy["output"] if "output" in copy else None,
                        copy_pdf=copy.get("pdf", False), copy_protect=copy.get("protect", False),
                        copy_suppress_below=copy.get("suppress_below") or None,
                        split=job.get("split", False), jobs=job.get("jobs")))
    if not jobs and not problems:
        problems.append(Problem(str(path), "lists no [[job]].", f"Add one like this:\n{EXAMPLE}"))
    if problems:
        raise InputError(problems, str(path))
    log = data.get("log")
    return jobs, (base / log if log else None)


def run_schedule(config: str | Path) -> int:
    from .. import api
    from . import safety  # noqa: PLC0415
    from .export import export_directors_copy  # noqa: PLC0415
    from .many import run_many_job  # noqa: PLC0415

    jobs, log_file = load_config(config)
    log = safety.setup_logging(log_file)
    worst = EXIT_OK
    for job in jobs:
        started = time.perf_counter()
        log.info("start: %s -> %s", job.raw, job.output)
        try:
            if job.split or is_batch(str(job.raw)):
                worst = max(worst, run_many_job(job, log))
                continue
            result = api.build(job.raw, job.output, period=api.parse_cli_period(job.period),
                               template=job.template, keep=job.keep)
            for problem in result.warnings:
                log.warning("%s", problem)
            log.info("built: period %s, %d indicators (%s), %s in %.2fs%s", result.evaluation.period.long_label,
                     len(result.evaluation.results), api.scorecard_counts(result), result.output,
                     time.perf_counter() - started,
                     f"; the scorecard {result.beside_because}, so it was written beside it" if result.wrote_beside
                     else "")
            if result.wrote_beside:
                worst = max(worst, EXIT_WROTE_BESIDE)
            if job.copy_output:
                copy = export_directors_copy(job.raw, job.copy_output, period=api.parse_cli_period(job.period),
                                             template=job.template, commentary_from=result.output,
                                             protect=job.copy_protect, pdf=job.copy_pdf,
                                             suppress_below=job.copy_suppress_below)
                log.info("directors' copy: %s%s", copy.xlsx, f" and {copy.pdf}" if copy.pdf else "")
        except KpiError as exc:
            log.error("failed (exit %d), previous output left as it was: %s", exc.exit_code,
                      str(exc).replace("\n", " | "))
            worst = max(worst, exc.exit_code)
        except Exception as exc:  # the scheduled job reports everything and goes on to the next job
            log.exception("failed: %s; previous output left as it was", exc)
            worst = max(worst, 2)
    log.info("done: %d job(s), exit %d", len(jobs), worst)
    return worst
