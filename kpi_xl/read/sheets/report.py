"""The Report sheet: the report's settings (title, period, financial year start, tolerance ...)."""
from __future__ import annotations

from dataclasses import replace
from ...model import RagBasis, ReportSettings, ToleranceType
from ...periods import parse_month_name
from ..checks import Checks
from ..grid import Grid
from ..table import _key
from ..table import settings as read_settings

SHEET = "Report"


def read_report(grid: Grid | None) -> tuple[ReportSettings, Checks]:
    """The settings typed on the sheet (the defaults where it is missing), and its problems."""
    check = Checks()
    settings = ReportSettings()
    changes = {}
    period_cell = None
    for setting in read_settings(grid, check):
        name, value, where = setting.name, setting.value, setting.where
        if name == "title":
            changes["title"] = str(value).strip()
        elif name == "organisation" or name == "organization":
            changes["organisation"] = str(value).strip()
        elif name in ("period", "reporting period", "month"):
            period_cell = (value, where)  # read after the loop: a quarter depends on the year start
        elif name == "financial year start":
            month = parse_month_name(value)
            if month is None:
                check.error(where, f"Financial year start '{value}' is not a month.", "Type a month name such as April.")
            else:
                changes["fy_start"] = month
        elif name == "months shown":
            n = check.number(value, where, "Months shown", integer=True, minimum=1, maximum=24)
            if n is not None:
                changes["months_shown"] = n
        elif name == "template":
            changes["template"], changes["template_where"] = str(value).strip(), where
        elif name == "tolerance":
            n = check.number(value, where, "Tolerance", minimum=0, maximum=1000)
            if n is not None:
                changes["tolerance"] = n
        elif name == "tolerance type":
            changes["tolerance_type"] = check.choice(ToleranceType, value, where, "Tolerance type",
                                                     ToleranceType.PERCENT)
        elif name == "rag basis":
            changes["rag_basis"] = check.choice(RagBasis, value, where, "RAG basis", RagBasis.MONTH)
        elif name == "refresh note":
            changes["refresh_note"] = str(value).strip()
        elif name == "split by":
            changes["split_by"], changes["split_by_where"] = str(value).strip(), where
        elif name == "split total":
            changes["split_total"] = str(value).strip()
        elif name in SPC_SETTINGS:
            changes.update(read_spc_setting(check, name, value, where))
        else:
            check.warn(setting.name_where, f"setting '{setting.label}' is not one kpi_xl uses; it was ignored.",
                       "Known settings: Title, Organisation, Period, Financial year start, Months shown, "
                       "Template, Tolerance, Tolerance type, RAG basis, Refresh note, Split by, Split total, SPC baseline, "
                       "SPC screen outliers, SPC minimum points.")
    if period_cell is not None:
        value, where = period_cell
        month = check.parse_period(value, where, changes.get("fy_start", 4))
        if month is None:
            check.not_a_month(where, value, "Period")
        elif not check.too_early(month, where):
            changes["period"], changes["period_where"] = month, where
    return replace(settings, **changes), check


SPC_SETTINGS = ("spc baseline", "spc screen outliers", "spc minimum points")


def read_spc_setting(check: Checks, name: str, value, where: str) -> dict:
    """``SPC baseline`` (the first n points of each group set the limits; blank or All: every
    point), ``SPC screen outliers`` (Yes/No) and ``SPC minimum points``."""
    if name == "spc baseline":
        if _key(value) in ("all", "all points"):
            return {"spc_baseline": None}
        n = check.number(value, where, "SPC baseline", integer=True, minimum=2, maximum=1000)
        return {} if n is None else {"spc_baseline": n}
    if name == "spc minimum points":
        n = check.number(value, where, "SPC minimum points", integer=True, minimum=2, maximum=1000)
        return {} if n is None else {"spc_minimum_points": n}
    answer = _key(value)
    if answer in ("yes", "y", "true", "1"):
        return {"spc_screen": True}
    if answer not in ("no", "n", "false", "0"):
        check.error(where, f"SPC screen outliers '{value}' is not Yes or No.", "Type Yes or No (the default, No, "
                    "is what the Making Data Count Excel tool does).")
    return {}
