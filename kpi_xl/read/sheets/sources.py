"""The Sources sheet of a corporate workbook (``kpi-xl rollup corporate.xlsx``): one row per
directorate, its name (the section it goes under), its raw workbook and, optionally, its
shared scorecard whose typed commentary is carried; and the roll-up's settings on the same
workbook's Report sheet (Title, Organisation, Period, Template, Output, Keep).

Paths are read as typed; ``kpi_xl.run.rollup`` resolves them against the workbook's folder
and says which cell holds a path whose file is missing.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..checks import Checks
from ..grid import Grid
from ..table import Table, _blank, _key
from ..table import settings as read_settings

SHEET = "Sources"
COLUMNS = {"name": ("directorate", "section", "service", "name"),
           "raw": ("raw workbook", "raw", "raw indicators", "raw indicator workbook"),
           "scorecard": ("scorecard", "shared scorecard", "directorate scorecard")}
EXAMPLE_PATH = "children/Raw indicators.xlsx"
#: The Report sheet's settings a roll-up uses, as a raw workbook's Report sheet is laid out.
SETTINGS = ("Title", "Organisation", "Period", "Template", "Output", "Keep")


@dataclass(frozen=True)
class Source:
    """One directorate as the Sources sheet gives it; paths as typed, with their cells."""

    name: str
    raw: str
    scorecard: str = ""
    raw_where: str = ""
    scorecard_where: str = ""


def read_sources(grid: Grid) -> tuple[list[Source], Checks]:
    """Each directorate's row; a blank name or path, a name given twice, an Excel error or
    a formula with no saved result is named by its cell."""
    check = Checks()
    if check.empty_required(grid, "Directorate, Raw workbook, Scorecard", "one row per directorate"):
        return [], check
    table = Table(grid, COLUMNS, ("name", "raw"), check, "name")
    if table.missing:
        return [], check
    check.merged(grid, table.header_row, table.labels())
    sources, rows = [], {}
    for r, rec in table.records():
        labels = {"name": "directorate's name", "raw": "raw workbook's path", "scorecard": "scorecard's path"}
        for field_name, label in labels.items():
            c = table.col.get(field_name)
            if c is not None and (r, c) in grid.uncalculated:
                check.error(table.ref(r, field_name), "holds a formula with no saved result, so the "
                            f"{label} is unknown.", f"Open and save the workbook in Excel, or type the {label}.")
                rec[field_name] = None
        check.clear_errors(table, r, rec, labels)
        name = "" if _blank(rec["name"]) else str(rec["name"]).strip()
        raw = _path(rec["raw"])
        if not name:
            check.error(table.ref(r, "name"), "has no directorate name.",
                        "Type the directorate's name, as its section heading in the corporate scorecard "
                        "(e.g. Children's services).")
        elif _key(name) in rows:
            check.error(table.ref(r, "name"), f"'{name}' is named twice (also on row {rows[_key(name)]}).",
                        "Give each directorate its own name, or delete the repeated row.")
        if not raw:
            check.error(table.ref(r, "raw"), f"{name or 'this directorate'} has no raw workbook.",
                        f"Type the path of its raw workbook, such as {EXAMPLE_PATH} (relative to this "
                        "workbook's folder, or in full).")
        if name and raw and _key(name) not in rows:
            sources.append(Source(name, raw, _path(rec.get("scorecard")), table.ref(r, "raw"),
                                  table.ref(r, "scorecard") if "scorecard" in table.col else ""))
        rows.setdefault(_key(name), r + 1)
    if not sources and not check.has_errors():
        check.error(table.ref(table.header_row, "name"), "lists no directorate.",
                    f"Type one row per directorate under the header: its name and the path of its raw workbook "
                    f"(such as {EXAMPLE_PATH}).")
    return sources, check


def _path(value) -> str:
    """A path as typed, without the quotes Windows' "Copy as path" puts around it."""
    return "" if _blank(value) else str(value).strip().strip('"').strip()


def read_rollup_settings(grid: Grid | None) -> tuple[dict, Checks]:
    """The roll-up's settings from the corporate workbook's Report sheet, by their TOML names
    (``title``, ``organisation``, ``period`` (a Month), ``template``, ``output``, ``keep``), each
    with its cell as ``<name>_where``; a setting the roll-up does not use is warned about."""
    check = Checks()
    found: dict = {}
    for setting in read_settings(grid, check):
        name, value, where = setting.name, setting.value, setting.where
        if name in ("organization", "organisation"):
            name = "organisation"
        if name in ("period", "reporting period", "month"):
            month = check.parse_period(value, where, 4)
            if month is None:
                check.not_a_month(where, value, "Period")
            elif not check.too_early(month, where):
                found["period"], found["period_where"] = month, where
        elif name == "keep":
            n = check.number(value, where, "Keep", integer=True, minimum=0, maximum=999)
            if n is not None:
                found["keep"], found["keep_where"] = n, where
        elif name in ("title", "organisation", "template", "output"):
            found[name], found[f"{name}_where"] = _path(value) if name in ("template", "output") else \
                str(value).strip(), where
        else:
            check.warn(setting.name_where, f"setting '{setting.label}' is not one the roll-up uses (each "
                       "indicator is rated by its own directorate's settings); it was ignored.",
                       f"Settings a roll-up uses: {', '.join(SETTINGS)}.")
    check.tell_date_numbers()
    return found, check
