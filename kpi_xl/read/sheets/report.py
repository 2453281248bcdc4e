"""The Report sheet: the report's settings (title, period, financial year start, tolerance ...)."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...model import RagBasis, ReportSettings, ToleranceType
from ...periods import parse_month_name
from ..table import Table, _blank, _key, find_sheet

if TYPE_CHECKING:
    from ..reader import Reader


def read_report(reader: Reader) -> ReportSettings:
    grid = find_sheet(reader.grids, "Report")
    settings = ReportSettings()
    if grid is None or grid.is_blank():
        return settings
    table = Table(grid, {"setting": ("setting",), "value": ("value",)}, ("setting", "value"),
                  reader.problems, "setting")
    if table.missing:
        return settings
    changes = {}
    period_cell = None
    for r, rec in table.records():
        name, value, where = _key(rec["setting"]), rec["value"], table.ref(r, "value")
        if reader._text_error(table.ref(r, "setting"), rec["setting"], "setting name"):
            continue
        if _blank(value) or reader._cell_error(where, value, "Fix the formula, or type the setting's value."):
            continue
        if name == "title":
            changes["title"] = str(value).strip()
        elif name == "organisation" or name == "organization":
            changes["organisation"] = str(value).strip()
        elif name in ("period", "reporting period", "month"):
            period_cell = (value, where)  # read after the loop: a quarter depends on the year start
        elif name == "financial year start":
            month = parse_month_name(value)
            if month is None:
                reader.error(where, f"Financial year start '{value}' is not a month.", "Type a month name such as April.")
            else:
                changes["fy_start"] = month
        elif name == "months shown":
            n = reader._number(value, where, "Months shown", integer=True, minimum=1, maximum=24)
            if n is not None:
                changes["months_shown"] = n
        elif name == "template":
            changes["template"], changes["template_where"] = str(value).strip(), where
        elif name == "tolerance":
            n = reader._number(value, where, "Tolerance", minimum=0, maximum=1000)
            if n is not None:
                changes["tolerance"] = n
        elif name == "tolerance type":
            changes["tolerance_type"] = reader._choice(ToleranceType, value, where, "Tolerance type",
                                                       ToleranceType.PERCENT)
        elif name == "rag basis":
            changes["rag_basis"] = reader._choice(RagBasis, value, where, "RAG basis", RagBasis.MONTH)
        elif name == "refresh note":
            changes["refresh_note"] = str(value).strip()
        elif name in SPC_SETTINGS:
            changes.update(read_spc_setting(reader, name, value, where))
        else:
            reader.warn(table.ref(r, "setting"), f"setting '{rec['setting']}' is not one kpi_xl uses; it was ignored.",
                        "Known settings: Title, Organisation, Period, Financial year start, Months shown, "
                        "Template, Tolerance, Tolerance type, RAG basis, Refresh note, SPC baseline, SPC screen outliers, "
                        "SPC minimum points.")
    if period_cell is not None:
        value, where = period_cell
        month = reader._parse_period(value, where, changes.get("fy_start", 4))
        if month is None:
            reader._not_a_month(where, value, "Period")
        elif not reader._too_early(month, where):
            changes["period"], changes["period_where"] = month, where
    return replace(settings, **changes)


SPC_SETTINGS = ("spc baseline", "spc screen outliers", "spc minimum points")


def read_spc_setting(reader: Reader, name: str, value, where: str) -> dict:
    """``SPC baseline`` (the first n points of each group set the limits; blank or All: every
    point), ``SPC screen outliers`` (Yes/No) and ``SPC minimum points``."""
    if name == "spc baseline":
        if _key(value) in ("all", "all points"):
            return {"spc_baseline": None}
        n = reader._number(value, where, "SPC baseline", integer=True, minimum=2, maximum=1000)
        return {} if n is None else {"spc_baseline": n}
    if name == "spc minimum points":
        n = reader._number(value, where, "SPC minimum points", integer=True, minimum=2, maximum=1000)
        return {} if n is None else {"spc_minimum_points": n}
    answer = _key(value)
    if answer in ("yes", "y", "true", "1"):
        return {"spc_screen": True}
    if answer not in ("no", "n", "false", "0"):
        reader.error(where, f"SPC screen outliers '{value}' is not Yes or No.", "Type Yes or No (the default, No, "
                     "is what the Making Data Count Excel tool does).")
    return {}
