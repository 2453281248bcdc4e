"""``kpi-xl build`` for many scorecards at once: a folder or pattern of raw workbooks
(``run.batch``), one raw workbook split by a column (``run.split``), or a folder or
pattern of them, each split (``run.split_batch``)."""
from __future__ import annotations

import sys

from ..errors import EXIT_INPUT, EXIT_OK, InputError


def build_many(args) -> int:
    from .. import api  # noqa: PLC0415
    from .batch import (ProgressBar, exit_code, is_batch, output_folder, raw_workbooks, run_batch,  # noqa: PLC0415
                        summary_path)

    if args.previous:
        raise InputError("--previous names one earlier scorecard, so it cannot be used with many scorecards. "
                         "Leave it out.", "--previous")
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: give a number of processes, 1 or more.", "--jobs")
    options = {"period": args.period, "template": args.template, "keep": args.keep}
    api.parse_cli_period(args.period)  # a bad --period is one message, not one per workbook
    if args.split and not is_batch(args.raw):
        from .split import print_split, split_build  # noqa: PLC0415

        if args.summary:
            raise InputError("--summary is for a folder or pattern of raw workbooks; a split writes its "
                             "comparison workbook instead. Leave it out.", "--summary")

        result = split_build(args.raw, output_folder(args.output), **options, quiet=args.quiet)
        return print_split(result, quiet=args.quiet)
    raws = raw_workbooks(args.raw)
    folder = output_folder(args.output)
    summary = summary_path(args.summary, folder)
    bar = ProgressBar(len(raws), quiet=args.quiet)
    if not args.quiet:
        what = "Splitting" if args.split else "Building"
        print(f"{what} {len(raws)} {'raw workbook(s), each into its own folder,' if args.split else 'scorecard(s)'} "
              f"into {folder}/ with {min(args.jobs or _cores(), len(raws))} process(es)", file=sys.stderr, flush=True)
    comparisons = []
    if args.split:
        from .split_batch import run_split_batch  # noqa: PLC0415

        outcomes, comparisons = run_split_batch(raws, folder, options, args.jobs, bar, summary)
    else:
        outcomes = run_batch(raws, folder, options, args.jobs, bar, summary)
    built = sum(not o.failed for o in outcomes)
    failed = len(outcomes) - built
    print(f"{built} built, {failed} failed; summary in {summary}", file=sys.stderr)
    for outcome in outcomes:
        if not outcome.failed:
            print(outcome.output)
    for comparison in comparisons:
        print(comparison)
    return exit_code(outcomes)


def _cores() -> int:
    import os  # noqa: PLC0415
    return os.cpu_count() or 1


def run_many_job(job, log) -> int:
    """A scheduled job whose raw is a folder or pattern, or that splits: built as the command
    line builds it, every outcome logged. Returns the job's exit code."""
    from .. import api  # noqa: PLC0415
    from .batch import exit_code, is_batch, output_folder, raw_workbooks, run_batch  # noqa: PLC0415

    folder = output_folder(job.output)
    options = {"period": job.period, "template": job.template, "keep": job.keep}
    if job.split and not is_batch(str(job.raw)):
        from .split import split_build  # noqa: PLC0415

        result = split_build(job.raw, folder, period=api.parse_cli_period(job.period), template=job.template,
                             keep=job.keep)
        for value, built in result.built:
            log.info("built %s %s: period %s (%s), %s", result.plan.column, value,
                     built.evaluation.period.long_label, api.scorecard_counts(built), built.output)
        for value, problem in result.failed:
            log.error("failed %s %s: %s", result.plan.column, value, problem)
        log.info("comparison: %s", result.comparison)
        return EXIT_INPUT if result.failed else EXIT_OK
    comparisons = []
    if job.split:
        from .split_batch import run_split_batch  # noqa: PLC0415

        outcomes, comparisons = run_split_batch(raw_workbooks(str(job.raw)), folder, options, job.jobs)
    else:
        outcomes = run_batch(raw_workbooks(str(job.raw)), folder, options, job.jobs)
    for o in outcomes:
        name = f"{o.file} ({o.split})" if o.split else o.file
        if o.failed:
            log.error("failed %s: %s", name, o.problem)
        else:
            log.info("built %s: period %s, %d indicators, %s in %.2fs", name, o.period, o.indicators, o.output,
                     o.seconds)
    for comparison in comparisons:
        log.info("comparison: %s", comparison)
    log.info("%d built, %d failed; summary in %s", sum(not o.failed for o in outcomes),
             sum(o.failed for o in outcomes), folder / "summary.csv")
    return exit_code(outcomes)
