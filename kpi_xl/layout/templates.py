"""Report templates: readable TOML files that say which sheets, columns, colours and titles.

A template is checked when it is loaded: a wrong key or value fails at once with the
file, the key and the allowed values, never deep inside a writer.
"""
from __future__ import annotations

import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from ..resources import bundled
from .columns import BENCHMARK_COLUMNS, SHEET_COLUMNS
from .sheetnames import is_valid_sheet_name

TEMPLATE_DIR = bundled("templates")
DEFAULT_TEMPLATE = "kpi-scorecard"
TEMPLATE_DIR_ENV = "KPI_XL_TEMPLATE_DIR"  # the folder a workbook's Template setting may name files in (server)
MAX_TEMPLATE_BYTES = 256 * 1024  # the bundled templates are about 2 KB

SHEET_KINDS = ("overview", "kpi_table", "front_page", "sections", "trends", "commentary", "key", "chart_data")
REPORT_KEYS = {
    "title": str, "months": int, "font": str, "font_size": (int, float), "orientation": str, "paper": str,
    "header": str, "footer": str, "refresh_note": str, "corporate_plan_note": str, "palette": str,
    "judgement": str,
}
JUDGEMENTS = ("rag", "spc", "both")  # the RAG, statistical process control (variation and assurance), or both
SPC_COLUMNS = ("variation", "assurance")
CHART_KINDS = ("trend", "spc")  # a trends sheet's charts: the last months with target, or SPC charts
LIST_SOURCES = ("rag", "spc")  # what the overview's lists are proposed from
ORIENTATIONS = ("landscape", "portrait")
PAPERS = {"A4": 9, "A3": 8, "Letter": 1}
COLOUR_KEYS = ("green", "amber", "red", "grey", "no_data", "heading", "heading_text", "section", "better",
               "worse", "neutral", "target_line", "prior_year_line", "series_line", "england_line", "region_line",
               "neighbours_line", "spc_improvement", "spc_concern", "spc_neutral", "spc_common",
               "spc_limits")
DEFAULT_COLOURS = {
    "green": "#00B050", "amber": "#FFC000", "red": "#C00000", "grey": "#BFBFBF", "no_data": "#FFFFFF",
    "heading": "#1F3864", "heading_text": "#FFFFFF", "section": "#D9E1F2", "better": "#00853E",
    "worse": "#C00000", "neutral": "#404040", "target_line": "#C00000", "prior_year_line": "#7F7F7F",
    "series_line": "#1F4E79", "england_line": "#7030A0", "region_line": "#C55A11", "neighbours_line": "#009999",
    # Making Data Count's colours, darkened where they are text on white (MDC's orange #E46C0A is 3.3:1 on
    # white, under WCAG's 4.5:1; #B45309 is 5.0:1): blue better, orange worse, purple neither
    "spc_improvement": "#0070C0", "spc_concern": "#B45309", "spc_neutral": "#7030A0", "spc_common": "#595959",
    "spc_limits": "#7F7F7F",
}
#: ``palette = "colour-blind-safe"``: lights that readers with red-green (or blue-yellow) colour
#: blindness still tell apart (turquoise, amber, dark red: chosen by simulating protanopia,
#: deuteranopia and tritanopia, tests/test_accessibility.py), blue for better and dark red for
#: worse; text on each at least 4.5:1. A template's own [colours] win over either palette.
PALETTES = {
    "standard": DEFAULT_COLOURS,
    "colour-blind-safe": {**DEFAULT_COLOURS, "green": "#41B6C4", "amber": "#FFC000", "red": "#8B0000",
                          "better": "#005A9C", "worse": "#8B0000", "target_line": "#8B0000",
                          "series_line": "#005A9C"},
}
SHEET_KEYS = ("kind", "name", "columns", "charts_per_row", "benchmark_columns", "charts", "lists_from")


@dataclass(frozen=True)
class SheetSpec:
    """One sheet a template asks for: its kind, name, columns and charts."""

    kind: str
    name: str
    columns: tuple[str, ...] = ()
    charts_per_row: int = 2
    benchmark_columns: tuple[str, ...] = ()  # comparators' columns, after the others

    @property
    def table_columns(self) -> tuple[str, ...]:
        """``columns``, then the ``benchmark_columns`` that ``columns`` does not already place."""
        return self.columns + tuple(c for c in self.benchmark_columns if c not in self.columns)
    charts: str = "trend"  # a trends sheet: "trend" (the last months) or "spc" (SPC charts)
    lists_from: str = "rag"  # an overview sheet: lists proposed from the "rag" or from "spc"


@dataclass(frozen=True)
class Template:
    """A report layout (templates/*.toml): its sheets, title, months shown, font and colours."""

    name: str
    description: str
    sheets: tuple[SheetSpec, ...]
    title: str = "Performance scorecard"
    months: int = 6
    font: str = "Calibri"
    font_size: float = 10
    orientation: str = "landscape"
    paper: str = "A4"
    header: str = "&L&B{title}&R{month}"
    footer: str = "&L{organisation}&CPage &P of &N"
    refresh_note: str = ""
    corporate_plan_note: str = "Highlighted PIs (in italics) are in the Corporate plan"
    judgement: str = "rag"  # "rag", "spc" or "both": which judgements the tables show
    colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))
    path: str = ""

    def sheet(self, kind: str) -> SheetSpec | None:
        return next((s for s in self.sheets if s.kind == kind), None)


def judged(columns: tuple[str, ...], judgement: str) -> tuple[str, ...]:
    """A table's columns for the template's judgement: ``rag`` leaves out the SPC columns;
    ``spc`` shows variation and assurance in place of the RAG; ``both`` shows what is named."""
    if judgement == "rag":
        return tuple(c for c in columns if c not in SPC_COLUMNS)
    if judgement == "spc" and "rag" in columns:
        at = columns.index("rag")
        spc = tuple(c for c in SPC_COLUMNS if c not in columns)
        return columns[:at] + spc + columns[at + 1:]
    return columns


def available_templates() -> dict[str, Path]:
    """Templates kpi_xl can find by name: the bundled ones (``templates/`` in a checkout)."""
    return {p.stem: p for p in sorted(TEMPLATE_DIR.glob("*.toml"))}


def find_template(name_or_path: str | None) -> Path:
    """The template named by the person running kpi_xl (``--template``, a schedule's
    config): a bundled name, or the path of any .toml file."""
    name = name_or_path or DEFAULT_TEMPLATE
    path = Path(name)
    if path.suffix.lower() == ".toml" or path.exists():
        if not path.exists():
            raise InputError(Problem(str(path), "template file not found.",
                                     f"Check the path, or use a bundled template: {', '.join(available_templates())}."))
        return path
    found = available_templates().get(name)
    if found is None:
        raise InputError(Problem(f"template '{name}'", "is not a bundled template.",
                                 f"Use one of: {', '.join(available_templates())}, or give the path of a .toml file."))
    return found


def find_workbook_template(name: str, where: str, folder: Path | None) -> Path:
    """The template a raw workbook's ``Template`` setting (the cell ``where``) names: a
    bundled name, or a .toml file inside ``folder`` (the workbook's own folder on the
    command line; ``KPI_XL_TEMPLATE_DIR`` on the server; ``None``: bundled names only).
    A workbook comes from anyone, so any other path is refused without being looked at."""
    bundled = available_templates()
    if name in bundled:
        return bundled[name]
    choices = ", ".join(bundled)
    inside = f", or the name of a .toml file in {folder.resolve()}" if folder else ""
    if Path(name).suffix.lower() != ".toml":
        raise InputError(Problem(where, f"Template '{name}' is not a bundled template.",
                                 f"Type one of: {choices}{inside}."))
    if folder is None:
        raise InputError(Problem(where, f"Template '{name}' is a file, and a workbook opened here may only name a "
                                 "bundled template.", f"Type one of: {choices} (or ask whoever runs kpi_xl to set "
                                 f"{TEMPLATE_DIR_ENV} to a folder of shared templates)."))
    base = folder.resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base):
        raise InputError(Problem(where, f"Template '{name}' is outside the folder templates may come from ({base}).",
                                 f"Type one of: {choices}{inside}."))
    if not path.is_file():
        raise InputError(Problem(where, f"Template '{name}' is not in {base}.",
                                 f"Check the file name, or type one of: {choices}."))
    return path


def read_template_text(path: Path) -> str:
    """The text of a template file: a regular file (never a device such as /dev/zero, a
    folder or a pipe) of at most ``MAX_TEMPLATE_BYTES``."""
    fix = "Give the path of a kpi_xl template (.toml), or use a bundled one: " + ", ".join(available_templates()) + "."
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(Problem(str(path), "is not a template file (it is a device, folder or pipe).", fix))
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise InputError(Problem(str(path), f"cannot be read ({exc.strerror}).", fix)) from exc
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InputError(Problem(str(path), f"is larger than {MAX_TEMPLATE_BYTES // 1024} KB, far more than a "
                                 "template needs.", fix))
    return data.decode("utf-8")


def load_template(name_or_path: str | None = None) -> Template:
    """A template named by the person running kpi_xl (see ``find_template``)."""
    return _load(find_template(name_or_path))


def load_workbook_template(name: str | None, where: str, folder: Path | None, source: str = "") -> Template:
    """The template a raw workbook's Report sheet names (see ``find_workbook_template``);
    the default template when it names none."""
    if not name or name in available_templates():
        return load_template(name)
    try:
        return _load(find_workbook_template(name, where, folder))
    except InputError as exc:
        raise InputError(exc.problems, source) from exc


def _load(path: Path) -> Template:
    try:
        data = tomllib.loads(read_template_text(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Problem(str(path), f"is not valid TOML ({exc}).",
                                 "Fix the line named, or start again from a copy of a bundled template.")) from exc
    return parse_template(data, str(path))


def parse_template(data: dict, source: str) -> Template:
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str):
        problems.append(Problem(f"{source}: {key}", message, fix))

    for key in data:
        if key not in ("name", "description", "report", "colours", "sheets"):
            bad(key, "is not a template key.", "Allowed: name, description, [report], [colours], [[sheets]].")
    report = data.get("report", {})
    options = {}
    for key, value in report.items():
        kind = REPORT_KEYS.get(key)
        if kind is None:
            bad(f"report.{key}", "is not a report setting.", f"Allowed: {', '.join(REPORT_KEYS)}.")
        elif not isinstance(value, kind) or isinstance(value, bool):
            bad(f"report.{key}", f"should be {'a number' if kind is not str else 'text'}, not {value!r}.",
                "Fix the value.")
        else:
            options[key] = value
    if options.get("orientation", "landscape") not in ORIENTATIONS:
        bad("report.orientation", f"'{options['orientation']}' is not allowed.", f"Use one of: {', '.join(ORIENTATIONS)}.")
    if options.get("paper", "A4") not in PAPERS:
        bad("report.paper", f"'{options['paper']}' is not allowed.", f"Use one of: {', '.join(PAPERS)}.")
    judgement = options.get("judgement", "rag")
    if judgement not in JUDGEMENTS:
        bad("report.judgement", f"'{judgement}' is not allowed.", f"Use one of: {', '.join(JUDGEMENTS)}.")
    if not 1 <= options.get("months", 6) <= 24:
        bad("report.months", f"{options['months']} is out of range.", "Use a whole number from 1 to 24.")
    palette = options.pop("palette", "standard")
    if palette not in PALETTES:
        bad("report.palette", f"'{palette}' is not a palette.", f"Use one of: {', '.join(PALETTES)}.")
    colours = dict(PALETTES.get(palette, DEFAULT_COLOURS))
    for key, value in data.get("colours", {}).items():
        if key not in COLOUR_KEYS:
            bad(f"colours.{key}", "is not a colour name.", f"Allowed: {', '.join(COLOUR_KEYS)}.")
        elif not isinstance(value, str) or not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            bad(f"colours.{key}", f"{value!r} is not a colour.", "Write it as #RRGGBB, e.g. \"#00B050\".")
        else:
            colours[key] = value.upper()
    sheets = []
    raw_sheets = data.get("sheets")
    if not isinstance(raw_sheets, list) or not raw_sheets:
        bad("sheets", "no sheets are listed.", "Add at least one [[sheets]] table with a kind.")
        raw_sheets = []
    names = set()
    for i, sheet in enumerate(raw_sheets, 1):
        where = f"sheets[{i}]"
        for key in sheet:
            if key not in SHEET_KEYS:
                bad(f"{where}.{key}", "is not a sheet key.", f"Allowed: {', '.join(SHEET_KEYS)}.")
        kind = sheet.get("kind")
        if kind not in SHEET_KINDS:
            bad(f"{where}.kind", f"{kind!r} is not a sheet kind.", f"Use one of: {', '.join(SHEET_KINDS)}.")
            continue
        name = sheet.get("name", kind.replace("_", " ").capitalize())
        if kind != "sections":
            if not isinstance(name, str) or not is_valid_sheet_name(name):
                bad(f"{where}.name", f"{name!r} cannot be a sheet name.",
                    "Use 1 to 31 characters without [ ] : * ? / \\, not starting or ending with ', and not History.")
                continue
            if name.lower() in names:
                bad(f"{where}.name", f"'{name}' is used twice.", "Give each sheet its own name.")
            names.add(name.lower())
        columns = tuple(sheet.get("columns", SHEET_COLUMNS.get(kind, ())))
        for col in columns:
            if col not in SHEET_COLUMNS.get(kind, ()):
                bad(f"{where}.columns", f"'{col}' is not a column of a {kind} sheet.",
                    f"Use any of: {', '.join(SHEET_COLUMNS.get(kind, ())) or '(this kind has no columns)'}.")
        benchmark_columns = tuple(sheet.get("benchmark_columns", ()))
        for col in benchmark_columns:
            if col not in BENCHMARK_COLUMNS or col not in SHEET_COLUMNS.get(kind, ()):
                bad(f"{where}.benchmark_columns", f"'{col}' is not a benchmark column of a {kind} sheet.",
                    f"Use any of: {', '.join(BENCHMARK_COLUMNS)} (on kpi_table, front_page and sections sheets).")
        per_row = sheet.get("charts_per_row", 2)
        if not isinstance(per_row, int) or not 1 <= per_row <= 4:
            bad(f"{where}.charts_per_row", f"{per_row!r} is out of range.", "Use 1, 2, 3 or 4.")
            per_row = 2
        charts = sheet.get("charts", "trend")
        if charts not in CHART_KINDS or (charts != "trend" and kind != "trends"):
            bad(f"{where}.charts", f"{charts!r} is not allowed here.", "Use \"trend\" or \"spc\", on a trends sheet.")
        lists_from = sheet.get("lists_from", "spc" if judgement == "spc" else "rag")
        if lists_from not in LIST_SOURCES or ("lists_from" in sheet and kind != "overview"):
            bad(f"{where}.lists_from", f"{lists_from!r} is not allowed here.",
                "Use \"rag\" or \"spc\", on an overview sheet.")
        sheets.append(SheetSpec(kind, name, judged(columns, judgement), per_row, benchmark_columns, charts,
                                lists_from))
    if problems:
        raise InputError(problems, source)
    return Template(name=str(data.get("name", Path(source).stem)), description=str(data.get("description", "")),
                    sheets=tuple(sheets), colours=colours, path=source, **options)
