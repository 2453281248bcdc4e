"""The Indicators sheet: one row per indicator, its unit, polarity, target and how it is rated."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ...model import Frequency, Indicator, Polarity, RagBasis, ReportSettings, ToleranceType, Unit, YtdMethod
from ..table import Table, _blank, _key, find_sheet

if TYPE_CHECKING:
    from ..reader import Reader


INDICATOR_COLUMNS = {
    "id": ("id", "pi", "kpi", "ref"),
    "title": ("indicator", "title", "indicator title", "name"),
    "section": ("section",),
    "unit": ("unit",),
    "polarity": ("polarity",),
    "target": ("target",),
    "target_upper": ("target upper", "upper target"),
    "tolerance": ("tolerance",),
    "tolerance_type": ("tolerance type",),
    "rag_basis": ("rag basis",),
    "ytd": ("ytd", "ytd method"),
    "frequency": ("frequency",),
    "arrears": ("arrears",),
    "corporate_plan": ("corporate plan",),
    "decimals": ("decimals",),
    "spc_baseline": ("spc baseline",),
}


def read_indicators(reader: Reader, settings: ReportSettings) -> list[Indicator]:
    grid = find_sheet(reader.grids, "Indicators")
    if grid is None or reader._empty_required(grid, "ID, Indicator, Section, Unit, Polarity, Target",
                                              "one row per indicator"):
        reader.indicators_ok = False
        return []
    table = Table(grid, INDICATOR_COLUMNS, ("id", "title"), reader.problems, "id")
    if table.missing:
        reader.indicators_ok = False
        return []
    reader._check_merged(grid, table.header_row, table.labels())
    indicators: list[Indicator] = []
    seen: dict[str, str] = {}
    for r, rec in table.records():
        ref = partial(table.ref, r)  # ref('target'): this row's Target cell
        raw_id = rec.get("id")
        if _blank(raw_id):
            if not grid.covered(r, table.col["id"]):  # merged cells were reported above
                reader.error(ref("id"), "has an indicator with no ID.", "Type a short unique ID such as 'CP 12'.")
            continue
        if reader._text_error(ref("id"), raw_id, "indicator's ID"):
            continue
        ind_id = str(raw_id).strip()
        if ind_id.lower() in seen:
            reader.error(ref("id"), f"ID '{ind_id}' is used twice (also at {seen[ind_id.lower()]}).",
                         "Give each indicator its own ID.")
            continue
        seen[ind_id.lower()] = ref("id")
        title = rec.get("title")
        if reader._text_error(ref("title"), title, "indicator's title"):
            title = ind_id
        elif _blank(title):
            if not grid.covered(r, table.col["title"]):
                reader.error(ref("title"), f"indicator '{ind_id}' has no title.", "Type the indicator's title.")
            title = ind_id
        reader._check_length(title, ref("title"))
        section = rec.get("section")
        if reader._text_error(ref("section"), section, "section name"):
            section = None
        unit = reader._choice(Unit, rec.get("unit"), ref("unit"), "Unit", Unit.NUMBER)
        percent = unit is Unit.PERCENT
        polarity = reader._choice(Polarity, rec.get("polarity"), ref("polarity"), "Polarity", Polarity.HIGH)
        target = reader._number(rec.get("target"), ref("target"), "Target")
        upper = reader._number(rec.get("target_upper"), ref("target_upper"), "Target upper")
        tformat = table.grid.number_format(r, table.col.get("target", 0))
        if percent and target is not None:
            target = reader._percent(target, ref("target"), "%" in tformat, "Target")
        if percent and upper is not None:
            upper = reader._percent(upper, ref("target_upper"), "%" in table.grid.number_format(
                r, table.col.get("target_upper", 0)), "Target upper")
        if upper is not None and polarity is not Polarity.TARGET:
            reader.warn(ref("target_upper"), f"Target upper is only used with polarity Target ('{ind_id}' is {polarity}).",
                        "Set Polarity to Target for a band, or clear Target upper.")
        if polarity is Polarity.TARGET and target is None:
            reader.error(ref("target"), f"'{ind_id}' has polarity Target but no target.",
                         "Type the target (and Target upper for a band), or change the polarity.")
        tolerance = reader._number(rec.get("tolerance"), ref("tolerance"), "Tolerance", minimum=0, maximum=1000)
        ytd_default = YtdMethod.SUM if unit is Unit.COUNT else YtdMethod.LATEST
        if _blank(rec.get("ytd")):
            reader.ytd_defaulted.add(ind_id)
        decimals = reader._number(rec.get("decimals"), ref("decimals"), "Decimals", integer=True, minimum=0, maximum=4)
        arrears = reader._number(rec.get("arrears"), ref("arrears"), "Arrears", integer=True, minimum=0, maximum=24)
        spc_baseline = reader._number(rec.get("spc_baseline"), ref("spc_baseline"), "SPC baseline", integer=True,
                                      minimum=2, maximum=1000)
        corp = rec.get("corporate_plan")
        if reader._cell_error(ref("corporate_plan"), corp, "Fix the formula, or type Y (or leave it blank)."):
            corp = None
        elif not _blank(corp) and _key(corp) not in ("y", "yes", "n", "no", "true", "false", "1", "0"):
            reader.error(ref("corporate_plan"), f"Corporate plan '{corp}' is not Y or blank.", "Type Y, or leave it blank.")
        indicators.append(Indicator(
            id=ind_id, title=str(title).strip(), section=str(section).strip()
            if not _blank(section) else "Other",
            unit=unit, polarity=polarity, target=target, target_upper=upper,
            tolerance=settings.tolerance if tolerance is None else tolerance,
            tolerance_type=reader._choice(ToleranceType, rec.get("tolerance_type"), ref("tolerance_type"),
                                          "Tolerance type", settings.tolerance_type),
            rag_basis=reader._choice(RagBasis, rec.get("rag_basis"), ref("rag_basis"), "RAG basis", settings.rag_basis),
            ytd_method=reader._choice(YtdMethod, rec.get("ytd"), ref("ytd"), "YTD", None) or ytd_default,
            frequency=reader._choice(Frequency, rec.get("frequency"), ref("frequency"), "Frequency", Frequency.MONTHLY),
            arrears=arrears or 0,
            corporate_plan=_key(corp) in ("y", "yes", "true", "1"),
            decimals=decimals if decimals is not None else (0 if unit in (Unit.PERCENT, Unit.COUNT) else 1),
            where=ref("id"), spc_baseline=spc_baseline,
        ))
    if not indicators and not table.missing:
        reader.error(f"{grid.name}!A{table.header_row + 2}", "lists no indicators.",
                     "Add one row per indicator under the header (ID, Indicator, Section, ...).")
    return indicators
