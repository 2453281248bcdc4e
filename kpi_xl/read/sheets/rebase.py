"""The Rebase sheet: from which month an indicator's SPC limits start again (ID, Period, Reason)."""
from __future__ import annotations

from ...model import Indicator, Rebase, ReportSettings
from ..checks import Checks
from ..grid import Grid
from ..table import Table, _blank, _key

SHEET = "Rebase"


def read_rebases(grid: Grid | None, indicators: list[Indicator], settings: ReportSettings,
                 indicators_read: bool = True) -> tuple[list[Rebase], Checks]:
    """Where each indicator's SPC limits start again, and the sheet's problems;
    ``indicators_read`` False: no ID is called unknown."""
    check = Checks()
    if grid is None or grid.is_blank():
        return [], check
    table = Table(grid, {"id": ("id",), "period": ("period", "from", "month"), "reason": ("reason", "why")},
                  ("id", "period"), check, "id")
    if table.missing:
        return [], check
    ids = {_key(i.id): i.id for i in indicators}
    seen: dict[tuple[str, object], str] = {}
    rebases = []
    for r, rec in table.records():
        if _blank(rec.get("id")) and _blank(rec.get("period")):
            continue
        check.clear_errors(table, r, rec, {"id": "indicator's ID", "reason": "reason"})
        if _blank(rec.get("id")):
            check.error(table.ref(r, "id"), "has a rebase with no indicator ID.",
                        "Type the ID of the indicator whose SPC limits start again, as on the Indicators sheet.")
            continue
        ind_id = ids.get(_key(rec["id"]))
        if ind_id is None:
            if indicators_read:
                check.error(table.ref(r, "id"), f"ID '{rec['id']}' is not on the Indicators sheet.",
                            "Correct the ID, or delete the row.")
            continue
        month = check.period(rec.get("period"), table.ref(r, "period"), settings.fy_start)
        if month is None:
            continue
        reason = "" if _blank(rec.get("reason")) else str(rec["reason"]).strip()
        check.length(rec.get("reason"), table.ref(r, "reason"))
        where = table.ref(r, "period")
        if (ind_id, month) in seen:
            check.warn(where, f"{ind_id} is rebased from {month.long_label} twice (also {seen[(ind_id, month)]}).",
                       "Delete one of the two rows.")
            continue
        seen[(ind_id, month)] = where
        rebases.append(Rebase(ind_id, month, reason, where))
    return rebases, check
