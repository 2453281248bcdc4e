"""The Indicators sheet: one row per indicator, its unit, polarity, target and how it is rated."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

from ...model import Figure, Frequency, Indicator, Polarity, RagBasis, ReportSettings, ToleranceType, Unit, YtdMethod
from ...periods import Month
from ..checks import Checks
from ..grid import Grid
from ..table import Table, _blank, _key

SHEET = "Indicators"

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
    "target_source": ("target source",),
    "spc_baseline": ("spc baseline",),
}


@dataclass(frozen=True)
class IndicatorList:
    """What the Indicators sheet gives the rest of the workbook."""

    indicators: list[Indicator] = field(default_factory=list)
    read: bool = True  # False when the sheet could not be read at all: no IDs to check others against
    ytd_blank: frozenset[str] = frozenset()  # IDs whose YTD method was left blank

    def with_ratio_ytd(self, figures: dict[str, dict[Month, Figure]]) -> list[Indicator]:
        """A % indicator with no YTD method and numerators/denominators: YTD by Ratio."""
        return [replace(ind, ytd_method=YtdMethod.RATIO) if self._by_ratio(ind, figures.get(ind.id, {})) else ind
                for ind in self.indicators]

    def _by_ratio(self, ind: Indicator, series: dict[Month, Figure]) -> bool:
        return ind.id in self.ytd_blank and ind.is_percent and any(
            f.numerator is not None and f.denominator is not None for f in series.values())


def read_indicators(grid: Grid | None, settings: ReportSettings) -> tuple[IndicatorList, Checks]:
    check = Checks()
    if grid is None or check.empty_required(grid, "ID, Indicator, Section, Unit, Polarity, Target",
                                            "one row per indicator"):
        return IndicatorList(read=False), check
    table = Table(grid, INDICATOR_COLUMNS, ("id", "title"), check, "id")
    if table.missing:
        return IndicatorList(read=False), check
    check.merged(grid, table.header_row, table.labels())
    indicators: list[Indicator] = []
    seen: dict[str, str] = {}  # ID (lower case) -> the cell it was first typed in
    ytd_blank: set[str] = set()
    for r, rec in table.records():
        ind_id = row_id(check, table, r, rec, seen)
        if ind_id is None:
            continue
        if _blank(rec.get("ytd")):
            ytd_blank.add(ind_id)
        indicators.append(row_indicator(check, table, r, rec, ind_id, settings))
    if not indicators:
        check.error(f"{grid.name}!A{table.header_row + 2}", "lists no indicators.",
                    "Add one row per indicator under the header (ID, Indicator, Section, ...).")
    return IndicatorList(indicators, ytd_blank=frozenset(ytd_blank)), check


def row_id(check: Checks, table: Table, r: int, rec: dict, seen: dict[str, str]) -> str | None:
    """The row's ID, or None (reporting why) when it has none, or one an earlier row has."""
    ref = partial(table.ref, r)  # ref('id'): this row's ID cell
    raw_id = rec.get("id")
    if _blank(raw_id):
        if not table.grid.covered(r, table.col["id"]):  # merged cells were reported above
            check.error(ref("id"), "has an indicator with no ID.", "Type a short unique ID such as 'CP 12'.")
        return None
    if check.text_error(ref("id"), raw_id, "indicator's ID"):
        return None
    ind_id = str(raw_id).strip()
    if ind_id.lower() in seen:
        check.error(ref("id"), f"ID '{ind_id}' is used twice (also at {seen[ind_id.lower()]}).",
                    "Give each indicator its own ID.")
        return None
    seen[ind_id.lower()] = ref("id")
    return ind_id


def row_indicator(check: Checks, table: Table, r: int, rec: dict, ind_id: str,
                  settings: ReportSettings) -> Indicator:
    """The indicator on row ``r``: each cell checked, blank ones taking the defaults."""
    ref = partial(table.ref, r)  # ref('target'): this row's Target cell
    title = rec.get("title")
    if check.text_error(ref("title"), title, "indicator's title"):
        title = ind_id
    elif _blank(title):
        if not table.grid.covered(r, table.col["title"]):
            check.error(ref("title"), f"indicator '{ind_id}' has no title.", "Type the indicator's title.")
        title = ind_id
    check.length(title, ref("title"))
    section = rec.get("section")
    if check.text_error(ref("section"), section, "section name"):
        section = None
    unit = check.choice(Unit, rec.get("unit"), ref("unit"), "Unit", Unit.NUMBER)
    percent = unit is Unit.PERCENT
    polarity = check.choice(Polarity, rec.get("polarity"), ref("polarity"), "Polarity", Polarity.HIGH)
    target = check.number(rec.get("target"), ref("target"), "Target")
    upper = check.number(rec.get("target_upper"), ref("target_upper"), "Target upper")
    tformat = table.grid.number_format(r, table.col.get("target", 0))
    if percent and target is not None:
        target = check.percent(target, ref("target"), "%" in tformat, "Target")
    if percent and upper is not None:
        upper = check.percent(upper, ref("target_upper"), "%" in table.grid.number_format(
            r, table.col.get("target_upper", 0)), "Target upper")
    if upper is not None and polarity is not Polarity.TARGET:
        check.warn(ref("target_upper"), f"Target upper is only used with polarity Target ('{ind_id}' is {polarity}).",
                   "Set Polarity to Target for a band, or clear Target upper.")
    if polarity is Polarity.TARGET and target is None:
        check.error(ref("target"), f"'{ind_id}' has polarity Target but no target.",
                    "Type the target (and Target upper for a band), or change the polarity.")
    tolerance = check.number(rec.get("tolerance"), ref("tolerance"), "Tolerance", minimum=0, maximum=1000)
    ytd_default = YtdMethod.SUM if unit is Unit.COUNT else YtdMethod.LATEST
    decimals = check.number(rec.get("decimals"), ref("decimals"), "Decimals", integer=True, minimum=0, maximum=4)
    arrears = check.number(rec.get("arrears"), ref("arrears"), "Arrears", integer=True, minimum=0, maximum=24)
    spc_baseline = check.number(rec.get("spc_baseline"), ref("spc_baseline"), "SPC baseline", integer=True,
                                minimum=2, maximum=1000)
    corp = rec.get("corporate_plan")
    if check.cell_error(ref("corporate_plan"), corp, "Fix the formula, or type Y (or leave it blank)."):
        corp = None
    elif not _blank(corp) and _key(corp) not in ("y", "yes", "n", "no", "true", "false", "1", "0"):
        check.error(ref("corporate_plan"), f"Corporate plan '{corp}' is not Y or blank.", "Type Y, or leave it blank.")
    return Indicator(
        id=ind_id, title=str(title).strip(), section=str(section).strip()
        if not _blank(section) else "Other",
        unit=unit, polarity=polarity, target=target, target_upper=upper,
        tolerance=settings.tolerance if tolerance is None else tolerance,
        tolerance_type=check.choice(ToleranceType, rec.get("tolerance_type"), ref("tolerance_type"),
                                    "Tolerance type", settings.tolerance_type),
        rag_basis=check.choice(RagBasis, rec.get("rag_basis"), ref("rag_basis"), "RAG basis", settings.rag_basis),
        ytd_method=check.choice(YtdMethod, rec.get("ytd"), ref("ytd"), "YTD", None) or ytd_default,
        frequency=check.choice(Frequency, rec.get("frequency"), ref("frequency"), "Frequency", Frequency.MONTHLY),
        arrears=arrears or 0,
        corporate_plan=_key(corp) in ("y", "yes", "true", "1"),
        decimals=decimals if decimals is not None else (0 if unit in (Unit.PERCENT, Unit.COUNT) else 1),
        where=ref("id"),
        target_source="" if _blank(rec.get("target_source")) else str(rec["target_source"]).strip(),
        target_source_where=ref("target_source") if "target_source" in table.col else "",
        spc_baseline=spc_baseline,
    )
