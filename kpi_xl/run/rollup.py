"""``kpi-xl rollup CONFIG.toml -o CORPORATE.xlsx``: one corporate scorecard from the
indicators marked ``Corporate plan`` in several directorates' raw workbooks, each under its
directorate's section, with the commentary from each directorate's shared scorecard.

The directorates are listed in a TOML config, or in the ``Sources`` sheet of a corporate
workbook (``kpi-xl rollup corporate.xlsx``; its Report sheet gives the settings): both are
read into one ``RollupConfig``, and built the same way.

A directorate whose raw workbook is missing or has problems is left out and *listed*: on
standard error (file, sheet and cell of its first problem), in the scorecard's note under
the title, and in the exit code (1); the others are still built. Every indicator marked
``Corporate plan`` is shown, ``No data`` when it has no figure for the month.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PureWindowsPath

from ..errors import CannotRun, InputError, KpiError, Problem
from ..model import Commentary, RawWorkbook, ReportSettings
from ..periods import Month, parse_period
from .files import read_config

ROLLUP_KEYS = {"title": str, "organisation": str, "period": str, "template": str, "output": str, "keep": int,
               "directorate": list}
DIRECTORATE_KEYS = {"name": str, "raw": str, "scorecard": str}
QUESTIONS = ("why", "what", "when")

EXAMPLE = """\
# kpi-xl rollup config: paths are relative to this file's folder
title = "Corporate plan scorecard"
organisation = "Anytown Council"
# period = "2020-01"           # default: the latest month any directorate reports
template = "kpi-scorecard"
output = "Corporate scorecard.xlsx"   # or kpi-xl rollup CONFIG.toml -o FILE.xlsx

[[directorate]]
name = "Children's services"
raw = "children/Raw indicators.xlsx"
scorecard = "children/Scorecard.xlsx"   # optional: its shared scorecard, whose typed commentary is carried

[[directorate]]
name = "Adult social care"
raw = "adults/Raw indicators.xlsx"
"""


@dataclass(frozen=True)
class Directorate:
    name: str
    raw: Path
    scorecard: Path | None = None
    raw_where: str = ""  # where its path is given: "directorate[2].raw", "Sources!B3"
    scorecard_where: str = ""


@dataclass
class RollupConfig:
    path: Path
    directorates: list[Directorate]
    title: str = "Corporate plan scorecard"
    organisation: str = ""
    period: Month | None = None
    template: str | None = None
    output: Path | None = None
    keep: int = 0
    add_output: str = 'Add output = "Corporate scorecard.xlsx"'  # how to name the output where it is given
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Rollup:
    """The corporate raw workbook, and what was left out."""

    raw: RawWorkbook | None = None
    included: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (directorate, why: file, sheet and cell)
    warnings: list[Problem] = field(default_factory=list)


def load_rollup_config(path: str | Path) -> RollupConfig:
    """The roll-up's settings and directorates from a TOML config, or from the ``Sources`` (and
    ``Report``) sheet of a workbook; paths relative to the file's folder."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return load_rollup_workbook(path)
    data = read_config(path, EXAMPLE)
    problems = []

    def check(table: dict, allowed: dict, where: str) -> None:
        for key, value in table.items():
            if key not in allowed:
                problems.append(Problem(f"{path}: {where}{key}", "is not a setting.", f"Allowed: {', '.join(allowed)}."))
            elif not isinstance(value, allowed[key]) or isinstance(value, bool):
                problems.append(Problem(f"{path}: {where}{key}", f"{value!r} has the wrong type.",
                                        f"Give {allowed[key].__name__.replace('str', 'text')}."))

    check(data, ROLLUP_KEYS, "")
    month = parse_period(data["period"]) if isinstance(data.get("period"), str) else None
    if isinstance(data.get("period"), str) and month is None:
        problems.append(Problem(f"{path}: period", f"'{data['period']}' is not a month.",
                                'Give the month to report, such as period = "2020-01", or leave period out for the '
                                "latest month any directorate reports."))
    base = path.resolve().parent
    directorates, names = [], set()
    for i, item in enumerate(data.get("directorate", []) if isinstance(data.get("directorate"), list) else [], 1):
        where = f"directorate[{i}]."
        if not isinstance(item, dict):
            continue
        check(item, DIRECTORATE_KEYS, where)
        for key in ("name", "raw"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(Problem(f"{path}: {where}{key}", "is missing.", f'Add {key} = "...".'))
        name = str(item.get("name", "")).strip()
        if name.lower() in names:
            problems.append(Problem(f"{path}: {where}name", f"'{name}' is named twice.", "Give each its own name."))
        names.add(name.lower())
        if not problems:
            directorates.append(Directorate(name, base / item["raw"],
                                            base / item["scorecard"] if item.get("scorecard") else None,
                                            f"{where}raw", f"{where}scorecard"))
    if not directorates and not problems:
        problems.append(Problem(str(path), "lists no [[directorate]].", f"Add one like this:\n{EXAMPLE}"))
    if problems:
        raise InputError(problems, str(path))
    return RollupConfig(path, directorates, data.get("title", RollupConfig.title),
                        data.get("organisation", ""), month, data.get("template"),
                        base / data["output"] if data.get("output") else None, data.get("keep", 0))


def load_rollup_workbook(path: Path) -> RollupConfig:
    """The directorates on a workbook's ``Sources`` sheet and the settings on its ``Report``
    sheet; every problem named by its cell, as a raw workbook's are."""
    from ..layout.templates import available_templates, find_workbook_template  # noqa: PLC0415
    from ..read.grid import grids_from_file  # noqa: PLC0415
    from ..read.sheets import sources  # noqa: PLC0415
    from ..read.table import find_sheet  # noqa: PLC0415

    if not path.is_file():
        raise CannotRun(f"{path}: no such file. Check the path (kpi-xl init --rollup {path.name} writes a corporate "
                        "workbook with a Sources sheet to fill in).")
    grids = grids_from_file(path)
    grid = find_sheet(grids, sources.SHEET)
    if grid is None:
        raise InputError(Problem(path.name, f"has no '{sources.SHEET}' sheet (found: {', '.join(grids) or 'none'}).",
                                 f"Add a sheet named {sources.SHEET} with the columns Directorate, Raw workbook and "
                                 f"Scorecard, one row per directorate (kpi-xl init --rollup {path.name} writes a "
                                 "starting point), or give a roll-up config (kpi-xl rollup --example prints one)."))
    listed, check = sources.read_sources(grid)
    settings, report = sources.read_rollup_settings(find_sheet(grids, "Report"))
    check.extend(report)
    base = path.resolve().parent
    template = settings.get("template")
    if template and template not in available_templates():
        try:
            template = str(find_workbook_template(template, settings["template_where"], base))
        except InputError as exc:
            for problem in exc.problems:
                check.add(problem)
    if check.has_errors():
        raise InputError(check.problems, path.name)
    directorates = [Directorate(s.name, base / _typed_path(s.raw), base / _typed_path(s.scorecard) if s.scorecard
                                else None, s.raw_where, s.scorecard_where) for s in listed]
    return RollupConfig(path, directorates, settings.get("title", RollupConfig.title), settings.get("organisation", ""),
                        settings.get("period"), template,
                        base / _typed_path(settings["output"]) if settings.get("output") else None,
                        settings.get("keep", 0), "Add an Output row to the Report sheet (Output | Corporate "
                        "scorecard.xlsx)", [replace(p, where=f"{path.name}: {p.where}") for p in check.problems])


def _typed_path(text: str) -> Path:
    """A path typed in a workbook: a Windows path (``children\\Raw.xlsx``) read on any system."""
    if os.sep == "/" and "\\" in text:
        return Path(PureWindowsPath(text).as_posix())
    return Path(text)


def directorate_commentary(evaluation, scorecard: Path | None) -> dict[tuple[str, str, str], str]:
    """What each answer box of the directorate's shared scorecard says: the text a person
    typed there (carried by the usual rules), else the raw workbook's."""
    from .carry import _raw_answers, carry_over, read_previous  # noqa: PLC0415

    sections = {s.strip().lower() for s in evaluation.raw.sections}
    indicators = {r.indicator.id.lower() for r in evaluation.results}
    boxes = _raw_answers(evaluation, sections, indicators)
    if scorecard is not None and scorecard.is_file():
        boxes.update(carry_over(evaluation, read_previous(scorecard)).notes)
    return {key: text for key, text in boxes.items() if text and key[0] in ("section", "indicator")}


def gather(config: RollupConfig, today=None) -> Rollup:
    """Read every directorate; the corporate plan indicators of those that could be read,
    under their directorate's section, as one raw workbook."""
    from ..rate.evaluate import evaluate  # noqa: PLC0415
    from ..read.reader import read_workbook  # noqa: PLC0415
    from .batch import first_problem  # noqa: PLC0415

    rollup = Rollup()
    period = config.period
    read: list[tuple[Directorate, object, dict]] = []
    rollup.warnings += config.warnings
    for d in config.directorates:
        if not d.raw.is_file():
            rollup.missing.append((d.name, f"{d.raw.name}: no such file in {d.raw.parent}; check the path in "
                                           f"{d.raw_where} of {config.path.name}"))
            continue
        if d.scorecard is not None and not d.scorecard.is_file():
            rollup.warnings.append(Problem(f"{config.path.name}: {d.scorecard_where}", f"the scorecard of {d.name}, "
                                           f"{d.scorecard.name}: no such file in {d.scorecard.parent}, so its "
                                           "commentary comes from its raw workbook.", "Check the path (or leave it blank "
                                           "until the directorate has a shared scorecard).", "warning"))
        try:
            evaluation = evaluate(read_workbook(d.raw, today), period)
            notes = directorate_commentary(evaluation, d.scorecard)
        except KpiError as exc:
            rollup.missing.append((d.name, f"{d.raw.name}: {first_problem(exc).removeprefix(d.raw.name + ': ')}"))
            continue
        corporate = [r for r in evaluation.results if r.indicator.corporate_plan]
        if not corporate:
            rollup.missing.append((d.name, f"{d.raw.name}: Indicators: no indicator is marked Corporate plan. "
                                           "Type Y in the Corporate plan column of each one to report."))
            continue
        rollup.warnings += [replace(p, where=f"{d.raw.name}: {p.where}") for p in evaluation.raw.warnings]
        read.append((d, evaluation, notes))
    if not read:
        return rollup
    taken: dict[str, int] = {}
    for _, evaluation, _ in read:
        for res in evaluation.results:
            if res.indicator.corporate_plan:
                taken[res.indicator.id.lower()] = taken.get(res.indicator.id.lower(), 0) + 1
    indicators, figures, commentary = [], {}, []
    for d, evaluation, notes in read:
        rollup.included.append(d.name)
        section_text = {q: [] for q in QUESTIONS}
        for res in (r for r in evaluation.results if r.indicator.corporate_plan):
            ind = res.indicator
            new_id = ind.id if taken[ind.id.lower()] == 1 else f"{ind.id} ({d.name})"
            indicators.append(replace(ind, id=new_id, section=d.name, where=f"{d.raw.name}: {ind.where}"))
            figures[new_id] = evaluation.raw.figures.get(ind.id, {})
            answers = {q: notes.get(("indicator", ind.id.lower(), q), "") for q in QUESTIONS}
            if any(answers.values()):
                commentary.append(Commentary(None, new_id, **answers, where=f"{d.raw.name}: {ind.id}"))
            for q in QUESTIONS:
                text = notes.get(("section", ind.section.strip().lower(), q), "")
                entry = f"{ind.section}: {text}" if len({r.indicator.section for r in evaluation.results}) > 1 \
                    else text
                if text and entry not in section_text[q]:
                    section_text[q].append(entry)
        if any(section_text.values()):
            commentary.append(Commentary(d.name, None, **{q: "\n".join(t) for q, t in section_text.items()},
                                         where=str(d.raw.name)))
    first = read[0][1].raw.settings
    if any(e.raw.settings.fy_start != first.fy_start for _, e, _ in read):
        rollup.warnings.append(Problem(str(config.path), "the directorates' financial years start in different "
                                       f"months; the year to date is worked out from {first.fy_start}'s start.",
                                       "Set the same Financial year start on each Report sheet.", "warning"))
    month = period or max(e.period for _, e, _ in read)
    missing = "; ".join(f"{name} ({why.split('; ')[0]})" for name, why in rollup.missing)
    settings = ReportSettings(title=config.title, organisation=config.organisation or first.organisation,
                              period=month, fy_start=first.fy_start, months_shown=first.months_shown,
                              tolerance=first.tolerance, tolerance_type=first.tolerance_type,
                              rag_basis=first.rag_basis,
                              refresh_note=f"Not in this report: {missing}." if missing else "")
    # named by the directorates (their raw workbooks are often all "Raw indicators.xlsx"), not by the list of
    # them, so a config and a Sources sheet listing the same directorates give the same bytes
    source = f"the corporate plan indicators of {', '.join(rollup.included)}"
    rollup.raw = RawWorkbook(source, indicators, figures, settings, commentary,
                             problems=list(rollup.warnings))
    return rollup


def build_rollup(config_path: str | Path, output: str | Path | None = None, *, template: str | None = None,
                 today=None):
    """Build the corporate scorecard; returns (``api.BuildResult``, ``Rollup``)."""
    from .. import api  # noqa: PLC0415
    from .safety import check_output  # noqa: PLC0415

    config = load_rollup_config(config_path)
    target = Path(output) if output else config.output
    if target is None:
        raise InputError(Problem(str(config.path), "names no output.", f"{config.add_output}, or give -o FILE.xlsx."))
    reads = {f"the raw workbook of {d.name}": d.raw for d in config.directorates}
    reads.update({f"the scorecard of {d.name}": d.scorecard for d in config.directorates if d.scorecard})
    reads["the roll-up's list of directorates"] = config.path
    check_output(target, reads, what="corporate scorecard")
    rollup = gather(config, today)
    if rollup.raw is None:
        lines = "; ".join(f"{name}: {why}" for name, why in rollup.missing)
        raise InputError(Problem(str(config.path), f"no directorate could be read ({lines}).",
                                 "Fix the problems named, then run again; nothing was written."))
    result = api.build(config.path, target, template=template or config.template, keep=config.keep, today=today,
                       read=lambda *_: replace(rollup.raw, problems=list(rollup.raw.problems)))
    return result, rollup


def rollup_command(args) -> int:
    import sys  # noqa: PLC0415

    from .. import api  # noqa: PLC0415
    from ..errors import EXIT_INPUT, EXIT_OK, EXIT_WROTE_BESIDE  # noqa: PLC0415

    if args.example:
        print(EXAMPLE, end="")
        return EXIT_OK
    if not args.config:
        raise CannotRun("give the config file or corporate workbook, e.g. kpi-xl rollup corporate.toml "
                        "(kpi-xl rollup --example prints one) or kpi-xl rollup corporate.xlsx (a Sources sheet; "
                        "kpi-xl init --rollup corporate.xlsx writes one)")
    result, rollup = build_rollup(args.config, args.output, template=args.template)
    for problem in result.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    for name, why in rollup.missing:
        print(f"missing: {name}: {why}", file=sys.stderr)
    print(f"Wrote {result.output}: {', '.join(rollup.included)} ({api.scorecard_counts(result)})"
          + (f"; {len(rollup.missing)} directorate(s) missing" if rollup.missing else ""), file=sys.stderr)
    print(result.output)
    if rollup.missing:
        return EXIT_INPUT
    return EXIT_WROTE_BESIDE if result.wrote_beside else EXIT_OK
