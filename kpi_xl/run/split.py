"""``kpi-xl build RAW.xlsx -o DIR/ --split``: one scorecard per value of the Report sheet's
``Split by`` column (Team, Locality, Authority), with the value in its title, and a
comparison workbook of them all.

The raw workbook is read once; each value's scorecard is read from its own rows
(``read.split``) and built by ``api.build``, so it has the same output safety and carried
commentary as any scorecard. Every value is rated for the same month: ``--period``, else
the Report sheet's, else the latest month with figures for any value.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import EXIT_INPUT, EXIT_OK, EXIT_WROTE_BESIDE, InputError, KpiError
from ..read.split import SplitPlan, only, read_split, titled
from ..read.reader import read_grids

RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 80  # characters of a file name made from a value


def safe_file_name(value: str, taken: set[str]) -> str:
    """``value`` as a file name every system accepts, unique ignoring case within ``taken``:
    ``North / West`` -> ``North - West``; ``CON`` -> ``CON (team)``; a repeat gets `` (2)``."""
    text = unicodedata.normalize("NFC", value)
    text = re.sub(r'\s*[<>:"/\\|?*]+\s*', " - ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split()).strip(" .-")[:MAX_NAME].strip(" .") or "blank"
    if text.split(".")[0].lower() in RESERVED:
        text += " (team)"
    name, n = text, 2
    while name.lower() in taken:
        name, n = f"{text} ({n})", n + 1
    taken.add(name.lower())
    return name


@dataclass
class SplitResult:
    plan: SplitPlan
    built: list = field(default_factory=list)  # (value, api.BuildResult)
    failed: list = field(default_factory=list)  # (value, first problem)
    comparison: Path | None = None
    targets: dict = field(default_factory=dict)  # value -> the scorecard asked for (it may go beside it)


def split_build(raw_path: str | Path, folder: Path, *, period=None, template: str | None = None, keep: int = 0,
                quiet: bool = True, today=None) -> SplitResult:
    from .. import api  # noqa: PLC0415
    from ..layout.comparison import Part, comparison_layout  # noqa: PLC0415
    from ..layout.templates import load_template, load_workbook_template  # noqa: PLC0415
    from .batch import first_problem  # noqa: PLC0415

    raw_path = Path(raw_path)
    grids, plan, settings = read_split(raw_path)
    source = raw_path.name
    tpl = load_template(template) if template else load_workbook_template(
        settings.template, settings.template_where, raw_path.parent, source)
    base_title = settings.title if settings.title != "Performance scorecard" else tpl.title
    result = SplitResult(plan)
    raws = {}
    for value in plan.values:  # read every value first, so all are rated for one month
        try:
            raws[value] = titled(read_grids(only(grids, plan.column, value), source, today), value, base_title)
        except InputError as exc:
            result.failed.append((value, first_problem(exc)))
    month = api.parse_cli_period(period) if isinstance(period, str) else period
    month = month or settings.period or max((m for raw in raws.values() if (m := raw.latest_month())), default=None)
    taken = {f"comparison by {plan.column}".lower()}
    for value, raw in raws.items():
        output = result.targets[value] = folder / f"{safe_file_name(value, taken)}.xlsx"
        if not quiet:
            print(f"Building {output.name} ({plan.column} {value})", file=sys.stderr, flush=True)
        try:
            built = api.build(raw_path, output, period=month, template=template, keep=keep, today=today,
                              read=lambda *_, raw=raw: replace(raw, problems=list(raw.problems)))
        except KpiError as exc:
            result.failed.append((value, first_problem(exc)))
            continue
        result.built.append((value, built))
    if result.built:
        parts = [Part(value, built.evaluation, value == plan.total) for value, built in result.built]
        layout = comparison_layout(parts, plan.column, base_title, tpl, result.failed)
        target = folder / f"Comparison by {plan.column}.xlsx"
        with api.claimed(target, {"the raw workbook": raw_path}, what="comparison workbook"):
            result.comparison, _ = api.save_layout(layout, parts[0].evaluation, target, keep=keep, locked=True)
    return result


def print_split(result: SplitResult, quiet: bool = False) -> int:
    """Tell what was written and what failed; the exit code (1 when any value failed)."""
    plan = result.plan
    for value, problem in result.failed:
        print(f"failed: {plan.column} {value}: {problem}", file=sys.stderr)
    beside = [b for _, b in result.built if b.wrote_beside]
    for b in beside:
        print(f"note: the scorecard {b.beside_because}, so the new one was written beside it as {b.output}",
              file=sys.stderr)
    if not quiet:
        print(f"{len(result.built)} of {len(plan.values)} {plan.column.lower()} scorecards built"
              + (f", {len(result.failed)} failed" if result.failed else ""), file=sys.stderr)
    for _, built in result.built:
        print(built.output)
    if result.comparison:
        print(result.comparison)
    if result.failed:
        return EXIT_INPUT
    return EXIT_WROTE_BESIDE if beside else EXIT_OK
