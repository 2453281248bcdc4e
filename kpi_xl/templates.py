"""Report templates: readable TOML files that say which sheets, columns, colours and titles.

A template is checked when it is loaded: a wrong key or value fails at once with the
file, the key and the allowed values, never deep inside a writer.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .resources import bundled

TEMPLATE_DIR = bundled("templates")
DEFAULT_TEMPLATE = "kpi-scorecard"

SHEET_KINDS = ("overview", "kpi_table", "front_page", "sections", "trends", "commentary", "key", "chart_data")
COLUMNS = {
    "kpi_table": ("id", "indicator", "previous", "this_month", "target", "change", "arrow", "rag", "trend",
                  "ytd", "prior_year", "months"),
    "front_page": ("page", "id", "indicator", "this_month", "arrow", "ytd", "target", "rag", "trend",
                   "previous", "change", "prior_year"),
    "sections": ("id", "indicator", "prior_year", "months", "ytd", "target", "rag", "arrow", "change"),
}
REPORT_KEYS = {
    "title": str, "months": int, "font": str, "font_size": (int, float), "orientation": str, "paper": str,
    "header": str, "footer": str, "refresh_note": str, "corporate_plan_note": str,
}
ORIENTATIONS = ("landscape", "portrait")
PAPERS = {"A4": 9, "A3": 8, "Letter": 1}
COLOUR_KEYS = ("green", "amber", "red", "grey", "no_data", "heading", "heading_text", "section", "better",
               "worse", "neutral", "target_line", "prior_year_line", "series_line")
DEFAULT_COLOURS = {
    "green": "#00B050", "amber": "#FFC000", "red": "#C00000", "grey": "#BFBFBF", "no_data": "#FFFFFF",
    "heading": "#1F3864", "heading_text": "#FFFFFF", "section": "#D9E1F2", "better": "#00853E",
    "worse": "#C00000", "neutral": "#404040", "target_line": "#C00000", "prior_year_line": "#7F7F7F",
    "series_line": "#1F4E79",
}
SHEET_KEYS = ("kind", "name", "columns", "charts_per_row")


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    name: str
    columns: tuple[str, ...] = ()
    charts_per_row: int = 2


@dataclass(frozen=True)
class Template:
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
    colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))
    path: str = ""

    def sheet(self, kind: str) -> SheetSpec | None:
        return next((s for s in self.sheets if s.kind == kind), None)


def available_templates() -> dict[str, Path]:
    """Templates kpi_xl can find by name: the bundled ones (``templates/`` in a checkout)."""
    return {p.stem: p for p in sorted(TEMPLATE_DIR.glob("*.toml"))}


def find_template(name_or_path: str | None) -> Path:
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


def load_template(name_or_path: str | None = None) -> Template:
    path = find_template(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
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
    if not 1 <= options.get("months", 6) <= 24:
        bad("report.months", f"{options['months']} is out of range.", "Use a whole number from 1 to 24.")
    colours = dict(DEFAULT_COLOURS)
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
            if not isinstance(name, str) or not name or len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
                bad(f"{where}.name", f"{name!r} cannot be a sheet name.",
                    "Use 1 to 31 characters without [ ] : * ? / \\.")
                continue
            if name.lower() in names:
                bad(f"{where}.name", f"'{name}' is used twice.", "Give each sheet its own name.")
            names.add(name.lower())
        columns = tuple(sheet.get("columns", COLUMNS.get(kind, ())))
        for col in columns:
            if col not in COLUMNS.get(kind, ()):
                bad(f"{where}.columns", f"'{col}' is not a column of a {kind} sheet.",
                    f"Use any of: {', '.join(COLUMNS.get(kind, ())) or '(this kind has no columns)'}.")
        per_row = sheet.get("charts_per_row", 2)
        if not isinstance(per_row, int) or not 1 <= per_row <= 4:
            bad(f"{where}.charts_per_row", f"{per_row!r} is out of range.", "Use 1, 2, 3 or 4.")
            per_row = 2
        sheets.append(SheetSpec(kind, name, columns, per_row))
    if problems:
        raise InputError(problems, source)
    return Template(name=str(data.get("name", Path(source).stem)), description=str(data.get("description", "")),
                    sheets=tuple(sheets), colours=colours, path=source, **options)
