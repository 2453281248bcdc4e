"""What the command line, the ribbon and the scheduler call: read -> rate -> lay out -> write."""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .alongside import Alongside
from .errors import CannotRun, InputError, Problem
from .paused import loaded_set_aside
from .periods import ACCEPTED, Month, parse_period
from .run.files import log

if TYPE_CHECKING:  # imported where they are used: a build's raw workbook is read meanwhile (Reads)
    from .layout.templates import Template
    from .layout.types import Layout
    from .model import RawWorkbook
    from .rate.evaluate import Evaluation
    from .run.safety import FileState


@dataclass
class BuildResult:
    """What ``build`` made: the file written, what it rated and laid out, and how it went."""

    output: Path
    evaluation: Evaluation
    layout: Layout  # its sheets' cells and charts were let go as they were written (Prepared.layout() makes them again)
    warnings: list[Problem]
    seconds: float
    wrote_beside: bool = False  # the target was open in Excel (or saved meanwhile), so the output went beside it
    restated: dict = field(default_factory=dict)
    beside_because: str = ""  # "is open in Excel" or "was saved while this run was working"


def parse_cli_period(text: str | None) -> Month | None:
    if text is None:
        return None
    month = parse_period(text)
    if month is None:
        raise InputError(Problem("--period", f"'{text}' is not a month kpi_xl can read.", f"Type {ACCEPTED}."))
    return month


def evaluate_file(raw_path: str | Path, period: Month | None = None, today: dt.date | None = None) -> Evaluation:
    return read_and_rate(raw_path, period, today)


def validate_file(raw_path: str | Path, today: dt.date | None = None) -> list[Problem]:
    from .rate.validate import validate_workbook  # noqa: PLC0415

    return validate_workbook(raw_path, today)


def previous_figures(path: str | Path) -> dict[tuple[str, Month], object]:
    """The figures a previous scorecard showed, from its chart data sheet: (ID, month) -> value."""
    from .read.grid import grids_from_file  # noqa: PLC0415

    grids = grids_from_file(path)
    sheet = next((g for g in grids.values() if g.name.lower() == "chart data"), None)
    if sheet is None:
        raise InputError(Problem(Path(path).name, "has no 'Chart data' sheet, so it is not a kpi_xl scorecard.",
                                 "Give --previous the scorecard file kpi_xl wrote last month."))
    header_row = next((r for r, row in enumerate(sheet.rows) if row and row[0] == "ID"), None)
    if header_row is None:
        return {}
    months = {c: m for c, v in enumerate(sheet.rows[header_row]) if isinstance(v, str) and (m := parse_period(v))}
    found = {}
    for row in sheet.rows[header_row + 1:]:
        if not row or row[0] in (None, ""):
            continue
        for c, month in months.items():
            if c < len(row) and row[c] not in (None, ""):
                found[(str(row[0]), month)] = row[c]
    return found


def restatements(evaluation: Evaluation, previous: dict[tuple[str, Month], object]) -> dict:
    """(ID, month) -> the earlier value, for every past month whose figure has changed."""
    changed = {}
    for res in evaluation.results:
        ind = res.indicator
        for month, fig in evaluation.raw.figures.get(ind.id, {}).items():
            before = previous.get((ind.id, month))
            if before is None or fig.value is None or not isinstance(before, (int, float)):
                continue
            scale = 100 if ind.is_percent else 1
            if round(before * scale, ind.decimals) != round(fig.value * scale, ind.decimals):
                changed[(ind.id, month)] = float(before)
    return changed


@dataclass
class Prepared:
    """Everything read and worked out for one scorecard, ready to be laid out."""

    evaluation: Evaluation
    template: Template
    restated: dict
    notes: dict
    orphans: list

    def layout(self, suppress_below: int | None = None, trend_text: bool = False) -> Layout:
        from .layout.builder import build_layout  # noqa: PLC0415

        return build_layout(self.evaluation, self.template, self.restated, self.notes, self.orphans,
                            suppress_below, trend_text)


def prepare(raw_path: str | Path, *, period: Month | None = None, template: str | None = None,
            previous: str | Path | None = None, carry_from: str | Path | None = None,
            today: dt.date | None = None, read: Callable | None = None,
            reads: Reads | None = None) -> Prepared:
    """Read, rate, and gather restatements and carried commentary: everything short of laying out.

    ``previous``: last month's scorecard, to mark restated figures. ``carry_from``: the
    scorecard about to be replaced, whose typed commentary is carried into the new one.
    ``read(raw_path, today) -> RawWorkbook``: how the raw workbook is read (default
    ``read_workbook``; ``run.split`` reads one value's rows). ``reads``: the same reads,
    already started (``Reads``).
    """
    from .layout.templates import load_template, load_workbook_template  # noqa: PLC0415
    from .run.carry import Carried, carry_over  # noqa: PLC0415

    with reads or Reads(raw_path, period, today, read, raw_alongside=False) as reads:
        if carry_from and reads.typed is None:
            reads.carry_from(carry_from)
        evaluation = reads.evaluation()
        raw = evaluation.raw
        tpl = load_template(template) if template else load_workbook_template(
            raw.settings.template, raw.settings.template_where, Path(raw_path).parent, raw.source)
        restated = restatements(evaluation, previous_figures(previous)) if previous else {}
        carried = carry_over(evaluation, reads.typed_before()) if carry_from else Carried()
    raw.problems.extend(carried.warnings)  # notes moved to the list are reported with the raw workbook's warnings
    return Prepared(evaluation, tpl, restated, carried.notes, carried.orphans)


def read_and_rate(raw_path: str | Path, period: Month | None = None, today: dt.date | None = None,
                  read: Callable | None = None) -> Evaluation:
    """The raw workbook read (``read``, default ``read_workbook``) and rated."""
    from .rate.evaluate import evaluate  # noqa: PLC0415

    return evaluate(read_raw(raw_path, today, read), period)


def read_raw(raw_path: str | Path, today: dt.date | None = None, read: Callable | None = None) -> RawWorkbook:
    """The raw workbook read (``read``, default ``read_workbook``), not yet rated."""
    from .read.reader import read_workbook  # noqa: PLC0415

    return (read or read_workbook)(raw_path, today)


#: A raw workbook this size or smaller may be read by a second process while this one
#: loads the code that lays out and writes a scorecard (``load_writer``: a tenth of a second,
#: most of a small build's fixed cost). A larger one is read here: handing its figures back
#: would cost more than the loading saves (about 0.3 s per 1,000 indicators, against 0.1 s).
READ_ALONGSIDE_BYTES = 128 * 1024


class Reads:
    """A build's two reads, each by a second process (``Alongside``) while this one loads the
    writer: the raw workbook, from the start (it is not what the run lock guards), when
    ``raw_alongside`` and it is small (``READ_ALONGSIDE_BYTES``), else read here when its
    evaluation is asked for; and, once ``carry_from`` names it (under the lock), the
    commentary typed into the scorecard about to be replaced.

    The second process loads only the reading code (this module imports none itself:
    ``read_raw`` does, where it runs), so it starts as soon as the command line has loaded
    this module. The raw workbook is rated here: this process has loaded the rating code
    with the writer's by the time the figures arrive."""

    def __init__(self, raw_path: str | Path, period: Month | None = None, today: dt.date | None = None,
                 read: Callable | None = None, *, raw_alongside: bool = True):
        self.raw = (raw_path, period, today, read)
        self.reading = Alongside(read_raw, raw_path, today, read) if raw_alongside and _small(raw_path) else None
        self.typed: Alongside | None = None

    def carry_from(self, scorecard: str | Path) -> None:
        """Start reading what was typed into ``scorecard`` (``carry.read_previous``), in a
        second process if there is a file to read (else it is done here when asked: at once).
        It is not wanted until the figures are rated, so it yields to the raw workbook's read
        and this process's loading (``Alongside(later=True)``): 25 ms sooner at 60 indicators."""
        from .run.carry import read_previous  # noqa: PLC0415

        self.typed = Alongside(read_previous, scorecard, fork=Path(scorecard).exists(), later=True)

    def evaluation(self) -> Evaluation:
        """The raw workbook read (by the second process, if one was started) and rated."""
        if self.reading is None:
            return read_and_rate(*self.raw)
        from .rate.evaluate import evaluate  # noqa: PLC0415

        return evaluate(self.reading.result(), self.raw[1])

    def typed_before(self):
        """What ``carry.read_previous`` read from ``carry_from`` (None without one)."""
        return self.typed.result() if self.typed else None

    def __enter__(self) -> Reads:
        return self

    def __exit__(self, *exc) -> None:
        for started in (self.typed, self.reading):
            if started is not None:
                started.cancel()


def _small(path: str | Path) -> bool:
    try:
        return Path(path).stat().st_size <= READ_ALONGSIDE_BYTES
    except OSError:  # (read here, where the reader reports why it cannot be, in its words)
        return False


def load_writer() -> None:
    """Import what lays out and writes a scorecard (while a second process reads the raw workbook)."""
    from .layout import builder, templates  # noqa: F401, PLC0415
    from .write import xlsx_cells, xlsx_charts, xlsx_package, xlsx_writer  # noqa: F401, PLC0415


@contextmanager
def claimed(output: Path, reads: dict | None = None, *, what: str = "scorecard"):
    """Hold ``output`` for one run, before anything is read: it may be written (not one of
    ``reads``, not a raw workbook, an .xlsx in a folder that exists), no other run holds it
    (else exit 4 at once), and the temporary files of killed runs are cleared away."""
    from .run import safety  # noqa: PLC0415

    safety.check_output(output, reads, what=what)
    with safety.RunLock(output):
        safety.clean_stale_temps(output)
        yield


def render_layout(raw_path: str | Path, *, period: Month | None = None, template: str | None = None,
                  previous: str | Path | None = None, carry_from: str | Path | None = None,
                  suppress_below: int | None = None, trend_text: bool = False,
                  today: dt.date | None = None) -> tuple[Evaluation, Layout, dict]:
    """Read, rate and lay out: everything short of writing. Returns (evaluation, layout, restated)."""
    prepared = prepare(raw_path, period=period, template=template, previous=previous, carry_from=carry_from,
                       today=today)
    return prepared.evaluation, prepared.layout(suppress_below, trend_text), prepared.restated


def document_date(evaluation: Evaluation) -> dt.datetime:
    from .run.safety import document_date as fixed  # noqa: PLC0415
    return fixed(evaluation.period.year, evaluation.period.month)


def build(raw_path: str | Path, output: str | Path, *, period: Month | None = None, template: str | None = None,
          previous: str | Path | None = None, keep: int = 0, today: dt.date | None = None,
          progress: Callable[[str], None] | None = None, read: Callable | None = None) -> BuildResult:
    """Build the scorecard file. The previous output is replaced only by a complete,
    re-opened new file; if the target is open in Excel the new file goes beside it.

    The run lock on ``output`` is taken before ``output`` is read (a small raw workbook,
    which the lock does not guard, is being read meanwhile: ``Reads``). The commentary typed
    into ``output`` is carried over; if someone saves ``output`` while the raw workbook
    is read, everything is read again once; if it is saved while the new file is being
    written, the new file goes beside it (never over a newer file)."""
    started = time.perf_counter()
    step = progress or (lambda text: None)
    output = Path(output)
    with Reads(raw_path, period, today, read) as reads, claimed(output, {"the raw workbook": raw_path}):
        from .run import safety  # noqa: PLC0415

        step(f"Reading {Path(raw_path).name}")
        seen = safety.file_state(output)
        reads.carry_from(output)
        load_writer()  # meanwhile
        from .write.xlsx_package import chart_standby  # noqa: PLC0415

        # a second process forked now, while this one is small (alongside.Standby): it writes the
        # last charts' parts while this one writes the rest
        with loaded_set_aside(), chart_standby() as standby:
            prepared = prepare(raw_path, period=period, template=template, previous=previous,
                               carry_from=output, today=today, read=read, reads=reads)
            if safety.file_state(output) != seen:
                log.warning("%s was saved while this run read it; reading it again so its commentary is "
                            "kept", output.name)
                step(f"Reading {Path(raw_path).name}")
                seen = safety.file_state(output)
                prepared = prepare(raw_path, period=period, template=template, previous=previous,
                                   carry_from=output, today=today, read=read)
            evaluation = prepared.evaluation
            layout = prepared.layout()
            step(f"Rated {len(evaluation.results)} indicators for {evaluation.period.long_label}")
            step(f"Writing {output.name}")
            target, beside = save_layout(layout, evaluation, output, keep=keep, locked=True,
                                         unchanged_since=seen, layout_again=prepared.layout, standby=standby)
    return BuildResult(target, evaluation, layout, evaluation.raw.warnings, time.perf_counter() - started,
                       bool(beside), prepared.restated, beside)


def save_layout(layout: Layout, evaluation: Evaluation, output: str | Path, *, keep: int = 0,
                check: Callable[[Path], list[str]] | None = None,
                beside_if_open: bool = True, locked: bool = False,
                unchanged_since: FileState | None = None,
                layout_again: Callable[[], Layout] | None = None, standby=None) -> tuple[Path, str]:
    """Write ``layout`` to ``output`` all or nothing; the one way every scorecard file is saved.

    The new file is written beside the target, re-opened, passed through ``check(path) ->
    [problems]`` if given, and only then replaces the target (keeping ``keep`` versions),
    under the run lock (``locked``: the caller holds it, see ``claimed``). If the target
    is open in Excel (and ``beside_if_open``), or has changed since ``unchanged_since``
    (its ``safety.file_state`` when its commentary was read), the file goes beside it
    with a dated name. Returns (the path written, why it went beside: "" when it did not).
    With ``layout_again`` (a caller done with ``layout``), each sheet's cells and charts go as
    they are written (peak memory), and ``layout_again()`` lays it out afresh should the
    file have to be written a second time. ``standby``: a second process forked early to write
    the last charts' parts (``xlsx_package.chart_standby``; used once, then they are written here).
    """
    from .run import safety  # noqa: PLC0415
    from .write.xlsx_writer import write_xlsx  # noqa: PLC0415

    output = Path(output)
    created = document_date(evaluation)

    parsed: set[str] = set()  # the parts the writer's second process checked to be well-formed XML

    def verify(tmp: Path) -> None:
        safety.verify_xlsx(tmp, parsed)  # a complete, well-formed workbook: every part read once, no openpyxl load
        problems = check(tmp) if check else []
        if problems:
            raise CannotRun(f"{target.name}: the new file would not be clean ({'; '.join(problems)}); "
                            "nothing was written.")

    def write(path: Path, since=None) -> None:
        nonlocal layout
        if layout_again is not None and not any(sheet.cells for sheet in layout.sheets):
            layout = layout_again()  # the first write let the cells go
        parsed.clear()
        safety.atomic_write(path, lambda tmp: write_xlsx(layout, tmp, created, release=layout_again is not None,
                                                         standby=standby, parsed=parsed),
                            verify, keep=keep, unchanged_since=since)

    with nullcontext() if locked else claimed(output):
        target, beside = output, ""
        if beside_if_open and safety.open_in_excel(output):
            target, beside = safety.beside_name(output), "is open in Excel"
        try:
            write(target, None if beside else unchanged_since)
        except safety.TargetChanged:
            target, beside = safety.beside_name(output), "was saved while this run was working"
            write(target)
    if beside:
        log.warning("%s %s; wrote %s beside it instead", output.name, beside, target.name)
    return target, beside


def scorecard_counts(result: BuildResult) -> str:
    counts = result.evaluation.counts()
    return ", ".join(f"{n} {name}" for name, n in counts.items() if n)



def to_dataframe(evaluation: Evaluation):
    """The rated indicators as a pandas DataFrame, one row per indicator, for analysts
    (the same columns as ``kpi-xl evaluate`` plus the numbers behind them)."""
    import pandas as pd  # noqa: PLC0415  (only here: the commands never pay for importing pandas)

    from .rate.evaluate import comparators, evaluate_row  # noqa: PLC0415

    rows = []
    for res in evaluation.results:
        row = evaluate_row(res, comparators(evaluation))
        row.update(value_number=res.value, previous_number=res.previous_value, ytd_number=res.ytd,
                   prior_year_number=res.prior_year, target_number=res.indicator.target,
                   change_number=res.travel.change)
        rows.append(row)
    return pd.DataFrame(rows).set_index("id")
