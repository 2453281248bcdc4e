"""The ``kpi-xl`` command: a thin layer over ``kpi_xl.api``.

Exit codes: 0 ok; 1 the input has problems (nothing written); 2 could not run;
3 the target was open in Excel so the scorecard was written beside it; 4 another run
holds the lock on the target.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import EXIT_CANNOT_RUN, EXIT_INPUT, EXIT_OK, EXIT_WROTE_BESIDE, InputError, KpiError, tally


def _progress(quiet: bool):
    started = time.perf_counter()

    def step(text: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - started:5.1f}s] {text}", file=sys.stderr, flush=True)
    return step


def _print_problems(problems, stream=sys.stderr) -> None:
    for p in problems:
        print(f"{'error' if p.severity == 'error' else 'warning'}: {p}", file=stream)


def cmd_build(args) -> int:
    from . import api  # noqa: PLC0415
    from .run.raw_argument import is_batch  # noqa: PLC0415

    if is_batch(args.raw) or args.split:
        from .run.many import build_many  # noqa: PLC0415
        return build_many(args)
    if args.summary:
        raise InputError(f"--summary is for a folder or pattern of raw workbooks, and {args.raw} is one. "
                         "Leave it out.", "--summary")
    step = _progress(args.quiet)
    result = api.build(args.raw, args.output, period=api.parse_cli_period(args.period), template=args.template,
                       previous=args.previous, keep=args.keep, progress=step)
    _print_problems(result.warnings)
    step(f"Wrote {result.output} ({api.scorecard_counts(result)}) in {result.seconds:.2f}s")
    if result.restated:
        step(f"{len(result.restated)} restated figure(s) marked with \u2020")
    if result.wrote_beside:
        print(f"note: {args.output} {result.beside_because}, so the new scorecard was written beside it as "
              f"{result.output}. Close the workbook and run again to replace it.", file=sys.stderr)
        return EXIT_WROTE_BESIDE
    print(result.output)
    return EXIT_OK


def cmd_evaluate(args) -> int:
    import csv  # noqa: PLC0415
    import json  # noqa: PLC0415

    from . import api  # noqa: PLC0415
    from .rate.evaluate import comparators, evaluate_columns, evaluate_row, spc_json  # noqa: PLC0415

    evaluation = api.evaluate_file(args.raw, api.parse_cli_period(args.period))
    _print_problems(evaluation.raw.warnings)
    rows = [evaluate_row(r, comparators(evaluation)) for r in evaluation.results]
    if args.format == "json":
        rows = [{**{k: v for k, v in row.items() if not k.startswith("spc_")}, "spc": spc_json(res)}
                for row, res in zip(rows, evaluation.results)]
        json.dump({"period": evaluation.period.iso(), "indicators": rows}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=evaluate_columns(evaluation), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return EXIT_OK


def cmd_validate(args) -> int:
    from . import api  # noqa: PLC0415

    problems = api.validate_file(args.raw)
    _print_problems(problems, sys.stdout)
    errors, warnings = tally(problems)
    print(f"{args.raw}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_INPUT if errors else EXIT_OK


def cmd_init(args) -> int:
    from .errors import CannotRun  # noqa: PLC0415
    from .run.starter import ROLLUP_STARTER, write_starter_workbook  # noqa: PLC0415

    path = Path(args.path)
    if path.exists() and not args.force:
        raise CannotRun(f"{path} already exists; kpi-xl init never overwrites a workbook. "
                        "Choose another name, or add --force.")
    if args.rollup:
        write_starter_workbook(path, ROLLUP_STARTER)
        print(f"Wrote {path}: list each directorate's raw workbook on the Sources sheet, then run "
              f"kpi-xl rollup {path}")
        return EXIT_OK
    write_starter_workbook(path)
    print(f"Wrote {path}: fill in the Indicators and Data sheets, then run kpi-xl build {path} -o scorecard.xlsx")
    return EXIT_OK


def cmd_templates(args) -> int:
    from .layout.templates import available_templates, load_template  # noqa: PLC0415

    for name, path in available_templates().items():
        tpl = load_template(str(path))
        print(f"{name:20} {tpl.description}\n{'':20} {path}")
    return EXIT_OK


def cmd_export(args) -> int:
    from dataclasses import replace  # noqa: PLC0415

    from . import api  # noqa: PLC0415
    from .run.export import export_directors_copy  # noqa: PLC0415

    step = _progress(args.quiet)
    result = export_directors_copy(args.raw, args.output, period=api.parse_cli_period(args.period),
                                   template=args.template, commentary_from=args.commentary_from,
                                   protect=args.protect, pdf=args.pdf, suppress_below=args.suppress_below,
                                   progress=step)
    _print_problems([replace(p, severity="warning") for p in result.accessibility], sys.stderr)
    step(f"Wrote {result.xlsx}" + (f" and {result.pdf}" if result.pdf else "")
         + (f"; {len(result.accessibility)} accessibility problem(s) to fix before publishing" if result.accessibility
            else "; accessibility checked: no problems found"))
    print(result.xlsx)
    if result.pdf:
        print(result.pdf)
    return EXIT_OK


def cmd_check_accessibility(args) -> int:
    from .run.accessibility import check_accessibility  # noqa: PLC0415
    from .run.pdf_check import check_pdf  # noqa: PLC0415

    problems = (check_pdf if args.path.lower().endswith(".pdf") else check_accessibility)(args.path)
    _print_problems(problems, sys.stdout)
    if problems:
        print(f"{args.path}: {len(problems):,} accessibility problem(s) to fix before publishing.", file=sys.stderr)
        return EXIT_INPUT
    print(f"{args.path}: no accessibility problems found (a person still checks the commentary reads well: "
          "see the README).", file=sys.stderr)
    return EXIT_OK


def cmd_schedule(args) -> int:
    from .run.schedule import EXAMPLE, run_schedule  # noqa: PLC0415

    if args.example:
        print(EXAMPLE, end="")
        return EXIT_OK
    if not args.config:
        raise InputError("give the config file, e.g. kpi-xl schedule kpi-xl.toml (kpi-xl schedule --example "
                         "prints one)", "kpi-xl schedule")
    return run_schedule(args.config)


def cmd_rollup(args) -> int:
    from .run.rollup import rollup_command  # noqa: PLC0415

    return rollup_command(args)


def cmd_addin(args) -> int:
    from .excel import addin  # noqa: PLC0415

    path = addin.build(Path(args.output))
    print(f"{path} sha256 {addin.sha256(path)}")
    return EXIT_OK


def version() -> str:
    from importlib.metadata import PackageNotFoundError  # noqa: PLC0415
    from importlib.metadata import version as installed_version  # noqa: PLC0415

    try:
        return installed_version("kpi_xl")
    except PackageNotFoundError:  # a checkout that was never pip-installed
        from . import __version__  # noqa: PLC0415

        return __version__


class _ShowVersion(argparse.Action):
    """``--version``: the installed version, looked up only when asked (importlib.metadata
    scans the installed packages, which every other command would pay for)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default,
                         help=help or "show program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {version()}")
        parser.exit()


EXIT_CODES = """\
exit codes:
  0  done (warnings may have been printed)
  1  the raw workbook, template or config has problems: nothing was written
  2  could not run (missing file or folder, no permission, LibreOffice or pyOpenVBA missing ...)
  3  the scorecard was open in Excel, so the new one was written beside it
  4  another kpi-xl run is writing the same scorecard; try again when it has finished
"""


def _reads_raw(p: argparse.ArgumentParser, output: str = "", template: bool = False,
               raw: str = "the raw indicator workbook (.xlsx)") -> None:
    """The arguments of a command that reads a raw workbook for a month: the workbook,
    ``-o`` (when it writes one), ``--period`` and (when it lays out a scorecard) ``--template``."""
    p.add_argument("raw", help=raw)
    if output:
        p.add_argument("-o", "--output", required=True, help=output)
    p.add_argument("--period", help="reporting month, e.g. 2020-01 (default: the Report sheet's, else the latest)")
    if template:
        p.add_argument("--template", help="template name (kpi-xl templates) or path to a .toml file")


#: The commands, in the order ``kpi-xl --help`` lists them.
COMMANDS = ("build", "evaluate", "validate", "init", "export", "check-accessibility", "schedule", "rollup", "serve",
            "templates", "addin")


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given the ``command`` about to run (one of ``COMMANDS``), only
    that command's own parser is made: each costs about half a millisecond (argparse looks up
    translations of its words), a tenth of the start of every run; else (``--help``, a
    mistake) all of them."""
    p = argparse.ArgumentParser(prog="kpi-xl", description="Turn a raw indicator workbook into a rated scorecard.",
                                epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_ShowVersion)
    sub = p.add_subparsers(dest="command", required=True)

    if command in (None, "build"):
        b = sub.add_parser("build", help="write the scorecard workbook")
        _reads_raw(b, output="the scorecard workbook to write (.xlsx); a folder for many raw workbooks or --split",
                   template=True, raw="the raw indicator workbook (.xlsx); or a folder, or a quoted pattern such as "
                   "\"raw/*.xlsx\", to build one scorecard for each")
        b.add_argument("--previous", help="last month's scorecard: mark figures that have been restated since")
        b.add_argument("--keep", type=int, default=0,
                       help="keep this many earlier versions in versions/ beside the output")
        b.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
        b.add_argument("--jobs", type=int, metavar="N", help="for a folder or pattern of raw workbooks: build N at "
                       "once (default: the machine's cores)")
        b.add_argument("--summary", metavar="FILE", help="for a folder or pattern of raw workbooks: where to write the "
                       "summary (.csv; default summary.csv in the output folder), e.g. one per machine when several "
                       "share an output folder")
        b.add_argument("--split", action="store_true", help="one scorecard per value of the Report sheet's 'Split "
                       "by' column, and a comparison workbook, into the folder -o names (for a folder or pattern of "
                       "raw workbooks: each into its own subfolder)")
        b.set_defaults(run=cmd_build)

    if command in (None, "evaluate"):
        e = sub.add_parser("evaluate", help="print one rated row per indicator")
        _reads_raw(e)
        e.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default csv)")
        e.set_defaults(run=cmd_evaluate)

    if command in (None, "validate"):
        v = sub.add_parser("validate", help="list every problem with its sheet and cell")
        v.add_argument("raw", help="the raw indicator workbook (.xlsx)")
        v.set_defaults(run=cmd_validate)

    if command in (None, "init"):
        i = sub.add_parser("init", help="write an empty raw workbook with example rows and notes")
        i.add_argument("path", help="the raw workbook to write (.xlsx)")
        i.add_argument("--force", action="store_true", help="overwrite an existing file")
        i.add_argument("--rollup", action="store_true", help="write a corporate workbook for kpi-xl rollup instead: "
                       "a Sources sheet listing the directorates' raw workbooks, and the Report sheet's settings")
        i.set_defaults(run=cmd_init)

    if command in (None, "export"):
        x = sub.add_parser("export", help="write the directors' copy: self-contained, optionally PDF")
        _reads_raw(x, output="the directors' copy to write (.xlsx)", template=True)
        x.add_argument("--commentary-from", help="the shared scorecard whose typed commentary to include")
        x.add_argument("--protect", action="store_true", help="protect every sheet against accidental edits")
        x.add_argument("--pdf", action="store_true", help="also write a PDF beside it (needs LibreOffice)")
        x.add_argument("--suppress-below", type=int, metavar="N", help="show counts below N as <N")
        x.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
        x.set_defaults(run=cmd_export)

    if command in (None, "check-accessibility"):
        c = sub.add_parser("check-accessibility", help="list what stops a scorecard being published accessibly",
                           description="Check any scorecard (or xlsx) for alt text on charts, named tables with one "
                                       "header row, merged cells, sheet names and titles, colour contrast and colour "
                                       "alone, and the document's title, subject and language; each problem names "
                                       "its sheet and cell and what to do. A PDF is checked for tags, title, language, "
                                       "bookmarks and selectable text. Exit code 1 when any is found.")
        c.add_argument("path", help="the workbook (.xlsx) or PDF to check")
        c.set_defaults(run=cmd_check_accessibility)

    if command in (None, "schedule"):
        s = sub.add_parser("schedule", help="regenerate scorecards from a config file (for Task Scheduler / cron)")
        s.add_argument("config", nargs="?", help="the schedule config file (.toml)")
        s.add_argument("--example", action="store_true", help="print an example config file")
        s.set_defaults(run=cmd_schedule)

    if command in (None, "rollup"):
        r = sub.add_parser("rollup", help="one corporate scorecard from the directorates' corporate plan indicators")
        r.add_argument("config", nargs="?", help="the roll-up config file (.toml): title, and each directorate's raw "
                       "workbook and shared scorecard; or a workbook (.xlsx) listing them on a Sources sheet")
        r.add_argument("-o", "--output", help="the corporate scorecard to write (.xlsx); default the config's output")
        r.add_argument("--template", help="template name (kpi-xl templates) or path to a .toml file")
        r.add_argument("--example", action="store_true", help="print an example config file")
        r.set_defaults(run=cmd_rollup)

    if command in (None, "serve"):
        from .excel.server import add_serve_command  # noqa: PLC0415  (xlwings-server itself is imported only by serve)
        add_serve_command(sub)

    if command in (None, "templates"):
        t = sub.add_parser("templates", help="list the report templates")
        t.set_defaults(run=cmd_templates)

    if command in (None, "addin"):
        a = sub.add_parser("addin", help="write the desktop Excel add-in (kpi_xl.xlam); needs kpi_xl[addin]",
                           description="Write kpi_xl.xlam, the KPI Scorecard ribbon for desktop Excel, from the "
                                       "sources shipped with kpi_xl. Needs: pip install 'kpi_xl[addin]'. Rebuild it "
                                       "whenever xlwings is upgraded (see docs/excel-addin.md).")
        a.add_argument("-o", "--output", default="kpi_xl.xlam", help="the add-in file to write (default kpi_xl.xlam)")
        a.set_defaults(run=cmd_addin)
    return p


#: Commands that never hand openpyxl a numpy number: run from the command line, they skip
#: the numpy import openpyxl would otherwise make (about 0.2 s and 15 MB of every run).
WITHOUT_NUMPY = {"build", "evaluate", "validate"}


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = parser(given[0] if given and given[0] in COMMANDS else None).parse_args(argv)
    if argv is None and args.command in WITHOUT_NUMPY and "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  (so "import numpy" fails: openpyxl goes on without)
    code = _run(args)
    if argv is None:  # this process is the command's own: it ends here
        _leave(code)
    return code


def _run(args) -> int:
    """The command, its errors reported in the terminal's words; returns the exit code."""
    try:
        code = args.run(args)
        sys.stdout.flush()  # a reader that has gone (| head -1) shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader of the output stopped reading (head, less): it has all it wanted.
        # Point stdout at nothing so the exit's flush does not complain, and exit quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        _print_problems([p for p in exc.problems if p.severity == "warning"])
        return exc.exit_code
    except KpiError as exc:
        print(f"kpi-xl: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kpi-xl: interrupted; the previous output was left as it was.", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kpi-xl: {where}{exc.strerror or exc}. Nothing was changed.", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _leave(code: int) -> None:
    """End the command's process now, as any exit does (the exit handlers run, logging's among
    them, and the output is flushed), but without the interpreter's teardown of every module
    and object one by one: some 270 modules and 20,000 objects after a build, 35 ms, a twentieth
    of a small one. Not while another thread runs (an exit waits for it): then an ordinary exit."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    import atexit  # noqa: PLC0415

    atexit._run_exitfuncs()  # noqa: SLF001  (what an ordinary exit runs first)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that has gone, or a closed stream: nothing to flush to
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
